"""Counting past the frontier: T7 without symmetry, R8 and T8, refusals, first call.

Usage::

    python -m benchmarks.frontier                 # T6, R7, T7, refusals, first call
    python -m benchmarks.frontier --long          # also R8 with symmetry (up to 30 min)
    python -m benchmarks.frontier --moonshot      # also T8 with symmetry (hours)
    python -m benchmarks.frontier --only "R8 sym" --log FILE

Every count runs once in a fresh child process (its peak resident memory
is the child's), after a warm-up child that fills the numba cache, except
the first-call row, which runs in a child with an empty cache.  Each child
writes one line per depth to ``--log`` as it goes (time, depth,
restrictions, peak memory so far), so a long count that is stopped still
leaves its figures.  The same-run baseline of a row is the same count in
the coordinates as given (``_levels.ORDER = "given"``, the order of the
traces before this change), where that finishes in reasonable time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import first_run
from benchmarks._common import DEFAULT_OUT, fmt_seconds, machine_lines, markdown_table, publish

__all__ = ["main", "WORKLOADS"]

#: name -> (family, d, symmetry?, published regions or None (a refusal), target seconds, target bytes)
WORKLOADS: dict[str, tuple[str, int, bool, int | None, float, float]] = {
    "T6": ("threshold", 6, False, 15028134, 5.0, 4e9),
    "R7": ("resonance", 7, False, 347326352, 120.0, 4e9),
    "R7 sym": ("resonance", 7, True, 347326352, 5.0, 4e9),
    "T7": ("threshold", 7, False, 8378070864, 20.0, 2e9),
    "T7 sym": ("threshold", 7, True, 8378070864, 60.0, 4e9),
    "R9 refused": ("resonance", 9, False, None, 60.0, 16e9),
    "R9 sym refused": ("resonance", 9, True, None, 60.0, 16e9),
    "R8 sym": ("resonance", 8, True, 419172756930, 1800.0, 16e9),
    "T8 sym": ("threshold", 8, True, 17561539552946, 7200.0, 16e9),
}
_DEFAULT = ("T6", "R7", "R7 sym", "T7", "T7 sym", "R9 refused", "R9 sym refused")
#: Rows that also run in the coordinates as given, as the same-run baseline.
_BASELINE = ("T6", "R7", "T7")
#: Published sources of the values.
SOURCE = {"threshold": "OEIS A000609", "resonance": "OEIS A034997"}

#: The child: one count through the same path as ``A.n_regions(symmetry=...)``
#: (`hyperarr.characteristic._chi`), with a progress callback that logs each depth.
_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
fam, d, sym, order, log = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4], sys.argv[5]
from hyperarr import _levels, _orbits, library
from hyperarr.characteristic import _cone, _symmetries
from hyperarr.exceptions import OutputTooLargeError
_levels.ORDER = order
A = getattr(library, fam)(d)
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
def report(depth, restrictions, pairs):
    with open(log, "a") as fh:
        fh.write(f"{fam}({d}) sym={sym} order={order}: {time.perf_counter() - t0:9.1f} s  depth {depth}"
                 f"  restrictions {restrictions:,}  pairs {pairs:,}  peak {peak() / 2**30:.2f} GiB\n")
def piece(depth, done, pieces, held):
    with open(log, "a") as fh:
        fh.write(f"{fam}({d}) sym={sym} order={order}: {time.perf_counter() - t0:9.1f} s  depth {depth}"
                 f"  piece {done} of {pieces}  held {held / 2**30:.2f} GiB  peak {peak() / 2**30:.2f} GiB\n")
_levels.ON_PIECE = piece
out = {"refused": None}
try:
    rows, dim, central = _cone(A)
    betti = None
    gens = _symmetries(A, getattr(library, f"{fam}_symmetry")(d)) if sym else []
    if gens and _orbits.pays(rows, dim):
        betti = _orbits.betti_orbits(rows, dim, _orbits.group(gens, len(rows)), progress=report)
    if betti is None:
        betti = _levels.betti_central(rows, dim, progress=report)
    out["regions"] = sum(betti) if central else sum(betti) // 2
except OutputTooLargeError as err:
    out["refused"] = str(err)
out["seconds"] = time.perf_counter() - t0
out["peak"] = peak()
with open(log, "a") as fh:
    fh.write(f"{fam}({d}) sym={sym} order={order}: done {json.dumps(out)}\n")
print(json.dumps(out))
"""

