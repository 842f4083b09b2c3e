using ClipLab.Clipping;
using ClipLab.Tests.Data;
using ClipLab.Training;

namespace ClipLab.Tests.Training;

public sealed class DivergenceTests
{
    [Fact]
    public void Run_HugeStepThenValidation_StopsNamingValidationLoss()
    {
        // Adam's first update moves every weight by about the learning rate, so 1e10 overflows
        // the logits of the validation batch although the first gradients were finite
        var config = new ExperimentConfig { Steps = 1, EvalEvery = 1, LearningRate = 1e10, Threads = 1 };

        VariantResult result = Trainer.Run(config, RealMnist.Dataset, "none", new NoClipping());

        Assert.False(result.Completed);
        Assert.True(result.Diverged);
        Assert.Contains("iteration 0", result.Failure);
        Assert.Contains("validation loss", result.Failure);
        Assert.True(double.IsNaN(result.TestAccuracy));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_InfiniteEarlyValidationThenFiniteSteps_Completes(int threads)
    {
        // with this seed, rate and clipping the validation loss after the first update is
        // infinite, but every later step and validation point is finite: the run recovered
        var config = new ExperimentConfig { Seed = 2, Steps = 400, LearningRate = 1.5e6, Threads = threads };

        VariantResult result = Trainer.Run(config, RealMnist.Dataset, "value", ClipMethod.Parse("value:0.01"));

        Assert.True(double.IsPositiveInfinity(result.Validation[0].Loss), "precondition: the first validation loss overflows");
        Assert.All(result.Validation.Skip(1), point => Assert.True(double.IsFinite(point.Loss), $"validation loss at {point.Iteration}"));
        Assert.True(result.Completed, result.Failure);
        Assert.False(result.Diverged);
        Assert.True(double.IsFinite(result.TestLoss));
    }
}
