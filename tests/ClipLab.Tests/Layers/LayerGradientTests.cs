using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Layers;

/// <summary>
/// Finite-difference checks of every layer's backward pass, for the input and every parameter,
/// over all batch items.
/// </summary>
/// <remarks>
/// Each layer is linear in the perturbed variable (convolution and linear in both input and
/// weights; ReLU and max pooling piecewise linear, with inputs kept 0.05 or more from every kink
/// so a step of 0.01 cannot cross one), so the central difference has no truncation error and
/// only float32 rounding of the outputs remains: about 6e-8 relative per output, summed over a
/// few thousand projected outputs and divided by 2h = 0.02, which stays below 1e-3.
/// </remarks>
public sealed class LayerGradientTests
{
    private const double Step = 1e-2;
    private const double AbsoluteTolerance = 1e-3;
    private const double RelativeTolerance = 1e-3;

    [Theory]
    [InlineData(3, 2, 3, 7, 6, 3, 1, 0)]
    [InlineData(2, 1, 6, 8, 8, 5, 1, 0)]
    [InlineData(1, 1, 1, 5, 5, 5, 1, 0)]
    [InlineData(2, 3, 4, 9, 7, 3, 2, 1)]
    [InlineData(2, 2, 2, 6, 6, 2, 3, 2)]
    [InlineData(2, 3, 16, 7, 6, 3, 1, 0)]
    [InlineData(10, 2, 17, 5, 5, 3, 1, 1)]
    [InlineData(2, 2, 7, 8, 14, 3, 1, 1)] // 14 output columns: the direct convolution
    [InlineData(3, 1, 5, 6, 16, 3, 1, 0)] // likewise, without padding
    [InlineData(3, 4, 5, 8, 8, 3, 1, 1)] // 8 output columns, 4 input channels: the interleaved convolution
    public void Conv2d_Backward_MatchesFiniteDifferences(
        int batchSize, int inChannels, int outChannels, int height, int width, int kernelSize, int stride, int padding)
    {
        var rng = new Rng(11);
        var conv = new Conv2d("conv", inChannels, outChannels, kernelSize, stride, padding);
        RandomTensors.FillParameters(conv, rng, 0.5);
        Tensor input = RandomTensors.Normal(rng, batchSize, inChannels, height, width);

        GradientCheck.Run(conv, input, rng, Step, AbsoluteTolerance, RelativeTolerance);
    }

    [Theory]
    [InlineData(3, 7, 5)]
    [InlineData(1, 1, 1)]
    [InlineData(5, 33, 17)]
    public void Linear_Backward_MatchesFiniteDifferences(int batchSize, int inFeatures, int outFeatures)
    {
        var rng = new Rng(12);
        var linear = new Linear("fc", inFeatures, outFeatures);
        RandomTensors.FillParameters(linear, rng, 0.5);
        Tensor input = RandomTensors.Normal(rng, batchSize, inFeatures);

        GradientCheck.Run(linear, input, rng, Step, AbsoluteTolerance, RelativeTolerance);
    }

    [Fact]
    public void Relu_Backward_MatchesFiniteDifferences()
    {
        var rng = new Rng(13);
        var relu = new Relu("relu");
        Tensor input = RandomTensors.AwayFromZero(rng, 0.05, 3, 2, 5, 4);

        GradientCheck.Run(relu, input, rng, Step, AbsoluteTolerance, RelativeTolerance);
    }

    [Theory]
    [InlineData(3, 2, 8, 6, 2, 2)]
    [InlineData(2, 3, 7, 9, 3, 2)]
    [InlineData(1, 1, 5, 5, 2, 1)]
    public void MaxPool2d_Backward_MatchesFiniteDifferences(int batchSize, int channels, int height, int width, int kernelSize, int stride)
    {
        var rng = new Rng(14);
        var pool = new MaxPool2d("pool", kernelSize, stride);
        Tensor input = RandomTensors.Distinct(rng, 0.05, batchSize, channels, height, width);

        GradientCheck.Run(pool, input, rng, Step, AbsoluteTolerance, RelativeTolerance);
    }

    [Fact]
    public void Flatten_Backward_MatchesFiniteDifferences()
    {
        var rng = new Rng(15);
        var flatten = new Flatten("flatten");
        Tensor input = RandomTensors.Normal(rng, 3, 2, 3, 4);

        GradientCheck.Run(flatten, input, rng, Step, AbsoluteTolerance, RelativeTolerance);
    }

    // No pooling or ReLU here: a weight step moves the conv outputs, which could swap a window
    // maximum and put a kink inside the difference; those layers have their own checks above.
    [Fact]
    public void Sequential_SmallNetwork_MatchesFiniteDifferences()
    {
        var rng = new Rng(16);
        var network = new Sequential(
            "net",
            new Conv2d("conv", 1, 2, 3),
            new Flatten("flatten"),
            new Linear("fc", 2 * 6 * 6, 4));
        RandomTensors.FillParameters(network, rng, 0.5);
        Tensor input = RandomTensors.Distinct(rng, 0.05, 2, 1, 8, 8);

        GradientCheck.Run(network, input, rng, Step, AbsoluteTolerance, RelativeTolerance);
    }
}
