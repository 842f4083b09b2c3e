namespace ClipLab.Clipping;

/// <summary>The vector norm that a norm-based clipping method measures.</summary>
public enum NormType
{
    /// <summary>Sum of absolute values, written "1" in command-line syntax.</summary>
    L1,

    /// <summary>Euclidean norm, the square root of the sum of squares, written "2" (the default).</summary>
    L2,

    /// <summary>Largest absolute value, written "inf". A NaN component makes the norm NaN.</summary>
    Infinity,
}
