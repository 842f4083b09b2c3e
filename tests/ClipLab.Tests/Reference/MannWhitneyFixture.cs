namespace ClipLab.Tests.Reference;

/// <summary>mann-whitney.json: samples with SciPy's two-sided asymptotic Mann-Whitney U and p-value.</summary>
internal sealed record MannWhitneyFixture(GeneratorInfo Generator, string ScipyVersion, IReadOnlyList<MannWhitneyCase> Cases)
{
    public static MannWhitneyFixture Instance => ReferenceFixtures.Load<MannWhitneyFixture>("mann-whitney");
}

/// <summary>Two samples, SciPy's U of the first and its p-value.</summary>
internal sealed record MannWhitneyCase(string Name, double[] X, double[] Y, double U, double PValue);
