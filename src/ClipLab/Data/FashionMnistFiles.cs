namespace ClipLab.Data;

/// <summary>Catalog of the four Fashion-MNIST files (Zalando Research) with their checksums.</summary>
/// <remarks>
/// The SHA-256 values cover the decompressed IDX bytes. They were computed from the files of
/// Debian's package dataset-fashion-mnist 0.0~git20200523.55506a9-1. For the two label files
/// they were also computed from the .gz files in the zalandoresearch/fashion-mnist repository,
/// whose MD5s match the ones published in its README; the image files are not in that
/// snapshot. Debian's .gz files differ from the published ones byte for byte (their gzip
/// wrappers differ), which is why the checksums cover the decompressed content.
/// </remarks>
public static class FashionMnistFiles
{
    // IDX header bytes: magic number plus one 32-bit size per dimension.
    private const int ImageHeaderBytes = 4 + (3 * 4);
    private const int LabelHeaderBytes = 4 + (1 * 4);
    private const int ImagePixels = MnistFiles.ImageSize * MnistFiles.ImageSize;

    /// <summary>The 60,000 training images, 28 x 28 unsigned bytes each.</summary>
    public static MnistFile TrainImages { get; } = new(
        "train-images-idx3-ubyte.gz",
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ImageHeaderBytes + (MnistFiles.TrainingCount * ImagePixels));

    /// <summary>The 60,000 training labels, 0-9.</summary>
    public static MnistFile TrainLabels { get; } = new(
        "train-labels-idx1-ubyte.gz",
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        LabelHeaderBytes + MnistFiles.TrainingCount);

    /// <summary>The 10,000 test images, 28 x 28 unsigned bytes each.</summary>
    public static MnistFile TestImages { get; } = new(
        "t10k-images-idx3-ubyte.gz",
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ImageHeaderBytes + (MnistFiles.TestCount * ImagePixels));

    /// <summary>The 10,000 test labels, 0-9.</summary>
    public static MnistFile TestLabels { get; } = new(
        "t10k-labels-idx1-ubyte.gz",
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        LabelHeaderBytes + MnistFiles.TestCount);

    /// <summary>The four files: training images, training labels, test images, test labels.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];
}
