"""The operations a workload is timed on: what each one calls, which columns it fills.

Each entry maps an operation name (``Task.op``) to its label in the table and
to a factory: given the workload's known region count, it returns the call
that the worker times on a fresh ``Arrangement`` and that returns a count.
hyperarr is imported inside the factories, so that importing this module
needs numpy only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks.enumeration.workloads import SEED

__all__ = ["Operation", "OPERATIONS"]

#: A fresh Arrangement -> the count the call found.
Call = Callable[[Any], int]


@dataclass(frozen=True)
class Operation:
    """One hyperarr operation of the table."""

    label: str  # the "operation" column
    call: Callable[[int], Call]  # known region count -> the timed call
    rate: bool = False  # fills the regions/s column
    memory: bool = False  # the worker takes its tracemalloc peak
    sage: str | None = None  # the Sage task (sage.SAGE_OPERATIONS) of the Sage column
    memory_baseline: str | None = None  # another operation whose peak the worker also takes


def _regions(expected: int) -> Call:
    return lambda A: len(A.regions(max_regions=None))


def _n_regions(expected: int) -> Call:
    return lambda A: int(A.n_regions())


def _stream(expected: int) -> Call:
    return lambda A: sum(len(chunk) for chunk in A.iter_regions(chunk_size=10_000))


def _is_generic(expected: int) -> Call:
    # The count of general position: right exactly when the check says so.
    return lambda A: expected if A.is_generic() else 0


def _adjacency(expected: int) -> Call:
    import hyperarr.adjacency  # noqa: F401  (ImportError: reported as n/a)

    return lambda A: A.adjacency_graph().number_of_nodes()


def _synthesis(expected: int) -> Call:
    import hyperarr

    synthesize = getattr(hyperarr, "synthesize", None)
    if synthesize is None:
        from hyperarr.synthesis import synthesize
    mask = np.random.default_rng(SEED).random(expected) < 0.5

    def synth(A: Any) -> int:
        synthesize(A, mask, method="minimal")
        return expected

    return synth


#: Operation name -> what it times and shows.
OPERATIONS: dict[str, Operation] = {
    "regions": Operation("regions()", _regions, rate=True, memory=True, sage="sage_regions"),
    "n_regions": Operation("n_regions()", _n_regions, memory=True, sage="sage_n_regions"),
    "stream": Operation("iter_regions(chunk_size=10_000)", _stream, rate=True, memory=True,
                        memory_baseline="regions"),
    "is_generic": Operation("is_generic()", _is_generic),
    "adjacency": Operation("adjacency_graph()", _adjacency, memory=True),
    "synthesis": Operation("synthesize(minimal)", _synthesis),
}
