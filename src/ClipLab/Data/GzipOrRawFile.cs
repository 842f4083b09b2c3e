using System.Buffers.Binary;
using System.IO.Compression;

namespace ClipLab.Data;

/// <summary>
/// Reads a file that may be gzip-compressed. Compression is detected from the gzip magic
/// bytes 1f 8b at the start of the file, never from its name.
/// </summary>
internal static class GzipOrRawFile
{
    private const byte GzipMagic0 = 0x1f;
    private const byte GzipMagic1 = 0x8b;

    // A gzip member has a 10-byte header and ends with CRC-32 and ISIZE, 4 bytes each.
    private const int MinimumGzipLength = 18;

    private const int CopyBufferBytes = 1 << 16;

    /// <summary>Returns true when <paramref name="header"/> starts with the gzip magic bytes.</summary>
    public static bool StartsWithGzipMagic(ReadOnlySpan<byte> header) =>
        header.Length >= 2 && header[0] == GzipMagic0 && header[1] == GzipMagic1;

    /// <summary>
    /// Reads the whole content of <paramref name="path"/>, decompressed when it is gzip.
    /// </summary>
    /// <param name="path">File to read.</param>
    /// <param name="maxBytes">Largest accepted content length in bytes, after decompression.</param>
    /// <returns>The content, as an array segment that starts at offset 0.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content exceeds <paramref name="maxBytes"/> or the gzip data is corrupt.</exception>
    public static ArraySegment<byte> ReadAll(string path, int maxBytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

        Span<byte> magic = stackalloc byte[2];
        int magicLength = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (!StartsWithGzipMagic(magic[..magicLength]))
        {
            return ReadRaw(file, path, maxBytes);
        }

        return ReadGzip(file, path, maxBytes);
    }

    private static ArraySegment<byte> ReadRaw(FileStream file, string path, int maxBytes)
    {
        // The length comes from the file system, so the allocation matches the data on disk.
        long length = file.Length;
        if (length > maxBytes)
        {
            throw new InvalidDataException(
                $"{path}: expected at most {maxBytes} bytes, found {length}. The file is too large for this data set.");
        }

        var content = new byte[length];
        file.ReadExactly(content);
        return content;
    }

    private static ArraySegment<byte> ReadGzip(FileStream file, string path, int maxBytes)
    {
        // ISIZE, the last 4 bytes, is the uncompressed length modulo 2^32. It is untrusted, so it
        // only sets the initial buffer capacity, capped at maxBytes. Decompression gives the length.
        int capacityHint = 0;
        if (file.Length >= MinimumGzipLength)
        {
            Span<byte> isize = stackalloc byte[4];
            file.Position = file.Length - isize.Length;
            file.ReadExactly(isize);
            file.Position = 0;
            capacityHint = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(isize), (uint)maxBytes);
        }

        var content = new MemoryStream(capacityHint);
        bool exceedsLimit = false;
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            byte[] buffer = new byte[CopyBufferBytes];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                if (content.Length + read > maxBytes)
                {
                    exceedsLimit = true;
                    break;
                }

                content.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: expected valid gzip data, found corrupt data that failed to decompress ({e.Message}).", e);
        }

        if (exceedsLimit)
        {
            throw new InvalidDataException(
                $"{path}: expected at most {maxBytes} bytes after decompression, found more. The file is too large for this data set.");
        }

        return new ArraySegment<byte>(content.GetBuffer(), 0, (int)content.Length);
    }
}
