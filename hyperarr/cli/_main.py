"""The ``hyperarr`` command line: ``count``, ``demo`` and ``rnn``.

``hyperarr count --n 20 --d 10`` compares the exact number of regions of n
hyperplanes in general position in R^d with the estimate n^d from class;
``hyperarr demo`` walks through the course sheet's Exercise 3;
``hyperarr rnn`` (in :mod:`hyperarr._cli_rnn`) draws the gradients of
Exercise 2.  Every number comes from :mod:`hyperarr.counting`.

Bad arguments give one line ``hyperarr <command>: error: ...`` on stderr and
exit status 2, never a traceback.

Examples
--------
>>> main(["count", "--n", "5", "--d", "2", "--json"])
{"n": 5, "d": 2, "exact": 16, "approx": 25, "approx_factorial": "25/2", "ratio": 1.5625, ...}
0
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from typing import Any, NamedTuple, NoReturn

from hyperarr.cli._input import parse_int_ranges
from hyperarr import __version__
from hyperarr.cli import _plot as _cli_plot, _regions as _cli_regions, _rnn as _cli_rnn, _synthesize as _cli_synthesize
from hyperarr.counting import RegionCountRow, max_regions, region_count_table
from hyperarr.exceptions import HyperarrError

__all__ = ["main"]

#: Integers up to this many digits are printed in full; larger ones as 1.23e456.
_MAX_EXACT_DIGITS = 30
#: Limits of ``hyperarr count``: beyond them one row takes seconds or more.
_MAX_N = 10**6
_MAX_D = 10**4
_MAX_ROWS = 10**4


# --------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------


class _UsageExit(SystemExit):
    """Raised by :meth:`_Parser.error` after printing the one-line message."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2.

    Sub-parsers created by ``add_subparsers`` are of the same class, so
    ``self.prog`` names the command (``hyperarr count``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        _print_error(self.prog, f"{message} (see '{self.prog} --help')")
        raise _UsageExit(2)


def _print_error(prog: str, message: str) -> None:
    print(f"{prog}: error: {' '.join(str(message).split())}", file=sys.stderr)


class _IntSpec(NamedTuple):
    """Integers parsed from ``--n``/``--d``; ``single`` if given as one number."""

    values: tuple[int, ...]
    single: bool


def _int_spec(option: str, low: int, high: int) -> Callable[[str], _IntSpec]:
    """An argparse ``type`` for ``a``, ``a:b`` (inclusive), ``a:b:s`` and comma lists of them."""

    def parse(text: str) -> _IntSpec:
        try:
            values = parse_int_ranges(option, text, low, high)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(option + " ")) from None
        return _IntSpec(tuple(values), single="," not in text and ":" not in text)

    parse.__name__ = option  # argparse names the type in some messages
    return parse


def _wrap(text: str) -> str:
    """Wrap a help description (the formatter keeps line breaks, for the examples)."""
    return textwrap.fill(text, width=79)


