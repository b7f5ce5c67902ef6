"""Reference values for the Wilson interval (crates/stats/src/interval.rs), statsmodels.

Run: python3 tests/reference/wilson.py [--write | --check]
"""
import sys
from pathlib import Path

from statsmodels.stats.proportion import proportion_confint

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reftable import Table, main, rust_f64  # noqa: E402

CASES = [(0, 1, .95), (1, 1, .95), (0, 10, .95), (10, 10, .95), (3, 10, .95), (185, 599, .95),
         (120, 599, .95), (86, 599, .90), (69, 599, .99), (1, 599, .95), (70, 231, .95),
         (12, 29, .95), (4, 4, .95), (500000, 1000000, .95), (7, 13, .80), (2, 3, .999)]


def tables():
    rows = []
    for c, n, level in CASES:
        lo, hi = proportion_confint(c, n, alpha=1 - level, method="wilson")
        rows.append(f"    ({c}, {n}, {rust_f64(level)}, {rust_f64(lo)}, {rust_f64(hi)}),")
    return [Table("wilson", "crates/stats/src/interval.rs", "tests/reference/wilson.py",
                  ['/// statsmodels `proportion_confint(count, nobs, alpha, method="wilson")`',
                   "const WILSON_REF: &[(u64, u64, f64, f64, f64)] = &[", *rows, "];"],
                  indent="    ")]


if __name__ == "__main__":
    main(tables(), sys.argv)
