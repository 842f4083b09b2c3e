using System.Globalization;
using System.Text;
using System.Text.Json;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes <c>report.md</c>: the settings, the summary table, notes on variants that stopped
/// early, the charts and the validation log of every variant.
/// </summary>
/// <remarks>
/// Image links are relative to the run folder and follow <see cref="RunFileNames"/>, so the
/// report must sit at the root of a run folder whose charts <see cref="ChartRenderer"/> wrote.
/// <see cref="RunWriter"/> does both. Loss and accuracy are rounded to 4 decimals, like the log.
/// "n/a" marks a number that was not measured.
/// </remarks>
public static class MarkdownReportWriter
{
    /// <summary>Builds the Markdown text of the report.</summary>
    /// <param name="title">Report title, for example "ClipLab run 2026-12-04_19-58-01_compare".</param>
    /// <param name="config">The settings of the run.</param>
    /// <param name="results">One result per variant, in report order.</param>
    /// <returns>The Markdown text, ending with a line feed.</returns>
    public static string Build(string title, ExperimentConfig config, IReadOnlyList<VariantResult> results)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(results);

        var report = new StringBuilder();
        report.Append("# ").Append(EscapeInline(title)).Append("\n\n");
        AppendSettings(report, config);
        if (results.Count == 0)
        {
            report.Append("## Summary\n\nNo variant produced results.\n");
            return report.ToString();
        }

