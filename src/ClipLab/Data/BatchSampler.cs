using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Data;

/// <summary>
/// Draws batches from one split in shuffled order, epoch after epoch, as TensorFlow's classic
/// MNIST reader does in <c>next_batch</c>.
/// </summary>
/// <remarks>
/// Each epoch visits the examples in a fresh random permutation. A batch of n takes the next
/// n examples of the current permutation. When fewer than n remain, the batch takes those and
/// tops up from a fresh permutation, which then continues as the next epoch. The first
/// permutation is drawn in the constructor. The order depends only on the generator passed
/// in, so give each split its own stream, such as <c>rng.Split("train")</c>.
/// <para>
/// Difference from TensorFlow: a batch larger than the split keeps drawing fresh permutations
/// until it is full, where TensorFlow returns a short batch.
/// </para>
/// </remarks>
public sealed class BatchSampler
{
    private readonly DataSplit _split;
    private readonly Rng _rng;
    private readonly int[] _order;
    private int _position;

    /// <summary>Creates a sampler over <paramref name="split"/> and draws the first permutation.</summary>
    /// <param name="split">Examples to draw from, at least one.</param>
    /// <param name="rng">Generator for the permutations. The sampler keeps it and draws from it at every new epoch.</param>
    /// <exception cref="ArgumentNullException"><paramref name="split"/> or <paramref name="rng"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="split"/> has no examples.</exception>
    public BatchSampler(DataSplit split, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(rng);
        if (split.Count == 0)
        {
            throw new ArgumentException("Expected a split with at least one example, found 0.", nameof(split));
        }

        _split = split;
        _rng = rng;
        _order = new int[split.Count];
        _rng.Permutation(_order);
    }

    /// <summary>The split this sampler draws from.</summary>
    public DataSplit Split => _split;

    /// <summary>Number of epochs whose permutation has been used up and replaced by a fresh one.</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>
    /// Fills <paramref name="indices"/> with the indices of the next examples, one per element,
    /// advancing the sampler.
    /// </summary>
    /// <param name="indices">Receives the example indices. Its length is the batch size.</param>
    public void NextIndices(Span<int> indices)
    {
        int filled = 0;
        while (filled < indices.Length)
        {
            // A used-up permutation is replaced by a fresh one, which also supplies the top-up.
            if (_position == _order.Length)
            {
                _rng.Permutation(_order);
                _position = 0;
                EpochsCompleted++;
            }

            int take = Math.Min(indices.Length - filled, _order.Length - _position);
            _order.AsSpan(_position, take).CopyTo(indices[filled..]);
            _position += take;
            filled += take;
        }
    }

    /// <summary>
    /// Copies the next batch into <paramref name="images"/> and <paramref name="labels"/>. The
    /// batch size n is <c>images.Dim(0)</c>, and nothing is allocated.
    /// </summary>
    /// <param name="images">Receives the images, shape [n, 1, 32, 32].</param>
    /// <param name="labels">Receives the class of each image, 0-9, in a span of length n.</param>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="images"/> is not of shape [n, 1, 32, 32], or the length of
    /// <paramref name="labels"/> differs from n. The message names both shapes.
    /// </exception>
    public void NextBatch(Tensor images, Span<int> labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        int batchSize = images.Dim(0);
        ReadOnlySpan<int> expectedShape = [batchSize, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize];
        if (!images.HasShape(expectedShape))
        {
            throw new ArgumentException(
                $"Expected an image tensor of shape {Tensor.FormatShape(expectedShape)}, found {images.ShapeText}.", nameof(images));
        }

        if (labels.Length != batchSize)
        {
            throw new ArgumentException(
                $"Expected {batchSize} labels for images of shape {images.ShapeText}, found a label span of length {labels.Length}.",
                nameof(labels));
        }

        // Indices go into the label span first, then each is replaced by its label.
        NextIndices(labels);
        Span<float> destination = images.Span;
        for (int n = 0; n < batchSize; n++)
        {
            int index = labels[n];
            _split.CopyImages(index, 1, destination.Slice(n * DataSplit.ImageLength, DataSplit.ImageLength));
            labels[n] = _split.Labels[index];
        }
    }
}
