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
        Assert.Contains("iteration 0", result.Failure);
        Assert.Contains("validation loss", result.Failure);
        Assert.True(double.IsNaN(result.TestAccuracy));
    }
}
