namespace ClipLab.Tests.Reference;

public sealed class MannWhitneyUTests
{
    public static TheoryData<string> ScipyCases => new(MannWhitneyFixture.Instance.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(ScipyCases))]
    public void Test_ScipyCase_MatchesScipy(string caseName)
    {
        MannWhitneyCase c = MannWhitneyFixture.Instance.Cases.Single(x => x.Name == caseName);

        MannWhitneyResult result = MannWhitneyU.Test(c.X, c.Y);

        // U is a sum of half-integers, exact in double
        Assert.Equal(c.U, result.U);

        // both evaluate the same formula in double, and the two erfc implementations differ by about 1e-15 relative
        Assert.Equal(c.PValue, result.PValue, Math.Max(c.PValue * 1e-12, 1e-300));
    }

    [Fact]
    public void Test_HandComputedTies_MatchesFormula()
    {
        // pooled and sorted: 1 (x), 2 (x), 2 (x), 2 (y), 3 (y), 4 (y), 5 (y). The three 2s share rank 3.
        // R1 = 1 + 3 + 3 = 7, U1 = 7 - 3 * 4 / 2 = 1, mean n1 n2 / 2 = 6,
        // variance 3 * 4 / 12 * (8 - (3^3 - 3) / (7 * 6)) = 8 - 24 / 42 = 7.428571...,
        // z = (|1 - 6| - 0.5) / sqrt(7.428571...) = 1.6510486178370214,
        // p = erfc(z / sqrt 2) = 0.09872864789482494 (Python's math.erfc)
        MannWhitneyResult result = MannWhitneyU.Test([1, 2, 2], [2, 3, 4, 5]);

        Assert.Equal(1.0, result.U);
        Assert.Equal(1.6510486178370214, result.Z, 1e-14);
        Assert.Equal(0.09872864789482494, result.PValue, 1e-14);
    }

    [Fact]
    public void Test_SwappedSamples_GiveSamePValue()
    {
        double[] x = [0.3, 1.2, 0.8, 2.5, 0.8];
        double[] y = [1.9, 2.2, 0.8, 3.1];

        MannWhitneyResult forward = MannWhitneyU.Test(x, y);
        MannWhitneyResult backward = MannWhitneyU.Test(y, x);

        // U1 + U2 = n1 n2, and the two-sided p-value does not depend on the order
        Assert.Equal(x.Length * y.Length, forward.U + backward.U);
        Assert.Equal(forward.PValue, backward.PValue, 1e-15);
    }

    [Fact]
    public void Test_AllValuesTied_ReturnsPValueOne()
    {
        MannWhitneyResult result = MannWhitneyU.Test([0.5, 0.5, 0.5], [0.5, 0.5]);

        Assert.Equal(1.0, result.PValue);
    }

    [Fact]
    public void Test_NaNValue_ThrowsNamingIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => MannWhitneyU.Test([1.0, double.NaN], [2.0]));

        Assert.Contains("Value 1", error.Message);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.9, 4.109787809945886e-05)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(3.1, 1.1648657367199589e-05)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(10.0, 2.088487583762545e-45)]
    [InlineData(-1.0, 1.842700792949715)]
    public void Erfc_KnownValue_MatchesPython(double x, double expected)
    {
        // expected values from Python 3.11's math.erfc, the C library's erfc
        double actual = NormalDistribution.Erfc(x);

        Assert.Equal(expected, actual, expected * 1e-13);
    }
}
