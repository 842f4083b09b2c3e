using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ClipLab.Layers;

/// <summary>Forward kernel of 2x2, stride-2 max pooling: the window maxima and the input index of each.</summary>
/// <remarks>
/// Every path picks the same input, so values and indices agree bit for bit: the first NaN in
/// row-major order if the window has one, else the first of equal maxima. A tournament (max
/// of the top pair, max of the bottom pair, then of the two) with strict comparisons picks
/// that input. It picks the first of -0 and +0 too, because they compare equal.
/// </remarks>
internal static class MaxPool2x2
{
    /// <summary>Pools planes [H, W] into [H / 2, W / 2]. The last row or column of an odd size is not read.</summary>
    /// <param name="x">Input [N, C, H, W]; a plane is one item's channel.</param>
    /// <param name="firstPlane">Index of the first plane to pool, item * C + channel.</param>
    /// <param name="planeCount">Number of planes to pool.</param>
    /// <param name="height">H, at least 2.</param>
    /// <param name="width">W, at least 2.</param>
    /// <param name="y">Output [N, C, H / 2, W / 2].</param>
    /// <param name="argmax">Index in <paramref name="x"/> of each output's input, laid out like <paramref name="y"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is too small, or the planes reach past the end of a span.</exception>
    public static void PoolPlanes(ReadOnlySpan<float> x, int firstPlane, int planeCount, int height, int width, Span<float> y, Span<int> argmax)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstPlane);
        ArgumentOutOfRangeException.ThrowIfNegative(planeCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        int outHeight = height / 2;
        int outWidth = width / 2;
        long planeEnd = (long)firstPlane + planeCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(x.Length, planeEnd * height * width, nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(y.Length, planeEnd * outHeight * outWidth, nameof(y));
        ArgumentOutOfRangeException.ThrowIfLessThan(argmax.Length, planeEnd * outHeight * outWidth, nameof(argmax));

        // The checks above bound the unchecked loads and stores of MaxPool2x2Simd: every row pair
        // lies in x, every output row in y and argmax, and a row pair reads columns below
        // 2 * outWidth <= width.
        if (height % 2 == 0)
        {
            // with an even height, the row pairs of one plane continue into the next, so one run covers all planes
            int outStart = firstPlane * outHeight * outWidth;
            int outLength = planeCount * outHeight * outWidth;
            PoolRows(x, firstPlane * height * width, planeCount * outHeight, width, y.Slice(outStart, outLength), argmax.Slice(outStart, outLength));
            return;
        }

        // with an odd height, each plane ends with an input row that no window uses, so each plane is a run of its own
        for (int plane = firstPlane; plane < planeEnd; plane++)
        {
            int outStart = plane * outHeight * outWidth;
            int outLength = outHeight * outWidth;
            PoolRows(x, plane * height * width, outHeight, width, y.Slice(outStart, outLength), argmax.Slice(outStart, outLength));
        }
    }

    /// <summary>
    /// Pools <paramref name="rowCount"/> output rows whose input row pairs follow each other from
    /// x[<paramref name="rowStart"/>] on, with the widest kernel that fits a row.
    /// </summary>
    private static void PoolRows(ReadOnlySpan<float> x, int rowStart, int rowCount, int width, Span<float> y, Span<int> argmax)
    {
        int outWidth = width / 2;
        if (Avx2.IsSupported && outWidth >= 8)
        {
            MaxPool2x2Simd.PoolRowsBy8(x, rowStart, rowCount, width, y, argmax);
        }
        else if (Avx2.IsSupported && outWidth >= 4)
        {
            MaxPool2x2Simd.PoolRowPairsBy4(x, rowStart, rowCount, width, y, argmax);
        }
        else if (Sse41.IsSupported && outWidth >= 4)
        {
            MaxPool2x2Simd.PoolRowsBy4(x, rowStart, rowCount, width, y, argmax);
        }
        else
        {
            for (int row = 0; row < rowCount; row++)
            {
                PoolRowScalar(x, rowStart + 2 * row * width, width, y.Slice(row * outWidth, outWidth), argmax.Slice(row * outWidth, outWidth));
            }
        }
    }

    /// <summary>
    /// Pools the windows whose top-left inputs are x[rowStart], x[rowStart + 2], ..., one at a
    /// time and without branches on the data, into <paramref name="y"/> and <paramref name="argmax"/>.
    /// </summary>
    /// <remarks>
    /// Selections use bit masks, because branches on random activations mispredict about half
    /// the time and cost more than the arithmetic.
    /// </remarks>
    internal static void PoolRowScalar(ReadOnlySpan<float> x, int rowStart, int width, Span<float> y, Span<int> argmax)
    {
        ReadOnlySpan<float> top = x.Slice(rowStart, 2 * y.Length);
        ReadOnlySpan<float> bottom = x.Slice(rowStart + width, 2 * y.Length);
        for (int ow = 0; ow < y.Length; ow++)
        {
            int w = 2 * ow;
            float a = top[w], b = top[w + 1], c = bottom[w], d = bottom[w + 1];

            int takeB = Mask(b > a);
            float topMax = Select(takeB, b, a);
            int takeD = Mask(d > c);
            float bottomMax = Select(takeD, d, c);
            int takeBottom = Mask(bottomMax > topMax);
            float value = Select(takeBottom, bottomMax, topMax);
            int column = (takeBottom & takeD) | (~takeBottom & takeB);
            int offset = (takeBottom & width) + (column & 1);

            if (float.IsNaN(a) | float.IsNaN(b) | float.IsNaN(c) | float.IsNaN(d))
            {
                // NaN wins, as in PyTorch, and keeps its bits. NaNs are rare, so this branch predicts well.
                (value, offset) = float.IsNaN(a) ? (a, 0) : float.IsNaN(b) ? (b, 1) : float.IsNaN(c) ? (c, width) : (d, width + 1);
            }

            y[ow] = value;
            argmax[ow] = rowStart + w + offset;
        }
    }

    /// <summary>All ones when <paramref name="condition"/> holds, else zero.</summary>
    private static int Mask(bool condition) => -Unsafe.As<bool, byte>(ref condition);

    /// <summary>Returns <paramref name="whenSet"/> where <paramref name="mask"/> is all ones, else <paramref name="whenClear"/>, bit for bit.</summary>
    private static float Select(int mask, float whenSet, float whenClear) =>
        BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(whenSet) & mask) | (BitConverter.SingleToInt32Bits(whenClear) & ~mask));
}
