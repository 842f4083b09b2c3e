using ClipLab.Layers;

namespace ClipLab.Training;

/// <summary>Everything measured for one variant (one clipping method) of an experiment.</summary>
/// <param name="Name">Variant name as used in file names and charts, for example "unclipped".</param>
/// <param name="ClipMethod">The clipping method in command-line syntax, for example "value:0.001".</param>
/// <param name="Validation">Validation points in iteration order.</param>
/// <param name="Steps">Per-step diagnostics in iteration order.</param>
/// <param name="TestLoss">Mean loss over the test set, or NaN when the run did not reach the test evaluation.</param>
/// <param name="TestAccuracy">Accuracy over the test set, or NaN when the run did not reach the test evaluation.</param>
/// <param name="WallTime">Time spent training and evaluating this variant.</param>
/// <param name="Failure">Why the run stopped early (divergence, cancellation), or null when it completed.</param>
public sealed record VariantResult(
    string Name,
    string ClipMethod,
    IReadOnlyList<ValidationPoint> Validation,
    IReadOnlyList<StepRecord> Steps,
    double TestLoss,
    double TestAccuracy,
    TimeSpan WallTime,
    string? Failure)
{
    /// <summary>True when the run trained every step and evaluated the test set.</summary>
    public bool Completed => Failure is null;

    /// <summary>
    /// True when the run stopped on a NaN or infinite value under <see cref="NonFinitePolicy.Stop"/>:
    /// in a step, in the validation after the last update, or in the test set.
    /// </summary>
    public bool Diverged { get; init; }

    /// <summary>
    /// Names of the model's parameters ("conv1.weight", ...) in the order of
    /// <see cref="ClipLab.Clipping.ClipStatistics.ParameterNormsBefore"/>; empty when not recorded.
    /// </summary>
    public IReadOnlyList<string> ParameterNames { get; init; } = [];

    /// <summary>
    /// The network's parameters as training left them: after the last update, or where the run
    /// stopped. The tensors are the trained network's own, not copies. Empty when not recorded.
    /// </summary>
    public IReadOnlyList<Parameter> FinalParameters { get; init; } = [];

    /// <summary>Mean validation loss over the last <paramref name="count"/> points (fewer when fewer exist); NaN when there are none.</summary>
    public double MeanLastLoss(int count) => MeanLast(count, p => p.Loss);

    /// <summary>Mean validation accuracy over the last <paramref name="count"/> points (fewer when fewer exist); NaN when there are none.</summary>
    public double MeanLastAccuracy(int count) => MeanLast(count, p => p.Accuracy);

    private double MeanLast(int count, Func<ValidationPoint, double> select)
    {
        if (Validation.Count == 0)
        {
            return double.NaN;
        }

        int take = Math.Min(count, Validation.Count);
        double sum = 0;
        for (int i = Validation.Count - take; i < Validation.Count; i++)
        {
            sum += select(Validation[i]);
        }

        return sum / take;
    }
}
