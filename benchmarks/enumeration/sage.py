"""The optional Sage (passagemath) comparison, timed in a separate interpreter.

Sage is never required.  [`probe`][benchmarks.enumeration.sage.probe] asks
an interpreter whether it can import Sage's hyperplane arrangements; if none
can, the Sage tasks are dropped from the plan and the Sage column shows the
quoted reference figures.  The Sage interpreter runs the same worker
protocol and needs numpy, not hyperarr.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

from benchmarks.enumeration.worker import REPO_ROOT, best_time, child_env, emit
from benchmarks.enumeration.workloads import load

__all__ = ["SAGE_OPERATIONS", "import_sage", "work", "probe"]

#: Sage task -> the call timed on a fresh Sage arrangement; it returns a count.
SAGE_OPERATIONS: dict[str, Callable[[Any], int]] = {
    "sage_regions": lambda A: len(A.regions()),
    "sage_n_regions": lambda A: int(A.n_regions()),
}


def import_sage() -> tuple[Any, Any, str]:
    """``HyperplaneArrangements``, ``QQ`` and the version string of the Sage distribution."""
    try:
        import sage.all  # noqa: F401
    except ImportError:
        import sage.all__sagemath_polyhedra  # noqa: F401
    from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements
    from sage.rings.rational_field import QQ

    version = "unknown"
    for dist in ("passagemath-polyhedra", "passagemath-standard", "sagemath-standard"):
        try:
            from importlib import metadata

            version = f"{dist} {metadata.version(dist)}"
            break
        except Exception:
            continue
    return HyperplaneArrangements, QQ, version


def work(spec: dict[str, Any]) -> None:
    """Time one Sage task (the same spec as ``worker.work``)."""
    try:
        HyperplaneArrangements, QQ, version = import_sage()
    except ImportError as exc:
        emit("sage", na=f"{type(exc).__name__}: {exc}")
        return
    W, b = load(spec["data"], spec["workload"])
    n, d = W.shape
    names = tuple(f"x{i}" for i in range(d))
    # Sage's [c, a_1, ..., a_d] is the hyperplane c + a·x = 0, i.e. a·x = −c.
    data = [[-int(b[i])] + [int(v) for v in W[i]] for i in range(n)]

    def make() -> Any:
        return HyperplaneArrangements(QQ, names)(data)

    t, reps, count = best_time(make, SAGE_OPERATIONS[spec["op"]], max_repeat=3)
    emit("sage", time=t, repeats=reps, count=int(count), version=version)


def probe(python: str) -> str | None:
    """The Sage version string if ``python`` can import Sage's arrangements, else None."""
    code = "from benchmarks.enumeration.sage import import_sage; print(import_sage()[2])"
    try:
        out = subprocess.run([python, "-c", code], cwd=REPO_ROOT, capture_output=True,
                             text=True, timeout=120, env=child_env())
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "unknown"
