using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ClipLab.Tensors;

/// <summary>
/// Register-blocked dot products of contiguous rows, the kernel of C = A B^T with A [m, k],
/// B [n, k] and C [m, n].
/// </summary>
/// <remarks>
/// <para>
/// A 2 x 4 tile computes eight elements at once: per 8 steps along k it loads two vectors of A
/// and four of B for eight fused multiply-adds, where a lone dot product loads two vectors for
/// one. Edges use a 1 x 4 kernel, one row against four, which repeats a row when fewer than
/// four are left, so that even a lone element has no kernel of its own.
/// </para>
/// <para>
/// Every kernel sums each element C[i, j] = sum over p of A[i, p] B[j, p] in the same order:
/// </para>
/// <list type="number">
/// <item>eight lane sums, lane l a chain of fused multiply-adds from 0 over p = l, l + 8, ...
/// below k rounded down to a multiple of 8;</item>
/// <item>the lanes added as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7));</item>
/// <item>the last k mod 8 products fused into that sum in ascending p;</item>
/// <item>when accumulating, the old value of C plus the sum.</item>
/// </list>
/// <para>
/// So the kernel that computes an element and the split of C over threads do not change any
/// bit. The order differs from TensorPrimitives.Dot, so results can differ from it in the last
/// bits.
/// </para>
/// </remarks>
internal static class DotBlock
{
    /// <summary>Rows of A in a full tile.</summary>
    public const int TileRows = 2;

    /// <summary>Rows of B, so columns of C, in a full tile.</summary>
    public const int TileColumns = 4;

    /// <summary>
    /// Computes C[i, j] = A_i · B_j, or adds it to C[i, j] when <paramref name="accumulate"/> is
    /// set, for rows i in [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) and columns
    /// j in [<paramref name="columnStart"/>, <paramref name="columnEnd"/>).
    /// </summary>
    /// <remarks>
    /// A and B contain rows of length <paramref name="k"/>, at least <paramref name="rowEnd"/> and
    /// <paramref name="columnEnd"/> of them, and C contains rows <paramref name="n"/> apart.
    /// </remarks>
    /// <exception cref="ArgumentException">A span is too short for the range, or the range is invalid.</exception>
    public static void MultiplyTransposed(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n,
        int rowStart, int rowEnd, int columnStart, int columnEnd, bool accumulate)
    {
        ValidateRange(a, b, c, k, n, rowStart, rowEnd, columnStart, columnEnd);
        if (rowStart == rowEnd || columnStart == columnEnd)
        {
            return;
        }

        // The checks above keep every row and element that the kernels reach inside the spans.
        ref float aRef = ref MemoryMarshal.GetReference(a);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float cRef = ref MemoryMarshal.GetReference(c);
        int pairEnd = rowStart + (rowEnd - rowStart) / TileRows * TileRows;
        int quadEnd = columnStart + (columnEnd - columnStart) / TileColumns * TileColumns;

        // Four rows of B are the outer loop, so they stay in the L1 cache while A passes over them.
        for (int j = columnStart; j < quadEnd; j += TileColumns)
        {
            ref float b0 = ref Unsafe.Add(ref bRef, (nint)j * k);
            for (int i = rowStart; i < pairEnd; i += TileRows)
            {
                Dot2x4(ref Unsafe.Add(ref aRef, (nint)i * k), ref b0, k, out Vector128<float> row0, out Vector128<float> row1);
                Store(row0, ref Unsafe.Add(ref cRef, (nint)i * n + j), 1, 4, accumulate);
                Store(row1, ref Unsafe.Add(ref cRef, (nint)(i + 1) * n + j), 1, 4, accumulate);
            }

            if (pairEnd < rowEnd)
            {
                ref float b1 = ref Unsafe.Add(ref b0, k);
                ref float b2 = ref Unsafe.Add(ref b1, k);
                Vector128<float> row = Dot1x4(ref Unsafe.Add(ref aRef, (nint)pairEnd * k), ref b0, ref b1, ref b2, ref Unsafe.Add(ref b2, k), k);
                Store(row, ref Unsafe.Add(ref cRef, (nint)pairEnd * n + j), 1, 4, accumulate);
            }
        }

        // Each column left over is one row of B against four rows of A at a time. A last group
        // of fewer than four rows repeats its last row and stores only the rows it has.
        for (int j = quadEnd; j < columnEnd; j++)
        {
            ref float bRow = ref Unsafe.Add(ref bRef, (nint)j * k);
            for (int i = rowStart; i < rowEnd; i += 4)
            {
                int last = Math.Min(i + 3, rowEnd - 1);
                Vector128<float> column = Dot1x4(
                    ref bRow,
                    ref Unsafe.Add(ref aRef, (nint)i * k),
                    ref Unsafe.Add(ref aRef, (nint)Math.Min(i + 1, last) * k),
                    ref Unsafe.Add(ref aRef, (nint)Math.Min(i + 2, last) * k),
                    ref Unsafe.Add(ref aRef, (nint)last * k),
                    k);
                Store(column, ref Unsafe.Add(ref cRef, (nint)i * n + j), n, last - i + 1, accumulate);
            }
        }
    }

