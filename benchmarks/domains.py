"""Regions inside a box: hyperarr's exact count against a baseline in the same run.

Two workloads, both seeded:

- the regioncam case: a random ``Linear(2, 30)`` layer (torch's default
  initialization, U(−1/√2, 1/√2), in float32) on the square [−1, 1]²,
  checked against shapely: the 30 lines and the square's boundary are
  noded and polygonized, and the faces inside the square are counted;
- ``library.generic(20, 6)`` in the box [−1, 1]^6, against a brute-force LP
  baseline: every region of the whole arrangement (``A.regions()``), then
  one HiGHS LP per region asking whether it meets the open box.

hyperarr answers a box by the lowest vertex of each cell (exact integer
minors) where that applies, as for ``generic(20, 6)``, and otherwise by the
face descent (the regioncam layer's float32 weights make integers too large
for the int64 minors).

hyperarr is timed on a fresh arrangement each run (nothing cached); the
table gives medians, the baseline's time, the ratio, whether the two agree
exactly (same count, and for the LP baseline the same sign vectors), the
target and met / not met.

Usage, from the repository root::

    python -m benchmarks.domains [--out DIR] [--repeat K]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from benchmarks._common import (
    DEFAULT_OUT,
    Column,
    fmt_seconds,
    format_table,
    machine_lines,
    write_text_atomic,
)

__all__ = ["Row", "lp_meets_box", "main", "measure", "regioncam_layer", "shapely_count"]


@dataclass(frozen=True)
class Row:
    workload: str
    regions: int
    whole_space: int
    seconds: float
    baseline: str
    baseline_seconds: float
    agree: bool
    target: float

    @property
    def status(self) -> str:
        return timed_status(self.seconds, self.target, self.agree)


def timed_status(seconds: float, target: float, agree: bool) -> str:
    """"met (t ≤ target)" when the answer agrees with its baseline and is in time; else "not met (...)"."""
    verdict = "met" if agree and seconds <= target else "not met"
    rel = "≤" if seconds <= target else ">"
    tail = "" if agree else "; disagrees with the baseline"
    return f"{verdict} ({fmt_seconds(seconds)} {rel} {fmt_seconds(target)}{tail})"


def regioncam_layer(seed: int = 0):  # type: ignore[no-untyped-def]
    """A Linear(2, 30) layer as torch initializes it (float32), as an Arrangement."""
    import hyperarr as ha

    rng = np.random.default_rng(seed)
    bound = 1 / np.sqrt(2)
    W = rng.uniform(-bound, bound, size=(30, 2)).astype(np.float32)
    b = rng.uniform(-bound, bound, size=30).astype(np.float32)
    return ha.Arrangement.from_linear(W, b)


def shapely_count(A, lo: float, hi: float) -> int:  # type: ignore[no-untyped-def]
    """Faces of the lines of A inside the square [lo, hi]², by shapely's polygonize."""
    import shapely

    box = shapely.box(lo, lo, hi, hi)
    lines = []
    span = 10 * (hi - lo)
    for w, c in zip(A.normals, A.offsets):  # w · x = c
        p = c * w / (w @ w)
        t = np.array([-w[1], w[0]]) / np.linalg.norm(w) * span
        lines.append(shapely.LineString([p - t, p + t]).intersection(box))
    noded = shapely.union_all([box.boundary, *[g for g in lines if not g.is_empty]])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    return sum(1 for f in faces if f.area > 0)


