using ClipLab.Clipping;
using ClipLab.Layers;
using static ClipLab.Tests.Clipping.ClipTestGradients;

namespace ClipLab.Tests.Clipping;

public sealed class GlobalNormClippingTests
{
    [Theory]
    [InlineData(NormType.L1, 9.5f)]        // |3| + |-4| + |12| = 19
    [InlineData(NormType.Infinity, 6f)]    // max |g| = 12
    public void Clip_OtherNormTypes_HalveAtHalfTheirNorm(NormType normType, float maxNorm)
    {
        Parameter a = WithGradient("a", 3f, -4f);
        Parameter b = WithGradient("b", 12f);

        ClipStatistics statistics = new GlobalNormClipping(maxNorm, normType).Clip([a, b]);

        Assert.Equal([1.5f, -2f], a.Grad.Data);
        Assert.Equal([6f], b.Grad.Data);
        Assert.Equal(0.5, statistics.ScaleFactor);
        Assert.Equal(13.0, statistics.NormBefore); // the diagnostics always report L2
    }

    [Fact]
    public void Clip_NormBelowThreshold_FactorOne()
    {
        Parameter a = WithGradient("a", 3f, 4f);

        ClipStatistics statistics = new GlobalNormClipping(5.5f).Clip([a]);

        Assert.Equal([3f, 4f], a.Grad.Data);
        Assert.Equal(1.0, statistics.ScaleFactor);
        Assert.Equal(0, statistics.ClippedCount);
        Assert.Equal(5.0, statistics.NormAfter);
    }

    [Fact]
    public void ClipExact_OneUlpAbove_Unchanged()
    {
        // 1 + 2^-23 exceeds maxNorm 1 by float32 rounding only, so it counts as at most maxNorm
        float justAbove = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) + 1);
        Parameter a = WithGradient("a", justAbove);

        ClipStatistics statistics = new GlobalNormClipping(1f).Clip([a]);

        Assert.Equal([justAbove], a.Grad.Data);
        Assert.Equal(1.0, statistics.ScaleFactor);
    }

    [Fact]
    public void ClipExact_TwoUlpsAbove_ScaledToThreshold()
    {
        float twoAbove = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) + 2);
        Parameter a = WithGradient("a", twoAbove);

        new GlobalNormClipping(1f).Clip([a]);

        Assert.Equal([1f], a.Grad.Data);
    }

    [Fact]
    public void ClipPyTorch_JustBelowThreshold_StillScaled()
    {
        // min(1 / (0.9999995 + 1e-6), 1) < 1: PyTorch scales norms within 1e-6 below maxNorm
        Parameter exact = WithGradient("a", 0.9999995f);
        Parameter torch = WithGradient("a", 0.9999995f);

        new GlobalNormClipping(1f).Clip([exact]);
        ClipStatistics statistics = new GlobalNormClipping(1f, scaling: GlobalNormScaling.PyTorch).Clip([torch]);

        Assert.Equal(0.9999995f, exact.Grad.Data[0]);
        Assert.True(torch.Grad.Data[0] < 0.9999995f, $"PyTorch scaling left {torch.Grad.Data[0]:R}");
        Assert.Equal(1f / (0.9999995f + 1e-6f), (float)statistics.ScaleFactor);
    }

    [Theory]
    [InlineData(GlobalNormScaling.Exact)]
    [InlineData(GlobalNormScaling.PyTorch)]
    public void Clip_NaNComponent_SpreadsToEveryComponent(GlobalNormScaling scaling)
    {
        Parameter a = WithGradient("a", 1f, float.NaN);
        Parameter b = WithGradient("b", 2f);

        ClipStatistics statistics = new GlobalNormClipping(1f, scaling: scaling).Clip([a, b]);

        Assert.All(a.Grad.Data.Concat(b.Grad.Data), value => Assert.True(float.IsNaN(value)));
        Assert.True(statistics.NonFinite);
        Assert.True(double.IsNaN(statistics.ScaleFactor));
        Assert.Equal(2, statistics.ClippedCount); // the NaN that stays NaN is not a change
    }

    [Theory]
    [InlineData(GlobalNormScaling.Exact)]
    [InlineData(GlobalNormScaling.PyTorch)]
    public void Clip_InfiniteComponent_ZeroesFiniteAndMakesInfiniteNaN(GlobalNormScaling scaling)
    {
        // factor maxNorm / inf = 0, and inf * 0 = NaN, as in PyTorch
        Parameter a = WithGradient("a", 1f, float.PositiveInfinity, -3f);

        ClipStatistics statistics = new GlobalNormClipping(1f, scaling: scaling).Clip([a]);

        Assert.Equal(0f, a.Grad.Data[0]);
        Assert.True(float.IsNaN(a.Grad.Data[1]));
        Assert.Equal(0f, Math.Abs(a.Grad.Data[2]));
        Assert.Equal(0.0, statistics.ScaleFactor);
        Assert.True(statistics.NonFinite);
    }

    [Fact]
    public void Clip_DoubleNormOverflowsFloat_UsesRoundedFloatNormInPyTorchScaling()
    {
        // two components of 3e38: the double norm 4.2e38 is above float.MaxValue, so the float32 norm is infinite
        Parameter a = WithGradient("a", 3e38f, 3e38f);

        ClipStatistics statistics = new GlobalNormClipping(1f, scaling: GlobalNormScaling.PyTorch).Clip([a]);

        Assert.Equal(Math.Sqrt(2) * 3e38f, statistics.NormBefore, 1e25);
        Assert.Equal([0f, 0f], a.Grad.Data);
    }
}
