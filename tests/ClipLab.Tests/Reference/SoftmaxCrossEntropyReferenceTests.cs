using ClipLab.Losses;
using ClipLab.Tensors;
using static ClipLab.Tests.Reference.FloatRounding;

namespace ClipLab.Tests.Reference;

/// <summary>
/// Softmax cross-entropy and its gradient against PyTorch 1.13 in float32, including logits of
/// magnitude 1e4, where exponentiating without subtracting the row maximum overflows.
/// </summary>
/// <remarks>
/// Notation per item n: m = max_c z_c, d_c = z_c - m, p_c = softmax(z)_c, loss_n = ln sum_c e^{d_c} - d_y.
/// PyTorch computes log_softmax in float32: the sum of C exponentials (each within about 1 ulp)
/// is within (C + 1) u of its exact value, so ln of it is within (C + 1) u absolutely. The
/// subtraction rounds d_c by at most u |d_c| and the result by u |log p_c|. ClipLab rounds d_c the
/// same way, sums in double and takes the logarithm in double, so its own error is a few u.
/// The bounds below add both sides' terms.
/// </remarks>
public sealed class SoftmaxCrossEntropyReferenceTests
{
    public static TheoryData<string> Cases => new(LossFixture.Instance.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_Loss_MatchesPyTorch(string caseName)
    {
        LossCase c = LossFixture.Instance.Cases.Single(x => x.Name == caseName);
        var loss = new SoftmaxCrossEntropy();

        double actual = loss.Forward(new Tensor(c.Logits.ToArray(), c.BatchSize, c.Classes), c.Labels);

        // Per item, PyTorch's error is at most u times: (C + 1) + ln C for the logarithm of the sum,
        // C/e + ln C for the rounded d_c inside the exponentials, |d_y| for the rounded d_y, and
        // loss_n for the final subtraction. ClipLab's is at most u (4 + |d_y|). The float32 mean of
        // N positive terms adds (N + 1) u times the mean. As ln C, C/e and 5 stay below 3C for
        // C >= 2, 2 u ((N + 3) mean loss + mean |d_y| + 3 C) covers both sides.
        double meanLabelGap = Enumerable.Range(0, c.BatchSize).Average(n => LabelGap(c, n));
        double bound = 2 * UnitRoundoff * ((c.BatchSize + 3) * Math.Abs(c.Loss) + meanLabelGap + 3 * c.Classes);
        double difference = Math.Abs(actual - c.Loss);
        Assert.True(
            difference <= bound,
            $"{caseName}: loss expected {c.Loss:R} (PyTorch float32; float64 {c.LossFloat64:R}), actual {actual:R}, " +
            $"difference {difference:E3}, relative error {difference / Math.Abs(c.Loss):E3}, bound {bound:E3}.");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_LogitsGradient_MatchesPyTorch(string caseName)
    {
        LossCase c = LossFixture.Instance.Cases.Single(x => x.Name == caseName);
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(new Tensor(c.Logits.ToArray(), c.BatchSize, c.Classes), c.Labels);

        Tensor gradient = loss.Backward();

        // gradient (p_c - onehot_c) / N. PyTorch's p_c = exp(log p_c) carries the log-softmax error,
        // u (|d_c| + C + 1 + ln C + |log p_c| + 2) relative, and ClipLab's p_c about 5 u. Subtracting
        // the one-hot and dividing by N add u |p_c - onehot_c| on each side.
        double[] expected = new double[c.LogitsGrad.Length];
        double[] bound = new double[c.LogitsGrad.Length];
        for (int n = 0; n < c.BatchSize; n++)
        {
            double[] logProbabilities = LogSoftmax(c, n);
            double max = Row(c, n).Max();
            for (int k = 0; k < c.Classes; k++)
            {
                int i = n * c.Classes + k;
                double probability = Math.Exp(logProbabilities[k]);
                double d = Math.Abs(c.Logits[i] - max);
                double relative = 2 * d + c.Classes + 2 * Math.Log(c.Classes) + 8;
                double oneHot = k == c.Labels[n] ? 1 : 0;
                expected[i] = c.LogitsGrad[i];
                bound[i] = UnitRoundoff / c.BatchSize * (probability * relative + 3 * Math.Abs(probability - oneHot));
            }
        }

        WithinBound(expected, gradient.Span, bound, $"{caseName} logits gradient");
    }

    private static double[] Row(LossCase c, int n) =>
        c.Logits.AsSpan(n * c.Classes, c.Classes).ToArray().Select(v => (double)v).ToArray();

    private static double LabelGap(LossCase c, int n)
    {
        double[] row = Row(c, n);
        return row.Max() - row[c.Labels[n]];
    }

    private static double[] LogSoftmax(LossCase c, int n)
    {
        // in double from the float32 logits: accurate to about 1e-15, far below the bounds
        double[] row = Row(c, n);
        double max = row.Max();
        double logSum = Math.Log(row.Sum(v => Math.Exp(v - max)));
        return row.Select(v => v - max - logSum).ToArray();
    }
}
