namespace ClipLab.Reporting.Statistics;

/// <summary>How <see cref="MannWhitneyU"/> computes the p-value.</summary>
public enum MannWhitneyMethod
{
    /// <summary>
    /// <see cref="Exact"/> when neither sample has more than <see cref="MannWhitneyU.MaxExactSampleSize"/>
    /// values and no value occurs twice in the pooled sample, otherwise <see cref="NormalApproximation"/>.
    /// </summary>
    Auto,

    /// <summary>The exact null distribution of U, counted over every assignment of the ranks to the two samples. Valid only without ties.</summary>
    Exact,

    /// <summary>The normal approximation with tie correction and continuity correction.</summary>
    NormalApproximation,
}
