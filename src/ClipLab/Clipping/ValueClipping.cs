using System.Numerics;
using System.Runtime.Intrinsics;
using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>Clips every gradient component into [min, max].</summary>
/// <remarks>
/// g = min(max(g, min), max) per component, as torch.nn.utils.clip_grad_value_ (symmetric
/// limits only) and tf.clip_by_value do. NaN components stay NaN. Unlike both, min above max
/// is rejected instead of returning all min or all max, and so is a range that does not have
/// zero strictly inside it (such as [0, 0] or [0.5, 1]), which would replace gradients instead of
/// limiting them.
/// </remarks>
public sealed class ValueClipping : IGradientClipper
{
    /// <summary>Creates a clipper for [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="min">Lower limit, a negative finite number.</param>
    /// <param name="max">Upper limit, a positive finite number not below <paramref name="min"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A limit is NaN or infinite, <paramref name="min"/> exceeds <paramref name="max"/>, or zero is not strictly between them.
    /// </exception>
    public ValueClipping(float min, float max)
    {
        if (!float.IsFinite(min))
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, $"The lower clipping limit must be a finite number, got {GradientScaling.Format(min)}.");
        }

        if (!float.IsFinite(max))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The upper clipping limit must be a finite number, got {GradientScaling.Format(max)}.");
        }

        if (min > max)
        {
            throw new ArgumentOutOfRangeException(
                nameof(min),
                min,
                $"The lower clipping limit {GradientScaling.Format(min)} is above the upper limit {GradientScaling.Format(max)}; swap them.");
        }

        // a range without zero would push zero gradients away from zero, and an empty one
        // replaces every gradient by a constant: neither is clipping
        if (!(min < 0 && max > 0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(min),
                min,
                $"The clipping range [{GradientScaling.Format(min)}, {GradientScaling.Format(max)}] must have a negative lower and a positive upper limit, so that zero lies inside it.");
        }

        Min = min;
        Max = max;
    }

    /// <summary>Creates a symmetric clipper for [-<paramref name="limit"/>, <paramref name="limit"/>].</summary>
    /// <param name="limit">Largest absolute value a component keeps, a positive finite number. The reference experiment uses 0.001.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is zero, negative, NaN or infinite.</exception>
    public static ValueClipping Symmetric(float limit)
    {
        if (!(limit > 0) || !float.IsFinite(limit))
        {
            throw new ArgumentOutOfRangeException(
                nameof(limit), limit, $"The clipping limit must be a positive finite number, got {GradientScaling.Format(limit)}.");
        }

        return new ValueClipping(-limit, limit);
    }

    /// <summary>Lower limit.</summary>
    public float Min { get; }

    /// <summary>Upper limit.</summary>
    public float Max { get; }

    /// <inheritdoc/>
    public string Spec => Min == -Max
        ? $"value:{GradientScaling.Format(Max)}"
        : $"value:{GradientScaling.Format(Min)},{GradientScaling.Format(Max)}";

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="ClipStatistics.ClippedCount"/> is the number of components moved to a limit,
    /// and <see cref="ClipStatistics.ScaleFactor"/> is NaN because nothing is scaled.
    /// </remarks>
    public ClipStatistics Clip(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        double[] sums = new double[parameters.Count];
        double before = 0;
        double after = 0;
        long clipped = 0;
        long components = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter parameter = parameters[p];
            if (!parameter.HasGrad)
            {
                sums[p] = double.NaN;
                continue;
            }

            Span<float> g = parameter.Grad.Span;
            components += g.Length;
            double parameterBefore = GradientNorm.SumOfSquares(g);
            clipped += ClipInPlace(g);
            after += GradientNorm.SumOfSquares(g);

            sums[p] = parameterBefore;
            before += parameterBefore;
        }

        return GradientNorm.Statistics(sums, before, after, clipped, components, double.NaN);
    }

    /// <summary>Clips <paramref name="g"/> into [Min, Max] and returns how many components moved; NaN stays NaN.</summary>
    /// <remarks>Selections use comparison masks, without branches on the data, eight components at a time.</remarks>
    private long ClipInPlace(Span<float> g)
    {
        long clipped = 0;
        var min = Vector256.Create(Min);
        var max = Vector256.Create(Max);
        int i = 0;
        for (; i + Vector256<float>.Count <= g.Length; i += Vector256<float>.Count)
        {
            Span<float> chunk = g.Slice(i, Vector256<float>.Count);
            Vector256<float> value = Vector256.Create(chunk);
            Vector256<float> above = Vector256.GreaterThan(value, max);
            Vector256<float> below = Vector256.LessThan(value, min);
            clipped += BitOperations.PopCount((above | below).ExtractMostSignificantBits());
            Vector256.ConditionalSelect(above, max, Vector256.ConditionalSelect(below, min, value)).CopyTo(chunk);
        }

        for (; i < g.Length; i++)
        {
            if (g[i] > Max)
            {
                g[i] = Max;
                clipped++;
            }
            else if (g[i] < Min)
            {
                g[i] = Min;
                clipped++;
            }
        }

        return clipped;
    }
}
