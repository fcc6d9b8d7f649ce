"""LSTM units, with the gates given as numbers and with learned gates.

[`ScheduledLSTM`][hyperarr.rnn.ScheduledLSTM] takes its [`Gates`][hyperarr.rnn.Gates]
as numbers, for instance the course sheet's table,
[`sheet_gates`][hyperarr.rnn.sheet_gates]; [`LSTM`][hyperarr.rnn.LSTM] computes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from hyperarr.exceptions import ModelError
from hyperarr.rnn._activations import _LOGISTIC, _activation
from hyperarr.rnn._validate import (
    FloatArray,
    _bias,
    _float_array,
    _frozen,
    _inputs,
    _integer,
    _matrix,
    _scalar,
    _step,
    _weights,
)

__all__ = ["Gates", "sheet_gates", "ScheduledLSTM", "LSTM"]


class Gates(NamedTuple):
    r"""Input, forget and output gate values $i(t)$, $f(t)$, $o(t)$, $t = 1, \dots, T$.

    Each is an array of shape ``(T,)`` (one value for all units) or ``(T, n_h)``.
    """

    i: ArrayLike
    f: ArrayLike
    o: ArrayLike


def sheet_gates(f: float, T: int) -> Gates:
    """The gate schedule of the course sheet's table (Exercise 2) for forget value $f$.

    | step       | $i(t)$ | $f(t)$ | $o(t)$ |
    |------------|--------|--------|--------|
    | $t = 1, 2$ | 1      | 0      | 0      |
    | $2 < t$    | 0      | $f$    | 0      |
    | $t = T$    | 0      | $f$    | 1      |

    For $T = 2$, where the rows "$t = 1, 2$" and "$t = T$" overlap, the output gate
    opens at $T$ ($o(2) = 1$) and everything else follows the row "$t = 1, 2$"
    ($i(2) = 1$, $f(2) = 0$, with $x(2) = 1$ as in
    [`sheet_inputs`][hyperarr.rnn.sheet_inputs]).  The
    [sheet page](../sheet.md#2c-the-lstms-gradient-in-the-input-weight) discusses the other reading.

    Examples
    --------
    >>> g = sheet_gates(0.9, 4)
    >>> g.i.tolist(), g.f.tolist(), g.o.tolist()
    ([1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.9, 0.9], [0.0, 0.0, 0.0, 1.0])
    """
    f = _scalar("f", f)
    T = _integer("T", T, 2)
    i = np.zeros(T)
    i[:2] = 1.0
    forget = np.full(T, f)
    forget[:2] = 0.0
    o = np.zeros(T)
    o[-1] = 1.0
    return Gates(i, forget, o)


def _gate_values(
    gates: Gates | tuple[ArrayLike, ArrayLike, ArrayLike] | Mapping[str, ArrayLike], n_h: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    if isinstance(gates, Mapping):
        missing = {"i", "f", "o"} - set(gates)
        if missing:
            raise ModelError(f"gates must have keys 'i', 'f', 'o'; got {sorted(gates)}")
        gates = Gates(gates["i"], gates["f"], gates["o"])
    try:
        i, f, o = gates  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ModelError(f"gates must be (i, f, o); got {gates!r}") from None
    out = []
    for name, value in (("i", i), ("f", f), ("o", o)):
        arr = _float_array(f"gates.{name}", value)
        if arr.ndim == 1:
            arr = np.repeat(arr[:, None], n_h, axis=1)
        if arr.ndim != 2 or arr.shape[1] != n_h or arr.shape[0] == 0:
            raise ModelError(
                f"gates.{name} must have shape (T,) or (T, n_h) with n_h = {n_h}; got {np.shape(value)}"
            )
        out.append(_frozen(arr))
    if not out[0].shape == out[1].shape == out[2].shape:
        lengths = [len(a) for a in out]
        raise ModelError(f"gates i, f, o must have the same length T; got {lengths}")
    return out[0], out[1], out[2]


class ScheduledLSTM:
    r"""LSTM units with externally given gates, eqs. (16)-(18) of the course sheet.

    $$
    c(t) = f(t) c(t-1) + i(t)\, \phi(W_{in} x(t) + W_{rec} h(t-1) + b_h), \quad
    h(t) = o(t)\, \phi(c(t)), \quad
    y(t) = \sigma(W_{out} h(t) + b_y),
    $$

    with $h(0) = c(0) = 0$ and $\phi = \sigma$ (or $\tanh$; the sheet writes
    $g$).  The weights follow the shapes
    of [`RNN`][hyperarr.rnn.RNN] (scalars are the course sheet's case).

    Parameters
    ----------
    w_in, w_rec, w_out, b_h, b_y : array_like
        As for [`RNN`][hyperarr.rnn.RNN] (``None`` biases are zero).
    gates : Gates, (i, f, o) or mapping with keys "i", "f", "o"
        Gate values per step, each of shape ``(T,)`` or ``(T, n_h)``.
    activation : {"sigmoid", "tanh"}
        The nonlinearity $\phi$ of eqs. (16)-(17).

    Examples
    --------
    >>> from hyperarr.rnn import sheet_inputs
    >>> lstm = ScheduledLSTM.sheet(1.0, 3.0, 1.0, 0.0, 0.0, f=0.5, T=5)
    >>> cs, hs, ys = lstm.run(sheet_inputs(5))
    >>> [round(c, 4) for c in cs[:, 0].tolist()]
    [0.7311, 0.7311, 0.3655, 0.1828, 0.0914]
    >>> hs[:, 0].tolist()[:4]
    [0.0, 0.0, 0.0, 0.0]
    """

    def __init__(
        self,
        w_in: ArrayLike,
        w_rec: ArrayLike,
        w_out: ArrayLike,
        b_h: ArrayLike | None,
        b_y: ArrayLike | None,
        gates: Gates | tuple[ArrayLike, ArrayLike, ArrayLike] | Mapping[str, ArrayLike],
        activation: Literal["sigmoid", "tanh"] = "sigmoid",
    ) -> None:
        self._act = _activation(activation)
        self.activation = self._act.name
        self.W_in, self.W_rec, self.W_out, self.b_h, self.b_y = _weights(
            w_in, w_rec, w_out, b_h, b_y
        )
        self._gates = _gate_values(gates, self.W_rec.shape[0])
        self.gates = Gates(*self._gates)  # read-only arrays of shape (T, n_h)

    @classmethod
    def sheet(
        cls,
        w_in: float,
        w_rec: float,
        w_out: float,
        b_h: float,
        b_y: float,
        f: float,
        T: int,
        activation: Literal["sigmoid", "tanh"] = "sigmoid",
    ) -> ScheduledLSTM:
        """The course sheet's network: scalar weights and the table's gates.

        The gates are [`sheet_gates(f, T)`][hyperarr.rnn.sheet_gates].
        """
        return cls(w_in, w_rec, w_out, b_h, b_y, sheet_gates(f, T), activation)

    @property
    def T(self) -> int:
        """The number of steps the gate schedule covers."""
        return len(self._gates[0])

    def _forward(self, x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        i, f, o = self._gates
        n_h = self.W_rec.shape[0]
        a = np.empty((len(x), n_h))
        cs = np.empty_like(a)
        hs = np.empty_like(a)
        c = np.zeros(n_h)
        h = np.zeros(n_h)
        for t in range(len(x)):
            a[t] = self.W_in @ x[t] + self.W_rec @ h + self.b_h
            c = cs[t] = f[t] * c + i[t] * self._act.fn(a[t])
            h = hs[t] = o[t] * self._act.fn(c)
        return a, cs, hs

    def _checked_inputs(self, xs: ArrayLike) -> FloatArray:
        x = _inputs(xs, self.W_in.shape[1])
        if len(x) != self.T:
            raise ModelError(f"xs must have T = {self.T} rows, one per gate value; got {len(x)}")
        return x

    def run(self, xs: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return the cell states, hidden states and outputs ``(cs, hs, ys)``, each (T, ·)."""
        _, cs, hs = self._forward(self._checked_inputs(xs))
        return cs, hs, expit(hs @ self.W_out.T + self.b_y)

    def input_weight_gradient(self, xs: ArrayLike, t: int | None = None) -> FloatArray:
        r"""$dy(t)/dW_{in}$ by backpropagation through time, shape ``(n_out, n_h, n_in)``.

        The gates are constants here, so only the candidate $\phi(a(s))$ depends
        on $W_{in}$: $\partial y/\partial c(s)$ gains
        $o(s)\, \phi'(c(s))\, \partial y/\partial h(s)$ and passes $f(s)$ back to
        $c(s-1)$; $\partial y/\partial a(s) = \partial y/\partial c(s) \odot i(s)\, \phi'(a(s))$
        passes $W_{rec}$ back to $h(s-1)$.

        Examples
        --------
        >>> lstm = ScheduledLSTM.sheet(1.0, 3.0, 1.0, 0.0, 0.0, f=0.5, T=5)
        >>> from hyperarr.rnn import lstm_gradient_closed_form, sheet_inputs
        >>> g = lstm.input_weight_gradient(sheet_inputs(5))
        >>> closed = lstm_gradient_closed_form(1.0, 3.0, 1.0, 0.0, 0.0, 0.5, 5)
        >>> bool(np.isclose(g[0, 0, 0], closed))
        True
        """
        x = self._checked_inputs(xs)
        t = _step(t, len(x))
        i, f, o = self._gates
        a, cs, hs = self._forward(x[:t])
        n_out, n_h = self.W_out.shape
        dh = _LOGISTIC.slope(self.W_out @ hs[-1] + self.b_y)[:, None] * self.W_out
        dc = np.zeros((n_out, n_h))
        grad = np.zeros((n_out, n_h, x.shape[1]))
        for s in range(t - 1, -1, -1):
            dc = dc + dh * o[s] * self._act.slope(cs[s])
            da = dc * i[s] * self._act.slope(a[s])
            grad += da[:, :, None] * x[s]
            dh = da @ self.W_rec
            dc = dc * f[s]
        return grad


class _GateWeights(NamedTuple):
    W_x: FloatArray
    W_h: FloatArray
    b: FloatArray


class LSTM:
    r"""LSTM units with learned gates (Gers, Schmidhuber and Cummins, 2000).

    $$
    \begin{aligned}
    i, f, o &= \sigma(W_x x(t) + W_h h(t-1) + b) \text{ for each gate}, \\
    c(t) &= f\, c(t-1) + i\, \phi(W_{in} x(t) + W_{rec} h(t-1) + b_h), \\
    h(t) &= o\, \phi(c(t)), \qquad y(t) = \sigma(W_{out} h(t) + b_y),
    \end{aligned}
    $$

    with $h(0) = c(0) = 0$.  This is eqs. (16)-(18) with the gate equations
    the course sheet omits.  $\phi$ is $\tanh$ by default (the standard
    choice); the course sheet's $\sigma$ is ``activation="sigmoid"``.

    Parameters
    ----------
    W_in, W_rec, W_out, b_h, b_y : array_like
        The candidate's and the readout's weights, shapes as for [`RNN`][hyperarr.rnn.RNN].
    input_gate, forget_gate, output_gate : (W_x, W_h, b), optional
        Each gate's weights, shapes ``(n_h, n_in)``, ``(n_h, n_h)`` and ``(n_h,)``.
        Default all zero, a constant gate value of ½.
    activation : {"tanh", "sigmoid"}
        $\phi$, for the candidate and the cell output.

    Examples
    --------
    >>> lstm = LSTM.random(n_in=2, n_h=3, n_out=1, seed=0)
    >>> cs, hs, ys = lstm.run(np.ones((4, 2)))
    >>> cs.shape, hs.shape, ys.shape
    ((4, 3), (4, 3), (4, 1))
    >>> lstm.input_weight_gradient(np.ones((4, 2))).shape
    (1, 3, 2)
    """

    def __init__(
        self,
        W_in: ArrayLike,
        W_rec: ArrayLike,
        W_out: ArrayLike,
        b_h: ArrayLike | None = None,
        b_y: ArrayLike | None = None,
        *,
        input_gate: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
        forget_gate: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
        output_gate: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
        activation: Literal["sigmoid", "tanh"] = "tanh",
    ) -> None:
        self._act = _activation(activation)
        self.activation = self._act.name
        self.W_in, self.W_rec, self.W_out, self.b_h, self.b_y = _weights(
            W_in, W_rec, W_out, b_h, b_y
        )
        n_h, n_in = self.W_in.shape
        self.input_gate = self._gate("input_gate", input_gate, n_h, n_in)
        self.forget_gate = self._gate("forget_gate", forget_gate, n_h, n_in)
        self.output_gate = self._gate("output_gate", output_gate, n_h, n_in)

    @staticmethod
    def _gate(
        name: str, value: tuple[ArrayLike, ArrayLike, ArrayLike] | None, n_h: int, n_in: int
    ) -> _GateWeights:
        if value is None:
            return _GateWeights(*(_frozen(np.zeros(s)) for s in ((n_h, n_in), (n_h, n_h), (n_h,))))
        try:
            W_x, W_h, b = value
        except (TypeError, ValueError):
            raise ModelError(f"{name} must be a triple (W_x, W_h, b); got {value!r}") from None
        W_x = _matrix(f"{name} W_x", W_x, n_h, f"(n_h, n_in) = ({n_h}, {n_in})", "column")
        if W_x.shape != (n_h, n_in):
            raise ModelError(
                f"{name} W_x must have shape (n_h, n_in) = ({n_h}, {n_in}); got {W_x.shape}"
            )
        W_h = _matrix(f"{name} W_h", W_h, n_h, f"(n_h, n_h) = ({n_h}, {n_h})", "column")
        if W_h.shape != (n_h, n_h):
            raise ModelError(
                f"{name} W_h must have shape (n_h, n_h) = ({n_h}, {n_h}); got {W_h.shape}"
            )
        return _GateWeights(W_x, W_h, _bias(f"{name} b", b, n_h, "(n_h,)"))

    @classmethod
    def random(
        cls,
        n_in: int,
        n_h: int,
        n_out: int,
        *,
        scale: float = 1.0,
        seed: int | np.random.Generator | None = None,
        activation: Literal["sigmoid", "tanh"] = "tanh",
    ) -> LSTM:
        r"""An LSTM with independent $N(0, \mathrm{scale}^2)$ weights and biases."""
        n_in, n_h, n_out = (
            _integer(k, v, 1) for k, v in (("n_in", n_in), ("n_h", n_h), ("n_out", n_out))
        )
        rng = np.random.default_rng(seed)

        def draw(*shape: int) -> FloatArray:
            return scale * rng.standard_normal(shape)

        gates = [(draw(n_h, n_in), draw(n_h, n_h), draw(n_h)) for _ in range(3)]
        return cls(
            draw(n_h, n_in),
            draw(n_h, n_h),
            draw(n_out, n_h),
            draw(n_h),
            draw(n_out),
            input_gate=gates[0],
            forget_gate=gates[1],
            output_gate=gates[2],
            activation=activation,
        )

    def _forward(self, x: FloatArray) -> dict[str, FloatArray]:
        n_h = self.W_rec.shape[0]
        names = ("a", "c", "h", "i", "f", "o")
        rec = {k: np.empty((len(x), n_h)) for k in names}
        c = np.zeros(n_h)
        h = np.zeros(n_h)
        for t in range(len(x)):
            i, f, o = (
                expit(G.W_x @ x[t] + G.W_h @ h + G.b)
                for G in (self.input_gate, self.forget_gate, self.output_gate)
            )
            a = self.W_in @ x[t] + self.W_rec @ h + self.b_h
            c = f * c + i * self._act.fn(a)
            h = o * self._act.fn(c)
            for k, v in zip(names, (a, c, h, i, f, o)):
                rec[k][t] = v
        return rec

    def run(self, xs: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return the cell states, hidden states and outputs ``(cs, hs, ys)``, each (T, ·)."""
        rec = self._forward(_inputs(xs, self.W_in.shape[1]))
        return rec["c"], rec["h"], expit(rec["h"] @ self.W_out.T + self.b_y)

    def input_weight_gradient(self, xs: ArrayLike, t: int | None = None) -> FloatArray:
        r"""$dy(t)/dW_{in}$ (the candidate's input weights) by BPTT, shape ``(n_out, n_h, n_in)``.

        Notes
        -----
        Backward step $s$, with $\partial y/\partial h(s)$ and
        $\partial y/\partial c(s)$ flowing in from $s + 1$:
        $\partial y/\partial c(s)$ gains $\partial y/\partial h(s) \odot o\, \phi'(c)$;
        the pre-activations get
        $\partial y/\partial h \odot \phi(c) \odot o(1-o)$ (output gate),
        $\partial y/\partial c \odot \phi(a) \odot i(1-i)$ (input gate),
        $\partial y/\partial c \odot c(s-1) \odot f(1-f)$ (forget gate) and
        $\partial y/\partial c \odot i\, \phi'(a)$ (candidate); each passes back
        through its $W_h$ ($W_{rec}$) to $h(s-1)$, and
        $\partial y/\partial c(s-1) = \partial y/\partial c(s) \odot f$.
        """
        x = _inputs(xs, self.W_in.shape[1])
        t = _step(t, len(x))
        r = self._forward(x[:t])
        n_out, n_h = self.W_out.shape
        dh = _LOGISTIC.slope(self.W_out @ r["h"][t - 1] + self.b_y)[:, None] * self.W_out
        dc = np.zeros((n_out, n_h))
        grad = np.zeros((n_out, n_h, x.shape[1]))
        for s in range(t - 1, -1, -1):
            i, f, o, a, c = r["i"][s], r["f"][s], r["o"][s], r["a"][s], r["c"][s]
            c_prev = r["c"][s - 1] if s > 0 else np.zeros(n_h)
            gc = self._act.fn(c)
            dc = dc + dh * o * self._act.slope(c)
            d_o = dh * gc * o * (1 - o)
            d_i = dc * self._act.fn(a) * i * (1 - i)
            d_f = dc * c_prev * f * (1 - f)
            d_a = dc * i * self._act.slope(a)
            grad += d_a[:, :, None] * x[s]
            dh = (
                d_a @ self.W_rec
                + d_i @ self.input_gate.W_h
                + d_f @ self.forget_gate.W_h
                + d_o @ self.output_gate.W_h
            )
            dc = dc * f
        return grad
