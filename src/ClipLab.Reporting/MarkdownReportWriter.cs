using ClipLab.Reporting.Reports;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes <c>report.md</c>: a note when the run is incomplete, the settings, the summary table,
/// notes on runs that stopped early, for several seeds the seed statistics, dead networks and
/// Mann-Whitney U tests, for a sweep the sweep table, then the charts and the validation log of
/// every run.
/// </summary>
/// <remarks>
/// Image links are relative to the run folder and follow <see cref="RunFileNames"/> and
/// <see cref="RunLayout"/>, so the report must sit at the root of a run folder whose charts
/// <see cref="ChartRenderer"/> wrote. <see cref="RunWriter"/> does both. Loss and accuracy are
/// rounded to 4 decimals, like the log. "n/a" marks a number that was not measured.
/// <see cref="HtmlReportWriter"/> writes the same content as HTML.
/// </remarks>
public static class MarkdownReportWriter
{
    /// <summary>Builds the Markdown text of the report of a run with one seed.</summary>
    /// <param name="title">Report title, for example "ClipLab run 2026-12-04_19-58-01_compare".</param>
    /// <param name="config">The settings of the run.</param>
    /// <param name="results">One result per variant, in report order.</param>
    /// <returns>The Markdown text, ending with a line feed.</returns>
    /// <exception cref="ArgumentException"><paramref name="title"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string Build(string title, ExperimentConfig config, IReadOnlyList<VariantResult> results) =>
        Build(title, RunResults.FromSingleSeed(config, results));

    /// <summary>Builds the Markdown text of the report of a run with any number of seeds.</summary>
    /// <param name="title">Report title.</param>
    /// <param name="run">The run's settings, seeds and results.</param>
    /// <returns>The Markdown text, ending with a line feed.</returns>
    /// <exception cref="ArgumentException"><paramref name="title"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public static string Build(string title, RunResults run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(run);

        return MarkdownRenderer.Render(ReportBuilder.Build(title, run));
    }

    /// <summary>Writes <c>report.md</c> of a run with one seed atomically, replacing any existing file.</summary>
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

    /// <summary>Writes <c>report.md</c> atomically, replacing any existing file.</summary>
    /// <param name="path">File path at the root of the run folder.</param>
    /// <param name="title">Report title.</param>
    /// <param name="run">The run's settings, seeds and results.</param>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void Write(string path, string title, RunResults run)
    {
        AtomicFile.WriteAllText(path, Build(title, run));
    }
}
