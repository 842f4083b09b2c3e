using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.Data;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Layers;

/// <summary>
/// Compares 2x2, stride-2 max pooling, whose forward pass has SIMD paths, with a plain loop over
/// every window. Widths from 2 to 40 give rows of 1 to 20 outputs, so every path that the
/// hardware supports runs. Rows below 4 outputs take the scalar path. With SSE4.1 alone,
/// longer rows take blocks of 4 outputs. With AVX2, rows of 4 to 7 outputs take blocks of 4
/// from two rows at a time, and longer rows blocks of 8. Blocks overlap at the row end unless
/// the row length is a multiple of the block.
/// </summary>
public sealed class MaxPool2x2Tests
{
    private const int MaxSize = 40;

    /// <summary>Few distinct values, so that most windows contain ties; -0 and +0 compare equal but differ in bits.</summary>
    private static readonly float[] TiedValues = [-1f, -0f, 0f, 1f, 2f];

    /// <summary>Infinities, and NaNs with different sign and payload bits, so that a wrong NaN shows in the output bits.</summary>
    private static readonly float[] NonFiniteValues =
    [
        float.PositiveInfinity,
        float.NegativeInfinity,
        BitConverter.Int32BitsToSingle(0x7FC00001),
        BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00002)),
        BitConverter.Int32BitsToSingle(0x7FA00003),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Forward_TiedValues_MatchesReference(int threads)
    {
        var rng = new Rng(41);
        for (int height = 2; height <= MaxSize; height++)
        {
            for (int width = 2; width <= MaxSize; width++)
            {
                Tensor input = Draw(rng, [2, 3, height, width], nonFiniteShare: 0);

                AssertMatchesReference(input, threads);
            }
        }
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.3)]
    public void Forward_NonFiniteValues_MatchesReference(double nonFiniteShare)
    {
        var rng = new Rng(42);
        for (int height = 2; height <= MaxSize; height++)
        {
            for (int width = 2; width <= MaxSize; width++)
            {
                Tensor input = Draw(rng, [2, 3, height, width], nonFiniteShare);

                AssertMatchesReference(input, threads: 1);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void Forward_InfinitiesOfBothSigns_KeepsPositiveInfinity(int width)
    {
        var pool = new MaxPool2d("pool", 2);
        // 1 window runs the scalar path and 4 windows a SIMD path, where the hardware has one
        float[] row = [float.PositiveInfinity, float.NegativeInfinity, 0f, 1f, -1f, float.PositiveInfinity, 2f, 3f];
        float[] expected = [float.PositiveInfinity, 1f, float.PositiveInfinity, 3f];
        var input = new Tensor([.. row[..width], .. row[..width]], 1, 1, 2, width);

        Tensor output = pool.Forward(input);

        Assert.Equal(expected[..(width / 2)], output.Data);
    }

    [Fact]
    public void Forward_RealMnistActivations_MatchesReference()
    {
        Sequential network = LeNet5.Create(new Rng(43));
        var images = new Tensor(16, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize);
        RealMnist.Dataset.Validation.CopyImages(0, 16, images.Span);
        IReadOnlyList<Layer> layers = network.Layers;

        // raw images are mostly zeros with repeated grey levels, so windows hold many ties
        AssertMatchesReference(images, threads: 1);

        // ReLU outputs of conv1 [16, 6, 28, 28] and conv2 [16, 16, 10, 10], the inputs of pool1 and pool2
        Tensor relu1 = layers[1].Forward(layers[0].Forward(images));
        AssertMatchesReference(relu1, threads: 1);
        Tensor relu2 = layers[4].Forward(layers[3].Forward(layers[2].Forward(relu1)));
        AssertMatchesReference(relu2, threads: 1);
    }

    [Fact]
    public void PoolPlanes_PlanesPastInputEnd_Throws()
    {
        float[] x = new float[2 * 4 * 6];
        float[] y = new float[3 * 2 * 3];
        int[] argmax = new int[y.Length];

        Assert.Throws<ArgumentOutOfRangeException>(() => MaxPool2x2.PoolPlanes(x, 1, 2, 4, 6, y, argmax));
    }

    [Fact]
    public void PoolPlanes_OutputTooShort_Throws()
    {
        float[] x = new float[2 * 4 * 6];
        float[] y = new float[2 * 2 * 3 - 1];
        int[] argmax = new int[2 * 2 * 3];

        Assert.Throws<ArgumentOutOfRangeException>(() => MaxPool2x2.PoolPlanes(x, 0, 2, 4, 6, y, argmax));
    }

    [Fact]
    public void PoolPlanes_ArgmaxTooShort_Throws()
    {
        float[] x = new float[2 * 4 * 6];
        float[] y = new float[2 * 2 * 3];
        int[] argmax = new int[2 * 2 * 3 - 1];

        Assert.Throws<ArgumentOutOfRangeException>(() => MaxPool2x2.PoolPlanes(x, 0, 2, 4, 6, y, argmax));
    }

    /// <summary>
    /// Pools <paramref name="input"/> forward and backward, and checks the output bits and that
    /// each output's gradient reaches exactly the input that the reference picks.
    /// </summary>
    private static void AssertMatchesReference(Tensor input, int threads)
    {
        var pool = new MaxPool2d("pool", 2) { Parallelism = new Parallelism(threads) };
        int[] expectedArgmax = ReferenceArgmax(input);
        float[] expectedOutput = expectedArgmax.Select(i => input.Data[i]).ToArray();

        // distinct, exactly representable gradients show where each one goes
        float[] gradients = Enumerable.Range(1, expectedArgmax.Length).Select(o => (float)o).ToArray();
        var outputGrad = new Tensor(gradients, input.Dim(0), input.Dim(1), input.Dim(2) / 2, input.Dim(3) / 2);
        float[] output = pool.Forward(input).Data.ToArray();
        float[] inputGrad = pool.Backward(outputGrad).Data.ToArray();

        float[] expectedInputGrad = new float[input.Length];
        for (int o = 0; o < expectedArgmax.Length; o++)
        {
            expectedInputGrad[expectedArgmax[o]] = outputGrad.Data[o];
        }

        NumericAssert.BitwiseEqual(expectedOutput, output, $"output for input {input.ShapeText}");
        NumericAssert.BitwiseEqual(expectedInputGrad, inputGrad, $"input gradient for input {input.ShapeText}");
    }

    /// <summary>
    /// Returns, for every 2x2 window, the index of its first NaN in row-major order, else of the
    /// first input that no input of the window exceeds.
    /// </summary>
    private static int[] ReferenceArgmax(Tensor input)
    {
        int planes = input.Dim(0) * input.Dim(1);
        int height = input.Dim(2);
        int width = input.Dim(3);
        var argmax = new List<int>();
        for (int plane = 0; plane < planes; plane++)
        {
            for (int oh = 0; oh < height / 2; oh++)
            {
                for (int ow = 0; ow < width / 2; ow++)
                {
                    int topLeft = (plane * height + 2 * oh) * width + 2 * ow;
                    int[] window = [topLeft, topLeft + 1, topLeft + width, topLeft + width + 1];
                    int firstNaN = Array.FindIndex(window, i => float.IsNaN(input.Data[i]));
                    int first = firstNaN >= 0
                        ? firstNaN
                        : Array.FindIndex(window, i => window.All(j => !(input.Data[j] > input.Data[i])));
                    argmax.Add(window[first]);
                }
            }
        }

        return argmax.ToArray();
    }

    /// <summary>Draws values from <see cref="TiedValues"/>, and a share of them from <see cref="NonFiniteValues"/>.</summary>
    private static Tensor Draw(Rng rng, int[] shape, double nonFiniteShare)
    {
        var tensor = new Tensor(shape);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor.Data[i] = rng.NextDouble() < nonFiniteShare
                ? NonFiniteValues[rng.NextInt(NonFiniteValues.Length)]
                : TiedValues[rng.NextInt(TiedValues.Length)];
        }

        return tensor;
    }
}
