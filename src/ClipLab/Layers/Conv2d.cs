using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;
using ClipLab.Tensors;

namespace ClipLab.Layers;

// Index legend: n batch item, ic input channel, oc output channel, h/w input row/column,
// kh/kw kernel row/column, oh/ow output row/column, p = oh * OW + ow output position,
// kk = (ic * KH + kh) * KW + kw row of the unfolded input.

/// <summary>
/// 2-D convolution (cross-correlation, as in every deep-learning framework) with square
/// kernels, stride and zero padding. Input [N, IC, H, W] -> output [N, OC, OH, OW] with
/// OH = (H + 2 * padding - kernelSize) / stride + 1, and likewise OW.
/// </summary>
/// <remarks>
/// Forward unfolds the batch in groups of up to eight items into columns,
/// cols_g [IC * KH * KW, G * OH * OW], so that one matrix product Y_g = W cols_g serves every
/// item of a group while its buffers stay in the cache. Backward uses dW += dY_g cols_g^T and
/// dcols_g = W^T dY_g per group, then folds dcols_g back onto the input. Weights are stored as
/// PyTorch stores them, [OC, IC, KH, KW].
/// </remarks>
public sealed class Conv2d : Layer
{
    private readonly TensorCache _outputs = new();
    private readonly TensorCache _inputGrads = new();
    private float[]? _columns;
    private float[]? _columnGrads;
    private float[]? _product;
    private float[]? _weightTransposed;
    private float[]? _outputGradTransposed;
    private float[]? _weightGradTransposed;

    // output channels from which the weight gradient is one matrix product rather than dot products
    private const int TransposedProductChannels = 16;

    // rows shorter than this are added in a plain loop when folding, to skip the call overhead
    private const int ShortRowWidth = 16;
    private Tensor? _input;

    /// <summary>Creates a convolution with zero weights and biases.</summary>
    /// <param name="name">Layer name, for example "conv1".</param>
    /// <param name="inChannels">Input channels IC.</param>
    /// <param name="outChannels">Output channels OC.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="stride">Step between kernel positions, in pixels; default 1.</param>
    /// <param name="padding">Zero rows and columns added on every side; default 0 (valid convolution).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or the stride is zero or negative, or the padding is negative.</exception>
    public Conv2d(string name, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = new Parameter($"{name}.weight", new Tensor(outChannels, inChannels, kernelSize, kernelSize));
        Bias = new Parameter($"{name}.bias", new Tensor(outChannels));
    }

    /// <summary>Items unfolded and multiplied together: enough columns to keep the product kernel busy, few enough that a group's buffers stay in the L2 cache.</summary>
    private const int GroupSize = 8;

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    /// <summary>Rows of the unfolded input, IC * KH * KW.</summary>
    private int Rows => InChannels * KernelSize * KernelSize;

    /// <summary>Weights [OC, IC, KH, KW].</summary>
    public Parameter Weight { get; }

    /// <summary>Biases [OC].</summary>
    public Parameter Bias { get; }

    public override IReadOnlyList<Parameter> Parameters => [Weight, Bias];

    /// <summary>Output height or width for an input height or width of <paramref name="inputSize"/>.</summary>
    /// <exception cref="ArgumentException">The kernel does not fit into the padded input.</exception>
    public int OutputSize(int inputSize)
    {
        int padded = inputSize + 2 * Padding;
        if (padded < KernelSize)
        {
            throw new ArgumentException(
                $"{Name}: input size {inputSize} with padding {Padding} is smaller than the kernel size {KernelSize}.");
        }

        return (padded - KernelSize) / Stride + 1;
    }

    /// <summary>Input [N, IC, H, W] -> output [N, OC, OH, OW].</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != InChannels)
        {
            throw new ArgumentException(
                $"{Name}: input must have shape [N, {InChannels}, H, W], got {input.ShapeText}.", nameof(input));
        }

        int batchSize = input.Dim(0);
        int outHeight = OutputSize(input.Dim(2));
        int outWidth = OutputSize(input.Dim(3));
        int positions = outHeight * outWidth;
        int rows = InChannels * KernelSize * KernelSize;
        _input = input;

