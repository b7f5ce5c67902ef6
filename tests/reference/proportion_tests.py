"""Reference values for the two-proportion z test and Fisher's exact test.

z test: statsmodels `proportions_ztest([x1, x2], [n1, n2])` (crates/stats/src/proportion_test.rs).
Fisher: `scipy.stats.fisher_exact([[a, b], [c, d]])` two-sided (crates/stats/src/fisher.rs).
Run: python3 tests/reference/proportion_tests.py [--write | --check]
"""
import sys
from pathlib import Path

from scipy.stats import fisher_exact
from statsmodels.stats.proportion import proportions_ztest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reftable import Table, main, rust_f64  # noqa: E402

# (x1, n1, x2, n2): equal n, unequal n, no difference, large n, tiny p
ZTEST = [(45, 100, 30, 100), (185, 599, 120, 599), (70, 231, 185, 599), (12, 29, 40, 200),
         (50, 100, 100, 200), (1, 50, 9, 60), (5000, 100000, 5300, 100000), (0, 40, 6, 40),
         (300, 600, 100, 600)]

# Small cells, symmetric ones (mirror tables tie with the observed one), large cells.
FISHER = [(1, 9, 11, 3), (3, 1, 1, 3), (0, 5, 5, 0), (2, 7, 8, 2), (1, 2, 2, 1), (5, 5, 5, 5),
          (8, 2, 1, 5), (0, 7, 4, 2), (7, 12, 1, 0), (1200, 800, 1100, 950),
          (12000, 8000, 11000, 9500), (100000, 5, 99000, 20), (20, 480, 40, 460),
          (501, 499, 499, 501)]
INF_TABLE = (3, 0, 2, 5)


def tables():
    rows = []
    for x1, n1, x2, n2 in ZTEST:
        z, p = proportions_ztest([x1, x2], [n1, n2])
        rows.append(f"    ({x1}, {n1}, {x2}, {n2}, {rust_f64(z)}, {rust_f64(p)}),")
    t1 = Table("proportion_tests.ztest", "crates/stats/src/proportion_test.rs",
               "tests/reference/proportion_tests.py",
               ["/// (x1, n1, x2, n2, z, p): statsmodels `proportions_ztest([x1, x2], [n1, n2])`",
                "const ZTEST_REF: &[(u64, u64, u64, u64, f64, f64)] = &[", *rows, "];"],
               indent="    ")
    rows = []
    for a, b, c, d in FISHER:
        odds, p = fisher_exact([[a, b], [c, d]])
        rows.append(f"    ({a}, {b}, {c}, {d}, {rust_f64(odds)}, {rust_f64(p)}),")
    a, b, c, d = INF_TABLE
    inf_p = fisher_exact([[a, b], [c, d]])[1]
    t2 = Table("proportion_tests.fisher", "crates/stats/src/fisher.rs",
               "tests/reference/proportion_tests.py",
               ["/// (a, b, c, d, odds ratio, p): `scipy.stats.fisher_exact([[a, b], [c, d]])`",
                "const FISHER_REF: &[(u64, u64, u64, u64, f64, f64)] = &[", *rows, "];",
                f"/// p of {[[a, b], [c, d]]} (odds ratio inf)",
                f"const FISHER_INF_P: f64 = {rust_f64(inf_p)};"],
               indent="    ")
    return [t1, t2]


if __name__ == "__main__":
    main(tables(), sys.argv)
