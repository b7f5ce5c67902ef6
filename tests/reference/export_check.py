#!/usr/bin/env python3
"""Reads spyglass exports and data directories with the tools their users have, for
crates/cli/tests/export.rs.

Usage: export_check.py parquet FILE...   rows per file by pandas (pyarrow) and by DuckDB
       export_check.py delta DIR...      rows per Delta table by the `deltalake` package
Prints one JSON object. Exit 3 when a module is missing.
"""
import json
import os
import sys


def need(name):
    try:
        return __import__(name)
    except ImportError as e:
        print(f"{name} is not installed: {e}", file=sys.stderr)
        sys.exit(3)


def parquet(paths):
    pd = need("pandas")
    need("pyarrow")
    duckdb = need("duckdb")
    out = {}
    for p in paths:
        df = pd.read_parquet(p)
        con = duckdb.connect()
        (n,) = con.execute("SELECT count(*) FROM read_parquet(?)", [p]).fetchone()
        out[p] = {"pandas": int(len(df)), "duckdb": int(n), "columns": list(df.columns)}
    return out


def delta(paths):
    deltalake = need("deltalake")
    out = {}
    for p in paths:
        t = deltalake.DeltaTable(p)
        out[p] = {"rows": int(t.to_pyarrow_table().num_rows), "version": int(t.version())}
    return out


if __name__ == "__main__":
    mode, paths = sys.argv[1], sys.argv[2:]
    print(json.dumps({"parquet": parquet, "delta": delta}[mode](paths)), flush=True)
    # The `deltalake` package (1.6.6) sometimes aborts ("terminate called without an active
    # exception", exit 134) while its runtime threads are torn down at interpreter exit, after the
    # answer is printed: about 1 run in 4 here. Leave without that teardown once the answer is out.
    os._exit(0)
