namespace ClipLab.Tests.Reference;

/// <summary>layers.json: single-layer cases with PyTorch's float32 outputs and gradients.</summary>
/// <remarks>
/// Every case contains a random input, the layer's parameters and an output gradient (a random
/// projection of the output, so that a layout bug cannot cancel out). Arrays are row-major in
/// PyTorch's layout, which ClipLab shares: NCHW activations, [OC, IC, KH, KW] and [OUT, IN] weights.
/// Error scales contain sum|terms| per element, as <see cref="FloatRounding"/> explains.
/// </remarks>
internal sealed record LayerFixture(
    GeneratorInfo Generator,
    IReadOnlyList<Conv2dCase> Conv2d,
    IReadOnlyList<LinearCase> Linear,
    IReadOnlyList<MaxPool2dCase> MaxPool2d,
    IReadOnlyList<ReluCase> Relu,
    IReadOnlyList<FlattenCase> Flatten)
{
    public static LayerFixture Instance => ReferenceFixtures.Load<LayerFixture>("layers");
}

/// <summary>A convolution case: input [N, IC, H, W], weight [OC, IC, K, K], bias [OC], output [N, OC, OH, OW].</summary>
internal sealed record Conv2dCase(
    string Name,
    int BatchSize,
    int InChannels,
    int OutChannels,
    int Height,
    int Width,
    int KernelSize,
    int Stride,
    int Padding,
    float[] Input,
    float[] Weight,
    float[] Bias,
    float[] OutputGrad,
    float[] Output,
    float[] InputGrad,
    float[] WeightGrad,
    float[] BiasGrad,
    float[] OutputScale,
    float[] InputGradScale,
    float[] WeightGradScale,
    float[] BiasGradScale);

/// <summary>A fully connected case: input [N, IN], weight [OUT, IN], bias [OUT], output [N, OUT].</summary>
internal sealed record LinearCase(
    string Name,
    int BatchSize,
    int InFeatures,
    int OutFeatures,
    float[] Input,
    float[] Weight,
    float[] Bias,
    float[] OutputGrad,
    float[] Output,
    float[] InputGrad,
    float[] WeightGrad,
    float[] BiasGrad,
    float[] OutputScale,
    float[] InputGradScale,
    float[] WeightGradScale,
    float[] BiasGradScale);

/// <summary>A max-pooling case: input [N, C, H, W], output [N, C, OH, OW].</summary>
internal sealed record MaxPool2dCase(
    string Name,
    int BatchSize,
    int Channels,
    int Height,
    int Width,
    int KernelSize,
    int Stride,
    float[] Input,
    float[] OutputGrad,
    float[] Output,
    float[] InputGrad,
    float[] InputGradScale);

/// <summary>A ReLU case. Every third input is exactly 0, where the gradient is taken as 0.</summary>
internal sealed record ReluCase(string Name, int[] Shape, float[] Input, float[] OutputGrad, float[] Output, float[] InputGrad);

/// <summary>A flatten case: input of <see cref="Shape"/>, output [N, rest].</summary>
internal sealed record FlattenCase(string Name, int[] Shape, float[] Input, float[] OutputGrad, float[] Output, int[] OutputShape, float[] InputGrad);
