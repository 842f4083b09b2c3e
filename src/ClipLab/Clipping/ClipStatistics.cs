namespace ClipLab.Clipping;

/// <summary>What one clipping call did to the gradients of one training step.</summary>
/// <param name="NormBefore">Global L2 norm of all gradients before clipping.</param>
/// <param name="NormAfter">Global L2 norm of all gradients after clipping.</param>
/// <param name="ClippedCount">Number of gradient components the method changed.</param>
/// <param name="ComponentCount">Number of gradient components seen.</param>
public readonly record struct ClipStatistics(double NormBefore, double NormAfter, long ClippedCount, long ComponentCount)
{
    /// <summary>Share of components changed, in [0, 1]; 0 when there were no components.</summary>
    public double ClippedShare => ComponentCount == 0 ? 0 : (double)ClippedCount / ComponentCount;
}
