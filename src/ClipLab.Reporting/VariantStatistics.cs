using ClipLab.Reporting.Statistics;

namespace ClipLab.Reporting;

/// <summary>A variant's numbers summarised over its seeds.</summary>
/// <param name="Name">Variant name.</param>
/// <param name="ClipMethod">Clipping method in command-line syntax.</param>
/// <param name="SeedCount">Number of seeds the run asked for.</param>
/// <param name="CompletedCount">Number of seeds that completed; only these enter <paramref name="Metrics"/>.</param>
/// <param name="Metrics">Statistics of each metric of <see cref="SeedMetric.Summarised"/>, keyed by <see cref="SeedMetric.Key"/>.</param>
/// <param name="DeadNetworks">Runs of this variant that ended with a dead network, in seed order.</param>
public sealed record VariantStatistics(
    string Name,
    string ClipMethod,
    int SeedCount,
    int CompletedCount,
    IReadOnlyDictionary<string, DescriptiveStatistics> Metrics,
    IReadOnlyList<DeadNetwork> DeadNetworks)
{
    /// <summary>Summarises one variant over the seeds of <paramref name="run"/>.</summary>
    /// <param name="run">The run, for its seed list.</param>
    /// <param name="variant">The variant.</param>
    /// <returns>The statistics of the completed seeds and the dead networks.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static VariantStatistics From(RunResults run, VariantRuns variant)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(variant);

        var completed = variant.Results.Where(result => VariantRuns.StatusOf(result) == RunStatus.Completed).Select(result => result!).ToList();
        var metrics = SeedMetric.Summarised.ToDictionary(
            metric => metric.Key,
            metric => DescriptiveStatistics.Of(completed.Select(metric.Select)));

        var dead = new List<DeadNetwork>();
        for (int i = 0; i < variant.Results.Count && i < run.Seeds.Count; i++)
        {
            if (DeadNetworkRule.Reason(variant.Results[i]) is string reason)
            {
                dead.Add(new DeadNetwork(variant.Name, variant.ClipMethod, run.Seeds[i], reason));
            }
        }

        return new VariantStatistics(variant.Name, variant.ClipMethod, run.Seeds.Count, completed.Count, metrics, dead);
    }

    /// <summary>Returns the values of <paramref name="metric"/> over the completed seeds, in seed order, leaving out values that are not finite.</summary>
    /// <param name="variant">The variant.</param>
    /// <param name="metric">The metric.</param>
    /// <returns>The finite values.</returns>
    public static double[] CompletedValues(VariantRuns variant, SeedMetric metric)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(metric);

        return variant.Results
            .Where(result => VariantRuns.StatusOf(result) == RunStatus.Completed)
            .Select(result => metric.Select(result!))
            .Where(double.IsFinite)
            .ToArray();
    }
}
