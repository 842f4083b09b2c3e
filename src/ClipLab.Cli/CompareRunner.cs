using System.Globalization;
using ClipLab.Checkpoints;
using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Reporting;
using ClipLab.Reporting.TensorBoard;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli;

/// <summary>
/// Runs a validated `compare` or `sweep` request: data, run folder and config.json, one training
/// run per seed and variant, then the report for what finished.
/// </summary>
/// <remarks>
/// Seeds run in the outer loop and variants in the inner one, so a run interrupted part way has
/// the same seeds for every variant. SIGINT and SIGTERM stop training after the current step;
/// the runs not yet started are reported as "not run". The exit code is 1 when the run was
/// interrupted or any run did not complete (a divergence under --non-finite stop), else 0.
/// </remarks>
internal static class CompareRunner
{
    public static int Run(CompareRequest request)
    {
        // the output folder is checked before any data is loaded or any step trained
        try
        {
            RunFolder.EnsureWritable(request.OutputDirectory);
            if (request.TensorBoardDirectory is not null)
            {
                RunFolder.EnsureWritable(request.TensorBoardDirectory);
            }
        }
        catch (IOException error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.RuntimeFailure;
        }

        bool interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        using var signals = new RunSignals(interactive);
        try
        {
            DatasetDefinition dataset = DatasetDefinition.Get(request.Config.Dataset);
            MnistDataset? data = DataLoader.Load(request.DataDirectory, dataset, signals.Token);
            if (data is null)
            {
                return ExitCodes.RuntimeFailure;
            }

            if (!FitsData(request.Config, data))
            {
                return ExitCodes.InvalidUsage;
            }

            Trainer.Validate(request.Config, data);
            IReadOnlyDictionary<string, string> checksums = DataChecksums.Compute(request.DataDirectory, dataset);
            if (request.ExpectedDataSha256 is not null)
            {
                foreach (string difference in DataChecksums.Compare(request.ExpectedDataSha256, checksums))
                {
                    Console.Error.WriteLine($"warning: the data differ from the recorded run, so the metrics will too: {difference}");
                }
            }

            RunFolder run = RunFolder.Create(request.OutputDirectory, request.Command);
            Console.Out.WriteLine($"Run folder: {run.FullPath}");
            RunConfigFile.Write(run.GetPath(RunFileNames.ConfigJson), new RunConfiguration(
                request.Command,
                request.Config with { Seed = request.SeedList[0] },
                request.Clippers.Select(clipper => clipper.Spec).ToArray(),
                request.SeedList,
                checksums,
                RunConfigFile.CurrentClipLabVersion,
                RunConfigFile.CurrentDotNetVersion)
            {
                Sweep = request.Sweep,
            });

            RunResults results = TrainAll(request, data, run, signals, interactive);
            signals.BeginWritingReport();
            if (results.Interrupted)
            {
                Console.Error.WriteLine("Training stopped; writing the report for what finished, please wait...");
            }
            else if (signals.Interrupted)
            {
                Console.Error.WriteLine($"Every run had finished training before {signals.SignalName}; writing the complete report, please wait...");
            }

            IReadOnlyList<string> written = RunWriter.WriteAll(run, results);
            ConsoleSummary.Print(results, interactive);
            Console.Out.WriteLine($"Report: {Path.Combine(run.FullPath, RunFileNames.ReportMarkdown)} and {RunFileNames.ReportHtml} ({written.Count} files written)");

            if (results.Interrupted)
            {
                Console.Error.WriteLine($"The run was interrupted ({signals.SignalName}); the report covers what finished and marks the run incomplete.");
                return ExitCodes.RuntimeFailure;
            }

            if (!results.Completed)
            {
                Console.Error.WriteLine("Some runs did not complete (see the status column); exit code 1.");
                return ExitCodes.RuntimeFailure;
            }

            return ExitCodes.Success;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    private static RunResults TrainAll(CompareRequest request, MnistDataset data, RunFolder run, RunSignals signals, bool interactive)
    {
        IReadOnlyList<ulong> seeds = request.SeedList;
        var results = request.Clippers.Select(_ => new VariantResult?[seeds.Count]).ToArray();
        IReadOnlyList<string> parameterNames = ClipLab.Layers.LeNet5.Create(new ClipLab.Randomness.Rng(0)).Parameters.Select(p => p.Name).ToArray();

        void TrainEach(Func<int, int, ProgressTask?> taskOf)
        {
            for (int s = 0; s < seeds.Count && !signals.Interrupted; s++)
            {
                for (int v = 0; v < request.Clippers.Count && !signals.Interrupted; v++)
                {
                    results[v][s] = TrainOne(request, data, run, v, s, parameterNames, taskOf(v, s), signals.Token);
                }
            }
        }

        if (interactive)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(
                    new TaskDescriptionColumn(),
                    new ProgressBarColumn(),
                    new ProgressColumns.Iteration(),
                    new ProgressColumns.Loss(),
                    new ElapsedTimeColumn(),
                    new RemainingTimeColumn())
                .Start(context =>
                {
                    // one bar per variant and seed, created up front so the whole plan is visible
                    var tasks = request.Clippers
                        .Select(clipper => seeds.Select(seed => context.AddTask(
                            Markup.Escape($"{clipper.Spec} {RunOptions.SeedLabel(seed)}"), autoStart: false, maxValue: request.Config.Steps)).ToArray())
                        .ToArray();
                    TrainEach((v, s) => tasks[v][s]);
                });
        }
        else
        {
            TrainEach((_, _) => null);
        }

        var variants = request.Clippers
            .Select((clipper, v) => new VariantRuns(VariantNames.FromSpec(clipper.Spec), clipper.Spec, results[v]))
            .ToList();
        // a signal after the last step stopped nothing, so the run is not marked interrupted
        bool cutShort = results.Any(runs => runs.Any(result => VariantRuns.StatusOf(result) is RunStatus.Interrupted or RunStatus.NotRun));
        return new RunResults(request.Command, request.Config with { Seed = seeds[0] }, seeds, variants)
        {
            Interrupted = signals.Interrupted && cutShort,
            Sweep = request.Sweep,
        };
    }

    private static VariantResult TrainOne(
        CompareRequest request, MnistDataset data, RunFolder run, int variantIndex, int seedIndex,
        IReadOnlyList<string> parameterNames, ProgressTask? task, CancellationToken cancellationToken)
    {
        IReadOnlyList<ulong> seeds = request.SeedList;
        IGradientClipper clipper = request.Clippers[variantIndex];
        ulong seed = seeds[seedIndex];
        string name = VariantNames.FromSpec(clipper.Spec);
        ExperimentConfig config = request.Config with { Seed = seed };
        string relativePath = RunLayout.RelativeRunPath(name, seed, seeds.Count);
        string directory = RunLayout.CreateRunDirectory(run, name, seed, seeds.Count);
        string label = $"{clipper.Spec} {RunOptions.SeedLabel(seed)}";
        string header = string.Create(
            CultureInfo.InvariantCulture,
            $"Variant {variantIndex + 1}/{request.Clippers.Count}: {clipper.Spec} (seed {seed}, {seedIndex + 1} of {seeds.Count})");
        if (task is null)
        {
            Console.Out.WriteLine(header);
        }
        else
        {
            AnsiConsole.Console.WriteLine(header);
            task.StartTask();
        }

        VariantResult result;
        using (MetricsCsvAppender metrics = MetricsCsvAppender.Create(Path.Combine(directory, RunFileNames.MetricsCsv)))
        using (StepsCsvAppender steps = StepsCsvAppender.Create(Path.Combine(directory, RunFileNames.StepsCsv), parameterNames))
        using (TensorBoardObserver? tensorBoard = OpenTensorBoard(request, run, relativePath))
        {
            var recorder = new StepRecorder(steps, task, label, config.Steps);
            ITrainingObserver observer = Observers(new CompositeObserver(recorder, new ValidationPrinter(metrics, task)), tensorBoard);
            result = Trainer.Run(config, data, name, clipper, observer, cancellationToken);
            tensorBoard?.WriteTest(result);
        }

        task?.StopTask();
        if (SaveModel(config, directory, result) is string modelPath)
        {
            Print(task, $"Model: {modelPath}", error: false);
        }

        if (result.Failure is not null)
        {
            Print(task, $"{label}: {result.Failure}", error: true);
            // skipping or applying steps helps only when a step was non-finite, not a validation or the test set
            bool lastStepNonFinite = result.Steps.Count > 0 && result.Steps[^1].Clip.NonFinite;
            if (config.NonFinitePolicy == NonFinitePolicy.Stop && VariantRuns.StatusOf(result) == RunStatus.Diverged && lastStepNonFinite)
            {
                Print(task, "  With --non-finite skip such steps are skipped, and with --non-finite propagate they are applied as PyTorch does. The other variants go on.", error: true);
            }
        }
        else
        {
            Print(task, string.Create(
                CultureInfo.InvariantCulture,
                $"{label}: test accuracy {result.TestAccuracy:F4}, test loss {result.TestLoss:F4}, {result.WallTime.TotalSeconds:F1} s"), error: false);
        }

        return result;
    }

    private static void Print(ProgressTask? task, string line, bool error)
    {
        if (task is not null)
        {
            // through Spectre, so the live progress bars stay below the log
            AnsiConsole.Console.WriteLine(line);
        }
        else if (error)
        {
            Console.Error.WriteLine(line);
        }
        else
        {
            Console.Out.WriteLine(line);
        }
    }

    private static TensorBoardObserver? OpenTensorBoard(CompareRequest request, RunFolder run, string variantName) =>
        request.TensorBoardDirectory is null
            ? null
            : new TensorBoardObserver(Path.Combine(Path.GetFullPath(request.TensorBoardDirectory), run.Name, variantName));

    private static ITrainingObserver Observers(ITrainingObserver printer, TensorBoardObserver? tensorBoard) =>
        tensorBoard is null ? printer : new CompositeObserver(printer, tensorBoard);

    /// <summary>Writes model.safetensors into the run's folder with the weights training left, also for a run that stopped early; returns its path, or null when there are no weights.</summary>
    private static string? SaveModel(ExperimentConfig config, string directory, VariantResult result)
    {
        if (result.FinalParameters.Count == 0)
        {
            return null;
        }

        string path = Path.Combine(directory, RunFileNames.ModelSafetensors);
        ModelCheckpoint.Save(path, result.FinalParameters, ModelCheckpoint.CreateMetadata(config, result));
        return path;
    }

    /// <summary>Checks the batch sizes against the loaded splits, naming the options; prints and returns false when one is too large.</summary>
    private static bool FitsData(ExperimentConfig config, MnistDataset data)
    {
        if (config.BatchSize > data.Train.Count)
        {
            Console.Error.WriteLine($"error: --batch-size {config.BatchSize} exceeds the {data.Train.Count} training images.");
            return false;
        }

        if (config.EvalBatchSize > data.Validation.Count)
        {
            Console.Error.WriteLine($"error: --eval-batch-size {config.EvalBatchSize} exceeds the {data.Validation.Count} validation images.");
            return false;
        }

        return true;
    }
}
