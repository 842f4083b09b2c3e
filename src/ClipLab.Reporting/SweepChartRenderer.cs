using System.Globalization;
using ClipLab.Reporting.Reports;
using ClipLab.Reporting.Statistics;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace ClipLab.Reporting;

/// <summary>
/// Draws a sweep's metric against the clipping threshold: each seed's value as a small dot, the
/// median over seeds as a line with markers, the range as an error bar, and the unclipped median
/// as a dashed horizontal reference line.
/// </summary>
/// <remarks>
/// ScottPlot 5.1 has no logarithmic axis type, so the x axis carries log10(threshold) and its
/// ticks are labelled with the thresholds themselves.
/// </remarks>
internal static class SweepChartRenderer
{
    public static void Write(ChartRenderer charts, RunResults run, SweepDefinition sweep, SeedMetric metric, string pathWithoutExtension)
    {
        using Plot plot = ChartRenderer.CreatePlot();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{Capitalise(metric.Label)} against the {sweep.Method} threshold ({run.Seeds.Count} seeds)"));
        plot.XLabel($"{sweep.Method} threshold (log scale)");
        plot.YLabel(metric == SeedMetric.TestAccuracy ? "test accuracy" : "loss (cross-entropy, nats), mean of last 10 validation points");

        // every seed's value, then the median and range per threshold
        var xs = new List<double>();
        var medians = new List<double>();
        var below = new List<double>();
        var above = new List<double>();
        var seedXs = new List<double>();
        var seedYs = new List<double>();
        var allY = new List<double>();
        foreach (SweepPoint point in sweep.Points)
        {
            VariantRuns? variant = run.Variants.FirstOrDefault(v => v.ClipMethod == point.ClipMethod);
            double[] values = variant is null ? [] : VariantStatistics.CompletedValues(variant, metric);
            if (values.Length == 0)
            {
                continue;
            }

            double x = Math.Log10(point.Threshold);
            DescriptiveStatistics statistics = DescriptiveStatistics.Of(values);
            xs.Add(x);
            medians.Add(statistics.Median);
            below.Add(statistics.Median - statistics.Min);
            above.Add(statistics.Max - statistics.Median);
            seedXs.AddRange(values.Select(_ => x));
            seedYs.AddRange(values);
            allY.AddRange(values);
        }

        Color color = ChartRenderer.Palette.GetColor(1);
        var seedsPlot = plot.Add.ScatterPoints(seedXs.ToArray(), seedYs.ToArray(), Colors.Gray.WithOpacity(0.6));
        seedsPlot.MarkerSize = 4;
        seedsPlot.LegendText = "each seed";
        if (xs.Count > 0)
        {
            var errors = plot.Add.ErrorBar(xs, medians, below);
            errors.YErrorNegative = below;
            errors.YErrorPositive = above;
            errors.Color = color;
            errors.LegendText = "range over seeds";
        }

        var median = plot.Add.ScatterLine(xs.ToArray(), medians.ToArray(), color);
        median.LineWidth = 2;
        median.MarkerSize = 8;
        median.MarkerShape = MarkerShape.FilledCircle;
        median.LegendText = $"{sweep.Method}: median over seeds";

        // the unclipped median as the reference
        VariantRuns? reference = run.Variants.FirstOrDefault(v => v.ClipMethod == sweep.ReferenceClipMethod);
        double[] referenceValues = reference is null ? [] : VariantStatistics.CompletedValues(reference, metric);
        if (referenceValues.Length > 0)
        {
            double referenceMedian = DescriptiveStatistics.Of(referenceValues).Median;
            var line = plot.Add.HorizontalLine(referenceMedian, 2, ChartRenderer.Palette.GetColor(0), LinePattern.Dashed);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"unclipped ({sweep.ReferenceClipMethod}) median: {ReportFormat.Metric(referenceMedian)}");
            allY.Add(referenceMedian);
        }

        // thresholds as tick labels; half a decade of margin keeps the end markers inside the frame
        var ticks = new NumericManual();
        foreach (SweepPoint point in sweep.Points)
        {
            ticks.AddMajor(Math.Log10(point.Threshold), ReportFormat.Threshold(point.Threshold));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        double[] logThresholds = sweep.Points.Select(p => Math.Log10(p.Threshold)).ToArray();
        if (logThresholds.Length > 0)
        {
            plot.Axes.SetLimitsX(logThresholds.Min() - 0.5, logThresholds.Max() + 0.5);
        }

        plot.Axes.SetLimitsY(0, metric == SeedMetric.TestAccuracy ? 1 : ChartRenderer.UpperLimit(allY));
        plot.ShowLegend(Edge.Bottom);
        charts.Save(plot, pathWithoutExtension);
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