def _build_parser() -> _Parser:
    parser = _Parser(
        prog="hyperarr",
        description=_wrap(
            "Exact hyperplane arrangements for threshold neural networks. Neuron i computes "
            "a_i = w_i . x - theta_i; its hyperplane {x : w_i . x = theta_i} cuts the input "
            "space, and n neurons cut it into regions."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr demo                      the course sheet's Exercise 3, step by step\n"
            "  hyperarr count --n 20 --d 10       exact region count against n^d\n"
            "  hyperarr rnn -o gradients.png      vanishing gradients (Exercise 2)\n"
            "\n"
            "Run 'hyperarr <command> --help' for the options of a command."
        ),
    )
    parser.add_argument("--version", action="version", version=f"hyperarr {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="<command>", title="commands")
    sub.required = True
    _add_count(sub)
    _add_demo(sub)
    for module in (_cli_regions, _cli_synthesize, _cli_plot, _cli_rnn):
        p = module.add_parser(sub)
        p.set_defaults(command_parser=p)
    return parser


# --------------------------------------------------------------------------
# hyperarr count
# --------------------------------------------------------------------------


def _add_count(sub: Any) -> None:
    p = sub.add_parser(
        "count",
        help="exact region count of n hyperplanes in R^d against n^d",
        description=_wrap(
            "Number of regions of n hyperplanes in general position in R^d (the most n "
            "threshold neurons on a d-dimensional input can separate), exactly: "
            "sum_{k<=d} C(n, k). Shown next to the estimate n^d from class, its leading "
            "term n^d/d!, and the ratios of both to the exact count. Ranges a:b are "
            "inclusive, a:b:s has step s, and comma lists mix both."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr count --n 20 --d 10             Exercise 3h: 616666 regions, not 1e13\n"
            "  hyperarr count --n 5:40:5 --d 1:10       a table\n"
            "  hyperarr count --n 20 --d 10 --central   hyperplanes through 0 (Cover)\n"
            "  hyperarr count --n 1000 --d 256 --json   exact integers as JSON"
        ),
    )
    p.add_argument(
        "--n", required=True, metavar="N", type=_int_spec("--n", 0, _MAX_N),
        help=f"number of hyperplanes (neurons), 0..{_MAX_N}; a:b[:s] or a list",
    )
    p.add_argument(
        "--d", required=True, metavar="D", type=_int_spec("--d", 1, _MAX_D),
        help=f"input dimension, 1..{_MAX_D}; a:b[:s] or a list",
    )
    p.add_argument(
        "--central", action="store_true",
        help="hyperplanes through the origin (no thresholds): Cover's 2 sum_{k<d} C(n-1, k)",
    )
    p.add_argument(
        "--json", action="store_true",
        help="print JSON: one object for a single pair, a list for ranges; exact integers",
    )
    p.set_defaults(func=_cmd_count, command_parser=p)


def _cmd_count(args: argparse.Namespace) -> int:
    n_spec: _IntSpec = args.n
    d_spec: _IntSpec = args.d
    total = len(n_spec.values) * len(d_spec.values)
    if total > _MAX_ROWS:
        raise ValueError(f"at most {_MAX_ROWS} (n, d) pairs at once; got {total}")
    rows = region_count_table(n_spec.values, d_spec.values)
    if args.central:
        rows = [_central_row(r) for r in rows]
    if args.json:
        with _unlimited_int_digits():
            dicts = [dict(r.as_dict(), central=args.central) for r in rows]
            payload: Any = dicts[0] if n_spec.single and d_spec.single else dicts
            print(json.dumps(payload, allow_nan=False))
    else:
        if args.central:
            title = "Regions of n central hyperplanes in general position in R^d (Cover's count)"
        else:
            title = "Regions of n hyperplanes in general position in R^d, exact against n^d"
        print(title)
        print(_count_table(rows))
    return 0


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


def _count_table(rows: Sequence[RegionCountRow]) -> str:
    """An aligned text table of ``rows``: the counts and their ratios."""
    heads = ("n", "d", "regions", "n^d", "n^d/d!", "n^d/regions", "(n^d/d!)/regions")
    cells = [
        (
            str(r.n),
            str(r.d),
            _fmt(r.exact),
            _fmt(r.approx),
            _fmt(r.approx_factorial),
            _fmt(Fraction(r.approx, r.exact)),
            _fmt(r.approx_factorial / r.exact),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[k]) for c in cells)) for k, h in enumerate(heads)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(heads, widths))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def _fmt(value: int | Fraction) -> str:
    """A non-negative count or ratio for a table cell.

    Integers of at most 30 digits are printed in full, larger ones as
    ``1.00e768`` from their base-10 logarithm (no float overflow); other
    fractions with 4 significant digits.

    Examples
    --------
    >>> _fmt(616666), _fmt(1000**256), _fmt(Fraction(25, 2)), _fmt(Fraction(10**40, 3))
    ('616666', '1.00e768', '12.5', '3.33e39')
    """
    value = Fraction(value)
    if value == 0:
        return "0"
    if value.denominator == 1 and value.numerator < 10**_MAX_EXACT_DIGITS:
        return str(value.numerator)
    lg = math.log10(value.numerator) - math.log10(value.denominator)
    if -4 <= lg < 6:
        return f"{float(value):.{max(4, math.floor(lg) + 1)}g}"
    return _sci(lg)


def _sci(log10_value: float) -> str:
    """``10**log10_value`` as ``m.mme<exp>`` with three significant digits."""
    exp = math.floor(log10_value)
    mant = round(10 ** (log10_value - exp), 2)
    if mant >= 10:
        mant, exp = mant / 10, exp + 1
    return f"{mant:.2f}e{exp}"


