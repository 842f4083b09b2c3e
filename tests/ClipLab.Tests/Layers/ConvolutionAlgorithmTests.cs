using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Layers;

/// <summary>
/// The direct and interleaved convolutions, which Conv2d uses for stride-1 shapes, against a
/// float64 convolution written out in loops here, against themselves on one and two threads,
/// and against the unfolded algorithm for the input gradient they share with it.
/// </summary>
/// <remarks>
/// Each output and weight gradient is a float32 sum of T products, within gamma(T) =
/// T * 2^-24 / (1 - T * 2^-24) times the sum of the products' magnitudes of the exact value.
/// </remarks>
public sealed class ConvolutionAlgorithmTests
{
    // (algorithm, batch, in channels, out channels, height, width, kernel, padding). Direct:
    // output widths of 14 to 32 columns, and 1, 4, 5, 6, 7 and 16 channels reach every tile
    // height. Interleaved: channel counts and widths that are not whole tiles, and batches
    // that leave lanes of the last group empty.
    public static TheoryData<ConvolutionAlgorithm, int, int, int, int, int, int, int> Shapes => new()
    {
        { ConvolutionAlgorithm.Direct, 8, 1, 6, 32, 32, 5, 0 },
        { ConvolutionAlgorithm.Direct, 2, 3, 5, 12, 16, 3, 1 },
        { ConvolutionAlgorithm.Direct, 3, 2, 7, 9, 30, 5, 2 },
        { ConvolutionAlgorithm.Direct, 1, 1, 1, 4, 14, 1, 0 },
        { ConvolutionAlgorithm.Direct, 10, 2, 16, 6, 28, 3, 0 },
        { ConvolutionAlgorithm.Direct, 2, 4, 4, 7, 31, 4, 1 },
        { ConvolutionAlgorithm.Interleaved, 8, 6, 16, 14, 14, 5, 0 },
        { ConvolutionAlgorithm.Interleaved, 3, 2, 5, 9, 7, 3, 1 },
        { ConvolutionAlgorithm.Interleaved, 9, 1, 4, 6, 5, 1, 0 },
        { ConvolutionAlgorithm.Interleaved, 20, 3, 17, 8, 12, 4, 2 },
        { ConvolutionAlgorithm.Interleaved, 1, 2, 7, 11, 13, 2, 0 },
        { ConvolutionAlgorithm.Interleaved, 11, 5, 6, 9, 8, 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndGradients_MatchFloat64Loops(
        ConvolutionAlgorithm algorithm, int batchSize, int inChannels, int outChannels, int height, int width, int kernelSize, int padding)
    {
        var rng = new Rng(31);
        var conv = new Conv2d("conv", inChannels, outChannels, kernelSize, padding: padding) { Algorithm = algorithm };
        RandomTensors.FillParameters(conv, rng, 0.5);
        Tensor input = RandomTensors.Normal(rng, batchSize, inChannels, height, width);
        int outHeight = conv.OutputSize(height);
        int outWidth = conv.OutputSize(width);
        Tensor outputGrad = RandomTensors.Normal(rng, batchSize, outChannels, outHeight, outWidth);

        Tensor output = conv.Forward(input);
        Tensor inputGrad = conv.Backward(outputGrad);
        Assert.Equal(algorithm, conv.LastAlgorithm);

        var reference = new Float64Convolution(conv, input, outputGrad);
        int terms = inChannels * kernelSize * kernelSize + 1;
        for (int i = 0; i < output.Length; i++)
        {
            AssertWithin(reference.Output[i], output.Data[i], Gamma(terms) * reference.OutputScale[i], $"output {i}");
        }

        int weightTerms = batchSize * outHeight * outWidth;
        for (int i = 0; i < conv.Weight.Grad.Length; i++)
        {
            AssertWithin(reference.WeightGrad[i], conv.Weight.Grad.Data[i], Gamma(weightTerms) * reference.WeightGradScale[i], $"weight gradient {i}");
        }

        int inputTerms = outChannels * kernelSize * kernelSize;
        for (int i = 0; i < inputGrad.Length; i++)
        {
            AssertWithin(reference.InputGrad[i], inputGrad.Data[i], Gamma(inputTerms) * reference.InputGradScale[i], $"input gradient {i}");
        }

        for (int o = 0; o < outChannels; o++)
        {
            AssertWithin(reference.BiasGrad[o], conv.Bias.Grad.Data[o], Gamma(weightTerms) * reference.BiasGradScale[o], $"bias gradient {o}");
        }
    }

    [Theory]
    [InlineData(ConvolutionAlgorithm.Direct, 1, 6, 32)]
    [InlineData(ConvolutionAlgorithm.Interleaved, 6, 16, 14)]
    public void OneAndTwoThreads_GiveSameBits(ConvolutionAlgorithm algorithm, int inChannels, int outChannels, int size)
    {
        // a batch above 8 runs items or groups, and blocks of channels, on both threads
        var rng = new Rng(32);
        Tensor input = RandomTensors.Normal(rng, 20, inChannels, size, size);
        Tensor outputGrad = RandomTensors.Normal(rng, 20, outChannels, size - 4, size - 4);
        float[][] results = [.. new[] { 1, 2 }.Select(threads =>
        {
            var conv = new Conv2d("conv", inChannels, outChannels, 5) { Parallelism = new Parallelism(threads), Algorithm = algorithm };
            RandomTensors.FillParameters(conv, new Rng(33), 0.5);
            float[] output = conv.Forward(input).Data.ToArray();
            conv.BackwardParameters(outputGrad);
            return output.Concat(conv.Weight.Grad.Data).Concat(conv.Bias.Grad.Data).ToArray();
        })];

        NumericAssert.BitwiseEqual(results[0], results[1], "output and gradients");
    }

    [Fact]
    public void InputGrad_MatchesTheUnfoldedPath()
    {
        // every algorithm sums dcols over output channels in order and folds in the same order,
        // the interleaved one eight items at a time, so all must give the same bits
        var rng = new Rng(34);
        Tensor input = RandomTensors.Normal(rng, 3, 2, 10, 16);
        Tensor outputGrad = RandomTensors.Normal(rng, 3, 5, 10, 16);
        float[][] inputGrads = [.. new[] { ConvolutionAlgorithm.Direct, ConvolutionAlgorithm.Interleaved, ConvolutionAlgorithm.Unfolded }.Select(algorithm =>
        {
            var conv = new Conv2d("conv", 2, 5, 3, padding: 1) { Algorithm = algorithm };
            RandomTensors.FillParameters(conv, new Rng(35), 0.5);
            conv.Forward(input);
            return conv.Backward(outputGrad).Data.ToArray();
        })];

        NumericAssert.BitwiseEqual(inputGrads[2], inputGrads[0], "direct input gradient");
        NumericAssert.BitwiseEqual(inputGrads[2], inputGrads[1], "interleaved input gradient");
    }

    [Theory]
    [InlineData(ConvolutionAlgorithm.Direct)]
    [InlineData(ConvolutionAlgorithm.Interleaved)]
    public void UnsuitedAlgorithm_Throws(ConvolutionAlgorithm algorithm)
    {
        var conv = new Conv2d("conv", 1, 4, 3, stride: 2) { Algorithm = algorithm };

        var error = Assert.Throws<InvalidOperationException>(() => conv.Forward(new Tensor(1, 1, 40, 40)));
        Assert.Contains("does not suit stride 2", error.Message);
    }

    private static double Gamma(int terms) => terms * Math.Pow(2, -24) / (1 - terms * Math.Pow(2, -24));

    private static void AssertWithin(double expected, float actual, double bound, string what) =>
        Assert.True(Math.Abs(actual - expected) <= bound, $"{what}: expected {expected:R}, got {actual:R}, bound {bound:R}");

    /// <summary>Output, input, weight and bias gradients and their magnitude sums, in float64 straight from the definition.</summary>
    private sealed class Float64Convolution
    {
        public Float64Convolution(Conv2d conv, Tensor input, Tensor outputGrad)
        {
            int n = input.Dim(0), ic = conv.InChannels, oc = conv.OutChannels, k = conv.KernelSize, p = conv.Padding;
            int h = input.Dim(2), w = input.Dim(3), oh = conv.OutputSize(h), ow = conv.OutputSize(w);
            float[] x = input.Data, weight = conv.Weight.Value.Data, bias = conv.Bias.Value.Data, dy = outputGrad.Data;
            Output = new double[n * oc * oh * ow];
            OutputScale = new double[Output.Length];
            WeightGrad = new double[weight.Length];
            WeightGradScale = new double[weight.Length];
            BiasGrad = new double[oc];
            InputGrad = new double[x.Length];
            InputGradScale = new double[x.Length];
            BiasGradScale = new double[oc];
            for (int b = 0; b < n; b++)
            for (int o = 0; o < oc; o++)
            for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++)
            {
                int outIndex = ((b * oc + o) * oh + r) * ow + c;
                double sum = bias[o], scale = Math.Abs(bias[o]);
                for (int i = 0; i < ic; i++)
                for (int kh = 0; kh < k; kh++)
                for (int kw = 0; kw < k; kw++)
                {
                    int row = r + kh - p, column = c + kw - p;
                    if ((uint)row >= (uint)h || (uint)column >= (uint)w)
                    {
                        continue;
                    }

                    int weightIndex = ((o * ic + i) * k + kh) * k + kw;
                    double xv = x[((b * ic + i) * h + row) * w + column];
                    sum += weight[weightIndex] * xv;
                    scale += Math.Abs(weight[weightIndex] * xv);
                    int inputIndex = ((b * ic + i) * h + row) * w + column;
                    WeightGrad[weightIndex] += dy[outIndex] * xv;
                    WeightGradScale[weightIndex] += Math.Abs(dy[outIndex] * xv);
                    InputGrad[inputIndex] += dy[outIndex] * (double)weight[weightIndex];
                    InputGradScale[inputIndex] += Math.Abs(dy[outIndex] * (double)weight[weightIndex]);
                }

                Output[outIndex] = sum;
                OutputScale[outIndex] = scale;
                BiasGrad[o] += dy[outIndex];
                BiasGradScale[o] += Math.Abs(dy[outIndex]);
            }
        }

        public double[] Output { get; }

        public double[] OutputScale { get; }

        public double[] WeightGrad { get; }

        public double[] WeightGradScale { get; }

        public double[] BiasGrad { get; }

        public double[] InputGrad { get; }

        public double[] InputGradScale { get; }

        public double[] BiasGradScale { get; }
    }
}
