using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ClipLab.Tensors;

namespace ClipLab.Layers;

// Index legend as in Conv2d, plus: g group of 8 items, lane an item within its group,
// paddedHeight/paddedWidth the input size with the zero padding, kk = (ic * K + kh) * K + kw.

/// <summary>
/// Stride-1 convolution with eight items in the eight lanes of every vector. The input of a
/// group of 8 is repacked as [IC, paddedHeight, paddedWidth, 8], so every multiply-add applies
/// one broadcast weight to the same pixel of all eight items. No lane is wasted, however
/// narrow the output rows are.
/// </summary>
/// <remarks>
/// Used for LeNet-5's conv2 (10 output columns), where unfolding the input took two thirds of
/// the product's time (320 and 490 us at batch 100, measured). A 4-channel by 5-column register tile reads 5 input vectors and 4 weights per kk
/// for 20 fused multiply-adds. Tiles that would run past the last channel or column start
/// earlier instead and rewrite outputs with the same values, so any OC >= 4 and OW >= 5 work.
/// Each output is one chain over kk in ascending order, then the bias is added. Each weight
/// gradient is one chain per lane over groups and positions in order, then a horizontal sum.
/// Neither depends on the thread count.
/// </remarks>
internal sealed partial class InterleavedConvolution
{
    private const int Lanes = 8;
    private const int TileChannels = 4;
    private const int TileColumns = 5;

    private readonly int _inChannels;
    private readonly int _outChannels;
    private readonly int _kernelSize;
    private readonly int _padding;
    private float[]? _packed;
    private float[]? _packedOutput;
    private float[]? _weightByOffset;
    private float[]? _packedColumnGrads;
    private float[]? _packedInputGrad;
    private int[] _offsets = [];
    private int[] _channelOffsets = [];
    private int _batchSize;
    private int _paddedHeight;
    private int _paddedWidth;
    private int _outHeight;
    private int _outWidth;

    public InterleavedConvolution(int inChannels, int outChannels, int kernelSize, int padding)
    {
        _inChannels = inChannels;
        _outChannels = outChannels;
        _kernelSize = kernelSize;
        _padding = padding;
    }

    /// <summary>True for stride-1 convolutions whose output is wide and deep enough for one register tile.</summary>
    public static bool Suits(int stride, int outChannels, int outWidth) =>
        stride == 1 && outChannels >= TileChannels && outWidth >= TileColumns;

    private int Rows => _inChannels * _kernelSize * _kernelSize;

    private int PackedGroupLength => _inChannels * _paddedHeight * _paddedWidth * Lanes;

    private int OutputGroupLength => _outChannels * _outHeight * _outWidth * Lanes;

    private int GroupCount => (_batchSize + Lanes - 1) / Lanes;

    /// <summary>Packs <paramref name="input"/> [N, IC, H, W], kept for the weight gradient, and writes output [N, OC, OH, OW].</summary>
    public void Forward(Tensor input, Tensor output, float[] weight, float[] bias, Parallelism parallelism)
    {
        _batchSize = input.Dim(0);
        _paddedHeight = input.Dim(2) + 2 * _padding;
        _paddedWidth = input.Dim(3) + 2 * _padding;
        _outHeight = output.Dim(2);
        _outWidth = output.Dim(3);
        Scratch.Ensure(ref _packed, GroupCount * PackedGroupLength);
        Scratch.Ensure(ref _packedOutput, GroupCount * OutputGroupLength);
        FillOffsets();

        // W^T [IC * K * K, OC]: the four weights of a tile for one kk are adjacent
        float[] weightByOffset = Scratch.Ensure(ref _weightByOffset, Rows * _outChannels);
        MatMul.Transpose(weight, weightByOffset, _outChannels, Rows);

        // groups are independent and each runs whole on one thread, so the split changes no bit
        parallelism.For(GroupCount, (Conv: this, input, output, weightByOffset, bias), static (g, s) =>
            s.Conv.ForwardGroup(s.input, g, s.output, s.weightByOffset, s.bias));
    }

