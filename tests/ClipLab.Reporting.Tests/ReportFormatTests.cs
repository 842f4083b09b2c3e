using ClipLab.Reporting.Reports;

namespace ClipLab.Reporting.Tests;

public class ReportFormatTests
{
    [Theory]
    [InlineData(0.28743, "0.2874")]
    [InlineData(999999.0, "999999.0000")]
    [InlineData(1.7314308371224624e37, "1.731E+37")]
    [InlineData(-2.5e6, "-2.500E+6")]
    [InlineData(double.NaN, "NaN")]
    public void Metric_Value_UsesFixedOrScientificNotation(double value, string expected)
    {
        Assert.Equal(expected, ReportFormat.Metric(value));
    }
}
