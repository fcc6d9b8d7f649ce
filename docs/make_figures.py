"""Draw the figures of the documentation into ``docs/img/``.

Run it from the repository root after a change to the plotting code::

    python docs/make_figures.py

Every figure is drawn with ``hyperarr.plot`` on a bare matplotlib
``Figure`` rendered by the Agg canvas (no pyplot, no GUI backend, no global
state), and saved as PNG without the "Software" metadata entry, so the same
matplotlib version writes the same bytes on every run.  Nothing random is
drawn.  Importing this file does nothing; the doctest of ``make_figures``
checks that two runs give identical files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

#: Resolution of the PNG files (dots per inch).
DPI = 100


def _new_figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _five_lines_plain() -> Any:
    """Exercise 3a-b: five generic lines, numbered 1-5 (one neuron each)."""
    from hyperarr.library import five_lines
    from hyperarr.plot import plot_arrangement

    fig = _new_figure(5.0, 5.0)
    plot_arrangement(five_lines(), labels=False, ax=fig.add_subplot())
    return fig


def _five_lines() -> Any:
    """Exercise 3c-e (the sheet's Figure 2): regions A-P, with A, D, G shaded."""
    from hyperarr.library import five_lines
    from hyperarr.plot import plot_arrangement

    fig = _new_figure(5.0, 5.0)
    plot_arrangement(five_lines(), highlight="A,D,G", ax=fig.add_subplot())
    return fig


def _network(method: str) -> Callable[[], Any]:
    def draw() -> Any:
        """Exercise 3f (the sheet's Figure 3): a network that fires on A, D, G."""
        from hyperarr import synthesize
        from hyperarr.library import five_lines
        from hyperarr.plot import plot_network

        net = synthesize(five_lines(), "A,D,G", method=method)
        fig = _new_figure(7.0, 4.6)
        ax = plot_network(net, ax=fig.add_subplot())
        # The drawing has equal aspect: a figure of the same shape has no
        # empty bands above and below it.
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        fig.set_size_inches(7.0, 7.0 * (y1 - y0) / (x1 - x0) + 0.1)
        return fig

    return draw


def _region_counts() -> Any:
    """Exercise 3h: exact counts against n^d and n^d/d!."""
    from hyperarr.plot import plot_region_counts

    fig = _new_figure(7.0, 4.6)
    plot_region_counts(range(1, 41), [2, 5, 10], ax=fig.add_subplot())
    return fig


def _gradients() -> Any:
    """Exercise 2: |dy_T/dW_in| of the RNN and the LSTM against T."""
    from hyperarr.plot import plot_gradients

    fig = _new_figure(7.0, 4.6)
    plot_gradients(T=range(2, 61), w_rec=(0.5, 2.0, 3.0, 6.0), f=(0.9, 1.0),
                   ax=fig.add_subplot())
    return fig


#: File name -> function drawing the figure.
FIGURES: dict[str, Callable[[], Any]] = {
    "five_lines_plain.png": _five_lines_plain,
    "five_lines.png": _five_lines,
    "network_per_region.png": _network("per-region"),
    "network_minimal.png": _network("minimal"),
    "region_counts.png": _region_counts,
    "gradients.png": _gradients,
}


def make_figures(out_dir: str) -> list[str]:
    """Write every figure of ``FIGURES`` into ``out_dir``; return the paths.

    Examples
    --------
    Two runs write the same bytes:

    >>> import tempfile
    >>> first = make_figures(tempfile.mkdtemp())
    >>> second = make_figures(tempfile.mkdtemp())
    >>> [os.path.basename(p) for p in first] == list(FIGURES)
    True
    >>> all(open(a, "rb").read() == open(b, "rb").read() for a, b in zip(first, second))
    True
    """
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for name, draw in FIGURES.items():
        path = os.path.join(out_dir, name)
        fig = draw()
        fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Write the figures into the folder given, default ``img/`` next to this file."""
    args = sys.argv[1:] if argv is None else argv
    out_dir = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "img")
    for path in make_figures(out_dir):
        print(os.path.relpath(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
