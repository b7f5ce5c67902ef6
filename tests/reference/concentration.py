"""Reference values for the Herfindahl–Hirschman index (crates/stats/src/concentration.rs).

HHI = sum((c / c.sum())**2), computed with numpy.
Run: python3 tests/reference/concentration.py [--write | --check]
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reftable import Table, main, rust_f64, rust_ints  # noqa: E402

CASES = [[185, 120, 86, 69, 1], [1, 1], [3, 0, 1], [1000000, 1], [12, 29, 40, 7, 7, 3, 2],
         [599], [70, 231]]


def tables():
    rows = []
    for c in CASES:
        a = np.array(c, dtype=float)
        rows.append(f"    (&{rust_ints(c)}, {rust_f64(np.sum((a / a.sum()) ** 2))}),")
    return [Table("concentration.hhi", "crates/stats/src/concentration.rs", "tests/reference/concentration.py",
                  ["/// (counts, numpy sum((c / c.sum())**2))",
                   "const HHI_REF: &[(&[u64], f64)] = &[", *rows, "];"], indent="    ")]


if __name__ == "__main__":
    main(tables(), sys.argv)
