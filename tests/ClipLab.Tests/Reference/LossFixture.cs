namespace ClipLab.Tests.Reference;

/// <summary>loss.json: torch.nn.functional.cross_entropy (mean over the batch) and its gradient in float32.</summary>
internal sealed record LossFixture(GeneratorInfo Generator, IReadOnlyList<LossCase> Cases)
{
    public static LossFixture Instance => ReferenceFixtures.Load<LossFixture>("loss");
}

/// <summary>
/// One batch: logits [N, C] and labels [N]; <see cref="Loss"/> is PyTorch's float32 result,
/// <see cref="LossFloat64"/> the same computation in float64 from the same float32 logits.
/// </summary>
internal sealed record LossCase(
    string Name,
    int BatchSize,
    int Classes,
    float[] Logits,
    int[] Labels,
    double Loss,
    double LossFloat64,
    float[] LogitsGrad);
