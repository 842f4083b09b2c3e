using System.Globalization;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public class ValidationLogFormatterTests
{
    [Fact]
    public void Format_Point_MatchesFixedWidthLayout()
    {
        var point = new ValidationPoint(990, 0.28741, 0.91);

        string line = ValidationLogFormatter.Format(point);

        Assert.Equal("iter   990  accuracy 0.9100  loss 0.2874", line);
    }

    [Fact]
    public void Format_CommaDecimalCulture_UsesInvariantFormat()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        try
        {
            CultureInfo.CurrentCulture = commaCulture;

            string line = ValidationLogFormatter.Format(new ValidationPoint(0, 2.302585, 0.1));

            Assert.Equal("iter     0  accuracy 0.1000  loss 2.3026", line);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Format_ReferenceIterations_AllLinesHaveEqualWidth()
    {
        var lines = Enumerable.Range(0, 100)
            .Select(i => ValidationLogFormatter.Format(new ValidationPoint(i * 10, 2.3 - i * 0.02, i / 100.0)))
            .ToList();

        int width = lines[0].Length;
        foreach (string line in lines)
        {
            Assert.Equal(width, line.Length);
        }
    }

    [Fact]
    public void Format_NaNLoss_PrintsNaN()
    {
        string line = ValidationLogFormatter.Format(new ValidationPoint(410, double.NaN, 0.1));

        Assert.EndsWith("loss NaN", line);
    }
}
