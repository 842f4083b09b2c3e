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

    /// <summary>Called after every validation measurement.</summary>
    void OnValidation(ValidationPoint point)
    {
    }
}