    private static void ValidateRange(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n,
        int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(rowStart);
        ArgumentOutOfRangeException.ThrowIfNegative(columnStart);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowEnd, rowStart);
        ArgumentOutOfRangeException.ThrowIfLessThan(columnEnd, columnStart);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columnEnd, n);
        if ((long)rowEnd * k > a.Length)
        {
            throw new ArgumentException($"A has {a.Length} elements but must contain {rowEnd} rows of {k}.", nameof(a));
        }

        if ((long)columnEnd * k > b.Length)
        {
            throw new ArgumentException($"B has {b.Length} elements but must contain {columnEnd} rows of {k}.", nameof(b));
        }

        if (rowEnd > rowStart && (long)(rowEnd - 1) * n + columnEnd > c.Length)
        {
            throw new ArgumentException($"C has {c.Length} elements but must contain {rowEnd} rows of {n}.", nameof(c));
        }
    }

    /// <summary>
    /// Writes the first <paramref name="count"/> of four sums to C elements
    /// <paramref name="stride"/> apart, added to the old values when accumulating.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<float> sums, ref float c, nint stride, int count, bool accumulate)
    {
        if (stride == 1 && count == 4)
        {
            if (accumulate)
            {
                sums = Vector128.LoadUnsafe(ref c) + sums;
            }

            sums.StoreUnsafe(ref c);
            return;
        }

        for (int lane = 0; lane < count; lane++)
        {
            ref float element = ref Unsafe.Add(ref c, lane * stride);
            element = accumulate ? element + sums.GetElement(lane) : sums.GetElement(lane);
        }
    }

    /// <summary>
    /// Computes the dot products of the two rows of A starting at <paramref name="a0"/> with the four rows of B
    /// starting at <paramref name="b0"/>, all rows k apart: one Vector128 per row of A.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot2x4(ref float a0, ref float b0, int k, out Vector128<float> row0, out Vector128<float> row1)
    {
        ref float a1 = ref Unsafe.Add(ref a0, k);
        ref float b1 = ref Unsafe.Add(ref b0, k);
        ref float b2 = ref Unsafe.Add(ref b1, k);
        ref float b3 = ref Unsafe.Add(ref b2, k);
        Vector256<float> s00 = Vector256<float>.Zero, s01 = s00, s02 = s00, s03 = s00;
        Vector256<float> s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        nuint vectorEnd = (nuint)(k & ~7);
        for (nuint p = 0; p < vectorEnd; p += 8)
        {
            Vector256<float> x0 = Vector256.LoadUnsafe(ref a0, p);
            Vector256<float> x1 = Vector256.LoadUnsafe(ref a1, p);

            Vector256<float> y = Vector256.LoadUnsafe(ref b0, p);
            s00 = Vector256.FusedMultiplyAdd(x0, y, s00);
            s10 = Vector256.FusedMultiplyAdd(x1, y, s10);
            y = Vector256.LoadUnsafe(ref b1, p);
            s01 = Vector256.FusedMultiplyAdd(x0, y, s01);
            s11 = Vector256.FusedMultiplyAdd(x1, y, s11);
            y = Vector256.LoadUnsafe(ref b2, p);
            s02 = Vector256.FusedMultiplyAdd(x0, y, s02);
            s12 = Vector256.FusedMultiplyAdd(x1, y, s12);
            y = Vector256.LoadUnsafe(ref b3, p);
            s03 = Vector256.FusedMultiplyAdd(x0, y, s03);
            s13 = Vector256.FusedMultiplyAdd(x1, y, s13);
        }

        row0 = SumLanes(s00, s01, s02, s03);
        row1 = SumLanes(s10, s11, s12, s13);
        for (nuint p = vectorEnd; p < (nuint)k; p++)
        {
            var y = Vector128.Create(Unsafe.Add(ref b0, p), Unsafe.Add(ref b1, p), Unsafe.Add(ref b2, p), Unsafe.Add(ref b3, p));
            row0 = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref a0, p)), y, row0);
            row1 = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref a1, p)), y, row1);
        }
    }

    /// <summary>Returns the dot products of row x with rows y0 .. y3, which may come from A or from B and may repeat.</summary>
    /// <remarks>x and y swap roles without changing a bit, because a fused multiply-add rounds the exact product once.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Dot1x4(ref float x, ref float y0, ref float y1, ref float y2, ref float y3, int k)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        nuint vectorEnd = (nuint)(k & ~7);
        for (nuint p = 0; p < vectorEnd; p += 8)
        {
            Vector256<float> xp = Vector256.LoadUnsafe(ref x, p);
            s0 = Vector256.FusedMultiplyAdd(xp, Vector256.LoadUnsafe(ref y0, p), s0);
            s1 = Vector256.FusedMultiplyAdd(xp, Vector256.LoadUnsafe(ref y1, p), s1);
            s2 = Vector256.FusedMultiplyAdd(xp, Vector256.LoadUnsafe(ref y2, p), s2);
            s3 = Vector256.FusedMultiplyAdd(xp, Vector256.LoadUnsafe(ref y3, p), s3);
        }

        Vector128<float> sums = SumLanes(s0, s1, s2, s3);
        for (nuint p = vectorEnd; p < (nuint)k; p++)
        {
            var y = Vector128.Create(Unsafe.Add(ref y0, p), Unsafe.Add(ref y1, p), Unsafe.Add(ref y2, p), Unsafe.Add(ref y3, p));
            sums = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref x, p)), y, sums);
        }

        return sums;
    }

    /// <summary>Returns the lane sums of four vectors, each as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> SumLanes(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3)
    {
        if (Avx.IsSupported)
        {
            // [s0 l0+l1, s0 l2+l3, s1 l0+l1, s1 l2+l3 | s0 l4+l5, s0 l6+l7, s1 l4+l5, s1 l6+l7]
            Vector256<float> h01 = Avx.HorizontalAdd(s0, s1);
            Vector256<float> h23 = Avx.HorizontalAdd(s2, s3);

            // [s0 l0..l3, s1 l0..l3, s2 l0..l3, s3 l0..l3 | the same for l4..l7]
            Vector256<float> quarters = Avx.HorizontalAdd(h01, h23);
            return quarters.GetLower() + quarters.GetUpper();
        }

        return Vector128.Create(SumLanes(s0), SumLanes(s1), SumLanes(s2), SumLanes(s3));
    }

    /// <summary>Returns ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)) for the lanes l of <paramref name="s"/>.</summary>
    private static float SumLanes(Vector256<float> s) =>
        ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
