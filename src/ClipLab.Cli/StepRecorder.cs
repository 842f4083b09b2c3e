using System.Diagnostics;
using System.Globalization;
using ClipLab.Reporting;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli;

/// <summary>
/// Receives every training step of one run: appends it to steps.csv (flushed, so a killed run
/// keeps it), records the loss for the progress bar, and without a terminal prints a plain
/// progress line at every tenth of the run, at most one every 2 seconds.
/// </summary>
internal sealed class StepRecorder(StepsCsvAppender steps, ProgressTask? progressTask, string label, int totalSteps) : ITrainingObserver
{
    private const double MinSecondsBetweenLines = 2;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _lastLineSeconds;
    private int _nextReport = Math.Max(1, totalSteps / 10);

    public void OnStep(StepRecord step)
    {
        steps.Append(step);
        if (progressTask is not null)
        {
            progressTask.State.Update<double>(ProgressColumns.LossKey, _ => step.Loss);
            return;
        }

        // at every tenth of the run, but at most one line per MinSecondsBetweenLines, so short runs stay quiet
        int done = step.Iteration + 1;
        if (done >= _nextReport && _clock.Elapsed.TotalSeconds - _lastLineSeconds >= MinSecondsBetweenLines)
        {
            _nextReport = done + Math.Max(1, totalSteps / 10);
            _lastLineSeconds = _clock.Elapsed.TotalSeconds;
            double elapsed = _clock.Elapsed.TotalSeconds;
            double left = elapsed / done * (totalSteps - done);
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"progress {label}: iter {done}/{totalSteps}  loss {step.Loss:F4}  {elapsed:F1} s elapsed, about {left:F0} s left"));
        }
    }
}
