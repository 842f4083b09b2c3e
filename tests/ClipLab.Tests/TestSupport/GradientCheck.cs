using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Tests.TestSupport;

/// <summary>
/// Central finite-difference check of a layer's backward pass. The scalar under test is
/// L = sum(r * forward(x)) with a random projection r of the output's shape, so every output
/// element, batch item and channel gets its own weight and a layout bug cannot cancel out.
/// </summary>
internal static class GradientCheck
{
    /// <summary>
    /// Compares Backward(r) with (L(x + h e_j) - L(x - h e_j)) / 2h for every input component
    /// and every parameter component.
    /// </summary>
    /// <param name="step">The finite-difference step h.</param>
    /// <param name="absoluteTolerance">Allowed absolute error.</param>
    /// <param name="relativeTolerance">Allowed error relative to the numeric derivative.</param>
    public static void Run(Layer layer, Tensor input, Rng rng, double step, double absoluteTolerance, double relativeTolerance)
    {
        // analytic gradients for a random projection of the output
        Tensor output = layer.Forward(input);
        var projection = new Tensor(output.Shape.ToArray());
        for (int i = 0; i < projection.Length; i++)
        {
            projection.Data[i] = (float)rng.NextGaussian();
        }

        foreach (Parameter parameter in layer.Parameters)
        {
            parameter.ZeroGrad();
        }

        float[] inputGrad = layer.Backward(projection).Data.ToArray();
        float[][] parameterGrads = layer.Parameters.Select(p => p.Grad.Data.ToArray()).ToArray();

        // numeric gradients, input first, then each parameter
        double[] numericInput = Numeric(layer, input, input.Data, projection, step);
        NumericAssert.Close(numericInput, ToDouble(inputGrad), absoluteTolerance, relativeTolerance, $"{layer.Name} input gradient");
        for (int p = 0; p < layer.Parameters.Count; p++)
        {
            Parameter parameter = layer.Parameters[p];
            double[] numeric = Numeric(layer, input, parameter.Value.Data, projection, step);
            NumericAssert.Close(numeric, ToDouble(parameterGrads[p]), absoluteTolerance, relativeTolerance, $"{parameter.Name} gradient");
        }
    }

    /// <summary>Returns L = sum(r * forward(x)) in double.</summary>
    public static double Projected(Layer layer, Tensor input, Tensor projection)
    {
        Tensor output = layer.Forward(input);
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            sum += (double)projection.Data[i] * output.Data[i];
        }

        return sum;
    }

    private static double[] Numeric(Layer layer, Tensor input, float[] values, Tensor projection, double step)
    {
        double[] result = new double[values.Length];
        for (int j = 0; j < values.Length; j++)
        {
            float original = values[j];
            float plus = (float)(original + step);
            float minus = (float)(original - step);
            values[j] = plus;
            double lossPlus = Projected(layer, input, projection);
            values[j] = minus;
            double lossMinus = Projected(layer, input, projection);
            values[j] = original;

            // divide by the step actually taken in float32, not the nominal one
            result[j] = (lossPlus - lossMinus) / ((double)plus - minus);
        }

        return result;
    }

    private static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();
}
