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


def _rnn_unrolled() -> Any:
    """Exercise 1 (the sheet's Figure 1): the RNN unrolled over T = 4 time steps."""
    from hyperarr.plot import plot_unrolled
    from hyperarr.rnn import RNN

    fig = _new_figure(7.0, 3.6)
    plot_unrolled(RNN(W_in=0.5, W_rec=0.8, W_out=2.0), T=4, ax=fig.add_subplot())
    return fig


def _digits_slice() -> Any:
    """Regions of a trained network: a 2-D slice through the digits, shaded by occupancy."""
    import warnings
    from fractions import Fraction

    import numpy as np
    from matplotlib.colors import LogNorm
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    from hyperarr import Arrangement
    from hyperarr.interop import from_sklearn
    from hyperarr.plane import region_polygons

    X, y = load_digits(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X / 16, y, test_size=0.25, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(hidden_layer_sizes=(16,), max_iter=60, random_state=0).fit(X_train, y_train)
    A = from_sklearn(mlp)
    occ = A.occupancy(X_train)
    X0, X1, X7 = (X_train[y_train == k].mean(axis=0) for k in (0, 1, 7))

    def dot(a: Any, v: Any) -> Fraction:
        return sum((ai * Fraction(vi) for ai, vi in zip(a, v)), Fraction(0))

    lines = [(dot(r[:-1], X1 - X0), dot(r[:-1], X7 - X0), r[-1] - dot(r[:-1], X0)) for r in A.exact_rows]
    P = Arrangement([ln[:2] for ln in lines], [ln[2] for ln in lines])
    box = (-0.5, -0.5, 1.5, 1.5)
    R = P.regions()
    index = {tuple(s): int(c) for s, c in zip(occ.signs.tolist(), occ.counts.tolist())}
    counts = [index.get(tuple(s), 0) for s in R.signs.tolist()]
    fig = _new_figure(6.0, 5.2)
    ax = fig.add_subplot()
    cmap = __import__("matplotlib").colormaps["Blues"]
    norm = LogNorm(vmin=1, vmax=max(counts))
    for poly, c in zip(region_polygons(P, bbox=box), counts):
        if not poly.is_empty:
            xs, ys = poly.exterior.xy
            ax.fill(xs, ys, facecolor=cmap(norm(c)) if c else "white", edgecolor="black", linewidth=0.8)
    basis = np.stack([X1 - X0, X7 - X0], axis=1)
    for k, marker, colour in ((0, "o", "tab:orange"), (1, "s", "tab:red"), (7, "^", "tab:green")):
        st = np.linalg.lstsq(basis, (X_train[y_train == k] - X0).T, rcond=None)[0]
        ax.scatter(st[0], st[1], s=6, marker=marker, color=colour, label=f"training images of {k}")
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal")
    ax.set_xlabel("s: from the mean 0 towards the mean 1")
    ax.set_ylabel("t: from the mean 0 towards the mean 7")
    ax.legend(loc="upper right", fontsize=7)
    mappable = __import__("matplotlib").cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(mappable, ax=ax, label="training images in the region of R^64 (white: none)")
    return fig


def _deep_digits() -> Any:
    """Regions of a deep network: the digits MLP (16, 16) on the plane through three training images."""
    import warnings

    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    from hyperarr.deep import Network
    from hyperarr.plot import plot_activation_regions

    X, y = load_digits(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X / 16, y, test_size=0.25, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(hidden_layer_sizes=(16, 16), max_iter=60, random_state=0).fit(X_train, y_train)
    plane = Network.from_sklearn(mlp).on_plane(X_train[0], X_train[1], X_train[2])
    fig = _new_figure(6.0, 5.6)
    ax = plot_activation_regions(plane, (-0.5, -0.5, 1.5, 1.5), ax=fig.add_subplot())
    for (s, t), k in zip(((0, 0), (1, 0), (0, 1)), y_train[:3].tolist()):
        ax.plot(s, t, "o", color="black", markersize=4, zorder=3)
        ax.annotate(f"training image of {k}", (s, t), xytext=(5, 5), textcoords="offset points",
                    fontsize=8, zorder=3)
    ax.set_xlabel("s")
    ax.set_ylabel("t")
    n = len(ax.collections[0].get_paths())
    ax.set_title(f"p0 + s (p1 - p0) + t (p2 - p0): {n} activation regions in the box", fontsize=10)
    return fig


#: File name -> function drawing the figure.
FIGURES: dict[str, Callable[[], Any]] = {
    "five_lines_plain.png": _five_lines_plain,
    "five_lines.png": _five_lines,
    "network_per_region.png": _network("per-region"),
    "network_minimal.png": _network("minimal"),
    "region_counts.png": _region_counts,
    "gradients.png": _gradients,
    "rnn_unrolled.png": _rnn_unrolled,
    "digits_slice.png": _digits_slice,
    "deep_digits.png": _deep_digits,
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
