"""What the command line reads: arrangements from CSV files or built-in examples, integer ranges (private).

Every error is an [`ArrangementError`][hyperarr.ArrangementError] (a
`ValueError`) that names the argument, what it expects and what it got.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from fractions import Fraction

import numpy as np

from hyperarr import library
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError

__all__ = ["EXAMPLES", "load_arrangement", "parse_int_ranges", "read_arrangement_csv"]

#: Built-in examples by command-line name.
EXAMPLES: dict[str, Callable[[], Arrangement]] = {
    "five-lines": library.five_lines,
    "braid-4": lambda: library.braid(4),
    "shi-3": lambda: library.shi(3),
    "resonance-4": lambda: library.resonance(4),
    "threshold-3": lambda: library.threshold(3),
}


def read_arrangement_csv(path: str | os.PathLike[str], dim: int | None = None) -> Arrangement:
    """Read an arrangement from a CSV file, one row ``w_1, ..., w_d, θ`` per hyperplane.

    Numbers are read exactly (``0.1`` is 1/10).  Blank lines and ``#``
    comments are skipped; a first row that is not numeric is taken as a
    header.  With ``dim`` given, every row must have ``dim + 1`` numbers.

    Raises
    ------
    ArrangementError
        If the file is missing, not UTF-8 text, or a row is not ``dim + 1``
        numbers (the file name and line number are in the message).
    OSError
        If the file exists but cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "lines.csv"
    >>> _ = path.write_text("w1,w2,theta\\n1,0,1/2\\n0,1,0.1\\n")
    >>> [str(v) for v in read_arrangement_csv(path).exact_rows[1]]
    ['0', '1', '1/10']
    >>> read_arrangement_csv(path, dim=3)
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: ...lines.csv line 2: expected 4 numbers; got 3
    """
    name = os.fspath(path)
    if not os.path.isfile(name):
        raise ArrangementError(f"FILE.csv must be an existing CSV file; no file {name!r}")
    with open(name, "rb") as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArrangementError(
            f"FILE.csv must be UTF-8 text; {name} has byte {data[exc.start]:#04x} at offset {exc.start}"
        ) from None
    try:
        rows = _numeric_rows(name, csv.reader(io.StringIO(text, newline="")), dim)
    except csv.Error as exc:
        raise ArrangementError(f"FILE.csv must be CSV text; {name}: {exc}") from None
    simple = [[int(v) if v.denominator == 1 else v for v in r] for r in rows]
    return Arrangement.from_matrix(np.array(simple, dtype=object))


def _numeric_rows(name: str, reader: Iterable[list[str]], dim: int | None) -> list[list[Fraction]]:
    """The rows of ``reader`` as Fractions, blank lines, comments and a header skipped."""
    rows: list[list[Fraction]] = []
    width = None if dim is None else dim + 1
    for lineno, cells in enumerate(reader, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        try:
            values = [Fraction(c) for c in cells]
        except (ValueError, ZeroDivisionError):
            if not rows and lineno == 1:
                continue  # a header row such as w1,w2,theta
            raise ArrangementError(
                f"{name} line {lineno}: expected numbers w_1,...,w_d,theta; got {','.join(cells)!r}"
            ) from None
        if len(values) < 2:
            raise ArrangementError(
                f"{name} line {lineno}: a row needs d >= 1 weights and theta; got {len(values)} value"
            )
        if width is None:
            width = len(values)
        if len(values) != width:
            raise ArrangementError(f"{name} line {lineno}: expected {width} numbers; got {len(values)}")
        rows.append(values)
    if not rows:
        raise ArrangementError(
            f"{name} holds no hyperplanes: expected rows w_1,...,w_d,theta; "
            "got only blank lines, comments or a header"
        )
    return rows


def load_arrangement(path: str | None, example: str | None) -> Arrangement:
    """The arrangement named on a command line: a CSV file or ``--example NAME``, exactly one.

    Examples
    --------
    >>> load_arrangement(None, "five-lines").n
    5
    >>> load_arrangement("lines.csv", "five-lines")
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: give either FILE.csv or --example NAME (exactly one); got FILE.csv 'lines.csv' and --example five-lines
    """
    if path is not None and example is not None:
        raise ArrangementError(
            "give either FILE.csv or --example NAME (exactly one); "
            f"got FILE.csv {path!r} and --example {example}"
        )
    if example is not None:
        if example not in EXAMPLES:
            raise ArrangementError(f"--example must be one of {', '.join(EXAMPLES)}; got {example!r}")
        return EXAMPLES[example]()
    if path is None:
        raise ArrangementError("give either FILE.csv or --example NAME (exactly one); got neither")
    return read_arrangement_csv(path)


def parse_int_ranges(option: str, text: str, low: int, high: int) -> list[int]:
    """Integers from ``n``, ``a:b`` (inclusive), ``a:b:s`` or a comma list of those.

    Raises ArrangementError naming ``option`` for malformed text, an empty or
    descending range, a step below 1, or a value outside [low, high].

    Examples
    --------
    >>> parse_int_ranges("--n", "1:3,10:20:5", 0, 100)
    [1, 2, 3, 10, 15, 20]
    >>> parse_int_ranges("--n", "5:1", 0, 100)
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: --n range '5:1' needs a <= b and a step >= 1
    """
    values: list[int] = []
    for item in text.split(","):
        try:
            ints = [int(p) for p in item.strip().split(":")]
        except ValueError:
            ints = []
        if not 1 <= len(ints) <= 3:
            raise ArrangementError(
                f"{option} expects an integer, a range a:b or a:b:s, or a comma list of them; "
                f"got {text!r}"
            )
        a, b = ints[0], ints[min(1, len(ints) - 1)]
        step = ints[2] if len(ints) == 3 else 1
        for v in (a, b):
            if not low <= v <= high:
                raise ArrangementError(f"{option} values must be integers in [{low}, {high}]; got {v}")
        if b < a or step < 1:
            raise ArrangementError(f"{option} range {item.strip()!r} needs a <= b and a step >= 1")
        values.extend(range(a, b + 1, step))
    return values
