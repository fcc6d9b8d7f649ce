"""``hyperarr count``: exact region counts, of an arrangement or against the estimate n^d (private).

``hyperarr count FILE.csv`` or ``hyperarr count --example threshold-6``
prints the characteristic polynomial, the Betti numbers and the numbers of
regions and bounded regions of that arrangement (`hyperarr.characteristic`,
``--symmetry`` with the family's symmetry group).  ``hyperarr count --n 20
--d 10`` compares the exact number of regions of n hyperplanes in general
position in R^d, sum_{k<=d} C(n, k), with n^d and n^d/d!; ranges give a
table (`hyperarr.counting`).  ``--json`` prints exact integers, and the
estimates and ratios as JSON numbers.  ``--max-seconds`` is the budget of
both: the table's work is estimated and refused above it, an arrangement's
count is stopped when it runs longer.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Context, Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from hyperarr.characteristic import characteristic_polynomial
from hyperarr.cli._command import add_command, feedback, on_terminal, time_limit
from hyperarr.cli._input import (
    EXAMPLES_HELP,
    check_work,
    count_table_bits,
    count_table_seconds,
    has_symmetry,
    load_symmetric,
    parse_int_ranges,
    parse_seconds,
)
from hyperarr.counting import DEFAULT_MAX_SECONDS, RegionCountRow, max_regions, region_count_table
from hyperarr.exceptions import ArrangementError

__all__ = ["add_parser", "run", "count_table", "fmt", "fmt_ratio", "sci", "polynomial_text"]

#: Integers up to this many digits are printed in full; larger ones as 1.23e456.
_MAX_EXACT_DIGITS = 30
#: Limits of ``hyperarr count``: beyond them one row takes seconds or more.
_MAX_N = 10**6
_MAX_D = 10**4
_MAX_ROWS = 10**4
#: Default of ``--max-seconds``: the library's budget (`hyperarr.counting.DEFAULT_MAX_SECONDS`).
_MAX_SECONDS = DEFAULT_MAX_SECONDS
#: Significant digits of an estimate or a ratio written as a JSON number (float64's 17).
_JSON_DIGITS = 17


class _IntSpec(NamedTuple):
    """Integers parsed from ``--n``/``--d``; ``single`` if given as one number."""

    values: tuple[int, ...]
    single: bool
    text: str


def _int_spec(option: str, low: int, high: int) -> Callable[[str], _IntSpec]:
    """An argparse ``type`` for ``a``, ``a:b`` (inclusive), ``a:b:s`` and comma lists of them."""

    def parse(text: str) -> _IntSpec:
        try:
            values = parse_int_ranges(option, text, low, high, max_count=_MAX_ROWS)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(option + " ")) from None
        return _IntSpec(tuple(values), single="," not in text and ":" not in text, text=text)

    parse.__name__ = option  # argparse names the type in some messages
    return parse


def _seconds(option: str) -> Callable[[str], float]:
    """An argparse ``type`` for a positive, finite number of seconds: argparse refuses the rest."""

    def parse(text: str) -> float:
        try:
            return parse_seconds(option, text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(option + " ")) from None

    parse.__name__ = option
    return parse


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``count`` on an argparse subparsers object."""
    p = add_command(
        subparsers,
        "count",
        run,
        help="exact region counts: of an arrangement (χ, Betti numbers), or of n hyperplanes in R^d against n^d",
        description=(
            "With FILE.csv or --example NAME: the characteristic polynomial χ(t) of that "
            "arrangement, its Betti numbers (the absolute values of χ's coefficients), and its "
            "numbers of regions and bounded regions, exactly, without enumerating the regions "
            "(Zaslavsky). --symmetry states the symmetry group of a family example (verified "
            "exactly), which makes large counts much faster. On a terminal, a bar shows the "
            "progress of counts that run longer than a second; the count is stopped after "
            "--max-seconds.\n\n"
            "With --n and --d: the number of regions of n hyperplanes in general position in R^d (the most n "
            "threshold neurons on a d-dimensional input can separate), exactly: "
            "sum_{k<=d} C(n, k). Shown next to the estimate n^d from class, its leading "
            "term n^d/d!, and the ratios of both to the exact count. Ranges a:b are "
            "inclusive, a:b:s has step s, and comma lists mix both. The work is estimated "
            "first (row (n, d) holds exact integers of about d*log2(n) bits) and refused "
            "above --max-seconds."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr count --example threshold-6      15028134 threshold functions of 6 inputs\n"
            "  hyperarr count lines.csv --json          χ, Betti numbers and counts of a CSV\n"
            "  hyperarr count --n 20 --d 10             Exercise 3h: 616666 regions, not 1e13\n"
            "  hyperarr count --n 5:40:5 --d 1:10       a table\n"
            "  hyperarr count --n 20 --d 10 --central   hyperplanes through 0 (Cover)\n"
            "  hyperarr count --n 1000 --d 256 --json   exact integers as JSON"
        ),
    )
    p.add_argument(
        "file", nargs="?", default=None, metavar="FILE.csv",
        help="an arrangement: one hyperplane per row, w_1, ..., w_d, theta",
    )
    p.add_argument("--example", default=None, metavar="NAME", help=EXAMPLES_HELP)
    p.add_argument(
        "--symmetry", action="store_true",
        help="with --example FAMILY-D: state the family's symmetry group (verified exactly)",
    )
    p.add_argument(
        "--n", default=None, metavar="N", type=_int_spec("--n", 0, _MAX_N),
        help=f"number of hyperplanes (neurons), 0..{_MAX_N}; a:b[:s] or a list",
    )
    p.add_argument(
        "--d", default=None, metavar="D", type=_int_spec("--d", 1, _MAX_D),
        help=f"input dimension, 1..{_MAX_D}; a:b[:s] or a list",
    )
    p.add_argument(
        "--central", action="store_true",
        help="hyperplanes through the origin (no thresholds): Cover's 2 sum_{k<d} C(n-1, k)",
    )
    p.add_argument(
        "--json", action="store_true",
        help="print JSON: one object for a single pair, a list for ranges; counts as exact "
             "integers, estimates and ratios as numbers of 17 significant digits",
    )
    p.add_argument(
        "--max-seconds", default=_MAX_SECONDS, metavar="S", type=_seconds("--max-seconds"),
        help=f"with --n/--d, refuse work estimated above S seconds; with FILE.csv or --example, "
             f"stop the count after S seconds (default {_MAX_SECONDS:g}, as the library's)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr count``: print the counts or the table, or JSON, and return 0."""
    if args.file is not None or args.example is not None:
        return _run_arrangement(args)
    if args.symmetry:
        raise ArrangementError("--symmetry needs --example FAMILY-D; got --n/--d")
    if args.n is None or args.d is None:
        raise ArrangementError(
            "give FILE.csv or --example NAME (an arrangement), or both --n and --d (the table); "
            f"got {'--n only' if args.n is not None else '--d only' if args.d is not None else 'none of them'}")
    n_spec: _IntSpec = args.n
    d_spec: _IntSpec = args.d
    total = len(n_spec.values) * len(d_spec.values)
    if total > _MAX_ROWS:
        raise ValueError(f"at most {_MAX_ROWS} (n, d) pairs at once; got {total}")
    budget: float = args.max_seconds
    check_work(
        f"--n {n_spec.text} with --d {d_spec.text}: {total} row{'s' if total > 1 else ''} of exact "
        f"integers of up to {count_table_bits(n_spec.values, d_spec.values)} bits (d*log2(n)), which",
        count_table_seconds(n_spec.values, d_spec.values, central=args.central, exact_text=args.json),
        budget,
        "narrow --n or --d, or raise --max-seconds",
    )
    rows = region_count_table(n_spec.values, d_spec.values)
    if args.central:
        rows = [_central_row(r) for r in rows]
    if args.json:
        dicts = [_json_row(r, args.central) for r in rows]
        print(dicts[0] if n_spec.single and d_spec.single else f"[{', '.join(dicts)}]")
    else:
        if args.central:
            title = "Regions of n central hyperplanes in general position in R^d (Cover's count)"
        else:
            title = "Regions of n hyperplanes in general position in R^d, exact against n^d"
        print(title)
        print(count_table(rows))
    return 0


def _run_arrangement(args: argparse.Namespace) -> int:
    """``hyperarr count FILE.csv | --example NAME``: χ, Betti numbers and counts."""
    if args.n is not None or args.d is not None or args.central:
        raise ArrangementError("--n, --d and --central describe the table, not FILE.csv or --example")
    name = args.example if args.example is not None else args.file
    hint = ""
    if not args.symmetry and has_symmetry(args.example):
        hint = f"--symmetry (the family has one) counts far faster: hyperarr count --example {name} --symmetry"
        print(f"{args.command_parser.prog}: note: {hint}", file=sys.stderr)
    remedy = f"{hint}, or raise --max-seconds" if hint else "raise --max-seconds"
    # One budget for building the arrangement (an example's construction, a file's parsing) and counting.
    with time_limit(args.max_seconds, f"counting the regions of {name}", remedy):
        A, gens = load_symmetric(args.file, args.example)
        if args.symmetry and gens is None:
            raise ArrangementError(
                "--symmetry needs --example FAMILY-D of a family with a known symmetry group "
                f"(coordinate, braid, resonance, threshold); got {name}")
        symmetry = gens if args.symmetry else None
        with feedback(args.command_parser.prog, "counting", bar=False):
            chi = characteristic_polynomial(A, symmetry, progress=on_terminal())
    rank = A.rank()
    betti = [abs(chi[A.dim - k]) for k in range(rank + 1)]
    regions = sum(betti)
    relative = abs(sum(chi))
    compact = relative if rank == A.dim else 0
    if args.json:
        with _unlimited_int_digits():
            print(json.dumps({
                "arrangement": name, "n": A.n, "dim": A.dim, "rank": rank,
                "central": A.is_central(), "symmetry_generators": len(symmetry or []),
                "characteristic_polynomial": list(chi), "betti_numbers": betti,
                "regions": regions, "bounded_regions": compact,
                "relatively_bounded_regions": relative,
            }))
        return 0
    print(f"{name}: {A.n} hyperplanes in R^{A.dim}, rank {rank}"
          f"{', central' if A.is_central() else ''}"
          f"{f', symmetry group from {len(symmetry)} generators (verified)' if symmetry else ''}")
    print(f"characteristic polynomial  χ(t) = {polynomial_text(chi)}")
    print(f"Betti numbers              {' '.join(map(str, betti))}")
    print(f"regions                    {regions}")
    print(f"bounded regions            {compact}  (compact in R^{A.dim})")
    print(f"relatively bounded regions {relative}  (bounded modulo the lineality space, as Sage counts)")
    return 0


def polynomial_text(coeffs: Sequence[int]) -> str:
    """χ's coefficients (constant term first) as text, leading term first.

    Examples
    --------
    >>> polynomial_text((10, -5, 1))
    't^2 - 5 t + 10'
    >>> polynomial_text((0, 2, -3, 1))
    't^3 - 3 t^2 + 2 t'
    """
    terms: list[str] = []
    for k in range(len(coeffs) - 1, -1, -1):
        c = coeffs[k]
        if c == 0:
            continue
        mono = "" if k == 0 else ("t" if k == 1 else f"t^{k}")
        mag = abs(c)
        body = mono if mag == 1 and mono else (f"{mag} {mono}".strip())
        if not terms:
            terms.append(body if c > 0 else f"-{body}")
        else:
            terms.append(("+ " if c > 0 else "- ") + body)
    return " ".join(terms) if terms else "0"


def _central_row(row: RegionCountRow) -> RegionCountRow:
    """``row`` with Cover's count (central hyperplanes) as the exact count."""
    exact = max_regions(row.n, row.d, central=True)
    log10_exact = math.log10(exact)
    try:
        ratio = float(Fraction(row.approx, exact))
    except OverflowError:
        ratio = math.inf
    return dataclasses.replace(
        row,
        exact=exact,
        ratio=ratio,
        log10_exact=log10_exact,
        log10_error=row.log10_approx - log10_exact,
    )


def count_table(rows: Sequence[RegionCountRow]) -> str:
    """An aligned text table of ``rows``: the counts and their ratios."""
    heads = ("n", "d", "regions", "n^d", "n^d/d!", "n^d/regions", "(n^d/d!)/regions")
    cells = [
        (
            str(r.n),
            str(r.d),
            fmt(r.exact),
            fmt(r.approx),
            fmt(r.approx_factorial),
            fmt_ratio(Fraction(r.approx, r.exact)),
            fmt_ratio(r.approx_factorial / r.exact),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[k]) for c in cells)) for k, h in enumerate(heads)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(heads, widths))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def fmt(value: int | Fraction) -> str:
    """A non-negative count or ratio for a table cell.

    Integers of at most 30 digits are printed in full, larger ones as
    ``1.00e768`` from their base-10 logarithm (no float overflow); other
    fractions with 4 significant digits.

    Examples
    --------
    >>> fmt(616666), fmt(1000**256), fmt(Fraction(25, 2)), fmt(Fraction(10**40, 3))
    ('616666', '1.00e768', '12.50', '3.33e39')
    """
    value = Fraction(value)
    if value.denominator == 1 and value.numerator < 10**_MAX_EXACT_DIGITS:
        return str(value.numerator)
    return fmt_ratio(value)


