using ClipLab.Data;

namespace ClipLab.Cli;

/// <summary>SHA-256 checksums of the data files a run trains on, recorded in config.json so that a rerun can tell whether it reads the same data.</summary>
internal static class DataChecksums
{
    /// <summary>
    /// Returns the SHA-256 of each file of <paramref name="dataset"/> in the folder that
    /// <see cref="DataDirectoryResolver"/> picks for <paramref name="optionDirectory"/>, keyed by the
    /// uncompressed file name. The hash covers the decompressed bytes, as <see cref="MnistFile.Sha256"/> does.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt.</exception>
    public static IReadOnlyDictionary<string, string> Compute(string? optionDirectory, DatasetDefinition dataset)
    {
        DataDirectory directory = new DataDirectoryResolver().Resolve(optionDirectory, dataset);
        var checksums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (MnistFile file in dataset.Files)
        {
            string path = MnistFiles.Find(directory.Path, file)
                ?? throw new FileNotFoundException($"{file.FileName} is missing from {directory.Path}.", file.FileName);
            checksums[file.UncompressedFileName] = MnistFiles.ComputeSha256(path);
        }

        return checksums;
    }

    /// <summary>Returns one line per file whose checksum differs from <paramref name="expected"/> or is missing on either side; empty when all match.</summary>
    public static IReadOnlyList<string> Compare(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual)
    {
        var differences = new List<string>();
        foreach (string name in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            expected.TryGetValue(name, out string? recorded);
            actual.TryGetValue(name, out string? found);
            if (!string.Equals(recorded, found, StringComparison.Ordinal))
            {
                differences.Add($"{name}: config.json records {recorded ?? "no checksum"}, the data folder has {found ?? "no such file"}");
            }
        }

        return differences;
    }
}
