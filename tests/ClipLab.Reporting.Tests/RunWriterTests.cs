using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public class RunWriterTests
{
    private static readonly string[] ExpectedFiles =
    [
        ".cliplab-run",
        "accuracy-overlay.png", "accuracy-overlay.svg",
        "clipped-share-overlay.png", "clipped-share-overlay.svg",
        "clipped/accuracy-loss.png", "clipped/accuracy-loss.svg", "clipped/metrics.csv", "clipped/steps.csv",
        "grad-norm-after-overlay.png", "grad-norm-after-overlay.svg",
        "grad-norm-overlay.png", "grad-norm-overlay.svg",
        "loss-overlay.png", "loss-overlay.svg",
        "report.html", "report.md", "summary.json",
        "unclipped/accuracy-loss.png", "unclipped/accuracy-loss.svg", "unclipped/metrics.csv", "unclipped/steps.csv",
    ];

    [Fact]
    public void RunWriter_WriteAll_WritesExpectedFiles()
    {
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare");

        IReadOnlyList<string> written = RunWriter.WriteAll(run, new ExperimentConfig(), [FakeResults.Unclipped(), FakeResults.Clipped()]);

        string[] present = Directory.GetFiles(run.FullPath, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(run.FullPath, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(ExpectedFiles.Order(StringComparer.Ordinal), present);
        Assert.Equal(ExpectedFiles.Length - 1, written.Count);
        Assert.Equal(run.GetPath("report.md"), written[^1]);
        Assert.Empty(temp.FindLeftovers());
    }

    [Fact]
    public void RunWriter_StreamedMetrics_EqualFinalFile()
    {
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare");
        VariantResult unclipped = FakeResults.Unclipped();
        using (MetricsCsvAppender appender = RunWriter.OpenMetricsAppender(run, unclipped.Name))
        {
            foreach (ValidationPoint point in unclipped.Validation)
            {
                appender.Append(point);
            }
        }

        string metricsPath = run.GetPath("unclipped/metrics.csv");
        byte[] streamed = File.ReadAllBytes(metricsPath);

        RunWriter.WriteAll(run, new ExperimentConfig(), [unclipped]);

        Assert.Equal(streamed, File.ReadAllBytes(metricsPath));
    }

    [Fact]
    public void RunWriter_DuplicateVariantNames_ThrowsBeforeWriting()
    {
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare");
        VariantResult first = FakeResults.Unclipped();
        VariantResult second = FakeResults.Clipped() with { Name = "Unclipped" };

        var error = Assert.Throws<ArgumentException>(() => RunWriter.WriteAll(run, new ExperimentConfig(), [first, second]));

        Assert.Contains("'Unclipped'", error.Message);
        Assert.Equal([Path.Combine(run.FullPath, RunFolder.MarkerFileName)], Directory.GetFileSystemEntries(run.FullPath));
    }

    [Fact]
    public void RunWriter_NoResults_WritesSummaryAndReport()
    {
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare");

        IReadOnlyList<string> written = RunWriter.WriteAll(run, new ExperimentConfig(), []);

        Assert.Equal([run.GetPath("summary.json"), run.GetPath("report.html"), run.GetPath("report.md")], written);
    }
}
