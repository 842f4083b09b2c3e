using ClipLab.Tensors;

namespace ClipLab.Layers;

/// <summary>Input [N, C, H, W] (or any rank of at least 2) -> output [N, C * H * W], sharing storage.</summary>
public sealed class Flatten : Layer
{
    // Views are reused while their storage is, so a training step allocates no new view; the
    // list stays short because layers hand out the same few buffers every step.
    private const int MaxCachedViews = 8;
    private readonly List<Tensor> _views = [];
    private Tensor? _input;

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

        _input = input;
        return View(input, [input.Dim(0), input.Length / input.Dim(0)]);
    }

    /// <summary>Output gradient [N, F] -> input gradient of the input's shape, sharing storage.</summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        Tensor input = RequireForward(_input);
        RequireShape(outputGrad, [input.Dim(0), input.Length / input.Dim(0)], nameof(outputGrad));

        return View(outputGrad, input.Shape);
    }

    private Tensor View(Tensor source, ReadOnlySpan<int> shape)
    {
        foreach (Tensor view in _views)
        {
            if (ReferenceEquals(view.Data, source.Data) && view.HasShape(shape))
            {
                return view;
            }
        }

        if (_views.Count == MaxCachedViews)
        {
            _views.RemoveAt(0);
        }

        Tensor created = source.Reshape(shape.ToArray());
        _views.Add(created);
        return created;
    }
}
