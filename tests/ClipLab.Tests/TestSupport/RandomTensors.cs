using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Tests.TestSupport;

/// <summary>Seeded random tensors for tests.</summary>
internal static class RandomTensors
{
    /// <summary>Standard normal values.</summary>
    public static Tensor Normal(Rng rng, params int[] shape)
    {
        var tensor = new Tensor(shape);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor.Data[i] = (float)rng.NextGaussian();
        }

        return tensor;
    }

    /// <summary>Normal values pushed at least <paramref name="margin"/> away from zero, so a finite-difference step cannot cross a ReLU kink.</summary>
    public static Tensor AwayFromZero(Rng rng, double margin, params int[] shape)
    {
        Tensor tensor = Normal(rng, shape);
        for (int i = 0; i < tensor.Length; i++)
        {
            float value = tensor.Data[i];
            tensor.Data[i] = value + MathF.CopySign((float)margin, value);
        }

        return tensor;
    }

    /// <summary>A shuffled arithmetic sequence with spacing <paramref name="spacing"/>: all values distinct, so every pooling window has a clear maximum.</summary>
    public static Tensor Distinct(Rng rng, double spacing, params int[] shape)
    {
        var tensor = new Tensor(shape);
        int[] order = new int[tensor.Length];
        rng.Permutation(order);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor.Data[i] = (float)((order[i] - tensor.Length / 2.0) * spacing);
        }

        return tensor;
    }

    /// <summary>Fills every parameter of <paramref name="layer"/> with normal values scaled by <paramref name="scale"/>.</summary>
    public static void FillParameters(ClipLab.Layers.Layer layer, Rng rng, double scale)
    {
        foreach (ClipLab.Layers.Parameter parameter in layer.Parameters)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Value.Data[i] = (float)(rng.NextGaussian() * scale);
            }
        }
    }
}
