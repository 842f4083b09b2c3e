using System.Text.Json;
using ClipLab.Training;
using SkiaSharp;

namespace ClipLab.Reporting.Tests;

public class SeedReportTests
{
    [Fact]
    public void Report_InterruptedRun_SaysIncompleteAndListsNotRun()
    {
        string report = MarkdownReportWriter.Build("ClipLab run test", SeedRuns.TwoSeedsInterrupted());

        string[] lines = report.Split('\n');
        Assert.StartsWith("> **Incomplete run:** the run was interrupted", lines[2]);
        Assert.Contains("| global | 2 | global-norm:1 | n/a |", report);
        Assert.Contains("| not run |", report);
        Assert.Contains("| clipped | 2 | value:0.001 |", report);
        Assert.Contains("| interrupted |", report);
        Assert.Contains("| variants | none value:0.001 global-norm:1 |", report);
        Assert.Contains("Not run: the run was interrupted before this variant and seed started.", report);
    }

    [Fact]
    public void SummaryJson_InterruptedRun_MarksRunAndEntries()
    {
        using JsonDocument document = JsonDocument.Parse(SummaryJsonWriter.ToJson(SeedRuns.TwoSeedsInterrupted()));

        JsonElement root = document.RootElement;
        Assert.False(root.GetProperty("completed").GetBoolean());
        Assert.True(root.GetProperty("interrupted").GetBoolean());
        string[] statuses = root.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(["completed", "completed", "completed", "interrupted", "completed", "not run"], statuses);
        JsonElement notRun = root.GetProperty("variants")[5];
        Assert.Equal(2UL, notRun.GetProperty("seed").GetUInt64());
        Assert.Equal(JsonValueKind.Null, notRun.GetProperty("test_accuracy").ValueKind);
    }

    [Fact]
    public void SummaryJson_DeadNetwork_IsCountedAndNamed()
    {
        VariantResult dead = FakeResults.Unclipped(seed: 4) with { TestAccuracy = 0.1135, TestLoss = 2.301 };
        var run = new RunResults("compare", new ExperimentConfig(), [3, 4], [new VariantRuns("unclipped", "none", [FakeResults.Unclipped(seed: 3), dead])]);

        using JsonDocument document = JsonDocument.Parse(SummaryJsonWriter.ToJson(run));
        string report = MarkdownReportWriter.Build("ClipLab run test", run);

        JsonElement entry = Assert.Single(document.RootElement.GetProperty("dead_networks").EnumerateArray());
        Assert.Equal(4UL, entry.GetProperty("seed").GetUInt64());
        Assert.Equal("test accuracy 0.1135", entry.GetProperty("reason").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("variant_statistics")[0].GetProperty("dead_networks").GetInt32());
        Assert.Contains("- `none` seed 4: test accuracy 0.1135", report);
        Assert.Contains("Dead networks: 1 of 2 runs.", report);
    }

    [Fact]
    public void StepsCsvAppender_Streamed_EqualsFinalFile()
    {
        using var temp = new TempDirectory();
        VariantResult result = FakeResults.Clipped(steps: 50);
        string streamed = temp.Combine("streamed.csv");
        string final = temp.Combine("final.csv");

        using (StepsCsvAppender appender = StepsCsvAppender.Create(streamed, result.ParameterNames))
        {
            foreach (StepRecord step in result.Steps)
            {
                appender.Append(step);
            }

            Assert.Equal(50, appender.RowCount);
        }

        MetricsCsvWriter.WriteSteps(final, result.Steps, result.ParameterNames);

        Assert.Equal(File.ReadAllBytes(final), File.ReadAllBytes(streamed));
        Assert.Throws<IOException>(() => StepsCsvAppender.Create(streamed, result.ParameterNames));
    }

    [Fact]
    public void ChartRenderer_OneValidationPoint_DrawsMarkers()
    {
        using var temp = new TempDirectory();
        VariantResult single = FakeResults.Unclipped(steps: 10, evalEvery: 2000);
        Assert.Single(single.Validation);
        string basePath = temp.Combine("accuracy-loss");

        new ChartRenderer().WriteAccuracyLoss(single, basePath);

        using SKBitmap bitmap = ChartFileAssert.ValidPng(basePath + ".png", 900, 540);

        // the legend sits below 80 % of the height and the red and green axis labels within 60
        // pixels of the sides, so coloured pixels inside belong to the data
        using SKBitmap plotArea = new();
        Assert.True(bitmap.ExtractSubset(plotArea, new SKRectI(60, 0, bitmap.Width - 60, bitmap.Height * 8 / 10)));
        int red = ChartFileAssert.CountPixelsNear(plotArea, new SKColor(255, 0, 0), 40);
        int green = ChartFileAssert.CountPixelsNear(plotArea, new SKColor(0, 128, 0), 40);
        Assert.True(red > 20, $"only {red} red pixels in the plot area: the accuracy point is not drawn");
        Assert.True(green > 20, $"only {green} green pixels in the plot area: the loss point is not drawn");
    }
}
