using System.Text;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes <c>steps.csv</c> row by row while a variant trains, so that a run stopped by a signal
/// or killed outright keeps the diagnostics of every step so far. The format is that of
/// <see cref="MetricsCsvWriter.WriteSteps(string, IReadOnlyList{StepRecord}, IReadOnlyList{string})"/>.
/// </summary>
/// <remarks>
/// The header is written and flushed when the file is created, and every
/// <see cref="Append(StepRecord)"/> writes one complete row and flushes it to the operating
/// system, so after each call the file contains whole rows only, even if the process is killed
/// (SIGKILL) right after. Rows are not forced to the disk itself (no fsync), so a power failure
/// can lose the last rows. Not thread-safe: call <see cref="Append"/> from one thread at a time.
/// </remarks>
public sealed class StepsCsvAppender : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly int _parameterCount;
    private bool _disposed;

    private StepsCsvAppender(string fullPath, StreamWriter writer, int parameterCount)
    {
        FullPath = fullPath;
        _writer = writer;
        _parameterCount = parameterCount;
    }

    /// <summary>Absolute path of the file being written.</summary>
    public string FullPath { get; }

    /// <summary>Number of rows appended so far, not counting the header.</summary>
    public int RowCount { get; private set; }

    /// <summary>Creates the file, writes the header and flushes it.</summary>
    /// <param name="path">File path; its folder must exist and the file must not.</param>
    /// <param name="parameterNames">Names for the per-parameter columns, in the order of <see cref="ClipLab.Clipping.ClipStatistics.ParameterNormsBefore"/>.</param>
    /// <returns>An appender that owns the open file until it is disposed.</returns>
    /// <exception cref="ArgumentException">A parameter name cannot be a CSV column name.</exception>
    /// <exception cref="IOException">The file already exists (existing measurements are never overwritten) or cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static StepsCsvAppender Create(string path, IReadOnlyList<string> parameterNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string header = MetricsCsvWriter.FormatStepsHeader(parameterNames);
        string fullPath = Path.GetFullPath(path);

        // FileShare.Read lets a user follow the file (tail -f) while the run goes on.
        var stream = new FileStream(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        try
        {
            writer.Write(header + "\n");
            writer.Flush();
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        return new StepsCsvAppender(fullPath, writer, parameterNames.Count);
    }

    /// <summary>Appends one row for <paramref name="step"/> and flushes it to the operating system.</summary>
    /// <param name="step">The step just trained.</param>
    /// <exception cref="ObjectDisposedException">The appender was disposed.</exception>
    /// <exception cref="ArgumentException">The step has per-parameter norms, but not one per header column.</exception>
    /// <exception cref="IOException">Writing failed, for example because the disk is full.</exception>
    public void Append(StepRecord step)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // one write per row, so the file ends in half a row only if that write fails part way
        _writer.Write(MetricsCsvWriter.FormatStepsRow(step, _parameterCount) + "\n");
        _writer.Flush();
        RowCount++;
    }

    /// <summary>Flushes and closes the file. Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
    }
}
