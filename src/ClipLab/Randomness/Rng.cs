namespace ClipLab.Randomness;

/// <summary>
/// Seeded pseudo-random generator (xoshiro256**, Blackman and Vigna 2018) whose streams can be
/// split by name, so that initialisation and every data split draw from their own sequence
/// and adding a draw to one never shifts another.
/// </summary>
/// <remarks>
/// The state is expanded from the 64-bit seed with SplitMix64, as the xoshiro authors
/// recommend. The sequence for a seed is fixed by this file alone: it does not depend on the
/// .NET version, the platform or the thread count.
/// </remarks>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator for <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        Seed = seed;
    }

    /// <summary>The seed this generator was created with.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// Returns an independent generator for the named stream. The child depends only on this
    /// generator's seed and <paramref name="streamName"/>, not on how many values were drawn.
    /// </summary>
    public Rng Split(string streamName)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamName);

        // FNV-1a over the UTF-16 code units: stable across runs, unlike string.GetHashCode.
        ulong hash = 14695981039346656037UL;
        foreach (char c in streamName)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        ulong mixed = Seed ^ hash;
        return new Rng(SplitMix64(ref mixed));
    }

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform integer in [0, <paramref name="maxExclusive"/>) without modulo bias (Lemire's method).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is zero or negative.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);

        ulong range = (ulong)maxExclusive;
        UInt128 product = (UInt128)NextUInt64() * range;
        ulong low = (ulong)product;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * range;
                low = (ulong)product;
            }
        }

        return (int)(product >> 64);
    }

    /// <summary>Returns a standard normal sample (Box-Muller in double precision).</summary>
    public double NextGaussian()
    {
        // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="values"/> with a uniform random permutation of 0..length-1 (Fisher-Yates).</summary>
    public void Permutation(Span<int> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i;
        }

        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
