using System.Diagnostics;
using System.Globalization;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Optimizers;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Training;

namespace ClipLab.Benchmarks;

/// <summary>Training images per second at batch 8, 64 and 256 and inference images per second at batch 1000.</summary>
internal static class ScalingRunner
{
    public static void Run(int threads)
    {
        MnistDataset data = BenchmarkData.Load();
        var parallelism = new Parallelism(threads);
        foreach (int batchSize in new[] { 8, 64, 256 })
        {
            double imagesPerSecond = MeasureTraining(data, batchSize, parallelism);
            Report($"training  batch {batchSize,4}", imagesPerSecond, LeNet5Flops.Training);
        }

        double inference = MeasureInference(data, 1000, parallelism);
        Report("inference batch 1000", inference, LeNet5Flops.Forward);
    }

    private static double MeasureTraining(MnistDataset data, int batchSize, Parallelism parallelism)
    {
        var rng = new Rng(1);
        Sequential network = LeNet5.Create(rng);
        network.SetParallelism(parallelism);
        var adam = new Adam(network.Parameters, 0.01);
        var loss = new SoftmaxCrossEntropy();
        var sampler = new BatchSampler(data.Train, rng.Split("train"));
        var images = new Tensor(batchSize, 1, LeNet5.ImageSize, LeNet5.ImageSize);
        int[] labels = new int[batchSize];
        int steps = Math.Max(20, 16_000 / batchSize);
        return ImagesPerSecond(steps, batchSize, () =>
        {
            sampler.NextBatch(images, labels);
            network.ZeroGrad();
            loss.Forward(network.Forward(images), labels);
            network.BackwardParameters(loss.Backward());
            adam.Step();
        });
    }

    private static double MeasureInference(MnistDataset data, int batchSize, Parallelism parallelism)
    {
        Sequential network = LeNet5.Create(new Rng(1));
        network.SetParallelism(parallelism);
        var images = new Tensor(batchSize, 1, LeNet5.ImageSize, LeNet5.ImageSize);
        data.Test.CopyImages(0, batchSize, images.Span);
        return ImagesPerSecond(20, batchSize, () => network.Infer(images));
    }

    // a quarter of the steps warm up the JIT and the buffers, then five rounds of the steps are
    // timed and the median round reported, because single rounds on a shared machine vary by 20 %
    private const int Rounds = 5;

    private static double ImagesPerSecond(int steps, int batchSize, Action step)
    {
        for (int i = 0; i < steps / 4 + 1; i++)
        {
            step();
        }

        double[] rates = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++)
            {
                step();
            }

            rates[round] = steps * batchSize / stopwatch.Elapsed.TotalSeconds;
        }

        Array.Sort(rates);
        return rates[Rounds / 2];
    }

    private static void Report(string what, double imagesPerSecond, double flopsPerImage)
    {
        double gigaflops = imagesPerSecond * flopsPerImage / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {imagesPerSecond,9:F0} images/s, {gigaflops,6:F1} GFLOP/s"));
    }
}
