"""``hyperarr demo``: a tour of the course sheet's Exercise 3 (private).

The steps run in order, each taking the output folder: exact counts against
n^d (3d, 3h, the miniproject), the 16 regions of the five lines (3c, 3d),
networks for regions A, D, G (3f), and the course sheet's Figures 2 and 3 as PNG files.
Everything it writes goes, atomically, into one folder (``hyperarr-demo/`` by
default).  It needs the core install only; without matplotlib it says which
figures it skipped and how to install matplotlib, and still succeeds.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from hyperarr.cli import _plot, _regions, _synthesize
from hyperarr.cli._command import add_command
from hyperarr.cli._count import count_table, fmt_ratio, sci
from hyperarr.counting import region_count_table

__all__ = ["add_parser", "run"]

#: The folder the demo writes into, in the current folder, unless ``--out`` says otherwise.
DEFAULT_OUT = "hyperarr-demo"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``demo`` on an argparse subparsers object."""
    p = add_command(
        subparsers,
        "demo",
        run,
        help="a short tour of the course sheet's Exercise 3",
        description=(
            "A short tour of Exercise 3 of the course sheet: how many regions n threshold "
            "neurons cut a d-dimensional input into, exactly, against the estimate n^d."
        ),
        epilog=(
            "examples:\n"
            f"  hyperarr demo                      files go to ./{DEFAULT_OUT}/\n"
            "  hyperarr demo --out demo-output     files go to demo-output/"
        ),
    )
    p.add_argument(
        "--out", default=DEFAULT_OUT, metavar="DIR",
        help=f"folder for the files the demo writes (default: {DEFAULT_OUT}/ in the current "
             "folder; created if missing)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr demo``: create ``--out`` if needed, print every step, return 0."""
    out = os.path.abspath(args.out)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"--out cannot create folder {args.out!r}: {exc.strerror or exc}") from None
    for step in _STEPS:
        step(out)
    return 0


def _counts(out: str) -> None:
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
    print(count_table(rows))
    print()
    five, twenty, mini = rows
    print(f"- {cases[0][2]}: {five.exact} regions; n^d = {five.approx} already overestimates.")
    print(
        f"- {cases[1][2]}: {twenty.exact:,} regions, not n^d = 2^10 * 10^10 ~ "
        f"{sci(twenty.log10_approx)}; the estimate is "
        f"{fmt_ratio(Fraction(twenty.approx, twenty.exact))} times too large."
    )
    print(
        f"- {cases[2][2]}: about 10^{mini.log10_exact:.1f} regions (n^d = "
        f"10^{mini.log10_approx:.1f}), far more than any training set has points: "
        "one second-layer neuron per region is out of the question."
    )
    print()


def _regions_step(out: str) -> None:
    """Step 2: the 16 regions of the five lines, enumerated exactly (3c, 3d)."""
    for line in _regions.demo_step(out):
        print(line)
    print()


def _networks(out: str) -> None:
    """Step 3: networks that fire on regions A, D, G (3f), per-region and minimal."""
    for line in _synthesize.demo_step(out):
        print(line)
    print()


def _figures(out: str) -> None:
    """Step 4: the course sheet's Figures 2 and 3, as PNG files (3a-3f), if matplotlib is installed."""
    try:
        lines = _plot.demo_step(out)
    except ImportError as exc:  # the message says what to install
        lines = [f"Figures 2 and 3 (five_lines.png, network.png) skipped: {exc}"]
    for line in lines:
        print(line)


_STEPS: tuple[Callable[[str], None], ...] = (_counts, _regions_step, _networks, _figures)
