using ClipLab.Clipping;
using ClipLab.Layers;
using static ClipLab.Tests.Clipping.ClipTestGradients;

namespace ClipLab.Tests.Clipping;

public sealed class NormClippingTests
{
    [Theory]
    [InlineData(NormType.L1, 3.5f, new[] { 1.5f, -2f }, new[] { 3.5f })]      // ||a||1 = 7, ||b||1 = 12
    [InlineData(NormType.Infinity, 2f, new[] { 1.5f, -2f }, new[] { 2f })]   // ||a||inf = 4, ||b||inf = 12
    public void Clip_OtherNormTypes_ScaleEachTensorToItsOwnLimit(NormType normType, float maxNorm, float[] expectedA, float[] expectedB)
    {
        Parameter a = WithGradient("a", 3f, -4f);
        Parameter b = WithGradient("b", 12f);

        new NormClipping(maxNorm, normType).Clip([a, b]);

        Assert.Equal(expectedA, a.Grad.Data);
        Assert.Equal(expectedB, b.Grad.Data);
    }

    [Fact]
    public void Clip_NaNInOneTensor_OthersUnaffected()
    {
        Parameter broken = WithGradient("a", float.NaN, 1f);
        Parameter healthy = WithGradient("b", 12f);

        ClipStatistics statistics = new NormClipping(6f).Clip([broken, healthy]);

        Assert.True(float.IsNaN(broken.Grad.Data[1]));
        Assert.Equal([6f], healthy.Grad.Data);
        Assert.True(statistics.NonFinite);
        Assert.True(double.IsNaN(statistics.ScaleFactor));
    }

    [Fact]
    public void Clip_TwoTensorsScaled_ReportsSmallestFactor()
    {
        Parameter a = WithGradient("a", 3f, 4f);   // norm 5, factor 0.5
        Parameter b = WithGradient("b", 10f);      // norm 10, factor 0.25

        ClipStatistics statistics = new NormClipping(2.5f).Clip([a, b]);

        Assert.Equal(0.25, statistics.ScaleFactor);
        Assert.Equal(3, statistics.ClippedCount);
    }
}
