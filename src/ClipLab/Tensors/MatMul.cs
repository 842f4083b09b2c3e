using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ClipLab.Tensors;

// Index legend: m rows of A and C, k inner dimension, n columns of B and C. Matrices are
// row-major: A [m, k] with rows k apart, B [k, n] with rows ldb apart, C [m, n] with rows ldc
// apart (ldb = ldc = n for contiguous matrices).

/// <summary>Single-precision matrix products on row-major spans.</summary>
/// <remarks>
/// In the Multiply methods and <see cref="MultiplyStrided"/> every element of C is one chain
/// of fused multiply-adds over k in ascending order, started from 0 (or from C's old value when
/// accumulating). Vector tiles of any width, scalar tails and any split over threads therefore
/// give the same bits.
/// </remarks>
internal static class MatMul
{
    private const int TileRows = 4;
    private const int TileColumns = 2 * 8; // two Vector256<float>

    // Below this many multiply-adds a product runs on one thread: the hand-off costs more. The
    // products of a training step at batch 8 (fc1's are 384k) measured faster on one thread,
    // fc2's at batch 100 (1M) faster on two.
    private const long ParallelThreshold = 1 << 19;

    /// <summary>C = A B, or C += A B when <paramref name="accumulate"/> is set, for contiguous matrices.</summary>
    public static void Multiply(
        float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate, Parallelism parallelism) =>
        Multiply(a, b, 0, c, m, k, n, parallelism, accumulate);

    /// <summary>C = A B for contiguous matrices, with A starting at <paramref name="aOffset"/> in <paramref name="a"/>, on the calling thread unless large.</summary>
    public static void Multiply(float[] a, int aOffset, float[] b, float[] c, int m, int k, int n, Parallelism parallelism)
    {
        if ((long)m * k * n < ParallelThreshold || parallelism.MaxThreads == 1)
        {
            MultiplyStrided(a.AsSpan(aOffset), b, n, c, n, m, k, n, accumulate: false);
            return;
        }

        // fixed row blocks of A and C whose boundaries depend only on m
        int blocks = Math.Min(4 * parallelism.MaxThreads, (m + TileRows - 1) / TileRows);
        int blockRows = ((m + TileRows - 1) / TileRows + blocks - 1) / blocks * TileRows;
        blocks = (m + blockRows - 1) / blockRows;
        parallelism.For(blocks, (a, aOffset, b, c, m, k, n, blockRows), static (block, s) =>
        {
            int first = block * s.blockRows;
            int rows = Math.Min(s.m, first + s.blockRows) - first;
            MultiplyStrided(s.a.AsSpan(s.aOffset + first * s.k), s.b, s.n, s.c.AsSpan(first * s.n), s.n, rows, s.k, s.n, accumulate: false);
        });
    }

    /// <summary>
    /// C = A B, or C += A B when <paramref name="accumulate"/> is set, for contiguous matrices,
    /// with B starting at <paramref name="bOffset"/> in <paramref name="b"/>.
    /// </summary>
    public static void Multiply(
        float[] a, float[] b, int bOffset, float[] c, int m, int k, int n, Parallelism parallelism, bool accumulate = false)
    {
        if ((long)m * k * n < ParallelThreshold || parallelism.MaxThreads == 1)
        {
            MultiplyStrided(a, b.AsSpan(bOffset), n, c, n, m, k, n, accumulate);
            return;
        }

        // fixed column blocks whose boundaries depend only on n
        int tiles = (n + TileColumns - 1) / TileColumns;
        int blockCount = Math.Min(4 * parallelism.MaxThreads, tiles);
        int blockWidth = (tiles + blockCount - 1) / blockCount * TileColumns;
        int blocks = (n + blockWidth - 1) / blockWidth;
        parallelism.For(blocks, (a, b, bOffset, c, m, k, n, accumulate, blockWidth), static (block, s) =>
        {
            int start = block * s.blockWidth;
            int width = Math.Min(s.n, start + s.blockWidth) - start;
            MultiplyStrided(s.a, s.b.AsSpan(s.bOffset + start), s.n, s.c.AsSpan(start), s.n, s.m, s.k, width, s.accumulate);
        });
    }

