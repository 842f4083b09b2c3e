using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ClipLab.Tensors;

namespace ClipLab.Layers;

// Index legend as in Conv2d, plus: paddedHeight = H + 2 * padding rows and rowStride floats per
// row of the padded copy; cb a block of 16 output columns; kk = (ic * K + kh) * K + kw.

/// <summary>
/// Stride-1 convolution computed from a zero-padded copy of the input instead of unfolded
/// columns. For kernel offset kk, the inputs of 16 neighbouring outputs of row oh are one
/// contiguous run of the copy, which starts at ic * paddedHeight * rowStride + (oh + kh) * rowStride + kw.
/// The product kernel therefore reads them in place through a table of per-kk offsets.
/// </summary>
/// <remarks>
/// Rows are computed in blocks of 16 columns, so a row of OW outputs costs ceil(OW / 16)
/// blocks; <see cref="Suits"/> accepts shapes whose blocks compute at most a quarter more
/// columns than the output has (LeNet-5's conv1: 32 for 28). The copy's rows are rowStride = 16 * ceil(OW / 16) + K - 1
/// floats long and zero past the input, so every block reads inside the copy. Each output is
/// one chain of fused multiply-adds over kk in ascending order, then the bias is added. Each
/// weight gradient is a sum in a fixed order. Neither depends on the thread count.
/// </remarks>
internal sealed class DirectConvolution
{
    private const int BlockWidth = 16;
    private const int Lanes = 8;

    // Batches up to this size run on one thread: LeNet-5's conv1 forward pass at batch 8 measured
    // about 30 us here, too little to pay for handing work to another thread.
    private const int ParallelBatchSize = 8;

    // weight-gradient tile: output channels by kernel offsets, 8 loads per 15 fused multiply-adds
    private const int GradTileChannels = 3;
    private const int GradTileOffsets = 5;

    private readonly int _inChannels;
    private readonly int _outChannels;
    private readonly int _kernelSize;
    private readonly int _padding;
    private float[]? _padded;
    private float[]? _paddedOutputGrad;
    private float[]? _weightByOffset;
    private int[] _offsets = [];
    private int _batchSize;
    private int _paddedHeight;
    private int _rowStride;
    private int _outHeight;
    private int _outWidth;

    public DirectConvolution(int inChannels, int outChannels, int kernelSize, int padding)
    {
        _inChannels = inChannels;
        _outChannels = outChannels;
        _kernelSize = kernelSize;
        _padding = padding;
    }

    /// <summary>True when a stride-1 convolution's blocks compute at most a quarter more columns than its <paramref name="outWidth"/> output columns.</summary>
    public static bool Suits(int stride, int outWidth) =>
        stride == 1 && 4 * BlockCount(outWidth) * BlockWidth <= 5 * outWidth;

    private static int BlockCount(int outWidth) => (outWidth + BlockWidth - 1) / BlockWidth;

    private int Rows => _inChannels * _kernelSize * _kernelSize;

    private int PaddedImageLength => _inChannels * _paddedHeight * _rowStride;

    /// <summary>Pads <paramref name="input"/> [N, IC, H, W] into the copy, kept for the weight gradient, and writes output [N, OC, OH, OW].</summary>
    public void Forward(Tensor input, Tensor output, float[] weight, float[] bias, Parallelism parallelism)
    {
        _batchSize = input.Dim(0);
        _paddedHeight = input.Dim(2) + 2 * _padding;
        _outHeight = output.Dim(2);
        _outWidth = output.Dim(3);
        _rowStride = BlockCount(_outWidth) * BlockWidth + _kernelSize - 1;
        Scratch.Ensure(ref _padded, _batchSize * PaddedImageLength);
        FillOffsets();

        // W^T [IC * K * K, OC]: the weights that one kk meets are then adjacent, one pointer for every tile row
        float[] weightByOffset = Scratch.Ensure(ref _weightByOffset, Rows * _outChannels);
        MatMul.Transpose(weight, weightByOffset, _outChannels, Rows);

        // items are independent and each runs whole on one thread, so the split changes no bit
        if (_batchSize > ParallelBatchSize && parallelism.MaxThreads > 1)
        {
            parallelism.For(_batchSize, (Conv: this, input, output, weightByOffset, bias), static (n, s) => s.Conv.ForwardItem(s.input, n, s.output, s.weightByOffset, s.bias));
            return;
        }

        for (int n = 0; n < _batchSize; n++)
        {
            ForwardItem(input, n, output, weightByOffset, bias);
        }
    }

