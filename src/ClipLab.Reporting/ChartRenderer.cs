using System.Globalization;
using ClipLab.Training;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace ClipLab.Reporting;

/// <summary>
/// Renders the comparison charts with ScottPlot 5 and writes each one as PNG and SVG through
/// <see cref="AtomicFile"/>.
/// </summary>
/// <remarks>
/// Non-finite values (a diverged loss or gradient norm) cannot be placed on an axis, so the
/// charts leave them out, and a curve that ends in NaN simply stops there. The report and the
/// CSV files keep the non-finite values. Curves of several variants take the colors of
/// ScottPlot's Category10 palette in the order the variants are given, so a variant has the same
/// color in every overlay.
/// </remarks>
public sealed class ChartRenderer
{
    /// <summary>Gradient norms are plotted on a log scale when the largest finite positive norm is at least this many times the smallest.</summary>
    public const double LogScaleRatio = 100;

    /// <summary>Curves with at most this many points get markers, so that a curve of one point is still visible.</summary>
    internal const int FewPointsLimit = 25;

    /// <summary>Iteration axes reach at least this far, so that runs of a few steps do not get fractional iteration ticks.</summary>
    private const double MinIterationAxis = 10;

    internal static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>
    /// Sans-serif families tried in order. SkiaSharp.NativeAssets.Linux.NoDependencies is built
    /// without fontconfig, so Skia's default typeface, which ScottPlot 5.1.59 uses, is the first
    /// font file Skia finds: DejaVu Serif on Debian 12 with the DejaVu fonts.
    /// </summary>
    private static readonly string[] SansFontCandidates =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Segoe UI", "Arial", "Helvetica"];

    /// <summary>First installed family of <see cref="SansFontCandidates"/>, or null to keep ScottPlot's choice.</summary>
    private static readonly Lazy<string?> SansFont = new(() => SansFontCandidates.FirstOrDefault(IsInstalled));

    /// <summary>Image width in pixels (PNG) or user units (SVG); default 900.</summary>
    public int Width { get; init; } = 900;

    /// <summary>Image height in pixels (PNG) or user units (SVG); default 540.</summary>
    public int Height { get; init; } = 540;

    /// <summary>
    /// Writes the classic figure of one variant: validation accuracy (red, left axis, fixed to
    /// [0, 1]) and validation loss (green, right axis, from 0) against iteration.
    /// </summary>
    /// <param name="variant">The variant to draw.</param>
    /// <param name="pathWithoutExtension">Output path without extension; ".png" and ".svg" are appended.</param>
    /// <exception cref="IOException">Writing a file failed.</exception>
    public void WriteAccuracyLoss(VariantResult variant, string pathWithoutExtension)
    {
        ArgumentNullException.ThrowIfNull(variant);

        using Plot plot = CreatePlot();
        string title = variant.Completed
            ? $"{variant.Name}: validation accuracy and loss"
            : $"{variant.Name}: validation accuracy and loss (stopped early)";
        plot.Title(title);
        plot.XLabel("iteration");

        // accuracy on the left axis
        var (accuracyX, accuracyY) = FiniteValidation(variant, point => point.Accuracy);
        var accuracy = plot.Add.ScatterLine(accuracyX, accuracyY, Colors.Red);
        accuracy.LineWidth = 2;
        ShowMarkersIfFew(accuracy, accuracyX.Length);
        accuracy.LegendText = "validation accuracy";
        plot.Axes.Left.Label.Text = "accuracy (share of batch correct)";
        plot.Axes.Left.Label.ForeColor = Colors.Red;
        plot.Axes.SetLimitsY(0, 1, plot.Axes.Left);

        // loss on the right axis
        var (lossX, lossY) = FiniteValidation(variant, point => point.Loss);
        var loss = plot.Add.ScatterLine(lossX, lossY, Colors.Green);
        loss.LineWidth = 2;
        ShowMarkersIfFew(loss, lossX.Length);
        loss.LegendText = "validation loss";
        loss.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "loss (cross-entropy, nats)";
        plot.Axes.Right.Label.ForeColor = Colors.Green;
        plot.Axes.SetLimitsY(0, UpperLimit(lossY), plot.Axes.Right);

        SetIterationLimits(plot, accuracyX.Concat(lossX));
        plot.ShowLegend(Edge.Bottom);
        Save(plot, pathWithoutExtension);
    }

