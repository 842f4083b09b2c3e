using ClipLab.Layers;
using ClipLab.Optimizers;
using ClipLab.Tensors;
using static ClipLab.Tests.Reference.FloatRounding;

namespace ClipLab.Tests.Reference;

/// <summary>
/// Five Adam steps against torch.optim.Adam (PyTorch's epsilon placement) and against TensorFlow
/// 1's published formula. The gradients span 1e-6 to 1 with some exact zeros, so the two
/// placements give visibly different results.
/// </summary>
/// <remarks>
/// Error bound per step t, derived for float32: the moments m and v take three roundings per
/// step, so after t steps m is within 3 t u M_t (M_t: the same moment of |g|) and v within
/// 3 t u v_t. The square root halves v's relative error and adds u. Adding epsilon, dividing,
/// and applying the step size (computed in double, then rounded) add about five roundings.
/// The update lr_t m / (sqrt(v) + epsilon) is then within (4.5 t + 7) u lr_t M_t / (sqrt(v) + epsilon),
/// at most 30 u of it for t &lt;= 5, and subtracting it from theta rounds once more, by u |theta|.
/// Errors of theta add up over the steps, which the fixture's cumulative scales account for.
/// </remarks>
public sealed class AdamReferenceTests
{
    private const double UpdateRoundings = 30;

    [Theory]
    [InlineData(EpsilonPlacement.PyTorch)]
    [InlineData(EpsilonPlacement.TensorFlow)]
    public void Step_FiveSteps_MatchReference(EpsilonPlacement placement)
    {
        AdamFixture fixture = AdamFixture.Instance;
        Parameter[] parameters = fixture.Shapes
            .Select((shape, index) => new Parameter($"p{index}", new Tensor(fixture.Initial[index].ToArray(), shape)))
            .ToArray();
        var adam = new Adam(parameters, fixture.LearningRate, fixture.Beta1, fixture.Beta2, fixture.Epsilon, placement);
        IReadOnlyList<AdamStep> reference = placement == EpsilonPlacement.PyTorch ? fixture.Pytorch : fixture.Tensorflow;

        // PyTorch's reference is float32 and carries the same bound as ClipLab, so both count;
        // TensorFlow's is the formula in float64, exact to about 1e-16
        double sides = placement == EpsilonPlacement.PyTorch ? 2 : 1;
        for (int step = 0; step < fixture.Gradients.Length; step++)
        {
            for (int index = 0; index < parameters.Length; index++)
            {
                parameters[index].ZeroGrad();
                fixture.Gradients[step][index].CopyTo(parameters[index].Grad.Data, 0);
                parameters[index].MarkGradWritten();
            }

            adam.Step();

            for (int index = 0; index < parameters.Length; index++)
            {
                double[] bound = new double[parameters[index].Length];
                for (int i = 0; i < bound.Length; i++)
                {
                    bound[i] = sides * UnitRoundoff *
                        ((UpdateRoundings * reference[step].UpdateScale[index][i]) + reference[step].ValueScale[index][i]);
                }

                WithinBound(reference[step].Values[index], parameters[index].Value.Span, bound, $"{placement} step {step + 1} p{index}");
            }
        }
    }

    [Fact]
    public void Fixture_Placements_DifferVisibly()
    {
        AdamFixture fixture = AdamFixture.Instance;

        // the two placements must differ by far more than the bounds, or the test above could
        // not tell them apart: compare the largest difference after five steps with 1e-5
        double largest = 0;
        for (int index = 0; index < fixture.Shapes.Length; index++)
        {
            double[] pytorch = fixture.Pytorch[^1].Values[index];
            double[] tensorflow = fixture.Tensorflow[^1].Values[index];
            for (int i = 0; i < pytorch.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(pytorch[i] - tensorflow[i]));
            }
        }

        Assert.True(largest > 1e-5, $"largest difference between the placements after five steps is {largest:E3}, expected above 1e-5");
    }
}
