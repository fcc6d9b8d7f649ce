"""Region enumeration benchmark: hyperarr against an LP baseline and Sage.

Run from the repository root::

    python -m benchmarks.enumeration             # default run, about 10 minutes on 2 cores
    python -m benchmarks.enumeration --quick     # small workloads, under a minute
    python -m benchmarks.enumeration --sage-python PATH   # Sage timings from another interpreter

It prints a markdown table and writes it, with a header naming the machine,
the versions, the date and the seed, to ``benchmarks/results/enumeration.md``
(``--out DIR`` to change the folder).

How the figures are taken
-------------------------
* Every measurement runs in a child process (``--worker``) with a time limit,
  so one slow case cannot stall the run; a case that hits its limit is
  reported as "timed out at X s".  The whole run has a time budget too.
* The arrangements are built once by the parent (``hyperarr.library``,
  ``seed=0``) and handed to the children as exact integer data.  Each timing
  uses a *fresh* :class:`~hyperarr.Arrangement`, because results are cached
  on the object, and includes everything the call does (for ``regions()``:
  exact witness verification and boundedness).  Fast calls are repeated on
  fresh objects (up to 5 times or 1 s) and the best time is reported.
* Peak memory is the :mod:`tracemalloc` peak of a separate run of the same
  call on another fresh object (numpy reports its buffers to tracemalloc), so
  the tracing overhead does not enter the timings.  MB = 10^6 bytes.  It is
  taken only when the timed run was short (5 s, more for the rows with a
  memory target), since tracing slows Python-level code several times.
* The LP baseline (:mod:`benchmarks.baselines.incremental_lp`) runs in the
  same child process as the hyperarr call it is compared with, and its sign
  vectors are checked against hyperarr's.
* Sage (passagemath) is timed only if it imports, in this interpreter or in
  the one given by ``--sage-python``; otherwise the table shows quoted
  reference figures (taken on a 2-core machine), marked "(quoted)".
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from benchmarks._common import (
    DEFAULT_OUT,
    fmt_count,
    fmt_seconds,
    machine_lines,
    markdown_table,
    write_text_atomic,
)

__all__ = ["main", "WORKLOADS", "QUOTED_SAGE"]

SEED = 0
REPO_ROOT = Path(__file__).resolve().parents[1]

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
}

#: Quoted reference Sage timings (2-core machine), seconds: (workload, op) -> s.
QUOTED_SAGE: dict[tuple[str, str], float] = {
    ("generic(15, 5)", "regions"): 29.4,
    ("generic(15, 5)", "n_regions"): 3.4,
    ("resonance(5)", "regions"): 36.7,
    ("resonance(6)", "n_regions"): 742.0,
}

#: The LP prototype's quoted time on generic(16, 8), seconds.
QUOTED_LP_16_8 = 70.7

OP_LABEL = {
    "regions": "regions()",
    "n_regions": "n_regions()",
    "adjacency": "adjacency_graph()",
    "synthesis": "synthesize(minimal)",
}


@dataclass
class Task:
    """One child-process measurement."""

    workload: str
    op: str  # regions | n_regions | adjacency | synthesis | sage_regions | sage_n_regions
    timeout: float
    lp: bool = False  # also run the LP baseline in the same process (op == "regions")
    memory_below: float = 5.0  # take the tracemalloc run only if the timing took less (s)
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = f"{self.workload}|{self.op}"


@dataclass
class Target:
    """A performance target, checked on one table row."""

    text: str
    check: Callable[[dict[str, Any]], tuple[bool | None, str]]


# ----------------------------------------------------------------------
# The plan
# ----------------------------------------------------------------------


def _plan(quick: bool) -> list[Task]:
    if quick:
        return [
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
        ]
    # Ordered by priority: the rows with targets first, the rest while the
    # time budget lasts.
    return [
        Task("generic(12, 4)", "regions", 20),
        Task("generic(12, 4)", "n_regions", 20),
        Task("generic(12, 4)", "synthesis", 30),
        Task("generic(15, 5)", "regions", 20),
        Task("generic(15, 5)", "n_regions", 20),
        Task("resonance(5)", "regions", 30),
        Task("resonance(5)", "n_regions", 30),
        Task("generic(20, 10)", "regions", 90, memory_below=60.0),
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
    ]


def _targets(quick: bool) -> dict[tuple[str, str], Target]:
    def time_at_most(limit: float, op: str = "time") -> Callable[[dict[str, Any]], tuple[bool | None, str]]:
        def check(row: dict[str, Any]) -> tuple[bool | None, str]:
            t = row.get(op)
            if t is None:
                return None, ""
            return t <= limit, f"{fmt_seconds(t)} {'≤' if t <= limit else '>'} {fmt_seconds(limit)}"

        return check

    def time_and_memory(limit: float, mb: float) -> Callable[[dict[str, Any]], tuple[bool | None, str]]:
        def check(row: dict[str, Any]) -> tuple[bool | None, str]:
            ok_t, why_t = time_at_most(limit)(row)
            if ok_t is None:
                return None, ""
            peak = row.get("peak")
            if peak is None:
                return False if not ok_t else None, why_t + "; memory not measured"
            ok_m = peak / 1e6 <= mb
            why = why_t + f"; {peak / 1e6:.0f} MB {'≤' if ok_m else '>'} {mb:.0f} MB"
            return ok_t and ok_m, why

        return check

    def ratio_at_least(kind: str, factor: float) -> Callable[[dict[str, Any]], tuple[bool | None, str]]:
        def check(row: dict[str, Any]) -> tuple[bool | None, str]:
            r = row.get(f"{kind}_ratio")
            if r is None:
                return None, ""
            if row.get(f"{kind}_lower") and r < factor:
                return None, f"> {r:,.0f}×, the comparison timed out"
            return r >= factor, f"{r:,.0f}× {'≥' if r >= factor else '<'} {factor:,.0f}×"

        return check

    targets = {
        ("generic(20, 10)", "regions"): Target("≤ 1 s, peak ≤ 300 MB", time_and_memory(1.0, 300)),
        ("generic(15, 5)", "regions"): Target("≥ 1000× Sage", ratio_at_least("sage", 1000)),
        ("generic(16, 8)", "regions"): Target("≥ 100× LP baseline", ratio_at_least("lp", 100)),
        ("resonance(5)", "regions"): Target("≤ 0.35 s", time_at_most(0.35)),
        ("resonance(6)", "regions"): Target("≤ 60 s", time_at_most(60.0)),
        ("resonance(6)", "n_regions"): Target("≤ 10 s", time_at_most(10.0)),
        ("generic(20, 8)", "adjacency"): Target("≤ 5 s", time_at_most(5.0)),
        ("generic(12, 4)", "synthesis"): Target("≤ 10 s", time_at_most(10.0)),
    }
    return targets


# ----------------------------------------------------------------------
# Child process
# ----------------------------------------------------------------------


def _emit(part: str, **data: Any) -> None:
    print(json.dumps({"part": part, **data}), flush=True)


def _load(data_dir: str, workload: str) -> tuple[np.ndarray, np.ndarray]:
    with np.load(Path(data_dir) / f"{_slug(workload)}.npz") as z:
        return z["normals"], z["offsets"]


def _best_time(make: Callable[[], Any], call: Callable[[Any], Any], *,
               max_repeat: int = 5, min_total: float = 1.0) -> tuple[float, int, Any]:
    """Best time of ``call(make())`` over fresh objects; the result of the last call."""
    times: list[float] = []
    result = None
    while True:
        obj = make()
        gc.collect()
        t0 = time.perf_counter()
        result = call(obj)
        times.append(time.perf_counter() - t0)
        if len(times) >= max_repeat or sum(times) >= min_total:
            return min(times), len(times), result


def _peak(make: Callable[[], Any], call: Callable[[Any], Any]) -> int:
    """tracemalloc peak of one ``call(make())``, in bytes (the object is built untraced)."""
    obj = make()
    gc.collect()
    tracemalloc.start()
    try:
        call(obj)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _hyperarr_call(op: str, expected: int) -> Callable[[Any], Any]:
    if op == "regions":
        return lambda A: len(A.regions(max_regions=None))
    if op == "n_regions":
        return lambda A: A.n_regions()
    if op == "adjacency":
        import hyperarr.adjacency  # noqa: F401  (ImportError: reported as n/a)

        def adjacency(A: Any) -> int:
            G = A.adjacency_graph()
            return G.number_of_nodes()

        return adjacency
    if op == "synthesis":
        import hyperarr

        synthesize = getattr(hyperarr, "synthesize", None)
        if synthesize is None:
            from hyperarr.synthesis import synthesize
        mask = np.random.default_rng(SEED).random(expected) < 0.5

        def synth(A: Any) -> int:
            synthesize(A, mask, method="minimal")
            return expected

        return synth
    raise ValueError(f"unknown op {op!r}")


def _worker(spec: dict[str, Any]) -> None:
    workload, op = spec["workload"], spec["op"]
    expected = WORKLOADS[workload][2]
    W, b = _load(spec["data"], workload)
    if op.startswith("sage_"):
        _sage_worker(op, W, b)
        return

    from hyperarr import Arrangement

    def make() -> Any:
        return Arrangement(W, b)

    try:
        call = _hyperarr_call(op, expected)
    except (ImportError, AttributeError) as exc:
        _emit("hyperarr", na=f"{type(exc).__name__}: {exc}")
        return
    try:
        t, reps, count = _best_time(make, call)
    except (ImportError, AttributeError) as exc:
        _emit("hyperarr", na=f"{type(exc).__name__}: {exc}")
        return
    _emit("hyperarr", time=t, repeats=reps, count=int(count))
    if op in ("regions", "n_regions", "adjacency") and t < spec["memory_below"]:
        _emit("memory", peak=_peak(make, call))
    if spec.get("lp"):
        from benchmarks.baselines.incremental_lp import incremental_lp

        A = make()
        mine = {tuple(r) for r in A.regions(max_regions=None).signs.tolist()}
        _emit("lp_start", wall=time.time())
        t0 = time.perf_counter()
        res = incremental_lp(A.normals, A.offsets)
        t_lp = time.perf_counter() - t0
        _emit("lp", time=t_lp, count=len(res), n_lp=res.n_lp, agree=res.sign_set() == mine)


def _import_sage() -> tuple[Any, Any, str]:
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


def _sage_worker(op: str, W: np.ndarray, b: np.ndarray) -> None:
    try:
        HyperplaneArrangements, QQ, version = _import_sage()
    except ImportError as exc:
        _emit("sage", na=f"{type(exc).__name__}: {exc}")
        return
    n, d = W.shape
    names = tuple(f"x{i}" for i in range(d))
    # Sage's [c, a_1, ..., a_d] is the hyperplane c + a·x = 0, i.e. a·x = −c.
    data = [[-int(b[i])] + [int(v) for v in W[i]] for i in range(n)]

    def make() -> Any:
        return HyperplaneArrangements(QQ, names)(data)

    call = (lambda A: len(A.regions())) if op == "sage_regions" else (lambda A: int(A.n_regions()))
    t, reps, count = _best_time(make, call, max_repeat=3)
    _emit("sage", time=t, repeats=reps, count=int(count), version=version)


def _probe_sage(python: str) -> str | None:
    """The Sage version string if ``python`` can import Sage's arrangements, else None."""
    code = ("from benchmarks.enumeration import _import_sage; print(_import_sage()[2])")
    try:
        out = subprocess.run([python, "-c", code], cwd=REPO_ROOT, capture_output=True,
                             text=True, timeout=120, env=_child_env())
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "unknown"


