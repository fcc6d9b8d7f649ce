"""Shared pieces of the benchmark scripts: headers, table columns, formatting, atomic writes."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO, Generic, TypeVar

__all__ = [
    "SAGE_RESONANCE",
    "DEFAULT_OUT",
    "Column",
    "cells",
    "machine_lines",
    "markdown_table",
    "format_table",
    "write_atomic",
    "write_text_atomic",
    "fmt_seconds",
    "fmt_count",
]

#: Where results go unless ``--out`` says otherwise.
DEFAULT_OUT = Path(__file__).resolve().parent / "results"


#: The start of a script run by a Sage interpreter: imports, d from argv[1],
#: and A = the resonance arrangement of R^d over QQ.
SAGE_RESONANCE = """
import itertools, json, sys, time
try:
    import sage.all
except ImportError:
    import sage.all__sagemath_polyhedra
from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements
from sage.rings.rational_field import QQ
d = int(sys.argv[1])
H = HyperplaneArrangements(QQ, tuple(f"x{i}" for i in range(d)))
A = H(*[[0] + list(v) for v in itertools.product([0, 1], repeat=d) if any(v)])
"""


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_lines(seed: int | None = None, extra: Sequence[str] = ()) -> list[str]:
    """Markdown bullet lines naming the machine, the versions, the date and the seed."""
    import hyperarr

    cpus = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = cpus
    lines = [
        f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.platform()} ({platform.machine()}), "
        f"{cpus} logical CPUs ({usable} usable), processor: {platform.processor() or 'n/a'}",
        f"- python: {platform.python_implementation()} {sys.version.split()[0]}",
        f"- hyperarr {hyperarr.__version__}, numpy {_version('numpy')}, scipy {_version('scipy')}, "
        f"networkx {_version('networkx')}, matplotlib {_version('matplotlib')}",
    ]
    try:
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        lines.append(f"- load average (1, 5, 15 min) when the header was written: {load} "
                     "(other processes share the machine; timings are noisy)")
    except (AttributeError, OSError):
        pass
    if seed is not None:
        lines.append(f"- seed: {seed}")
    lines.extend(extra)
    return lines


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]],
                   align: str | None = None) -> str:
    """A GitHub-flavoured markdown table; ``align`` is one of 'l'/'r' per column."""
    cells = [[str(h) for h in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(row[j]) for row in cells) for j in range(len(header))]
    align = align or "l" * len(header)

    def line(row: Sequence[str]) -> str:
        out = []
        for j, c in enumerate(row):
            out.append(c.rjust(widths[j]) if align[j] == "r" else c.ljust(widths[j]))
        return "| " + " | ".join(out) + " |"

    rule = "|" + "|".join(
        ("-" * (w + 1) + ":") if a == "r" else ("-" * (w + 2)) for w, a in zip(widths, align)
    ) + "|"
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a results table: its header, the cell of a row, its alignment.

    The scripts fill typed row records first; a tuple of columns is the one
    formatter that turns them into cells.
    """

    header: str
    cell: Callable[[R], str]
    align: str = "l"  # "l" or "r"


def cells(columns: Sequence[Column[R]], row: R) -> list[str]:
    """The cells of one row, one a column."""
    return [c.cell(row) for c in columns]


def format_table(columns: Sequence[Column[R]], rows: Sequence[R]) -> str:
    """The markdown table of ``rows``: the headers, then one line a row."""
    return markdown_table([c.header for c in columns], [cells(columns, r) for r in rows],
                          align="".join(c.align for c in columns))


def write_atomic(path: str | os.PathLike[str], write_fn: Callable[[IO[bytes]], object]) -> None:
    """Write ``path`` atomically (the library's writer: temp file, then rename)."""
    from hyperarr._atomic import atomic_write

    atomic_write(path, write_fn)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text atomically; see `write_atomic`."""
    from hyperarr._atomic import atomic_write_text

    atomic_write_text(path, text)


def publish(lines: Sequence[str], out: str | os.PathLike[str]) -> int:
    """Print a results document and write it atomically to ``out``; the exit status 0."""
    text = "\n".join(lines)
    print(text)
    write_text_atomic(out, text)
    return 0


def fmt_seconds(t: float | None) -> str:
    """``0.0123`` → ``12.3 ms``; ``4.56`` → ``4.56 s``."""
    if t is None:
        return "n/a"
    if t < 1e-3:
        return f"{t * 1e6:.0f} µs"
    if t < 1.0:
        return f"{t * 1e3:.1f} ms"
    if t < 100:
        return f"{t:.2f} s"
    return f"{t:.0f} s"


def fmt_count(v: int | None) -> str:
    """Thousands separated with commas; ``n/a`` for None."""
    return "n/a" if v is None else f"{v:,}"