    /// <summary>Writes the validation loss curves of all variants on one chart, with the y axis starting at 0.</summary>
    /// <param name="variants">The variants to overlay, in legend order.</param>
    /// <param name="pathWithoutExtension">Output path without extension; ".png" and ".svg" are appended.</param>
    /// <exception cref="IOException">Writing a file failed.</exception>
    public void WriteLossOverlay(IReadOnlyList<VariantResult> variants, string pathWithoutExtension)
    {
        ArgumentNullException.ThrowIfNull(variants);

        using Plot plot = CreatePlot();
        plot.Title("Validation loss");
        plot.XLabel("iteration");
        plot.YLabel("loss (cross-entropy, nats)");

        var allX = new List<double>();
        var allY = new List<double>();
        for (int i = 0; i < variants.Count; i++)
        {
            var (xs, ys) = FiniteValidation(variants[i], point => point.Loss);
            AddValidationCurve(plot, variants[i], i, xs, ys);
            allX.AddRange(xs);
            allY.AddRange(ys);
        }

        plot.Axes.SetLimitsY(0, UpperLimit(allY));
        SetIterationLimits(plot, allX);
        plot.ShowLegend(Edge.Bottom);
        Save(plot, pathWithoutExtension);
    }

    /// <summary>Writes the validation accuracy curves of all variants on one chart, with the y axis fixed to [0, 1].</summary>
    /// <param name="variants">The variants to overlay, in legend order.</param>
    /// <param name="pathWithoutExtension">Output path without extension; ".png" and ".svg" are appended.</param>
    /// <exception cref="IOException">Writing a file failed.</exception>
    public void WriteAccuracyOverlay(IReadOnlyList<VariantResult> variants, string pathWithoutExtension)
    {
        ArgumentNullException.ThrowIfNull(variants);

        using Plot plot = CreatePlot();
        plot.Title("Validation accuracy");
        plot.XLabel("iteration");
        plot.YLabel("accuracy (share of batch correct)");

        var allX = new List<double>();
        for (int i = 0; i < variants.Count; i++)
        {
            var (xs, ys) = FiniteValidation(variants[i], point => point.Accuracy);
            AddValidationCurve(plot, variants[i], i, xs, ys);
            allX.AddRange(xs);
        }

        plot.Axes.SetLimitsY(0, 1);
        SetIterationLimits(plot, allX);
        plot.ShowLegend(Edge.Bottom);
        Save(plot, pathWithoutExtension);
    }

    /// <summary>
    /// Writes the global gradient L2 norm before clipping, per training step, of all variants.
    /// The y axis is logarithmic when the norms span at least <see cref="LogScaleRatio"/>.
    /// </summary>
    /// <param name="variants">The variants to overlay, in legend order.</param>
    /// <param name="pathWithoutExtension">Output path without extension; ".png" and ".svg" are appended.</param>
    /// <exception cref="IOException">Writing a file failed.</exception>
    /// <remarks>
    /// On the log scale, steps with a norm of 0 are left out because they have no logarithm.
    /// ScottPlot 5.1 has no logarithmic axis type, so the chart plots log10(norm) and labels the
    /// ticks with the norms themselves.
    /// </remarks>
    public void WriteGradNormOverlay(IReadOnlyList<VariantResult> variants, string pathWithoutExtension) =>
        WriteNormOverlay(variants, pathWithoutExtension, "Gradient norm before clipping", step => step.Clip.NormBefore);

    /// <summary>
    /// Writes the global gradient L2 norm after clipping, per training step, of all variants, on
    /// the same kind of axis as <see cref="WriteGradNormOverlay"/>. Steps that were skipped or
    /// stopped because of a non-finite gradient have no norm after clipping and are left out.
    /// </summary>
    /// <param name="variants">The variants to overlay, in legend order.</param>
    /// <param name="pathWithoutExtension">Output path without extension; ".png" and ".svg" are appended.</param>
    /// <exception cref="IOException">Writing a file failed.</exception>
    public void WriteGradNormAfterOverlay(IReadOnlyList<VariantResult> variants, string pathWithoutExtension) =>
        WriteNormOverlay(variants, pathWithoutExtension, "Gradient norm after clipping", step => step.Clip.NormAfter);

