using System.Text.Json;
using System.Text.Json.Serialization;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes <c>summary.json</c>: whether the run completed, every setting of the experiment, the
/// summary numbers of each variant and seed, and over the seeds the statistics, dead networks
/// and Mann-Whitney U tests, for scripts that compare runs.
/// </summary>
/// <remarks>
/// Layout, with snake_case keys:
/// <code>
/// {
///   "command": "compare", "completed": false, "interrupted": true,
///   "config": { "seed": 1, "steps": 1000, "learning_rate": 0.01, "epsilon_placement": "TensorFlow", ... },
///   "seeds": [1, 2, 3],
///   "last_point_count": 10,
///   "variants": [ { "name": "unclipped", "clip_method": "none", "completed": true, "failure": null,
///                   "final_validation_iteration": 990, "final_validation_loss": 0.29, ...,
///                   "last10_mean_validation_loss": 0.31, ..., "clipped_step_share": 0, "non_finite_steps": 0,
///                   "seed": 1, "status": "completed" } ],
///   "dead_network_accuracy_threshold": 0.2,
///   "variant_statistics": [ { "name": "unclipped", "clip_method": "none", "seeds": 3, "completed_seeds": 3,
///                             "test_accuracy": { "count": 3, "median": 0.91, "mean": 0.9, "standard_deviation": 0.01, "min": 0.89, "max": 0.91 }, ... } ],
///   "dead_networks": [ { "name": "unclipped", "clip_method": "none", "seed": 4, "reason": "test accuracy 0.1135" } ],
///   "comparisons": [ { "metric": "test_accuracy", "first": "none", "second": "value:0.001", "u": 3, "z": null, "p_value": 0.7, "method": "exact", ... } ],
///   "sweep": { "method": "value", "method_options": "", "reference": "none", "points": [ { "threshold": 0.0001, "clip_method": "value:0.0001" } ] }
/// }
/// </code>
/// "variants" has one entry per variant and seed; an entry whose status is "not run" has null
/// numbers. "completed" is true when the run was not interrupted and every entry completed.
/// "comparisons" is empty for a run with one seed, and "sweep" appears only for a sweep.
/// The config object lists every public property of <see cref="ExperimentConfig"/>, so new
/// settings appear without a change here. JSON has no NaN or infinity, so every non-finite
/// number is written as <c>null</c>; a reader should treat null as "not measured".
/// </remarks>
public static class SummaryJsonWriter
{
    /// <summary>Serializer options for the config: snake_case keys, enums as names, non-finite doubles as null.</summary>
    internal static readonly JsonSerializerOptions ConfigOptions = new()
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
    public static string ToJson(ExperimentConfig config, IReadOnlyList<VariantResult> results) =>
        ToJson(RunResults.FromSingleSeed(config, results));

    /// <summary>Builds the indented JSON text of <c>summary.json</c> for a run with any number of seeds.</summary>
    /// <param name="run">The run's settings, seeds and results.</param>
    /// <returns>The JSON text, ending with a line feed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public static string ToJson(RunResults run)
    {
        ArgumentNullException.ThrowIfNull(run);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("command", run.Command);
            json.WriteBoolean("completed", run.Completed);
            json.WriteBoolean("interrupted", run.Interrupted);

            json.WritePropertyName("config");
            SerializeConfig(run.Config).WriteTo(json);
            json.WriteStartArray("seeds");
            foreach (ulong seed in run.Seeds)
            {
                json.WriteNumberValue(seed);
            }

            json.WriteEndArray();
            json.WriteNumber("last_point_count", VariantSummary.LastPointCount);

            // one entry per variant and seed, in report order
            json.WriteStartArray("variants");
            foreach (VariantRuns variant in run.Variants)
            {
                for (int i = 0; i < run.Seeds.Count; i++)
                {
                    VariantResult? result = variant.Results[i];
                    if (result is null)
                    {
                        WriteNotRun(json, variant, run.Seeds[i]);
                    }
                    else
                    {
                        WriteVariant(json, VariantSummary.From(result), run.Seeds[i], VariantRuns.StatusOf(result));
                    }
                }
            }

            json.WriteEndArray();
            SeedSummaryJson.Write(json, run);
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

    /// <summary>Writes <c>summary.json</c> of a run with any number of seeds atomically, replacing any existing file.</summary>
    /// <param name="path">File path; its folder must exist.</param>
    /// <param name="run">The run's settings, seeds and results.</param>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void Write(string path, RunResults run)
    {
        AtomicFile.WriteAllText(path, ToJson(run));
    }

    private static void WriteNotRun(Utf8JsonWriter json, VariantRuns variant, ulong seed)
    {
        json.WriteStartObject();
        json.WriteString("name", variant.Name);
        json.WriteString("clip_method", variant.ClipMethod);
        json.WriteBoolean("completed", false);
        json.WriteString("failure", "Not run: the run was interrupted before this variant and seed started.");
        foreach (string key in new[]
        {
            "final_validation_iteration", "final_validation_loss", "final_validation_accuracy", "last10_mean_validation_loss",
            "last10_mean_validation_accuracy", "test_loss", "test_accuracy", "wall_time_seconds",
        })
        {
            json.WriteNull(key);
        }

        json.WriteNumber("steps_completed", 0);
        json.WriteNumber("validation_points", 0);
        json.WriteNull("clipped_step_share");
        json.WriteNumber("non_finite_steps", 0);
        json.WriteNumber("seed", seed);
        json.WriteString("status", VariantRuns.Describe(RunStatus.NotRun));
        json.WriteEndObject();
    }

    private static void WriteVariant(Utf8JsonWriter json, VariantSummary summary, ulong seed, RunStatus status)
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
        json.WriteNumber("seed", seed);
        json.WriteString("status", VariantRuns.Describe(status));
        json.WriteEndObject();
    }

    internal static void WriteNumberOrNull(Utf8JsonWriter json, string name, double value)
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