    /// <summary>
    /// C = A B, or C += A B when <paramref name="accumulate"/> is set, on the calling thread. B's
    /// rows are <paramref name="ldb"/> apart and C's <paramref name="ldc"/> apart, so either can
    /// be a block of columns inside a wider matrix.
    /// </summary>
    /// <remarks>
    /// Column tiles are the outer loop, so the k x 16 slice of B that a tile reads stays in the
    /// L1 cache while every row group of A passes over it.
    /// </remarks>
    public static void MultiplyStrided(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int k, int n, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        int fullTileEnd = n / TileColumns * TileColumns;
        for (int j = 0; j < fullTileEnd; j += TileColumns)
        {
            int i = 0;
            for (; i + TileRows <= m; i += TileRows)
            {
                Tile4x16(a, b, ldb, c, ldc, i, j, k, accumulate);
            }

            if (i + 2 <= m)
            {
                Tile2x16(a, b, ldb, c, ldc, i, j, k, accumulate);
                i += 2;
            }

            for (; i < m; i++)
            {
                Tile1x16(a, b, ldb, c, ldc, i, j, k, accumulate);
            }
        }

        if (fullTileEnd < n)
        {
            for (int i = 0; i < m; i++)
            {
                RowTail(a, b, ldb, c, ldc, i, fullTileEnd, n, k, accumulate);
            }
        }
    }

    /// <summary>
    /// C = A B^T, or C += A B^T when <paramref name="accumulate"/> is set, with A [m, k] and
    /// B [n, k]: every element is one dot product of two contiguous rows.
    /// </summary>
    /// <remarks>
    /// <see cref="DotBlock"/> sums every element in one order that depends only on k, whichever
    /// tile and thread computes it, so the split over threads does not change any bit.
    /// </remarks>
    public static void MultiplyTransposed(
        float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate, Parallelism parallelism) =>
        MultiplyTransposed(a, b, 0, c, m, k, n, parallelism, accumulate);

    /// <summary>
    /// C = A B^T, or C += A B^T when <paramref name="accumulate"/> is set (the default here), with
    /// B starting at <paramref name="bOffset"/> in <paramref name="b"/>.
    /// </summary>
    public static void MultiplyTransposed(
        float[] a, float[] b, int bOffset, float[] c, int m, int k, int n, Parallelism parallelism, bool accumulate = true)
    {
        if ((long)m * n * k < ParallelThreshold || parallelism.MaxThreads == 1)
        {
            DotBlock.MultiplyTransposed(a, b.AsSpan(bOffset), c, k, n, 0, m, 0, n, accumulate);
            return;
        }

        // Blocks contain whole tiles. Columns are split first, and rows too when there are fewer
        // column tiles than 4 blocks per thread. The boundaries depend only on m, n and MaxThreads.
        int targetBlocks = 4 * parallelism.MaxThreads;
        int columnTiles = (n + DotBlock.TileColumns - 1) / DotBlock.TileColumns;
        int rowTiles = (m + DotBlock.TileRows - 1) / DotBlock.TileRows;
        int columnBlocks = Math.Min(columnTiles, targetBlocks);
        int rowBlocks = Math.Min(rowTiles, (targetBlocks + columnBlocks - 1) / columnBlocks);
        int blockColumns = (columnTiles + columnBlocks - 1) / columnBlocks * DotBlock.TileColumns;
        int blockRows = (rowTiles + rowBlocks - 1) / rowBlocks * DotBlock.TileRows;
        columnBlocks = (n + blockColumns - 1) / blockColumns;
        rowBlocks = (m + blockRows - 1) / blockRows;
        parallelism.For(rowBlocks * columnBlocks, (a, b, bOffset, c, m, k, n, accumulate, columnBlocks, blockRows, blockColumns), static (block, s) =>
        {
            int rowStart = block / s.columnBlocks * s.blockRows;
            int columnStart = block % s.columnBlocks * s.blockColumns;
            DotBlock.MultiplyTransposed(
                s.a, s.b.AsSpan(s.bOffset), s.c, s.k, s.n,
                rowStart, Math.Min(s.m, rowStart + s.blockRows), columnStart, Math.Min(s.n, columnStart + s.blockColumns), s.accumulate);
        });
    }