    /// <summary>Offset of every kernel offset kk's first input within a padded item: ic * paddedHeight * rowStride + kh * rowStride + kw.</summary>
    private void FillOffsets()
    {
        if (_offsets.Length != Rows)
        {
            _offsets = new int[Rows];
        }

        for (int ic = 0; ic < _inChannels; ic++)
        {
            for (int kh = 0; kh < _kernelSize; kh++)
            {
                for (int kw = 0; kw < _kernelSize; kw++)
                {
                    _offsets[(ic * _kernelSize + kh) * _kernelSize + kw] = (ic * _paddedHeight + kh) * _rowStride + kw;
                }
            }
        }
    }

    private void ForwardItem(Tensor input, int n, Tensor output, ReadOnlySpan<float> weightByOffset, ReadOnlySpan<float> bias)
    {
        Span<float> padded = _padded.AsSpan(n * PaddedImageLength, PaddedImageLength);
        PadItem(input, n, padded);

        // the last block of the last row reads up to the copy's last float
        int lastRead = _offsets[^1] + (_outHeight - 1) * _rowStride + BlockCount(_outWidth) * BlockWidth - 1;
        Debug.Assert(lastRead < padded.Length);
        _ = padded[lastRead];

        int positions = _outHeight * _outWidth;
        Span<float> item = output.Span.Slice(n * _outChannels * positions, _outChannels * positions);
        for (int oh = 0; oh < _outHeight; oh++)
        {
            for (int column = 0; column < _outWidth; column += BlockWidth)
            {
                ref float source = ref padded[oh * _rowStride + column];
                int count = Math.Min(BlockWidth, _outWidth - column);
                ref float target = ref item[oh * _outWidth + column];
                int oc = 0;
                for (; oc + 6 <= _outChannels; oc += 6)
                {
                    Tile6(weightByOffset, bias, oc, ref source, ref Unsafe.Add(ref target, oc * positions), positions, count);
                }

                for (; oc + 4 <= _outChannels; oc += 4)
                {
                    Tile4(weightByOffset, bias, oc, ref source, ref Unsafe.Add(ref target, oc * positions), positions, count);
                }

                for (; oc < _outChannels; oc++)
                {
                    Tile1(weightByOffset, bias, oc, ref source, ref Unsafe.Add(ref target, oc * positions), count);
                }
            }
        }
    }

    /// <summary>Copies item <paramref name="n"/> into <paramref name="padded"/> [IC, paddedHeight, rowStride] with zeros around it.</summary>
    private void PadItem(Tensor input, int n, Span<float> padded)
    {
        int height = input.Dim(2);
        int width = input.Dim(3);
        ReadOnlySpan<float> image = input.Span.Slice(n * _inChannels * height * width, _inChannels * height * width);
        padded.Clear();
        for (int ic = 0; ic < _inChannels; ic++)
        {
            for (int h = 0; h < height; h++)
            {
                image.Slice((ic * height + h) * width, width)
                    .CopyTo(padded.Slice((ic * _paddedHeight + h + _padding) * _rowStride + _padding, width));
            }
        }
    }

