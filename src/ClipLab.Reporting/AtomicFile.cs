using System.Text;

namespace ClipLab.Reporting;

/// <summary>
/// Writes files so that the final name shows either the previous file or the complete new one,
/// never a partial write. The content goes to a temporary file in the same folder, which is
/// flushed to disk and then renamed over the final name.
/// </summary>
/// <remarks>
/// Source and target are in the same folder and therefore on the same file system, where
/// File.Move with overwrite is a single rename(2) on Linux and macOS, which is atomic. If writing fails, the temporary file is deleted. If the process is killed
/// mid-write, a hidden temporary file named <c>.&lt;name&gt;.&lt;random&gt;.tmp</c> can remain, but the
/// final name is never touched.
/// </remarks>
public static class AtomicFile
{
    /// <summary>UTF-8 without a byte order mark, which CSV, JSON and Markdown readers expect.</summary>
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="contents"/> as UTF-8 (no byte order mark), replacing any existing file.</summary>
    /// <param name="path">Final file path; its folder must exist.</param>
    /// <param name="contents">Text to write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder root.</exception>
    /// <exception cref="IOException">Creating, writing or renaming the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);

        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: -1, leaveOpen: true);
            writer.Write(contents);
        });
    }

    /// <summary>Writes <paramref name="bytes"/>, replacing any existing file.</summary>
    /// <param name="path">Final file path; its folder must exist.</param>
    /// <param name="bytes">Bytes to write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder root.</exception>
    /// <exception cref="IOException">Creating, writing or renaming the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);

        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes a file through <paramref name="writeContents"/>, replacing any existing file.</summary>
    /// <param name="path">Final file path; its folder must exist.</param>
    /// <param name="writeContents">
    /// Writes the whole content to the stream it receives. It must not dispose the stream. If it
    /// throws, the final file is left as it was and the exception propagates.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder root.</exception>
    /// <exception cref="IOException">Creating, writing or renaming the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void Write(string path, Action<Stream> writeContents)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeContents);
        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        string? folder = Path.GetDirectoryName(fullPath);
        if (fileName.Length == 0 || folder is null)
        {
            throw new ArgumentException($"Path '{path}' names a folder, not a file. Pass a file path.", nameof(path));
        }

        string tempPath = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.tmp");
        bool renamed = false;
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContents(stream);

                // Without this, a crash soon after the rename can leave the final name pointing
                // at an empty file on file systems with delayed allocation (ext4, XFS).
                stream.Flush(flushToDisk: true);
            }

            File.Move(tempPath, fullPath, overwrite: true);
            renamed = true;
        }
        finally
        {
            if (!renamed)
            {
                DeleteTempFile(tempPath);
            }
        }
    }

    private static void DeleteTempFile(string tempPath)
    {
        // An exception from here would replace the one that made the write fail, which is the
        // one the caller needs, so a failed cleanup only leaves the hidden temporary file.
        try
        {
            File.Delete(tempPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
