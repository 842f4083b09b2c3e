using System.Diagnostics;
using System.Globalization;
using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Training;

namespace ClipLab.Benchmarks;

/// <summary>Times the whole reference experiment (1000 steps, 100 validations, the test set) for the unclipped variant.</summary>
internal static class EndToEndRunner
{
    public static void Run(int threads, int runs)
    {
        MnistDataset data = BenchmarkData.Load();
        var seconds = new List<double>();
        Console.WriteLine($"JIT before the runs {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:F3} s");
        for (int run = 0; run < runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            VariantResult result = Trainer.Run(new ExperimentConfig { Seed = 1, Threads = threads }, data, "none", new NoClipping());
            seconds.Add(stopwatch.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: {seconds[^1]:F3} s (test accuracy {result.TestAccuracy:F4}, JIT compilation so far {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:F3} s)"));
        }

        seconds.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {seconds[seconds.Count / 2]:F3} s over {runs} runs, {threads} thread(s)"));
    }
}
