namespace ClipLab.Reporting.Reports;

/// <summary>How a span of <see cref="ReportText"/> is shown.</summary>
internal enum ReportSpanKind
{
    Plain,
    Code,
    Strong,
}
