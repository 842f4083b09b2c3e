using System.Globalization;
using ClipLab.Reporting.TensorBoard.Protos;
using Google.Protobuf;

namespace ClipLab.Reporting.TensorBoard;

/// <summary>Writes scalar values into a TensorBoard event file.</summary>
/// <remarks>
/// The file is named <c>events.out.tfevents.SECONDS.HOST</c> (Unix time of creation and the
/// machine name), as TensorFlow names them, with <c>.2</c>, <c>.3</c>, ... appended when the
/// name is taken. It is a TFRecord file (<see cref="TfRecordWriter"/>) of serialized Event
/// messages: the first carries <c>file_version = "brain.Event:2"</c>, and each later one a
/// Summary whose values have a tag and a <c>simple_value</c>, which TensorBoard shows as scalars.
/// TensorBoard treats each folder with event files as one run, so write each variant into its own folder.
/// </remarks>
public sealed class TensorBoardEventWriter : IDisposable
{
    /// <summary>The file_version of the first event.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>Start of every event file name.</summary>
    public const string FileNamePrefix = "events.out.tfevents.";

    private readonly FileStream _stream;
    private readonly TfRecordWriter _records;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Creates the folder if needed, creates a new event file in it and writes the file_version event.</summary>
    /// <param name="directory">Folder for the event file; TensorBoard shows it as one run.</param>
    /// <param name="clock">Source of wall times; null selects <see cref="DateTimeOffset.UtcNow"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="IOException">The folder or the file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public TensorBoardEventWriter(string directory, Func<DateTimeOffset>? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);

        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        Directory.CreateDirectory(directory);
        DateTimeOffset now = _clock();
        string baseName = FileNamePrefix + now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + HostName();
        string path = Path.Combine(directory, baseName);
        for (int suffix = 2; File.Exists(path); suffix++)
        {
            path = Path.Combine(directory, $"{baseName}.{suffix}");
        }

        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _records = new TfRecordWriter(_stream);
        FilePath = Path.GetFullPath(path);

        Write(new Event { WallTime = ToSeconds(now), FileVersion = FileVersion });
        Flush();
    }

    /// <summary>Absolute path of the event file.</summary>
    public string FilePath { get; }

    /// <summary>Writes one event with the scalars <paramref name="values"/> at <paramref name="step"/>.</summary>
    /// <param name="step">Training step (iteration) the values belong to; TensorBoard's x axis.</param>
    /// <param name="values">Pairs of tag (for example "validation/loss") and value; NaN and infinity are written as they are.</param>
    /// <exception cref="ArgumentException">A tag is null or empty.</exception>
    /// <exception cref="IOException">Writing failed.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void WriteScalars(long step, IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);

        var summary = new Summary();
        foreach (KeyValuePair<string, double> value in values)
        {
            ArgumentException.ThrowIfNullOrEmpty(value.Key, nameof(values));
            summary.Value.Add(new Summary.Types.Value { Tag = value.Key, SimpleValue = (float)value.Value });
        }

        Write(new Event { WallTime = ToSeconds(_clock()), Step = step, Summary = summary });
    }

    /// <summary>Writes buffered events to the file, so that a running TensorBoard can read them.</summary>
    /// <exception cref="IOException">Writing failed.</exception>
    public void Flush() => _stream.Flush();

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose() => _stream.Dispose();

    private void Write(Event message) => _records.Write(message.ToByteArray());

    private static double ToSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static string HostName()
    {
        // the host name is part of a file name, so keep only characters that are safe there
        string name = Environment.MachineName;
        string safe = new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return safe.Length > 0 ? safe : "localhost";
    }
}
