using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Tests.Tensors;

public sealed class LaneTransposeTests
{
    [Fact]
    public void Interleave_MatchesIndexFormula()
    {
        // every item count, lengths around whole blocks of 8, and a stride longer than the items
        var rng = new Rng(51);
        for (int count = 1; count <= 8; count++)
        {
            foreach (int length in new[] { 0, 1, 7, 8, 9, 16, 23, 100 })
            {
                int stride = length + 3;
                float[] source = Random(rng, (count - 1) * stride + length);
                float[] target = Enumerable.Repeat(float.NaN, length * 8).ToArray();

                LaneTranspose.Interleave(source, stride, count, target, length);

                for (int p = 0; p < length; p++)
                {
                    for (int lane = 0; lane < 8; lane++)
                    {
                        float expected = lane < count ? source[lane * stride + p] : 0f;
                        Assert.True(expected == target[p * 8 + lane], $"count {count}, length {length}, position {p}, lane {lane}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Deinterleave_MatchesIndexFormula()
    {
        var rng = new Rng(52);
        for (int count = 1; count <= 8; count++)
        {
            foreach (int length in new[] { 0, 1, 7, 8, 9, 16, 23, 100 })
            {
                int stride = length + 5;
                float[] source = Random(rng, length * 8);
                float[] target = Enumerable.Repeat(-1f, (count - 1) * stride + length).ToArray();

                LaneTranspose.Deinterleave(source, length, count, target, stride);

                for (int lane = 0; lane < count; lane++)
                {
                    for (int p = 0; p < length; p++)
                    {
                        Assert.True(source[p * 8 + lane] == target[lane * stride + p], $"count {count}, length {length}, lane {lane}, position {p}");
                    }

                    // the gap between items stays untouched
                    for (int p = length; p < stride && lane * stride + p < target.Length; p++)
                    {
                        Assert.Equal(-1f, target[lane * stride + p]);
                    }
                }
            }
        }
    }

    [Fact]
    public void ShortSpans_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => LaneTranspose.Interleave(new float[15], 8, 2, new float[64], 8));
        Assert.Throws<ArgumentException>(() => LaneTranspose.Deinterleave(new float[63], 8, 8, new float[64], 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => LaneTranspose.Interleave(new float[90], 10, 9, new float[80], 10));
    }

    private static float[] Random(Rng rng, int length) => Enumerable.Range(0, length).Select(_ => (float)rng.NextGaussian()).ToArray();
}
