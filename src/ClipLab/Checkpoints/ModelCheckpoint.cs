using System.Globalization;
using System.Reflection;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Training;

namespace ClipLab.Checkpoints;

/// <summary>Saves the weights of a trained LeNet-5 as a safetensors file and restores a network from one.</summary>
/// <remarks>
/// Tensor names are the parameter names, layer then tensor ("conv1.weight", "conv1.bias", ...,
/// "fc3.bias"), with PyTorch's shapes: convolution weights [outChannels, inChannels, kernelSize,
/// kernelSize] and linear weights [outFeatures, inFeatures]. fc1 takes conv2's output flattened
/// in NCHW order, as torch.flatten does, so the file loads into a PyTorch LeNet-5 of the same
/// layout with <c>load_state_dict</c>.
/// <para>
/// Metadata keys written by <see cref="CreateMetadata"/>: <c>cliplab_version</c>, <c>model</c> (<see cref="ModelName"/>), <c>dataset</c> ("mnist" or
/// "fashion-mnist"), <c>variant</c>, <c>clip_method</c>, <c>seed</c>, <c>steps</c>,
/// <c>completed</c> ("true" or "false"), and, when measured, <c>test_loss</c> and
/// <c>test_accuracy</c>. Every value is a string, as the format requires.
/// </para>
/// </remarks>
public static class ModelCheckpoint
{
    /// <summary>Value of the <c>model</c> key.</summary>
    public const string ModelName = "lenet5";

    /// <summary>Metadata key of the data set's <see cref="DatasetDefinition.Id"/>.</summary>
    public const string DatasetKey = "dataset";

    /// <summary>Metadata key of the model name.</summary>
    public const string ModelKey = "model";

    /// <summary>Builds the metadata of one trained variant.</summary>
    /// <param name="config">Settings of the run.</param>
    /// <param name="result">The variant's result.</param>
    /// <returns>The metadata strings; see the remarks of <see cref="ModelCheckpoint"/> for the keys.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> or <paramref name="result"/> is null.</exception>
    public static IReadOnlyDictionary<string, string> CreateMetadata(ExperimentConfig config, VariantResult result)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cliplab_version"] = Version,
            [ModelKey] = ModelName,
            [DatasetKey] = DatasetDefinition.Get(config.Dataset).Id,
            ["variant"] = result.Name,
            ["clip_method"] = result.ClipMethod,
            ["seed"] = config.Seed.ToString(CultureInfo.InvariantCulture),
            ["steps"] = result.Steps.Count.ToString(CultureInfo.InvariantCulture),
            ["completed"] = result.Completed ? "true" : "false",
        };
        if (double.IsFinite(result.TestLoss))
        {
            metadata["test_loss"] = result.TestLoss.ToString("R", CultureInfo.InvariantCulture);
        }

        if (double.IsFinite(result.TestAccuracy))
        {
            metadata["test_accuracy"] = result.TestAccuracy.ToString("R", CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    /// <summary>Writes <paramref name="parameters"/> and <paramref name="metadata"/> to the safetensors file <paramref name="path"/>.</summary>
    /// <param name="path">File to write, replaced if it exists; its folder must exist.</param>
    /// <param name="parameters">The network's parameters; each value is copied as it is now.</param>
    /// <param name="metadata">Strings stored under <c>__metadata__</c>, normally from <see cref="CreateMetadata"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, <paramref name="parameters"/> is empty, or two parameters share a name.</exception>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating the file.</exception>
    public static void Save(string path, IReadOnlyList<Parameter> parameters, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(metadata);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("Expected at least one parameter to save, found none.", nameof(parameters));
        }

        SafetensorsTensor[] tensors = parameters
            .Select(parameter => new SafetensorsTensor(parameter.Name, parameter.Value.Shape.ToArray(), parameter.Value.Data))
            .ToArray();
        SafetensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>Restores a LeNet-5 network from the safetensors file <paramref name="path"/>.</summary>
    /// <param name="path">A file written by <see cref="Save"/>, or any safetensors file with LeNet-5's float32 tensors under the same names and shapes.</param>
    /// <returns>The network, its data set and the metadata.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a valid safetensors file, a LeNet-5 tensor is missing or has another
    /// shape, or the file has a tensor that LeNet-5 does not have. The metadata may also name
    /// another model or an unknown data set. The message names the file and the tensor or key.
    /// </exception>
    /// <exception cref="IOException">Reading the file failed.</exception>
    public static CheckpointModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        SafetensorsFile file = SafetensorsReader.Read(path);

        // metadata: model and data set
        if (file.Metadata.TryGetValue(ModelKey, out string? model) && model != ModelName)
        {
            throw new InvalidDataException($"{path}: expected a {ModelName} checkpoint, but its metadata names the model '{model}'.");
        }

        // NOTE: a file without a data set in its metadata (for example one saved from PyTorch) is taken as MNIST.
        DatasetDefinition dataset = DatasetDefinition.Mnist;
        if (file.Metadata.TryGetValue(DatasetKey, out string? datasetId))
        {
            dataset = DatasetDefinition.Find(datasetId) ?? throw new InvalidDataException(
                $"{path}: the metadata names the data set '{datasetId}'; expected one of {string.Join(", ", DatasetDefinition.All.Select(d => d.Id))}.");
        }

        // weights: every parameter by name, with its exact shape
        Sequential network = LeNet5.Create(new Rng(0));
        foreach (Parameter parameter in network.Parameters)
        {
            SafetensorsTensor tensor = file.Find(parameter.Name) ?? throw new InvalidDataException(
                $"{path}: tensor '{parameter.Name}' is missing; a {ModelName} checkpoint has {string.Join(", ", network.Parameters.Select(p => p.Name))}.");
            if (!tensor.Shape.SequenceEqual(parameter.Value.Shape.ToArray()))
            {
                throw new InvalidDataException(
                    $"{path}: tensor '{parameter.Name}' has shape [{string.Join(", ", tensor.Shape)}], expected {parameter.Value.ShapeText}.");
            }

            tensor.Values.CopyTo(parameter.Value.Span);
        }

        string? extra = file.Tensors.Select(tensor => tensor.Name).FirstOrDefault(name => network.Parameters.All(p => p.Name != name));
        if (extra is not null)
        {
            throw new InvalidDataException($"{path}: tensor '{extra}' is not a parameter of {ModelName}; is this a checkpoint of another model?");
        }

        return new CheckpointModel(network, dataset, file.Metadata);
    }

    private static string Version =>
        typeof(ModelCheckpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelCheckpoint).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
