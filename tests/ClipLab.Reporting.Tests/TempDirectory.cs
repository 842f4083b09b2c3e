namespace ClipLab.Reporting.Tests;

/// <summary>A fresh folder under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        FullPath = Path.Combine(Path.GetTempPath(), "cliplab-reporting-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    public string Combine(params string[] parts) => Path.Combine([FullPath, .. parts]);

    /// <summary>Lists every file below the folder whose name marks it as a temporary or staging leftover.</summary>
    public string[] FindLeftovers() =>
        Directory.EnumerateFileSystemEntries(FullPath, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path).EndsWith(".tmp", StringComparison.Ordinal)
                || Path.GetFileName(path).StartsWith(".staging-", StringComparison.Ordinal))
            .ToArray();

    public void Dispose()
    {
        if (Directory.Exists(FullPath))
        {
            Directory.Delete(FullPath, recursive: true);
        }
    }
}
