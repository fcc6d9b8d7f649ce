"""The first compiled count in a fresh install, against later ones.

hyperarr's counting kernels are compiled by numba on their first call and
cached on disk.  A new user pays the compilation once; this script measures
it as they would, each figure in a fresh process:

* **cold**: an empty numba cache (a new ``NUMBA_CACHE_DIR``), as right after
  ``pip install``;
* **warm cache, new process**: the cache filled by the cold run;
* **warm, same process**: the call repeated after the first one (median).

The workload is the issue's: ``library.resonance(6).n_regions(symmetry=...)``
(1,066,044 regions).  Run: ``python -m benchmarks.first_run [--out FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import DEFAULT_OUT, machine_lines, publish

_CHILD = r"""
import json, statistics, sys, time
t0 = time.perf_counter()
from hyperarr import library
A = library.resonance(6)
G = library.resonance_symmetry(6)
t1 = time.perf_counter()
n = A.n_regions(symmetry=G)
t2 = time.perf_counter()
again = []
for _ in range(3):
    s = time.perf_counter()
    assert A.n_regions(symmetry=G) == n
    again.append(time.perf_counter() - s)
print(json.dumps({"regions": n, "import": t1 - t0, "first": t2 - t1,
                  "warm": statistics.median(again)}))
"""

TARGET_WARM = 0.2


def _run(cache: str) -> dict[str, float]:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True,
                         check=True, timeout=900)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["process"] = time.perf_counter() - start
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.first_run", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / "first_run.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        cold = _run(cache)
        warm = _run(cache)
    status = (f"met ({warm['warm']:.3f} s ≤ {TARGET_WARM} s)" if warm["warm"] <= TARGET_WARM
              else f"not met ({warm['warm']:.3f} s > {TARGET_WARM} s)")
    rows = [
        ("cold: empty numba cache, new process", cold["first"], cold["process"]),
        ("warm cache, new process", warm["first"], warm["process"]),
        ("warm, same process (median of 3)", warm["warm"], None),
    ]
    lines = ["# First compiled count: resonance(6) with symmetry", "", *machine_lines(), "",
             f"{cold['regions']:,} regions. The count's own time; the whole process (import, "
             "count, three repeats) beside it.", "",
             "| run | count | whole process |", "|---|---:|---:|"]
    for name, t, p in rows:
        lines.append(f"| {name} | {t:.3f} s | {'—' if p is None else f'{p:.1f} s'} |")
    lines += ["", f"Target: warm ≤ {TARGET_WARM} s — {status}.  The cold run prints "
              "\"compiling kernels (first run only)\" in the CLI.", ""]
    return publish(lines, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
