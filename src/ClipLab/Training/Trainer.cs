using System.Diagnostics;
using System.Globalization;
using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Optimizers;
using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Training;

/// <summary>Trains LeNet-5 on MNIST for one variant of an experiment.</summary>
/// <remarks>
/// Randomness comes from one generator seeded with <see cref="ExperimentConfig.Seed"/> and
/// split into the streams "init", "train" and "validation", so variants run with the same seed
/// start from the same weights and see the same batches. Iteration i draws a training batch,
/// computes the gradients, clips them, and applies Adam; after the update of every iteration
/// with i % EvalEvery == 0 a validation batch is measured. After the last iteration the whole
/// test split is evaluated.
/// </remarks>
public static class Trainer
{
    /// <summary>Runs one variant and returns everything it measured.</summary>
    /// <param name="config">Settings; see <see cref="ExperimentConfig"/> for the defaults.</param>
    /// <param name="data">MNIST splits.</param>
    /// <param name="name">Variant name for the result.</param>
    /// <param name="clipper">Clipping method applied to every step's gradients.</param>
    /// <param name="observer">Receives steps and validation points as they happen; may be null.</param>
    /// <param name="cancellationToken">
    /// Stops the run after the current step; the result then keeps what was measured and
    /// <see cref="VariantResult.Failure"/> states where it stopped.
    /// </param>
    /// <returns>
    /// The measurements. A step with a non-finite loss or gradient is handled as
    /// <see cref="ExperimentConfig.NonFinitePolicy"/> specifies. Under <see cref="NonFinitePolicy.Stop"/>
    /// the run ends with <see cref="VariantResult.Failure"/> naming the iteration and the
    /// parameter, and the test set is not evaluated.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// A setting is invalid, or <paramref name="clipper"/> does not fit LeNet-5's parameters. The
    /// message names the setting and its value.
    /// </exception>
    public static VariantResult Run(
        ExperimentConfig config,
        MnistDataset data,
        string name,
        IGradientClipper clipper,
        ITrainingObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(clipper);
        Validate(config, data);

        var stopwatch = Stopwatch.StartNew();
        var rng = new Rng(config.Seed);
        Sequential network = LeNet5.Create(rng.Split("init"), config.InitStdDev);
        clipper.Validate(network.Parameters);
        var optimizer = new Adam(network.Parameters, config.LearningRate, config.Beta1, config.Beta2, config.Epsilon, config.EpsilonPlacement);
        var trainSampler = new BatchSampler(data.Train, rng.Split("train"));
        var validationSampler = new BatchSampler(data.Validation, rng.Split("validation"));
        var loss = new SoftmaxCrossEntropy();

        // With several threads, validation runs beside training on one of them, and training keeps
        // the rest: a training batch of 8 is too small to keep two threads busy, and a validation
        // batch of 100 takes a few steps' time. The test set gets every thread at the end.
        bool overlap = config.Threads > 1;
        using var validationRunner = new ValidationRunner(
            network, () => LeNet5.Create(new Rng(0), config.InitStdDev), validationSampler, config.EvalBatchSize, overlap);
        network.SetParallelism(new Parallelism(overlap ? config.Threads - 1 : config.Threads));

        var trainImages = new Tensor(config.BatchSize, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize);
        int[] trainLabels = new int[config.BatchSize];
        var validation = new List<ValidationPoint>(config.ValidationPointCount);
        var steps = new List<StepRecord>(config.Steps);
        string? failure = null;
        bool cancelled = false;
        string? validationDivergence = null;

        for (int iteration = 0; iteration < config.Steps; iteration++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                failure = $"Cancelled before iteration {iteration}.";
                cancelled = true;
                break;
            }

            // forward and backward on a training batch
            trainSampler.NextBatch(trainImages, trainLabels);
            network.ZeroGrad();
            Tensor logits = network.Forward(trainImages);
            double trainLoss = loss.Forward(logits, trainLabels);
            network.BackwardParameters(loss.Backward());

            // check for non-finite values, clip, then update
            StepRecord step = ApplyUpdate(
                iteration, trainLoss, network.Parameters, clipper, optimizer, config.NonFinitePolicy, out string? divergence);
            steps.Add(step);
            observer?.OnStep(step);
            if (divergence is not null)
            {
                failure = divergence;
                break;
            }

            // validation batch after every EvalEvery-th update
            if (iteration % config.EvalEvery == 0)
            {
                validationRunner.Measure(iteration);
            }

            validationRunner.CollectFinished();
            TakeValidationPoints(validationRunner, validation, observer, config, ref validationDivergence);
        }

        validationRunner.Wait();
        TakeValidationPoints(validationRunner, validation, observer, config, ref validationDivergence);
        network.SetParallelism(new Parallelism(config.Threads));
        failure ??= validationDivergence;

        // the whole test split, only for a run that trained every step
        double testLoss = double.NaN;
        double testAccuracy = double.NaN;
        if (failure is null)
        {
            (testLoss, testAccuracy) = Evaluator.Evaluate(network, data.Test);
            if (config.NonFinitePolicy == NonFinitePolicy.Stop && !double.IsFinite(testLoss))
            {
                failure = $"Diverged after the last update: test loss is {testLoss}";
            }
        }

