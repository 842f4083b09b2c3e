namespace ClipLab.Training;

/// <summary>Counts of (true class, predicted class) pairs over a set of classified examples.</summary>
/// <remarks>Rows are true classes and columns predicted classes, so the diagonal counts the correct predictions.</remarks>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>Creates an all-zero matrix for <paramref name="classCount"/> classes.</summary>
    /// <param name="classCount">Number of classes, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is zero or negative.</exception>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);

        ClassCount = classCount;
        _counts = new long[classCount * classCount];
    }

    /// <summary>Number of classes, the size of each side.</summary>
    public int ClassCount { get; }

    /// <summary>Number of examples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Number of examples whose predicted class is the true class: the sum of the diagonal.</summary>
    public long Correct => Enumerable.Range(0, ClassCount).Sum(c => this[c, c]);

    /// <summary>Share of examples predicted correctly, in [0, 1]; NaN when nothing was counted.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;

    /// <summary>Number of examples of class <paramref name="actual"/> that were predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">True class, 0 to <see cref="ClassCount"/> - 1.</param>
    /// <param name="predicted">Predicted class, 0 to <see cref="ClassCount"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside 0 to <see cref="ClassCount"/> - 1.</exception>
    public long this[int actual, int predicted] => _counts[Index(actual, predicted)];

    /// <summary>Counts one example.</summary>
    /// <param name="actual">True class, 0 to <see cref="ClassCount"/> - 1.</param>
    /// <param name="predicted">Predicted class, 0 to <see cref="ClassCount"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside 0 to <see cref="ClassCount"/> - 1.</exception>
    public void Add(int actual, int predicted)
    {
        _counts[Index(actual, predicted)]++;
        Total++;
    }

    /// <summary>Number of examples whose true class is <paramref name="actual"/>: the row sum.</summary>
    /// <param name="actual">True class, 0 to <see cref="ClassCount"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actual"/> is outside 0 to <see cref="ClassCount"/> - 1.</exception>
    public long ActualCount(int actual) => Enumerable.Range(0, ClassCount).Sum(predicted => this[actual, predicted]);

    /// <summary>Share of the examples of class <paramref name="actual"/> predicted correctly (recall), in [0, 1]; NaN when the class has no example.</summary>
    /// <param name="actual">True class, 0 to <see cref="ClassCount"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actual"/> is outside 0 to <see cref="ClassCount"/> - 1.</exception>
    public double Recall(int actual)
    {
        long count = ActualCount(actual);
        return count == 0 ? double.NaN : (double)this[actual, actual] / count;
    }

    private int Index(int actual, int predicted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actual);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(actual, ClassCount);
        ArgumentOutOfRangeException.ThrowIfNegative(predicted);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, ClassCount);

        return (actual * ClassCount) + predicted;
    }
}