    /// <summary>Writes the transpose of <paramref name="source"/> [rows, cols] into <paramref name="destination"/> [cols, rows].</summary>
    public static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = source.Slice(r * cols, cols);
            for (int col = 0; col < cols; col++)
            {
                destination[col * rows + r] = row[col];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x16(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int i, int j, int k, bool accumulate)
    {
        _ = c[(i + 3) * ldc + j + TileColumns - 1];
        ref float c0 = ref c[i * ldc + j];
        ref float c1 = ref Unsafe.Add(ref c0, ldc);
        ref float c2 = ref Unsafe.Add(ref c0, 2 * ldc);
        ref float c3 = ref Unsafe.Add(ref c0, 3 * ldc);
        Vector256<float> s00, s01, s10, s11, s20, s21, s30, s31;
        if (accumulate)
        {
            s00 = Vector256.LoadUnsafe(ref c0);
            s01 = Vector256.LoadUnsafe(ref c0, 8);
            s10 = Vector256.LoadUnsafe(ref c1);
            s11 = Vector256.LoadUnsafe(ref c1, 8);
            s20 = Vector256.LoadUnsafe(ref c2);
            s21 = Vector256.LoadUnsafe(ref c2, 8);
            s30 = Vector256.LoadUnsafe(ref c3);
            s31 = Vector256.LoadUnsafe(ref c3, 8);
        }
        else
        {
            s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector256<float>.Zero;
        }

        // bounds: the caller guarantees rows i..i+3 of A, columns j..j+15 of B and C
        _ = b[(k - 1) * ldb + j + TileColumns - 1];
        _ = a[(i + 4) * k - 1];
        ref float a0 = ref Unsafe.AsRef(in a[i * k]);
        ref float a1 = ref Unsafe.Add(ref a0, k);
        ref float a2 = ref Unsafe.Add(ref a0, 2 * k);
        ref float a3 = ref Unsafe.Add(ref a0, 3 * k);
        ref float bRow = ref Unsafe.Add(ref Unsafe.AsRef(in b[0]), j);
        for (int p = 0; p < k; p++, bRow = ref Unsafe.Add(ref bRow, ldb))
        {
            Vector256<float> b0 = Vector256.LoadUnsafe(ref bRow);
            Vector256<float> b1 = Vector256.LoadUnsafe(ref bRow, 8);

            var s = Vector256.Create(Unsafe.Add(ref a0, p));
            s00 = Vector256.FusedMultiplyAdd(s, b0, s00);
            s01 = Vector256.FusedMultiplyAdd(s, b1, s01);
            s = Vector256.Create(Unsafe.Add(ref a1, p));
            s10 = Vector256.FusedMultiplyAdd(s, b0, s10);
            s11 = Vector256.FusedMultiplyAdd(s, b1, s11);
            s = Vector256.Create(Unsafe.Add(ref a2, p));
            s20 = Vector256.FusedMultiplyAdd(s, b0, s20);
            s21 = Vector256.FusedMultiplyAdd(s, b1, s21);
            s = Vector256.Create(Unsafe.Add(ref a3, p));
            s30 = Vector256.FusedMultiplyAdd(s, b0, s30);
            s31 = Vector256.FusedMultiplyAdd(s, b1, s31);
        }

        s00.StoreUnsafe(ref c0);
        s01.StoreUnsafe(ref c0, 8);
        s10.StoreUnsafe(ref c1);
        s11.StoreUnsafe(ref c1, 8);
        s20.StoreUnsafe(ref c2);
        s21.StoreUnsafe(ref c2, 8);
        s30.StoreUnsafe(ref c3);
        s31.StoreUnsafe(ref c3, 8);
    }

    /// <summary>Two rows by 16 columns: four independent accumulator chains, for row counts such as 6 that leave two rows after the 4-row tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile2x16(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int i, int j, int k, bool accumulate)
    {
        _ = c[(i + 1) * ldc + j + TileColumns - 1];
        ref float c0 = ref c[i * ldc + j];
        ref float c1 = ref Unsafe.Add(ref c0, ldc);
        Vector256<float> s00 = accumulate ? Vector256.LoadUnsafe(ref c0) : Vector256<float>.Zero;
        Vector256<float> s01 = accumulate ? Vector256.LoadUnsafe(ref c0, 8) : Vector256<float>.Zero;
        Vector256<float> s10 = accumulate ? Vector256.LoadUnsafe(ref c1) : Vector256<float>.Zero;
        Vector256<float> s11 = accumulate ? Vector256.LoadUnsafe(ref c1, 8) : Vector256<float>.Zero;

        _ = b[(k - 1) * ldb + j + TileColumns - 1];
        _ = a[(i + 2) * k - 1];
        ref float a0 = ref Unsafe.AsRef(in a[i * k]);
        ref float a1 = ref Unsafe.Add(ref a0, k);
        ref float bRow = ref Unsafe.Add(ref Unsafe.AsRef(in b[0]), j);
        for (int p = 0; p < k; p++, bRow = ref Unsafe.Add(ref bRow, ldb))
        {
            Vector256<float> b0 = Vector256.LoadUnsafe(ref bRow);
            Vector256<float> b1 = Vector256.LoadUnsafe(ref bRow, 8);
            var s = Vector256.Create(Unsafe.Add(ref a0, p));
            s00 = Vector256.FusedMultiplyAdd(s, b0, s00);
            s01 = Vector256.FusedMultiplyAdd(s, b1, s01);
            s = Vector256.Create(Unsafe.Add(ref a1, p));
            s10 = Vector256.FusedMultiplyAdd(s, b0, s10);
            s11 = Vector256.FusedMultiplyAdd(s, b1, s11);
        }

        s00.StoreUnsafe(ref c0);
        s01.StoreUnsafe(ref c0, 8);
        s10.StoreUnsafe(ref c1);
        s11.StoreUnsafe(ref c1, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x16(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int i, int j, int k, bool accumulate)
    {
        _ = c[i * ldc + j + TileColumns - 1];
        ref float cRef = ref c[i * ldc + j];
        Vector256<float> s0 = accumulate ? Vector256.LoadUnsafe(ref cRef) : Vector256<float>.Zero;
        Vector256<float> s1 = accumulate ? Vector256.LoadUnsafe(ref cRef, 8) : Vector256<float>.Zero;

        _ = b[(k - 1) * ldb + j + TileColumns - 1];
        ReadOnlySpan<float> aRow = a.Slice(i * k, k);
        ref float bRef = ref Unsafe.Add(ref Unsafe.AsRef(in b[0]), j);
        for (int p = 0; p < k; p++)
        {
            ref float bRow = ref Unsafe.Add(ref bRef, p * ldb);
            var s = Vector256.Create(aRow[p]);
            s0 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref bRow), s0);
            s1 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref bRow, 8), s1);
        }

