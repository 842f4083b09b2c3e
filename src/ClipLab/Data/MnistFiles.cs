using System.Security.Cryptography;

namespace ClipLab.Data;

/// <summary>
/// Catalog of the four MNIST files (LeCun, Cortes and Burges) with their checksums, and lookup
/// of those files in a directory.
/// </summary>
public static class MnistFiles
{
    /// <summary>Height and width of an MNIST image in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>Number of images and labels in the training files.</summary>
    public const int TrainingCount = 60_000;

    /// <summary>Number of images and labels in the test files.</summary>
    public const int TestCount = 10_000;

    // IDX header bytes: magic number plus one 32-bit size per dimension.
    private const int ImageHeaderBytes = 4 + (3 * 4);
    private const int LabelHeaderBytes = 4 + (1 * 4);

    /// <summary>The 60,000 training images, 28 x 28 unsigned bytes each.</summary>
    public static MnistFile TrainImages { get; } = new(
        "train-images-idx3-ubyte.gz",
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ImageHeaderBytes + (TrainingCount * ImageSize * ImageSize));

    /// <summary>The 60,000 training labels, 0-9.</summary>
    public static MnistFile TrainLabels { get; } = new(
        "train-labels-idx1-ubyte.gz",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        LabelHeaderBytes + TrainingCount);

    /// <summary>The 10,000 test images, 28 x 28 unsigned bytes each.</summary>
    public static MnistFile TestImages { get; } = new(
        "t10k-images-idx3-ubyte.gz",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ImageHeaderBytes + (TestCount * ImageSize * ImageSize));

    /// <summary>The 10,000 test labels, 0-9.</summary>
    public static MnistFile TestLabels { get; } = new(
        "t10k-labels-idx1-ubyte.gz",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        LabelHeaderBytes + TestCount);

    /// <summary>The four files: training images, training labels, test images, test labels.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>Instructions for supplying the files, shared by the errors about missing files.</summary>
    internal const string SupplyHint =
        "Pass --data DIR or set the environment variable CLIPLAB_DATA to a directory that contains the four MNIST files " +
        "(gzip-compressed or not), or set neither so that ClipLab downloads them into its cache directory.";

    /// <summary>
    /// Returns the path of <paramref name="file"/> in <paramref name="directory"/>: the
    /// gzip-compressed name if it exists, else the uncompressed name, else null.
    /// </summary>
    /// <param name="directory">Directory to look in, which need not exist.</param>
    /// <param name="file">File to look for.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty, or <paramref name="file"/> is null.</exception>
    public static string? Find(string directory, MnistFile file)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(file);

        string compressed = Path.Combine(directory, file.FileName);
        if (File.Exists(compressed))
        {
            return compressed;
        }

        string uncompressed = Path.Combine(directory, file.UncompressedFileName);
        return File.Exists(uncompressed) ? uncompressed : null;
    }

    /// <summary>Returns the files of <see cref="All"/> that <see cref="Find"/> does not find in <paramref name="directory"/>.</summary>
    /// <param name="directory">Directory to look in, which need not exist.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    public static IReadOnlyList<MnistFile> FindMissing(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);

        return All.Where(file => Find(directory, file) is null).ToArray();
    }

    /// <summary>
    /// Computes the SHA-256 of the content of <paramref name="path"/>, decompressed first when it
    /// is gzip, as 64 lowercase hexadecimal digits. Compare it with <see cref="MnistFile.Sha256"/>.
    /// </summary>
    /// <param name="path">File to hash.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The gzip data is corrupt or the content exceeds <see cref="IdxReader.MaxFileBytes"/>.
    /// </exception>
    public static string ComputeSha256(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        ArraySegment<byte> content = GzipOrRawFile.ReadAll(path, IdxReader.MaxFileBytes);
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }
}
