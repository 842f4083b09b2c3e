using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Reference;

/// <summary>
/// LeNet-5 as <see cref="LeNet5.Create"/> builds it, with PyTorch's weights, on a fixed batch of
/// 8 MNIST images: logits, loss and every parameter gradient against PyTorch 1.13 in float32.
/// </summary>
/// <remarks>
/// Tolerance: PyTorch and ClipLab evaluate the same float32 sums in different orders, so they
/// differ by rounding alone. Carried through five layers, the worst-case bound of
/// <see cref="FloatRounding"/> allows 0.1 on this batch's logits, which are at most 0.5. So the
/// generator measures instead how far float32 rounding moves each tensor. A tensor's order
/// spread is its largest distance from the float64 result over 17 accumulation orders,
/// PyTorch's among them. ClipLab's order is one more. The tests assume its error is at most
/// twice the largest of those 17, so ClipLab and PyTorch may differ by at most 2 + 1 = 3 order
/// spreads. A wrong layout, a missing bias or a wrong average moves a result by about its own
/// size, 10^5 to 10^6 order spreads.
/// </remarks>
public sealed class LeNet5ReferenceTests
{
    // NOTE: the factor 2 on ClipLab's own error is an assumption, not a derived bound. The layer
    // tests bound each kernel's rounding rigorously.
    private const double SpreadMultiple = 3;

    public static TheoryData<string> ParameterNames => new(NetworkFixture.Instance.Gradients.Select(g => g.Name));

    [Fact]
    public void Forward_Logits_MatchPyTorch()
    {
        NetworkFixture fixture = NetworkFixture.Instance;
        Sequential network = CreateNetwork(fixture);

        Tensor logits = network.Forward(Input(fixture));

        Assert.Equal([fixture.Labels.Length, LeNet5.ClassCount], logits.Shape.ToArray());
        NumericAssert.Close(fixture.Logits, logits.Span, SpreadMultiple * fixture.OrderSpread["logits"], 0, "logits");
    }

    [Fact]
    public void Forward_Loss_MatchesPyTorch()
    {
        NetworkFixture fixture = NetworkFixture.Instance;
        Sequential network = CreateNetwork(fixture);
        var loss = new SoftmaxCrossEntropy();

        double actual = loss.Forward(network.Forward(Input(fixture)), fixture.Labels);

        double tolerance = SpreadMultiple * fixture.OrderSpread["loss"];
        NumericAssert.Close([fixture.Loss], [actual], tolerance, 0, "loss");
    }

    [Theory]
    [MemberData(nameof(ParameterNames))]
    public void Backward_ParameterGradient_MatchesPyTorch(string parameterName)
    {
        NetworkFixture fixture = NetworkFixture.Instance;
        Sequential network = CreateNetwork(fixture);
        var loss = new SoftmaxCrossEntropy();
        network.ZeroGrad();
        loss.Forward(network.Forward(Input(fixture)), fixture.Labels);

        network.Backward(loss.Backward());

        Parameter parameter = network.Parameters.Single(p => p.Name == parameterName);
        float[] expected = fixture.Gradients.Single(g => g.Name == parameterName).Value;
        double tolerance = SpreadMultiple * fixture.OrderSpread[parameterName];
        NumericAssert.Close(expected, parameter.Grad.Span, tolerance, 0, $"{parameterName} gradient");
    }

    [Fact]
    public void Parameters_NamesAndShapes_MatchPyTorch()
    {
        NetworkFixture fixture = NetworkFixture.Instance;

        Sequential network = LeNet5.Create(new Rng(1));

        Assert.Equal(fixture.Parameters.Select(p => p.Name), network.Parameters.Select(p => p.Name));
        foreach (NetworkParameter expected in fixture.Parameters)
        {
            Parameter actual = network.Parameters.Single(p => p.Name == expected.Name);
            Assert.Equal(expected.Shape, actual.Value.Shape.ToArray());
        }
    }

    private static Sequential CreateNetwork(NetworkFixture fixture)
    {
        // the generator's weights replace the random initial ones, parameter by parameter
        Sequential network = LeNet5.Create(new Rng(1));
        foreach (NetworkParameter source in fixture.Parameters)
        {
            Parameter target = network.Parameters.Single(p => p.Name == source.Name);
            Assert.True(target.Value.HasShape(source.Shape), $"{source.Name}: ClipLab shape {target.Value.ShapeText}, fixture shape [{string.Join(", ", source.Shape)}]");
            source.Value.CopyTo(target.Value.Data, 0);
        }

        return network;
    }

    private static Tensor Input(NetworkFixture fixture) =>
        new(fixture.Input.ToArray(), fixture.Labels.Length, 1, LeNet5.ImageSize, LeNet5.ImageSize);
}
