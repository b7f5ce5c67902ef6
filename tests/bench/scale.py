#!/usr/bin/env python3
"""Scaling benchmark: spyglass `share --by sponsor --state-sponsored` against DuckDB's GROUP BY on
the same data in Parquet, at several dataset sizes, in one run.

    python3 tests/bench/scale.py --spyglass target/release/spyglass --sizes 100000,1000000,10000000 \
        --work /tmp/spyglass-scale

For each N: `spyglass bench generate --incidents N` writes JSONL (proportions of EuRepoC + CFR);
DuckDB converts it to Parquet (not timed); spyglass ingests it (timed, peak RSS); then, each
repeated `--runs` times and reported as the median wall time of the whole command:
  - spyglass cold: the first `share` after the ingest (builds the findings cube from the views),
  - spyglass warm: `share` again (the cube is cached in the data directory),
  - spyglass views: `share` with SPYGLASS_NO_CUBE=1 (the view chain every time; skipped above
    --views-max),
  - DuckDB: `python3 -c 'import duckdb; ...'` running the equivalent GROUP BY on the Parquet
    file (a whole process, like the spyglass command), and the query alone in a warm connection.
Prints a Markdown table for BENCHMARKS.md and checks that both engines give the same counts.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

DUCK_SQL_COUNTS = (
    "SELECT s, count(*) AS c FROM (SELECT unnest(sponsors) AS s FROM read_parquet('{p}') "
    "WHERE sponsorship IN ('state', 'state-affiliated')) GROUP BY s"
)
DUCK_SQL_N = (
    "SELECT count(*) FROM read_parquet('{p}') "
    "WHERE sponsorship IN ('state', 'state-affiliated') AND len(sponsors) > 0"
)


def timed(cmd, env=None):
    """Wall seconds, peak RSS (MB) and stdout of one command (via /usr/bin/time)."""
    full = ["/usr/bin/time", "-f", "%e %M", *cmd]
    t0 = time.perf_counter()
    r = subprocess.run(full, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if r.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    last = r.stderr.strip().splitlines()[-1].split()
    return wall, int(last[1]) / 1024.0, r.stdout


def median_of(runs, cmd, env=None):
    out = [timed(cmd, env) for _ in range(runs)]
    return statistics.median(w for w, _, _ in out), max(m for _, m, _ in out), out[-1][2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spyglass", required=True)
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--work", default="/tmp/spyglass-scale")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--views-max", type=int, default=1_000_000)
    a = ap.parse_args()
    import duckdb

    os.makedirs(a.work, exist_ok=True)
    rows = []
    for n in [int(x) for x in a.sizes.split(",")]:
        jsonl = os.path.join(a.work, f"gen-{n}.jsonl")
        parquet = os.path.join(a.work, f"gen-{n}.parquet")
        data = os.path.join(a.work, f"data-{n}")
        subprocess.run(["rm", "-rf", data], check=True)
        subprocess.run([a.spyglass, "bench", "generate", "--incidents", str(n), "--out", jsonl], check=True)
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_json('{jsonl}', format='newline_delimited', "
            "columns={id: 'VARCHAR', title: 'VARCHAR', source: 'VARCHAR', start_date: 'DATE', "
            "sponsors: 'VARCHAR[]', sponsorship: 'VARCHAR', verticals: 'VARCHAR[]', assets: 'VARCHAR[]', "
            f"types: 'VARCHAR[]'}})) TO '{parquet}' (FORMAT parquet)"
        )
        ing_wall, ing_rss, _ = timed([a.spyglass, "--data", data, "ingest", jsonl])
        share = [a.spyglass, "--data", data, "share", "--by", "sponsor", "--state-sponsored", "--json"]
        cold_wall, cold_rss, cold_out = timed(share)
        warm_wall, warm_rss, warm_out = median_of(a.runs, share)
        env = dict(os.environ, SPYGLASS_NO_CUBE="1")
        views = median_of(max(1, a.runs // 2), share, env) if n <= a.views_max else None
        duck_cmd = [
            sys.executable, "-c",
            "import duckdb,sys; c=duckdb.connect(); "
            f"print(c.execute(\"{DUCK_SQL_N.format(p=parquet)}\").fetchall()); "
            f"print(c.execute(\"{DUCK_SQL_COUNTS.format(p=parquet)}\").fetchall())",
        ]
        duck_wall, duck_rss, duck_out = median_of(a.runs, duck_cmd)
        q = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            dn = con.execute(DUCK_SQL_N.format(p=parquet)).fetchall()[0][0]
            dc = dict(con.execute(DUCK_SQL_COUNTS.format(p=parquet)).fetchall())
            q.append(time.perf_counter() - t0)
        duck_q = statistics.median(q)
        # Same answer from both engines.
        doc = json.loads(warm_out)
        ours = {r["key"]: r["count"] for r in doc["rows"] if r["key"] != "none"}
        assert doc["n"] == dn, (doc["n"], dn)
        assert ours == dc, (ours, dc)
        assert json.loads(cold_out)["rows"] == doc["rows"]
        assert doc["method"]["engine"] == "cube", doc["method"]["engine"]
        rows.append((n, ing_wall, ing_rss, cold_wall, cold_rss, warm_wall, warm_rss, views, duck_wall, duck_rss, duck_q, os.path.getsize(jsonl)))
        print(f"N={n}: ingest {ing_wall:.1f}s, share cold {cold_wall:.2f}s warm {warm_wall:.3f}s, "
              f"views {views[0] if views else float('nan'):.2f}s, duckdb process {duck_wall:.3f}s query {duck_q:.3f}s",
              file=sys.stderr, flush=True)

    print("| incidents | JSONL | ingest (peak RSS) | share, first after ingest (builds cube) | share, cube warm | share on the views (no cube) | DuckDB process | DuckDB query alone | warm ÷ DuckDB process |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (n, iw, ir, cw, cr, ww, wr, v, dw, dr, dq, size) in rows:
        vs = f"{v[0]:.2f} s ({v[1]:.0f} MB)" if v else "—"
        print(f"| {n:,} | {size/1e6:,.0f} MB | {iw:.1f} s ({ir:.0f} MB) | {cw:.2f} s ({cr:.0f} MB) | {ww:.3f} s ({wr:.0f} MB) | {vs} "
              f"| {dw:.3f} s ({dr:.0f} MB) | {dq:.3f} s | {ww/dw:.2f}× |")


if __name__ == "__main__":
    main()
