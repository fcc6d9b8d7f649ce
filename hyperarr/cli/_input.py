"""Command-line input (private): arrangements from CSV files or built-in examples, integer ranges."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement

__all__ = ["read_arrangement_csv", "load_arrangement", "EXAMPLES", "parse_int_ranges"]


# --------------------------------------------------------------------------
# Arrangements from the command line: CSV files and built-in examples
# --------------------------------------------------------------------------

#: Built-in examples by CLI name: (library function name, arguments).
EXAMPLES: dict[str, tuple[str, tuple[int, ...]]] = {
    "five-lines": ("five_lines", ()),
    "braid-4": ("braid", (4,)),
    "shi-3": ("shi", (3,)),
    "resonance-4": ("resonance", (4,)),
    "threshold-3": ("threshold", (3,)),
}


def read_arrangement_csv(path: str | os.PathLike[str], dim: int | None = None) -> "Arrangement":
    """Read an arrangement from a CSV file, one row ``w_1, ..., w_d, θ`` per hyperplane.

    Numbers are read exactly (``0.1`` is 1/10).  Blank lines and ``#``
    comments are skipped; a first row that is not numeric is taken as a
    header.  With ``dim`` given, every row must have ``dim + 1`` numbers.
    """
    import csv
    import io as _stdio
    from fractions import Fraction

    from hyperarr.arrangement import Arrangement

    name = os.fspath(path)
    if not os.path.isfile(name):
        raise ValueError(f"FILE.csv must be an existing CSV file; no file {name!r}")
    with open(name, newline="", encoding="utf-8") as fh:
        text = fh.read()
    rows: list[list[Fraction]] = []
    width = None if dim is None else dim + 1
    for lineno, cells in enumerate(csv.reader(_stdio.StringIO(text)), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        try:
            values = [Fraction(c) for c in cells]
        except (ValueError, ZeroDivisionError):
            if not rows and lineno == 1:
                continue  # a header row such as w1,w2,theta
            raise ValueError(
                f"{name} line {lineno}: expected numbers w_1,...,w_d,theta; got {','.join(cells)!r}"
            ) from None
        if len(values) < 2:
            raise ValueError(f"{name} line {lineno}: a row needs d >= 1 weights and theta; got {len(values)} value")
        if width is None:
            width = len(values)
        if len(values) != width:
            raise ValueError(f"{name} line {lineno}: expected {width} numbers; got {len(values)}")
        rows.append(values)
    if not rows:
        raise ValueError(f"{name} holds no hyperplanes; write one row w_1,...,w_d,theta per line")
    simple = [[int(v) if v.denominator == 1 else v for v in r] for r in rows]
    return Arrangement.from_matrix(np.array(simple, dtype=object))


def load_arrangement(path: str | None, example: str | None) -> "Arrangement":
    """The arrangement named on a command line: a CSV file or ``--example NAME``."""
    from hyperarr import library

    if (path is None) == (example is None):
        raise ValueError("give either FILE.csv or --example NAME (exactly one)")
    if example is not None:
        if example not in EXAMPLES:
            raise ValueError(f"--example must be one of {', '.join(EXAMPLES)}; got {example!r}")
        func, params = EXAMPLES[example]
        return getattr(library, func)(*params)  # type: ignore[no-any-return]
    return read_arrangement_csv(path)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Command-line values
# --------------------------------------------------------------------------


def parse_int_ranges(option: str, text: str, low: int, high: int) -> list[int]:
    """Integers from ``n``, ``a:b`` (inclusive), ``a:b:s`` or a comma list of those.

    Raises ValueError naming ``option`` for malformed text, an empty or
    descending range, a step below 1, or a value outside [low, high].
    """
    values: list[int] = []
    for item in text.split(","):
        try:
            ints = [int(p) for p in item.strip().split(":")]
        except ValueError:
            ints = []
        if not 1 <= len(ints) <= 3:
            raise ValueError(
                f"{option} expects an integer, a range a:b or a:b:s, or a comma list of them; "
                f"got {text!r}"
            )
        a, b = ints[0], ints[min(1, len(ints) - 1)]
        step = ints[2] if len(ints) == 3 else 1
        for v in (a, b):
            if not low <= v <= high:
                raise ValueError(f"{option} values must be integers in [{low}, {high}]; got {v}")
        if b < a or step < 1:
            raise ValueError(f"{option} range {item.strip()!r} needs a <= b and a step >= 1")
        values.extend(range(a, b + 1, step))
    return values
