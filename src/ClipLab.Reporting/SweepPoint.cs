namespace ClipLab.Reporting;

/// <summary>One threshold of a sweep.</summary>
/// <param name="Threshold">The threshold, a positive number (the limit of value clipping, the maximum norm, or AGC's lambda).</param>
/// <param name="ClipMethod">The clipping method of this threshold's variant, for example "value:0.0001".</param>
public sealed record SweepPoint(double Threshold, string ClipMethod);
