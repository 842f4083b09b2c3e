using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Tensors;

namespace ClipLab.Training;

/// <summary>Mean loss and accuracy of a network over a whole data split.</summary>
public static class Evaluator
{
    /// <summary>Items per forward pass: large enough to keep the kernels busy, small enough to bound memory.</summary>
    public const int ChunkSize = 500;

    /// <summary>Returns the mean loss (nats) and accuracy of <paramref name="network"/> over every item of <paramref name="split"/>.</summary>
    /// <remarks>The result does not depend on <see cref="ChunkSize"/>: items are independent and per-chunk sums are added in order in double.</remarks>
    public static (double Loss, double Accuracy) Evaluate(Sequential network, DataSplit split)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(split);

        var loss = new SoftmaxCrossEntropy();
        double lossSum = 0;
        long correct = 0;
        int[] labels = new int[ChunkSize];
        for (int start = 0; start < split.Count; start += ChunkSize)
        {
            int count = Math.Min(ChunkSize, split.Count - start);
            var images = new Tensor(
                split.Images.AsSpan(start * DataSplit.ImageLength, count * DataSplit.ImageLength).ToArray(),
                count, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize);
            for (int i = 0; i < count; i++)
            {
                labels[i] = split.Labels[start + i];
            }

            Tensor logits = network.Forward(images);
            lossSum += loss.Forward(logits, labels.AsSpan(0, count)) * count;
            correct += SoftmaxCrossEntropy.CountCorrect(logits, labels.AsSpan(0, count));
        }

        return (lossSum / split.Count, (double)correct / split.Count);
    }
}
