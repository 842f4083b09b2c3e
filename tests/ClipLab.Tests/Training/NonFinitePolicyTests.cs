using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Optimizers;
using ClipLab.Randomness;
using ClipLab.Tests.Clipping;
using ClipLab.Tests.Data;
using ClipLab.Tests.TestSupport;
using ClipLab.Training;

namespace ClipLab.Tests.Training;

/// <summary>
/// The three non-finite policies, on a forced divergence with real MNIST batches and on a
/// gradient set to NaN by hand. Adam's first update at learning rate 1e10 moves every weight by
/// about 3e9, so the activations of fc2 exceed float32's maximum (3.4e38) in the next forward
/// pass, and the loss and gradients become NaN. At 1e6 the activations stay finite.
/// </summary>
public sealed class NonFinitePolicyTests
{
    private static readonly ExperimentConfig Diverging = new() { Steps = 6, EvalEvery = 1, LearningRate = 1e10, Seed = 5 };

    [Fact]
    public void Run_StopOnDivergence_NamesIterationAndParameter()
    {
        MnistDataset data = RealMnist.Dataset;

        VariantResult result = Trainer.Run(Diverging with { NonFinitePolicy = NonFinitePolicy.Stop }, data, "stop", new NoClipping());

        StepRecord last = result.Steps[^1];
        string firstBad = result.ParameterNames[FirstNonFinite(last.Clip.ParameterNormsBefore)];
        Assert.True(last.Clip.NonFinite);
        Assert.All(result.Steps.SkipLast(1), step => Assert.False(step.Clip.NonFinite));
        Assert.True(result.Steps.Count < Diverging.Steps, $"the run recorded all {result.Steps.Count} steps");
        Assert.NotNull(result.Failure);
        Assert.Contains($"iteration {last.Iteration}:", result.Failure);
        Assert.Contains($"gradient of {firstBad} ", result.Failure);
        Assert.False(result.Completed);
        Assert.True(double.IsNaN(result.TestLoss));
    }

    [Fact]
    public void Run_SkipOnDivergence_CompletesAllSteps()
    {
        MnistDataset data = RealMnist.Dataset;

        VariantResult result = Trainer.Run(Diverging with { NonFinitePolicy = NonFinitePolicy.SkipStep }, data, "skip", new GlobalNormClipping(1f));

        Assert.Null(result.Failure);
        Assert.Equal(Diverging.Steps, result.Steps.Count);
        int firstSkipped = result.Steps.ToList().FindIndex(step => step.Clip.NonFinite);
        Assert.True(firstSkipped > 0, "no step was non-finite, so the divergence was not forced");
        foreach (StepRecord step in result.Steps.Skip(firstSkipped))
        {
            Assert.True(step.Clip.NonFinite, $"step {step.Iteration} after the divergence is not flagged");
            Assert.True(double.IsNaN(step.Clip.NormAfter), $"step {step.Iteration} was skipped but has a norm after clipping");
            Assert.True(double.IsNaN(step.Clip.ScaleFactor));
        }
    }

    [Fact]
    public void Run_PropagateOnDivergence_SpreadsNaN()
    {
        MnistDataset data = RealMnist.Dataset;

        VariantResult result = Trainer.Run(Diverging with { NonFinitePolicy = NonFinitePolicy.Propagate }, data, "propagate", new GlobalNormClipping(1f));

        Assert.Null(result.Failure);
        Assert.Equal(Diverging.Steps, result.Steps.Count);
        Assert.Contains(result.Steps, step => step.Clip.NonFinite);
        Assert.True(double.IsNaN(result.Steps[^1].Clip.NormAfter), "the last step's clipped gradient is finite, so NaN did not spread");
        Assert.True(double.IsNaN(result.Validation[^1].Loss));
        Assert.True(double.IsNaN(result.TestLoss));
    }

    [Fact]
    public void ApplyUpdate_StopOnNaN_ChangesNothing()
    {
        (IReadOnlyList<Parameter> parameters, Adam adam) = LeNetWithAdam(seed: 21);
        parameters[6].Grad.Data[10] = float.NaN; // fc2.weight
        float[][] weightsBefore = parameters.Select(p => (float[])p.Value.Data.Clone()).ToArray();
        float[][] gradientsBefore = ClipTestGradients.CopyGradients(parameters);

        StepRecord step = Trainer.ApplyUpdate(7, 2.3, parameters, new GlobalNormClipping(1f), adam, NonFinitePolicy.Stop, out string? failure);

        Assert.NotNull(failure);
        Assert.Contains("iteration 7", failure);
        Assert.Contains("gradient of fc2.weight has 1 non-finite components out of 10080", failure);
        Assert.True(step.Clip.NonFinite);
        Assert.Equal(0, adam.StepCount);
        AssertUnchanged(weightsBefore, parameters.Select(p => p.Value.Data).ToArray(), "weights");
        AssertUnchanged(gradientsBefore, parameters.Select(p => p.Grad.Data).ToArray(), "gradients");
    }

    [Fact]
    public void ApplyUpdate_SkipOnInfinity_KeepsWeightsAndAdam()
    {
        (IReadOnlyList<Parameter> parameters, Adam adam) = LeNetWithAdam(seed: 22);
        parameters[0].Grad.Data[0] = float.PositiveInfinity;
        float[][] weightsBefore = parameters.Select(p => (float[])p.Value.Data.Clone()).ToArray();

        StepRecord step = Trainer.ApplyUpdate(3, 2.3, parameters, ValueClipping.Symmetric(0.001f), adam, NonFinitePolicy.SkipStep, out string? failure);

        Assert.Null(failure);
        Assert.True(step.Clip.NonFinite);
        Assert.True(double.IsPositiveInfinity(step.Clip.NormBefore));
        Assert.Equal(0, step.Clip.ClippedCount);
        Assert.Equal(0, adam.StepCount);
        Assert.Equal(float.PositiveInfinity, parameters[0].Grad.Data[0]); // not clipped to 0.001
        AssertUnchanged(weightsBefore, parameters.Select(p => p.Value.Data).ToArray(), "weights");
    }

