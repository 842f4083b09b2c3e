using ClipLab.Layers;
using ClipLab.Tensors;

namespace ClipLab.Tests.Clipping;

/// <summary>Parameters with hand-written gradients for clipping tests.</summary>
internal static class ClipTestGradients
{
    /// <summary>Returns a 1-D parameter whose gradient is <paramref name="gradient"/> and whose value is zero.</summary>
    public static Parameter WithGradient(string name, params float[] gradient)
    {
        var parameter = new Parameter(name, new Tensor(gradient.Length));
        gradient.CopyTo(parameter.Grad.Data, 0);
        parameter.MarkGradWritten();
        return parameter;
    }

    /// <summary>Returns a parameter of the given shape with the given weights and gradient, both in row-major order.</summary>
    public static Parameter WithValueAndGradient(string name, float[] value, float[] gradient, params int[] shape)
    {
        var parameter = new Parameter(name, new Tensor((float[])value.Clone(), shape));
        gradient.CopyTo(parameter.Grad.Data, 0);
        parameter.MarkGradWritten();
        return parameter;
    }

    /// <summary>Returns copies of every parameter's gradient, in order.</summary>
    public static float[][] CopyGradients(IReadOnlyList<Parameter> parameters) =>
        parameters.Select(parameter => (float[])parameter.Grad.Data.Clone()).ToArray();
}