    private void WriteNormOverlay(IReadOnlyList<VariantResult> variants, string pathWithoutExtension, string title, Func<StepRecord, double> selectNorm)
    {
        ArgumentNullException.ThrowIfNull(variants);

        var curves = variants.Select(variant =>
        {
            var (xs, ys) = FiniteSteps(variant, selectNorm);
            return new ChartCurve(LegendText(variant), xs, ys);
        }).ToList();
        WriteNormCurves(curves, pathWithoutExtension, title);
    }

    /// <summary>Writes per-step norm curves, on a log scale when they span at least <see cref="LogScaleRatio"/>.</summary>
    internal void WriteNormCurves(IReadOnlyList<ChartCurve> curves, string pathWithoutExtension, string title)
    {
        double[] positive = curves.SelectMany(curve => curve.Ys).Where(norm => norm > 0).ToArray();
        bool logScale = positive.Length > 0 && positive.Max() >= LogScaleRatio * positive.Min();

        using Plot plot = CreatePlot();
        plot.Title(title);
        plot.XLabel("iteration");
        plot.YLabel(logScale ? "global L2 norm of gradients (log scale)" : "global L2 norm of gradients");

        var allX = new List<double>();
        for (int i = 0; i < curves.Count; i++)
        {
            var (xs, ys) = (curves[i].Xs, curves[i].Ys);
            if (logScale)
            {
                (xs, ys) = Log10OfPositive(xs, ys);
            }

            AddStepCurve(plot, curves[i].Legend, i, xs, ys);
            allX.AddRange(xs);
        }

        if (logScale)
        {
            plot.Axes.Left.TickGenerator = new NumericAutomatic
            {
                IntegerTicksOnly = true,
                LabelFormatter = exponent => Math.Pow(10, exponent).ToString("G3", CultureInfo.InvariantCulture),
                MinorTickGenerator = new LogMinorTickGenerator(),
            };
        }
        else
        {
            plot.Axes.SetLimitsY(0, UpperLimit(curves.SelectMany(curve => curve.Ys)));
        }

        SetIterationLimits(plot, allX);
        plot.ShowLegend(Edge.Bottom);
        Save(plot, pathWithoutExtension);
    }

    /// <summary>Writes the share of gradient components that clipping changed, per training step, of all variants, on [0, 1].</summary>
    /// <param name="variants">The variants to overlay, in legend order.</param>
    /// <param name="pathWithoutExtension">Output path without extension; ".png" and ".svg" are appended.</param>
    /// <exception cref="IOException">Writing a file failed.</exception>
    public void WriteClippedShareOverlay(IReadOnlyList<VariantResult> variants, string pathWithoutExtension)
    {
        ArgumentNullException.ThrowIfNull(variants);

        var curves = variants.Select(variant =>
        {
            var (xs, ys) = FiniteSteps(variant, step => step.Clip.ClippedShare);
            return new ChartCurve(LegendText(variant), xs, ys);
        }).ToList();
        WriteShareCurves(curves, pathWithoutExtension, "Share of gradient components changed by clipping");
    }

    /// <summary>Writes per-step curves of a share in [0, 1].</summary>
    internal void WriteShareCurves(IReadOnlyList<ChartCurve> curves, string pathWithoutExtension, string title)
    {
        using Plot plot = CreatePlot();
        plot.Title(title);
        plot.XLabel("iteration");
        plot.YLabel("clipped components / all components");

        var allX = new List<double>();
        for (int i = 0; i < curves.Count; i++)
        {
            AddStepCurve(plot, curves[i].Legend, i, curves[i].Xs, curves[i].Ys);
            allX.AddRange(curves[i].Xs);
        }

        // Room beyond [0, 1] keeps curves at 0 (an unclipped variant) and 1 off the frame.
        plot.Axes.SetLimitsY(-0.03, 1.05);
        SetIterationLimits(plot, allX);
        plot.ShowLegend(Edge.Bottom);
        Save(plot, pathWithoutExtension);
    }

    private static bool IsInstalled(string family)
    {
        using SKTypeface? typeface = SKFontManager.Default.MatchFamily(family);
        return typeface is not null;
    }

    internal static Plot CreatePlot()
    {
        var plot = new Plot();
        if (SansFont.Value is string family)
        {
            plot.Font.Set(family);
        }

        return plot;
    }

