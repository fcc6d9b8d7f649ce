"""The row records of the table, filled from the children's results.

[`collect_rows`][benchmarks.enumeration.rows.collect_rows] reads the JSON
parts each child reported (see ``worker``) and fills one typed
[`Row`][benchmarks.enumeration.rows.Row] per (workload, operation): its
outcome, times, memory, baselines and target.  ``report`` makes the cells
from the rows; only an [`Outcome`][benchmarks.enumeration.rows.Outcome]
carries the texts that stand in for a missing time.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.enumeration.operations import OPERATIONS, Operation
from benchmarks.enumeration.targets import QUOTED_LP, QUOTED_SAGE, TARGETS, Target
from benchmarks.enumeration.workloads import WORKLOADS, Task

__all__ = ["Outcome", "Source", "Baseline", "Row", "collect_rows"]


class Outcome(enum.Enum):
    """What became of the hyperarr timing of a row.

    Each value is the hyperarr cell and the status note of a row without a
    time, as templates on the row ``r`` (details cut to 60 and 80 characters).
    """

    MEASURED = ("", "")
    SKIPPED = ("not run", "skipped ({r.detail})")  # --quick, or the time budget was used up
    UNAVAILABLE = ("n/a", "n/a ({r.detail:.60})")  # this hyperarr lacks the operation
    TIMED_OUT = ("> {r.limit:.0f} s", "timed out at {r.limit:.0f} s")
    FAILED = ("error", "error: {r.detail:.80}")

    def __init__(self, cell: str, note: str) -> None:
        self.cell = cell
        self.note = note


class Source(enum.Enum):
    """Where a baseline time comes from."""

    MEASURED = "measured"  # timed in this run
    TIMED_OUT = "timed out"  # stopped at its time limit: the time is a lower bound
    QUOTED = "quoted"  # a reference figure, compared with as such
    PROTOTYPE = "prototype"  # a quoted figure of another implementation: shown, not compared
    FAILED = "error"


@dataclass(frozen=True)
class Baseline:
    """The time of a comparison (LP baseline or Sage) on the same workload and operation."""

    source: Source
    seconds: float | None = None  # None when FAILED
    lps: int | None = None  # LP baseline: linear programs solved
    count: int | None = None  # Sage: regions it found
    agrees: bool = True  # LP baseline: the same sign vectors as hyperarr

    @property
    def lower_bound(self) -> bool:
        """True when ``seconds`` is only a lower bound (the comparison timed out)."""
        return self.source is Source.TIMED_OUT


@dataclass(frozen=True)
class Row:
    """One line of the table: a workload, an operation, what the run measured."""

    workload: str
    operation: str  # a key of OPERATIONS
    regions: int  # the known region count of the workload
    outcome: Outcome
    seconds: float | None = None  # hyperarr's best time (MEASURED)
    limit: float | None = None  # the time limit it hit (TIMED_OUT)
    detail: str = ""  # why it was SKIPPED, UNAVAILABLE or FAILED
    count: int | None = None  # the count hyperarr returned (MEASURED)
    peak_bytes: int | None = None  # tracemalloc peak of a separate run
    baseline_peak_bytes: int | None = None  # the peak of the operation's memory baseline
    lp: Baseline | None = None
    sage: Baseline | None = None
    target: Target | None = None

    @property
    def spec(self) -> Operation:
        """The operation's entry in the operation table."""
        return OPERATIONS[self.operation]

    @property
    def peak_ratio(self) -> float | None:
        """The peak over the baseline operation's peak, when both were measured."""
        if self.peak_bytes is None or not self.baseline_peak_bytes:
            return None
        return self.peak_bytes / self.baseline_peak_bytes

    @property
    def rate(self) -> float | None:
        """Regions per second, for the operations that enumerate."""
        if not self.spec.rate or self.seconds is None:
            return None
        return self.regions / self.seconds

    def ratio(self, baseline: Baseline | None) -> float | None:
        """``baseline``'s time over hyperarr's, when both are there and comparable."""
        if (baseline is None or baseline.seconds is None or self.seconds is None
                or baseline.source in (Source.PROTOTYPE, Source.FAILED)):
            return None
        return baseline.seconds / self.seconds

    @property
    def lp_disagrees(self) -> bool:
        """True when the LP baseline found other sign vectors than hyperarr."""
        return self.lp is not None and not self.lp.agrees

    @property
    def problem(self) -> str:
        """What went wrong or was left out, or ``""``."""
        if self.lp_disagrees:
            return "LP BASELINE DISAGREES"
        if self.outcome is not Outcome.MEASURED:
            return self.outcome.note.format(r=self)
        if self.count != self.regions:
            return f"WRONG COUNT {self.count:,} ≠ {self.regions:,}"
        return ""

    @property
    def status(self) -> str:
        """The target's verdict ("met (…)", "not met (…)", "undecided (…)"), else the problem."""
        problem = self.problem
        if self.target is None:
            return problem
        if problem:
            # A task not run, or an operation this hyperarr lacks, does not fail the target.
            excused = self.outcome in (Outcome.SKIPPED, Outcome.UNAVAILABLE) and not self.lp_disagrees
            return problem if excused else f"not met ({problem})"
        met, why = self.target.check(self)
        if met is None:
            return "undecided" + (f" ({why})" if why else " (not measured)")
        return ("met" if met else "not met") + (f" ({why})" if why else "")


