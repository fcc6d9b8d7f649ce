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

Peak memory is measured with `tracemalloc` in a separate run and compared
with the bytes of the returned table (signs, dims, points, bounded).
The rows are filled first as `FaceRow` records; `format_rows` prints the
markdown table, which is written to ``benchmarks/results/faces.md``.
"""

from __future__ import annotations

import argparse
import json
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

    library.generic(6, 3, seed=1).faces()  # imports done before memory is traced
    for name, make in (("resonance(5)", lambda: library.resonance(5)),
                       ("generic(12, 4)", lambda: library.generic(12, 4, seed=0))):
        peak, F = _peak(make, lambda A: A.faces())
        size = sum(a.nbytes for a in (F.signs, F.dims, F.points, F.bounded))
        rows.append(FaceRow(name, "A.faces() peak memory (tracemalloc)",
                            f"{peak / 2**20:.1f} MiB peak, output {size / 2**20:.1f} MiB",
                            peak / size, "—", None, "≤ 2× output", peak <= 2 * size))
        regions_peak, R = _peak(make, lambda A: A.regions())
        rsize = R.signs.nbytes + R.points.nbytes + R.bounded.nbytes
        rows.append(FaceRow(name, "of which: A.regions() alone, peak memory",
                            f"{regions_peak / 2**20:.1f} MiB peak, output {rsize / 2**20:.2f} MiB",
                            regions_peak / rsize, "—", None, "(context: the region kernel)", None))
    return rows


def format_rows(rows: list[FaceRow]) -> str:
    head = ("| workload | call | output | median | baseline | baseline time | ratio | target | met |\n"
            "|---|---|---|---:|---|---:|---:|---|---|")
    lines = [head]
    for r in rows:
        memory = "peak memory" in r.call
        measured = f"{r.seconds:.2f}× output" if memory else f"{r.seconds:.3f} s"
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
    text = "# Faces (issue 13)\n\n" + "\n".join(machine_lines()) + "\n\n" + format_rows(rows)
    print(text)
    write_text_atomic(Path(args.out) / "faces.md", text)
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
