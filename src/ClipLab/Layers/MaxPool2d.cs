using ClipLab.Tensors;

namespace ClipLab.Layers;

// Index legend: n batch item, c channel, h/w input row/column, oh/ow output row/column.

/// <summary>
/// 2-D max pooling without padding. Input [N, C, H, W] -> output [N, C, OH, OW] with
/// OH = (H - kernelSize) / stride + 1, and likewise OW.
/// </summary>
/// <remarks>
/// When several inputs of a window share the maximum, the first in row-major order wins and
/// receives the whole gradient, as in PyTorch's CPU kernel.
/// </remarks>
public sealed class MaxPool2d : Layer
{
    private readonly TensorCache _outputs = new();
    private readonly TensorCache _inputGrads = new();
    // outputs from which pooling splits items over threads: pool1 has 9,408 at batch 8, pool2
    // 40,000 at batch 100
    private const int ParallelOutputs = 1 << 14;

    private int[] _argmax = [];
    private Tensor? _input;

    /// <summary>Creates a pooling layer.</summary>
    /// <param name="name">Layer name, for example "pool1".</param>
    /// <param name="kernelSize">Window height and width.</param>
    /// <param name="stride">Step between windows; defaults to <paramref name="kernelSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size or stride is zero or negative.</exception>
    public MaxPool2d(string name, int kernelSize, int? stride = null)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        int step = stride ?? kernelSize;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step, nameof(stride));

        KernelSize = kernelSize;
        Stride = step;
    }

    public int KernelSize { get; }

    public int Stride { get; }

    /// <summary>Output height or width for an input height or width of <paramref name="inputSize"/>.</summary>
    /// <exception cref="ArgumentException">The window does not fit into the input.</exception>
    public int OutputSize(int inputSize)
    {
        if (inputSize < KernelSize)
        {
            throw new ArgumentException($"{Name}: input size {inputSize} is smaller than the kernel size {KernelSize}.");
        }

        return (inputSize - KernelSize) / Stride + 1;
    }

    /// <summary>Input [N, C, H, W] -> output [N, C, OH, OW].</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4)
        {
            throw new ArgumentException($"{Name}: input must have shape [N, C, H, W], got {input.ShapeText}.", nameof(input));
        }

        int height = input.Dim(2);
        int width = input.Dim(3);
        int outHeight = OutputSize(height);
        int outWidth = OutputSize(width);
        Tensor output = _outputs.Get(input.Dim(0), input.Dim(1), outHeight, outWidth);
        if (_argmax.Length < output.Length)
        {
            _argmax = new int[output.Length];
        }

        _input = input;

        // Planes in blocks of one item's channels: disjoint outputs, so any split gives the same
        // bits. Small batches stay on one thread, because pooling a plane takes well under a microsecond.
        int channels = input.Dim(1);
        Parallelism threads = output.Length >= ParallelOutputs ? Parallelism : Parallelism.Single;
        threads.For(input.Dim(0), (Layer: this, input, output, Argmax: _argmax, channels, outHeight, outWidth), static (n, s) =>
            s.Layer.PoolPlanes(s.input, s.output, s.Argmax, n * s.channels, s.channels, s.outHeight, s.outWidth));
        return output;
    }

    /// <summary>Pools <paramref name="count"/> planes starting at plane <paramref name="firstPlane"/> (plane = item * C + channel).</summary>
    private void PoolPlanes(Tensor input, Tensor output, int[] argmaxIndices, int firstPlane, int count, int outHeight, int outWidth)
    {
        int height = input.Dim(2);
        int width = input.Dim(3);
        ReadOnlySpan<float> x = input.Span;
        Span<float> y = output.Span;
        Span<int> argmax = argmaxIndices;

        // LeNet-5's pooling, with a SIMD kernel
        if (KernelSize == 2 && Stride == 2)
        {
            MaxPool2x2.PoolPlanes(x, firstPlane, count, height, width, y, argmax);
            return;
        }

        for (int plane = firstPlane; plane < firstPlane + count; plane++)
        {
            int planeStart = plane * height * width;
            for (int oh = 0; oh < outHeight; oh++)
            {
                int outStart = (plane * outHeight + oh) * outWidth;
                for (int ow = 0; ow < outWidth; ow++)
                {
                    int windowStart = planeStart + oh * Stride * width + ow * Stride;
                    (y[outStart + ow], argmax[outStart + ow]) = WindowMax(x, windowStart, width);
                }
            }
        }
    }

    /// <summary>Returns the maximum of the window starting at <paramref name="windowStart"/> and its index; NaN wins, else the first maximum.</summary>
    private (float Value, int Index) WindowMax(ReadOnlySpan<float> x, int windowStart, int width)
    {
        int best = windowStart;
        float bestValue = x[best];
        for (int kh = 0; kh < KernelSize; kh++)
        {
            int rowStart = windowStart + kh * width;
            for (int kw = 0; kw < KernelSize; kw++)
            {
                float value = x[rowStart + kw];
                if (float.IsNaN(value))
                {
                    return (value, rowStart + kw);
                }

                // strict > keeps the first of equal values
                if (value > bestValue)
                {
                    bestValue = value;
                    best = rowStart + kw;
                }
            }
        }

        return (bestValue, best);
    }

    /// <summary>Output gradient [N, C, OH, OW] -> input gradient [N, C, H, W].</summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        Tensor input = RequireForward(_input);
        RequireShape(outputGrad, [input.Dim(0), input.Dim(1), OutputSize(input.Dim(2)), OutputSize(input.Dim(3))], nameof(outputGrad));

        // route each output gradient to the input that held the window maximum
        Tensor inputGrad = _inputGrads.Get(input.Shape);
        Span<float> dx = inputGrad.Span;
        dx.Clear();
        ReadOnlySpan<float> dy = outputGrad.Span;
        ReadOnlySpan<int> argmax = _argmax.AsSpan(0, dy.Length);
        for (int o = 0; o < dy.Length; o++)
        {
            dx[argmax[o]] += dy[o];
        }

        return inputGrad;
    }
}
