using ClipLab.Layers;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;
using static ClipLab.Tests.Reference.FloatRounding;

namespace ClipLab.Tests.Reference;

/// <summary>
/// Every layer's forward output and its input and parameter gradients against PyTorch 1.13 in
/// float32, for seeded random inputs including batch 1, one channel, odd spatial sizes, strides,
/// padding and tied pooling windows.
/// </summary>
/// <remarks>
/// Convolution and linear layers compute sums of products, which the two implementations add in
/// different orders. Each side is within gamma(K) * sum|terms| of the exact sum (see
/// <see cref="FloatRounding"/>), so the tests allow 2 gamma(K) times the fixture's error scale,
/// with K the number of products in the sum. The generator checks that PyTorch's own float32
/// results are within one gamma(K) of its float64 results. Max pooling and ReLU only select and
/// route values, so they must agree bit for bit, except where overlapping pooling windows add
/// several gradients into one input.
/// </remarks>
public sealed class LayerReferenceTests
{
    public static TheoryData<string> Conv2dCases => new(LayerFixture.Instance.Conv2d.Select(c => c.Name));

    public static TheoryData<string> LinearCases => new(LayerFixture.Instance.Linear.Select(c => c.Name));

    public static TheoryData<string> MaxPool2dCases => new(LayerFixture.Instance.MaxPool2d.Select(c => c.Name));

    public static TheoryData<string> ReluCases => new(LayerFixture.Instance.Relu.Select(c => c.Name));

