namespace ClipLab.Reporting.Statistics;

/// <summary>
/// Two-sided Mann-Whitney U test (Wilcoxon rank-sum test) of the hypothesis that the values of
/// two samples come from the same distribution.
/// </summary>
/// <remarks>
/// <para>
/// The n1 + n2 = N values are pooled and ranked from 1, and tied values share the mean of their
/// ranks. With R1 the rank sum of the first sample, U1 = R1 - n1 (n1 + 1) / 2 and U2 = n1 n2 - U1.
/// The test uses U = max(U1, U2).
/// </para>
/// <para>
/// Exact: p = 2 P(U' &gt;= U), capped at 1, where U' follows the null distribution of the
/// statistic, counted over all C(N, n1) ways to assign the ranks 1..N to the first sample. The
/// count f(m, n, u) of assignments with statistic u obeys
/// f(m, n, u) = f(m - 1, n, u - n) + f(m, n - 1, u), with f(0, n, 0) = f(m, 0, 0) = 1.
/// </para>
/// <para>
/// Normal approximation: mean n1 n2 / 2 and variance
/// n1 n2 / 12 * ((N + 1) - sum_t (t^3 - t) / (N (N - 1))), where t runs over the sizes of the
/// groups of tied values. z = (U - n1 n2 / 2 - 1/2) / sqrt(variance) and p = 2 P(Z &gt; z), capped
/// at 1. When every value is tied the variance is 0 and p is 1.
/// </para>
/// <para>
/// These are the formulas of scipy.stats.mannwhitneyu (scipy 1.10) with
/// alternative="two-sided" and use_continuity=True. Its method="auto" picks the exact test when
/// either sample has at most 8 values and there are no ties; <see cref="MannWhitneyMethod.Auto"/>
/// picks it when both samples have at most <see cref="MaxExactSampleSize"/> values and there are
/// no ties, so the two can choose differently for unequal sample sizes. The p-values are not
/// corrected for multiple comparisons.
/// </para>
/// </remarks>
public static class MannWhitneyU
{
    /// <summary>Largest sample size for which <see cref="MannWhitneyMethod.Auto"/> uses the exact distribution.</summary>
    public const int MaxExactSampleSize = 10;

    /// <summary>Largest n1 n2 for which <see cref="MannWhitneyMethod.Exact"/> is accepted, which bounds its table to about 2 MB.</summary>
    public const int MaxExactProduct = 2500;

    /// <summary>Runs the two-sided test on <paramref name="first"/> and <paramref name="second"/>.</summary>
    /// <param name="first">First sample: finite values, at least one.</param>
    /// <param name="second">Second sample: finite values, at least one.</param>
    /// <param name="method">How to compute the p-value; default <see cref="MannWhitneyMethod.Auto"/>.</param>
    /// <returns>U of the first sample, z (normal approximation only), the p-value and the method used.</returns>
    /// <exception cref="ArgumentNullException">A sample is null.</exception>
    /// <exception cref="ArgumentException">A sample is empty or contains NaN or an infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="method"/> is <see cref="MannWhitneyMethod.Exact"/> but the pooled sample has
    /// ties or n1 n2 exceeds <see cref="MaxExactProduct"/>, or <paramref name="method"/> is not a defined value.
    /// </exception>
    public static MannWhitneyResult Test(IReadOnlyList<double> first, IReadOnlyList<double> second, MannWhitneyMethod method = MannWhitneyMethod.Auto)
    {
        RequireSample(first, nameof(first));
        RequireSample(second, nameof(second));
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Use Auto, Exact or NormalApproximation.");
        }

        int n1 = first.Count;
        int n2 = second.Count;
        (double firstRankSum, double tieTerm) = RankSum(first, second);
        double u1 = firstRankSum - (n1 * (n1 + 1) / 2.0);
        double u = Math.Max(u1, ((double)n1 * n2) - u1);
        bool hasTies = tieTerm > 0;

        if (method == MannWhitneyMethod.Auto)
        {
            method = !hasTies && n1 <= MaxExactSampleSize && n2 <= MaxExactSampleSize
                ? MannWhitneyMethod.Exact
                : MannWhitneyMethod.NormalApproximation;
        }