    /// <summary>Six output channels by 16 columns: twelve accumulator chains, one load pair per kk.</summary>
    private void Tile6(
        ReadOnlySpan<float> weightByOffset, ReadOnlySpan<float> bias, int oc, ref float source, ref float target, int channelStride, int count)
    {
        ReadOnlySpan<int> offsets = _offsets;
        _ = weightByOffset[(offsets.Length - 1) * _outChannels + oc + 5];
        ref float w = ref Unsafe.AsRef(in weightByOffset[oc]);
        Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default;
        Vector256<float> s30 = default, s31 = default, s40 = default, s41 = default, s50 = default, s51 = default;
        for (int kk = 0; kk < offsets.Length; kk++, w = ref Unsafe.Add(ref w, _outChannels))
        {
            ref float b = ref Unsafe.Add(ref source, offsets[kk]);
            Vector256<float> b0 = Vector256.LoadUnsafe(ref b);
            Vector256<float> b1 = Vector256.LoadUnsafe(ref b, Lanes);
            var wr = Vector256.Create(w);
            s00 = Vector256.FusedMultiplyAdd(wr, b0, s00);
            s01 = Vector256.FusedMultiplyAdd(wr, b1, s01);
            wr = Vector256.Create(Unsafe.Add(ref w, 1));
            s10 = Vector256.FusedMultiplyAdd(wr, b0, s10);
            s11 = Vector256.FusedMultiplyAdd(wr, b1, s11);
            wr = Vector256.Create(Unsafe.Add(ref w, 2));
            s20 = Vector256.FusedMultiplyAdd(wr, b0, s20);
            s21 = Vector256.FusedMultiplyAdd(wr, b1, s21);
            wr = Vector256.Create(Unsafe.Add(ref w, 3));
            s30 = Vector256.FusedMultiplyAdd(wr, b0, s30);
            s31 = Vector256.FusedMultiplyAdd(wr, b1, s31);
            wr = Vector256.Create(Unsafe.Add(ref w, 4));
            s40 = Vector256.FusedMultiplyAdd(wr, b0, s40);
            s41 = Vector256.FusedMultiplyAdd(wr, b1, s41);
            wr = Vector256.Create(Unsafe.Add(ref w, 5));
            s50 = Vector256.FusedMultiplyAdd(wr, b0, s50);
            s51 = Vector256.FusedMultiplyAdd(wr, b1, s51);
        }

        StoreRow(s00, s01, bias[oc], ref target, count);
        StoreRow(s10, s11, bias[oc + 1], ref Unsafe.Add(ref target, channelStride), count);
        StoreRow(s20, s21, bias[oc + 2], ref Unsafe.Add(ref target, 2 * channelStride), count);
        StoreRow(s30, s31, bias[oc + 3], ref Unsafe.Add(ref target, 3 * channelStride), count);
        StoreRow(s40, s41, bias[oc + 4], ref Unsafe.Add(ref target, 4 * channelStride), count);
        StoreRow(s50, s51, bias[oc + 5], ref Unsafe.Add(ref target, 5 * channelStride), count);
    }

