using System.Globalization;
using System.Text.Json;
using ClipLab.Training;

namespace ClipLab.Reporting.Reports;

/// <summary>
/// Builds the blocks of a run's report from its results, once for both report.md and
/// report.html: the settings, the summary table, the seed statistics and tests, the sweep, the
/// charts and the validation log.
/// </summary>
internal static class ReportBuilder
{
    public static IReadOnlyList<ReportBlock> Build(string title, RunResults run)
    {
        var blocks = new List<ReportBlock> { new HeadingBlock(1, title) };
        AddStatusNote(blocks, run);
        AddSettings(blocks, run);
        if (run.Variants.Count == 0)
        {
            blocks.Add(new HeadingBlock(2, "Summary"));
            blocks.Add(new ParagraphBlock(ReportText.Of("No variant produced results.")));
            return blocks;
        }

        AddSummary(blocks, run);
        SeedSectionsBuilder.AddSeedSections(blocks, run);
        SeedSectionsBuilder.AddSweep(blocks, run);
        AddCharts(blocks, run);
        AddLog(blocks, run);
        return blocks;
    }

    private static void AddStatusNote(List<ReportBlock> blocks, RunResults run)
    {
        int total = run.Variants.Count * run.Seeds.Count;
        int completed = run.Variants.Sum(variant => Enumerable.Range(0, variant.Results.Count).Count(i => variant.StatusOf(i) == RunStatus.Completed));
        int notRun = run.Variants.Sum(variant => Enumerable.Range(0, variant.Results.Count).Count(i => variant.StatusOf(i) == RunStatus.NotRun));
        if (run.Interrupted)
        {
            blocks.Add(new NoteBlock("Incomplete run", ReportText.Of(string.Create(
                CultureInfo.InvariantCulture,
                $"the run was interrupted (Ctrl+C or SIGTERM). {completed} of {total} runs completed and {notRun} did not start. "
                + $"The numbers below cover what was measured; runs marked \"interrupted\" stopped early and runs marked \"not run\" never started."))));
        }
        else if (completed < total)
        {
            blocks.Add(new NoteBlock("Some runs stopped early", ReportText.Of(string.Create(
                CultureInfo.InvariantCulture,
                $"{completed} of {total} runs completed; see the status column and the notes below the summary table."))));
        }
    }

    private static void AddSettings(List<ReportBlock> blocks, RunResults run)
    {
        var rows = new List<IReadOnlyList<ReportText>>
        {
            Row("command", run.Command),
            Row("variants", string.Join(" ", run.Variants.Select(variant => variant.ClipMethod))),
            Row("seeds", string.Join(", ", run.Seeds.Select(seed => seed.ToString(CultureInfo.InvariantCulture)))),
        };
        if (run.Sweep is SweepDefinition sweep)
        {
            rows.Add(Row("sweep method", sweep.Method));
            rows.Add(Row("sweep thresholds", string.Join(", ", sweep.Points.Select(point => ReportFormat.Threshold(point.Threshold)))));
            if (sweep.MethodOptions.Length > 0)
            {
                rows.Add(Row("sweep method options", sweep.MethodOptions));
            }
        }

        // the keys and values of summary.json's "config", so the two files never disagree
        foreach (JsonProperty setting in SummaryJsonWriter.SerializeConfig(run.Config).EnumerateObject())
        {
            string value = setting.Value.ValueKind switch
            {
                JsonValueKind.String => setting.Value.GetString() ?? "",
                JsonValueKind.Null => ReportFormat.NotMeasured,
                _ => setting.Value.GetRawText(),
            };
            rows.Add(Row(setting.Name, value));
        }

        blocks.Add(new HeadingBlock(2, "Settings"));
        blocks.Add(new TableBlock(["setting", "value"], [false, false], rows));
    }

    private static IReadOnlyList<ReportText> Row(string name, string value) => [ReportText.Of(name), ReportText.Of(value)];

    private static void AddSummary(List<ReportBlock> blocks, RunResults run)
    {
        int last = VariantSummary.LastPointCount;
        blocks.Add(new HeadingBlock(2, "Summary"));
        blocks.Add(new ParagraphBlock(ReportText.Of(string.Create(
            CultureInfo.InvariantCulture,
            $"Validation values come from one batch of {run.Config.EvalBatchSize} examples per point. "
            + $"\"Last {last}\" is the mean over the last {last} validation points. "
            + $"\"Clipped steps\" is the share of steps in which clipping changed at least one gradient component. "
            + $"\"Non-finite steps\" counts the steps whose loss or gradient was NaN or infinite before clipping."))));

        bool seedColumn = run.UsesSeedFolders;
        var headers = new List<string> { "variant" };
        if (seedColumn)
        {
            headers.Add("seed");
        }

        headers.AddRange(SummaryTable.Headers.Skip(1));
        var rightAligned = headers.Select((header, index) => index > (seedColumn ? 2 : 1) && header != "status").ToList();
        if (seedColumn)
        {
            rightAligned[1] = true;
        }

        var rows = new List<IReadOnlyList<ReportText>>();
        var notes = new List<ReportBlock>();
        foreach (VariantRuns variant in run.Variants)
        {
            for (int i = 0; i < run.Seeds.Count; i++)
            {
                VariantResult? result = variant.Results[i];
                IReadOnlyList<string> cells = SummaryTable.Cells(variant, result);
                var row = new List<ReportText> { ReportText.Of(cells[0]) };
                if (seedColumn)
                {
                    row.Add(ReportText.Of(run.Seeds[i].ToString(CultureInfo.InvariantCulture)));
                }

                row.AddRange(cells.Skip(1).Select(ReportText.Of));
                rows.Add(row);

                if (result is not null && !result.Completed)
                {
                    notes.Add(StoppedEarlyNote(variant, result, seedColumn ? run.Seeds[i] : null));
                }
            }
        }

        blocks.Add(new TableBlock(headers, rightAligned, rows));
        blocks.AddRange(notes);
    }

