using System.Buffers.Binary;
using System.Text;
using ClipLab.Checkpoints;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Checkpoints;

/// <summary>Malformed files, each written byte by byte, must be rejected with a message that names the file and the problem.</summary>
public sealed class SafetensorsReaderTests : IDisposable
{
    private const string OneTensor = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Read_WellFormedFile_ReturnsValues()
    {
        string path = WriteFile(OneTensor, dataBytes: 8);

        SafetensorsFile file = SafetensorsReader.Read(path);

        SafetensorsTensor tensor = Assert.Single(file.Tensors);
        Assert.Equal("w", tensor.Name);
        Assert.Equal([2], tensor.Shape);
        Assert.Equal([1f, 2f], tensor.Values);
    }

    [Theory]
    [InlineData(OneTensor, 4, "cover 8 bytes of data, but the file contains 4")]
    [InlineData(OneTensor, 12, "cover 8 bytes of data, but the file contains 12")]
    [InlineData("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "dtype F16")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "span 8 bytes")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "dimension -2")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "data_offsets [8,0]")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "starts at byte 4 of the data, expected 0")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "overlaps")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}", 8, "names 'w' twice")]
    [InlineData("{\"__metadata__\":{\"seed\":1},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "metadata 'seed' to be a string")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "data_offsets missing")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", 8, "not valid JSON")]
    [InlineData(" {}", 0, "start with '{'")]
    public void Read_MalformedHeader_ThrowsNamingProblem(string header, int dataBytes, string expected)
    {
        string path = WriteFile(header, dataBytes);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Read_HeaderPastEnd_Throws()
    {
        string path = Path.Combine(_folder.Path, "huge.safetensors");
        byte[] bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 90_000_000);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Read(path));

        Assert.Contains("header length 90000000 reaches past the end of the file", error.Message);
    }

    [Fact]
    public void Read_HeaderLengthAboveLimit_Throws()
    {
        string path = Path.Combine(_folder.Path, "limit.safetensors");
        byte[] bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Read(path));

        Assert.Contains($"at most {SafetensorsReader.MaxHeaderBytes} bytes", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Read_FileShorterThanLengthField_Throws(int length)
    {
        string path = Path.Combine(_folder.Path, "short.safetensors");
        File.WriteAllBytes(path, new byte[length]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Read(path));

        Assert.Contains($"found {length}", error.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SafetensorsReader.Read(Path.Combine(_folder.Path, "missing.safetensors")));
    }

    /// <summary>Writes the length field, <paramref name="header"/> and <paramref name="dataBytes"/> bytes of float data 1, 2, 3, ...</summary>
    private string WriteFile(string header, int dataBytes)
    {
        byte[] headerBytes = Encoding.UTF8.GetBytes(header);
        byte[] bytes = new byte[8 + headerBytes.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        for (int i = 0; i + 4 <= dataBytes; i += 4)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + headerBytes.Length + i), (i / 4) + 1);
        }

        string path = Path.Combine(_folder.Path, $"file-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