        // cols holds every group's unfolded block, [IC * KH * KW, G * P] each, for the backward pass
        float[] columns = Scratch.Ensure(ref _columns, rows * batchSize * positions);
        Tensor output = _outputs.Get(batchSize, OutChannels, outHeight, outWidth);
        int groups = (batchSize + GroupSize - 1) / GroupSize;
        if (groups > 1 && Parallelism.MaxThreads > 1)
        {
            // Whole groups run in parallel, each on one thread with its own block of the product
            // buffer. A group computes the same values either way, so the bits do not change.
            float[] products = Scratch.Ensure(ref _product, OutChannels * batchSize * positions);
            Parallelism.For(groups, (Layer: this, input, columns, products, output, outHeight, outWidth), static (group, s) =>
                s.Layer.ForwardGroup(s.input, group * GroupSize, s.columns, s.products, s.Layer.OutChannels * group * GroupSize * s.outHeight * s.outWidth, s.output, s.outHeight, s.outWidth, Parallelism.Single));
            return output;
        }

        float[] product = Scratch.Ensure(ref _product, OutChannels * Math.Min(batchSize, GroupSize) * positions);
        for (int first = 0; first < batchSize; first += GroupSize)
        {
            ForwardGroup(input, first, columns, product, productStart: 0, output, outHeight, outWidth, Parallelism);
        }

