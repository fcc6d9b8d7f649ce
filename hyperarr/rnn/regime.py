"""Whether gradients through the recurrence vanish or explode, measured.

[`gradient_regime`][hyperarr.rnn.gradient_regime] runs the recurrence on the
course sheet's inputs and returns a [`GradientRegime`][hyperarr.rnn.GradientRegime]:
the per-step Jacobian norms, their long-run rate and the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from hyperarr.exceptions import ModelError
from hyperarr.rnn._activations import _activation
from hyperarr.rnn._validate import (
    FloatArray,
    _bias,
    _float_array,
    _frozen,
    _integer,
    _matrix,
    _scalar,
    _square,
)
from hyperarr.rnn.recurrent import _rnn_forward

__all__ = ["GradientRegime", "gradient_regime"]


@dataclass(frozen=True, eq=False)
class GradientRegime:
    r"""The result of [`gradient_regime`][hyperarr.rnn.gradient_regime].

    Attributes
    ----------
    verdict : {"vanishing", "exploding", "neither"}
        From ``rate`` against 1 ± ``tol``.
    rate : float
        The measured long-run per-step factor: $\lVert \partial h_T / \partial h_{T-n} \rVert^{1/n}$ with
        $n = \lfloor T/2 \rfloor$.  For a scalar network this is the geometric mean of the
        last $n$ ``factors``.
    factors : ndarray of float64, shape (T,)
        Per-step factors $\lVert J_t \rVert_2$, with
        $J_t = \partial h_t / \partial h_{t-1} = \operatorname{diag}(\sigma'(a_t))\, W_{rec}$,
        $t = 1, \dots, T$; for a scalar network $\lvert \sigma'(a_t)\, w_{rec} \rvert$.
    jacobian_norms : ndarray of float64, shape (T + 1,)
        ``jacobian_norms[L]`` is $\lVert \partial h_T / \partial h_{T-L} \rVert_2$, for lags
        $L = 0, \dots, T$.
    gamma_sigma_max : float
        $\gamma\, \sigma_{\max}(W_{rec})$ with $\gamma = \sup \sigma'$ ($\frac14$ logistic,
        1 tanh).  If it is $< 1$ the gradient vanishes at least as fast as its
        $L$-th power (Pascanu,
        Mikolov and Bengio, 2013).
    states : ndarray of float64, shape (T, n_h)
        $h(1), \dots, h(T)$.
    """

    verdict: Literal["vanishing", "exploding", "neither"]
    rate: float
    factors: FloatArray
    jacobian_norms: FloatArray
    gamma_sigma_max: float
    states: FloatArray


def _log_product_norms(J: FloatArray) -> FloatArray:
    """log‖J_T J_{T-1} ⋯ J_{T-L+1}‖₂ for L = 0..T, renormalising as it goes."""
    T, n, _ = J.shape
    logs = np.zeros(T + 1)
    P = np.eye(n)
    for L in range(1, T + 1):
        P = P @ J[T - L]
        norm = np.linalg.norm(P, 2)
        if norm == 0.0:
            logs[L:] = -np.inf
            break
        logs[L] = logs[L - 1] + np.log(norm)
        P /= norm
    return logs


def gradient_regime(
    w_rec: ArrayLike,
    b_h: ArrayLike = 0.0,
    w_in: ArrayLike = 1.0,
    T: int = 100,
    *,
    activation: Literal["sigmoid", "tanh"] = "sigmoid",
    tol: float = 1e-3,
) -> GradientRegime:
    r"""Measure whether gradients through the recurrence vanish or explode.

    The network is eq. (14) driven by the course sheet's inputs, $x(1) = x(2) = 1$
    and $x(t) = 0$ afterwards.  The gradient $dy_T/dW_{in}$ of eq. (21) carries the
    product of the per-step factors $\sigma'(a_t)\, W_{rec}$, so its fate for large $T$ is
    the fate of $\lVert \partial h_T / \partial h_k \rVert$ as the lag $T - k$ grows.

    Parameters
    ----------
    w_rec : float or array_like, shape (n_h, n_h)
        Recurrent weight (scalar setting) or matrix.
    b_h : float or array_like, shape (n_h,)
        Hidden bias.
    w_in : float or array_like, shape (n_h,) or (n_h, n_in)
        Input weights; a scalar or vector is one input unit.  Every input
        unit receives 1 at $t = 1, 2$.
    T : int
        Number of steps, $T \ge 2$.
    activation : {"sigmoid", "tanh"}
        $\sigma$ of eq. (14).
    tol : float
        ``rate`` within $1 \pm$ ``tol`` is "neither".

    Returns
    -------
    GradientRegime

    Raises
    ------
    ModelError
        For mismatched shapes, $T < 2$, a negative ``tol`` or an unknown activation.

    Notes
    -----
    The per-step factor is $\lVert \operatorname{diag}(\sigma'(a_t))\, W_{rec} \rVert_2$,
    $\lvert \sigma'(a_t)\, w_{rec} \rvert$ for a scalar network, not
    $\lVert W_{rec} \rVert$ alone.  ``rate`` is the factor measured over the
    second half of the run, so a transient growth that dies out before $T/2$
    does not count as exploding.  ``gamma_sigma_max`` $< 1$ is the sufficient
    condition for vanishing of Pascanu, Mikolov and Bengio; it is a bound, and
    ``rate`` is what happens.  The
    [sheet page](../sheet.md#2b-vanishing-or-exploding) works through the scalar
    and the matrix cases with this function.

    Complexity: $O(T \cdot n_h^3)$ for the spectral norms.

    Examples
    --------
    >>> r = gradient_regime(2.0, b_h=-1.0)  # |w_rec| > 1, yet vanishing
    >>> r.verdict, round(r.rate, 6), r.gamma_sigma_max
    ('vanishing', 0.5, 0.5)
    >>> gradient_regime(6.0).verdict  # saturation
    'vanishing'
    """
    act = _activation(activation)
    rec = _square("w_rec", w_rec, "be a scalar or have shape (n_h, n_h)")
    n_h = rec.shape[0]
    bias = _bias("b_h", b_h, n_h, "(n_h,)")
    W_in = _float_array("w_in", w_in)
    if W_in.ndim == 0:
        W_in = np.full((n_h, 1), float(W_in))
    W_in = _matrix("w_in", W_in, n_h, f"() or (n_h,) or (n_h, n_in) with n_h = {n_h}", "column")
    T = _integer("T", T, 2)
    tol = _scalar("tol", tol)
    if tol < 0:
        raise ModelError(f"tol must be >= 0; got {tol}")

    xs = np.zeros((T, W_in.shape[1]))
    xs[:2] = 1.0
    a, hs = _rnn_forward(xs, W_in, rec, bias, act)
    J = act.slope(a)[:, :, None] * rec  # J[t - 1] = ∂h_t/∂h_{t-1}
    factors = np.linalg.norm(J, ord=2, axis=(1, 2))
    logs = _log_product_norms(J)
    n = T // 2
    rate = float(np.exp(logs[n] / n))
    verdict: Literal["vanishing", "exploding", "neither"]
    if rate < 1 - tol:
        verdict = "vanishing"
    elif rate > 1 + tol:
        verdict = "exploding"
    else:
        verdict = "neither"
    with np.errstate(over="ignore"):
        norms = np.exp(logs)
    gamma_sigma_max = act.gamma * float(np.linalg.norm(rec, 2))
    return GradientRegime(
        verdict, rate, _frozen(factors), _frozen(norms), gamma_sigma_max, _frozen(hs)
    )
