namespace ClipLab.Data;

/// <summary>
/// Images read from an IDX image file: unsigned bytes, one image after another, each row-major
/// with shape [<see cref="Rows"/>, <see cref="Columns"/>].
/// </summary>
public sealed class IdxImages
{
    internal IdxImages(int count, int rows, int columns, ReadOnlyMemory<byte> pixels)
    {
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Height of each image in pixels.</summary>
    public int Rows { get; }

    /// <summary>Width of each image in pixels.</summary>
    public int Columns { get; }

    /// <summary>Pixels per image: <see cref="Rows"/> x <see cref="Columns"/>.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>
    /// All pixel values (0-255) in file order, shape [<see cref="Count"/>, <see cref="Rows"/>,
    /// <see cref="Columns"/>]. The length is exactly Count x Rows x Columns.
    /// </summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>Returns the pixels of image <paramref name="index"/>, row-major.</summary>
    /// <param name="index">Zero-based image index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>.</exception>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);

        return Pixels.Span.Slice(index * PixelsPerImage, PixelsPerImage);
    }
}
