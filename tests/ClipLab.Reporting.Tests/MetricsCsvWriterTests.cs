using System.Globalization;
using ClipLab.Clipping;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public class MetricsCsvWriterTests
{
    /// <summary>Values whose shortest decimal form is long or special: float-derived, tiny, huge, non-finite.</summary>
    private static readonly double[] AwkwardValues =
    [
        0.1 + 0.2, (double)0.287412345f, 1e-300, double.Epsilon, 1.7976931348623157e308, -0.0, double.NaN,
        double.PositiveInfinity, double.NegativeInfinity, 2.302585092994046,
    ];

    [Fact]
    public void MetricsCsv_Write_OneRowPerPoint()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("metrics.csv");
        VariantResult result = FakeResults.Unclipped();

        MetricsCsvWriter.WriteMetrics(path, result.Validation);

        string[] lines = File.ReadAllLines(path);
        Assert.Equal("iteration,loss,accuracy", lines[0]);
        Assert.Equal(result.Validation.Count + 1, lines.Length);
    }

    [Fact]
    public void MetricsCsv_RoundTrip_IsBitExact()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("metrics.csv");
        var points = AwkwardValues.Select((value, i) => new ValidationPoint(i * 10, value, AwkwardValues[^(i + 1)])).ToList();

        MetricsCsvWriter.WriteMetrics(path, points);

        string[] rows = File.ReadAllLines(path)[1..];
        Assert.Equal(points.Count, rows.Length);
        for (int i = 0; i < points.Count; i++)
        {
            string[] cells = rows[i].Split(',');
            Assert.Equal(3, cells.Length);
            Assert.Equal(points[i].Iteration, int.Parse(cells[0], CultureInfo.InvariantCulture));
            AssertBitExact(points[i].Loss, cells[1], i);
            AssertBitExact(points[i].Accuracy, cells[2], i);
        }
    }

    [Fact]
    public void StepsCsv_Write_OneRowPerStep()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("steps.csv");
        VariantResult result = FakeResults.Clipped();

        MetricsCsvWriter.WriteSteps(path, result.Steps, result.ParameterNames);

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(
            "iteration,loss,grad_norm_before,grad_norm_after,clipped_count,component_count,clipped_share,scale_factor,non_finite,"
            + string.Join(',', FakeResults.ParameterNames.Select(name => "grad_norm_before." + name)),
            lines[0]);
        Assert.Equal(result.Steps.Count + 1, lines.Length);
        Assert.All(lines, line => Assert.Equal(9 + FakeResults.ParameterNames.Length, line.Split(',').Length));
    }

    [Fact]
    public void StepsCsv_RoundTrip_IsBitExact()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("steps.csv");
        string[] names = ["a.weight", "a.bias"];
        var steps = AwkwardValues
            .Select((value, i) => new StepRecord(i, value, new ClipStatistics(AwkwardValues[^(i + 1)], value * 0.5, i * 7L, 61706L)
            {
                ScaleFactor = AwkwardValues[(i + 3) % AwkwardValues.Length],
                ParameterNormsBefore = [value, AwkwardValues[(i + 5) % AwkwardValues.Length]],
                NonFinite = i % 2 == 1,
            }))
            .ToList();

        MetricsCsvWriter.WriteSteps(path, steps, names);

        string[] rows = File.ReadAllLines(path)[1..];
        Assert.Equal(steps.Count, rows.Length);
        for (int i = 0; i < steps.Count; i++)
        {
            string[] cells = rows[i].Split(',');
            Assert.Equal(11, cells.Length);
            Assert.Equal(steps[i].Iteration, int.Parse(cells[0], CultureInfo.InvariantCulture));
            AssertBitExact(steps[i].Loss, cells[1], i);
            AssertBitExact(steps[i].Clip.NormBefore, cells[2], i);
            AssertBitExact(steps[i].Clip.NormAfter, cells[3], i);
            Assert.Equal(steps[i].Clip.ClippedCount, long.Parse(cells[4], CultureInfo.InvariantCulture));
            Assert.Equal(steps[i].Clip.ComponentCount, long.Parse(cells[5], CultureInfo.InvariantCulture));
            AssertBitExact(steps[i].Clip.ClippedShare, cells[6], i);
            AssertBitExact(steps[i].Clip.ScaleFactor, cells[7], i);
            Assert.Equal(steps[i].Clip.NonFinite ? "1" : "0", cells[8]);
            AssertBitExact(steps[i].Clip.ParameterNormsBefore[0], cells[9], i);
            AssertBitExact(steps[i].Clip.ParameterNormsBefore[1], cells[10], i);
        }
    }

    [Fact]
    public void StepsCsv_NoParameterNorms_EmptyCells()
    {
        var step = new StepRecord(3, 1.5, new ClipStatistics(2, 1, 4, 8));

        string row = MetricsCsvWriter.FormatStepsRow(step, parameterCount: 2);

        Assert.Equal("3,1.5,2,1,4,8,0.5,NaN,0,,", row);
    }

    [Fact]
    public void StepsCsv_NormCountDiffersFromHeader_Throws()
    {
        var step = new StepRecord(3, 1.5, new ClipStatistics(2, 1, 4, 8) { ParameterNormsBefore = [1.0, 2.0, 3.0] });

        var error = Assert.Throws<ArgumentException>(() => MetricsCsvWriter.FormatStepsRow(step, parameterCount: 2));

        Assert.Contains("3 per-parameter norms", error.Message);
        Assert.Contains("2 parameters", error.Message);
    }

    [Fact]
    public void StepsCsv_ParameterNameWithComma_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => MetricsCsvWriter.FormatStepsHeader(["fc1,weight"]));

        Assert.Contains("fc1,weight", error.Message);
    }

    [Fact]
    public void MetricsCsv_CommaDecimalCulture_UsesInvariantFormat()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        try
        {
            CultureInfo.CurrentCulture = commaCulture;

            string row = MetricsCsvWriter.FormatMetricsRow(new ValidationPoint(990, 0.25, 0.91));

            Assert.Equal("990,0.25,0.91", row);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void MetricsCsv_EmptyList_WritesHeaderOnly()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("metrics.csv");

        MetricsCsvWriter.WriteMetrics(path, []);

        Assert.Equal("iteration,loss,accuracy\n", File.ReadAllText(path));
    }

    /// <summary>Parses a CSV cell and compares the bit pattern, so -0.0 and NaN are checked too.</summary>
    private static void AssertBitExact(double expected, string cell, int row)
    {
        double actual = double.Parse(cell, CultureInfo.InvariantCulture);
        Assert.True(
            BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
            $"row {row}: expected {expected:R}, parsed {actual:R} from cell '{cell}'");
    }
}
