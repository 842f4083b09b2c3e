using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ClipLab.Checkpoints;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Checkpoints;

public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Write_LeNet5_PythonReaderAgrees()
    {
        Sequential network = LeNet5.Create(new Rng(7));
        string path = Path.Combine(_folder.Path, "model.safetensors");
        var metadata = new Dictionary<string, string> { ["variant"] = "none", ["seed"] = "7" };

        ModelCheckpoint.Save(path, network.Parameters, metadata);
        using JsonDocument read = IndependentSafetensorsReader.Read(path);

        JsonElement tensors = read.RootElement.GetProperty("tensors");
        Assert.Equal(network.Parameters.Count, tensors.EnumerateObject().Count());
        foreach (Parameter parameter in network.Parameters)
        {
            Assert.True(tensors.TryGetProperty(parameter.Name, out JsonElement tensor), $"{parameter.Name} is missing");
            Assert.Equal("F32", tensor.GetProperty("dtype").GetString());
            Assert.Equal(parameter.Value.Shape.ToArray(), tensor.GetProperty("shape").EnumerateArray().Select(size => size.GetInt32()).ToArray());
            float[] values = tensor.GetProperty("values").EnumerateArray().Select(value => (float)value.GetDouble()).ToArray();
            NumericAssert.BitwiseEqual(parameter.Value.Span, values, parameter.Name);
        }

        Assert.Equal("none", read.RootElement.GetProperty("metadata").GetProperty("variant").GetString());
        Assert.Equal("7", read.RootElement.GetProperty("metadata").GetProperty("seed").GetString());
    }

    [Fact]
    public void Write_LeNet5_UsesPyTorchShapes()
    {
        Sequential network = LeNet5.Create(new Rng(7));
        string path = Path.Combine(_folder.Path, "model.safetensors");

        ModelCheckpoint.Save(path, network.Parameters, new Dictionary<string, string>());
        SafetensorsFile file = SafetensorsReader.Read(path);

        var expected = new Dictionary<string, int[]>
        {
            ["conv1.weight"] = [6, 1, 5, 5], ["conv1.bias"] = [6],
            ["conv2.weight"] = [16, 6, 5, 5], ["conv2.bias"] = [16],
            ["fc1.weight"] = [120, 400], ["fc1.bias"] = [120],
            ["fc2.weight"] = [84, 120], ["fc2.bias"] = [84],
            ["fc3.weight"] = [10, 84], ["fc3.bias"] = [10],
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), file.Tensors.Select(tensor => tensor.Name));
        foreach (SafetensorsTensor tensor in file.Tensors)
        {
            Assert.Equal(expected[tensor.Name], tensor.Shape);
        }
    }

    [Fact]
    public void Write_Header_PaddedToEightBytes()
    {
        string path = Path.Combine(_folder.Path, "small.safetensors");
        SafetensorsTensor[] tensors = [new("b", [2], [1f, 2f]), new("a", [1, 3], [3f, 4f, 5f])];

        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["note"] = "x" });
        byte[] bytes = File.ReadAllBytes(path);

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, (8 + headerLength) % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"note\":\"x\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[0,12]},\"b\":", header);
        Assert.All(header[(header.LastIndexOf('}') + 1)..].ToCharArray(), padding => Assert.Equal(' ', padding));
        Assert.Equal(8 + (int)headerLength + (5 * sizeof(float)), bytes.Length);
        Assert.Equal(3f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)headerLength)));
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)headerLength + 12)));
    }

    [Fact]
    public void Write_ScalarAndEmptyTensors_RoundTrip()
    {
        string path = Path.Combine(_folder.Path, "shapes.safetensors");
        SafetensorsTensor[] tensors = [new("scalar", [], [float.Pi]), new("empty", [0, 3], []), new("nan", [2], [float.NaN, float.NegativeInfinity])];

        SafetensorsWriter.Write(path, tensors);
        SafetensorsFile file = SafetensorsReader.Read(path);

        Assert.Equal([float.Pi], file.Find("scalar")!.Values);
        Assert.Empty(file.Find("scalar")!.Shape);
        Assert.Equal([0, 3], file.Find("empty")!.Shape);
        NumericAssert.BitwiseEqual([float.NaN, float.NegativeInfinity], file.Find("nan")!.Values, "nan");
        Assert.Empty(file.Metadata);
    }

    [Theory]
    [InlineData("", "not allowed")]
    [InlineData("__metadata__", "not allowed")]
    public void Write_ReservedName_Throws(string name, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(new MemoryStream(), [new SafetensorsTensor(name, [1], [0f])]));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Write_DuplicateName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(new MemoryStream(), [new SafetensorsTensor("w", [1], [0f]), new SafetensorsTensor("w", [1], [1f])]));

        Assert.Contains("'w' appears twice", error.Message);
    }

    [Fact]
    public void Write_ValueCountDiffersFromShape_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(new MemoryStream(), [new SafetensorsTensor("w", [2, 2], [0f])]));

        Assert.Contains("[2, 2]", error.Message);
        Assert.Contains("1 values", error.Message);
    }

    [Fact]
    public void Write_ExistingFile_IsReplacedWithoutTemporaryLeftovers()
    {
        string path = Path.Combine(_folder.Path, "model.safetensors");
        File.WriteAllText(path, "old content");

        SafetensorsWriter.Write(path, [new SafetensorsTensor("w", [1], [2f])]);

        Assert.Equal([2f], SafetensorsReader.Read(path).Find("w")!.Values);
        Assert.Equal(["model.safetensors"], _folder.FileNames());
    }
}
