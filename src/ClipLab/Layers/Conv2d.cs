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
/// <para>
/// Three algorithms compute the same sums (see <see cref="ConvolutionAlgorithm"/>); the layer
/// picks by shape unless <see cref="Algorithm"/> is set. Stride-1 layers with wide output rows,
/// such as LeNet-5's conv1, run <see cref="DirectConvolution"/> on a padded copy of each item.
/// Other stride-1 layers with at least 4 output channels and 5 output columns, such as conv2,
/// run <see cref="InterleavedConvolution"/> with eight items per vector.
/// </para>
/// <para>
/// Everything else unfolds the batch in groups of up to eight items into columns,
/// cols_g [IC * KH * KW, G * OH * OW], so that one matrix product Y_g = W cols_g serves every
/// item of a group while its buffers stay in the cache. Backward uses dW += dY_g cols_g^T and
/// dcols_g = W^T dY_g per group, then folds dcols_g back onto the input; the direct algorithm
/// takes its dX that way too. Weights are stored as PyTorch stores them, [OC, IC, KH, KW].
/// </para>
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

    private Tensor? _input;
    private DirectConvolution? _direct;
    private InterleavedConvolution? _interleaved;
    private ConvolutionAlgorithm _lastAlgorithm;

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

    /// <summary>
    /// The algorithm every forward pass uses, or null (the default) to choose the fastest that
    /// suits the shape. All give the same values up to float32 rounding.
    /// </summary>
    /// <remarks>A forward pass throws <see cref="InvalidOperationException"/> when the set algorithm does not suit its shape.</remarks>
    public ConvolutionAlgorithm? Algorithm { get; set; }

    /// <summary>The algorithm of the latest forward pass.</summary>
    public ConvolutionAlgorithm LastAlgorithm => _lastAlgorithm;

    private KernelGeometry Geometry => new(InChannels, KernelSize, Stride, Padding);

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
    public override Tensor Forward(Tensor input) => Run(input, keepForBackward: true);

    /// <summary>Input [N, IC, H, W] -> output [N, OC, OH, OW], reusing one group's unfolded block when on one thread.</summary>
    public override Tensor Infer(Tensor input)
    {
        Tensor output = Run(input, keepForBackward: false);
        _input = null;
        return output;
    }

    /// <summary>Returns <see cref="Algorithm"/> when set, else the fastest algorithm that suits the shape.</summary>
    /// <exception cref="InvalidOperationException">The set algorithm does not suit the shape.</exception>
    private ConvolutionAlgorithm ChooseAlgorithm(int outWidth)
    {
        bool direct = DirectConvolution.Suits(Stride, outWidth);
        bool interleaved = InterleavedConvolution.Suits(Stride, OutChannels, outWidth);
        ConvolutionAlgorithm fastest = ConvolutionAlgorithm.Unfolded;
        if (direct)
        {
            fastest = ConvolutionAlgorithm.Direct;
        }
        else if (interleaved)
        {
            fastest = ConvolutionAlgorithm.Interleaved;
        }

        ConvolutionAlgorithm chosen = Algorithm ?? fastest;
        bool suits = chosen switch
        {
            ConvolutionAlgorithm.Direct => direct,
            ConvolutionAlgorithm.Interleaved => interleaved,
            _ => true,
        };
        return suits ? chosen : throw new InvalidOperationException($"{Name}: the {chosen} algorithm does not suit stride {Stride}, {OutChannels} output channels and {outWidth} output columns.");
    }

    private Tensor Run(Tensor input, bool keepForBackward)
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
        Tensor output = _outputs.Get(batchSize, OutChannels, outHeight, outWidth);
        _lastAlgorithm = ChooseAlgorithm(outWidth);
        if (_lastAlgorithm == ConvolutionAlgorithm.Direct)
        {
            _direct ??= new DirectConvolution(InChannels, OutChannels, KernelSize, Padding);
            _direct.Forward(input, output, Weight.Value.Data, Bias.Value.Data, Parallelism);
            return output;
        }

        if (_lastAlgorithm == ConvolutionAlgorithm.Interleaved)
        {
            _interleaved ??= new InterleavedConvolution(InChannels, OutChannels, KernelSize, Padding);
            _interleaved.Forward(input, output, Weight.Value.Data, Bias.Value.Data, Parallelism);
            return output;
        }

        // Cols holds every group's unfolded block, [IC * KH * KW, G * P] each, for the backward pass
        // and for groups that run in parallel. Otherwise one block serves all and stays in the cache.
        int groups = (batchSize + GroupSize - 1) / GroupSize;
        bool parallelGroups = groups > 1 && Parallelism.MaxThreads > 1;
        bool blockPerGroup = keepForBackward || parallelGroups;
        float[] columns = Scratch.Ensure(ref _columns, rows * (blockPerGroup ? batchSize : Math.Min(batchSize, GroupSize)) * positions);
        if (parallelGroups)
        {
            // Whole groups run in parallel, each on one thread with its own block of the product
            // buffer. A group computes the same values either way, so the bits do not change.
            float[] products = Scratch.Ensure(ref _product, OutChannels * batchSize * positions);
            Parallelism.For(groups, (Layer: this, input, columns, products, output, outHeight, outWidth), static (group, s) =>
                s.Layer.ForwardGroup(s.input, group * GroupSize, s.columns, s.Layer.Rows * group * GroupSize * s.outHeight * s.outWidth, s.products, s.Layer.OutChannels * group * GroupSize * s.outHeight * s.outWidth, s.output, s.outHeight, s.outWidth, Parallelism.Single));
            return output;
        }

        float[] product = Scratch.Ensure(ref _product, OutChannels * Math.Min(batchSize, GroupSize) * positions);
        for (int first = 0; first < batchSize; first += GroupSize)
        {
            int columnsStart = blockPerGroup ? rows * first * positions : 0;
            ForwardGroup(input, first, columns, columnsStart, product, productStart: 0, output, outHeight, outWidth, Parallelism);
        }

        return output;
    }

    /// <summary>
    /// Unfolds, multiplies and reorders the group of up to <see cref="GroupSize"/> items that
    /// starts at item <paramref name="first"/>, with the group's block of cols at
    /// <paramref name="blockStart"/> in <paramref name="columns"/> and its product block at
    /// <paramref name="productStart"/> in <paramref name="product"/>.
    /// </summary>
    private void ForwardGroup(
        Tensor input, int first, float[] columns, int blockStart, float[] product, int productStart, Tensor output, int outHeight, int outWidth,
        Parallelism parallelism)
    {
        int batchSize = input.Dim(0);
        int positions = outHeight * outWidth;
        int rows = Rows;
        int count = Math.Min(GroupSize, batchSize - first);
        int columnCount = count * positions;

        // unfold the group's items into its block of cols
        parallelism.For(count, (Layer: this, input, first, outHeight, outWidth, columns, blockStart, columnCount), static (i, s) =>
            Unfolding.Unfold(s.Layer.Geometry, s.input, s.first + i, i, s.outHeight, s.outWidth, s.columns.AsSpan(s.blockStart, s.columnCount * s.Layer.Rows), s.columnCount));

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
                SpanArithmetic.Add(source, bias[oc], target);
            }
        }
    }

    /// <summary>Output gradient [N, OC, OH, OW] -> input gradient [N, IC, H, W].</summary>
    public override Tensor Backward(Tensor outputGrad) => BackwardCore(outputGrad, computeInputGrad: true)!;

    /// <summary>Accumulates the weight and bias gradients without computing the input gradient.</summary>
    public override void BackwardParameters(Tensor outputGrad) => BackwardCore(outputGrad, computeInputGrad: false);

    /// <summary>Adds dW and dB for <paramref name="outputGrad"/>, and returns dX when asked.</summary>
    private Tensor? BackwardCore(Tensor outputGrad, bool computeInputGrad)
    {
        Tensor input = RequireForward(_input);
        int batchSize = input.Dim(0);
        int outHeight = OutputSize(input.Dim(2));
        int outWidth = OutputSize(input.Dim(3));
        RequireShape(outputGrad, [batchSize, OutChannels, outHeight, outWidth], nameof(outputGrad));
        Tensor? inputGrad = computeInputGrad ? _inputGrads.Get(input.Shape) : null;

        // dX comes from the unfolded product unless the interleaved algorithm writes it
        Tensor? foldedInputGrad = inputGrad;
        bool parameterGradsFromColumns = _lastAlgorithm == ConvolutionAlgorithm.Unfolded;
        if (!parameterGradsFromColumns)
        {
            // dB[oc] += sum of dY[n, oc] over the items in order, then dW from the kept input
            int positions = outHeight * outWidth;
            Span<float> biasGrad = Bias.Grad.Span;
            for (int n = 0; n < batchSize; n++)
            {
                for (int oc = 0; oc < OutChannels; oc++)
                {
                    biasGrad[oc] += SpanArithmetic.Sum(outputGrad.Span.Slice((n * OutChannels + oc) * positions, positions));
                }
            }

            if (_lastAlgorithm == ConvolutionAlgorithm.Direct)
            {
                _direct!.AccumulateWeightGrad(outputGrad, Weight.Grad.Data, Parallelism);
            }
            else
            {
                Tensor? interleavedInputGrad = _interleaved!.SuitsInputGrad ? inputGrad : null;
                _interleaved.Backward(outputGrad, Weight.Value.Data, Weight.Grad.Data, interleavedInputGrad, Parallelism);
                if (interleavedInputGrad is not null)
                {
                    foldedInputGrad = null;
                }
            }
        }

        if (parameterGradsFromColumns || foldedInputGrad is not null)
        {
            BackwardGroups(outputGrad, parameterGradsFromColumns, foldedInputGrad, outHeight, outWidth);
        }

        Weight.MarkGradWritten();
        Bias.MarkGradWritten();
        return inputGrad;
    }

    /// <summary>
    /// Walks the batch in the forward pass's groups: adds dW and dB from the group's cols when
    /// <paramref name="parameterGrads"/> is set, and folds dX into <paramref name="inputGrad"/> when it is not null.
    /// </summary>
    private void BackwardGroups(Tensor outputGrad, bool parameterGrads, Tensor? inputGrad, int outHeight, int outWidth)
    {
        int batchSize = outputGrad.Dim(0);
        int positions = outHeight * outWidth;
        int rows = Rows;
        int groupColumns = Math.Min(batchSize, GroupSize) * positions;
        float[] outputGradColumns = Scratch.Ensure(ref _product, OutChannels * groupColumns);
        float[] columnGrads = Scratch.Ensure(ref _columnGrads, rows * groupColumns);
        float[] weightTransposed = Scratch.Ensure(ref _weightTransposed, rows * OutChannels);
        MatMul.Transpose(Weight.Value.Span, weightTransposed, OutChannels, rows);
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

            if (parameterGrads)
            {
                // bias gradient: dB[oc] += sum over the group's items and positions of dY
                for (int oc = 0; oc < OutChannels; oc++)
                {
                    biasGrad[oc] += SpanArithmetic.Sum(outputGradColumns.AsSpan(oc * columnCount, columnCount));
                }

                // weight gradient: dW [OC, IC * KH * KW] += dY_g cols_g^T
                AccumulateWeightGrad(outputGradColumns, blockStart, columnCount, rows);
            }

            if (inputGrad is not null)
            {
                // dcols_g [IC * KH * KW, G * P] = W^T dY_g, folded back onto the group's items
                MatMul.Multiply(weightTransposed, outputGradColumns, 0, columnGrads, rows, OutChannels, columnCount, Parallelism);
                Parallelism.For(count, (Layer: this, columnGrads, inputGrad, first, outHeight, outWidth, columnCount), static (i, s) =>
                    Unfolding.Fold(s.Layer.Geometry, s.columnGrads, s.inputGrad, s.first + i, i, s.outHeight, s.outWidth, s.columnCount));
            }
        }
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
}
