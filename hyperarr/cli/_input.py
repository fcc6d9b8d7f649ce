"""What the command line reads: arrangements from CSV files or built-in examples, integer ranges (private).

Every error is an [`ArrangementError`][hyperarr.ArrangementError] (a
`ValueError`) that names the argument, what it expects and what it got.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from hyperarr import _exact, library
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

__all__ = [
    "EXAMPLES",
    "EXAMPLES_HELP",
    "FAMILIES",
    "has_symmetry",
    "plane_examples",
    "load_symmetric",
    "check_work",
    "count_table_bits",
    "count_table_seconds",
    "load_arrangement",
    "parse_int_ranges",
    "parse_seconds",
    "read_arrangement_csv",
    "split_list",
]

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

    Numbers are read exactly: ``0.1`` is 1/10, ``1/3`` is 1/3 and ``2e308``
    is the integer 2·10^308, beyond the float range.  Blank lines and ``#``
    comments are skipped, and so is a UTF-8 byte order mark.  The first
    other row is a header when none of its fields is a number (``w1,w2,theta``);
    every later row must be numbers.  With ``dim`` given, every row must have
    ``dim + 1`` numbers.

    Raises
    ------
    ArrangementError
        If the file is missing or not UTF-8 text, a value is not a finite
        number, or a row is not ``dim + 1`` numbers.  The message names the
        file, the line and, for a bad value, its column (both from 1, as
        editors count) and the value.
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
    >>> _ = path.write_text("1,0,0.5x\\n0,1,0\\n")
    >>> read_arrangement_csv(path)
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: ...lines.csv line 1: expected numbers w_1,...,w_d,theta; got '1,0,0.5x' (column 3: '0.5x' is not a number)
    """
    name = os.fspath(path)
    if not os.path.isfile(name):
        raise ArrangementError(f"FILE.csv must be an existing CSV file; no file {name!r}")
    with open(name, "rb") as fh:
        data = fh.read()
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # as "utf-8-sig" reads
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = bom + exc.start
        raise ArrangementError(
            f"FILE.csv must be UTF-8 text; {name} has byte {data[at]:#04x} at offset {at}"
        ) from None
    try:
        rows = _numeric_rows(name, csv.reader(io.StringIO(text, newline="")), dim)
    except csv.Error as exc:
        raise ArrangementError(f"FILE.csv must be CSV text; {name}: {exc}") from None
    simple = [[int(v) if v.denominator == 1 else v for v in r] for r in rows]
    return Arrangement.from_matrix(np.array(simple, dtype=object))


def _numeric_rows(name: str, reader: Any, dim: int | None) -> list[list[Fraction]]:
    """The rows of a `csv.reader` as Fractions, blank lines, comments and a header skipped."""
    rows: list[list[Fraction]] = []
    width = None if dim is None else dim + 1
    header_allowed = True
    end = 0  # the line the previous row ended on (a quoted field may span lines)
    for cells in reader:
        lineno, end = end + 1, reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        parsed = [_number(c) for c in cells]
        if header_allowed and all(p == _NOT_A_NUMBER for p in parsed):
            header_allowed = False
            continue  # a header row such as w1,w2,theta
        header_allowed = False
        values = [p for p in parsed if isinstance(p, Fraction)]
        if len(values) < len(parsed):
            col, why = next((k, p) for k, p in enumerate(parsed, start=1) if isinstance(p, str))
            raise ArrangementError(
                f"{name} line {lineno}: expected {'' if why == _NOT_A_NUMBER else 'finite '}numbers "
                f"w_1,...,w_d,theta; got {','.join(cells)!r} (column {col}: {cells[col - 1]!r} {why})"
            )
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


#: What `_number` says of a field that is no number at all (nan, inf and 1/0 are numbers of a kind).
_NOT_A_NUMBER = "is not a number"


