"""Matplotlib figures for hyperarr.

matplotlib is an optional dependency (``pip install -e '.[plot]'`` in a
clone of hyperarr).  It is imported inside the functions, never at module
import, so ``import hyperarr.plot`` works without it; every function that
draws raises the same ImportError, saying what to install, when it is
missing.  Every function draws on a given Axes, or on a new pyplot figure if
``ax`` is None, and returns the Axes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "plot_gradients",
    "plot_arrangement",
    "plot_network",
    "plot_region_counts",
    "plot_unrolled",
    "plot_activation_regions",
]


#: The install line for the ``plot`` extra (hyperarr is installed from its source tree).
_INSTALL_PLOT = "pip install -e '.[plot]'"


def _matplotlib(module: str = "matplotlib", needs: str = "hyperarr.plot") -> Any:
    """Import and return ``module`` (``matplotlib.patches``, ...), or say how to install matplotlib.

    Raises
    ------
    ImportError
        ``"{needs} needs matplotlib; install it with pip install -e '.[plot]'"``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"{needs} needs matplotlib; install it with {_INSTALL_PLOT}") from exc


def _axes(ax: Axes | None) -> Axes:
    """``ax``, or the Axes of a new pyplot figure."""
    if ax is None:
        _, ax = _matplotlib("matplotlib.pyplot").subplots()
    return ax


def plot_gradients(
    T: ArrayLike = range(2, 61),
    w_rec: Sequence[float] | ArrayLike = (0.5, 2.0, 6.0),
    f: Sequence[float] | ArrayLike = (0.9, 1.0),
    ax: Axes | None = None,
    **params: Any,
) -> Axes:
    r"""$\lvert dy_T/dW_{in} \rvert$ against $T$ on a log scale: RNN at several $w_{rec}$, LSTM at several $f$.

    The numbers are [`gradient_curves`][hyperarr.rnn.gradient_curves]
    (eqs. (21) and (24) of the course sheet, with its inputs
    $x(1) = x(2) = 1$, then 0).  RNN curves
    are solid, LSTM curves dashed.  Zeros (underflow) are left out, as a log
    scale cannot show them.

    Parameters
    ----------
    T : array_like of int
        Horizons, each >= 2.
    w_rec : sequence of float
        Recurrent weights of the RNN curves.
    f : sequence of float
        Forget-gate values of the LSTM curves.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new pyplot figure.
    **params
        ``w_in``, ``w_out``, ``b_h``, ``b_y``, ``activation``, passed on to
        [`gradient_curves`][hyperarr.rnn.gradient_curves].

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For invalid parameters (checked before matplotlib is imported).
    ImportError
        If ``ax`` is None and matplotlib is not installed (the message says
        what to install).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_gradients(T=range(2, 11), ax=Figure().add_subplot())
    >>> len(ax.get_lines()), ax.get_yscale()
    (5, 'log')
    """
    from hyperarr.rnn import gradient_curves

    curves = gradient_curves(T, w_rec, f, **params)
    ax = _axes(ax)
    for w, grad in zip(curves.w_rec, curves.rnn):
        ax.plot(curves.T, np.abs(grad), "-", label=f"RNN, $w_{{rec}}$ = {w:g}")
    for value, grad in zip(curves.f, curves.lstm):
        ax.plot(curves.T, np.abs(grad), "--", label=f"LSTM, f = {value:g}")
    ax.set_yscale("log", nonpositive="mask")
    ax.set_xlabel("T")
    ax.set_ylabel(r"$|dy_T / dW_{in}|$")
    ax.set_title("Vanishing gradients: RNN against LSTM")
    ax.legend(fontsize="small")
    return ax


# ----------------------------------------------------------------------
# Exercise 3: the plane, the network, the counts
# ----------------------------------------------------------------------


def _highlight_indices(A: Any, highlight: Any, labels: list[str]) -> list[int]:
    """Region indices from labels ("A", "A,D,G") or indices, validated."""
    from hyperarr.exceptions import ArrangementError
    from hyperarr.labels import region_by_label

    if highlight is None:
        return []
    items = highlight.split(",") if isinstance(highlight, str) else list(highlight)
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(region_by_label(A, item))
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not 0 <= int(item) < len(labels):
                raise ArrangementError(
                    f"highlight index must be in [0, {len(labels)}); got {int(item)}"
                )
            out.append(int(item))
        else:
            raise ArrangementError(
                f"highlight entries must be region labels or indices; got {item!r}"
            )
    return out


