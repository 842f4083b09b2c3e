namespace ClipLab.Tests.Reference;

/// <summary>
/// adam.json: five Adam steps on two parameters, in PyTorch's epsilon placement
/// (torch.optim.Adam, float32) and in TensorFlow 1's (its formula, evaluated in float64).
/// </summary>
internal sealed record AdamFixture(
    GeneratorInfo Generator,
    double LearningRate,
    double Beta1,
    double Beta2,
    double Epsilon,
    int[][] Shapes,
    float[][] Initial,
    float[][][] Gradients,
    IReadOnlyList<AdamStep> Pytorch,
    IReadOnlyList<AdamStep> Tensorflow)
{
    public static AdamFixture Instance => ReferenceFixtures.Load<AdamFixture>("adam");
}

/// <summary>
/// Parameter values after one step, and error scales summed over the steps so far:
/// <see cref="UpdateScale"/> sums lr_t M_t / (sqrt(v_t) + epsilon), where M_t is the first moment
/// of |g|, and <see cref="ValueScale"/> sums |theta|.
/// </summary>
internal sealed record AdamStep(double[][] Values, float[][] UpdateScale, float[][] ValueScale);
