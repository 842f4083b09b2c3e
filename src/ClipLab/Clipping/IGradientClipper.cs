using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>A gradient-clipping method, applied once per optimizer step to the accumulated gradients.</summary>
/// <remarks>
/// Clipping the accumulated gradient once per step matters: clipping each micro-batch gradient
/// before accumulating gives a different direction. Implementations validate their settings in
/// the constructor, so an instance is always usable.
/// </remarks>
public interface IGradientClipper
{
    /// <summary>The method in command-line syntax, for example "none" or "value:-0.001,0.001", which <see cref="ClipMethod.Parse"/> reads back.</summary>
    string Spec { get; }

    /// <summary>
    /// Clips the gradients of <paramref name="parameters"/> in place and reports what changed.
    /// Parameters without a gradient this step (<see cref="Parameter.HasGrad"/> false) are skipped.
    /// </summary>
    /// <param name="parameters">The parameters of the model, in a fixed order. Their gradients are changed in place.</param>
    /// <returns>Norms before and after, the scale factor, the count of changed components and the non-finite flag.</returns>
    ClipStatistics Clip(IReadOnlyList<Parameter> parameters);

    /// <summary>
    /// Checks that the method's settings fit a model with these parameters, before training
    /// starts. The default accepts any parameters.
    /// </summary>
    /// <param name="parameters">The parameters that <see cref="Clip"/> will receive.</param>
    /// <exception cref="ArgumentException">A setting refers to something the parameters lack. The message names it.</exception>
    void Validate(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
    }
}