def _number(text: str) -> Fraction | str:
    """``text`` as an exact Fraction, or why it is not one."""
    try:
        return _exact.parse_exact(text)
    except ZeroDivisionError:
        return "divides by zero"
    except ValueError as exc:
        why = str(exc)
    if why != _NOT_A_NUMBER:
        return why  # too large: refused before it was built
    try:
        float(text)  # reads nan, inf and infinity, which Fraction refuses
    except ValueError:
        return _NOT_A_NUMBER
    return "is not finite"


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
        return _example(example)[0]
    if path is None:
        raise ArrangementError("give either FILE.csv or --example NAME (exactly one); got neither")
    return read_arrangement_csv(path)


#: Families that ``--example FAMILY-D`` builds, with their symmetry groups.
FAMILIES: dict[str, tuple[Callable[[int], Arrangement], Callable[[int], list[list[int]]] | None]] = {
    "coordinate": (library.coordinate, library.coordinate_symmetry),
    "braid": (library.braid, library.braid_symmetry),
    "shi": (library.shi, None),
    "catalan": (library.catalan, library.catalan_symmetry),
    "resonance": (library.resonance, library.resonance_symmetry),
    "threshold": (library.threshold, library.threshold_symmetry),
    "coxeter-b": (lambda d: library.coxeter("B", d), lambda d: library.coxeter_symmetry("B", d)),
    "coxeter-d": (lambda d: library.coxeter("D", d), lambda d: library.coxeter_symmetry("D", d)),
    "shi-b": (lambda d: library.shi(d, "B"), None),
    "shi-d": (lambda d: library.shi(d, "D"), None),
    "catalan-b": (lambda d: library.catalan(d, "B"), lambda d: library.catalan_symmetry(d, "B")),
    "catalan-d": (lambda d: library.catalan(d, "D"), lambda d: library.catalan_symmetry(d, "D")),
    "semiorder": (library.semiorder, library.semiorder_symmetry),
    "linial": (library.linial, None),
    "ish": (library.ish, None),
    "ish-b": (library.ish_b, None),
}
#: Largest d of ``--example FAMILY-D``.
_MAX_FAMILY_D = 12

#: The help of ``--example NAME``, the same in every command that reads an arrangement.
EXAMPLES_HELP = (
    f"a built-in arrangement instead of FILE.csv: {', '.join(EXAMPLES)}, or FAMILY-D such as "
    f"threshold-6, resonance-7, braid-5 (FAMILY one of {', '.join(FAMILIES)}, the families of "
    f"hyperarr.library; D in 1..{_MAX_FAMILY_D})"
)



def _example(name: str) -> tuple[Arrangement, list[list[int]] | None]:
    """The arrangement ``--example NAME`` names, and its symmetry generators if known.

    NAME is one of `EXAMPLES`, or ``FAMILY-D`` for a family of
    `hyperarr.library` (``threshold-6``, ``resonance-7``, ...).

    Examples
    --------
    >>> A, gens = _example("threshold-3")
    >>> A.n, len(gens)
    (8, 3)
    >>> _example("cube-3")
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: --example must be one of five-lines, braid-4, shi-3, resonance-4, threshold-3, or FAMILY-D with FAMILY in coordinate, braid, shi, catalan, resonance, threshold, coxeter-b, coxeter-d, shi-b, shi-d, catalan-b, catalan-d, semiorder, linial, ish, ish-b and D in 1..12; got 'cube-3'
    """
    family, _, dim = name.rpartition("-")
    if family in FAMILIES and dim.isdigit() and 1 <= int(dim) <= _MAX_FAMILY_D:
        make, symmetry = FAMILIES[family]
        d = int(dim)
        return make(d), (symmetry(d) if symmetry is not None else None)
    if name in EXAMPLES:
        return EXAMPLES[name](), None
    raise ArrangementError(
        f"--example must be one of {', '.join(EXAMPLES)}, or FAMILY-D with FAMILY in "
        f"{', '.join(FAMILIES)} and D in 1..{_MAX_FAMILY_D}; got {name!r}")


