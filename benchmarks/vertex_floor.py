"""General-position enumeration against its floor: the batched vertex solves.

Run from the repository root::

    python -m benchmarks.vertex_floor            # generic(20, 10), (20, 8), (16, 8); 5 runs
    python -m benchmarks.vertex_floor --quick    # generic(12, 5); 3 runs
    python -m benchmarks.vertex_floor --out DIR  # default benchmarks/results

Every region of an arrangement in general position is the region above a
vertex of one level of the chain of sections (``hyperarr._generic``), so
any vertex method must at least find those Σ_{k≤d} C(n, k) − 1 vertices:
the *floor* is one batched ``numpy.linalg.solve`` of ``N_S p = b_S`` per
vertex subset S, over every level, in the same blocks as the enumeration.
``regions()`` is timed on a fresh ``Arrangement`` (so no cache helps),
exact check of every witness included; the baseline is the same pipeline
with the previous vertex kernel (two solves per vertex:
``benchmarks/baselines/vertex_solves.py``) swapped in, in the same run.
Each call runs once untimed first (the compiled kernels load once per
process).  Calls alternate run by run and the medians are reported, of the wall time
(the status) and of the CPU time of the process (``time.process_time``:
on a shared machine, time spent waiting for a core does not count).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks._common import DEFAULT_OUT, Column, fmt_count, fmt_seconds, format_table, machine_lines, write_text_atomic

__all__ = ["Row", "COLUMNS", "measure", "floor_solves", "main"]

SEED = 0
#: Workload -> time target of regions() (seconds).
TARGETS = {(20, 10): 1.0}
#: ... or, on a slower or busier machine, at most this multiple of the floor
#: measured in the same run.
FLOOR_RATIO = 1.5


@dataclass(frozen=True)
class Row:
    """One workload: regions() and its floor, in the same run."""

    n: int
    d: int
    regions: int
    seconds: float  # median regions(), fresh arrangement
    floor: float  # median of the batched vertex solves
    baseline: float  # median regions() with the two-solve kernel
    target: float | None
    best: float = 0.0  # fastest regions() run
    best_floor: float = 0.0  # fastest floor run
    cpu: float = 0.0  # median CPU time of regions()
    cpu_floor: float = 0.0  # median CPU time of the floor

    @property
    def status(self) -> str:
        if self.target is None:
            return "—"
        if self.seconds <= self.target:
            return f"met ({fmt_seconds(self.seconds)} ≤ {fmt_seconds(self.target)})"
        ratio = self.seconds / self.floor
        ok = ratio <= FLOOR_RATIO
        return (f"{'met' if ok else 'not met'} ({ratio:.2f}× the floor "
                f"{'≤' if ok else '>'} {FLOOR_RATIO}×; {fmt_seconds(self.seconds)} > {fmt_seconds(self.target)})")


def floor_solves(A: Any) -> int:
    """The batched solves N_S p = b_S of every vertex subset of every level; the count."""
    import numpy as np

    from hyperarr import _generic

    g = _generic.Generic(A._prepared.rows, A.dim)
    chain = g.levels()
    count = 0
    for level, F in enumerate(chain or []):
        D = g.d - level
        if D == 0:
            break
        for sub in _generic.combination_blocks(g.n, D, g.BLOCK):
            np.linalg.solve(F[sub, :D], F[sub, D][..., None])
            count += sub.shape[0]
    return count


def _fresh(A: Any) -> Any:
    import hyperarr

    return hyperarr.Arrangement(A.normals, A.offsets)


def _two_solves(F: Any, d: int, spec: Any, S: Any = None, W: Any = None) -> Any:
    """The baseline kernel behind the current one's interface (a block spec, optional outputs)."""
    from benchmarks.baselines.vertex_solves import vertex_block_two_solves
    from hyperarr import _generic

    blk = vertex_block_two_solves(F, d, _generic._spec_rows(spec))
    if blk is None or S is None:
        return blk
    S[:] = blk[0]
    if W is None:
        return S, blk[1]
    W[:] = blk[1]
    return S, W


def _with_two_solves(A: Any) -> int:
    from hyperarr import _generic

    current = _generic._vertex_block
    _generic._vertex_block = _two_solves  # type: ignore[assignment]
    try:
        return len(A.regions(max_regions=None))
    finally:
        _generic._vertex_block = current


