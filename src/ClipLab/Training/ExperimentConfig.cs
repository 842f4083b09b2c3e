using ClipLab.Data;
using ClipLab.Optimizers;

namespace ClipLab.Training;

/// <summary>
/// Settings of one training run. The defaults are the reference experiment: LeNet-5 on MNIST,
/// Adam at learning rate 0.01 in TensorFlow 1's epsilon placement, batch size 8, 1000
/// iterations, a validation batch of 100 after every tenth update.
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>Seed of the run's generator; initialisation and data order depend only on it.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Number of training iterations.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Training examples per iteration.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Adam decay rate of the first moment.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam decay rate of the second moment.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam epsilon.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Where Adam adds epsilon.</summary>
    public EpsilonPlacement EpsilonPlacement { get; init; } = EpsilonPlacement.TensorFlow;

    /// <summary>A validation batch is measured after the update of every iteration i with i % EvalEvery == 0.</summary>
    public int EvalEvery { get; init; } = 10;

    /// <summary>Examples per validation batch.</summary>
    public int EvalBatchSize { get; init; } = 100;

    /// <summary>Worker threads for the numeric kernels; results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>What a step with a NaN or infinite loss or gradient does; default <see cref="NonFinitePolicy.Stop"/>.</summary>
    public NonFinitePolicy NonFinitePolicy { get; init; } = NonFinitePolicy.Stop;

    /// <summary>Standard deviation of the truncated-normal weight initialisation.</summary>
    public double InitStdDev { get; init; } = 0.1;

    /// <summary>Data set the caller loads and passes to the trainer, recorded with the results and checkpoints; default MNIST.</summary>
    public DatasetKind Dataset { get; init; } = DatasetKind.Mnist;

    /// <summary>Number of validation points a run of <see cref="Steps"/> iterations records.</summary>
    public int ValidationPointCount => (Steps + EvalEvery - 1) / EvalEvery;
}
