using BenchmarkDotNet.Attributes;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Optimizers;
using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Benchmarks;

/// <summary>One whole training step of the reference experiment: batch, forward, backward, Adam.</summary>
[MemoryDiagnoser]
public class TrainingStepBenchmark
{
    private Sequential _network = null!;
    private Adam _adam = null!;
    private SoftmaxCrossEntropy _loss = null!;
    private BatchSampler _sampler = null!;
    private Tensor _images = null!;
    private int[] _labels = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MnistDataset data = BenchmarkData.Load();
        var rng = new Rng(1);
        _network = LeNet5.Create(rng.Split("init"));
        _network.SetParallelism(new Parallelism(Threads));
        _adam = new Adam(_network.Parameters, 0.01);
        _loss = new SoftmaxCrossEntropy();
        _sampler = new BatchSampler(data.Train, rng.Split("train"));
        _images = new Tensor(8, 1, LeNet5.ImageSize, LeNet5.ImageSize);
        _labels = new int[8];
    }

    [Benchmark]
    public void Step()
    {
        _sampler.NextBatch(_images, _labels);
        _network.ZeroGrad();
        _loss.Forward(_network.Forward(_images), _labels);
        _network.BackwardParameters(_loss.Backward());
        _adam.Step();
    }
}
