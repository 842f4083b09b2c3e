namespace ClipLab.Training;

/// <summary>What a training run does with a step whose loss or gradients contain NaN or infinity.</summary>
/// <remarks>The check runs after the backward pass and before clipping, so no gradient has been changed yet.</remarks>
public enum NonFinitePolicy
{
    /// <summary>
    /// Stop the run. <see cref="VariantResult.Failure"/> names the iteration and the first
    /// parameter with a non-finite gradient, and the test set is not evaluated. The default.
    /// </summary>
    Stop,

    /// <summary>
    /// Skip the update: no clipping and no optimizer step, so parameters and optimizer state
    /// (moments and step count) stay as they were. The step is recorded with
    /// <see cref="Clipping.ClipStatistics.NonFinite"/> set, and training goes on with the next batch.
    /// </summary>
    SkipStep,

    /// <summary>
    /// Clip and update anyway, as PyTorch does when clip_grad_norm_ is called with
    /// error_if_nonfinite=False: NaN and infinity reach the weights and spread from there.
    /// </summary>
    Propagate,
}
