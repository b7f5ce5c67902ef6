"""Builds tests/fixtures/devset.jsonl: short quotes (<= ~600 characters) from ../shared/data with the
hand labels in devset_labels.py. Run from the repository root:

    python3 crates/extract/scripts/build_devset.py

Sources: EuRepoC `description` (id eurepoc:<ID>), CFR `Description` (id cfr:<row number, 1-based>),
ATLAS case-study `summary` (id = case-study id), MITRE intrusion-set `description`
(id mitre:<external id>).
"""
import csv
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(__file__))
from devset_labels import LABELS, QUOTE_FROM  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
DATA = os.environ.get("SPYGLASS_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "devset.jsonl")


def texts():
    csv.field_size_limit(10**9)
    with open(os.path.join(DATA, "eurepoc/EuRepoC_Global_Database_1.1.csv"), newline="") as f:
        for r in csv.DictReader(f):
            yield "eurepoc:" + r["ID"], r["description"]
    with open(os.path.join(DATA, "cfr/cfr_attacker_coded.csv"), newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            yield "cfr:%d" % (i + 1), r["Description"]
    with open(os.path.join(DATA, "atlas/ATLAS.yaml")) as f:
        for c in yaml.safe_load(f)["case-studies"]:
            yield c["id"], c["summary"]
    with open(os.path.join(DATA, "misp-galaxy/mitre-intrusion-set.json")) as f:
        for v in json.load(f)["values"]:
            yield "mitre:" + v["meta"].get("external_id", v["value"]), v.get("description", "")


def quote(text, start=None, n=600):
    text = text.strip()
    if start:
        text = text[text.index(start):]
    if len(text) <= n:
        return text
    cut = text[:n]
    end = max(cut.rfind(". "), cut.rfind(".\n"))
    return cut[: end + 1] if end > 200 else cut[: cut.rfind(" ")]


def main():
    rows = []
    for id_, text in texts():
        if id_ in LABELS:
            assets, vertical, sponsor, sponsorship, tool = LABELS[id_]
            rows.append({
                "id": id_,
                "source": id_.split(":")[0] if ":" in id_ else "atlas",
                "text": quote(text, QUOTE_FROM.get(id_)),
                "ai_assets": sorted(assets),
                "vertical": vertical,
                "sponsor": sponsor,
                "sponsorship": sponsorship,
                "ai_tool": tool,
            })
    missing = set(LABELS) - {r["id"] for r in rows}
    if missing:
        sys.exit("labels without a source text: %s" % sorted(missing))
    with open(OUT, "w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote %d rows to %s" % (len(rows), OUT))


if __name__ == "__main__":
    main()
