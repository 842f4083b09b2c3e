using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>Passes gradients through unchanged and reports their norm.</summary>
public sealed class NoClipping : IGradientClipper
{
    public string Spec => "none";

    public ClipStatistics Clip(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        double norm = GradientNorm.Global(parameters);
        return new ClipStatistics(norm, norm, 0, GradientNorm.ComponentCount(parameters));
    }
}
