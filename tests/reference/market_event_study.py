"""Reference values for the event study (crates/market/src/event_study_tests.rs).

An independent implementation of the conventions in crates/market/src/event_study.rs with pandas
and statsmodels: the calendar is the market file's dates; simple returns of adjusted closes between
consecutive calendar days (NaN when either price is missing); day 0 = first calendar day >= the
event date; estimation days -250 ... -30 with both returns; `sm.OLS(r_i, sm.add_constant(r_m)).fit()`
gives alpha, beta and sigma = sqrt(scale) (n - 2 dof); AR = r_i - (alpha + beta r_m); CAR over the
days of [a, b] with an AR; t = CAR / (sigma sqrt(L)); SCAR = CAR / (sigma sqrt(L + L^2/n +
(sum(r_m - mean r_m_est))^2 / Sxx)); BMP t = mean(SCAR) sqrt(N) / sd(SCAR, ddof=1), p = 2 t.sf(|t|, N-1).
Events: crates/market/tests/fixtures/events.csv; prices: shared/data/market/prices and
sp500_index_daily_2000_2020.csv.
Run: python3 tests/reference/market_event_study.py [--write | --check]
"""
import math
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reftable import ROOT, Table, main, rust_f64  # noqa: E402

RUST = "crates/market/src/event_study_tests.rs"
SCRIPT = "tests/reference/market_event_study.py"
WINDOWS = [(-1, 1), (0, 5), (0, 20)]
EST = (-250, -30)
MIN_EST = 100


def shared() -> Path:
    env = os.environ.get("SPYGLASS_SHARED")
    return Path(env) / "data" if env else ROOT.parent / "shared" / "data"


def label(a, b):
    f = lambda d: f"+{d}" if d > 0 else str(d)  # noqa: E731
    return f"[{f(a)},{f(b)}]"


def study():
    market = pd.read_csv(shared() / "market" / "sp500_index_daily_2000_2020.csv", parse_dates=["date"])
    market = market.set_index("date")["adjclose"].sort_index()
    cal = market.index
    rm = (market / market.shift(1) - 1).to_numpy()
    events = pd.read_csv(ROOT / "crates/market/tests/fixtures/events.csv", comment="#")
    done, skipped = [], []
    for _, ev in events.iterrows():
        stock = pd.read_csv(shared() / "market" / "prices" / f"{ev.ticker}.csv", parse_dates=["Date"])
        s = stock.set_index("Date")["Adj Close"].reindex(cal).to_numpy()
        ri = s / np.roll(s, 1) - 1
        ri[0] = np.nan
        t0 = int(cal.searchsorted(pd.Timestamp(ev.date), side="left"))
        if t0 >= len(cal):
            skipped.append(ev.ticker)
            continue
        est = [t0 + d for d in range(EST[0], EST[1] + 1) if 0 <= t0 + d < len(cal)]
        est = [p for p in est if not (math.isnan(ri[p]) or math.isnan(rm[p]))]
        if len(est) < MIN_EST:
            skipped.append(ev.ticker)
            continue
        x, y = rm[est], ri[est]
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        alpha, beta = fit.params
        sigma = math.sqrt(fit.scale)
        n = int(fit.nobs)
        xbar, sxx = x.mean(), ((x - x.mean()) ** 2).sum()
        lo, hi = min(w[0] for w in WINDOWS), max(w[1] for w in WINDOWS)
        ars = {}
        for d in range(lo, hi + 1):
            p = t0 + d
            if 0 <= p < len(cal) and not (math.isnan(ri[p]) or math.isnan(rm[p])):
                ars[d] = (ri[p] - (alpha + beta * rm[p]), rm[p])
        wins = []
        for a, b in WINDOWS:
            days = [d for d in range(a, b + 1) if d in ars]
            L = len(days)
            car = sum(ars[d][0] for d in days)
            dm = sum(ars[d][1] - xbar for d in days)
            t = car / (sigma * math.sqrt(L))
            scar = car / (sigma * math.sqrt(L + L * L / n + dm * dm / sxx))
            wins.append((label(a, b), car, t, scar, L))
        done.append(dict(ticker=ev.ticker, date=ev.date, alpha=alpha, beta=beta, sigma=sigma, n=n,
                         est_missing=(EST[1] - EST[0] + 1) - n, ars=ars, wins=wins))
    caar = []
    for wi, (a, b) in enumerate(WINDOWS):
        cars = np.array([e["wins"][wi][1] for e in done])
        scars = np.array([e["wins"][wi][3] for e in done])
        N = len(cars)
        t = scars.mean() * math.sqrt(N) / scars.std(ddof=1)
        caar.append((label(a, b), cars.mean(), t, 2 * stats.t.sf(abs(t), N - 1), N))
    return done, skipped, caar


def tables():
    done, skipped, caar = study()
    lines = ["const EVENTS: &[RefEvent] = &["]
    for e in done:
        ars = ", ".join(f"({d}, {rust_f64(v[0])})" for d, v in sorted(e["ars"].items()))
        wins = ", ".join(f'("{w[0]}", {rust_f64(w[1])}, {rust_f64(w[2])}, {rust_f64(w[3])}, {w[4]})' for w in e["wins"])
        lines += ["    RefEvent {",
                  f'        ticker: "{e["ticker"]}",',
                  f'        date: "{e["date"]}",',
                  f"        alpha: {rust_f64(e['alpha'])},",
                  f"        beta: {rust_f64(e['beta'])},",
                  f"        sigma: {rust_f64(e['sigma'])},",
                  f"        n_est: {e['n']},",
                  f"        est_missing: {e['est_missing']},",
                  f"        ars: &[{ars}],",
                  f"        windows: &[{wins}],",
                  "    },"]
    lines.append("];")
    lines.append("const SKIPPED: &[&str] = &[" + ", ".join(f'"{t}"' for t in skipped) + "];")
    lines.append("/// (window, CAAR, BMP t, two-sided p, N)")
    lines.append("const CAAR: &[(&str, f64, f64, f64, usize)] = &[")
    for c in caar:
        lines.append(f'    ("{c[0]}", {rust_f64(c[1])}, {rust_f64(c[2])}, {rust_f64(c[3])}, {c[4]}),')
    lines.append("];")
    return [Table("market_event_study", RUST, SCRIPT, lines, rel_tol=1e-9, abs_tol=1e-13)]


if __name__ == "__main__":
    main(tables(), sys.argv)
