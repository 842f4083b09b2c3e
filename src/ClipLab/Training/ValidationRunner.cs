using System.Runtime.ExceptionServices;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Tensors;

namespace ClipLab.Training;

/// <summary>
/// Measures validation batches for <see cref="Trainer"/>: on the training thread when the run
/// has one thread, otherwise on a worker thread of its own while training goes on.
/// </summary>
/// <remarks>
/// The worker runs a copy of the network with the weights taken right after the update being
/// measured, and every kernel gives the same bits on any thread, so both ways measure the same
/// values. Only one measurement is in flight: the next one first waits for it. Points are
/// handed out in iteration order as soon as the training loop looks after a step, so a point
/// reaches the observers (and metrics.csv) a few steps after its update. The worker is a
/// dedicated thread rather than the thread pool, whose threads may all be busy elsewhere in
/// the process (a test host, for one), which would hold a measurement back for seconds.
/// </remarks>
internal sealed class ValidationRunner : IDisposable
{
    private readonly Sequential _network;
    private readonly Sequential? _copy;
    private readonly BatchSampler _sampler;
    private readonly Tensor _images;
    private readonly int[] _labels;
    private readonly SoftmaxCrossEntropy _loss = new();
    private readonly Queue<ValidationPoint> _finished = new();
    private readonly Thread? _worker;
    private readonly SemaphoreSlim _requested = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private int _pendingIteration = -1;
    private ValidationPoint _result;
    private ExceptionDispatchInfo? _error;
    private bool _stopping;

    /// <summary>Creates a runner for <paramref name="network"/>, overlapping with training when <paramref name="overlap"/> is set.</summary>
    /// <param name="network">The network being trained.</param>
    /// <param name="createCopy">Builds a network of the same architecture; its weights are overwritten before each measurement.</param>
    /// <param name="sampler">Source of validation batches, drawn on the training thread in iteration order.</param>
    /// <param name="batchSize">Images per validation batch.</param>
    /// <param name="overlap">Whether to measure on a worker thread.</param>
    public ValidationRunner(Sequential network, Func<Sequential> createCopy, BatchSampler sampler, int batchSize, bool overlap)
    {
        _network = network;
        _sampler = sampler;
        _images = new Tensor(batchSize, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize);
        _labels = new int[batchSize];
        if (overlap)
        {
            _copy = createCopy();
            _worker = new Thread(WorkerLoop) { IsBackground = true, Name = "ClipLab validation" };
            _worker.Start();
        }
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
        _pendingIteration = iteration;
        _done.Reset();
        _requested.Release();
    }

    /// <summary>Queues the pending measurement's point if it has finished, without waiting.</summary>
    public void CollectFinished()
    {
        if (_pendingIteration >= 0 && _done.IsSet)
        {
            Wait();
        }
    }

    /// <summary>Takes the oldest finished point that has not been taken yet.</summary>
    /// <returns>False when no finished point is waiting; a pending measurement is not waited for.</returns>
    public bool TryTake(out ValidationPoint point) => _finished.TryDequeue(out point);

    /// <summary>Waits for the pending measurement, if any, so that <see cref="TryTake"/> returns its point; rethrows what it threw.</summary>
    public void Wait()
    {
        if (_pendingIteration < 0)
        {
            return;
        }

        _done.Wait();
        _pendingIteration = -1;
        if (_error is not null)
        {
            ExceptionDispatchInfo error = _error;
            _error = null;
            error.Throw();
        }

        _finished.Enqueue(_result);
    }

    /// <summary>Stops the worker thread after any pending measurement.</summary>
    public void Dispose()
    {
        if (_worker is null)
        {
            return;
        }

        _stopping = true;
        _requested.Release();
        _worker.Join();
        _requested.Dispose();
        _done.Dispose();
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _requested.Wait();
            if (_stopping)
            {
                return;
            }

            try
            {
                _result = Evaluate(_copy!, _pendingIteration);
            }
            catch (Exception error)
            {
                _error = ExceptionDispatchInfo.Capture(error);
            }

            // Set publishes _result and _error to the training thread, which reads them after Wait
            _done.Set();
        }
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
