using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ClipLab.Tensors;

namespace ClipLab.Layers;

// Index legend as in InterleavedConvolution.cs.

/// <summary>The backward pass of the interleaved convolution: weight and input gradients.</summary>
internal sealed partial class InterleavedConvolution
{
    /// <summary>
    /// Adds dW [OC, IC * K * K] for <paramref name="outputGrad"/> [N, OC, OH, OW], and writes
    /// dX [N, IC, H, W] into <paramref name="inputGrad"/> unless it is null.
    /// </summary>
    /// <param name="outputGrad">dY of the latest forward pass's output.</param>
    /// <param name="weight">W [OC, IC * K * K], as in the forward pass.</param>
    /// <param name="weightGrad">dW, added to.</param>
    /// <param name="inputGrad">dX, overwritten; null when the caller needs only dW. Needs <see cref="SuitsInputGrad"/>.</param>
    /// <param name="parallelism">Threads for batches above 8.</param>
    public void Backward(Tensor outputGrad, float[] weight, float[] weightGrad, Tensor? inputGrad, Parallelism parallelism)
    {
        // dY packed as [G, OC, OH * OW, 8], in the forward pass's output buffer, which is free now
        float[] packedGrad = _packedOutput!;
        for (int g = 0; g < GroupCount; g++)
        {
            PackOutputGrad(outputGrad, g, packedGrad.AsSpan(g * OutputGroupLength, OutputGroupLength));
        }

        Parallelism threads = _batchSize > Lanes ? parallelism : Parallelism.Single;
        AccumulateWeightGrad(packedGrad, weightGrad, threads);
        if (inputGrad is not null)
        {
            if (!SuitsInputGrad)
            {
                throw new InvalidOperationException($"The interleaved input gradient needs at least {TileChannels} kernel offsets, got {Rows}.");
            }

            // Groups are independent and each runs whole on one thread, so the split changes no bit.
            // On one thread they take turns with one set of work buffers, which then stays in the cache.
            int buffers = threads.MaxThreads > 1 ? GroupCount : 1;
            float[] columnGrads = Scratch.Ensure(ref _packedColumnGrads, buffers * Rows * OutputGroupLength / _outChannels);
            Scratch.Ensure(ref _packedInputGrad, buffers * PackedGroupLength);
            FillChannelOffsets();
            threads.For(GroupCount, (Conv: this, packedGrad, weight, columnGrads, inputGrad, buffers), static (g, s) =>
                s.Conv.InputGradGroup(s.packedGrad, s.weight, s.columnGrads, g, g % s.buffers, s.inputGrad));
        }
    }

    /// <summary>True when dX can use the tile: it needs at least 4 kernel offsets, IC * K * K.</summary>
    public bool SuitsInputGrad => Rows >= TileChannels;

    /// <summary>
    /// Adds dW[oc, kk] += sum over g, oh, ow and lanes of
    /// dY[g, oc, oh, ow, lane] * packed[g, offset(kk) + (oh * paddedWidth + ow) * 8 + lane].
    /// </summary>
    /// <remarks>
    /// Tiles of 4 channels by 5 kernel offsets load 4 dY and 5 input vectors per position for 20
    /// fused multiply-adds. Weights outside whole tiles take one chain each, in the same order.
    /// Missing items of the last group have zero dY, so they add nothing.
    /// </remarks>
    private void AccumulateWeightGrad(float[] packedGrad, float[] weightGrad, Parallelism threads)
    {
        // whole blocks of 4 channels per task: disjoint weights, so any split gives the same bits
        int channelBlocks = _outChannels / TileChannels;
        threads.For(channelBlocks, (Conv: this, packedGrad, weightGrad), static (block, s) =>
            s.Conv.WeightGradChannelBlock(s.packedGrad, block * TileChannels, s.weightGrad));

        // channels left over after whole blocks
        for (int oc = channelBlocks * TileChannels; oc < _outChannels; oc++)
        {
            for (int kk = 0; kk < Rows; kk++)
            {
                weightGrad[oc * Rows + kk] += WeightGradSum(packedGrad, oc, kk);
            }
        }
    }