def fmt_ratio(value: int | Fraction) -> str:
    """A non-negative ratio for a table cell: 4 significant digits, whether or not it is whole.

    Between 1e-4 and 1e6 in positional notation, beyond as ``1.95e7``
    (`sci`), so that a column of ratios reads the same in every run.

    Examples
    --------
    >>> fmt_ratio(Fraction(25, 16)), fmt_ratio(19531250), fmt_ratio(Fraction(10**40, 3)), fmt_ratio(2)
    ('1.562', '1.95e7', '3.33e39', '2.000')
    """
    value = Fraction(value)
    if value == 0:
        return "0"
    lg = math.log10(value.numerator) - math.log10(value.denominator)
    if -4 <= lg < 6:
        return f"{float(value):.{max(0, 3 - math.floor(lg))}f}"
    return sci(lg)


def sci(log10_value: float) -> str:
    """``10**log10_value`` as ``m.mme<exp>`` with three significant digits.

    Examples
    --------
    >>> sci(768.0), sci(2.9999)
    ('1.00e768', '1.00e3')
    """
    exp = math.floor(log10_value)
    mant = round(10 ** (log10_value - exp), 2)
    if mant >= 10:
        mant, exp = mant / 10, exp + 1
    return f"{mant:.2f}e{exp}"


