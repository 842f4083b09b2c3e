using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>
/// Adaptive gradient clipping, unit-wise (AGC; Brock, De, Smith and Simonyan 2021, "High-Performance
/// Large-Scale Image Recognition Without Normalization"): each output unit's gradient is limited
/// relative to the norm of that unit's weights.
/// </summary>
/// <remarks>
/// For every unit u of a parameter that is not excluded:
/// maxNorm_u = lambda * max(||W_u||, floor) and G_u = G_u * maxNorm_u / ||G_u|| when ||G_u|| exceeds
/// maxNorm_u, with L2 norms in double, the current weights W, and floor 1e-3 by default.
/// A unit is a slice of the first dimension: one filter [IC, KH, KW] of a conv weight [OC, IC, KH, KW],
/// one row [IN] of a linear weight [OUT, IN]. A 1-D parameter such as a bias [OC] is one unit as a
/// whole, as in the authors' reference code (nfnets/agc_optax.py in google-deepmind/deepmind-research),
/// optax.adaptive_grad_clip and timm's adaptive_clip_grad, which all take the norm of the whole vector.
/// Parameters of excluded layers keep their gradients. The authors exclude the final classifier.
/// Deliberate differences from those implementations:
/// <list type="bullet">
/// <item>Weights are stored [OC, IC, KH, KW] and [OUT, IN] here, so a unit is a contiguous slice;
/// Optax and the reference code store HWIO and IO and reduce over the leading axes, which gives
/// the same units.</item>
/// <item>A parameter with more than one dimension is split into units even when it has a single
/// row. The reference code squeezes such a tensor and treats it as one vector, which differs
/// only for a weight of shape [OUT, 1].</item>
/// <item>A unit whose gradient norm exceeds maxNorm_u by less than 2^-23 of maxNorm_u is left
/// unchanged, so clipping twice equals clipping once. Optax scales it by a factor just below 1.</item>
/// <item>A negative, NaN or infinite lambda and a floor of zero or below are rejected. Optax accepts them.</item>
/// </list>
/// </remarks>
public sealed class AdaptiveClipping : IGradientClipper
{
    /// <summary>Default floor on the unit weight norm, which keeps zero-initialised units (biases) trainable.</summary>
    public const float DefaultWeightNormFloor = 1e-3f;

    private readonly string[] _excludedLayers;

