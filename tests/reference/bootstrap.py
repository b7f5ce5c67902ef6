"""Reference values for the percentile rule of the bootstrap (crates/stats/src/bootstrap.rs).

The bootstrap draws themselves come from ChaCha8 and cannot be reproduced with numpy; what is
checked against numpy is the quantile rule (`numpy.percentile`, default linear method).
Run: python3 tests/reference/bootstrap.py [--write | --check]
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reftable import Table, main, rust_f64, rust_f64s  # noqa: E402

CASES = [([0.1, 0.4, 0.2, 0.3], 0.025), ([0.1, 0.4, 0.2, 0.3], 0.975),
         ([0.5], 0.05), ([3.0, 1.0, 2.0, 2.0, 5.0, 8.0, 13.0], 0.5),
         ([0.31, 0.28, 0.33, 0.29, 0.30, 0.27, 0.35, 0.32, 0.30, 0.26, 0.34], 0.005)]


def tables():
    rows = [f"    (&{rust_f64s(v)}, {rust_f64(q)}, {rust_f64(np.percentile(v, 100 * q))}),"
            for v, q in CASES]
    return [Table("bootstrap.percentile", "crates/stats/src/bootstrap/tests.rs",
                  "tests/reference/bootstrap.py",
                  ["/// (values, q, numpy.percentile(values, 100 q))",
                   "const PERCENTILE_REF: &[(&[f64], f64, f64)] = &[", *rows, "];"])]


if __name__ == "__main__":
    main(tables(), sys.argv)