def plane_examples() -> list[str]:
    """The ``--example`` names of lines in the plane (d = 2), the ones ``hyperarr plot`` draws.

    Examples
    --------
    >>> plane_examples()
    ['five-lines', 'coordinate-2', 'braid-2', 'shi-2', 'catalan-2', 'resonance-2', 'threshold-1', 'coxeter-b-2', 'coxeter-d-2', 'shi-b-2', 'shi-d-2', 'catalan-b-2', 'catalan-d-2', 'semiorder-2', 'linial-2', 'ish-2', 'ish-b-2']
    """
    names = [name for name, make in EXAMPLES.items() if make().dim == 2]
    for family, (make_family, _) in FAMILIES.items():
        names += [f"{family}-{d}" for d in (1, 2) if _plane(make_family, d)]
    return names


def _plane(make: Callable[[int], Arrangement], d: int) -> bool:
    """Whether the family's member ``d`` exists and lies in the plane (type D needs d >= 2)."""
    try:
        return make(d).dim == 2
    except ArrangementError:
        return False


def has_symmetry(name: str | None) -> bool:
    """Whether ``--example name`` is of a family whose symmetry group ``--symmetry`` can state.

    Examples
    --------
    >>> has_symmetry("threshold-7"), has_symmetry("shi-4"), has_symmetry("five-lines")
    (True, False, False)
    """
    family, _, dim = (name or "").rpartition("-")
    return family in FAMILIES and FAMILIES[family][1] is not None and dim.isdigit()


def load_symmetric(path: str | None, example: str | None) -> tuple[Arrangement, list[list[int]] | None]:
    """Like `load_arrangement`, with the example's symmetry generators (None if unknown)."""
    if path is None and example is not None:
        return _example(example)
    return load_arrangement(path, example), None


