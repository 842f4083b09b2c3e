using ClipLab.Tensors;

namespace ClipLab.Layers;

// Index legend: n batch item, i input feature, o output feature.

/// <summary>Fully connected layer, y = x W^T + b. Input [N, IN] -> output [N, OUT].</summary>
/// <remarks>Weights are stored as PyTorch stores them, [OUT, IN].</remarks>
public sealed class Linear : Layer
{
    private readonly TensorCache _outputs = new();
    private readonly TensorCache _inputGrads = new();
    private float[]? _outputGradTransposed;
    private Tensor? _input;

    /// <summary>Creates a layer with zero weights and biases.</summary>
    /// <param name="name">Layer name, for example "fc1".</param>
    /// <param name="inFeatures">Input features IN.</param>
    /// <param name="outFeatures">Output features OUT.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is zero or negative.</exception>
    public Linear(string name, int inFeatures, int outFeatures)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);

        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter($"{name}.weight", new Tensor(outFeatures, inFeatures));
        Bias = new Parameter($"{name}.bias", new Tensor(outFeatures));
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    /// <summary>Weights [OUT, IN].</summary>
    public Parameter Weight { get; }

    /// <summary>Biases [OUT].</summary>
    public Parameter Bias { get; }

    public override IReadOnlyList<Parameter> Parameters => [Weight, Bias];

    /// <summary>Input [N, IN] -> output [N, OUT].</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 2 || input.Dim(1) != InFeatures)
        {
            throw new ArgumentException($"{Name}: input must have shape [N, {InFeatures}], got {input.ShapeText}.", nameof(input));
        }

        int batchSize = input.Dim(0);
        _input = input;

        // y [N, OUT] = x [N, IN] W^T, one dot product of two rows per output
        Tensor output = _outputs.Get(batchSize, OutFeatures);
        MatMul.MultiplyTransposed(input.Data, Weight.Value.Data, output.Data, batchSize, InFeatures, OutFeatures, accumulate: false, Parallelism);

        // add the bias to every row
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int n = 0; n < batchSize; n++)
        {
            Span<float> row = output.Span.Slice(n * OutFeatures, OutFeatures);
            SpanArithmetic.AddTo(row, bias);
        }

        return output;
    }

    /// <summary>Output gradient [N, OUT] -> input gradient [N, IN].</summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        Tensor input = RequireForward(_input);
        int batchSize = input.Dim(0);
        RequireShape(outputGrad, [batchSize, OutFeatures], nameof(outputGrad));

        // bias gradient: dB [OUT] += sum over n of dY
        Span<float> biasGrad = Bias.Grad.Span;
        for (int n = 0; n < batchSize; n++)
        {
            SpanArithmetic.AddTo(biasGrad, outputGrad.Span.Slice(n * OutFeatures, OutFeatures));
        }

        // weight gradient: dW [OUT, IN] += dY^T [OUT, N] x [N, IN]
        float[] outputGradTransposed = Scratch.Ensure(ref _outputGradTransposed, batchSize * OutFeatures);
        MatMul.Transpose(outputGrad.Span, outputGradTransposed, batchSize, OutFeatures);
        MatMul.Multiply(outputGradTransposed, input.Data, Weight.Grad.Data, OutFeatures, batchSize, InFeatures, accumulate: true, Parallelism);
        Weight.MarkGradWritten();
        Bias.MarkGradWritten();

        // input gradient: dX [N, IN] = dY [N, OUT] W [OUT, IN]
        Tensor inputGrad = _inputGrads.Get(batchSize, InFeatures);
        MatMul.Multiply(outputGrad.Data, Weight.Value.Data, inputGrad.Data, batchSize, OutFeatures, InFeatures, accumulate: false, Parallelism);
        return inputGrad;
    }
}
