using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Optimizers;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.Data;

namespace ClipLab.Tests.Training;

public sealed class AllocationTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void TrainingStep_SteadyState_AllocatesNothing(int batchSize)
    {
        MnistDataset data = RealMnist.Dataset;
        var rng = new Rng(3);
        Sequential network = LeNet5.Create(rng.Split("init"));
        var adam = new Adam(network.Parameters, 0.01);
        var loss = new SoftmaxCrossEntropy();
        var sampler = new BatchSampler(data.Train, rng.Split("train"));
        var images = new Tensor(batchSize, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize);
        int[] labels = new int[batchSize];
        void Step()
        {
            sampler.NextBatch(images, labels);
            network.ZeroGrad();
            loss.Forward(network.Forward(images), labels);
            network.BackwardParameters(loss.Backward());
            adam.Step();
        }

        // warm-up: buffers are created on first use and the JIT compiles every path
        for (int i = 0; i < 50; i++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
