namespace ClipLab.Training;

/// <summary>Mean loss, accuracy and confusion matrix of a network over a whole data split.</summary>
/// <param name="Loss">Mean softmax cross-entropy, in nats.</param>
/// <param name="Accuracy">Share of examples whose largest logit is the true class, in [0, 1].</param>
/// <param name="Confusion">Counts of (true class, predicted class); the predicted class is the index of the largest logit, the first one on a tie.</param>
public sealed record ClassificationReport(double Loss, double Accuracy, ConfusionMatrix Confusion);
