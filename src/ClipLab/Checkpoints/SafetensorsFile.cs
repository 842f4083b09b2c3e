namespace ClipLab.Checkpoints;

/// <summary>The content of a safetensors file: float32 tensors in file order and the <c>__metadata__</c> strings.</summary>
/// <param name="Tensors">Tensors in the order of their data in the file.</param>
/// <param name="Metadata">The string-to-string map stored under <c>__metadata__</c>; empty when the file has none.</param>
public sealed record SafetensorsFile(IReadOnlyList<SafetensorsTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Returns the tensor named <paramref name="name"/>, or null when the file has none of that name.</summary>
    /// <param name="name">Tensor name, compared ordinally.</param>
    public SafetensorsTensor? Find(string name) => Tensors.FirstOrDefault(tensor => tensor.Name == name);
}
