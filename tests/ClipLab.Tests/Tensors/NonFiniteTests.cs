using ClipLab.Tensors;

namespace ClipLab.Tests.Tensors;

public sealed class NonFiniteTests
{
    public static TheoryData<float> NonFiniteValues => new() { float.NaN, float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001)) };

    [Fact]
    public void FiniteExtremes_AreFinite()
    {
        // every length up to three vectors and a tail, with the extremes of float32 at each position
        float[] extremes = [float.MaxValue, float.MinValue, -0f, float.Epsilon, -float.Epsilon, 1e-38f];
        for (int length = 0; length <= 27; length++)
        {
            float[] values = Enumerable.Range(0, length).Select(i => extremes[i % extremes.Length]).ToArray();

            Assert.False(NonFinite.Any(values), $"length {length}");
            Assert.Equal(0, NonFinite.Count(values));
        }
    }

    [Theory]
    [MemberData(nameof(NonFiniteValues))]
    public void OneValueAtAnyPosition_IsFound(float value)
    {
        for (int length = 1; length <= 27; length++)
        {
            for (int position = 0; position < length; position++)
            {
                float[] values = Enumerable.Repeat(1.5f, length).ToArray();
                values[position] = value;

                Assert.True(NonFinite.Any(values), $"length {length}, position {position}");
                Assert.Equal(1, NonFinite.Count(values));
            }
        }
    }

    [Fact]
    public void Count_CountsEveryNonFiniteValue()
    {
        float[] values = [1f, float.NaN, 2f, float.PositiveInfinity, 3f, 4f, 5f, 6f, 7f, float.NegativeInfinity, 8f];

        Assert.Equal(3, NonFinite.Count(values));
    }
}