    /// <summary>Four output channels by 16 columns, for the channels left after blocks of six.</summary>
    private void Tile4(
        ReadOnlySpan<float> weightByOffset, ReadOnlySpan<float> bias, int oc, ref float source, ref float target, int channelStride, int count)
    {
        ReadOnlySpan<int> offsets = _offsets;
        _ = weightByOffset[(offsets.Length - 1) * _outChannels + oc + 3];
        ref float w = ref Unsafe.AsRef(in weightByOffset[oc]);
        Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default;
        Vector256<float> s20 = default, s21 = default, s30 = default, s31 = default;
        for (int kk = 0; kk < offsets.Length; kk++, w = ref Unsafe.Add(ref w, _outChannels))
        {
            ref float b = ref Unsafe.Add(ref source, offsets[kk]);
            Vector256<float> b0 = Vector256.LoadUnsafe(ref b);
            Vector256<float> b1 = Vector256.LoadUnsafe(ref b, Lanes);
            var wr = Vector256.Create(w);
            s00 = Vector256.FusedMultiplyAdd(wr, b0, s00);
            s01 = Vector256.FusedMultiplyAdd(wr, b1, s01);
            wr = Vector256.Create(Unsafe.Add(ref w, 1));
            s10 = Vector256.FusedMultiplyAdd(wr, b0, s10);
            s11 = Vector256.FusedMultiplyAdd(wr, b1, s11);
            wr = Vector256.Create(Unsafe.Add(ref w, 2));
            s20 = Vector256.FusedMultiplyAdd(wr, b0, s20);
            s21 = Vector256.FusedMultiplyAdd(wr, b1, s21);
            wr = Vector256.Create(Unsafe.Add(ref w, 3));
            s30 = Vector256.FusedMultiplyAdd(wr, b0, s30);
            s31 = Vector256.FusedMultiplyAdd(wr, b1, s31);
        }

        StoreRow(s00, s01, bias[oc], ref target, count);
        StoreRow(s10, s11, bias[oc + 1], ref Unsafe.Add(ref target, channelStride), count);
        StoreRow(s20, s21, bias[oc + 2], ref Unsafe.Add(ref target, 2 * channelStride), count);
        StoreRow(s30, s31, bias[oc + 3], ref Unsafe.Add(ref target, 3 * channelStride), count);
    }

    /// <summary>One output channel by 16 columns.</summary>
    private void Tile1(ReadOnlySpan<float> weightByOffset, ReadOnlySpan<float> bias, int oc, ref float source, ref float target, int count)
    {
        Vector256<float> s0 = default, s1 = default;
        ReadOnlySpan<int> offsets = _offsets;
        for (int kk = 0; kk < offsets.Length; kk++)
        {
            ref float b = ref Unsafe.Add(ref source, offsets[kk]);
            var wk = Vector256.Create(weightByOffset[kk * _outChannels + oc]);
            s0 = Vector256.FusedMultiplyAdd(wk, Vector256.LoadUnsafe(ref b), s0);
            s1 = Vector256.FusedMultiplyAdd(wk, Vector256.LoadUnsafe(ref b, Lanes), s1);
        }

        StoreRow(s0, s1, bias[oc], ref target, count);
    }

