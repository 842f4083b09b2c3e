using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes and reads <c>config.json</c>, the record of every setting of a run: the command, the
/// training settings, the variants, the seeds, the data checksums and the ClipLab and .NET versions.
/// </summary>
/// <remarks>
/// Layout, with snake_case keys:
/// <code>
/// {
///   "format_version": 1,
///   "command": "compare",
///   "cliplab_version": "0.1.0+4f0c2d1",
///   "dotnet_version": ".NET 10.0.0",
///   "seeds": [1, 2, 3],
///   "variants": ["none", "value:0.001"],
///   "config": { "seed": 1, "steps": 1000, ... every property of ExperimentConfig ... },
///   "data_sha256": { "t10k-images-idx3-ubyte": "0fa7...", ... },
///   "sweep": { "method": "value", "method_options": "", "thresholds": [0.0001, 0.001] }
/// }
/// </code>
/// "sweep" is present for sweeps only. Doubles are written in their shortest round-trip form,
/// so reading the file gives bitwise the same settings. <see cref="Read"/> requires every key of
/// <see cref="ExperimentConfig"/> and rejects unknown keys, so a typo cannot silently fall back to a default.
/// </remarks>
public static class RunConfigFile
{
    /// <summary>Version of the layout written by <see cref="Write"/>; <see cref="Read"/> accepts this version only.</summary>
    public const int FormatVersion = 1;

