using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Tensors;

namespace ClipLab.Tests.Clipping;

public sealed class ValueClippingTests
{
    [Fact]
    public void Clip_SymmetricThousandth_ClipsTwoOfThree()
    {
        Parameter parameter = WithGradient("w", 0.5f, -0.002f, 0.0004f);
        var clipper = ValueClipping.Symmetric(0.001f);

        ClipStatistics statistics = clipper.Clip([parameter]);

        Assert.Equal([0.001f, -0.001f, 0.0004f], parameter.Grad.Data);
        Assert.Equal(2, statistics.ClippedCount);
        Assert.Equal(3, statistics.ComponentCount);
        Assert.Equal(Math.Sqrt(0.25 + 0.002 * 0.002 + 0.0004 * 0.0004), statistics.NormBefore, 1e-9);
    }

    [Fact]
    public void Clip_ParameterWithoutGradient_IsSkipped()
    {
        Parameter with = WithGradient("a", 0.5f);
        var without = new Parameter("b", new Tensor(2));
        without.Grad.Data[0] = 7f; // stale value that must not be touched or counted

        ClipStatistics statistics = ValueClipping.Symmetric(0.001f).Clip([with, without]);

        Assert.Equal(1, statistics.ComponentCount);
        Assert.Equal(7f, without.Grad.Data[0]);
    }

    [Fact]
    public void Constructor_MinAboveMax_ThrowsWithBothValues()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ValueClipping(0.5f, -0.5f));

        Assert.Contains("0.5", error.Message);
        Assert.Contains("-0.5", error.Message);
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(0.5f, 1f)]
    [InlineData(-1f, -0.5f)]
    [InlineData(0f, 1f)]
    public void Constructor_RangeWithoutZeroInside_ThrowsWithRange(float min, float max)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ValueClipping(min, max));

        Assert.Contains($"[{min.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}]", error.Message);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.001f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Symmetric_InvalidLimit_Throws(float limit)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ValueClipping.Symmetric(limit));

        Assert.Equal(limit, error.ActualValue);
    }

    [Theory]
    [InlineData("none", "none")]
    [InlineData("value:0.001", "value:0.001")]
    [InlineData("value:-0.002,0.001", "value:-0.002,0.001")]
    [InlineData(" VALUE:0.001 ", "value:0.001")]
    public void Parse_ValidSpec_RoundTrips(string text, string spec)
    {
        IGradientClipper clipper = ClipMethod.Parse(text);

        Assert.Equal(spec, clipper.Spec);
    }

    [Theory]
    [InlineData("clip:1")]
    [InlineData("value")]
    [InlineData("value:abc")]
    [InlineData("value:1,2,3")]
    [InlineData("none:1")]
    public void Parse_MalformedSpec_ThrowsFormatExceptionNamingText(string text)
    {
        var error = Assert.Throws<FormatException>(() => ClipMethod.Parse(text));

        Assert.Contains(text.Split(':', ',')[^1], error.Message);
    }

    [Fact]
    public void NoClipping_LeavesGradientsAndReportsNorm()
    {
        Parameter parameter = WithGradient("w", 3f, 4f);

        ClipStatistics statistics = new NoClipping().Clip([parameter]);

        Assert.Equal([3f, 4f], parameter.Grad.Data);
        Assert.Equal(5.0, statistics.NormBefore);
        Assert.Equal(5.0, statistics.NormAfter);
        Assert.Equal(0, statistics.ClippedCount);
    }

    private static Parameter WithGradient(string name, params float[] gradient)
    {
        var parameter = new Parameter(name, new Tensor(gradient.Length));
        gradient.CopyTo(parameter.Grad.Data, 0);
        parameter.MarkGradWritten();
        return parameter;
    }
}
