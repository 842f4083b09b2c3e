using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Tensors;

public sealed class MatMulTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 16, 16)]
    [InlineData(5, 7, 33)]
    [InlineData(6, 25, 6272)]
    [InlineData(17, 3, 15)]
    [InlineData(7, 9, 48)]
    public void Multiply_MatchesDoubleReference(int m, int k, int n)
    {
        var rng = new Rng(31);
        float[] a = RandomTensors.Normal(rng, m * k).Data;
        float[] b = RandomTensors.Normal(rng, k * n).Data;
        float[] c = new float[m * n];
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < k; p++)
                {
                    expected[i * n + j] += (double)a[i * k + p] * b[p * n + j];
                }
            }
        }

        MatMul.Multiply(a, b, c, m, k, n, accumulate: false, Parallelism.Single);

        // float32 accumulation over k terms of unit size: error grows like k * 2^-24
        NumericAssert.Close(expected, c.Select(x => (double)x).ToArray(), k * 1.2e-7 * 4, 0, "C");
    }

    [Fact]
    public void Multiply_OneAndTwoThreads_GiveSameBits()
    {
        var rng = new Rng(32);
        const int m = 16, k = 150, n = 800;
        float[] a = RandomTensors.Normal(rng, m * k).Data;
        float[] b = RandomTensors.Normal(rng, k * n).Data;
        float[] one = new float[m * n];
        float[] two = new float[m * n];

        MatMul.Multiply(a, b, one, m, k, n, accumulate: false, Parallelism.Single);
        MatMul.Multiply(a, b, two, m, k, n, accumulate: false, new Parallelism(2));

        NumericAssert.BitwiseEqual(one, two, "C");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(8, 400, 120)]
    [InlineData(6, 6272, 25)]
    [InlineData(3, 5, 17)]
    public void MultiplyTransposed_MatchesDoubleReference(int m, int k, int n)
    {
        var rng = new Rng(33);
        float[] a = RandomTensors.Normal(rng, m * k).Data;
        float[] b = RandomTensors.Normal(rng, n * k).Data;
        float[] c = Enumerable.Repeat(1f, m * n).ToArray();
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected[i * n + j] = 1.0;
                for (int p = 0; p < k; p++)
                {
                    expected[i * n + j] += (double)a[i * k + p] * b[j * k + p];
                }
            }
        }

        MatMul.MultiplyTransposed(a, b, c, m, k, n, accumulate: true, new Parallelism(2));

        // float32 dot products of k unit-size terms: error below k * 2^-24 times a small factor
        NumericAssert.Close(expected, c.Select(x => (double)x).ToArray(), k * 1.2e-7 * 4, 0, "C");
    }

    [Fact]
    public void MultiplyTransposed_OneAndTwoThreads_GiveSameBits()
    {
        var rng = new Rng(34);
        const int m = 16, k = 800, n = 150;
        float[] a = RandomTensors.Normal(rng, m * k).Data;
        float[] b = RandomTensors.Normal(rng, n * k).Data;
        float[] one = new float[m * n];
        float[] two = new float[m * n];

        MatMul.MultiplyTransposed(a, b, one, m, k, n, accumulate: false, Parallelism.Single);
        MatMul.MultiplyTransposed(a, b, two, m, k, n, accumulate: false, new Parallelism(2));

        NumericAssert.BitwiseEqual(one, two, "C");
    }
}
