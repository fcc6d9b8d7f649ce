"""``hyperarr synthesize``: a threshold network for a union of regions (private).

``hyperarr synthesize --example five-lines --positive A,D,G -o net.json``
builds the network of the course sheet's Exercise 3f for the regions A, D, G
of five lines, checks it on every region, prints a short summary and writes
the network as JSON (`hyperarr.synthesis.ThresholdNetwork.to_dict`).
Instead of ``--example``, a CSV file gives one hyperplane per row:
``w_1, ..., w_d, theta`` (integers, decimals or fractions ``p/q``, read
exactly; ``#`` starts a comment).

``--positive`` takes region indices (``0,3,6``: rows of ``A.regions()``,
as ``hyperarr regions`` numbers them) or, for lines in the plane, the
sheet's labels (``A,D,G``).  They name different regions (index 0 is not
region A), so the output says which regions were chosen, by both.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import TYPE_CHECKING, Any

from hyperarr.cli._command import add_command
from hyperarr.cli._input import EXAMPLES_HELP, load_arrangement, parse_seconds, split_list
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
            "  hyperarr synthesize --example five-lines --positive 6,13,12 --method per-region\n"
            "  hyperarr synthesize lines.csv --positive 1,2 -o net.json\n"
            "\n"
            "--positive: an index is the # column of 'hyperarr regions' (A.regions() order); a\n"
            "label (lines in the plane only) is the label column there, the sheet's naming.\n"
            "They differ: in five-lines, regions A, D, G are indices 6, 13, 12."
        ),
    )
    p.add_argument("file", nargs="?", default=None, metavar="FILE.csv",
                   help="hyperplanes, one per row: w_1,...,w_d,theta")
    p.add_argument("--example", default=None, metavar="NAME", help=EXAMPLES_HELP)
    p.add_argument("--positive", required=True, metavar="LIST",
                   help="the regions to fire on, comma-separated: all indices (6,13,12: the # "
                        "column of 'hyperarr regions') or, for lines in the plane, all labels "
                        "(A,D,G); index 0 is not region A")
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
    print(_chosen(A, positive))
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


def _chosen(A: "Arrangement", positive: list[Any]) -> str:
    """Which regions ``positive`` names, by label (lines in the plane) and by index."""
    if A.dim != 2:
        return f"positive regions (index): {', '.join(map(str, sorted(positive)))}"
    from hyperarr.plane import region_by_label, seed_labels

    labels = seed_labels(A)
    indices = [int(p) if isinstance(p, int) else region_by_label(A, p) for p in positive]
    named = sorted(dict.fromkeys(indices), key=lambda i: (len(labels[i]), labels[i]))
    return f"positive regions (label #index): {', '.join(f'{labels[i]} #{i}' for i in named)}"


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
