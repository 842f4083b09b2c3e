using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ClipLab.Tensors;

/// <summary>Checks for NaN and infinity in float spans, as the training loop does for every gradient of every step.</summary>
public static class NonFinite
{
    /// <summary>Returns true when <paramref name="values"/> contains NaN, +inf or -inf.</summary>
    /// <remarks>
    /// x - x is +0 (all bits clear) for every finite x and NaN for the others. The bitwise OR of
    /// all differences is therefore zero exactly when every value is finite, which costs one
    /// subtraction and one OR per vector and no branch until the end.
    /// </remarks>
    public static bool Any(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        int i = 0;
        Vector256<float> bits = Vector256<float>.Zero;
        for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref start, (nuint)i);
            bits |= v - v;
        }

        if (bits != Vector256<float>.Zero)
        {
            return true;
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(Unsafe.Add(ref start, i)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Counts the NaN, +inf and -inf values in <paramref name="values"/>.</summary>
    public static int Count(ReadOnlySpan<float> values)
    {
        if (!Any(values))
        {
            return 0;
        }

        int count = 0;
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                count++;
            }
        }

        return count;
    }
}
