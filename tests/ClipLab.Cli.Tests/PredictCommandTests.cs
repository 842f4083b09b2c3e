using System.Globalization;
using ClipLab.Data;
using SkiaSharp;

namespace ClipLab.Cli.Tests;

public sealed class PredictCommandTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<MnistDataset> Mnist = new(() => MnistDataset.Load(CliProcess.DataDirectory));

    [Fact]
    public void Predict_PngAndJpegDigits_MostlyMatchLabels()
    {
        // 40 test digits, half PNG and half JPEG, on canvases of varied size with the digit off centre
        using var folder = new TemporaryFolder();
        var expected = new Dictionary<string, string>();
        for (int index = 0; index < 40; index++)
        {
            SKEncodedImageFormat format = index % 2 == 0 ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
            string path = Path.Combine(folder.Path, $"digit-{index}.{(format == SKEncodedImageFormat.Png ? "png" : "jpg")}");
            int size = 112 + (index * 7);
            TestImages.Write(path, Mnist.Value.Test, index, format, width: size + 40, height: size, figureSize: size - 10, left: 30, top: 4);
            expected[path] = Mnist.Value.Test.Labels[index].ToString(CultureInfo.InvariantCulture);
        }

        CliProcess.Result result = CliProcess.Run(Timeout, ["predict", "--model", model.ModelPath, .. expected.Keys]);

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}");
        Dictionary<string, string> predicted = ParsePredictions(result.StandardOutput);
        Assert.Equal(expected.Keys.Order(), predicted.Keys.Order());
        int correct = expected.Count(pair => predicted[pair.Key] == pair.Value);
        Assert.True(correct >= 32, $"{correct} of 40 predictions match the labels, expected at least 32 (test accuracy {model.TestAccuracy:F3})\n{result.StandardOutput}");
    }

    [Fact]
    public void Predict_OneImage_PrintsProbabilitiesSummingToOne()
    {
        using var folder = new TemporaryFolder();
        string path = TestImages.Write(Path.Combine(folder.Path, "seven.png"), Mnist.Value.Test, 0, SKEncodedImageFormat.Png, 112, 112, 112, 0, 0);

        CliProcess.Result result = CliProcess.Run(Timeout, "predict", "--model", model.ModelPath, path);

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.Split('\n');
        int at = Array.FindIndex(lines, line => line.StartsWith(path + ": ", StringComparison.Ordinal));
        Assert.Contains("light background inverted", lines[at]);
        double[] probabilities = lines[at + 1].Split("  ", StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => double.Parse(entry.Split(' ')[^1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(10, probabilities.Length);
        Assert.Equal(1.0, probabilities.Sum(), 3);
    }

    [Fact]
    public void Predict_UnreadableImages_ExitOne()
    {
        using var folder = new TemporaryFolder();
        string good = TestImages.Write(Path.Combine(folder.Path, "good.jpg"), Mnist.Value.Test, 1, SKEncodedImageFormat.Jpeg, 120, 120, 100, 10, 10);
        string random = Path.Combine(folder.Path, "random.png");
        File.WriteAllBytes(random, Enumerable.Range(0, 500).Select(i => (byte)((i * 73) + 11)).ToArray());
        string empty = Path.Combine(folder.Path, "empty.jpg");
        File.WriteAllBytes(empty, []);
        string truncated = Path.Combine(folder.Path, "truncated.png");
        File.WriteAllBytes(truncated, File.ReadAllBytes(TestImages.Write(truncated, Mnist.Value.Test, 2, SKEncodedImageFormat.Png, 200, 200, 180, 10, 10))[..300]);
        string blank = Path.Combine(folder.Path, "blank.png");
        using (var white = new SKBitmap(64, 64))
        {
            white.Erase(SKColors.White);
            using SKData data = SKImage.FromBitmap(white).Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(blank, data.ToArray());
        }

        string missing = Path.Combine(folder.Path, "missing.png");

        CliProcess.Result result = CliProcess.Run(Timeout, "predict", "--model", model.ModelPath, good, random, empty, truncated, blank, missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(good + ": ", result.StandardOutput);
        Assert.Contains($"error: {random}: not a PNG or JPEG image", result.StandardError);
        Assert.Contains($"error: {empty}: the file is empty", result.StandardError);
        Assert.Contains($"error: {truncated}: ", result.StandardError);
        Assert.Contains($"error: {blank}: the image looks blank", result.StandardError);
        Assert.Contains($"error: {missing}: file not found", result.StandardError);
        Assert.Contains("5 of 6 images could not be read", result.StandardError);
    }

    [Fact]
    public void Predict_WithoutImages_ExitsTwo()
    {
        CliProcess.Result result = CliProcess.Run(Timeout, "predict", "--model", model.ModelPath);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void Predict_Help_StatesTheImageAssumptions()
    {
        CliProcess.Result result = CliProcess.Run(Timeout, "predict", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("whose border is light is inverted", result.StandardOutput);
        Assert.Contains("PNG or JPEG", result.StandardOutput);
    }

    /// <summary>Returns image path to predicted class from lines "PATH: CLASS (probability P...)".</summary>
    private static Dictionary<string, string> ParsePredictions(string output) =>
        output.Split('\n')
            .Where(line => line.Contains(": ", StringComparison.Ordinal) && line.Contains("(probability ", StringComparison.Ordinal))
            .ToDictionary(
                line => line[..line.IndexOf(": ", StringComparison.Ordinal)],
                line => line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..line.IndexOf(" (probability ", StringComparison.Ordinal)]);
}
