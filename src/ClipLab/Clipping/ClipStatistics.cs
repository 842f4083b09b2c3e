namespace ClipLab.Clipping;

/// <summary>What one clipping call did to the gradients of one training step.</summary>
/// <param name="NormBefore">Global L2 norm of all gradients before clipping, whatever norm the method itself uses.</param>
/// <param name="NormAfter">Global L2 norm of all gradients after clipping, or NaN when the step was not clipped because a gradient was not finite.</param>
/// <param name="ClippedCount">Number of gradient components whose value the method changed.</param>
/// <param name="ComponentCount">Number of gradient components seen, counting only parameters that had a gradient.</param>
/// <remarks>
/// Norms are accumulated in double, so float32 gradients near 1e20, whose squares overflow
/// float32, still give a finite norm. For the norm methods, <see cref="ClippedCount"/> counts
/// the components that the scaling changed, so it leaves out zeros and components that round
/// back to their own value.
/// </remarks>
public readonly record struct ClipStatistics(double NormBefore, double NormAfter, long ClippedCount, long ComponentCount)
{
    private readonly IReadOnlyList<double>? _parameterNormsBefore;

    /// <summary>Share of components changed, in [0, 1]; 0 when there were no components.</summary>
    public double ClippedShare => ComponentCount == 0 ? 0 : (double)ClippedCount / ComponentCount;

    /// <summary>
    /// Factor that the norm methods multiplied gradients by: the single global factor for
    /// <see cref="GlobalNormClipping"/>, and the smallest factor of any tensor or unit for
    /// <see cref="NormClipping"/> and <see cref="AdaptiveClipping"/> (1 when nothing was scaled).
    /// NaN for methods that do not scale (<see cref="NoClipping"/>, <see cref="ValueClipping"/>)
    /// and for steps that were not clipped because a gradient was not finite.
    /// </summary>
    public double ScaleFactor { get; init; } = double.NaN;

    /// <summary>
    /// L2 norm of each parameter's gradient before clipping, in the order of the parameter list
    /// passed to <see cref="IGradientClipper.Clip"/>, and NaN for a parameter that had no gradient.
    /// Empty when the norms were not measured.
    /// </summary>
    public IReadOnlyList<double> ParameterNormsBefore
    {
        get => _parameterNormsBefore ?? [];
        init => _parameterNormsBefore = value;
    }

    /// <summary>
    /// True when some gradient component was NaN or infinite before clipping. In steps recorded by
    /// <see cref="ClipLab.Training.Trainer"/> it is also true when only the training loss was.
    /// </summary>
    public bool NonFinite { get; init; }
}
