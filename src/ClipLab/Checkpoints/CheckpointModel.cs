using ClipLab.Data;
using ClipLab.Layers;

namespace ClipLab.Checkpoints;

/// <summary>A LeNet-5 network restored from a checkpoint, with the data set it was trained on and the checkpoint's metadata.</summary>
/// <param name="Network">The network with the checkpoint's weights, ready for <see cref="Sequential.Infer"/>.</param>
/// <param name="Dataset">The data set named in the metadata; MNIST when the checkpoint names none.</param>
/// <param name="Metadata">Every <c>__metadata__</c> string of the file; see <see cref="ModelCheckpoint"/> for the keys ClipLab writes.</param>
public sealed record CheckpointModel(Sequential Network, DatasetDefinition Dataset, IReadOnlyDictionary<string, string> Metadata);