    /// <summary>The informational version of the ClipLab library, for example "0.1.0+4f0c2d1".</summary>
    public static string CurrentClipLabVersion =>
        typeof(ExperimentConfig).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ExperimentConfig).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The running .NET, for example ".NET 10.0.0".</summary>
    public static string CurrentDotNetVersion => RuntimeInformation.FrameworkDescription;

    /// <summary>Writes <paramref name="configuration"/> atomically, replacing any existing file.</summary>
    /// <param name="path">File path; its folder must exist.</param>
    /// <param name="configuration">The settings to record.</param>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void Write(string path, RunConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("format_version", FormatVersion);
            json.WriteString("command", configuration.Command);
            json.WriteString("cliplab_version", configuration.ClipLabVersion);
            json.WriteString("dotnet_version", configuration.DotNetVersion);
            json.WriteStartArray("seeds");
            foreach (ulong seed in configuration.Seeds)
            {
                json.WriteNumberValue(seed);
            }

            json.WriteEndArray();
            json.WriteStartArray("variants");
            foreach (string variant in configuration.Variants)
            {
                json.WriteStringValue(variant);
            }

            json.WriteEndArray();
            json.WritePropertyName("config");
            SummaryJsonWriter.SerializeConfig(configuration.Config).WriteTo(json);
            json.WriteStartObject("data_sha256");
            foreach ((string file, string sha256) in configuration.DataSha256.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                json.WriteString(file, sha256);
            }

            json.WriteEndObject();
            if (configuration.Sweep is SweepDefinition sweep)
            {
                json.WriteStartObject("sweep");
                json.WriteString("method", sweep.Method);
                json.WriteString("method_options", sweep.MethodOptions);
                json.WriteStartArray("thresholds");
                foreach (SweepPoint point in sweep.Points)
                {
                    json.WriteNumberValue(point.Threshold);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        AtomicFile.WriteAllText(path, System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
    }

    /// <summary>Reads and checks a file that <see cref="Write"/> wrote.</summary>
    /// <param name="path">Path of config.json.</param>
    /// <returns>
    /// The settings. For a sweep, <see cref="RunConfiguration.Sweep"/> contains the method, its
    /// options and the thresholds, with <see cref="SweepPoint.ClipMethod"/> empty: the caller
    /// builds the specs with the same parser that the command line uses.
    /// </returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not JSON, a key is missing, unknown or has a value of the wrong type, or the
    /// format version differs. The message names the file and the key, for example "config.steps".
    /// </exception>
    public static RunConfiguration Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new FileNotFoundException($"Config path '{fullPath}' is a folder. Pass the config.json file inside an earlier run folder.", fullPath);
        }

        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Config file '{fullPath}' not found. Pass the config.json of an earlier run folder.", fullPath);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(fullPath));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{fullPath}: not valid JSON: {error.Message}", error);
        }

        using (document)
        {
            var reader = new ConfigReader(fullPath);
            JsonElement root = reader.Require(document.RootElement, "", JsonValueKind.Object);

            int version = reader.Get<int>(root, "format_version");
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"{fullPath}: key 'format_version' is {version}, but this ClipLab reads version {FormatVersion} only.");
            }

            string command = reader.Get<string>(root, "command");
            ulong[] seeds = reader.Get<ulong[]>(root, "seeds");
            string[] variants = reader.Get<string[]>(root, "variants");
            var dataSha256 = reader.Get<Dictionary<string, string>>(root, "data_sha256");
            ExperimentConfig config = reader.ReadExperimentConfig(reader.Require(root, "config", JsonValueKind.Object));
            if (seeds.Length == 0)
            {
                throw new InvalidDataException($"{fullPath}: key 'seeds' is empty; list at least one seed.");
            }

            if (seeds.Distinct().Count() != seeds.Length)
            {
                throw new InvalidDataException($"{fullPath}: key 'seeds' lists a seed twice; list each seed once.");
            }

            try
            {
                Trainer.Validate(config);
            }
            catch (ArgumentException error)
            {
                // the trainer names its properties; the file names them in snake case under config.
                string key = JsonNamingPolicy.SnakeCaseLower.ConvertName(error.Message.Split(' ')[0]);
                throw new InvalidDataException($"{fullPath}: key 'config.{key}' is invalid: {error.Message.Split('\n')[0]}", error);
            }

            if (config.ValidationPointCount != reader.ValidationPointCount(root))
            {
                throw new InvalidDataException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{fullPath}: key 'config.validation_point_count' is {reader.ValidationPointCount(root)}, but steps and eval_every give {config.ValidationPointCount}; it is computed, so remove it or correct it."));
            }

            foreach (JsonProperty entry in root.EnumerateObject())
            {
                if (!TopLevelKeys.Contains(entry.Name))
                {
                    throw new InvalidDataException(
                        $"{fullPath}: key '{entry.Name}' is not a config.json key. Known keys: {string.Join(", ", TopLevelKeys)}.");
                }
            }

            if (variants.Length == 0)
            {
                throw new InvalidDataException($"{fullPath}: key 'variants' is empty; list at least one clipping method.");
            }

            if (config.Seed != seeds[0])
            {
                throw new InvalidDataException(string.Create(
                    CultureInfo.InvariantCulture, $"{fullPath}: key 'config.seed' is {config.Seed} but the first of 'seeds' is {seeds[0]}; make them equal."));
            }

            SweepDefinition? sweep = null;
            if (root.TryGetProperty("sweep", out JsonElement sweepElement))
            {
                reader.Require(root, "sweep", JsonValueKind.Object);
                double[] thresholds = reader.Get<double[]>(sweepElement, "thresholds", "sweep.");
                sweep = new SweepDefinition(
                    reader.Get<string>(sweepElement, "method", "sweep."),
                    reader.Get<string>(sweepElement, "method_options", "sweep."),
                    thresholds.Select(threshold => new SweepPoint(threshold, "")).ToArray());
            }

            return new RunConfiguration(
                command, config, variants, seeds, dataSha256,
                reader.Get<string>(root, "cliplab_version"), reader.Get<string>(root, "dotnet_version"))
            {
                Sweep = sweep,
            };
        }
    }

    // every key a config.json may hold at its top level
    private static readonly string[] TopLevelKeys =
        ["format_version", "command", "config", "variants", "seeds", "data_sha256", "cliplab_version", "dotnet_version", "sweep"];

    /// <summary>Reads keys with messages that name the file and the key.</summary>
    private sealed class ConfigReader(string path)
    {
        /// <summary>Returns config.validation_point_count when present, else the value the settings imply.</summary>
        public int ValidationPointCount(JsonElement root) =>
            root.GetProperty("config").TryGetProperty("validation_point_count", out JsonElement value) && value.TryGetInt32(out int count)
                ? count
                : ReadExperimentConfig(root.GetProperty("config")).ValidationPointCount;

        public JsonElement Require(JsonElement parent, string key, JsonValueKind kind)
        {
            JsonElement element = parent;
            if (key.Length > 0 && !parent.TryGetProperty(key, out element))
            {
                throw new InvalidDataException($"{path}: key '{key}' is missing.");
            }

            if (element.ValueKind != kind)
            {
                string name = key.Length > 0 ? $"key '{key}'" : "the top level";
                throw new InvalidDataException($"{path}: {name} must be a JSON {kind.ToString().ToLowerInvariant()}, got {element.ValueKind.ToString().ToLowerInvariant()}.");
            }

            return element;
        }

        public T Get<T>(JsonElement parent, string key, string prefix = "")
        {
            if (!parent.TryGetProperty(key, out JsonElement element))
            {
                throw new InvalidDataException($"{path}: key '{prefix}{key}' is missing.");
            }

            return Convert<T>(element, prefix + key);
        }

        public ExperimentConfig ReadExperimentConfig(JsonElement element)
        {
            // every settable property must be present; derived ones such as validation_point_count may be, and nothing else
            PropertyInfo[] properties = typeof(ExperimentConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance);
            var known = properties.Select(property => JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)).ToHashSet(StringComparer.Ordinal);
            var keys = properties
                .Where(property => property.CanWrite)
                .ToDictionary(property => JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name), StringComparer.Ordinal);
            foreach (JsonProperty entry in element.EnumerateObject())
            {
                if (!known.Contains(entry.Name))
                {
                    throw new InvalidDataException(
                        $"{path}: key 'config.{entry.Name}' is not a ClipLab setting. Known keys: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
                }
            }

            var config = new ExperimentConfig();
            foreach ((string key, PropertyInfo property) in keys)
            {
                if (!element.TryGetProperty(key, out JsonElement value))
                {
                    throw new InvalidDataException($"{path}: key 'config.{key}' is missing; add it with the value the run should use.");
                }

                property.SetValue(config, Convert(value, property.PropertyType, "config." + key));
            }

            return config;
        }

        private T Convert<T>(JsonElement element, string key) => (T)Convert(element, typeof(T), key);

        private object Convert(JsonElement element, Type type, string key)
        {
            try
            {
                return element.Deserialize(type, SummaryJsonWriter.ConfigOptions)
                    ?? throw new InvalidDataException($"{path}: key '{key}' is null; give it a value.");
            }
            catch (Exception error) when (error is JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}: key '{key}' has the value {element.GetRawText()}, which is not a valid {Describe(type)}.", error);
            }
        }

        private static string Describe(Type type) => type switch
        {
            _ when type == typeof(int) => "whole number",
            _ when type == typeof(ulong) => "non-negative whole number",
            _ when type == typeof(double) => "number",
            _ when type == typeof(string) => "string",
            _ when type.IsEnum => $"{type.Name} ({string.Join(", ", Enum.GetNames(type))})",
            _ when type.IsArray => $"array of {Describe(type.GetElementType()!)}",
            _ => type.Name,
        };
    }
}
