namespace ClipLab.Cli.Tests;

public sealed class CompareCommandTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Compare_DefaultSettings_WritesEveryOutput()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(RunTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path);

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}");
        string run = Assert.Single(Directory.GetDirectories(output.Path));
        foreach (string file in new[]
        {
            "report.md", "summary.json",
            "loss-overlay.png", "loss-overlay.svg", "accuracy-overlay.png", "accuracy-overlay.svg",
            "none/metrics.csv", "none/steps.csv", "none/accuracy-loss.png", "none/accuracy-loss.svg",
            "value_0.001/metrics.csv", "value_0.001/steps.csv", "value_0.001/accuracy-loss.png", "value_0.001/accuracy-loss.svg",
        })
        {
            string path = Path.Combine(run, file);
            Assert.True(File.Exists(path), $"{file} is missing from {run}");
            Assert.True(new FileInfo(path).Length > 0, $"{file} is empty");
        }

        foreach (string variant in new[] { "none", "value_0.001" })
        {
            string[] lines = File.ReadAllLines(Path.Combine(run, variant, "metrics.csv"));
            Assert.Equal("iteration,loss,accuracy", lines[0]);
            Assert.Equal(100, lines.Length - 1);
            Assert.StartsWith("990,", lines[^1]);
        }

        string[] logLines = result.StandardOutput.Split('\n').Where(l => l.StartsWith("iter ")).ToArray();
        Assert.Equal(200, logLines.Length);
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.Contains("loss-overlay.png", report);
        Assert.Contains(logLines[0].TrimEnd(), report);
    }

    [Theory]
    [InlineData("--batch-size", "0")]
    [InlineData("--steps", "-5")]
    [InlineData("--eval-every", "0")]
    [InlineData("--eval-batch-size", "5001")]
    [InlineData("--lr", "-0.01")]
    [InlineData("--lr", "NaN")]
    [InlineData("--clip-value", "-1")]
    [InlineData("--threads", "0")]
    [InlineData("--steps", "many")]
    public void Compare_InvalidOption_ExitsTwoNamingOption(string option, string value)
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    [Theory]
    [InlineData("value:0.5,-0.5", "above the upper limit")]
    [InlineData("clip:1", "Unknown clipping method")]
    [InlineData("value:-1", "-1")]
    public void Compare_InvalidVariant_ExitsTwoWithReason(string variant, string expected)
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, "--variants", "none", variant);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--variants", result.StandardError);
        Assert.Contains(expected, result.StandardError);
    }

    [Fact]
    public void Compare_UnwritableOutput_FailsBeforeTraining()
    {
        using var folder = new TemporaryFolder();
        string file = Path.Combine(folder.Path, "a-file");
        File.WriteAllText(file, "not a folder");

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", Path.Combine(file, "runs"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(Path.Combine(file, "runs"), result.StandardError);
        Assert.DoesNotContain("iter ", result.StandardOutput);
    }

    [Fact]
    public void Compare_DataFolderWithoutFiles_ExplainsHowToSupplyThem()
    {
        using var empty = new TemporaryFolder();
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--data", empty.Path, "--out", output.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(empty.Path, result.StandardError);
        Assert.Contains("train-images-idx3-ubyte", result.StandardError);
        Assert.Contains("CLIPLAB_DATA", result.StandardError);
    }
}
