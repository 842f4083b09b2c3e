using BenchmarkDotNet.Attributes;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Benchmarks;

/// <summary>The kernels that dominate a LeNet-5 training step at batch 8, on one thread.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int BatchSize = 8;
    private Conv2d _conv1 = null!;
    private Conv2d _conv2 = null!;
    private MaxPool2d _pool = null!;
    private Tensor _conv1Input = null!;
    private Tensor _conv1OutputGrad = null!;
    private Tensor _conv2Input = null!;
    private Tensor _conv2OutputGrad = null!;
    private float[] _a = null!;
    private float[] _b = null!;
    private float[] _c = null!;
    private float[] _fcInput = null!;
    private float[] _fcWeight = null!;
    private float[] _fcOutput = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _conv1 = new Conv2d("conv1", 1, 6, 5);
        _conv2 = new Conv2d("conv2", 6, 16, 5);
        _pool = new MaxPool2d("pool", 2);
        TruncatedNormal.Fill(_conv1.Weight.Value.Span, 0.1, rng);
        TruncatedNormal.Fill(_conv2.Weight.Value.Span, 0.1, rng);
        _conv1Input = Random(rng, BatchSize, 1, 32, 32);
        _conv1OutputGrad = Random(rng, BatchSize, 6, 28, 28);
        _conv2Input = Random(rng, BatchSize, 6, 14, 14);
        _conv2OutputGrad = Random(rng, BatchSize, 16, 10, 10);
        _a = Random(rng, 150, 16).Data;
        _b = Random(rng, 16, BatchSize * 100).Data;
        _c = new float[150 * BatchSize * 100];
        _fcInput = Random(rng, BatchSize, 400).Data;
        _fcWeight = Random(rng, 120, 400).Data;
        _fcOutput = new float[BatchSize * 120];
        _conv1.Forward(_conv1Input);
        _conv2.Forward(_conv2Input);
    }

    [Benchmark]
    public Tensor Conv1Forward() => _conv1.Forward(_conv1Input);

    [Benchmark]
    public void Conv1BackwardParameters() => _conv1.BackwardParameters(_conv1OutputGrad);

    [Benchmark]
    public Tensor Conv2Forward() => _conv2.Forward(_conv2Input);

    [Benchmark]
    public Tensor Conv2Backward() => _conv2.Backward(_conv2OutputGrad);

    [Benchmark]
    public Tensor MaxPoolForward() => _pool.Forward(_conv1OutputGrad);

    /// <summary>conv2's input-gradient product at batch 8: W^T [150, 16] x dY [16, 800].</summary>
    [Benchmark]
    public void MatrixProduct() => MatMul.Multiply(_a, _b, _c, 150, 16, BatchSize * 100, accumulate: false, Parallelism.Single);

    /// <summary>fc1's forward product at batch 8: x [8, 400] times W^T for W [120, 400], by blocked dot products.</summary>
    [Benchmark]
    public void TransposedProduct() => MatMul.MultiplyTransposed(_fcInput, _fcWeight, _fcOutput, BatchSize, 400, 120, accumulate: false, Parallelism.Single);

    private static Tensor Random(Rng rng, params int[] shape)
    {
        var tensor = new Tensor(shape);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor.Data[i] = (float)rng.NextGaussian();
        }

        return tensor;
    }
}
