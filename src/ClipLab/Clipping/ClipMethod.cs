using System.Globalization;

namespace ClipLab.Clipping;

/// <summary>Parses clipping methods written in command-line syntax.</summary>
public static class ClipMethod
{
    /// <summary>One line per method, for help text.</summary>
    public static IReadOnlyList<string> Descriptions { get; } =
    [
        "none                  gradients pass through unchanged",
        "value:LIMIT           every component clipped into [-LIMIT, LIMIT]",
        "value:MIN,MAX         every component clipped into [MIN, MAX]",
    ];

    /// <summary>Parses <paramref name="text"/>, for example "none", "value:0.001" or "value:-0.002,0.001".</summary>
    /// <exception cref="FormatException">The text names no known method or its numbers are malformed; the message says which.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range; the message carries the value.</exception>
    public static IGradientClipper Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':');
        string name = (colon < 0 ? trimmed : trimmed[..colon]).ToLowerInvariant();
        string[] arguments = colon < 0 ? [] : trimmed[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries);
        switch (name)
        {
            case "none":
                RequireArgumentCount(text, arguments, 0, 0);
                return new NoClipping();

            case "value":
                RequireArgumentCount(text, arguments, 1, 2);
                return arguments.Length == 1
                    ? ValueClipping.Symmetric(ParseFloat(text, arguments[0]))
                    : new ValueClipping(ParseFloat(text, arguments[0]), ParseFloat(text, arguments[1]));

            default:
                throw new FormatException(
                    $"Unknown clipping method \"{text}\". Known methods: none, value:LIMIT, value:MIN,MAX.");
        }
    }

    private static void RequireArgumentCount(string text, string[] arguments, int min, int max)
    {
        if (arguments.Length < min || arguments.Length > max)
        {
            string expected = min == max ? $"{min}" : $"{min} to {max}";
            throw new FormatException($"Clipping method \"{text}\" takes {expected} numbers, got {arguments.Length}.");
        }
    }

    private static float ParseFloat(string text, string argument)
    {
        if (!float.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            throw new FormatException($"\"{argument}\" in clipping method \"{text}\" is not a number.");
        }

        return value;
    }
}
