"""Independent count of 8-K filings and their items in the EDGAR submissions files
(crates/market/src/filings.rs).

Rules: form == "8-K" is a filing, "8-K/A" an amendment (counted apart); `items` is split on commas,
each distinct item counts once per 8-K filing; Item 1.05 is counted in 8-K and 8-K/A. Only
filings.recent is read. Standard library only (json, collections).
Run: python3 tests/reference/market_8k.py [--write | --check]
"""
import collections
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reftable import ROOT, Table, main  # noqa: E402

RUST = "crates/market/src/filings.rs"
SCRIPT = "tests/reference/market_8k.py"


def shared() -> Path:
    env = os.environ.get("SPYGLASS_SHARED")
    return Path(env) / "data" if env else ROOT.parent / "shared" / "data"


def count(path: Path):
    recent = json.loads(path.read_text())["filings"]["recent"]
    n = amend = cyber = 0
    items = collections.Counter()
    for form, cell in zip(recent["form"], recent["items"]):
        its = []
        for p in cell.split(","):
            p = p.strip()
            if p and p not in its:
                its.append(p)
        if form == "8-K":
            n += 1
            items.update(its)
        elif form == "8-K/A":
            amend += 1
        if form in ("8-K", "8-K/A") and "1.05" in its:
            cyber += 1
    return n, amend, cyber, items


def tables():
    lines = ["/// (file, 8-K filings, 8-K/A filings, Item 1.05 filings, [(item, 8-K filings listing it)])",
             "#[allow(clippy::type_complexity)]",
             "const COUNTS: &[(&str, u64, u64, u64, &[(&str, u64)])] = &["]
    for path in sorted((shared() / "market" / "sec-submissions").glob("*.json")):
        n, amend, cyber, items = count(path)
        its = ", ".join(f'("{k}", {v})' for k, v in sorted(items.items()))
        lines.append(f'    ("{path.name}", {n}, {amend}, {cyber}, &[{its}]),')
    lines.append("];")
    return [Table("market_8k.counts", RUST, SCRIPT, lines, rel_tol=0, abs_tol=0, indent="    ")]


if __name__ == "__main__":
    main(tables(), sys.argv)
