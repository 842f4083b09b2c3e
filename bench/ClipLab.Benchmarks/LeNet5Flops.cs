namespace ClipLab.Benchmarks;

/// <summary>Floating-point operations of LeNet-5 per image, counting a multiply-add as two.</summary>
internal static class LeNet5Flops
{
    // forward: conv1 6*25*28*28, conv2 16*150*10*10, fc 400*120 + 120*84 + 84*10 multiply-adds
    private const double ForwardMultiplyAdds = 6 * 25 * 28 * 28 + 16 * 150 * 10 * 10 + 400 * 120 + 120 * 84 + 84 * 10;

    /// <summary>Forward pass.</summary>
    public const double Forward = 2 * ForwardMultiplyAdds;

    /// <summary>
    /// Forward plus backward: the weight gradients cost as much as the forward pass and so do the
    /// input gradients, less conv1's, which training skips.
    /// </summary>
    public const double Training = Forward * 3 - 2 * 6 * 25 * 28 * 28;
}
