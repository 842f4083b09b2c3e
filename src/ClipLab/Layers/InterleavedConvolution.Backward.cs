using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ClipLab.Tensors;

namespace ClipLab.Layers;

// Index legend as in InterleavedConvolution.cs.

/// <summary>The weight gradient of the interleaved convolution.</summary>
internal sealed partial class InterleavedConvolution
{
    /// <summary>
    /// Adds dW [OC, IC * K * K] for <paramref name="outputGrad"/> [N, OC, OH, OW] and the packed
    /// input of the latest forward pass: dW[oc, kk] += sum over g, oh, ow and lanes of
    /// dY[g, oc, oh, ow, lane] * packed[g, offset(kk) + (oh * paddedWidth + ow) * 8 + lane].
    /// </summary>
    /// <remarks>
    /// Tiles of 4 channels by 5 kernel offsets load 4 dY and 5 input vectors per position for 20
    /// fused multiply-adds. Weights outside whole tiles take one chain each, in the same order.
    /// Missing items of the last group have zero dY, so they add nothing.
    /// </remarks>
    public void AccumulateWeightGrad(Tensor outputGrad, float[] weightGrad, Parallelism parallelism)
    {
        // dY packed as [G, OC, OH * OW, 8], in the forward pass's output buffer, which is free now
        float[] packedGrad = _packedOutput!;
        for (int g = 0; g < GroupCount; g++)
        {
            PackOutputGrad(outputGrad, g, packedGrad.AsSpan(g * OutputGroupLength, OutputGroupLength));
        }

        // whole blocks of 4 channels per task: disjoint weights, so any split gives the same bits
        int channelBlocks = _outChannels / TileChannels;
        Parallelism threads = _batchSize > Lanes ? parallelism : Parallelism.Single;
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

        AddSums(weightGrad.AsSpan(oc * Rows + kk, TileColumns), s00, s01, s02, s03, s04);
        AddSums(weightGrad.AsSpan((oc + 1) * Rows + kk, TileColumns), s10, s11, s12, s13, s14);
        AddSums(weightGrad.AsSpan((oc + 2) * Rows + kk, TileColumns), s20, s21, s22, s23, s24);
        AddSums(weightGrad.AsSpan((oc + 3) * Rows + kk, TileColumns), s30, s31, s32, s33, s34);
    }

    private static void AddSums(Span<float> target, Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, Vector256<float> e)
    {
        target[0] += Vector256.Sum(a);
        target[1] += Vector256.Sum(b);
        target[2] += Vector256.Sum(c);
        target[3] += Vector256.Sum(d);
        target[4] += Vector256.Sum(e);
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
}
