using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ClipLab.Tensors;

/// <summary>
/// Moves up to eight items between their own rows, item-major [lane, position], and the
/// interleaved layout [position, 8] in which lane l of every vector belongs to item l.
/// </summary>
/// <remarks>
/// Full groups go through 8 x 8 transposes of eight positions at a time, 24 AVX shuffles per 64
/// floats. A group of fewer than eight items, the last positions and machines without AVX take
/// a scalar loop. Both give the same floats, because they only move them.
/// </remarks>
internal static class LaneTranspose
{
    private const int Lanes = 8;

    /// <summary>
    /// target[p * 8 + lane] = source[lane * itemStride + p] for p below <paramref name="length"/> and
    /// lane below <paramref name="count"/>; lanes from <paramref name="count"/> on are set to zero.
    /// </summary>
    public static void Interleave(ReadOnlySpan<float> source, int itemStride, int count, Span<float> target, int length)
    {
        CheckLengths(source.Length, itemStride, count, length, target.Length);
        int p = 0;
        if (count == Lanes && Avx.IsSupported)
        {
            ref float from = ref MemoryMarshal.GetReference(source);
            ref float to = ref MemoryMarshal.GetReference(target);
            for (; p + Lanes <= length; p += Lanes)
            {
                Transpose8x8(ref Unsafe.Add(ref from, p), itemStride, ref Unsafe.Add(ref to, p * Lanes), Lanes);
            }
        }

        for (; p < length; p++)
        {
            Span<float> lanes = target.Slice(p * Lanes, Lanes);
            lanes[count..].Clear();
            for (int lane = 0; lane < count; lane++)
            {
                lanes[lane] = source[lane * itemStride + p];
            }
        }
    }

    /// <summary>target[lane * itemStride + p] = source[p * 8 + lane] for p below <paramref name="length"/> and lane below <paramref name="count"/>.</summary>
    public static void Deinterleave(ReadOnlySpan<float> source, int length, int count, Span<float> target, int itemStride)
    {
        CheckLengths(target.Length, itemStride, count, length, source.Length);
        int p = 0;
        if (count == Lanes && Avx.IsSupported)
        {
            ref float from = ref MemoryMarshal.GetReference(source);
            ref float to = ref MemoryMarshal.GetReference(target);
            for (; p + Lanes <= length; p += Lanes)
            {
                Transpose8x8(ref Unsafe.Add(ref from, p * Lanes), Lanes, ref Unsafe.Add(ref to, p), itemStride);
            }
        }

        for (; p < length; p++)
        {
            for (int lane = 0; lane < count; lane++)
            {
                target[lane * itemStride + p] = source[p * Lanes + lane];
            }
        }
    }

    /// <summary>Throws unless the item-major span has room for <paramref name="count"/> rows of <paramref name="length"/> and the interleaved one for <paramref name="length"/> vectors.</summary>
    private static void CheckLengths(int itemMajorLength, int itemStride, int count, int length, int interleavedLength)
    {
        if (count is < 1 or > Lanes || length < 0 || itemStride < length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Invalid layout: {count} items of {length} floats, {itemStride} apart; expected 1 to 8 items no longer than their stride.");
        }

        if (itemMajorLength < (count - 1) * itemStride + length || interleavedLength < length * Lanes)
        {
            throw new ArgumentException($"Invalid spans: {itemMajorLength} and {interleavedLength} floats are too few for {count} items of {length} floats.");
        }
    }

    /// <summary>Writes the transpose of the 8 x 8 block with rows <paramref name="sourceStride"/> apart into rows <paramref name="targetStride"/> apart.</summary>
    private static void Transpose8x8(ref float source, int sourceStride, ref float target, int targetStride)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source);
        Vector256<float> r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        Vector256<float> r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        Vector256<float> r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        Vector256<float> r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        Vector256<float> r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride));

        // pairs of rows interleaved within each 128-bit half
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        // u0 contains column 0 of rows 0-3 in its low half and column 4 in its high half, and so on
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        // join the halves of rows 0-3 and 4-7: columns 0-3 from the low halves, 4-7 from the high
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref target, (nuint)targetStride);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref target, (nuint)(2 * targetStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref target, (nuint)(3 * targetStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref target, (nuint)(4 * targetStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref target, (nuint)(5 * targetStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref target, (nuint)(6 * targetStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref target, (nuint)(7 * targetStride));
    }
}
