#!/usr/bin/python3
"""Writes mann-whitney-reference.json: p-values of scipy.stats.mannwhitneyu and
scipy.stats.norm.sf for the ClipLab.Reporting statistics tests.

Run with Debian's Python and SciPy (apt-get install python3-scipy), from this folder:
    /usr/bin/python3 generate_reference.py
The samples are fixed below (no random numbers), so the output only changes with SciPy.
"""
import json

import scipy
from scipy import stats

# (name, first sample, second sample); test accuracies and losses shaped like ClipLab's seeds
SAMPLES = [
    ("separated_3_3", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
    ("interleaved_4_5", [0.91, 0.88, 0.93, 0.86], [0.90, 0.92, 0.87, 0.94, 0.89]),
    ("accuracy_10_10", [0.905, 0.912, 0.931, 0.874, 0.1135, 0.921, 0.899, 0.887, 0.936, 0.918],
     [0.925, 0.917, 0.902, 0.929, 0.911, 0.896, 0.923, 0.908, 0.915, 0.92]),
    ("unequal_2_10", [0.3, 0.35], [0.5, 0.6, 0.55, 0.7, 0.65, 0.8, 0.75, 0.9, 0.85, 1.05]),
    ("single_1_1", [0.5], [0.7]),
    ("ties_5_5", [1.0, 2.0, 2.0, 3.0, 3.0], [2.0, 3.0, 4.0, 4.0, 5.0]),
    ("dead_ties_6_6", [0.1135, 0.1135, 0.91, 0.92, 0.93, 0.90], [0.91, 0.92, 0.94, 0.95, 0.93, 0.96]),
    ("large_15_12", [0.31, 0.42, 0.28, 0.35, 0.39, 0.33, 0.41, 0.29, 0.37, 0.30, 0.45, 0.38, 0.34, 0.32, 0.40],
     [0.61, 0.55, 0.72, 0.58, 0.66, 0.69, 0.57, 0.63, 0.60, 0.74, 0.52, 0.36]),
    ("all_tied_3_3", [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
]


def case(name, first, second, method):
    result = stats.mannwhitneyu(first, second, use_continuity=True, alternative="two-sided", method=method)
    return {
        "name": name,
        "first": first,
        "second": second,
        "method": method,
        "u": float(result.statistic),
        "p_value": float(result.pvalue),
    }


def main():
    cases = []
    for name, first, second in SAMPLES:
        has_ties = len(set(first + second)) < len(first + second)
        if not has_ties:
            cases.append(case(name, first, second, "exact"))
        cases.append(case(name, first, second, "asymptotic"))

    tail = [{"z": z, "upper_tail": float(stats.norm.sf(z))}
            for z in [-6.0, -2.5, -1.0, -0.1, 0.0, 0.3, 1.0, 1.959963984540054, 2.5, 3.2, 3.6, 5.0, 8.0, 12.0, 20.0]]

    document = {
        "generator": "generate_reference.py with scipy " + scipy.__version__,
        "mann_whitney": cases,
        "normal_upper_tail": tail,
    }
    with open("mann-whitney-reference.json", "w", encoding="utf-8") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
