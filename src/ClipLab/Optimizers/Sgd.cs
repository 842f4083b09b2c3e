using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using ClipLab.Layers;

namespace ClipLab.Optimizers;

/// <summary>Plain stochastic gradient descent, theta -= lr * g.</summary>
public sealed class Sgd : IOptimizer
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private int _step;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Parameters to update.</param>
    /// <param name="learningRate">Step size lr, a positive finite number.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not a positive finite number.</exception>
    public Sgd(IReadOnlyList<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        }

        _parameters = parameters;
        LearningRate = learningRate;
    }

    public double LearningRate { get; }

    public int StepCount => _step;

    public void Step()
    {
        _step++;
        float rate = (float)LearningRate;
        foreach (Parameter parameter in _parameters)
        {
            if (parameter.HasGrad)
            {
                TensorPrimitives.MultiplyAdd(parameter.Grad.Span, -rate, parameter.Value.Span, parameter.Value.Span);
            }
        }
    }
}
