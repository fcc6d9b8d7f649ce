"""The ``hyperarr plot`` subcommand: the figures of the course sheet's Exercise 3.

* ``hyperarr plot --example five-lines --highlight A,D,G -o fig.png`` draws
  the lines and the labelled regions (the sheet's Figure 2);
* ``hyperarr plot FILE.csv -o fig.png`` does the same for your own lines,
  one ``w1,w2,theta`` row per line;
* ``hyperarr plot --example five-lines --network --positive A,D,G -o net.png``
  draws a threshold network that fires exactly on those regions (Figure 3);
* ``hyperarr plot counts --d 1:10 --n 1:60 -o counts.png`` plots the exact
  region counts against n^d.

Every file is written atomically (a temporary file in the same folder, then
:func:`os.replace`).  A bad argument gives one line ``hyperarr plot: error:
...`` on stderr and exit status 2; a file that cannot be written, or a missing
matplotlib, gives status 1.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from typing import Any


from hyperarr.cli._input import EXAMPLES, load_arrangement, parse_int_ranges, read_arrangement_csv
from hyperarr.exceptions import HyperarrError

__all__ = ["add_parser", "run", "demo_step"]

_PROG = "hyperarr plot"
_EXAMPLES = tuple(EXAMPLES)
_FORMATS = ("png", "pdf", "svg", "eps", "ps", "jpg", "jpeg", "tif", "tiff", "webp")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``plot`` subcommand on an argparse subparsers object."""
    p = subparsers.add_parser(
        "plot",
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
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "what", nargs="?", default="arrangement", metavar="WHAT",
        help="arrangement (default), counts, or FILE.csv",
    )
    p.add_argument(
        "--example", choices=_EXAMPLES, default=None,
        help="a built-in arrangement (default five-lines when no CSV file is given)",
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
                   help="regions the network's output fires on (default A,D,G)")
    p.add_argument("--method", choices=("per-region", "minimal"), default=None,
                   help="network synthesis: one AND unit per region (default) or minimal")
    p.add_argument("--n", default=None, metavar="RANGE",
                   help="plot counts: numbers of hyperplanes (default 1:60)")
    p.add_argument("--d", default=None, metavar="RANGE",
                   help="plot counts: dimensions (default 1:10)")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="the figure to write (.png, .pdf, .svg, ...); required")
    p.add_argument("--dpi", default="150", metavar="DPI", help="resolution of raster files (default 150)")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr plot``; return the exit status (0, 1 on I/O failure, 2 on bad arguments)."""
    try:
        fig = _figure(args)
    except (HyperarrError, ValueError) as exc:
        return _error(str(exc), 2)
    except ImportError as exc:
        return _error(str(exc), 1)
    try:
        _save(fig, args.output, int(args.dpi))
    except OSError as exc:
        return _error(f"cannot write {args.output}: {exc.strerror or exc}", 1)
    return 0


def demo_step(out_dir: str) -> list[str]:
    """Write ``five_lines.png`` and ``network.png`` into ``out_dir``; return lines saying where.

    ``five_lines.png`` is the sheet's Figure 2: five lines, the 16 regions
    labelled, A, D and G shaded.  ``network.png`` is Figure 3: a threshold
    network firing exactly on A, D and G (needs :mod:`hyperarr.synthesis`).

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
    lines = []
    path = os.path.join(out_dir, "five_lines.png")
    _save(_arrangement_figure(A, "A,D,G", True, None), path, 150)
    lines.append(f"Figure 2 (five lines, 16 regions A-P, A, D, G shaded): {path}")
    path = os.path.join(out_dir, "network.png")
    try:
        net = _synthesize(A, "A,D,G", "per-region")
    except ImportError as exc:
        lines.append(f"Figure 3 (network for A, D, G) skipped: {exc}")
    else:
        _save(_network_figure(net), path, 150)
        lines.append(f"Figure 3 (a threshold network firing on A, D, G): {path}")
    return lines


# ----------------------------------------------------------------------
# Building the figure
# ----------------------------------------------------------------------


