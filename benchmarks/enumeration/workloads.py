"""The workloads and the plan: which arrangements, which tasks, in which order.

The parent builds each arrangement once with ``hyperarr.library`` (or, for
the random float workloads, numpy's generator) and saves its exact data,
integers or floats; the children load it with numpy alone (a Sage
interpreter need not have hyperarr's dependencies).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks._common import write_atomic

__all__ = ["SEED", "WORKLOADS", "Task", "plan", "build", "load"]

SEED = 0

#: Workload name -> (family, arguments, known region count).
WORKLOADS: dict[str, tuple[str, tuple[int, ...], int]] = {
    "generic(8, 3)": ("generic", (8, 3), 93),
    "generic(10, 4)": ("generic", (10, 4), 386),
    "generic(12, 4)": ("generic", (12, 4), 794),
    "generic(15, 5)": ("generic", (15, 5), 4_944),
    "generic(16, 8)": ("generic", (16, 8), 39_203),
    "generic(20, 8)": ("generic", (20, 8), 263_950),
    "generic(20, 10)": ("generic", (20, 10), 616_666),
    "resonance(4)": ("resonance", (4,), 370),
    "resonance(5)": ("resonance", (5,), 11_292),
    "resonance(6)": ("resonance", (6,), 1_066_044),
    # standard normal floats (normals, then offsets) from default_rng(SEED)
    "random float (30, 8)": ("random_float", (30, 8), 8_656_937),
}


@dataclass(frozen=True)
class Task:
    """One child-process measurement: a workload, an operation, a time limit."""

    workload: str
    op: str  # a key of OPERATIONS, or of sage.SAGE_OPERATIONS
    timeout: float
    lp: bool = False  # also run the LP baseline in the same process (op == "regions")
    memory_below: float = 5.0  # take the tracemalloc run only if the timing took less (s)

    @property
    def key(self) -> str:
        """``"workload|op"``, the key of its result."""
        return f"{self.workload}|{self.op}"


_QUICK = (
    Task("generic(8, 3)", "regions", 20, lp=True),
    Task("generic(10, 4)", "regions", 20, lp=True),
    Task("generic(12, 4)", "regions", 10),
    Task("generic(12, 4)", "n_regions", 10),
    Task("generic(12, 4)", "synthesis", 15),
    Task("generic(15, 5)", "regions", 10),
    Task("generic(15, 5)", "n_regions", 10),
    Task("resonance(4)", "regions", 10),
    Task("resonance(4)", "n_regions", 10),
    Task("resonance(4)", "sage_regions", 10),
    Task("resonance(4)", "sage_n_regions", 10),
    Task("generic(12, 4)", "sage_n_regions", 10),
    Task("generic(12, 4)", "sage_regions", 20),
)

# Ordered by priority: the rows with targets first, the rest while the time
# budget lasts.
_DEFAULT = (
    Task("generic(12, 4)", "regions", 20),
    Task("generic(12, 4)", "n_regions", 20),
    Task("generic(12, 4)", "synthesis", 30),
    Task("generic(15, 5)", "regions", 20),
    Task("generic(15, 5)", "n_regions", 20),
    Task("resonance(5)", "regions", 30),
    Task("resonance(5)", "n_regions", 30),
    Task("generic(20, 10)", "regions", 90, memory_below=60.0),
    Task("generic(20, 10)", "stream", 120, memory_below=60.0),
    Task("random float (30, 8)", "is_generic", 60),
    Task("generic(16, 8)", "regions", 300, lp=True),
    Task("generic(20, 8)", "adjacency", 60, memory_below=20.0),
    Task("resonance(6)", "n_regions", 40),
    Task("resonance(6)", "regions", 120),
    Task("generic(15, 5)", "sage_regions", 100),
    Task("generic(15, 5)", "sage_n_regions", 40),
    Task("resonance(5)", "sage_regions", 100),
    Task("resonance(5)", "sage_n_regions", 40),
    Task("generic(12, 4)", "sage_regions", 30),
    Task("generic(12, 4)", "sage_n_regions", 20),
    Task("generic(16, 8)", "n_regions", 30),
    Task("generic(20, 8)", "regions", 40),
    Task("generic(20, 8)", "n_regions", 20),
    Task("generic(20, 10)", "n_regions", 20),
)


def plan(quick: bool, only: Iterable[str] | None = None) -> list[Task]:
    """The tasks of a ``--quick`` or a default run, in the order they run.

    With ``only`` (operation names), the tasks of those operations alone,
    from both plans (each workload and operation once).
    """
    if only is None:
        return list(_QUICK if quick else _DEFAULT)
    wanted = set(only)
    tasks: dict[str, Task] = {}
    for t in _DEFAULT + _QUICK:
        if t.op in wanted:
            tasks.setdefault(t.key, t)
    return list(tasks.values())


def _path(data_dir: str | Path, workload: str) -> Path:
    slug = "".join(c if c.isalnum() else "_" for c in workload)
    return Path(data_dir) / f"{slug}.npz"


def build(workloads: Iterable[str], data_dir: Path) -> dict[str, float]:
    """Build each workload once with hyperarr.library and save its integer data.

    Returns the build time of each, in seconds, in the order of ``WORKLOADS``.
    """
    from hyperarr import library

    build_times = {}
    for name in sorted(set(workloads), key=list(WORKLOADS).index):
        family, args, _ = WORKLOADS[name]
        t0 = time.perf_counter()
        if family == "random_float":
            rng = np.random.default_rng(SEED)
            W, b = rng.standard_normal(args), rng.standard_normal(args[0])
        else:
            A = library.generic(*args, seed=SEED) if family == "generic" else library.resonance(*args)
            rows = A.exact_rows
            W = np.array([[int(v) for v in r[:-1]] for r in rows], dtype=np.int64)
            b = np.array([int(r[-1]) for r in rows], dtype=np.int64)
        build_times[name] = time.perf_counter() - t0
        write_atomic(_path(data_dir, name), lambda fh: np.savez(fh, normals=W, offsets=b))
    return build_times


def load(data_dir: str | Path, workload: str) -> tuple[np.ndarray, np.ndarray]:
    """The ``(normals, offsets)`` that `build` saved for ``workload`` (integers or floats)."""
    with np.load(_path(data_dir, workload)) as z:
        return z["normals"], z["offsets"]
