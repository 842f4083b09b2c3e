using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>A gradient-clipping method, applied once per optimizer step to the accumulated gradients.</summary>
public interface IGradientClipper
{
    /// <summary>The method in command-line syntax, for example "none" or "value:-0.001,0.001".</summary>
    string Spec { get; }

    /// <summary>
    /// Clips the gradients of <paramref name="parameters"/> in place and reports what changed.
    /// Parameters without a gradient this step (<see cref="Parameter.HasGrad"/> false) are skipped.
    /// </summary>
    ClipStatistics Clip(IReadOnlyList<Parameter> parameters);
}
