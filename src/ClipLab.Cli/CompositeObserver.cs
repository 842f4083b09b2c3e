using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>Passes every measurement to several observers, in the order given.</summary>
internal sealed class CompositeObserver(params ITrainingObserver[] observers) : ITrainingObserver
{
    public void OnStep(StepRecord step)
    {
        foreach (ITrainingObserver observer in observers)
        {
            observer.OnStep(step);
        }
    }

    public void OnValidation(ValidationPoint point)
    {
        foreach (ITrainingObserver observer in observers)
        {
            observer.OnValidation(point);
        }
    }
}