#: The first count in a fresh install: an empty numba cache.
def _child(name: str, order: str, log: Path, env: dict[str, str] | None = None) -> dict:
    fam, d, sym, *_ = WORKLOADS[name]
    out = subprocess.run([sys.executable, "-c", _CHILD, fam, str(d), "1" if sym else "0", order,
                          str(log)], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _first_call() -> tuple[dict, dict]:
    """The first count in an empty numba cache, then in a new process on that cache
    (the children of `benchmarks.first_run`)."""
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        return first_run._run(cache), first_run._run(cache)


def _gib(b: float) -> str:
    return f"{b / 2**30:.2f} GiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.frontier",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="also R8 with symmetry")
    parser.add_argument("--moonshot", action="store_true", help="also T8 with symmetry")
    parser.add_argument("--only", action="append", help="run only this row (repeatable)")
    parser.add_argument("--no-first", action="store_true", help="skip the first-call row")
    parser.add_argument("--log", type=Path, default=DEFAULT_OUT / "frontier.log")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / "frontier.md")
    args = parser.parse_args(argv)
    names = list(args.only or _DEFAULT)
    if not args.only:
        names += ["R8 sym"] * args.long + ["T8 sym"] * args.moonshot
    header = machine_lines()
    _child("T6", "suffix", args.log)  # warm-up: fills the numba cache
    table = []
    for name in names:
        fam, d, sym, value, target_s, target_b = WORKLOADS[name]
        got = _child(name, "suffix", args.log)
        base = _child(name, "given", args.log) if name in _BASELINE else None
        if value is None:
            ok = got["refused"] is not None and got["seconds"] <= target_s
            result = f"refused: {got['refused'][:160]}…" if got["refused"] else f"{got.get('regions'):,}"
        else:
            ok = (got.get("regions") == value and got["seconds"] <= target_s
                  and got["peak"] <= target_b)
            result = (f"{got['regions']:,} = {SOURCE[fam]}" if got.get("regions") == value
                      else f"refused: {got['refused']}" if got["refused"] else f"{got.get('regions')} ≠ {value:,}")
        baseline = (f"as given: {fmt_seconds(base['seconds'])}, {_gib(base['peak'])}"
                    if base else "—")
        ratio = f"{base['seconds'] / got['seconds']:.1f}× faster" if base else "—"
        table.append([name, result, fmt_seconds(got["seconds"]), _gib(got["peak"]), baseline, ratio,
                      f"≤ {fmt_seconds(target_s)}, ≤ {target_b / 1e9:.0f} GB",
                      "**met**" if ok else "**not met**"])
    lines = ["# Counting past the frontier", "", *header, "",
             markdown_table(["count", "result", "time", "peak memory", "same-run baseline", "ratio",
                             "target", "status"], table)]
    if not args.no_first:
        cold, warm = _first_call()
        status = "**met**" if cold["first"] <= 3.0 else "**not met**"
        lines += ["", "First count in a fresh install (resonance(6) with symmetry, "
                  f"{cold['regions']:,} regions), each in a new process:", "",
                  markdown_table(["run", "count", "target", "status"], [
                      ["cold: empty numba cache", fmt_seconds(cold["first"]), "≤ 3 s", status],
                      ["warm cache, new process", fmt_seconds(warm["first"]), "—", "—"],
                      ["warm, same process", fmt_seconds(warm["warm"]), "—", "—"]])]
    lines += ["", f"Per-depth figures of every child: {args.log.name}.", ""]
    return publish(lines, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
