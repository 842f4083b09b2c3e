namespace ClipLab.Data;

/// <summary>
/// MNIST split as TensorFlow's classic MNIST reader splits it: the first 5,000 images of the
/// training file are the validation split, the remaining 55,000 the training split, and the
/// 10,000 images of the test file the test split.
/// </summary>
public sealed class MnistDataset
{
    /// <summary>Default number of images at the start of the training file that form the validation split.</summary>
    public const int DefaultValidationCount = 5_000;

    private MnistDataset(DataSplit train, DataSplit validation, DataSplit test)
    {
        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>Training split: training-file images from the end of the validation split to the last (55,000 by default).</summary>
    public DataSplit Train { get; }

    /// <summary>Validation split: the first training-file images (5,000 by default).</summary>
    public DataSplit Validation { get; }

    /// <summary>Test split: every image of the test file (10,000).</summary>
    public DataSplit Test { get; }

    /// <summary>
    /// Loads the four MNIST files from <paramref name="directory"/>, each gzip-compressed or
    /// not, and splits them into training, validation and test sets.
    /// </summary>
    /// <param name="directory">Directory that contains the files named in <see cref="MnistFiles.All"/>, with or without <c>.gz</c>.</param>
    /// <param name="validationCount">Number of images at the start of the training file that form the validation split, 5,000 by default.</param>
    /// <returns>The three splits, images scaled to [0, 1] and padded to 32 x 32.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationCount"/> is zero or negative.</exception>
    /// <exception cref="FileNotFoundException">
    /// The directory does not exist or lacks some of the files. The message names the directory
    /// and the missing files and explains how to supply them.
    /// </exception>
    /// <exception cref="InvalidDataException">
    /// A file is malformed (see <see cref="IdxReader"/>), its images are not 28 x 28, the image
    /// and label files of a split contain different counts, or the training file has no more
    /// images than <paramref name="validationCount"/>. The message names the files, the
    /// expected value and the actual value.
    /// </exception>
    public static MnistDataset Load(string directory, int validationCount = DefaultValidationCount) =>
        Load(directory, DatasetDefinition.Mnist, validationCount);

    /// <summary>
    /// Loads the four files of <paramref name="dataset"/> from <paramref name="directory"/>, each
    /// gzip-compressed or not, and splits them as <see cref="Load(string, int)"/> splits MNIST.
    /// </summary>
    /// <param name="directory">Directory that contains the files named in <see cref="DatasetDefinition.Files"/>, with or without <c>.gz</c>.</param>
    /// <param name="dataset">The data set, for example <see cref="DatasetDefinition.FashionMnist"/>.</param>
    /// <param name="validationCount">Number of images at the start of the training file that form the validation split, 5,000 by default.</param>
    /// <returns>The three splits, images scaled to [0, 1] and padded to 32 x 32.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationCount"/> is zero or negative.</exception>
    /// <exception cref="FileNotFoundException">The directory does not exist or lacks some of the files; the message names them and explains how to supply them.</exception>
    /// <exception cref="InvalidDataException">A file is malformed; see <see cref="Load(string, int)"/>.</exception>
    public static MnistDataset Load(string directory, DatasetDefinition dataset, int validationCount = DefaultValidationCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(validationCount);

        string[] paths = FindAll(directory, dataset);
        (IdxImages trainImages, byte[] trainLabels) = ReadPair(paths[0], paths[1]);
        (IdxImages testImages, byte[] testLabels) = ReadPair(paths[2], paths[3]);
        if (trainImages.Count <= validationCount)
        {
            throw new InvalidDataException(
                $"{paths[0]}: expected more than {validationCount} images, so that {validationCount} form the validation split and the rest the training split, found {trainImages.Count}.");
        }

        if (testImages.Count == 0)
        {
            throw new InvalidDataException($"{paths[2]}: expected at least 1 test image, found 0.");
        }

        int trainCount = trainImages.Count - validationCount;
        return new MnistDataset(
            DataSplit.FromSource(trainImages, trainLabels, validationCount, trainCount),
            DataSplit.FromSource(trainImages, trainLabels, 0, validationCount),
            DataSplit.FromSource(testImages, testLabels, 0, testImages.Count));
    }

    /// <summary>
    /// Loads only the test files of <paramref name="dataset"/> from <paramref name="directory"/>,
    /// for evaluating a trained model: the training files need not be present.
    /// </summary>
    /// <param name="directory">Directory that contains the test image and label files, with or without <c>.gz</c>.</param>
    /// <param name="dataset">The data set, for example <see cref="DatasetDefinition.Mnist"/>.</param>
    /// <returns>The test split, images scaled to [0, 1] and padded to 32 x 32 on copy.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The directory does not exist or lacks a test file; the message names it and explains how to supply it.</exception>
    /// <exception cref="InvalidDataException">A test file is malformed or holds no image; see <see cref="Load(string, int)"/>.</exception>
    public static DataSplit LoadTest(string directory, DatasetDefinition dataset)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(dataset);

        string[] paths = FindAll(directory, dataset, firstFile: 2);
        (IdxImages testImages, byte[] testLabels) = ReadPair(paths[2], paths[3]);
        if (testImages.Count == 0)
        {
            throw new InvalidDataException($"{paths[2]}: expected at least 1 test image, found 0.");
        }

        return DataSplit.FromSource(testImages, testLabels, 0, testImages.Count);
    }

    /// <summary>
    /// Returns the paths of the files in catalog order (training images, training labels, test
    /// images, test labels), or throws naming every missing one. Files before
    /// <paramref name="firstFile"/> are neither looked for nor returned.
    /// </summary>
    private static string[] FindAll(string directory, DatasetDefinition dataset, int firstFile = 0)
    {
        var paths = new string[dataset.Files.Count];
        var missing = new List<string>();
        string? firstMissingPath = null;
        for (int i = firstFile; i < paths.Length; i++)
        {
            MnistFile file = dataset.Files[i];
            string? path = MnistFiles.Find(directory, file);
            if (path is null)
            {
                missing.Add($"{file.FileName} (or {file.UncompressedFileName})");
                firstMissingPath ??= Path.Combine(directory, file.FileName);
            }

            paths[i] = path ?? string.Empty;
        }

        if (missing.Count > 0)
        {
            string problem = Directory.Exists(directory)
                ? $"{dataset.DisplayName} files not found in {directory}: {string.Join(", ", missing)}."
                : $"{dataset.DisplayName} directory {directory} does not exist. Expected it to contain {string.Join(", ", missing)}.";
            throw new FileNotFoundException($"{problem} {dataset.SupplyHint}", firstMissingPath);
        }

        return paths;
    }

    private static (IdxImages Images, byte[] Labels) ReadPair(string imagePath, string labelPath)
    {
        IdxImages images = IdxReader.ReadImages(imagePath);
        if (images.Rows != DataSplit.SourceImageSize || images.Columns != DataSplit.SourceImageSize)
        {
            throw new InvalidDataException(
                $"{imagePath}: expected {DataSplit.SourceImageSize} x {DataSplit.SourceImageSize} images, found {images.Rows} x {images.Columns}.");
        }

        byte[] labels = IdxReader.ReadLabels(labelPath);
        if (labels.Length != images.Count)
        {
            throw new InvalidDataException(
                $"{labelPath}: expected {images.Count} labels, one per image in {imagePath}, found {labels.Length}.");
        }

        return (images, labels);
    }
}
