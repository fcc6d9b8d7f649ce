"""The region adjacency graph: the CSR matrix, the networkx graph built on it, and the old dicts.

Run from the repository root::

    python -m benchmarks.adjacency            # generic(20, 8), 5 runs
    python -m benchmarks.adjacency --quick    # generic(12, 5), 3 runs
    python -m benchmarks.adjacency --out DIR  # default benchmarks/results

Each run starts from a fresh ``Arrangement`` whose regions are already
enumerated (``A.regions()`` is timed once and reported on its own row), so
the rows time the adjacency alone; the "incl. regions" column adds the
median enumeration time.  The baseline is the implementation that built
the graph before ``adjacency_matrix`` (a dense neighbour table, then networkx
dicts: ``benchmarks/baselines/adjacency_dicts.py``), timed in the same
process, alternating with the current code; its graph is checked equal to
the current one.  Peak memory is the tracemalloc peak of a separate run
(MB = 10^6 bytes), from a fresh arrangement, enumeration included.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks._common import DEFAULT_OUT, Column, fmt_count, fmt_seconds, format_table, machine_lines, write_text_atomic

__all__ = ["Row", "COLUMNS", "measure", "main"]

SEED = 0


@dataclass(frozen=True)
class Row:
    """One timed call of the table."""

    call: str
    seconds: float  # median, regions already enumerated
    regions_seconds: float  # median enumeration time of the same workload
    peak_mb: float | None  # tracemalloc peak from a fresh arrangement, enumeration included
    baseline: float | None  # same-run median of the baseline, when there is one
    target: float | None  # seconds
    peak_target: float | None  # MB
    note: str = ""

    @property
    def ratio(self) -> str:
        return "—" if self.baseline is None else f"{self.baseline / self.seconds:.2f}×"

    @property
    def status(self) -> str:
        verdicts = []
        if self.target is not None:
            ok = self.seconds <= self.target
            verdicts.append(f"{'met' if ok else 'not met'} ({fmt_seconds(self.seconds)} "
                            f"{'≤' if ok else '>'} {fmt_seconds(self.target)})")
        if self.peak_target is not None and self.peak_mb is not None:
            ok = self.peak_mb <= self.peak_target
            verdicts.append(f"{'met' if ok else 'not met'} ({self.peak_mb:.0f} MB "
                            f"{'≤' if ok else '>'} {self.peak_target:.0f} MB)")
        return "; ".join(verdicts) or "—"


def _fresh(n: int, d: int) -> Any:
    from hyperarr import library

    return library.generic(n, d, seed=SEED)


def _median_time(calls: list[Callable[[Any], Any]], make: Callable[[], Any], repeat: int) -> list[float]:
    """Median time of each call, on a fresh arrangement with its regions enumerated,
    the calls alternating run by run (so that a noisy moment hits all of them)."""
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for k, call in enumerate(calls):
            A = make()
            A.regions()
            gc.collect()
            start = time.perf_counter()
            out = call(A)
            times[k].append(time.perf_counter() - start)
            del out
    return [statistics.median(t) for t in times]


def _peak(call: Callable[[Any], Any], make: Callable[[], Any]) -> float:
    A = make()
    gc.collect()
    tracemalloc.start()
    try:
        out = call(A)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del out
    return peak / 1e6


def measure(n: int, d: int, repeat: int) -> tuple[list[Row], list[str]]:
    """The rows of generic(n, d), and facts about the matrix (bytes per edge, equality check)."""
    import networkx as nx

    import hyperarr
    from benchmarks.baselines.adjacency_dicts import adjacency_graph_dicts

    def make() -> Any:
        return _fresh(n, d)

    regions_times = []
    for _ in range(repeat):
        A = make()
        start = time.perf_counter()
        A.regions()
        regions_times.append(time.perf_counter() - start)
    t_regions = statistics.median(regions_times)
    A = make()
    M = hyperarr.adjacency_matrix(A)
    edges = M.nnz // 2
    per_edge = (M.data.nbytes + M.indices.nbytes) / max(edges, 1)
    with_indptr = (M.data.nbytes + M.indices.nbytes + M.indptr.nbytes) / max(edges, 1)
    same = nx.utils.graphs_equal(hyperarr.adjacency_graph(A), adjacency_graph_dicts(A))
    t_matrix, t_graph, t_old = _median_time(
        [hyperarr.adjacency_matrix, hyperarr.adjacency_graph, adjacency_graph_dicts], make, repeat)
    name = f"generic({n}, {d})"
    rows = [
        Row(f"{name} regions()", t_regions, t_regions, _peak(lambda A: A.regions(), make), None, None, None),
        Row(f"{name} adjacency_matrix()", t_matrix, t_regions, _peak(hyperarr.adjacency_matrix, make),
            None, None, 300.0 if (n, d) == (20, 8) else None),
        Row(f"{name} adjacency_graph()", t_graph, t_regions, _peak(hyperarr.adjacency_graph, make), t_old,
            2.0 if (n, d) == (20, 8) else None, None),
        Row(f"{name} baseline: dict graph", t_old, t_regions, _peak(adjacency_graph_dicts, make), None,
            None, None),
    ]
    facts = [
        f"- {name}: {fmt_count(len(A.regions()))} regions, {fmt_count(edges)} edges; the matrix holds "
        f"{M.data.dtype} values and {M.indices.dtype} indices: {per_edge:.2f} bytes per edge "
        f"({with_indptr:.2f} with indptr), target ≤ 16: {'met' if with_indptr <= 16 else 'not met'}",
        f"- the graph built on the matrix equals the baseline's graph: {same}",
    ]
    return rows, facts


COLUMNS: tuple[Column[Row], ...] = (
    Column("call", lambda r: r.call),
    Column("median", lambda r: fmt_seconds(r.seconds), "r"),
    Column("incl. regions", lambda r: "—" if r.seconds is r.regions_seconds
           else fmt_seconds(r.seconds + r.regions_seconds), "r"),
    Column("peak memory", lambda r: "—" if r.peak_mb is None else f"{r.peak_mb:.1f} MB", "r"),
    Column("baseline (same run)", lambda r: fmt_seconds(r.baseline) if r.baseline else "—", "r"),
    Column("baseline/new", lambda r: r.ratio, "r"),
    Column("target", lambda r: "; ".join(
        ([f"≤ {fmt_seconds(r.target)}"] if r.target else [])
        + ([f"peak ≤ {r.peak_target:.0f} MB"] if r.peak_target else [])) or "—"),
    Column("status", lambda r: r.status),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.adjacency", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for adjacency.md")
    parser.add_argument("--quick", action="store_true", help="generic(12, 5), 3 runs")
    parser.add_argument("--repeat", type=int, default=None, help="runs per call (median reported)")
    args = parser.parse_args(argv)
    n, d = (12, 5) if args.quick else (20, 8)
    repeat = args.repeat or (3 if args.quick else 5)
    rows, facts = measure(n, d, repeat)
    table = format_table(COLUMNS, rows)
    text = "\n".join([
        "# Region adjacency: CSR matrix and graph", "",
        *machine_lines(SEED, [f"- median of {repeat} runs, calls alternating; "
                              "the time targets are on the adjacency after A.regions()"]),
        *facts, "", table, "",
    ])
    print(text)
    write_text_atomic(f"{args.out}/{'adjacency_quick' if args.quick else 'adjacency'}.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