    private static NoteBlock StoppedEarlyNote(VariantRuns variant, VariantResult result, ulong? seed)
    {
        VariantSummary summary = VariantSummary.From(result);
        var text = new ReportText().Plain("variant ").Code(variant.Name);
        if (seed is ulong s)
        {
            text.Plain(string.Create(CultureInfo.InvariantCulture, $" seed {s}"));
        }

        string ending = result.Diverged ? "diverged" : "stopped early";
        text.Plain(string.Create(CultureInfo.InvariantCulture, $" {ending} after {summary.StepsCompleted} steps: "));
        text.Plain((summary.Failure ?? "").TrimEnd('.') + ". ");
        text.Plain(summary.FinalValidationIteration is int iteration
            ? string.Create(CultureInfo.InvariantCulture, $"The last validation point is at iteration {iteration}")
            : "No validation point was recorded");

        // a run can diverge on the test set itself, which was then evaluated
        text.Plain(double.IsNaN(result.TestAccuracy)
            ? ", and the test set was not evaluated."
            : string.Create(CultureInfo.InvariantCulture, $", and the test set gave accuracy {result.TestAccuracy:F4} with loss {result.TestLoss}."));
        return new NoteBlock("Note", text);
    }

    private static void AddCharts(List<ReportBlock> blocks, RunResults run)
    {
        string band = run.UsesSeedFolders
            ? string.Create(CultureInfo.InvariantCulture, $" (mean over {run.Seeds.Count} seeds, band from minimum to maximum)")
            : "";
        string mean = run.UsesSeedFolders ? string.Create(CultureInfo.InvariantCulture, $" (mean over {run.Seeds.Count} seeds)") : "";

        blocks.Add(new HeadingBlock(2, "Charts"));
        blocks.Add(new ChartBlock("Validation loss of all variants" + band, RunFileNames.LossOverlayChart));
        blocks.Add(new ChartBlock("Validation accuracy of all variants" + band, RunFileNames.AccuracyOverlayChart));
        foreach (VariantRuns variant in run.Variants)
        {
            var charts = new List<ChartBlock>();
            for (int i = 0; i < run.Seeds.Count; i++)
            {
                if (variant.Results[i] is null)
                {
                    continue;
                }

                string caption = run.UsesSeedFolders
                    ? string.Create(CultureInfo.InvariantCulture, $"{variant.Name}, seed {run.Seeds[i]}: validation accuracy and loss")
                    : $"{variant.Name}: validation accuracy and loss";
                charts.Add(new ChartBlock(caption, run.RelativeRunPath(variant.Name, run.Seeds[i]) + "/" + RunFileNames.AccuracyLossChart));
            }

            if (run.UsesSeedFolders)
            {
                blocks.Add(new ChartGroupBlock($"{variant.Name}: validation accuracy and loss of each seed", charts));
            }
            else
            {
                blocks.AddRange(charts);
            }
        }

        blocks.Add(new ChartBlock("Gradient norm before clipping, per step" + mean, RunFileNames.GradNormOverlayChart));
        blocks.Add(new ChartBlock("Gradient norm after clipping, per step" + mean, RunFileNames.GradNormAfterOverlayChart));
        blocks.Add(new ChartBlock("Share of gradient components changed by clipping, per step" + mean, RunFileNames.ClippedShareOverlayChart));
    }

    private static void AddLog(List<ReportBlock> blocks, RunResults run)
    {
        blocks.Add(new HeadingBlock(2, "Log"));
        foreach (VariantRuns variant in run.Variants)
        {
            for (int i = 0; i < run.Seeds.Count; i++)
            {
                string heading = run.UsesSeedFolders
                    ? string.Create(CultureInfo.InvariantCulture, $"{variant.Name}, seed {run.Seeds[i]} ({variant.ClipMethod})")
                    : $"{variant.Name} ({variant.ClipMethod})";
                blocks.Add(new HeadingBlock(3, heading));

                VariantResult? result = variant.Results[i];
                if (result is null)
                {
                    blocks.Add(new ParagraphBlock(ReportText.Of("Not run: the run was interrupted before this variant and seed started.")));
                    continue;
                }

                blocks.Add(new CodeBlock(result.Validation.Select(ValidationLogFormatter.Format).ToList()));
                if (!result.Completed)
                {
                    blocks.Add(new ParagraphBlock(ReportText.Of("Stopped early: " + (result.Failure ?? ""))));
                }
            }
        }
    }
}