def _line_segments(A: Any, bbox: Sequence[float]) -> list[tuple[list[int], Any]]:
    """Each distinct line clipped to the box: (input indices, (2, 2) array of ends) or None."""
    import shapely

    from hyperarr import _exact
    from hyperarr.plane import _unit_line

    box = shapely.box(*bbox)
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, row in enumerate(A.exact_rows):
        groups.setdefault(_exact.canonical_row(_exact.integer_row(row))[0], []).append(i)
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    span = float(np.hypot(bbox[2] - bbox[0], bbox[3] - bbox[1]))
    out = []
    for line, idx in groups.items():
        n, off = _unit_line(line)  # type: ignore[arg-type]
        p0 = np.array([cx, cy]) - (n @ [cx, cy] - off) * n
        v = np.array([-n[1], n[0]]) * 2 * span
        seg = shapely.intersection(box, shapely.LineString([p0 - v, p0 + v]))
        if isinstance(seg, shapely.LineString) and seg.length > 0:
            out.append((idx, np.asarray(seg.coords)[[0, -1]]))
    return out


def plot_arrangement(
    A: Any,
    highlight: Any = None,
    labels: bool = True,
    ax: Axes | None = None,
    bbox: Sequence[float] | None = None,
) -> Axes:
    """Draw a line arrangement with the regions labelled as in the course sheet.

    The course sheet's Figure 2 (Exercise 3a-e): the lines numbered 1 to n
    near one end (line k is hyperplane k − 1 of ``A``, as the sheet counts
    from 1), the regions named A, B, ... by
    [`seed_labels`][hyperarr.labels.seed_labels], and chosen regions shaded
    grey.

    Parameters
    ----------
    A : Arrangement
        Lines in the plane (``A.dim == 2``).
    highlight : str or sequence of str or int, optional
        Regions to shade: labels (``["A", "D", "G"]`` or ``"A,D,G"``) or
        indices into ``A.regions()``.
    labels : bool, default True
        Write the region labels, at each clipped region's
        ``representative_point()``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new pyplot figure.
    bbox : sequence of 4 floats, optional
        ``(minx, miny, maxx, maxy)``; default as in
        [`region_polygons`][hyperarr.plane.region_polygons].

    Returns
    -------
    matplotlib.axes.Axes
        With equal aspect, limits at the box, no ticks.

    Raises
    ------
    ArrangementError
        If ``A`` is not in the plane, a label is unknown or an index is out
        of range (checked before anything is drawn).
    ImportError
        If matplotlib is not installed (the message says what to install).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from hyperarr.library import five_lines
    >>> ax = Figure().add_subplot()
    >>> ax = plot_arrangement(five_lines(), highlight="A,D,G", ax=ax)
    >>> sorted(t.get_text() for t in ax.texts if t.get_text().isalpha())[:3]
    ['A', 'B', 'C']
    >>> len(ax.patches)  # the three grey regions
    3
    """
    from hyperarr._lines import check_plane as _check_plane
    from hyperarr.labels import seed_labels
    from hyperarr.plane import _check_bbox, _default_bbox, region_polygons

    _check_plane(A, "plot_arrangement")
    box = _default_bbox(A) if bbox is None else _check_bbox(bbox)
    polys = region_polygons(A, box)
    names = seed_labels(A)
    shaded = _highlight_indices(A, highlight, names)
    segments = _line_segments(A, box)

    PolygonPatch = _matplotlib("matplotlib.patches").Polygon
    ax = _axes(ax)
    for r in dict.fromkeys(shaded):
        if not polys[r].is_empty:
            ax.add_patch(PolygonPatch(np.asarray(polys[r].exterior.coords), closed=True,
                                      facecolor="0.78", edgecolor="none", zorder=1))
    size = max(box[2] - box[0], box[3] - box[1])
    for idx, ends in segments:
        ax.plot(ends[:, 0], ends[:, 1], color="black", lw=1.3, solid_capstyle="butt", zorder=2)
        # the number sits on the line near its upper end (right end if horizontal)
        k = int(np.lexsort((ends[:, 0], ends[:, 1]))[-1])
        top, other = ends[k], ends[1 - k]
        step = (other - top) / np.linalg.norm(other - top) * 0.045 * size
        x, y = top + step
        ax.text(x, y, ",".join(str(i + 1) for i in idx), ha="center", va="center",
                fontsize=9, zorder=4,
                bbox=dict(boxstyle="circle,pad=0.25", facecolor="white", edgecolor="black",
                          linewidth=0.8))
    if labels:
        for name, poly in zip(names, polys):
            if not poly.is_empty:
                p = poly.representative_point()
                ax.text(p.x, p.y, name, ha="center", va="center", fontsize=12,
                        fontstyle="italic", zorder=3)
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _network_layers(net: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """``net.layers`` as float arrays, shapes checked: weights (k, k_prev), thresholds (k,)."""
    from hyperarr.exceptions import ArrangementError

    layers = getattr(net, "layers", None)
    if layers is None:
        raise TypeError(
            f"plot_network expects a ThresholdNetwork (an object with .layers); "
            f"got {type(net).__name__}"
        )
    out = []
    width = None
    for k, layer in enumerate(layers):
        try:
            W, t = layer
            W = np.asarray(W, dtype=np.float64)
            t = np.asarray(t, dtype=np.float64)
        except (TypeError, ValueError):
            raise ArrangementError(
                f"net.layers[{k}] must be a pair (weights, thresholds) of numbers; got {layer!r}"
            ) from None
        if W.ndim != 2 or t.shape != (W.shape[0],) or (width is not None and W.shape[1] != width):
            want = "(units, inputs)" if width is None else f"(units, {width})"
            raise ArrangementError(
                f"net.layers[{k}] needs weights of shape {want} and thresholds of shape "
                f"(units,); got {W.shape} and {t.shape}"
            )
        width = W.shape[0]
        out.append((W, t))
    if not out:
        raise ArrangementError("net.layers is empty; a network needs at least one layer")
    return out


def _fmt_weight(w: float) -> str:
    """+1 → '+', −1 → '−', others compactly."""
    if w == 1:
        return "+"
    if w == -1:
        return "\u2212"
    return f"{w:.3g}".replace("-", "\u2212")


def plot_network(net: Any, ax: Axes | None = None) -> Axes:
    r"""Draw a threshold network as layered nodes, with weights and thresholds.

    The course sheet's Figure 3 (Exercise 3f): inputs $x_1, \dots, x_d$, the
    first hidden layer (one unit per line, numbered from 1 as in
    [`plot_arrangement`][hyperarr.plot.plot_arrangement]), the second hidden
    layer (AND units) and the output.  Each unit shows its threshold θ inside its circle and fires iff
    ``weights · x − θ > 0``.  Only nonzero weights are drawn; +1 and −1 are
    written ``+`` and ``−`` (edges of negative weight are dashed).

    Parameters
    ----------
    net : ThresholdNetwork
        Anything with ``.layers``, a list of ``(weights, thresholds)``: layer
        ℓ has weights of shape ``(units_ℓ, inputs_ℓ)`` and thresholds of
        shape ``(units_ℓ,)``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new pyplot figure.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``net`` has no ``.layers``.
    ArrangementError
        If the layer shapes do not chain.
    ImportError
        If matplotlib is not installed (the message says what to install).

    Notes
    -----
    With more than 80 drawn edges the weight labels are left out (the line
    style still shows the sign).  A layer with fewer units than the tallest
    one is spread over more of its height, so that edges meet their units
    at distinct angles.  Each weight label sits on its edge near the end
    where fewer edges meet (the receiving unit for the first layer of five
    lines, the sending unit for the AND and OR layers), where neighbouring
    edges are far apart.  The axes' data limits fit the drawing, with
    equal aspect; ``docs/make_figures.py`` sizes its figures from them.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from matplotlib.figure import Figure
    >>> layers = [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [1.5])]
    >>> net = SimpleNamespace(layers=layers)
    >>> ax = plot_network(net, ax=Figure().add_subplot())
    >>> len(ax.patches)  # 2 inputs, 2 hidden units, 1 output
    5
    """
    layers = _network_layers(net)
    Circle = _matplotlib("matplotlib.patches").Circle
    ax = _axes(ax)
    sizes = [layers[0][0].shape[1]] + [W.shape[0] for W, _ in layers]
    tall = max(sizes)
    dx = max(4.5, 0.4 * tall)
    xs = [k * dx for k in range(len(sizes))]
    # Units 1.4 apart in the tallest layer; a smaller layer spreads over up
    # to 80% of that height (at most 3.5 apart), first unit on top.
    step = 1.4
    ys = []
    for s in sizes:
        gap = step if s >= tall or s == 1 else min(2.5 * step, 0.8 * step * (tall - 1) / (s - 1))
        ys.append((np.arange(s)[::-1] - (s - 1) / 2) * gap)
    half = step * (tall - 1) / 2
    radius = 0.3
    n_edges = sum(int(np.count_nonzero(W)) for W, _ in layers)
    for k, (W, _) in enumerate(layers):
        nz = W != 0
        # Label near the end where fewer edges meet: the mean fan-in of the
        # receiving units against the mean fan-out of the sending ones.
        fan_in = nz.sum(axis=1)[nz.any(axis=1)].mean() if nz.any() else 0.0
        fan_out = nz.sum(axis=0)[nz.any(axis=0)].mean() if nz.any() else 0.0
        near_receiver = fan_in <= fan_out
        for j, i in zip(*np.nonzero(W)):
            x0, y0, x1, y1 = xs[k], ys[k][i], xs[k + 1], ys[k + 1][j]
            w = W[j, i]
            ax.plot([x0, x1], [y0, y1], color="0.25", lw=0.9, zorder=1,
                    linestyle="--" if w < 0 else "-")
            if n_edges <= 80:
                # closer to a sending unit: edges leaving neighbouring units
                # cross about one unit out
                reach = radius + (1.0 if near_receiver else 0.8)
                along = reach / float(np.hypot(x1 - x0, y1 - y0))
                f = 1.0 - along if near_receiver else along
                # a framed label: a bare "−" on a dashed edge reads as a dash
                ax.text(x0 + f * (x1 - x0), y0 + f * (y1 - y0), _fmt_weight(w), fontsize=8,
                        ha="center", va="center", zorder=3,
                        bbox=dict(boxstyle="round,pad=0.15", facecolor="white",
                                  edgecolor="0.55", linewidth=0.5))
    d = sizes[0]
    for i in range(d):
        ax.add_patch(Circle((xs[0], ys[0][i]), radius, facecolor="white", edgecolor="black",
                            zorder=2))
        ax.text(xs[0], ys[0][i], f"$x_{{{i + 1}}}$", ha="center", va="center", fontsize=10,
                zorder=4)
    for k, (_, t) in enumerate(layers, start=1):
        for j in range(sizes[k]):
            ax.add_patch(Circle((xs[k], ys[k][j]), radius, facecolor="0.93", edgecolor="black",
                                zorder=2))
            ax.text(xs[k], ys[k][j], f"{t[j]:.3g}".replace("-", "\u2212"), ha="center",
                    va="center", fontsize=8, zorder=4)
            if k == 1:
                ax.text(xs[k], ys[k][j] + radius + 0.06, str(j + 1), ha="center",
                        va="bottom", fontsize=8, color="0.3", zorder=4,
                        bbox=dict(boxstyle="round,pad=0.05", facecolor="white",
                                  edgecolor="none"))
    L = len(layers)
    titles = ["input"]
    for k in range(1, L + 1):
        if k == L:
            titles.append("output")
        elif k == 1:
            titles.append("layer 1\n(lines)")
        elif k == 2 and L == 3:
            titles.append("layer 2\n(AND)")
        else:
            titles.append(f"layer {k}")
    top = half + radius + 0.35
    for x, title in zip(xs, titles):
        ax.text(x, top, title, ha="center", va="bottom", fontsize=10)
    bottom = -half - radius - 0.3
    ax.text(xs[-1] / 2, bottom,
            "In the circles: thresholds θ; a unit fires iff w · x − θ > 0.\n"
            "On the edges: weights w (+ is +1, − is −1); dashed if negative.",
            ha="center", va="top", fontsize=8, color="0.3", linespacing=1.4)
    ax.set_xlim(-0.7, xs[-1] + 0.7)
    ax.set_ylim(bottom - 0.95, top + 0.85)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def plot_region_counts(
    ns: int | Iterable[int], ds: int | Iterable[int], ax: Axes | None = None
) -> Axes:
    r"""Exact region counts against $n^d$ and $n^d/d!$, on a log scale, against $n$.

    For each dimension $d$ (one colour) three curves: the exact maximum
    number of regions of $n$ hyperplanes in $\mathbb{R}^d$,
    [`max_regions`][hyperarr.counting.max_regions]
    $= \sum_{k \le d} \binom{n}{k}$ (solid), the class estimate $n^d$
    (dashed) and its sharper form $n^d/d!$ (dotted).

    Parameters
    ----------
    ns : int or iterable of int
        Numbers of hyperplanes, each >= 0.
    ds : int or iterable of int
        Dimensions, each >= 0.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new pyplot figure.

    Returns
    -------
    matplotlib.axes.Axes
        The y data are log10 of the counts, computed from the exact
        integers, so huge $n$ and $d$ do not overflow; the ticks read $10^k$.

    Raises
    ------
    ArrangementError
        If an entry of ``ns`` or ``ds`` is not a non-negative integer.
    ImportError
        If matplotlib is not installed (the message says what to install).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_region_counts(range(1, 21), [2, 10],
    ...                         ax=Figure().add_subplot())
    >>> len(ax.get_lines())
    6
    >>> top = max(ax.get_lines()[0].get_ydata())  # log10(max_regions(20, 2))
    >>> round(float(top), 3)
    2.324
    """
    import math

    from hyperarr.counting import region_count_table

    rows = region_count_table(ns, ds)
    d_list = list(dict.fromkeys(r.d for r in rows))
    matplotlib = _matplotlib()
    ax = _axes(ax)
    cmap = matplotlib.colormaps["tab10" if len(d_list) <= 10 else "viridis"]
    for k, d in enumerate(d_list):
        sel = sorted((r for r in rows if r.d == d), key=lambda r: r.n)
        color = cmap(k) if len(d_list) <= 10 else cmap(k / max(len(d_list) - 1, 1))
        n = np.array([r.n for r in sel], dtype=np.float64)
        exact = np.array([r.log10_exact for r in sel])
        approx = np.array([r.log10_approx for r in sel])
        approx_fact = approx - math.lgamma(d + 1) / math.log(10)
        ok = np.isfinite(approx)
        ax.plot(n, exact, "-", color=color, lw=1.8, label=f"d = {d}")
        ax.plot(n[ok], approx[ok], "--", color=color, lw=0.9)
        ax.plot(n[ok], approx_fact[ok], ":", color=color, lw=0.9)
    Line2D = _matplotlib("matplotlib.lines").Line2D
    style = [
        Line2D([], [], color="0.3", ls="-", label=r"exact $\sum_{k\leq d}\binom{n}{k}$"),
        Line2D([], [], color="0.3", ls="--", label="$n^d$"),
        Line2D([], [], color="0.3", ls=":", label="$n^d/d!$"),
    ]
    first = ax.legend(handles=style, loc="upper left", fontsize="small")
    ax.add_artist(first)
    ax.legend(loc="lower right", fontsize="small", ncol=2 if len(d_list) > 5 else 1)
    ticker = _matplotlib("matplotlib.ticker")
    ax.set_ylim(bottom=-0.5)  # n^d/d! < 1 for n < d says nothing
    ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"$10^{{{int(round(v))}}}$"))
    ax.set_xlabel("n (hyperplanes = first-layer neurons)")
    ax.set_ylabel("number of regions (log scale)")
    ax.set_title("Regions of n hyperplanes in general position in $R^d$")
    return ax


