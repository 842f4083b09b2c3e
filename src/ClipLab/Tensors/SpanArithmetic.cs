using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ClipLab.Tensors;

/// <summary>Elementwise sums that the layers need on every call, as plain vector loops.</summary>
/// <remarks>
/// TensorPrimitives offers the same operations, but each of its generic instantiations takes
/// milliseconds to compile. These loops compile in a fraction of that, which a single training
/// run in a fresh process notices, and they are as fast on the short rows used here.
/// </remarks>
internal static class SpanArithmetic
{
    private const int Lanes = 8;

    /// <summary>target[i] = source[i] + scalar.</summary>
    public static void Add(ReadOnlySpan<float> source, float scalar, Span<float> target)
    {
        int length = source.Length;
        if (target.Length < length)
        {
            throw new ArgumentException($"Invalid target: it has {target.Length} values but the source has {length}.", nameof(target));
        }

        ref float from = ref MemoryMarshal.GetReference(source);
        ref float to = ref MemoryMarshal.GetReference(target);
        var addend = Vector256.Create(scalar);
        int i = 0;
        for (; i + Lanes <= length; i += Lanes)
        {
            (Vector256.LoadUnsafe(ref from, (nuint)i) + addend).StoreUnsafe(ref to, (nuint)i);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i) + scalar;
        }
    }

    /// <summary>target[i] += values[i].</summary>
    public static void AddTo(Span<float> target, ReadOnlySpan<float> values)
    {
        int length = values.Length;
        if (target.Length < length)
        {
            throw new ArgumentException($"Invalid target: it has {target.Length} values but {length} are to be added.", nameof(target));
        }

        ref float from = ref MemoryMarshal.GetReference(values);
        ref float to = ref MemoryMarshal.GetReference(target);
        int i = 0;
        for (; i + Lanes <= length; i += Lanes)
        {
            (Vector256.LoadUnsafe(ref to, (nuint)i) + Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref to, i) += Unsafe.Add(ref from, i);
        }
    }

    /// <summary>Adds the lane sums (Vector256.Sum) of five vectors to target[0..4]: the last step of a row of a 5-wide tile of dot products.</summary>
    /// <remarks>
    /// Five parameters rather than a params span: with the span a reference run took about 0.1 s
    /// longer (measured), probably because the callers' accumulators then lived on the stack.
    /// </remarks>
    public static void AddLaneSums(Span<float> target, Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, Vector256<float> e)
    {
        target[0] += Vector256.Sum(a);
        target[1] += Vector256.Sum(b);
        target[2] += Vector256.Sum(c);
        target[3] += Vector256.Sum(d);
        target[4] += Vector256.Sum(e);
    }

    /// <summary>Returns the float32 sum of <paramref name="values"/>: eight lane sums over whole vectors, added by Vector256.Sum, then the tail in order.</summary>
    public static float Sum(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        var lanes = Vector256<float>.Zero;
        int i = 0;
        for (; i + Lanes <= values.Length; i += Lanes)
        {
            lanes += Vector256.LoadUnsafe(ref start, (nuint)i);
        }

        float sum = Vector256.Sum(lanes);
        for (; i < values.Length; i++)
        {
            sum += Unsafe.Add(ref start, i);
        }

        return sum;
    }
}
