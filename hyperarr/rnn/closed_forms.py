r"""The course sheet's inputs and its closed forms (21) and (24) for $dy_T/dW_{in}$.

[`sheet_inputs`][hyperarr.rnn.sheet_inputs] are $x(1) = x(2) = 1$, then 0;
[`rnn_gradient_closed_form`][hyperarr.rnn.rnn_gradient_closed_form] and
[`lstm_gradient_closed_form`][hyperarr.rnn.lstm_gradient_closed_form] evaluate
the gradient of the scalar networks driven by them, for many horizons $T$ at once.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from hyperarr.rnn._activations import _LOGISTIC, _activation
from hyperarr.rnn._validate import FloatArray, _horizons, _integer, _scalar
from hyperarr.rnn.recurrent import _rnn_forward

__all__ = ["sheet_inputs", "rnn_gradient_closed_form", "lstm_gradient_closed_form"]


def sheet_inputs(T: int) -> FloatArray:
    """The course sheet's inputs $x(1) = x(2) = 1$ and $x(t) = 0$ for $t > 2$, shape ``(T, 1)``.

    Examples
    --------
    >>> sheet_inputs(4)[:, 0].tolist()
    [1.0, 1.0, 0.0, 0.0]
    """
    T = _integer("T", T, 1)
    xs = np.zeros((T, 1))
    xs[:2] = 1.0
    return xs


def rnn_gradient_closed_form(
    w_in: float,
    w_rec: float,
    w_out: float,
    b_h: float,
    b_y: float,
    T: int | ArrayLike,
    *,
    activation: Literal["sigmoid", "tanh"] = "sigmoid",
) -> float | FloatArray:
    r"""$dy_T/dW_{in}$ of the scalar RNN with the course sheet's inputs, eq. (21).

    $$
    \frac{dy_T}{dW_{in}} = \sigma'(a^y_T) W_{out} \sigma'(a^h_T)
    (W_{rec})^{T-2} \prod_{t=2}^{T-1} \sigma'(a^h_t)
    \left(x_2 + W_{rec} \sigma'(a^h_1) x_1\right),
    $$

    with $x_1 = x_2 = 1$, $x_t = 0$ for $t > 2$
    ([`sheet_inputs`][hyperarr.rnn.sheet_inputs]), and $a^h_t$, $a^y_T$ from
    the forward pass of eqs. (14)-(15).

    Parameters
    ----------
    w_in, w_rec, w_out, b_h, b_y : float
        The scalar weights and biases.
    T : int or array_like of int
        Horizon(s), each $\ge 2$.  An array gives all values from one forward pass.
    activation : {"sigmoid", "tanh"}
        $\sigma$ of eq. (14); the readout stays logistic.

    Returns
    -------
    float or ndarray of float64
        $dy_T/dW_{in}$, a float for a scalar $T$.

    Raises
    ------
    ModelError
        If $T < 2$ (the two inputs need two steps) or a weight is not a finite
        scalar.

    Notes
    -----
    The value is the gradient that
    [`RNN.input_weight_gradient`][hyperarr.rnn.RNN.input_weight_gradient]
    backpropagates, for every $T \ge 2$ (the empty product at $T = 2$ is 1).
    The product $(W_{rec})^{T-2} \prod_t \sigma'(a_t)$ is evaluated as
    $\prod_t (W_{rec}\, \sigma'(a_t))$, which is the same number without the
    overflow of $(W_{rec})^{T-2}$ alone.
    [`gradient_regime`][hyperarr.rnn.gradient_regime] measures how it decays
    or grows with $T$.

    Examples
    --------
    >>> g = rnn_gradient_closed_form(1, 2, 1, 0, 0, [2, 3, 4])
    >>> [round(v, 6) for v in g.tolist()]
    [0.020536, 0.004967, 0.001281]
    """
    w_in, w_rec, w_out, b_h, b_y = (
        _scalar(k, v)
        for k, v in zip(("w_in", "w_rec", "w_out", "b_h", "b_y"), (w_in, w_rec, w_out, b_h, b_y))
    )
    Ts, scalar = _horizons(T)
    act = _activation(activation)
    T_max = int(Ts.max())
    a, hs = _rnn_forward(
        sheet_inputs(T_max), np.array([[w_in]]), np.array([[w_rec]]), np.array([b_h]), act
    )
    a, hs = a[:, 0], hs[:, 0]
    s = act.slope(a)  # s[t - 1] = σ'(a^h_t)
    x1 = x2 = 1.0
    # chain[T - 2] = ∏_{t=2}^{T-1} W^rec σ'(a^h_t); chain[0] = 1 (T = 2).
    chain = np.concatenate(([1.0], np.cumprod(w_rec * s[1 : T_max - 1])))
    a_y = w_out * hs[Ts - 1] + b_y
    value = _LOGISTIC.slope(a_y) * w_out * s[Ts - 1] * chain[Ts - 2] * (x2 + w_rec * s[0] * x1)
    return float(value) if scalar else value


def lstm_gradient_closed_form(
    w_in: float,
    w_rec: float,
    w_out: float,
    b_h: float,
    b_y: float,
    f: float,
    T: int | ArrayLike,
    *,
    activation: Literal["sigmoid", "tanh"] = "sigmoid",
) -> float | FloatArray:
    r"""$dy_T/dW_{in}$ of the scalar LSTM of the course sheet's table, eq. (24).

    $$
    \frac{dy_T}{dW_{in}} = \sigma'(a^y_T) W_{out} o_T \sigma'(c_T)
    f^{T-2} \sigma'(a^h_2) x_2,
    $$

    with $o_T = 1$, $x_2 = 1$, $a^h_2 = W_{in} + b_h$
    ($h_1 = o_1 \sigma(c_1) = 0$), $c_T = f^{T-2} \sigma(a^h_2)$ and
    $a^y_T = W_{out} \sigma(c_T) + b_y$.  ``w_rec`` is
    accepted for symmetry with
    [`rnn_gradient_closed_form`][hyperarr.rnn.rnn_gradient_closed_form] and does
    not enter: with $o_1 = 0$ the state $h_1$ that $W_{rec}$ multiplies is 0
    (2d).

    Parameters
    ----------
    w_in, w_rec, w_out, b_h, b_y : float
        The scalar weights and biases.
    f : float
        The forget-gate value for $t > 2$.
    T : int or array_like of int
        Horizon(s), each $\ge 2$.
    activation : {"sigmoid", "tanh"}
        $\sigma$ of eqs. (16)-(17).

    Returns
    -------
    float or ndarray of float64

    Raises
    ------
    ModelError
        If $T < 2$ or a parameter is not a finite scalar.

    Notes
    -----
    The value is the gradient that
    [`ScheduledLSTM.sheet`][hyperarr.rnn.ScheduledLSTM.sheet] backpropagates,
    for every $T \ge 2$, with the gates of [`sheet_gates`][hyperarr.rnn.sheet_gates]
    (at $T = 2$: $x_2 = 1$, $i_2 = 1$, $f_2 = 0$, $o_2 = 1$).  The
    [sheet page](../sheet.md#2c-the-lstms-gradient-in-the-input-weight) discusses the other
    reading of the table at $T = 2$.

    Examples
    --------
    >>> g = lstm_gradient_closed_form(1, 5, 1, 0, 0, 1.0, [2, 10, 50])
    >>> len(set(np.round(g, 12).tolist()))  # f = 1: the same for all T
    1
    """
    w_in, w_rec, w_out, b_h, b_y, f = (
        _scalar(k, v)
        for k, v in zip(
            ("w_in", "w_rec", "w_out", "b_h", "b_y", "f"), (w_in, w_rec, w_out, b_h, b_y, f)
        )
    )
    Ts, scalar = _horizons(T)
    act = _activation(activation)
    x2 = 1.0
    a2 = w_in * x2 + b_h  # + w_rec * h_1 with h_1 = 0
    decay = f ** (Ts - 2.0)  # f^{T-2}, with 0^0 = 1 at T = 2
    c_T = decay * act.fn(a2)
    a_y = w_out * act.fn(c_T) + b_y
    value = _LOGISTIC.slope(a_y) * w_out * 1.0 * act.slope(c_T) * decay * act.slope(a2) * x2
    return float(value) if scalar else value
