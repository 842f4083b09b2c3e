using System.Diagnostics;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Benchmarks;

/// <summary>Splits the time of a LeNet-5 training step by layer, at batch 8 and 100.</summary>
internal static class ProfileRunner
{
    public static void Run(int threads)
    {
        var rng = new Rng(1);
        Sequential network = LeNet5.Create(rng);
        network.SetParallelism(new Parallelism(threads));
        var loss = new SoftmaxCrossEntropy();
        foreach (int batchSize in new[] { 8, 100 })
        {
            // several inputs, so that branch predictors cannot learn one batch
            Tensor[] inputs = Enumerable.Range(0, 16).Select(_ => RandomImages(rng, batchSize)).ToArray();
            int[] labels = new int[batchSize];
            double[] forward = new double[network.Layers.Count];
            double[] backward = new double[network.Layers.Count];
            int repetitions = 24_000 / batchSize;
            for (int r = 0; r < repetitions; r++)
            {
                Tensor x = inputs[r % inputs.Length];
                for (int l = 0; l < network.Layers.Count; l++)
                {
                    long start = Stopwatch.GetTimestamp();
                    x = network.Layers[l].Forward(x);
                    forward[l] += Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }

                loss.Forward(x, labels);
                Tensor grad = loss.Backward();
                for (int l = network.Layers.Count - 1; l >= 0; l--)
                {
                    long start = Stopwatch.GetTimestamp();
                    if (l == 0)
                    {
                        network.Layers[l].BackwardParameters(grad);
                    }
                    else
                    {
                        grad = network.Layers[l].Backward(grad);
                    }

                    backward[l] += Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
            }

            Console.WriteLine($"batch {batchSize}, microseconds per step:");
            for (int l = 0; l < network.Layers.Count; l++)
            {
                Console.WriteLine($"  {network.Layers[l].Name,-8} forward {forward[l] / repetitions,9:F1}  backward {backward[l] / repetitions,9:F1}");
            }

            Console.WriteLine($"  {"total",-8} forward {forward.Sum() / repetitions,9:F1}  backward {backward.Sum() / repetitions,9:F1}");
        }

        ProfileInference(network, rng, batchSize: 100);
    }

    /// <summary>Splits the time of the inference pass (Infer, as validation and testing run it) by layer.</summary>
    private static void ProfileInference(Sequential network, Rng rng, int batchSize)
    {
        Tensor[] inputs = Enumerable.Range(0, 16).Select(_ => RandomImages(rng, batchSize)).ToArray();
        double[] infer = new double[network.Layers.Count];
        int repetitions = 24_000 / batchSize;
        for (int r = 0; r < repetitions; r++)
        {
            Tensor x = inputs[r % inputs.Length];
            for (int l = 0; l < network.Layers.Count; l++)
            {
                long start = Stopwatch.GetTimestamp();
                x = network.Layers[l].Infer(x);
                infer[l] += Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        Console.WriteLine($"inference at batch {batchSize}, microseconds per batch:");
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Console.WriteLine($"  {network.Layers[l].Name,-8} infer {infer[l] / repetitions,9:F1}");
        }

        Console.WriteLine($"  {"total",-8} infer {infer.Sum() / repetitions,9:F1}");
    }

    private static Tensor RandomImages(Rng rng, int batchSize)
    {
        var images = new Tensor(batchSize, 1, LeNet5.ImageSize, LeNet5.ImageSize);
        for (int i = 0; i < images.Length; i++)
        {
            images.Data[i] = (float)rng.NextDouble();
        }

        return images;
    }
}
