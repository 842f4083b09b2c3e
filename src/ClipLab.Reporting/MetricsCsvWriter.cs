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
    /// Leading columns of <c>steps.csv</c>; one column per parameter follows them (see
    /// <see cref="FormatStepsHeader"/>). Loss is the training batch loss in nats. The norms are
    /// global L2 norms over all gradient components. clipped_count counts the components that
    /// clipping changed, and clipped_share is clipped_count / component_count. scale_factor is
    /// the factor of the norm methods (NaN for none and value). non_finite is 1 when the loss or
    /// a gradient was NaN or infinite before clipping, else 0.
    /// </summary>
    public const string StepsFixedColumns =
        "iteration,loss,grad_norm_before,grad_norm_after,clipped_count,component_count,clipped_share,scale_factor,non_finite";

    /// <summary>Prefix of the per-parameter columns of <c>steps.csv</c>: <c>grad_norm_before.conv1.weight</c> is the L2 norm of that parameter's gradient before clipping.</summary>
    public const string ParameterNormColumnPrefix = "grad_norm_before.";

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

    /// <summary>Formats the header line of <c>steps.csv</c>, without a line terminator.</summary>
    /// <param name="parameterNames">Parameter names in the order of <see cref="ClipLab.Clipping.ClipStatistics.ParameterNormsBefore"/>; may be empty.</param>
    /// <returns><see cref="StepsFixedColumns"/> followed by one <see cref="ParameterNormColumnPrefix"/> column per parameter.</returns>
    /// <exception cref="ArgumentException">A name contains a comma, a quote or a line break, which would break the CSV header.</exception>
    public static string FormatStepsHeader(IReadOnlyList<string> parameterNames)
    {
        ArgumentNullException.ThrowIfNull(parameterNames);

        var header = new StringBuilder(StepsFixedColumns);
        foreach (string name in parameterNames)
        {
            if (name.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                throw new ArgumentException($"Parameter name \"{name}\" contains a comma, quote or line break and cannot be a CSV column name.", nameof(parameterNames));
            }

            header.Append(',').Append(ParameterNormColumnPrefix).Append(name);
        }

        return header.ToString();
    }

    /// <summary>Formats one <c>steps.csv</c> row, without a line terminator.</summary>
    /// <param name="step">The step record.</param>
    /// <param name="parameterCount">Number of per-parameter columns in the header.</param>
    /// <returns>
    /// A row in the column order of <see cref="FormatStepsHeader"/>. The per-parameter cells are
    /// empty when the step has no per-parameter norms.
    /// </returns>
    /// <exception cref="ArgumentException">The step has per-parameter norms, but not <paramref name="parameterCount"/> of them.</exception>
    public static string FormatStepsRow(StepRecord step, int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        IReadOnlyList<double> norms = step.Clip.ParameterNormsBefore;
        if (norms.Count != 0 && norms.Count != parameterCount)
        {
            throw new ArgumentException(
                $"Step {step.Iteration} has {norms.Count} per-parameter norms but the header names {parameterCount} parameters.", nameof(step));
        }

        var row = new StringBuilder();
        row.Append(step.Iteration.ToString(CultureInfo.InvariantCulture))
            .Append(',').Append(FormatDouble(step.Loss))
            .Append(',').Append(FormatDouble(step.Clip.NormBefore))
            .Append(',').Append(FormatDouble(step.Clip.NormAfter))
            .Append(',').Append(step.Clip.ClippedCount.ToString(CultureInfo.InvariantCulture))
            .Append(',').Append(step.Clip.ComponentCount.ToString(CultureInfo.InvariantCulture))
            .Append(',').Append(FormatDouble(step.Clip.ClippedShare))
            .Append(',').Append(FormatDouble(step.Clip.ScaleFactor))
            .Append(',').Append(step.Clip.NonFinite ? '1' : '0');
        for (int i = 0; i < parameterCount; i++)
        {
            row.Append(',');
            if (norms.Count != 0)
            {
                row.Append(FormatDouble(norms[i]));
            }
        }

        return row.ToString();
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
    /// <param name="parameterNames">Names for the per-parameter columns, as in <see cref="VariantResult.ParameterNames"/>; may be empty.</param>
    /// <exception cref="ArgumentException">A step's per-parameter norms do not match <paramref name="parameterNames"/>, or a name cannot be a column name.</exception>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not allow creating files.</exception>
    public static void WriteSteps(string path, IReadOnlyList<StepRecord> steps, IReadOnlyList<string> parameterNames)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(parameterNames);

        var text = new StringBuilder(FormatStepsHeader(parameterNames)).Append('\n');
        foreach (StepRecord step in steps)
        {
            text.Append(FormatStepsRow(step, parameterNames.Count)).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string FormatDouble(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
