"""Nothing hangs: how fast each oversized call answers or refuses.

Every call below used to run for minutes, exhaust memory or crash.  Each
must now either answer or refuse with its work estimate within its target
(one second for a refusal, a few seconds for an answer).  The table gives
the median of a few runs, next to the target, in one process.

Usage, from the repository root::

    python -m benchmarks.refusals [--out DIR] [--repeat K]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from benchmarks._common import DEFAULT_OUT, Column, fmt_seconds, format_table, machine_lines, write_text_atomic

__all__ = ["Case", "Row", "CASES", "measure", "main"]


@dataclass(frozen=True)
class Case:
    """One call that must answer or refuse within ``target`` seconds."""

    name: str
    call: Callable[[], object]
    target: float


@dataclass(frozen=True)
class Row:
    name: str
    seconds: float
    outcome: str
    target: float

    @property
    def status(self) -> str:
        verdict = "met" if self.seconds <= self.target else "not met"
        return f"{verdict} ({fmt_seconds(self.seconds)} {'≤' if verdict == 'met' else '>'} {fmt_seconds(self.target)})"


def _float_arrangement(n: int, d: int):  # type: ignore[no-untyped-def]
    import hyperarr as ha

    rng = np.random.default_rng(0)
    return ha.Arrangement(rng.standard_normal((n, d)), rng.standard_normal(n))


def _cases() -> list[Case]:
    import hyperarr as ha
    from hyperarr import library

    generic_60_4 = library.generic(60, 4, seed=1)  # its construction (1 s) proves general position
    return [
        Case("random float (40, 10): n_regions()", lambda: _float_arrangement(40, 10).n_regions(), 5.0),
        Case("random float (30, 8): n_regions()", lambda: _float_arrangement(30, 8).n_regions(), 5.0),
        Case("max_regions(10**6, 10**6)", lambda: ha.max_regions(10**6, 10**6), 1.0),
        Case("approx_regions(10**9, 10**9)", lambda: ha.approx_regions(10**9, 10**9), 1.0),
        Case("generic(10**9, 2)", lambda: library.generic(10**9, 2), 1.0),
        Case("braid(10**6)", lambda: library.braid(10**6), 1.0),
        Case("Arrangement([[1] + [0] * 492], [0]).regions()",
             lambda: ha.Arrangement([[1] + [0] * 492], [0]).regions(), 5.0),
        Case("generic(3, 784).regions()", lambda: library.generic(3, 784, seed=0).regions(), 5.0),
        Case("Arrangement([[1]], [2 * 10**308]).regions()",
             lambda: ha.Arrangement([[1]], [2 * 10**308]).regions(), 1.0),
        Case("0.1 + 0.2 != 0.3 triangle: regions()",
             lambda: ha.Arrangement([[1, 0], [0, 1], [1, 1]], [0.1, 0.2, 0.3]).regions(), 1.0),
        # Issue 23: each refused only after minutes (13 s, 117 s) or gigabytes.
        Case("threshold(7).regions(max_regions=None)",
             lambda: library.threshold(7).regions(max_regions=None), 1.0),
        Case("threshold(7).regions()", lambda: library.threshold(7).regions(), 1.0),
        Case("threshold(7).face_vector()", lambda: library.threshold(7).face_vector(), 1.0),
        Case("G.vertices(), G = generic(60, 4) built before", lambda: generic_60_4.vertices(), 1.0),
    ]


CASES = _cases


def measure(case: Case, repeat: int) -> Row:
    """Median time of ``repeat`` calls, and what the call did (answered or refused)."""
    times = []
    outcome = ""
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            result = case.call()
            outcome = "answered" if not hasattr(result, "__len__") else f"answered ({len(result)} items)"
        except MemoryError as exc:  # OutputTooLargeError is one
            named = re.search(r"(at least |the )?(\d+) (regions|flats)", str(exc))
            outcome = f"refused: {type(exc).__name__}" + (f" ({named[0]})" if named else "")
        times.append(time.perf_counter() - start)
    return Row(case.name, statistics.median(times), outcome, case.target)


COLUMNS: tuple[Column[Row], ...] = (
    Column("call", lambda r: r.name),
    Column("median time", lambda r: fmt_seconds(r.seconds), "r"),
    Column("outcome", lambda r: r.outcome),
    Column("target", lambda r: f"≤ {fmt_seconds(r.target)}"),
    Column("status", lambda r: r.status),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.refusals", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for refusals.md")
    parser.add_argument("--repeat", type=int, default=3, help="runs per call (median reported)")
    args = parser.parse_args(argv)
    rows = [measure(case, args.repeat) for case in CASES()]
    table = format_table(COLUMNS, rows)
    text = "\n".join(["# Nothing hangs: answers and refusals", "", *machine_lines(), "", table, ""])
    print(text)
    write_text_atomic(f"{args.out}/refusals.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
