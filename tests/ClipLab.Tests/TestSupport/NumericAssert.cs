using Xunit.Sdk;

namespace ClipLab.Tests.TestSupport;

/// <summary>Element-wise comparison that reports the first failing index with expected, actual and relative error.</summary>
internal static class NumericAssert
{
    /// <summary>Passes when |actual - expected| &lt;= absoluteTolerance + relativeTolerance * |expected| for every element.</summary>
    public static void Close(
        ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double absoluteTolerance, double relativeTolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]);
            if (!(difference <= absoluteTolerance + relativeTolerance * Math.Abs(expected[i])))
            {
                double relative = difference / Math.Max(Math.Abs(expected[i]), double.Epsilon);
                throw new XunitException(
                    $"{what}[{i}]: expected {expected[i]:R}, actual {actual[i]:R}, difference {difference:E3}, relative error {relative:E3} " +
                    $"(tolerance {absoluteTolerance:E1} + {relativeTolerance:E1} * |expected|).");
            }
        }
    }

    /// <summary>Float overload of <see cref="Close(ReadOnlySpan{double}, ReadOnlySpan{double}, double, double, string)"/>.</summary>
    public static void Close(
        ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double absoluteTolerance, double relativeTolerance, string what) =>
        Close(ToDouble(expected), ToDouble(actual), absoluteTolerance, relativeTolerance, what);

    /// <summary>Passes when both spans hold the same bits.</summary>
    public static void BitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                throw new XunitException($"{what}[{i}]: expected {expected[i]:R}, actual {actual[i]:R} (bits differ).");
            }
        }
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        double[] result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
