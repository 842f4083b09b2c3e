using System.Globalization;
using ClipLab.Training;
using ScottPlot;

namespace ClipLab.Reporting;

/// <summary>
/// Draws the overlay charts of a run with several seeds: per variant the mean validation curve
/// over the seeds with a band from the minimum to the maximum, and the mean of each per-step
/// diagnostic.
/// </summary>
/// <remarks>
/// At each iteration the mean, minimum and maximum cover the seeds that have a finite value
/// there, so a run that stopped early or diverged leaves the statistics from that iteration on.
/// </remarks>
internal static class SeedChartRenderer
{
    private const double BandOpacity = 0.18;

    public static void WriteValidationBands(ChartRenderer charts, RunResults run, string pathWithoutExtension, bool loss)
    {
        using Plot plot = ChartRenderer.CreatePlot();
        string seeds = string.Create(CultureInfo.InvariantCulture, $"{run.Seeds.Count} seeds");
        plot.Title(loss ? $"Validation loss: mean over {seeds}, band from min to max" : $"Validation accuracy: mean over {seeds}, band from min to max");
        plot.XLabel("iteration");
        plot.YLabel(loss ? "loss (cross-entropy, nats)" : "accuracy (share of batch correct)");

        var allX = new List<double>();
        var allY = new List<double>();
        for (int i = 0; i < run.Variants.Count; i++)
        {
            VariantRuns variant = run.Variants[i];
            var points = Aggregate(variant, result => result.Validation.Select(p => (p.Iteration, loss ? p.Loss : p.Accuracy)));
            double[] xs = points.Select(p => p.Iteration).ToArray();
            Color color = ChartRenderer.Palette.GetColor(i);
            if (xs.Length > 1)
            {
                var band = plot.Add.FillY(xs, points.Select(p => p.Min).ToArray(), points.Select(p => p.Max).ToArray());
                band.FillColor = color.WithOpacity(BandOpacity);
                band.LineWidth = 0;
            }

            var mean = plot.Add.ScatterLine(xs, points.Select(p => p.Mean).ToArray(), color);
            mean.LineWidth = 2;
            ChartRenderer.ShowMarkersIfFew(mean, xs.Length);
            mean.LegendText = Legend(run, variant);

            allX.AddRange(xs);
            allY.AddRange(points.Select(p => p.Max));
        }

        plot.Axes.SetLimitsY(0, loss ? ChartRenderer.UpperLimit(allY) : 1);
        ChartRenderer.SetIterationLimits(plot, allX);
        plot.ShowLegend(Edge.Bottom);
        charts.Save(plot, pathWithoutExtension);
    }

    public static void WriteStepMeans(ChartRenderer charts, RunResults run, string pathWithoutExtension, string chartName)
    {
        string seeds = string.Create(CultureInfo.InvariantCulture, $" (mean over {run.Seeds.Count} seeds)");
        Func<StepRecord, double> select = chartName switch
        {
            RunFileNames.GradNormOverlayChart => step => step.Clip.NormBefore,
            RunFileNames.GradNormAfterOverlayChart => step => step.Clip.NormAfter,
            _ => step => step.Clip.ClippedShare,
        };
        var curves = run.Variants.Select(variant =>
        {
            var points = Aggregate(variant, result => result.Steps.Select(step => (step.Iteration, select(step))));
            return new ChartCurve(Legend(run, variant), points.Select(p => p.Iteration).ToArray(), points.Select(p => p.Mean).ToArray());
        }).ToList();

        switch (chartName)
        {
            case RunFileNames.GradNormOverlayChart:
                charts.WriteNormCurves(curves, pathWithoutExtension, "Gradient norm before clipping" + seeds);
                break;
            case RunFileNames.GradNormAfterOverlayChart:
                charts.WriteNormCurves(curves, pathWithoutExtension, "Gradient norm after clipping" + seeds);
                break;
            default:
                charts.WriteShareCurves(curves, pathWithoutExtension, "Share of gradient components changed by clipping" + seeds);
                break;
        }
    }

    /// <summary>Mean, minimum and maximum over the seeds at each iteration that has at least one finite value.</summary>
    private static List<(double Iteration, double Mean, double Min, double Max)> Aggregate(
        VariantRuns variant, Func<VariantResult, IEnumerable<(int Iteration, double Value)>> select)
    {
        return variant.Results
            .Where(result => result is not null)
            .SelectMany(result => select(result!))
            .Where(point => double.IsFinite(point.Value))
            .GroupBy(point => point.Iteration)
            .OrderBy(group => group.Key)
            .Select(group => ((double)group.Key, group.Average(p => p.Value), group.Min(p => p.Value), group.Max(p => p.Value)))
            .ToList();
    }

    private static string Legend(RunResults run, VariantRuns variant)
    {
        int completed = Enumerable.Range(0, variant.Results.Count).Count(i => variant.StatusOf(i) == RunStatus.Completed);
        return completed == run.Seeds.Count
            ? variant.ClipMethod
            : string.Create(CultureInfo.InvariantCulture, $"{variant.ClipMethod} ({completed} of {run.Seeds.Count} seeds completed)");
    }
}
