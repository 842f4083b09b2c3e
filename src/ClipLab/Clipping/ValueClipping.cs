using System.Globalization;
using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>Clips every gradient component into [min, max].</summary>
/// <remarks>
/// g = min(max(g, min), max) per component, as torch.nn.utils.clip_grad_value_ (symmetric
/// limits only) and tf.clip_by_value do. NaN components stay NaN. Unlike both, min above max
/// is rejected instead of returning all min or all max.
/// </remarks>
public sealed class ValueClipping : IGradientClipper
{
    /// <summary>Creates a clipper for [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is NaN or infinite, or <paramref name="min"/> exceeds <paramref name="max"/>.</exception>
    public ValueClipping(float min, float max)
    {
        if (!float.IsFinite(min))
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, $"The lower clipping limit must be a finite number, got {Format(min)}.");
        }

        if (!float.IsFinite(max))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The upper clipping limit must be a finite number, got {Format(max)}.");
        }

        if (min > max)
        {
            throw new ArgumentOutOfRangeException(
                nameof(min), min, $"The lower clipping limit {Format(min)} is above the upper limit {Format(max)}; swap them.");
        }

        Min = min;
        Max = max;
    }

    /// <summary>Creates a symmetric clipper for [-<paramref name="limit"/>, <paramref name="limit"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is zero, negative, NaN or infinite.</exception>
    public static ValueClipping Symmetric(float limit)
    {
        if (!(limit > 0) || !float.IsFinite(limit))
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"The clipping limit must be a positive finite number, got {Format(limit)}.");
        }

        return new ValueClipping(-limit, limit);
    }

    /// <summary>Lower limit.</summary>
    public float Min { get; }

    /// <summary>Upper limit.</summary>
    public float Max { get; }

    public string Spec => Min == -Max ? $"value:{Format(Max)}" : $"value:{Format(Min)},{Format(Max)}";

    public ClipStatistics Clip(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        double before = 0;
        double after = 0;
        long clipped = 0;
        long components = 0;
        foreach (Parameter parameter in parameters)
        {
            if (!parameter.HasGrad)
            {
                continue;
            }

            Span<float> g = parameter.Grad.Span;
            components += g.Length;
            for (int i = 0; i < g.Length; i++)
            {
                float value = g[i];
                before += (double)value * value;
                if (value > Max)
                {
                    value = Max;
                    clipped++;
                }
                else if (value < Min)
                {
                    value = Min;
                    clipped++;
                }

                g[i] = value;
                after += (double)value * value;
            }
        }

        return new ClipStatistics(Math.Sqrt(before), Math.Sqrt(after), clipped, components);
    }

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
