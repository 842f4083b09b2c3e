using ClipLab.Tensors;

namespace ClipLab.Layers;

/// <summary>A trainable tensor and its gradient.</summary>
/// <remarks>
/// Backward passes add into <see cref="Grad"/> (+=); only <see cref="ZeroGrad"/> clears it, so
/// gradients of several backward passes accumulate as in PyTorch.
/// </remarks>
public sealed class Parameter
{
    /// <summary>Creates a parameter with a zero gradient of the same shape as <paramref name="value"/>.</summary>
    /// <param name="name">Qualified name such as "conv1.weight".</param>
    /// <param name="value">Initial value; the parameter keeps this tensor, it does not copy it.</param>
    public Parameter(string name, Tensor value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);

        Name = name;
        Value = value;
        Grad = new Tensor(value.Shape.ToArray());
    }

    /// <summary>Qualified name, layer then tensor: "conv1.weight", "fc3.bias".</summary>
    public string Name { get; }

    /// <summary>Current value.</summary>
    public Tensor Value { get; }

    /// <summary>Accumulated gradient of the loss with respect to <see cref="Value"/>.</summary>
    public Tensor Grad { get; }

    /// <summary>True once a backward pass has written a gradient since the last <see cref="ZeroGrad"/>.</summary>
    public bool HasGrad { get; private set; }

    /// <summary>Number of scalar components.</summary>
    public int Length => Value.Length;

    /// <summary>Clears the gradient.</summary>
    public void ZeroGrad()
    {
        Grad.Span.Clear();
        HasGrad = false;
    }

    /// <summary>Marks that a backward pass has written into <see cref="Grad"/>.</summary>
    public void MarkGradWritten() => HasGrad = true;

    public override string ToString() => $"{Name} {Value.ShapeText}";
}
