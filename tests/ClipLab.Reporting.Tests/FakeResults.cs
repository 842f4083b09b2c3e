using ClipLab.Clipping;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

/// <summary>
/// Realistic synthetic results for report tests: noisy curves shaped like the reference
/// experiment (unclipped loss from 2.3 to about 0.3, accuracy from 0.1 to about 0.9; clipped
/// loss falling more slowly to about 0.8). The numbers are invented, not measured.
/// </summary>
internal static class FakeResults
{
    /// <summary>Parameter count of LeNet-5: 156 + 2416 + 48120 + 10164 + 850.</summary>
    private const long LeNetParameterCount = 156 + 2416 + 48120 + 10164 + 850;

    /// <summary>LeNet-5's parameter names, in the order the trainer records their norms.</summary>
    public static readonly string[] ParameterNames =
    [
        "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias",
    ];

    public static VariantResult Unclipped(int seed = 1, int steps = 1000, int evalEvery = 10) =>
        Create("unclipped", "none", seed, steps, evalEvery, finalLoss: 0.3, lossTimeScale: 150, clipThreshold: null);

    public static VariantResult Clipped(int seed = 2, int steps = 1000, int evalEvery = 10) =>
        Create("clipped", "value:0.001", seed, steps, evalEvery, finalLoss: 0.8, lossTimeScale: 300, clipThreshold: 0.001);

    /// <summary>The unclipped curves cut at <paramref name="stoppedAt"/>, with a NaN loss there and no test evaluation.</summary>
    public static VariantResult Diverged(int stoppedAt = 412, int seed = 3)
    {
        VariantResult full = Unclipped(seed);
        var validation = full.Validation.Where(p => p.Iteration < stoppedAt).ToList();
        var steps = full.Steps.Where(s => s.Iteration < stoppedAt).ToList();
        steps.Add(new StepRecord(stoppedAt, double.NaN, new ClipStatistics(double.NaN, double.NaN, 0, LeNetParameterCount)
        {
            ParameterNormsBefore = ParameterNames.Select(_ => double.NaN).ToArray(),
            NonFinite = true,
        }));
        return full with
        {
            Name = "diverged",
            Validation = validation,
            Steps = steps,
            TestLoss = double.NaN,
            TestAccuracy = double.NaN,
            Diverged = true,
            Failure = $"non-finite loss at iteration {stoppedAt}",
        };
    }

    private static VariantResult Create(
        string name, string clipMethod, int seed, int steps, int evalEvery, double finalLoss, double lossTimeScale, double? clipThreshold)
    {
        var random = new Random(seed);
        var validation = new List<ValidationPoint>();
        var stepRecords = new List<StepRecord>();
        for (int i = 0; i < steps; i++)
        {
            double decay = Math.Exp(-i / lossTimeScale);
            double trainLoss = Math.Max(0.01, finalLoss + (2.3 - finalLoss) * decay + 0.25 * Gaussian(random));

            // Gradient norms span about two decades: large early, lognormal noise throughout.
            double normBefore = (0.3 + 5 * Math.Exp(-i / 80.0)) * Math.Exp(0.7 * Gaussian(random));
            long clipped = 0;
            double normAfter = normBefore;
            if (clipThreshold is double threshold)
            {
                double share = Math.Clamp(0.85 + 0.05 * Gaussian(random), 0, 1);
                clipped = (long)(share * LeNetParameterCount);
                normAfter = threshold * Math.Sqrt(clipped);
            }

            // the global norm split evenly over the parameters: sqrt(10 * (norm / sqrt(10))^2) = norm
            double parameterNorm = normBefore / Math.Sqrt(ParameterNames.Length);
            stepRecords.Add(new StepRecord(i, trainLoss, new ClipStatistics(normBefore, normAfter, clipped, LeNetParameterCount)
            {
                ParameterNormsBefore = ParameterNames.Select(_ => parameterNorm).ToArray(),
            }));

            if (i % evalEvery == 0)
            {
                double loss = Math.Max(0.01, finalLoss + (2.3 - finalLoss) * decay + 0.08 * Gaussian(random));

                // A batch of 100 makes accuracy a multiple of 0.01.
                double accuracy = Math.Round(Math.Clamp(0.91 - 0.81 * Math.Exp(-i / 120.0) + 0.03 * Gaussian(random), 0, 1), 2);
                validation.Add(new ValidationPoint(i, loss, accuracy));
            }
        }

        return new VariantResult(
            name,
            clipMethod,
            validation,
            stepRecords,
            TestLoss: finalLoss * 1.05,
            TestAccuracy: 0.9123,
            WallTime: TimeSpan.FromSeconds(2.5 + seed),
            Failure: null)
        {
            ParameterNames = ParameterNames,
        };
    }

    /// <summary>Standard normal draw by the Box-Muller transform.</summary>
    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
