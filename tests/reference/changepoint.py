"""Reference breakpoints for PELT and binary segmentation on Poisson counts
(crates/stats/src/changepoint/tests.rs), from `ruptures` (1.1.x) with a custom cost that is the
Rust cost exactly: C(y[a:b]) = 2 (S − S ln(S/m)), S the segment total, m its length (0 if S = 0).

ruptures returns segment ends including n; the tables record change points (ends without n).
`--penalty-study` prints how often each penalty rule flags a change in constant Poisson series
(the figures quoted in changepoint.rs); it uses numpy's seeded generator and exact optimal
partitioning, and is not part of --check.
Run: python3 tests/reference/changepoint.py [--write | --check | --penalty-study]
"""
import math
import sys
from pathlib import Path

import numpy as np
import ruptures as rpt
from ruptures.base import BaseCost

sys.path.insert(0, str(Path(__file__).resolve().parent))
import count_data as cd  # noqa: E402
from reftable import Table, main, rust_f64, rust_f64s, rust_ints  # noqa: E402

RUST = "crates/stats/src/changepoint/tests.rs"
SCRIPT = "tests/reference/changepoint.py"


class PoissonCost(BaseCost):
    """−2 × maximised Poisson log-likelihood of a segment, without the ln y! terms."""

    model = "poisson"
    min_size = 2

    def fit(self, signal):
        self.signal = np.asarray(signal, float).reshape(-1, 1)
        self.cum = np.concatenate([[0.0], np.cumsum(np.asarray(signal, float).reshape(-1))])
        return self

    def error(self, start, end):
        s = self.cum[end] - self.cum[start]
        m = end - start
        return 0.0 if s <= 0 else 2.0 * (s - s * math.log(s / m))


STEP = [3, 2, 4, 3, 3, 2, 4, 3, 3, 3, 15, 14, 16, 15, 17, 13, 15, 16, 14, 15]
# Rates 4, 12, 3 over 15, 10, 15 points (numpy default_rng(3), written out).
THREE_REGIMES = [2, 3, 2, 6, 3, 6, 2, 3, 5, 6, 4, 4, 3, 5, 6, 11, 8, 16, 10, 14, 12, 11, 14, 12,
                 8, 2, 2, 3, 3, 2, 9, 2, 4, 3, 2, 2, 2, 2, 3, 4]

CASES = [("step", STEP, 2), ("rising", cd.RISING, 2), ("overdispersed", cd.OVERDISPERSED, 2),
         ("three_regimes", THREE_REGIMES, 2), ("three_regimes_min5", THREE_REGIMES, 5)]


def segment(signal, pen, min_size):
    x = np.asarray(signal, float)
    pelt = rpt.Pelt(custom_cost=PoissonCost(), min_size=min_size, jump=1).fit(x).predict(pen=pen)
    binseg = rpt.Binseg(custom_cost=PoissonCost(), min_size=min_size, jump=1).fit(x).predict(pen=pen)
    return pelt[:-1], binseg[:-1]


def tables():
    lines = ["/// (name, counts, penalty, min_size, ruptures Pelt change points, ruptures Binseg ones)",
             "const RUPTURES_REF: &[RupturesCase] = &["]
    for name, y, m in CASES:
        n = len(y)
        for pen in (3 * math.log(n), 2 * math.log(n)):
            pelt, binseg = segment(y, pen, m)
            lines.append(f'    ("{name}", &{rust_f64s(y)}, {rust_f64(pen)}, {m}, '
                         f"&{rust_ints(pelt)}, &{rust_ints(binseg)}),")
    lines.append("];")
    return [Table("changepoint.ruptures", RUST, SCRIPT, lines)]


def optimal_partition(y, pen, min_size=2):
    n = len(y)
    cum = np.concatenate([[0.0], np.cumsum(y)])

    def c(a, b):
        s = cum[b] - cum[a]
        return 0.0 if s <= 0 else 2 * (s - s * math.log(s / (b - a)))

    f = [0.0] + [math.inf] * n
    last = [0] * (n + 1)
    for t in range(min_size, n + 1):
        for tau in [0] + list(range(min_size, t - min_size + 1)):
            v = f[tau] + c(tau, t) + (pen if tau > 0 else 0.0)
            if v < f[t]:
                f[t], last[t] = v, tau
    return last[n] > 0


def penalty_study():
    rng = np.random.default_rng(1)
    print("n  rate  P(any change | constant series): 2 ln n, 3 ln n  (400 series each)")
    for n in (12, 24, 50):
        for lam in (2, 10, 50):
            rates = []
            for mult in (2, 3):
                hits = sum(optimal_partition(rng.poisson(lam, n), mult * math.log(n))
                           for _ in range(400))
                rates.append(hits / 400)
            print(f"{n:3d} {lam:4d}  {rates[0]:.3f}  {rates[1]:.3f}")


if __name__ == "__main__":
    if "--penalty-study" in sys.argv:
        penalty_study()
    else:
        main(tables(), sys.argv)
