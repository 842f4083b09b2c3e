using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ClipLab.Cli;

/// <summary>
/// Numeric options parsed in the invariant culture with range checks, so that "0,01" is an error
/// rather than the number 1 read with a thousands separator, and every message names the option.
/// </summary>
internal static class NumberOptions
{
    // the smallest positive normal float32, 2^-126
    private const double SmallestNormalFloat = 1.1754943508222875e-38;

    /// <summary>A whole-number option accepting values in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = SingleToken(result);
                if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                {
                    result.AddError($"{name}: '{token}' is not a whole number.");
                    return default;
                }

                if (value < min || value > max)
                {
                    result.AddError($"{name} must be between {min} and {max}, got {token}.");
                    return default;
                }

                return (int)value;
            },
        };

    /// <summary>A non-negative 64-bit seed option.</summary>
    public static Option<ulong> Seed(string name, string description, ulong defaultValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = SingleToken(result);
                if (!ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
                {
                    result.AddError($"{name}: '{token}' is not a whole number between 0 and {ulong.MaxValue}.");
                    return default;
                }

                return value;
            },
        };

    /// <summary>
    /// A positive finite number, read as a double; with <paramref name="asFloat"/> it must also be
    /// a normal float32 (between about 1.2e-38 and 3.4e38), because it is applied in float32.
    /// </summary>
    public static Option<double> Positive(string name, string description, double defaultValue, bool asFloat = false) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = SingleToken(result);
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    result.AddError($"{name}: '{token}' is not a number; write it with a decimal point, for example 0.01.");
                    return default;
                }

                if (!(value > 0) || !double.IsFinite(value))
                {
                    result.AddError($"{name} must be a positive finite number, got {token}.");
                    return default;
                }

                if (asFloat && (value < SmallestNormalFloat || value > float.MaxValue))
                {
                    result.AddError($"{name} must be between {SmallestNormalFloat:R} and {float.MaxValue:R} to be usable in float32, got {token}.");
                    return default;
                }

                return value;
            },
        };

    private static string SingleToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
}
