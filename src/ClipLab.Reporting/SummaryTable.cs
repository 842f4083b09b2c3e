using System.Globalization;
using ClipLab.Reporting.Reports;
using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>
/// Columns and cell texts of the per-run summary table, shared by report.md, report.html and the
/// console so that all three show the same text: 4 decimals for loss and accuracy ("NaN" for a
/// measured NaN) and "n/a" for a number that was not measured.
/// </summary>
public static class SummaryTable
{
    /// <summary>Column headers, in the order of <see cref="Cells"/>.</summary>
    public static IReadOnlyList<string> Headers { get; } =
    [
        "variant", "clip method", "final val. loss", "final val. accuracy",
        $"last {VariantSummary.LastPointCount} val. loss", $"last {VariantSummary.LastPointCount} val. accuracy",
        "test loss", "test accuracy", "wall time (s)", "clipped steps", "non-finite steps", "status",
    ];

    /// <summary>Returns the cells of one run's row.</summary>
    /// <param name="variant">The variant.</param>
    /// <param name="result">The run's result, or null when it did not run.</param>
    /// <returns>One text per column of <see cref="Headers"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="variant"/> is null.</exception>
    public static IReadOnlyList<string> Cells(VariantRuns variant, VariantResult? result)
    {
        ArgumentNullException.ThrowIfNull(variant);

        const string NotMeasured = ReportFormat.NotMeasured;
        if (result is null)
        {
            return
            [
                variant.Name, variant.ClipMethod, NotMeasured, NotMeasured, NotMeasured, NotMeasured, NotMeasured, NotMeasured,
                NotMeasured, NotMeasured, NotMeasured, VariantRuns.Describe(RunStatus.NotRun),
            ];
        }

        VariantSummary summary = VariantSummary.From(result);
        bool hasValidation = summary.ValidationPointCount > 0;
        return
        [
            variant.Name,
            variant.ClipMethod,
            hasValidation ? ReportFormat.Metric(summary.FinalValidationLoss) : NotMeasured,
            hasValidation ? ReportFormat.Metric(summary.FinalValidationAccuracy) : NotMeasured,
            hasValidation ? ReportFormat.Metric(summary.LastMeanValidationLoss) : NotMeasured,
            hasValidation ? ReportFormat.Metric(summary.LastMeanValidationAccuracy) : NotMeasured,
            summary.Completed ? ReportFormat.Metric(summary.TestLoss) : NotMeasured,
            summary.Completed ? ReportFormat.Metric(summary.TestAccuracy) : NotMeasured,
            summary.WallTimeSeconds.ToString("F2", CultureInfo.InvariantCulture),
            double.IsFinite(summary.ClippedStepShare) ? (summary.ClippedStepShare * 100).ToString("F1", CultureInfo.InvariantCulture) + " %" : NotMeasured,
            summary.NonFiniteStepCount.ToString(CultureInfo.InvariantCulture),
            VariantRuns.Describe(VariantRuns.StatusOf(result)),
        ];
    }
}