def _error(message: str, status: int) -> int:
    print(f"{_PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return status


def _figure(args: argparse.Namespace) -> Any:
    """Check the arguments, then draw; return the matplotlib Figure."""
    if not args.output:
        raise ValueError("-o FILE is required (the figure to write, e.g. -o fig.png)")
    _check_output(args.output)
    try:
        dpi = int(args.dpi)
    except ValueError:
        raise ValueError(f"--dpi expects a positive integer; got {args.dpi!r}") from None
    if not 10 <= dpi <= 2000:
        raise ValueError(f"--dpi must be in [10, 2000]; got {dpi}")
    counts = args.what == "counts"
    given = {
        "--example": args.example is not None, "--highlight": args.highlight is not None,
        "--no-labels": args.no_labels, "--bbox": args.bbox is not None,
        "--network": args.network, "--positive": args.positive is not None,
        "--method": args.method is not None, "--n": args.n is not None,
        "--d": args.d is not None,
    }
    if counts:
        wrong = [k for k, v in given.items() if v and k not in ("--n", "--d")]
        if wrong:
            raise ValueError(f"{', '.join(wrong)} cannot be used with 'plot counts'")
        return _counts_figure(_range("--n", args.n or "1:60", 0), _range("--d", args.d or "1:10", 1))
    wrong = [k for k in ("--n", "--d") if given[k]]
    if wrong:
        raise ValueError(f"{', '.join(wrong)} only apply to 'plot counts'")
    A = _arrangement(args.what, args.example)
    if args.network:
        wrong = [k for k in ("--highlight", "--no-labels", "--bbox") if given[k]]
        if wrong:
            raise ValueError(f"{', '.join(wrong)} cannot be used with --network")
        return _network_figure(_synthesize(A, args.positive or "A,D,G", args.method or "per-region"))
    wrong = [k for k in ("--positive", "--method") if given[k]]
    if wrong:
        raise ValueError(f"{', '.join(wrong)} only apply with --network")
    bbox = _bbox(args.bbox) if args.bbox is not None else None
    return _arrangement_figure(A, args.highlight, not args.no_labels, bbox)


def _check_output(path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"-o folder does not exist: {folder}")
    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt not in _FORMATS:
        raise ValueError(f"-o must end in one of .{', .'.join(_FORMATS)}; got {path!r}")


def _arrangement(what: str, example: str | None) -> Any:
    """The arrangement named by WHAT / --example (five-lines by default)."""
    if what == "arrangement":
        return load_arrangement(None, example or "five-lines")
    if example is not None:
        raise ValueError(f"give either a CSV file or --example, not both; got {what!r} and --example {example}")
    if not os.path.isfile(what):
        raise ValueError(
            f"WHAT must be 'arrangement', 'counts' or an existing CSV file; no file {what!r}"
        )
    return read_arrangement_csv(what, dim=2)


def _bbox(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise ValueError(f"--bbox expects four numbers x0,y0,x1,y1; got {text!r}")
    return values


def _range(option: str, text: str, low: int) -> list[int]:
    """Integers from ``a:b`` (inclusive), ``a:b:s``, ``n`` or a comma list of those."""
    return parse_int_ranges(option, text, low, 10_000)


def _synthesize(A: Any, positive: str, method: str) -> Any:
    """A threshold network that fires exactly on the ``positive`` regions (labels)."""
    from hyperarr.plane import region_by_label

    try:
        from hyperarr.synthesis import synthesize
    except ImportError as exc:
        raise ImportError(f"--network needs hyperarr.synthesis, which failed to import: {exc}") from exc
    regions = [region_by_label(A, lab) for lab in positive.split(",")]
    return synthesize(A, regions, method=method)


def _new_figure(size: tuple[float, float]) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError("hyperarr plot needs matplotlib; install it with pip install 'hyperarr[plot]'") from exc
    return Figure(figsize=size, layout="constrained")  # no pyplot: no GUI backend, nothing to close


def _arrangement_figure(A: Any, highlight: Any, labels: bool, bbox: Any) -> Any:
    from hyperarr.plane import _check_plane
    from hyperarr.plot import plot_arrangement

    _check_plane(A, "hyperarr plot")
    fig = _new_figure((6.0, 6.0))
    plot_arrangement(A, highlight=highlight, labels=labels, ax=fig.add_subplot(), bbox=bbox)
    return fig


def _network_figure(net: Any) -> Any:
    from hyperarr.plot import _network_layers, plot_network

    layers = _network_layers(net)
    tall = max([layers[0][0].shape[1]] + [W.shape[0] for W, _ in layers])
    fig = _new_figure((max(6.0, 2.2 * (len(layers) + 1)), max(4.0, 0.75 * tall + 2.0)))
    plot_network(net, ax=fig.add_subplot())
    return fig


def _counts_figure(ns: list[int], ds: list[int]) -> Any:
    from hyperarr.plot import plot_region_counts

    if len(ns) * len(ds) > 100_000:
        raise ValueError(f"at most 100000 (n, d) pairs at once; got {len(ns) * len(ds)}")
    fig = _new_figure((7.5, 5.0))
    plot_region_counts(ns, ds, ax=fig.add_subplot())
    return fig


def _save(fig: Any, path: str, dpi: int) -> None:
    """Render ``fig`` into memory, then write ``path`` atomically."""
    from hyperarr._atomic import atomic_write_bytes

    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi)
    atomic_write_bytes(path, buf.getvalue())
