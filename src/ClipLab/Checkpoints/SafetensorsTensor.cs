namespace ClipLab.Checkpoints;

/// <summary>One float32 tensor of a safetensors file: its name, shape and values in row-major order.</summary>
/// <param name="Name">Tensor name, unique within the file, for example "conv1.weight".</param>
/// <param name="Shape">Dimension sizes, outermost first; empty for a scalar, and a size may be 0.</param>
/// <param name="Values">Values in row-major (C) order; the length is the product of <paramref name="Shape"/>.</param>
public sealed record SafetensorsTensor(string Name, IReadOnlyList<int> Shape, float[] Values)
{
    /// <summary>Returns the number of elements that <paramref name="shape"/> describes, or -1 when it overflows a 32-bit length.</summary>
    /// <param name="shape">Dimension sizes; each must be 0 or more.</param>
    internal static long ElementCount(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (int size in shape)
        {
            count *= size;
            if (count > Array.MaxLength)
            {
                return -1;
            }
        }

        return count;
    }
}
