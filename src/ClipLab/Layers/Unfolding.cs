using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ClipLab.Tensors;

namespace ClipLab.Layers;

// Index legend as in Conv2d: n item, ic input channel, h/w input row/column, kh/kw kernel
// row/column, oh/ow output row/column, kk = (ic * K + kh) * K + kw row of the unfolded input.

/// <summary>Channel count, square kernel size, stride and zero padding of a convolution.</summary>
internal readonly record struct KernelGeometry(int InChannels, int KernelSize, int Stride, int Padding);

/// <summary>
/// The im2col pair: <see cref="Unfold"/> writes every kernel window of an item as a column of
/// cols [IC * K * K, columnCount], and <see cref="Fold"/> adds such columns back onto an image.
/// </summary>
internal static class Unfolding
{
    private const int Lanes = 8;

    /// <summary>Writes item <paramref name="n"/> as column block <paramref name="local"/> of a group's cols [IC * K * K, columnCount].</summary>
    public static void Unfold(
        KernelGeometry geometry, Tensor input, int n, int local, int outHeight, int outWidth, Span<float> columns, int columnCount)
    {
        (int inChannels, int kernelSize, int stride, int padding) = geometry;
        int height = input.Dim(2);
        int width = input.Dim(3);
        int positions = outHeight * outWidth;
        ReadOnlySpan<float> image = input.Span.Slice(n * inChannels * height * width, inChannels * height * width);
        for (int ic = 0; ic < inChannels; ic++)
        {
            for (int kh = 0; kh < kernelSize; kh++)
            {
                for (int kw = 0; kw < kernelSize; kw++)
                {
                    int kk = (ic * kernelSize + kh) * kernelSize + kw;
                    Span<float> row = columns.Slice(kk * columnCount + local * positions, positions);
                    if (stride == 1 && padding == 0)
                    {
                        // every output row reads one contiguous run of the input row
                        CopyRows(image.Slice((ic * height + kh) * width + kw), width, row, outWidth, outHeight);
                        continue;
                    }

                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        int h = oh * stride + kh - padding;
                        Span<float> target = row.Slice(oh * outWidth, outWidth);
                        if ((uint)h >= (uint)height)
                        {
                            target.Clear();
                            continue;
                        }

                        ReadOnlySpan<float> source = image.Slice((ic * height + h) * width, width);
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int w = ow * stride + kw - padding;
                            target[ow] = (uint)w < (uint)width ? source[w] : 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="rowCount"/> rows of <paramref name="rowWidth"/> floats, <paramref name="sourceStride"/>
    /// apart in <paramref name="source"/>, into consecutive rows of <paramref name="target"/>.
    /// </summary>
    /// <remarks>
    /// Rows as short as conv2's 10 floats cost more in call overhead than in copying, so every
    /// row but the last is copied as whole vectors. The last vector of a row writes up to 7 floats
    /// into the next target row, which the next copy overwrites. It reads as far into the next
    /// source row, which exists because another row follows. The spill stays inside the next row
    /// only for rowWidth >= 8.
    /// </remarks>
    private static void CopyRows(ReadOnlySpan<float> source, int sourceStride, Span<float> target, int rowWidth, int rowCount)
    {
        int vectorWidth = (rowWidth + Lanes - 1) / Lanes * Lanes;
        int lastRow = rowCount - 1;
        if (rowCount < 2 || rowWidth < Lanes || source.Length < (lastRow - 1) * sourceStride + vectorWidth)
        {
            for (int r = 0; r < rowCount; r++)
            {
                source.Slice(r * sourceStride, rowWidth).CopyTo(target.Slice(r * rowWidth, rowWidth));
            }

            return;
        }

        // bounds: the widest read and write of the vector rows, checked once
        _ = target[(lastRow - 1) * rowWidth + vectorWidth - 1];
        ref float from = ref Unsafe.AsRef(in source[0]);
        ref float to = ref target[0];
        for (int r = 0; r < lastRow; r++)
        {
            ref float sourceRow = ref Unsafe.Add(ref from, r * sourceStride);
            ref float targetRow = ref Unsafe.Add(ref to, r * rowWidth);
            for (int c = 0; c < vectorWidth; c += Lanes)
            {
                Vector256.LoadUnsafe(ref sourceRow, (nuint)c).StoreUnsafe(ref targetRow, (nuint)c);
            }
        }

        source.Slice(lastRow * sourceStride, rowWidth).CopyTo(target.Slice(lastRow * rowWidth, rowWidth));
    }

    /// <summary>Adds column block <paramref name="local"/> of a group's dcols onto item <paramref name="n"/> of dX, which it clears first.</summary>
    public static void Fold(
        KernelGeometry geometry, float[] columnGrads, Tensor inputGrad, int n, int local, int outHeight, int outWidth, int columnCount)
    {
        (int inChannels, int kernelSize, int stride, int padding) = geometry;
        int height = inputGrad.Dim(2);
        int width = inputGrad.Dim(3);
        int positions = outHeight * outWidth;
        Span<float> image = inputGrad.Span.Slice(n * inChannels * height * width, inChannels * height * width);
        image.Clear();
        for (int ic = 0; ic < inChannels; ic++)
        {
            for (int kh = 0; kh < kernelSize; kh++)
            {
                for (int kw = 0; kw < kernelSize; kw++)
                {
                    int kk = (ic * kernelSize + kh) * kernelSize + kw;
                    ReadOnlySpan<float> row = columnGrads.AsSpan(kk * columnCount + local * positions, positions);
                    if (stride == 1 && padding == 0)
                    {
                        AddRows(row, outWidth, image.Slice((ic * height + kh) * width + kw), width, outHeight);
                        continue;
                    }

                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        int h = oh * stride + kh - padding;
                        if ((uint)h >= (uint)height)
                        {
                            continue;
                        }

                        Span<float> target = image.Slice((ic * height + h) * width, width);
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int w = ow * stride + kw - padding;
                            if ((uint)w < (uint)width)
                            {
                                target[w] += row[oh * outWidth + ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="rowCount"/> consecutive rows of <paramref name="rowWidth"/> floats from
    /// <paramref name="source"/> onto rows <paramref name="targetStride"/> apart in <paramref name="target"/>.
    /// </summary>
    /// <remarks>Whole vectors, then single floats, all in one call: per-row calls cost more than the adds of a 10-float row.</remarks>
    private static void AddRows(ReadOnlySpan<float> source, int rowWidth, Span<float> target, int targetStride, int rowCount)
    {
        // bounds: the last row of each, checked once
        _ = source[rowCount * rowWidth - 1];
        _ = target[(rowCount - 1) * targetStride + rowWidth - 1];
        ref float from = ref Unsafe.AsRef(in source[0]);
        ref float to = ref target[0];
        int vectorEnd = rowWidth / Lanes * Lanes;
        for (int r = 0; r < rowCount; r++)
        {
            ref float sourceRow = ref Unsafe.Add(ref from, r * rowWidth);
            ref float targetRow = ref Unsafe.Add(ref to, r * targetStride);
            int c = 0;
            for (; c < vectorEnd; c += Lanes)
            {
                (Vector256.LoadUnsafe(ref targetRow, (nuint)c) + Vector256.LoadUnsafe(ref sourceRow, (nuint)c)).StoreUnsafe(ref targetRow, (nuint)c);
            }

            for (; c < rowWidth; c++)
            {
                Unsafe.Add(ref targetRow, c) += Unsafe.Add(ref sourceRow, c);
            }
        }
    }
}