def collect_rows(plan: Sequence[Task], results: dict[str, dict[str, Any]], *, quick: bool,
                 sage_on: bool) -> list[Row]:
    """One row per hyperarr task of ``plan``, in order, then the targets the plan left out.

    ``results`` maps ``Task.key`` to the parts its child reported; a task
    without a result was skipped.  ``sage_on`` says whether Sage tasks ran;
    without them the Sage column falls back to the quoted figures.
    """
    keys: list[tuple[str, str]] = []
    for key in [(t.workload, t.op) for t in plan if t.op in OPERATIONS] + list(TARGETS):
        if key not in keys:
            keys.append(key)
    with_lp = {(t.workload, t.op) for t in plan if t.lp}
    return [_row(w, op, results, quick=quick, sage_on=sage_on, lp_planned=(w, op) in with_lp)
            for w, op in keys]


def _row(workload: str, op: str, results: dict[str, dict[str, Any]], *, quick: bool,
         sage_on: bool, lp_planned: bool) -> Row:
    res = results.get(f"{workload}|{op}")
    return Row(
        workload=workload,
        operation=op,
        regions=WORKLOADS[workload][2],
        **_hyperarr(res, quick),
        peak_bytes=res["memory"]["peak"] if res is not None and "memory" in res else None,
        baseline_peak_bytes=res["memory"].get("baseline") if res is not None and "memory" in res
        else None,
        lp=_lp(workload, op, res, lp_planned),
        sage=_sage(workload, op, results, sage_on),
        target=TARGETS.get((workload, op)),
    )


def _hyperarr(res: dict[str, Any] | None, quick: bool) -> dict[str, Any]:
    """The outcome fields of a row, from its child's parts."""
    if res is None:
        return {"outcome": Outcome.SKIPPED, "detail": "--quick" if quick else "time budget"}
    part = res.get("hyperarr", {})
    if "na" in part:
        return {"outcome": Outcome.UNAVAILABLE, "detail": part["na"]}
    if "time" in part:
        return {"outcome": Outcome.MEASURED, "seconds": part["time"], "count": part["count"]}
    if "timeout" in res:
        return {"outcome": Outcome.TIMED_OUT, "limit": res["timeout"]}
    return {"outcome": Outcome.FAILED, "detail": res.get("error", "no output")}


def _lp(workload: str, op: str, res: dict[str, Any] | None, planned: bool) -> Baseline | None:
    if res is not None and "lp" in res:
        lp = res["lp"]
        return Baseline(Source.MEASURED, lp["time"], lps=lp["n_lp"], agrees=lp["agree"])
    if res is not None and planned:
        if "timeout" in res and "lp_start" in res:
            # The LP ran from lp_start until the child was stopped.
            return Baseline(Source.TIMED_OUT, res["started"] + res["timeout"] - res["lp_start"]["wall"])
        return Baseline(Source.FAILED) if "error" in res else None
    quoted = QUOTED_LP.get((workload, op))
    return None if quoted is None else Baseline(Source.PROTOTYPE, quoted)


def _sage(workload: str, op: str, results: dict[str, dict[str, Any]],
          sage_on: bool) -> Baseline | None:
    sage_op = OPERATIONS[op].sage
    if sage_op is None:
        return None
    res = results.get(f"{workload}|{sage_op}")
    if sage_on and res is not None:
        part = res.get("sage", {})
        if "time" in part:
            return Baseline(Source.MEASURED, part["time"], count=part["count"])
        if "timeout" in res:
            return Baseline(Source.TIMED_OUT, res["timeout"])
    quoted = QUOTED_SAGE.get((workload, op))
    return None if quoted is None else Baseline(Source.QUOTED, quoted)
