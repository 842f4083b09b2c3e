using System.Globalization;
using ClipLab.Reporting.Statistics;

namespace ClipLab.Reporting.Reports;

/// <summary>Builds the report sections that only a run with several seeds or a sweep has: seed statistics, dead networks, Mann-Whitney U tests and the sweep table.</summary>
internal static class SeedSectionsBuilder
{
    public static void AddSeedSections(List<ReportBlock> blocks, RunResults run)
    {
        var statistics = run.Variants.Select(variant => VariantStatistics.From(run, variant)).ToList();
        var dead = statistics.SelectMany(s => s.DeadNetworks).ToList();
        if (run.UsesSeedFolders)
        {
            AddStatistics(blocks, run, statistics);
        }

        if (run.UsesSeedFolders || dead.Count > 0)
        {
            AddDeadNetworks(blocks, run, dead);
        }

        if (run.UsesSeedFolders)
        {
            AddTests(blocks, run);
        }
    }

    private static void AddStatistics(List<ReportBlock> blocks, RunResults run, IReadOnlyList<VariantStatistics> statistics)
    {
        blocks.Add(new HeadingBlock(2, "Seed statistics"));
        blocks.Add(new ParagraphBlock(ReportText.Of(string.Create(
            CultureInfo.InvariantCulture,
            $"Each variant ran with the seeds {string.Join(", ", run.Seeds)}. The statistics cover the completed runs (n): "
            + $"median, mean, sample standard deviation (with n - 1) and range. "
            + $"Final validation loss and accuracy are the means over the last {VariantSummary.LastPointCount} validation points of each run."))));

        var rows = new List<IReadOnlyList<ReportText>>();
        foreach (VariantStatistics variant in statistics)
        {
            foreach (SeedMetric metric in SeedMetric.Summarised)
            {
                DescriptiveStatistics values = variant.Metrics[metric.Key];
                rows.Add(
                [
                    ReportText.Of(variant.ClipMethod),
                    ReportText.Of(metric.Label),
                    ReportText.Of(string.Create(CultureInfo.InvariantCulture, $"{values.Count} of {variant.SeedCount}")),
                    ReportText.Of(ReportFormat.Statistic(values.Median)),
                    ReportText.Of(ReportFormat.Statistic(values.Mean)),
                    ReportText.Of(ReportFormat.Statistic(values.StandardDeviation)),
                    ReportText.Of(ReportFormat.Statistic(values.Min)),
                    ReportText.Of(ReportFormat.Statistic(values.Max)),
                ]);
            }
        }

        blocks.Add(new TableBlock(
            ["variant", "metric", "n", "median", "mean", "standard deviation", "min", "max"],
            [false, false, true, true, true, true, true, true],
            rows));
    }

    private static void AddDeadNetworks(List<ReportBlock> blocks, RunResults run, IReadOnlyList<DeadNetwork> dead)
    {
        int total = run.Variants.Count * run.Seeds.Count;
        blocks.Add(new HeadingBlock(2, "Dead networks"));
        blocks.Add(new ParagraphBlock(ReportText.Of(string.Create(
            CultureInfo.InvariantCulture,
            $"A run counts as a dead network when it diverged (a non-finite loss or gradient stopped it) or when its test accuracy is below {DeadNetworkRule.AccuracyThreshold} "
            + $"(chance is 0.1 with ten classes). Dead networks: {dead.Count} of {total} runs."))));
        if (dead.Count > 0)
        {
            blocks.Add(new ListBlock(dead
                .Select(network => new ReportText()
                    .Code(network.ClipMethod)
                    .Plain(string.Create(CultureInfo.InvariantCulture, $" seed {network.Seed}: {network.Reason}")))
                .ToList()));
        }
    }

