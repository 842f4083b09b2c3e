using ClipLab.Clipping;
using ClipLab.Optimizers;
using ClipLab.Tests.Data;
using ClipLab.Training;

namespace ClipLab.Tests.Reference;

/// <summary>
/// ClipLab's side of the whole-experiment comparison: the reference experiment for as many seeds
/// as the PyTorch fixture has, both variants, with the fixture's settings. Runs once per test
/// class, seeds in parallel with one thread each, because results do not depend on the thread count.
/// </summary>
public sealed class ClipLabSeedRuns
{
    public ClipLabSeedRuns()
    {
        ExperimentFixture fixture = ExperimentFixture.Instance;
        ExperimentSettings settings = fixture.Settings;
        if (settings.EpsilonPlacement != "tensorflow")
        {
            throw new InvalidOperationException(
                $"experiment.json used Adam's '{settings.EpsilonPlacement}' epsilon placement, but the comparison needs 'tensorflow'. Regenerate it with tools/reference/generate.sh.");
        }

        SeedCount = fixture.Seeds.Length;
        Unclipped = new VariantResult[SeedCount];
        Clipped = new VariantResult[SeedCount];
        var data = RealMnist.Dataset;

        // 2 runs per seed, spread over the cores
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, 2 * SeedCount, options, job =>
        {
            int seedIndex = job / 2;
            var config = new ExperimentConfig
            {
                Seed = (ulong)(seedIndex + 1),
                Steps = settings.Steps,
                BatchSize = settings.BatchSize,
                LearningRate = settings.LearningRate,
                Beta1 = settings.Beta1,
                Beta2 = settings.Beta2,
                Epsilon = settings.Epsilon,
                EpsilonPlacement = EpsilonPlacement.TensorFlow,
                EvalEvery = settings.EvalEvery,
                EvalBatchSize = settings.EvalBatchSize,
                Threads = 1,
            };
            if (job % 2 == 0)
            {
                Unclipped[seedIndex] = Trainer.Run(config, data, "unclipped", new NoClipping());
            }
            else
            {
                Clipped[seedIndex] = Trainer.Run(config, data, "clipped", ValueClipping.Symmetric(settings.ClipLimit));
            }
        });
    }

    /// <summary>Number of seeds, 1..SeedCount, equal to the PyTorch fixture's.</summary>
    public int SeedCount { get; }

    /// <summary>Results without clipping, by seed index.</summary>
    public VariantResult[] Unclipped { get; }

    /// <summary>Results with every gradient component clipped into [-limit, limit], by seed index.</summary>
    public VariantResult[] Clipped { get; }
}
