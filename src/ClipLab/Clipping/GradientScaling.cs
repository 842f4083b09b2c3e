namespace ClipLab.Clipping;

/// <summary>The scale factor and in-place scaling shared by the norm methods.</summary>
internal static class GradientScaling
{
    /// <summary>
    /// Relative margin, float32 machine epsilon 2^-23, by which a norm may exceed its limit and
    /// still count as at most the limit.
    /// </summary>
    /// <remarks>
    /// Rounding the scaled components to float32 moves each normal (not subnormal) value by at
    /// most 2^-24 of itself, so a clipped gradient can measure up to that much above maxNorm.
    /// Without the margin, a second clipping call would scale it again by a factor just below 1
    /// and change components by one unit in the last place. With it, clipping twice gives
    /// bitwise the same result as clipping once. The double sums add less than 2^-24 of
    /// relative error for fewer than about 10^8 components.
    /// </remarks>
    public const double NormTolerance = 1.0 / (1 << 23);

    /// <summary>Returns maxNorm / norm when <paramref name="norm"/> exceeds <paramref name="maxNorm"/> by more than <see cref="NormTolerance"/>, else 1.</summary>
    /// <remarks>
    /// A NaN norm gives a NaN factor and an infinite norm a factor of 0, as in PyTorch, so a
    /// non-finite gradient spreads instead of vanishing silently. A norm of 0 with maxNorm 0
    /// gives 1, not 0 / 0.
    /// </remarks>
    public static double ExactFactor(double norm, double maxNorm) =>
        norm <= maxNorm * (1 + NormTolerance) ? 1 : maxNorm / norm;

    /// <summary>
    /// Multiplies every value by <paramref name="factor"/>, rounding each product once to float32,
    /// adds the squares of the results to <paramref name="sumOfSquaresAfter"/>, and returns how
    /// many values changed.
    /// </summary>
    public static long Scale(Span<float> values, double factor, ref double sumOfSquaresAfter)
    {
        long changed = 0;
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float before = values[i];
            float after = (float)(before * factor);
            values[i] = after;
            sum += (double)after * after;

            // bits, not ==, so that a NaN that stays NaN is not counted as a change
            if (BitConverter.SingleToInt32Bits(after) != BitConverter.SingleToInt32Bits(before))
            {
                changed++;
            }
        }

        sumOfSquaresAfter += sum;
        return changed;
    }

    /// <summary>Formats a setting for a spec or a message with the shortest text that parses back to the same float.</summary>
    public static string Format(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Returns the spec token of a norm type: "1", "2" or "inf".</summary>
    public static string Format(NormType normType) => normType switch
    {
        NormType.L1 => "1",
        NormType.L2 => "2",
        _ => "inf",
    };

    /// <summary>Throws when <paramref name="threshold"/> is negative, NaN or infinite. The message names <paramref name="what"/> and the value.</summary>
    public static void RequireThreshold(float threshold, string parameterName, string what)
    {
        if (!(threshold >= 0) || !float.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(
                parameterName, threshold, $"The {what} must be zero or a positive finite number, got {Format(threshold)}.");
        }
    }
}