    private static void AddTests(List<ReportBlock> blocks, RunResults run)
    {
        IReadOnlyList<PairComparison> comparisons = PairComparison.AllPairs(run);
        if (comparisons.Count == 0)
        {
            return;
        }

        blocks.Add(new HeadingBlock(2, "Mann-Whitney U tests"));
        blocks.Add(new ParagraphBlock(ReportText.Of(string.Create(
            CultureInfo.InvariantCulture,
            $"Two-sided Mann-Whitney U tests between each pair of variants, over their completed runs. A rank test is used because an occasional dead network "
            + $"is an outlier that would dominate a t-test. U is the statistic of the first variant. The p-value is exact when both variants have at most "
            + $"{MannWhitneyU.MaxExactSampleSize} values and no value is tied, otherwise it comes from the normal approximation with tie and continuity corrections. "
            + $"The p-values are not corrected for multiple comparisons."))));

        var rows = new List<IReadOnlyList<ReportText>>();
        foreach (PairComparison comparison in comparisons)
        {
            MannWhitneyResult? result = comparison.Result;
            rows.Add(
            [
                ReportText.Of(comparison.Metric.Label),
                ReportText.Of(comparison.First),
                ReportText.Of(comparison.Second),
                ReportText.Of(result is null ? "0" : ReportFormat.Integer(result.FirstCount)),
                ReportText.Of(result is null ? "0" : ReportFormat.Integer(result.SecondCount)),
                ReportText.Of(result is null ? ReportFormat.NotMeasured : result.U.ToString("0.#", CultureInfo.InvariantCulture)),
                ReportText.Of(result is null ? ReportFormat.NotMeasured : ReportFormat.PValue(result.PValue)),
                ReportText.Of(result is null ? "no values" : result.Method == MannWhitneyMethod.Exact ? "exact" : "normal approximation"),
            ]);
        }

        blocks.Add(new TableBlock(
            ["metric", "first variant", "second variant", "n first", "n second", "U", "p-value", "method"],
            [false, false, false, true, true, true, true, false],
            rows));
    }

    public static void AddSweep(List<ReportBlock> blocks, RunResults run)
    {
        if (run.Sweep is not SweepDefinition sweep)
        {
            return;
        }

        blocks.Add(new HeadingBlock(2, "Sweep"));
        blocks.Add(new ParagraphBlock(ReportText.Of(string.Create(
            CultureInfo.InvariantCulture,
            $"Method {sweep.Method} at {sweep.Points.Count} thresholds, each with {run.Seeds.Count} seeds, against the unclipped reference ({sweep.ReferenceClipMethod}) with the same seeds. "
            + $"Final validation loss is the mean over the last {VariantSummary.LastPointCount} validation points. Median and range over the completed runs. "
            + $"The charts plot the threshold on a logarithmic axis, the median as a line with markers, the range as error bars, "
            + $"and the unclipped median as a dashed horizontal line."))));

        var rows = new List<IReadOnlyList<ReportText>>();
        VariantRuns? reference = run.Variants.FirstOrDefault(variant => variant.ClipMethod == sweep.ReferenceClipMethod);
        if (reference is not null)
        {
            rows.Add(SweepRow("unclipped", run, reference));
        }

        foreach (SweepPoint point in sweep.Points)
        {
            VariantRuns? variant = run.Variants.FirstOrDefault(v => v.ClipMethod == point.ClipMethod);
            if (variant is not null)
            {
                rows.Add(SweepRow(ReportFormat.Threshold(point.Threshold), run, variant));
            }
        }

        blocks.Add(new TableBlock(
            ["threshold", "clip method", "n", "median test accuracy", "test accuracy range", "median final val. loss", "final val. loss range", "dead networks"],
            [true, false, true, true, true, true, true, true],
            rows));
        blocks.Add(new ChartBlock("Final validation loss against the threshold", RunFileNames.SweepValidationLossChart));
        blocks.Add(new ChartBlock("Test accuracy against the threshold", RunFileNames.SweepTestAccuracyChart));
    }

    private static IReadOnlyList<ReportText> SweepRow(string threshold, RunResults run, VariantRuns variant)
    {
        VariantStatistics statistics = VariantStatistics.From(run, variant);
        DescriptiveStatistics accuracy = statistics.Metrics[SeedMetric.TestAccuracy.Key];
        DescriptiveStatistics loss = statistics.Metrics[SeedMetric.FinalValidationLoss.Key];
        return
        [
            ReportText.Of(threshold),
            ReportText.Of(variant.ClipMethod),
            ReportText.Of(string.Create(CultureInfo.InvariantCulture, $"{statistics.CompletedCount} of {statistics.SeedCount}")),
            ReportText.Of(ReportFormat.Statistic(accuracy.Median)),
            ReportText.Of(Range(accuracy)),
            ReportText.Of(ReportFormat.Statistic(loss.Median)),
            ReportText.Of(Range(loss)),
            ReportText.Of(ReportFormat.Integer(statistics.DeadNetworks.Count)),
        ];
    }

    private static string Range(DescriptiveStatistics values) =>
        values.Count == 0 ? ReportFormat.NotMeasured : $"{ReportFormat.Metric(values.Min)} to {ReportFormat.Metric(values.Max)}";
}