def _weight_label(name: str, W: np.ndarray) -> str:
    """``W_in`` as $W_{in}$, with its value when it is a single number."""
    tex = {"W_in": r"W_{in}", "W_rec": r"W_{rec}", "W_out": r"W_{out}"}[name]
    return f"${tex} = {float(W.reshape(-1)[0]):g}$" if W.size == 1 else f"${tex}$"


def plot_unrolled(rnn: Any, T: int = 4, ax: Axes | None = None) -> Axes:
    r"""Draw a recurrent network unrolled in time: the course sheet's Figure 1.

    Inputs $x(1), \dots, x(T)$ at the bottom, the hidden states
    $h(0) = 0, h(1), \dots, h(T)$ above them, each $h(t)$ fed by $x(t)$
    through $W_{in}$ and by $h(t-1)$ through $W_{rec}$, and the readout
    $\hat y(T)$ through $W_{out}$ at the top (the figure draws only the last
    output, as the sheet does).  Scalar weights show their values.

    Parameters
    ----------
    rnn : hyperarr.rnn.RNN
        Anything with ``unroll(T)`` and the weights ``W_in``, ``W_rec``, ``W_out``.
    T : int, default 4
        Time steps (hidden layers of the unrolled network).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new pyplot figure.

    Returns
    -------
    matplotlib.axes.Axes
        With equal aspect and no ticks.

    Raises
    ------
    ModelError
        If T is not a positive integer (raised by ``rnn.unroll``).
    ImportError
        If matplotlib is not installed (the message says what to install).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from hyperarr.rnn import RNN
    >>> ax = plot_unrolled(RNN(0.5, 0.8, 2.0), T=4, ax=Figure().add_subplot())
    >>> sorted(t.get_text() for t in ax.texts if t.get_text().startswith("$h"))
    ['$h(0) = 0$', '$h(1)$', '$h(2)$', '$h(3)$', '$h(4)$']
    """
    ff = rnn.unroll(T)
    Circle = _matplotlib("matplotlib.patches").Circle
    ax = _axes(ax)
    r, step = 0.32, 1.6
    nodes: dict[str, tuple[float, float]] = {"h0": (0.0, 1.0)}
    for t in range(1, ff.T + 1):
        nodes[f"x{t}"] = (step * t, 0.0)
        nodes[f"h{t}"] = (step * t, 1.0)
    nodes["y"] = (step * ff.T, 2.0)
    names = {"h0": "$h(0) = 0$", "y": rf"$\hat y({ff.T})$"}
    names.update({f"x{t}": f"$x({t})$" for t in range(1, ff.T + 1)})
    names.update({f"h{t}": f"$h({t})$" for t in range(1, ff.T + 1)})
    for key, (x, y) in nodes.items():
        ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor="black",
                            linestyle="--" if key == "h0" else "-", zorder=2))
        ax.text(x, y, names[key], ha="center", va="center", fontsize=9, zorder=3)

    def edge(a: str, b: str, label: str, side: str) -> None:
        (x0, y0), (x1, y1) = nodes[a], nodes[b]
        d = np.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        ax.annotate("", xy=(x1 - r * ux, y1 - r * uy), xytext=(x0 + r * ux, y0 + r * uy),
                    arrowprops={"arrowstyle": "->", "color": "black"}, zorder=1)
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        dx, dy = (0.08, 0.0) if side == "right" else (0.0, 0.06)
        ax.text(mx + dx, my + dy, label, fontsize=8, ha="left" if side == "right" else "center",
                va="center" if side == "right" else "bottom")

    for t in range(1, ff.T + 1):
        edge(f"x{t}", f"h{t}", _weight_label("W_in", rnn.W_in), "right")
        edge(f"h{t - 1}", f"h{t}", _weight_label("W_rec", rnn.W_rec), "above")
    edge(f"h{ff.T}", "y", _weight_label("W_out", rnn.W_out), "right")
    ax.set_xlim(-0.6, step * ff.T + 0.9)
    ax.set_ylim(-0.5, 2.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


# ----------------------------------------------------------------------
# Deep networks: the activation regions of a 2-D slice
# ----------------------------------------------------------------------

#: Boundary colours of the layers, first layer first (then matplotlib's cycle).
_LAYER_COLORS = ("black", "tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange")


def _unit_forms(net: Any, patterns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each region's pre-activation of every unit with a kink as an affine form on R^2, in float64.

    Returns (F, layer): F of shape (m, n_units, 3), unit u's pre-activation on
    region k being ``F[k, u, 0] x + F[k, u, 1] y + F[k, u, 2]``; ``layer[u]``
    is the layer of unit u.  For drawing only: no decision rests on it.
    """
    m = patterns.shape[0]
    A = np.broadcast_to(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), (m, 2, 3))
    forms, layer, pos = [], [], 0
    for k, (W, b, act) in enumerate(net.layers):
        Wf = np.array([[float(v) for v in row] for row in W.tolist()])
        H = np.einsum("oi,mic->moc", Wf, A)
        H[:, :, 2] += np.array([float(v) for v in b.tolist()])
        if act == "identity":
            A = H
            continue
        bits = patterns[:, pos : pos + H.shape[1]].astype(np.float64)
        pos += H.shape[1]
        forms.append(H)
        layer += [k] * H.shape[1]
        if act == "step":
            A = np.zeros_like(H)
            A[:, :, 2] = bits
        else:
            slope = 0.0 if act == "relu" else float(Fraction(act.split(":", 1)[1]))
            A = H * np.where(bits == 1, 1.0, slope)[:, :, None]
    return np.concatenate(forms, axis=1), np.array(layer, dtype=np.int64)


def _clip(poly: list[tuple[float, float, int]], a: float, b: float, c: float,
          label: int) -> list[tuple[float, float, int]]:
    """The convex polygon ``poly`` cut to ``a x + b y + c >= 0``.

    A vertex is (x, y, label of the edge from it to the next vertex); the
    new edge along the cut gets ``label`` (Sutherland–Hodgman, one edge).
    """
    vals = [a * x + b * y + c for x, y, _ in poly]
    if min(vals) >= 0:
        return poly
    out = []
    n = len(poly)
    for i in range(n):
        (x0, y0, lab), (x1, y1, _) = poly[i], poly[(i + 1) % n]
        v0, v1 = vals[i], vals[(i + 1) % n]
        if v0 >= 0:
            if v1 < 0 and v0 == 0:  # the cut leaves here: the new edge starts at this vertex
                out.append((x0, y0, label))
            elif v1 < 0:
                out.append((x0, y0, lab))
                t = v0 / (v0 - v1)
                out.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0), label))
            else:
                out.append((x0, y0, lab))
        elif v1 > 0:  # (v1 == 0: the next vertex is the entry point itself)
            t = v0 / (v0 - v1)
            out.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0), lab))
    return out


def plot_activation_regions(
    net: Any,
    bbox: Sequence[float] = (-1.0, -1.0, 1.0, 1.0),
    ax: Axes | None = None,
    *,
    cmap: Any = "tab20",
    alpha: float = 0.5,
    linewidth: float = 0.8,
    layer_colors: Sequence[Any] = _LAYER_COLORS,
    legend: bool = True,
    max_regions: int | None = None,
) -> Axes:
    r"""Draw the activation regions of a network on $\mathbb{R}^2$ in a box, boundaries coloured by layer.

    The regions are [`regions`][hyperarr.deep.activation.regions] of
    ``net`` in the box, exactly; each is shaded with its own colour.  On a
    region every unit's pre-activation is affine, so the region is the box
    cut by one half-plane per unit; the polygon drawn is that cut, in
    float64 (for the eye only).  Each edge is drawn in the colour of the
    layer whose unit bends there: a unit of layer k > 0 draws a line that
    bends wherever it crosses an earlier layer's boundary.  A network on
    $\mathbb{R}^d$ is drawn on a plane through three inputs with
    [`Network.on_plane`][hyperarr.deep.Network.on_plane].

    Parameters
    ----------
    net : Network
        A network with ``input_dim == 2``.
    bbox : sequence of 4 floats, default (-1, -1, 1, 1)
        ``(minx, miny, maxx, maxy)``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new pyplot figure.
    cmap : str or Colormap, default "tab20"
        Region k is shaded with colour ``k mod N`` of a listed colormap
        (``k / (m − 1)`` of a continuous one).
    alpha : float, default 0.5
        Opacity of the shading.
    linewidth : float, default 0.8
        Width of the boundaries.
    layer_colors : sequence of colours
        The boundary colour of layer 0, 1, ... (repeated if too short).
    legend : bool, default True
        A legend naming the layers' colours.
    max_regions : int, optional
        Refuse (OutputTooLargeError) rather than draw more regions; default
        the library's limit.

    Returns
    -------
    matplotlib.axes.Axes
        With one polygon per region (``ax.collections[0]``), then one line
        collection per layer with a kink that has a boundary in the box,
        equal aspect and limits at the box.

    Raises
    ------
    ArrangementError
        If ``net`` is not a network on $\mathbb{R}^2$ or ``bbox`` is invalid (checked
        before anything is drawn).
    OutputTooLargeError
        If the box holds more than ``max_regions`` regions.
    ImportError
        If matplotlib is not installed (the message says what to install).

    Notes
    -----
    O(m·U) half-plane cuts for m regions and U units.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from hyperarr.deep import Network
    >>> net = Network([([[1, 0], [0, 1]], [0, 0], "relu"),
    ...                ([[1, 1]], [-1/2], "relu")])
    >>> ax = plot_activation_regions(net, (-1, -1, 1, 1),
    ...                              ax=Figure().add_subplot())
    >>> len(ax.collections[0].get_paths())   # one polygon per region
    7
    >>> [c.get_label() for c in ax.collections[1:]]
    ['layer 0', 'layer 1']
    """
    from hyperarr.deep._model import Model
    from hyperarr.deep.activation import DEFAULT_MAX_REGIONS, regions
    from hyperarr.exceptions import ArrangementError
    from hyperarr.plane import _check_bbox

    if not isinstance(net, Model):
        raise ArrangementError(
            f"plot_activation_regions needs a hyperarr.deep.Network; got {type(net).__name__}")
    if net.input_dim != 2:
        raise ArrangementError(
            f"plot_activation_regions needs a network on R^2; got input_dim {net.input_dim} "
            "(draw a slice: net.on_plane(p0, p1, p2))")
    x0, y0, x1, y1 = _check_bbox(bbox)
    limit = DEFAULT_MAX_REGIONS if max_regions is None else max_regions
    R = regions(net, ((x0, y0), (x1, y1)), max_regions=limit)
    F, layer = _unit_forms(net, R.patterns) if len(R) else (np.zeros((0, 0, 3)), np.zeros(0))
    box = [(x0, y0, -1), (x1, y0, -1), (x1, y1, -1), (x0, y1, -1)]
    polygons: list[list[tuple[float, float]]] = []
    edges: dict[int, list[list[tuple[float, float]]]] = {}
    for k, pattern in enumerate(R.patterns.tolist()):
        poly = box
        for u, bit in enumerate(pattern):
            a, b, c = F[k, u].tolist()
            if a == 0 and b == 0:
                continue  # constant on the region: it does not cut it
            poly = _clip(poly, a, b, c, u) if bit else _clip(poly, -a, -b, -c, u)
            if len(poly) < 3:
                break
        if len(poly) < 3:
            continue  # thinner than float64 shows
        polygons.append([(x, y) for x, y, _ in poly])
        for i, (x, y, lab) in enumerate(poly):
            if lab >= 0:
                nx, ny, _ = poly[(i + 1) % len(poly)]
                edges.setdefault(int(layer[lab]), []).append([(x, y), (nx, ny)])

    mpl = _matplotlib("matplotlib")
    collections = _matplotlib("matplotlib.collections")
    colormap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    listed = isinstance(colormap, mpl.colors.ListedColormap) and colormap.N <= 256
    m = len(polygons)
    faces = [colormap(k % colormap.N) if listed else colormap(k / max(m - 1, 1)) for k in range(m)]
    ax = _axes(ax)
    ax.add_collection(collections.PolyCollection(polygons, facecolors=faces, edgecolors="none",
                                                 alpha=alpha, zorder=1))
    colors = list(layer_colors) or list(_LAYER_COLORS)
    for k in sorted(edges):
        ax.add_collection(collections.LineCollection(
            edges[k], colors=colors[k % len(colors)], linewidths=linewidth, zorder=2,
            label=f"layer {k}"))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    if legend and edges:
        ax.legend(loc="upper right", fontsize="small", title="boundaries of")
    return ax
