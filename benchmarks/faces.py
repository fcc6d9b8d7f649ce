"""Faces, face vectors and their memory: hyperarr against Sage and an LP baseline.

Run from the repository root::

    python -m benchmarks.faces                         # the table of issue 13
    python -m benchmarks.faces --sage-python PATH      # also time Sage's closed_faces() live
    python -m benchmarks.faces --sage-data FILE        # (with Sage importable) write tests/data

Each row times one call on a fresh arrangement (nothing cached), takes the
median of ``--repeats`` runs, and compares it with a baseline measured in the
same run where there is one:

* Sage's ``closed_faces()`` (passagemath), run by the interpreter given with
  ``--sage-python`` (or this one, if it imports Sage); otherwise the issue's
  figure for resonance(4) (30 s on this machine) is quoted and marked so;
* an incremental LP face enumeration (`lp_faces`, float, HiGHS through
  scipy), the textbook algorithm, on a smaller case.

Peak memory is measured in a child process per call (`peak_rss`): the
growth of its resident memory above what the process held just before the
call (Linux: the high-water mark is reset through ``/proc/self/clear_refs``,
then ``VmHWM`` is read), on a fresh arrangement, so that the intersection
lattice the call builds is counted.  It is compared with the bytes of the
returned table (its public arrays: signs, dims, points, bounded); a stream
is compared with the table its chunks add up to.  The median of
``MEMORY_REPEATS`` children is quoted.

The compiled kernels (numba, cached on disk) are loaded on their first call
in a process: about 57 MiB of LLVM and code, whatever the data (measured on
resonance(3), the smallest call that loads them).  That is a cost of the
process, not of the call, so the target rows warm them first: the child
calls ``faces()``, ``iter_faces()`` and ``regions()`` on resonance(3) and
generic(6, 3) before it measures (``kernels="warm"``).  The same call as
the first of its process (``kernels="cold"``) is reported beside it.  A
`tracemalloc` figure of the same call is kept as context (the issue's
4.28× was one).
The rows are filled first as `FaceRow` records; `format_rows` prints the
markdown table, which is written to ``benchmarks/results/faces.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linprog

from benchmarks._common import DEFAULT_OUT, SAGE_RESONANCE, machine_lines, write_text_atomic

__all__ = ["FaceRow", "lp_faces", "compute_rows", "format_rows", "main", "QUOTED_SAGE_R4"]

#: The issue's figure: Sage's closed_faces() on resonance(4), on this machine.
QUOTED_SAGE_R4 = 30.0


@dataclass(frozen=True)
class FaceRow:
    """One measured workload, its baseline and its target."""

    workload: str
    call: str
    count: str
    seconds: float
    baseline: str
    baseline_seconds: float | None
    target: str
    met: bool | None

    @property
    def ratio(self) -> str:
        if self.baseline_seconds is None or self.seconds <= 0:
            return "—"
        ratio = self.baseline_seconds / self.seconds
        return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.2f}×"


def _median(make: Callable[[], Any], call: Callable[[Any], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        A = make()
        t = time.perf_counter()
        out = call(A)
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


#: Children `peak_rss` takes the median of.
MEMORY_REPEATS = 3

#: The child of `peak_rss`: imports and (kernels warm) first calls on tiny
#: arrangements, a fresh arrangement, the high-water mark reset, one call,
#: and the growth of the resident memory.
_CHILD = r"""
import gc, json, sys, time
from hyperarr import library
def status(key):
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith(key + ":")) * 1024
make, call, lattice, kernels = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
if kernels == "warm":  # the compiled kernels loaded, on tiny arrangements, before anything is measured
    library.resonance(3).faces()
    list(library.resonance(3).iter_faces(chunk_size=7))
    library.resonance(3).regions()
    library.generic(6, 3, seed=1).regions()
A = eval(make, {"library": library})
if lattice:
    A.faces(dim=0)  # builds the whole intersection lattice
gc.collect()
try:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    before = status("VmRSS")
except (OSError, StopIteration):
    before = None
per_row = A.n + 8 + 8 * A.dim + 1  # signs, dims, points, bounded
t = time.perf_counter()
if call == "faces":
    F = A.faces(max_faces=None)
    rows = len(F)
    output = sum(a.nbytes for a in (F.signs, F.dims, F.points, F.bounded))
elif call == "regions":
    R = A.regions(max_regions=None)
    rows = len(R)
    output = R.signs.nbytes + R.points.nbytes + R.bounded.nbytes
else:
    rows = 0
    for chunk in A.iter_faces(chunk_size=int(call)):
        rows += len(chunk)
    output = rows * per_row