@contextmanager
def _unlimited_int_digits() -> Iterator[None]:
    """Let ``json.dumps`` write integers of any length (Python's default limit is 4300 digits)."""
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is None:  # pragma: no cover - Python < 3.11 has no limit
        yield
        return
    old = get()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


# --------------------------------------------------------------------------
# hyperarr demo
# --------------------------------------------------------------------------


def _add_demo(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="a short tour of the course sheet's Exercise 3",
        description=_wrap(
            "A short tour of Exercise 3 of the course sheet: how many regions n threshold "
            "neurons cut a d-dimensional input into, exactly, against the estimate n^d."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr demo\n"
            "  hyperarr demo --out demo-output     files (later steps) go to demo-output/"
        ),
    )
    p.add_argument(
        "--out", default=".", metavar="DIR",
        help="folder for the files the demo writes (default: the current folder; created if missing)",
    )
    p.set_defaults(func=_cmd_demo, command_parser=p)


def _cmd_demo(args: argparse.Namespace) -> int:
    out = os.path.abspath(args.out)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"--out cannot create folder {args.out!r}: {exc.strerror or exc}") from None
    for step in _DEMO_STEPS:
        step(out)
    return 0


def _demo_counts(out: str) -> None:
    """Step 1: exact region counts against n^d (Exercise 3d, 3h, and the miniproject)."""
    cases = [
        (5, 2, "Five lines in general position in the plane (3d)"),
        (20, 10, "Twenty neurons on a 10-dimensional input (3h)"),
        (1000, 256, "The miniproject: 1000 hidden units on 16 x 16 = 256 inputs"),
    ]
    rows = [region_count_table(n, d)[0] for n, d, _ in cases]
    print("How many regions do n threshold neurons cut R^d into?")
    print("Exactly sum_{k<=d} C(n, k) in general position; the class estimate is n^d.")
    print()
    print(_count_table(rows))
    print()
    five, twenty, mini = rows
    print(f"- {cases[0][2]}: {five.exact} regions; n^d = {five.approx} already overestimates.")
    print(
        f"- {cases[1][2]}: {twenty.exact:,} regions, not n^d = 2^10 * 10^10 ~ "
        f"{_sci(twenty.log10_approx)}; the estimate is "
        f"{_fmt(Fraction(twenty.approx, twenty.exact))} times too large."
    )
    print(
        f"- {cases[2][2]}: about 10^{mini.log10_exact:.1f} regions (n^d = "
        f"10^{mini.log10_approx:.1f}), far more than any training set has points: "
        "one second-layer neuron per region is out of the question."
    )
    print()


# The demo runs these steps in order; each takes the output folder.  Later
# steps (the regions of the five lines, a network for regions A, D, G,
# figures) are appended here.
def _demo_regions(out: str) -> None:
    """Step 2: the 16 regions of the five lines, enumerated exactly (3c, 3d)."""
    for line in _cli_regions.demo_step(out):
        print(line)
    print()


def _demo_networks(out: str) -> None:
    """Step 3: networks that fire on regions A, D, G (3f), per-region and minimal."""
    for line in _cli_synthesize.demo_step(out):
        print(line)
    print()


def _demo_figures(out: str) -> None:
    """Step 4: the seed's Figures 2 and 3, as PNG files (3a-3f)."""
    for line in _cli_plot.demo_step(out):
        print(line)


_DEMO_STEPS: tuple[Callable[[str], None], ...] = (
    _demo_counts,
    _demo_regions,
    _demo_networks,
    _demo_figures,
)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``hyperarr`` command line and return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name; ``sys.argv[1:]`` if None.

    Returns
    -------
    int
        0 on success, 2 on bad arguments (one line on stderr), 1 when a file
        cannot be written, 130 when interrupted.  ``--help`` and
        ``--version`` raise :class:`SystemExit` with status 0, as argparse does.
    """
    parser = _build_parser()
    try:
        args, extra = parser.parse_known_args(None if argv is None else list(argv))
        if extra:
            args.command_parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except _UsageExit as exc:
        return int(exc.code or 2)
    prog = args.command_parser.prog
    try:
        return int(args.func(args))
    except (HyperarrError, ValueError) as exc:
        _print_error(prog, str(exc))
        return 2
    except OSError as exc:
        _print_error(prog, f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
