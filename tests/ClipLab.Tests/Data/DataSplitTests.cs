using ClipLab.Data;

namespace ClipLab.Tests.Data;

public sealed class DataSplitTests
{
    [Fact]
    public void ImageSize_IsSourcePlusPaddingOnBothSides()
    {
        Assert.Equal(32, DataSplit.ImageSize);
        Assert.Equal(32 * 32, DataSplit.ImageLength);
    }

    [Fact]
    public void FromSource_Images_ArePaddedWithZerosAndScaled()
    {
        const int size = DataSplit.SourceImageSize;
        byte[] pixels = IdxTestFiles.Pixels(3 * size * size);
        var source = new IdxImages(3, size, size, pixels);

        DataSplit split = DataSplit.FromSource(source, [7, 8, 9], start: 1, count: 2);

        Assert.Equal(2, split.Count);
        Assert.Equal(new byte[] { 8, 9 }, split.Labels);
        for (int n = 0; n < split.Count; n++)
        {
            ReadOnlySpan<float> image = split.Image(n);
            for (int h = 0; h < DataSplit.ImageSize; h++)
            {
                for (int w = 0; w < DataSplit.ImageSize; w++)
                {
                    int sourceH = h - DataSplit.Padding;
                    int sourceW = w - DataSplit.Padding;
                    bool inCentre = sourceH is >= 0 and < size && sourceW is >= 0 and < size;
                    float expected = inCentre ? pixels[((n + 1) * size * size) + (sourceH * size) + sourceW] / 255f : 0f;
                    Assert.True(
                        expected == image[(h * DataSplit.ImageSize) + w],
                        $"image {n}, row {h}, column {w}: expected {expected}, found {image[(h * DataSplit.ImageSize) + w]}");
                }
            }
        }
    }

    [Fact]
    public void FromSource_RangePastEnd_Throws()
    {
        var source = new IdxImages(3, 28, 28, new byte[3 * 28 * 28]);

        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.FromSource(source, [1, 2, 3], start: 2, count: 2));
    }

    [Fact]
    public void Constructor_ImageLengthMismatch_ThrowsNamingLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => new DataSplit(new byte[DataSplit.SourcePixelsPerImage], new byte[2]));

        Assert.Contains("Expected 2 x 784 = 1568 source pixels", error.Message);
        Assert.Contains("found 784", error.Message);
    }

    [Fact]
    public void Constructor_LabelAboveNine_ThrowsNamingValue()
    {
        var error = Assert.Throws<ArgumentException>(() => new DataSplit(new byte[2 * DataSplit.SourcePixelsPerImage], [4, 11]));

        Assert.Contains("Expected labels 0-9", error.Message);
        Assert.Contains("found 11 at index 1", error.Message);
    }

    [Fact]
    public void Image_IndexOutOfRange_Throws()
    {
        var split = new DataSplit(new byte[2 * DataSplit.SourcePixelsPerImage], [4, 1]);

        Assert.Throws<ArgumentOutOfRangeException>(() => split.Image(2));
    }
}
