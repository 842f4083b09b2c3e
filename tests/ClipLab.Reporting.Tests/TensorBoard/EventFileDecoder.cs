using System.Buffers.Binary;
using System.Text;
using Xunit.Sdk;

namespace ClipLab.Reporting.Tests.TensorBoard;

/// <summary>One decoded Event message: the fields TensorBoard's scalar view reads.</summary>
internal sealed record DecodedEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Values);

/// <summary>
/// Decodes a TensorBoard event file without ClipLab's writer code: its own table-driven CRC-32C,
/// its own TFRecord framing and its own protocol buffer wire-format parser, written from the
/// TFRecord description and from TensorFlow's event.proto and summary.proto field numbers.
/// </summary>
internal static class EventFileDecoder
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Returns the events of <paramref name="path"/>; fails the test on a wrong checksum or a truncated record.</summary>
    public static List<DecodedEvent> Decode(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        var events = new List<DecodedEvent>();
        int position = 0;
        while (position < file.Length)
        {
            // uint64 length, uint32 masked CRC of the length, data, uint32 masked CRC of the data
            if (file.Length - position < 12)
            {
                throw new XunitException($"record at byte {position}: {file.Length - position} bytes left, fewer than a 12-byte header");
            }

            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(position));
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 8));
            Check(MaskedCrc(file.AsSpan(position, 8)), lengthCrc, $"length CRC of the record at byte {position}");
            int dataStart = position + 12;
            if ((ulong)(file.Length - dataStart) < length + 4)
            {
                throw new XunitException($"record at byte {position}: length {length} runs past the end of the file");
            }

            ReadOnlySpan<byte> data = file.AsSpan(dataStart, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(dataStart + (int)length));
            Check(MaskedCrc(data), dataCrc, $"data CRC of the record at byte {position}");
            events.Add(ParseEvent(data));
            position = dataStart + (int)length + 4;
        }

        return events;
    }

    /// <summary>CRC-32C with the reflected polynomial 0x82F63B78, computed bit by bit through a 256-entry table.</summary>
    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc = CrcTable[(crc ^ value) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFF;
    }

    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? 0x82F63B78 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static void Check(uint expected, uint actual, string what)
    {
        if (expected != actual)
        {
            throw new XunitException($"{what}: expected 0x{expected:x8}, found 0x{actual:x8}");
        }
    }

    // Event: 1 double wall_time, 2 int64 step, 3 string file_version, 5 Summary summary
    private static DecodedEvent ParseEvent(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new List<(string, float)>();
        var reader = new WireReader(data.ToArray());
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.ReadKey();
            switch (field, wireType)
            {
                case (1, 1): wallTime = BitConverter.Int64BitsToDouble((long)reader.ReadFixed64()); break;
                case (2, 0): step = (long)reader.ReadVarint(); break;
                case (3, 2): fileVersion = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case (5, 2): values.AddRange(ParseSummary(reader.ReadBytes())); break;
                default: throw new XunitException($"Event: unexpected field {field} with wire type {wireType}");
            }
        }

        return new DecodedEvent(wallTime, step, fileVersion, values);
    }

    // Summary: repeated Value value = 1; Value: 1 string tag, 2 float simple_value
    private static IEnumerable<(string, float)> ParseSummary(byte[] data)
    {
        var summary = new WireReader(data);
        while (!summary.AtEnd)
        {
            (int field, int wireType) = summary.ReadKey();
            if ((field, wireType) != (1, 2))
            {
                throw new XunitException($"Summary: unexpected field {field} with wire type {wireType}");
            }

            var value = new WireReader(summary.ReadBytes());
            string? tag = null;
            float? simpleValue = null;
            while (!value.AtEnd)
            {
                (int valueField, int valueWire) = value.ReadKey();
                switch (valueField, valueWire)
                {
                    case (1, 2): tag = Encoding.UTF8.GetString(value.ReadBytes()); break;
                    case (2, 5): simpleValue = BitConverter.Int32BitsToSingle((int)value.ReadFixed32()); break;
                    default: throw new XunitException($"Summary.Value: unexpected field {valueField} with wire type {valueWire}");
                }
            }

            yield return (tag ?? throw new XunitException("Summary.Value without a tag"),
                simpleValue ?? throw new XunitException($"Summary.Value '{tag}' without a simple_value"));
        }
    }

    /// <summary>Reads protocol buffer wire format: varints (7 bits per byte, low group first) and fixed little-endian fields.</summary>
    private sealed class WireReader(byte[] data)
    {
        private int _position;

        public bool AtEnd => _position >= data.Length;

        public (int Field, int WireType) ReadKey()
        {
            ulong key = ReadVarint();
            return ((int)(key >> 3), (int)(key & 7));
        }

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte next = data[_position++];
                result |= (ulong)(next & 0x7F) << shift;
                if ((next & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new XunitException("varint longer than 10 bytes");
        }

        public ulong ReadFixed64()
        {
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(_position));
            _position += 8;
            return value;
        }

        public uint ReadFixed32()
        {
            uint value = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(_position));
            _position += 4;
            return value;
        }

        public byte[] ReadBytes()
        {
            int length = (int)ReadVarint();
            byte[] bytes = data.AsSpan(_position, length).ToArray();
            _position += length;
            return bytes;
        }
    }
}
