using System.CommandLine;
using ClipLab.Optimizers;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>
/// The options that `compare` and `sweep` share: data and output folders, every training
/// setting with its default and limit, threads, TensorBoard output and --config.
/// </summary>
internal sealed class TrainingOptions
{
    // Upper limits that keep memory bounded: per-step records cost about 200 bytes each.
    private const int MaxSteps = 1_000_000;
    private const int MaxBatchSize = 4096;
    private const int MaxThreads = 256;

    /// <summary>Creates the options; <paramref name="runNoun"/> ("variant" or "run") completes the help of --steps.</summary>
    public TrainingOptions(string runNoun)
    {
        var defaults = new ExperimentConfig();
        Data = new Option<string?>("--data") { Description = "Folder with the four MNIST IDX files (gzip or raw). Default: $CLIPLAB_DATA, else the cache folder, downloading into it when empty." };
        Output = new Option<string>("--out") { Description = "Folder in which the run folder is created.", DefaultValueFactory = _ => "runs" };
        Seed = NumberOptions.Seed("--seed", "Seed of initialisation and data order (the first seed with --seeds).", defaults.Seed);
        Seeds = RunOptions.Seeds();
        Steps = NumberOptions.Int("--steps", $"Training iterations per {runNoun}.", defaults.Steps, 1, MaxSteps);
        BatchSize = NumberOptions.Int("--batch-size", $"Training images per iteration (at most {MaxBatchSize}: training memory grows by about 0.5 MB per image).", defaults.BatchSize, 1, MaxBatchSize);
        LearningRate = NumberOptions.Positive("--lr", "Adam learning rate.", defaults.LearningRate);
        EvalEvery = NumberOptions.Int("--eval-every", "Measure a validation batch after every N-th update (iterations 0, N, 2N, ...).", defaults.EvalEvery, 1, MaxSteps);
        EvalBatchSize = NumberOptions.Int("--eval-batch-size", "Images per validation batch (at most 5000, the validation split).", defaults.EvalBatchSize, 1, 5000);
        Epsilon = ChoiceOption.Create(
            "--adam-epsilon",
            "Where Adam adds epsilon: tensorflow (TensorFlow 1's placement, the reference) or pytorch.",
            defaults.EpsilonPlacement,
            new Dictionary<string, EpsilonPlacement> { ["tensorflow"] = EpsilonPlacement.TensorFlow, ["pytorch"] = EpsilonPlacement.PyTorch });
        NonFinite = ChoiceOption.Create(
            "--non-finite",
            "What a step with a NaN or infinite loss or gradient does: stop (end that run and name the iteration and parameter), "
                + "skip (leave weights and Adam state unchanged and go on) or propagate (clip and update anyway, as PyTorch does).",
            defaults.NonFinitePolicy,
            new Dictionary<string, NonFinitePolicy> { ["stop"] = NonFinitePolicy.Stop, ["skip"] = NonFinitePolicy.SkipStep, ["propagate"] = NonFinitePolicy.Propagate });
        Threads = NumberOptions.Int("--threads", $"Worker threads (at most {MaxThreads}); results are bitwise the same for any count.", defaults.Threads, 1, MaxThreads);
        Dataset = DatasetOption.Create();
        TensorBoard = new Option<string?>("--tensorboard")
        {
            HelpName = "DIR",
            Description = "Also write TensorBoard event files: DIR/RUN/VARIANT/events.out.tfevents.* (in seed-S folders with --seeds), with per-step training loss, "
                + "gradient norms and clipped share, and the validation and test loss and accuracy.",
        };
        ConfigFile = RunOptions.ConfigFile();
    }

    public Option<string?> Data { get; }

    public Option<string> Output { get; }

    public Option<ulong> Seed { get; }

    public Option<int> Seeds { get; }

    public Option<int> Steps { get; }

    public Option<int> BatchSize { get; }

    public Option<double> LearningRate { get; }

    public Option<int> EvalEvery { get; }

    public Option<int> EvalBatchSize { get; }

    public Option<EpsilonPlacement> Epsilon { get; }

    public Option<NonFinitePolicy> NonFinite { get; }

    public Option<int> Threads { get; }

    public Option<string> Dataset { get; }

    public Option<string?> TensorBoard { get; }

    public Option<string?> ConfigFile { get; }

    /// <summary>The options that set training and so cannot be combined with --config.</summary>
    public IReadOnlyList<Option> Settings => [Seed, Seeds, Steps, BatchSize, LearningRate, EvalEvery, EvalBatchSize, Epsilon, NonFinite, Dataset];

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Data, Output, Seed, Seeds, Steps, BatchSize, LearningRate, EvalEvery, EvalBatchSize, Epsilon, NonFinite, Threads, Dataset, TensorBoard, ConfigFile })
        {
            command.Add(option);
        }
    }

    /// <summary>Returns the training settings of the command line.</summary>
    /// <exception cref="UsageException">--dataset names no known data set.</exception>
    public ExperimentConfig ReadConfig(ParseResult parsed) => new()
    {
        Seed = parsed.GetValue(Seed),
        Steps = parsed.GetValue(Steps),
        BatchSize = parsed.GetValue(BatchSize),
        LearningRate = parsed.GetValue(LearningRate),
        EvalEvery = parsed.GetValue(EvalEvery),
        EvalBatchSize = parsed.GetValue(EvalBatchSize),
        EpsilonPlacement = parsed.GetValue(Epsilon),
        NonFinitePolicy = parsed.GetValue(NonFinite),
        Threads = parsed.GetValue(Threads),
        Dataset = DatasetOption.Parse(parsed.GetValue(Dataset)).Kind,
    };

    /// <summary>The --data folder, or null when not given.</summary>
    /// <exception cref="UsageException">--data was given as an empty value.</exception>
    public string? DataDirectory(ParseResult parsed) => UsageChecks.RequirePath(parsed.GetValue(Data), "--data");

    /// <summary>The --out folder.</summary>
    /// <exception cref="UsageException">--out was given as an empty value.</exception>
    public string OutputDirectory(ParseResult parsed) => UsageChecks.RequirePath(parsed.GetValue(Output), "--out") ?? "runs";
}
