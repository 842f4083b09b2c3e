namespace ClipLab.Reporting;

/// <summary>
/// Names of the files that <see cref="RunWriter"/> writes into a run folder. Per-variant files
/// go into <c>&lt;run folder&gt;/&lt;variant name&gt;/</c>; the others go into the run folder itself.
/// Charts are written twice, as <c>.png</c> and <c>.svg</c>, so their names here have no extension.
/// </summary>
public static class RunFileNames
{
    /// <summary>Per variant: one row per validation point.</summary>
    public const string MetricsCsv = "metrics.csv";

    /// <summary>Per variant: the trained weights in the safetensors format.</summary>
    public const string ModelSafetensors = "model.safetensors";

    /// <summary>Per variant: one row per training step with its clipping diagnostics.</summary>
    public const string StepsCsv = "steps.csv";

    /// <summary>Per variant: validation accuracy and loss against iteration on one chart.</summary>
    public const string AccuracyLossChart = "accuracy-loss";

    /// <summary>Validation loss of all variants overlaid.</summary>
    public const string LossOverlayChart = "loss-overlay";

    /// <summary>Validation accuracy of all variants overlaid.</summary>
    public const string AccuracyOverlayChart = "accuracy-overlay";

    /// <summary>Global gradient L2 norm before clipping, per step, of all variants overlaid.</summary>
    public const string GradNormOverlayChart = "grad-norm-overlay";

    /// <summary>Global gradient L2 norm after clipping, per step, of all variants overlaid.</summary>
    public const string GradNormAfterOverlayChart = "grad-norm-after-overlay";

    /// <summary>Share of gradient components changed by clipping, per step, of all variants overlaid.</summary>
    public const string ClippedShareOverlayChart = "clipped-share-overlay";

    /// <summary>Settings and per-variant summary numbers as JSON.</summary>
    public const string SummaryJson = "summary.json";

    /// <summary>The Markdown report with table, charts and log.</summary>
    public const string ReportMarkdown = "report.md";

    /// <summary>The same report as one self-contained HTML page with the charts inlined as SVG.</summary>
    public const string ReportHtml = "report.html";

    /// <summary>Every setting of the run, which <c>cliplab compare --config</c> and <c>cliplab sweep --config</c> read back to rerun it.</summary>
    public const string ConfigJson = "config.json";

    /// <summary>Sweep runs: final validation loss against the clipping threshold.</summary>
    public const string SweepValidationLossChart = "sweep-validation-loss";

    /// <summary>Sweep runs: test accuracy against the clipping threshold.</summary>
    public const string SweepTestAccuracyChart = "sweep-test-accuracy";

    /// <summary>Extension of the raster copy of every chart.</summary>
    public const string PngExtension = ".png";

    /// <summary>Extension of the vector copy of every chart.</summary>
    public const string SvgExtension = ".svg";
}
