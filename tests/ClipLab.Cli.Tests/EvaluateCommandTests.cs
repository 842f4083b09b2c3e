using System.Globalization;
using System.Text.Json;

namespace ClipLab.Cli.Tests;

public sealed class EvaluateCommandTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void Evaluate_TrainedModel_MatchesCompareTestAccuracy()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(Timeout, "evaluate", "--model", model.ModelPath, "--data", CliProcess.DataDirectory, "--out", output.Path);

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}");
        using JsonDocument evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.Path, "evaluation.json")));
        double accuracy = evaluation.RootElement.GetProperty("accuracy").GetDouble();
        Assert.Equal(model.TestAccuracy, accuracy);
        Assert.Equal("mnist", evaluation.RootElement.GetProperty("dataset").GetString());
        long[][] matrix = evaluation.RootElement.GetProperty("confusion_matrix").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(cell => cell.GetInt64()).ToArray()).ToArray();
        Assert.Equal(10_000, matrix.Sum(row => row.Sum()));
        Assert.Equal(accuracy, Enumerable.Range(0, 10).Sum(i => matrix[i][i]) / 10_000.0, 12);
        Assert.Contains($"accuracy {accuracy.ToString("F4", CultureInfo.InvariantCulture)}", result.StandardOutput);
        Assert.Contains("Confusion matrix", result.StandardOutput);
        Assert.True(new FileInfo(Path.Combine(output.Path, "confusion-matrix.png")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(output.Path, "confusion-matrix.svg")).Length > 0);
    }

    [Fact]
    public void Evaluate_MissingModel_ExitsOneNamingFile()
    {
        using var folder = new TemporaryFolder();
        string missing = Path.Combine(folder.Path, "model.safetensors");

        CliProcess.Result result = CliProcess.Run(Timeout, "evaluate", "--model", missing, "--data", CliProcess.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, result.StandardError);
        Assert.Contains("not found", result.StandardError);
    }

    [Fact]
    public void Evaluate_CorruptModel_ExitsOneNamingProblem()
    {
        using var folder = new TemporaryFolder();
        string corrupt = Path.Combine(folder.Path, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(model.ModelPath);
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length - 100)]);

        CliProcess.Result result = CliProcess.Run(Timeout, "evaluate", "--model", corrupt, "--data", CliProcess.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a valid safetensors file", result.StandardError);
        Assert.False(File.Exists(Path.Combine(folder.Path, "evaluation.json")), "evaluation.json was written for a corrupt model");
    }

    [Fact]
    public void Evaluate_WithoutModelOption_ExitsTwo()
    {
        CliProcess.Result result = CliProcess.Run(Timeout, "evaluate", "--data", CliProcess.DataDirectory);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--model", result.StandardError);
    }

    [Fact]
    public void Evaluate_ModelWithNaNWeight_ExitsOneNamingParameter()
    {
        using var folder = new TemporaryFolder();
        string broken = Path.Combine(folder.Path, "model.safetensors");
        ClipLab.Checkpoints.SafetensorsFile file = ClipLab.Checkpoints.SafetensorsReader.Read(model.ModelPath);
        file.Find("fc3.bias")!.Values[3] = float.NaN;
        ClipLab.Checkpoints.SafetensorsWriter.Write(broken, file.Tensors, file.Metadata);

        CliProcess.Result result = CliProcess.Run(Timeout, "evaluate", "--model", broken, "--data", CliProcess.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("fc3.bias", result.StandardError);
        Assert.Contains("diverged", result.StandardError);
    }

    [Theory]
    [InlineData("evaluate", "--model")]
    [InlineData("evaluate", "--data")]
    [InlineData("evaluate", "--out")]
    [InlineData("predict", "--model")]
    public void Command_EmptyPathOption_ExitsTwoNamingOption(string command, string option)
    {
        string[] arguments = command == "predict"
            ? [command, option, "", "image.png"]
            : option == "--model" ? [command, option, ""] : [command, "--model", model.ModelPath, option, ""];

        CliProcess.Result result = CliProcess.Run(Timeout, arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Fact]
    public void Evaluate_OnlyTestFiles_Succeeds()
    {
        using var data = new TemporaryFolder();
        using var output = new TemporaryFolder();
        foreach (string file in Directory.GetFiles(CliProcess.DataDirectory, "t10k-*"))
        {
            File.Copy(file, Path.Combine(data.Path, Path.GetFileName(file)));
        }

        CliProcess.Result result = CliProcess.Run(Timeout, "evaluate", "--model", model.ModelPath, "--data", data.Path, "--out", output.Path);

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}: {result.StandardError}");
        Assert.True(File.Exists(Path.Combine(output.Path, "evaluation.json")), "evaluation.json is missing");
    }
}
