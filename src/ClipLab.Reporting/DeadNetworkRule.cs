using System.Globalization;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Decides whether a run ended with a dead network: one that diverged (a non-finite loss or
/// gradient stopped it), or one whose test accuracy is below <see cref="AccuracyThreshold"/> or
/// whose test loss is not finite.
/// </summary>
/// <remarks>
/// With ten classes, chance accuracy is 0.1. A network whose ReLUs have all died predicts one
/// class for every image and scores about 0.1 (0.1135 when that class is the digit 1), so 0.2
/// separates such networks from every network that learned something.
/// </remarks>
public static class DeadNetworkRule
{
    /// <summary>Test accuracy below which a completed run counts as a dead network.</summary>
    public const double AccuracyThreshold = 0.2;

    /// <summary>Returns why a run counts as a dead network, or null when it does not (or did not finish).</summary>
    /// <param name="result">The run's result, or null for a run that did not start.</param>
    /// <returns>
    /// For example "test accuracy 0.1135" or "diverged at iteration 412"; null for a healthy
    /// network and for a run that was interrupted or never started.
    /// </returns>
    public static string? Reason(VariantResult? result)
    {
        RunStatus status = VariantRuns.StatusOf(result);
        if (status == RunStatus.Diverged)
        {
            int iteration = result!.Steps[^1].Iteration;
            return string.Create(CultureInfo.InvariantCulture, $"diverged at iteration {iteration}");
        }

        if (status != RunStatus.Completed)
        {
            return null;
        }

        if (!double.IsFinite(result!.TestLoss) || !double.IsFinite(result.TestAccuracy))
        {
            return string.Create(CultureInfo.InvariantCulture, $"test loss {result.TestLoss:R}, test accuracy {result.TestAccuracy:R}");
        }

        return result.TestAccuracy < AccuracyThreshold
            ? string.Create(CultureInfo.InvariantCulture, $"test accuracy {result.TestAccuracy:F4}")
            : null;
    }
}