def _json_row(row: RegionCountRow, central: bool) -> str:
    """``row`` as a JSON object: counts as exact integers, estimates and ratios as numbers.

    ``approx_factorial`` is an integer where n^d/d! is whole, and like
    ``ratio`` a number of 17 significant digits otherwise: beyond the float
    range too (``1.6613e522`` is a JSON number), where ``as_dict`` gives None.

    Examples
    --------
    >>> import json
    >>> data = json.loads(_json_row(region_count_table(1000, 256)[0], False))
    >>> data["ratio"], type(data["approx_factorial"]).__name__, data["log10_error"] > 522
    (inf, 'float', True)
    """
    with _unlimited_int_digits():
        fields = dict(row.as_dict(), central=central)
        raw = {
            "approx_factorial": _json_number(row.approx_factorial),
            "ratio": _json_number(Fraction(row.approx, row.exact)),
        }
        parts = [f"{json.dumps(k)}: {raw[k] if k in raw else json.dumps(v, allow_nan=False)}"
                 for k, v in fields.items()]
    return "{" + ", ".join(parts) + "}"


def _json_number(value: Fraction) -> str:
    """``value`` as the text of a JSON number: in full if whole, else 17 significant digits.

    Examples
    --------
    >>> _json_number(Fraction(25, 2)), _json_number(Fraction(10**600, 3)), _json_number(Fraction(7))
    ('12.5', '3.3333333333333333e599', '7')
    """
    if value.denominator == 1:
        return str(value.numerator)
    quotient = Context(prec=_JSON_DIGITS).divide(Decimal(value.numerator), Decimal(value.denominator))
    text = format(quotient.normalize(), "e" if quotient.adjusted() > 16 or quotient.adjusted() < -5 else "f")
    return text.replace("e+", "e")


@contextmanager
def _unlimited_int_digits() -> Iterator[None]:
    """Let ``json.dumps`` write integers of any length (Python's default limit is 4300 digits)."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)
