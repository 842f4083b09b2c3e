namespace ClipLab.Tests.Reference;

/// <summary>
/// clipping.json: gradient sets and, for each clipping spec, the clipped gradients from PyTorch
/// (torch.nn.utils.clip_grad_value_ and clip_grad_norm_, float32) or from the method's formula
/// (float64, with the spec's numbers rounded to float32 as ClipLab parses them).
/// </summary>
internal sealed record ClippingFixture(GeneratorInfo Generator, IReadOnlyList<ClippingSet> Sets)
{
    public static ClippingFixture Instance => ReferenceFixtures.Load<ClippingFixture>("clipping");
}

/// <summary>Parameters with weights and gradients, and the expected result of each spec.</summary>
internal sealed record ClippingSet(string Name, IReadOnlyList<ClippingParameter> Parameters, IReadOnlyList<ClippingResult> Results);

/// <summary>A parameter named as in ClipLab's LeNet-5 ("fc3.bias"), with its weights and gradient.</summary>
internal sealed record ClippingParameter(string Name, int[] Shape, float[] Value, float[] Grad);

/// <summary>
/// The clipped gradients for one spec, one array per parameter. <see cref="Reference"/> names the
/// PyTorch function or "formula"; <see cref="Precision"/> is "float32" or "float64".
/// </summary>
internal sealed record ClippingResult(string Spec, string Reference, string Precision, double[][] Grads);
