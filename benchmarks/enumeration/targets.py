"""The performance targets, each checked on one table row, and the quoted figures.

A target is a description for the table ("≤ 1 s", "≥ 1000× Sage") and a
check that reads a [`Row`][benchmarks.enumeration.rows.Row] and answers
``(met, why)``: ``met`` is None when the row cannot decide it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from benchmarks._common import fmt_seconds

if TYPE_CHECKING:
    from benchmarks.enumeration.rows import Baseline, Row

__all__ = ["Target", "TARGETS", "QUOTED_SAGE", "QUOTED_LP", "time_at_most", "time_and_memory",
           "peak_at_most", "ratio_at_least"]

#: A row -> (met, why); met is None when the row does not decide.
Check = Callable[["Row"], "tuple[bool | None, str]"]


@dataclass(frozen=True)
class Target:
    """A performance target, checked on one table row."""

    text: str
    check: Check


def time_at_most(limit: float) -> Check:
    """Met when the hyperarr time is at most ``limit`` seconds."""

    def check(row: Row) -> tuple[bool | None, str]:
        t = row.seconds
        if t is None:
            return None, ""
        return t <= limit, f"{fmt_seconds(t)} {'≤' if t <= limit else '>'} {fmt_seconds(limit)}"

    return check


def time_and_memory(limit: float, mb: float) -> Check:
    """Met when the time is at most ``limit`` seconds and the peak at most ``mb`` MB."""
    within_time = time_at_most(limit)

    def check(row: Row) -> tuple[bool | None, str]:
        ok_t, why_t = within_time(row)
        if ok_t is None:
            return None, ""
        if row.peak_bytes is None:
            return False if not ok_t else None, why_t + "; memory not measured"
        peak_mb = row.peak_bytes / 1e6
        ok_m = peak_mb <= mb
        return ok_t and ok_m, why_t + f"; {peak_mb:.0f} MB {'≤' if ok_m else '>'} {mb:.0f} MB"

    return check


def peak_at_most(fraction: float) -> Check:
    """Met when the peak is at most ``fraction`` of the baseline operation's peak."""

    def check(row: Row) -> tuple[bool | None, str]:
        r = row.peak_ratio
        if r is None:
            return None, "memory not measured"
        assert row.peak_bytes is not None and row.baseline_peak_bytes is not None
        return r <= fraction, (f"{row.peak_bytes / 1e6:.1f} MB = {r:.0%} of "
                               f"{row.baseline_peak_bytes / 1e6:.1f} MB "
                               f"{'≤' if r <= fraction else '>'} {fraction:.0%}")

    return check


def ratio_at_least(factor: float, baseline: Callable[[Row], Baseline | None]) -> Check:
    """Met when ``baseline``'s time is at least ``factor`` times hyperarr's."""

    def check(row: Row) -> tuple[bool | None, str]:
        other = baseline(row)
        r = row.ratio(other)
        if other is None or r is None:
            return None, ""
        if other.lower_bound and r < factor:
            return None, f"> {r:,.0f}×, the comparison timed out"
        return r >= factor, f"{r:,.0f}× {'≥' if r >= factor else '<'} {factor:,.0f}×"

    return check


_sage, _lp = attrgetter("sage"), attrgetter("lp")

#: (workload, operation) -> its target.
TARGETS: dict[tuple[str, str], Target] = {
    ("generic(20, 10)", "regions"): Target("≤ 1 s, peak ≤ 300 MB", time_and_memory(1.0, 300)),
    ("generic(15, 5)", "regions"): Target("≥ 1000× Sage", ratio_at_least(1000, _sage)),
    ("generic(16, 8)", "regions"): Target("≥ 100× LP baseline", ratio_at_least(100, _lp)),
    ("resonance(5)", "regions"): Target("≤ 0.35 s", time_at_most(0.35)),
    ("resonance(6)", "regions"): Target("≤ 60 s", time_at_most(60.0)),
    ("resonance(6)", "n_regions"): Target("≤ 10 s", time_at_most(10.0)),
    ("generic(20, 8)", "adjacency"): Target("≤ 5 s", time_at_most(5.0)),
    ("generic(12, 4)", "synthesis"): Target("≤ 10 s", time_at_most(10.0)),
    ("generic(20, 10)", "stream"): Target("peak ≤ 50 % of regions()'s", peak_at_most(0.5)),
    ("random float (30, 8)", "is_generic"): Target("≤ 5 s", time_at_most(5.0)),
}

#: Quoted reference Sage timings (2-core machine), seconds: (workload, op) -> s.
QUOTED_SAGE: dict[tuple[str, str], float] = {
    ("generic(15, 5)", "regions"): 29.4,
    ("generic(15, 5)", "n_regions"): 3.4,
    ("resonance(5)", "regions"): 36.7,
    ("resonance(6)", "n_regions"): 742.0,
}

#: The LP prototype's quoted times, seconds; shown, never compared.
QUOTED_LP: dict[tuple[str, str], float] = {
    ("generic(16, 8)", "regions"): 70.7,
}
