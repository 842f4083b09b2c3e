using ClipLab.Tensors;

namespace ClipLab.Losses;

// Index legend: n batch item, c class.

/// <summary>
/// Softmax cross-entropy averaged over the batch, fused with its gradient.
/// Logits [N, C] and labels [N] -> scalar loss; backward -> logits gradient [N, C].
/// </summary>
/// <remarks>
/// loss = (1/N) sum_n (logsumexp(z_n) - z_n[label_n]); dL/dz = (softmax(z) - onehot) / N.
/// Both subtract the row maximum before exponentiating, so logits of any finite magnitude
/// neither overflow nor lose the label's term.
/// </remarks>
public sealed class SoftmaxCrossEntropy
{
    private readonly TensorCache _grads = new();
    private Tensor? _probabilities;
    private int[]? _labels;
    private int _batchSize;

    /// <summary>Returns the mean loss, in nats, and caches the softmax for <see cref="Backward"/>.</summary>
    /// <param name="logits">Unnormalised scores [N, C].</param>
    /// <param name="labels">Class of each item, N values in [0, C).</param>
    /// <exception cref="ArgumentException">The shapes disagree or a label is outside [0, C).</exception>
    public double Forward(Tensor logits, ReadOnlySpan<int> labels)
    {
        ValidateInputs(logits, labels);

        int batchSize = logits.Dim(0);
        int classes = logits.Dim(1);
        Tensor probabilities = _grads.Get(batchSize, classes);
        if (_labels is null || _labels.Length < batchSize)
        {
            _labels = new int[batchSize];
        }

        labels.CopyTo(_labels);
        _batchSize = batchSize;
        double total = 0;
        for (int n = 0; n < batchSize; n++)
        {
            ReadOnlySpan<float> z = logits.Span.Slice(n * classes, classes);
            Span<float> p = probabilities.Span.Slice(n * classes, classes);

            // subtract the row maximum so that exp cannot overflow
            float max = Max(z);
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                float e = MathF.Exp(z[c] - max);
                p[c] = e;
                sum += e;
            }

            // normalise; loss_n = log(sum) - (z[label] - max)
            float inverse = (float)(1.0 / sum);
            for (int c = 0; c < classes; c++)
            {
                p[c] *= inverse;
            }

            total += Math.Log(sum) - (z[labels[n]] - max);
        }

        _probabilities = probabilities;
        return total / batchSize;
    }

    /// <summary>Returns dLoss/dLogits [N, C] = (softmax - onehot) / N for the latest <see cref="Forward"/>.</summary>
    /// <exception cref="InvalidOperationException">No forward pass preceded this call.</exception>
    public Tensor Backward()
    {
        Tensor probabilities = _probabilities ?? throw new InvalidOperationException("Backward was called before Forward.");
        int classes = probabilities.Dim(1);

        // the probabilities buffer becomes the gradient: subtract the one-hot label, divide by N
        Span<float> g = probabilities.Span;
        for (int n = 0; n < _batchSize; n++)
        {
            g[n * classes + _labels![n]] -= 1f;
        }

        for (int i = 0; i < g.Length; i++)
        {
            g[i] /= _batchSize;
        }

        _probabilities = null;
        return probabilities;
    }

    /// <summary>Returns the number of items whose largest logit (the first, on ties) is the label.</summary>
    /// <exception cref="ArgumentException">The shapes disagree or a label is outside [0, C).</exception>
    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        ValidateInputs(logits, labels);

        int classes = logits.Dim(1);
        int correct = 0;
        for (int n = 0; n < logits.Dim(0); n++)
        {
            int predicted = PredictedClass(logits.Span.Slice(n * classes, classes));
            if (predicted == labels[n])
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>Returns the index of the largest of <paramref name="logits"/>: the first on ties, the first NaN when there is one.</summary>
    public static int PredictedClass(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            if (float.IsNaN(logits[c]))
            {
                return c;
            }

            if (logits[c] > logits[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>Returns the largest value, or NaN when there is one.</summary>
    private static float Max(ReadOnlySpan<float> values)
    {
        float max = values[0];
        foreach (float value in values)
        {
            if (value > max || float.IsNaN(value))
            {
                max = value;
            }
        }

        return max;
    }

    private static void ValidateInputs(Tensor logits, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2)
        {
            throw new ArgumentException($"Logits must have shape [N, C], got {logits.ShapeText}.", nameof(logits));
        }

        if (labels.Length != logits.Dim(0))
        {
            throw new ArgumentException($"Got {labels.Length} labels for logits of shape {logits.ShapeText}.", nameof(labels));
        }

        int classes = logits.Dim(1);
        for (int n = 0; n < labels.Length; n++)
        {
            if ((uint)labels[n] >= (uint)classes)
            {
                throw new ArgumentException($"Label {labels[n]} of item {n} is outside [0, {classes}).", nameof(labels));
            }
        }
    }
}
