using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Layers;

public sealed class LayerBehaviourTests
{
    [Fact]
    public void Conv2d_ForwardTwice_GivesSameBits()
    {
        var rng = new Rng(21);
        var conv = new Conv2d("conv", 2, 3, 3);
        RandomTensors.FillParameters(conv, rng, 0.5);
        Tensor input = RandomTensors.Normal(rng, 4, 2, 9, 9);

        float[] first = conv.Forward(input).Data.ToArray();
        float[] second = conv.Forward(input).Data.ToArray();

        NumericAssert.BitwiseEqual(first, second, "conv output");
    }

    [Fact]
    public void Conv2d_BackwardTwice_AccumulatesTwiceTheGradient()
    {
        var rng = new Rng(22);
        var conv = new Conv2d("conv", 2, 3, 3);
        RandomTensors.FillParameters(conv, rng, 0.5);
        Tensor input = RandomTensors.Normal(rng, 2, 2, 6, 6);
        Tensor outputGrad = RandomTensors.Normal(rng, 2, 3, 4, 4);

        conv.Forward(input);
        float[] inputGradOnce = conv.Backward(outputGrad).Data.ToArray();
        float[] weightGradOnce = conv.Weight.Grad.Data.ToArray();
        float[] inputGradTwice = conv.Backward(outputGrad).Data.ToArray();
        float[] doubled = weightGradOnce.Select(g => 2 * g).ToArray();

        NumericAssert.BitwiseEqual(inputGradOnce, inputGradTwice, "input gradient");
        NumericAssert.Close(doubled, conv.Weight.Grad.Data, 1e-6, 1e-6, "accumulated weight gradient");
    }

    [Fact]
    public void Linear_ZeroGrad_ClearsGradientAndMark()
    {
        var rng = new Rng(23);
        var linear = new Linear("fc", 3, 2);
        RandomTensors.FillParameters(linear, rng, 0.5);
        linear.Forward(RandomTensors.Normal(rng, 2, 3));
        linear.Backward(RandomTensors.Normal(rng, 2, 2));

        linear.Weight.ZeroGrad();

        Assert.False(linear.Weight.HasGrad);
        Assert.All(linear.Weight.Grad.Data, g => Assert.Equal(0f, g));
        Assert.True(linear.Bias.HasGrad);
    }

