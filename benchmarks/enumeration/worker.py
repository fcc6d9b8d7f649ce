"""The worker: a child process that times one task and reports it as JSON lines.

The parent's side is [`run_task`][benchmarks.enumeration.worker.run_task]:
it starts ``python -m benchmarks.enumeration --worker SPEC`` with a time limit
and collects what the child printed, one JSON object a line, each with a
``part``: ``hyperarr`` (``time``, ``repeats``, ``count``, or ``na``),
``memory`` (``peak``, and ``baseline``, the peak of the operation's
``memory_baseline`` in the same child), ``lp_start`` and ``lp`` (the LP
baseline), ``sage``.
The child's side is [`work`][benchmarks.enumeration.worker.work] (and
``sage.work`` for the Sage tasks).  Each timing uses a fresh object, so no
result cached on an earlier one is reused.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.enumeration.operations import OPERATIONS
from benchmarks.enumeration.workloads import WORKLOADS, Task, load

__all__ = ["REPO_ROOT", "emit", "best_time", "peak", "work", "child_env", "run_task"]

REPO_ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------
# Child process
# ----------------------------------------------------------------------


def emit(part: str, **data: Any) -> None:
    """Report one part of the result to the parent."""
    print(json.dumps({"part": part, **data}), flush=True)


def best_time(make: Callable[[], Any], call: Callable[[Any], Any], *,
              max_repeat: int = 5, min_total: float = 1.0) -> tuple[float, int, Any]:
    """Best time of ``call(make())`` over fresh objects, the number of runs, the last result."""
    times: list[float] = []
    while True:
        obj = make()
        gc.collect()
        t0 = time.perf_counter()
        result = call(obj)
        times.append(time.perf_counter() - t0)
        if len(times) >= max_repeat or sum(times) >= min_total:
            return min(times), len(times), result


def peak(make: Callable[[], Any], call: Callable[[Any], Any]) -> int:
    """tracemalloc peak of one ``call(make())``, in bytes (the object is built untraced)."""
    obj = make()
    gc.collect()
    tracemalloc.start()
    try:
        call(obj)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def work(spec: dict[str, Any]) -> None:
    """Time one hyperarr task (``Task`` fields plus ``data``, the folder of the workloads)."""
    from hyperarr import Arrangement

    workload, operation = spec["workload"], OPERATIONS[spec["op"]]
    W, b = load(spec["data"], workload)

    def make() -> Any:
        return Arrangement(W, b)

    try:
        call = operation.call(WORKLOADS[workload][2])
        t, reps, count = best_time(make, call)
    except (ImportError, AttributeError) as exc:
        emit("hyperarr", na=f"{type(exc).__name__}: {exc}")
        return
    emit("hyperarr", time=t, repeats=reps, count=int(count))
    if operation.memory and t < spec["memory_below"]:
        memory = {"peak": peak(make, call)}
        if operation.memory_baseline is not None:
            baseline = OPERATIONS[operation.memory_baseline].call(WORKLOADS[workload][2])
            memory["baseline"] = peak(make, baseline)
        emit("memory", **memory)
    if spec.get("lp"):
        _lp_baseline(make())


def _lp_baseline(A: Any) -> None:
    """Time the LP baseline on ``A`` and check its sign vectors against hyperarr's."""
    from benchmarks.baselines.incremental_lp import incremental_lp

    mine = {tuple(r) for r in A.regions(max_regions=None).signs.tolist()}
    emit("lp_start", wall=time.time())
    t0 = time.perf_counter()
    res = incremental_lp(A.normals, A.offsets)
    t_lp = time.perf_counter() - t0
    emit("lp", time=t_lp, count=len(res), n_lp=res.n_lp, agree=res.sign_set() == mine)


# ----------------------------------------------------------------------
# Parent process
# ----------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment of a child: this one, with the repository root importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def run_task(task: Task, python: str, data_dir: Path, timeout: float) -> dict[str, Any]:
    """Run ``task`` in a child ``python``; its parts, plus ``started``, ``wall``, and
    ``timeout`` or ``error`` when the child was stopped or failed."""
    spec = {"workload": task.workload, "op": task.op, "data": str(data_dir), "lp": task.lp,
            "memory_below": task.memory_below}
    cmd = [python, "-m", "benchmarks.enumeration", "--worker", json.dumps(spec)]
    out: dict[str, Any] = {"started": time.time()}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True,
                              timeout=timeout, env=child_env())
        stdout, rc, stderr = proc.stdout, proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as exc:
        raw = exc.stdout or ""
        stdout = raw.decode() if isinstance(raw, bytes) else raw
        rc, stderr = None, ""
        out["timeout"] = timeout
    out["wall"] = time.perf_counter() - t0
    for line in stdout.splitlines():
        if line.startswith("{"):
            msg = json.loads(line)
            out[msg.pop("part")] = msg
    if rc not in (0, None):
        out["error"] = (stderr.strip().splitlines() or [f"exit code {rc}"])[-1]
    return out
