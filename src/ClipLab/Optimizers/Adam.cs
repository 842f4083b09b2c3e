using System.Runtime.Intrinsics;
using ClipLab.Layers;

namespace ClipLab.Optimizers;

/// <summary>Adam (Kingma and Ba 2015) with a choice of where epsilon enters the denominator.</summary>
/// <remarks>
/// Moments: m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2, per component.
/// TensorFlow 1 (the default): theta -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon).
/// PyTorch: theta -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon).
/// The two differ when sqrt(v) is comparable to epsilon: with g = 1e-5 at t = 1 and lr 0.01 the
/// first update is 0.0096935 in TensorFlow 1's placement and 0.0099900 in PyTorch's.
/// The step counter t advances once per <see cref="Step"/>, shared by all parameters. Scalar
/// coefficients are computed in double and applied in float32.
/// </remarks>
public sealed class Adam : IOptimizer
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly float[][] _firstMoment;
    private readonly float[][] _secondMoment;
    private int _step;

    /// <summary>Creates the optimizer with zero moments.</summary>
    /// <param name="parameters">Parameters to update.</param>
    /// <param name="learningRate">Step size lr; the reference experiment uses 0.01.</param>
    /// <param name="beta1">First-moment decay in [0, 1); default 0.9.</param>
    /// <param name="beta2">Second-moment decay in [0, 1); default 0.999.</param>
    /// <param name="epsilon">Denominator offset, at least 0; default 1e-8.</param>
    /// <param name="placement">Where epsilon is added; default TensorFlow 1's.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range or not finite.</exception>
    public Adam(
        IReadOnlyList<Parameter> parameters,
        double learningRate,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        EpsilonPlacement placement = EpsilonPlacement.TensorFlow)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        }

        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(epsilon >= 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be zero or a positive finite number.");
        }

        if (!Enum.IsDefined(placement))
        {
            throw new ArgumentOutOfRangeException(nameof(placement), placement, "Unknown epsilon placement.");
        }

        _parameters = parameters;
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Placement = placement;
        _firstMoment = parameters.Select(p => new float[p.Length]).ToArray();
        _secondMoment = parameters.Select(p => new float[p.Length]).ToArray();
    }

    public double LearningRate { get; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public EpsilonPlacement Placement { get; }

    public int StepCount => _step;

    public void Step()
    {
        _step++;
        double beta1Correction = 1 - Math.Pow(Beta1, _step);
        double beta2Correction = 1 - Math.Pow(Beta2, _step);
        float beta1 = (float)Beta1;
        float beta2 = (float)Beta2;

        // 1 - beta in double, then rounded: (1 - 0.9f) in float32 would be 0.100000024
        float oneMinusBeta1 = (float)(1 - Beta1);
        float oneMinusBeta2 = (float)(1 - Beta2);
        float epsilon = (float)Epsilon;

        // TensorFlow 1 folds both corrections into the step size; PyTorch corrects v inside the denominator
        float stepSize;
        float denominatorDivisor;
        if (Placement == EpsilonPlacement.TensorFlow)
        {
            stepSize = (float)(LearningRate * Math.Sqrt(beta2Correction) / beta1Correction);
            denominatorDivisor = 1f;
        }
        else
        {
            stepSize = (float)(LearningRate / beta1Correction);
            denominatorDivisor = (float)Math.Sqrt(beta2Correction);
        }

        for (int index = 0; index < _parameters.Count; index++)
        {
            Parameter parameter = _parameters[index];
            if (!parameter.HasGrad)
            {
                continue;
            }

            Update(parameter.Value.Span, parameter.Grad.Span, _firstMoment[index], _secondMoment[index],
                new Coefficients(beta1, beta2, oneMinusBeta1, oneMinusBeta2, stepSize, denominatorDivisor, epsilon));
        }
    }

    private readonly record struct Coefficients(
        float Beta1, float Beta2, float OneMinusBeta1, float OneMinusBeta2, float StepSize, float DenominatorDivisor, float Epsilon);

    /// <summary>Applies the update to one parameter, eight components at a time.</summary>
    /// <remarks>
    /// Vector lanes perform the same correctly rounded multiplications, additions, square roots
    /// and divisions as the scalar tail, in the same order, so both give the same bits.
    /// </remarks>
    private static void Update(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Coefficients k)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var beta1 = Vector256.Create(k.Beta1);
            var beta2 = Vector256.Create(k.Beta2);
            var oneMinusBeta1 = Vector256.Create(k.OneMinusBeta1);
            var oneMinusBeta2 = Vector256.Create(k.OneMinusBeta2);
            var stepSize = Vector256.Create(k.StepSize);
            var divisor = Vector256.Create(k.DenominatorDivisor);
            var epsilon = Vector256.Create(k.Epsilon);

            // x / 1 is x exactly, so the TensorFlow placement skips a division that changes no bit
            bool divide = k.DenominatorDivisor != 1f;
            for (; i + Vector256<float>.Count <= theta.Length; i += Vector256<float>.Count)
            {
                Vector256<float> gi = Vector256.Create(g.Slice(i, Vector256<float>.Count));
                Vector256<float> mi = beta1 * Vector256.Create(m.Slice(i, Vector256<float>.Count)) + oneMinusBeta1 * gi;
                Vector256<float> vi = beta2 * Vector256.Create(v.Slice(i, Vector256<float>.Count)) + oneMinusBeta2 * (gi * gi);
                Vector256<float> root = Vector256.Sqrt(vi);
                if (divide)
                {
                    root /= divisor;
                }

                Vector256<float> step = stepSize * mi / (root + epsilon);
                mi.CopyTo(m.Slice(i, Vector256<float>.Count));
                vi.CopyTo(v.Slice(i, Vector256<float>.Count));
                (Vector256.Create(theta.Slice(i, Vector256<float>.Count)) - step).CopyTo(theta.Slice(i, Vector256<float>.Count));
            }
        }

        for (; i < theta.Length; i++)
        {
            m[i] = k.Beta1 * m[i] + k.OneMinusBeta1 * g[i];
            v[i] = k.Beta2 * v[i] + k.OneMinusBeta2 * (g[i] * g[i]);
            theta[i] -= k.StepSize * m[i] / (MathF.Sqrt(v[i]) / k.DenominatorDivisor + k.Epsilon);
        }
    }
}
