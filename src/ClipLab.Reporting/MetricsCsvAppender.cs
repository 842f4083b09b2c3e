using System.Text;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes <c>metrics.csv</c> row by row while a variant trains, so that an interrupted run keeps
/// every validation point measured so far. The format is that of
/// <see cref="MetricsCsvWriter.WriteMetrics(string, IReadOnlyList{ValidationPoint})"/>.
/// </summary>
/// <remarks>
/// The header is written and flushed when the file is created, and every
/// <see cref="Append(ValidationPoint)"/> writes one complete row and flushes it to the operating
/// system. After each call the file therefore contains the header and whole rows only, even if
/// the process is killed. The rows are not forced to the disk itself (no fsync), so a power
/// failure can lose the last rows. Instances are not thread-safe: call <see cref="Append"/> from
/// one thread at a time.
/// </remarks>
public sealed class MetricsCsvAppender : IDisposable
{
    private readonly StreamWriter _writer;
    private bool _disposed;

    private MetricsCsvAppender(string fullPath, StreamWriter writer)
    {
        FullPath = fullPath;
        _writer = writer;
    }

    /// <summary>Absolute path of the file being written.</summary>
    public string FullPath { get; }

    /// <summary>Number of rows appended so far, not counting the header.</summary>
    public int RowCount { get; private set; }

    /// <summary>Creates the file, writes the header and flushes it.</summary>
    /// <param name="path">File path; its folder must exist and the file must not.</param>
    /// <returns>An appender that owns the open file until it is disposed.</returns>
    /// <exception cref="IOException">
    /// The file already exists (existing measurements are never overwritten) or cannot be created.
    /// </exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static MetricsCsvAppender Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);

        // FileShare.Read lets a user follow the file (tail -f) while the run goes on.
        var stream = new FileStream(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        try
        {
            writer.Write(MetricsCsvWriter.MetricsHeader);
            writer.Write('\n');
            writer.Flush();
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        return new MetricsCsvAppender(fullPath, writer);
    }

    /// <summary>Appends one row for <paramref name="point"/> and flushes it to the operating system.</summary>
    /// <param name="point">The validation point just measured.</param>
    /// <exception cref="ObjectDisposedException">The appender was disposed.</exception>
    /// <exception cref="IOException">Writing failed, for example because the disk is full.</exception>
    public void Append(ValidationPoint point)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // The whole row goes out in one write, so the file ends in half a row only if that
        // write fails part way, for example on a full disk.
        _writer.Write(MetricsCsvWriter.FormatMetricsRow(point) + "\n");
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
