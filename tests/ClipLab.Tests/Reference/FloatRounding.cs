using Xunit.Sdk;

namespace ClipLab.Tests.Reference;

/// <summary>
/// Bounds on float32 rounding and an assertion that applies them element by element.
/// </summary>
/// <remarks>
/// A sum of K products evaluated in float32, in any order and with or without fused
/// multiply-add, differs from the exact sum by at most gamma(K) * sum|terms|, where
/// gamma(K) = K u / (1 - K u) and u = 2^-24 is the unit roundoff of float32. Two
/// implementations that each meet this bound differ from each other by at most twice that.
/// The fixtures store sum|terms| per element as an error scale, computed by PyTorch in float64
/// from the absolute values of the same inputs.
/// </remarks>
internal static class FloatRounding
{
    /// <summary>Unit roundoff of float32, 2^-24: the largest relative error of one rounding.</summary>
    public const double UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>Returns gamma(K) = K u / (1 - K u), the worst-case relative error of a float32 sum of K products.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="terms"/> is negative or so large that K u reaches 1.</exception>
    public static double Gamma(long terms)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(terms);
        double ku = terms * UnitRoundoff;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ku, 1.0, nameof(terms));

        return ku / (1 - ku);
    }

    /// <summary>
    /// Passes when |actual[i] - expected[i]| &lt;= factor * scale[i] for every element, and otherwise
    /// reports the first failing index with expected, actual, difference, bound and relative error.
    /// </summary>
    public static void WithinBound(
        ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, ReadOnlySpan<float> scale, double factor, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected.Length, scale.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)actual[i] - expected[i]);
            double bound = factor * scale[i];
            if (!(difference <= bound))
            {
                throw new XunitException(
                    $"{what}[{i}]: expected {expected[i]:R}, actual {actual[i]:R}, difference {difference:E3}, " +
                    $"relative error {difference / Math.Max(Math.Abs((double)expected[i]), double.Epsilon):E3}, " +
                    $"bound {bound:E3} ({factor:E3} * error scale {scale[i]:E3}).");
            }
        }
    }

    /// <summary>
    /// Passes when |actual[i] - expected[i]| &lt;= bound[i] for every element, and otherwise reports the
    /// first failing index with expected, actual, difference, bound and relative error.
    /// </summary>
    public static void WithinBound(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, ReadOnlySpan<double> bound, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected.Length, bound.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]);
            if (!(difference <= bound[i]))
            {
                throw new XunitException(
                    $"{what}[{i}]: expected {expected[i]:R}, actual {actual[i]:R}, difference {difference:E3}, " +
                    $"relative error {difference / Math.Max(Math.Abs(expected[i]), double.Epsilon):E3}, bound {bound[i]:E3}.");
            }
        }
    }
}
