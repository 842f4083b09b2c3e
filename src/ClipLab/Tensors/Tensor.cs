namespace ClipLab.Tensors;

/// <summary>
/// A dense float32 tensor. Storage is row-major: for a 4-D tensor the layout is NCHW
/// (batch, channel, height, width), and the last dimension is contiguous.
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    /// <param name="shape">Dimension sizes, outermost first; each at least 1.</param>
    /// <exception cref="ArgumentException">The shape is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is zero or negative.</exception>
    public Tensor(params int[] shape)
        : this(new float[CheckedLength(shape)], shape)
    {
    }

    /// <summary>Wraps existing storage; the tensor shares <paramref name="data"/>, it does not copy it.</summary>
    /// <exception cref="ArgumentException">The shape is empty or its element count differs from the length of <paramref name="data"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is zero or negative.</exception>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        int length = CheckedLength(shape);
        if (length != data.Length)
        {
            throw new ArgumentException(
                $"Shape {FormatShape(shape)} holds {length} elements but the storage has {data.Length}.", nameof(data));
        }

        Data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>Storage in row-major order.</summary>
    public float[] Data { get; }

    /// <summary>Dimension sizes, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>Storage as a span.</summary>
    public Span<float> Span => Data;

    /// <summary>Size of dimension <paramref name="axis"/>.</summary>
    public int Dim(int axis) => _shape[axis];

    /// <summary>Returns a tensor of another shape over the same storage.</summary>
    /// <exception cref="ArgumentException">The new shape holds a different number of elements.</exception>
    public Tensor Reshape(params int[] shape) => new(Data, shape);

    /// <summary>Returns true when this tensor has exactly the given shape.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => _shape.AsSpan().SequenceEqual(shape);

    /// <summary>Formats the shape as [a, b, c].</summary>
    public string ShapeText => FormatShape(_shape);

    public override string ToString() => $"Tensor{ShapeText}";

    internal static string FormatShape(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    private static int CheckedLength(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
        {
            throw new ArgumentException("A tensor needs at least one dimension.", nameof(shape));
        }

        long length = 1;
        foreach (int size in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, nameof(shape));
            length *= size;
            if (length > Array.MaxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"Shape {FormatShape(shape)} exceeds the maximum array length.");
            }
        }

        return (int)length;
    }
}
