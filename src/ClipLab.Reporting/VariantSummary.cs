using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Summary numbers of one variant, as shown in the report table and written to <c>summary.json</c>.
/// Values that were not measured (no validation point, no test evaluation, no step) are NaN.
/// </summary>
/// <param name="Name">Variant name, for example "unclipped".</param>
/// <param name="ClipMethod">Clipping method in command-line syntax, for example "value:0.001".</param>
/// <param name="FinalValidationIteration">Iteration of the last validation point, or null when there is none.</param>
/// <param name="FinalValidationLoss">Validation loss at the last point, in nats.</param>
/// <param name="FinalValidationAccuracy">Validation accuracy at the last point, in [0, 1].</param>
/// <param name="LastMeanValidationLoss">Mean validation loss over the last <see cref="LastPointCount"/> points (fewer when fewer exist).</param>
/// <param name="LastMeanValidationAccuracy">Mean validation accuracy over the last <see cref="LastPointCount"/> points (fewer when fewer exist).</param>
/// <param name="TestLoss">Mean loss over the test set, in nats.</param>
/// <param name="TestAccuracy">Accuracy over the test set, in [0, 1].</param>
/// <param name="WallTimeSeconds">Time spent training and evaluating the variant, in seconds.</param>
/// <param name="StepsCompleted">Number of training steps recorded.</param>
/// <param name="ValidationPointCount">Number of validation points recorded.</param>
/// <param name="ClippedStepShare">Share of recorded steps in which clipping changed at least one gradient component, in [0, 1].</param>
/// <param name="NonFiniteStepCount">Number of recorded steps whose loss or gradient was NaN or infinite before clipping.</param>
/// <param name="Failure">Why the run stopped early, or null when it completed.</param>
public sealed record VariantSummary(
    string Name,
    string ClipMethod,
    int? FinalValidationIteration,
    double FinalValidationLoss,
    double FinalValidationAccuracy,
    double LastMeanValidationLoss,
    double LastMeanValidationAccuracy,
    double TestLoss,
    double TestAccuracy,
    double WallTimeSeconds,
    int StepsCompleted,
    int ValidationPointCount,
    double ClippedStepShare,
    int NonFiniteStepCount,
    string? Failure)
{
    /// <summary>Number of trailing validation points averaged into the "last" means.</summary>
    public const int LastPointCount = 10;

    /// <summary>True when the run trained every step and evaluated the test set.</summary>
    public bool Completed => Failure is null;

    /// <summary>Computes the summary of one variant's result.</summary>
    /// <param name="result">The variant's measurements.</param>
    /// <returns>The summary; see the parameter descriptions of <see cref="VariantSummary"/> for each value.</returns>
    public static VariantSummary From(VariantResult result)
    {
        ArgumentNullException.ThrowIfNull(result);

        ValidationPoint? last = result.Validation.Count > 0 ? result.Validation[^1] : null;
        int clippedSteps = result.Steps.Count(step => step.Clip.ClippedCount > 0);
        double clippedStepShare = result.Steps.Count > 0 ? (double)clippedSteps / result.Steps.Count : double.NaN;

        return new VariantSummary(
            result.Name,
            result.ClipMethod,
            last?.Iteration,
            last?.Loss ?? double.NaN,
            last?.Accuracy ?? double.NaN,
            result.MeanLastLoss(LastPointCount),
            result.MeanLastAccuracy(LastPointCount),
            result.TestLoss,
            result.TestAccuracy,
            result.WallTime.TotalSeconds,
            result.Steps.Count,
            result.Validation.Count,
            clippedStepShare,
            result.Steps.Count(step => step.Clip.NonFinite),
            result.Failure);
    }
}
