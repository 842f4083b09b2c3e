using System.CommandLine;
using ClipLab.Clipping;
using ClipLab.Optimizers;
using ClipLab.Reporting;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>
/// The `sweep` command: trains one clipping method at several thresholds, each with the same
/// seeds, plus the unclipped reference, and charts final validation loss and test accuracy
/// against the threshold.
/// </summary>
/// <remarks>
/// NOTE: the training options repeat those of <see cref="CompareCommand"/> (minus --variants and
/// --clip-value) with the same names, defaults and limits; a change to one belongs in both.
/// </remarks>
internal static class SweepCommand
{
    private const int MaxSteps = 1_000_000;
    private const int MaxBatchSize = 4096;
    private const int MaxThreads = 256;

    public static Command Create()
    {
        var defaults = new ExperimentConfig();
        var sweepArgument = new Argument<string?>("SWEEP")
        {
            Description = "Method and thresholds: METHOD:T1,T2,..., for example value:1e-4,3e-4,1e-3,3e-3,1e-2. METHOD is value (limit L, clipping into [-L, L]), "
                + "norm (maximum norm per tensor), global-norm (maximum global norm) or agc (lambda). Leave it out with --config.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var methodOptions = new Option<string?>("--method-options")
        {
            HelpName = "OPTIONS",
            Description = "Settings appended to every threshold's method: 'inf,torch' turns global-norm:T into global-norm:T,inf,torch; 'exclude=none' turns agc:T into agc:T,exclude=none. Not for value.",
        };
        var data = new Option<string?>("--data") { Description = "Folder with the four MNIST IDX files (gzip or raw). Default: $CLIPLAB_DATA, else the cache folder, downloading into it when empty." };
        var output = new Option<string>("--out") { Description = "Folder in which the run folder is created.", DefaultValueFactory = _ => "runs" };
        var seed = NumberOptions.Seed("--seed", "First seed of initialisation and data order.", defaults.Seed);
        Option<int> seeds = RunOptions.Seeds();
        var steps = NumberOptions.Int("--steps", "Training iterations per run.", defaults.Steps, 1, MaxSteps);
        var batchSize = NumberOptions.Int("--batch-size", $"Training images per iteration (at most {MaxBatchSize}).", defaults.BatchSize, 1, MaxBatchSize);
        var learningRate = NumberOptions.Positive("--lr", "Adam learning rate.", defaults.LearningRate);
        var evalEvery = NumberOptions.Int("--eval-every", "Measure a validation batch after every N-th update (iterations 0, N, 2N, ...).", defaults.EvalEvery, 1, MaxSteps);
        var evalBatchSize = NumberOptions.Int("--eval-batch-size", "Images per validation batch (at most 5000, the validation split).", defaults.EvalBatchSize, 1, 5000);
        var epsilon = new Option<EpsilonPlacement>("--adam-epsilon") { Description = "Where Adam adds epsilon: TensorFlow (TensorFlow 1, the reference) or PyTorch.", DefaultValueFactory = _ => defaults.EpsilonPlacement };
        var nonFinite = new Option<string>("--non-finite")
        {
            HelpName = "stop|skip|propagate",
            Description = "What a step with a NaN or infinite loss or gradient does: stop the run, skip the step, or propagate it as PyTorch does.",
            DefaultValueFactory = _ => "stop",
        };
        var threads = NumberOptions.Int("--threads", $"Worker threads (at most {MaxThreads}); results are bitwise the same for any count.", defaults.Threads, 1, MaxThreads);
        Option<string> dataset = DatasetOption.Create();
        var tensorBoard = new Option<string?>("--tensorboard") { HelpName = "DIR", Description = "Also write TensorBoard event files to DIR/RUN/VARIANT/seed-S/." };
        Option<string?> configFile = RunOptions.ConfigFile();

        var command = new Command(
            "sweep",
            "Train LeNet-5 with one clipping method at several thresholds and with the unclipped reference, over several seeds, and chart the results against the threshold.")
        {
            sweepArgument, methodOptions, data, output, seed, seeds, steps, batchSize, learningRate, evalEvery, evalBatchSize, epsilon, nonFinite, threads, dataset,
            tensorBoard, configFile,
        };

        command.SetAction(parsed =>
        {
            CompareRequest request;
            try
            {
                string? dataDirectory = RequireNotBlank(parsed.GetValue(data), "--data");
                string outputDirectory = RequireNotBlank(parsed.GetValue(output), "--out") ?? "runs";
                if (parsed.GetValue(configFile) is string configPath)
                {
                    if (parsed.GetValue(sweepArgument) is not null || parsed.GetValue(methodOptions) is not null)
                    {
                        throw new UsageException("--config cannot be combined with a SWEEP argument or --method-options: the thresholds come from the config file.");
                    }

                    request = RunOptions.FromConfig(
                        parsed, configPath, "sweep",
                        [seed, seeds, steps, batchSize, learningRate, evalEvery, evalBatchSize, epsilon, nonFinite, dataset],
                        dataDirectory, outputDirectory, threads, parsed.GetValue(tensorBoard));
                }
                else
                {
                    string text = parsed.GetValue(sweepArgument)
                        ?? throw new UsageException("name the method and thresholds to sweep, for example 'cliplab sweep value:1e-4,1e-3,1e-2', or rerun a sweep with --config FILE.");
                    string? options = parsed.GetValue(methodOptions);
                    if (options is not null && string.IsNullOrWhiteSpace(options))
                    {
                        throw new UsageException("--method-options needs settings such as inf,torch, got an empty value; leave the option out for none.");
                    }

                    (SweepDefinition sweep, IReadOnlyList<IGradientClipper> clippers) = SweepSpec.Parse(text, options);
                    var config = new ExperimentConfig
                    {
                        Seed = parsed.GetValue(seed),
                        Steps = parsed.GetValue(steps),
                        BatchSize = parsed.GetValue(batchSize),
                        LearningRate = parsed.GetValue(learningRate),
                        EvalEvery = parsed.GetValue(evalEvery),
                        EvalBatchSize = parsed.GetValue(evalBatchSize),
                        EpsilonPlacement = parsed.GetValue(epsilon),
                        NonFinitePolicy = ParseNonFinitePolicy(parsed.GetValue(nonFinite)),
                        Threads = parsed.GetValue(threads),
                        Dataset = DatasetOption.Parse(parsed.GetValue(dataset)).Kind,
                    };
                    request = new CompareRequest(config, [new NoClipping(), .. clippers], dataDirectory, outputDirectory)
                    {
                        TensorBoardDirectory = parsed.GetValue(tensorBoard),
                        Command = "sweep",
                        Seeds = RunOptions.SeedList(config.Seed, parsed.GetValue(seeds)),
                        Sweep = sweep,
                    };
                }
            }
            catch (UsageException error)
            {
                Console.Error.WriteLine($"error: {error.Message}");
                return ExitCodes.InvalidUsage;
            }

            return CompareRunner.Run(request);
        });

        return command;
    }

    private static NonFinitePolicy ParseNonFinitePolicy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "stop" => NonFinitePolicy.Stop,
        "skip" => NonFinitePolicy.SkipStep,
        "propagate" => NonFinitePolicy.Propagate,
        _ => throw new UsageException($"--non-finite must be stop, skip or propagate, got '{value}'."),
    };

    private static string? RequireNotBlank(string? value, string option) =>
        value is not null && string.IsNullOrWhiteSpace(value)
            ? throw new UsageException($"{option} needs a folder path, got an empty value.")
            : value;
}
