"""``hyperarr plot``: the figures of the course sheet's Exercise 3 (private).

* ``hyperarr plot --example five-lines --highlight A,D,G -o fig.png`` draws
  the lines and the labelled regions (the sheet's Figure 2);
* ``hyperarr plot FILE.csv -o fig.png`` does the same for your own lines,
  one ``w1,w2,theta`` row per line;
* ``hyperarr plot --example five-lines --network --positive A,D,G -o net.png``
  draws a threshold network that fires exactly on those regions (Figure 3);
* ``hyperarr plot counts --d 1:10 --n 1:60 -o counts.png`` plots the exact
  region counts against n^d.

Every figure is checked before it is drawn and written atomically
(`hyperarr.cli._output.save_figure`).
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from hyperarr.cli._command import add_command
from hyperarr.cli._input import (
    check_work,
    count_table_seconds,
    load_arrangement,
    parse_int_ranges,
    plane_examples,
    read_arrangement_csv,
    split_list,
)
from hyperarr.cli._output import figure_format, new_figure, save_figure
from hyperarr.exceptions import ArrangementError
from hyperarr.synthesis import synthesize

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement
    from hyperarr.synthesis import ThresholdNetwork

__all__ = ["add_parser", "run", "demo_step"]

#: The largest n and d of ``plot counts``, the most (n, d) pairs, and the most estimated work.
_MAX_COUNT = 10_000
_MAX_PAIRS = 100_000
_MAX_SECONDS = 10.0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``plot`` on an argparse subparsers object."""
    p = add_command(
        subparsers,
        "plot",
        run,
        help="draw the lines and labelled regions, a threshold network, or region counts",
        description=(
            "Figures for Exercise 3 of the course sheet.  WHAT is 'arrangement' "
            "(the default), 'counts', or a CSV file of lines, one row w1,w2,theta "
            "per line (the line w1 x + w2 y = theta; a header row and #-comments "
            "are allowed).  Regions are labelled A, B, ... clockwise round the "
            "outer ring from the top, then inwards."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr plot --example five-lines --highlight A,D,G -o fig.png\n"
            "  hyperarr plot lines.csv --highlight B -o fig.png\n"
            "  hyperarr plot --example five-lines --network --positive A,D,G -o net.png\n"
            "  hyperarr plot counts --d 1:10 --n 1:60 -o counts.png"
        ),
    )
    p.add_argument(
        "what", nargs="?", default="arrangement", metavar="WHAT",
        help="arrangement (default), counts, or FILE.csv",
    )
    p.add_argument(
        "--example", default=None, metavar="NAME",
        help="a built-in arrangement of lines in the plane (plot draws d = 2 only): "
             f"{', '.join(plane_examples())}; default five-lines without a CSV file",
    )
    p.add_argument("--highlight", default=None, metavar="LABELS",
                   help="regions to shade grey, e.g. A,D,G")
    p.add_argument("--no-labels", action="store_true", help="do not write the region labels")
    p.add_argument("--bbox", default=None, metavar="X0,Y0,X1,Y1",
                   help="the drawn box (default: all vertices with a margin); "
                        "write --bbox=-5,-5,5,5 for negative values")
    p.add_argument("--network", action="store_true",
                   help="draw the threshold network for the --positive regions instead")
    p.add_argument("--positive", default=None, metavar="LABELS",
                   help="regions the network's output fires on (default A,D,G; "
                        "an empty list is an error)")
    p.add_argument("--method", choices=("minimal", "per-region"), default=None,
                   help="network synthesis: the fewest AND units (default, as in synthesize) "
                        "or one AND unit per region (the sheet's Figure 3)")
    p.add_argument("--n", default=None, metavar="RANGE",
                   help="plot counts: numbers of hyperplanes (default 1:60)")
    p.add_argument("--d", default=None, metavar="RANGE",
                   help="plot counts: dimensions (default 1:10)")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="the figure to write (.png, .pdf, .svg, ...); required")
    p.add_argument("--dpi", default="150", metavar="DPI", help="resolution of raster files (default 150)")
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr plot``: check the arguments, draw, write ``-o``, return 0."""
    if not args.output:
        raise ValueError("-o FILE is required (the figure to write, e.g. -o fig.png)")
    figure_format(args.output)
    dpi = _dpi(args.dpi)
    save_figure(_figure(args), args.output, dpi)
    print(f"figure written to {args.output}")
    return 0


def demo_step(out_dir: str) -> list[str]:
    """Write ``five_lines.png`` and ``network.png`` into ``out_dir``; return lines saying where.

    ``five_lines.png`` is the sheet's Figure 2: five lines, the 16 regions
    labelled, A, D and G shaded.  ``network.png`` is Figure 3: a threshold
    network firing exactly on A, D and G.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> lines = demo_step(folder)
    >>> os.path.isfile(os.path.join(folder, "five_lines.png"))
    True
    """
    from hyperarr.library import five_lines

    A = five_lines()
    figure2 = os.path.join(out_dir, "five_lines.png")
    save_figure(_arrangement_figure(A, "A,D,G", True, None), figure2, 150)
    figure3 = os.path.join(out_dir, "network.png")
    save_figure(_network_figure(_synthesize(A, "A,D,G", "per-region")), figure3, 150)
    return [
        f"Figure 2 (five lines, 16 regions A-P, A, D, G shaded): {figure2}",
        f"Figure 3 (a threshold network firing on A, D, G): {figure3}",
    ]


# ----------------------------------------------------------------------
# Checking the arguments
# ----------------------------------------------------------------------


def _dpi(text: str) -> int:
    try:
        dpi = int(text)
    except ValueError:
        raise ValueError(f"--dpi expects a positive integer; got {text!r}") from None
    if not 10 <= dpi <= 2000:
        raise ValueError(f"--dpi must be in [10, 2000]; got {dpi}")
    return dpi


def _figure(args: argparse.Namespace) -> Any:
    """Check the options against WHAT, then draw; return the matplotlib Figure."""
    given = {
        "--example": args.example is not None, "--highlight": args.highlight is not None,
        "--no-labels": args.no_labels, "--bbox": args.bbox is not None,
        "--network": args.network, "--positive": args.positive is not None,
        "--method": args.method is not None, "--n": args.n is not None,
        "--d": args.d is not None,
    }
    if args.what == "counts":
        wrong = [k for k, v in given.items() if v and k not in ("--n", "--d")]
        if wrong:
            raise ValueError(f"{', '.join(wrong)} cannot be used with 'plot counts'")
        n_text, d_text = args.n or "1:60", args.d or "1:10"
        ns = parse_int_ranges("--n", n_text, 0, _MAX_COUNT, max_count=_MAX_PAIRS)
        ds = parse_int_ranges("--d", d_text, 1, _MAX_COUNT, max_count=_MAX_PAIRS)
        if len(ns) * len(ds) > _MAX_PAIRS:
            raise ValueError(f"at most {_MAX_PAIRS} (n, d) pairs at once; got {len(ns) * len(ds)}")
        check_work(
            f"plot counts --n {n_text} --d {d_text} ({len(ns) * len(ds)} exact counts)",
            count_table_seconds(ns, ds),
            _MAX_SECONDS,
            "narrow --n or --d",
        )
        return _counts_figure(ns, ds)
    wrong = [k for k in ("--n", "--d") if given[k]]
    if wrong:
        raise ValueError(f"{', '.join(wrong)} only apply to 'plot counts'")
    A = _arrangement(args.what, args.example)
    if args.network:
        wrong = [k for k in ("--highlight", "--no-labels", "--bbox") if given[k]]
        if wrong:
            raise ValueError(f"{', '.join(wrong)} cannot be used with --network")
        positive = "A,D,G" if args.positive is None else args.positive
        return _network_figure(_synthesize(A, positive, args.method or "minimal"))
    wrong = [k for k in ("--positive", "--method") if given[k]]
    if wrong:
        raise ValueError(f"{', '.join(wrong)} only apply with --network")
    bbox = _bbox(args.bbox) if args.bbox is not None else None
    return _arrangement_figure(A, args.highlight, not args.no_labels, bbox)


def _arrangement(what: str, example: str | None) -> "Arrangement":
    """The lines named by WHAT / --example (five-lines by default); d must be 2."""
    if what == "arrangement":
        A = load_arrangement(None, example or "five-lines")
        if A.dim != 2:
            raise ArrangementError(
                f"hyperarr plot draws lines in the plane (d = 2) only; --example {example} is "
                f"hyperplanes in R^{A.dim}; the plane examples are {', '.join(plane_examples())}"
            )
        return A
    if example is not None:
        raise ValueError(f"give either a CSV file or --example, not both; got {what!r} and --example {example}")
    if not os.path.isfile(what):
        raise ValueError(
            f"WHAT must be 'arrangement', 'counts' or an existing CSV file; no file {what!r}"
        )
    return read_arrangement_csv(what, dim=2)


def _bbox(text: str) -> tuple[float, ...]:
    from hyperarr.plane import _check_bbox

    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise ValueError(f"--bbox expects four numbers x0,y0,x1,y1; got {text!r}")
    try:
        return _check_bbox(values)  # finite, ordered, and small enough for the geometry
    except ArrangementError as exc:
        raise ArrangementError(f"--{exc}") from None


# ----------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------


def _synthesize(A: "Arrangement", positive: str, method: str) -> "ThresholdNetwork":
    """A threshold network that fires exactly on the ``positive`` regions (labels)."""
    from hyperarr.plane import region_by_label

    labels = split_list("--positive", positive, "region labels such as A,D,G")
    regions = [region_by_label(A, lab) for lab in labels]
    return synthesize(A, regions, method=method)


def _arrangement_figure(A: "Arrangement", highlight: Any, labels: bool, bbox: Any) -> Any:
    from hyperarr.plot import plot_arrangement

    fig = new_figure((6.0, 6.0), "hyperarr plot")
    plot_arrangement(A, highlight=highlight, labels=labels, ax=fig.add_subplot(), bbox=bbox)
    return fig


def _network_figure(net: "ThresholdNetwork") -> Any:
    from hyperarr.plot import plot_network

    layers = net.layers
    tall = max([layers[0][0].shape[1]] + [W.shape[0] for W, _ in layers])
    fig = new_figure((max(6.0, 2.2 * (len(layers) + 1)), max(4.0, 0.75 * tall + 2.0)), "hyperarr plot")
    plot_network(net, ax=fig.add_subplot())
    return fig


def _counts_figure(ns: list[int], ds: list[int]) -> Any:
    from hyperarr.plot import plot_region_counts

    fig = new_figure((7.5, 5.0), "hyperarr plot")
    plot_region_counts(ns, ds, ax=fig.add_subplot())
    return fig
