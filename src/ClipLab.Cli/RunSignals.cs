using System.Runtime.InteropServices;
using Spectre.Console;

namespace ClipLab.Cli;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM (kill, timeout, docker stop) into a request to stop
/// training after the current step, so that the run keeps what it measured and still writes its
/// report.
/// </summary>
/// <remarks>
/// The first signal cancels <see cref="Token"/> and prints a line saying what happens next.
/// Every later signal is ignored with a line that reports whether training is stopping or the report is
/// being written, so a second Ctrl+C cannot cut the report short. SIGKILL cannot be caught and
/// still ends the process at once; metrics.csv and steps.csv are flushed row by row, so they
/// survive it. While registered, the handlers replace the runtime's default handling of both
/// signals.
/// </remarks>
internal sealed class RunSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly bool _interactive;
    private readonly object _gate = new();
    private bool _writingReport;

    /// <param name="interactive">True when a Spectre live display may be on screen, so messages go through Spectre to stay visible above it.</param>
    public RunSignals(bool interactive)
    {
        _interactive = interactive;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>True once a signal arrived.</summary>
    public bool Interrupted => _cancellation.IsCancellationRequested;

    /// <summary>Name of the first signal received ("SIGINT" or "SIGTERM"), or null.</summary>
    public string? SignalName { get; private set; }

    /// <summary>Marks the end of training: from now on every signal only prints "writing the report, please wait".</summary>
    public void BeginWritingReport()
    {
        lock (_gate)
        {
            _writingReport = true;
        }
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // cancelling the context keeps the runtime from ending the process
        context.Cancel = true;
        string message;
        lock (_gate)
        {
            if (_writingReport)
            {
                message = $"{context.Signal}: writing the report, please wait. To end at once, send SIGKILL (kill -KILL {Environment.ProcessId}).";
            }
            else if (!_cancellation.IsCancellationRequested)
            {
                SignalName = context.Signal.ToString();
                _cancellation.Cancel();
                message = $"Interrupted ({context.Signal}): finishing the current step, then writing the report for what was measured...";
            }
            else
            {
                message = $"{context.Signal}: still finishing the current step; the report follows. To end at once, send SIGKILL (kill -KILL {Environment.ProcessId}).";
            }
        }

        Print(message);
    }

    private void Print(string message)
    {
        if (_interactive)
        {
            // through Spectre, so the line appears above the live progress display instead of under it
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
        }
        else
        {
            Console.Error.WriteLine(message);
        }
    }
}
