using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>A per-run number that the report summarises over seeds and compares between variants.</summary>
/// <param name="Key">Key in summary.json, for example "test_accuracy".</param>
/// <param name="Label">Name in the report, for example "test accuracy".</param>
/// <param name="Select">Reads the number from a run's result; NaN when it was not measured.</param>
public sealed record SeedMetric(string Key, string Label, Func<VariantResult, double> Select)
{
    /// <summary>Accuracy over the whole test set.</summary>
    public static SeedMetric TestAccuracy { get; } = new("test_accuracy", "test accuracy", result => result.TestAccuracy);

    /// <summary>Mean loss over the whole test set, in nats.</summary>
    public static SeedMetric TestLoss { get; } = new("test_loss", "test loss", result => result.TestLoss);

    /// <summary>Final validation loss: the mean over the last <see cref="VariantSummary.LastPointCount"/> validation points, in nats.</summary>
    public static SeedMetric FinalValidationLoss { get; } =
        new("last10_mean_validation_loss", "final validation loss", result => result.MeanLastLoss(VariantSummary.LastPointCount));

    /// <summary>Final validation accuracy: the mean over the last <see cref="VariantSummary.LastPointCount"/> validation points.</summary>
    public static SeedMetric FinalValidationAccuracy { get; } =
        new("last10_mean_validation_accuracy", "final validation accuracy", result => result.MeanLastAccuracy(VariantSummary.LastPointCount));

    /// <summary>The metrics summarised per variant, in table order.</summary>
    public static IReadOnlyList<SeedMetric> Summarised { get; } = [TestAccuracy, TestLoss, FinalValidationLoss, FinalValidationAccuracy];

    /// <summary>The metrics compared between every pair of variants with the Mann-Whitney U test.</summary>
    public static IReadOnlyList<SeedMetric> Compared { get; } = [TestAccuracy, FinalValidationLoss];
}
