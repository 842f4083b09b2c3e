using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

/// <summary>Synthetic multi-seed runs built from <see cref="FakeResults"/>.</summary>
internal static class SeedRuns
{
    /// <summary>Seeds 1 and 2 of "unclipped" and "clipped"; the run was interrupted during clipped seed 2, so that run stopped early.</summary>
    public static RunResults TwoSeedsInterrupted()
    {
        VariantResult clippedStopped = FakeResults.Clipped(seed: 12, steps: 400) with { TestLoss = double.NaN, TestAccuracy = double.NaN, Failure = "Cancelled before iteration 400." };
        return new RunResults(
            "compare",
            new ExperimentConfig(),
            [1, 2],
            [
                new VariantRuns("unclipped", "none", [FakeResults.Unclipped(seed: 1), FakeResults.Unclipped(seed: 11)]),
                new VariantRuns("clipped", "value:0.001", [FakeResults.Clipped(seed: 2), clippedStopped]),
                new VariantRuns("global", "global-norm:1", [FakeResults.Clipped(seed: 3) with { Name = "global", ClipMethod = "global-norm:1" }, null]),
            ])
        {
            Interrupted = true,
        };
    }
}
