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

    private readonly ReadOnlyMemory<byte> _pixels;

    /// <summary>Creates a split over existing source pixels and labels, which it keeps without copying.</summary>
    /// <param name="pixels">
    /// Source images of <see cref="SourceImageSize"/> x <see cref="SourceImageSize"/> bytes each,
    /// row-major, as many as there are labels.
    /// </param>
    /// <param name="labels">Class of each image, 0-9.</param>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="pixels"/> is not <see cref="SourcePixelsPerImage"/> times
    /// the number of labels, or a label is above 9.
    /// </exception>
    public DataSplit(ReadOnlyMemory<byte> pixels, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.Length != (long)labels.Length * SourcePixelsPerImage)
        {
            throw new ArgumentException(
                $"Expected {labels.Length} x {SourcePixelsPerImage} = {(long)labels.Length * SourcePixelsPerImage} source pixels for {labels.Length} labels, found {pixels.Length}.",
                nameof(pixels));
        }

        int badIndex = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(ClassCount - 1));
        if (badIndex >= 0)
        {
            throw new ArgumentException(
                $"Expected labels 0-{ClassCount - 1}, found {labels[badIndex]} at index {badIndex}.", nameof(labels));
        }

        _pixels = pixels;
        Labels = labels;
    }

    /// <summary>Pixels per source image: 28 x 28 = 784.</summary>
    public const int SourcePixelsPerImage = SourceImageSize * SourceImageSize;

    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>Class of each image, 0-9.</summary>
    public byte[] Labels { get; }

    /// <summary>
    /// Source pixels of every image, <see cref="Count"/> x 28 x 28 bytes. The split keeps images
    /// as bytes, a quarter of the memory of padded floats, and pads and scales them on copy.
    /// </summary>
    public ReadOnlySpan<byte> Pixels => _pixels.Span;

    /// <summary>Returns the padded image of example <paramref name="index"/>, shape [1, 32, 32], values in [0, 1], as a new array.</summary>
    /// <param name="index">Zero-based example index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>.</exception>
    public float[] Image(int index)
    {
        float[] image = new float[ImageLength];
        CopyImages(index, 1, image);
        return image;
    }

    /// <summary>
    /// Writes the padded images of examples <paramref name="start"/> to <paramref name="start"/> +
    /// <paramref name="count"/> - 1 into <paramref name="destination"/>, shape [count, 1, 32, 32]:
    /// each pixel value / 255 in the centre, zeros in the border.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches outside the split, or <paramref name="destination"/> is shorter than count x 1024.</exception>
    public void CopyImages(int start, int count, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count - start);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, count * ImageLength, nameof(destination));

        ReadOnlySpan<float> scaled = ScaledPixelValues;
        ReadOnlySpan<byte> source = _pixels.Span.Slice(start * SourcePixelsPerImage, count * SourcePixelsPerImage);
        destination = destination[..(count * ImageLength)];
        destination.Clear();
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<byte> sourceImage = source.Slice(n * SourcePixelsPerImage, SourcePixelsPerImage);
            Span<float> image = destination.Slice(n * ImageLength, ImageLength);
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
    }

    /// <summary>
    /// Creates a split from <paramref name="count"/> consecutive source images and labels,
    /// starting at <paramref name="start"/>. The split shares the source pixels.
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

        return new DataSplit(
            images.Pixels.Slice(start * SourcePixelsPerImage, count * SourcePixelsPerImage),
            labels.AsSpan(start, count).ToArray());
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
