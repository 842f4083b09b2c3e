using System.Globalization;
using ClipLab.Checkpoints;
using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Reporting;
using ClipLab.Reporting.TensorBoard;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli;

/// <summary>Runs a validated `compare` request: data, run folder, one training run per variant, outputs.</summary>
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

        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // the first Ctrl+C stops after the current step; a second one ends the process at once
            if (!interrupt.IsCancellationRequested)
            {
                e.Cancel = true;
                interrupt.Cancel();
                Console.Error.WriteLine("Interrupted: finishing the current step and writing what was measured...");
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            MnistDataset? data = DataLoader.Load(request.DataDirectory, DatasetDefinition.Get(request.Config.Dataset), interrupt.Token);
            if (data is null)
            {
                return ExitCodes.RuntimeFailure;
            }

            if (!FitsData(request.Config, data))
            {
                return ExitCodes.InvalidUsage;
            }

            Trainer.Validate(request.Config, data);
            RunFolder run = RunFolder.Create(request.OutputDirectory, "compare");
            Console.Out.WriteLine($"Run folder: {run.FullPath}");

            List<VariantResult> results = TrainVariants(request, data, run, interrupt.Token);
            IReadOnlyList<string> written = RunWriter.WriteAll(run, request.Config, results);
            PrintSummary(results);
            Console.Out.WriteLine($"Report: {Path.Combine(run.FullPath, RunFileNames.ReportMarkdown)} ({written.Count} files written)");

            if (interrupt.IsCancellationRequested)
            {
                Console.Error.WriteLine("The run was interrupted; the report covers what finished and marks the rest incomplete.");
                return ExitCodes.RuntimeFailure;
            }

            return ExitCodes.Success;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.RuntimeFailure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static List<VariantResult> TrainVariants(CompareRequest request, MnistDataset data, RunFolder run, CancellationToken cancellationToken)
    {
        var results = new List<VariantResult>();
        bool interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        for (int index = 0; index < request.Clippers.Count; index++)
        {
            IGradientClipper clipper = request.Clippers[index];
            string name = VariantNames.FromSpec(clipper.Spec);
            Console.Out.WriteLine($"Variant {index + 1}/{request.Clippers.Count}: {clipper.Spec} (seed {request.Config.Seed})");

            VariantResult result;
            using (MetricsCsvAppender metrics = RunWriter.OpenMetricsAppender(run, name))
            using (TensorBoardObserver? tensorBoard = OpenTensorBoard(request, run, name))
            {
                if (interactive)
                {
                    result = AnsiConsole.Progress()
                        .AutoClear(true)
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .Start(context =>
                        {
                            ProgressTask task = context.AddTask(clipper.Spec, maxValue: request.Config.Steps);
                            return Trainer.Run(request.Config, data, name, clipper, Observers(new ValidationPrinter(metrics, task), tensorBoard), cancellationToken);
                        });
                }
                else
                {
                    result = Trainer.Run(request.Config, data, name, clipper, Observers(new ValidationPrinter(metrics, null), tensorBoard), cancellationToken);
                }

                tensorBoard?.WriteTest(result);
            }

            results.Add(result);
            SaveModel(request.Config, run, result);
            if (result.Failure is not null)
            {
                Console.Error.WriteLine($"{clipper.Spec}: {result.Failure}");
                bool stoppedOnNonFinite = result.Steps.Count > 0 && result.Steps[^1].Clip.NonFinite;
                if (request.Config.NonFinitePolicy == NonFinitePolicy.Stop && stoppedOnNonFinite)
                {
                    Console.Error.WriteLine("  With --non-finite skip such steps are skipped, and with --non-finite propagate they are applied as PyTorch does.");
                }
            }
            else
            {
                Console.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{clipper.Spec}: test accuracy {result.TestAccuracy:F4}, test loss {result.TestLoss:F4}, {result.WallTime.TotalSeconds:F1} s"));
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return results;
    }

    private static TensorBoardObserver? OpenTensorBoard(CompareRequest request, RunFolder run, string variantName) =>
        request.TensorBoardDirectory is null
            ? null
            : new TensorBoardObserver(Path.Combine(Path.GetFullPath(request.TensorBoardDirectory), run.Name, variantName));

    private static ITrainingObserver Observers(ITrainingObserver printer, TensorBoardObserver? tensorBoard) =>
        tensorBoard is null ? printer : new CompositeObserver(printer, tensorBoard);

    /// <summary>Writes VARIANT/model.safetensors with the weights training left, also for a run that stopped early.</summary>
    private static void SaveModel(ExperimentConfig config, RunFolder run, VariantResult result)
    {
        if (result.FinalParameters.Count == 0)
        {
            return;
        }

        string path = Path.Combine(run.CreateVariantDirectory(result.Name), RunFileNames.ModelSafetensors);
        ModelCheckpoint.Save(path, result.FinalParameters, ModelCheckpoint.CreateMetadata(config, result));
        Console.Out.WriteLine($"Model: {path}");
    }

    private static void PrintSummary(IReadOnlyList<VariantResult> results)
    {
        var table = new Table().AddColumns(
            "variant", "final val loss", "last-10 val loss", "final val acc", "last-10 val acc", "test loss", "test acc", "time (s)");
        foreach (VariantResult result in results)
        {
            ValidationPoint? last = result.Validation.Count > 0 ? result.Validation[^1] : null;
            table.AddRow(
                Markup.Escape(result.ClipMethod),
                Format(last?.Loss),
                Format(result.MeanLastLoss(10)),
                Format(last?.Accuracy),
                Format(result.MeanLastAccuracy(10)),
                Format(result.TestLoss),
                Format(result.TestAccuracy),
                result.WallTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static string Format(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

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
