using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Tensors;
using CsCheck;
using Xunit.Sdk;

namespace ClipLab.Tests.Clipping;

/// <summary>
/// Properties of the clipping methods over random gradients. Each case draws 1 to 4 tensors of
/// 1 to 64 components, uniform in [-1, 1] and scaled by one power of ten from 1e-6 to 1e20, so
/// squares overflow float32 in some cases. Components below 1e-6 before scaling are set to 0,
/// because the float32 rounding bounds are relative only for results that are not subnormal. Thresholds are a random fraction in [0, 2] of the
/// gradient's own norm, so about half of the cases clip. Fractions are multiples of 0.01: a
/// fraction near 1e-40 would make even PyTorch's float32 factor subnormal, and its rounding
/// is then no longer relative. A failing case prints the CsCheck seed that reproduces it.
/// </summary>
public sealed class ClippingPropertyTests
{
    /// <summary>Float32 rounding of each clipped component: 2^-24 of its value, doubled for the rounding of the factor.</summary>
    private const double FloatRounding = 1.0 / (1 << 23);

    /// <summary>PyTorch scaling rounds the norm, the sum with 1e-6, the reciprocal and the product in float32 before the per-component rounding.</summary>
    private const double TorchRounding = 1.0 / (1 << 21);

    /// <summary>Components uniform in [-1, 1] with magnitudes below 1e-6 set to 0, so that no clipped result is subnormal.</summary>
    private static readonly Gen<float> GenComponent = Gen.Float[-1f, 1f].Select(value => Math.Abs(value) < 1e-6f ? 0f : value);

    private static readonly Gen<float[][]> GenGradients =
        from exponent in Gen.Int[-6, 20]
        from tensors in GenComponent.Array[1, 64].Array[1, 4]
        select tensors.Select(tensor => tensor.Select(value => (float)(value * Math.Pow(10, exponent))).ToArray()).ToArray();

    /// <summary>Gradients and a threshold fraction in steps of 0.01 from 0 to 2, so 0 and exactly 1 occur.</summary>
    private static readonly Gen<(float[][] Gradients, double Fraction)> GenGradientsAndFraction =
        Gen.Select(GenGradients, Gen.Int[0, 200].Select(percent => percent / 100.0));

    /// <summary>
    /// 1 to 3 layers of 1 to 4 units of 1 to 16 components each, with weights and gradients on
    /// independent scales and lambda in steps of 0.01 from 0 to 0.5.
    /// </summary>
    private static readonly Gen<(float[][] Weights, float[][] Gradients, int[] Units, float Lambda)> GenLayers =
        from layerCount in Gen.Int[1, 3]
        from units in Gen.Int[1, 4].Array[layerCount]
        from unitLength in Gen.Int[1, 16]
        from weightExponent in Gen.Int[-5, 3]
        from gradientExponent in Gen.Int[-6, 20]
        from weights in GenComponent.Array[units.Sum() * unitLength]
        from gradients in GenComponent.Array[units.Sum() * unitLength]
        from lambdaPercent in Gen.Int[0, 50]
        select (
            Split(weights, units, unitLength, Math.Pow(10, weightExponent)),
            Split(gradients, units, unitLength, Math.Pow(10, gradientExponent)),
            units,
            lambdaPercent / 100f);

    [Theory]
    [InlineData(NormType.L1)]
    [InlineData(NormType.L2)]
    [InlineData(NormType.Infinity)]
    public void GlobalNormExact_RandomGradients_NormAtMostThreshold(NormType normType)
    {
        GenGradientsAndFraction.Sample((gradients, fraction) =>
        {
            Parameter[] parameters = ToParameters(gradients);
            float maxNorm = (float)(fraction * ReferenceNorm(gradients, normType));

            new GlobalNormClipping(maxNorm, normType).Clip(parameters);

            double after = ReferenceNorm(GradientsOf(parameters), normType);
            AssertAtMost(after, maxNorm * (1 + FloatRounding), "norm after exact clipping");
        });
    }