def parse_int_ranges(option: str, text: str, low: int, high: int, max_count: int = 10_000) -> list[int]:
    """Integers from ``n``, ``a:b`` (inclusive), ``a:b:s`` or a comma list of those.

    The values of every range are counted arithmetically first; nothing is
    expanded unless there are at most ``max_count`` in all.

    Raises ArrangementError naming ``option`` for malformed text, an empty or
    descending range, a step below 1, a value outside [low, high], or more
    than ``max_count`` values.

    Examples
    --------
    >>> parse_int_ranges("--n", "1:3,10:20:5", 0, 100)
    [1, 2, 3, 10, 15, 20]
    >>> parse_int_ranges("--n", "5:1", 0, 100)
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: --n range '5:1' needs a <= b and a step >= 1
    >>> parse_int_ranges("--T", "2:1000000000", 0, 10**9, max_count=1000)
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: --T expects at most 1000 values; got 999999999 from '2:1000000000'
    """
    ranges = [_int_range(option, item, text, low, high) for item in text.split(",")]
    count = sum((b - a) // step + 1 for a, b, step in ranges)
    if count > max_count:
        raise ArrangementError(
            f"{option} expects at most {max_count} values; got {count} from {_shown(text)}"
        )
    return [v for a, b, step in ranges for v in range(a, b + 1, step)]


def _int_range(option: str, item: str, text: str, low: int, high: int) -> tuple[int, int, int]:
    """``(a, b, step)`` of one item ``n``, ``a:b`` or ``a:b:s`` of ``text``, checked."""
    try:
        ints = [int(p) for p in item.strip().split(":")]
    except ValueError:
        ints = []
    if not 1 <= len(ints) <= 3:
        raise ArrangementError(
            f"{option} expects an integer, a range a:b or a:b:s, or a comma list of them; "
            f"got {_shown(text)}"
        )
    a, b = ints[0], ints[min(1, len(ints) - 1)]
    step = ints[2] if len(ints) == 3 else 1
    for v in (a, b):
        if not low <= v <= high:
            raise ArrangementError(f"{option} values must be integers in [{low}, {high}]; got {v}")
    if b < a or step < 1:
        raise ArrangementError(f"{option} range {item.strip()!r} needs a <= b and a step >= 1")
    return a, b, step


def _shown(text: str, width: int = 60) -> str:
    """``repr(text)``, cut to about ``width`` characters for an error message."""
    return repr(text) if len(text) <= width else f"{text[:width]!r}... ({len(text)} characters)"


def split_list(option: str, text: str, what: str) -> list[str]:
    """The items of the comma-separated list ``text`` given as ``option``, stripped.

    An empty list, or an empty item, is an error: ``--positive ''`` is far
    more often an unset shell variable than a request for nothing.

    Examples
    --------
    >>> split_list("--positive", " A, D ,G", "regions")
    ['A', 'D', 'G']
    >>> split_list("--positive", "", "regions")
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: --positive expects a comma-separated list of regions; got ''
    """
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or "" in items:
        raise ArrangementError(f"{option} expects a comma-separated list of {what}; got {text!r}")
    return items


def parse_seconds(option: str, text: str) -> float:
    """A positive, finite number of seconds given as ``option``.

    Examples
    --------
    >>> parse_seconds("--max-seconds", "2.5")
    2.5
    >>> parse_seconds("--max-seconds", "inf")
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: --max-seconds must be a positive finite number of seconds; got 'inf'
    """
    try:
        value = float(text)
    except ValueError:
        raise ArrangementError(f"{option} expects a number of seconds; got {text!r}") from None
    if not 0 < value < math.inf:
        raise ArrangementError(f"{option} must be a positive finite number of seconds; got {text!r}")
    return value


def check_work(what: str, seconds: float, budget: float, remedy: str) -> None:
    """Refuse, with the estimate, work estimated at more than ``budget`` seconds.

    Raises
    ------
    OutputTooLargeError
        ``"{what} is about 65 s of work; at most 10 s: {remedy}"``.
    """
    if seconds > budget:
        about = f"{seconds:.2g}" if seconds < 100 else f"{seconds:.0f}"
        raise OutputTooLargeError(f"{what} is about {about} s of work; at most {budget:g} s: {remedy}")


#: The cost model of `count_table_seconds` (rates measured on one laptop core, rounded down).
_SUM_BITS_PER_SECOND = 1.5e10  # bit operations of the binomial sum
_GCD_BITS2_PER_SECOND = 7e11  # (bits)^2 of the gcds that reduce the ratios
_STR_BITS2_PER_SECOND = 2e12  # (bits)^2 of writing the exact integers in decimal
_ROW_SECONDS = 5e-5  # everything else of one row


def count_table_seconds(
    ns: Sequence[int], ds: Sequence[int], central: bool = False, exact_text: bool = False
) -> float:
    """Estimated seconds of `hyperarr.counting.region_count_table` over ``ns`` × ``ds``.

    Row (n, d) holds $n^d$, of $a = d \\log_2 n$ bits, the count, of
    $e = \\min(a, n + 1)$ bits, and $d!$, of $f = \\log_2 d!$ bits.  The
    count sums $\\min(n, d)$ binomials of up to $e$ bits; the ratios reduce
    fractions by gcds, about $a (e + f)$ bit operations.  ``exact_text`` adds
    writing the integers in decimal, quadratic in their size; ``central``
    adds Cover's count, about as much again.

    Examples
    --------
    >>> count_table_seconds([20], [10]) < 0.01
    True
    >>> count_table_seconds(range(999000, 1000001, 100), range(9990, 10001)) > 10
    True
    """
    n = np.asarray(ns, dtype=np.float64)[:, None]
    d = np.asarray(ds, dtype=np.float64)[None, :]
    a = d * np.log2(np.maximum(n, 2.0))
    e = np.minimum(a, n + 1.0)
    f = np.array([[math.lgamma(v + 1) / math.log(2) for v in ds]], dtype=np.float64)
    seconds = np.minimum(n, d) * e / _SUM_BITS_PER_SECOND + a * (e + f) / _GCD_BITS2_PER_SECOND
    if exact_text:
        seconds = seconds + (e**2 + a**2 + (a + f) ** 2) / _STR_BITS2_PER_SECOND
    return float((seconds + _ROW_SECONDS).sum()) * (2.0 if central else 1.0)


def count_table_bits(ns: Sequence[int], ds: Sequence[int]) -> int:
    """The bit length $d \\log_2 n$ of the largest exact integer over ``ns`` × ``ds``, rounded up."""
    return math.ceil(max(ds) * math.log2(max(max(ns), 2)))