    /// <summary>Creates the clipper.</summary>
    /// <param name="clipping">lambda, the largest ratio of a unit's gradient norm to its weight norm: zero or a positive finite number, for example 0.01.</param>
    /// <param name="excludedLayers">
    /// Layers whose parameters are not clipped, by layer name ("fc3" covers "fc3.weight" and
    /// "fc3.bias") or by parameter name ("fc3.bias"). May be empty. Duplicates are dropped.
    /// </param>
    /// <param name="weightNormFloor">Smallest weight norm used in the limit, a positive finite number, default 1e-3.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipping"/> is negative, NaN or infinite, or <paramref name="weightNormFloor"/> is zero, negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">An excluded name is empty or contains ',', '+', '=' or white space, which the command-line syntax cannot express.</exception>
    public AdaptiveClipping(float clipping, IEnumerable<string> excludedLayers, float weightNormFloor = DefaultWeightNormFloor)
    {
        ArgumentNullException.ThrowIfNull(excludedLayers);
        GradientScaling.RequireThreshold(clipping, nameof(clipping), "AGC clipping ratio lambda");
        if (!(weightNormFloor > 0) || !float.IsFinite(weightNormFloor))
        {
            throw new ArgumentOutOfRangeException(
                nameof(weightNormFloor),
                weightNormFloor,
                $"The AGC weight norm floor must be a positive finite number, got {GradientScaling.Format(weightNormFloor)}.");
        }

        var names = new List<string>();
        foreach (string name in excludedLayers)
        {
            if (string.IsNullOrEmpty(name) || name.Any(c => c is ',' or '+' or '=' || char.IsWhiteSpace(c)))
            {
                throw new ArgumentException(
                    $"Excluded layer name \"{name}\" is invalid: give a layer name such as \"fc3\", without ',', '+', '=' or spaces.",
                    nameof(excludedLayers));
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        Clipping = clipping;
        WeightNormFloor = weightNormFloor;
        _excludedLayers = names.ToArray();
    }

    /// <summary>lambda, the largest ratio of a unit's gradient norm to its weight norm.</summary>
    public float Clipping { get; }

    /// <summary>Smallest weight norm used in the limit.</summary>
    public float WeightNormFloor { get; }

    /// <summary>Layer or parameter names whose gradients are left unchanged, in the order given.</summary>
    public IReadOnlyList<string> ExcludedLayers => _excludedLayers;

    /// <inheritdoc/>
    /// <remarks>
    /// "agc:LAMBDA,exclude=L1+L2" with the excluded names joined by '+', or "exclude=none" when no
    /// layer is excluded, followed by ",eps=FLOOR" when the floor is not 1e-3.
    /// </remarks>
    public string Spec
    {
        get
        {
            string excluded = _excludedLayers.Length == 0 ? "none" : string.Join('+', _excludedLayers);
            string spec = $"agc:{GradientScaling.Format(Clipping)},exclude={excluded}";
            return WeightNormFloor == DefaultWeightNormFloor ? spec : $"{spec},eps={GradientScaling.Format(WeightNormFloor)}";
        }
    }

    /// <summary>Returns true when the gradient of the parameter named <paramref name="parameterName"/> is left unchanged.</summary>
    public bool IsExcluded(string parameterName)
    {
        ArgumentNullException.ThrowIfNull(parameterName);

        return _excludedLayers.Contains(parameterName) || _excludedLayers.Contains(LayerOf(parameterName));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">An excluded name matches no parameter and no layer. The message lists the layers.</exception>
    public void Validate(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        var parameterNames = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var layerNames = parameters.Select(p => LayerOf(p.Name)).Distinct(StringComparer.Ordinal).ToList();
        foreach (string excluded in _excludedLayers)
        {
            if (!parameterNames.Contains(excluded) && !layerNames.Contains(excluded, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"AGC excludes \"{excluded}\", but the model has no such layer or parameter. Its layers are: {string.Join(", ", layerNames)}.",
                    nameof(parameters));
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks><see cref="ClipStatistics.ScaleFactor"/> is the smallest factor applied to any unit, 1 when none was scaled.</remarks>
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

            if (IsExcluded(parameter.Name))
            {
                sumAfter += sums[p];
                continue;
            }

            // units: slices of the first dimension, or the whole tensor for a 1-D parameter
            int unitCount = parameter.Value.Rank == 1 ? 1 : parameter.Value.Dim(0);
            int unitLength = parameter.Length / unitCount;
            Span<float> gradient = parameter.Grad.Span;
            ReadOnlySpan<float> weight = parameter.Value.Span;
            for (int unit = 0; unit < unitCount; unit++)
            {
                Span<float> g = gradient.Slice(unit * unitLength, unitLength);
                double gradientSum = GradientNorm.SumOfSquares(g);
                double weightNorm = Math.Sqrt(GradientNorm.SumOfSquares(weight.Slice(unit * unitLength, unitLength)));

                // Math.Max and Math.Min return NaN when either argument is NaN, so NaN weights spread as in Optax
                double maxNorm = Clipping * Math.Max(weightNorm, WeightNormFloor);
                double factor = GradientScaling.ExactFactor(Math.Sqrt(gradientSum), maxNorm);
                if (factor == 1)
                {
                    sumAfter += gradientSum;
                    continue;
                }

                smallestFactor = Math.Min(smallestFactor, factor);
                changed += GradientScaling.Scale(g, factor, ref sumAfter);
            }
        }

        return GradientNorm.Statistics(sums, sumBefore, sumAfter, changed, components, smallestFactor);
    }

    /// <summary>Returns the layer part of a parameter name: "fc3" for "fc3.weight", the name itself when it has no '.'.</summary>
    private static string LayerOf(string parameterName)
    {
        int dot = parameterName.LastIndexOf('.');
        return dot < 0 ? parameterName : parameterName[..dot];
    }
}
