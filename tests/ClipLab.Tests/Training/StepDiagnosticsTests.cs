using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Tests.Data;
using ClipLab.Training;

namespace ClipLab.Tests.Training;

/// <summary>What a real training run on MNIST records per step, checked against gradients copied before clipping.</summary>
public sealed class StepDiagnosticsTests
{
    [Theory]
    [InlineData("global-norm:0.5")]
    [InlineData("value:0.001")]
    [InlineData("agc:0.01")]
    public void Run_EveryStep_RecordsPreClipNormOfDoubleReference(string spec)
    {
        MnistDataset data = RealMnist.Dataset;
        var recorder = new RecordingClipper(ClipMethod.Parse(spec));
        var config = new ExperimentConfig { Steps = 25, EvalEvery = 5, Seed = 3 };

        VariantResult result = Trainer.Run(config, data, "recorded", recorder);

        // one Clip call per step, on the gradient of the whole batch
        Assert.Equal(config.Steps, recorder.NormsBefore.Count);
        Assert.Equal(config.Steps, result.Steps.Count);
        for (int i = 0; i < result.Steps.Count; i++)
        {
            double expected = recorder.NormsBefore[i];
            double actual = result.Steps[i].Clip.NormBefore;
            Assert.True(Math.Abs(actual - expected) <= 1e-12 * expected, $"step {i}: recorded {actual:R}, double reference {expected:R}");
            Assert.Equal(recorder.ParameterNormsBefore[i], result.Steps[i].Clip.ParameterNormsBefore, (a, b) => Math.Abs(a - b) <= 1e-12 * a);
        }
    }

    [Fact]
    public void Run_ParameterNames_MatchNormsOrder()
    {
        MnistDataset data = RealMnist.Dataset;

        VariantResult result = Trainer.Run(new ExperimentConfig { Steps = 2, EvalEvery = 1 }, data, "names", new NoClipping());

        Assert.Equal(
            ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"],
            result.ParameterNames);
        Assert.All(result.Steps, step => Assert.Equal(result.ParameterNames.Count, step.Clip.ParameterNormsBefore.Count));
    }

    /// <summary>Wraps a clipper and computes, from a copy of the gradients taken before it runs, the L2 norms in double.</summary>
    private sealed class RecordingClipper(IGradientClipper inner) : IGradientClipper
    {
        public List<double> NormsBefore { get; } = [];

        public List<double[]> ParameterNormsBefore { get; } = [];

        public string Spec => inner.Spec;

        public ClipStatistics Clip(IReadOnlyList<Parameter> parameters)
        {
            double total = 0;
            var perParameter = new double[parameters.Count];
            for (int p = 0; p < parameters.Count; p++)
            {
                double sum = 0;
                foreach (float value in parameters[p].Grad.Data.ToArray())
                {
                    sum += (double)value * value;
                }

                perParameter[p] = Math.Sqrt(sum);
                total += sum;
            }

            NormsBefore.Add(Math.Sqrt(total));
            ParameterNormsBefore.Add(perParameter);
            return inner.Clip(parameters);
        }

        public void Validate(IReadOnlyList<Parameter> parameters) => inner.Validate(parameters);
    }
}
