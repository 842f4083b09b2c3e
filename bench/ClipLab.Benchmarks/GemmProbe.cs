using System.Diagnostics;
using ClipLab.Tensors;

internal static class GemmProbe
{
    public static void Run()
    {
        foreach (var (m, k, n) in new[] { (16, 150, 800), (6, 25, 784), (16, 150, 100), (150, 16, 800), (4, 256, 256) })
        {
            var a = new float[m * k];
            var b = new float[k * n];
            var c = new float[m * n];
            new Random(1).NextBytes(new byte[1]);
            for (int i = 0; i < a.Length; i++) a[i] = i % 7;
            for (int i = 0; i < b.Length; i++) b[i] = i % 5;
            int reps = (int)Math.Max(10, 2e9 / ((double)m * k * n) / 10);
            for (int i = 0; i < 20; i++) MatMul.MultiplyStrided(a, b, n, c, n, m, k, n, false);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < reps; i++) MatMul.MultiplyStrided(a, b, n, c, n, m, k, n, false);
            double s = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            Console.WriteLine($"gemm {m}x{k}x{n}: {2.0 * m * k * n * reps / s / 1e9:F1} GFLOP/s");
        }
    }
}
