using ClipLab.Data;

namespace ClipLab.Tests.Data;

/// <summary>
/// The real MNIST files, found through the environment variable CLIPLAB_DATA. Tests that use
/// them fail with an explanation when it is unset, because a silent pass would hide that the
/// data was never checked.
/// </summary>
internal static class RealMnist
{
    private static readonly Lazy<MnistDataset> LoadedDataset = new(() => MnistDataset.Load(Directory));

    /// <summary>Directory named by CLIPLAB_DATA.</summary>
    /// <exception cref="InvalidOperationException">CLIPLAB_DATA is unset or empty.</exception>
    public static string Directory
    {
        get
        {
            string? directory = Environment.GetEnvironmentVariable(DataDirectoryResolver.DataEnvironmentVariable);
            if (string.IsNullOrEmpty(directory))
            {
                throw new InvalidOperationException(
                    $"{DataDirectoryResolver.DataEnvironmentVariable} is not set. These tests need the four MNIST files: " +
                    $"set {DataDirectoryResolver.DataEnvironmentVariable} to the directory that contains them, for example " +
                    $"'{DataDirectoryResolver.DataEnvironmentVariable}=/path/to/mnist dotnet test'.");
            }

            return directory;
        }
    }

    /// <summary>The data set loaded once from <see cref="Directory"/> and shared by all tests.</summary>
    public static MnistDataset Dataset => LoadedDataset.Value;

    /// <summary>Returns the path of <paramref name="file"/> in <see cref="Directory"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing under both names.</exception>
    public static string PathOf(MnistFile file) =>
        MnistFiles.Find(Directory, file)
        ?? throw new FileNotFoundException($"{file.FileName} not found in {Directory} (the directory named by CLIPLAB_DATA).");
}
