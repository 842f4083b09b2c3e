using ClipLab.Reporting.Statistics;

namespace ClipLab.Reporting;

/// <summary>A two-sided Mann-Whitney U test of one metric between two variants, over their completed seeds.</summary>
/// <param name="Metric">The metric compared.</param>
/// <param name="First">Clipping method of the first variant.</param>
/// <param name="Second">Clipping method of the second variant.</param>
/// <param name="Result">The test's outcome, or null when a variant has no finite value of the metric.</param>
public sealed record PairComparison(SeedMetric Metric, string First, string Second, MannWhitneyResult? Result)
{
    /// <summary>Compares every pair of variants (in report order) on every metric of <see cref="SeedMetric.Compared"/>.</summary>
    /// <param name="run">The run.</param>
    /// <returns>One comparison per metric and pair: metric by metric, pairs in the order (1, 2), (1, 3), ..., (2, 3), ....</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public static IReadOnlyList<PairComparison> AllPairs(RunResults run)
    {
        ArgumentNullException.ThrowIfNull(run);

        var comparisons = new List<PairComparison>();
        foreach (SeedMetric metric in SeedMetric.Compared)
        {
            for (int i = 0; i < run.Variants.Count; i++)
            {
                for (int j = i + 1; j < run.Variants.Count; j++)
                {
                    double[] first = VariantStatistics.CompletedValues(run.Variants[i], metric);
                    double[] second = VariantStatistics.CompletedValues(run.Variants[j], metric);
                    MannWhitneyResult? result = first.Length > 0 && second.Length > 0 ? MannWhitneyU.Test(first, second) : null;
                    comparisons.Add(new PairComparison(metric, run.Variants[i].ClipMethod, run.Variants[j].ClipMethod, result));
                }
            }
        }

        return comparisons;
    }
}