        return output;
    }

    /// <summary>
    /// Unfolds, multiplies and reorders the group of up to <see cref="GroupSize"/> items that
    /// starts at item <paramref name="first"/>, with the group's product block at
    /// <paramref name="productStart"/> in <paramref name="product"/>.
    /// </summary>
    private void ForwardGroup(
        Tensor input, int first, float[] columns, float[] product, int productStart, Tensor output, int outHeight, int outWidth,
        Parallelism parallelism)
    {
        int batchSize = input.Dim(0);
        int positions = outHeight * outWidth;
        int rows = Rows;
        int count = Math.Min(GroupSize, batchSize - first);
        int columnCount = count * positions;
        int blockStart = rows * first * positions;

        // unfold the group's items into its block of cols
        parallelism.For(count, (Layer: this, input, first, outHeight, outWidth, columns, blockStart, columnCount), static (i, s) =>
            s.Layer.Unfold(s.input, s.first + i, i, s.outHeight, s.outWidth, s.columns.AsSpan(s.blockStart, s.columnCount * s.Layer.Rows), s.columnCount));

        // Y_g [OC, G * P] = W [OC, IC * KH * KW] cols_g
        if (parallelism.MaxThreads == 1)
        {
            MatMul.MultiplyStrided(Weight.Value.Span, columns.AsSpan(blockStart), columnCount, product.AsSpan(productStart), columnCount, OutChannels, rows, columnCount, accumulate: false);
        }
        else
        {
            MatMul.Multiply(Weight.Value.Data, columns, blockStart, product, OutChannels, rows, columnCount, parallelism);
        }

        // reorder to [N, OC, P] and add the bias
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int i = 0; i < count; i++)
        {
            for (int oc = 0; oc < OutChannels; oc++)
            {
                ReadOnlySpan<float> source = product.AsSpan(productStart + oc * columnCount + i * positions, positions);
                Span<float> target = output.Span.Slice(((first + i) * OutChannels + oc) * positions, positions);
                TensorPrimitives.Add(source, bias[oc], target);
            }
        }
    }

    /// <summary>Output gradient [N, OC, OH, OW] -> input gradient [N, IC, H, W].</summary>
    public override Tensor Backward(Tensor outputGrad) => BackwardCore(outputGrad, computeInputGrad: true)!;

    /// <summary>Accumulates the weight and bias gradients without computing the input gradient.</summary>
    public override void BackwardParameters(Tensor outputGrad) => BackwardCore(outputGrad, computeInputGrad: false);

    /// <summary>Adds dW and dB for <paramref name="outputGrad"/> group by group, and returns dX when asked.</summary>
    private Tensor? BackwardCore(Tensor outputGrad, bool computeInputGrad)
    {
        Tensor input = RequireForward(_input);
        int batchSize = input.Dim(0);
        int outHeight = OutputSize(input.Dim(2));
        int outWidth = OutputSize(input.Dim(3));
        RequireShape(outputGrad, [batchSize, OutChannels, outHeight, outWidth], nameof(outputGrad));
        int positions = outHeight * outWidth;
        int rows = InChannels * KernelSize * KernelSize;
        int groupColumns = Math.Min(batchSize, GroupSize) * positions;
        float[] outputGradColumns = _product!;
        float[] columnGrads = Scratch.Ensure(ref _columnGrads, rows * groupColumns);
        float[] weightTransposed = Scratch.Ensure(ref _weightTransposed, rows * OutChannels);
        MatMul.Transpose(Weight.Value.Span, weightTransposed, OutChannels, rows);
        Tensor? inputGrad = computeInputGrad ? _inputGrads.Get(input.Shape) : null;
        Span<float> biasGrad = Bias.Grad.Span;

        for (int first = 0; first < batchSize; first += GroupSize)
        {
            int count = Math.Min(GroupSize, batchSize - first);
            int columnCount = count * positions;
            int blockStart = rows * first * positions;

            // reorder the group's dY to [OC, G * P], reusing the forward product buffer
            for (int i = 0; i < count; i++)
            {
                for (int oc = 0; oc < OutChannels; oc++)
                {
                    outputGrad.Span.Slice(((first + i) * OutChannels + oc) * positions, positions)
                        .CopyTo(outputGradColumns.AsSpan(oc * columnCount + i * positions, positions));
                }
            }

            // bias gradient: dB[oc] += sum over the group's items and positions of dY
            for (int oc = 0; oc < OutChannels; oc++)
            {
                biasGrad[oc] += TensorPrimitives.Sum(outputGradColumns.AsSpan(oc * columnCount, columnCount));
            }

            // weight gradient: dW [OC, IC * KH * KW] += dY_g cols_g^T
            AccumulateWeightGrad(outputGradColumns, blockStart, columnCount, rows);

            if (inputGrad is not null)
            {
                // dcols_g [IC * KH * KW, G * P] = W^T dY_g, folded back onto the group's items
                MatMul.Multiply(weightTransposed, outputGradColumns, 0, columnGrads, rows, OutChannels, columnCount, Parallelism);
                Parallelism.For(count, (Layer: this, columnGrads, inputGrad, first, outHeight, outWidth, columnCount), static (i, s) =>
                    s.Layer.Fold(s.columnGrads, s.inputGrad, s.first + i, i, s.outHeight, s.outWidth, s.columnCount));
            }
        }

        Weight.MarkGradWritten();
        Bias.MarkGradWritten();
        return inputGrad;
    }

    /// <summary>Adds dY_g [OC, columnCount] times the transpose of the group's cols block [rows, columnCount] to dW.</summary>
    /// <remarks>
    /// With at least 16 output channels, dW^T [rows, OC] = cols_g dY_g^T is one product whose
    /// output rows fill the 16-wide vector tile, after a transpose of the small dY_g. Fewer
    /// channels (conv1 has 6) would leave most of each tile empty, so there every weight is one
    /// dot product of two long rows instead.
    /// </remarks>
    private void AccumulateWeightGrad(float[] outputGradColumns, int blockStart, int columnCount, int rows)
    {
        if (OutChannels < TransposedProductChannels)
        {
            MatMul.MultiplyTransposed(outputGradColumns, _columns!, blockStart, Weight.Grad.Data, OutChannels, columnCount, rows, Parallelism);
            return;
        }

        float[] outputGradTransposed = Scratch.Ensure(ref _outputGradTransposed, columnCount * OutChannels);
        MatMul.Transpose(outputGradColumns.AsSpan(0, OutChannels * columnCount), outputGradTransposed, OutChannels, columnCount);
        float[] weightGradTransposed = Scratch.Ensure(ref _weightGradTransposed, rows * OutChannels);
        MatMul.Multiply(_columns!, blockStart, outputGradTransposed, weightGradTransposed, rows, columnCount, OutChannels, Parallelism);

        // dW [OC, rows] += (dW^T)^T
        Span<float> weightGrad = Weight.Grad.Span;
        for (int oc = 0; oc < OutChannels; oc++)
        {
            Span<float> row = weightGrad.Slice(oc * rows, rows);
            for (int kk = 0; kk < rows; kk++)
            {
                row[kk] += weightGradTransposed[kk * OutChannels + oc];
            }
        }
    }

    /// <summary>Writes item <paramref name="n"/> as column block <paramref name="local"/> of a group's cols [IC * KH * KW, columnCount].</summary>
    private void Unfold(Tensor input, int n, int local, int outHeight, int outWidth, Span<float> columns, int columnCount)
    {
        int height = input.Dim(2);
        int width = input.Dim(3);
        int positions = outHeight * outWidth;
        ReadOnlySpan<float> image = input.Span.Slice(n * InChannels * height * width, InChannels * height * width);
        Span<float> all = columns;
        for (int ic = 0; ic < InChannels; ic++)
        {
            for (int kh = 0; kh < KernelSize; kh++)
            {
                for (int kw = 0; kw < KernelSize; kw++)
                {
                    int kk = (ic * KernelSize + kh) * KernelSize + kw;
                    Span<float> row = all.Slice(kk * columnCount + local * positions, positions);
                    if (Stride == 1 && Padding == 0)
                    {
                        // every output row reads one contiguous run of the input row
                        ref float source = ref Unsafe.AsRef(in image[(ic * height + kh) * width + kw]);
                        ref float target = ref row[0];
                        uint bytes = (uint)(outWidth * sizeof(float));
                        _ = image[(ic * height + kh + outHeight - 1) * width + kw + outWidth - 1];
                        for (int oh = 0; oh < outHeight; oh++)
                        {
                            Unsafe.CopyBlockUnaligned(
                                ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, oh * outWidth)),
                                ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, oh * width)),
                                bytes);
                        }

                        continue;
                    }

                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        int h = oh * Stride + kh - Padding;
                        Span<float> target = row.Slice(oh * outWidth, outWidth);
                        if ((uint)h >= (uint)height)
                        {
                            target.Clear();
                            continue;
                        }

                        ReadOnlySpan<float> source = image.Slice((ic * height + h) * width, width);
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int w = ow * Stride + kw - Padding;
                            target[ow] = (uint)w < (uint)width ? source[w] : 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds column block <paramref name="local"/> of a group's dcols onto item <paramref name="n"/> of dX.</summary>
    private void Fold(float[] columnGrads, Tensor inputGrad, int n, int local, int outHeight, int outWidth, int columnCount)
    {
        int height = inputGrad.Dim(2);
        int width = inputGrad.Dim(3);
        int positions = outHeight * outWidth;
        Span<float> image = inputGrad.Span.Slice(n * InChannels * height * width, InChannels * height * width);
        image.Clear();
        for (int ic = 0; ic < InChannels; ic++)
        {
            for (int kh = 0; kh < KernelSize; kh++)
            {
                for (int kw = 0; kw < KernelSize; kw++)
                {
                    int kk = (ic * KernelSize + kh) * KernelSize + kw;
                    ReadOnlySpan<float> row = columnGrads.AsSpan(kk * columnCount + local * positions, positions);
                    if (Stride == 1 && Padding == 0)
                    {
                        for (int oh = 0; oh < outHeight; oh++)
                        {
                            Span<float> target = image.Slice((ic * height + oh + kh) * width + kw, outWidth);
                            ReadOnlySpan<float> source = row.Slice(oh * outWidth, outWidth);
                            if (outWidth >= ShortRowWidth)
                            {
                                TensorPrimitives.Add(target, source, target);
                                continue;
                            }

                            // rows as short as conv2's 10 values cost less as a plain loop than as a call
                            for (int ow = 0; ow < target.Length; ow++)
                            {
                                target[ow] += source[ow];
                            }
                        }

                        continue;
                    }

                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        int h = oh * Stride + kh - Padding;
                        if ((uint)h >= (uint)height)
                        {
                            continue;
                        }

                        Span<float> target = image.Slice((ic * height + h) * width, width);
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int w = ow * Stride + kw - Padding;
                            if ((uint)w < (uint)width)
                            {
                                target[w] += row[oh * outWidth + ow];
                            }
                        }
                    }
                }
            }
        }
    }
}
