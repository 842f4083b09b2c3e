using ClipLab.Tensors;

namespace ClipLab.Layers;

/// <summary>Layers applied in order; backward runs them in reverse.</summary>
public sealed class Sequential : Layer
{
    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;

    /// <summary>Creates a chain of <paramref name="layers"/>.</summary>
    /// <exception cref="ArgumentException">The list is empty or two parameters share a name.</exception>
    public Sequential(string name, params Layer[] layers)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A sequential model needs at least one layer.", nameof(layers));
        }

        _layers = layers;
        _parameters = layers.SelectMany(layer => layer.Parameters).ToArray();
        string? duplicate = _parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two parameters are named \"{duplicate}\"; give every layer a unique name.", nameof(layers));
        }
    }

    /// <summary>The layers in forward order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Sets the thread limit of every layer.</summary>
    public void SetParallelism(Parallelism parallelism)
    {
        ArgumentNullException.ThrowIfNull(parallelism);

        Parallelism = parallelism;
        foreach (Layer layer in _layers)
        {
            layer.Parallelism = parallelism;
        }
    }

    /// <summary>Runs every layer's forward pass in order.</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (Layer layer in _layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }

    /// <summary>Runs every layer's inference pass in order.</summary>
    public override Tensor Infer(Tensor input)
    {
        Tensor x = input;
        foreach (Layer layer in _layers)
        {
            x = layer.Infer(x);
        }

        return x;
    }

    /// <summary>Runs every layer's backward pass in reverse order.</summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        Tensor grad = outputGrad;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            grad = _layers[i].Backward(grad);
        }

        return grad;
    }

    /// <summary>
    /// Runs every layer's backward pass in reverse order but lets the first layer skip its input
    /// gradient, which training never uses.
    /// </summary>
    public override void BackwardParameters(Tensor outputGrad)
    {
        Tensor grad = outputGrad;
        for (int i = _layers.Length - 1; i > 0; i--)
        {
            grad = _layers[i].Backward(grad);
        }

        _layers[0].BackwardParameters(grad);
    }

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in _parameters)
        {
            parameter.ZeroGrad();
        }
    }
}
