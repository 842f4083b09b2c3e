using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ClipLab.Cli.Tests;

/// <summary>End-to-end tests of seeds, sweeps, reruns, interrupts and divergence, on the real MNIST files with few steps.</summary>
public sealed class ResearchWorkflowTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Compare_TwoSeeds_WritesSeedFoldersAndStatistics()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(
            RunTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, "--steps", "50", "--eval-every", "10", "--seed", "5", "--seeds", "2");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}");
        string run = Assert.Single(Directory.GetDirectories(output.Path));
        foreach (string variant in new[] { "none", "value_0.001" })
        {
            foreach (string seed in new[] { "seed-5", "seed-6" })
            {
                string[] metrics = File.ReadAllLines(Path.Combine(run, variant, seed, "metrics.csv"));
                Assert.Equal(6, metrics.Length);
                Assert.True(File.Exists(Path.Combine(run, variant, seed, "steps.csv")), $"{variant}/{seed}/steps.csv is missing");
                Assert.True(File.Exists(Path.Combine(run, variant, seed, "accuracy-loss.svg")), $"{variant}/{seed}/accuracy-loss.svg is missing");
            }
        }

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        JsonElement root = summary.RootElement;
        Assert.True(root.GetProperty("completed").GetBoolean());
        Assert.Equal([5UL, 6UL], root.GetProperty("seeds").EnumerateArray().Select(e => e.GetUInt64()).ToArray());
        Assert.Equal(4, root.GetProperty("variants").GetArrayLength());
        JsonElement statistics = root.GetProperty("variant_statistics")[0].GetProperty("test_accuracy");
        Assert.Equal(2, statistics.GetProperty("count").GetInt32());
        Assert.True(statistics.GetProperty("standard_deviation").GetDouble() >= 0);
        JsonElement[] comparisons = root.GetProperty("comparisons").EnumerateArray().ToArray();
        Assert.Equal(["test_accuracy", "last10_mean_validation_loss"], comparisons.Select(c => c.GetProperty("metric").GetString()));
        Assert.All(comparisons, c => Assert.InRange(c.GetProperty("p_value").GetDouble(), 0, 1));

        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.Contains("## Seed statistics", report);
        Assert.Contains("## Mann-Whitney U tests", report);
        Assert.Contains("## Dead networks", report);
        Assert.Contains("| seeds | 5, 6 |", report);
        Assert.Contains("band from minimum to maximum", report);
        Assert.True(File.Exists(Path.Combine(run, "report.html")), "report.html is missing");
    }

    [Fact]
    public void Sweep_ThreeThresholds_WritesThresholdChartsWithReference()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(
            RunTimeout, "sweep", "value:1e-2,1e-4,1e-3", "--data", CliProcess.DataDirectory, "--out", output.Path, "--steps", "30", "--eval-every", "10", "--seeds", "2");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}");
        string run = Assert.Single(Directory.GetDirectories(output.Path));
        Assert.EndsWith("_sweep", run);
        foreach (string chart in new[] { "sweep-validation-loss", "sweep-test-accuracy" })
        {
            Assert.True(new FileInfo(Path.Combine(run, chart + ".png")).Length > 10_000, $"{chart}.png is missing or too small");
            string svg = File.ReadAllText(Path.Combine(run, chart + ".svg"));
            Assert.Contains("unclipped (none) median", svg);
            Assert.Contains("0.0001", svg);
            Assert.Contains("0.01", svg);
        }

        foreach (string variant in new[] { "none", "value_0.0001", "value_0.001", "value_0.01" })
        {
            Assert.True(File.Exists(Path.Combine(run, variant, "seed-1", "metrics.csv")), $"{variant}/seed-1/metrics.csv is missing");
            Assert.True(File.Exists(Path.Combine(run, variant, "seed-2", "metrics.csv")), $"{variant}/seed-2/metrics.csv is missing");
        }

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        JsonElement sweep = summary.RootElement.GetProperty("sweep");
        Assert.Equal("value", sweep.GetProperty("method").GetString());
        Assert.Equal([0.0001, 0.001, 0.01], sweep.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("threshold").GetDouble()));
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.Contains("## Sweep", report);
        Assert.Contains("| unclipped | none |", report);
    }

    [Theory]
    [InlineData("none:1,2", "unclipped reference")]
    [InlineData("value:1e-3,abc", "'abc'")]
    [InlineData("value:1e-3,0.001", "twice")]
    [InlineData("clip:1", "not one of")]
    public void Sweep_InvalidThresholdList_ExitsTwoNamingValue(string sweep, string expected)
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "sweep", sweep, "--data", CliProcess.DataDirectory, "--out", output.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    [Fact]
    public void Sweep_EmptyMethodOptions_ExitsTwoNamingOption()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(
            QuickTimeout, "sweep", "global-norm:1,10", "--method-options", "", "--data", CliProcess.DataDirectory, "--out", output.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--method-options", result.StandardError);
    }

    [Fact]
    public void Compare_ConfigPathIsFolder_ExitsTwoSayingSo()
    {
        using var folder = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--config", folder.Path, "--data", CliProcess.DataDirectory);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a folder", result.StandardError);
    }

    [Fact]
    public void Compare_RerunFromConfig_ReproducesMetricsBitwise()
    {
        using var output = new TemporaryFolder();
        string first = Path.Combine(output.Path, "first");
        string second = Path.Combine(output.Path, "second");
        CliProcess.Result original = CliProcess.Run(
            RunTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", first, "--steps", "40", "--eval-every", "5", "--seed", "3", "--seeds", "2",
            "--lr", "0.005", "--variants", "none", "global-norm:1", "--threads", "1");
        Assert.True(original.ExitCode == 0, $"exit code {original.ExitCode}\n{original.StandardError}");
        string firstRun = Assert.Single(Directory.GetDirectories(first));

        CliProcess.Result rerun = CliProcess.Run(
            RunTimeout, "compare", "--config", Path.Combine(firstRun, "config.json"), "--data", CliProcess.DataDirectory, "--out", second, "--threads", "2");

        Assert.True(rerun.ExitCode == 0, $"exit code {rerun.ExitCode}\n{rerun.StandardError}");
        Assert.DoesNotContain("warning", rerun.StandardError);
        string secondRun = Assert.Single(Directory.GetDirectories(second));
        string[] files = Directory.GetFiles(firstRun, "*.csv", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(firstRun, path))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(8, files.Length);
        foreach (string file in files)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(firstRun, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(secondRun, file))),
                $"{file} differs between the run and its rerun");
        }

        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(secondRun, "config.json")));
        Assert.Equal(0.005, config.RootElement.GetProperty("config").GetProperty("learning_rate").GetDouble());
        Assert.Equal(2, config.RootElement.GetProperty("config").GetProperty("threads").GetInt32());
    }

    [Fact]
    public void Compare_ConfigWithTrainingOption_ExitsTwo()
    {
        using var folder = new TemporaryFolder();
        string config = WriteConfig(folder.Path, document => document);

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--config", config, "--steps", "5", "--out", folder.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--config cannot be combined with --steps", result.StandardError);
    }

    [Theory]
    [InlineData("\"steps\": 5,", "", "config.steps' is missing")]
    [InlineData("\"steps\": 5,", "\"steps\": \"five\",", "config.steps' has the value \"five\"")]
    [InlineData("\"steps\": 5,", "\"steps\": 5, \"stepz\": 5,", "config.stepz' is not a ClipLab setting")]
    [InlineData("\"value:0.001\"", "\"value:-1\"", "'variants' has the invalid clipping method 'value:-1'")]
    public void Compare_InvalidConfig_ExitsTwoNamingKey(string original, string replacement, string expected)
    {
        using var folder = new TemporaryFolder();
        string config = WriteConfig(folder.Path, text => text.Replace(original, replacement, StringComparison.Ordinal));

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--config", config, "--out", Path.Combine(folder.Path, "runs"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "runs")), "a run folder was created for an invalid config");
    }

    [Fact]
    public void Compare_SweepConfig_NamesSweepCommand()
    {
        using var folder = new TemporaryFolder();
        string config = WriteConfig(folder.Path, text => text.Replace("\"command\": \"compare\"", "\"command\": \"sweep\"", StringComparison.Ordinal));

        CliProcess.Result result = CliProcess.Run(QuickTimeout, "compare", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cliplab sweep --config", result.StandardError);
    }

    [Theory]
    [InlineData("INT", "SIGINT")]
    [InlineData("TERM", "SIGTERM")]
    public async Task Compare_Signal_KeepsPartialFilesAndMarksIncomplete(string signal, string signalName)
    {
        using var output = new TemporaryFolder();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "ClipLab.Cli.dll"), "compare", "--data", CliProcess.DataDirectory, "--out", output.Path,
            "--steps", "20000", "--eval-every", "10", "--seeds", "2", "--threads", "1",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> standardOutput = process.StandardOutput.ReadToEndAsync();
        Task<string> standardError = process.StandardError.ReadToEndAsync();

        // wait until the first variant has streamed a few validation points
        string metricsPath = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            string? run = Directory.GetDirectories(output.Path).FirstOrDefault();
            metricsPath = run is null ? "" : Path.Combine(run, "none", "seed-1", "metrics.csv");
            if (File.Exists(metricsPath) && File.ReadAllLines(metricsPath).Length > 5)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(File.Exists(metricsPath) && File.ReadAllLines(metricsPath).Length > 5, "the run did not write 5 validation points within 2 minutes");
        using (Process kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cliplab did not exit within 2 minutes of SIG{signal}");
        }

        string error = await standardError;
        _ = await standardOutput;
        Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}\n{error}");
        Assert.Contains($"Interrupted ({signalName})", error);

        // metrics.csv and steps.csv hold whole rows for every step trained, and agree with each other
        string runFolder = Assert.Single(Directory.GetDirectories(output.Path));
        string[] metrics = File.ReadAllLines(Path.Combine(runFolder, "none", "seed-1", "metrics.csv"));
        string[] steps = File.ReadAllLines(Path.Combine(runFolder, "none", "seed-1", "steps.csv"));
        Assert.Equal("iteration,loss,accuracy", metrics[0]);
        Assert.True(metrics.Length > 5, $"only {metrics.Length - 1} validation points");
        Assert.True(steps.Length < 20001, "the run trained every step although it was interrupted");
        foreach (string row in metrics[1..])
        {
            string[] cells = row.Split(',');
            Assert.Equal(3, cells.Length);
            Assert.True(double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"loss '{cells[1]}' does not parse");
        }

        int lastStep = int.Parse(steps[^1].Split(',')[0], CultureInfo.InvariantCulture);
        int lastValidation = int.Parse(metrics[^1].Split(',')[0], CultureInfo.InvariantCulture);
        Assert.Equal(lastStep / 10 * 10, lastValidation);

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json")));
        JsonElement root = summary.RootElement;
        Assert.False(root.GetProperty("completed").GetBoolean());
        Assert.True(root.GetProperty("interrupted").GetBoolean());
        string[] statuses = root.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(["interrupted", "not run", "not run", "not run"], statuses);

        string report = File.ReadAllText(Path.Combine(runFolder, "report.md"));
        Assert.Contains("> **Incomplete run:** the run was interrupted", report);
        Assert.Contains("| value_0.001 | 1 | value:0.001 |", report);
        Assert.Contains("| not run |", report);
        Assert.Contains("| variants | none value:0.001 |", report);
        Assert.True(File.Exists(Path.Combine(runFolder, "report.html")), "report.html is missing");
        Assert.True(File.Exists(Path.Combine(runFolder, "loss-overlay.png")), "loss-overlay.png is missing");
    }

    [Fact]
    public void Compare_HugeLearningRate_DivergesOthersGoOnExitOne()
    {
        using var output = new TemporaryFolder();

        // learning rate 1e10 overflows the activations after the first update
        CliProcess.Result result = CliProcess.Run(
            RunTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, "--steps", "20", "--eval-every", "1",
            "--lr", "1e10", "--variants", "none", "global-norm:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("none seed 1: Diverged at iteration", result.StandardError);
        string run = Assert.Single(Directory.GetDirectories(output.Path));
        Assert.True(File.ReadAllLines(Path.Combine(run, "global-norm_1", "steps.csv")).Length > 1, "the second variant did not run after the first diverged");
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.Contains("| diverged |", report);
        Assert.Contains("> **Note:** variant `none` diverged after", report);
        Assert.Contains("diverged at iteration", report);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.False(summary.RootElement.GetProperty("completed").GetBoolean());
        Assert.False(summary.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.Equal("diverged", summary.RootElement.GetProperty("variants")[0].GetProperty("status").GetString());
    }

    [Fact]
    public void Compare_RedirectedSummary_OneLinePerRunWithStatus()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(
            RunTimeout, "compare", "--data", CliProcess.DataDirectory, "--out", output.Path, "--steps", "10", "--eval-every", "2000");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}");
        string[] lines = result.StandardOutput.Split('\n');
        string header = Assert.Single(lines, line => line.StartsWith("variant ", StringComparison.Ordinal));
        Assert.EndsWith("status", header.TrimEnd());
        string clipped = Assert.Single(lines, line => line.StartsWith("value_0.001 ", StringComparison.Ordinal));
        Assert.Contains(" value:0.001 ", clipped);
        Assert.EndsWith("completed", clipped.TrimEnd());
    }

    /// <summary>Writes a valid compare config.json of a 5-step run, passed through <paramref name="edit"/>, and returns its path.</summary>
    private static string WriteConfig(string folder, Func<string, string> edit)
    {
        string text = """
            {
              "format_version": 1,
              "command": "compare",
              "cliplab_version": "test",
              "dotnet_version": "test",
              "seeds": [1],
              "variants": ["none", "value:0.001"],
              "config": {
                "seed": 1,
                "steps": 5,
                "batch_size": 8,
                "learning_rate": 0.01,
                "beta1": 0.9,
                "beta2": 0.999,
                "epsilon": 1E-08,
                "epsilon_placement": "TensorFlow",
                "eval_every": 10,
                "eval_batch_size": 100,
                "threads": 1,
                "non_finite_policy": "Stop",
                "init_std_dev": 0.1,
                "dataset": "Mnist",
                "validation_point_count": 1
              },
              "data_sha256": {}
            }
            """;
        string path = Path.Combine(folder, "config.json");
        File.WriteAllText(path, edit(text));
        return path;
    }
}
