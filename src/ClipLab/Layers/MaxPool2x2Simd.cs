using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ClipLab.Layers;

/// <summary>SIMD kernels of <see cref="MaxPool2x2"/> for x86 with SSE4.1 or AVX2.</summary>
/// <remarks>
/// <para>
/// Each public method pools <c>rowCount</c> output rows whose input row pairs follow each other: row r
/// reads input rows starting at x[rowStart + 2 r width] and x[rowStart + (2 r + 1) width], and
/// writes y[r outWidth .. (r + 1) outWidth - 1] with outWidth = width / 2. Argmax indices count
/// from the start of x. Loads and stores are unchecked. MaxPool2x2.PoolPlanes checks that
/// every row pair lies in x and every output row in y and argmax.
/// </para>
/// <para>
/// A block loads the 2 x 2k inputs of k windows, splits them into the four window positions
/// a b / c d with shuffles, and runs the scalar path's tournament lane by lane, so it picks the
/// same input. A row whose length is not a multiple of the block ends with a block that
/// overlaps the one before it and rewrites the same results. A row that contains a NaN is pooled
/// again by the scalar path, which alone implements the NaN rule.
/// </para>
/// </remarks>
internal static class MaxPool2x2Simd
{
    // Shuffle controls that take elements 0 and 2 (even columns) or 1 and 3 (odd columns) of
    // each source, per 128-bit half.
    private const byte EvenColumns = 0b10_00_10_00;
    private const byte OddColumns = 0b11_01_11_01;

    /// <summary>Pools rows of at least 8 outputs, in blocks of 8 outputs, with AVX2.</summary>
    public static void PoolRowsBy8(ReadOnlySpan<float> x, int rowStart, int rowCount, int width, Span<float> y, Span<int> argmax)
    {
        int outWidth = width / 2;
        AssertBounds(x, rowStart, rowCount, width, y, argmax);
        Debug.Assert(outWidth >= 8);

        ref float input = ref MemoryMarshal.GetReference(x);
        ref float output = ref MemoryMarshal.GetReference(y);
        ref int indices = ref MemoryMarshal.GetReference(argmax);
        int lastBlock = outWidth - 8;
        for (int row = 0; row < rowCount; row++)
        {
            int topStart = rowStart + 2 * row * width;
            int outStart = row * outWidth;
            Vector256<float> unordered = Vector256<float>.Zero;
            for (int ow = 0; ow < lastBlock; ow += 8)
            {
                unordered |= PoolBlockOf8(ref input, topStart + 2 * ow, width, ref output, ref indices, outStart + ow);
            }

            unordered |= PoolBlockOf8(ref input, topStart + 2 * lastBlock, width, ref output, ref indices, outStart + lastBlock);
            if (unordered.AsInt32() != Vector256<int>.Zero)
            {
                MaxPool2x2.PoolRowScalar(x, topStart, width, y.Slice(outStart, outWidth), argmax.Slice(outStart, outWidth));
            }
        }
    }

    /// <summary>
    /// Pools rows of 4 to 7 outputs with AVX2, two rows at a time. The low 128-bit half of a
    /// block contains 4 outputs of one row, and the high half the same outputs of the next row.
    /// </summary>
    public static void PoolRowPairsBy4(ReadOnlySpan<float> x, int rowStart, int rowCount, int width, Span<float> y, Span<int> argmax)
    {
        int outWidth = width / 2;
        AssertBounds(x, rowStart, rowCount, width, y, argmax);
        Debug.Assert(outWidth is >= 4 and < 8);

        ref float input = ref MemoryMarshal.GetReference(x);
        ref float output = ref MemoryMarshal.GetReference(y);
        ref int indices = ref MemoryMarshal.GetReference(argmax);
        var laneColumn = Vector256.Create(Vector128.Create(0, 2, 4, 6), Vector128.Create(2 * width) + Vector128.Create(0, 2, 4, 6));
        int lastBlock = outWidth - 4;
        int row = 0;
        for (; row + 2 <= rowCount; row += 2)
        {
            int topStart = rowStart + 2 * row * width;
            int outStart = row * outWidth;
            Vector256<float> unordered = Vector256<float>.Zero;
            // a row of 5 to 7 outputs takes the block at 0 and the last block, which overlap
            if (lastBlock > 0)
            {
                unordered |= PoolTwoRowBlockOf4(ref input, topStart, width, laneColumn, ref output, ref indices, outStart, outWidth);
            }

            unordered |= PoolTwoRowBlockOf4(
                ref input, topStart + 2 * lastBlock, width, laneColumn, ref output, ref indices, outStart + lastBlock, outWidth);
            if (unordered.AsInt32() != Vector256<int>.Zero)
            {
                MaxPool2x2.PoolRowScalar(x, topStart, width, y.Slice(outStart, outWidth), argmax.Slice(outStart, outWidth));
                MaxPool2x2.PoolRowScalar(
                    x, topStart + 2 * width, width, y.Slice(outStart + outWidth, outWidth), argmax.Slice(outStart + outWidth, outWidth));
            }
        }

        // an odd row count leaves the last row alone
        if (row < rowCount)
        {
            int outStart = row * outWidth;
            PoolRowsBy4(x, rowStart + 2 * row * width, 1, width, y.Slice(outStart, outWidth), argmax.Slice(outStart, outWidth));
        }
    }

