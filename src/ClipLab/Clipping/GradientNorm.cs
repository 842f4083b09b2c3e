using ClipLab.Layers;

namespace ClipLab.Clipping;

/// <summary>Norms of gradients, accumulated in double so that float32 components near 1e20 do not overflow when squared.</summary>
public static class GradientNorm
{
    /// <summary>Returns the L2 norm of all gradients of parameters that have one.</summary>
    public static double Global(IReadOnlyList<Parameter> parameters)
    {
        double sumOfSquares = 0;
        foreach (Parameter parameter in parameters)
        {
            if (parameter.HasGrad)
            {
                sumOfSquares += SumOfSquares(parameter.Grad.Span);
            }
        }

        return Math.Sqrt(sumOfSquares);
    }

    /// <summary>Returns the sum of squared components, in double.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
        {
            sum += (double)value * value;
        }

        return sum;
    }

    /// <summary>Returns the number of gradient components of parameters that have a gradient.</summary>
    public static long ComponentCount(IReadOnlyList<Parameter> parameters)
    {
        long count = 0;
        foreach (Parameter parameter in parameters)
        {
            if (parameter.HasGrad)
            {
                count += parameter.Length;
            }
        }

        return count;
    }
}
