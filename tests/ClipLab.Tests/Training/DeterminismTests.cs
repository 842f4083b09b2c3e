using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Tests.Data;
using ClipLab.Training;

namespace ClipLab.Tests.Training;

public sealed class DeterminismTests
{
    private static readonly ExperimentConfig ShortRun = new() { Steps = 60, EvalEvery = 10, Seed = 7 };

    [Fact]
    public void Run_SameSeedTwice_GivesBitwiseIdenticalMetrics()
    {
        MnistDataset data = RealMnist.Dataset;

        VariantResult first = Trainer.Run(ShortRun with { Threads = 2 }, data, "a", ValueClipping.Symmetric(0.001f));
        VariantResult second = Trainer.Run(ShortRun with { Threads = 2 }, data, "a", ValueClipping.Symmetric(0.001f));

        AssertBitwiseEqual(first, second);
    }

    [Fact]
    public void Run_OneAndTwoThreads_GiveBitwiseIdenticalMetrics()
    {
        MnistDataset data = RealMnist.Dataset;

        VariantResult oneThread = Trainer.Run(ShortRun with { Threads = 1 }, data, "a", new NoClipping());
        VariantResult twoThreads = Trainer.Run(ShortRun with { Threads = 2 }, data, "a", new NoClipping());

        AssertBitwiseEqual(oneThread, twoThreads);
    }

    [Fact]
    public void Run_DifferentSeeds_GiveDifferentMetrics()
    {
        MnistDataset data = RealMnist.Dataset;

        VariantResult first = Trainer.Run(ShortRun, data, "a", new NoClipping());
        VariantResult second = Trainer.Run(ShortRun with { Seed = 8 }, data, "a", new NoClipping());

        Assert.NotEqual(first.Validation[^1].Loss, second.Validation[^1].Loss);
    }

    private static void AssertBitwiseEqual(VariantResult expected, VariantResult actual)
    {
        Assert.Equal(expected.Validation.Count, actual.Validation.Count);
        Assert.Equal(expected.Steps.Count, actual.Steps.Count);
        for (int i = 0; i < expected.Validation.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Validation[i].Loss), BitConverter.DoubleToInt64Bits(actual.Validation[i].Loss));
            Assert.Equal(expected.Validation[i].Accuracy, actual.Validation[i].Accuracy);
        }

        for (int i = 0; i < expected.Steps.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Steps[i].Loss), BitConverter.DoubleToInt64Bits(actual.Steps[i].Loss));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Steps[i].Clip.NormBefore), BitConverter.DoubleToInt64Bits(actual.Steps[i].Clip.NormBefore));
            Assert.Equal(expected.Steps[i].Clip.ClippedCount, actual.Steps[i].Clip.ClippedCount);
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.TestLoss), BitConverter.DoubleToInt64Bits(actual.TestLoss));
        Assert.Equal(expected.TestAccuracy, actual.TestAccuracy);
    }
}
