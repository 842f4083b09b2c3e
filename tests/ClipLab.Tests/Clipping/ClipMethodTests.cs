using ClipLab.Clipping;

namespace ClipLab.Tests.Clipping;

public sealed class ClipMethodTests
{
    [Theory]
    [InlineData("none", "none")]
    [InlineData("value:0.001", "value:0.001")]
    [InlineData("value:-0.002,0.001", "value:-0.002,0.001")]
    [InlineData(" VALUE:0.001 ", "value:0.001")]
    [InlineData("norm:1", "norm:1")]
    [InlineData("norm:1,2", "norm:1")]
    [InlineData("norm:0.5,inf", "norm:0.5,inf")]
    [InlineData("norm:0.5,1", "norm:0.5,1")]
    [InlineData("global-norm:1", "global-norm:1")]
    [InlineData("global-norm:1,inf", "global-norm:1,inf")]
    [InlineData("global-norm:1,torch", "global-norm:1,torch")]
    [InlineData("global-norm:1,torch,INF", "global-norm:1,inf,torch")]
    [InlineData("global-norm:1,exact,2", "global-norm:1")]
    [InlineData("Global-Norm:0", "global-norm:0")]
    [InlineData("agc:0.01", "agc:0.01,exclude=fc3")]
    [InlineData("agc:0.01,exclude=fc2+fc3", "agc:0.01,exclude=fc2+fc3")]
    [InlineData("agc:0.01,exclude=none", "agc:0.01,exclude=none")]
    [InlineData("agc:0.01, eps=1e-4 ,exclude=fc3.bias", "agc:0.01,exclude=fc3.bias,eps=0.0001")]
    public void Parse_ValidSpec_GivesCanonicalSpec(string text, string spec)
    {
        IGradientClipper clipper = ClipMethod.Parse(text);

        Assert.Equal(spec, clipper.Spec);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("value:-0.002,0.001")]
    [InlineData("norm:0.5,inf")]
    [InlineData("global-norm:1,1,torch")]
    [InlineData("agc:0.02,exclude=none,eps=0.01")]
    public void Parse_CanonicalSpec_ParsesBackToSameSpec(string spec)
    {
        string canonical = ClipMethod.Parse(spec).Spec;

        Assert.Equal(canonical, ClipMethod.Parse(canonical).Spec);
    }

    [Fact]
    public void Parse_GlobalNormOptions_SetNormTypeAndScaling()
    {
        var clipper = Assert.IsType<GlobalNormClipping>(ClipMethod.Parse("global-norm:2.5,inf,torch"));

        Assert.Equal(2.5f, clipper.MaxNorm);
        Assert.Equal(NormType.Infinity, clipper.NormType);
        Assert.Equal(GlobalNormScaling.PyTorch, clipper.Scaling);
    }

    [Fact]
    public void Parse_AgcWithoutExclude_ExcludesDefaultLayers()
    {
        var clipper = Assert.IsType<AdaptiveClipping>(ClipMethod.Parse("agc:0.01"));

        Assert.Equal(ClipMethod.DefaultAgcExcludedLayers, clipper.ExcludedLayers);
        Assert.Equal(0.01f, clipper.Clipping);
        Assert.Equal(1e-3f, clipper.WeightNormFloor);
    }

    [Fact]
    public void Parse_AgcExcludeNone_ExcludesNothing()
    {
        var clipper = Assert.IsType<AdaptiveClipping>(ClipMethod.Parse("agc:0.01,exclude=none"));

        Assert.Empty(clipper.ExcludedLayers);
    }

    [Theory]
    [InlineData("clip:1", "clip:1")]
    [InlineData("value", "value")]
    [InlineData("value:abc", "abc")]
    [InlineData("value:1,2,3", "value:1,2,3")]
    [InlineData("none:1", "none:1")]
    [InlineData("norm:1,3", "\"3\"")]
    [InlineData("norm:1,torch", "\"torch\"")]
    [InlineData("global-norm:1,inf,2", "norm type twice")]
    [InlineData("global-norm:1,torch,exact", "scaling twice")]
    [InlineData("global-norm:x", "\"x\"")]
    [InlineData("agc:0.01,exclude=fc3,exclude=fc2", "exclude= twice")]
    [InlineData("agc:0.01,fc3", "\"fc3\"")]
    [InlineData("agc:0.01,eps=tiny", "\"tiny\"")]
    public void Parse_MalformedSpec_ThrowsFormatExceptionNamingProblem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ClipMethod.Parse(text));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("norm:-1", "-1")]
    [InlineData("norm:NaN", "NaN")]
    [InlineData("global-norm:-1", "-1")]
    [InlineData("global-norm:-1,torch", "-1")]
    [InlineData("global-norm:Infinity", "Infinity")]
    [InlineData("agc:-0.01", "-0.01")]
    [InlineData("agc:0.01,eps=0", "0")]
    [InlineData("value:0", "0")]
    public void Parse_SettingOutOfRange_ThrowsWithValue(string text, string value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ClipMethod.Parse(text));

        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void Parse_AgcEmptyExcludedName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ClipMethod.Parse("agc:0.01,exclude=fc2+"));

        Assert.Contains("Excluded layer name", error.Message);
    }

    [Fact]
    public void Descriptions_EveryMethod_HasOneLine()
    {
        string[] methods = ["none", "value:", "norm:", "global-norm:", "agc:"];

        foreach (string method in methods)
        {
            Assert.Contains(ClipMethod.Descriptions, line => line.StartsWith(method, StringComparison.Ordinal));
        }

        Assert.All(ClipMethod.Descriptions, line => Assert.DoesNotContain('\n', line));
    }
}
