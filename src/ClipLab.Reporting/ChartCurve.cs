namespace ClipLab.Reporting;

/// <summary>One curve of a chart: its legend text and its finite points.</summary>
internal sealed record ChartCurve(string Legend, double[] Xs, double[] Ys);
