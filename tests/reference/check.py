"""Recompute every spyglass-stats reference value and compare with the tables in the Rust sources.

Run from anywhere: python3 tests/reference/check.py
Exit status 1 on any mismatch (or a missing table); one summary line on stdout.
Needs numpy, scipy, statsmodels (and ruptures for the change-point cross-check).
"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reftable  # noqa: E402

MODULES = ["wilson", "clopper_pearson", "bootstrap", "special", "proportion_tests", "poisson", "negbin", "market_8k", "market_event_study", "market_premium",
           "changepoint", "concentration", "trend_test"]


def main() -> int:
    tables = []
    for name in MODULES:
        tables.extend(importlib.import_module(name).tables())
    total, problems = 0, []
    for t in tables:
        n, p = reftable.compare(t)
        total += n
        problems += p
    for p in problems:
        print(p, file=sys.stderr)
    status = "ok" if not problems else "FAILED"
    print(f"reference check {status}: {len(MODULES)} scripts, {len(tables)} tables, "
          f"{total} values, {len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
