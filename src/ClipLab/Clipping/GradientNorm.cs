using System.Runtime.Intrinsics;
using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>Norms of gradients, accumulated in double so that float32 components near 1e20 do not overflow when squared.</summary>
public static class GradientNorm
{
    /// <summary>Returns the L2 norm of all gradients of parameters that have one.</summary>
    public static double Global(IReadOnlyList<Parameter> parameters) => Global(parameters, NormType.L2);

    /// <summary>Returns the <paramref name="normType"/> norm of all gradients of parameters that have one, as if they were one vector.</summary>
    /// <remarks>L1 = sum |g|, L2 = sqrt(sum g^2), infinity = max |g|. A NaN component makes every one of them NaN.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="normType"/> is not a defined value.</exception>
    public static double Global(IReadOnlyList<Parameter> parameters, NormType normType)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        RequireDefined(normType);

        double accumulated = 0;
        foreach (Parameter parameter in parameters)
        {
            if (!parameter.HasGrad)
            {
                continue;
            }

            ReadOnlySpan<float> g = parameter.Grad.Span;
            accumulated = normType switch
            {
                NormType.L1 => accumulated + SumOfAbsolute(g),
                NormType.L2 => accumulated + SumOfSquares(g),
                _ => Math.Max(accumulated, MaxAbsolute(g)),
            };
        }

        return normType == NormType.L2 ? Math.Sqrt(accumulated) : accumulated;
    }

    /// <summary>Returns the <paramref name="normType"/> norm of <paramref name="values"/>, computed in double.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="normType"/> is not a defined value.</exception>
    public static double Of(ReadOnlySpan<float> values, NormType normType)
    {
        RequireDefined(normType);

        return normType switch
        {
            NormType.L1 => SumOfAbsolute(values),
            NormType.L2 => Math.Sqrt(SumOfSquares(values)),
            _ => MaxAbsolute(values),
        };
    }

    /// <summary>Returns the sum of squared components, in double.</summary>
    /// <remarks>
    /// Eight components at a time are widened to double and added into eight partial sums,
    /// which are combined in a fixed order, so the result depends only on the values. It can
    /// differ from a left-to-right double sum in the last bits.
    /// </remarks>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        Vector256<double> low = Vector256<double>.Zero;
        Vector256<double> high = Vector256<double>.Zero;
        int i = 0;
        for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
        {
            (Vector256<double> first, Vector256<double> second) = Vector256.Widen(Vector256.Create(values.Slice(i, Vector256<float>.Count)));
            low += first * first;
            high += second * second;
        }

        double sum = Vector256.Sum(low + high);
        for (; i < values.Length; i++)
        {
            sum += (double)values[i] * values[i];
        }

        return sum;
    }

    /// <summary>Returns the number of gradient components of parameters that have a gradient.</summary>
    public static long ComponentCount(IReadOnlyList<Parameter> parameters)
    {
        long count = 0;
        foreach (Parameter parameter in parameters)
        {
            if (parameter.HasGrad)
            {
                count += parameter.Length;
            }
        }

        return count;
    }

    /// <summary>
    /// Measures the gradients without changing them: global and per-parameter L2 norms, component
    /// count and the non-finite flag. <see cref="ClipStatistics.NormAfter"/> and
    /// <see cref="ClipStatistics.ScaleFactor"/> are NaN because nothing was clipped.
    /// </summary>
    public static ClipStatistics Measure(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        double[] sums = ParameterSumsOfSquares(parameters, out double total, out long components);
        return Statistics(sums, total, double.NaN, 0, components, double.NaN);
    }

    /// <summary>
    /// Returns each parameter's gradient sum of squares (NaN for a parameter without a gradient),
    /// their total over the parameters that have a gradient, and the component count.
    /// </summary>
    internal static double[] ParameterSumsOfSquares(IReadOnlyList<Parameter> parameters, out double total, out long components)
    {
        double[] sums = new double[parameters.Count];
        total = 0;
        components = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i];
            if (!parameter.HasGrad)
            {
                sums[i] = double.NaN;
                continue;
            }

            sums[i] = SumOfSquares(parameter.Grad.Span);
            total += sums[i];
            components += parameter.Length;
        }

        return sums;
    }

    /// <summary>
    /// Builds the statistics of a clipping call from sums of squares. Turns
    /// <paramref name="parameterSums"/> into norms in place.
    /// </summary>
    internal static ClipStatistics Statistics(
        double[] parameterSums, double sumBefore, double sumAfter, long clippedCount, long componentCount, double scaleFactor)
    {
        for (int i = 0; i < parameterSums.Length; i++)
        {
            parameterSums[i] = Math.Sqrt(parameterSums[i]);
        }

        // A finite float32 squared is below 1.2e77, so only a NaN or infinite component makes the double sum non-finite.
        return new ClipStatistics(Math.Sqrt(sumBefore), Math.Sqrt(sumAfter), clippedCount, componentCount)
        {
            ScaleFactor = scaleFactor,
            ParameterNormsBefore = parameterSums,
            NonFinite = !double.IsFinite(sumBefore),
        };
    }

    private static double SumOfAbsolute(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
        {
            sum += Math.Abs((double)value);
        }

        return sum;
    }

    private static double MaxAbsolute(ReadOnlySpan<float> values)
    {
        // Math.Max returns NaN when either argument is NaN, so a NaN component is not lost.
        double max = 0;
        foreach (float value in values)
        {
            max = Math.Max(max, Math.Abs((double)value));
        }

        return max;
    }

    private static void RequireDefined(NormType normType)
    {
        if (!Enum.IsDefined(normType))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"Unknown norm type {(int)normType}. Use L1, L2 or Infinity.");
        }
    }
}
