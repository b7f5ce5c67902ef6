"""Independent recomputation of spyglass findings on a spyglass JSONL file, with statsmodels/scipy.

Reads the JSONL directly (no spyglass code) and prints one JSON document with, under the default
policy (a sponsor counts when sponsorship is state or state-affiliated):
  share:   n and per-sponsor counts of the state-sponsored slice, Wilson and Clopper-Pearson bounds
  compare: per-sponsor z test (proportions_ztest) and Fisher exact p for two periods
  trend:   yearly counts of the state-sponsored slice, Poisson GLM and NB2 slope/se/p
Usage: python3 tests/reference/findings.py FILE.jsonl A0:A1 B0:B1
"""
import collections, json, math, sys

import numpy as np
import statsmodels.api as sm
from scipy.stats import fisher_exact, chi2
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

STATE = {"state", "state-affiliated"}


def load(path):
    incidents = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                incidents.append(json.loads(line))
    return incidents


def sponsors(inc):
    return set(inc.get("sponsors", [])) if inc.get("sponsorship") in STATE else set()


def year(inc):
    return int(inc["start_date"][:4]) if inc.get("start_date") else None


def main():
    path, pa, pb = sys.argv[1], sys.argv[2], sys.argv[3]
    incs = load(path)
    state = [i for i in incs if sponsors(i)]
    n = len(state)
    counts = collections.Counter(s for i in state for s in sponsors(i))
    share = {"n": n, "rows": {}}
    for k, c in counts.items():
        w = proportion_confint(c, n, alpha=0.05, method="wilson")
        b = proportion_confint(c, n, alpha=0.05, method="beta")
        share["rows"][k] = {"count": c, "wilson": [float(w[0]), float(w[1])], "cp": [float(b[0]), float(b[1])]}

    def period(p):
        a, b = map(int, p.split(":"))
        return [i for i in state if year(i) is not None and a <= year(i) <= b]

    A, B = period(pa), period(pb)
    ca = collections.Counter(s for i in A for s in sponsors(i))
    cb = collections.Counter(s for i in B for s in sponsors(i))
    compare = {}
    for k in set(ca) | set(cb):
        x1, x2, n1, n2 = ca[k], cb[k], len(A), len(B)
        z, p = proportions_ztest([x1, x2], [n1, n2])
        fp = fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])[1]
        compare[k] = {"count_a": x1, "count_b": x2, "n_a": n1, "n_b": n2, "z_p": float(p), "fisher_p": float(fp)}

    years = collections.Counter(year(i) for i in state if year(i) is not None)
    y0, y1 = min(years), max(years)
    y = np.array([years.get(t, 0) for t in range(y0, y1 + 1)], float)
    X = sm.add_constant(np.arange(len(y), dtype=float))
    pois = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-12)
    nb = NegativeBinomial(y, X, loglike_method="nb2").fit(method="newton", maxiter=200, disp=0)
    lr = 2 * (nb.llf - pois.llf)
    trend = {
        "counts": y.astype(int).tolist(),
        "poisson": {"slope": float(pois.params[1]), "se": float(pois.bse[1]), "p": float(pois.pvalues[1])},
        "nb2": {"slope": float(nb.params[1]), "se": float(nb.bse[1]), "p": float(nb.pvalues[1]), "alpha": float(nb.params[2])},
        "overdispersion_p": float(0.5 * chi2.sf(max(lr, 0.0), 1)) if lr > 0 else 1.0,
    }
    def clean(v):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v
    print(json.dumps(clean({"share": share, "compare": compare, "trend": trend})))


if __name__ == "__main__":
    main()
