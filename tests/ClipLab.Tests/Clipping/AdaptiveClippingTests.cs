using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tests.TestSupport;
using static ClipLab.Tests.Clipping.ClipTestGradients;

namespace ClipLab.Tests.Clipping;

public sealed class AdaptiveClippingTests
{
    [Fact]
    public void Clip_ConvFilters_LimitedByOwnWeightNorm()
    {
        // conv weight [OC=2, IC=1, KH=1, KW=2]: filter 0 has weights [3, 4], filter 1 [0, 0.0005]
        float[] weights = [3f, 4f, 0f, 0.0005f];
        float[] gradient = [0.3f, 0.4f, 0.003f, 0.004f];
        Parameter conv = WithValueAndGradient("conv1.weight", weights, gradient, 2, 1, 1, 2);
        const float lambda = 0.1f;

        ClipStatistics statistics = new AdaptiveClipping(lambda, []).Clip([conv]);

        // filter 0: gradient norm 0.5 = lambda * 5, unchanged; filter 1: limit lambda * max(0.0005, 1e-3), below its norm 0.005
        double limit = (double)lambda * 1e-3f;
        double norm = Math.Sqrt((double)0.003f * 0.003f + (double)0.004f * 0.004f);
        float[] expected = [0.3f, 0.4f, (float)(0.003f * (limit / norm)), (float)(0.004f * (limit / norm))];
        NumericAssert.Close(expected, conv.Grad.Data, 0, 1e-7, "conv1.weight gradient");
        Assert.Equal(2, statistics.ClippedCount);
        Assert.Equal(limit / norm, statistics.ScaleFactor, 1e-12);
    }

    [Fact]
    public void Clip_LinearRows_EachRowIsOneUnit()
    {
        // linear weight [OUT=2, IN=2]: rows [1, 0] and [0, 2]; gradient rows [3, 4] and [0.1, 0]
        Parameter linear = WithValueAndGradient("fc1.weight", [1f, 0f, 0f, 2f], [3f, 4f, 0.1f, 0f], 2, 2);

        new AdaptiveClipping(0.5f, []).Clip([linear]);

        // row 0: limit 0.5 * 1, norm 5, factor 0.1; row 1: limit 0.5 * 2 = 1 above norm 0.1
        NumericAssert.Close([0.3f, 0.4f, 0.1f, 0f], linear.Grad.Data, 0, 1e-7, "fc1.weight gradient");
    }

    [Fact]
    public void Clip_Bias_WholeVectorIsOneUnit()
    {
        // weights [1, 0] have norm 1, so the gradient [0.5, 0.5] (norm 0.707) stays. Taken per
        // element, the second component's limit would be 1 * 1e-3 and it would be clipped.
        Parameter bias = WithValueAndGradient("fc1.bias", [1f, 0f], [0.5f, 0.5f], 2);

        ClipStatistics statistics = new AdaptiveClipping(1f, []).Clip([bias]);

        Assert.Equal([0.5f, 0.5f], bias.Grad.Data);
        Assert.Equal(0, statistics.ClippedCount);
    }

    [Fact]
    public void Clip_ExcludedLayer_KeepsItsGradients()
    {
        Parameter fc2 = WithValueAndGradient("fc2.weight", [1f, 1f], [10f, 10f], 1, 2);
        Parameter fc3Weight = WithValueAndGradient("fc3.weight", [1f, 1f], [10f, 10f], 1, 2);
        Parameter fc3Bias = WithValueAndGradient("fc3.bias", [0f], [10f], 1);

        ClipStatistics statistics = new AdaptiveClipping(0.01f, ["fc3"]).Clip([fc2, fc3Weight, fc3Bias]);

        Assert.NotEqual([10f, 10f], fc2.Grad.Data);
        Assert.Equal([10f, 10f], fc3Weight.Grad.Data);
        Assert.Equal([10f], fc3Bias.Grad.Data);
        Assert.Equal(Math.Sqrt(500), statistics.NormBefore, 1e-12);
    }

    [Fact]
    public void Clip_ExcludedParameterName_KeepsOnlyThatParameter()
    {
        Parameter weight = WithValueAndGradient("fc3.weight", [1f, 1f], [10f, 10f], 1, 2);
        Parameter bias = WithValueAndGradient("fc3.bias", [0f], [10f], 1);

        new AdaptiveClipping(0.01f, ["fc3.bias"]).Clip([weight, bias]);

        Assert.NotEqual([10f, 10f], weight.Grad.Data);
        Assert.Equal([10f], bias.Grad.Data);
    }

    [Fact]
    public void Clip_DefaultSpecOnLeNet_SkipsClassifier()
    {
        Sequential network = LeNet5.Create(new Rng(3));
        var rng = new Rng(4);
        foreach (Parameter parameter in network.Parameters)
        {
            // gradients far above 0.01 of the weights, so every other unit is clipped
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Grad.Data[i] = (float)(rng.NextGaussian() * 10);
            }

            parameter.MarkGradWritten();
        }

        float[][] before = CopyGradients(network.Parameters);

        ClipMethod.Parse("agc:0.01").Clip(network.Parameters);

        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Parameter parameter = network.Parameters[p];
            if (parameter.Name.StartsWith("fc3.", StringComparison.Ordinal))
            {
                Assert.Equal(before[p], parameter.Grad.Data);
            }
            else
            {
                Assert.NotEqual(before[p], parameter.Grad.Data);
            }
        }
    }

    [Fact]
    public void Validate_UnknownExcludedLayer_ThrowsListingLayers()
    {
        IGradientClipper clipper = new AdaptiveClipping(0.01f, ["fc4"]);
        IReadOnlyList<Parameter> parameters = LeNet5.Create(new Rng(1)).Parameters;

        var error = Assert.Throws<ArgumentException>(() => clipper.Validate(parameters));

        Assert.Contains("\"fc4\"", error.Message);
        Assert.Contains("conv1, conv2, fc1, fc2, fc3", error.Message);
    }

    [Theory]
    [InlineData("fc3")]
    [InlineData("fc3.bias")]
    public void Validate_KnownLayerOrParameter_Passes(string excluded)
    {
        IGradientClipper clipper = new AdaptiveClipping(0.01f, [excluded]);

        clipper.Validate(LeNet5.Create(new Rng(1)).Parameters);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1e-3f)]
    [InlineData(float.NaN)]
    public void Constructor_InvalidFloor_ThrowsWithValue(float floor)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveClipping(0.01f, [], floor));

        Assert.Equal(floor, error.ActualValue);
    }

    [Fact]
    public void Clip_NaNWeights_SpreadNaNIntoThatUnit()
    {
        Parameter linear = WithValueAndGradient("fc1.weight", [float.NaN, 1f, 1f, 1f], [1f, 1f, 1f, 1f], 2, 2);

        new AdaptiveClipping(0.01f, []).Clip([linear]);

        Assert.True(float.IsNaN(linear.Grad.Data[0]));
        Assert.True(float.IsNaN(linear.Grad.Data[1]));
        Assert.False(float.IsNaN(linear.Grad.Data[2]));
    }
}
