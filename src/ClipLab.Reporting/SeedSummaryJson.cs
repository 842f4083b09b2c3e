using System.Text.Json;
using ClipLab.Reporting.Statistics;

namespace ClipLab.Reporting;

/// <summary>Writes the parts of summary.json that summarise seeds: statistics, dead networks, Mann-Whitney U tests, and the sweep.</summary>
internal static class SeedSummaryJson
{
    public static void Write(Utf8JsonWriter json, RunResults run)
    {
        json.WriteNumber("dead_network_accuracy_threshold", DeadNetworkRule.AccuracyThreshold);

        var statistics = run.Variants.Select(variant => VariantStatistics.From(run, variant)).ToList();
        json.WriteStartArray("variant_statistics");
        foreach (VariantStatistics variant in statistics)
        {
            json.WriteStartObject();
            json.WriteString("name", variant.Name);
            json.WriteString("clip_method", variant.ClipMethod);
            json.WriteNumber("seeds", variant.SeedCount);
            json.WriteNumber("completed_seeds", variant.CompletedCount);
            json.WriteNumber("dead_networks", variant.DeadNetworks.Count);
            foreach (SeedMetric metric in SeedMetric.Summarised)
            {
                DescriptiveStatistics values = variant.Metrics[metric.Key];
                json.WriteStartObject(metric.Key);
                json.WriteNumber("count", values.Count);
                SummaryJsonWriter.WriteNumberOrNull(json, "median", values.Median);
                SummaryJsonWriter.WriteNumberOrNull(json, "mean", values.Mean);
                SummaryJsonWriter.WriteNumberOrNull(json, "standard_deviation", values.StandardDeviation);
                SummaryJsonWriter.WriteNumberOrNull(json, "min", values.Min);
                SummaryJsonWriter.WriteNumberOrNull(json, "max", values.Max);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("dead_networks");
        foreach (DeadNetwork dead in statistics.SelectMany(variant => variant.DeadNetworks))
        {
            json.WriteStartObject();
            json.WriteString("name", dead.VariantName);
            json.WriteString("clip_method", dead.ClipMethod);
            json.WriteNumber("seed", dead.Seed);
            json.WriteString("reason", dead.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        // a single seed per variant gives no spread to test
        json.WriteStartArray("comparisons");
        if (run.UsesSeedFolders)
        {
            foreach (PairComparison comparison in PairComparison.AllPairs(run))
            {
                WriteComparison(json, comparison);
            }
        }

        json.WriteEndArray();

        if (run.Sweep is SweepDefinition sweep)
        {
            json.WriteStartObject("sweep");
            json.WriteString("method", sweep.Method);
            json.WriteString("method_options", sweep.MethodOptions);
            json.WriteString("reference", sweep.ReferenceClipMethod);
            json.WriteStartArray("points");
            foreach (SweepPoint point in sweep.Points)
            {
                json.WriteStartObject();
                json.WriteNumber("threshold", point.Threshold);
                json.WriteString("clip_method", point.ClipMethod);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    private static void WriteComparison(Utf8JsonWriter json, PairComparison comparison)
    {
        MannWhitneyResult? result = comparison.Result;
        json.WriteStartObject();
        json.WriteString("metric", comparison.Metric.Key);
        json.WriteString("first", comparison.First);
        json.WriteString("second", comparison.Second);
        json.WriteNumber("first_count", result?.FirstCount ?? 0);
        json.WriteNumber("second_count", result?.SecondCount ?? 0);
        SummaryJsonWriter.WriteNumberOrNull(json, "u", result?.U ?? double.NaN);
        SummaryJsonWriter.WriteNumberOrNull(json, "z", result?.Z ?? double.NaN);
        SummaryJsonWriter.WriteNumberOrNull(json, "p_value", result?.PValue ?? double.NaN);
        if (result is null)
        {
            json.WriteNull("method");
        }
        else
        {
            json.WriteString("method", result.Method == MannWhitneyMethod.Exact ? "exact" : "normal_approximation");
        }

        json.WriteEndObject();
    }
}
