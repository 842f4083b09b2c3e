using ClipLab.Clipping;
using ClipLab.Tests.Data;
using ClipLab.Training;

namespace ClipLab.Tests.Training;

/// <summary>Validation on a second thread: the same points as on one thread, reported in order and soon after their update.</summary>
public sealed class ValidationOverlapTests
{
    [Fact]
    public void TwoThreads_ReportEachPointInOrderAndSoon()
    {
        // A validation batch of 100 takes about as long as four training steps, so a point waits
        // for a few steps at most. 50 steps leaves a wide margin for a busy machine, yet is half
        // of the interval, at whose end the next measurement would have to wait for the point.
        var config = new ExperimentConfig { Steps = 301, EvalEvery = 100, Threads = 2 };
        var observer = new ArrivalRecorder();

        VariantResult result = Trainer.Run(config, RealMnist.Dataset, "none", new NoClipping(), observer);

        Assert.Equal([0, 100, 200, 300], observer.Arrivals.Select(arrival => arrival.Point.Iteration));
        Assert.Equal(result.Validation, observer.Arrivals.Select(arrival => arrival.Point));
        Assert.All(observer.Arrivals, arrival => Assert.True(
            arrival.StepsSeen - 1 - arrival.Point.Iteration < 50,
            $"the point of iteration {arrival.Point.Iteration} arrived after {arrival.StepsSeen} steps"));
    }

    [Fact]
    public void OneAndTwoThreads_MeasureTheSamePoints()
    {
        var config = new ExperimentConfig { Steps = 60, EvalEvery = 7 };

        VariantResult one = Trainer.Run(config with { Threads = 1 }, RealMnist.Dataset, "none", new NoClipping());
        VariantResult two = Trainer.Run(config with { Threads = 2 }, RealMnist.Dataset, "none", new NoClipping());

        Assert.Equal(one.Validation, two.Validation);
    }

    private sealed class ArrivalRecorder : ITrainingObserver
    {
        private int _steps;

        public List<(ValidationPoint Point, int StepsSeen)> Arrivals { get; } = [];

        public void OnStep(StepRecord step) => _steps++;

        public void OnValidation(ValidationPoint point) => Arrivals.Add((point, _steps));
    }
}
