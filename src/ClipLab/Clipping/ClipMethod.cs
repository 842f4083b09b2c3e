using System.Globalization;

namespace ClipLab.Clipping;

/// <summary>Parses clipping methods written in command-line syntax.</summary>
/// <remarks>
/// Syntax: a method name, then optionally ':' and comma-separated arguments. Names and keywords
/// are case-insensitive, layer names are not. Numbers use '.' as the decimal separator.
/// <code>
/// none
/// value:LIMIT                    value:MIN,MAX
/// norm:MAX[,TYPE]                TYPE is 1, 2 (default) or inf
/// global-norm:MAX[,TYPE][,torch] torch selects PyTorch's scaling instead of the exact one
/// agc:LAMBDA[,exclude=L1+L2|none][,eps=FLOOR]
/// </code>
/// </remarks>
public static class ClipMethod
{
    /// <summary>
    /// Layers that "agc:LAMBDA" excludes when the spec names none: "fc3", the final classifier of
    /// LeNet-5 as <see cref="ClipLab.Layers.LeNet5"/> builds it.
    /// </summary>
    public static IReadOnlyList<string> DefaultAgcExcludedLayers { get; } = ["fc3"];

    /// <summary>One line per method, for help text.</summary>
    public static IReadOnlyList<string> Descriptions { get; } =
    [
        "none                          gradients pass through unchanged",
        "value:LIMIT                   every component clipped into [-LIMIT, LIMIT]",
        "value:MIN,MAX                 every component clipped into [MIN, MAX]",
        "norm:MAX[,TYPE]               each parameter's gradient scaled to a norm of at most MAX; TYPE 1, 2 (default) or inf",
        "global-norm:MAX[,TYPE]        all gradients scaled by one factor to a joint norm of at most MAX, as TensorFlow and Optax do",
        "global-norm:MAX[,TYPE],torch  the same with PyTorch's factor min(MAX / (norm + 1e-6), 1)",
        "agc:LAMBDA[,exclude=L1+L2]    each unit's gradient norm at most LAMBDA * max(its weight norm, eps=1e-3); excludes fc3 unless exclude= is given, exclude=none clips every layer",
    ];

    /// <summary>Parses <paramref name="text"/>, for example "none", "value:0.001", "global-norm:1,inf,torch" or "agc:0.01,exclude=fc3".</summary>
    /// <param name="text">A method in the syntax described in the remarks of <see cref="ClipMethod"/>.</param>
    /// <returns>The clipper, whose <see cref="IGradientClipper.Spec"/> is the canonical form of <paramref name="text"/>.</returns>
    /// <exception cref="FormatException">The text names no known method, or an argument is malformed, unknown or repeated. The message names the argument.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range. The message contains the value.</exception>
    /// <exception cref="ArgumentException">An excluded layer name is invalid.</exception>
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

            case "norm":
                RequireArgumentCount(text, arguments, 1, 2);
                return new NormClipping(
                    ParseFloat(text, arguments[0]),
                    arguments.Length == 2 ? ParseNormType(text, arguments[1]) : NormType.L2);

            case "global-norm":
                RequireArgumentCount(text, arguments, 1, 3);
                return ParseGlobalNorm(text, arguments);

            case "agc":
                RequireArgumentCount(text, arguments, 1, 3);
                return ParseAdaptive(text, arguments);

            default:
                throw new FormatException(
                    $"Unknown clipping method \"{text}\". Known methods: none, value:LIMIT, value:MIN,MAX, norm:MAX, global-norm:MAX, agc:LAMBDA.");
        }
    }

    private static GlobalNormClipping ParseGlobalNorm(string text, string[] arguments)
    {
        float maxNorm = ParseFloat(text, arguments[0]);
        NormType? normType = null;
        GlobalNormScaling? scaling = null;
        foreach (string argument in arguments[1..])
        {
            if (argument.Equals("torch", StringComparison.OrdinalIgnoreCase) || argument.Equals("exact", StringComparison.OrdinalIgnoreCase))
            {
                RequireFirst(text, scaling is null, "the scaling");
                scaling = argument.Equals("torch", StringComparison.OrdinalIgnoreCase) ? GlobalNormScaling.PyTorch : GlobalNormScaling.Exact;
            }
            else
            {
                RequireFirst(text, normType is null, "the norm type");
                normType = ParseNormType(text, argument);
            }
        }

        return new GlobalNormClipping(maxNorm, normType ?? NormType.L2, scaling ?? GlobalNormScaling.Exact);
    }

    private static AdaptiveClipping ParseAdaptive(string text, string[] arguments)
    {
        float clipping = ParseFloat(text, arguments[0]);
        IReadOnlyList<string>? excluded = null;
        float? floor = null;
        foreach (string argument in arguments[1..])
        {
            int equals = argument.IndexOf('=');
            string key = equals < 0 ? argument : argument[..equals].Trim().ToLowerInvariant();
            string value = equals < 0 ? "" : argument[(equals + 1)..].Trim();
            switch (key)
            {
                case "exclude":
                    RequireFirst(text, excluded is null, "exclude=");
                    excluded = value.Equals("none", StringComparison.OrdinalIgnoreCase)
                        ? []
                        : value.Split('+', StringSplitOptions.TrimEntries);
                    break;

                case "eps":
                    RequireFirst(text, floor is null, "eps=");
                    floor = ParseFloat(text, value);
                    break;

                default:
                    throw new FormatException(
                        $"\"{argument}\" in clipping method \"{text}\" is not an AGC option. Use exclude=LAYER+LAYER, exclude=none or eps=NUMBER.");
            }
        }

        return new AdaptiveClipping(clipping, excluded ?? DefaultAgcExcludedLayers, floor ?? AdaptiveClipping.DefaultWeightNormFloor);
    }

    private static NormType ParseNormType(string text, string argument) => argument.ToLowerInvariant() switch
    {
        "1" => NormType.L1,
        "2" => NormType.L2,
        "inf" or "infinity" => NormType.Infinity,
        _ => throw new FormatException(
            $"\"{argument}\" in clipping method \"{text}\" is not a norm type. Use 1, 2 or inf" +
            (text.TrimStart().StartsWith("global-norm", StringComparison.OrdinalIgnoreCase) ? ", or torch for PyTorch's scaling." : ".")),
    };

    private static void RequireFirst(string text, bool first, string what)
    {
        if (!first)
        {
            throw new FormatException($"Clipping method \"{text}\" gives {what} twice. Give it once.");
        }
    }

    private static void RequireArgumentCount(string text, string[] arguments, int min, int max)
    {
        if (arguments.Length < min || arguments.Length > max)
        {
            string expected = min == max ? $"{min}" : $"{min} to {max}";
            throw new FormatException($"Clipping method \"{text}\" takes {expected} arguments, got {arguments.Length}.");
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
