#!/usr/bin/env python3
"""Scaling benchmark: spyglass `share --by sponsor --state-sponsored` against DuckDB's GROUP BY on
the same data in Parquet, at several dataset sizes, in one run.

    python3 tests/bench/scale.py --spyglass target/release/spyglass --sizes 100000,1000000,10000000 \
        --work /tmp/spyglass-scale

For each N: `spyglass bench generate --incidents N` writes JSONL (proportions of EuRepoC + CFR);
DuckDB converts it to Parquet (not timed); then, reported as the median wall time of the whole
command (peak RSS the largest of the runs):
  - ingest: `spyglass ingest --no-cube` (the commit alone, timed once),
  - cube build: `share` with no cube cached (builds the findings cube from the views; the
    cache `<data>/_cache` is removed before each run; `--runs` times up to --cold-runs-max, once
    above),
  - ingest + cube: `spyglass ingest` as shipped (commits, then builds the default policy's cube so
    the first question is warm), into a second data directory, and the first `share` after it
    (sizes up to --ingest-cube-max),
  - warm: `share` again (the cube is cached in the data directory),
  - views: `share` with SPYGLASS_NO_CUBE=1 (the view chain every time; sizes up to --views-max),
  - DuckDB: `python3 -c 'import duckdb; ...'` running the equivalent GROUP BY on the Parquet
    file (a whole process, like the spyglass command), and the query alone in a warm connection.
Prints a Markdown table for BENCHMARKS.md, the growth of each cost between sizes, and checks
that both engines give the same counts.
"""

import argparse
import json
import os
import shutil
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


