#!/usr/bin/env python3
"""Validates STIX 2.1 files with the OASIS validator (PyPI stix2-validator), for
crates/cli/tests/export.rs.

Usage: stix_validate.py FILE...
Prints one JSON object: {FILE: {"valid": bool, "errors": [..], "warnings": N}}.
Exit 0 when it ran (whatever the verdict), 3 when the validator is not installed.
"""
import json
import sys

try:
    from stix2validator import ValidationOptions, validate_file
except ImportError as e:  # the Rust test skips (or fails under SPYGLASS_REQUIRE_PYTHON=1)
    print(f"stix2validator is not installed: {e}", file=sys.stderr)
    sys.exit(3)


def main(paths):
    out = {}
    for p in paths:
        res = validate_file(p, ValidationOptions(version="2.1", silent=True))
        errors, warnings = [], 0
        if res.fatal is not None:
            errors.append(f"fatal: {res.fatal.message}")
        for o in res.object_results or []:
            errors.extend(f"{o.object_id}: {e}" for e in o.errors)
            warnings += len(o.warnings)
        out[p] = {"valid": bool(res.is_valid) and not errors, "errors": errors, "warnings": warnings}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
