"""Reference p-values of the two-sided Mann-Whitney U test from SciPy.

scipy.stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True, method="asymptotic")
uses the normal approximation with tie correction and continuity correction, the variant that
the C# test implements.
"""

import numpy as np
import scipy
from scipy import stats


def case(name, x, y):
    x = [float(value) for value in x]
    y = [float(value) for value in y]
    result = stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True, method="asymptotic")
    # SciPy reports U of the first sample
    return {"name": name, "x": x, "y": y, "u": float(result.statistic), "p_value": float(result.pvalue)}


def build(seed=20240605):
    """Return the Mann-Whitney fixture payload."""
    rng = np.random.default_rng(seed)
    cases = [
        case("no_ties_small", [1.1, 2.3, 3.5, 4.2], [2.9, 5.1, 6.4, 7.7, 8.0]),
        case("separated_twenty_each", np.arange(20) * 0.01, 1.0 + np.arange(20) * 0.01),
        case("identical_samples", [0.5, 0.7, 0.9], [0.5, 0.7, 0.9]),
        case("heavy_ties", [1, 1, 2, 2, 2, 3], [2, 3, 3, 3, 4, 4, 1]),
        case("normal_shifted_twenty_each", rng.normal(0.0, 1.0, 20), rng.normal(0.8, 1.0, 20)),
        case("normal_equal_unequal_sizes", rng.normal(0.0, 1.0, 25), rng.normal(0.0, 1.0, 18)),
        # accuracies on 10,000 test images: four decimals, with dead networks at 0.098 and 0.1135
        case(
            "accuracies_with_outliers",
            np.concatenate([np.round(rng.normal(0.91, 0.02, 18), 4), [0.098, 0.1135]]),
            np.concatenate([np.round(rng.normal(0.90, 0.02, 19), 4), [0.1135]]),
        ),
    ]
    return {"scipy_version": scipy.__version__, "cases": cases}