    /// <summary>Offset of every kk's first input within a packed group: ((ic * paddedHeight + kh) * paddedWidth + kw) * 8.</summary>
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
                    _offsets[(ic * _kernelSize + kh) * _kernelSize + kw] = ((ic * _paddedHeight + kh) * _paddedWidth + kw) * Lanes;
                }
            }
        }
    }

    private void ForwardGroup(Tensor input, int g, Tensor output, float[] weightByOffset, float[] bias)
    {
        Span<float> packed = _packed.AsSpan(g * PackedGroupLength, PackedGroupLength);
        Span<float> packedOutput = _packedOutput.AsSpan(g * OutputGroupLength, OutputGroupLength);
        Pack(input, g, packed);

        // the tile at the last row and column reads up to the group's last input vector
        int lastRead = _offsets[^1] + ((_outHeight - 1) * _paddedWidth + _outWidth - 1) * Lanes + Lanes - 1;
        Debug.Assert(lastRead < packed.Length);
        _ = packed[lastRead];
        _ = weightByOffset[Rows * _outChannels - 1];

        int positions = _outHeight * _outWidth;
        for (int oc = 0; oc < _outChannels; oc += TileChannels)
        {
            int firstChannel = Math.Min(oc, _outChannels - TileChannels);
            for (int oh = 0; oh < _outHeight; oh++)
            {
                for (int ow = 0; ow < _outWidth; ow += TileColumns)
                {
                    int firstColumn = Math.Min(ow, _outWidth - TileColumns);
                    Tile(
                        _offsets,
                        ref packed[(oh * _paddedWidth + firstColumn) * Lanes],
                        ref weightByOffset[firstChannel],
                        _outChannels,
                        ref packedOutput[(firstChannel * positions + oh * _outWidth + firstColumn) * Lanes],
                        positions * Lanes);
                }
            }
        }

        Unpack(packedOutput, g, output, bias);
    }

    /// <summary>Copies the items of group <paramref name="g"/> into <paramref name="packed"/> [IC, paddedHeight, paddedWidth, 8], zero where padding or missing items are.</summary>
    private void Pack(Tensor input, int g, Span<float> packed)
    {
        int height = input.Dim(2);
        int width = input.Dim(3);
        int itemLength = _inChannels * height * width;
        int count = Math.Min(Lanes, _batchSize - g * Lanes);
        ReadOnlySpan<float> items = input.Span.Slice(g * Lanes * itemLength, count * itemLength);
        if (_padding == 0)
        {
            // without padding the packed rows follow each other as the items' rows do
            LaneTranspose.Interleave(items, itemLength, count, packed, itemLength);
            return;
        }

        packed.Clear();
        for (int ic = 0; ic < _inChannels; ic++)
        {
            for (int h = 0; h < height; h++)
            {
                int sourceStart = (ic * height + h) * width;
                int targetStart = ((ic * _paddedHeight + h + _padding) * _paddedWidth + _padding) * Lanes;
                LaneTranspose.Interleave(items[sourceStart..], itemLength, count, packed.Slice(targetStart, width * Lanes), width);
            }
        }
    }

    /// <summary>Writes the group's items from <paramref name="packedOutput"/> [OC, OH, OW, 8] into <paramref name="output"/> [N, OC, OH, OW], adding the bias.</summary>
    private void Unpack(ReadOnlySpan<float> packedOutput, int g, Tensor output, ReadOnlySpan<float> bias)
    {
        int planeLength = _outHeight * _outWidth;
        int itemLength = _outChannels * planeLength;
        int count = Math.Min(Lanes, _batchSize - g * Lanes);
        Span<float> items = output.Span.Slice(g * Lanes * itemLength, count * itemLength);
        LaneTranspose.Deinterleave(packedOutput, itemLength, count, items, itemLength);
        for (int plane = 0; plane < count * _outChannels; plane++)
        {
            Span<float> values = items.Slice(plane * planeLength, planeLength);
            SpanArithmetic.Add(values, bias[plane % _outChannels], values);
        }
    }

    /// <summary>Four output channels by five output columns of one row, for all eight lanes: twenty accumulator chains over the kernel offsets.</summary>
    /// <param name="offsets">Offset of each kernel offset's input from <paramref name="source"/>.</param>
    /// <param name="source">The group's packed input at the tile's first output position.</param>
    /// <param name="weights">The weights of the first kernel offset at the tile's first channel; each next offset's are <paramref name="weightStride"/> floats further on.</param>
    /// <param name="weightStride">Output channels of the weight table.</param>
    /// <param name="target">The packed output at the tile's first channel and position.</param>
    /// <param name="channelStride">Floats between the packed output planes of two channels.</param>
    private static void Tile(ReadOnlySpan<int> offsets, ref float source, ref float weights, int weightStride, ref float target, int channelStride)
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default, s24 = default;
        Vector256<float> s30 = default, s31 = default, s32 = default, s33 = default, s34 = default;
        ref float w = ref weights;
        for (int kk = 0; kk < offsets.Length; kk++, w = ref Unsafe.Add(ref w, weightStride))
        {
            ref float x = ref Unsafe.Add(ref source, offsets[kk]);
            Vector256<float> x0 = Vector256.LoadUnsafe(ref x);
            Vector256<float> x1 = Vector256.LoadUnsafe(ref x, Lanes);
            Vector256<float> x2 = Vector256.LoadUnsafe(ref x, 2 * Lanes);
            Vector256<float> x3 = Vector256.LoadUnsafe(ref x, 3 * Lanes);
            Vector256<float> x4 = Vector256.LoadUnsafe(ref x, 4 * Lanes);
            var wr = Vector256.Create(w);
            s00 = Vector256.FusedMultiplyAdd(wr, x0, s00);
            s01 = Vector256.FusedMultiplyAdd(wr, x1, s01);
            s02 = Vector256.FusedMultiplyAdd(wr, x2, s02);
            s03 = Vector256.FusedMultiplyAdd(wr, x3, s03);
            s04 = Vector256.FusedMultiplyAdd(wr, x4, s04);
            wr = Vector256.Create(Unsafe.Add(ref w, 1));
            s10 = Vector256.FusedMultiplyAdd(wr, x0, s10);
            s11 = Vector256.FusedMultiplyAdd(wr, x1, s11);
            s12 = Vector256.FusedMultiplyAdd(wr, x2, s12);
            s13 = Vector256.FusedMultiplyAdd(wr, x3, s13);
            s14 = Vector256.FusedMultiplyAdd(wr, x4, s14);
            wr = Vector256.Create(Unsafe.Add(ref w, 2));
            s20 = Vector256.FusedMultiplyAdd(wr, x0, s20);
            s21 = Vector256.FusedMultiplyAdd(wr, x1, s21);
            s22 = Vector256.FusedMultiplyAdd(wr, x2, s22);
            s23 = Vector256.FusedMultiplyAdd(wr, x3, s23);
            s24 = Vector256.FusedMultiplyAdd(wr, x4, s24);
            wr = Vector256.Create(Unsafe.Add(ref w, 3));
            s30 = Vector256.FusedMultiplyAdd(wr, x0, s30);
            s31 = Vector256.FusedMultiplyAdd(wr, x1, s31);
            s32 = Vector256.FusedMultiplyAdd(wr, x2, s32);
            s33 = Vector256.FusedMultiplyAdd(wr, x3, s33);
            s34 = Vector256.FusedMultiplyAdd(wr, x4, s34);
        }

        StoreRow(ref target, s00, s01, s02, s03, s04);
        StoreRow(ref Unsafe.Add(ref target, channelStride), s10, s11, s12, s13, s14);
        StoreRow(ref Unsafe.Add(ref target, 2 * channelStride), s20, s21, s22, s23, s24);
        StoreRow(ref Unsafe.Add(ref target, 3 * channelStride), s30, s31, s32, s33, s34);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref float target, Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, Vector256<float> e)
    {
        a.StoreUnsafe(ref target);
        b.StoreUnsafe(ref target, Lanes);
        c.StoreUnsafe(ref target, 2 * Lanes);
        d.StoreUnsafe(ref target, 3 * Lanes);
        e.StoreUnsafe(ref target, 4 * Lanes);
    }
}
