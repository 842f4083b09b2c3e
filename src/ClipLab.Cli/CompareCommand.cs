using System.CommandLine;
using System.Globalization;
using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Optimizers;
using ClipLab.Randomness;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>The `compare` command: trains one model per clipping variant with the same seed and data order, then writes the run folder.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var defaults = new ExperimentConfig();
        var data = new Option<string?>("--data") { Description = "Folder with the four MNIST IDX files (gzip or raw). Default: $CLIPLAB_DATA, else the cache folder, downloading into it when empty." };
        var output = new Option<string>("--out") { Description = "Folder in which the run folder is created.", DefaultValueFactory = _ => "runs" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialisation and data order.", DefaultValueFactory = _ => defaults.Seed };
        var steps = new Option<int>("--steps") { Description = "Training iterations per variant.", DefaultValueFactory = _ => defaults.Steps };
        var batchSize = new Option<int>("--batch-size") { Description = "Training images per iteration.", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var evalEvery = new Option<int>("--eval-every") { Description = "Measure a validation batch after every N-th update (iterations 0, N, 2N, ...).", DefaultValueFactory = _ => defaults.EvalEvery };
        var evalBatchSize = new Option<int>("--eval-batch-size") { Description = "Images per validation batch (at most 5000, the validation split).", DefaultValueFactory = _ => defaults.EvalBatchSize };
        var clipValue = new Option<float>("--clip-value") { Description = "Limit L of the clipped variant, which clips every gradient component into [-L, L].", DefaultValueFactory = _ => 0.001f };
        var variants = new Option<string[]>("--variants")
        {
            Description = "Clipping methods to compare, replacing the default pair 'none value:L'. Methods:\n  " + string.Join("\n  ", ClipMethod.Descriptions),
            AllowMultipleArgumentsPerToken = true,
        };
        var epsilon = new Option<EpsilonPlacement>("--adam-epsilon") { Description = "Where Adam adds epsilon: TensorFlow (TensorFlow 1, the reference) or PyTorch.", DefaultValueFactory = _ => defaults.EpsilonPlacement };
        var nonFinite = new Option<string>("--non-finite")
        {
            HelpName = "stop|skip|propagate",
            Description = "What a step with a NaN or infinite loss or gradient does: stop (end that variant's run and name the iteration and parameter), "
                + "skip (leave weights and Adam state unchanged and go on) or propagate (clip and update anyway, as PyTorch does).",
            DefaultValueFactory = _ => "stop",
        };
        var threads = new Option<int>("--threads") { Description = "Worker threads; results are bitwise the same for any count.", DefaultValueFactory = _ => defaults.Threads };
        Option<string> dataset = DatasetOption.Create();
        var tensorBoard = new Option<string?>("--tensorboard")
        {
            Description = "Also write TensorBoard event files: DIR/RUN/VARIANT/events.out.tfevents.*, with per-step training loss, gradient norms and clipped share, and the validation and test loss and accuracy.",
        };

        var command = new Command("compare", "Train LeNet-5 on MNIST or Fashion-MNIST without and with gradient clipping and compare the runs.")
        {
            data, output, seed, steps, batchSize, learningRate, evalEvery, evalBatchSize, clipValue, variants, epsilon, nonFinite, threads, dataset, tensorBoard,
        };

        command.SetAction(parsed =>
        {
            CompareRequest request;
            try
            {
                var config = new ExperimentConfig
                {
                    Seed = parsed.GetValue(seed),
                    Steps = RequirePositive(parsed.GetValue(steps), "--steps"),
                    BatchSize = RequirePositive(parsed.GetValue(batchSize), "--batch-size"),
                    LearningRate = RequirePositiveFinite(parsed.GetValue(learningRate), "--lr"),
                    EvalEvery = RequirePositive(parsed.GetValue(evalEvery), "--eval-every"),
                    EvalBatchSize = RequireAtMost(RequirePositive(parsed.GetValue(evalBatchSize), "--eval-batch-size"), 5000, "--eval-batch-size", "the validation split holds 5000 images"),
                    EpsilonPlacement = parsed.GetValue(epsilon),
                    NonFinitePolicy = ParseNonFinitePolicy(parsed.GetValue(nonFinite)),
                    Threads = RequirePositive(parsed.GetValue(threads), "--threads"),
                    Dataset = DatasetOption.Parse(parsed.GetValue(dataset)).Kind,
                };
                RequireAtMost(config.BatchSize, 55000, "--batch-size", "the training split holds 55000 images");
                IReadOnlyList<IGradientClipper> clippers = ParseVariants(
                    parsed.GetValue(variants), parsed.GetValue(clipValue), parsed.GetResult(clipValue) is { Implicit: false });
                request = new CompareRequest(config, clippers, parsed.GetValue(data), parsed.GetValue(output)!)
                {
                    TensorBoardDirectory = parsed.GetValue(tensorBoard),
                };
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

    private static IReadOnlyList<IGradientClipper> ParseVariants(string[]? specs, float clipValue, bool clipValueGiven)
    {
        if (specs is { Length: > 0 } && clipValueGiven)
        {
            throw new UsageException("--clip-value and --variants cannot be combined; write the limit into the variant, for example --variants none value:0.001.");
        }

        if (specs is null || specs.Length == 0)
        {
            if (!(clipValue > 0) || !float.IsFinite(clipValue))
            {
                throw new UsageException($"--clip-value must be a positive finite number, got {clipValue.ToString(CultureInfo.InvariantCulture)}.");
            }

            specs = ["none", $"value:{clipValue.ToString("R", CultureInfo.InvariantCulture)}"];
        }

        var clippers = new List<IGradientClipper>();
        foreach (string spec in specs)
        {
            try
            {
                clippers.Add(ClipMethod.Parse(spec));
            }
            catch (Exception error) when (error is FormatException or ArgumentException)
            {
                throw new UsageException($"--variants: {FirstLine(error.Message)}");
            }
        }

        // settings that depend on the model, such as AGC's excluded layers, are checked before any data is loaded
        IReadOnlyList<Parameter> parameters = LeNet5.Create(new Rng(0)).Parameters;
        foreach (IGradientClipper clipper in clippers)
        {
            try
            {
                clipper.Validate(parameters);
            }
            catch (ArgumentException error)
            {
                throw new UsageException($"--variants: {FirstLine(error.Message)}");
            }
        }

        string? duplicate = clippers.GroupBy(c => c.Spec).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new UsageException($"--variants names '{duplicate}' twice; list each method once.");
        }

        return clippers;
    }

    private static NonFinitePolicy ParseNonFinitePolicy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "stop" => NonFinitePolicy.Stop,
        "skip" => NonFinitePolicy.SkipStep,
        "propagate" => NonFinitePolicy.Propagate,
        _ => throw new UsageException($"--non-finite must be stop, skip or propagate, got '{value}'."),
    };

    private static int RequirePositive(int value, string option) =>
        value > 0 ? value : throw new UsageException($"{option} must be at least 1, got {value}.");

    private static double RequirePositiveFinite(double value, string option) =>
        value > 0 && double.IsFinite(value)
            ? value
            : throw new UsageException($"{option} must be a positive finite number, got {value.ToString(CultureInfo.InvariantCulture)}.");

    private static int RequireAtMost(int value, int max, string option, string reason) =>
        value <= max ? value : throw new UsageException($"{option} must be at most {max} because {reason}, got {value}.");

    // ArgumentException appends " (Parameter 'x')" and the actual value on extra lines.
    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
