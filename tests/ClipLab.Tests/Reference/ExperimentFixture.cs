using System.Text.Json.Serialization;

namespace ClipLab.Tests.Reference;

/// <summary>
/// experiment.json: the reference experiment run in PyTorch for seeds 1..N, per variant
/// ("unclipped", "clipped"), with TensorFlow 1's Adam epsilon placement.
/// </summary>
internal sealed record ExperimentFixture(
    GeneratorInfo Generator,
    ExperimentSettings Settings,
    int[] Seeds,
    IReadOnlyDictionary<string, ExperimentRun[]> Variants)
{
    public static ExperimentFixture Instance => ReferenceFixtures.Load<ExperimentFixture>("experiment");
}

/// <summary>The settings PyTorch ran with; ClipLab's side runs with the same.</summary>
internal sealed record ExperimentSettings(
    int Steps,
    int BatchSize,
    double LearningRate,
    double Beta1,
    double Beta2,
    double Epsilon,
    string EpsilonPlacement,
    int EvalEvery,
    int EvalBatchSize,
    float ClipLimit,
    int LastPoints);

/// <summary>One PyTorch run. When its loss became non-finite, the measurements are null and <see cref="Failure"/> gives the reason.</summary>
internal sealed record ExperimentRun(
    int Seed,
    double? TestAccuracy = null,
    double? TestLoss = null,
    [property: JsonPropertyName("last10_validation_loss")] double? LastValidationLoss = null,
    [property: JsonPropertyName("last10_validation_accuracy")] double? LastValidationAccuracy = null,
    string? Failure = null);
