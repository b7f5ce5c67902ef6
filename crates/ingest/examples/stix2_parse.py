"""Python `stix2` peer for the stix_bench example: parses a bundle the way OpenCTI's connectors do
(`stix2.parse(..., allow_custom=True)`) and prints one key=value line like stix_bench.

    pip install stix2
    python3 crates/ingest/examples/stix2_parse.py /tmp/stix-20m.json
"""
import os
import resource
import sys
import time

import stix2

path = sys.argv[1]
size = os.path.getsize(path)
t = time.perf_counter()
with open(path, encoding="utf-8") as f:
    bundle = stix2.parse(f.read(), allow_custom=True)
secs = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"mode=python-stix2 bytes={size} secs={secs:.2f} mb_per_s={size / 1e6 / secs:.2f} "
      f"objects={len(bundle.objects)} stix2={stix2.__version__} maxrss_kb={rss}")
