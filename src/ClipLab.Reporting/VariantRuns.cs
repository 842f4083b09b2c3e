using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>One variant (one clipping method) of a run and its result for each seed.</summary>
/// <param name="Name">Variant name, used as its folder name, for example "value_0.001".</param>
/// <param name="ClipMethod">Clipping method in command-line syntax, for example "value:0.001".</param>
/// <param name="Results">
/// One entry per seed of <see cref="RunResults.Seeds"/>, in the same order: the result, or null
/// when that seed did not run.
/// </param>
public sealed record VariantRuns(string Name, string ClipMethod, IReadOnlyList<VariantResult?> Results)
{
    /// <summary>Returns how the run of one seed ended.</summary>
    /// <param name="seedIndex">Index into <see cref="Results"/>.</param>
    /// <returns><see cref="RunStatus.NotRun"/> for a null entry, otherwise the status of the result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seedIndex"/> is outside <see cref="Results"/>.</exception>
    public RunStatus StatusOf(int seedIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seedIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(seedIndex, Results.Count);

        return StatusOf(Results[seedIndex]);
    }

    /// <summary>Returns how a run ended: not run (null), completed, diverged (its last step was non-finite) or interrupted.</summary>
    /// <param name="result">The run's result, or null when it did not run.</param>
    /// <returns>The status.</returns>
    public static RunStatus StatusOf(VariantResult? result)
    {
        if (result is null)
        {
            return RunStatus.NotRun;
        }

        if (result.Completed)
        {
            return RunStatus.Completed;
        }

        // Trainer marks every run that NaN or infinity stopped. The last step alone does not tell,
        // because under skip and propagate a run that a signal stopped can end on a non-finite step.
        return result.Diverged ? RunStatus.Diverged : RunStatus.Interrupted;
    }

    /// <summary>Returns the lowercase words used for a status in reports and JSON: "completed", "diverged", "interrupted" or "not run".</summary>
    /// <param name="status">The status.</param>
    /// <returns>The words.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined value.</exception>
    public static string Describe(RunStatus status) => status switch
    {
        RunStatus.Completed => "completed",
        RunStatus.Diverged => "diverged",
        RunStatus.Interrupted => "interrupted",
        RunStatus.NotRun => "not run",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Expected Completed, Diverged, Interrupted or NotRun."),
    };
}
