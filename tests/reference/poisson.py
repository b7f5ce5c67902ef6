"""Reference values for the Poisson GLM and trend (crates/stats/src/poisson/tests.rs).

statsmodels `GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-12)`; the trend's IRR interval
is exp(conf_int(alpha=0.05)) of the slope. With the default tol=1e-8 IRLS stops one iteration
early and its bse use the weights of the previous iteration, which moves p-values by ~1e-6
relative; the tighter tolerance gives the converged statsmodels fit the Rust code reproduces.
Run: python3 tests/reference/poisson.py [--write | --check]
"""
import sys
import warnings
from pathlib import Path

import numpy as np
import statsmodels.api as sm

sys.path.insert(0, str(Path(__file__).resolve().parent))
import count_data as cd  # noqa: E402
from reftable import Table, main, rust_f64, rust_f64s  # noqa: E402

RUST = "crates/stats/src/poisson/tests.rs"
SCRIPT = "tests/reference/poisson.py"
TOL = 1e-12


def glm_cases():
    yrs = np.array(cd.YEARS, dtype=float)
    post = (yrs >= 2015).astype(float)
    return [
        ("rising_raw_years", cd.RISING, np.column_stack([np.ones(24), yrs])),
        ("overdispersed_centred", cd.OVERDISPERSED, np.column_stack([np.ones(24), yrs - 2000])),
        ("three_columns", cd.OVERDISPERSED, np.column_stack([np.ones(24), yrs - 2000, post])),
        ("with_zeros", cd.WITH_ZEROS, np.column_stack([np.ones(10), np.arange(10.0)])),
        ("short", cd.SHORT, np.column_stack([np.ones(3), np.array(cd.SHORT_YEARS, float)])),
        ("constant", cd.CONSTANT, np.column_stack([np.ones(6), np.arange(6.0)])),
        ("no_intercept", cd.RISING, np.column_stack([np.ones(24) * 0.5, yrs - 2011.5])),
    ]


def trend_cases():
    return [("rising", cd.RISING, cd.YEARS), ("overdispersed", cd.OVERDISPERSED, cd.YEARS),
            ("flat_overdispersed", cd.FLAT_OVERDISPERSED, cd.YEARS),
            ("with_zeros", cd.WITH_ZEROS, list(range(10))), ("short", cd.SHORT, cd.SHORT_YEARS)]


def glm_fit(y, x):
    with warnings.catch_warnings():
        # The constant series is a perfect fit; statsmodels warns about "perfect prediction".
        warnings.simplefilter("ignore")
        return sm.GLM(np.array(y, float), x, family=sm.families.Poisson()).fit(tol=TOL)


def tables():
    lines = ["/// statsmodels `GLM(y, X, family=Poisson()).fit(tol=1e-12)`",
             "const GLM_REF: &[GlmCase] = &["]
    for name, y, x in glm_cases():
        r = glm_fit(y, x)
        rows = ", ".join("&" + rust_f64s(row) for row in x)
        lines += [f"    GlmCase {{",
                  f'        name: "{name}",',
                  f"        y: &{rust_f64s(y)},",
                  f"        x: &[{rows}],",
                  f"        params: &{rust_f64s(r.params)},",
                  f"        bse: &{rust_f64s(r.bse)},",
                  f"        p_values: &{rust_f64s(r.pvalues)},",
                  f"        deviance: {rust_f64(r.deviance)},",
                  f"        pearson_chi2: {rust_f64(r.pearson_chi2)},",
                  f"        llf: {rust_f64(r.llf)},",
                  "    },"]
    lines.append("];")
    t1 = Table("poisson.glm", RUST, SCRIPT, lines, rel_tol=1e-9)
    lines = ["/// statsmodels Poisson GLM on [1, t]; irr = exp(slope), interval exp(conf_int(0.05))",
             "const TREND_REF: &[TrendCase] = &["]
    for name, y, t in trend_cases():
        x = sm.add_constant(np.array(t, float))
        r = glm_fit(y, x)
        lo, hi = np.exp(r.conf_int(alpha=0.05)[1])
        lines += [f"    TrendCase {{",
                  f'        name: "{name}",',
                  f"        counts: &{rust_f64s(y)},",
                  f"        t: &{rust_f64s(t)},",
                  f"        params: {rust_f64s(r.params)},",
                  f"        bse: {rust_f64s(r.bse)},",
                  f"        p_value: {rust_f64(r.pvalues[1])},",
                  f"        irr: [{rust_f64(np.exp(r.params[1]))}, {rust_f64(lo)}, {rust_f64(hi)}],",
                  f"        llf: {rust_f64(r.llf)},",
                  "    },"]
    lines.append("];")
    t2 = Table("poisson.trend", RUST, SCRIPT, lines, rel_tol=1e-9)
    return [t1, t2]


if __name__ == "__main__":
    main(tables(), sys.argv)
