"""Matplotlib figures for hyperarr.

matplotlib is an optional dependency (``pip install 'hyperarr[plot]'``).  It
is imported inside the functions, never at module import, so ``import
hyperarr.plot`` works without it.  Every function draws on a given Axes, or
on a new pyplot figure if ``ax`` is None, and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_gradients"]


def _pyplot() -> Any:
    """Import and return ``matplotlib.pyplot``, or say how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "hyperarr.plot needs matplotlib; install it with pip install 'hyperarr[plot]'"
        ) from exc
    return plt


def _axes(ax: Axes | None) -> Axes:
    """``ax``, or the Axes of a new pyplot figure."""
    if ax is None:
        _, ax = _pyplot().subplots()
    return ax


def plot_gradients(
    T: ArrayLike = range(2, 61),
    w_rec: Sequence[float] | ArrayLike = (0.5, 2.0, 6.0),
    f: Sequence[float] | ArrayLike = (0.9, 1.0),
    ax: Axes | None = None,
    **params: Any,
) -> Axes:
    """|dy_T/dW_in| against T on a log scale: RNN at several w_rec, LSTM at several f.

    The numbers are :func:`hyperarr.rnn.gradient_curves` (eqs. (21) and (24)
    of the course sheet, with its inputs x(1) = x(2) = 1, then 0).  RNN curves
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
        :func:`~hyperarr.rnn.gradient_curves`.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For invalid parameters (checked before matplotlib is imported).
    ImportError
        If ``ax`` is None and matplotlib is not installed.

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
    ax.set_ylabel(r"$|dy_T / dW^{in}|$")
    ax.set_title("Vanishing gradients: RNN against LSTM")
    ax.legend(fontsize="small")
    return ax
