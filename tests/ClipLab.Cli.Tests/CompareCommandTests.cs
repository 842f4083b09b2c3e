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
            "none/metrics.csv", "none/steps.csv", "none/accuracy-loss.png", "none/accuracy-loss.svg", "none/model.safetensors",
            "value_0.001/metrics.csv", "value_0.001/steps.csv", "value_0.001/accuracy-loss.png", "value_0.001/accuracy-loss.svg", "value_0.001/model.safetensors",
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
    [InlineData("--lr", "0,01")]
    [InlineData("--clip-value", "0,001")]
    [InlineData("--clip-value", "1e-50")]
    [InlineData("--batch-size", "55000")]
    [InlineData("--seed", "-1")]
    [InlineData("--threads", "100000")]
    [InlineData("--adam-epsilon", "3")]
    [InlineData("--adam-epsilon", "keras")]
    [InlineData("--non-finite", "maybe")]
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
    [InlineData("global-norm:-1", "-1")]
    [InlineData("norm:1,3", "not a norm type")]
    [InlineData("agc:0.01,exclude=fc4", "fc4")]
    public void Compare_InvalidVariant_ExitsTwoWithReason(string variant, string expected)
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, "--variants", "none", variant);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--variants", result.StandardError);
        Assert.Contains(expected, result.StandardError);
    }

    [Fact]
    public void Compare_FourVariants_ShareFirstStep()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(
            RunTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, "--steps", "30", "--eval-every", "10",
            "--variants", "none", "value:0.001", "global-norm:1", "agc:0.01");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}");
        string run = Assert.Single(Directory.GetDirectories(output.Path));
        string[] folders = ["none", "value_0.001", "global-norm_1", "agc_0.01_exclude_fc3"];
        string[][] firstSteps = folders.Select(folder => File.ReadAllLines(Path.Combine(run, folder, "steps.csv"))[1].Split(',')).ToArray();
        foreach (string[] firstStep in firstSteps)
        {
            // iteration 0 runs before any update: same weights and same batch give the same loss and gradient norm
            Assert.Equal(firstSteps[0][1], firstStep[1]);
            Assert.Equal(firstSteps[0][2], firstStep[2]);
        }

        string header = File.ReadAllLines(Path.Combine(run, "agc_0.01_exclude_fc3", "steps.csv"))[0];
        Assert.Contains("scale_factor,non_finite,grad_norm_before.conv1.weight", header);
        Assert.EndsWith("grad_norm_before.fc3.bias", header);
        Assert.True(File.Exists(Path.Combine(run, "grad-norm-after-overlay.png")));
    }

    [Fact]
    public void Compare_Help_ListsClippingMethods()
    {
        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (string method in new[] { "none ", "value:LIMIT ", "value:MIN,MAX ", "norm:MAX[,TYPE] ", "global-norm:MAX[,TYPE] ", "global-norm:MAX[,TYPE],torch ", "agc:LAMBDA" })
        {
            Assert.Contains(method, result.StandardOutput);
        }

        Assert.Contains("--non-finite", result.StandardOutput);
    }

    [Fact]
    public void Compare_DivergingStop_NamesParameter()
    {
        using var output = new TemporaryFolder();

        // learning rate 1e10 overflows the activations after the first update
        CliProcess.Result result = CliProcess.Run(
            RunTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, "--steps", "5", "--eval-every", "1",
            "--lr", "1e10", "--variants", "none");

        string run = Assert.Single(Directory.GetDirectories(output.Path));
        string[] lines = File.ReadAllLines(Path.Combine(run, "none", "steps.csv"));
        string[] header = lines[0].Split(',');
        string[] last = lines[^1].Split(',');
        Assert.Equal("1", last[Array.IndexOf(header, "non_finite")]);
        int firstBad = Enumerable.Range(0, header.Length).First(i => header[i].StartsWith("grad_norm_before.", StringComparison.Ordinal) && last[i] == "NaN");
        string parameter = header[firstBad]["grad_norm_before.".Length..];
        Assert.Contains($"Diverged at iteration {last[0]}: the gradient of {parameter} ", result.StandardError);
        Assert.Contains("--non-finite skip", result.StandardError);
    }

    [Fact]
    public void Compare_DivergingSkip_FlagsSkippedSteps()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(
            RunTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, "--steps", "5", "--eval-every", "1",
            "--lr", "1e10", "--variants", "global-norm:1", "--non-finite", "skip");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}");
        Assert.DoesNotContain("Diverged", result.StandardError);
        string run = Assert.Single(Directory.GetDirectories(output.Path));
        string[] lines = File.ReadAllLines(Path.Combine(run, "global-norm_1", "steps.csv"));
        int column = Array.IndexOf(lines[0].Split(','), "non_finite");
        Assert.Equal(6, lines.Length);
        Assert.Contains(lines[1..], line => line.Split(',')[column] == "1");
        Assert.Contains("\"non_finite_policy\": \"SkipStep\"", File.ReadAllText(Path.Combine(run, "summary.json")));
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

    [Theory]
    [InlineData("--out")]
    [InlineData("--data")]
    public void Compare_EmptyFolderOption_ExitsTwoNamingOption(string option)
    {
        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", option, "");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }
}
