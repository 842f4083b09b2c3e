using System.Text.Json;
using ClipLab.Reporting.Statistics;

namespace ClipLab.Reporting.Tests.Statistics;

public class MannWhitneyUTests
{
    /// <summary>
    /// p-values within 1e-12 relative error of scipy's: both sides compute in double, and the
    /// normal tail here is accurate to about 1e-13.
    /// </summary>
    private const double RelativeTolerance = 1e-12;

    public static TheoryData<string, string> ScipyCases()
    {
        var data = new TheoryData<string, string>();
        foreach (JsonElement testCase in Reference().GetProperty("mann_whitney").EnumerateArray())
        {
            data.Add(testCase.GetProperty("name").GetString()!, testCase.GetProperty("method").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScipyCases))]
    public void MannWhitneyU_ScipyCase_MatchesUAndPValue(string name, string scipyMethod)
    {
        JsonElement testCase = Reference().GetProperty("mann_whitney").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name && c.GetProperty("method").GetString() == scipyMethod);
        double[] first = testCase.GetProperty("first").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] second = testCase.GetProperty("second").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        MannWhitneyMethod method = scipyMethod == "exact" ? MannWhitneyMethod.Exact : MannWhitneyMethod.NormalApproximation;

        MannWhitneyResult result = MannWhitneyU.Test(first, second, method);

        Assert.Equal(testCase.GetProperty("u").GetDouble(), result.U);
        AssertClose(testCase.GetProperty("p_value").GetDouble(), result.PValue, $"{name} ({scipyMethod})");
        Assert.Equal(method, result.Method);
        Assert.Equal(first.Length, result.FirstCount);
        Assert.Equal(second.Length, result.SecondCount);
    }

    [Fact]
    public void MannWhitneyU_SeparatedThreeAndThree_ExactPIsTwoOverTwenty()
    {
        // All three values of the first sample lie below the second: 1 of C(6, 3) = 20 rank
        // assignments is as extreme on each side, so p = 2 / 20.
        MannWhitneyResult result = MannWhitneyU.Test([1, 2, 3], [4, 5, 6]);

        Assert.Equal(0, result.U);
        Assert.Equal(0.1, result.PValue, 15);
        Assert.Equal(MannWhitneyMethod.Exact, result.Method);
    }

    [Fact]
    public void MannWhitneyU_Auto_UsesExactOnlyForSmallSamplesWithoutTies()
    {
        double[] ten = Enumerable.Range(0, 10).Select(i => (double)i).ToArray();
        double[] eleven = Enumerable.Range(20, 11).Select(i => (double)i).ToArray();

        Assert.Equal(MannWhitneyMethod.Exact, MannWhitneyU.Test(ten, ten.Select(v => v + 0.5).ToArray()).Method);
        Assert.Equal(MannWhitneyMethod.NormalApproximation, MannWhitneyU.Test(ten, eleven).Method);
        Assert.Equal(MannWhitneyMethod.NormalApproximation, MannWhitneyU.Test([1, 2, 2], [3, 4]).Method);
    }

    [Fact]
    public void MannWhitneyU_SwappedSamples_SamePValueComplementaryU()
    {
        double[] first = [0.91, 0.1135, 0.93, 0.90, 0.88];
        double[] second = [0.92, 0.94, 0.95, 0.89];

        MannWhitneyResult forward = MannWhitneyU.Test(first, second);
        MannWhitneyResult backward = MannWhitneyU.Test(second, first);

        Assert.Equal(forward.PValue, backward.PValue, 15);
        Assert.Equal(first.Length * second.Length, forward.U + backward.U);
    }

    [Fact]
    public void MannWhitneyU_ExactWithTies_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MannWhitneyU.Test([1, 2], [2, 3], MannWhitneyMethod.Exact));

        Assert.Contains("ties", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void MannWhitneyU_NonFiniteValue_ThrowsNamingIndex(double bad)
    {
        var error = Assert.Throws<ArgumentException>(() => MannWhitneyU.Test([0.5, bad], [0.7]));

        Assert.Contains("Value 1", error.Message);
        Assert.Equal("first", error.ParamName);
    }

    [Fact]
    public void MannWhitneyU_EmptySample_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => MannWhitneyU.Test([0.5], []));

        Assert.Equal("second", error.ParamName);
    }

    public static TheoryData<double, double> TailCases()
    {
        var data = new TheoryData<double, double>();
        foreach (JsonElement point in Reference().GetProperty("normal_upper_tail").EnumerateArray())
        {
            data.Add(point.GetProperty("z").GetDouble(), point.GetProperty("upper_tail").GetDouble());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TailCases))]
    public void NormalDistribution_UpperTail_MatchesScipy(double z, double expected)
    {
        AssertClose(expected, NormalDistribution.UpperTail(z), $"Q({z})");
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        double relative = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), double.Epsilon);
        Assert.True(
            relative <= RelativeTolerance,
            $"{what}: expected {expected:R}, actual {actual:R}, relative error {relative:E2} > {RelativeTolerance:E0}");
    }

    private static JsonElement Reference()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Statistics", "mann-whitney-reference.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
