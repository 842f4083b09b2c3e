using System.Buffers.Binary;

namespace ClipLab.Reporting.TensorBoard;

/// <summary>Writes records in TensorFlow's TFRecord framing, the container of TensorBoard event files.</summary>
/// <remarks>
/// Each record is:
/// <code>
/// uint64  length of the data, little-endian
/// uint32  masked CRC-32C of those 8 length bytes, little-endian
/// byte[]  data
/// uint32  masked CRC-32C of the data, little-endian
/// </code>
/// See <see cref="Crc32C.ComputeMasked"/> for the mask.
/// </remarks>
public sealed class TfRecordWriter
{
    private const int LengthBytes = sizeof(ulong);
    private const int CrcBytes = sizeof(uint);

    private readonly Stream _stream;

    /// <summary>Creates a writer that appends records to <paramref name="stream"/>, which it does not dispose.</summary>
    /// <param name="stream">Writable stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    public TfRecordWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("Expected a writable stream for TFRecord output.", nameof(stream));
        }

        _stream = stream;
    }

    /// <summary>Appends one record holding <paramref name="data"/>.</summary>
    /// <param name="data">The record's payload, for example a serialized Event message.</param>
    /// <exception cref="IOException">Writing to the stream failed.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[LengthBytes + CrcBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[LengthBytes..], Crc32C.ComputeMasked(header[..LengthBytes]));

        Span<byte> footer = stackalloc byte[CrcBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.ComputeMasked(data));

        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
    }
}
