using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>Scales each parameter's gradient tensor separately so that its norm is at most a threshold.</summary>
/// <remarks>
/// Per tensor: g = g * maxNorm / max(norm(g), maxNorm), computed in double and rounded once to
/// float32, as tf.clip_by_norm and Keras's clipnorm option do for L2. Each tensor keeps its
/// direction, but the direction of the whole gradient changes when only some tensors are scaled.
/// PyTorch and Optax have no per-tensor norm clipping. Deliberate differences:
/// <list type="bullet">
/// <item>L1 and infinity norms are offered besides L2.</item>
/// <item>A negative, NaN or infinite maxNorm is rejected. Recent TensorFlow 2 versions raise a
/// negative maxNorm to 0 and so zero the gradients, and Keras 3 ignores a clipnorm of zero or below.</item>
/// <item>An all-zero tensor with maxNorm 0 stays zero, where tf.clip_by_norm computes 0 / 0 = NaN.</item>
/// <item>A tensor whose norm exceeds maxNorm by less than 2^-23 of maxNorm is left unchanged,
/// so clipping twice equals clipping once.</item>
/// <item>A NaN norm makes that tensor NaN and an infinite norm gives it factor 0. Other tensors are unaffected.</item>
/// </list>
/// </remarks>
public sealed class NormClipping : IGradientClipper
{
    /// <summary>Creates the clipper.</summary>
    /// <param name="maxNorm">Largest norm each gradient tensor keeps, zero or a positive finite number.</param>
    /// <param name="normType">Norm measured per tensor, default L2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is negative, NaN or infinite, or <paramref name="normType"/> is not a defined value.</exception>
    public NormClipping(float maxNorm, NormType normType = NormType.L2)
    {
        GradientScaling.RequireThreshold(maxNorm, nameof(maxNorm), "maximum norm per tensor");
        if (!Enum.IsDefined(normType))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"Unknown norm type {(int)normType}. Use L1, L2 or Infinity.");
        }

        MaxNorm = maxNorm;
        NormType = normType;
    }

    /// <summary>Largest norm each gradient tensor keeps.</summary>
    public float MaxNorm { get; }

    /// <summary>Norm measured per tensor.</summary>
    public NormType NormType { get; }

    /// <inheritdoc/>
    /// <remarks>"norm:MAX", followed by ",1" or ",inf" for a norm other than L2.</remarks>
    public string Spec => NormType == NormType.L2
        ? $"norm:{GradientScaling.Format(MaxNorm)}"
        : $"norm:{GradientScaling.Format(MaxNorm)},{GradientScaling.Format(NormType)}";

    /// <inheritdoc/>
    /// <remarks><see cref="ClipStatistics.ScaleFactor"/> is the smallest factor applied to any tensor, 1 when none was scaled.</remarks>
    public ClipStatistics Clip(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        double[] sums = GradientNorm.ParameterSumsOfSquares(parameters, out double sumBefore, out long components);
        double sumAfter = 0;
        double smallestFactor = 1;
        long changed = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter parameter = parameters[p];
            if (!parameter.HasGrad)
            {
                continue;
            }

            Span<float> g = parameter.Grad.Span;
            double norm = NormType == NormType.L2 ? Math.Sqrt(sums[p]) : GradientNorm.Of(g, NormType);
            double factor = GradientScaling.ExactFactor(norm, MaxNorm);
            if (factor == 1)
            {
                sumAfter += sums[p];
                continue;
            }

            // Math.Min returns NaN when either argument is NaN, so a NaN factor shows in the statistics
            smallestFactor = Math.Min(smallestFactor, factor);
            changed += GradientScaling.Scale(g, factor, ref sumAfter);
        }

        return GradientNorm.Statistics(sums, sumBefore, sumAfter, changed, components, smallestFactor);
    }
}
