using System.Buffers.Binary;

namespace ClipLab.Data;

/// <summary>
/// Reads IDX files of unsigned bytes, the format of the MNIST distribution: image files
/// (3 dimensions: count, rows, columns) and label files (1 dimension: count).
/// </summary>
/// <remarks>
/// An IDX file starts with a big-endian magic number whose third byte is the element type
/// (0x08 for unsigned bytes) and whose fourth byte is the number of dimensions. One
/// big-endian 32-bit size per dimension follows, then the elements in row-major order.
/// Files may be gzip-compressed. Compression is detected from the gzip magic bytes
/// (1f 8b), not from the file name.
/// <para>
/// The reader keeps the whole decompressed file in memory, at most <see cref="MaxFileBytes"/>
/// bytes, and checks every header field against the real data length before it uses the
/// field. So no allocation is sized by an untrusted header.
/// </para>
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImageFileMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelFileMagic = 0x00000801;

    /// <summary>
    /// Largest accepted file content in bytes, after decompression: 64 MiB. The largest MNIST
    /// or Fashion-MNIST file, the training images, is 47,040,016 bytes.
    /// </summary>
    /// <remarks>NOTE: larger IDX data sets such as EMNIST exceed this limit and are rejected.</remarks>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    /// <summary>Largest label value accepted in a label file: the classes are the digits 0-9.</summary>
    public const byte MaxLabel = 9;

    private const byte UnsignedByteType = 0x08;
    private const int MagicBytes = 4;
    private const int DimensionBytes = 4;
    private const int ImageDimensions = 3;
    private const int LabelDimensions = 1;

    /// <summary>Reads an IDX image file, gzip-compressed or raw.</summary>
    /// <param name="path">Path of the file.</param>
    /// <returns>The images with their count, rows and columns from the header.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not an IDX image file of unsigned bytes (wrong magic number), its header is
    /// truncated, a dimension is out of range, its length differs from the length the header
    /// implies (truncated file or trailing bytes), it exceeds <see cref="MaxFileBytes"/>, or
    /// its gzip data is corrupt. The message names the file, the expected value and the
    /// actual value.
    /// </exception>
    public static IdxImages ReadImages(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        ArraySegment<byte> content = GzipOrRawFile.ReadAll(path, MaxFileBytes);
        int[] sizes = ReadHeader(content, path, ImageFileMagic, "image");
        int count = sizes[0];
        int rows = sizes[1];
        int columns = sizes[2];
        int headerLength = HeaderLength(ImageDimensions);
        CheckLength(content.Count, path, headerLength, (UInt128)(uint)count * (uint)rows * (uint)columns,
            $"{count} images of {rows} x {columns} pixels");

        return new IdxImages(count, rows, columns, content.AsMemory(headerLength));
    }

    /// <summary>Reads an IDX label file, gzip-compressed or raw, and checks that every label is 0-9.</summary>
    /// <param name="path">Path of the file.</param>
    /// <returns>The labels in file order, each 0-9.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not an IDX label file of unsigned bytes (wrong magic number), its header is
    /// truncated, the count is out of range, its length differs from the length the header
    /// implies (truncated file or trailing bytes), a label is above 9, it exceeds
    /// <see cref="MaxFileBytes"/>, or its gzip data is corrupt. The message names the file,
    /// the expected value and the actual value.
    /// </exception>
    public static byte[] ReadLabels(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        ArraySegment<byte> content = GzipOrRawFile.ReadAll(path, MaxFileBytes);
        int count = ReadHeader(content, path, LabelFileMagic, "label")[0];
        int headerLength = HeaderLength(LabelDimensions);
        CheckLength(content.Count, path, headerLength, (uint)count, $"{count} labels");

        ReadOnlySpan<byte> labels = content.AsSpan(headerLength);
        int badIndex = labels.IndexOfAnyExceptInRange((byte)0, MaxLabel);
        if (badIndex >= 0)
        {
            throw new InvalidDataException(
                $"{path}: expected labels 0-{MaxLabel}, found {labels[badIndex]} at index {badIndex}.");
        }

        return labels.ToArray();
    }

    private static int HeaderLength(int dimensions) => MagicBytes + (dimensions * DimensionBytes);

    /// <summary>Checks the magic number and returns the dimension sizes. The count may be 0 and the other sizes are at least 1.</summary>
    private static int[] ReadHeader(ReadOnlySpan<byte> content, string path, int expectedMagic, string kind)
    {
        int expectedDimensions = expectedMagic & 0xFF;

        // magic number: element type and number of dimensions
        if (content.Length < MagicBytes)
        {
            throw new InvalidDataException(
                $"{path}: expected at least {MagicBytes} bytes for the magic number of an IDX {kind} file, found {content.Length}. The file is truncated.");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException(
                $"{path}: expected magic number {FormatMagic(expectedMagic)} for an IDX {kind} file, found {FormatMagic(magic)}{DescribeMagic(magic, expectedDimensions)}.");
        }

        // dimension sizes
        int headerLength = HeaderLength(expectedDimensions);
        if (content.Length < headerLength)
        {
            throw new InvalidDataException(
                $"{path}: expected a {headerLength}-byte header for an IDX {kind} file, found only {content.Length} bytes. The file is truncated.");
        }

        var sizes = new int[expectedDimensions];
        for (int axis = 0; axis < expectedDimensions; axis++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(content[(MagicBytes + (axis * DimensionBytes))..]);
            int minimum = axis == 0 ? 0 : 1;
            if (size < minimum || size > int.MaxValue)
            {
                throw new InvalidDataException(
                    $"{path}: expected the {DimensionName(axis)} in the header to be between {minimum} and {int.MaxValue}, found {size}.");
            }

            sizes[axis] = (int)size;
        }

        return sizes;
    }

    private static void CheckLength(int actualLength, string path, int headerLength, UInt128 elementCount, string contents)
    {
        // UInt128 because count x rows x columns can reach 2^93 in a hostile header.
        UInt128 expectedLength = (uint)headerLength + elementCount;
        if ((uint)actualLength < expectedLength)
        {
            throw new InvalidDataException(
                $"{path}: expected {expectedLength} bytes ({headerLength}-byte header + {contents}), found {actualLength}, {FormatByteCount(expectedLength - (uint)actualLength)} too few. The file is truncated or its header is wrong.");
        }

        if ((uint)actualLength > expectedLength)
        {
            throw new InvalidDataException(
                $"{path}: expected {expectedLength} bytes ({headerLength}-byte header + {contents}), found {actualLength}, {FormatByteCount((uint)actualLength - expectedLength)} too many. The file has trailing bytes or its header is wrong.");
        }
    }

    private static string FormatByteCount(UInt128 count) => count == 1 ? "1 byte" : $"{count} bytes";

    private static string FormatMagic(int magic) => $"0x{magic:X8} ({magic})";

    private static string DescribeMagic(int magic, int expectedDimensions)
    {
        int typeAndZeros = magic >>> 8;
        int dimensions = magic & 0xFF;
        if (typeAndZeros == UnsignedByteType)
        {
            string noun = dimensions == 1 ? "dimension" : "dimensions";
            return $", which declares {dimensions} {noun} instead of {expectedDimensions}";
        }

        if ((magic >>> 16) != 0)
        {
            return ", so this is not an IDX file";
        }

        return $", which declares element type 0x{typeAndZeros:X2} instead of 0x{UnsignedByteType:X2} (unsigned byte)";
    }

    private static string DimensionName(int axis) => axis switch
    {
        0 => "count",
        1 => "number of rows",
        _ => "number of columns",
    };
}
