"""The report: one formatter from rows to the markdown table, and the document around it.

Each column of the table is a header, an alignment and a function of a
[`Row`][benchmarks.enumeration.rows.Row]; nothing in a row is formatted
before it gets here.  Times use ``fmt_seconds``, MB = 10^6 bytes, and "—"
marks an empty cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks._common import Column, cells, fmt_count, fmt_seconds, format_table
from benchmarks.enumeration.rows import Baseline, Outcome, Row, Source

__all__ = ["COLUMNS", "NOTES", "row_cells", "table", "verdicts", "sage_line", "document"]

DASH = "—"


#: The cells of the two baselines, by where their time comes from; ``{t}`` is the time.
_LP_CELL = {
    Source.MEASURED: "{t} ({b.lps:,} LPs)",
    Source.TIMED_OUT: "> {t} (timed out)",
    Source.PROTOTYPE: "{t} (quoted, prototype)",
    Source.FAILED: "error",
}
_SAGE_CELL = {
    Source.MEASURED: "{t}{wrong}",
    Source.TIMED_OUT: "> {b.seconds:.0f} s (timed out)",
    Source.QUOTED: "{t} (quoted)",
}


def _time(row: Row) -> str:
    if row.outcome is Outcome.MEASURED:
        return fmt_seconds(row.seconds)
    return row.outcome.cell.format(r=row)


def _rate(row: Row) -> str:
    rate = row.rate
    return DASH if rate is None else f"{rate:,.0f}"


def _peak(row: Row) -> str:
    peak = row.peak_bytes
    if peak is not None:
        ratio = row.peak_ratio
        of = "" if ratio is None else f" ({ratio:.0%} of {row.spec.memory_baseline}())"
        return f"{peak / 1e6:,.{2 if peak < 1e7 else 1}f} MB{of}"
    if row.outcome is Outcome.MEASURED and row.spec.memory:
        return "not measured"
    return DASH


def _baseline(row: Row, baseline: Baseline | None, templates: dict[Source, str]) -> str:
    if baseline is None:
        return DASH
    wrong = baseline.count is not None and baseline.count != row.regions
    return templates[baseline.source].format(
        b=baseline, t=fmt_seconds(baseline.seconds),
        wrong=f" (SAGE COUNT {baseline.count:,})" if wrong else "")


def _ratio(row: Row, baseline: Baseline | None) -> str:
    r = row.ratio(baseline)
    if baseline is None or r is None:
        return DASH
    prefix = "> " if baseline.lower_bound else ""
    suffix = " (vs quoted)" if baseline.source is Source.QUOTED else ""
    return f"{prefix}{r:,.0f}×{suffix}"


#: The table, one column at a time.
COLUMNS: tuple[Column[Row], ...] = (
    Column("workload", lambda r: r.workload),
    Column("operation", lambda r: r.spec.label),
    Column("regions", lambda r: fmt_count(r.regions), "r"),
    Column("hyperarr", _time, "r"),
    Column("regions/s", _rate, "r"),
    Column("peak memory", _peak, "r"),
    Column("LP baseline", lambda r: _baseline(r, r.lp, _LP_CELL), "r"),
    Column("LP/hyperarr", lambda r: _ratio(r, r.lp), "r"),
    Column("Sage", lambda r: _baseline(r, r.sage, _SAGE_CELL), "r"),
    Column("Sage/hyperarr", lambda r: _ratio(r, r.sage), "r"),
    Column("target", lambda r: DASH if r.target is None else r.target.text),
    Column("status", lambda r: r.status or DASH),
)

NOTES = [
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


def row_cells(row: Row) -> list[str]:
    """The cells of one row, in the order of ``COLUMNS``."""
    return cells(COLUMNS, row)


def table(rows: Sequence[Row]) -> str:
    """The markdown table of ``rows``."""
    return format_table(COLUMNS, rows)


def verdicts(rows: Sequence[Row]) -> list[str]:
    """``"workload operation: status"`` for each row with a target."""
    return [f"{r.workload} {r.spec.label}: {r.status}" for r in rows if r.target is not None]


def sage_line(version: str | None) -> str:
    """The header line on Sage: the version timed in this run, or where the figures come from."""
    if version is not None:
        return (f"- Sage: {version}, timed in a separate interpreter in this run "
                "(rows without a measurement show the quoted reference figures)")
    return ("- Sage: not installed here; the Sage column shows quoted reference figures "
            "(measured on a 2-core machine), marked (quoted)")


def document(header: Sequence[str], rows: Sequence[Row]) -> str:
    """The markdown file: title, ``header`` lines, the table, the notes."""
    return "\n".join(["# Region enumeration benchmark", "", *header, "", table(rows), "", *NOTES, ""])