seconds = time.perf_counter() - t
peak = None if before is None else status("VmHWM") - before
print(json.dumps({"peak": peak, "before": before, "rows": rows, "output": output,
                  "seconds": seconds}))
"""


def peak_rss(make: str, call: str, lattice: bool = False, kernels: str = "warm",
             repeats: int = 1) -> dict[str, Any]:
    """Peak resident memory of one call, in a child process, above what it held before.

    ``make`` builds the arrangement (an expression over ``library``); ``call``
    is ``"faces"``, ``"regions"`` or a chunk size for ``iter_faces``;
    ``lattice`` builds the intersection lattice before the call;
    ``kernels`` is ``"warm"`` (the compiled kernels loaded by calls on tiny
    arrangements first) or ``"cold"`` (the call is the first of its
    process).  Returns the peak growth in bytes (None where the high-water
    mark cannot be reset), the rows, the output's bytes and the seconds:
    those of the child with the median peak of ``repeats``.
    """
    if kernels not in ("warm", "cold"):
        raise ValueError(f"kernels must be 'warm' or 'cold'; got {kernels!r}")
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", _CHILD, make, call, "1" if lattice else "0", kernels],
                             capture_output=True, text=True, check=True, timeout=1800).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    runs.sort(key=lambda m: -1 if m["peak"] is None else m["peak"])
    return runs[len(runs) // 2]


def _peak(make: Callable[[], Any], call: Callable[[Any], Any]) -> tuple[int, Any]:
    """Peak bytes traced during ``call`` on a fresh arrangement (its lattice included)."""
    A = make()
    tracemalloc.start()
    try:
        out = call(A)
        return tracemalloc.get_traced_memory()[1], out
    finally:
        tracemalloc.stop()


# ----------------------------------------------------------------------
# The LP baseline
# ----------------------------------------------------------------------


def lp_faces(normals: Any, offsets: Any, tol: float = 1e-9) -> list[tuple[int, ...]]:
    """Sign vectors of all faces by incremental linear programming (floats, a tolerance).

    Hyperplanes are inserted one at a time; every face found so far is split
    into its parts on the −, 0 and + sides of the new hyperplane, each kept
    if the LP "maximize t: σ_i (a_i·x − b_i) ≥ t (σ_i ≠ 0), a_i·x = b_i
    (σ_i = 0), t ≤ 1" has t > tol.  Rows are unit-scaled first.
    """
    W = np.asarray(normals, dtype=np.float64)
    b = np.asarray(offsets, dtype=np.float64)
    nrm = np.linalg.norm(W, axis=1)
    W, b = W / nrm[:, None], b / nrm
    n, d = W.shape
    found: list[tuple[int, ...]] = [()]
    for k in range(n):
        nxt = []
        for sig in found:
            for s in (-1, 0, 1):
                if _feasible(W[: k + 1], b[: k + 1], sig + (s,), tol):
                    nxt.append(sig + (s,))
        found = nxt
    return found


def _feasible(W: Any, b: Any, sig: tuple[int, ...], tol: float) -> bool:
    d = W.shape[1]
    s = np.array(sig)
    strict, eq = s != 0, s == 0
    c = np.zeros(d + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-s[strict, None] * W[strict], np.ones((int(strict.sum()), 1))])
    b_ub = -s[strict] * b[strict]
    A_eq = np.hstack([W[eq], np.zeros((int(eq.sum()), 1))]) if eq.any() else None
    b_eq = b[eq] if eq.any() else None
    if not strict.any():
        A_ub, b_ub = None, None
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                  bounds=[(None, None)] * d + [(None, 1.0)], method="highs-ds")
    return bool(res.status == 0 and -res.fun > tol) or (res.status == 0 and not strict.any())


# ----------------------------------------------------------------------
# Sage, in its own interpreter
# ----------------------------------------------------------------------

_SAGE_SNIPPET = SAGE_RESONANCE + """
t = time.perf_counter()
F = A.closed_faces()
seconds = time.perf_counter() - t
planes = [[int(v) for v in h.dense_coefficient_list()] for h in A.hyperplanes()]
signs = [[int(v) for v in sig] for sig, _ in F]
print(json.dumps({"faces": len(F), "seconds": seconds, "planes": planes, "signs": signs}))
"""


def _same_faces(data: dict[str, Any], signs: Any, rows: Any) -> bool:
    """Sage's closed_faces() sign vectors, its columns put in hyperarr's order, equal ``signs``."""
    # Sage's [c, a_1, ..., a_d] is c + a·x; hyperarr's row [w | θ] is w·x − θ.
    col = {tuple(p[1:]) + (-p[0],): j for j, p in enumerate(data["planes"])}
    order = [col[tuple(int(v) for v in r)] for r in rows]
    sage = {tuple(sig[j] for j in order) for sig in data["signs"]}
    return sage == {tuple(r) for r in signs.tolist()}


def sage_closed_faces(python: str | None, d: int, F: Any) -> tuple[float | None, str]:
    """Seconds of Sage's closed_faces() on resonance(d), and how it was obtained;
    its sign vectors are compared with the table ``F`` of hyperarr."""
    from hyperarr import library

    exe = python or sys.executable
    try:
        out = subprocess.run([exe, "-c", _SAGE_SNIPPET, str(d)], capture_output=True, text=True,
                             timeout=900, check=True).stdout
        data = json.loads(out.strip().splitlines()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError, KeyError):
        return None, "Sage not installed"
    same = _same_faces(data, F.signs, library.resonance(d).exact_rows)
    verdict = "the same sign vectors" if same else "DIFFERENT sign vectors"
    return float(data["seconds"]), f"Sage closed_faces(), same run ({data['faces']} faces, {verdict})"


# ----------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------


def compute_rows(repeats: int = 3, sage_python: str | None = None) -> list[FaceRow]:
    from hyperarr import library

    rows: list[FaceRow] = []
    t, F = _median(lambda: library.resonance(4), lambda A: A.faces(), repeats)
    sage_t, how = sage_closed_faces(sage_python, 4, F)
    if sage_t is None:
        sage_t, how = QUOTED_SAGE_R4, "Sage not installed: the issue's 30 s quoted"
    rows.append(FaceRow("resonance(4)", "A.faces()", f"{len(F):,} faces", t, how, sage_t,
                        "≥ 100× faster than Sage", sage_t / t >= 100))

    A3 = library.resonance(3)
    t, F = _median(lambda: library.resonance(3), lambda A: A.faces(), repeats)
    t0 = time.perf_counter()
    lp = lp_faces(A3.normals, A3.offsets)
    t_lp = time.perf_counter() - t0
    assert sorted(lp) == sorted(map(tuple, F.signs.tolist())), "the LP baseline disagrees"
    rows.append(FaceRow("resonance(3)", "A.faces()", f"{len(F):,} faces", t,
                        "incremental LP faces, same run", t_lp, "— (baseline)", None))

    t, F = _median(lambda: library.resonance(5), lambda A: A.faces(), repeats)
    rows.append(FaceRow("resonance(5)", "A.faces()", f"{len(F):,} faces", t,
                        "Sage > 8 min (issue)", None, "≤ 2 s", t <= 2.0))

    t, F = _median(lambda: library.generic(12, 4, seed=0), lambda A: A.faces(), repeats)
    rows.append(FaceRow("generic(12, 4)", "A.faces()", f"{len(F):,} faces", t, "—", None,
                        "≤ 0.5 s", t <= 0.5))

    t, fv = _median(lambda: library.resonance(6), lambda A: A.face_vector(), 1)
    t_chi, _ = _median(lambda: library.resonance(6), lambda A: A.n_regions(), 1)
    rows.append(FaceRow("resonance(6)", "A.face_vector()", f"{sum(fv):,} faces {fv}", t,
                        "A.n_regions() (f_d alone, level-by-level χ), same run", t_chi, "≤ 10 s", t <= 10.0))

    rows.extend(memory_rows())
    return rows


def _mib(b: float) -> str:
    return f"{b / 2**20:.1f} MiB"


def memory_rows(repeats: int = MEMORY_REPEATS) -> list[FaceRow]:
    """Peak memory of faces(), iter_faces() and regions(), each in a child process."""
    from hyperarr import library

    rows: list[FaceRow] = []
    regions_note = "(context: the region kernel, the top flat of faces())"
    warm = "kernels warmed on resonance(3) in the child first"
    for name, make in (("resonance(5)", "library.resonance(5)"),
                       ("generic(12, 4)", "library.generic(12, 4, seed=0)")):
        table = peak_rss(make, "faces", repeats=repeats)
        ratio = _ratio(table)
        rows.append(_memory_row(name, f"A.faces() peak memory (child RSS, median of {repeats}; {warm})",
                                table, "≤ 2× output", None if ratio is None else ratio <= 2))
        cold = peak_rss(make, "faces", kernels="cold", repeats=repeats)
        rows.append(_memory_row(name, "of which, kernels cold: A.faces() the first call of its process",
                                cold, "(context: loading the compiled kernels, a one-time cost of the "
                                f"process, is in it: {_mib((cold['peak'] or 0) - (table['peak'] or 0))} "
                                "more)"))
        rows.append(_memory_row(name, "of which without the lattice: A.faces() after A.faces(dim=0)",
                                peak_rss(make, "faces", lattice=True, repeats=repeats),
                                "(context: the lattice is the arrangement's cache)"))
        rows.append(_memory_row(name, "of which: A.regions() alone (child RSS)", peak_rss(make, "regions"),
                                regions_note))
        library.resonance(3).faces()
        A = eval(make, {"library": library})
        peak, F = _peak(lambda: A, lambda B: B.faces())
        size = sum(a.nbytes for a in (F.signs, F.dims, F.points, F.bounded))
        rows.append(FaceRow(name, "A.faces() peak memory (tracemalloc, this process)",
                            f"{_mib(peak)} peak, output {_mib(size)}", peak / size, "—", None,
                            "(context: the issue's 4.28× for resonance(5))", None))
        if name == "resonance(5)":
            for chunk in (10_000, 1_000):
                stream = peak_rss(make, str(chunk))
                assert stream["rows"] == table["rows"], (stream, table)
                rows.append(_memory_row(name, f"A.iter_faces(chunk_size={chunk:_}) peak memory (child RSS)",
                                        stream, f"(context: A.faces() {_mib(table['peak'] or 0)}, same run)"))
    big = peak_rss("library.braid(8)", "faces")
    stream = peak_rss("library.braid(8)", "10000")
    assert stream["rows"] == big["rows"], (stream, big)
    rows.append(_memory_row("braid(8)", f"A.faces() peak memory (child RSS; {warm})", big,
                            "— (context: a larger table)"))
    rows.append(_memory_row("braid(8)", "A.iter_faces(chunk_size=10_000) peak memory (child RSS)", stream,
                            f"(context: A.faces() {_mib(big['peak'] or 0)}, same run)"))
    rows.append(_memory_row("braid(8)", "of which: A.regions() alone (child RSS)",
                            peak_rss("library.braid(8)", "regions"), regions_note))
    return rows


def _ratio(m: dict[str, Any]) -> float | None:
    """Peak growth over output bytes; None where the peak could not be measured."""
    return None if m["peak"] is None else m["peak"] / m["output"]


def _memory_row(name: str, call: str, m: dict[str, Any], target: str, met: bool | None = None) -> FaceRow:
    grown = "n/a (no /proc/self/clear_refs)" if m["peak"] is None else _mib(m["peak"])
    ratio = _ratio(m)
    return FaceRow(name, call, f"{grown} above the process before, output {_mib(m['output'])} "
                   f"({m['rows']:,} rows, {m['seconds']:.2f} s)", math.nan if ratio is None else ratio,
                   "—", None, target, met)


def format_rows(rows: list[FaceRow]) -> str:
    head = ("| workload | call | output | median | baseline | baseline time | ratio | target | met |\n"
            "|---|---|---|---:|---|---:|---:|---|---|")
    lines = [head]
    for r in rows:
        memory = "peak memory" in r.call or r.call.startswith("of which")
        if memory:
            measured = "n/a" if math.isnan(r.seconds) else f"{r.seconds:.2f}× output"
        else:
            measured = f"{r.seconds:.3f} s"
        base = "—" if r.baseline_seconds is None else f"{r.baseline_seconds:.2f} s"
        met = "—" if r.met is None else ("met" if r.met else "not met")
        lines.append(f"| {r.workload} | {r.call} | {r.count} | {measured} | {r.baseline} | {base} | "
                     f"{'—' if memory else r.ratio} | {r.target} | {met} |")
    return "\n".join(lines) + "\n"


def _sage_data(path: str, python: str | None) -> None:  # pragma: no cover - needs Sage
    """Write the Sage-produced expected values of tests/test_faces.py (then reflow with one case a line)."""
    script = Path(__file__).with_name("_sage_faces_data.py")
    out = subprocess.run([python or sys.executable, str(script)], capture_output=True, text=True,
                         check=True).stdout
    Path(path).write_text(out, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.faces", description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--sage-python", default=None, help="an interpreter that imports Sage (passagemath)")
    p.add_argument("--out", default=str(DEFAULT_OUT))
    p.add_argument("--sage-data", default=None, metavar="FILE")
    args = p.parse_args(argv)
    if args.sage_data:
        _sage_data(args.sage_data, args.sage_python)
        return 0
    rows = compute_rows(args.repeats, args.sage_python)
    text = "# Faces (issues 13 and 25)\n\n" + "\n".join(machine_lines()) + "\n\n" + format_rows(rows)
    print(text)
    write_text_atomic(Path(args.out) / "faces.md", text)
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
