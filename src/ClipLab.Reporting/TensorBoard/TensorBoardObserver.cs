using ClipLab.Training;

namespace ClipLab.Reporting.TensorBoard;

/// <summary>Writes one variant's measurements into a TensorBoard event file while it trains.</summary>
/// <remarks>
/// Tags, all at the iteration as step: every step <c>train/loss</c>, <c>train/grad_norm_before</c>,
/// <c>train/grad_norm_after</c> and <c>train/clipped_share</c>; every validation point
/// <c>validation/loss</c> and <c>validation/accuracy</c>; and, from <see cref="WriteTest"/>,
/// <c>test/loss</c> and <c>test/accuracy</c> at the number of steps trained. The file is flushed at
/// every validation point, so an interrupted run keeps what it measured.
/// </remarks>
public sealed class TensorBoardObserver : ITrainingObserver, IDisposable
{
    /// <summary>Tag of the training batch's loss.</summary>
    public const string TrainLossTag = "train/loss";

    /// <summary>Tag of the global L2 gradient norm before clipping.</summary>
    public const string GradNormBeforeTag = "train/grad_norm_before";

    /// <summary>Tag of the global L2 gradient norm after clipping.</summary>
    public const string GradNormAfterTag = "train/grad_norm_after";

    /// <summary>Tag of the share of gradient components that clipping changed.</summary>
    public const string ClippedShareTag = "train/clipped_share";

    /// <summary>Tag of the validation batch's loss.</summary>
    public const string ValidationLossTag = "validation/loss";

    /// <summary>Tag of the validation batch's accuracy.</summary>
    public const string ValidationAccuracyTag = "validation/accuracy";

    /// <summary>Tag of the test set's loss.</summary>
    public const string TestLossTag = "test/loss";

    /// <summary>Tag of the test set's accuracy.</summary>
    public const string TestAccuracyTag = "test/accuracy";

    private readonly TensorBoardEventWriter _writer;

    /// <summary>Creates an event file in <paramref name="directory"/>.</summary>
    /// <param name="directory">Folder of this variant's event file, created if needed.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="IOException">The folder or file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public TensorBoardObserver(string directory)
    {
        _writer = new TensorBoardEventWriter(directory);
    }

    /// <summary>Absolute path of the event file.</summary>
    public string FilePath => _writer.FilePath;

    /// <summary>Writes the step's training loss, gradient norms and clipped share.</summary>
    /// <param name="step">The step's diagnostics.</param>
    public void OnStep(StepRecord step)
    {
        _writer.WriteScalars(step.Iteration,
        [
            new(TrainLossTag, step.Loss),
            new(GradNormBeforeTag, step.Clip.NormBefore),
            new(GradNormAfterTag, step.Clip.NormAfter),
            new(ClippedShareTag, step.Clip.ClippedShare),
        ]);
    }

    /// <summary>Writes the validation loss and accuracy and flushes the file.</summary>
    /// <param name="point">The validation point.</param>
    public void OnValidation(ValidationPoint point)
    {
        _writer.WriteScalars(point.Iteration, [new(ValidationLossTag, point.Loss), new(ValidationAccuracyTag, point.Accuracy)]);
        _writer.Flush();
    }

    /// <summary>Writes the test loss and accuracy of a completed run at the number of steps trained; does nothing for a run that stopped early.</summary>
    /// <param name="result">The variant's result.</param>
    /// <exception cref="IOException">Writing failed.</exception>
    public void WriteTest(VariantResult result)
    {
        ArgumentNullException.ThrowIfNull(result);

        if (result.Completed)
        {
            _writer.WriteScalars(result.Steps.Count, [new(TestLossTag, result.TestLoss), new(TestAccuracyTag, result.TestAccuracy)]);
            _writer.Flush();
        }
    }

    /// <summary>Flushes and closes the event file.</summary>
    public void Dispose() => _writer.Dispose();
}
