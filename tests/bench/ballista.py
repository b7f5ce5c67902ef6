#!/usr/bin/env python3
"""Scale-out benchmark (issue 10): the main findings on the embedded engine and on a local Ballista
cluster of 1 and 2 executors (all started from the spyglass binary on loopback), with DuckDB on the
same Parquet as the side-by-side reference, at several dataset sizes, in one run.

    python3 tests/bench/ballista.py --spyglass $CARGO_TARGET_DIR/release/spyglass \
        --sizes 100000,1000000 --work /tmp/spyglass-ballista

For each N: `spyglass bench generate --incidents N` (proportions of EuRepoC + CFR), DuckDB converts
the JSONL to Parquet (not timed), `spyglass ingest` (timed, peak RSS), then for each engine
(embedded views, i.e. SPYGLASS_NO_CUBE=1; embedded with the findings cube; Ballista with 1 executor;
Ballista with 2 executors) each query is run `--runs` times, the median wall time of the whole
command is reported, and the first run (cold: the cube, or the session's client-side tables on
Ballista, are built) separately. Peak memory: the client's `/usr/bin/time` maximum RSS, and for a
cluster the sum of the scheduler's and executors' VmHWM (each process started fresh per N and
executor count). Checks that every engine gives the same share document (engine field aside).
Prints Markdown tables for BENCHMARKS.md.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

QUERIES = {
    "share": ["share", "--by", "sponsor", "--state-sponsored", "--json"],
    "claim": ["claim-check", "CN share > 0.5", "--state-sponsored", "--json"],
    "trend": ["trend", "--by", "year", "--state-sponsored", "--json"],
}

DUCK = (
    "import duckdb; c=duckdb.connect(); p='{p}'; "
    "print(c.execute(\"SELECT count(*) FROM read_parquet('\"+p+\"') WHERE sponsorship IN ('state','state-affiliated') "
    "AND len(sponsors) > 0\").fetchall()); "
    "print(c.execute(\"SELECT s, count(*) FROM (SELECT unnest(sponsors) AS s FROM read_parquet('\"+p+\"') "
    "WHERE sponsorship IN ('state','state-affiliated')) GROUP BY s\").fetchall())"
)


def timed(cmd, env=None):
    full = ["/usr/bin/time", "-f", "%e %M", *cmd]
    t0 = time.perf_counter()
    r = subprocess.run(full, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if r.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    last = r.stderr.strip().splitlines()[-1].split()
    return wall, int(last[1]) / 1024.0, r.stdout


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, proc, what):
    t0 = time.time()
    while True:
        if proc.poll() is not None:
            sys.exit(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            if time.time() - t0 > 60:
                sys.exit(f"{what} not listening on {port}")
            time.sleep(0.1)


def hwm_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


class Cluster:
    def __init__(self, spyglass, executors, work):
        self.procs = []
        sched = free_port()
        s = subprocess.Popen([spyglass, "scheduler", "--bind", f"127.0.0.1:{sched}"], stderr=subprocess.DEVNULL)
        self.procs.append(s)
        wait_port(sched, s, "scheduler")
        for i in range(executors):
            port, grpc = free_port(), free_port()
            wd = os.path.join(work, f"exec-{executors}-{i}")
            os.makedirs(wd, exist_ok=True)
            e = subprocess.Popen(
                [spyglass, "executor", "--scheduler", f"127.0.0.1:{sched}", "--port", str(port),
                 "--grpc-port", str(grpc), "--work-dir", wd],
                stderr=subprocess.DEVNULL,
            )
            self.procs.append(e)
            wait_port(port, e, "executor")
        time.sleep(1.0)  # first heartbeat: the executors register with the scheduler
        self.url = f"ballista://127.0.0.1:{sched}"

    def peak_mb(self):
        return sum(hwm_mb(p.pid) for p in self.procs)

    def stop(self):
        for p in self.procs:
            p.kill()
            p.wait()


def strip_engine(doc):
    doc = json.loads(doc)
    doc.get("method", {}).pop("engine", None)
    return doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spyglass", required=True)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--work", default="/tmp/spyglass-ballista")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    import duckdb

    os.makedirs(a.work, exist_ok=True)
    out_rows = []
    for n in [int(x) for x in a.sizes.split(",")]:
        jsonl = os.path.join(a.work, f"gen-{n}.jsonl")
        parquet = os.path.join(a.work, f"gen-{n}.parquet")
        data = os.path.join(a.work, f"data-{n}")
        subprocess.run(["rm", "-rf", data], check=True)
        if not os.path.exists(jsonl):
            subprocess.run([a.spyglass, "bench", "generate", "--incidents", str(n), "--out", jsonl], check=True)
        duckdb.connect().execute(
            f"COPY (SELECT * FROM read_json('{jsonl}', format='newline_delimited', "
            "columns={id: 'VARCHAR', title: 'VARCHAR', source: 'VARCHAR', start_date: 'DATE', "
            "sponsors: 'VARCHAR[]', sponsorship: 'VARCHAR', verticals: 'VARCHAR[]', assets: 'VARCHAR[]', "
            f"types: 'VARCHAR[]'}})) TO '{parquet}' (FORMAT parquet)"
        )
        ing_wall, ing_rss, _ = timed([a.spyglass, "--data", data, "ingest", jsonl])
        print(f"N={n}: ingest {ing_wall:.1f}s ({ing_rss:.0f} MB)", file=sys.stderr, flush=True)
        duck = [timed([sys.executable, "-c", DUCK.format(p=parquet)]) for _ in range(a.runs)]
        duck_wall = statistics.median(w for w, _, _ in duck)
        duck_rss = max(m for _, m, _ in duck)

        engines = [("embedded, views", None, {"SPYGLASS_NO_CUBE": "1"}), ("embedded, cube", None, {})]
        engines += [(f"Ballista, {k} executor{'s' if k > 1 else ''}", k, {}) for k in (1, 2)]
        reference = {}
        for label, executors, extra in engines:
            cluster = Cluster(a.spyglass, executors, a.work) if executors else None
            env = dict(os.environ, **extra)
            base = [a.spyglass, "--data", data] + (["--engine", cluster.url] if cluster else [])
            res = {}
            client_peak = 0.0
            for qname, q in QUERIES.items():
                cold = timed(base + q, env)
                warm = [timed(base + q, env) for _ in range(a.runs)]
                client_peak = max([client_peak, cold[1]] + [m for _, m, _ in warm])
                doc = strip_engine(warm[-1][2])
                if qname in reference:
                    assert doc == reference[qname], f"{label}: {qname} differs from the first engine"
                else:
                    reference[qname] = doc
                res[qname] = (cold[0], statistics.median(w for w, _, _ in warm))
            cluster_peak = cluster.peak_mb() if cluster else 0.0
            if cluster:
                cluster.stop()
            out_rows.append((n, label, res, client_peak, cluster_peak, duck_wall, duck_rss, ing_wall, ing_rss))
            print(f"N={n} {label}: " + ", ".join(f"{k} {c:.2f}/{w:.2f}s" for k, (c, w) in res.items())
                  + f"; client {client_peak:.0f} MB, cluster {cluster_peak:.0f} MB; DuckDB {duck_wall:.3f}s",
                  file=sys.stderr, flush=True)

    print("| incidents | engine | share cold / warm | claim-check cold / warm | trend cold / warm | client peak RSS | cluster peak RSS (sum) | share warm ÷ DuckDB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for (n, label, res, cp, kp, dw, dr, iw, ir) in out_rows:
        cells = " | ".join(f"{res[q][0]:.2f} / {res[q][1]:.2f} s" for q in QUERIES)
        kp_s = f"{kp:.0f} MB" if kp else "—"
        print(f"| {n:,} | {label} | {cells} | {cp:.0f} MB | {kp_s} | {res['share'][1] / dw:.2f}× |")
    print()
    print("| incidents | ingest (peak RSS) | DuckDB process, share's GROUP BY (peak RSS) |")
    print("|---:|---:|---:|")
    seen = set()
    for (n, _, _, _, _, dw, dr, iw, ir) in out_rows:
        if n not in seen:
            seen.add(n)
            print(f"| {n:,} | {iw:.1f} s ({ir:.0f} MB) | {dw:.3f} s ({dr:.0f} MB) |")


if __name__ == "__main__":
    main()
