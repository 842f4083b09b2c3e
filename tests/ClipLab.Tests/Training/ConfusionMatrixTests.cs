using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Training;
using ClipLab.Tests.Data;

namespace ClipLab.Tests.Training;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void Add_Counts_GiveAccuracyAndRecall()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(0, 0);
        matrix.Add(0, 1);
        matrix.Add(1, 1);
        matrix.Add(2, 0);

        Assert.Equal(4, matrix.Total);
        Assert.Equal(2, matrix.Correct);
        Assert.Equal(0.5, matrix.Accuracy);
        Assert.Equal(0.5, matrix.Recall(0));
        Assert.Equal(1.0, matrix.Recall(1));
        Assert.Equal(0.0, matrix.Recall(2));
        Assert.Equal(1, matrix[2, 0]);
    }

    [Fact]
    public void Recall_ClassWithoutExamples_IsNaN()
    {
        var matrix = new ConfusionMatrix(2);
        matrix.Add(0, 0);

        Assert.True(double.IsNaN(matrix.Recall(1)));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 3)]
    public void Add_ClassOutOfRange_Throws(int actual, int predicted)
    {
        var matrix = new ConfusionMatrix(3);

        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(actual, predicted));
    }

    [Fact]
    public void EvaluateWithConfusion_TestSet_MatchesEvaluate()
    {
        Sequential network = LeNet5.Create(new Rng(11));

        (double loss, double accuracy) = Evaluator.Evaluate(network, RealMnist.Dataset.Test);
        ClassificationReport report = Evaluator.EvaluateWithConfusion(network, RealMnist.Dataset.Test);

        Assert.Equal(loss, report.Loss);
        Assert.Equal(accuracy, report.Accuracy);
        Assert.Equal(accuracy, report.Confusion.Accuracy, 12);
        Assert.Equal(10_000, report.Confusion.Total);
        for (int label = 0; label < 10; label++)
        {
            Assert.Equal(RealMnist.Dataset.Test.Labels.Count(l => l == label), report.Confusion.ActualCount(label));
        }
    }
}