    /// <summary>Pools rows of at least 4 outputs, in blocks of 4 outputs, with SSE4.1.</summary>
    public static void PoolRowsBy4(ReadOnlySpan<float> x, int rowStart, int rowCount, int width, Span<float> y, Span<int> argmax)
    {
        int outWidth = width / 2;
        AssertBounds(x, rowStart, rowCount, width, y, argmax);
        Debug.Assert(outWidth >= 4);

        ref float input = ref MemoryMarshal.GetReference(x);
        ref float output = ref MemoryMarshal.GetReference(y);
        ref int indices = ref MemoryMarshal.GetReference(argmax);
        int lastBlock = outWidth - 4;
        for (int row = 0; row < rowCount; row++)
        {
            int topStart = rowStart + 2 * row * width;
            int outStart = row * outWidth;
            Vector128<float> unordered = Vector128<float>.Zero;
            for (int ow = 0; ow < lastBlock; ow += 4)
            {
                unordered |= PoolBlockOf4(ref input, topStart + 2 * ow, width, ref output, ref indices, outStart + ow);
            }

            unordered |= PoolBlockOf4(ref input, topStart + 2 * lastBlock, width, ref output, ref indices, outStart + lastBlock);
            if (unordered.AsInt32() != Vector128<int>.Zero)
            {
                MaxPool2x2.PoolRowScalar(x, topStart, width, y.Slice(outStart, outWidth), argmax.Slice(outStart, outWidth));
            }
        }
    }

    /// <summary>
    /// Pools the 8 windows whose top-left inputs are input[topStart], input[topStart + 2], ...
    /// into output[outStart ..] and indices[outStart ..]. Returns a mask of the lanes whose
    /// window contains a NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PoolBlockOf8(ref float input, int topStart, int width, ref float output, ref int indices, int outStart)
    {
        ref float top = ref Unsafe.Add(ref input, topStart);
        ref float bottom = ref Unsafe.Add(ref top, width);
        Vector256<float> top0 = Vector256.LoadUnsafe(ref top);
        Vector256<float> top1 = Vector256.LoadUnsafe(ref top, 8);
        Vector256<float> bottom0 = Vector256.LoadUnsafe(ref bottom);
        Vector256<float> bottom1 = Vector256.LoadUnsafe(ref bottom, 8);

        // lane i belongs to window [0, 1, 4, 5, 2, 3, 6, 7][i], because the shuffle stays in its 128-bit half
        Vector256<float> a = Avx.Shuffle(top0, top1, EvenColumns);
        Vector256<float> b = Avx.Shuffle(top0, top1, OddColumns);
        Vector256<float> c = Avx.Shuffle(bottom0, bottom1, EvenColumns);
        Vector256<float> d = Avx.Shuffle(bottom0, bottom1, OddColumns);

        // column of each lane's top-left input, 2 * window, relative to input[topStart]
        var laneColumn = Vector256.Create(0, 2, 8, 10, 4, 6, 12, 14);
        (Vector256<float> value, Vector256<int> offset) = Tournament(a, b, c, d, width);
        Vector256<int> index = Vector256.Create(topStart) + laneColumn + offset;

        // swapping the middle two 64-bit quarters puts the lanes in window order
        value = Avx2.Permute4x64(value.AsDouble(), 0b11_01_10_00).AsSingle();
        index = Avx2.Permute4x64(index.AsInt64(), 0b11_01_10_00).AsInt32();
        value.StoreUnsafe(ref output, (nuint)outStart);
        index.StoreUnsafe(ref indices, (nuint)outStart);
        return Avx.CompareUnordered(a, b) | Avx.CompareUnordered(c, d);
    }

