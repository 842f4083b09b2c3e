using ClipLab.Clipping;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public class VariantSummaryTests
{
    [Fact]
    public void VariantSummary_ClippedStepShare_CountsClippedSteps()
    {
        StepRecord[] steps =
        [
            new(0, 2.3, new ClipStatistics(1, 0.5, 10, 100)),
            new(1, 2.2, new ClipStatistics(1, 1, 0, 100)),
            new(2, 2.1, new ClipStatistics(1, 0.9, 1, 100)),
            new(3, 2.0, new ClipStatistics(1, 0.1, 100, 100)),
        ];
        var result = new VariantResult("norm", "norm:1", [], steps, 2.0, 0.2, TimeSpan.FromSeconds(1), null);

        VariantSummary summary = VariantSummary.From(result);

        Assert.Equal(0.75, summary.ClippedStepShare);
    }

    [Fact]
    public void VariantSummary_NonFiniteSteps_AreCounted()
    {
        StepRecord[] steps =
        [
            new(0, 2.3, new ClipStatistics(1, 0.5, 10, 100)),
            new(1, double.NaN, new ClipStatistics(double.NaN, double.NaN, 0, 100) { NonFinite = true }),
            new(2, 2.1, new ClipStatistics(double.PositiveInfinity, double.NaN, 0, 100) { NonFinite = true }),
        ];
        var result = new VariantResult("skip", "global-norm:1", [], steps, 2.0, 0.2, TimeSpan.FromSeconds(1), null);

        VariantSummary summary = VariantSummary.From(result);

        Assert.Equal(2, summary.NonFiniteStepCount);
        Assert.Equal(1.0 / 3.0, summary.ClippedStepShare);
    }

    [Fact]
    public void VariantSummary_LastMeans_AverageLastTenPoints()
    {
        ValidationPoint[] points = Enumerable.Range(0, 15).Select(i => new ValidationPoint(i * 10, i, i / 100.0)).ToArray();
        var result = new VariantResult("unclipped", "none", points, [], 1.0, 0.9, TimeSpan.FromSeconds(2), null);

        VariantSummary summary = VariantSummary.From(result);

        // Points 5..14: mean loss (5 + 14) / 2, mean accuracy 0.095.
        Assert.Equal(9.5, summary.LastMeanValidationLoss);
        Assert.Equal(0.095, summary.LastMeanValidationAccuracy, 1e-15);
        Assert.Equal(140, summary.FinalValidationIteration);
        Assert.Equal(14.0, summary.FinalValidationLoss);
        Assert.Equal(0.14, summary.FinalValidationAccuracy);
        Assert.Equal(2.0, summary.WallTimeSeconds);
        Assert.True(summary.Completed);
    }

    [Fact]
    public void VariantSummary_NoData_UsesNaNAndNull()
    {
        var result = new VariantResult("empty", "none", [], [], double.NaN, double.NaN, TimeSpan.Zero, "cancelled");

        VariantSummary summary = VariantSummary.From(result);

        Assert.Null(summary.FinalValidationIteration);
        Assert.True(double.IsNaN(summary.FinalValidationLoss));
        Assert.True(double.IsNaN(summary.LastMeanValidationAccuracy));
        Assert.True(double.IsNaN(summary.ClippedStepShare));
        Assert.False(summary.Completed);
    }

    [Fact]
    public void StatusOf_CancelledAfterNonFiniteStep_IsInterrupted()
    {
        // under skip or propagate a NaN network's steps stay non-finite; a signal then stops the run
        StepRecord[] steps = [new(0, double.NaN, new ClipStatistics(double.NaN, double.NaN, 0, 100) { NonFinite = true })];
        var cancelled = new VariantResult("none", "none", [], steps, double.NaN, double.NaN, TimeSpan.Zero, "Cancelled before iteration 1.");

        Assert.Equal(RunStatus.Interrupted, VariantRuns.StatusOf(cancelled));
        Assert.Equal(RunStatus.Diverged, VariantRuns.StatusOf(cancelled with { Diverged = true }));
    }
}
