using ClipLab.Data;

namespace ClipLab.Tests.Data;

/// <summary>
/// Checks against the real MNIST files in the directory named by CLIPLAB_DATA. The expected
/// values are published facts about MNIST (checksums, split sizes, label counts, pixel
/// statistics), not numbers printed by ClipLab.
/// </summary>
public sealed class RealMnistTests
{
    [Theory]
    [InlineData("train-images-idx3-ubyte.gz")]
    [InlineData("train-labels-idx1-ubyte.gz")]
    [InlineData("t10k-images-idx3-ubyte.gz")]
    [InlineData("t10k-labels-idx1-ubyte.gz")]
    public void Catalog_Sha256_MatchesDecompressedFile(string fileName)
    {
        MnistFile file = MnistFiles.All.Single(entry => entry.FileName == fileName);

        string actual = MnistFiles.ComputeSha256(RealMnist.PathOf(file));

        Assert.Equal(file.Sha256, actual);
    }

    [Fact]
    public void Load_Splits_Have55000_5000_10000Examples()
    {
        MnistDataset dataset = RealMnist.Dataset;

        Assert.Equal(55_000, dataset.Train.Count);
        Assert.Equal(5_000, dataset.Validation.Count);
        Assert.Equal(10_000, dataset.Test.Count);
    }

    [Fact]
    public void Load_TrainingPixels_HaveKnownMeanAndStd()
    {
        // over the 28 x 28 centre of all 60,000 training-file images, validation included
        MnistDataset dataset = RealMnist.Dataset;
        double sum = 0;
        double sumOfSquares = 0;
        long pixelCount = 0;
        foreach (DataSplit split in new[] { dataset.Validation, dataset.Train })
        {
            for (int n = 0; n < split.Count; n++)
            {
                ReadOnlySpan<float> image = split.Image(n);
                for (int h = DataSplit.Padding; h < DataSplit.Padding + DataSplit.SourceImageSize; h++)
                {
                    foreach (float value in image.Slice((h * DataSplit.ImageSize) + DataSplit.Padding, DataSplit.SourceImageSize))
                    {
                        sum += value;
                        sumOfSquares += (double)value * value;
                    }
                }

                pixelCount += DataSplit.SourceImageSize * DataSplit.SourceImageSize;
            }
        }

        double mean = sum / pixelCount;
        double standardDeviation = Math.Sqrt((sumOfSquares / pixelCount) - (mean * mean));

        Assert.Equal(60_000L * 28 * 28, pixelCount);
        Assert.InRange(mean, 0.1307 - 0.0001, 0.1307 + 0.0001);
        Assert.InRange(standardDeviation, 0.3081 - 0.0001, 0.3081 + 0.0001);
    }

    [Fact]
    public void Load_TrainingFileLabels_HaveKnownCountPerClass()
    {
        MnistDataset dataset = RealMnist.Dataset;
        int[] counts = new int[DataSplit.ClassCount];

        foreach (byte label in dataset.Validation.Labels.Concat(dataset.Train.Labels))
        {
            counts[label]++;
        }

        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], counts);
    }

    [Fact]
    public void Load_ValidationSplit_StartsWithFirstTrainingFileLabels()
    {
        MnistDataset dataset = RealMnist.Dataset;

        Assert.Equal(new byte[] { 5, 0, 4, 1, 9, 2, 1, 3, 1, 4 }, dataset.Validation.Labels[..10]);
    }

    [Fact]
    public void Load_TrainingSplit_StartsAtTrainingFileImage5000()
    {
        MnistDataset dataset = RealMnist.Dataset;
        byte[] fileLabels = IdxReader.ReadLabels(RealMnist.PathOf(MnistFiles.TrainLabels));

        Assert.Equal(fileLabels[5000..], dataset.Train.Labels);
        Assert.Equal(fileLabels[..5000], dataset.Validation.Labels);
    }

    [Fact]
    public void Load_TestSplit_StartsWithKnownLabels()
    {
        MnistDataset dataset = RealMnist.Dataset;

        Assert.Equal(new byte[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }, dataset.Test.Labels[..10]);
    }

    [Fact]
    public void Load_Images_AreRawOver255ZeroPadded()
    {
        MnistDataset dataset = RealMnist.Dataset;
        IdxImages trainingFile = IdxReader.ReadImages(RealMnist.PathOf(MnistFiles.TrainImages));
        IdxImages testFile = IdxReader.ReadImages(RealMnist.PathOf(MnistFiles.TestImages));

        string validationMismatches = DescribeMismatches(dataset.Validation, trainingFile, firstSourceImage: 0);
        string trainMismatches = DescribeMismatches(dataset.Train, trainingFile, firstSourceImage: 5000);
        string testMismatches = DescribeMismatches(dataset.Test, testFile, firstSourceImage: 0);

        Assert.Equal("no mismatch", validationMismatches);
        Assert.Equal("no mismatch", trainMismatches);
        Assert.Equal("no mismatch", testMismatches);
    }

    /// <summary>
    /// Compares each padded image with its source image and returns "no mismatch" or the number
    /// of differing pixels with the first one.
    /// </summary>
    private static string DescribeMismatches(DataSplit split, IdxImages source, int firstSourceImage)
    {
        const int size = DataSplit.SourceImageSize;
        int mismatches = 0;
        string firstMismatch = "";
        for (int n = 0; n < split.Count; n++)
        {
            ReadOnlySpan<byte> sourceImage = source.Image(firstSourceImage + n);
            ReadOnlySpan<float> image = split.Image(n);
            for (int h = 0; h < DataSplit.ImageSize; h++)
            {
                for (int w = 0; w < DataSplit.ImageSize; w++)
                {
                    int sourceH = h - DataSplit.Padding;
                    int sourceW = w - DataSplit.Padding;
                    bool inCentre = sourceH is >= 0 and < size && sourceW is >= 0 and < size;
                    float expected = inCentre ? sourceImage[(sourceH * size) + sourceW] / 255f : 0f;
                    float actual = image[(h * DataSplit.ImageSize) + w];
                    if (expected != actual)
                    {
                        if (mismatches == 0)
                        {
                            firstMismatch = $"image {n}, row {h}, column {w}: expected {expected}, found {actual}";
                        }

                        mismatches++;
                    }
                }
            }
        }

        return mismatches == 0 ? "no mismatch" : $"{mismatches} pixels differ, first at {firstMismatch}";
    }
}
