using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Layers;

/// <summary>
/// The direct convolution, which Conv2d uses for wide stride-1 outputs, against a float64
/// convolution written out in loops here, and against itself on one and two threads.
/// </summary>
/// <remarks>
/// Each output and weight gradient is a float32 sum of T products, within gamma(T) =
/// T * 2^-24 / (1 - T * 2^-24) times the sum of the products' magnitudes of the exact value.
/// </remarks>
public sealed class DirectConvolutionTests
{
    // (batch, in channels, out channels, height, width, kernel, padding): output widths of 14 to
    // 32 columns; 1, 4, 5, 6, 7 and 16 channels reach every tile height of the kernel
    public static TheoryData<int, int, int, int, int, int, int> Shapes => new()
    {
        { 8, 1, 6, 32, 32, 5, 0 },
        { 2, 3, 5, 12, 16, 3, 1 },
        { 3, 2, 7, 9, 30, 5, 2 },
        { 1, 1, 1, 4, 14, 1, 0 },
        { 10, 2, 16, 6, 28, 3, 0 },
        { 2, 4, 4, 7, 31, 4, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndWeightGrad_MatchFloat64Loops(int batchSize, int inChannels, int outChannels, int height, int width, int kernelSize, int padding)
    {
        var rng = new Rng(31);
        var conv = new Conv2d("conv", inChannels, outChannels, kernelSize, padding: padding);
        RandomTensors.FillParameters(conv, rng, 0.5);
        Tensor input = RandomTensors.Normal(rng, batchSize, inChannels, height, width);
        int outHeight = conv.OutputSize(height);
        int outWidth = conv.OutputSize(width);
        Tensor outputGrad = RandomTensors.Normal(rng, batchSize, outChannels, outHeight, outWidth);

        Tensor output = conv.Forward(input);
        conv.BackwardParameters(outputGrad);
        Assert.True(conv.LastForwardWasDirect);

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

        for (int o = 0; o < outChannels; o++)
        {
            AssertWithin(reference.BiasGrad[o], conv.Bias.Grad.Data[o], Gamma(weightTerms) * reference.BiasGradScale[o], $"bias gradient {o}");
        }
    }

    [Fact]
    public void OneAndTwoThreads_GiveSameBits()
    {
        // a batch above 8 runs items and channel pairs on both threads
        var rng = new Rng(32);
        Tensor input = RandomTensors.Normal(rng, 20, 1, 32, 32);
        Tensor outputGrad = RandomTensors.Normal(rng, 20, 6, 28, 28);
        float[][] results = [.. new[] { 1, 2 }.Select(threads =>
        {
            var conv = new Conv2d("conv", 1, 6, 5) { Parallelism = new Parallelism(threads) };
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
        // the direct path takes dX from the unfolded product, so both paths must give the same bits
        var rng = new Rng(34);
        Tensor input = RandomTensors.Normal(rng, 3, 2, 10, 16);
        Tensor outputGrad = RandomTensors.Normal(rng, 3, 5, 10, 16);
        float[][] inputGrads = [.. new[] { true, false }.Select(direct =>
        {
            var conv = new Conv2d("conv", 2, 5, 3, padding: 1) { AllowDirect = direct };
            RandomTensors.FillParameters(conv, new Rng(35), 0.5);
            conv.Forward(input);
            return conv.Backward(outputGrad).Data.ToArray();
        })];

        NumericAssert.BitwiseEqual(inputGrads[1], inputGrads[0], "input gradient");
    }

    private static double Gamma(int terms) => terms * Math.Pow(2, -24) / (1 - terms * Math.Pow(2, -24));

    private static void AssertWithin(double expected, float actual, double bound, string what) =>
        Assert.True(Math.Abs(actual - expected) <= bound, $"{what}: expected {expected:R}, got {actual:R}, bound {bound:R}");

    /// <summary>Output, weight and bias gradients and their magnitude sums, in float64 straight from the definition.</summary>
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
                    WeightGrad[weightIndex] += dy[outIndex] * xv;
                    WeightGradScale[weightIndex] += Math.Abs(dy[outIndex] * xv);
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

        public double[] BiasGradScale { get; }
    }
}