    /// <summary>
    /// Pools 4 windows of one row, whose top-left inputs are input[topStart], input[topStart + 2],
    /// ..., and the 4 windows below them in the next row, two input rows further on. laneColumn
    /// is the offset of each lane's top-left input from input[topStart]. Returns a mask of the
    /// lanes whose window contains a NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PoolTwoRowBlockOf4(
        ref float input, int topStart, int width, Vector256<int> laneColumn, ref float output, ref int indices, int outStart, int outWidth)
    {
        ref float top = ref Unsafe.Add(ref input, topStart);
        ref float bottom = ref Unsafe.Add(ref top, width);
        ref float nextTop = ref Unsafe.Add(ref top, 2 * width);
        ref float nextBottom = ref Unsafe.Add(ref top, 3 * width);
        var top0 = Vector256.Create(Vector128.LoadUnsafe(ref top), Vector128.LoadUnsafe(ref nextTop));
        var top1 = Vector256.Create(Vector128.LoadUnsafe(ref top, 4), Vector128.LoadUnsafe(ref nextTop, 4));
        var bottom0 = Vector256.Create(Vector128.LoadUnsafe(ref bottom), Vector128.LoadUnsafe(ref nextBottom));
        var bottom1 = Vector256.Create(Vector128.LoadUnsafe(ref bottom, 4), Vector128.LoadUnsafe(ref nextBottom, 4));

        // lane i belongs to window i % 4 of row i / 4
        Vector256<float> a = Avx.Shuffle(top0, top1, EvenColumns);
        Vector256<float> b = Avx.Shuffle(top0, top1, OddColumns);
        Vector256<float> c = Avx.Shuffle(bottom0, bottom1, EvenColumns);
        Vector256<float> d = Avx.Shuffle(bottom0, bottom1, OddColumns);

        (Vector256<float> value, Vector256<int> offset) = Tournament(a, b, c, d, width);
        Vector256<int> index = Vector256.Create(topStart) + laneColumn + offset;

        value.GetLower().StoreUnsafe(ref output, (nuint)outStart);
        value.GetUpper().StoreUnsafe(ref output, (nuint)(outStart + outWidth));
        index.GetLower().StoreUnsafe(ref indices, (nuint)outStart);
        index.GetUpper().StoreUnsafe(ref indices, (nuint)(outStart + outWidth));
        return Avx.CompareUnordered(a, b) | Avx.CompareUnordered(c, d);
    }

    /// <summary>The SSE4.1 form of <see cref="PoolBlockOf8"/> for 4 windows, which the shuffles leave in window order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> PoolBlockOf4(ref float input, int topStart, int width, ref float output, ref int indices, int outStart)
    {
        ref float top = ref Unsafe.Add(ref input, topStart);
        ref float bottom = ref Unsafe.Add(ref top, width);
        Vector128<float> top0 = Vector128.LoadUnsafe(ref top);
        Vector128<float> top1 = Vector128.LoadUnsafe(ref top, 4);
        Vector128<float> bottom0 = Vector128.LoadUnsafe(ref bottom);
        Vector128<float> bottom1 = Vector128.LoadUnsafe(ref bottom, 4);

        Vector128<float> a = Sse.Shuffle(top0, top1, EvenColumns);
        Vector128<float> b = Sse.Shuffle(top0, top1, OddColumns);
        Vector128<float> c = Sse.Shuffle(bottom0, bottom1, EvenColumns);
        Vector128<float> d = Sse.Shuffle(bottom0, bottom1, OddColumns);

        // the steps of Tournament
        Vector128<float> takeB = Sse.CompareGreaterThan(b, a);
        Vector128<float> topMax = Sse41.BlendVariable(a, b, takeB);
        Vector128<float> takeD = Sse.CompareGreaterThan(d, c);
        Vector128<float> bottomMax = Sse41.BlendVariable(c, d, takeD);
        Vector128<float> takeBottom = Sse.CompareGreaterThan(bottomMax, topMax);
        Vector128<float> value = Sse41.BlendVariable(topMax, bottomMax, takeBottom);
        Vector128<int> rightColumn = Sse41.BlendVariable(takeB, takeD, takeBottom).AsInt32();
        Vector128<int> offset = (takeBottom.AsInt32() & Vector128.Create(width)) - rightColumn;
        Vector128<int> index = Vector128.Create(topStart) + Vector128.Create(0, 2, 4, 6) + offset;

        value.StoreUnsafe(ref output, (nuint)outStart);
        index.StoreUnsafe(ref indices, (nuint)outStart);
        return Sse.CompareUnordered(a, b) | Sse.CompareUnordered(c, d);
    }

    /// <summary>
    /// Picks the maximum of each lane's window a b / c d and its offset from a (0, 1, width or
    /// width + 1) as the scalar path does. Lanes whose window contains a NaN get an arbitrary result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Value, Vector256<int> Offset) Tournament(
        Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, int width)
    {
        Vector256<float> takeB = Avx.CompareGreaterThan(b, a);
        Vector256<float> topMax = Avx.BlendVariable(a, b, takeB);
        Vector256<float> takeD = Avx.CompareGreaterThan(d, c);
        Vector256<float> bottomMax = Avx.BlendVariable(c, d, takeD);
        Vector256<float> takeBottom = Avx.CompareGreaterThan(bottomMax, topMax);
        Vector256<float> value = Avx.BlendVariable(topMax, bottomMax, takeBottom);

        // offset = (width if bottom) + (1 if right). The right-column mask is -1, so subtracting it adds 1.
        Vector256<int> rightColumn = Avx.BlendVariable(takeB, takeD, takeBottom).AsInt32();
        Vector256<int> offset = (takeBottom.AsInt32() & Vector256.Create(width)) - rightColumn;
        return (value, offset);
    }

    [Conditional("DEBUG")]
    private static void AssertBounds(ReadOnlySpan<float> x, int rowStart, int rowCount, int width, Span<float> y, Span<int> argmax)
    {
        Debug.Assert(rowStart >= 0 && rowCount >= 0 && (long)rowStart + 2L * rowCount * width <= x.Length);
        Debug.Assert((long)rowCount * (width / 2) <= y.Length && argmax.Length == y.Length);
    }
}
