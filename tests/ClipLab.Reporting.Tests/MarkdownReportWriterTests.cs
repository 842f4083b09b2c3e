using System.Text.RegularExpressions;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public class MarkdownReportWriterTests
{
    [Fact]
    public void Report_Build_HasOneTableRowPerVariant()
    {
        VariantResult unclipped = FakeResults.Unclipped();
        VariantResult clipped = FakeResults.Clipped();

        string report = MarkdownReportWriter.Build("ClipLab run test", new ExperimentConfig(), [unclipped, clipped]);

        string[] rows = report.Split('\n').Where(line => line.StartsWith("| unclipped |") || line.StartsWith("| clipped |")).ToArray();
        Assert.Equal(2, rows.Length);
        string expectedUnclipped = string.Join(
            " | ",
            "| unclipped",
            "none",
            unclipped.Validation[^1].Loss.ToString("F4"),
            unclipped.Validation[^1].Accuracy.ToString("F4"),
            unclipped.MeanLastLoss(10).ToString("F4"),
            unclipped.MeanLastAccuracy(10).ToString("F4"),
            unclipped.TestLoss.ToString("F4"),
            unclipped.TestAccuracy.ToString("F4"),
            unclipped.WallTime.TotalSeconds.ToString("F2"),
            "0.0 %",
            "0",
            "completed |");
        Assert.Equal(expectedUnclipped, rows[0]);
        Assert.Contains("| 100.0 % | 0 | completed |", rows[1]);
    }

    [Fact]
    public void Report_Build_ContainsEveryLogLine()
    {
        VariantResult unclipped = FakeResults.Unclipped();
        VariantResult clipped = FakeResults.Clipped();

        string report = MarkdownReportWriter.Build("ClipLab run test", new ExperimentConfig(), [unclipped, clipped]);

        string logSection = report[report.IndexOf("## Log", StringComparison.Ordinal)..];
        string[] expected = unclipped.Validation.Concat(clipped.Validation).Select(ValidationLogFormatter.Format).ToArray();
        string[] logLines = logSection.Split('\n').Where(line => line.StartsWith("iter ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expected, logLines);
        Assert.Contains("iter   990  accuracy ", logSection);
    }

    [Fact]
    public void Report_Build_ListsSettings()
    {
        var config = new ExperimentConfig { Seed = 42, LearningRate = 0.005 };

        string report = MarkdownReportWriter.Build("ClipLab run test", config, [FakeResults.Unclipped()]);

        Assert.Contains("| seed | 42 |", report);
        Assert.Contains("| learning_rate | 0.005 |", report);
        Assert.Contains("| epsilon_placement | TensorFlow |", report);
    }

    [Fact]
    public void Report_StoppedVariant_HasNote()
    {
        VariantResult diverged = FakeResults.Diverged(stoppedAt: 412);

        string report = MarkdownReportWriter.Build("ClipLab run test", new ExperimentConfig(), [diverged, FakeResults.Clipped()]);

        Assert.Contains("> **Note:** variant `diverged` diverged after 413 steps: non-finite loss at iteration 412.", report);
        Assert.Contains("The last validation point is at iteration 410", report);
        string row = report.Split('\n').Single(line => line.StartsWith("| diverged |", StringComparison.Ordinal));
        Assert.Contains("| n/a | n/a |", row);
        Assert.EndsWith("| diverged |", row);
        Assert.Contains("Stopped early: non-finite loss at iteration 412", report);
    }

    [Fact]
    public void Report_FailureWithMarkup_IsEscaped()
    {
        VariantResult diverged = FakeResults.Diverged() with { Failure = "loss | grad *inf*\nat step 3" };

        string report = MarkdownReportWriter.Build("ClipLab run test", new ExperimentConfig(), [diverged]);

        Assert.Contains(@"loss \| grad \*inf\* at step 3", report);
    }

    [Fact]
    public void Report_NoResults_SaysSoWithoutCharts()
    {
        string report = MarkdownReportWriter.Build("ClipLab run test", new ExperimentConfig(), []);

        Assert.Contains("No variant produced results.", report);
        Assert.DoesNotContain("![", report);
    }

    [Fact]
    public void Report_ImageLinks_PointToExistingFiles()
    {
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare");

        RunWriter.WriteAll(run, new ExperimentConfig(), [FakeResults.Unclipped(), FakeResults.Clipped()]);

        string report = File.ReadAllText(run.GetPath("report.md"));
        string[] targets = Regex.Matches(report, @"\]\(([^)]+)\)").Select(match => match.Groups[1].Value).ToArray();
        string[] images = Regex.Matches(report, @"!\[[^\]]*\]\(([^)]+)\)").Select(match => match.Groups[1].Value).ToArray();
        Assert.Equal(7, images.Length);
        Assert.All(images, image => Assert.EndsWith(".png", image));
        Assert.Contains("grad-norm-after-overlay.png", images);
        Assert.Contains("unclipped/accuracy-loss.png", images);
        Assert.Contains("clipped/accuracy-loss.png", images);
        foreach (string target in targets)
        {
            Assert.False(Path.IsPathRooted(target), $"link '{target}' is not relative");
            Assert.True(File.Exists(Path.Combine(run.FullPath, target)), $"link '{target}' points to a missing file");
        }
    }
}
