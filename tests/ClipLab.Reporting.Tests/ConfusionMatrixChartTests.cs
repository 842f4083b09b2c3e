using ClipLab.Data;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public sealed class ConfusionMatrixChartTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Write_FashionClasses_NamesClasses()
    {
        var matrix = new ConfusionMatrix(10);
        for (int actual = 0; actual < 10; actual++)
        {
            for (int i = 0; i < 90; i++)
            {
                matrix.Add(actual, actual);
            }

            matrix.Add(actual, (actual + 1) % 10);
        }

        string path = _folder.Combine("confusion-matrix");

        ConfusionMatrixChart.Write(matrix, DatasetDefinition.FashionMnist.ClassNames, "test", path);

        using var png = ChartFileAssert.ValidPng(path + ".png", ConfusionMatrixChart.Width, ConfusionMatrixChart.Height);
        ChartFileAssert.ValidSvg(path + ".svg");
        string svg = File.ReadAllText(path + ".svg");
        Assert.Contains("Ankle boot", svg);
        Assert.Matches(@">\s*90\s*<", svg);
    }

    [Fact]
    public void Write_WrongNumberOfNames_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfusionMatrixChart.Write(new ConfusionMatrix(10), ["a", "b"], "t", _folder.Combine("c")));

        Assert.Contains("Expected 10 class names", error.Message);
    }
}
