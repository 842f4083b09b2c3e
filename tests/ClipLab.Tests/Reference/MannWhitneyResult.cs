namespace ClipLab.Tests.Reference;

/// <summary>Outcome of <see cref="MannWhitneyU.Test"/>.</summary>
/// <param name="U">U statistic of the first sample: the number of pairs in which its value is larger, ties counting 1/2.</param>
/// <param name="Z">Standardised |U - n1 n2 / 2| after the continuity correction, or negative infinity when every value is tied.</param>
/// <param name="PValue">Two-sided p-value in [0, 1].</param>
internal readonly record struct MannWhitneyResult(double U, double Z, double PValue);
