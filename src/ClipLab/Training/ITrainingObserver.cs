namespace ClipLab.Training;

/// <summary>
/// Receives measurements while a run trains, on the training thread, so that a caller can
/// print them or write them to disk as they arrive.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>Called after every training step.</summary>
    void OnStep(StepRecord step)
    {
    }

    /// <summary>Called after every validation measurement, in iteration order.</summary>
    /// <remarks>
    /// With more than one thread, validation runs beside training, and a point arrives after the
    /// steps that ran meanwhile, usually a few.
    /// </remarks>
    void OnValidation(ValidationPoint point)
    {
    }
}
