namespace ClipLab.Tests.Reference;

/// <summary>
/// Two-sided Mann-Whitney U test (Wilcoxon rank-sum test) of the hypothesis that two samples come
/// from the same distribution, with the normal approximation, tie correction and continuity
/// correction.
/// </summary>
/// <remarks>
/// Pool the n1 + n2 = n values and rank them, giving tied values the mean of their ranks. With R1
/// the rank sum of the first sample, U1 = R1 - n1 (n1 + 1) / 2, whose mean under the hypothesis
/// is n1 n2 / 2 and whose variance is n1 n2 / 12 * ((n + 1) - sum_t (t^3 - t) / (n (n - 1))),
/// where t runs over the sizes of the groups of tied values.
/// z = (|U1 - n1 n2 / 2| - 1/2) / sd and p = 2 P(Z &gt; z), capped at 1. The normal approximation
/// is the standard choice from about 20 values per sample on. This is the computation of
/// scipy.stats.mannwhitneyu with use_continuity=True and method="asymptotic".
/// </remarks>
internal static class MannWhitneyU
{
    /// <summary>Runs the test on <paramref name="first"/> and <paramref name="second"/>.</summary>
    /// <exception cref="ArgumentException">A sample is empty or contains NaN.</exception>
    public static MannWhitneyResult Test(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        RequireSample(first, nameof(first));
        RequireSample(second, nameof(second));

        // pool and sort, remembering which sample each value came from
        int n1 = first.Count;
        int n2 = second.Count;
        int n = n1 + n2;
        (double Value, bool IsFirst)[] pooled = first.Select(v => (v, true)).Concat(second.Select(v => (v, false))).ToArray();
        Array.Sort(pooled, (a, b) => a.Value.CompareTo(b.Value));

        // mean ranks of tied groups, the first sample's rank sum and the tie term sum (t^3 - t)
        double firstRankSum = 0;
        double tieTerm = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && pooled[end + 1].Value == pooled[start].Value)
            {
                end++;
            }

            double meanRank = (start + end + 2) / 2.0;
            double tied = end - start + 1;
            tieTerm += (tied * tied * tied) - tied;
            for (int i = start; i <= end; i++)
            {
                if (pooled[i].IsFirst)
                {
                    firstRankSum += meanRank;
                }
            }

            start = end + 1;
        }

        // normal approximation with tie and continuity corrections
        double u1 = firstRankSum - (n1 * (n1 + 1) / 2.0);
        double mean = n1 * (double)n2 / 2;
        double variance = n1 * (double)n2 / 12 * ((n + 1) - (tieTerm / (n * (double)(n - 1))));
        double z = (Math.Abs(u1 - mean) - 0.5) / Math.Sqrt(variance);
        double pValue = Math.Min(1.0, 2 * NormalDistribution.UpperTail(z));
        return new MannWhitneyResult(u1, z, pValue);
    }

    private static void RequireSample(IReadOnlyList<double> sample, string name)
    {
        if (sample.Count == 0)
        {
            throw new ArgumentException("The Mann-Whitney U test needs at least one value per sample, got an empty sample.", name);
        }

        int nan = sample.ToList().FindIndex(double.IsNaN);
        if (nan >= 0)
        {
            throw new ArgumentException($"Value {nan} of the sample is NaN, which has no rank. Remove it or replace it with a number.", name);
        }
    }
}
