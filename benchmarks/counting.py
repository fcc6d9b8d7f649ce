"""Counting regions at the frontier: χ of the threshold and resonance arrangements.

Usage::

    python -m benchmarks.counting              # T6, R6, R7, T7 (about 3 minutes)
    python -m benchmarks.counting --quick      # T6 and R6 only
    python -m benchmarks.counting --moonshot   # also R8 (long; a moonshot)

Every workload runs in a fresh child process (its peak resident memory is
the child's), after one warm-up run that compiles the loops (numba caches
them on disk).  In the child, the first call pays for importing numba and
loading the compiled loops (about half a second); it is reported apart,
and the median of the calls after it is the figure compared with the
targets (CountingChambers' figures are likewise after Julia's compilation).  The same-run baseline is the previous algorithm,
deletion–restriction over the whole intersection lattice
(``hyperarr.characteristic._lattice_chi``), where it finishes, and for the
rows with symmetry the same count without it (by key alone); Sage's
``n_regions()`` is timed in the same run with ``--sage-python PYTHON``
(an interpreter that imports passagemath), and quoted otherwise.  CountingChambers' figures are quoted from
Brysiewicz–Eble–Kühne (arXiv 2105.14542, a laptop, Julia).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import DEFAULT_OUT, Column, fmt_seconds, format_table, machine_lines, write_text_atomic

__all__ = ["main", "WORKLOADS"]

#: name -> (family, d, symmetry?, known regions (OEIS), anchor, target seconds or None)
WORKLOADS: dict[str, tuple[str, int, bool, int, str, float | None]] = {
    "T4": ("threshold", 4, False, 1882, "—", None),
    "R5": ("resonance", 5, False, 11292, "—", None),
    "T6": ("threshold", 6, False, 15028134, "CountingChambers 9.95 s", 5.0),
    "T6 sym": ("threshold", 6, True, 15028134, "CountingChambers 0.39 s", 0.4),
    "R6": ("resonance", 6, False, 1066044, "Sage 742 s", 0.5),
    "R7": ("resonance", 7, False, 347326352, "—", 120.0),
    "R7 sym": ("resonance", 7, True, 347326352, "CountingChambers 5.07 s", 5.0),
    "T7 sym": ("threshold", 7, True, 8378070864, "known since 1970", 60.0),
    "R8 sym": ("resonance", 8, True, 419172756930, "CountingChambers (time unpublished)", 1800.0),
}
#: Peak memory target of every row (bytes).
PEAK_TARGET = 4 * 10**9
_QUICK = ("T6", "T6 sym", "R6")
_DEFAULT = ("T4", "R5", "T6", "T6 sym", "R6", "R7", "R7 sym", "T7 sym")
#: Workloads on which Sage's n_regions() is timed when --sage-python is given
#: (R6 takes Sage about 742 s, so it is quoted instead).
_SAGE = ("T4", "R5")

#: The Sage child: builds the family's rows itself (it needs Sage, not hyperarr).
_SAGE_CODE = """
import itertools, json, sys, time
try:
    import sage.all
except ImportError:
    import sage.all__sagemath_polyhedra
from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements
from sage.rings.rational_field import QQ
fam, d = sys.argv[1], int(sys.argv[2])
rows = [list(v) for v in itertools.product((0, 1), repeat=d)]
rows = rows[1:] if fam == "resonance" else [r + [1] for r in rows]
H = HyperplaneArrangements(QQ, tuple(f"x{i}" for i in range(len(rows[0]))))([[0] + r for r in rows])
t = time.perf_counter()
n = int(H.n_regions())
print(json.dumps({"regions": n, "seconds": time.perf_counter() - t}))
"""


@dataclass(frozen=True)
class CountingRow:
    name: str
    regions: int
    expected: int
    seconds: float
    runs: int
    first: float
    peak_bytes: int
    baseline: str
    ratio: float | None
    anchor: str
    target: float | None

    @property
    def status(self) -> str:
        if self.regions != self.expected:
            return "WRONG COUNT"
        if self.target is None:
            return "comparison"
        ok = self.seconds <= self.target and self.peak_bytes <= PEAK_TARGET
        return "**met**" if ok else "not met"


COLUMNS: tuple[Column[CountingRow], ...] = (
    Column("workload", lambda r: r.name),
    Column("regions", lambda r: f"{r.regions:,}" + ("" if r.regions == r.expected else " (WRONG)"), "r"),
    Column("hyperarr (median)", lambda r: f"{fmt_seconds(r.seconds)} ({r.runs} run{'s' * (r.runs > 1)})", "r"),
    Column("first call, fresh process", lambda r: fmt_seconds(r.first), "r"),
    Column("peak memory", lambda r: f"{r.peak_bytes / 2**30:.2f} GiB", "r"),
    Column("same-run baseline", lambda r: r.baseline),
    Column("ratio", lambda r: "—" if r.ratio is None
           else f"{r.ratio:.{0 if r.ratio >= 10 else 1}f}× faster", "r"),
    Column("anchor (quoted)", lambda r: r.anchor),
    Column("target", lambda r: "—" if r.target is None else f"≤ {fmt_seconds(r.target)}, ≤ 4 GB"),
    Column("status", lambda r: r.status),
)


def _child(name: str, lattice: bool = False, plain: bool = False, repeats: int = 0) -> dict[str, object]:
    """Run one count in a fresh interpreter, then ``repeats`` more in it;
    the first time, the others, the result and the peak RSS."""
    code = (
        "import json, resource, time, sys\n"
        "from benchmarks.counting import _one\n"
        f"print(json.dumps(_one({name!r}, lattice={lattice}, plain={plain}, repeats={repeats})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, timeout=7200)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _sage(python: str, name: str) -> dict[str, object]:
    family, d = WORKLOADS[name][:2]
    out = subprocess.run([python, "-c", _SAGE_CODE, family, str(d)], capture_output=True,
                         text=True, timeout=3600)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _one(name: str, lattice: bool = False, plain: bool = False, repeats: int = 0) -> dict[str, object]:
    """In the child: build the arrangement, count (``plain``: without the
    workload's symmetry) once and ``repeats`` times more, report."""
    import resource

    from hyperarr import library

    family, d, sym, _, _, _ = WORKLOADS[name]
    A = getattr(library, family)(d)
    gens = getattr(library, f"{family}_symmetry")(d) if sym and not plain else None
    times = []
    for _ in range(1 + repeats):
        B = getattr(library, family)(d)  # a new value: no cache carries over
        t = time.perf_counter()
        if lattice:
            from hyperarr.characteristic import _lattice_chi

            chi = _lattice_chi(B)
            regions = abs(sum(c * (-1) ** k for k, c in enumerate(chi)))
        else:
            regions = B.n_regions(gens)
        times.append(time.perf_counter() - t)
    del A
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"regions": regions, "first": times[0], "seconds": times[1:] or times, "peak": peak}