    private static void AddValidationCurve(Plot plot, VariantResult variant, int index, double[] xs, double[] ys)
    {
        var curve = plot.Add.ScatterLine(xs, ys, Palette.GetColor(index));
        curve.LineWidth = 2;
        ShowMarkersIfFew(curve, xs.Length);
        curve.LegendText = LegendText(variant);
    }

    private static void AddStepCurve(Plot plot, string legend, int index, double[] xs, double[] ys)
    {
        if (xs.Length <= FewPointsLimit)
        {
            // SignalXY rejects empty data and draws a lone point as nothing, so short curves are
            // scatter lines with markers; an empty one still gives the variant its legend entry.
            var scatter = plot.Add.ScatterLine(xs, ys, Palette.GetColor(index));
            ShowMarkersIfFew(scatter, xs.Length);
            scatter.LegendText = legend;
            return;
        }

        // SignalXY draws one vertical span per pixel column, so PNG and SVG stay small for long runs.
        var curve = plot.Add.SignalXY(xs, ys, Palette.GetColor(index));
        curve.LineWidth = 1;
        curve.LegendText = legend;
    }

    /// <summary>Draws markers on a curve of at most <see cref="FewPointsLimit"/> points; a line between one or two points alone is invisible or easy to miss.</summary>
    internal static void ShowMarkersIfFew(ScottPlot.Plottables.Scatter curve, int pointCount)
    {
        if (pointCount <= FewPointsLimit)
        {
            curve.MarkerSize = 7;
            curve.MarkerShape = MarkerShape.FilledCircle;
        }
    }

    // The clipping method is what the user typed; the variant name is only its folder-safe form.
    private static string LegendText(VariantResult variant) =>
        variant.Completed ? variant.ClipMethod : $"{variant.ClipMethod} (stopped early)";

    private static (double[] Xs, double[] Ys) FiniteValidation(VariantResult variant, Func<ValidationPoint, double> select)
    {
        var points = variant.Validation.Where(point => double.IsFinite(select(point))).ToArray();
        return (points.Select(point => (double)point.Iteration).ToArray(), points.Select(select).ToArray());
    }

    private static (double[] Xs, double[] Ys) FiniteSteps(VariantResult variant, Func<StepRecord, double> select)
    {
        var steps = variant.Steps.Where(step => double.IsFinite(select(step))).ToArray();
        return (steps.Select(step => (double)step.Iteration).ToArray(), steps.Select(select).ToArray());
    }

    internal static (double[] Xs, double[] Ys) Log10OfPositive(double[] xs, double[] ys)
    {
        var positiveIndices = Enumerable.Range(0, xs.Length).Where(i => ys[i] > 0).ToArray();
        return (positiveIndices.Select(i => xs[i]).ToArray(), positiveIndices.Select(i => Math.Log10(ys[i])).ToArray());
    }

    /// <summary>Returns 5 % above the largest value, or 1 when there is no positive value.</summary>
    internal static double UpperLimit(IEnumerable<double> values)
    {
        double max = values.DefaultIfEmpty(0).Max();
        return max > 0 ? max * 1.05 : 1;
    }

    /// <summary>
    /// Sets the x axis from iteration 0 to the last iteration, but at least to
    /// <see cref="MinIterationAxis"/>. When there are few points, and so markers, a margin of 3 %
    /// keeps the markers at both ends inside the frame.
    /// </summary>
    internal static void SetIterationLimits(Plot plot, IEnumerable<double> iterations)
    {
        double[] all = iterations.ToArray();
        double upper = Math.Max(all.DefaultIfEmpty(0).Max(), MinIterationAxis);
        double margin = all.Length <= FewPointsLimit ? upper * 0.03 : 0;
        plot.Axes.SetLimitsX(-margin, upper + margin);
    }

    internal void Save(Plot plot, string pathWithoutExtension)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathWithoutExtension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Height);

        AtomicFile.WriteAllBytes(pathWithoutExtension + RunFileNames.PngExtension, plot.GetImageBytes(Width, Height, ImageFormat.Png));
        AtomicFile.WriteAllText(pathWithoutExtension + RunFileNames.SvgExtension, plot.GetSvgXml(Width, Height));
    }
}
