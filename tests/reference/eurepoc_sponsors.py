"""Independent count of state sponsors in EuRepoC, by the README's sponsor rule.

Python standard library only (csv + ast.literal_eval), no spyglass code. Prints JSON:
{"n": incidents with >= 1 state sponsor, "counts": {country name: incidents}}.

Usage: python3 tests/reference/eurepoc_sponsors.py PATH/EuRepoC_Global_Database_1.1.csv [--since YEAR]
"""
import ast, collections, csv, json, sys

STATE = {"State", "Non-state actor, state-affiliation suggested"}
NOT_A_COUNTRY = {"Not available", "Unknown", ""}

def main():
    path = sys.argv[1]
    since = int(sys.argv[sys.argv.index("--since") + 1]) if "--since" in sys.argv else None
    csv.field_size_limit(10**9)
    counts, n = collections.Counter(), 0
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if since is not None and (not row["start_date"] or int(row["start_date"][:4]) < since):
                continue
            countries = ast.literal_eval(row["initiator_country"]) if row["initiator_country"] else []
            cats = ast.literal_eval(row["initiator_category"]) if row["initiator_category"] else []
            if len(countries) == len(cats):
                pairs = list(zip(countries, cats))
            else:  # lengths differ: every country with every category
                pairs = [(c, k) for c in countries for k in cats]
            sponsors = {c for c, k in pairs if k in STATE and c not in NOT_A_COUNTRY}
            n += bool(sponsors)
            counts.update(sponsors)
    print(json.dumps({"n": n, "counts": dict(sorted(counts.items()))}))

if __name__ == "__main__":
    main()