# ----------------------------------------------------------------------
# Parent process
# ----------------------------------------------------------------------


def _slug(workload: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in workload)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def _build(workloads: set[str], data_dir: Path) -> dict[str, float]:
    """Build each workload once with hyperarr.library and save its integer data."""
    from hyperarr import library

    build_times = {}
    for name in sorted(workloads, key=lambda w: list(WORKLOADS).index(w)):
        family, args, expected = WORKLOADS[name]
        t0 = time.perf_counter()
        A = library.generic(*args, seed=SEED) if family == "generic" else library.resonance(*args)
        build_times[name] = time.perf_counter() - t0
        rows = A.exact_rows
        W = np.array([[int(v) for v in r[:-1]] for r in rows], dtype=np.int64)
        b = np.array([int(r[-1]) for r in rows], dtype=np.int64)
        np.savez(data_dir / f"{_slug(name)}.npz", normals=W, offsets=b)
    return build_times


def _run_task(task: Task, python: str, data_dir: Path, timeout: float) -> dict[str, Any]:
    spec = {"workload": task.workload, "op": task.op, "data": str(data_dir), "lp": task.lp,
            "memory_below": task.memory_below}
    cmd = [python, "-m", "benchmarks.enumeration", "--worker", json.dumps(spec)]
    out: dict[str, Any] = {"started": time.time()}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True,
                              timeout=timeout, env=_child_env())
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


