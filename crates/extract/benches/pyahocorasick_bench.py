"""Peer benchmark: pyahocorasick doing only the actor-alias scan, with word-boundary checks, over
the corpus written by `cargo run --release -p spyglass-extract --example extract_bench`.

    pip install pyahocorasick
    python3 crates/extract/benches/pyahocorasick_bench.py [/tmp/spyglass-extract-corpus.txt]

Same dictionary as the Rust bench (MISP threat-actor value + synonyms), matched case-insensitively
(aliases and each line lower-cased; lower-casing is part of the measured time), leftmost-longest
(`iter_long`), keeping matches whose neighbours are not ASCII letters/digits.
"""
import json
import os
import sys
import time

import ahocorasick

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
DATA = os.environ.get("SPYGLASS_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))


def aliases():
    with open(os.path.join(DATA, "misp-galaxy/threat-actor.json")) as f:
        doc = json.load(f)
    for v in doc["values"]:
        yield v["value"]
        yield from v.get("meta", {}).get("synonyms", [])


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "/tmp/spyglass-extract-corpus.txt"
    auto = ahocorasick.Automaton()
    for a in aliases():
        a = a.strip()
        if a:
            auto.add_word(a.lower(), a)
    auto.make_automaton()
    with open(corpus, encoding="utf-8") as f:
        lines = f.read().split("\n")
    size = sum(len(l.encode("utf-8")) + 1 for l in lines) / 1e6
    word = set("abcdefghijklmnopqrstuvwxyz0123456789")
    t = time.perf_counter()
    c = time.process_time()
    found = 0
    for line in lines:
        low = line.lower()
        n = len(low)
        for end, alias in auto.iter_long(low):
            start = end - len(alias) + 1
            if (start == 0 or low[start - 1] not in word) and (end + 1 == n or low[end + 1] not in word):
                found += 1
    dt = time.perf_counter() - t
    dc = time.process_time() - c
    print("corpus_mb\t%.1f" % size)
    # wall-clock, then CPU time (user + system) as the Rust benchmark reports them
    print("pyahocorasick_alias_scan_mb_s\t%.2f\t(cpu %.2f)\t(matches %d)" % (size / dt, size / dc, found))


if __name__ == "__main__":
    main()
