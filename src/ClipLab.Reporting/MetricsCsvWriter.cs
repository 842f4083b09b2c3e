using System.Globalization;
using System.Text;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Writes the per-variant CSV files: <c>metrics.csv</c> with one row per validation point and
/// <c>steps.csv</c> with one row per training step.
/// </summary>
/// <remarks>
/// Numbers use the invariant culture and the round-trip format "R", so parsing a value with
/// <see cref="double.Parse(string, IFormatProvider)"/> and <see cref="CultureInfo.InvariantCulture"/>
/// returns the identical double. Non-finite values are written as <c>NaN</c>, <c>Infinity</c> and
/// <c>-Infinity</c>, which that parser accepts. Lines end with '\n' and the files are UTF-8
/// without a byte order mark. To write validation points while training runs, use
/// <see cref="MetricsCsvAppender"/>, which produces the same format.
/// </remarks>
public static class MetricsCsvWriter
{
    /// <summary>Header line of <c>metrics.csv</c>. Loss is in nats, accuracy in [0, 1].</summary>
    public const string MetricsHeader = "iteration,loss,accuracy";

    /// <summary>
    /// Header line of <c>steps.csv</c>. Loss is the training batch loss in nats, the norms are
    /// global L2 norms over all gradient components, and clipped_share is clipped_count / component_count.
    /// </summary>
    public const string StepsHeader = "iteration,loss,grad_norm_before,grad_norm_after,clipped_count,component_count,clipped_share";

    /// <summary>Formats one <c>metrics.csv</c> row, without a line terminator.</summary>
    /// <param name="point">The validation point.</param>
    /// <returns>A row such as <c>990,0.2874123454093933,0.91</c>.</returns>
    public static string FormatMetricsRow(ValidationPoint point)
    {
        return string.Join(
            ',',
            point.Iteration.ToString(CultureInfo.InvariantCulture),
            FormatDouble(point.Loss),
            FormatDouble(point.Accuracy));
    }

    /// <summary>Formats one <c>steps.csv</c> row, without a line terminator.</summary>
    /// <param name="step">The step record.</param>
    /// <returns>A row in the column order of <see cref="StepsHeader"/>.</returns>
    public static string FormatStepsRow(StepRecord step)
    {
        return string.Join(
            ',',
            step.Iteration.ToString(CultureInfo.InvariantCulture),
            FormatDouble(step.Loss),
            FormatDouble(step.Clip.NormBefore),
            FormatDouble(step.Clip.NormAfter),
            step.Clip.ClippedCount.ToString(CultureInfo.InvariantCulture),
            step.Clip.ComponentCount.ToString(CultureInfo.InvariantCulture),
            FormatDouble(step.Clip.ClippedShare));
    }

    /// <summary>Writes a complete <c>metrics.csv</c> atomically, replacing any existing file.</summary>
    /// <param name="path">File path; its folder must exist.</param>
    /// <param name="points">Validation points in the order they should appear.</param>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void WriteMetrics(string path, IReadOnlyList<ValidationPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);

        var text = new StringBuilder(MetricsHeader).Append('\n');
        foreach (ValidationPoint point in points)
        {
            text.Append(FormatMetricsRow(point)).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes a complete <c>steps.csv</c> atomically, replacing any existing file.</summary>
    /// <param name="path">File path; its folder must exist.</param>
    /// <param name="steps">Step records in the order they should appear.</param>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void WriteSteps(string path, IReadOnlyList<StepRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);

        var text = new StringBuilder(StepsHeader).Append('\n');
        foreach (StepRecord step in steps)
        {
            text.Append(FormatStepsRow(step)).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string FormatDouble(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
