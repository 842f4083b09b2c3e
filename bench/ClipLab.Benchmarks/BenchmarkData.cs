using ClipLab.Data;

namespace ClipLab.Benchmarks;

/// <summary>MNIST for the benchmarks, from the folder named by CLIPLAB_DATA.</summary>
internal static class BenchmarkData
{
    public static MnistDataset Load()
    {
        string directory = Environment.GetEnvironmentVariable("CLIPLAB_DATA")
            ?? throw new InvalidOperationException("Set CLIPLAB_DATA to the folder with the four MNIST files.");
        return MnistDataset.Load(directory);
    }
}