    [Theory]
    [InlineData(NormType.L1)]
    [InlineData(NormType.L2)]
    [InlineData(NormType.Infinity)]
    public void GlobalNormPyTorch_RandomGradients_NormAtMostThreshold(NormType normType)
    {
        GenGradientsAndFraction.Sample((gradients, fraction) =>
        {
            Parameter[] parameters = ToParameters(gradients);
            float maxNorm = (float)(fraction * ReferenceNorm(gradients, normType));

            new GlobalNormClipping(maxNorm, normType, GlobalNormScaling.PyTorch).Clip(parameters);

            double after = ReferenceNorm(GradientsOf(parameters), normType);
            AssertAtMost(after, maxNorm * (1 + TorchRounding), "norm after PyTorch clipping");
        });
    }

    [Fact]
    public void ValueClipping_RandomGradients_EveryComponentWithinLimits()
    {
        Gen.Select(GenGradients, Gen.Double[0.01, 1], Gen.Double[0.01, 1]).Sample((gradients, lowFraction, highFraction) =>
        {
            // zero must lie strictly inside the range, so min is negative and max positive
            float scale = MathF.Abs(gradients[0][0]) + 1e-3f;
            float min = (float)(-lowFraction * scale);
            float max = (float)(highFraction * scale);
            Parameter[] parameters = ToParameters(gradients);

            new ValueClipping(min, max).Clip(parameters);

            for (int p = 0; p < parameters.Length; p++)
            {
                for (int i = 0; i < gradients[p].Length; i++)
                {
                    float value = parameters[p].Grad.Data[i];
                    float expected = Math.Clamp(gradients[p][i], min, max);
                    Assert.InRange(value, min, max);
                    Assert.Equal(expected, value);
                }
            }
        });
    }

    [Theory]
    [InlineData("global-norm")]
    [InlineData("global-norm-torch")]
    [InlineData("norm")]
    public void NormMethods_RandomGradients_KeepEachTensorsDirection(string method)
    {
        GenGradientsAndFraction.Sample((gradients, fraction) =>
        {
            Parameter[] parameters = ToParameters(gradients);
            float maxNorm = (float)(fraction * ReferenceNorm(gradients, NormType.L2));
            IGradientClipper clipper = method switch
            {
                "global-norm" => new GlobalNormClipping(maxNorm),
                "global-norm-torch" => new GlobalNormClipping(maxNorm, scaling: GlobalNormScaling.PyTorch),
                _ => new NormClipping(maxNorm),
            };

            clipper.Clip(parameters);

            for (int p = 0; p < parameters.Length; p++)
            {
                AssertSameDirection(gradients[p], parameters[p].Grad.Data, $"tensor {p}");
            }
        });
    }

    [Fact]
    public void Agc_RandomLayers_KeepsUnitDirectionAndLimit()
    {
        GenLayers.Sample(layers =>
        {
            Parameter[] parameters = ToLayerParameters(layers.Weights, layers.Gradients, layers.Units);

            new AdaptiveClipping(layers.Lambda, []).Clip(parameters);

            for (int p = 0; p < parameters.Length; p++)
            {
                int unitLength = layers.Gradients[p].Length / layers.Units[p];
                for (int unit = 0; unit < layers.Units[p]; unit++)
                {
                    float[] before = layers.Gradients[p].AsSpan(unit * unitLength, unitLength).ToArray();
                    float[] after = parameters[p].Grad.Data.AsSpan(unit * unitLength, unitLength).ToArray();
                    float[] weights = layers.Weights[p].AsSpan(unit * unitLength, unitLength).ToArray();
                    double limit = layers.Lambda * Math.Max(ReferenceNorm([weights], NormType.L2), 1e-3f);

                    AssertSameDirection(before, after, $"layer {p} unit {unit}");
                    AssertAtMost(ReferenceNorm([after], NormType.L2), limit * (1 + FloatRounding), $"layer {p} unit {unit} norm");
                }
            }
        });
    }

