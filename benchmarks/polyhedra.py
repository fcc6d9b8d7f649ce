"""Regions as polyhedra: facets, V-representations and volumes, against Sage, pycddlib and baselines.

Run from the repository root::

    python -m benchmarks.polyhedra                         # pycddlib and the Fraction baselines
    python -m benchmarks.polyhedra --sage-python PATH      # also time Sage live

The four workloads of issue 26, each with its baseline measured in the same
run (median of ``--repeats`` runs where a run is short, one run otherwise):

* the facets of every region of resonance(5): hyperarr's ``R.facets()``
  against Sage's ``regions()`` followed by each region's ``inequalities()``
  (passagemath, run by the interpreter given with ``--sage-python``); Sage's
  facets are mapped back to hyperplanes and compared, region by region;
* ``R.polyhedron(k)`` for every region of generic(12, 4), vertices and rays,
  against pycddlib's exact (GMP) H→V conversion of each region's
  inequalities; the vertices are compared exactly;
* ``volume(domain=box)`` of every region of generic(15, 5) in [−1, 1]^5,
  against one exact triangulation per region written here (pycddlib's exact
  vertices, a Delaunay triangulation of them, Fraction determinants); the
  volumes are compared region by region and their sum with the box's;
* ``R.facets()`` of generic(20, 8) against ``adjacency_matrix()``.

The table is written to ``benchmarks/results/polyhedra.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._common import DEFAULT_OUT, SAGE_RESONANCE, machine_lines, write_text_atomic

__all__ = ["Row", "compute_rows", "format_rows", "main", "cdd_vertices", "fraction_volume"]


@dataclass(frozen=True)
class Row:
    """One workload: hyperarr's time, the baseline's (same run) and the target."""

    workload: str
    call: str
    count: str
    seconds: float
    baseline: str
    baseline_seconds: float | None
    target: str
    met: bool | None
    check: str

    @property
    def ratio(self) -> str:
        if self.baseline_seconds is None:
            return "—"
        return f"{self.baseline_seconds / self.seconds:.2f}×"


def _median(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


# ----------------------------------------------------------------------
# Baselines: pycddlib (exact) and an exact Fraction triangulation
# ----------------------------------------------------------------------


def _region_rows(A: Any, signs: Any) -> list[list[Fraction]]:
    """cdd H-rows [b, a] (b + a·x ≥ 0) of the closed region with these signs."""
    out = []
    for row, s in zip(A.exact_rows, signs):
        # s (w·x − θ) ≥ 0  ⇔  −sθ + s w·x ≥ 0
        out.append([Fraction(-s * row[-1])] + [Fraction(s * v) for v in row[:-1]])
    return out


def cdd_vertices(rows: list[list[Fraction]]) -> tuple[list[tuple[Fraction, ...]], list[tuple[Fraction, ...]]]:
    """The vertices and rays of {x : rows ≥ 0} by pycddlib's exact (GMP) double description."""
    import cdd
    import cdd.gmp

    mat = cdd.gmp.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY)
    P = cdd.gmp.polyhedron_from_matrix(mat)
    gen = cdd.gmp.copy_generators(P)
    verts, rays = [], []
    for r in gen.array:
        if r[0] == 1:
            verts.append(tuple(Fraction(v) for v in r[1:]))
        else:
            rays.append(tuple(Fraction(v) for v in r[1:]))
    return verts, rays


def _det(M: list[list[Fraction]]) -> Fraction:
    a = [row[:] for row in M]
    n, det = len(a), Fraction(1)
    for c in range(n):
        p = next((i for i in range(c, n) if a[i][c]), None)
        if p is None:
            return Fraction(0)
        if p != c:
            a[c], a[p] = a[p], a[c]
            det = -det
        det *= a[c][c]
        for i in range(c + 1, n):
            f = a[i][c] / a[c][c]
            if f:
                a[i] = [x - f * y for x, y in zip(a[i], a[c])]
    return det


def fraction_volume(verts: list[tuple[Fraction, ...]], d: int) -> Fraction:
    """The volume of conv(verts): a Delaunay triangulation of the vertices (qhull, floats),
    each simplex's volume an exact Fraction determinant."""
    from scipy.spatial import Delaunay

    if len(verts) <= d:
        return Fraction(0)
    tri = Delaunay(np.array([[float(v) for v in p] for p in verts]))
    total = Fraction(0)
    for s in tri.simplices.tolist():
        v0 = verts[s[0]]
        total += abs(_det([[a - b for a, b in zip(verts[k], v0)] for k in s[1:]]))
    return total / math.factorial(d)


