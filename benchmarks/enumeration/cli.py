"""``main``: the options, the time budget and the run, from plan to written report."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import DEFAULT_OUT, fmt_seconds, machine_lines, write_text_atomic
from benchmarks.enumeration import report, sage, worker
from benchmarks.enumeration.operations import OPERATIONS
from benchmarks.enumeration.rows import collect_rows
from benchmarks.enumeration.workloads import SEED, Task, build, plan

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from benchmarks import enumeration

    parser = argparse.ArgumentParser(prog="python -m benchmarks.enumeration",
                                     description=(enumeration.__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small workloads only (under a minute)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for enumeration.md")
    parser.add_argument("--budget", type=float, default=None,
                        help="time budget in seconds (default 570, or 55 with --quick)")
    parser.add_argument("--sage-python", default=None,
                        help="an interpreter that imports Sage (passagemath), for the Sage column")
    parser.add_argument("--no-sage", action="store_true", help="do not look for Sage")
    parser.add_argument("--only", default=None, metavar="OP[,OP...]",
                        help="run only these operations (e.g. stream,is_generic: the streaming "
                             "memory and general-position rows); writes enumeration_<ops>.md")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    return parser


def _find_sage(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The interpreter that imports Sage and its version, or ``(None, None)``."""
    if args.no_sage:
        return None, None
    for candidate in ([args.sage_python] if args.sage_python else []) + [sys.executable]:
        version = sage.probe(candidate)
        if version is not None:
            return candidate, version
    return None, None


def _run(tasks: list[Task], sage_python: str | None, deadline: float,
         start: float) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    """Each task in a child, while the budget lasts; the results and the build times."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="hyperarr-bench-") as tmp:
        data_dir = Path(tmp)
        build_times = build({t.workload for t in tasks}, data_dir)
        for task in tasks:
            left = deadline - time.perf_counter()
            if left < 5:
                print(f"[skip] {task.key}: time budget used up", file=sys.stderr, flush=True)
                continue
            python = sage_python if task.op in sage.SAGE_OPERATIONS else sys.executable
            res = worker.run_task(task, python or sys.executable, data_dir, min(task.timeout, left))
            results[task.key] = res
            brief = {k: v for k, v in res.items() if k not in ("wall", "started")}
            print(f"[{time.perf_counter() - start:6.1f} s] {task.key}: {json.dumps(brief)}",
                  file=sys.stderr, flush=True)
    return results, build_times


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--worker``, one task of it); the exit status."""
    args = _parser().parse_args(argv)
    if args.worker is not None:
        spec = json.loads(args.worker)
        (sage.work if spec["op"] in sage.SAGE_OPERATIONS else worker.work)(spec)
        return 0

    start = time.perf_counter()
    budget = args.budget if args.budget is not None else (55.0 if args.quick else 570.0)
    only = None if args.only is None else [op.strip() for op in args.only.split(",") if op.strip()]
    unknown = sorted(set(only or ()) - set(OPERATIONS) - set(sage.SAGE_OPERATIONS))
    if unknown:
        raise SystemExit(f"--only: unknown operations {unknown}; known: {sorted(OPERATIONS)}")
    tasks = plan(args.quick, only)
    sage_python, sage_version = _find_sage(args)
    if sage_python is None:
        tasks = [t for t in tasks if t.op not in sage.SAGE_OPERATIONS]
    results, build_times = _run(tasks, sage_python, start + budget, start)

    rows = collect_rows(tasks, results, quick=args.quick, sage_on=sage_python is not None)
    if only is not None:  # the rows asked for, not the targets of the others
        rows = [r for r in rows if r.operation in only]
    builds = ", ".join(f"{w} {fmt_seconds(t)}" for w, t in build_times.items())
    mode = f"--only {','.join(only)}" if only is not None else ("--quick" if args.quick else "default")
    header = machine_lines(SEED, [
        report.sage_line(sage_version),
        f"- mode: {mode}; time budget {budget:.0f} s; "
        f"total wall time {time.perf_counter() - start:.0f} s",
        f"- arrangements built once, not timed: {builds}",
    ])
    args.out.mkdir(parents=True, exist_ok=True)
    name = "enumeration.md" if only is None else f"enumeration_{'_'.join(only)}.md"
    write_text_atomic(args.out / name, report.document(header, rows))
    print("\n".join(header))
    print()
    print(report.table(rows))
    print()
    print("Targets:")
    for v in report.verdicts(rows):
        print(f"- {v}")
    print(f"\nwritten: {args.out / name}")
    return 0
