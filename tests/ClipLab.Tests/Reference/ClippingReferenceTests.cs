using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;
using static ClipLab.Tests.Reference.FloatRounding;

namespace ClipLab.Tests.Reference;

/// <summary>
/// Every clipping method on random gradient sets, against torch.nn.utils.clip_grad_value_ and
/// clip_grad_norm_ where PyTorch has the method and against the formula where it does not.
/// </summary>
public sealed class ClippingReferenceTests
{
    // double carries 2^-53 relative error per operation
    private const double DoubleRoundoff = 1.0 / (1L << 53);

    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (ClippingSet set in ClippingFixture.Instance.Sets)
            {
                foreach (ClippingResult result in set.Results)
                {
                    cases.Add(set.Name, result.Spec);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Clip_GradientSet_MatchesReference(string setName, string spec)
    {
        ClippingSet set = ClippingFixture.Instance.Sets.Single(s => s.Name == setName);
        ClippingResult expected = set.Results.Single(r => r.Spec == spec);
        Parameter[] parameters = CreateParameters(set);
        IGradientClipper clipper = ClipMethod.Parse(spec);
        clipper.Validate(parameters);

        clipper.Clip(parameters);

        long components = parameters.Sum(p => (long)p.Length);
        for (int index = 0; index < parameters.Length; index++)
        {
            string what = $"{setName} {spec} {parameters[index].Name}";
            // a float32 result is stored in its shortest decimal form, which reads back exactly only as float
            double[] reference = expected.Precision == "float32"
                ? expected.Grads[index].Select(v => (double)(float)v).ToArray()
                : expected.Grads[index];
            ReadOnlySpan<float> actual = parameters[index].Grad.Span;
            if (spec.StartsWith("value:", StringComparison.Ordinal))
            {
                // clamping selects a gradient or a limit, both float32 numbers, so no rounding is involved
                NumericAssert.BitwiseEqual(reference.Select(v => (float)v).ToArray(), actual, what);
            }
            else if (expected.Precision == "float32")
            {
                // clip_grad_norm_ sums squares in float32, within gamma(n) of the exact sum for n
                // components, and the square root halves that. The epsilon, the division, the clamp
                // and the product add at most 5 roundings on each side. Together that is
                // (n / 2 + 10) u relative, rounded up to (n + 10) u.
                double relative = (components + 10) * UnitRoundoff;
                NumericAssert.Close(reference, ToDouble(actual), 0, relative, what);
            }
            else
            {
                // the formula is exact to about 1e-16; ClipLab forms the factor from double sums of
                // n terms (n 2^-53 relative) and rounds each product once to float32 (u relative)
                double relative = UnitRoundoff + ((components + 10) * DoubleRoundoff);
                NumericAssert.Close(reference, ToDouble(actual), 0, relative, what);
            }
        }
    }

    [Fact]
    public void Fixture_EveryMethod_IsCovered()
    {
        IEnumerable<string> methods = ClippingFixture.Instance.Sets
            .SelectMany(s => s.Results)
            .Select(r => r.Spec[..r.Spec.IndexOf(':')] + (r.Spec.EndsWith(",torch", StringComparison.Ordinal) ? ",torch" : ""))
            .Distinct()
            .Order();

        Assert.Equal(["agc", "global-norm", "global-norm,torch", "norm", "value"], methods);
    }

    private static Parameter[] CreateParameters(ClippingSet set) =>
        set.Parameters.Select(source =>
        {
            var parameter = new Parameter(source.Name, new Tensor(source.Value.ToArray(), source.Shape));
            source.Grad.CopyTo(parameter.Grad.Data, 0);
            parameter.MarkGradWritten();
            return parameter;
        }).ToArray();

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        double[] result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
