namespace ClipLab.Data;

/// <summary>
/// Raised when a file could not be downloaded from any mirror. The message lists every URL
/// tried with its error and explains how to supply the file by hand.
/// </summary>
public sealed class MnistDownloadException : IOException
{
    /// <summary>Creates the exception for <paramref name="fileName"/> from the error of each URL tried.</summary>
    /// <param name="fileName">Name of the file that could not be downloaded.</param>
    /// <param name="directory">Directory the file was to be stored in.</param>
    /// <param name="failures">Each URL tried, in order, with the exception it raised.</param>
    /// <param name="datasetName">Data set name for the message, "MNIST" by default.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MnistDownloadException(string fileName, string directory, IReadOnlyList<KeyValuePair<Uri, Exception>> failures, string datasetName = "MNIST")
        : base(FormatMessage(fileName, directory, failures, datasetName), new AggregateException(failures.Select(failure => failure.Value)))
    {
        FileName = fileName;
        Failures = failures;
    }

    /// <summary>Name of the file that could not be downloaded.</summary>
    public string FileName { get; }

    /// <summary>Each URL tried, in order, with the exception it raised.</summary>
    public IReadOnlyList<KeyValuePair<Uri, Exception>> Failures { get; }

    private static string FormatMessage(string fileName, string directory, IReadOnlyList<KeyValuePair<Uri, Exception>> failures, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(failures);

        var lines = failures.Select(failure => $"  {failure.Key}: {failure.Value.Message}");
        return $"Failed to download {fileName} into {directory} from every mirror:{Environment.NewLine}" +
            string.Join(Environment.NewLine, lines) + Environment.NewLine +
            $"Copy the four {datasetName} files into {directory} by hand, or pass --data DIR" +
            (datasetName == "MNIST" ? " or set CLIPLAB_DATA" : "") + " to a directory that contains them.";
    }
}
