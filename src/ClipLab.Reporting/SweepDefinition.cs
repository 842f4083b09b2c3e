namespace ClipLab.Reporting;

/// <summary>A threshold sweep: one clipping method at several thresholds, plus the unclipped reference.</summary>
/// <param name="Method">Method name, for example "value" or "global-norm".</param>
/// <param name="MethodOptions">Settings appended to every threshold's spec, for example "inf,torch"; empty for none.</param>
/// <param name="Points">Thresholds in ascending order, each with the clipping method (spec) of its variant.</param>
/// <param name="ReferenceClipMethod">Clipping method of the reference variant, "none".</param>
public sealed record SweepDefinition(string Method, string MethodOptions, IReadOnlyList<SweepPoint> Points, string ReferenceClipMethod = "none");
