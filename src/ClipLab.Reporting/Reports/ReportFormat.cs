using System.Globalization;

namespace ClipLab.Reporting.Reports;

/// <summary>Number formats shared by the report tables and the console summary.</summary>
public static class ReportFormat
{
    /// <summary>Text for a number that was not measured.</summary>
    public const string NotMeasured = "n/a";

    /// <summary>
    /// Formats a loss or accuracy with 4 decimals, as the log does, or in scientific notation
    /// from 1e6 on, where a diverging loss would otherwise fill a table row; NaN prints as "NaN".
    /// </summary>
    public static string Metric(double value) =>
        Math.Abs(value) >= LargeValue
            ? value.ToString("0.000E+0", CultureInfo.InvariantCulture)
            : value.ToString("F4", CultureInfo.InvariantCulture);

    private const double LargeValue = 1e6;

    /// <summary>Formats a statistic: 4 decimals, or "n/a" when it is NaN because too few values exist.</summary>
    public static string Statistic(double value) => double.IsNaN(value) ? NotMeasured : Metric(value);

    /// <summary>Formats a p-value with 4 significant digits, or in scientific notation below 0.0001.</summary>
    public static string PValue(double value) =>
        value < 1e-4 ? value.ToString("0.00E+0", CultureInfo.InvariantCulture) : value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>Formats a clipping threshold in the shortest form that reads back to the same number, for example 0.0001 or 1E-05.</summary>
    public static string Threshold(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Formats an integer in the invariant culture.</summary>
    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
