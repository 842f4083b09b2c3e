using System.Collections.Concurrent;
using System.Text.Json;

namespace ClipLab.Tests.Reference;

/// <summary>
/// Loads the JSON fixtures that tools/reference/generate.sh writes with PyTorch. The build
/// copies them from Reference/Fixtures next to the test assembly.
/// </summary>
internal static class ReferenceFixtures
{
    /// <summary>Command that rewrites every fixture, for error messages.</summary>
    public const string RegenerateCommand = "CLIPLAB_DATA=/path/to/mnist tools/reference/generate.sh";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    private static readonly ConcurrentDictionary<string, object> Cache = new();

    /// <summary>Returns the fixture Reference/Fixtures/<paramref name="name"/>.json, parsed once per test run.</summary>
    /// <exception cref="FileNotFoundException">The file is missing from the test output folder.</exception>
    /// <exception cref="InvalidDataException">The file does not parse into <typeparamref name="T"/>.</exception>
    public static T Load<T>(string name)
        where T : class =>
        (T)Cache.GetOrAdd(name, key => Parse<T>(key));

    private static T Parse<T>(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", "Fixtures", name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Reference fixture {path} not found. The build copies tests/ClipLab.Tests/Reference/Fixtures/*.json there; " +
                $"if the source file is missing too, regenerate it with '{RegenerateCommand}'.",
                path);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path}: expected a JSON object, found null.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException(
                $"{path} does not match the fixture format {typeof(T).Name}: {error.Message} Regenerate it with '{RegenerateCommand}'.",
                error);
        }
    }
}
