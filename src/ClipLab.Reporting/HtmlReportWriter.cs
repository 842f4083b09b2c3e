using ClipLab.Reporting.Reports;

namespace ClipLab.Reporting;

/// <summary>
/// Writes <c>report.html</c>: the content of <c>report.md</c> as one self-contained page that a
/// browser shows offline. Styles are inline, every chart is inlined as SVG from the run folder,
/// and the page has no scripts and loads no fonts, images or other files.
/// </summary>
/// <remarks>
/// Charts are read from the .svg files that <see cref="ChartRenderer"/> wrote, so
/// <see cref="RunWriter"/> writes the page after them. A chart file that is missing or unreadable
/// becomes a one-line message in the page. Each chart's element ids get a prefix of their own,
/// because two inline SVGs with the same clip path id would clip each other's curves.
/// </remarks>
public static class HtmlReportWriter
{
    /// <summary>Builds the HTML text of the report.</summary>
    /// <param name="runFolderPath">The run folder, from which the chart SVG files are read.</param>
    /// <param name="title">Report title.</param>
    /// <param name="run">The run's settings, seeds and results.</param>
    /// <returns>The HTML text, ending with a line feed.</returns>
    /// <exception cref="ArgumentException"><paramref name="runFolderPath"/> or <paramref name="title"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public static string Build(string runFolderPath, string title, RunResults run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runFolderPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(run);

        return HtmlRenderer.Render(ReportBuilder.Build(title, run), runFolderPath);
    }

    /// <summary>Writes <c>report.html</c> atomically, replacing any existing file.</summary>
    /// <param name="path">File path at the root of the run folder.</param>
    /// <param name="title">Report title.</param>
    /// <param name="run">The run's settings, seeds and results.</param>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void Write(string path, string title, RunResults run)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        string runFolderPath = Path.GetDirectoryName(Path.GetFullPath(path))!;
        AtomicFile.WriteAllText(path, Build(runFolderPath, title, run));
    }
}
