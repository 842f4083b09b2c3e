namespace ClipLab.Reporting.Statistics;

/// <summary>Median, mean, standard deviation and range of the finite values of a sample, for example one metric over several seeds.</summary>
/// <param name="Count">Number of finite values summarised.</param>
/// <param name="ExcludedCount">Number of values left out because they were NaN or infinite (not measured, or diverged).</param>
/// <param name="Median">Middle value, or the mean of the two middle values for an even count; NaN when <paramref name="Count"/> is 0.</param>
/// <param name="Mean">Arithmetic mean; NaN when <paramref name="Count"/> is 0.</param>
/// <param name="StandardDeviation">Sample standard deviation with n - 1 in the denominator; NaN when <paramref name="Count"/> is below 2.</param>
/// <param name="Min">Smallest value; NaN when <paramref name="Count"/> is 0.</param>
/// <param name="Max">Largest value; NaN when <paramref name="Count"/> is 0.</param>
public sealed record DescriptiveStatistics(int Count, int ExcludedCount, double Median, double Mean, double StandardDeviation, double Min, double Max)
{
    /// <summary>Summarises the finite values of <paramref name="values"/>.</summary>
    /// <param name="values">The sample; NaN and infinities are counted in <see cref="ExcludedCount"/> and otherwise ignored.</param>
    /// <returns>The statistics of the finite values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <remarks>The standard deviation is sqrt(sum (x - mean)^2 / (n - 1)), computed in two passes.</remarks>
    public static DescriptiveStatistics Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);

        double[] all = values.ToArray();
        double[] finite = all.Where(double.IsFinite).Order().ToArray();
        int excluded = all.Length - finite.Length;
        int n = finite.Length;
        if (n == 0)
        {
            return new DescriptiveStatistics(0, excluded, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double median = n % 2 == 1 ? finite[n / 2] : (finite[(n / 2) - 1] + finite[n / 2]) / 2;
        double mean = finite.Sum() / n;
        double standardDeviation = double.NaN;
        if (n >= 2)
        {
            double squares = finite.Sum(x => (x - mean) * (x - mean));
            standardDeviation = Math.Sqrt(squares / (n - 1));
        }

        return new DescriptiveStatistics(n, excluded, median, mean, standardDeviation, finite[0], finite[^1]);
    }
}