    public static TheoryData<string> FlattenCases => new(LayerFixture.Instance.Flatten.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_Forward_MatchesPyTorch(string caseName)
    {
        Conv2dCase c = LayerFixture.Instance.Conv2d.Single(x => x.Name == caseName);
        Conv2d conv = CreateConv2d(c);

        Tensor output = conv.Forward(new Tensor(c.Input.ToArray(), c.BatchSize, c.InChannels, c.Height, c.Width));

        Assert.Equal(ExpectedConvShape(c, conv), output.Shape.ToArray());

        // each output is a sum of IC * KH * KW products plus the bias
        long terms = (long)c.InChannels * c.KernelSize * c.KernelSize + 1;
        WithinBound(c.Output, output.Span, c.OutputScale, 2 * Gamma(terms), $"{caseName} output");
    }

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_Backward_MatchesPyTorch(string caseName)
    {
        Conv2dCase c = LayerFixture.Instance.Conv2d.Single(x => x.Name == caseName);
        Conv2d conv = CreateConv2d(c);
        Tensor output = conv.Forward(new Tensor(c.Input.ToArray(), c.BatchSize, c.InChannels, c.Height, c.Width));

        Tensor inputGrad = conv.Backward(new Tensor(c.OutputGrad.ToArray(), output.Shape.ToArray()));

        // an input element receives at most OC * KH * KW products of a weight and an output gradient
        long inputTerms = (long)c.OutChannels * c.KernelSize * c.KernelSize;
        WithinBound(c.InputGrad, inputGrad.Span, c.InputGradScale, 2 * Gamma(inputTerms), $"{caseName} input gradient");

        // weight and bias gradients sum over every batch item and output position
        long positions = (long)output.Dim(0) * output.Dim(2) * output.Dim(3);
        WithinBound(c.WeightGrad, conv.Weight.Grad.Span, c.WeightGradScale, 2 * Gamma(positions), $"{caseName} weight gradient");
        WithinBound(c.BiasGrad, conv.Bias.Grad.Span, c.BiasGradScale, 2 * Gamma(positions), $"{caseName} bias gradient");
    }

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_Forward_MatchesPyTorch(string caseName)
    {
        LinearCase c = LayerFixture.Instance.Linear.Single(x => x.Name == caseName);
        Linear linear = CreateLinear(c);

        Tensor output = linear.Forward(new Tensor(c.Input.ToArray(), c.BatchSize, c.InFeatures));

        Assert.Equal([c.BatchSize, c.OutFeatures], output.Shape.ToArray());

        // each output is a sum of IN products plus the bias
        WithinBound(c.Output, output.Span, c.OutputScale, 2 * Gamma(c.InFeatures + 1), $"{caseName} output");
    }

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_Backward_MatchesPyTorch(string caseName)
    {
        LinearCase c = LayerFixture.Instance.Linear.Single(x => x.Name == caseName);
        Linear linear = CreateLinear(c);
        linear.Forward(new Tensor(c.Input.ToArray(), c.BatchSize, c.InFeatures));

        Tensor inputGrad = linear.Backward(new Tensor(c.OutputGrad.ToArray(), c.BatchSize, c.OutFeatures));

        // the input gradient sums OUT products, and weight and bias gradients sum over the N batch items
        WithinBound(c.InputGrad, inputGrad.Span, c.InputGradScale, 2 * Gamma(c.OutFeatures), $"{caseName} input gradient");
        WithinBound(c.WeightGrad, linear.Weight.Grad.Span, c.WeightGradScale, 2 * Gamma(c.BatchSize), $"{caseName} weight gradient");
        WithinBound(c.BiasGrad, linear.Bias.Grad.Span, c.BiasGradScale, 2 * Gamma(c.BatchSize), $"{caseName} bias gradient");
    }

    [Theory]
    [MemberData(nameof(MaxPool2dCases))]
    public void MaxPool2d_Forward_MatchesPyTorchBitwise(string caseName)
    {
        MaxPool2dCase c = LayerFixture.Instance.MaxPool2d.Single(x => x.Name == caseName);
        var pool = new MaxPool2d("pool", c.KernelSize, c.Stride);

        Tensor output = pool.Forward(new Tensor(c.Input.ToArray(), c.BatchSize, c.Channels, c.Height, c.Width));

        int[] expectedShape = [c.BatchSize, c.Channels, pool.OutputSize(c.Height), pool.OutputSize(c.Width)];
        Assert.Equal(expectedShape, output.Shape.ToArray());

        // the output selects input values, so no rounding is involved
        NumericAssert.BitwiseEqual(c.Output, output.Span, $"{caseName} output");
    }

    [Theory]
    [MemberData(nameof(MaxPool2dCases))]
    public void MaxPool2d_Backward_MatchesPyTorch(string caseName)
    {
        MaxPool2dCase c = LayerFixture.Instance.MaxPool2d.Single(x => x.Name == caseName);
        var pool = new MaxPool2d("pool", c.KernelSize, c.Stride);
        Tensor output = pool.Forward(new Tensor(c.Input.ToArray(), c.BatchSize, c.Channels, c.Height, c.Width));

        Tensor inputGrad = pool.Backward(new Tensor(c.OutputGrad.ToArray(), output.Shape.ToArray()));

        // An input inside W windows adds up to W routed gradients, which takes W - 1 additions.
        // Without overlap there are none, so the gradients must match bit for bit. A tie routed
        // to another input than PyTorch's would move a whole gradient, far beyond this bound.
        int windowsPerAxis = (c.KernelSize + c.Stride - 1) / c.Stride;
        long additions = (long)windowsPerAxis * windowsPerAxis - 1;
        WithinBound(c.InputGrad, inputGrad.Span, c.InputGradScale, 2 * Gamma(additions), $"{caseName} input gradient");
    }

    [Theory]
    [MemberData(nameof(ReluCases))]
    public void Relu_ForwardAndBackward_MatchPyTorchBitwise(string caseName)
    {
        ReluCase c = LayerFixture.Instance.Relu.Single(x => x.Name == caseName);
        var relu = new Relu("relu");

        Tensor output = relu.Forward(new Tensor(c.Input.ToArray(), c.Shape));
        float[] outputValues = output.Span.ToArray();
        Tensor inputGrad = relu.Backward(new Tensor(c.OutputGrad.ToArray(), c.Shape));

        // max(x, 0) and the routed gradient involve no rounding, and at x = 0 both take the gradient as 0
        NumericAssert.BitwiseEqual(c.Output, outputValues, $"{caseName} output");
        NumericAssert.BitwiseEqual(c.InputGrad, inputGrad.Span, $"{caseName} input gradient");
    }

    [Theory]
    [MemberData(nameof(FlattenCases))]
    public void Flatten_ForwardAndBackward_MatchPyTorchBitwise(string caseName)
    {
        FlattenCase c = LayerFixture.Instance.Flatten.Single(x => x.Name == caseName);
        var flatten = new Flatten("flatten");

        Tensor output = flatten.Forward(new Tensor(c.Input.ToArray(), c.Shape));
        float[] outputValues = output.Span.ToArray();
        int[] outputShape = output.Shape.ToArray();
        Tensor inputGrad = flatten.Backward(new Tensor(c.OutputGrad.ToArray(), c.OutputShape));

        // a reshape in row-major order moves no value
        Assert.Equal(c.OutputShape, outputShape);
        NumericAssert.BitwiseEqual(c.Output, outputValues, $"{caseName} output");
        Assert.Equal(c.Shape, inputGrad.Shape.ToArray());
        NumericAssert.BitwiseEqual(c.InputGrad, inputGrad.Span, $"{caseName} input gradient");
    }

    private static Conv2d CreateConv2d(Conv2dCase c)
    {
        var conv = new Conv2d("conv", c.InChannels, c.OutChannels, c.KernelSize, c.Stride, c.Padding);
        c.Weight.CopyTo(conv.Weight.Value.Data, 0);
        c.Bias.CopyTo(conv.Bias.Value.Data, 0);
        return conv;
    }

    private static int[] ExpectedConvShape(Conv2dCase c, Conv2d conv) =>
        [c.BatchSize, c.OutChannels, conv.OutputSize(c.Height), conv.OutputSize(c.Width)];

    private static Linear CreateLinear(LinearCase c)
    {
        var linear = new Linear("fc", c.InFeatures, c.OutFeatures);
        c.Weight.CopyTo(linear.Weight.Value.Data, 0);
        c.Bias.CopyTo(linear.Bias.Value.Data, 0);
        return linear;
    }
}
