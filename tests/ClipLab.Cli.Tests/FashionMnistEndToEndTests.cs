using System.Text.Json;
using ClipLab.Checkpoints;
using ClipLab.Data;
using SkiaSharp;

namespace ClipLab.Cli.Tests;

/// <summary>
/// compare, evaluate and predict on Fashion-MNIST from Debian's dataset-fashion-mnist package in
/// /usr/share/datasets/fashion-mnist, found without --data.
/// </summary>
public sealed class FashionMnistEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Cli_FashionMnist_RunsEndToEnd()
    {
        string system = DatasetDefinition.FashionMnist.SystemDirectory!;
        Assert.True(
            FashionMnistFiles.All.All(file => MnistFiles.Find(system, file) is not null),
            $"The Fashion-MNIST files are missing from {system}; install them with 'apt-get install -y dataset-fashion-mnist'.");
        using var output = new TemporaryFolder();
        using var tensorBoard = new TemporaryFolder();

        // compare: two short variants, with TensorBoard event files
        CliProcess.Result compare = CliProcess.Run(
            Timeout, "compare", "--dataset", "fashion-mnist", "--steps", "200", "--variants", "none", "value:0.001",
            "--out", output.Path, "--tensorboard", tensorBoard.Path);

        Assert.True(compare.ExitCode == 0, $"compare exit code {compare.ExitCode}\n{compare.StandardError}");
        Assert.Contains($"Data: Fashion-MNIST in {system}", compare.StandardOutput);
        string run = Assert.Single(Directory.GetDirectories(output.Path));
        using (JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
        {
            Assert.Equal("FashionMnist", summary.RootElement.GetProperty("config").GetProperty("dataset").GetString());
        }

        string modelPath = Path.Combine(run, "none", "model.safetensors");
        SafetensorsFile model = SafetensorsReader.Read(modelPath);
        Assert.Equal("fashion-mnist", model.Metadata["dataset"]);
        Assert.Equal("none", model.Metadata["clip_method"]);
        Assert.Equal("200", model.Metadata["steps"]);
        Assert.True(File.Exists(Path.Combine(run, "value_0.001", "model.safetensors")));
        foreach (string variant in new[] { "none", "value_0.001" })
        {
            string eventFolder = Path.Combine(tensorBoard.Path, Path.GetFileName(run), variant);
            Assert.Single(Directory.GetFiles(eventFolder, "events.out.tfevents.*"));
        }

        // evaluate: the data set comes from the model file
        CliProcess.Result evaluate = CliProcess.Run(Timeout, "evaluate", "--model", modelPath);

        Assert.True(evaluate.ExitCode == 0, $"evaluate exit code {evaluate.ExitCode}\n{evaluate.StandardError}");
        Assert.Contains("9 Ankle boot", evaluate.StandardOutput);
        Assert.Contains("Ankle boot", File.ReadAllText(Path.Combine(run, "none", "confusion-matrix.svg")));
        using (JsonDocument evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "none", "evaluation.json"))))
        {
            Assert.Equal(double.Parse(model.Metadata["test_accuracy"], System.Globalization.CultureInfo.InvariantCulture), evaluation.RootElement.GetProperty("accuracy").GetDouble());
        }

        // predict: class names in the output
        MnistDataset fashion = MnistDataset.Load(system, DatasetDefinition.FashionMnist);
        string image = TestImages.Write(Path.Combine(output.Path, "article.png"), fashion.Test, 0, SKEncodedImageFormat.Png, 140, 140, 120, 10, 10);
        CliProcess.Result predict = CliProcess.Run(Timeout, "predict", "--model", modelPath, image);

        Assert.True(predict.ExitCode == 0, $"predict exit code {predict.ExitCode}\n{predict.StandardError}");
        Assert.Contains("Ankle boot 0.", predict.StandardOutput);
        Assert.Contains("T-shirt/top 0.", predict.StandardOutput);
    }

    [Fact]
    public void Compare_UnknownDataset_ExitsTwo()
    {
        using var output = new TemporaryFolder();

        CliProcess.Result result = CliProcess.Run(Timeout, "compare", "--dataset", "cifar10", "--out", output.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cifar10", result.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }
}
