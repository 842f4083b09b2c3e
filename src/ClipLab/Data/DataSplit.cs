namespace ClipLab.Data;

/// <summary>
/// One split of a data set (training, validation or test): images as network input and their
/// labels.
/// </summary>
/// <remarks>
/// Each image is the 28 x 28 source image scaled to [0, 1] (pixel value / 255) and zero-padded
/// by <see cref="Padding"/> pixels on every side, so it is <see cref="ImageSize"/> x
/// <see cref="ImageSize"/>, the input size of LeNet-5.
/// </remarks>
public sealed class DataSplit
{
    /// <summary>Height and width of a source image in pixels.</summary>
    public const int SourceImageSize = MnistFiles.ImageSize;

    /// <summary>Zero pixels added on each side of the source image.</summary>
    public const int Padding = 2;

    /// <summary>Height and width of a padded image in pixels: 28 + 2 x 2 = 32.</summary>
    public const int ImageSize = SourceImageSize + (2 * Padding);

    /// <summary>Values per padded image: one channel of <see cref="ImageSize"/> x <see cref="ImageSize"/>.</summary>
    public const int ImageLength = Channels * ImageSize * ImageSize;

    /// <summary>Channels per image: MNIST is greyscale.</summary>
    public const int Channels = 1;

    /// <summary>Number of classes: the digits 0-9.</summary>
    public const int ClassCount = 10;

    // value / 255 for each byte value, so scaling a pixel is one lookup with the same result as the division.
    private static readonly float[] ScaledPixelValues = CreateScaledPixelValues();

    /// <summary>Creates a split over existing arrays, which it keeps without copying.</summary>
    /// <param name="images">Padded images, shape [N, 1, 32, 32] row-major, where N is the length of <paramref name="labels"/>.</param>
    /// <param name="labels">Class of each image, 0-9.</param>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> or <paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="images"/> is not <see cref="ImageLength"/> times the number
    /// of labels, or a label is above 9.
    /// </exception>
    public DataSplit(float[] images, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Length != (long)labels.Length * ImageLength)
        {
            throw new ArgumentException(
                $"Expected {labels.Length} x {ImageLength} = {(long)labels.Length * ImageLength} image values for {labels.Length} labels, found {images.Length}.",
                nameof(images));
        }

        int badIndex = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(ClassCount - 1));
        if (badIndex >= 0)
        {
            throw new ArgumentException(
                $"Expected labels 0-{ClassCount - 1}, found {labels[badIndex]} at index {badIndex}.", nameof(labels));
        }

        Images = images;
        Labels = labels;
    }

    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>Padded images, shape [<see cref="Count"/>, 1, 32, 32] row-major, values in [0, 1].</summary>
    public float[] Images { get; }

    /// <summary>Class of each image, 0-9.</summary>
    public byte[] Labels { get; }

    /// <summary>Returns the padded image of example <paramref name="index"/>, shape [1, 32, 32].</summary>
    /// <param name="index">Zero-based example index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>.</exception>
    public ReadOnlySpan<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);

        return Images.AsSpan(index * ImageLength, ImageLength);
    }

    /// <summary>
    /// Creates a split from <paramref name="count"/> consecutive source images and labels,
    /// starting at <paramref name="start"/>: scales and pads each image.
    /// </summary>
    /// <param name="images">Source images of <see cref="SourceImageSize"/> x <see cref="SourceImageSize"/> pixels.</param>
    /// <param name="labels">Labels, one per source image, each 0-9.</param>
    /// <param name="start">Index of the first example.</param>
    /// <param name="count">Number of examples.</param>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> or <paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The images are not 28 x 28, the label count differs from the image count, or a label is above 9.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> or <paramref name="count"/> is negative, or they reach past the last image.</exception>
    public static DataSplit FromSource(IdxImages images, byte[] labels, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Rows != SourceImageSize || images.Columns != SourceImageSize)
        {
            throw new ArgumentException(
                $"Expected {SourceImageSize} x {SourceImageSize} images, found {images.Rows} x {images.Columns}.", nameof(images));
        }

        if (labels.Length != images.Count)
        {
            throw new ArgumentException($"Expected {images.Count} labels, one per image, found {labels.Length}.", nameof(labels));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, images.Count - start);

        // scale and pad: the new array is zero, so only the centre is written
        float[] padded = new float[(long)count * ImageLength];
        ReadOnlySpan<byte> source = images.Pixels.Span.Slice(start * images.PixelsPerImage, count * images.PixelsPerImage);
        ReadOnlySpan<float> scaled = ScaledPixelValues;
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<byte> sourceImage = source.Slice(n * images.PixelsPerImage, images.PixelsPerImage);
            Span<float> image = padded.AsSpan(n * ImageLength, ImageLength);
            for (int h = 0; h < SourceImageSize; h++)
            {
                ReadOnlySpan<byte> sourceRow = sourceImage.Slice(h * SourceImageSize, SourceImageSize);
                Span<float> row = image.Slice(((h + Padding) * ImageSize) + Padding, SourceImageSize);
                for (int w = 0; w < SourceImageSize; w++)
                {
                    row[w] = scaled[sourceRow[w]];
                }
            }
        }

        return new DataSplit(padded, labels.AsSpan(start, count).ToArray());
    }

    private static float[] CreateScaledPixelValues()
    {
        var values = new float[byte.MaxValue + 1];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i / 255f;
        }

        return values;
    }
}
