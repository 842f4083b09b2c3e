using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes every output of a run into its run folder: per variant <c>metrics.csv</c>,
/// <c>steps.csv</c> and the accuracy-loss chart, then the overlay charts, <c>summary.json</c>,
/// <c>report.html</c> and <c>report.md</c>. File names are those of <see cref="RunFileNames"/>.
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
    /// <returns>The appender; dispose it before <see cref="WriteAll(RunFolder, RunResults, ChartRenderer?)"/> rewrites the same file from the final result.</returns>
    /// <exception cref="ArgumentException"><paramref name="variantName"/> cannot be a folder name.</exception>
    /// <exception cref="IOException">The file already exists or cannot be created.</exception>
    public static MetricsCsvAppender OpenMetricsAppender(RunFolder run, string variantName)
    {
        ArgumentNullException.ThrowIfNull(run);

        string variantPath = run.CreateVariantDirectory(variantName);
        return MetricsCsvAppender.Create(Path.Combine(variantPath, RunFileNames.MetricsCsv));
    }

    /// <summary>Writes all files of a run with one seed; see <see cref="WriteAll(RunFolder, RunResults, ChartRenderer?)"/>.</summary>
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

        return WriteAll(run, RunResults.FromSingleSeed(config, results), charts);
    }

    /// <summary>
    /// Writes all files of a run with any number of seeds. Each file is written atomically, and
    /// <c>report.html</c> and then <c>report.md</c> come last.
    /// </summary>
    /// <param name="run">The run folder.</param>
    /// <param name="results">
    /// The run's settings, seeds and results, including runs that stopped early and seeds that
    /// did not run. Variant names must be distinct folder names (letters, digits, '.', '_', '-').
    /// </param>
    /// <param name="charts">Chart renderer to use; null uses 900 x 540 images.</param>
    /// <returns>Absolute paths of the files written, in writing order.</returns>
    /// <exception cref="ArgumentException">A variant name is invalid or appears twice, a variant lacks an entry per seed, or a seed repeats.</exception>
    /// <exception cref="IOException">Writing a file failed; files written before it remain.</exception>
    /// <exception cref="UnauthorizedAccessException">The run folder does not allow creating files.</exception>
    /// <remarks>
    /// Per-run files go to the folder that <see cref="RunLayout"/> names: VARIANT/ for one seed,
    /// VARIANT/seed-S/ for several. <c>metrics.csv</c> and <c>steps.csv</c> are rewritten from the
    /// result, which replaces the streamed copies with the same rows. A seed that did not run
    /// gets no files. With several seeds, the overlay charts show each variant's mean over the
    /// seeds, with a band from the minimum to the maximum for the validation curves. A sweep
    /// adds the two charts against the threshold. With no variants, only <c>summary.json</c> and
    /// reports without charts are written.
    /// </remarks>
    public static IReadOnlyList<string> WriteAll(RunFolder run, RunResults results, ChartRenderer? charts = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(results);
        results.Validate();
        charts ??= new ChartRenderer();

        var written = new List<string>();

        // per-run files
        foreach (VariantRuns variant in results.Variants)
        {
            for (int i = 0; i < results.Seeds.Count; i++)
            {
                if (variant.Results[i] is not VariantResult result)
                {
                    continue;
                }

                string runPath = RunLayout.CreateRunDirectory(run, variant.Name, results.Seeds[i], results.Seeds.Count);

                string metricsPath = Path.Combine(runPath, RunFileNames.MetricsCsv);
                MetricsCsvWriter.WriteMetrics(metricsPath, result.Validation);
                written.Add(metricsPath);

                string stepsPath = Path.Combine(runPath, RunFileNames.StepsCsv);
                MetricsCsvWriter.WriteSteps(stepsPath, result.Steps, result.ParameterNames);
                written.Add(stepsPath);

                string chartPath = Path.Combine(runPath, RunFileNames.AccuracyLossChart);
                charts.WriteAccuracyLoss(result, chartPath);
                AddChartPaths(written, chartPath);
            }
        }

        // overlays of all variants: the runs themselves for one seed, means over seeds for several
        if (results.Variants.Count > 0 && !results.UsesSeedFolders)
        {
            var single = results.Variants.Select(variant => variant.Results[0]).OfType<VariantResult>().ToList();
            WriteOverlay(run, written, RunFileNames.LossOverlayChart, path => charts.WriteLossOverlay(single, path));
            WriteOverlay(run, written, RunFileNames.AccuracyOverlayChart, path => charts.WriteAccuracyOverlay(single, path));
            WriteOverlay(run, written, RunFileNames.GradNormOverlayChart, path => charts.WriteGradNormOverlay(single, path));
            WriteOverlay(run, written, RunFileNames.GradNormAfterOverlayChart, path => charts.WriteGradNormAfterOverlay(single, path));
            WriteOverlay(run, written, RunFileNames.ClippedShareOverlayChart, path => charts.WriteClippedShareOverlay(single, path));
        }
        else if (results.Variants.Count > 0)
        {
            WriteOverlay(run, written, RunFileNames.LossOverlayChart, path => SeedChartRenderer.WriteValidationBands(charts, results, path, loss: true));
            WriteOverlay(run, written, RunFileNames.AccuracyOverlayChart, path => SeedChartRenderer.WriteValidationBands(charts, results, path, loss: false));
            foreach (string chart in new[] { RunFileNames.GradNormOverlayChart, RunFileNames.GradNormAfterOverlayChart, RunFileNames.ClippedShareOverlayChart })
            {
                WriteOverlay(run, written, chart, path => SeedChartRenderer.WriteStepMeans(charts, results, path, chart));
            }
        }

        if (results.Sweep is SweepDefinition sweep)
        {
            WriteOverlay(run, written, RunFileNames.SweepValidationLossChart, path => SweepChartRenderer.Write(charts, results, sweep, SeedMetric.FinalValidationLoss, path));
            WriteOverlay(run, written, RunFileNames.SweepTestAccuracyChart, path => SweepChartRenderer.Write(charts, results, sweep, SeedMetric.TestAccuracy, path));
        }

        // summary and reports; the reports go last so that every chart they link or inline exists
        string summaryPath = run.GetPath(RunFileNames.SummaryJson);
        SummaryJsonWriter.Write(summaryPath, results);
        written.Add(summaryPath);

        string title = $"ClipLab run {run.Name}";
        string htmlPath = run.GetPath(RunFileNames.ReportHtml);
        HtmlReportWriter.Write(htmlPath, title, results);
        written.Add(htmlPath);

        string reportPath = run.GetPath(RunFileNames.ReportMarkdown);
        MarkdownReportWriter.Write(reportPath, title, results);
        written.Add(reportPath);

        return written;
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
