using ClipLab.Data;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Data;

/// <summary>Loader tests on small synthetic MNIST directories. <see cref="RealMnistTests"/> checks the real files.</summary>
public sealed class MnistDatasetTests : IDisposable
{
    private const int ValidationCount = 3;
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_SyntheticFiles_SplitsLikeTensorFlow(bool gzip)
    {
        IdxTestFiles.WriteMnistDirectory(_directory.Path, trainCount: 8, testCount: 4, gzip);

        MnistDataset dataset = MnistDataset.Load(_directory.Path, ValidationCount);

        Assert.Equal(5, dataset.Train.Count);
        Assert.Equal(ValidationCount, dataset.Validation.Count);
        Assert.Equal(4, dataset.Test.Count);
        Assert.Equal(new byte[] { 3, 4, 5, 6, 7 }, dataset.Train.Labels);
        Assert.Equal(new byte[] { 0, 1, 2 }, dataset.Validation.Labels);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, dataset.Test.Labels);
    }

    [Fact]
    public void Load_TrainingSplit_StartsAfterValidationImages()
    {
        IdxTestFiles.WriteMnistDirectory(_directory.Path, trainCount: 8, testCount: 4, gzip: false);
        byte[] sourcePixels = IdxTestFiles.Pixels(8 * 28 * 28);
        int firstTrainingPixel = ValidationCount * 28 * 28;
        int centre = (DataSplit.Padding * DataSplit.ImageSize) + DataSplit.Padding;

        MnistDataset dataset = MnistDataset.Load(_directory.Path, ValidationCount);

        Assert.Equal(sourcePixels[firstTrainingPixel] / 255f, dataset.Train.Image(0)[centre]);
        Assert.Equal(sourcePixels[0] / 255f, dataset.Validation.Image(0)[centre]);
    }

    [Fact]
    public void Load_MissingFiles_ThrowsNamingDirectoryAndFiles()
    {
        IdxTestFiles.WriteMnistDirectory(_directory.Path, trainCount: 8, testCount: 4, gzip: true);
        File.Delete(Path.Combine(_directory.Path, MnistFiles.TestLabels.FileName));
        File.Delete(Path.Combine(_directory.Path, MnistFiles.TrainImages.FileName));

        var error = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(_directory.Path, ValidationCount));

        Assert.Contains(_directory.Path, error.Message);
        Assert.Contains("train-images-idx3-ubyte.gz (or train-images-idx3-ubyte)", error.Message);
        Assert.Contains("t10k-labels-idx1-ubyte.gz (or t10k-labels-idx1-ubyte)", error.Message);
        Assert.DoesNotContain("train-labels", error.Message);
        Assert.Contains("--data DIR", error.Message);
        Assert.Contains("CLIPLAB_DATA", error.Message);
        Assert.Contains("downloads them into its cache directory", error.Message);
        Assert.Equal(Path.Combine(_directory.Path, MnistFiles.TrainImages.FileName), error.FileName);
    }

    [Fact]
    public void Load_DirectoryAbsent_ThrowsSayingItDoesNotExist()
    {
        string absent = Path.Combine(_directory.Path, "absent");

        var error = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(absent));

        Assert.Contains($"MNIST directory {absent} does not exist", error.Message);
        Assert.Contains("CLIPLAB_DATA", error.Message);
    }

    [Fact]
    public void Load_ImageAndLabelCountsDiffer_ThrowsNamingBothFilesAndCounts()
    {
        IdxTestFiles.WriteMnistDirectory(_directory.Path, trainCount: 8, testCount: 4, gzip: true);
        IdxTestFiles.WriteMnistFile(_directory.Path, MnistFiles.TestLabels, IdxTestFiles.LabelFile(1, 2, 3), gzip: true);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(_directory.Path, ValidationCount));

        Assert.Contains(MnistFiles.TestImages.FileName, error.Message);
        Assert.Contains(MnistFiles.TestLabels.FileName, error.Message);
        Assert.Contains("expected 4 labels", error.Message);
        Assert.Contains("found 3", error.Message);
    }

    [Fact]
    public void Load_ImagesNot28By28_ThrowsNamingSizes()
    {
        IdxTestFiles.WriteMnistDirectory(_directory.Path, trainCount: 8, testCount: 4, gzip: true);
        IdxTestFiles.WriteMnistFile(_directory.Path, MnistFiles.TestImages, IdxTestFiles.ImageFile(4, 32, 32), gzip: true);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(_directory.Path, ValidationCount));

        Assert.Contains(MnistFiles.TestImages.FileName, error.Message);
        Assert.Contains("expected 28 x 28 images", error.Message);
        Assert.Contains("found 32 x 32", error.Message);
    }

    [Fact]
    public void Load_TooFewTrainingImages_ThrowsNamingCounts()
    {
        IdxTestFiles.WriteMnistDirectory(_directory.Path, trainCount: ValidationCount, testCount: 4, gzip: true);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(_directory.Path, ValidationCount));

        Assert.Contains(MnistFiles.TrainImages.FileName, error.Message);
        Assert.Contains($"expected more than {ValidationCount} images", error.Message);
        Assert.Contains($"found {ValidationCount}", error.Message);
    }

    [Fact]
    public void Load_MalformedLabelFile_ThrowsFromReader()
    {
        IdxTestFiles.WriteMnistDirectory(_directory.Path, trainCount: 8, testCount: 4, gzip: false);
        IdxTestFiles.WriteMnistFile(_directory.Path, MnistFiles.TrainLabels, IdxTestFiles.LabelFile(0, 1, 2, 3, 4, 5, 6, 12), gzip: false);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(_directory.Path, ValidationCount));

        Assert.Contains(MnistFiles.TrainLabels.UncompressedFileName, error.Message);
        Assert.Contains("found 12 at index 7", error.Message);
    }
}
