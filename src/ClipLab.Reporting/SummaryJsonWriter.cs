using System.Text.Json;
using System.Text.Json.Serialization;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes <c>summary.json</c>: every setting of the experiment and the summary numbers of each
/// variant, for scripts that compare runs.
/// </summary>
/// <remarks>
/// Layout, with snake_case keys:
/// <code>
/// {
///   "config": { "seed": 1, "steps": 1000, "learning_rate": 0.01, "epsilon_placement": "TensorFlow", ... },
///   "last_point_count": 10,
///   "variants": [ { "name": "unclipped", "clip_method": "none", "completed": true, "failure": null,
///                   "final_validation_iteration": 990, "final_validation_loss": 0.29, ...,
///                   "last10_mean_validation_loss": 0.31, ..., "clipped_step_share": 0, "non_finite_steps": 0 } ]
/// }
/// </code>
/// The config object lists every public property of <see cref="ExperimentConfig"/>, so new
/// settings appear without a change here. JSON has no NaN or infinity, so every non-finite
/// number is written as <c>null</c>; a reader should treat null as "not measured".
/// </remarks>
public static class SummaryJsonWriter
{
    /// <summary>Serializer options for the config: snake_case keys, enums as names, non-finite doubles as null.</summary>
    private static readonly JsonSerializerOptions ConfigOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(), new NonFiniteDoubleAsNullConverter() },
    };

    /// <summary>Returns the settings as a JSON object with snake_case keys, as written under "config".</summary>
    /// <param name="config">The settings of the run.</param>
    /// <returns>A JSON object element with one property per public property of <see cref="ExperimentConfig"/>.</returns>
    public static JsonElement SerializeConfig(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);

        return JsonSerializer.SerializeToElement(config, ConfigOptions);
    }

    /// <summary>Builds the indented JSON text of <c>summary.json</c>.</summary>
    /// <param name="config">The settings of the run.</param>
    /// <param name="results">One result per variant, in report order.</param>
    /// <returns>The JSON text, ending with a line feed.</returns>
    public static string ToJson(ExperimentConfig config, IReadOnlyList<VariantResult> results)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(results);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();

            json.WritePropertyName("config");
            SerializeConfig(config).WriteTo(json);
            json.WriteNumber("last_point_count", VariantSummary.LastPointCount);

            json.WriteStartArray("variants");
            foreach (VariantResult result in results)
            {
                WriteVariant(json, VariantSummary.From(result));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes <c>summary.json</c> atomically, replacing any existing file.</summary>
    /// <param name="path">File path; its folder must exist.</param>
    /// <param name="config">The settings of the run.</param>
    /// <param name="results">One result per variant, in report order.</param>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void Write(string path, ExperimentConfig config, IReadOnlyList<VariantResult> results)
    {
        AtomicFile.WriteAllText(path, ToJson(config, results));
    }

    private static void WriteVariant(Utf8JsonWriter json, VariantSummary summary)
    {
        json.WriteStartObject();
        json.WriteString("name", summary.Name);
        json.WriteString("clip_method", summary.ClipMethod);
        json.WriteBoolean("completed", summary.Completed);
        json.WriteString("failure", summary.Failure);

        if (summary.FinalValidationIteration is int iteration)
        {
            json.WriteNumber("final_validation_iteration", iteration);
        }
        else
        {
            json.WriteNull("final_validation_iteration");
        }

        WriteNumberOrNull(json, "final_validation_loss", summary.FinalValidationLoss);
        WriteNumberOrNull(json, "final_validation_accuracy", summary.FinalValidationAccuracy);
        WriteNumberOrNull(json, "last10_mean_validation_loss", summary.LastMeanValidationLoss);
        WriteNumberOrNull(json, "last10_mean_validation_accuracy", summary.LastMeanValidationAccuracy);
        WriteNumberOrNull(json, "test_loss", summary.TestLoss);
        WriteNumberOrNull(json, "test_accuracy", summary.TestAccuracy);
        WriteNumberOrNull(json, "wall_time_seconds", summary.WallTimeSeconds);
        json.WriteNumber("steps_completed", summary.StepsCompleted);
        json.WriteNumber("validation_points", summary.ValidationPointCount);
        WriteNumberOrNull(json, "clipped_step_share", summary.ClippedStepShare);
        json.WriteNumber("non_finite_steps", summary.NonFiniteStepCount);
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