def _sage_cell(workload: str, op: str, results: dict[str, dict[str, Any]],
               sage_on: bool) -> tuple[str, float | None, bool]:
    """Sage text, Sage seconds (or a lower bound), whether it was measured here."""
    res = results.get(f"{workload}|sage_{op}")
    if sage_on and res is not None:
        if "sage" in res and "time" in res["sage"]:
            text = fmt_seconds(res["sage"]["time"])
            if res["sage"]["count"] != WORKLOADS[workload][2]:
                text += f" (SAGE COUNT {res['sage']['count']:,})"
            return text, res["sage"]["time"], True
        if "timeout" in res:
            return f"> {res['timeout']:.0f} s (timed out)", res["timeout"], True
    quoted = QUOTED_SAGE.get((workload, op))
    if quoted is not None:
        return f"{fmt_seconds(quoted)} (quoted)", quoted, False
    return "—", None, False


def _rows(plan: list[Task], results: dict[str, dict[str, Any]], quick: bool,
          sage_on: bool) -> tuple[list[list[str]], list[str]]:
    targets = _targets(quick)
    seen: list[tuple[str, str]] = []
    for task in plan:
        if task.op.startswith("sage_"):
            continue
        if (task.workload, task.op) not in seen:
            seen.append((task.workload, task.op))
    # Rows with a target that this mode does not run still get a line.
    for (w, op) in targets:
        if (w, op) not in seen:
            seen.append((w, op))
    table: list[list[str]] = []
    verdicts: list[str] = []
    for w, op in seen:
        res = results.get(f"{w}|{op}")
        expected = WORKLOADS[w][2]
        row: dict[str, Any] = {}
        cells = {"workload": w, "op": OP_LABEL[op], "regions": fmt_count(expected),
                 "time": "—", "rate": "—", "peak": "—", "lp": "—", "lp_ratio": "—",
                 "sage": "—", "sage_ratio": "—", "target": "—", "status": "—"}
        status_note = ""
        if res is None:
            status_note = "skipped (--quick)" if quick else "skipped (time budget)"
            cells["time"] = "not run"
        elif "hyperarr" in res and "na" in res["hyperarr"]:
            cells["time"] = "n/a"
            status_note = f"n/a ({res['hyperarr']['na'][:60]})"
        elif "hyperarr" in res and "time" in res["hyperarr"]:
            h = res["hyperarr"]
            row["time"] = h["time"]
            cells["time"] = fmt_seconds(h["time"])
            if h["count"] != expected:
                status_note = f"WRONG COUNT {h['count']:,} ≠ {expected:,}"
            if op == "regions":
                cells["rate"] = f"{expected / h['time']:,.0f}"
        elif "timeout" in res:
            cells["time"] = f"> {res['timeout']:.0f} s"
            status_note = f"timed out at {res['timeout']:.0f} s"
        else:
            cells["time"] = "error"
            status_note = f"error: {res.get('error', 'no output')[:80]}"
        if res is not None and "memory" in res:
            row["peak"] = res["memory"]["peak"]
            cells["peak"] = f"{row['peak'] / 1e6:,.{2 if row['peak'] < 1e7 else 1}f} MB"
        elif res is not None and "time" in row and op in ("regions", "n_regions", "adjacency"):
            cells["peak"] = "not measured"
        # LP baseline
        if res is not None and "lp" in res:
            lp = res["lp"]
            cells["lp"] = fmt_seconds(lp["time"]) + f" ({lp['n_lp']:,} LPs)"
            if not lp["agree"]:
                status_note = "LP BASELINE DISAGREES"
            if "time" in row:
                row["lp_ratio"] = lp["time"] / row["time"]
                cells["lp_ratio"] = f"{row['lp_ratio']:,.0f}×"
        elif res is not None and any(t.lp and t.key == f"{w}|{op}" for t in plan):
            if "timeout" in res and "lp_start" in res:
                # The LP ran from lp_start until the child was stopped.
                lower = res["started"] + res["timeout"] - res["lp_start"]["wall"]
                cells["lp"] = f"> {fmt_seconds(lower)} (timed out)"
                if "time" in row:
                    row["lp_ratio"] = lower / row["time"]
                    row["lp_lower"] = True
                    cells["lp_ratio"] = f"> {row['lp_ratio']:,.0f}×"
            elif "error" in res:
                cells["lp"] = "error"
        elif (w, op) == ("generic(16, 8)", "regions"):
            cells["lp"] = f"{fmt_seconds(QUOTED_LP_16_8)} (quoted, prototype)"
        # Sage
        if op in ("regions", "n_regions"):
            text, secs, measured = _sage_cell(w, op, results, sage_on)
            cells["sage"] = text
            if secs is not None and "time" in row:
                row["sage_ratio"] = secs / row["time"]
                row["sage_lower"] = "timed out" in text
                prefix = "> " if row["sage_lower"] else ""
                cells["sage_ratio"] = prefix + f"{row['sage_ratio']:,.0f}×" + ("" if measured else " (vs quoted)")
        # Target
        target = targets.get((w, op))
        if target is not None:
            cells["target"] = target.text
            ok, why = target.check(row)
            if status_note:
                cells["status"] = f"not met ({status_note})" if not status_note.startswith(("skipped", "n/a")) else status_note
            elif ok is None:
                cells["status"] = "undecided" + (f" ({why})" if why else " (not measured)")
            else:
                cells["status"] = ("met" if ok else "not met") + (f" ({why})" if why else "")
            verdicts.append(f"{w} {OP_LABEL[op]}: {cells['status']}")
        elif status_note:
            cells["status"] = status_note
        table.append([cells[k] for k in ("workload", "op", "regions", "time", "rate", "peak", "lp",
                                          "lp_ratio", "sage", "sage_ratio", "target", "status")])
    return table, verdicts


