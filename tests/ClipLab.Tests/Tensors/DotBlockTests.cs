using ClipLab.Data;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.Data;
using ClipLab.Tests.TestSupport;
using Xunit.Sdk;

namespace ClipLab.Tests.Tensors;

public sealed class DotBlockTests
{
    // Offset of B in its array, not a multiple of the 8-float vector width.
    private const int BOffset = 5;

    private const double UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>Inner sizes 1 to 40: every k mod 8, with up to five vector steps before the tail.</summary>
    public static TheoryData<int> SmallInnerSizes => new(Enumerable.Range(1, 40));

    [Theory]
    [MemberData(nameof(SmallInnerSizes))]
    public void SmallShapes_WithinSummationBound(int k)
    {
        var rng = new Rng(41);
        for (int m = 1; m <= 9; m++)
        {
            for (int n = 1; n <= 9; n++)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    Product product = Product.Random(rng, m, k, n, accumulate);

                    float[] c = product.Compute(Parallelism.Single);

                    AssertWithinSummationBound(product, c);
                }
            }
        }
    }

    [Theory]
    [InlineData(6, 6272, 25, true)]
    [InlineData(8, 400, 120, false)]
    [InlineData(9, 1003, 7, true)]
    [InlineData(3, 84, 10, false)]
    public void LargeShapes_WithinSummationBound(int m, int k, int n, bool accumulate)
    {
        Product product = Product.Random(new Rng(42), m, k, n, accumulate);

        float[] c = product.Compute(new Parallelism(2));

        AssertWithinSummationBound(product, c);
    }

    [Theory]
    [MemberData(nameof(SmallInnerSizes))]
    [InlineData(6272)]
    [InlineData(1003)]
    public void AllShapes_FollowDocumentedOrder(int k)
    {
        var rng = new Rng(43);
        for (int m = 1; m <= 9; m++)
        {
            for (int n = 1; n <= 9; n++)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    Product product = Product.Random(rng, m, k, n, accumulate);

                    float[] c = product.Compute(Parallelism.Single);

                    NumericAssert.BitwiseEqual(product.ComputeInDocumentedOrder(), c, $"C [{m}, {n}], k = {k}, accumulate = {accumulate}");
                }
            }
        }
    }

    [Theory]
    [InlineData(6, 37, 9)]
    [InlineData(5, 6272, 7)]
    [InlineData(4, 16, 8)]
    public void LoneElement_MatchesTileBits(int m, int k, int n)
    {
        Product product = Product.Random(new Rng(44), m, k, n, accumulate: true);
        float[] tiled = product.Compute(Parallelism.Single);

        float[] alone = (float[])product.InitialC.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                DotBlock.MultiplyTransposed(product.A, product.B.AsSpan(BOffset), alone, k, n, i, i + 1, j, j + 1, accumulate: true);
            }
        }

        // in the whole product most elements come from 2 x 4 tiles, but alone each comes from the 1 x 4 edge kernel
        NumericAssert.BitwiseEqual(tiled, alone, $"C [{m}, {n}], k = {k}");
    }

    [Fact]
    public void OffsetRegions_MatchWholeProductBits()
    {
        // regions that start at odd rows and columns put tile elements of the whole product on edges
        const int m = 9, k = 29, n = 11;
        Product product = Product.Random(new Rng(45), m, k, n, accumulate: false);
        float[] whole = product.Compute(Parallelism.Single);

        float[] pieces = new float[m * n];
        int[] rowCuts = [0, 1, 4, 9];
        int[] columnCuts = [0, 3, 10, 11];
        for (int r = 0; r + 1 < rowCuts.Length; r++)
        {
            for (int q = 0; q + 1 < columnCuts.Length; q++)
            {
                DotBlock.MultiplyTransposed(
                    product.A, product.B.AsSpan(BOffset), pieces, k, n, rowCuts[r], rowCuts[r + 1], columnCuts[q], columnCuts[q + 1], accumulate: false);
            }
        }

        NumericAssert.BitwiseEqual(whole, pieces, "C");
    }

    [Theory]
    [InlineData(6, 6272, 25, true)]
    [InlineData(100, 400, 120, false)]
    [InlineData(9, 400, 13, true)]
    [InlineData(100, 84, 10, false)]
    public void OneAndTwoThreads_GiveSameBits(int m, int k, int n, bool accumulate)
    {
        Product product = Product.Random(new Rng(46), m, k, n, accumulate);

        float[] one = product.Compute(Parallelism.Single);
        float[] two = product.Compute(new Parallelism(2));

        NumericAssert.BitwiseEqual(one, two, "C");
    }

    [Fact]
    public void RealImages_MatchReferences()
    {
        // rows of A and B are padded 32 x 32 MNIST training images: k = 1024, many exact zeros
        DataSplit train = RealMnist.Dataset.Train;
        const int m = 7, n = 9, k = DataSplit.ImageSize * DataSplit.ImageSize;
        float[] a = new float[m * k];
        float[] b = new float[BOffset + n * k];
        for (int i = 0; i < m; i++)
        {
            train.Image(i).CopyTo(a.AsSpan(i * k, k));
        }

        for (int j = 0; j < n; j++)
        {
            train.Image(m + j).CopyTo(b.AsSpan(BOffset + j * k, k));
        }

        var product = new Product(a, b, Enumerable.Repeat(-3f, m * n).ToArray(), m, k, n, Accumulate: true);

        float[] c = product.Compute(new Parallelism(2));

        AssertWithinSummationBound(product, c);
        NumericAssert.BitwiseEqual(product.ComputeInDocumentedOrder(), c, "C");
    }

    [Fact]
    public void ShortSpans_AreRejected()
    {
        float[] a = new float[2 * 8];
        float[] b = new float[3 * 8];
        float[] c = new float[2 * 3];

        Assert.Throws<ArgumentException>("a", () => DotBlock.MultiplyTransposed(a, b, c, 8, 3, 0, 3, 0, 3, accumulate: false));
        Assert.Throws<ArgumentException>("b", () => DotBlock.MultiplyTransposed(a, b.AsSpan(1), c, 8, 3, 0, 2, 0, 3, accumulate: false));
        Assert.Throws<ArgumentException>("c", () => DotBlock.MultiplyTransposed(a, b, c.AsSpan(1), 8, 3, 0, 2, 0, 3, accumulate: false));
        Assert.Throws<ArgumentOutOfRangeException>("columnEnd", () => DotBlock.MultiplyTransposed(a, b, c, 8, 2, 0, 2, 0, 3, accumulate: false));
    }

    /// <summary>
    /// Asserts |C - exact| &lt;= gamma(k + 1) (|C0| + sum over p of |A[i, p] B[j, p]|) for every
    /// element, with gamma(q) = q u / (1 - q u) and u = 2^-24: the bound for float32 sums of
    /// k products and one addition to the old value C0, in any order.
    /// </summary>
    private static void AssertWithinSummationBound(Product product, float[] c)
    {
        int m = product.M, k = product.K, n = product.N;
        double gamma = (k + 1) * UnitRoundoff / (1 - (k + 1) * UnitRoundoff);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double initial = product.Accumulate ? product.InitialC[i * n + j] : 0;
                double exact = initial;
                double magnitude = Math.Abs(initial);
                for (int p = 0; p < k; p++)
                {
                    double term = (double)product.A[i * k + p] * product.B[BOffset + j * k + p];
                    exact += term;
                    magnitude += Math.Abs(term);
                }

                // the double reference itself is off by at most about k 2^-53 times the magnitude
                double tolerance = (gamma + k * Math.Pow(2, -53)) * magnitude;
                double error = Math.Abs(c[i * n + j] - exact);
                if (!(error <= tolerance))
                {
                    throw new XunitException(
                        $"C[{i}, {j}] of [{m}, {n}], k = {k}, accumulate = {product.Accumulate}: expected {exact:R}, " +
                        $"actual {c[i * n + j]:R}, error {error:E3} above the bound {tolerance:E3}.");
                }
            }
        }
    }

    /// <summary>One product C = C0 + A B^T (or A B^T): A [M, K], B [N, K] from <see cref="BOffset"/>, C0 [M, N].</summary>
    private sealed record Product(float[] A, float[] B, float[] InitialC, int M, int K, int N, bool Accumulate)
    {
        public static Product Random(Rng rng, int m, int k, int n, bool accumulate)
        {
            float[] a = RandomTensors.Normal(rng, m * k).Data;
            float[] b = new float[BOffset + n * k];
            RandomTensors.Normal(rng, n * k).Data.CopyTo(b, BOffset);
            float[] initialC = RandomTensors.Normal(rng, m * n).Data;
            return new Product(a, b, initialC, m, k, n, accumulate);
        }

        /// <summary>Returns C from MatMul.MultiplyTransposed, which splits it over threads with DotBlock.</summary>
        public float[] Compute(Parallelism parallelism)
        {
            float[] c = (float[])InitialC.Clone();
            MatMul.MultiplyTransposed(A, B, BOffset, c, M, K, N, parallelism, Accumulate);
            return c;
        }

        /// <summary>Returns C computed one element at a time in scalar code, in the order DotBlock documents.</summary>
        public float[] ComputeInDocumentedOrder()
        {
            float[] c = (float[])InitialC.Clone();
            float[] lanes = new float[8];
            int vectorEnd = K / 8 * 8;
            for (int i = 0; i < M; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    ReadOnlySpan<float> x = A.AsSpan(i * K, K);
                    ReadOnlySpan<float> y = B.AsSpan(BOffset + j * K, K);
                    Array.Clear(lanes);
                    for (int p = 0; p < vectorEnd; p++)
                    {
                        lanes[p % 8] = MathF.FusedMultiplyAdd(x[p], y[p], lanes[p % 8]);
                    }

                    float sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
                    for (int p = vectorEnd; p < K; p++)
                    {
                        sum = MathF.FusedMultiplyAdd(x[p], y[p], sum);
                    }

                    c[i * N + j] = Accumulate ? c[i * N + j] + sum : sum;
                }
            }

            return c;
        }
    }
}