        return new VariantResult(name, clipper.Spec, validation, steps, testLoss, testAccuracy, stopwatch.Elapsed, failure)
        {
            ParameterNames = network.Parameters.Select(parameter => parameter.Name).ToArray(),
            FinalParameters = network.Parameters,
            Diverged = failure is not null && !cancelled,
        };
    }

    /// <summary>Records the finished validation points, and a non-finite loss after the last update when the policy stops runs.</summary>
    private static void TakeValidationPoints(
        ValidationRunner runner, List<ValidationPoint> validation, ITrainingObserver? observer, ExperimentConfig config, ref string? divergence)
    {
        while (runner.TryTake(out ValidationPoint point))
        {
            validation.Add(point);
            observer?.OnValidation(point);

            // Finite gradients can still move the weights to where the loss overflows. The next
            // step then stops on its own loss and gradients and names the parameter. This
            // message is for the point after the last update, which has no next step. A run whose
            // later steps stay finite has recovered, so it is not failed here.
            if (config.NonFinitePolicy == NonFinitePolicy.Stop && !double.IsFinite(point.Loss) && point.Iteration == config.Steps - 1)
            {
                divergence ??= $"Diverged at iteration {point.Iteration}: validation loss is {point.Loss} after the update";
            }
        }
    }

    /// <summary>
    /// Checks the step's loss and gradients for NaN and infinity before anything changes them,
    /// then clips and steps the optimizer as <paramref name="policy"/> decides.
    /// </summary>
    /// <param name="iteration">Zero-based iteration, for the record and the failure message.</param>
    /// <param name="trainLoss">Mean loss of the training batch.</param>
    /// <param name="parameters">The model's parameters with this step's gradients.</param>
    /// <param name="clipper">Clipping method.</param>
    /// <param name="optimizer">Optimizer that applies the update.</param>
    /// <param name="policy">What a non-finite step does.</param>
    /// <param name="failure">Set to the reason when the policy stops the run, otherwise null.</param>
    /// <returns>
    /// The step's record. When the step was not clipped (stopped or skipped), its statistics
    /// come from <see cref="GradientNorm.Measure"/>: norms before clipping, NaN after.
    /// </returns>
    internal static StepRecord ApplyUpdate(
        int iteration,
        double trainLoss,
        IReadOnlyList<Parameter> parameters,
        IGradientClipper clipper,
        IOptimizer optimizer,
        NonFinitePolicy policy,
        out string? failure)
    {
        failure = null;
        string? nonFinite = DescribeNonFinite(trainLoss, parameters);
        if (nonFinite is null)
        {
            ClipStatistics clip = clipper.Clip(parameters);
            optimizer.Step();
            return new StepRecord(iteration, trainLoss, clip);
        }

        if (policy == NonFinitePolicy.Propagate)
        {
            // NonFinite is forced because a non-finite loss can come with finite gradients
            ClipStatistics propagated = clipper.Clip(parameters) with { NonFinite = true };
            optimizer.Step();
            return new StepRecord(iteration, trainLoss, propagated);
        }

        if (policy == NonFinitePolicy.Stop)
        {
            failure = $"Diverged at iteration {iteration}: {nonFinite}";
        }

        // stopped or skipped: gradients, weights and optimizer state stay as they are
        return new StepRecord(iteration, trainLoss, GradientNorm.Measure(parameters) with { NonFinite = true });
    }

    /// <summary>Throws when a setting is outside its range; the message names the setting and its value.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public static void Validate(ExperimentConfig config, MnistDataset? data = null)
    {
        ArgumentNullException.ThrowIfNull(config);

        Require(config.Steps > 0, $"Steps must be at least 1, got {config.Steps}.");
        Require(config.BatchSize > 0, $"BatchSize must be at least 1, got {config.BatchSize}.");
        Require(config.EvalEvery > 0, $"EvalEvery must be at least 1, got {config.EvalEvery}.");
        Require(config.EvalBatchSize > 0, $"EvalBatchSize must be at least 1, got {config.EvalBatchSize}.");
        Require(config.Threads > 0, $"Threads must be at least 1, got {config.Threads}.");
        Require(config.LearningRate > 0 && double.IsFinite(config.LearningRate), $"LearningRate must be a positive finite number, got {config.LearningRate}.");
        Require(config.InitStdDev > 0 && double.IsFinite(config.InitStdDev), $"InitStdDev must be a positive finite number, got {config.InitStdDev}.");
        Require(Enum.IsDefined(config.NonFinitePolicy), $"NonFinitePolicy must be Stop, SkipStep or Propagate, got {(int)config.NonFinitePolicy}.");
        if (data is not null)
        {
            Require(config.BatchSize <= data.Train.Count, $"BatchSize {config.BatchSize} exceeds the {data.Train.Count} training examples.");
            Require(config.EvalBatchSize <= data.Validation.Count, $"EvalBatchSize {config.EvalBatchSize} exceeds the {data.Validation.Count} validation examples.");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }

    /// <summary>Describes the first parameter with a non-finite gradient, or a non-finite loss; null when both are finite.</summary>
    private static string? DescribeNonFinite(double trainLoss, IReadOnlyList<Parameter> parameters)
    {
        string? firstName = null;
        int firstCount = 0;
        int firstLength = 0;
        int otherParameters = 0;
        foreach (Parameter parameter in parameters)
        {
            int count = parameter.HasGrad ? NonFinite.Count(parameter.Grad.Span) : 0;
            if (count == 0)
            {
                continue;
            }

            if (firstName is null)
            {
                (firstName, firstCount, firstLength) = (parameter.Name, count, parameter.Length);
            }
            else
            {
                otherParameters++;
            }
        }

        string loss = trainLoss.ToString("R", CultureInfo.InvariantCulture);
        if (firstName is null)
        {
            return double.IsFinite(trainLoss) ? null : $"the training loss is {loss} while every gradient is finite.";
        }

        string others = otherParameters switch
        {
            0 => "",
            1 => ", and 1 more parameter has a non-finite gradient",
            _ => $", and {otherParameters} more parameters have non-finite gradients",
        };
        return $"the gradient of {firstName} has {firstCount} non-finite components out of {firstLength}{others}. The training loss is {loss}.";
    }
}
