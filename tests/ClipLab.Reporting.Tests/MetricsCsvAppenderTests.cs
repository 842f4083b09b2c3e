using System.Globalization;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public class MetricsCsvAppenderTests
{
    [Fact]
    public void MetricsAppender_EachAppend_LeavesParseableFile()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("metrics.csv");
        IReadOnlyList<ValidationPoint> points = FakeResults.Unclipped().Validation;
        using var appender = MetricsCsvAppender.Create(path);
        Assert.Equal(["iteration,loss,accuracy"], ReadWhileOpen(path));

        // Reading after every append, with the appender still open, is what a reader sees if
        // the process dies at that moment.
        for (int count = 1; count <= points.Count; count++)
        {
            appender.Append(points[count - 1]);

            string[] lines = ReadWhileOpen(path);
            Assert.Equal(count + 1, lines.Length);
            Assert.Equal("iteration,loss,accuracy", lines[0]);
            ValidationPoint parsed = ParseRow(lines[^1]);
            Assert.Equal(points[count - 1], parsed);
        }

        Assert.Equal(points.Count, appender.RowCount);
    }

    [Fact]
    public void MetricsAppender_Disposed_MatchesWholeFileWriter()
    {
        using var temp = new TempDirectory();
        string streamed = temp.Combine("streamed.csv");
        string whole = temp.Combine("whole.csv");
        IReadOnlyList<ValidationPoint> points = FakeResults.Clipped().Validation;

        using (var appender = MetricsCsvAppender.Create(streamed))
        {
            foreach (ValidationPoint point in points)
            {
                appender.Append(point);
            }
        }

        MetricsCsvWriter.WriteMetrics(whole, points);

        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(streamed));
    }

    [Fact]
    public void MetricsAppender_ExistingFile_ThrowsAndKeepsIt()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("metrics.csv");
        File.WriteAllText(path, "iteration,loss,accuracy\n0,2.3,0.1\n");

        Assert.Throws<IOException>(() => MetricsCsvAppender.Create(path));

        Assert.Equal("iteration,loss,accuracy\n0,2.3,0.1\n", File.ReadAllText(path));
    }

    [Fact]
    public void MetricsAppender_AppendAfterDispose_Throws()
    {
        using var temp = new TempDirectory();
        var appender = MetricsCsvAppender.Create(temp.Combine("metrics.csv"));
        appender.Dispose();

        Assert.Throws<ObjectDisposedException>(() => appender.Append(new ValidationPoint(0, 2.3, 0.1)));
    }

    private static string[] ReadWhileOpen(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd();
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }

    private static ValidationPoint ParseRow(string row)
    {
        string[] cells = row.Split(',');
        Assert.Equal(3, cells.Length);
        return new ValidationPoint(
            int.Parse(cells[0], CultureInfo.InvariantCulture),
            double.Parse(cells[1], CultureInfo.InvariantCulture),
            double.Parse(cells[2], CultureInfo.InvariantCulture));
    }
}
