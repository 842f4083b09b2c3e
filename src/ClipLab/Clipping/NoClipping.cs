using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>Passes gradients through unchanged and reports their norms.</summary>
public sealed class NoClipping : IGradientClipper
{
    /// <inheritdoc/>
    public string Spec => "none";

    /// <inheritdoc/>
    /// <remarks><see cref="ClipStatistics.NormAfter"/> equals <see cref="ClipStatistics.NormBefore"/>, and <see cref="ClipStatistics.ScaleFactor"/> is NaN.</remarks>
    public ClipStatistics Clip(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        double[] sums = GradientNorm.ParameterSumsOfSquares(parameters, out double total, out long components);
        return GradientNorm.Statistics(sums, total, total, 0, components, double.NaN);
    }
}
