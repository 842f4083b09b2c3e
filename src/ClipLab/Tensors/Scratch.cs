namespace ClipLab.Tensors;

/// <summary>Grow-only work buffers: a kernel requests a length and reuses the array while it is long enough.</summary>
internal static class Scratch
{
    /// <summary>Returns <paramref name="buffer"/>, replaced by a larger array first if it has fewer than <paramref name="length"/> elements.</summary>
    public static float[] Ensure(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[length];
        }

        return buffer;
    }
}