        var summaries = results.Select(VariantSummary.From).ToList();
        AppendSummary(report, config, summaries);
        AppendCharts(report, results);
        AppendLog(report, results);
        return report.ToString();
    }

    /// <summary>Writes <c>report.md</c> atomically, replacing any existing file.</summary>
    /// <param name="path">File path at the root of the run folder.</param>
    /// <param name="title">Report title.</param>
    /// <param name="config">The settings of the run.</param>
    /// <param name="results">One result per variant, in report order.</param>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void Write(string path, string title, ExperimentConfig config, IReadOnlyList<VariantResult> results)
    {
        AtomicFile.WriteAllText(path, Build(title, config, results));
    }

    private static void AppendSettings(StringBuilder report, ExperimentConfig config)
    {
        // The keys and values are those of summary.json, so the two files never disagree.
        report.Append("## Settings\n\n| setting | value |\n|---|---|\n");
        foreach (JsonProperty setting in SummaryJsonWriter.SerializeConfig(config).EnumerateObject())
        {
            string value = setting.Value.ValueKind switch
            {
                JsonValueKind.String => setting.Value.GetString() ?? "",
                JsonValueKind.Null => "n/a",
                _ => setting.Value.GetRawText(),
            };
            report.Append("| ").Append(setting.Name).Append(" | ").Append(EscapeInline(value)).Append(" |\n");
        }

        report.Append('\n');
    }

    private static void AppendSummary(StringBuilder report, ExperimentConfig config, IReadOnlyList<VariantSummary> summaries)
    {
        report.Append("## Summary\n\n");
        report.Append(CultureInfo.InvariantCulture, $"Validation values come from one batch of {config.EvalBatchSize} examples per point. ");
        report.Append(CultureInfo.InvariantCulture, $"\"Last {VariantSummary.LastPointCount}\" is the mean over the last {VariantSummary.LastPointCount} validation points. ");
        report.Append("\"Clipped steps\" is the share of steps in which clipping changed at least one gradient component. ");
        report.Append("\"Non-finite steps\" counts the steps whose loss or gradient was NaN or infinite before clipping.\n\n");

        report.Append("| variant | clip method | final val. loss | final val. accuracy ");
        report.Append(CultureInfo.InvariantCulture, $"| last {VariantSummary.LastPointCount} val. loss | last {VariantSummary.LastPointCount} val. accuracy ");
        report.Append("| test loss | test accuracy | wall time (s) | clipped steps | non-finite steps | status |\n");
        report.Append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        foreach (VariantSummary summary in summaries)
        {
            report.Append(FormatSummaryRow(summary)).Append('\n');
        }

        report.Append('\n');
        foreach (VariantSummary summary in summaries.Where(s => !s.Completed))
        {
            string reached = summary.FinalValidationIteration is int iteration
                ? string.Create(CultureInfo.InvariantCulture, $"The last validation point is at iteration {iteration}")
                : "No validation point was recorded";
            report.Append(CultureInfo.InvariantCulture, $"> **Note:** variant `{summary.Name}` stopped early after {summary.StepsCompleted} steps: ");
            report.Append(EscapeInline((summary.Failure ?? "").TrimEnd('.'))).Append(". ");
            report.Append(reached).Append(", and the test set was not evaluated.\n\n");
        }
    }

    /// <summary>Formats one table row; <see cref="AppendSummary"/> writes the matching header.</summary>
    private static string FormatSummaryRow(VariantSummary summary)
    {
        bool hasValidation = summary.ValidationPointCount > 0;
        string[] cells =
        [
            summary.Name,
            EscapeInline(summary.ClipMethod),
            hasValidation ? FormatMetric(summary.FinalValidationLoss) : "n/a",
            hasValidation ? FormatMetric(summary.FinalValidationAccuracy) : "n/a",
            hasValidation ? FormatMetric(summary.LastMeanValidationLoss) : "n/a",
            hasValidation ? FormatMetric(summary.LastMeanValidationAccuracy) : "n/a",
            summary.Completed ? FormatMetric(summary.TestLoss) : "n/a",
            summary.Completed ? FormatMetric(summary.TestAccuracy) : "n/a",
            summary.WallTimeSeconds.ToString("F2", CultureInfo.InvariantCulture),
            double.IsFinite(summary.ClippedStepShare) ? (summary.ClippedStepShare * 100).ToString("F1", CultureInfo.InvariantCulture) + " %" : "n/a",
            summary.NonFiniteStepCount.ToString(CultureInfo.InvariantCulture),
            summary.Completed ? "completed" : "stopped early",
        ];
        return "| " + string.Join(" | ", cells) + " |";
    }

    private static void AppendCharts(StringBuilder report, IReadOnlyList<VariantResult> results)
    {
        report.Append("## Charts\n\n");
        AppendChart(report, "Validation loss of all variants", RunFileNames.LossOverlayChart);
        AppendChart(report, "Validation accuracy of all variants", RunFileNames.AccuracyOverlayChart);
        foreach (VariantResult result in results)
        {
            AppendChart(report, $"{result.Name}: validation accuracy and loss", $"{result.Name}/{RunFileNames.AccuracyLossChart}");
        }

        AppendChart(report, "Gradient norm before clipping, per step", RunFileNames.GradNormOverlayChart);
        AppendChart(report, "Gradient norm after clipping, per step", RunFileNames.GradNormAfterOverlayChart);
        AppendChart(report, "Share of gradient components changed by clipping, per step", RunFileNames.ClippedShareOverlayChart);
    }

    private static void AppendChart(StringBuilder report, string caption, string relativePathWithoutExtension)
    {
        // Forward slashes: Markdown links are URLs, also on Windows.
        string png = relativePathWithoutExtension + RunFileNames.PngExtension;
        string svg = relativePathWithoutExtension + RunFileNames.SvgExtension;
        report.Append("### ").Append(caption).Append("\n\n");
        report.Append("![").Append(caption).Append("](").Append(png).Append(")\n\n");
        report.Append("[SVG version](").Append(svg).Append(")\n\n");
    }

    private static void AppendLog(StringBuilder report, IReadOnlyList<VariantResult> results)
    {
        report.Append("## Log\n");
        foreach (VariantResult result in results)
        {
            report.Append("\n### ").Append(result.Name).Append(" (").Append(EscapeInline(result.ClipMethod)).Append(")\n\n");
            report.Append("```text\n");
            foreach (ValidationPoint point in result.Validation)
            {
                report.Append(ValidationLogFormatter.Format(point)).Append('\n');
            }

            report.Append("```\n");
            if (!result.Completed)
            {
                report.Append("\nStopped early: ").Append(EscapeInline(result.Failure ?? "")).Append('\n');
            }
        }
    }

    private static string FormatMetric(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Escapes the characters that Markdown would read as markup and folds line breaks, so free text stays on its line or in its table cell.</summary>
    private static string EscapeInline(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '\r' or '\n')
            {
                escaped.Append(' ');
                continue;
            }

            // '_' inside words is not emphasis in CommonMark, and names such as learning_rate
            // read better unescaped.
            if (c is '\\' or '`' or '*' or '[' or ']' or '<' or '>' or '|' or '#')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
