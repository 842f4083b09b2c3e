using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes every output of a run into its run folder: per variant <c>metrics.csv</c>,
/// <c>steps.csv</c> and the accuracy-loss chart, then the overlay charts, <c>summary.json</c>
/// and <c>report.md</c>. File names are those of <see cref="RunFileNames"/>.
/// </summary>
/// <remarks>
/// Typical use by a command:
/// <code>
/// RunFolder.EnsureWritable(outputDirectory);                 // before training
/// RunFolder run = RunFolder.Create(outputDirectory, "compare");
/// using (MetricsCsvAppender metrics = RunWriter.OpenMetricsAppender(run, "unclipped"))
/// {
///     // train, calling metrics.Append(point) for every validation point
/// }
/// RunWriter.WriteAll(run, config, results);
/// </code>
/// </remarks>
public static class RunWriter
{
    /// <summary>
    /// Creates the variant's folder and opens its <c>metrics.csv</c> for streaming validation
    /// points while the variant trains.
    /// </summary>
    /// <param name="run">The run folder.</param>
    /// <param name="variantName">Variant name, used as the folder name.</param>
    /// <returns>The appender; dispose it before <see cref="WriteAll"/> rewrites the same file from the final result.</returns>
    /// <exception cref="ArgumentException"><paramref name="variantName"/> cannot be a folder name.</exception>
    /// <exception cref="IOException">The file already exists or cannot be created.</exception>
    public static MetricsCsvAppender OpenMetricsAppender(RunFolder run, string variantName)
    {
        ArgumentNullException.ThrowIfNull(run);

        string variantPath = run.CreateVariantDirectory(variantName);
        return MetricsCsvAppender.Create(Path.Combine(variantPath, RunFileNames.MetricsCsv));
    }

    /// <summary>Writes all files of the run. Each file is written atomically, and <c>report.md</c> comes last.</summary>
    /// <param name="run">The run folder.</param>
    /// <param name="config">The settings of the run.</param>
    /// <param name="results">
    /// One result per variant, in report order, including variants that stopped early. Names
    /// must be distinct folder names (letters, digits, '.', '_', '-').
    /// </param>
    /// <param name="charts">Chart renderer to use; null uses 900 x 540 images.</param>
    /// <returns>Absolute paths of the files written, in writing order.</returns>
    /// <exception cref="ArgumentException">A variant name is invalid or appears twice.</exception>
    /// <exception cref="IOException">Writing a file failed; files written before it remain.</exception>
    /// <exception cref="UnauthorizedAccessException">The run folder does not allow creating files.</exception>
    /// <remarks>
    /// <c>metrics.csv</c> is rewritten from <see cref="VariantResult.Validation"/>, which replaces
    /// the streamed copy with the same rows. With no results, only <c>summary.json</c> and a
    /// report without charts are written.
    /// </remarks>
    public static IReadOnlyList<string> WriteAll(RunFolder run, ExperimentConfig config, IReadOnlyList<VariantResult> results, ChartRenderer? charts = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(results);
        ValidateVariantNames(results);
        charts ??= new ChartRenderer();

        var written = new List<string>();

        // per-variant files
        foreach (VariantResult result in results)
        {
            string variantPath = run.CreateVariantDirectory(result.Name);

            string metricsPath = Path.Combine(variantPath, RunFileNames.MetricsCsv);
            MetricsCsvWriter.WriteMetrics(metricsPath, result.Validation);
            written.Add(metricsPath);

            string stepsPath = Path.Combine(variantPath, RunFileNames.StepsCsv);
            MetricsCsvWriter.WriteSteps(stepsPath, result.Steps, result.ParameterNames);
            written.Add(stepsPath);

            string chartPath = Path.Combine(variantPath, RunFileNames.AccuracyLossChart);
            charts.WriteAccuracyLoss(result, chartPath);
            AddChartPaths(written, chartPath);
        }

        // overlays of all variants
        if (results.Count > 0)
        {
            WriteOverlay(run, written, RunFileNames.LossOverlayChart, path => charts.WriteLossOverlay(results, path));
            WriteOverlay(run, written, RunFileNames.AccuracyOverlayChart, path => charts.WriteAccuracyOverlay(results, path));
            WriteOverlay(run, written, RunFileNames.GradNormOverlayChart, path => charts.WriteGradNormOverlay(results, path));
            WriteOverlay(run, written, RunFileNames.GradNormAfterOverlayChart, path => charts.WriteGradNormAfterOverlay(results, path));
            WriteOverlay(run, written, RunFileNames.ClippedShareOverlayChart, path => charts.WriteClippedShareOverlay(results, path));
        }

        // summary and report; the report goes last so that every file it links exists
        string summaryPath = run.GetPath(RunFileNames.SummaryJson);
        SummaryJsonWriter.Write(summaryPath, config, results);
        written.Add(summaryPath);

        string reportPath = run.GetPath(RunFileNames.ReportMarkdown);
        MarkdownReportWriter.Write(reportPath, $"ClipLab run {run.Name}", config, results);
        written.Add(reportPath);

        return written;
    }

    private static void ValidateVariantNames(IReadOnlyList<VariantResult> results)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (VariantResult result in results)
        {
            ArgumentNullException.ThrowIfNull(result, nameof(results));
            RunFolder.ValidateVariantName(result.Name);

            // Case-insensitive because the folders would collide on Windows and macOS file systems.
            if (!seen.Add(result.Name))
            {
                throw new ArgumentException(
                    $"Variant name '{result.Name}' appears more than once (names are compared ignoring case). Give each variant its own name.",
                    nameof(results));
            }
        }
    }

    private static void WriteOverlay(RunFolder run, List<string> written, string chartName, Action<string> writeChart)
    {
        string chartPath = run.GetPath(chartName);
        writeChart(chartPath);
        AddChartPaths(written, chartPath);
    }

    private static void AddChartPaths(List<string> written, string chartPath)
    {
        written.Add(chartPath + RunFileNames.PngExtension);
        written.Add(chartPath + RunFileNames.SvgExtension);
    }
}
