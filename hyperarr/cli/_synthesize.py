"""The ``hyperarr synthesize`` subcommand: a threshold network for a union of regions.

``hyperarr synthesize --example five-lines --positive A,D,G -o net.json``
builds the network of the course sheet's Exercise 3f for the regions A, D, G
of five lines, checks it on every region, prints a short summary and writes
the network as JSON (:meth:`hyperarr.synthesis.ThresholdNetwork.to_dict`).
Instead of ``--example``, a CSV file gives one hyperplane per row:
``w_1, ..., w_d, theta`` (integers, decimals or fractions ``p/q``, read
exactly; ``#`` starts a comment).

Region labels (``A,D,G``) need the plane helpers of :mod:`hyperarr.plane`
and d = 2; region indices (``0,3,6``, in ``A.regions()`` order) always work.
Bad arguments give one line ``hyperarr synthesize: error: ...`` on stderr and
exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any


from hyperarr.cli._input import EXAMPLES, load_arrangement

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement
    from hyperarr.synthesis import ThresholdNetwork

__all__ = ["add_parser", "run", "demo_step"]

_PROG = "hyperarr synthesize"
_EXAMPLES = tuple(EXAMPLES)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``synthesize`` subcommand on an argparse subparsers object."""
    p = subparsers.add_parser(
        "synthesize",
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
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", default=None, metavar="FILE.csv",
                   help="hyperplanes, one per row: w_1,...,w_d,theta")
    p.add_argument("--example", default=None, metavar="NAME",
                   help=f"a built-in arrangement instead of a file: {', '.join(_EXAMPLES)}")
    p.add_argument("--positive", required=True, metavar="LIST",
                   help="comma-separated region labels (A,D,G; plane only) or indices (0,3,6)")
    p.add_argument("--method", default="minimal", metavar="NAME",
                   help="minimal (default), per-region or threshold")
    p.add_argument("--time-limit", default=None, metavar="SECONDS",
                   help="time allowed for the exact set cover (default: none)")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="write the network as JSON")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr synthesize``; return the exit status (0, 1 on I/O failure, 2 on bad input)."""
    from hyperarr._atomic import atomic_write_bytes
    from hyperarr.exceptions import HyperarrError
    from hyperarr.synthesis import synthesize

    try:
        A = _arrangement(args.file, args.example)
        positive = _positive(A, args.positive)
        limit = _time_limit(args.time_limit)
        net = synthesize(A, positive, method=args.method, time_limit=limit)
        if args.output:
            folder = os.path.dirname(os.path.abspath(args.output))
            if not os.path.isdir(folder):
                raise ValueError(f"-o folder does not exist: {folder}")
    except (HyperarrError, ValueError) as exc:
        return _error(str(exc), 2)
    except OSError as exc:
        return _error(f"cannot read {args.file}: {exc.strerror or exc}", 2)
    for line in summary(net):
        print(line)
    if args.output:
        try:
            atomic_write_bytes(args.output, _json_bytes(net))
        except OSError as exc:
            return _error(f"cannot write {args.output}: {exc.strerror or exc}", 1)
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
    from hyperarr._atomic import atomic_write_bytes
    from hyperarr.library import five_lines
    from hyperarr.synthesis import synthesize

    A = five_lines()
    if _has_labels(A):
        positive: Any = ["A", "D", "G"]
        named = "A, D, G"
    else:
        positive = [0, 3, 6]
        named = "0, 3, 6 (region indices; labels need hyperarr.plane)"
    per = synthesize(A, positive, method="per-region")
    small = synthesize(A, positive, method="minimal")
    path = os.path.join(out_dir, "network_ADG.json")
    atomic_write_bytes(path, _json_bytes(small))
    k_per, k_min = per.hidden_sizes[1], small.hidden_sizes[1]
    return [
        f"A network for regions {named} of the five lines (Exercise 3f):",
        f"- one AND neuron per region, weights +-1 (the sheet's construction): "
        f"{k_per} second-layer neurons, then an OR; checked on all {len(per.labels)} regions.",
        f"- the fewest AND neurons (exact set cover over merged regions): {k_min}, "
        f"{'then an OR' if small.form == 'or' else 'then a NOR of the other regions'}"
        f"{' (proven minimal)' if small.optimal else ''}; written to {path}.",
        "",
    ]


def _has_labels(A: "Arrangement") -> bool:
    if A.dim != 2:
        return False
    try:
        from hyperarr import plane
    except ImportError:
        return False
    return hasattr(plane, "region_by_label")


def _json_bytes(net: "ThresholdNetwork") -> bytes:
    return (json.dumps(net.to_dict(), allow_nan=False) + "\n").encode("utf-8")


def _error(message: str, status: int) -> int:
    print(f"{_PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return status


def _arrangement(path: str | None, example: str | None) -> "Arrangement":
    return load_arrangement(path, example)


def _positive(A: "Arrangement", text: str) -> list[Any]:
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or "" in items:
        raise ValueError(f"--positive expects a comma-separated list of regions; got {text!r}")
    try:
        return [int(item) for item in items]
    except ValueError:
        pass
    if not _has_labels(A):
        raise ValueError(
            f"--positive labels such as {items[0]!r} need a plane arrangement and hyperarr.plane; "
            "give region indices (0,1,...) instead"
        )
    return items


def _time_limit(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"--time-limit expects a number of seconds; got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise ValueError(f"--time-limit must be a positive finite number; got {text!r}")
    return value