    [Fact]
    public void Conv2d_WrongInputChannels_ThrowsNamingShapes()
    {
        var conv = new Conv2d("conv1", 1, 6, 5);

        var error = Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(2, 3, 32, 32)));

        Assert.Contains("conv1", error.Message);
        Assert.Contains("[2, 3, 32, 32]", error.Message);
    }

    [Fact]
    public void Linear_BackwardBeforeForward_Throws()
    {
        var linear = new Linear("fc", 3, 2);

        Assert.Throws<InvalidOperationException>(() => linear.Backward(new Tensor(1, 2)));
    }

    [Fact]
    public void MaxPool2d_EqualValues_RoutesGradientToFirst()
    {
        var pool = new MaxPool2d("pool", 2);
        var input = new Tensor([1f, 1f, 1f, 1f], 1, 1, 2, 2);

        pool.Forward(input);
        Tensor inputGrad = pool.Backward(new Tensor([5f], 1, 1, 1, 1));

        Assert.Equal([5f, 0f, 0f, 0f], inputGrad.Data);
    }

    [Fact]
    public void LeNet5_Create_HasSpecifiedShapesAndInitialisation()
    {
        Sequential network = LeNet5.Create(new Rng(24));

        string[] shapes = network.Parameters.Select(p => $"{p.Name} {p.Value.ShapeText}").ToArray();
        Assert.Equal(
            [
                "conv1.weight [6, 1, 5, 5]", "conv1.bias [6]",
                "conv2.weight [16, 6, 5, 5]", "conv2.bias [16]",
                "fc1.weight [120, 400]", "fc1.bias [120]",
                "fc2.weight [84, 120]", "fc2.bias [84]",
                "fc3.weight [10, 84]", "fc3.bias [10]",
            ],
            shapes);
        float[] weights = network.Parameters.Where(p => p.Name.EndsWith(".weight")).SelectMany(p => p.Value.Data).ToArray();
        Assert.All(weights, w => Assert.InRange(w, -0.2f, 0.2f));
        double std = Math.Sqrt(weights.Select(w => (double)w * w).Average());
        // truncation at two standard deviations shrinks the deviation to 0.1 * 0.8796
        Assert.InRange(std, 0.0870, 0.0890);
        Assert.All(network.Parameters.Where(p => p.Name.EndsWith(".bias")).SelectMany(p => p.Value.Data), b => Assert.Equal(0f, b));
        Assert.Equal([1, 10], network.Forward(new Tensor(1, 1, 32, 32)).Shape.ToArray());
    }

    [Fact]
    public void Sequential_BackwardParameters_MatchesFullBackward()
    {
        var rng = new Rng(25);
        Sequential full = LeNet5.Create(new Rng(26));
        Sequential partial = LeNet5.Create(new Rng(26));
        Tensor input = RandomTensors.Normal(rng, 3, 1, 32, 32);
        Tensor outputGrad = RandomTensors.Normal(rng, 3, 10);

        full.Forward(input);
        full.Backward(outputGrad);
        partial.Forward(input);
        partial.BackwardParameters(outputGrad);

        for (int i = 0; i < full.Parameters.Count; i++)
        {
            NumericAssert.BitwiseEqual(full.Parameters[i].Grad.Data, partial.Parameters[i].Grad.Data, full.Parameters[i].Name);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxPool2d_NaNInWindow_PropagatesNaNAndRoutesGradientToIt(int kernelSize)
    {
        var pool = new MaxPool2d("pool", kernelSize);
        float[] values = Enumerable.Range(0, kernelSize * kernelSize).Select(i => (float)i).ToArray();
        values[1] = float.NaN;
        var input = new Tensor(values, 1, 1, kernelSize, kernelSize);

        Tensor output = pool.Forward(input);
        Tensor inputGrad = pool.Backward(new Tensor([1f], 1, 1, 1, 1));

        Assert.True(float.IsNaN(output.Data[0]));
        Assert.Equal(1f, inputGrad.Data[1]);
        Assert.Equal(1f, inputGrad.Data.Sum());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LeNet5_Infer_GivesForwardsBits(int threads)
    {
        // 20 items: three groups of the unfolded conv2, which Infer runs through one block of cols
        Sequential network = LeNet5.Create(new Rng(41));
        network.SetParallelism(new Parallelism(threads));
        Tensor input = RandomTensors.Normal(new Rng(42), 20, 1, LeNet5.ImageSize, LeNet5.ImageSize);

        float[] forward = network.Forward(input).Data.ToArray();
        float[] infer = network.Infer(input).Data.ToArray();

        NumericAssert.BitwiseEqual(forward, infer, "logits");
    }

    [Fact]
    public void Conv2d_BackwardAfterInfer_Throws()
    {
        var conv = new Conv2d("conv", 1, 2, 3);
        var input = new Tensor(1, 1, 5, 5);
        conv.Forward(input);
        Tensor output = conv.Infer(input);

        var error = Assert.Throws<InvalidOperationException>(() => conv.Backward(output));
        Assert.Contains("before Forward", error.Message);
    }

    [Fact]
    public void Relu_SpecialValues_FollowIeeeMaximumWithZero()
    {
        // 19 values: two whole vectors and a scalar tail, with each special value in both parts
        float[] special = [float.NaN, -0f, 0f, float.NegativeInfinity, float.PositiveInfinity, -1e-45f, 2.5f];
        float[] values = [.. Enumerable.Range(0, 19).Select(i => special[i % special.Length])];
        var relu = new Relu("relu");

        float[] output = relu.Forward(new Tensor(values, values.Length)).Data;

        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                Assert.True(float.IsNaN(output[i]), $"value {i} should stay NaN");
                continue;
            }

            float expected = values[i] > 0f ? values[i] : 0f;
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(output[i]));
        }
    }

    [Theory]
    [InlineData(new[] { 1f, 3f, 3f, 2f }, 1)]
    [InlineData(new[] { -0f, 0f }, 0)]
    [InlineData(new[] { 1f, float.NaN, 5f, float.NaN }, 1)]
    [InlineData(new[] { float.NegativeInfinity, float.NegativeInfinity }, 0)]
    public void PredictedClass_FirstLargestOrFirstNaN(float[] logits, int expected)
    {
        Assert.Equal(expected, ClipLab.Losses.SoftmaxCrossEntropy.PredictedClass(logits));
    }
}
