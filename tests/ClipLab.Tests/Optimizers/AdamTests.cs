using ClipLab.Layers;
using ClipLab.Optimizers;
using ClipLab.Tensors;

namespace ClipLab.Tests.Optimizers;

public sealed class AdamTests
{
    // First step (t = 1) of Adam at learning rate 0.01 on one scalar parameter starting at 0.
    // Expected values are the hand-derived reference values: TensorFlow 1 placement
    // 0.01 * sqrt(1 - 0.999) / (1 - 0.9) * 0.1 g / (sqrt(0.001) |g| + 1e-8), and PyTorch placement
    // 0.01 * g / (|g| + 1e-8).
    [Theory]
    [InlineData(5f, EpsilonPlacement.TensorFlow, 0.0099999994)]
    [InlineData(0.001f, EpsilonPlacement.TensorFlow, 0.0099968)]
    [InlineData(1e-5f, EpsilonPlacement.TensorFlow, 0.0096935)]
    [InlineData(1e-5f, EpsilonPlacement.PyTorch, 0.0099900)]
    [InlineData(-1e-5f, EpsilonPlacement.TensorFlow, -0.0096935)]
    public void Step_FirstUpdate_MatchesPublishedFormula(float gradient, EpsilonPlacement placement, double expectedMove)
    {
        var parameter = new Parameter("w", new Tensor(1));
        parameter.Grad.Data[0] = gradient;
        parameter.MarkGradWritten();
        var adam = new Adam([parameter], 0.01, placement: placement);

        adam.Step();

        // the parameter moves against the gradient; the expected values carry 5 to 8 digits,
        // and float32 arithmetic is within one unit in the last place (9.3e-10 at 0.01) of them
        double moved = -parameter.Value.Data[0];
        Assert.Equal(expectedMove, moved, Math.Abs(expectedMove) * 5e-5);
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void Step_FiveStepsTensorFlow_MatchesDoubleFormula()
    {
        var parameter = new Parameter("w", new Tensor(2));
        var adam = new Adam([parameter], 0.01);
        float[] gradients = [0.3f, -0.001f, 2f, 0.00001f, -0.5f];
        double m = 0, v = 0, theta = 0;

        for (int t = 1; t <= gradients.Length; t++)
        {
            double g = gradients[t - 1];
            parameter.Grad.Data[0] = gradients[t - 1];
            parameter.MarkGradWritten();
            adam.Step();
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            theta -= 0.01 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t)) * m / (Math.Sqrt(v) + 1e-8);
        }

        Assert.Equal(theta, parameter.Value.Data[0], 1e-6);
    }

    [Fact]
    public void Step_ParameterWithoutGradient_IsLeftUnchanged()
    {
        var withGrad = new Parameter("a", new Tensor(1));
        var without = new Parameter("b", new Tensor(1));
        withGrad.Grad.Data[0] = 1f;
        withGrad.MarkGradWritten();
        without.Value.Data[0] = 3f;
        var adam = new Adam([withGrad, without], 0.01);

        adam.Step();

        Assert.Equal(3f, without.Value.Data[0]);
        Assert.NotEqual(0f, withGrad.Value.Data[0]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_InvalidLearningRate_ThrowsWithValue(double learningRate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([], learningRate));

        Assert.Equal("learningRate", error.ParamName);
        Assert.Equal(learningRate, error.ActualValue);
    }
}