def measure(n: int, d: int, repeat: int) -> Row:
    import numpy as np

    from hyperarr import library

    base = library.generic(n, d, seed=SEED)
    calls: list[Callable[[Any], Any]] = [lambda A: len(A.regions(max_regions=None)), floor_solves,
                                         _with_two_solves]
    times: list[list[float]] = [[] for _ in calls]
    cpu: list[list[float]] = [[] for _ in calls]
    for call in calls:  # untimed: loads numba's cached kernels (or compiles them), once per process
        call(_fresh(base))
    for _ in range(repeat):
        for k, call in enumerate(calls):
            A = _fresh(base)
            start, start_cpu = time.perf_counter(), time.process_time()
            call(A)
            times[k].append(time.perf_counter() - start)
            cpu[k].append(time.process_time() - start_cpu)
    # Same answer both ways (order and signs; the witnesses differ and are each checked exactly).
    new, old = _fresh(base).regions(max_regions=None), _fresh(base)
    _with_two_solves(old)
    if not (np.array_equal(new.signs, old.regions(max_regions=None).signs)
            and np.array_equal(new.bounded, old.regions(max_regions=None).bounded)):
        raise SystemExit(f"generic({n}, {d}): the two kernels disagree")
    t_regions, t_floor, t_old = (statistics.median(t) for t in times)
    return Row(n, d, len(new), t_regions, t_floor, t_old, TARGETS.get((n, d)), min(times[0]), min(times[1]),
               statistics.median(cpu[0]), statistics.median(cpu[1]))


COLUMNS: tuple[Column[Row], ...] = (
    Column("workload", lambda r: f"generic({r.n}, {r.d})"),
    Column("regions", lambda r: fmt_count(r.regions), "r"),
    Column("regions()", lambda r: fmt_seconds(r.seconds), "r"),
    Column("fastest run", lambda r: fmt_seconds(r.best), "r"),
    Column("floor: vertex solves", lambda r: fmt_seconds(r.floor), "r"),
    Column("regions()/floor", lambda r: f"{r.seconds / r.floor:.2f}× (fastest {r.best / r.best_floor:.2f}×)", "r"),
    Column("CPU: regions() / floor", lambda r: f"{fmt_seconds(r.cpu)} / {fmt_seconds(r.cpu_floor)} = "
           f"{r.cpu / r.cpu_floor:.2f}×", "r"),
    Column("baseline: 2 solves/vertex", lambda r: fmt_seconds(r.baseline), "r"),
    Column("baseline/new", lambda r: f"{r.baseline / r.seconds:.2f}×", "r"),
    Column("target", lambda r: "—" if r.target is None else f"≤ {fmt_seconds(r.target)} or ≤ {FLOOR_RATIO}× the floor"),
    Column("status", lambda r: r.status),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.vertex_floor",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for vertex_floor.md")
    parser.add_argument("--quick", action="store_true", help="generic(12, 5), 3 runs")
    parser.add_argument("--repeat", type=int, default=None, help="runs per call (median reported)")
    parser.add_argument("--workload", type=int, nargs=2, action="append", metavar=("N", "D"),
                        help="generic(N, D) only (repeatable)")
    args = parser.parse_args(argv)
    workloads = [(12, 5)] if args.quick else [(20, 10), (20, 8), (16, 8)]
    if args.workload:
        workloads = [tuple(w) for w in args.workload]
    repeat = args.repeat or (3 if args.quick else 5)
    rows = [measure(n, d, repeat) for n, d in workloads]
    text = "\n".join([
        "# General position: regions() against the vertex-solve floor", "",
        *machine_lines(SEED, [f"- median of {repeat} runs, calls alternating; regions() includes "
                              "the exact check of every witness; the status is on the median wall time; "
                              "one untimed call of each first (the compiled kernels load once per process)",
                              "- CPU: median process time of the same calls (time waiting for a core "
                              "excluded)"]),
        "", format_table(COLUMNS, rows), "",
    ])
    print(text)
    write_text_atomic(f"{args.out}/{'vertex_floor_quick' if args.quick else 'vertex_floor'}.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
