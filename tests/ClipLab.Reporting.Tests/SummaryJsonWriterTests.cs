using System.Reflection;
using System.Text.Json;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public class SummaryJsonWriterTests
{
    private static readonly string[] VariantKeys =
    [
        "name", "clip_method", "completed", "failure", "final_validation_iteration", "final_validation_loss",
        "final_validation_accuracy", "last10_mean_validation_loss", "last10_mean_validation_accuracy", "test_loss",
        "test_accuracy", "wall_time_seconds", "steps_completed", "validation_points", "clipped_step_share",
        "non_finite_steps", "seed", "status",
    ];

    [Fact]
    public void SummaryJson_Write_ParsesWithExpectedFields()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("summary.json");
        VariantResult unclipped = FakeResults.Unclipped();
        VariantResult clipped = FakeResults.Clipped();

        SummaryJsonWriter.Write(path, new ExperimentConfig { Seed = 7 }, [unclipped, clipped]);

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        Assert.Equal(7UL, root.GetProperty("config").GetProperty("seed").GetUInt64());
        Assert.Equal("TensorFlow", root.GetProperty("config").GetProperty("epsilon_placement").GetString());
        Assert.Equal(10, root.GetProperty("last_point_count").GetInt32());
        JsonElement[] variants = root.GetProperty("variants").EnumerateArray().ToArray();
        Assert.Equal(2, variants.Length);
        foreach (JsonElement variant in variants)
        {
            Assert.Equal(VariantKeys, variant.EnumerateObject().Select(p => p.Name).ToArray());
        }

        JsonElement first = variants[0];
        Assert.Equal("unclipped", first.GetProperty("name").GetString());
        Assert.Equal("none", first.GetProperty("clip_method").GetString());
        Assert.True(first.GetProperty("completed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("failure").ValueKind);
        Assert.Equal(990, first.GetProperty("final_validation_iteration").GetInt32());
        Assert.Equal(unclipped.Validation[^1].Loss, first.GetProperty("final_validation_loss").GetDouble());
        Assert.Equal(unclipped.Validation[^1].Accuracy, first.GetProperty("final_validation_accuracy").GetDouble());
        Assert.Equal(unclipped.MeanLastLoss(10), first.GetProperty("last10_mean_validation_loss").GetDouble());
        Assert.Equal(unclipped.MeanLastAccuracy(10), first.GetProperty("last10_mean_validation_accuracy").GetDouble());
        Assert.Equal(unclipped.TestLoss, first.GetProperty("test_loss").GetDouble());
        Assert.Equal(unclipped.TestAccuracy, first.GetProperty("test_accuracy").GetDouble());
        Assert.Equal(unclipped.WallTime.TotalSeconds, first.GetProperty("wall_time_seconds").GetDouble());
        Assert.Equal(1000, first.GetProperty("steps_completed").GetInt32());
        Assert.Equal(100, first.GetProperty("validation_points").GetInt32());
        Assert.Equal(0.0, first.GetProperty("clipped_step_share").GetDouble());
        Assert.Equal(1.0, variants[1].GetProperty("clipped_step_share").GetDouble());
    }

    [Fact]
    public void SummaryJson_Config_HasEveryPublicSetting()
    {
        PropertyInfo[] settings = typeof(ExperimentConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance);

        JsonElement config = SummaryJsonWriter.SerializeConfig(new ExperimentConfig());

        Assert.Equal(settings.Length, config.EnumerateObject().Count());
        foreach (PropertyInfo setting in settings)
        {
            string key = JsonNamingPolicy.SnakeCaseLower.ConvertName(setting.Name);
            Assert.True(config.TryGetProperty(key, out _), $"config has no key '{key}' for ExperimentConfig.{setting.Name}");
        }
    }

    [Fact]
    public void SummaryJson_StoppedVariant_WritesNaNAsNull()
    {
        VariantResult diverged = FakeResults.Diverged(stoppedAt: 412);

        string json = SummaryJsonWriter.ToJson(new ExperimentConfig(), [diverged]);

        Assert.DoesNotContain("NaN", json);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement variant = document.RootElement.GetProperty("variants")[0];
        Assert.False(variant.GetProperty("completed").GetBoolean());
        Assert.Equal("non-finite loss at iteration 412", variant.GetProperty("failure").GetString());
        Assert.Equal(JsonValueKind.Null, variant.GetProperty("test_loss").ValueKind);
        Assert.Equal(JsonValueKind.Null, variant.GetProperty("test_accuracy").ValueKind);
        Assert.Equal(410, variant.GetProperty("final_validation_iteration").GetInt32());
        Assert.Equal(1, variant.GetProperty("non_finite_steps").GetInt32());
    }

    [Fact]
    public void SummaryJson_NoValidationOrSteps_WritesNulls()
    {
        var empty = new VariantResult("empty", "none", [], [], double.NaN, double.NaN, TimeSpan.Zero, "cancelled before the first step");

        string json = SummaryJsonWriter.ToJson(new ExperimentConfig(), [empty]);

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement variant = document.RootElement.GetProperty("variants")[0];
        Assert.Equal(JsonValueKind.Null, variant.GetProperty("final_validation_iteration").ValueKind);
        Assert.Equal(JsonValueKind.Null, variant.GetProperty("final_validation_loss").ValueKind);
        Assert.Equal(JsonValueKind.Null, variant.GetProperty("last10_mean_validation_accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Null, variant.GetProperty("clipped_step_share").ValueKind);
        Assert.Equal(0, variant.GetProperty("steps_completed").GetInt32());
    }

    [Fact]
    public void SummaryJson_NonFiniteSetting_WrittenAsNull()
    {
        var config = new ExperimentConfig { LearningRate = double.NaN, Epsilon = double.PositiveInfinity };

        JsonElement element = SummaryJsonWriter.SerializeConfig(config);

        Assert.Equal(JsonValueKind.Null, element.GetProperty("learning_rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, element.GetProperty("epsilon").ValueKind);
    }
}
