r"""$dy_T/dW_{in}$ against $T$, the numbers behind the gradient figure and ``hyperarr rnn``.

[`gradient_curves`][hyperarr.rnn.gradient_curves] evaluates the closed forms
(21) and (24) on a grid of horizons and weights and returns them as
[`GradientCurves`][hyperarr.rnn.GradientCurves].
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr.rnn._activations import _activation
from hyperarr.rnn._validate import FloatArray, _frozen, _horizons, _scalar, _values
from hyperarr.rnn.closed_forms import lstm_gradient_closed_form, rnn_gradient_closed_form

__all__ = ["GradientCurves", "gradient_curves"]


@dataclass(frozen=True, eq=False)
class GradientCurves:
    r"""$dy_T/dW_{in}$ against $T$ for several $w_{rec}$ (RNN) and $f$ (LSTM).

    Attributes
    ----------
    T : ndarray of int64, shape (m,)
    w_rec : ndarray of float64, shape (p,)
    f : ndarray of float64, shape (q,)
    rnn : ndarray of float64, shape (p, m)
        ``rnn[k]`` is eq. (21) at ``w_rec[k]`` for every $T$.
    lstm : ndarray of float64, shape (q, m)
        ``lstm[k]`` is eq. (24) at ``f[k]`` for every $T$.
    params : dict
        The shared ``w_in``, ``w_out``, ``b_h``, ``b_y`` and the activation.
    """

    T: NDArray[np.int64]
    w_rec: FloatArray
    f: FloatArray
    rnn: FloatArray
    lstm: FloatArray
    params: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (non-finite numbers become None).

        Examples
        --------
        >>> d = gradient_curves([2, 3], [0.5], [1.0]).to_dict()
        >>> sorted(d), d["T"], [c["w_rec"] for c in d["rnn"]]
        (['T', 'lstm', 'params', 'rnn'], [2, 3], [0.5])
        """

        def numbers(values: Iterable[float]) -> list[float | None]:
            return [float(v) if np.isfinite(v) else None for v in values]

        return {
            "T": self.T.tolist(),
            "params": dict(self.params),
            "rnn": [
                {"w_rec": float(w), "gradient": numbers(g)} for w, g in zip(self.w_rec, self.rnn)
            ],
            "lstm": [{"f": float(f), "gradient": numbers(g)} for f, g in zip(self.f, self.lstm)],
        }


def gradient_curves(
    T: ArrayLike = range(2, 61),
    w_rec: ArrayLike = (0.5, 2.0, 6.0),
    f: ArrayLike = (0.9, 1.0),
    *,
    w_in: float = 1.0,
    w_out: float = 1.0,
    b_h: float = 0.0,
    b_y: float = 0.0,
    activation: Literal["sigmoid", "tanh"] = "sigmoid",
) -> GradientCurves:
    r"""The numbers behind the gradient figure and ``hyperarr rnn``.

    [`plot_gradients`][hyperarr.plot.plot_gradients] draws them; ``hyperarr rnn``
    prints them as a table or JSON, or draws them.

    Parameters
    ----------
    T : array_like of int
        Horizons, each $\ge 2$.
    w_rec : array_like of float
        Recurrent weights of the RNN curves.
    f : array_like of float
        Forget-gate values of the LSTM curves (which do not depend on ``w_rec``).
    w_in, w_out, b_h, b_y : float
        Shared by all curves.
    activation : {"sigmoid", "tanh"}

    Returns
    -------
    GradientCurves

    Examples
    --------
    >>> c = gradient_curves(range(2, 6), w_rec=[0.5, 6.0], f=[1.0])
    >>> c.rnn.shape, c.lstm.shape
    ((2, 4), (1, 4))
    >>> steps = np.diff(np.abs(c.rnn), axis=1)
    >>> bool(np.all(steps < 0))  # both RNN curves vanish
    True
    """
    Ts = np.atleast_1d(_horizons(T)[0])
    rec = _values("w_rec", w_rec)
    forget = _values("f", f)
    params: dict[str, Any] = {
        "w_in": _scalar("w_in", w_in),
        "w_out": _scalar("w_out", w_out),
        "b_h": _scalar("b_h", b_h),
        "b_y": _scalar("b_y", b_y),
        "activation": _activation(activation).name,
    }
    p = {k: params[k] for k in ("w_in", "w_out", "b_h", "b_y")}
    rnn = np.array(
        [rnn_gradient_closed_form(w_rec=w, T=Ts, activation=activation, **p) for w in rec]
    )
    lstm = np.array(
        [
            lstm_gradient_closed_form(w_rec=0.0, f=v, T=Ts, activation=activation, **p)
            for v in forget
        ]
    )
    return GradientCurves(_frozen(Ts), rec, forget, _frozen(rnn), _frozen(lstm), params)