def timed(cmd, env=None, before=None):
    """Wall seconds, peak RSS (MB) and stdout of one command (via /usr/bin/time)."""
    if before:
        before()
    full = ["/usr/bin/time", "-f", "%e %M", *cmd]
    t0 = time.perf_counter()
    r = subprocess.run(full, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if r.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    last = r.stderr.strip().splitlines()[-1].split()
    return wall, int(last[1]) / 1024.0, r.stdout


def median_of(runs, cmd, env=None, before=None):
    out = [timed(cmd, env, before) for _ in range(runs)]
    return statistics.median(w for w, _, _ in out), max(m for _, m, _ in out), out[-1][2]


def fmt(x):
    return f"{x[0]:.2f} s ({x[1]:.0f} MB)" if x else "—"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spyglass", required=True)
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--work", default="/tmp/spyglass-scale")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--views-max", type=int, default=1_000_000)
    ap.add_argument("--cold-runs-max", type=int, default=1_000_000)
    ap.add_argument("--ingest-cube-max", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true", help="keep each size's files (default: removed after the size)")
    a = ap.parse_args()
    import duckdb

    os.makedirs(a.work, exist_ok=True)
    rows = []
    for n in [int(x) for x in a.sizes.split(",")]:
        jsonl = os.path.join(a.work, f"gen-{n}.jsonl")
        parquet = os.path.join(a.work, f"gen-{n}.parquet")
        data = os.path.join(a.work, f"data-{n}")
        data_ic = os.path.join(a.work, f"data-{n}-ingest-cube")
        for d in (data, data_ic):
            shutil.rmtree(d, ignore_errors=True)
        if not os.path.exists(jsonl):
            subprocess.run([a.spyglass, "bench", "generate", "--incidents", str(n), "--out", jsonl], check=True)
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_json('{jsonl}', format='newline_delimited', "
            "columns={id: 'VARCHAR', title: 'VARCHAR', source: 'VARCHAR', start_date: 'DATE', "
            "sponsors: 'VARCHAR[]', sponsorship: 'VARCHAR', verticals: 'VARCHAR[]', assets: 'VARCHAR[]', "
            f"types: 'VARCHAR[]'}})) TO '{parquet}' (FORMAT parquet)"
        )
        ingest = timed([a.spyglass, "--data", data, "ingest", "--no-cube", jsonl])
        share = [a.spyglass, "--data", data, "share", "--by", "sponsor", "--state-sponsored", "--json"]
        drop_cache = lambda: shutil.rmtree(os.path.join(data, "_cache"), ignore_errors=True)  # noqa: E731
        cold = median_of(a.runs if n <= a.cold_runs_max else 1, share, before=drop_cache)
        warm = median_of(a.runs, share)
        ic = first_ic = None
        if n <= a.ingest_cube_max:
            ic = timed([a.spyglass, "--data", data_ic, "ingest", jsonl])
            first_ic = timed([a.spyglass, "--data", data_ic, "share", "--by", "sponsor", "--state-sponsored", "--json"])
            assert json.loads(first_ic[2])["rows"] == json.loads(warm[2])["rows"]
            shutil.rmtree(data_ic, ignore_errors=True)
        env = dict(os.environ, SPYGLASS_NO_CUBE="1")
        views = median_of(max(1, a.runs // 2), share, env) if n <= a.views_max else None
        duck_cmd = [
            sys.executable, "-c",
            "import duckdb,sys; c=duckdb.connect(); "
            f"print(c.execute(\"{DUCK_SQL_N.format(p=parquet)}\").fetchall()); "
            f"print(c.execute(\"{DUCK_SQL_COUNTS.format(p=parquet)}\").fetchall())",
        ]
        duck = median_of(a.runs, duck_cmd)
        q = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            dn = con.execute(DUCK_SQL_N.format(p=parquet)).fetchall()[0][0]
            dc = dict(con.execute(DUCK_SQL_COUNTS.format(p=parquet)).fetchall())
            q.append(time.perf_counter() - t0)
        duck_q = statistics.median(q)
        # Same answer from both engines, and from the cube however it was built.
        doc = json.loads(warm[2])
        ours = {r["key"]: r["count"] for r in doc["rows"] if r["key"] != "none"}
        assert doc["n"] == dn, (doc["n"], dn)
        assert ours == dc, (ours, dc)
        assert json.loads(cold[2])["rows"] == doc["rows"]
        assert doc["method"]["engine"] == "cube", doc["method"]["engine"]
        if views:
            assert json.loads(views[2])["rows"] == doc["rows"]
        size = os.path.getsize(jsonl)
        rows.append(dict(n=n, size=size, ingest=ingest, cold=cold, ic=ic, first_ic=first_ic, warm=warm, views=views,
                         duck=duck, duck_q=duck_q))
        print(f"N={n}: ingest {ingest[0]:.1f}s ({ingest[1]:.0f} MB), cube build {cold[0]:.2f}s ({cold[1]:.0f} MB), "
              f"ingest+cube {ic[0] if ic else float('nan'):.1f}s, warm {warm[0]:.3f}s, "
              f"views {views[0] if views else float('nan'):.2f}s, duckdb process {duck[0]:.3f}s query {duck_q:.3f}s",
              file=sys.stderr, flush=True)
        if not a.keep:
            shutil.rmtree(data, ignore_errors=True)
            for f in (jsonl, parquet):
                os.remove(f)

    print("| incidents | JSONL | ingest `--no-cube` (peak RSS) | cube build: first share (peak RSS) "
          "| ingest with cube; first share after it | share, cube warm | share on the views (no cube) "
          "| DuckDB process | DuckDB query alone | warm ÷ DuckDB process |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ic = f"{fmt(r['ic'])}; {r['first_ic'][0]:.3f} s" if r["ic"] else "—"
        print(f"| {r['n']:,} | {r['size']/1e6:,.0f} MB | {r['ingest'][0]:.1f} s ({r['ingest'][1]:.0f} MB) | {fmt(r['cold'])} "
              f"| {ic} | {r['warm'][0]:.3f} s ({r['warm'][1]:.0f} MB) | {fmt(r['views'])} "
              f"| {r['duck'][0]:.3f} s ({r['duck'][1]:.0f} MB) | {r['duck_q']:.3f} s | {r['warm'][0]/r['duck'][0]:.2f}× |")
    print()
    print("Growth between sizes (time ratio ÷ size ratio; ≤ 1 is linear or better; memory ratio in brackets):")
    for p, r in zip(rows, rows[1:]):
        k = r["n"] / p["n"]
        parts = []
        for name in ("ingest", "cold", "warm", "duck"):
            parts.append(f"{name} {r[name][0] / p[name][0] / k:.2f} ({r[name][1] / p[name][1]:.1f}×)")
        print(f"- {p['n']:,} → {r['n']:,} (×{k:g}): " + ", ".join(parts))


if __name__ == "__main__":
    main()
