using System.Runtime.Intrinsics;
using ClipLab.Tensors;

namespace ClipLab.Layers;

/// <summary>Rectified linear unit, y = max(x, 0), elementwise; any input shape.</summary>
/// <remarks>The gradient at x = 0 is taken as 0, as in PyTorch.</remarks>
public sealed class Relu : Layer
{
    private readonly TensorCache _outputs = new();
    private readonly TensorCache _inputGrads = new();
    private Tensor? _output;

    public Relu(string name)
        : base(name)
    {
    }

    /// <summary>Input of any shape -> output of the same shape.</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor output = _outputs.Get(input.Shape);
        // Vector256.Max follows IEEE 754 maximum: NaN stays NaN and max(-0, +0) is +0
        ReadOnlySpan<float> x = input.Span;
        Span<float> y = output.Span;
        int i = 0;
        for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
        {
            Vector256.Max(Vector256.Create(x.Slice(i, Vector256<float>.Count)), Vector256<float>.Zero).CopyTo(y.Slice(i, Vector256<float>.Count));
        }

        for (; i < x.Length; i++)
        {
            // NaN > 0 is false, so NaN needs its own test to stay NaN
            float value = x[i];
            y[i] = value > 0f || float.IsNaN(value) ? value : 0f;
        }

        _output = output;
        return output;
    }

    /// <summary>Output gradient -> input gradient, both of the input's shape.</summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        Tensor output = RequireForward(_output);
        RequireShape(outputGrad, output.Shape, nameof(outputGrad));

        // dx = dy where the output is positive, else 0
        Tensor inputGrad = _inputGrads.Get(output.Shape);
        ReadOnlySpan<float> y = output.Span;
        ReadOnlySpan<float> dy = outputGrad.Span;
        Span<float> dx = inputGrad.Span;
        int i = 0;
        for (; i + Vector256<float>.Count <= dx.Length; i += Vector256<float>.Count)
        {
            Vector256<float> positive = Vector256.GreaterThan(Vector256.Create(y.Slice(i, Vector256<float>.Count)), Vector256<float>.Zero);
            (positive & Vector256.Create(dy.Slice(i, Vector256<float>.Count))).CopyTo(dx.Slice(i, Vector256<float>.Count));
        }

        for (; i < dx.Length; i++)
        {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }

        return inputGrad;
    }
}
