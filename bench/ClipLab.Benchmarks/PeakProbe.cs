using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;

namespace ClipLab.Benchmarks;

/// <summary>
/// Measures the fused multiply-add throughput of one thread with twelve independent Vector256
/// chains, enough to cover the FMA latency on current x86 cores.
/// </summary>
internal static class PeakProbe
{
    public static void Run()
    {
        const int iterations = 50_000_000;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var stopwatch = Stopwatch.StartNew();
            float sink = Chains(iterations);
            double seconds = stopwatch.Elapsed.TotalSeconds;

            // 12 chains x 8 lanes x 2 operations per iteration
            double gigaflops = iterations * 12.0 * 8 * 2 / seconds / 1e9;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Vector256 FMA, one thread: {gigaflops:F1} GFLOP/s ({sink})"));
        }

        if (Vector512.IsHardwareAccelerated)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                var stopwatch = Stopwatch.StartNew();
                float sink = Chains512(iterations);
                double gigaflops = iterations * 12.0 * 16 * 2 / stopwatch.Elapsed.TotalSeconds / 1e9;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Vector512 FMA, one thread: {gigaflops:F1} GFLOP/s ({sink})"));
            }
        }
    }

    private static float Chains512(int iterations)
    {
        var m = Vector512.Create(0.999999f);
        var a = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512<float>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector512<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a);
            c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a);
            c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a);
            c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a);
            c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a);
            c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a);
            c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }

        Vector512<float> sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
        return Vector512.Sum(sum);
    }

    private static float Chains(int iterations)
    {
        var m = Vector256.Create(0.999999f);
        var a = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256<float>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector256<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a);
            c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a);
            c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a);
            c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a);
            c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a);
            c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a);
            c11 = Vector256.FusedMultiplyAdd(c11, m, a);
        }

        Vector256<float> sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
        return Vector256.Sum(sum);
    }
}