# ----------------------------------------------------------------------
# Sage, in its own interpreter
# ----------------------------------------------------------------------

_SAGE_SNIPPET = SAGE_RESONANCE + """
t = time.perf_counter()
R = A.regions()
t_regions = time.perf_counter() - t
t = time.perf_counter()
ineqs = [r.inequalities() for r in R]
t_ineqs = time.perf_counter() - t
out = []
for r, ie in zip(R, ineqs):
    p = r.representative_point()
    out.append([[str(v) for v in p], [[int(v) for v in q.A()] for q in ie]])
print(json.dumps({"regions": len(R), "t_regions": t_regions, "t_ineqs": t_ineqs, "data": out}))
"""


def _sage_facets(python: str | None, d: int, A: Any, F: Any) -> tuple[float | None, float | None, str]:
    """Sage's seconds for regions() and for the inequalities of every region, and a verdict:
    each Sage region's facet hyperplanes against the row of ``F`` for its point."""
    exe = python or sys.executable
    try:
        out = subprocess.run([exe, "-c", _SAGE_SNIPPET, str(d)], capture_output=True, text=True,
                             timeout=1800, check=True).stdout
        data = json.loads(out.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return None, None, "Sage timed out after 1800 s"
    except (OSError, subprocess.SubprocessError, ValueError, IndexError, KeyError):
        return None, None, "Sage not installed"
    canon = {}
    for k, row in enumerate(A.exact_rows):
        canon[tuple(int(v) for v in row[:-1])] = k
    R = A.regions()
    same = compared = 0
    for point, normals in data["data"]:
        x = np.array([[Fraction(v) for v in point]], dtype=object)
        k = int(R.locate(A.signs(x))[0])
        if k < 0:
            continue
        compared += 1
        theirs = set()
        for a in normals:
            g = math.gcd(*a)
            v = tuple(x // g for x in a)
            theirs.add(canon.get(v, canon.get(tuple(-x for x in v), -1)))
        ours = set(F.indices[F.indptr[k]:F.indptr[k + 1]].tolist())
        same += theirs == ours
    verdict = f"{same:,} of {compared:,} regions compared: the same facets"
    return float(data["t_regions"]), float(data["t_ineqs"]), verdict


# ----------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------


def _facets_row(repeats: int, sage_python: str | None) -> list[Row]:
    from hyperarr import library

    A = library.resonance(5)
    t_regions, R = _median(lambda: library.resonance(5).regions(), 1)
    A.regions()  # the table is there; R.facets() alone is timed next
    t, F = _median(lambda: A.region_facets(), repeats)
    t_reg, t_ineq, how = _sage_facets(sage_python, 5, A, F)
    total_sage = None if t_reg is None or t_ineq is None else t_reg + t_ineq
    # Sage computes each region's polyhedron, its inequalities included, in regions(): the
    # facets of every region cost regions() + inequalities() there, and A.regions() +
    # R.facets() here, each starting from the arrangement.
    rows = [Row("resonance(5)", "A.regions() + R.facets(), from the arrangement",
                f"{len(R):,} regions, {F.nnz:,} facets", t_regions + t,
                "Sage: regions(), then each region's inequalities(), same run", total_sage,
                "≥ 100× faster", None if total_sage is None else total_sage / (t_regions + t) >= 100, how)]
    rows.append(Row("resonance(5)", "R.facets() alone (the table given)", f"{F.nnz:,} facets", t,
                    "Sage: inequalities() alone (stored by regions())", t_ineq, "(context)", None, "—"))
    return rows


def _vrep_row(repeats: int) -> Row:
    from hyperarr import library

    library.generic(7, 4, seed=1).regions().polyhedron(0)  # compiled kernels warm
    A = library.generic(12, 4, seed=0)
    R = A.regions()

    def ours() -> tuple[float, list[Any]]:
        # a fresh table each time: R.facets() and the vertex incidences are timed too
        fresh = library.generic(12, 4, seed=0).regions()
        t0 = time.perf_counter()
        out = [fresh.polyhedron(k) for k in range(len(fresh))]
        return time.perf_counter() - t0, out

    def theirs() -> list[Any]:
        return [cdd_vertices(_region_rows(A, s)) for s in R.signs.tolist()]

    runs = [ours() for _ in range(repeats)]
    t, P = statistics.median(r[0] for r in runs), runs[-1][1]
    tb, C = _median(theirs, repeats)
    same = sum(sorted(tuple(v) for v in p.vertices.tolist()) == sorted(c[0]) and
               len(p.rays) == len(c[1]) for p, c in zip(P, C))
    check = f"the same vertices (and as many rays) in {same} of {len(R)} regions"
    return Row("generic(12, 4)", "R.polyhedron(k), every k, vertices and rays", f"{len(R):,} regions",
               t, "pycddlib 3 (cdd.gmp, exact) H→V per region, same run", tb, "≥ 10× faster",
               tb / t >= 10 and same == len(R), check)


def _volume_row() -> Row:
    from hyperarr import library
    from hyperarr.domain import Box

    box = Box([-1] * 5, [1] * 5)
    library.generic(8, 5, seed=1).regions().polyhedron(0).volume(domain=box)  # kernels warm
    A = library.generic(15, 5, seed=0)
    R = A.regions()  # not timed; R.facets() and the incidences are

    t0 = time.perf_counter()
    ours = [R.polyhedron(k).volume(domain=box) for k in range(len(R))]
    t = time.perf_counter() - t0

    box_rows = []
    for j in range(5):
        e = [Fraction(0)] * 5
        e[j] = Fraction(-1)
        box_rows.append([Fraction(1)] + e)  # 1 − x_j ≥ 0
        e = [Fraction(0)] * 5
        e[j] = Fraction(1)
        box_rows.append([Fraction(1)] + e)  # 1 + x_j ≥ 0
    t0 = time.perf_counter()
    theirs = [fraction_volume(cdd_vertices(_region_rows(A, s) + box_rows)[0], 5) for s in R.signs.tolist()]
    tb = time.perf_counter() - t0
    total = sum(ours, Fraction(0))
    agree = sum(a == b for a, b in zip(ours, theirs))
    check = (f"sum = {total} (the box: 32, {'exact' if total == 32 else 'WRONG'}); "
             f"{agree} of {len(R)} volumes equal the baseline's")
    return Row("generic(15, 5) in [−1, 1]^5", "R.polyhedron(k).volume(domain=box), every k",
               f"{len(R):,} regions, {sum(v > 0 for v in ours):,} in the box", t,
               "exact Fraction triangulation per region (cdd.gmp vertices, Delaunay, Fraction dets), same run",
               tb, "≥ 10× faster, sum exact", tb / t >= 10 and total == 32, check)


def _matrix_row(repeats: int) -> Row:
    from hyperarr import library

    A = library.generic(20, 8, seed=0)
    R = A.regions(max_regions=None)
    A.adjacency_matrix()
    t, F = _median(lambda: A.region_facets(), repeats)
    tb, M = _median(lambda: A.adjacency_matrix(), repeats)
    Fc, Mc = F.tocoo(), M.tocoo()
    same = (sorted(zip(Fc.row.tolist(), (Fc.data - 1).tolist(), Fc.col.tolist()))
            == sorted(zip(Mc.row.tolist(), Mc.col.tolist(), (Mc.data - 1).tolist())))
    return Row("generic(20, 8)", "R.facets()", f"{len(R):,} regions, {F.nnz:,} facets", t,
               "A.adjacency_matrix(), same run", tb, "≤ 2× its time", t <= 2 * tb and same,
               "the same pairs as the adjacency matrix" if same else "DIFFERENT pairs")


def compute_rows(repeats: int = 3, sage_python: str | None = None) -> list[Row]:
    rows = _facets_row(repeats, sage_python)
    rows.append(_vrep_row(repeats))
    rows.append(_volume_row())
    rows.append(_matrix_row(repeats))
    return rows


def format_rows(rows: list[Row]) -> str:
    head = ("| workload | call | output | median | baseline | baseline time | ratio | target | met | check |\n"
            "|---|---|---|---:|---|---:|---:|---|---|---|")
    lines = [head]
    for r in rows:
        base = "—" if r.baseline_seconds is None else f"{r.baseline_seconds:.3f} s"
        met = "—" if r.met is None else ("met" if r.met else "not met")
        lines.append(f"| {r.workload} | {r.call} | {r.count} | {r.seconds:.3f} s | {r.baseline} | {base} | "
                     f"{r.ratio} | {r.target} | {met} | {r.check} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.polyhedra", description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--sage-python", default=None, help="an interpreter that imports Sage (passagemath)")
    p.add_argument("--out", default=str(DEFAULT_OUT))
    args = p.parse_args(argv)
    rows = compute_rows(args.repeats, args.sage_python)
    text = ("# Regions as polyhedra (issue 26)\n\n" + "\n".join(machine_lines(seed=0)) + "\n\n"
            + format_rows(rows))
    print(text)
    write_text_atomic(Path(args.out) / "polyhedra.md", text)
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
