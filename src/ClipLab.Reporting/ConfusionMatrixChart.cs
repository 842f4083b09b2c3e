using System.Globalization;
using ClipLab.Training;
using ScottPlot;

namespace ClipLab.Reporting;

/// <summary>Draws a confusion matrix as a grid of counts, written as PNG and SVG through <see cref="AtomicFile"/>.</summary>
/// <remarks>
/// Rows are true classes (first class at the top) and columns predicted classes. Each cell shows
/// its count, and its shade is the count's share of its row, so the diagonal shows each class's
/// recall whatever the class sizes are.
/// </remarks>
public static class ConfusionMatrixChart
{
    /// <summary>Image width in pixels (PNG) or user units (SVG).</summary>
    public const int Width = 760;

    /// <summary>Image height in pixels (PNG) or user units (SVG).</summary>
    public const int Height = 700;

    /// <summary>Writes the chart of <paramref name="matrix"/> to <c>PATH.png</c> and <c>PATH.svg</c>.</summary>
    /// <param name="matrix">The counts to draw.</param>
    /// <param name="classNames">Name of each class, one per row and column, for the axis labels.</param>
    /// <param name="title">Chart title, for example "Test set: accuracy 0.9120".</param>
    /// <param name="pathWithoutExtension">Output path without extension; ".png" and ".svg" are appended.</param>
    /// <exception cref="ArgumentException">The number of class names differs from <see cref="ConfusionMatrix.ClassCount"/>, or the path is empty.</exception>
    /// <exception cref="IOException">Writing a file failed.</exception>
    public static void Write(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string title, string pathWithoutExtension)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentException.ThrowIfNullOrEmpty(pathWithoutExtension);
        if (classNames.Count != matrix.ClassCount)
        {
            throw new ArgumentException($"Expected {matrix.ClassCount} class names, one per class, found {classNames.Count}.", nameof(classNames));
        }

        using Plot plot = ChartRenderer.CreatePlot();
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        plot.HideGrid();

        // one cell per (true, predicted) pair; row 0 at the top
        int classes = matrix.ClassCount;
        for (int actual = 0; actual < classes; actual++)
        {
            long rowTotal = matrix.ActualCount(actual);
            double top = classes - actual;
            for (int predicted = 0; predicted < classes; predicted++)
            {
                long count = matrix[actual, predicted];
                double share = rowTotal == 0 ? 0 : (double)count / rowTotal;
                var cell = plot.Add.Rectangle(predicted, predicted + 1, top - 1, top);
                cell.FillStyle.Color = CellColor(share);
                cell.LineStyle.Color = Colors.White;
                cell.LineStyle.Width = 1;

                var label = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), predicted + 0.5, top - 0.5);
                label.LabelFontSize = 13;
                label.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        }

        // class names on both axes
        double[] centres = Enumerable.Range(0, classes).Select(i => i + 0.5).ToArray();
        plot.Axes.Bottom.SetTicks(centres, classNames.ToArray());
        plot.Axes.Left.SetTicks(centres.Select(c => classes - c).ToArray(), classNames.ToArray());
        if (classNames.Any(name => name.Length > 2))
        {
            // long names (Fashion-MNIST) would overlap side by side, so they are slanted
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 110;
        }

        plot.Axes.SetLimits(0, classes, 0, classes);

        AtomicFile.WriteAllBytes(pathWithoutExtension + RunFileNames.PngExtension, plot.GetImageBytes(Width, Height, ImageFormat.Png));
        AtomicFile.WriteAllText(pathWithoutExtension + RunFileNames.SvgExtension, plot.GetSvgXml(Width, Height));
    }

    /// <summary>White for a share of 0, blending to a dark blue for a share of 1.</summary>
    private static Color CellColor(double share)
    {
        Color dark = new(8, 48, 107);
        return Colors.White.MixedWith(dark, (float)Math.Clamp(share, 0, 1));
    }
}