    private void PackOutputGrad(Tensor outputGrad, int g, Span<float> packedGrad)
    {
        int itemLength = _outChannels * _outHeight * _outWidth;
        int count = Math.Min(Lanes, _batchSize - g * Lanes);
        LaneTranspose.Interleave(outputGrad.Span.Slice(g * Lanes * itemLength, count * itemLength), itemLength, count, packedGrad, itemLength);
    }

    /// <summary>dW rows oc..oc+3: five kernel offsets at a time, then one at a time.</summary>
    private void WeightGradChannelBlock(float[] packedGrad, int oc, float[] weightGrad)
    {
        int kk = 0;
        for (; kk + TileColumns <= Rows; kk += TileColumns)
        {
            WeightGradTile(packedGrad, oc, kk, weightGrad);
        }

        for (; kk < Rows; kk++)
        {
            for (int c = oc; c < oc + TileChannels; c++)
            {
                weightGrad[c * Rows + kk] += WeightGradSum(packedGrad, c, kk);
            }
        }
    }

    /// <summary>Twenty weights, dW[oc..oc+3, kk..kk+4]: one accumulator chain each over every group and position.</summary>
    private void WeightGradTile(float[] packedGrad, int oc, int kk, float[] weightGrad)
    {
        int positions = _outHeight * _outWidth;
        float[] packed = _packed!;
        _ = packedGrad[(GroupCount - 1) * OutputGroupLength + (oc + TileChannels) * positions * Lanes - 1];
        _ = packed[(GroupCount - 1) * PackedGroupLength + _offsets[kk + TileColumns - 1] + ((_outHeight - 1) * _paddedWidth + _outWidth) * Lanes - 1];
        int x0 = _offsets[kk], x1 = _offsets[kk + 1], x2 = _offsets[kk + 2], x3 = _offsets[kk + 3], x4 = _offsets[kk + 4];
        int channelStride = positions * Lanes;
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default, s24 = default;
        Vector256<float> s30 = default, s31 = default, s32 = default, s33 = default, s34 = default;
        for (int g = 0; g < GroupCount; g++)
        {
            ref float grad = ref packedGrad[g * OutputGroupLength + oc * channelStride];
            ref float group = ref packed[g * PackedGroupLength];
            for (int oh = 0; oh < _outHeight; oh++)
            {
                ref float gradRow = ref Unsafe.Add(ref grad, oh * _outWidth * Lanes);
                ref float inputRow = ref Unsafe.Add(ref group, oh * _paddedWidth * Lanes);
                for (int ow = 0; ow < _outWidth; ow++)
                {
                    ref float d = ref Unsafe.Add(ref gradRow, ow * Lanes);
                    Vector256<float> d0 = Vector256.LoadUnsafe(ref d);
                    Vector256<float> d1 = Vector256.LoadUnsafe(ref d, (nuint)channelStride);
                    Vector256<float> d2 = Vector256.LoadUnsafe(ref d, (nuint)(2 * channelStride));
                    Vector256<float> d3 = Vector256.LoadUnsafe(ref d, (nuint)(3 * channelStride));
                    ref float x = ref Unsafe.Add(ref inputRow, ow * Lanes);
                    Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)x0);
                    s00 = Vector256.FusedMultiplyAdd(d0, v, s00);
                    s10 = Vector256.FusedMultiplyAdd(d1, v, s10);
                    s20 = Vector256.FusedMultiplyAdd(d2, v, s20);
                    s30 = Vector256.FusedMultiplyAdd(d3, v, s30);
                    v = Vector256.LoadUnsafe(ref x, (nuint)x1);
                    s01 = Vector256.FusedMultiplyAdd(d0, v, s01);
                    s11 = Vector256.FusedMultiplyAdd(d1, v, s11);
                    s21 = Vector256.FusedMultiplyAdd(d2, v, s21);
                    s31 = Vector256.FusedMultiplyAdd(d3, v, s31);
                    v = Vector256.LoadUnsafe(ref x, (nuint)x2);
                    s02 = Vector256.FusedMultiplyAdd(d0, v, s02);
                    s12 = Vector256.FusedMultiplyAdd(d1, v, s12);
                    s22 = Vector256.FusedMultiplyAdd(d2, v, s22);
                    s32 = Vector256.FusedMultiplyAdd(d3, v, s32);
                    v = Vector256.LoadUnsafe(ref x, (nuint)x3);
                    s03 = Vector256.FusedMultiplyAdd(d0, v, s03);
                    s13 = Vector256.FusedMultiplyAdd(d1, v, s13);
                    s23 = Vector256.FusedMultiplyAdd(d2, v, s23);
                    s33 = Vector256.FusedMultiplyAdd(d3, v, s33);
                    v = Vector256.LoadUnsafe(ref x, (nuint)x4);
                    s04 = Vector256.FusedMultiplyAdd(d0, v, s04);
                    s14 = Vector256.FusedMultiplyAdd(d1, v, s14);
                    s24 = Vector256.FusedMultiplyAdd(d2, v, s24);
                    s34 = Vector256.FusedMultiplyAdd(d3, v, s34);
                }
            }
        }

        SpanArithmetic.AddLaneSums(weightGrad.AsSpan(oc * Rows + kk, TileColumns), s00, s01, s02, s03, s04);
        SpanArithmetic.AddLaneSums(weightGrad.AsSpan((oc + 1) * Rows + kk, TileColumns), s10, s11, s12, s13, s14);
        SpanArithmetic.AddLaneSums(weightGrad.AsSpan((oc + 2) * Rows + kk, TileColumns), s20, s21, s22, s23, s24);
        SpanArithmetic.AddLaneSums(weightGrad.AsSpan((oc + 3) * Rows + kk, TileColumns), s30, s31, s32, s33, s34);
    }

    /// <summary>One weight's sum, dW[oc, kk] without the old value, in the same order as <see cref="WeightGradTile"/>.</summary>
    private float WeightGradSum(float[] packedGrad, int oc, int kk)
    {
        int positions = _outHeight * _outWidth;
        float[] packed = _packed!;
        Vector256<float> sum = default;
        for (int g = 0; g < GroupCount; g++)
        {
            for (int oh = 0; oh < _outHeight; oh++)
            {
                for (int ow = 0; ow < _outWidth; ow++)
                {
                    Vector256<float> d = Vector256.Create(packedGrad.AsSpan(g * OutputGroupLength + (oc * positions + oh * _outWidth + ow) * Lanes, Lanes));
                    Vector256<float> x = Vector256.Create(packed.AsSpan(g * PackedGroupLength + _offsets[kk] + (oh * _paddedWidth + ow) * Lanes, Lanes));
                    sum = Vector256.FusedMultiplyAdd(d, x, sum);
                }
            }
        }

        return Vector256.Sum(sum);
    }

    /// <summary>Offset of each output channel's plane within a packed dY group: oc * OH * OW * 8.</summary>
    private void FillChannelOffsets()
    {
        if (_channelOffsets.Length != _outChannels)
        {
            _channelOffsets = new int[_outChannels];
        }

        for (int oc = 0; oc < _outChannels; oc++)
        {
            _channelOffsets[oc] = oc * _outHeight * _outWidth * Lanes;
        }
    }

    /// <summary>
    /// Computes dX of group <paramref name="g"/>: dcols[kk, p] = sum over oc of W[oc, kk] * dY[oc, p] for
    /// all eight lanes, then every dcols vector added onto the input position it came from.
    /// </summary>
    /// <remarks>
    /// The product is the forward tile with kk as its channels and oc as its kernel offsets, so
    /// each dcols element is one chain over oc in ascending order. The fold adds in the order
    /// (ic, kh, kw, oh, ow), as <see cref="Unfolding.Fold"/> does for the unfolded algorithm.
    /// </remarks>
    /// <param name="packedGrad">dY of every group, packed.</param>
    /// <param name="weight">W [OC, IC * K * K].</param>
    /// <param name="columnGrads">dcols work buffers, [IC * K * K, OH * OW, 8] each.</param>
    /// <param name="g">The group.</param>
    /// <param name="buffer">Which work buffers the group uses.</param>
    /// <param name="inputGrad">dX [N, IC, H, W].</param>
    private void InputGradGroup(float[] packedGrad, float[] weight, float[] columnGrads, int g, int buffer, Tensor inputGrad)
    {
        int positions = _outHeight * _outWidth;
        int rows = Rows;
        Span<float> grad = packedGrad.AsSpan(g * OutputGroupLength, OutputGroupLength);
        Span<float> columns = columnGrads.AsSpan(buffer * rows * positions * Lanes, rows * positions * Lanes);

        // the tile at the last channel and position reads up to the group's last dY vector
        _ = grad[_channelOffsets[^1] + positions * Lanes - 1];
        _ = weight[_outChannels * rows - 1];
        for (int kk = 0; kk < rows; kk += TileChannels)
        {
            int firstRow = Math.Min(kk, rows - TileChannels);
            for (int p = 0; p < positions; p += TileColumns)
            {
                int firstPosition = Math.Min(p, positions - TileColumns);
                Tile(
                    _channelOffsets,
                    ref grad[firstPosition * Lanes],
                    ref weight[firstRow],
                    rows,
                    ref columns[(firstRow * positions + firstPosition) * Lanes],
                    positions * Lanes);
            }
        }

        Span<float> packedInputGrad = _packedInputGrad.AsSpan(buffer * PackedGroupLength, PackedGroupLength);
        FoldColumns(columns, packedInputGrad);
        UnpackInputGrad(packedInputGrad, g, inputGrad);
    }

    /// <summary>Clears <paramref name="packedInputGrad"/> [IC, paddedHeight, paddedWidth, 8] and adds every dcols vector onto its input position.</summary>
    private void FoldColumns(ReadOnlySpan<float> columns, Span<float> packedInputGrad)
    {
        packedInputGrad.Clear();
        int k = _kernelSize;
        int positions = _outHeight * _outWidth;
        for (int ic = 0; ic < _inChannels; ic++)
        {
            for (int kh = 0; kh < k; kh++)
            {
                for (int kw = 0; kw < k; kw++)
                {
                    ReadOnlySpan<float> column = columns.Slice(((ic * k + kh) * k + kw) * positions * Lanes, positions * Lanes);
                    for (int oh = 0; oh < _outHeight; oh++)
                    {
                        ReadOnlySpan<float> source = column.Slice(oh * _outWidth * Lanes, _outWidth * Lanes);
                        Span<float> target = packedInputGrad.Slice(((ic * _paddedHeight + oh + kh) * _paddedWidth + kw) * Lanes, _outWidth * Lanes);
                        SpanArithmetic.AddTo(target, source);
                    }
                }
            }
        }
    }

    /// <summary>Writes the group's items of dX from <paramref name="packedInputGrad"/>, without the padding, into <paramref name="inputGrad"/> [N, IC, H, W].</summary>
    private void UnpackInputGrad(ReadOnlySpan<float> packedInputGrad, int g, Tensor inputGrad)
    {
        int height = inputGrad.Dim(2);
        int width = inputGrad.Dim(3);
        int itemLength = _inChannels * height * width;
        int count = Math.Min(Lanes, _batchSize - g * Lanes);
        Span<float> items = inputGrad.Span.Slice(g * Lanes * itemLength, count * itemLength);
        if (_padding == 0)
        {
            LaneTranspose.Deinterleave(packedInputGrad, itemLength, count, items, itemLength);
            return;
        }

        for (int ic = 0; ic < _inChannels; ic++)
        {
            for (int h = 0; h < height; h++)
            {
                int sourceStart = ((ic * _paddedHeight + h + _padding) * _paddedWidth + _padding) * Lanes;
                LaneTranspose.Deinterleave(packedInputGrad[sourceStart..], width, count, items[((ic * height + h) * width)..], itemLength);
            }
        }
    }
}
