using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ClipLab.Checkpoints;

/// <summary>Reads float32 tensors from a safetensors file and checks every header value against the file before using it.</summary>
/// <remarks>
/// See <see cref="SafetensorsWriter"/> for the layout. The reader rejects: a file shorter than
/// 8 bytes; a header length above <see cref="MaxHeaderBytes"/> or beyond the end of the file; a
/// header that is not a UTF-8 JSON object starting with '{'; a duplicate name; a
/// <c>__metadata__</c> entry that is not a string; a dtype other than F32; a negative dimension;
/// offsets that do not match the shape; and byte ranges that overlap, leave a gap or do not end
/// at the end of the file. Nothing is allocated from a header number before it has been checked
/// against the file length.
/// </remarks>
public static class SafetensorsReader
{
    /// <summary>Largest accepted header: 100,000,000 bytes, the limit of the reference implementation.</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const int HeaderLengthBytes = sizeof(ulong);

    /// <summary>Reads every tensor and the metadata of the safetensors file <paramref name="path"/>.</summary>
    /// <param name="path">File to read.</param>
    /// <returns>The tensors in the order of their data, and the metadata strings.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file of float32 tensors; the message names the file, the expected and the actual value.</exception>
    /// <exception cref="IOException">Reading the file failed.</exception>
    public static SafetensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = file.Length;

        // header length, checked against the file before anything is allocated from it
        if (fileLength < HeaderLengthBytes)
        {
            throw Invalid(path, $"expected at least {HeaderLengthBytes} bytes (the header length), found {fileLength}");
        }

        Span<byte> lengthBytes = stackalloc byte[HeaderLengthBytes];
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw Invalid(path, $"expected a header of at most {MaxHeaderBytes} bytes, found a header length of {headerLength}");
        }

        if (headerLength > (ulong)(fileLength - HeaderLengthBytes))
        {
            throw Invalid(path, $"the header length {headerLength} reaches past the end of the file, which has {fileLength - HeaderLengthBytes} bytes after the length field");
        }

        byte[] header = new byte[headerLength];
        file.ReadExactly(header);
        long bufferLength = fileLength - HeaderLengthBytes - (long)headerLength;

        // header entries, sorted by their first byte so that gaps and overlaps show
        (List<Entry> entries, Dictionary<string, string> metadata) = ParseHeader(path, header);
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long expectedBegin = 0;
        foreach (Entry entry in entries)
        {
            if (entry.Begin != expectedBegin)
            {
                string problem = entry.Begin < expectedBegin ? "overlaps the previous tensor" : "leaves a gap after the previous tensor";
                throw Invalid(path, $"tensor '{entry.Name}' starts at byte {entry.Begin} of the data, expected {expectedBegin}; it {problem}");
            }

            expectedBegin = entry.End;
        }

        if (expectedBegin != bufferLength)
        {
            throw Invalid(path, $"the tensors cover {expectedBegin} bytes of data, but the file contains {bufferLength} bytes after the header");
        }

        // values
        var tensors = new List<SafetensorsTensor>(entries.Count);
        foreach (Entry entry in entries)
        {
            float[] values = new float[entry.ElementCount];
            file.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(values.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }

            tensors.Add(new SafetensorsTensor(entry.Name, entry.Shape, values));
        }

        return new SafetensorsFile(tensors, metadata);
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(string path, byte[] header)
    {
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            string found = header.Length == 0 ? "an empty header" : $"byte 0x{header[0]:x2}";
            throw Invalid(path, $"expected the JSON header to start with '{{', found {found}");
        }

        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw Invalid(path, "the JSON header is not valid UTF-8 text");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException error)
        {
            throw Invalid(path, $"the header is not valid JSON: {error.Message}");
        }

        using (document)
        {
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw Invalid(path, $"the header names '{property.Name}' twice");
                }

                if (property.Name == SafetensorsWriter.MetadataKey)
                {
                    ParseMetadata(path, property.Value, metadata);
                }
                else
                {
                    entries.Add(ParseEntry(path, property));
                }
            }

            return (entries, metadata);
        }
    }

    private static void ParseMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"expected {SafetensorsWriter.MetadataKey} to be an object of strings, found {element.ValueKind}");
        }

        foreach (JsonProperty entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(path, $"expected metadata '{entry.Name}' to be a string, found {entry.Value.ValueKind}");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static Entry ParseEntry(string path, JsonProperty property)
    {
        string name = property.Name;
        JsonElement value = property.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"expected tensor '{name}' to be an object with dtype, shape and data_offsets, found {value.ValueKind}");
        }

        // dtype
        if (!value.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, $"tensor '{name}' has no dtype string");
        }

        if (dtype.GetString() != SafetensorsWriter.Float32DType)
        {
            throw Invalid(path, $"tensor '{name}' has dtype {dtype.GetString()}; only {SafetensorsWriter.Float32DType} (float32) is supported");
        }

        // shape
        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, $"tensor '{name}' has no shape array");
        }

        var shape = new List<int>();
        foreach (JsonElement size in shapeElement.EnumerateArray())
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt32(out int dimension) || dimension < 0)
            {
                throw Invalid(path, $"tensor '{name}' has the dimension {size.GetRawText()}; expected an integer from 0 to {int.MaxValue}");
            }

            shape.Add(dimension);
        }

        long count = SafetensorsTensor.ElementCount(shape);
        if (count < 0)
        {
            throw Invalid(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}], more elements than an array can hold");
        }

        // data offsets, which must span exactly the bytes of the shape
        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
        {
            throw Invalid(path, $"tensor '{name}' has data_offsets {(offsets.ValueKind == JsonValueKind.Undefined ? "missing" : offsets.GetRawText())}; expected [BEGIN, END] with 0 <= BEGIN <= END");
        }

        long expectedBytes = count * sizeof(float);
        if (end - begin != expectedBytes)
        {
            throw Invalid(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}] of {expectedBytes} bytes, but data_offsets [{begin}, {end}] span {end - begin} bytes");
        }

        return new Entry(name, shape.ToArray(), begin, end, (int)count);
    }

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"{path}: not a valid safetensors file: {problem}.");

    private sealed record Entry(string Name, int[] Shape, long Begin, long End, int ElementCount);
}
