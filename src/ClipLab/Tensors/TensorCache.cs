namespace ClipLab.Tensors;

/// <summary>
/// Output tensors reused across calls, one per shape, so that alternating training and
/// validation batch sizes allocate once per size rather than once per call.
/// </summary>
internal sealed class TensorCache
{
    private readonly List<Tensor> _tensors = [];

    /// <summary>Returns the cached tensor of this shape, creating a zeroed one on first use.</summary>
    public Tensor Get(params ReadOnlySpan<int> shape)
    {
        foreach (Tensor tensor in _tensors)
        {
            if (tensor.HasShape(shape))
            {
                return tensor;
            }
        }

        var created = new Tensor(shape.ToArray());
        _tensors.Add(created);
        return created;
    }
}
