using ClipLab.Reporting.Statistics;

namespace ClipLab.Reporting.Tests.Statistics;

public class DescriptiveStatisticsTests
{
    [Fact]
    public void DescriptiveStatistics_OddCount_MiddleValueAndSampleDeviation()
    {
        // mean 5, squared deviations 9 + 1 + 1 + 9 + 0 = 20, sample variance 20 / 4 = 5
        DescriptiveStatistics statistics = DescriptiveStatistics.Of([2, 4, 6, 8, 5]);

        Assert.Equal(5, statistics.Count);
        Assert.Equal(5, statistics.Median);
        Assert.Equal(5, statistics.Mean);
        Assert.Equal(Math.Sqrt(5), statistics.StandardDeviation, 15);
        Assert.Equal(2, statistics.Min);
        Assert.Equal(8, statistics.Max);
    }

    [Fact]
    public void DescriptiveStatistics_EvenCount_MedianIsMeanOfMiddlePair()
    {
        DescriptiveStatistics statistics = DescriptiveStatistics.Of([0.9, 0.1, 0.8, 0.7]);

        Assert.Equal(0.75, statistics.Median, 15);
    }

    [Fact]
    public void DescriptiveStatistics_NonFiniteValues_AreExcludedAndCounted()
    {
        DescriptiveStatistics statistics = DescriptiveStatistics.Of([0.5, double.NaN, double.PositiveInfinity, 0.7]);

        Assert.Equal(2, statistics.Count);
        Assert.Equal(2, statistics.ExcludedCount);
        Assert.Equal(0.6, statistics.Mean, 15);
    }

    [Fact]
    public void DescriptiveStatistics_OneValue_HasNoDeviation()
    {
        DescriptiveStatistics statistics = DescriptiveStatistics.Of([0.9]);

        Assert.Equal(0.9, statistics.Median);
        Assert.True(double.IsNaN(statistics.StandardDeviation));
    }

    [Fact]
    public void DescriptiveStatistics_NoValue_AllNaN()
    {
        DescriptiveStatistics statistics = DescriptiveStatistics.Of([double.NaN]);

        Assert.Equal(0, statistics.Count);
        Assert.True(double.IsNaN(statistics.Median));
        Assert.True(double.IsNaN(statistics.Mean));
        Assert.True(double.IsNaN(statistics.Min));
    }
}
