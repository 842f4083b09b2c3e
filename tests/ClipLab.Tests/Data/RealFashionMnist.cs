using ClipLab.Data;

namespace ClipLab.Tests.Data;

/// <summary>
/// The Fashion-MNIST files of Debian's dataset-fashion-mnist package. Tests that use them fail
/// with an explanation when the package is missing, because a silent pass would hide that the
/// data was never checked.
/// </summary>
internal static class RealFashionMnist
{
    /// <summary>The folder the package installs into.</summary>
    /// <exception cref="InvalidOperationException">The folder or one of its files is missing.</exception>
    public static string Directory
    {
        get
        {
            string directory = DatasetDefinition.FashionMnist.SystemDirectory!;
            if (FashionMnistFiles.All.Any(file => MnistFiles.Find(directory, file) is null))
            {
                throw new InvalidOperationException(
                    $"The Fashion-MNIST files are missing from {directory}. Install them with 'apt-get install -y dataset-fashion-mnist'.");
            }

            return directory;
        }
    }
}
