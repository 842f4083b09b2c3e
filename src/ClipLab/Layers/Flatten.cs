using ClipLab.Tensors;

namespace ClipLab.Layers;

/// <summary>Input [N, C, H, W] (or any rank of at least 2) -> output [N, C * H * W], sharing storage.</summary>
public sealed class Flatten : Layer
{
    private int[]? _inputShape;

    public Flatten(string name)
        : base(name)
    {
    }

    /// <summary>Input [N, ...] -> output [N, product of the other dimensions].</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 2)
        {
            throw new ArgumentException($"{Name}: input needs a batch dimension and at least one more, got {input.ShapeText}.", nameof(input));
        }

        _inputShape = input.Shape.ToArray();
        return input.Reshape(input.Dim(0), input.Length / input.Dim(0));
    }

    /// <summary>Output gradient [N, F] -> input gradient of the input's shape, sharing storage.</summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        if (_inputShape is null)
        {
            throw new InvalidOperationException($"{Name}: Backward was called before Forward.");
        }

        int features = 1;
        for (int axis = 1; axis < _inputShape.Length; axis++)
        {
            features *= _inputShape[axis];
        }

        RequireShape(outputGrad, [_inputShape[0], features], nameof(outputGrad));
        return outputGrad.Reshape(_inputShape);
    }
}
