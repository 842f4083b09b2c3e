namespace ClipLab.Tests.TestSupport;

/// <summary>A fresh directory under the system temporary directory, deleted with its content on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cliplab-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Returns the names of the files in the directory, sorted.</summary>
    public string[] FileNames() =>
        Directory.GetFiles(Path).Select(file => System.IO.Path.GetFileName(file)!).Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
