using System.Globalization;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Formats the fixed-width log line of one validation point. The CLI prints these lines while
/// training and the Markdown report repeats them, so both show the same text.
/// </summary>
public static class ValidationLogFormatter
{
    /// <summary>Minimum width of the right-aligned iteration column; wider iterations extend the line.</summary>
    public const int IterationWidth = 5;

    /// <summary>
    /// Formats one validation point as <c>iter   990  accuracy 0.9100  loss 0.2874</c>, with the
    /// invariant culture whatever the current culture is.
    /// </summary>
    /// <param name="point">The validation point to format.</param>
    /// <returns>The line without a line terminator.</returns>
    /// <remarks>
    /// Accuracy and loss are rounded to 4 decimals. Accuracy in [0, 1] always takes 6 characters,
    /// and loss is the last column, so the lines of one run align. Non-finite values print as
    /// <c>NaN</c>, <c>Infinity</c> or <c>-Infinity</c>. The CSV files keep full precision.
    /// </remarks>
    public static string Format(ValidationPoint point)
    {
        return string.Format(
            CultureInfo.InvariantCulture,
            "iter {0," + IterationWidth + "}  accuracy {1:F4}  loss {2:F4}",
            point.Iteration,
            point.Accuracy,
            point.Loss);
    }
}
