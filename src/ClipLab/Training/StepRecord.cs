using ClipLab.Clipping;

namespace ClipLab.Training;

/// <summary>Diagnostics of one training step.</summary>
/// <param name="Iteration">Zero-based training iteration.</param>
/// <param name="Loss">Mean loss of the training batch before the update.</param>
/// <param name="Clip">What clipping did to this step's gradients.</param>
public readonly record struct StepRecord(int Iteration, double Loss, ClipStatistics Clip);