        if (method == MannWhitneyMethod.Exact)
        {
            if (hasTies)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(method), method, "The exact Mann-Whitney distribution assumes no ties, but the pooled sample has tied values. Use Auto or NormalApproximation.");
            }

            if ((long)n1 * n2 > MaxExactProduct)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(method), method, $"The exact Mann-Whitney distribution is limited to n1 * n2 <= {MaxExactProduct}, got {n1} * {n2}. Use Auto or NormalApproximation.");
            }

            double upperTail = ExactUpperTail(n1, n2, (int)Math.Round(u));
            return new MannWhitneyResult(u1, double.NaN, Math.Min(1.0, 2 * upperTail), MannWhitneyMethod.Exact, n1, n2);
        }

        // normal approximation with tie and continuity corrections
        int n = n1 + n2;
        double mean = n1 * (double)n2 / 2;
        double variance = n1 * (double)n2 / 12 * ((n + 1) - (n > 1 ? tieTerm / (n * (double)(n - 1)) : 0));
        if (!(variance > 0))
        {
            return new MannWhitneyResult(u1, double.NaN, 1.0, MannWhitneyMethod.NormalApproximation, n1, n2);
        }

        double z = (u - mean - 0.5) / Math.Sqrt(variance);
        double pValue = Math.Min(1.0, 2 * NormalDistribution.UpperTail(z));
        return new MannWhitneyResult(u1, z, pValue, MannWhitneyMethod.NormalApproximation, n1, n2);
    }

    private static void RequireSample(IReadOnlyList<double> sample, string name)
    {
        ArgumentNullException.ThrowIfNull(sample, name);
        if (sample.Count == 0)
        {
            throw new ArgumentException("The Mann-Whitney U test needs at least one value in each sample, got an empty sample.", name);
        }

        for (int i = 0; i < sample.Count; i++)
        {
            if (!double.IsFinite(sample[i]))
            {
                throw new ArgumentException($"Value {i} of the sample is {sample[i]}, which has no rank. Leave out values that were not measured.", name);
            }
        }
    }

    /// <summary>Returns the rank sum of the first sample and the tie term sum_t (t^3 - t) of the pooled sample.</summary>
    private static (double FirstRankSum, double TieTerm) RankSum(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        // pool and sort, remembering which sample each value came from
        var pooled = new (double Value, bool IsFirst)[first.Count + second.Count];
        for (int i = 0; i < first.Count; i++)
        {
            pooled[i] = (first[i], true);
        }

        for (int i = 0; i < second.Count; i++)
        {
            pooled[first.Count + i] = (second[i], false);
        }

        Array.Sort(pooled, (a, b) => a.Value.CompareTo(b.Value));

        // each group of equal values gets the mean of the ranks start + 1 .. end + 1
        double firstRankSum = 0;
        double tieTerm = 0;
        for (int start = 0; start < pooled.Length;)
        {
            int end = start;
            while (end + 1 < pooled.Length && pooled[end + 1].Value == pooled[start].Value)
            {
                end++;
            }

            double meanRank = (start + end + 2) / 2.0;
            double groupSize = end - start + 1;
            tieTerm += (groupSize * groupSize * groupSize) - groupSize;
            for (int i = start; i <= end; i++)
            {
                if (pooled[i].IsFirst)
                {
                    firstRankSum += meanRank;
                }
            }

            start = end + 1;
        }

        return (firstRankSum, tieTerm);
    }

    /// <summary>Returns P(U' &gt;= <paramref name="u"/>) under the null distribution for sample sizes <paramref name="n1"/> and <paramref name="n2"/>.</summary>
    private static double ExactUpperTail(int n1, int n2, int u)
    {
        // counts[n][k] = f(m, n, k) for the current m; counts start at m = 0, where f(0, n, 0) = 1
        int maxU = n1 * n2;
        var counts = new double[n2 + 1][];
        for (int n = 0; n <= n2; n++)
        {
            counts[n] = new double[maxU + 1];
            counts[n][0] = 1;
        }

        for (int m = 1; m <= n1; m++)
        {
            // f(m, 0, 0) = 1 stays; f(m, n, k) = f(m - 1, n, k - n) + f(m, n - 1, k), so n runs upwards
            // and each row is rebuilt from its own old values (m - 1) before they are overwritten.
            for (int n = 1; n <= n2; n++)
            {
                double[] row = counts[n];
                double[] previousN = counts[n - 1];
                for (int k = Math.Min(m * n, maxU); k >= 0; k--)
                {
                    double fromSmallerM = k >= n ? row[k - n] : 0;
                    row[k] = fromSmallerM + previousN[k];
                }
            }
        }

        double[] distribution = counts[n2];
        double total = 0;
        double tail = 0;
        for (int k = 0; k <= maxU; k++)
        {
            total += distribution[k];
            if (k >= u)
            {
                tail += distribution[k];
            }
        }

        return tail / total;
    }
}
