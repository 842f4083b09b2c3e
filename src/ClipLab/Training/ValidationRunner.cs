using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Tensors;

namespace ClipLab.Training;

/// <summary>
/// Measures validation batches for <see cref="Trainer"/>: on the training thread when the run
/// has one thread, otherwise on a second thread while training goes on.
/// </summary>
/// <remarks>
/// The second thread runs a copy of the network with the weights taken right after the update
/// being measured, and every kernel gives the same bits on any thread, so both ways measure the
/// same values. Only one measurement is in flight: the next one first waits for it. Points are
/// handed out in iteration order at fixed places of the loop (when the next measurement starts
/// and at the end), so observers see the same sequence of calls on every run.
/// </remarks>
internal sealed class ValidationRunner
{
    private readonly Sequential _network;
    private readonly Sequential? _copy;
    private readonly BatchSampler _sampler;
    private readonly Tensor _images;
    private readonly int[] _labels;
    private readonly SoftmaxCrossEntropy _loss = new();
    private readonly Queue<ValidationPoint> _finished = new();
    private Task<ValidationPoint>? _pending;

    /// <summary>Creates a runner for <paramref name="network"/>, overlapping with training when <paramref name="overlap"/> is set.</summary>
    /// <param name="network">The network being trained.</param>
    /// <param name="createCopy">Builds a network of the same architecture; its weights are overwritten before each measurement.</param>
    /// <param name="sampler">Source of validation batches, drawn on the training thread in iteration order.</param>
    /// <param name="batchSize">Images per validation batch.</param>
    /// <param name="overlap">Whether to measure on a second thread.</param>
    public ValidationRunner(Sequential network, Func<Sequential> createCopy, BatchSampler sampler, int batchSize, bool overlap)
    {
        _network = network;
        _sampler = sampler;
        _images = new Tensor(batchSize, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize);
        _labels = new int[batchSize];
        _copy = overlap ? createCopy() : null;
    }

    /// <summary>Draws the next validation batch and measures the network's current weights on it.</summary>
    /// <param name="iteration">Iteration whose update the measurement follows.</param>
    public void Measure(int iteration)
    {
        if (_copy is null)
        {
            _sampler.NextBatch(_images, _labels);
            _finished.Enqueue(Evaluate(_network, iteration));
            return;
        }

        // the batch buffers and the copy belong to the pending measurement until it ends
        Wait();
        _sampler.NextBatch(_images, _labels);
        CopyWeights(_network, _copy);
        _pending = Task.Run(() => Evaluate(_copy, iteration));
    }

    /// <summary>Takes the oldest finished point that has not been taken yet.</summary>
    /// <returns>False when no finished point is waiting; a pending measurement is not waited for.</returns>
    public bool TryTake(out ValidationPoint point) => _finished.TryDequeue(out point);

    /// <summary>Waits for the pending measurement, if any, so that <see cref="TryTake"/> returns its point; rethrows what it threw.</summary>
    public void Wait()
    {
        if (_pending is null)
        {
            return;
        }

        Task<ValidationPoint> pending = _pending;
        _pending = null;
        _finished.Enqueue(pending.GetAwaiter().GetResult());
    }

    private ValidationPoint Evaluate(Sequential network, int iteration)
    {
        Tensor logits = network.Infer(_images);
        double loss = _loss.Forward(logits, _labels);
        double accuracy = (double)SoftmaxCrossEntropy.CountCorrect(logits, _labels) / _labels.Length;
        return new ValidationPoint(iteration, loss, accuracy);
    }

    private static void CopyWeights(Sequential source, Sequential target)
    {
        for (int i = 0; i < source.Parameters.Count; i++)
        {
            source.Parameters[i].Value.Span.CopyTo(target.Parameters[i].Value.Span);
        }
    }
}
