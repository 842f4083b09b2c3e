using ClipLab.Tensors;

namespace ClipLab.Layers;

/// <summary>
/// A network layer with an explicit backward pass. <see cref="Forward"/> caches what
/// <see cref="Backward"/> needs; <see cref="Backward"/> returns the gradient with respect to the
/// input of the latest forward call and adds parameter gradients into <see cref="Parameter.Grad"/>.
/// </summary>
/// <remarks>
/// Returned tensors belong to the layer and are overwritten by its next call with the same
/// batch size: copy them to keep them.
/// </remarks>
public abstract class Layer
{
    /// <summary>Layer name, used as the prefix of its parameter names.</summary>
    public string Name { get; }

    /// <summary>Threads the layer's kernels may use.</summary>
    public Parallelism Parallelism { get; set; } = Parallelism.Single;

    protected Layer(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>Trainable parameters, empty for layers without any.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Computes the output for <paramref name="input"/> and caches what backward needs.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Computes the output for <paramref name="input"/> when no backward pass follows, as in
    /// validation and testing. Layers may then keep less and run faster; what an earlier
    /// <see cref="Forward"/> kept may be gone, so call <see cref="Forward"/> again before <see cref="Backward"/>.
    /// </summary>
    public virtual Tensor Infer(Tensor input) => Forward(input);

    /// <summary>Returns the input gradient for <paramref name="outputGrad"/> and accumulates parameter gradients.</summary>
    /// <exception cref="InvalidOperationException">No forward pass preceded this call.</exception>
    public abstract Tensor Backward(Tensor outputGrad);

    /// <summary>
    /// Accumulates parameter gradients for <paramref name="outputGrad"/> like <see cref="Backward"/>,
    /// for a layer whose input gradient is not used (the first layer of a network). Layers may
    /// then skip computing it.
    /// </summary>
    public virtual void BackwardParameters(Tensor outputGrad) => Backward(outputGrad);

    /// <summary>Throws unless <paramref name="tensor"/> has <paramref name="expected"/> as its shape.</summary>
    protected void RequireShape(Tensor tensor, ReadOnlySpan<int> expected, string what)
    {
        if (!tensor.HasShape(expected))
        {
            throw new ArgumentException(
                $"{Name}: {what} must have shape {Tensor.FormatShape(expected)}, got {tensor.ShapeText}.", what);
        }
    }

    /// <summary>Throws when <paramref name="cachedInput"/> is null because Backward came before Forward.</summary>
    protected Tensor RequireForward(Tensor? cachedInput) =>
        cachedInput ?? throw new InvalidOperationException($"{Name}: Backward was called before Forward.");
}
