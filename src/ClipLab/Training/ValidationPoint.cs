namespace ClipLab.Training;

/// <summary>Loss and accuracy of one validation batch, measured after the update of <see cref="Iteration"/>.</summary>
/// <param name="Iteration">Zero-based training iteration whose update preceded the measurement.</param>
/// <param name="Loss">Mean softmax cross-entropy over the batch, in nats.</param>
/// <param name="Accuracy">Share of the batch classified correctly, in [0, 1].</param>
public readonly record struct ValidationPoint(int Iteration, double Loss, double Accuracy);
