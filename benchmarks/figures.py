"""The benchmark figures that README.md and the docs quote, made from benchmarks/results/.

Every figure a page copies from a results file is listed in `QUOTES` once: the
page, the text around the figure, the results file, and how the figure is read
from it and written.  After a benchmark run, rewrite the pages from the new
results, and review the diff::

    python -m benchmarks.figures            # rewrite the quoted figures in place
    python -m benchmarks.figures --check    # list the disagreements; exit 1 if any

``tests/test_benchmark_figures.py`` runs the check, so a page whose figure
disagrees with its results file fails the tests.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Results", "Quote", "QUOTES", "mismatches", "rewrite", "main"]

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path("benchmarks") / "results"

_UNITS = {"µs": 1e-6, "ms": 1e-3, "s": 1.0}
_SECONDS = re.compile(r"(\d[\d,]*(?:\.\d+)?) (µs|ms|s)\b")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


class Results:
    """One results file: its bullet lines, and its first table by row and column.

    A row is named by its first cell, a column by its header.
    """

    def __init__(self, text: str) -> None:
        self.bullets = [line[2:] for line in text.splitlines() if line.startswith("- ")]
        rows = [line for line in text.splitlines() if line.startswith("|")]
        if len(rows) < 2:
            raise ValueError("a results file needs a markdown table; found none")
        split = [[c.strip() for c in line.strip().strip("|").split("|")] for line in rows]
        self.header = split[0]
        self.rows = {r[0]: dict(zip(self.header, r)) for r in split[2:]}

    def cell(self, row: str, column: str) -> str:
        """The cell of ``row`` under ``column``."""
        try:
            return self.rows[row][column]
        except KeyError:
            raise KeyError(f"no cell ({row!r}, {column!r}); rows {sorted(self.rows)}, "
                           f"columns {self.header}") from None

    def bullet(self, prefix: str) -> str:
        """The one bullet line that starts with ``prefix``, without the prefix."""
        found = [b[len(prefix):] for b in self.bullets if b.startswith(prefix)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} bullets start with {prefix!r}; expected 1")
        return found[0]


def seconds(text: str, after: str = "") -> float:
    """The first duration in ``text`` (after ``after``, if given), in seconds."""
    match = _SECONDS.search(text.split(after, 1)[1] if after else text)
    if match is None:
        raise ValueError(f"no duration in {text!r}")
    return float(match[1].replace(",", "")) * _UNITS[match[2]]


def number(text: str, after: str = "") -> float:
    """The first number in ``text`` (after ``after``, if given); commas are dropped."""
    match = _NUMBER.search(text.split(after, 1)[1] if after else text)
    if match is None:
        raise ValueError(f"no number in {text!r}")
    return float(match[0].replace(",", ""))


def two_digits(t: float) -> str:
    """A duration to two significant digits: ``0.234`` → ``0.23 s``, ``35.6`` → ``36 s``."""
    return f"{t:.2g} s" if t < 100 else f"{t:,.0f} s"


def thousands(x: float) -> str:
    """``110100`` → ``110,000``."""
    return f"{round(x, -3):,.0f}"


@dataclass(frozen=True)
class Quote:
    """One figure on one page, and where it comes from.

    ``pattern`` is a regular expression that matches exactly once in the page;
    its group ``fig`` is the figure.  ``make`` reads the results file and
    returns the figure as the page must show it.
    """

    page: str
    pattern: str
    source: str
    make: Callable[[Results], str]


def _time(row: str) -> Callable[[Results], str]:
    return lambda r: two_digits(seconds(r.cell(row, "time")))


def _rate(r: Results) -> float:
    """Regions a second, one worker, end to end."""
    return number(r.bullet("per task (1 worker, the three rounds): "), ";")


#: generic(40, 10)'s regions, and the ranges and workers of the plan in
#: docs/guide/scale-out.md; the plan's times scale the measured rate.
_PLAN_REGIONS, _PLAN_RANGES, _PLAN_WORKERS = 1_221_246_132, 1000, 100


def _plan_range_seconds(r: Results) -> float:
    return _PLAN_REGIONS / _PLAN_RANGES / _rate(r)


_COUNTING = "docs/guide/counting.md"
_SCALE_OUT = "docs/guide/scale-out.md"
_R7 = r"\| `resonance\(7\)`, \$S_8\$ \(40,320 elements\) \| "
_T7 = r"\| `threshold\(7\)`, cube group \(645,120 elements\) \| "
_FIG_S = r"(?P<fig>[\d.,]+ s)"

QUOTES: tuple[Quote, ...] = (
    # The counting guide's table: without and with the symmetry group, one frontier run.
    Quote(_COUNTING, _R7 + _FIG_S + r" \|", "frontier.md", _time("R7")),
    Quote(_COUNTING, _R7 + r"[\d.,]+ s \| " + _FIG_S, "frontier.md", _time("R7 sym")),
    Quote(_COUNTING, _T7 + _FIG_S + r" \|", "frontier.md", _time("T7")),
    Quote(_COUNTING, _T7 + r"[\d.,]+ s \| " + _FIG_S, "frontier.md", _time("T7 sym")),
    # The scale-out guide's measured per-task figures.
    Quote(_SCALE_OUT, r"three rounds together, 1 worker \| (?P<fig>[\d.]+ s) for",
          "distributed.md",
          lambda r: f"{seconds(r.bullet('per task (1 worker, the three rounds): ')):.2f} s"),
    Quote(_SCALE_OUT, r"1 worker \| [\d.]+ s for (?P<fig>[\d,]+) regions \|", "distributed.md",
          lambda r: thousands(number(r.bullet("generic(22, 10): "))
                              / number(r.bullet("generic(22, 10): "), "regions, "))),
    Quote(_SCALE_OUT, r"end to end \(Parquet written\) \| (?P<fig>[\d,]+) regions/s",
          "distributed.md", lambda r: thousands(_rate(r))),
    Quote(_SCALE_OUT, r"regions/s \((?P<fig>[\d.]+) µs a region\)", "distributed.md",
          lambda r: f"{1e6 / _rate(r):.1f}"),
    Quote(_SCALE_OUT, r"\| Parquet written \| (?P<fig>[\d.]+) bytes a region", "distributed.md",
          lambda r: f"{number(r.bullet('generic(22, 10): '), 'MB in all ('):.1f}"),
    Quote(_SCALE_OUT, r"bytes a region; (?P<fig>[\d.]+) MB a part \|", "distributed.md",
          lambda r: f"{number(r.bullet('generic(22, 10): '), 'bytes a region, '):.1f}"),
    Quote(_SCALE_OUT, r"\| 2 workers against 1, same run \| (?P<fig>[\d.]+)×", "distributed.md",
          lambda r: r.cell("generic(22, 10) regions_to_parquet, 2 workers",
                           "speed-up vs 1 worker").rstrip("×")),
    # The plan for generic(40, 10), scaled from the measured rate.
    Quote(_SCALE_OUT, r"worker time a range task \(at (?P<fig>[\d.]+) µs a region\)",
          "distributed.md", lambda r: f"{1e6 / _rate(r):.1f}"),
    Quote(_SCALE_OUT, r"µs a region\) \| ≈ (?P<fig>\d+ s) \|", "distributed.md",
          lambda r: f"{_plan_range_seconds(r):.0f} s"),
    Quote(_SCALE_OUT, r"\| total worker time \| ≈ (?P<fig>[\d,]+ s) \|", "distributed.md",
          lambda r: f"{round(_plan_range_seconds(r) * _PLAN_RANGES, -2):,.0f} s"),
    Quote(_SCALE_OUT, r"on 100 workers \| ≈ (?P<fig>\d+ s) of compute", "distributed.md",
          lambda r: f"{round(_plan_range_seconds(r) * _PLAN_RANGES / _PLAN_WORKERS, -1):.0f} s"),
)


def _expected(quote: Quote, root: Path) -> str:
    return quote.make(Results((root / RESULTS / quote.source).read_text(encoding="utf-8")))


def mismatches(root: Path = ROOT, quotes: Sequence[Quote] = QUOTES) -> list[str]:
    """One line for each quote whose page disagrees with its results file, or lacks it."""
    out = []
    for quote in quotes:
        text = (root / quote.page).read_text(encoding="utf-8")
        found = list(re.finditer(quote.pattern, text))
        if len(found) != 1:
            out.append(f"{quote.page}: {quote.pattern!r} matches {len(found)} times; expected 1")
            continue
        want = _expected(quote, root)
        if found[0]["fig"] != want:
            line = text.count("\n", 0, found[0].start("fig")) + 1
            out.append(f"{quote.page}:{line}: {found[0]['fig']!r}, but "
                       f"{RESULTS / quote.source} gives {want!r}")
    return out


def rewrite(root: Path = ROOT, quotes: Sequence[Quote] = QUOTES) -> list[str]:
    """Write each quoted figure from its results file; return the pages changed."""
    changed = []
    for page in dict.fromkeys(q.page for q in quotes):
        path = root / page
        text = old = path.read_text(encoding="utf-8")
        for quote in (q for q in quotes if q.page == page):
            match = re.search(quote.pattern, text)
            if match is None:
                raise ValueError(f"{page}: {quote.pattern!r} is not on the page")
            text = text[:match.start("fig")] + _expected(quote, root) + text[match.end("fig"):]
        if text != old:
            path.write_text(text, encoding="utf-8")
            changed.append(page)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.figures", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="only list the figures that disagree; exit 1 if any")
    args = parser.parse_args(argv)
    if args.check:
        wrong = mismatches()
        print("\n".join(wrong) if wrong else f"{len(QUOTES)} quoted figures agree")
        return 1 if wrong else 0
    changed = rewrite()
    print("rewrote " + ", ".join(changed) if changed else "no figure changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