    /// <summary>Adds <paramref name="bias"/> to the 16 sums and stores the first <paramref name="count"/> of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector256<float> low, Vector256<float> high, float bias, ref float target, int count)
    {
        var b = Vector256.Create(bias);
        low += b;
        high += b;
        if (count == BlockWidth)
        {
            low.StoreUnsafe(ref target);
            high.StoreUnsafe(ref target, Lanes);
            return;
        }

        // 8, then 4, then single floats
        ref float next = ref target;
        Vector256<float> rest = low;
        if (count >= Lanes)
        {
            low.StoreUnsafe(ref next);
            next = ref Unsafe.Add(ref next, Lanes);
            rest = high;
            count -= Lanes;
        }

        Vector128<float> quarter = rest.GetLower();
        if (count >= Lanes / 2)
        {
            quarter.StoreUnsafe(ref next);
            next = ref Unsafe.Add(ref next, Lanes / 2);
            quarter = rest.GetUpper();
            count -= Lanes / 2;
        }

        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref next, i) = quarter.GetElement(i);
        }
    }

    /// <summary>
    /// Adds dW [OC, IC * K * K] for <paramref name="outputGrad"/> [N, OC, OH, OW] and the padded
    /// input of the latest forward pass: dW[oc, kk] += sum over n, oh, ow of
    /// dY[n, oc, oh, ow] * padded[n, offset(kk) + oh * rowStride + ow].
    /// </summary>
    /// <remarks>
    /// dY is first copied into rows of whole vectors with zeros past OW, so each weight is one
    /// chain per lane over (n, oh, column vector) in ascending order, then a fixed horizontal
    /// sum. The zero lanes multiply padded inputs past the output row. Those are finite for
    /// finite inputs, and a non-finite input makes the gradient non-finite on either path.
    /// </remarks>
    public void AccumulateWeightGrad(Tensor outputGrad, float[] weightGrad, Parallelism parallelism)
    {
        int rowLength = (_outWidth + Lanes - 1) / Lanes * Lanes;
        float[] paddedGrad = Scratch.Ensure(ref _paddedOutputGrad, _batchSize * _outChannels * _outHeight * rowLength);
        ReadOnlySpan<float> dy = outputGrad.Span;
        for (int row = 0; row < _batchSize * _outChannels * _outHeight; row++)
        {
            dy.Slice(row * _outWidth, _outWidth).CopyTo(paddedGrad.AsSpan(row * rowLength));
            paddedGrad.AsSpan(row * rowLength + _outWidth, rowLength - _outWidth).Clear();
        }

        // whole blocks of three output channels per task: disjoint weights, so any split gives the same bits
        int blocks = (_outChannels + GradTileChannels - 1) / GradTileChannels;
        Parallelism threads = _batchSize > ParallelBatchSize ? parallelism : Parallelism.Single;
        threads.For(blocks, (Conv: this, paddedGrad, weightGrad, rowLength), static (block, s) =>
            s.Conv.WeightGradChannelBlock(s.paddedGrad, s.rowLength, block * GradTileChannels, s.weightGrad));
    }

    /// <summary>dW rows oc..oc+2 (fewer at the last channel): five kernel offsets at a time, then one at a time.</summary>
    private void WeightGradChannelBlock(float[] paddedGrad, int rowLength, int oc, float[] weightGrad)
    {
        int rows = Rows;
        int kk = 0;
        int channels = Math.Min(GradTileChannels, _outChannels - oc);
        if (channels == GradTileChannels)
        {
            for (; kk + GradTileOffsets <= rows; kk += GradTileOffsets)
            {
                WeightGradTile(paddedGrad, rowLength, oc, kk, weightGrad);
            }
        }

        for (; kk < rows; kk++)
        {
            for (int c = oc; c < oc + channels; c++)
            {
                weightGrad[c * rows + kk] += WeightGradSum(paddedGrad, rowLength, c, kk);
            }
        }
    }

    /// <summary>Fifteen weights, dW[oc..oc+2, kk..kk+4]: fifteen accumulator chains over three dY rows and five shifted input rows.</summary>
    private void WeightGradTile(float[] paddedGrad, int rowLength, int oc, int kk, float[] weightGrad)
    {
        int planeLength = _outHeight * rowLength;
        int itemLength = PaddedImageLength;
        float[] padded = _padded!;
        Debug.Assert(padded.Length >= _batchSize * itemLength && paddedGrad.Length >= _batchSize * _outChannels * planeLength);
        _ = paddedGrad[((_batchSize - 1) * _outChannels + oc + GradTileChannels) * planeLength - 1];
        _ = padded[(_batchSize - 1) * itemLength + _offsets[kk + GradTileOffsets - 1] + (_outHeight - 1) * _rowStride + rowLength - 1];
        int x0 = _offsets[kk], x1 = _offsets[kk + 1], x2 = _offsets[kk + 2], x3 = _offsets[kk + 3], x4 = _offsets[kk + 4];
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default, s24 = default;
        for (int n = 0; n < _batchSize; n++)
        {
            ref float g0 = ref paddedGrad[(n * _outChannels + oc) * planeLength];
            ref float g1 = ref Unsafe.Add(ref g0, planeLength);
            ref float g2 = ref Unsafe.Add(ref g0, 2 * planeLength);
            ref float item = ref padded[n * itemLength];
            for (int oh = 0; oh < _outHeight; oh++)
            {
                int gradRow = oh * rowLength;
                ref float xRow = ref Unsafe.Add(ref item, oh * _rowStride);
                for (int v = 0; v < rowLength; v += Lanes)
                {
                    Vector256<float> d0 = Vector256.LoadUnsafe(ref g0, (nuint)(gradRow + v));
                    Vector256<float> d1 = Vector256.LoadUnsafe(ref g1, (nuint)(gradRow + v));
                    Vector256<float> d2 = Vector256.LoadUnsafe(ref g2, (nuint)(gradRow + v));
                    Vector256<float> x = Vector256.LoadUnsafe(ref xRow, (nuint)(x0 + v));
                    s00 = Vector256.FusedMultiplyAdd(d0, x, s00);
                    s10 = Vector256.FusedMultiplyAdd(d1, x, s10);
                    s20 = Vector256.FusedMultiplyAdd(d2, x, s20);
                    x = Vector256.LoadUnsafe(ref xRow, (nuint)(x1 + v));
                    s01 = Vector256.FusedMultiplyAdd(d0, x, s01);
                    s11 = Vector256.FusedMultiplyAdd(d1, x, s11);
                    s21 = Vector256.FusedMultiplyAdd(d2, x, s21);
                    x = Vector256.LoadUnsafe(ref xRow, (nuint)(x2 + v));
                    s02 = Vector256.FusedMultiplyAdd(d0, x, s02);
                    s12 = Vector256.FusedMultiplyAdd(d1, x, s12);
                    s22 = Vector256.FusedMultiplyAdd(d2, x, s22);
                    x = Vector256.LoadUnsafe(ref xRow, (nuint)(x3 + v));
                    s03 = Vector256.FusedMultiplyAdd(d0, x, s03);
                    s13 = Vector256.FusedMultiplyAdd(d1, x, s13);
                    s23 = Vector256.FusedMultiplyAdd(d2, x, s23);
                    x = Vector256.LoadUnsafe(ref xRow, (nuint)(x4 + v));
                    s04 = Vector256.FusedMultiplyAdd(d0, x, s04);
                    s14 = Vector256.FusedMultiplyAdd(d1, x, s14);
                    s24 = Vector256.FusedMultiplyAdd(d2, x, s24);
                }
            }
        }

        int rows = Rows;
        SpanArithmetic.AddLaneSums(weightGrad.AsSpan(oc * rows + kk, GradTileOffsets), s00, s01, s02, s03, s04);
        SpanArithmetic.AddLaneSums(weightGrad.AsSpan((oc + 1) * rows + kk, GradTileOffsets), s10, s11, s12, s13, s14);
        SpanArithmetic.AddLaneSums(weightGrad.AsSpan((oc + 2) * rows + kk, GradTileOffsets), s20, s21, s22, s23, s24);
    }

    /// <summary>One weight's sum, dW[oc, kk] without the old value, in the same order as <see cref="WeightGradTile"/>.</summary>
    private float WeightGradSum(float[] paddedGrad, int rowLength, int oc, int kk)
    {
        int planeLength = _outHeight * rowLength;
        int itemLength = PaddedImageLength;
        float[] padded = _padded!;
        _ = paddedGrad[((_batchSize - 1) * _outChannels + oc + 1) * planeLength - 1];
        _ = padded[(_batchSize - 1) * itemLength + _offsets[kk] + (_outHeight - 1) * _rowStride + rowLength - 1];
        int offset = _offsets[kk];
        Vector256<float> sum = default;
        for (int n = 0; n < _batchSize; n++)
        {
            ref float g = ref paddedGrad[(n * _outChannels + oc) * planeLength];
            ref float item = ref padded[n * itemLength];
            for (int oh = 0; oh < _outHeight; oh++)
            {
                ref float gRow = ref Unsafe.Add(ref g, oh * rowLength);
                ref float xRow = ref Unsafe.Add(ref item, oh * _rowStride + offset);
                for (int v = 0; v < rowLength; v += Lanes)
                {
                    sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref gRow, (nuint)v), Vector256.LoadUnsafe(ref xRow, (nuint)v), sum);
                }
            }
        }

        return Vector256.Sum(sum);
    }
}
