using System.Text.Json;

namespace ClipLab.Cli.Tests;

/// <summary>One short MNIST run of `cliplab compare` whose model file the evaluate and predict tests share.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    /// <summary>Training steps: enough for a test accuracy near 0.9, few enough for a run of seconds.</summary>
    public const int Steps = 300;

    private readonly TemporaryFolder _output = new();

    public TrainedModelFixture()
    {
        CliProcess.Result result = CliProcess.Run(
            TimeSpan.FromMinutes(5), "compare", "--data", CliProcess.DataDirectory, "--out", _output.Path, "--steps", Steps.ToString(), "--variants", "none");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"cliplab compare failed with exit code {result.ExitCode}: {result.StandardError}");
        }

        RunFolder = Directory.GetDirectories(_output.Path).Single();
        ModelPath = Path.Combine(RunFolder, "none", "model.safetensors");
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(RunFolder, "summary.json")));
        TestAccuracy = summary.RootElement.GetProperty("variants")[0].GetProperty("test_accuracy").GetDouble();
    }

    /// <summary>The run folder of the compare run.</summary>
    public string RunFolder { get; }

    /// <summary>The none variant's model.safetensors.</summary>
    public string ModelPath { get; }

    /// <summary>Test accuracy that compare measured for the variant.</summary>
    public double TestAccuracy { get; }

    public void Dispose() => _output.Dispose();
}
