using ClipLab.Clipping;
using ClipLab.Layers;
using static ClipLab.Tests.Clipping.ClipTestGradients;

namespace ClipLab.Tests.Clipping;

/// <summary>
/// Small inputs on which frameworks have been reported to disagree or fail, with results that
/// follow from the formulas. The PyTorch-compatible values are float32 evaluations of
/// reciprocal(norm + 1e-6) * maxNorm, which is how torch computes max_norm / (total_norm + 1e-6).
/// </summary>
public sealed class ClippingCaseTests
{
    [Fact]
    public void GlobalNormExact_AcrossTwoTensors_ScalesBothByHalf()
    {
        Parameter a = WithGradient("a", 3f, 4f);
        Parameter b = WithGradient("b", 12f);

        ClipStatistics statistics = new GlobalNormClipping(6.5f).Clip([a, b]);

        // global norm sqrt(9 + 16 + 144) = 13, factor 6.5 / 13 = 0.5
        Assert.Equal([1.5f, 2f], a.Grad.Data);
        Assert.Equal([6f], b.Grad.Data);
        Assert.Equal(13.0, statistics.NormBefore);
        Assert.Equal(6.5, statistics.NormAfter);
        Assert.Equal(0.5, statistics.ScaleFactor);
    }

    [Fact]
    public void GlobalNormPyTorch_AcrossTwoTensors_MatchesTorchRounding()
    {
        Parameter a = WithGradient("a", 3f, 4f);
        Parameter b = WithGradient("b", 12f);

        ClipStatistics statistics = new GlobalNormClipping(6.5f, scaling: GlobalNormScaling.PyTorch).Clip([a, b]);

        Assert.Equal([1.4999999f, 1.9999999f], a.Grad.Data);
        Assert.Equal([5.9999995f], b.Grad.Data);
        Assert.Equal(13.0, statistics.NormBefore);
        Assert.Equal(1f / (13f + 1e-6f) * 6.5f, (float)statistics.ScaleFactor);
    }

    [Fact]
    public void NormPerTensor_TwoTensors_ClipsOnlyLarger()
    {
        Parameter a = WithGradient("a", 3f, 4f);
        Parameter b = WithGradient("b", 12f);

        ClipStatistics statistics = new NormClipping(6.5f).Clip([a, b]);

        // ||a|| = 5 stays, ||b|| = 12 is scaled by 6.5 / 12
        Assert.Equal([3f, 4f], a.Grad.Data);
        Assert.Equal([6.5f], b.Grad.Data);
        Assert.Equal(1, statistics.ClippedCount);
        Assert.Equal(6.5 / 12.0, statistics.ScaleFactor);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NormMethods_InvalidMaxNorm_RejectedWithValue(float maxNorm)
    {
        string value = maxNorm.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        var global = Assert.Throws<ArgumentOutOfRangeException>(() => new GlobalNormClipping(maxNorm));
        var torch = Assert.Throws<ArgumentOutOfRangeException>(() => new GlobalNormClipping(maxNorm, scaling: GlobalNormScaling.PyTorch));
        var perTensor = Assert.Throws<ArgumentOutOfRangeException>(() => new NormClipping(maxNorm));
        var adaptive = Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveClipping(maxNorm, []));

        Assert.Contains(value, global.Message);
        Assert.Contains(value, torch.Message);
        Assert.Contains(value, perTensor.Message);
        Assert.Contains(value, adaptive.Message);
    }

    [Fact]
    public void GlobalNorm_AccumulatedMicroBatches_ClipsAverage()
    {
        // two micro-batch gradients [2, 0] and [0, 2] accumulated by averaging into one gradient
        Parameter accumulated = WithGradient("w", 0f, 0f);
        float[][] microBatches = [[2f, 0f], [0f, 2f]];
        foreach (float[] gradient in microBatches)
        {
            for (int i = 0; i < gradient.Length; i++)
            {
                accumulated.Grad.Data[i] += gradient[i] / microBatches.Length;
            }
        }

        new GlobalNormClipping(1f).Clip([accumulated]);

        float expected = (float)(1 / Math.Sqrt(2));
        Assert.Equal([expected, expected], accumulated.Grad.Data);
    }

    [Fact]
    public void GlobalNorm_PerMicroBatch_GivesOtherGradient()
    {
        Parameter first = WithGradient("w", 2f, 0f);
        Parameter second = WithGradient("w", 0f, 2f);
        var clipper = new GlobalNormClipping(1f);

        clipper.Clip([first]);
        clipper.Clip([second]);
        float[] averageOfClipped = [(first.Grad.Data[0] + second.Grad.Data[0]) / 2, (first.Grad.Data[1] + second.Grad.Data[1]) / 2];

        // [0.5, 0.5] has norm 0.707, not the 1 that clipping the averaged gradient [1, 1] gives
        float clippedOnce = (float)(1 / Math.Sqrt(2));
        Assert.NotEqual(clippedOnce, averageOfClipped[0]);
        Assert.Equal(0.5f, averageOfClipped[0]);
    }

    [Theory]
    [InlineData("global-norm:0")]
    [InlineData("global-norm:0,1")]
    [InlineData("global-norm:0,inf")]
    [InlineData("global-norm:0,torch")]
    [InlineData("global-norm:0,inf,torch")]
    [InlineData("norm:0")]
    [InlineData("norm:0,1")]
    [InlineData("norm:0,inf")]
    [InlineData("agc:0,exclude=none")]
    public void NormMethods_ZeroGradientsZeroMaxNorm_StayZeroWithoutNaN(string spec)
    {
        Parameter parameter = WithGradient("w", 0f, 0f, 0f);

        ClipStatistics statistics = ClipMethod.Parse(spec).Clip([parameter]);

        Assert.Equal([0f, 0f, 0f], parameter.Grad.Data);
        Assert.Equal(0.0, statistics.NormAfter);
        Assert.False(double.IsNaN(statistics.ScaleFactor));
        Assert.Equal(0, statistics.ClippedCount);
    }

    [Theory]
    [InlineData("global-norm:0")]
    [InlineData("global-norm:0,torch")]
    [InlineData("norm:0")]
    public void NormMethods_NonZeroGradientZeroMaxNorm_BecomeZero(string spec)
    {
        Parameter parameter = WithGradient("w", 3f, -4f);

        ClipMethod.Parse(spec).Clip([parameter]);

        Assert.Equal([0f, 0f], parameter.Grad.Data.Select(value => Math.Abs(value)).ToArray());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("value:0.001")]
    [InlineData("norm:0.1")]
    [InlineData("global-norm:0.1")]
    [InlineData("global-norm:0.1,inf,torch")]
    [InlineData("agc:0.01,exclude=none")]
    public void EveryMethod_ParameterWithoutGradient_IsSkipped(string spec)
    {
        Parameter with = WithGradient("a.weight", 0.5f, -0.25f);
        var without = new Parameter("b.weight", new ClipLab.Tensors.Tensor(2));
        without.Grad.Data[0] = 7f; // stale value that must be neither changed nor counted

        ClipStatistics statistics = ClipMethod.Parse(spec).Clip([with, without]);

        Assert.Equal(7f, without.Grad.Data[0]);
        Assert.Equal(2, statistics.ComponentCount);
        Assert.Equal(Math.Sqrt(0.25 + 0.0625), statistics.NormBefore, 1e-15);
        Assert.Equal(2, statistics.ParameterNormsBefore.Count);
        Assert.True(double.IsNaN(statistics.ParameterNormsBefore[1]));
    }
}
