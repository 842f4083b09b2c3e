namespace ClipLab.Reporting.Statistics;

/// <summary>Outcome of a two-sided Mann-Whitney U test.</summary>
/// <param name="U">U statistic of the first sample: the number of pairs (x, y) with x &gt; y, plus half the number of ties.</param>
/// <param name="Z">Standardised statistic of the normal approximation, with the continuity correction; NaN for the exact method.</param>
/// <param name="PValue">Two-sided p-value in [0, 1].</param>
/// <param name="Method">The method that produced <paramref name="PValue"/>: <see cref="MannWhitneyMethod.Exact"/> or <see cref="MannWhitneyMethod.NormalApproximation"/>.</param>
/// <param name="FirstCount">Number of values in the first sample.</param>
/// <param name="SecondCount">Number of values in the second sample.</param>
public sealed record MannWhitneyResult(double U, double Z, double PValue, MannWhitneyMethod Method, int FirstCount, int SecondCount);