        s0.StoreUnsafe(ref cRef);
        s1.StoreUnsafe(ref cRef, 8);
    }

    /// <summary>Columns [columnStart, columnEnd) of row i, fewer than one full tile: 8, then 4, then 1 at a time.</summary>
    private static void RowTail(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        int i, int columnStart, int columnEnd, int k, bool accumulate)
    {
        ReadOnlySpan<float> aRow = a.Slice(i * k, k);
        Span<float> cRow = c.Slice(i * ldc, columnEnd);
        _ = b[(k - 1) * ldb + columnEnd - 1];
        ref float bRef = ref Unsafe.AsRef(in b[0]);
        int j = columnStart;
        if (j + 8 <= columnEnd)
        {
            Vector256<float> sum = accumulate ? Vector256.Create(cRow.Slice(j, 8)) : Vector256<float>.Zero;
            for (int p = 0; p < k; p++)
            {
                sum = Vector256.FusedMultiplyAdd(Vector256.Create(aRow[p]), Vector256.LoadUnsafe(ref bRef, (nuint)(p * ldb + j)), sum);
            }

            sum.CopyTo(cRow.Slice(j, 8));
            j += 8;
        }

        if (j + 4 <= columnEnd)
        {
            Vector128<float> sum = accumulate ? Vector128.Create(cRow.Slice(j, 4)) : Vector128<float>.Zero;
            for (int p = 0; p < k; p++)
            {
                sum = Vector128.FusedMultiplyAdd(Vector128.Create(aRow[p]), Vector128.LoadUnsafe(ref bRef, (nuint)(p * ldb + j)), sum);
            }

            sum.CopyTo(cRow.Slice(j, 4));
            j += 4;
        }

        for (; j < columnEnd; j++)
        {
            float sum = accumulate ? cRow[j] : 0f;
            for (int p = 0; p < k; p++)
            {
                sum = MathF.FusedMultiplyAdd(aRow[p], b[p * ldb + j], sum);
            }

            cRow[j] = sum;
        }
    }
}
