"""Shared machinery for the spyglass-stats reference scripts.

Each script in this directory computes reference values with statsmodels/scipy (or another
well-known implementation) and renders them as Rust tables. A table lives in a Rust source file
between two marker lines:

    // reference-table begin: <name> (tests/reference/<script>.py)
    ...generated Rust...
    // reference-table end: <name>

A script run without arguments prints its tables; `--write` replaces the blocks in the Rust
sources; `--check` recomputes and compares every number in each block with the recorded one
(relative tolerance per table) and exits 1 on a mismatch. `check.py` runs the check for all
scripts.
"""
from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def rust_f64(v) -> str:
    """A float literal Rust accepts and that round-trips (Python repr is shortest round-trip)."""
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"non-finite reference value {v!r}: record such cases as behaviour tests")
    s = repr(v)
    if "e" not in s and "." not in s:
        s += ".0"
    return s


def rust_f64s(values) -> str:
    return "[" + ", ".join(rust_f64(v) for v in values) + "]"


def rust_ints(values) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


@dataclass
class Table:
    name: str
    rust_file: str  # relative to the repository root
    script: str  # relative to the repository root
    lines: list[str] = field(default_factory=list)
    rel_tol: float = 1e-12
    abs_tol: float = 1e-15
    indent: str = ""  # the blocks inside `mod tests { ... }` are indented by four spaces

    def begin(self) -> str:
        return f"// reference-table begin: {self.name} ({self.script})"

    def end(self) -> str:
        return f"// reference-table end: {self.name}"

    def render(self) -> str:
        body = [self.indent + line if line else line for line in self.lines]
        # The begin marker's own indentation stays in the file, outside the replaced text.
        return "\n".join([self.begin(), *body, self.indent + self.end()])


def numbers(text: str) -> list[float]:
    out = []
    for line in text.splitlines():
        line = _STRING.sub('""', line)
        line = line.split("//", 1)[0]
        out.extend(float(m.group(0)) for m in _NUMBER.finditer(line))
    return out


def recorded_block(table: Table) -> str | None:
    text = (ROOT / table.rust_file).read_text()
    pattern = re.escape(table.begin()) + r"\n(.*?)\n?" + re.escape(table.end())
    m = re.search(pattern, text, re.S)
    return m.group(1) if m else None


def compare(table: Table) -> tuple[int, list[str]]:
    """Returns (values compared, problems)."""
    block = recorded_block(table)
    if block is None:
        return 0, [f"{table.rust_file}: table {table.name} not found"]
    want = numbers("\n".join(table.lines))
    have = numbers(block)
    if len(want) != len(have):
        return 0, [f"{table.rust_file}: table {table.name} has {len(have)} numbers, "
                   f"recomputation gives {len(want)}"]
    problems = []
    for i, (w, h) in enumerate(zip(want, have)):
        if not math.isclose(w, h, rel_tol=table.rel_tol, abs_tol=table.abs_tol):
            problems.append(f"{table.rust_file}: table {table.name} value #{i}: "
                            f"recorded {h!r}, recomputed {w!r}")
    return len(want), problems


def write(table: Table) -> None:
    path = ROOT / table.rust_file
    text = path.read_text()
    pattern = re.escape(table.begin()) + r"\n.*?" + re.escape(table.end())
    new, count = re.subn(pattern, lambda _m: table.render(), text, flags=re.S)
    if count != 1:
        raise SystemExit(f"{table.rust_file}: expected one block for {table.name}, found {count}"
                         " (add empty begin/end marker lines first)")
    path.write_text(new)


def main(tables: list[Table], argv: list[str]) -> None:
    if "--check" in argv:
        total, problems = 0, []
        for t in tables:
            n, p = compare(t)
            total += n
            problems += p
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{len(tables)} tables, {total} values, {len(problems)} mismatches")
        sys.exit(1 if problems else 0)
    if "--write" in argv:
        for t in tables:
            write(t)
            print(f"wrote {t.name} into {t.rust_file}")
        return
    for t in tables:
        print(t.render())
        print()
