using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Clipping;

/// <summary>
/// The statistics of every method against independent double computations on LeNet-5's
/// parameters with random gradients. The reference sums all components of one tensor, or of all
/// tensors, in a single pass. ClipLab sums per tensor and then adds the tensor sums, so the two
/// differ only in summation order, which the relative tolerance of 1e-12 covers.
/// </summary>
public sealed class ClipDiagnosticsTests
{
    private const double SummationTolerance = 1e-12;

    public static TheoryData<string> Methods => new()
    {
        "none", "value:0.001", "value:-0.002,0.001", "norm:0.05", "norm:0.05,1", "norm:0.05,inf",
        "global-norm:0.5", "global-norm:0.5,1", "global-norm:0.5,inf", "global-norm:0.5,torch", "agc:0.01", "agc:0.01,exclude=none",
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void Clip_RandomLeNetGradients_StatisticsMatchDoubleReference(string spec)
    {
        IReadOnlyList<Parameter> parameters = LeNetWithGradients(seed: 11);
        float[][] before = ClipTestGradients.CopyGradients(parameters);

        ClipStatistics statistics = ClipMethod.Parse(spec).Clip(parameters);

        float[][] after = ClipTestGradients.CopyGradients(parameters);
        double[] expectedParameterNorms = before.Select(tensor => L2(tensor)).ToArray();
        NumericAssert.Close([L2(before.SelectMany(t => t).ToArray())], [statistics.NormBefore], 0, SummationTolerance, "NormBefore");
        NumericAssert.Close([L2(after.SelectMany(t => t).ToArray())], [statistics.NormAfter], 0, SummationTolerance, "NormAfter");
        NumericAssert.Close(expectedParameterNorms, statistics.ParameterNormsBefore.ToArray(), 0, SummationTolerance, "ParameterNormsBefore");
        Assert.Equal(CountChanged(before, after), statistics.ClippedCount);
        Assert.Equal(before.Sum(tensor => (long)tensor.Length), statistics.ComponentCount);
        Assert.False(statistics.NonFinite);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Clip_NaNInOneGradient_SetsNonFiniteFlag(string spec)
    {
        IReadOnlyList<Parameter> parameters = LeNetWithGradients(seed: 12);
        parameters[3].Grad.Data[5] = float.NaN;

        ClipStatistics statistics = ClipMethod.Parse(spec).Clip(parameters);

        Assert.True(statistics.NonFinite);
        Assert.True(double.IsNaN(statistics.NormBefore));
        Assert.True(double.IsNaN(statistics.ParameterNormsBefore[3]));
        Assert.True(double.IsFinite(statistics.ParameterNormsBefore[0]));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Clip_GradientsNear1e20_NormBeforeIsFiniteAndExact(string spec)
    {
        // squares of 1e20 overflow float32 (maximum 3.4e38) but not double
        IReadOnlyList<Parameter> parameters = LeNetWithGradients(seed: 13, scale: 1e20);
        float[][] before = ClipTestGradients.CopyGradients(parameters);

        ClipStatistics statistics = ClipMethod.Parse(spec).Clip(parameters);

        NumericAssert.Close([L2(before.SelectMany(t => t).ToArray())], [statistics.NormBefore], 0, SummationTolerance, "NormBefore");
        Assert.True(double.IsFinite(statistics.NormAfter), $"NormAfter is {statistics.NormAfter}");
        Assert.All(parameters.SelectMany(p => p.Grad.Data), value => Assert.True(float.IsFinite(value)));
    }

    [Theory]
    [InlineData("value:0.001")]
    [InlineData("none")]
    public void Clip_MethodsThatDoNotScale_ReportNaNScaleFactor(string spec)
    {
        ClipStatistics statistics = ClipMethod.Parse(spec).Clip(LeNetWithGradients(seed: 14));

        Assert.True(double.IsNaN(statistics.ScaleFactor));
    }

    [Fact]
    public void Measure_LeavesGradientsAndReportsNoClipping()
    {
        IReadOnlyList<Parameter> parameters = LeNetWithGradients(seed: 15);
        float[][] before = ClipTestGradients.CopyGradients(parameters);

        ClipStatistics statistics = GradientNorm.Measure(parameters);

        for (int p = 0; p < parameters.Count; p++)
        {
            NumericAssert.BitwiseEqual(before[p], parameters[p].Grad.Data, parameters[p].Name);
        }

        NumericAssert.Close([L2(before.SelectMany(t => t).ToArray())], [statistics.NormBefore], 0, SummationTolerance, "NormBefore");
        Assert.True(double.IsNaN(statistics.NormAfter));
        Assert.Equal(0, statistics.ClippedCount);
    }

    /// <summary>LeNet-5's parameters with standard normal gradients times <paramref name="scale"/>, all marked as written.</summary>
    internal static IReadOnlyList<Parameter> LeNetWithGradients(ulong seed, double scale = 1)
    {
        Sequential network = LeNet5.Create(new Rng(seed));
        var rng = new Rng(seed + 1000);
        foreach (Parameter parameter in network.Parameters)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Grad.Data[i] = (float)(rng.NextGaussian() * scale);
            }

            parameter.MarkGradWritten();
        }

        return network.Parameters;
    }

    private static double L2(float[] values)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += (double)values[i] * values[i];
        }

        return Math.Sqrt(sum);
    }

    private static long CountChanged(float[][] before, float[][] after)
    {
        long changed = 0;
        for (int p = 0; p < before.Length; p++)
        {
            for (int i = 0; i < before[p].Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(before[p][i]) != BitConverter.SingleToInt32Bits(after[p][i]))
                {
                    changed++;
                }
            }
        }

        return changed;
    }
}
