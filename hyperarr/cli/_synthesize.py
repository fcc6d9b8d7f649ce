"""``hyperarr synthesize``: a threshold network for a union of regions (private).

``hyperarr synthesize --example five-lines --positive A,D,G -o net.json``
builds the network of the course sheet's Exercise 3f for the regions A, D, G
of five lines, checks it on every region, prints a short summary and writes
the network as JSON (`hyperarr.synthesis.ThresholdNetwork.to_dict`).
Instead of ``--example``, a CSV file gives one hyperplane per row:
``w_1, ..., w_d, theta`` (integers, decimals or fractions ``p/q``, read
exactly; ``#`` starts a comment).

Region labels (``A,D,G``) need d = 2; region indices (``0,3,6``, in
``A.regions()`` order) always work.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import TYPE_CHECKING, Any

from hyperarr.cli._command import add_command
from hyperarr.cli._input import EXAMPLES, load_arrangement, parse_seconds, split_list
from hyperarr.cli._output import check_folder, write_bytes
from hyperarr.synthesis import synthesize

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement
    from hyperarr.synthesis import ThresholdNetwork

__all__ = ["add_parser", "run", "summary", "demo_step"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``synthesize`` on an argparse subparsers object."""
    p = add_command(
        subparsers,
        "synthesize",
        run,
        help="a threshold network that fires on chosen regions (sheet, Exercise 3f)",
        description=(
            "Build a network of step neurons whose first layer is the arrangement, "
            "whose second layer is AND units and whose output is an OR (or NOR), "
            "firing exactly on the chosen regions; check it on every region."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr synthesize --example five-lines --positive A,D,G\n"
            "  hyperarr synthesize --example five-lines --positive 0,3,6 --method per-region\n"
            "  hyperarr synthesize lines.csv --positive 1,2 -o net.json"
        ),
    )
    p.add_argument("file", nargs="?", default=None, metavar="FILE.csv",
                   help="hyperplanes, one per row: w_1,...,w_d,theta")
    p.add_argument("--example", default=None, metavar="NAME",
                   help=f"a built-in arrangement instead of a file: {', '.join(EXAMPLES)}")
    p.add_argument("--positive", required=True, metavar="LIST",
                   help="comma-separated region labels (A,D,G; plane only) or indices (0,3,6)")
    p.add_argument("--method", default="minimal", metavar="NAME",
                   help="minimal (default), per-region or threshold")
    p.add_argument("--time-limit", default=None, metavar="SECONDS",
                   help="time allowed for the exact set cover (default: none)")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="write the network as JSON")
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr synthesize``: print a summary, write ``-o``, return 0."""
    A = load_arrangement(args.file, args.example)
    positive = _positive(A, args.positive)
    limit = None if args.time_limit is None else parse_seconds("--time-limit", args.time_limit)
    net = synthesize(A, positive, method=args.method, time_limit=limit)
    if args.output:
        check_folder(args.output)
    for line in summary(net):
        print(line)
    if args.output:
        write_bytes(args.output, _json_bytes(net))
        print(f"network written to {args.output}")
    return 0


def summary(net: "ThresholdNetwork") -> list[str]:
    """A few printable lines: sizes, form, optimality, class size."""
    sizes = " -> ".join(str(s) for s in (*net.hidden_sizes, 1))
    k = net.hidden_sizes[1]
    form = {"or": "OR of the second layer", "nor": "NOR of the second layer"}[net.form]
    status = "proven smallest" if net.optimal else "not proven smallest"
    return [
        f"regions: {len(net.labels)}, positive: {int(net.labels.sum())}",
        f"method: {net.method}; units per layer: {sizes} "
        f"({k} second-layer unit{'' if k == 1 else 's'}, {status})",
        f"output: {form}; checked on every region's witness",
    ]


def demo_step(out_dir: str) -> list[str]:
    """Exercise 3f: networks for the regions A, D, G of five lines, checked.

    Builds the sheet's per-region network and the smallest AND/OR network,
    verifies both on every region, writes the smaller one to
    ``out_dir/network_ADG.json`` and returns the lines to print.
    """
    from hyperarr.library import five_lines

    A = five_lines()
    positive = ["A", "D", "G"]
    per = synthesize(A, positive, method="per-region")
    small = synthesize(A, positive, method="minimal")
    path = os.path.join(out_dir, "network_ADG.json")
    write_bytes(path, _json_bytes(small))
    k_per, k_min = per.hidden_sizes[1], small.hidden_sizes[1]
    return [
        "A network for regions A, D, G of the five lines (Exercise 3f):",
        f"- one AND neuron per region, weights +-1 (the sheet's construction): "
        f"{k_per} second-layer neurons, then an OR; checked on all {len(per.labels)} regions.",
        f"- the fewest AND neurons (exact set cover over merged regions): {k_min}, "
        f"{'then an OR' if small.form == 'or' else 'then a NOR of the other regions'}"
        f"{' (proven minimal)' if small.optimal else ''}; written to {path}.",
        "",
    ]


def _json_bytes(net: "ThresholdNetwork") -> bytes:
    return (json.dumps(net.to_dict(), allow_nan=False) + "\n").encode("utf-8")


def _positive(A: "Arrangement", text: str) -> list[Any]:
    """Region indices, or labels if ``A`` is in the plane, from ``--positive``."""
    items = split_list("--positive", text, "regions")
    try:
        return [int(item) for item in items]
    except ValueError:
        pass
    if A.dim != 2:
        raise ValueError(
            f"--positive labels such as {items[0]!r} need lines in the plane (d = 2); "
            f"got d = {A.dim}; give region indices (0,1,...) instead"
        )
    return items
