"""Reference values for the threat premium (crates/market/src/premium.rs).

Garwood interval: [chi2.ppf(a/2, 2k)/2E, chi2.ppf(1-a/2, 2k+2)/2E] (scipy.stats.chi2), 0 below when
k = 0. Premium: rate interval and Student-t interval of the mean CAR each at 1 - a/2 (Bonferroni),
product interval = min/max of the four products of the bounds (the loss is -CAR); rate and loss
printed at level 1 - a. The CARs are the [0,+5] CARs of the statsmodels event-study reference
(tests/reference/market_event_study.py), so the example is the real one.
Run: python3 tests/reference/market_premium.py [--write | --check]
"""
import math
import sys
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
import market_event_study  # noqa: E402
from reftable import Table, main, rust_f64, rust_f64s  # noqa: E402

RUST = "crates/market/src/premium.rs"
SCRIPT = "tests/reference/market_premium.py"


def garwood(k, e, level):
    a = 1 - level
    lo = 0.0 if k == 0 else stats.chi2.ppf(a / 2, 2 * k) / (2 * e)
    hi = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / (2 * e)
    return lo, hi


def mean_ci(xs, level):
    xs = np.asarray(xs)
    n = len(xs)
    half = stats.t.ppf(1 - (1 - level) / 2, n - 1) * xs.std(ddof=1) / math.sqrt(n)
    return xs.mean(), xs.mean() - half, xs.mean() + half


def tables():
    lines = ["/// (k, company-years, level, low, high): scipy chi2.ppf",
             "const GARWOOD: &[(u64, f64, f64, f64, f64)] = &["]
    for k, e, level in [(0, 10.0, 0.95), (1, 1.0, 0.95), (3, 12.5, 0.95), (12, 480.0, 0.9), (50, 2000.0, 0.975),
                        (250, 10.0, 0.99)]:
        lo, hi = garwood(k, e, level)
        lines.append(f"    ({k}, {rust_f64(e)}, {rust_f64(level)}, {rust_f64(lo)}, {rust_f64(hi)}),")
    lines.append("];")
    done, _, _ = market_event_study.study()
    cars = [e["wins"][1][1] for e in done]
    k, e, level = 9, 150.0, 0.95
    each = 1 - (1 - level) / 2
    r_lo, r_hi = garwood(k, e, level)
    rb_lo, rb_hi = garwood(k, e, each)
    m, c_lo, c_hi = mean_ci(cars, level)
    _, cb_lo, cb_hi = mean_ci(cars, each)
    loss, l_lo, l_hi = -m, -c_hi, -c_lo
    lb_lo, lb_hi = -cb_hi, -cb_lo
    prods = [rb_lo * lb_lo, rb_lo * lb_hi, rb_hi * lb_lo, rb_hi * lb_hi]
    eal = (k / e) * loss
    lines += ["/// (k, company-years, level, CARs [0,+5] of the event-study reference, rate low, rate high,",
              "///  loss, loss low, loss high, expected annual loss, low, high)",
              "#[allow(clippy::type_complexity)]",
              "const PREMIUM: (u64, f64, f64, &[f64], f64, f64, f64, f64, f64, f64, f64, f64) = (",
              f"    {k}, {rust_f64(e)}, {rust_f64(level)},",
              f"    &{rust_f64s(cars)},",
              f"    {rust_f64(r_lo)}, {rust_f64(r_hi)},",
              f"    {rust_f64(loss)}, {rust_f64(l_lo)}, {rust_f64(l_hi)},",
              f"    {rust_f64(eal)}, {rust_f64(min(prods))}, {rust_f64(max(prods))},",
              ");"]
    return [Table("market_premium", RUST, SCRIPT, lines, rel_tol=1e-10, abs_tol=1e-15, indent="    ")]


if __name__ == "__main__":
    main(tables(), sys.argv)
