using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>Scales all gradients by one factor so that their joint norm is at most a threshold.</summary>
/// <remarks>
/// The norm is taken over all gradients as one vector (L1, L2 or infinity), in double.
/// <see cref="GlobalNormScaling.Exact"/>: factor = maxNorm / max(norm, maxNorm), as TensorFlow
/// and Optax compute it. <see cref="GlobalNormScaling.PyTorch"/>: factor = min(maxNorm / (norm + 1e-6), 1)
/// in float32, evaluated as PyTorch evaluates it (the reciprocal of norm + 1e-6, times maxNorm).
/// Every gradient is multiplied by the factor and rounded once to float32.
/// Deliberate differences:
/// <list type="bullet">
/// <item>A negative, NaN or infinite maxNorm is rejected. For a negative maxNorm, PyTorch and
/// Optax reverse the gradients' direction and TensorFlow leaves them unchanged.</item>
/// <item>Exact scaling leaves gradients unchanged when the norm exceeds maxNorm by less than
/// 2^-23 of maxNorm, so clipping twice equals clipping once. TensorFlow and Optax scale by a
/// factor just below 1 there.</item>
/// <item>All-zero gradients with maxNorm 0 stay zero. TensorFlow and Optax compute 0 / 0 there and return NaN.</item>
/// <item>A NaN norm makes every gradient NaN, and an infinite norm gives factor 0, as in
/// PyTorch. TensorFlow returns NaN for both.</item>
/// <item>The exact factor is computed in double and applied with one rounding. TensorFlow
/// multiplies by a float32 factor, and Optax divides by the norm then multiplies by maxNorm,
/// so their results can differ by one unit in the last place.</item>
/// <item>In PyTorch scaling, ClipLab rounds its double norm to float32 once, while PyTorch
/// reduces in float32, so the factor can differ by one unit in the last place.</item>
/// </list>
/// </remarks>
public sealed class GlobalNormClipping : IGradientClipper
{
    /// <summary>The term PyTorch adds to the norm before dividing.</summary>
    public const float PyTorchEpsilon = 1e-6f;

    /// <summary>Creates the clipper.</summary>
    /// <param name="maxNorm">Largest global norm the gradients keep, zero or a positive finite number.</param>
    /// <param name="normType">Norm measured over all gradients, default L2.</param>
    /// <param name="scaling">How the factor is computed, default <see cref="GlobalNormScaling.Exact"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxNorm"/> is negative, NaN or infinite, or <paramref name="normType"/> or
    /// <paramref name="scaling"/> is not a defined value.
    /// </exception>
    public GlobalNormClipping(float maxNorm, NormType normType = NormType.L2, GlobalNormScaling scaling = GlobalNormScaling.Exact)
    {
        GradientScaling.RequireThreshold(maxNorm, nameof(maxNorm), "maximum global norm");
        if (!Enum.IsDefined(normType))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"Unknown norm type {(int)normType}. Use L1, L2 or Infinity.");
        }

        if (!Enum.IsDefined(scaling))
        {
            throw new ArgumentOutOfRangeException(nameof(scaling), scaling, $"Unknown scaling {(int)scaling}. Use Exact or PyTorch.");
        }

        MaxNorm = maxNorm;
        NormType = normType;
        Scaling = scaling;
    }

    /// <summary>Largest global norm the gradients keep.</summary>
    public float MaxNorm { get; }

    /// <summary>Norm measured over all gradients.</summary>
    public NormType NormType { get; }

    /// <summary>How the factor is computed.</summary>
    public GlobalNormScaling Scaling { get; }

    /// <inheritdoc/>
    /// <remarks>"global-norm:MAX", followed by ",1" or ",inf" for a norm other than L2 and by ",torch" for PyTorch scaling.</remarks>
    public string Spec
    {
        get
        {
            string spec = $"global-norm:{GradientScaling.Format(MaxNorm)}";
            if (NormType != NormType.L2)
            {
                spec += "," + GradientScaling.Format(NormType);
            }

            return Scaling == GlobalNormScaling.PyTorch ? spec + ",torch" : spec;
        }
    }

    /// <inheritdoc/>
    /// <remarks><see cref="ClipStatistics.ScaleFactor"/> is the factor applied to every gradient, 1 when the norm was within the threshold.</remarks>
    public ClipStatistics Clip(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        // norms before clipping: L2 for the diagnostics, and the method's own norm
        double[] sums = GradientNorm.ParameterSumsOfSquares(parameters, out double sumBefore, out long components);
        double norm = NormType == NormType.L2 ? Math.Sqrt(sumBefore) : GradientNorm.Global(parameters, NormType);

        // one factor for all gradients
        double factor = Scaling == GlobalNormScaling.Exact ? GradientScaling.ExactFactor(norm, MaxNorm) : PyTorchFactor(norm);

        // scale: a factor of exactly 1 changes nothing, but a NaN factor must still reach every component
        double sumAfter = sumBefore;
        long changed = 0;
        if (factor != 1)
        {
            sumAfter = 0;
            foreach (Parameter parameter in parameters)
            {
                if (parameter.HasGrad)
                {
                    changed += GradientScaling.Scale(parameter.Grad.Span, factor, ref sumAfter);
                }
            }
        }

        return GradientNorm.Statistics(sums, sumBefore, sumAfter, changed, components, factor);
    }

    private float PyTorchFactor(double norm)
    {
        // torch evaluates max_norm / (total_norm + 1e-6) in float32 as reciprocal(total_norm + 1e-6) * max_norm
        float total = (float)norm;
        float coefficient = 1f / (total + PyTorchEpsilon) * MaxNorm;

        // clamp(max=1) keeps a NaN coefficient NaN
        return coefficient > 1f ? 1f : coefficient;
    }
}
