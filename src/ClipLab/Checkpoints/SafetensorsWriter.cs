using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ClipLab.Checkpoints;

/// <summary>Writes float32 tensors in the safetensors format.</summary>
/// <remarks>
/// Layout, as published by the safetensors project (Hugging Face):
/// <code>
/// [8 bytes]  N, the header length, unsigned 64-bit little-endian
/// [N bytes]  UTF-8 JSON header:
///            {"__metadata__":{"key":"value",...},
///             "conv1.bias":{"dtype":"F32","shape":[6],"data_offsets":[BEGIN,END]}, ...}
/// [rest]     the byte buffer: every tensor's values, little-endian, row-major (C order)
/// </code>
/// <c>data_offsets</c> count bytes from the start of the byte buffer, not of the file. The
/// buffer has no gaps: the tensors tile it in order. As the reference serializer does for
/// tensors of one dtype, this writer orders the tensors by name (ordinal) and pads the header
/// with spaces (0x20) so that the buffer starts at a multiple of 8 bytes.
/// </remarks>
public static class SafetensorsWriter
{
    /// <summary>Header key of the string-to-string metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>dtype name of IEEE 754 float32 values.</summary>
    public const string Float32DType = "F32";

    private const int HeaderLengthBytes = sizeof(ulong);
    private const int BufferAlignment = 8;

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="stream"/> in the safetensors format.</summary>
    /// <param name="stream">Writable stream; it is left open.</param>
    /// <param name="tensors">Tensors to write, in any order; they are stored ordered by name.</param>
    /// <param name="metadata">Strings stored under <c>__metadata__</c>, or null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="tensors"/> is null, or a tensor in it is.</exception>
    /// <exception cref="ArgumentException">
    /// A tensor name is empty, equals <see cref="MetadataKey"/> or appears twice; a dimension is
    /// negative; or the number of values differs from the element count of the shape.
    /// </exception>
    /// <exception cref="IOException">Writing to the stream failed.</exception>
    public static void Write(Stream stream, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        Validate(tensors);

        SafetensorsTensor[] ordered = tensors.OrderBy(tensor => tensor.Name, StringComparer.Ordinal).ToArray();
        byte[] header = BuildHeader(ordered, metadata);

        // header length, header, then the values of each tensor in header order
        Span<byte> lengthBytes = stackalloc byte[HeaderLengthBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)header.Length);
        stream.Write(lengthBytes);
        stream.Write(header);
        foreach (SafetensorsTensor tensor in ordered)
        {
            WriteLittleEndian(stream, tensor.Values);
        }
    }

    /// <summary>Writes the file <paramref name="path"/>, replacing an existing file only once the new one is complete.</summary>
    /// <param name="path">File to write; its folder must exist.</param>
    /// <param name="tensors">Tensors to write, in any order; they are stored ordered by name.</param>
    /// <param name="metadata">Strings stored under <c>__metadata__</c>, or null for none.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or a tensor is invalid as described for <see cref="Write(Stream, IReadOnlyList{SafetensorsTensor}, IReadOnlyDictionary{string, string}?)"/>.</exception>
    /// <exception cref="IOException">Creating or writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating the file.</exception>
    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        Validate(tensors);

        // a temporary file renamed into place, so that the final name never shows a partial file
        string fullPath = Path.GetFullPath(path);
        string temporaryPath = Path.Combine(Path.GetDirectoryName(fullPath) ?? ".", $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(stream, tensors, metadata);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporaryPath);
        }
    }

    private static void Validate(IReadOnlyList<SafetensorsTensor> tensors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (SafetensorsTensor tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (string.IsNullOrEmpty(tensor.Name) || tensor.Name == MetadataKey)
            {
                throw new ArgumentException($"Tensor name '{tensor.Name}' is not allowed; use a non-empty name other than {MetadataKey}.", nameof(tensors));
            }

            if (!names.Add(tensor.Name))
            {
                throw new ArgumentException($"Tensor name '{tensor.Name}' appears twice; give every tensor its own name.", nameof(tensors));
            }

            if (tensor.Shape.Any(size => size < 0))
            {
                throw new ArgumentException($"Tensor '{tensor.Name}' has a negative dimension in shape [{string.Join(", ", tensor.Shape)}].", nameof(tensors));
            }

            long count = SafetensorsTensor.ElementCount(tensor.Shape);
            if (count != tensor.Values.Length)
            {
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}], which holds {count} elements, but {tensor.Values.Length} values.",
                    nameof(tensors));
            }
        }
    }

    private static byte[] BuildHeader(SafetensorsTensor[] ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (KeyValuePair<string, string> entry in metadata.OrderBy(entry => entry.Key, StringComparer.Ordinal))
                {
                    json.WriteString(entry.Key, entry.Value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (SafetensorsTensor tensor in ordered)
            {
                long end = offset + ((long)tensor.Values.Length * sizeof(float));
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", Float32DType);
                json.WriteStartArray("shape");
                foreach (int size in tensor.Shape)
                {
                    json.WriteNumberValue(size);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }

            json.WriteEndObject();
        }

        // pad with spaces so that the byte buffer starts at a multiple of 8
        int unpadded = (int)buffer.Length;
        int padding = (BufferAlignment - ((HeaderLengthBytes + unpadded) % BufferAlignment)) % BufferAlignment;
        byte[] header = new byte[unpadded + padding];
        buffer.GetBuffer().AsSpan(0, unpadded).CopyTo(header);
        header.AsSpan(unpadded).Fill((byte)' ');
        return header;
    }

    private static void WriteLittleEndian(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        byte[] bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        stream.Write(bytes);
    }

    /// <summary>Encoding of the header: UTF-8 without a byte order mark.</summary>
    internal static readonly Encoding HeaderEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
