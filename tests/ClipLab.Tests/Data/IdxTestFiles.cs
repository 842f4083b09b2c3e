using System.Buffers.Binary;
using System.IO.Compression;
using ClipLab.Data;

namespace ClipLab.Tests.Data;

/// <summary>Builds small IDX files, well-formed or deliberately broken, for the reader and loader tests.</summary>
internal static class IdxTestFiles
{
    public const int ImageMagic = 0x00000803;
    public const int LabelMagic = 0x00000801;

    /// <summary>Returns an IDX header: the big-endian magic number, then one big-endian size per dimension.</summary>
    public static byte[] Header(int magic, params uint[] sizes)
    {
        var header = new byte[4 + (4 * sizes.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int axis = 0; axis < sizes.Length; axis++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + (4 * axis)), sizes[axis]);
        }

        return header;
    }

    /// <summary>Returns <paramref name="length"/> pixel bytes with a pattern that differs between neighbours: (7 i + 3) mod 256.</summary>
    public static byte[] Pixels(int length)
    {
        var pixels = new byte[length];
        for (int i = 0; i < length; i++)
        {
            pixels[i] = (byte)((7 * i) + 3);
        }

        return pixels;
    }

    /// <summary>Returns a well-formed image file of <paramref name="count"/> images of <paramref name="rows"/> x <paramref name="columns"/> pixels.</summary>
    public static byte[] ImageFile(int count, int rows, int columns) =>
        [.. Header(ImageMagic, (uint)count, (uint)rows, (uint)columns), .. Pixels(count * rows * columns)];

    /// <summary>Returns a well-formed label file.</summary>
    public static byte[] LabelFile(params byte[] labels) =>
        [.. Header(LabelMagic, (uint)labels.Length), .. labels];

    /// <summary>Returns labels i mod 10 for i = 0..count-1.</summary>
    public static byte[] CyclicLabels(int count) =>
        Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();

    public static byte[] Gzip(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(raw);
        }

        return compressed.ToArray();
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="fileName"/> in <paramref name="directory"/> and returns the path.</summary>
    public static string Write(string directory, string fileName, byte[] bytes)
    {
        string path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// Writes the four MNIST files with 28 x 28 images into <paramref name="directory"/>, under
    /// the compressed names when <paramref name="gzip"/> is true, else the uncompressed names.
    /// </summary>
    public static void WriteMnistDirectory(string directory, int trainCount, int testCount, bool gzip)
    {
        int size = MnistFiles.ImageSize;
        WriteMnistFile(directory, MnistFiles.TrainImages, ImageFile(trainCount, size, size), gzip);
        WriteMnistFile(directory, MnistFiles.TrainLabels, LabelFile(CyclicLabels(trainCount)), gzip);
        WriteMnistFile(directory, MnistFiles.TestImages, ImageFile(testCount, size, size), gzip);
        WriteMnistFile(directory, MnistFiles.TestLabels, LabelFile(CyclicLabels(testCount)), gzip);
    }

    /// <summary>Writes one MNIST file, compressed or not, replacing any earlier version under either name.</summary>
    public static string WriteMnistFile(string directory, MnistFile file, byte[] raw, bool gzip)
    {
        File.Delete(Path.Combine(directory, file.FileName));
        File.Delete(Path.Combine(directory, file.UncompressedFileName));
        return gzip
            ? Write(directory, file.FileName, Gzip(raw))
            : Write(directory, file.UncompressedFileName, raw);
    }
}
