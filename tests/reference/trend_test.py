"""Reference values for spyglass-stats cochran_armitage (scores 0..k-1).

z from the textbook formula (unconditional variance, as R prop.trend.test), and a cross-check with
statsmodels Table.test_ordinal_association, whose statistic uses the conditional variance:
z_sm = z * sqrt((N - 1) / N).
"""
import sys
from pathlib import Path

import numpy as np
from scipy import stats
from statsmodels.stats.contingency_tables import Table as Table_sm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reftable import Table, main, rust_f64, rust_ints  # noqa: E402

CASES = [([3, 5, 9, 14], [40, 42, 45, 41]), ([10, 8, 7, 3, 2], [30, 30, 30, 30, 30]),
         ([1, 0, 2, 4, 6, 9], [20, 18, 25, 22, 19, 24]), ([50, 61], [200, 190])]

def ca(x, n):
    x, n = np.array(x, float), np.array(n, float)
    s = np.arange(len(x), dtype=float)
    N = n.sum(); p = x.sum() / N
    T = (s * (x - n * p)).sum()
    var = p * (1 - p) * ((n * s * s).sum() - (n * s).sum() ** 2 / N)
    z = T / np.sqrt(var)
    return z, 2 * stats.norm.sf(abs(z))

def tables():
    rows = []
    for x, n in CASES:
        z, p = ca(x, n)
        N = sum(n)
        tab = Table_sm(np.array([x, [b - a for a, b in zip(x, n)]]).T, shift_zeros=False)
        sm = tab.test_ordinal_association(row_scores=np.arange(len(x)), col_scores=np.array([1.0, 0.0]))
        assert abs(abs(sm.zscore) - abs(z) * np.sqrt((N - 1) / N)) < 1e-9, (x, n, sm.zscore, z)
        rows.append(f"    (&{rust_ints(x)}, &{rust_ints(n)}, {rust_f64(z)}, {rust_f64(p)}),")
    return [Table("trend_test.cochran_armitage", "crates/stats/src/trend_test.rs", "tests/reference/trend_test.py",
                  ["/// (x, n, z, p) with scores 0..k-1", "const REF: &[(&[u64], &[u64], f64, f64)] = &[", *rows, "];"],
                  rel_tol=1e-10, indent="    ")]


if __name__ == "__main__":
    main(tables(), sys.argv)
