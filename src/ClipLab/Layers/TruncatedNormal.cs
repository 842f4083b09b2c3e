using ClipLab.Randomness;

namespace ClipLab.Layers;

/// <summary>Truncated-normal initialisation, as TensorFlow's truncated_normal: draws beyond two standard deviations are redrawn.</summary>
public static class TruncatedNormal
{
    /// <summary>Fills <paramref name="values"/> in order with samples of N(0, stdDev^2) restricted to [-2 stdDev, 2 stdDev].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stdDev"/> is not a positive finite number.</exception>
    public static void Fill(Span<float> values, double stdDev, Rng rng)
    {
        if (!(stdDev > 0) || !double.IsFinite(stdDev))
        {
            throw new ArgumentOutOfRangeException(nameof(stdDev), stdDev, "The standard deviation must be a positive finite number.");
        }

        ArgumentNullException.ThrowIfNull(rng);

        for (int i = 0; i < values.Length; i++)
        {
            double z;
            do
            {
                z = rng.NextGaussian();
            }
            while (Math.Abs(z) > 2.0);

            values[i] = (float)(z * stdDev);
        }
    }
}
