using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace ClipLab.Tensors;

// Index legend: m rows of A and C, k inner dimension, n columns of B and C. All matrices are
// row-major: A [m, k], B [k, n], C [m, n].

/// <summary>Single-precision matrix products on row-major spans.</summary>
/// <remarks>
/// Every element of C is one chain of fused multiply-adds over k in ascending order, started
/// from 0 (or from C's old value when accumulating). Vector tiles, scalar tails and any split
/// over threads therefore give the same bits.
/// </remarks>
internal static class MatMul
{
    private const int TileRows = 4;
    private const int TileColumns = 2 * 8; // two Vector256<float>

    // Below this many multiply-adds a product runs on one thread: the hand-off costs more.
    private const long ParallelThreshold = 1 << 16;

    /// <summary>C = A B, or C += A B when <paramref name="accumulate"/> is set.</summary>
    public static void Multiply(
        float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate, Parallelism parallelism)
    {
        if (k == 0)
        {
            if (!accumulate)
            {
                c.AsSpan(0, m * n).Clear();
            }

            return;
        }

        if ((long)m * k * n < ParallelThreshold || parallelism.MaxThreads == 1)
        {
            MultiplyColumns(a, b, c, m, k, n, 0, n, accumulate);
            return;
        }

        // Split the columns into fixed blocks; block boundaries depend only on n.
        int blockCount = Math.Min(4 * parallelism.MaxThreads, (n + TileColumns - 1) / TileColumns);
        int tilesPerBlock = ((n + TileColumns - 1) / TileColumns + blockCount - 1) / blockCount;
        int blockWidth = tilesPerBlock * TileColumns;
        int blocks = (n + blockWidth - 1) / blockWidth;
        parallelism.For(blocks, block =>
        {
            int start = block * blockWidth;
            int end = Math.Min(n, start + blockWidth);
            MultiplyColumns(a, b, c, m, k, n, start, end, accumulate);
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

    /// <summary>Computes columns [columnStart, columnEnd) of C.</summary>
    public static void MultiplyColumns(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int k, int n, int columnStart, int columnEnd, bool accumulate)
    {
        int i = 0;
        for (; i + TileRows <= m; i += TileRows)
        {
            int j = columnStart;
            for (; j + TileColumns <= columnEnd; j += TileColumns)
            {
                Tile4x16(a, b, c, i, j, k, n, accumulate);
            }

            for (int row = i; row < i + TileRows; row++)
            {
                RowTail(a, b, c, row, j, columnEnd, k, n, accumulate);
            }
        }

        for (; i < m; i++)
        {
            int j = columnStart;
            for (; j + TileColumns <= columnEnd; j += TileColumns)
            {
                Tile1x16(a, b, c, i, j, k, n, accumulate);
            }

            RowTail(a, b, c, i, j, columnEnd, k, n, accumulate);
        }
    }

    /// <summary>
    /// C = A B^T, or C += A B^T when <paramref name="accumulate"/> is set, with A [m, k] and
    /// B [n, k]: every element is one dot product of two contiguous rows.
    /// </summary>
    /// <remarks>
    /// Each dot product is computed by one thread with TensorPrimitives.Dot, whose summation
    /// order depends only on k, so the split over threads does not change any bit.
    /// </remarks>
    public static void MultiplyTransposed(
        float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate, Parallelism parallelism)
    {
        int elements = m * n;
        if ((long)elements * k < ParallelThreshold || parallelism.MaxThreads == 1)
        {
            DotRange(a, b, c, k, n, 0, elements, accumulate);
            return;
        }

        int blocks = Math.Min(elements, 4 * parallelism.MaxThreads);
        int blockSize = (elements + blocks - 1) / blocks;
        parallelism.For(blocks, block =>
        {
            int start = block * blockSize;
            DotRange(a, b, c, k, n, start, Math.Min(elements, start + blockSize), accumulate);
        });
    }

    private static void DotRange(float[] a, float[] b, float[] c, int k, int n, int start, int end, bool accumulate)
    {
        for (int index = start; index < end; index++)
        {
            int i = index / n;
            int j = index - i * n;
            float dot = TensorPrimitives.Dot(a.AsSpan(i * k, k), b.AsSpan(j * k, k));
            c[index] = accumulate ? c[index] + dot : dot;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x16(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int i, int j, int k, int n, bool accumulate)
    {
        ref float cRef = ref c[i * n + j];
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (accumulate)
        {
            c00 = Vector256.LoadUnsafe(ref cRef);
            c01 = Vector256.LoadUnsafe(ref cRef, 8);
            c10 = Vector256.LoadUnsafe(ref cRef, (nuint)n);
            c11 = Vector256.LoadUnsafe(ref cRef, (nuint)n + 8);
            c20 = Vector256.LoadUnsafe(ref cRef, (nuint)(2 * n));
            c21 = Vector256.LoadUnsafe(ref cRef, (nuint)(2 * n) + 8);
            c30 = Vector256.LoadUnsafe(ref cRef, (nuint)(3 * n));
            c31 = Vector256.LoadUnsafe(ref cRef, (nuint)(3 * n) + 8);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector256<float>.Zero;
        }

        ReadOnlySpan<float> a0 = a.Slice(i * k, k);
        ReadOnlySpan<float> a1 = a.Slice((i + 1) * k, k);
        ReadOnlySpan<float> a2 = a.Slice((i + 2) * k, k);
        ReadOnlySpan<float> a3 = a.Slice((i + 3) * k, k);
        ref float bRef = ref Unsafe.AsRef(in b[0]);
        for (int p = 0; p < k; p++)
        {
            nuint offset = (nuint)(p * n + j);
            Vector256<float> b0 = Vector256.LoadUnsafe(ref bRef, offset);
            Vector256<float> b1 = Vector256.LoadUnsafe(ref bRef, offset + 8);

            var s = Vector256.Create(a0[p]);
            c00 = Vector256.FusedMultiplyAdd(s, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(s, b1, c01);
            s = Vector256.Create(a1[p]);
            c10 = Vector256.FusedMultiplyAdd(s, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(s, b1, c11);
            s = Vector256.Create(a2[p]);
            c20 = Vector256.FusedMultiplyAdd(s, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(s, b1, c21);
            s = Vector256.Create(a3[p]);
            c30 = Vector256.FusedMultiplyAdd(s, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(s, b1, c31);
        }

        c00.StoreUnsafe(ref cRef);
        c01.StoreUnsafe(ref cRef, 8);
        c10.StoreUnsafe(ref cRef, (nuint)n);
        c11.StoreUnsafe(ref cRef, (nuint)n + 8);
        c20.StoreUnsafe(ref cRef, (nuint)(2 * n));
        c21.StoreUnsafe(ref cRef, (nuint)(2 * n) + 8);
        c30.StoreUnsafe(ref cRef, (nuint)(3 * n));
        c31.StoreUnsafe(ref cRef, (nuint)(3 * n) + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x16(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int i, int j, int k, int n, bool accumulate)
    {
        ref float cRef = ref c[i * n + j];
        Vector256<float> c0 = accumulate ? Vector256.LoadUnsafe(ref cRef) : Vector256<float>.Zero;
        Vector256<float> c1 = accumulate ? Vector256.LoadUnsafe(ref cRef, 8) : Vector256<float>.Zero;

        ReadOnlySpan<float> aRow = a.Slice(i * k, k);
        ref float bRef = ref Unsafe.AsRef(in b[0]);
        for (int p = 0; p < k; p++)
        {
            nuint offset = (nuint)(p * n + j);
            var s = Vector256.Create(aRow[p]);
            c0 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref bRef, offset), c0);
            c1 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref bRef, offset + 8), c1);
        }

        c0.StoreUnsafe(ref cRef);
        c1.StoreUnsafe(ref cRef, 8);
    }

    /// <summary>Columns [columnStart, columnEnd) of row i, fewer than one full tile: 8 at a time, then one at a time.</summary>
    private static void RowTail(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int i, int columnStart, int columnEnd, int k, int n, bool accumulate)
    {
        int j = columnStart;
        if (j + 8 <= columnEnd && k > 0)
        {
            ref float cRef = ref c[i * n + j];
            Vector256<float> sum = accumulate ? Vector256.LoadUnsafe(ref cRef) : Vector256<float>.Zero;
            ReadOnlySpan<float> aRow = a.Slice(i * k, k);
            ref float bRef = ref Unsafe.AsRef(in b[0]);
            for (int p = 0; p < k; p++)
            {
                sum = Vector256.FusedMultiplyAdd(Vector256.Create(aRow[p]), Vector256.LoadUnsafe(ref bRef, (nuint)(p * n + j)), sum);
            }

            sum.StoreUnsafe(ref cRef);
            j += 8;
        }

        ScalarRow(a, b, c, i, j, columnEnd, k, n, accumulate);
    }

    private static void ScalarRow(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int i, int columnStart, int columnEnd, int k, int n, bool accumulate)
    {
        ReadOnlySpan<float> aRow = a.Slice(i * k, k);
        for (int j = columnStart; j < columnEnd; j++)
        {
            float sum = accumulate ? c[i * n + j] : 0f;
            for (int p = 0; p < k; p++)
            {
                sum = MathF.FusedMultiplyAdd(aRow[p], b[p * n + j], sum);
            }

            c[i * n + j] = sum;
        }
    }
}
