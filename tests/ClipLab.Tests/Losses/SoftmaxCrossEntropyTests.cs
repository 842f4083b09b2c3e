using ClipLab.Losses;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Losses;

public sealed class SoftmaxCrossEntropyTests
{
    /// <remarks>
    /// The loss is smooth, so the central difference has truncation error O(h^2) times the third
    /// derivative (below 1 for softmax), 1e-6 at h = 1e-3; float32 rounding of the exponentials adds
    /// about 1e-7 / 2h = 5e-5. A tolerance of 5e-4 covers both.
    /// </remarks>
    [Theory]
    [InlineData(4, 10, 1.0)]
    [InlineData(1, 3, 3.0)]
    [InlineData(7, 5, 0.1)]
    public void Backward_MatchesFiniteDifferences(int batchSize, int classes, double scale)
    {
        var rng = new Rng(41);
        Tensor logits = RandomTensors.Normal(rng, batchSize, classes);
        for (int i = 0; i < logits.Length; i++)
        {
            logits.Data[i] *= (float)scale;
        }

        int[] labels = Enumerable.Range(0, batchSize).Select(_ => rng.NextInt(classes)).ToArray();
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(logits, labels);
        float[] analytic = loss.Backward().Data.ToArray();

        const double step = 1e-3;
        double[] numeric = new double[logits.Length];
        for (int j = 0; j < logits.Length; j++)
        {
            float original = logits.Data[j];
            float plus = (float)(original + step);
            float minus = (float)(original - step);
            logits.Data[j] = plus;
            double lossPlus = loss.Forward(logits, labels);
            logits.Data[j] = minus;
            double lossMinus = loss.Forward(logits, labels);
            logits.Data[j] = original;
            numeric[j] = (lossPlus - lossMinus) / ((double)plus - minus);
        }

        NumericAssert.Close(numeric, analytic.Select(g => (double)g).ToArray(), 5e-4, 1e-3, "logits gradient");
    }

    [Fact]
    public void Forward_MatchesDoubleReference()
    {
        var logits = new Tensor([1f, 2f, 3f, -1f, 0f, 4f], 2, 3);
        int[] labels = [2, 0];
        double row0 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3;
        double row1 = Math.Log(Math.Exp(-1) + Math.Exp(0) + Math.Exp(4)) + 1;

        double loss = new SoftmaxCrossEntropy().Forward(logits, labels);

        Assert.Equal((row0 + row1) / 2, loss, 1e-6);
    }

    [Fact]
    public void Forward_HugeLogits_StaysFinite()
    {
        var logits = new Tensor([1e4f, 0f, -1e4f, 0f, 1e4f, 1e4f], 2, 3);
        int[] labels = [1, 2];
        var loss = new SoftmaxCrossEntropy();

        double value = loss.Forward(logits, labels);
        float[] grad = loss.Backward().Data;

        // row 0: label logit 1e4 below the maximum; row 1: two equal maxima, log 2
        Assert.Equal((1e4 + Math.Log(2)) / 2, value, 1e-3);
        Assert.All(grad, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(0.5f, grad[0], 6);
        Assert.Equal(-0.5f, grad[1], 6);
        Assert.Equal(-0.25f, grad[5], 6);
    }

    [Fact]
    public void CountCorrect_TieGoesToFirstClass()
    {
        var logits = new Tensor([1f, 1f, 0f, 0f, 2f, 1f], 2, 3);

        int correct = SoftmaxCrossEntropy.CountCorrect(logits, [1, 1]);

        Assert.Equal(1, correct);
    }

    [Fact]
    public void Forward_LabelOutOfRange_ThrowsNamingLabel()
    {
        var logits = new Tensor(2, 10);

        var error = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(logits, [3, 10]));

        Assert.Contains("Label 10", error.Message);
    }
}
