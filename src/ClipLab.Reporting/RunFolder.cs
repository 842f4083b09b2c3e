using System.Globalization;

namespace ClipLab.Reporting;

/// <summary>
/// A new folder that contains the outputs of one run, named from the start time and the command,
/// for example <c>2026-12-04_19-58-01_compare</c>.
/// </summary>
/// <remarks>
/// <see cref="Create(string, string, DateTimeOffset)"/> never returns a folder that existed
/// before. When the name is taken it tries <c>-2</c>, <c>-3</c>, and so on. Two processes that
/// start in the same second never get the same folder because each builds its folder under a
/// private staging name and renames it into place. A rename onto an existing non-empty folder fails.
/// </remarks>
public sealed class RunFolder
{
    /// <summary>Hidden file that every run folder contains from the moment it appears under its final name.</summary>
    public const string MarkerFileName = ".cliplab-run";

    /// <summary>Maximum number of suffixes tried (-2, -3, ...) before giving up on a name.</summary>
    private const int MaxNameAttempts = 1000;

    private RunFolder(string fullPath)
    {
        FullPath = fullPath;
        Name = Path.GetFileName(fullPath);
    }

    /// <summary>Absolute path of the run folder.</summary>
    public string FullPath { get; }

    /// <summary>Folder name, for example <c>2026-12-04_19-58-01_compare</c> or <c>2026-12-04_19-58-01_compare-2</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Creates the output folder if it is missing and checks that a file can be created in it.
    /// The CLI calls this before training so that a bad output folder fails in seconds, not
    /// after the whole run.
    /// </summary>
    /// <param name="outputDirectory">Folder that receives run folders, for example <c>./runs</c>.</param>
    /// <returns>The absolute path of <paramref name="outputDirectory"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="outputDirectory"/> is empty.</exception>
    /// <exception cref="IOException">
    /// The folder cannot be created or written. The message names the absolute path and the
    /// reason the operating system gave.
    /// </exception>
    public static string EnsureWritable(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        string fullPath = Path.GetFullPath(outputDirectory);

        try
        {
            Directory.CreateDirectory(fullPath);
            string probePath = Path.Combine(fullPath, $".cliplab-write-test-{Guid.NewGuid():N}.tmp");
            using (new FileStream(probePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // .NET reports a file in the path as "Could not find a part of the path", which
            // hides the cause, so name the file instead.
            string reason = FindFileAncestor(fullPath) is string file ? $"'{file}' is a file, not a folder." : ex.Message;
            throw new IOException(
                $"Output folder '{fullPath}' is not writable: {reason} Choose another output folder or make this one writable.",
                ex);
        }

        return fullPath;
    }

    /// <summary>Creates a new run folder named from the current local time and <paramref name="command"/>.</summary>
    /// <param name="outputDirectory">Folder that receives run folders; it is created if missing.</param>
    /// <param name="command">Command name used as the name suffix, for example <c>compare</c>.</param>
    /// <returns>The new, empty run folder (apart from its marker file).</returns>
    /// <exception cref="ArgumentException"><paramref name="command"/> is not a valid name part.</exception>
    /// <exception cref="IOException">The output folder is not writable, or no free name was found.</exception>
    public static RunFolder Create(string outputDirectory, string command) =>
        Create(outputDirectory, command, DateTimeOffset.Now);

    /// <summary>Creates a new run folder named from <paramref name="startTime"/> and <paramref name="command"/>.</summary>
    /// <param name="outputDirectory">Folder that receives run folders; it is created if missing.</param>
    /// <param name="command">
    /// Command name used as the name suffix, for example <c>compare</c>. Letters, digits,
    /// '.', '_' and '-' only, not starting with '.'.
    /// </param>
    /// <param name="startTime">Time written into the name as <c>yyyy-MM-dd_HH-mm-ss</c>, in its own offset.</param>
    /// <returns>The new, empty run folder (apart from its marker file).</returns>
    /// <exception cref="ArgumentException"><paramref name="command"/> is not a valid name part.</exception>
    /// <exception cref="IOException">The output folder is not writable, or no free name was found.</exception>
    public static RunFolder Create(string outputDirectory, string command, DateTimeOffset startTime)
    {
        ValidateNamePart(command, nameof(command), "Command name");
        string outputPath = EnsureWritable(outputDirectory);

        string baseName = startTime.ToString("yyyy-MM-dd_HH-mm-ss", CultureInfo.InvariantCulture) + "_" + command;
        string stagingPath = Path.Combine(outputPath, $".staging-{baseName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(stagingPath);
        bool moved = false;
        try
        {
            // The marker makes the staging folder non-empty, so renaming it onto a folder that
            // another process created in the meantime fails instead of replacing that folder.
            File.WriteAllText(
                Path.Combine(stagingPath, MarkerFileName),
                $"ClipLab run folder\ncommand: {command}\nstarted: {startTime.ToString("O", CultureInfo.InvariantCulture)}\n");

            for (int attempt = 1; attempt <= MaxNameAttempts; attempt++)
            {
                string candidateName = attempt == 1 ? baseName : $"{baseName}-{attempt}";
                string candidatePath = Path.Combine(outputPath, candidateName);
                if (Path.Exists(candidatePath))
                {
                    continue;
                }

                try
                {
                    Directory.Move(stagingPath, candidatePath);
                }
                catch (IOException) when (Path.Exists(candidatePath))
                {
                    // Another process took this name between the check and the rename.
                    continue;
                }

                moved = true;
                return new RunFolder(candidatePath);
            }

            throw new IOException(
                $"No free run folder name in '{outputPath}': '{baseName}' and its suffixes -2 to -{MaxNameAttempts} all exist. Remove old run folders or choose another output folder.");
        }
        finally
        {
            if (!moved)
            {
                DeleteStagingFolder(stagingPath);
            }
        }
    }

    /// <summary>Creates (if missing) the subfolder of one variant and returns its absolute path.</summary>
    /// <param name="variantName">
    /// Variant name, used as the folder name: letters, digits, '.', '_' and '-' only, not starting with '.'.
    /// </param>
    /// <returns>Absolute path of <c>&lt;run folder&gt;/&lt;variantName&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="variantName"/> cannot be a folder name.</exception>
    /// <exception cref="IOException">Creating the folder failed.</exception>
    public string CreateVariantDirectory(string variantName)
    {
        ValidateVariantName(variantName);

        string path = Path.Combine(FullPath, variantName);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Returns the absolute path of a file or folder inside the run folder.</summary>
    /// <param name="relativePath">Path relative to the run folder, for example <c>report.md</c>.</param>
    /// <returns>The combined absolute path; nothing is created.</returns>
    public string GetPath(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);

        return Path.GetFullPath(Path.Combine(FullPath, relativePath));
    }

    /// <summary>Checks that a variant name can be a folder name and a relative link on every platform.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long, starts with '.' or contains other characters than letters, digits, '.', '_' and '-'.</exception>
    internal static void ValidateVariantName(string variantName) =>
        ValidateNamePart(variantName, nameof(variantName), "Variant name");

    /// <summary>Returns the path itself or its nearest ancestor if that exists as a regular file, otherwise null.</summary>
    private static string? FindFileAncestor(string fullPath)
    {
        for (string? path = fullPath; path is not null; path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                return path;
            }

            if (Directory.Exists(path))
            {
                return null;
            }
        }

        return null;
    }

    private static void DeleteStagingFolder(string stagingPath)
    {
        // An exception from here would hide the one that made the creation fail, so a failed
        // cleanup only leaves the hidden staging folder behind.
        try
        {
            Directory.Delete(stagingPath, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void ValidateNamePart(string value, string parameterName, string description)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);

        // 100 characters leaves room for the timestamp and suffix within the 255-byte name limit
        // of common file systems.
        const int MaxLength = 100;
        bool valid = value.Length is > 0 and <= MaxLength
            && value[0] != '.'
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!valid)
        {
            throw new ArgumentException(
                $"{description} '{value}' cannot be used in a folder name. Use 1 to {MaxLength} letters, digits, '.', '_' or '-', not starting with '.'.",
                parameterName);
        }
    }
}