    [Theory]
    [InlineData("global-norm:{0}")]
    [InlineData("global-norm:{0},1")]
    [InlineData("global-norm:{0},inf")]
    [InlineData("norm:{0}")]
    [InlineData("norm:{0},1")]
    [InlineData("norm:{0},inf")]
    public void ExactNormMethods_AppliedTwice_EqualAppliedOnce(string specFormat)
    {
        GenGradientsAndFraction.Sample((gradients, fraction) =>
        {
            float maxNorm = (float)(fraction * ReferenceNorm(gradients, NormType.L2));
            IGradientClipper clipper = ClipMethod.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, specFormat, maxNorm.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            Parameter[] parameters = ToParameters(gradients);

            clipper.Clip(parameters);
            float[][] once = ClipTestGradients.CopyGradients(parameters);
            ClipStatistics second = clipper.Clip(parameters);

            for (int p = 0; p < parameters.Length; p++)
            {
                TestSupport.NumericAssert.BitwiseEqual(once[p], parameters[p].Grad.Data, $"tensor {p}");
            }

            Assert.Equal(0, second.ClippedCount);
        });
    }

    [Fact]
    public void Agc_AppliedTwice_EqualsAppliedOnce()
    {
        GenLayers.Sample(layers =>
        {
            Parameter[] parameters = ToLayerParameters(layers.Weights, layers.Gradients, layers.Units);
            var clipper = new AdaptiveClipping(layers.Lambda, []);

            clipper.Clip(parameters);
            float[][] once = ClipTestGradients.CopyGradients(parameters);
            clipper.Clip(parameters);

            for (int p = 0; p < parameters.Length; p++)
            {
                TestSupport.NumericAssert.BitwiseEqual(once[p], parameters[p].Grad.Data, $"layer {p}");
            }
        });
    }

    /// <summary>Computes the norm of all values as one vector, in double, without ClipLab's helpers.</summary>
    internal static double ReferenceNorm(float[][] tensors, NormType normType)
    {
        IEnumerable<double> values = tensors.SelectMany(tensor => tensor).Select(value => Math.Abs((double)value));
        return normType switch
        {
            NormType.L1 => values.Sum(),
            NormType.L2 => Math.Sqrt(values.Sum(value => value * value)),
            _ => values.Max(),
        };
    }

    internal static Parameter[] ToParameters(float[][] gradients) =>
        gradients.Select((gradient, p) => ClipTestGradients.WithGradient($"layer{p}.weight", gradient)).ToArray();

    private static Parameter[] ToLayerParameters(float[][] weights, float[][] gradients, int[] units) =>
        weights.Select((weight, p) => ClipTestGradients.WithValueAndGradient(
            $"layer{p}.weight", weight, gradients[p], units[p], weight.Length / units[p])).ToArray();

    private static float[][] GradientsOf(Parameter[] parameters) => ClipTestGradients.CopyGradients(parameters);

    private static float[][] Split(float[] values, int[] units, int unitLength, double scale)
    {
        var tensors = new float[units.Length][];
        int offset = 0;
        for (int p = 0; p < units.Length; p++)
        {
            tensors[p] = values.AsSpan(offset, units[p] * unitLength).ToArray().Select(value => (float)(value * scale)).ToArray();
            offset += units[p] * unitLength;
        }

        return tensors;
    }

    private static void AssertAtMost(double actual, double limit, string what)
    {
        if (!(actual <= limit))
        {
            throw new XunitException($"{what}: {actual:R} exceeds {limit:R} by {(actual - limit) / limit:E3} of the limit.");
        }
    }

    /// <summary>
    /// Passes when <paramref name="after"/> = c * <paramref name="before"/> for one c in [0, 1]
    /// up to float32 rounding, with c read off the component of largest magnitude.
    /// </summary>
    private static void AssertSameDirection(float[] before, float[] after, string what)
    {
        int largest = 0;
        for (int i = 1; i < before.Length; i++)
        {
            if (Math.Abs(before[i]) > Math.Abs(before[largest]))
            {
                largest = i;
            }
        }

        if (before[largest] == 0)
        {
            Assert.All(after, value => Assert.Equal(0f, value));
            return;
        }

        double factor = (double)after[largest] / before[largest];
        Assert.InRange(factor, 0, 1);
        for (int i = 0; i < before.Length; i++)
        {
            double expected = factor * before[i];
            double tolerance = 2 * FloatRounding * Math.Abs(expected) + float.Epsilon;
            if (!(Math.Abs(after[i] - expected) <= tolerance))
            {
                throw new XunitException($"{what}[{i}]: {before[i]:R} became {after[i]:R}, expected {expected:R} for factor {factor:R}.");
            }
        }
    }
}
