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
    // Upper limits that keep memory bounded: per-step records cost about 200 bytes each.
    private const int MaxSteps = 1_000_000;
    private const int MaxBatchSize = 4096;
    private const int MaxThreads = 256;

    public static Command Create()
    {
        var defaults = new ExperimentConfig();
        var data = new Option<string?>("--data") { Description = "Folder with the four MNIST IDX files (gzip or raw). Default: $CLIPLAB_DATA, else the cache folder, downloading into it when empty." };
        var output = new Option<string>("--out") { Description = "Folder in which the run folder is created.", DefaultValueFactory = _ => "runs" };
        var seed = NumberOptions.Seed("--seed", "Seed of initialisation and data order.", defaults.Seed);
        var steps = NumberOptions.Int("--steps", "Training iterations per variant.", defaults.Steps, 1, MaxSteps);
        var batchSize = NumberOptions.Int("--batch-size", $"Training images per iteration (at most {MaxBatchSize}: training memory grows by about 0.5 MB per image).", defaults.BatchSize, 1, MaxBatchSize);
        var learningRate = NumberOptions.Positive("--lr", "Adam learning rate.", defaults.LearningRate);
        var evalEvery = NumberOptions.Int("--eval-every", "Measure a validation batch after every N-th update (iterations 0, N, 2N, ...).", defaults.EvalEvery, 1, MaxSteps);
        var evalBatchSize = NumberOptions.Int("--eval-batch-size", "Images per validation batch (at most 5000, the validation split).", defaults.EvalBatchSize, 1, 5000);
        var clipValue = NumberOptions.Positive("--clip-value", "Limit L of the clipped variant, which clips every gradient component into [-L, L].", 0.001, asFloat: true);
        var variants = new Option<string[]>("--variants")
        {
            Description = "Clipping methods to compare, replacing the default pair 'none value:L'. Methods:\n  " + string.Join("\n  ", ClipMethod.Descriptions),
            AllowMultipleArgumentsPerToken = true,
        };
        var epsilon = ChoiceOption.Create(
            "--adam-epsilon",
            "Where Adam adds epsilon: tensorflow (TensorFlow 1's placement, the reference) or pytorch.",
            defaults.EpsilonPlacement,
            new Dictionary<string, EpsilonPlacement> { ["tensorflow"] = EpsilonPlacement.TensorFlow, ["pytorch"] = EpsilonPlacement.PyTorch });
        var nonFinite = new Option<string>("--non-finite")
        {
            HelpName = "stop|skip|propagate",
            Description = "What a step with a NaN or infinite loss or gradient does: stop (end that variant's run and name the iteration and parameter), "
                + "skip (leave weights and Adam state unchanged and go on) or propagate (clip and update anyway, as PyTorch does).",
            DefaultValueFactory = _ => "stop",
        };
        var threads = NumberOptions.Int("--threads", $"Worker threads (at most {MaxThreads}); results are bitwise the same for any count.", defaults.Threads, 1, MaxThreads);
        Option<string> dataset = DatasetOption.Create();
        var tensorBoard = new Option<string?>("--tensorboard")
        {
            HelpName = "DIR",
            Description = "Also write TensorBoard event files: DIR/RUN/VARIANT/events.out.tfevents.*, with per-step training loss, gradient norms and clipped share, and the validation and test loss and accuracy.",
        };

        var command = new Command("compare", "Train LeNet-5 on MNIST or Fashion-MNIST without and with gradient clipping and compare the runs.")
        {
            data, output, seed, steps, batchSize, learningRate, evalEvery, evalBatchSize, clipValue, variants, epsilon, nonFinite, threads, dataset, tensorBoard,
        };
        Option<int> seeds = RunOptions.Seeds();
        Option<string?> configFile = RunOptions.ConfigFile();
        command.Add(seeds);
        command.Add(configFile);

        command.SetAction(parsed =>
        {
            CompareRequest request;
            try
            {
                if (parsed.GetValue(configFile) is string configPath)
                {
                    request = RunOptions.FromConfig(
                        parsed, configPath, "compare",
                        [seed, seeds, steps, batchSize, learningRate, evalEvery, evalBatchSize, clipValue, variants, epsilon, nonFinite, dataset],
                        RequireNotBlank(parsed.GetValue(data), "--data"), RequireNotBlank(parsed.GetValue(output), "--out")!, threads, parsed.GetValue(tensorBoard));
                    return CompareRunner.Run(request);
                }

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
                string? dataDirectory = RequireNotBlank(parsed.GetValue(data), "--data");
                string outputDirectory = RequireNotBlank(parsed.GetValue(output), "--out")!;
                IReadOnlyList<IGradientClipper> clippers = ParseVariants(
                    parsed.GetValue(variants), (float)parsed.GetValue(clipValue), parsed.GetResult(clipValue) is { Implicit: false });
                request = new CompareRequest(config, clippers, dataDirectory, outputDirectory)
                {
                    TensorBoardDirectory = parsed.GetValue(tensorBoard),
                    Seeds = RunOptions.SeedList(config.Seed, parsed.GetValue(seeds)),
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

    /// <summary>Returns <paramref name="value"/>, or throws when the option was given as an empty or blank string.</summary>
    private static string? RequireNotBlank(string? value, string option) =>
        value is not null && string.IsNullOrWhiteSpace(value)
            ? throw new UsageException($"{option} needs a folder path, got an empty value.")
            : value;

    // ArgumentException appends " (Parameter 'x')" to the first line and the actual value on the next.
    private static string FirstLine(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message.Split('\n')[0], @"\s*\(Parameter '[^']*'\)$", "").Trim();
}
