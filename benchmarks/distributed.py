"""regions_to_parquet on a Dask LocalCluster: 2 workers against 1, in the same run.

Run from the repository root::

    python -m benchmarks.distributed                # generic(22, 10), 3 runs each
    python -m benchmarks.distributed --quick        # generic(16, 8), 2 runs each
    python -m benchmarks.distributed --degenerate   # resonance(6), 1 run each (--quick: resonance(5))
    python -m benchmarks.distributed --out DIR      # default benchmarks/results

Two ``distributed.LocalCluster`` s (worker processes, one thread each; Dask
sets the BLAS threads of a worker to 1) run ``regions_to_parquet`` on the
same arrangement, alternating run by run; the medians and their ratio are
reported, with ``A.regions()`` in this process for reference.  The per-task
figures (time, bytes of the part files and of the intermediate keys) are
the ones the scale-out plan in ``docs/guide/scale-out.md`` builds on.  The
written parts are checked equal to ``A.regions()``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._common import DEFAULT_OUT, Column, fmt_count, fmt_seconds, format_table, machine_lines, write_text_atomic

__all__ = ["Row", "COLUMNS", "measure", "main"]

SEED = 0
TARGET_SPEEDUP = 1.6


@dataclass(frozen=True)
class Row:
    call: str
    seconds: float
    speedup: float | None  # 1 worker / this, same run
    target: float | None
    note: str = ""

    @property
    def status(self) -> str:
        if self.target is None or self.speedup is None:
            return "—"
        ok = self.speedup >= self.target
        return f"{'met' if ok else 'not met'} ({self.speedup:.2f}× {'≥' if ok else '<'} {self.target:.1f}×)"


def _run(A: Any, client: Any, partitions: int) -> tuple[float, int, int]:
    from hyperarr.distributed import regions_to_parquet

    with tempfile.TemporaryDirectory(prefix="hyperarr-bench-") as folder:
        start = time.perf_counter()
        regions_to_parquet(A, folder, client=client, partitions=partitions)
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(folder).glob("part-*.parquet"))
    return seconds, size, partitions


def measure(n: int, d: int, repeat: int, partitions: int, family: str = "generic") -> tuple[list[Row], list[str]]:
    """``generic(n, d)`` (the vertex method's three rounds), or ``resonance(d)`` (one task a
    range of pairs of sign cells over the lattice) when ``family`` is "resonance"."""
    import numpy as np
    from distributed import Client, LocalCluster

    import hyperarr
    from hyperarr import library
    from hyperarr.distributed import MAX_BUCKETS, read_regions, regions_to_parquet

    base = library.generic(n, d, seed=SEED) if family == "generic" else library.resonance(d)

    def fresh() -> Any:
        return hyperarr.Arrangement(base.normals, base.offsets)

    local = []
    for _ in range(repeat):
        A = fresh()
        start = time.perf_counter()
        m = len(A.regions(max_regions=None))
        local.append(time.perf_counter() - start)
    times: dict[int, list[float]] = {1: [], 2: []}
    size = 0
    kw = dict(processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=40)
    with LocalCluster(n_workers=1, **kw) as c1, Client(c1) as one, \
            LocalCluster(n_workers=2, **kw) as c2, Client(c2) as two:
        for client in (one, two):  # warm up: imports on the workers
            _run(library.generic(8, 3, seed=0), client, 2)
        for _ in range(repeat):
            for workers, client in ((1, one), (2, two)):
                seconds, size, _ = _run(fresh(), client, partitions)
                times[workers].append(seconds)
        with tempfile.TemporaryDirectory(prefix="hyperarr-bench-") as folder:
            regions_to_parquet(fresh(), folder, client=two, partitions=partitions)
            got, want = read_regions(folder), fresh().regions(max_regions=None)
            # Rows, order and flags; the witnesses are each checked exactly (their last
            # bits follow the BLAS thread count, 1 on Dask's workers).
            same = all(np.array_equal(getattr(got, k), getattr(want, k))
                       for k in ("signs", "bounded", "relatively_bounded", "points_inside"))
    t1, t2 = statistics.median(times[1]), statistics.median(times[2])
    name = f"generic({n}, {d})" if family == "generic" else f"resonance({d})"
    rows = [
        Row(f"{name} A.regions(), this process", statistics.median(local), None, None),
        Row(f"{name} regions_to_parquet, 1 worker", t1, 1.0, None),
        Row(f"{name} regions_to_parquet, 2 workers", t2, t1 / t2, TARGET_SPEEDUP),
    ]
    per_task = t1 / partitions
    if family != "generic":
        return rows, [
            f"- {name}: {fmt_count(m)} regions, {partitions} tasks (each a range of pairs of sign cells, "
            f"enumerated over the lattice); Parquet parts {size / 1e6:.1f} MB in all",
            f"- per task (1 worker): {fmt_seconds(per_task)}; {m / t1:,.0f} regions/s a worker end to end; "
            f"a worker builds the lattice once and keeps it for its next task",
            f"- the parts read back have the rows, order and flags of A.regions(): {same}",
        ]
    facts = [
        f"- {name}: {fmt_count(m)} regions, {partitions} partitions (tasks per round; "
        f"{min(partitions, MAX_BUCKETS)} key buckets); Parquet parts {size / 1e6:.1f} MB in all "
        f"({size / m:.1f} bytes a region, {size / partitions / 1e6:.2f} MB a part)",
        f"- per task (1 worker, the three rounds): {fmt_seconds(per_task)}; "
        f"{m / t1:,.0f} regions/s a worker end to end",
        f"- intermediate keys (the shuffle): 8 bytes a region and 8 per region at infinity "
        f"(antipodes), 1 byte a flag back; the parts read back have the rows, order and flags "
        f"of A.regions(): {same}",
    ]
    return rows, facts


COLUMNS: tuple[Column[Row], ...] = (
    Column("call", lambda r: r.call),
    Column("median", lambda r: fmt_seconds(r.seconds), "r"),
    Column("speed-up vs 1 worker", lambda r: "—" if r.speedup is None else f"{r.speedup:.2f}×", "r"),
    Column("target", lambda r: "—" if r.target is None else f"≥ {r.target:.1f}×"),
    Column("status", lambda r: r.status),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.distributed", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for distributed.md")
    parser.add_argument("--quick", action="store_true", help="generic(16, 8), 2 runs")
    parser.add_argument("--repeat", type=int, default=None, help="runs per cluster (median reported)")
    parser.add_argument("--partitions", type=int, default=16, help="tasks per round")
    parser.add_argument("--degenerate", action="store_true",
                        help="resonance(6) (with --quick: resonance(5)), outside general position")
    args = parser.parse_args(argv)
    if args.degenerate:
        n, d, family = 0, 5 if args.quick else 6, "resonance"
        repeat = args.repeat or 1
    else:
        (n, d), family = ((16, 8) if args.quick else (22, 10)), "generic"
        repeat = args.repeat or (2 if args.quick else 3)
    rows, facts = measure(n, d, repeat, args.partitions, family)
    text = "\n".join([
        "# Distributed enumeration: 2 workers against 1", "",
        *machine_lines(SEED, [f"- median of {repeat} runs per cluster, alternating; LocalCluster "
                              "worker processes, 1 thread each"]),
        *facts, "", format_table(COLUMNS, rows), "",
    ])
    print(text)
    stem = "distributed" + ("_degenerate" if args.degenerate else "") + ("_quick" if args.quick else "")
    write_text_atomic(f"{args.out}/{stem}.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
