using System.Globalization;
using ClipLab.Training;
using Xunit.Abstractions;

namespace ClipLab.Tests.Reference;

/// <summary>
/// The whole reference experiment, ClipLab against PyTorch over the same number of seeds (at
/// least 20). The two draw different random numbers, so individual runs differ. What must agree
/// is the distribution over seeds of each variant's test accuracy and last-10 validation loss.
/// </summary>
/// <remarks>
/// A two-sided Mann-Whitney U test per variant and metric must not reject equal distributions at
/// the 1% level. It is a rank test because about one unclipped seed in ten leaves a dead
/// network (test accuracy near 0.10, loss near 2.30), and such outliers would dominate a t-test.
/// Four tests at 1% each reject a correct implementation with probability below 4%, and once
/// the fixture and ClipLab's seeds are fixed the outcome is deterministic. The PyTorch side uses
/// TensorFlow 1's Adam epsilon placement, as ClipLab does here, so the two differ only in their
/// random streams.
/// </remarks>
public sealed class ExperimentReferenceTests : IClassFixture<ClipLabSeedRuns>
{
    private const double SignificanceLevel = 0.01;
    private const int MinimumSeeds = 20;

    private readonly ClipLabSeedRuns _runs;
    private readonly ITestOutputHelper _output;

    public ExperimentReferenceTests(ClipLabSeedRuns runs, ITestOutputHelper output)
    {
        _runs = runs;
        _output = output;
    }

    [Theory]
    [InlineData("unclipped", "test accuracy")]
    [InlineData("unclipped", "last-10 validation loss")]
    [InlineData("clipped", "test accuracy")]
    [InlineData("clipped", "last-10 validation loss")]
    public void ReferenceExperiment_VariantMetric_MatchesPyTorchDistribution(string variant, string metric)
    {
        ExperimentFixture fixture = ExperimentFixture.Instance;
        int lastPoints = fixture.Settings.LastPoints;
        VariantResult[] clipLabRuns = variant == "clipped" ? _runs.Clipped : _runs.Unclipped;
        Assert.All(clipLabRuns, run => Assert.True(run.Completed, $"ClipLab {variant} run stopped: {run.Failure}"));
        Assert.All(fixture.Variants[variant], run => Assert.True(run.Failure is null, $"PyTorch {variant} seed {run.Seed} stopped: {run.Failure}"));
        double[] clipLab = clipLabRuns
            .Select(run => metric == "test accuracy" ? run.TestAccuracy : run.MeanLastLoss(lastPoints))
            .ToArray();
        double[] pyTorch = fixture.Variants[variant]
            .Select(run => (metric == "test accuracy" ? run.TestAccuracy : run.LastValidationLoss)!.Value)
            .ToArray();

        MannWhitneyResult result = MannWhitneyU.Test(clipLab, pyTorch);

        string summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{variant} {metric}: median ClipLab {Median(clipLab):F4}, PyTorch {Median(pyTorch):F4} over {clipLab.Length} seeds each; " +
            $"Mann-Whitney U {result.U:F1}, z {result.Z:F3}, p {result.PValue:F4}");
        _output.WriteLine(summary);
        _output.WriteLine("ClipLab: " + Format(clipLab));
        _output.WriteLine("PyTorch: " + Format(pyTorch));
        Assert.True(result.PValue >= SignificanceLevel, $"{summary}, below {SignificanceLevel}: the distributions differ.");
    }

    [Fact]
    public void Fixture_SeedCount_IsAtLeastTwenty()
    {
        ExperimentFixture fixture = ExperimentFixture.Instance;

        Assert.True(fixture.Seeds.Length >= MinimumSeeds, $"experiment.json has {fixture.Seeds.Length} seeds, expected at least {MinimumSeeds}.");
        Assert.Equal(fixture.Seeds.Length, fixture.Variants["unclipped"].Length);
        Assert.Equal(fixture.Seeds.Length, fixture.Variants["clipped"].Length);
    }

    [Fact]
    public void ClipLabRuns_SeedCount_EqualsFixture()
    {
        int expected = ExperimentFixture.Instance.Seeds.Length;

        Assert.Equal(expected, _runs.Unclipped.Length);
        Assert.Equal(expected, _runs.Clipped.Length);
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Format(double[] values) =>
        string.Join(" ", values.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)));
}
