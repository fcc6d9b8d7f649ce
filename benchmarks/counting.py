"""Counting regions at the frontier: χ of the threshold and resonance arrangements.

Usage::

    python -m benchmarks.counting              # T6, R6, R7, T7 (about 3 minutes)
    python -m benchmarks.counting --quick      # T6 and R6 only
    python -m benchmarks.counting --moonshot   # also R8 (long; a moonshot)

Every workload runs in a fresh child process (its peak resident memory is
the child's), after one warm-up run that compiles the loops (numba caches
them on disk).  The same-run baseline is the previous algorithm,
deletion–restriction over the whole intersection lattice
(``hyperarr.characteristic._lattice_chi``), where it finishes; Sage's
``n_regions()`` is timed in the same run when Sage (passagemath) is
importable, and quoted otherwise.  CountingChambers' figures are quoted from
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

#: name -> (family, d, symmetry?, known regions (OEIS), anchor, target seconds)
WORKLOADS: dict[str, tuple[str, int, bool, int, str, float]] = {
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
_DEFAULT = ("T6", "T6 sym", "R6", "R7", "R7 sym", "T7 sym")


@dataclass(frozen=True)
class CountingRow:
    name: str
    regions: int
    expected: int
    seconds: float
    runs: int
    peak_bytes: int
    baseline: str
    ratio: float | None
    anchor: str
    target: float

    @property
    def met(self) -> bool:
        return (self.regions == self.expected and self.seconds <= self.target
                and self.peak_bytes <= PEAK_TARGET)


COLUMNS: tuple[Column[CountingRow], ...] = (
    Column("workload", lambda r: r.name),
    Column("regions", lambda r: f"{r.regions:,}" + ("" if r.regions == r.expected else " (WRONG)"), "r"),
    Column("hyperarr (median)", lambda r: f"{fmt_seconds(r.seconds)} ({r.runs} run{'s' * (r.runs > 1)})", "r"),
    Column("peak memory", lambda r: f"{r.peak_bytes / 2**30:.2f} GiB", "r"),
    Column("same-run baseline", lambda r: r.baseline),
    Column("ratio", lambda r: "—" if r.ratio is None else f"{r.ratio:.0f}× faster", "r"),
    Column("anchor (quoted)", lambda r: r.anchor),
    Column("target", lambda r: f"≤ {fmt_seconds(r.target)}, ≤ 4 GB"),
    Column("status", lambda r: "**met**" if r.met else "not met"),
)


def _child(name: str, lattice: bool = False, sage: bool = False) -> dict[str, object]:
    """Run one count in a fresh interpreter; its time, result and peak RSS."""
    code = (
        "import json, resource, time, sys\n"
        "from benchmarks.counting import _one\n"
        f"print(json.dumps(_one({name!r}, lattice={lattice}, sage={sage})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, timeout=7200)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _one(name: str, lattice: bool = False, sage: bool = False) -> dict[str, object]:
    """In the child: build the arrangement, count, report."""
    import resource

    from hyperarr import library

    family, d, sym, _, _, _ = WORKLOADS[name]
    A = getattr(library, family)(d)
    gens = getattr(library, f"{family}_symmetry")(d) if sym else None
    t = time.perf_counter()
    if sage:
        from benchmarks.enumeration.sage import import_sage

        HA, QQ, _ = import_sage()
        data = [[0] + [int(v) for v in row] for row in A.normals.astype(int).tolist()]
        regions = int(HA(QQ, tuple(f"x{i}" for i in range(A.dim)))(data).n_regions())
    elif lattice:
        from hyperarr.characteristic import _lattice_chi

        chi = _lattice_chi(A)
        regions = abs(sum(c * (-1) ** k for k, c in enumerate(chi)))
    else:
        regions = A.n_regions(gens)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"regions": regions, "seconds": seconds, "peak": peak}


def _sage_available() -> bool:
    try:
        from benchmarks.enumeration.sage import import_sage

        import_sage()
    except Exception:
        return False
    return True


def measure(name: str, repeats: int) -> CountingRow:
    family, d, sym, expected, anchor, target = WORKLOADS[name]
    runs = [_child(name) for _ in range(repeats)]
    bad = [r for r in runs if "error" in r]
    if bad:
        raise RuntimeError(f"{name}: {bad[0]['error']}")
    seconds = statistics.median(float(r["seconds"]) for r in runs)  # type: ignore[arg-type]
    peak = max(int(r["peak"]) for r in runs)  # type: ignore[call-overload]
    regions = int(runs[0]["regions"])  # type: ignore[call-overload]
    baseline, ratio = "—", None
    if name in ("R6",) or (d <= 5):
        b = _child(name, lattice=True)
        if "error" in b:
            baseline = f"lattice: {b['error'][:60]}"
        else:
            bs = float(b["seconds"])  # type: ignore[arg-type]
            baseline, ratio = f"lattice {fmt_seconds(bs)}", bs / seconds
    elif name == "T6":
        baseline = "lattice: refused after 72 s (over max_flats, as reported in the issue)"
    if _sage_available() and name == "R6":
        s = _child(name, sage=True)
        if "error" not in s:
            ss = float(s["seconds"])  # type: ignore[arg-type]
            baseline += f"; Sage {fmt_seconds(ss)}"
    return CountingRow(name, regions, expected, seconds, repeats, peak, baseline, ratio, anchor, target)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.counting", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="T6 and R6 only")
    ap.add_argument("--moonshot", action="store_true", help="also R8 with symmetry (long)")
    ap.add_argument("--only", default=None, help="comma list of workload names, e.g. 'T6,R7 sym'")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for counting.md")
    args = ap.parse_args(argv)
    names = list(_QUICK if args.quick else _DEFAULT)
    if args.only:
        names = [n.strip() for n in args.only.split(",")]
    if args.moonshot:
        names.append("R8 sym")
    _child("R6")  # warm-up: compile the loops once (numba caches them)
    rows = []
    for name in names:
        repeats = 3 if WORKLOADS[name][5] <= 5 else 1
        rows.append(measure(name, repeats))
        print(f"{name}: {fmt_seconds(rows[-1].seconds)}", file=sys.stderr, flush=True)
    sage = "importable" if _sage_available() else "not installed (Sage's figures are quoted)"
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
