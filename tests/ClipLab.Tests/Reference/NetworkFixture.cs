namespace ClipLab.Tests.Reference;

/// <summary>
/// network.json: LeNet-5 with fixed weights on a fixed batch of 8 MNIST images ([8, 1, 32, 32]),
/// with PyTorch's float32 logits, mean loss and every parameter gradient.
/// </summary>
/// <remarks>
/// <see cref="OrderSpread"/> holds, per compared tensor ("logits", "loss" and each parameter
/// name), the largest distance of a float32 evaluation from the float64 one over
/// <see cref="OrderCount"/> accumulation orders: PyTorch's own, and orders with hidden units and
/// batch items permuted and the weights permuted to match, which leave the exact result unchanged.
/// The weights were chosen so that every ReLU input is at least <see cref="ReluMargin"/> from 0
/// and every max-pool maximum at least <see cref="PoolGap"/> above a differing runner-up, so
/// float32 rounding cannot flip a decision.
/// </remarks>
internal sealed record NetworkFixture(
    GeneratorInfo Generator,
    int WeightSeed,
    float[] Input,
    int[] Labels,
    IReadOnlyList<NetworkParameter> Parameters,
    float[] Logits,
    double Loss,
    double LossFloat64,
    IReadOnlyList<NetworkGradient> Gradients,
    int OrderCount,
    IReadOnlyDictionary<string, double> OrderSpread,
    double ReluMargin,
    double PoolGap)
{
    public static NetworkFixture Instance => ReferenceFixtures.Load<NetworkFixture>("network");
}

/// <summary>A parameter's name as ClipLab names it ("conv1.weight"), its shape and its value.</summary>
internal sealed record NetworkParameter(string Name, int[] Shape, float[] Value);

/// <summary>PyTorch's float32 gradient of the mean loss with respect to one parameter.</summary>
internal sealed record NetworkGradient(string Name, float[] Value);