def measure(name: str, repeats: int, sage_python: str | None) -> CountingRow:
    family, d, sym, expected, anchor, target = WORKLOADS[name]
    run = _child(name, repeats=repeats if repeats > 1 else 0)
    if "error" in run:
        raise RuntimeError(f"{name}: {run['error']}")
    seconds = statistics.median(run["seconds"])  # type: ignore[arg-type]
    first = float(run["first"])  # type: ignore[arg-type]
    peak = int(run["peak"])  # type: ignore[call-overload]
    regions = int(run["regions"])  # type: ignore[call-overload]
    baseline, ratio = "—", None
    if d <= 6 and family == "resonance" or d <= 5:
        b = _child(name, lattice=True)
        if "error" in b:
            baseline = f"lattice: {b['error'][:60]}"
        else:
            bs = float(b["first"])  # type: ignore[arg-type]
            baseline, ratio = f"lattice {fmt_seconds(bs)}", bs / seconds
    elif name == "T6":
        baseline = "lattice: refused after 72 s (over max_flats, as reported in the issue)"
    if sym and name != "R8 sym":
        b = _child(name, plain=True, repeats=repeats if repeats > 1 else 0)
        if "error" in b:
            baseline = f"without symmetry: {str(b['error'])[:60]}"
        else:
            bs = statistics.median(b["seconds"])  # type: ignore[arg-type]
            assert b["regions"] == regions, (name, b)
            baseline, ratio = f"same count without symmetry {fmt_seconds(bs)}", bs / seconds
    elif sym:
        baseline = "without symmetry: refused at depth 4 (over memory), as measured before"
    if sage_python and name in _SAGE:
        sg = _sage(sage_python, name)
        if "error" in sg:
            baseline += f"; Sage: {str(sg['error'])[:60]}"
        else:
            ss = float(sg["seconds"])  # type: ignore[arg-type]
            assert sg["regions"] == expected, (name, sg)
            baseline += f"; Sage n_regions() {fmt_seconds(ss)} ({ss / seconds:.0f}×)"
    return CountingRow(name, regions, expected, seconds, max(1, repeats if repeats > 1 else 1), first,
                       peak, baseline, ratio, anchor, target)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.counting", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="T6 and R6 only")
    ap.add_argument("--moonshot", action="store_true", help="also R8 with symmetry (long)")
    ap.add_argument("--only", default=None, help="comma list of workload names, e.g. 'T6,R7 sym'")
    ap.add_argument("--sage-python", default=None,
                    help="an interpreter that imports Sage (passagemath): times Sage's n_regions() "
                         f"on {', '.join(_SAGE)} in the same run")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for counting.md")
    args = ap.parse_args(argv)
    names = list(_QUICK if args.quick else _DEFAULT)
    if args.only:
        names = [n.strip() for n in args.only.split(",")]
    if args.moonshot:
        names.append("R8 sym")
    _child("R6")  # warm-up: compile the loops once (numba caches them)
    _child("T6 sym")
    rows = []
    for name in names:
        target = WORKLOADS[name][5]
        repeats = 3 if target is None or target <= 5 else 1
        rows.append(measure(name, repeats, args.sage_python))
        print(f"{name}: {fmt_seconds(rows[-1].seconds)}", file=sys.stderr, flush=True)
    sage = (f"timed with --sage-python on {', '.join(_SAGE)}" if args.sage_python
            else "not given (--sage-python); Sage's figures are quoted")
    text = "\n".join([
        "# Counting regions at the frontier",
        "",
        *machine_lines(extra=[f"- Sage (passagemath): {sage}"]),
        "",
        format_table(COLUMNS, rows),
        "",
    ])
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(args.out / ("counting_quick.md" if args.quick else "counting.md"), text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
