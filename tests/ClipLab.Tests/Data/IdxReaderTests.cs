using System.IO.Compression;
using ClipLab.Data;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ReadImages_RawFile_ReturnsHeaderAndPixels()
    {
        byte[] raw = IdxTestFiles.ImageFile(count: 3, rows: 4, columns: 5);
        string path = IdxTestFiles.Write(_directory.Path, "images-idx3-ubyte", raw);

        IdxImages images = IdxReader.ReadImages(path);

        Assert.Equal(3, images.Count);
        Assert.Equal(4, images.Rows);
        Assert.Equal(5, images.Columns);
        Assert.Equal(IdxTestFiles.Pixels(3 * 4 * 5), images.Pixels.ToArray());
        Assert.Equal(IdxTestFiles.Pixels(3 * 4 * 5).AsSpan(20, 20).ToArray(), images.Image(1).ToArray());
    }

    [Fact]
    public void ReadImages_GzipAndRaw_ReturnSameData()
    {
        byte[] raw = IdxTestFiles.ImageFile(count: 6, rows: 7, columns: 3);
        string rawPath = IdxTestFiles.Write(_directory.Path, "images-idx3-ubyte", raw);
        string gzipPath = IdxTestFiles.Write(_directory.Path, "images-idx3-ubyte.gz", IdxTestFiles.Gzip(raw));

        IdxImages fromRaw = IdxReader.ReadImages(rawPath);
        IdxImages fromGzip = IdxReader.ReadImages(gzipPath);

        Assert.Equal(fromRaw.Count, fromGzip.Count);
        Assert.Equal(fromRaw.Rows, fromGzip.Rows);
        Assert.Equal(fromRaw.Columns, fromGzip.Columns);
        Assert.Equal(fromRaw.Pixels.ToArray(), fromGzip.Pixels.ToArray());
    }

    [Fact]
    public void ReadLabels_GzipAndRaw_ReturnSameLabels()
    {
        byte[] labels = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4];
        byte[] raw = IdxTestFiles.LabelFile(labels);
        string rawPath = IdxTestFiles.Write(_directory.Path, "labels-idx1-ubyte", raw);
        string gzipPath = IdxTestFiles.Write(_directory.Path, "labels-idx1-ubyte.gz", IdxTestFiles.Gzip(raw));

        byte[] fromRaw = IdxReader.ReadLabels(rawPath);
        byte[] fromGzip = IdxReader.ReadLabels(gzipPath);

        Assert.Equal(labels, fromRaw);
        Assert.Equal(labels, fromGzip);
    }

    [Fact]
    public void ReadImages_CompressionFromContentNotName_ReadsBoth()
    {
        byte[] raw = IdxTestFiles.ImageFile(count: 2, rows: 3, columns: 3);
        string gzipWithoutExtension = IdxTestFiles.Write(_directory.Path, "compressed-idx3-ubyte", IdxTestFiles.Gzip(raw));
        string rawWithExtension = IdxTestFiles.Write(_directory.Path, "uncompressed-idx3-ubyte.gz", raw);

        IdxImages fromGzip = IdxReader.ReadImages(gzipWithoutExtension);
        IdxImages fromRaw = IdxReader.ReadImages(rawWithExtension);

        Assert.Equal(IdxTestFiles.Pixels(18), fromGzip.Pixels.ToArray());
        Assert.Equal(IdxTestFiles.Pixels(18), fromRaw.Pixels.ToArray());
    }

    [Fact]
    public void ReadImages_ZeroImages_ReturnsEmpty()
    {
        string path = IdxTestFiles.Write(_directory.Path, "empty-idx3-ubyte", IdxTestFiles.Header(IdxTestFiles.ImageMagic, 0, 28, 28));

        IdxImages images = IdxReader.ReadImages(path);

        Assert.Equal(0, images.Count);
        Assert.Equal(0, images.Pixels.Length);
    }

    [Fact]
    public void ReadImages_WrongMagic_ThrowsNamingFileAndValues()
    {
        // a label file passed where an image file belongs
        string path = IdxTestFiles.Write(_directory.Path, "train-images-idx3-ubyte.gz", IdxTestFiles.Gzip(IdxTestFiles.LabelFile(1, 2, 3)));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
        Assert.Contains("expected magic number 0x00000803 (2051)", error.Message);
        Assert.Contains("found 0x00000801 (2049)", error.Message);
        Assert.Contains("declares 1 dimension instead of 3", error.Message);
    }

    [Fact]
    public void ReadLabels_WrongMagic_ThrowsNamingFileAndValues()
    {
        string path = IdxTestFiles.Write(_directory.Path, "train-labels-idx1-ubyte", IdxTestFiles.ImageFile(1, 2, 2));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("train-labels-idx1-ubyte", error.Message);
        Assert.Contains("expected magic number 0x00000801 (2049)", error.Message);
        Assert.Contains("found 0x00000803 (2051)", error.Message);
    }

    [Fact]
    public void ReadImages_WrongElementType_ThrowsNamingType()
    {
        // 0x0D is the IDX type code of 32-bit floats
        byte[] floats = [.. IdxTestFiles.Header(0x00000D03, 1, 2, 2), .. new byte[16]];
        string path = IdxTestFiles.Write(_directory.Path, "float-images", floats);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("float-images", error.Message);
        Assert.Contains("expected magic number 0x00000803 (2051)", error.Message);
        Assert.Contains("found 0x00000D03 (3331)", error.Message);
        Assert.Contains("element type 0x0D instead of 0x08", error.Message);
    }

    [Fact]
    public void ReadImages_NotIdxFile_ThrowsSayingSo()
    {
        string path = IdxTestFiles.Write(_directory.Path, "page.html", "<!DOCTYPE html><html></html>"u8.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("page.html", error.Message);
        Assert.Contains("expected magic number 0x00000803 (2051)", error.Message);
        Assert.Contains("found 0x3C21444F", error.Message);
        Assert.Contains("not an IDX file", error.Message);
    }

    [Fact]
    public void ReadImages_EmptyFile_ThrowsNamingLength()
    {
        string path = IdxTestFiles.Write(_directory.Path, "zero-length-idx3-ubyte", []);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("zero-length-idx3-ubyte", error.Message);
        Assert.Contains("expected at least 4 bytes", error.Message);
        Assert.Contains("found 0", error.Message);
    }

    [Fact]
    public void ReadImages_TruncatedHeader_ThrowsNamingLengths()
    {
        byte[] header = IdxTestFiles.Header(IdxTestFiles.ImageMagic, 1, 28, 28);
        string path = IdxTestFiles.Write(_directory.Path, "short-header-idx3-ubyte", header[..10]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("short-header-idx3-ubyte", error.Message);
        Assert.Contains("expected a 16-byte header", error.Message);
        Assert.Contains("found only 10 bytes", error.Message);
    }

    [Fact]
    public void ReadImages_TruncatedPixels_ThrowsNamingLengths()
    {
        byte[] raw = IdxTestFiles.ImageFile(count: 2, rows: 4, columns: 4);
        string path = IdxTestFiles.Write(_directory.Path, "truncated-idx3-ubyte", raw[..^1]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("truncated-idx3-ubyte", error.Message);
        Assert.Contains("expected 48 bytes (16-byte header + 2 images of 4 x 4 pixels)", error.Message);
        Assert.Contains("found 47, 1 byte too few", error.Message);
    }

    [Fact]
    public void ReadImages_TruncatedGzip_ThrowsNamingFile()
    {
        byte[] gzip = IdxTestFiles.Gzip(IdxTestFiles.ImageFile(count: 20, rows: 28, columns: 28));
        string path = IdxTestFiles.Write(_directory.Path, "cut-idx3-ubyte.gz", gzip[..(gzip.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("cut-idx3-ubyte.gz", error.Message);
    }

    [Fact]
    public void ReadImages_TrailingBytes_ThrowsNamingLengths()
    {
        byte[] raw = [.. IdxTestFiles.ImageFile(count: 2, rows: 4, columns: 4), 0, 0];
        string path = IdxTestFiles.Write(_directory.Path, "trailing-idx3-ubyte", raw);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("trailing-idx3-ubyte", error.Message);
        Assert.Contains("expected 48 bytes", error.Message);
        Assert.Contains("found 50, 2 bytes too many", error.Message);
    }

    [Fact]
    public void ReadImages_RowsDisagreeWithLength_ThrowsNamingDimensions()
    {
        // the header declares 29 rows, but the data contains 28 x 28 images
        byte[] raw = [.. IdxTestFiles.Header(IdxTestFiles.ImageMagic, 2, 29, 28), .. IdxTestFiles.Pixels(2 * 28 * 28)];
        string path = IdxTestFiles.Write(_directory.Path, "rows-idx3-ubyte", raw);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("rows-idx3-ubyte", error.Message);
        Assert.Contains("expected 1640 bytes (16-byte header + 2 images of 29 x 28 pixels)", error.Message);
        Assert.Contains("found 1584", error.Message);
    }

    [Fact]
    public void ReadImages_CountDisagreesWithLength_ThrowsNamingCount()
    {
        byte[] raw = [.. IdxTestFiles.Header(IdxTestFiles.ImageMagic, 3, 2, 2), .. IdxTestFiles.Pixels(2 * 2 * 2)];
        string path = IdxTestFiles.Write(_directory.Path, "count-idx3-ubyte", raw);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("count-idx3-ubyte", error.Message);
        Assert.Contains("expected 28 bytes (16-byte header + 3 images of 2 x 2 pixels)", error.Message);
        Assert.Contains("found 24", error.Message);
    }

    [Fact]
    public void ReadImages_HugeHeaderSizes_ThrowsWithoutOverflow()
    {
        // (2^31 - 1)^3 overflows 64 bits, so the reader must compare in wider arithmetic and allocate nothing
        const uint maxSize = int.MaxValue;
        byte[] raw = [.. IdxTestFiles.Header(IdxTestFiles.ImageMagic, maxSize, maxSize, maxSize), .. IdxTestFiles.Pixels(100)];
        string path = IdxTestFiles.Write(_directory.Path, "huge-idx3-ubyte", raw);
        UInt128 expectedLength = 16 + ((UInt128)maxSize * maxSize * maxSize);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("huge-idx3-ubyte", error.Message);
        Assert.Contains($"expected {expectedLength} bytes", error.Message);
        Assert.Contains("found 116", error.Message);
    }

    [Fact]
    public void ReadImages_DimensionAboveInt32Max_ThrowsNamingValue()
    {
        byte[] raw = [.. IdxTestFiles.Header(IdxTestFiles.ImageMagic, 1, uint.MaxValue, 2), .. IdxTestFiles.Pixels(8)];
        string path = IdxTestFiles.Write(_directory.Path, "negative-rows-idx3-ubyte", raw);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("negative-rows-idx3-ubyte", error.Message);
        Assert.Contains("expected the number of rows in the header to be between 1 and 2147483647", error.Message);
        Assert.Contains("found 4294967295", error.Message);
    }

    [Fact]
    public void ReadImages_ZeroColumns_ThrowsNamingValue()
    {
        string path = IdxTestFiles.Write(_directory.Path, "zero-columns-idx3-ubyte", IdxTestFiles.Header(IdxTestFiles.ImageMagic, 5, 28, 0));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("zero-columns-idx3-ubyte", error.Message);
        Assert.Contains("expected the number of columns in the header to be between 1 and 2147483647", error.Message);
        Assert.Contains("found 0", error.Message);
    }

    [Fact]
    public void ReadLabels_LabelAboveNine_ThrowsNamingValueAndIndex()
    {
        string path = IdxTestFiles.Write(_directory.Path, "bad-labels-idx1-ubyte", IdxTestFiles.LabelFile(3, 1, 10, 2));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("bad-labels-idx1-ubyte", error.Message);
        Assert.Contains("expected labels 0-9", error.Message);
        Assert.Contains("found 10 at index 2", error.Message);
    }

    [Fact]
    public void ReadLabels_TruncatedFile_ThrowsNamingLengths()
    {
        byte[] raw = IdxTestFiles.LabelFile(IdxTestFiles.CyclicLabels(20));
        string path = IdxTestFiles.Write(_directory.Path, "short-labels-idx1-ubyte", raw[..^3]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("short-labels-idx1-ubyte", error.Message);
        Assert.Contains("expected 28 bytes (8-byte header + 20 labels)", error.Message);
        Assert.Contains("found 25, 3 bytes too few", error.Message);
    }

    [Fact]
    public void ReadLabels_TrailingBytes_ThrowsNamingLengths()
    {
        byte[] raw = [.. IdxTestFiles.LabelFile(IdxTestFiles.CyclicLabels(20)), 7];
        string path = IdxTestFiles.Write(_directory.Path, "long-labels-idx1-ubyte", raw);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("long-labels-idx1-ubyte", error.Message);
        Assert.Contains("expected 28 bytes (8-byte header + 20 labels)", error.Message);
        Assert.Contains("found 29, 1 byte too many", error.Message);
    }

    [Fact]
    public void ReadImages_CorruptGzip_ThrowsNamingFile()
    {
        byte[] gzip = IdxTestFiles.Gzip(IdxTestFiles.ImageFile(count: 20, rows: 28, columns: 28));
        gzip[gzip.Length / 2] ^= 0xFF;
        string path = IdxTestFiles.Write(_directory.Path, "corrupt-idx3-ubyte.gz", gzip);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("corrupt-idx3-ubyte.gz", error.Message);
        Assert.Contains("expected valid gzip data, found corrupt data", error.Message);
    }

    [Fact]
    public void ReadImages_RawFileAboveLimit_ThrowsBeforeReading()
    {
        // a sparse file: its length is set without writing the bytes
        string path = Path.Combine(_directory.Path, "oversized-idx3-ubyte");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.Write(IdxTestFiles.Header(IdxTestFiles.ImageMagic, 1, 28, 28));
            file.SetLength(IdxReader.MaxFileBytes + 1L);
        }

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("oversized-idx3-ubyte", error.Message);
        Assert.Contains($"expected at most {IdxReader.MaxFileBytes} bytes", error.Message);
        Assert.Contains($"found {IdxReader.MaxFileBytes + 1L}", error.Message);
    }

    [Fact]
    public void ReadImages_GzipAboveLimit_ThrowsWhileDecompressing()
    {
        string path = Path.Combine(_directory.Path, "bomb-idx3-ubyte.gz");
        using (var file = new FileStream(path, FileMode.CreateNew))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written <= IdxReader.MaxFileBytes; written += zeros.Length)
            {
                gzip.Write(zeros);
            }
        }

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("bomb-idx3-ubyte.gz", error.Message);
        Assert.Contains($"expected at most {IdxReader.MaxFileBytes} bytes after decompression", error.Message);
        Assert.Contains("found more", error.Message);
    }

    [Fact]
    public void ReadImages_MissingFile_ThrowsFileNotFound()
    {
        string path = Path.Combine(_directory.Path, "absent-idx3-ubyte");

        Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path));
    }
}
