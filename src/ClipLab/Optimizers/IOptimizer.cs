namespace ClipLab.Optimizers;

/// <summary>Updates parameters from their accumulated gradients.</summary>
public interface IOptimizer
{
    /// <summary>Number of steps taken so far.</summary>
    int StepCount { get; }

    /// <summary>Applies one update to every parameter that has a gradient; parameters without one are left unchanged.</summary>
    void Step();
}
