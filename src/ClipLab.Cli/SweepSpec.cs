using System.Globalization;
using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Reporting;

namespace ClipLab.Cli;

/// <summary>
/// Parses the threshold list of `cliplab sweep`: METHOD:T1,T2,... such as value:1e-4,3e-4,1e-3,
/// where METHOD is value, norm, global-norm or agc and each T is one threshold. Each threshold
/// becomes the variant METHOD:T, followed by ",OPTIONS" when --method-options is given (for
/// example global-norm:T,inf,torch or agc:T,exclude=none).
/// </summary>
internal static class SweepSpec
{
    /// <summary>The methods that take a threshold as their first argument.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["value", "norm", "global-norm", "agc"];

    /// <summary>Parses the sweep argument; the clippers come back in ascending threshold order, without the unclipped reference.</summary>
    /// <exception cref="UsageException">The text, a threshold or the options are invalid; the message names the value.</exception>
    public static (SweepDefinition Sweep, IReadOnlyList<IGradientClipper> Clippers) Parse(string text, string? methodOptions)
    {
        int colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new UsageException($"the sweep '{text}' must read METHOD:T1,T2,..., for example value:1e-4,3e-4,1e-3 (METHOD is one of {string.Join(", ", Methods)}).");
        }

        string method = text[..colon].Trim().ToLowerInvariant();
        if (!Methods.Contains(method))
        {
            string hint = method == "none" ? " The unclipped reference (none) runs in every sweep without being named." : "";
            throw new UsageException($"the sweep method '{text[..colon]}' is not one of {string.Join(", ", Methods)}.{hint}");
        }

        string options = methodOptions?.Trim() ?? "";
        if (options.Length > 0 && method == "value")
        {
            throw new UsageException("--method-options does not apply to value clipping, whose second argument would be read as the upper limit; sweep value:LIMIT,... alone.");
        }

        var thresholds = new List<double>();
        foreach (string token in text[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double threshold) || !(threshold > 0) || !double.IsFinite(threshold))
            {
                throw new UsageException($"the sweep threshold '{token}' in '{text}' is not a positive number; write thresholds such as 1e-4 or 0.001, separated by commas.");
            }

            thresholds.Add(threshold);
        }

        return Build(method, options, thresholds);
    }

    /// <summary>Builds the definition and the clippers of a sweep from its method, options and thresholds.</summary>
    /// <exception cref="UsageException">A threshold gives an invalid or repeated clipping method.</exception>
    public static (SweepDefinition Sweep, IReadOnlyList<IGradientClipper> Clippers) Build(string method, string options, IReadOnlyList<double> thresholds)
    {
        IReadOnlyList<Parameter> parameters = LeNet5.Create(new Rng(0)).Parameters;
        var points = new List<SweepPoint>();
        var clippers = new List<IGradientClipper>();
        foreach (double threshold in thresholds.Order())
        {
            string spec = $"{method}:{threshold.ToString("R", CultureInfo.InvariantCulture)}" + (options.Length > 0 ? "," + options : "");
            IGradientClipper clipper;
            try
            {
                clipper = ClipMethod.Parse(spec);
                clipper.Validate(parameters);
            }
            catch (Exception error) when (error is FormatException or ArgumentException)
            {
                throw new UsageException($"the sweep threshold {threshold.ToString("R", CultureInfo.InvariantCulture)} gives the clipping method '{spec}', which is invalid: {error.Message.Split('\n')[0].Trim()}");
            }

            if (clippers.Any(existing => existing.Spec == clipper.Spec))
            {
                throw new UsageException($"the sweep lists the threshold of '{clipper.Spec}' twice; list each threshold once.");
            }

            clippers.Add(clipper);
            points.Add(new SweepPoint(threshold, clipper.Spec));
        }

        return (new SweepDefinition(method, options, points), clippers);
    }
}
