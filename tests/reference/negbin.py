"""Reference values for NB2 regression and the overdispersion test (crates/stats/src/negbin/tests.rs).

statsmodels `NegativeBinomial(y, X, loglike_method="nb2")`, fitted with method="newton" to full
convergence (the default BFGS stops at a mean-gradient of 1e-5 and, with raw years as a
covariate, fails outright); the script asserts that the default fit, where it converges, agrees
within 1e-4. `bse` is statsmodels' (inverse observed Hessian in the (β, α) parametrisation).
Overdispersion LR: 2 (llf_nb − llf_poisson) with the Poisson GLM llf, p = chi2.sf(stat, 1) / 2.
Run: python3 tests/reference/negbin.py [--write | --check]
"""
import sys
import warnings
from pathlib import Path

import numpy as np
import statsmodels.api as sm
from scipy import stats
from statsmodels.discrete.discrete_model import NegativeBinomial

sys.path.insert(0, str(Path(__file__).resolve().parent))
import count_data as cd  # noqa: E402
from reftable import Table, main, rust_f64, rust_f64s  # noqa: E402

RUST = "crates/stats/src/negbin/tests.rs"
SCRIPT = "tests/reference/negbin.py"


def cases():
    yrs = np.array(cd.YEARS, dtype=float)
    post = (yrs >= 2015).astype(float)
    ones = np.ones(24)
    return [
        ("overdispersed_raw_years", cd.OVERDISPERSED, np.column_stack([ones, yrs])),
        ("overdispersed_centred", cd.OVERDISPERSED, np.column_stack([ones, yrs - 2000])),
        ("flat_overdispersed", cd.FLAT_OVERDISPERSED, np.column_stack([ones, yrs - 2000])),
        ("rising_near_poisson", cd.RISING, np.column_stack([ones, yrs - 2000])),
        ("three_columns", cd.OVERDISPERSED, np.column_stack([ones, yrs - 2000, post])),
    ]


def fit(y, x):
    y = np.array(y, float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = NegativeBinomial(y, x, loglike_method="nb2")
        r = model.fit(method="newton", maxiter=200, tol=1e-14, disp=0)
        if not (r.mle_retvals["converged"] and np.all(np.isfinite(r.bse))):
            # Newton from statsmodels' own start can step to a negative alpha; start it from
            # the default BFGS solution instead.
            start = NegativeBinomial(y, x, loglike_method="nb2").fit(disp=0).params
            r = model.fit(start_params=start, method="newton", maxiter=200, tol=1e-14, disp=0)
        assert r.mle_retvals["converged"] and np.all(np.isfinite(r.bse)), "newton did not converge"
        default = NegativeBinomial(y, x, loglike_method="nb2").fit(disp=0)
    if default.mle_retvals["converged"] and np.all(np.isfinite(default.params)):
        assert np.allclose(default.params, r.params, rtol=1e-4, atol=1e-6), (default.params, r.params)
    return r


def tables():
    lines = ['/// statsmodels `NegativeBinomial(y, X, loglike_method="nb2").fit(method="newton")`;',
             "/// lr = 2 (llf_nb − llf of the Poisson GLM), lr_p = chi2.sf(lr, 1) / 2",
             "const NB_REF: &[NbCase] = &["]
    for name, y, x in cases():
        r = fit(y, x)
        pois = sm.GLM(np.array(y, float), x, family=sm.families.Poisson()).fit(tol=1e-12)
        lr = 2 * (r.llf - pois.llf)
        lr_p = stats.chi2.sf(lr, 1) / 2
        rows = ", ".join("&" + rust_f64s(row) for row in x)
        lines += ["    NbCase {",
                  f'        name: "{name}",',
                  f"        y: &{rust_f64s(y)},",
                  f"        x: &[{rows}],",
                  f"        params: &{rust_f64s(r.params[:-1])},",
                  f"        bse: &{rust_f64s(r.bse[:-1])},",
                  f"        p_values: &{rust_f64s(r.pvalues[:-1])},",
                  f"        alpha: {rust_f64(r.params[-1])},",
                  f"        alpha_bse: {rust_f64(r.bse[-1])},",
                  f"        llf: {rust_f64(r.llf)},",
                  f"        lr: {rust_f64(lr)},",
                  f"        lr_p: {rust_f64(lr_p)},",
                  "    },"]
    lines.append("];")
    t1 = Table("negbin.fit", RUST, SCRIPT, lines, rel_tol=1e-7)
    # Trend on raw years: IRR = exp(slope), interval exp(slope ± z se).
    z = stats.norm.ppf(0.975)
    lines = ["/// NB2 trend on [1, year]: (name, irr, low, high, slope p-value)",
             "const NB_TREND_REF: &[(&str, [f64; 3], f64)] = &["]
    for name, y, x in cases()[:1]:
        r = fit(y, x)
        b, s = r.params[1], r.bse[1]
        irr = [np.exp(b), np.exp(b - z * s), np.exp(b + z * s)]
        lines.append(f'    ("{name}", {rust_f64s(irr)}, {rust_f64(r.pvalues[1])}),')
    lines.append("];")
    t2 = Table("negbin.trend", RUST, SCRIPT, lines, rel_tol=1e-7)
    return [t1, t2]


if __name__ == "__main__":
    main(tables(), sys.argv)
