"""Reference values for the special functions in crates/stats/src/special.rs (scipy).

Run: python3 tests/reference/special.py [--write | --check]
"""
import sys
from pathlib import Path

import numpy as np
import mpmath
from scipy import special, stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reftable import Table, main, rust_f64  # noqa: E402

RUST = "crates/stats/src/special/tests.rs"
SCRIPT = "tests/reference/special.py"

BETA_REG = [(0.5, 0.5, 0.3), (2.5, 7.0, 0.9), (1.0, 1e6, 1e-6), (3.0, 598.0, 0.004),
            (1000.0, 2000.0, 0.33), (20.0, 3.0, 0.999), (500000.0, 500001.0, 0.5005),
            (185.0, 415.0, 0.3), (7.0, 1.0, 0.2), (1e-3, 2.0, 0.5)]
BETA_INV = [(1.0, 10.0, 0.025), (3.0, 8.0, 0.025), (4.0, 7.0, 0.975), (185.0, 415.0, 0.025),
            (186.0, 414.0, 0.975), (1.0, 599.0, 0.025), (2.0, 598.0, 0.975),
            (500000.0, 500001.0, 0.025), (500001.0, 500000.0, 0.975), (0.5, 0.5, 0.5),
            (12.0, 18.0, 0.005), (1.0, 1e6, 0.995)]
# (k, total, good, draws): X marked items among `draws` drawn from `total`, `good` marked
HYPERGEOM = [(1, 20, 5, 8), (3, 20, 5, 8), (0, 10, 3, 3), (40, 200, 100, 90),
             (5000, 1000000, 20000, 250000), (4900, 1000000, 20000, 250000),
             (12, 1500, 40, 300), (2, 6, 3, 3)]
TRIGAMMA = [0.01, 0.5, 1.0, 2.5, 7.0, 19.5, 20.0, 123.4, 1e6]
DIGAMMA = [0.01, 0.5, 1.0, 2.5, 13.0, 1e4]
NORMAL_P = [0.0, 0.5, 1.959963984540054, -2.5, 5.0, 8.5, 20.0]
CHI2_1 = [0.0, 0.1, 1.0, 3.841458820694124, 10.0, 50.0]


def ln_hypergeom(k, total, good, draws):
    with mpmath.workdps(50):
        b = mpmath.binomial
        return float(mpmath.log(b(good, k) * b(total - good, draws - k) / b(total, draws)))


def tables():
    rows = [f"    ({rust_f64(a)}, {rust_f64(b)}, {rust_f64(x)}, {rust_f64(special.betainc(a, b, x))}),"
            for a, b, x in BETA_REG]
    t1 = Table("special.beta_reg", RUST, SCRIPT,
               ["/// (a, b, x, scipy.special.betainc(a, b, x))",
                "const BETA_REG_REF: &[(f64, f64, f64, f64)] = &[", *rows, "];"])
    rows = [f"    ({rust_f64(a)}, {rust_f64(b)}, {rust_f64(p)}, {rust_f64(special.betaincinv(a, b, p))}),"
            for a, b, p in BETA_INV]
    t2 = Table("special.inv_beta_reg", RUST, SCRIPT,
               ["/// (a, b, p, scipy.special.betaincinv(a, b, p))",
                "const INV_BETA_REF: &[(f64, f64, f64, f64)] = &[", *rows, "];"])
    rows = [f"    ({k}, {m}, {g}, {d}, {rust_f64(ln_hypergeom(k, m, g, d))}),"
            for k, m, g, d in HYPERGEOM]
    t3 = Table("special.hypergeom", RUST, SCRIPT,
               ["/// (k, total, good, draws, ln pmf) in 50-digit mpmath arithmetic (scipy's pmf is ~1e-10 off",
                "/// on the 10⁶ tables; fisher.py compares the p-values with scipy itself)",
                "const HYPERGEOM_REF: &[(u64, u64, u64, u64, f64)] = &[", *rows, "];"])
    rows = [f"    ({rust_f64(x)}, {rust_f64(special.polygamma(1, x))})," for x in TRIGAMMA]
    t4 = Table("special.trigamma", RUST, SCRIPT,
               ["/// (x, scipy.special.polygamma(1, x))",
                "const TRIGAMMA_REF: &[(f64, f64)] = &[", *rows, "];"])
    rows = [f"    ({rust_f64(x)}, {rust_f64(special.digamma(x))})," for x in DIGAMMA]
    t5 = Table("special.digamma", RUST, SCRIPT,
               ["/// (x, scipy.special.digamma(x)); statrs' digamma is what the crate uses",
                "const DIGAMMA_REF: &[(f64, f64)] = &[", *rows, "];"])
    rows = [f"    ({rust_f64(z)}, {rust_f64(2 * stats.norm.sf(abs(z)))})," for z in NORMAL_P]
    t6 = Table("special.normal_p", RUST, SCRIPT,
               ["/// (z, 2 * scipy.stats.norm.sf(abs(z)))",
                "const NORMAL_P_REF: &[(f64, f64)] = &[", *rows, "];"])
    rows = [f"    ({rust_f64(x)}, {rust_f64(stats.chi2.sf(x, 1))})," for x in CHI2_1]
    t7 = Table("special.chi2_1", RUST, SCRIPT,
               ["/// (x, scipy.stats.chi2.sf(x, 1))",
                "const CHI2_1_REF: &[(f64, f64)] = &[", *rows, "];"])
    return [t1, t2, t3, t4, t5, t6, t7]


if __name__ == "__main__":
    main(tables(), sys.argv)
