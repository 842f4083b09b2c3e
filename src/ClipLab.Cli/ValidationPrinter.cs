using ClipLab.Reporting;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli;

/// <summary>
/// Receives a variant's measurements while it trains: appends each validation point to
/// metrics.csv (flushed, so an interrupted run keeps it), prints its log line, and advances the
/// progress bar.
/// </summary>
internal sealed class ValidationPrinter(MetricsCsvAppender metrics, ProgressTask? progressTask) : ITrainingObserver
{
    public void OnStep(StepRecord step)
    {
        progressTask?.Increment(1);
    }

    public void OnValidation(ValidationPoint point)
    {
        metrics.Append(point);
        string line = ValidationLogFormatter.Format(point);
        if (progressTask is null)
        {
            Console.Out.WriteLine(line);
        }
        else
        {
            // written through Spectre so the live progress bar stays below the log
            AnsiConsole.Console.WriteLine(line);
        }
    }
}