def lp_meets_box(A, lo: float, hi: float) -> set[tuple[int, ...]]:  # type: ignore[no-untyped-def]
    """Brute force: every region of A, one LP each (does it meet the open box?)."""
    from scipy.optimize import linprog

    d = A.dim
    a, b = A.normals, A.offsets
    norms = np.linalg.norm(a, axis=1)
    out = set()
    bounds = [(lo, hi)] * d + [(None, 1.0)]
    for s in A.regions(max_regions=None).signs:
        # max r: s_i (a_i x − b_i) ≥ r |a_i|, lo + r ≤ x ≤ hi − r (through the bounds: r ≤ slack)
        A_ub = np.vstack([np.c_[-(s[:, None] * a), norms],
                          np.c_[np.eye(d), np.ones(d)], np.c_[-np.eye(d), np.ones(d)]])
        b_ub = np.r_[-(s * b), np.full(d, hi), np.full(d, -lo)]
        res = linprog(np.r_[np.zeros(d), -1.0], A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
        if res.status == 0 and -res.fun > 1e-9:
            out.add(tuple(int(v) for v in s))
    return out


def _median(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(repeat: int) -> list[Row]:
    from hyperarr import library

    rows = []
    # The regioncam case.
    t, got = _median(lambda: regioncam_layer().n_regions(domain=(-1, 1)), repeat)
    t_regions, R = _median(lambda: regioncam_layer().regions(domain=(-1, 1)), repeat)
    tb, want = _median(lambda: shapely_count(regioncam_layer(), -1.0, 1.0), repeat)
    A = regioncam_layer()
    rows.append(Row("regioncam: Linear(2, 30) on [−1, 1]², n_regions(domain)", int(got),  # type: ignore[arg-type]
                    A.n_regions(), t, "shapely polygonize", tb, got == want, 0.050))
    rows.append(Row("regioncam: Linear(2, 30) on [−1, 1]², regions(domain)", len(R),  # type: ignore[arg-type]
                    A.n_regions(), t_regions, "shapely polygonize", tb, len(R) == want, 0.050))  # type: ignore[arg-type]
    # generic(20, 6) in [−1, 1]^6.
    t, R6 = _median(lambda: library.generic(20, 6, seed=0).regions(domain=(-1, 1)), repeat)
    t_count, n6 = _median(lambda: library.generic(20, 6, seed=0).n_regions(domain=(-1, 1)), repeat)
    G = library.generic(20, 6, seed=0)
    start = time.perf_counter()
    lp = lp_meets_box(G, -1.0, 1.0)
    tb = time.perf_counter() - start
    mine = {tuple(s) for s in R6.signs.tolist()}  # type: ignore[attr-defined]
    rows.append(Row("generic(20, 6) in [−1, 1]^6, n_regions(domain)", int(n6), G.n_regions(),  # type: ignore[arg-type]
                    t_count, f"regions() + one LP per region ({G.n_regions():,} LPs)", tb,
                    n6 == len(lp), 2.0))
    rows.append(Row("generic(20, 6) in [−1, 1]^6, regions(domain)", len(mine), G.n_regions(), t,
                    f"regions() + one LP per region ({G.n_regions():,} LPs)", tb, mine == lp, 2.0))
    return rows


COLUMNS: tuple[Column[Row], ...] = (
    Column("workload", lambda r: r.workload),
    Column("regions in the box", lambda r: f"{r.regions:,}", "r"),
    Column("in all of R^d", lambda r: f"{r.whole_space:,}", "r"),
    Column("hyperarr (median)", lambda r: fmt_seconds(r.seconds), "r"),
    Column("baseline", lambda r: r.baseline),
    Column("baseline time", lambda r: fmt_seconds(r.baseline_seconds), "r"),
    Column("baseline / hyperarr", lambda r: f"{r.baseline_seconds / r.seconds:,.2f}×", "r"),
    Column("agree exactly", lambda r: "yes" if r.agree else "NO"),
    Column("target", lambda r: f"≤ {fmt_seconds(r.target)}"),
    Column("status", lambda r: r.status),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.domains", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for domains.md")
    parser.add_argument("--repeat", type=int, default=5, help="runs per hyperarr call (median reported)")
    args = parser.parse_args(argv)
    rows = measure(args.repeat)
    text = "\n".join(["# Regions inside a box", "", *machine_lines(seed=0), "",
                      format_table(COLUMNS, rows), ""])
    print(text)
    write_text_atomic(f"{args.out}/domains.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