HEADER = ["workload", "operation", "regions", "hyperarr", "regions/s", "peak memory",
          "LP baseline", "LP/hyperarr", "Sage", "Sage/hyperarr", "target", "status"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.enumeration",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small workloads only (under a minute)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for enumeration.md")
    parser.add_argument("--budget", type=float, default=None,
                        help="time budget in seconds (default 570, or 55 with --quick)")
    parser.add_argument("--sage-python", default=None,
                        help="an interpreter that imports Sage (passagemath), for the Sage column")
    parser.add_argument("--no-sage", action="store_true", help="do not look for Sage")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        _worker(json.loads(args.worker))
        return 0

    start = time.perf_counter()
    budget = args.budget if args.budget is not None else (55.0 if args.quick else 570.0)
    deadline = start + budget
    plan = _plan(args.quick)

    sage_python, sage_version = None, None
    if not args.no_sage:
        for candidate in ([args.sage_python] if args.sage_python else []) + [sys.executable]:
            sage_version = _probe_sage(candidate)
            if sage_version is not None:
                sage_python = candidate
                break
    if sage_python is None:
        plan = [t for t in plan if not t.op.startswith("sage_")]

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="hyperarr-bench-") as tmp:
        data_dir = Path(tmp)
        build_times = _build({t.workload for t in plan}, data_dir)
        for task in plan:
            left = deadline - time.perf_counter()
            if left < 5:
                print(f"[skip] {task.key}: time budget used up", file=sys.stderr, flush=True)
                continue
            timeout = min(task.timeout, left)
            python = sage_python if task.op.startswith("sage_") else sys.executable
            res = _run_task(task, python, data_dir, timeout)  # type: ignore[arg-type]
            results[task.key] = res
            brief = {k: v for k, v in res.items() if k not in ("wall", "started")}
            print(f"[{time.perf_counter() - start:6.1f} s] {task.key}: {json.dumps(brief)}",
                  file=sys.stderr, flush=True)

    table, verdicts = _rows(plan, results, args.quick, sage_python is not None)
    text = markdown_table(HEADER, table, align="llrrrrrrrrll")
    if sage_python is not None:
        sage_line = (f"- Sage: {sage_version}, timed in a separate interpreter in this run "
                     "(rows without a measurement show the quoted reference figures)")
    else:
        sage_line = ("- Sage: not installed here; the Sage column shows quoted reference figures "
                     "(measured on a 2-core machine), marked (quoted)")
    builds = ", ".join(f"{w} {fmt_seconds(t)}" for w, t in build_times.items())
    header = machine_lines(SEED, [
        sage_line,
        f"- mode: {'--quick' if args.quick else 'default'}; time budget {budget:.0f} s; "
        f"total wall time {time.perf_counter() - start:.0f} s",
        f"- arrangements built once, not timed: {builds}",
    ])
    notes = [
        "Times are the best of up to 5 runs (or 1 s) on fresh Arrangement objects, in a child "
        "process with a time limit; `regions()` includes exact witness verification. Peak "
        "memory is the tracemalloc peak of a separate run (MB = 10^6 bytes), taken when the timed "
        "run was short (\"not measured\" otherwise). The LP baseline "
        "is the Rada–Černý incremental algorithm with one scipy `linprog(method=\"highs-ds\")` "
        "call per region and insertion (`benchmarks/baselines/incremental_lp.py`), run in the "
        "same child process; its sign vectors are checked against hyperarr's. "
        "`adjacency_graph()` and `synthesize` are timed from a fresh arrangement, so they "
        "include the enumeration.",
    ]
    doc = "\n".join(["# Region enumeration benchmark", "", *header, "", text, "", *notes, ""])
    args.out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(args.out / "enumeration.md", doc)
    print("\n".join(header))
    print()
    print(text)
    print()
    print("Targets:")
    for v in verdicts:
        print(f"- {v}")
    print(f"\nwritten: {args.out / 'enumeration.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
