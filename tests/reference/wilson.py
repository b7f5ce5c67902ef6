"""Reference values for spyglass-stats Wilson intervals.

Run: python3 tests/reference/wilson.py          (prints the Rust table)
     python3 tests/reference/wilson.py --check  (compares with the table in interval.rs)
"""
import re, sys, pathlib
from statsmodels.stats.proportion import proportion_confint

CASES = [(0, 1, .95), (1, 1, .95), (0, 10, .95), (10, 10, .95), (3, 10, .95), (185, 599, .95),
         (120, 599, .95), (86, 599, .90), (69, 599, .99), (1, 599, .95), (70, 231, .95),
         (12, 29, .95), (4, 4, .95), (500000, 1000000, .95), (7, 13, .80), (2, 3, .999)]

def rows():
    for c, n, level in CASES:
        lo, hi = proportion_confint(c, n, alpha=1 - level, method="wilson")
        yield c, n, level, float(lo), float(hi)

if __name__ == "__main__":
    if "--check" in sys.argv:
        src = pathlib.Path(__file__).resolve().parents[2] / "crates/stats/src/interval.rs"
        text = src.read_text()
        bad = 0
        for c, n, level, lo, hi in rows():
            m = re.search(rf"\({c}, {n}, {level!r}, ([-0-9.e]+), ([-0-9.e]+)\)", text)
            if not m or abs(float(m.group(1)) - lo) > 1e-12 or abs(float(m.group(2)) - hi) > 1e-12:
                print(f"mismatch for {c}/{n} @ {level}: statsmodels {lo!r} {hi!r}", file=sys.stderr)
                bad += 1
        print(f"wilson reference check: {len(CASES) - bad}/{len(CASES)} agree")
        sys.exit(1 if bad else 0)
    for c, n, level, lo, hi in rows():
        print(f"        ({c}, {n}, {level!r}, {lo!r}, {hi!r}),")