    [Fact]
    public void ApplyUpdate_SkippedStep_LeavesNoTrace()
    {
        // Adam's moments and step count decide the next update, so a skip that touched them would show here
        (IReadOnlyList<Parameter> withSkip, Adam adamWithSkip) = LeNetWithAdam(seed: 23);
        (IReadOnlyList<Parameter> withoutSkip, Adam adamWithoutSkip) = LeNetWithAdam(seed: 23);
        var clipper = new GlobalNormClipping(1f);

        Trainer.ApplyUpdate(0, 2.3, withSkip, clipper, adamWithSkip, NonFinitePolicy.SkipStep, out _);
        SetGradients(withSkip, seed: 99, nanAt: 4);
        Trainer.ApplyUpdate(1, double.NaN, withSkip, clipper, adamWithSkip, NonFinitePolicy.SkipStep, out _);
        SetGradients(withSkip, seed: 100, nanAt: null);
        Trainer.ApplyUpdate(2, 2.2, withSkip, clipper, adamWithSkip, NonFinitePolicy.SkipStep, out _);

        Trainer.ApplyUpdate(0, 2.3, withoutSkip, clipper, adamWithoutSkip, NonFinitePolicy.SkipStep, out _);
        SetGradients(withoutSkip, seed: 100, nanAt: null);
        Trainer.ApplyUpdate(1, 2.2, withoutSkip, clipper, adamWithoutSkip, NonFinitePolicy.SkipStep, out _);

        Assert.Equal(adamWithoutSkip.StepCount, adamWithSkip.StepCount);
        for (int p = 0; p < withSkip.Count; p++)
        {
            NumericAssert.BitwiseEqual(withoutSkip[p].Value.Data, withSkip[p].Value.Data, withSkip[p].Name);
        }
    }

    [Fact]
    public void ApplyUpdate_PropagateGlobalNorm_SpreadsNaN()
    {
        (IReadOnlyList<Parameter> parameters, Adam adam) = LeNetWithAdam(seed: 24);
        parameters[9].Grad.Data[0] = float.NaN; // fc3.bias

        StepRecord step = Trainer.ApplyUpdate(0, 2.3, parameters, new GlobalNormClipping(1f), adam, NonFinitePolicy.Propagate, out string? failure);

        // a NaN global norm gives a NaN factor, which PyTorch also multiplies into every gradient
        Assert.Null(failure);
        Assert.True(step.Clip.NonFinite);
        Assert.Equal(1, adam.StepCount);
        Assert.All(parameters, parameter => Assert.All(parameter.Value.Data, value => Assert.True(float.IsNaN(value))));
    }

    [Fact]
    public void ApplyUpdate_PropagateValueClipping_KeepsNaNLocal()
    {
        (IReadOnlyList<Parameter> parameters, Adam adam) = LeNetWithAdam(seed: 25);
        parameters[9].Grad.Data[0] = float.NaN;

        Trainer.ApplyUpdate(0, 2.3, parameters, ValueClipping.Symmetric(0.001f), adam, NonFinitePolicy.Propagate, out _);

        Assert.True(float.IsNaN(parameters[9].Value.Data[0]));
        Assert.False(float.IsNaN(parameters[9].Value.Data[1]));
        Assert.All(parameters[0].Value.Data, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void ApplyUpdate_NonFiniteLossOnly_IsFlagged()
    {
        (IReadOnlyList<Parameter> parameters, Adam adam) = LeNetWithAdam(seed: 26);

        StepRecord step = Trainer.ApplyUpdate(4, double.PositiveInfinity, parameters, new NoClipping(), adam, NonFinitePolicy.Stop, out string? failure);

        Assert.True(step.Clip.NonFinite);
        Assert.NotNull(failure);
        Assert.Contains("training loss is Infinity while every gradient is finite", failure);
    }

    private static (IReadOnlyList<Parameter> Parameters, Adam Adam) LeNetWithAdam(ulong seed)
    {
        Sequential network = LeNet5.Create(new Rng(seed));
        SetGradients(network.Parameters, seed, nanAt: null);
        return (network.Parameters, new Adam(network.Parameters, 0.01));
    }

    private static void SetGradients(IReadOnlyList<Parameter> parameters, ulong seed, int? nanAt)
    {
        var rng = new Rng(seed);
        foreach (Parameter parameter in parameters)
        {
            parameter.ZeroGrad();
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Grad.Data[i] = (float)(rng.NextGaussian() * 0.1);
            }

            parameter.MarkGradWritten();
        }

        if (nanAt is int index)
        {
            parameters[index].Grad.Data[0] = float.NaN;
        }
    }

    private static int FirstNonFinite(IReadOnlyList<double> norms)
    {
        for (int i = 0; i < norms.Count; i++)
        {
            if (!double.IsFinite(norms[i]))
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException("no parameter norm is non-finite");
    }

    private static void AssertUnchanged(float[][] expected, float[][] actual, string what)
    {
        for (int p = 0; p < expected.Length; p++)
        {
            NumericAssert.BitwiseEqual(expected[p], actual[p], $"{what} {p}");
        }
    }
}
