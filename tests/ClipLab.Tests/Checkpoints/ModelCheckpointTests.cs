using ClipLab.Checkpoints;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Checkpoints;

public sealed class ModelCheckpointTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_SavedNetwork_GivesSameLogits()
    {
        Sequential trained = LeNet5.Create(new Rng(3));
        string path = Path.Combine(_folder.Path, "model.safetensors");
        ModelCheckpoint.Save(path, trained.Parameters, new Dictionary<string, string> { [ModelCheckpoint.DatasetKey] = "fashion-mnist" });
        Tensor input = RandomTensors.Normal(new Rng(4), 3, 1, 32, 32);

        CheckpointModel restored = ModelCheckpoint.Load(path);

        float[] expected = trained.Forward(input).Span.ToArray();
        NumericAssert.BitwiseEqual(expected, restored.Network.Forward(input).Span, "logits");
        Assert.Same(DatasetDefinition.FashionMnist, restored.Dataset);
    }

    [Fact]
    public void Load_NoDatasetInMetadata_AssumesMnist()
    {
        string path = Path.Combine(_folder.Path, "model.safetensors");
        ModelCheckpoint.Save(path, LeNet5.Create(new Rng(3)).Parameters, new Dictionary<string, string>());

        CheckpointModel restored = ModelCheckpoint.Load(path);

        Assert.Same(DatasetDefinition.Mnist, restored.Dataset);
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingIt()
    {
        string path = Path.Combine(_folder.Path, "model.safetensors");
        SafetensorsWriter.Write(path, LeNet5Tensors().Where(tensor => tensor.Name != "fc2.bias").ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(path));

        Assert.Contains("'fc2.bias' is missing", error.Message);
    }

    [Fact]
    public void Load_WrongShape_ThrowsNamingBothShapes()
    {
        string path = Path.Combine(_folder.Path, "model.safetensors");
        SafetensorsTensor[] tensors = LeNet5Tensors()
            .Select(tensor => tensor.Name == "fc1.weight" ? tensor with { Shape = [400, 120] } : tensor)
            .ToArray();
        SafetensorsWriter.Write(path, tensors);

        var error = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(path));

        Assert.Contains("'fc1.weight' has shape [400, 120], expected [120, 400]", error.Message);
    }

    [Fact]
    public void Load_ExtraTensor_Throws()
    {
        string path = Path.Combine(_folder.Path, "model.safetensors");
        SafetensorsWriter.Write(path, LeNet5Tensors().Append(new SafetensorsTensor("fc4.weight", [1], [0f])).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(path));

        Assert.Contains("'fc4.weight' is not a parameter", error.Message);
    }

    [Theory]
    [InlineData(ModelCheckpoint.DatasetKey, "cifar10", "data set 'cifar10'")]
    [InlineData(ModelCheckpoint.ModelKey, "resnet18", "model 'resnet18'")]
    public void Load_UnknownMetadata_Throws(string key, string value, string expected)
    {
        string path = Path.Combine(_folder.Path, "model.safetensors");
        SafetensorsWriter.Write(path, LeNet5Tensors(), new Dictionary<string, string> { [key] = value });

        var error = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(path));

        Assert.Contains(expected, error.Message);
    }

    private static SafetensorsTensor[] LeNet5Tensors() =>
        LeNet5.Create(new Rng(5)).Parameters
            .Select(parameter => new SafetensorsTensor(parameter.Name, parameter.Value.Shape.ToArray(), parameter.Value.Data))
            .ToArray();
}
