"""The recurrent network of the course sheet's Exercise 1, its unrolling and its expansion.

[`RNN`][hyperarr.rnn.RNN] runs the recurrence and backpropagates through it;
[`UnrolledRNN`][hyperarr.rnn.UnrolledRNN] is the equivalent feedforward network of
[`HiddenLayer`][hyperarr.rnn.HiddenLayer]s and an [`OutputLayer`][hyperarr.rnn.OutputLayer];
[`Expansion`][hyperarr.rnn.Expansion] is the output written out in the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from hyperarr.exceptions import ModelError
from hyperarr.rnn._activations import _ACTIVATIONS, _LOGISTIC, _activation, _Activation
from hyperarr.rnn._validate import FloatArray, _inputs, _integer, _step, _weights

__all__ = ["RNN", "UnrolledRNN", "HiddenLayer", "OutputLayer", "Expansion"]


def _rnn_forward(
    xs: FloatArray, W_in: FloatArray, W_rec: FloatArray, b_h: FloatArray, act: _Activation
) -> tuple[FloatArray, FloatArray]:
    """Pre-activations a(t) and states h(t), t = 1..T, of eq. (14); h(0) = 0."""
    drive = xs @ W_in.T + b_h  # W_in x(t) + b_h for all t at once
    a = np.empty_like(drive)
    hs = np.empty_like(drive)
    h = np.zeros(W_rec.shape[0])
    for t in range(len(xs)):
        a[t] = drive[t] + W_rec @ h
        h = hs[t] = act.fn(a[t])
    return a, hs


class Expansion(NamedTuple):
    r"""$\hat y(t)$ written out in terms of the inputs $x(1), \dots, x(t)$.

    Attributes
    ----------
    text : str
        Vector notation, e.g. ``ŷ(2) = σ[W_out·σ[W_in·x(2) + W_rec·σ[W_in·x(1)]]]``.
    latex : str
        Component notation in the style of the course sheet's eq. (13), with a fresh
        summation index $j_s$ for the hidden unit at each time step $s$.
    sympy : sympy.Matrix or None
        Column ``(n_out, 1)`` of scalar expressions in the weight symbols
        ``w2_i_j``, ``w1_j_k``, ``wrec_j_l``, ``bh_j``, ``by_i`` and the input
        symbols ``x_k_s`` (= $x_k(s)$); all indices 1-based.  None without sympy.
    inputs : sympy.Matrix or None
        The input symbols, shape ``(t, n_in)``; row $s - 1$ is $x(s)$.
    weights : dict or None
        Symbol -> value for this network's weights and biases.
    """

    text: str
    latex: str
    sympy: Any
    inputs: Any
    weights: dict[Any, float] | None


@dataclass(frozen=True, eq=False)
class HiddenLayer:
    r"""Hidden layer $t$ of the unrolled network: $h_t = \phi(W_{in} x(t) + W_{rec} h_{t-1} + b_h)$.

    The arrays are the recurrent network's own (read-only) arrays, so every
    layer holds the *same* ``W_in``, ``W_rec`` and ``b_h`` objects.
    """

    t: int
    W_in: FloatArray
    W_rec: FloatArray
    b_h: FloatArray
    activation: str

    def __call__(self, x: FloatArray, h_prev: FloatArray) -> FloatArray:
        act = _ACTIVATIONS[self.activation]
        return act.fn(self.W_in @ x + self.W_rec @ h_prev + self.b_h)


@dataclass(frozen=True, eq=False)
class OutputLayer:
    r"""The readout $\hat y = \sigma(W_{out} h + b_y)$, eq. (1)/(15)."""

    W_out: FloatArray
    b_y: FloatArray

    def __call__(self, h: FloatArray) -> FloatArray:
        return expit(self.W_out @ h + self.b_y)


@dataclass(frozen=True, eq=False)
class UnrolledRNN:
    """The feedforward network of Exercise 1b: $T$ hidden layers, then the readout.

    Layer $t$ receives $x(t)$ as external input and layer $t - 1$ as upstream
    input (layer 1 receives $h(0) = 0$).  All layers share one ``W_rec`` (and
    ``W_in``, ``b_h``): ``layers[0].W_rec is layers[-1].W_rec``.
    """

    layers: tuple[HiddenLayer, ...]
    output: OutputLayer

    @property
    def T(self) -> int:
        """The number of hidden layers (time steps)."""
        return len(self.layers)

    def run(self, xs: ArrayLike) -> tuple[FloatArray, FloatArray]:
        r"""Feed $x(1), \dots, x(T)$ to layers $1, \dots, T$; return ``(hs, ys)``.

        The same as [`RNN.run`][hyperarr.rnn.RNN.run] of the network it unrolls.
        ``ys[t - 1]`` is the shared readout applied to layer $t$; the course
        sheet's figure draws only the last one, ``ys[-1]`` $= \hat y(T)$.
        """
        first = self.layers[0]
        x = _inputs(xs, first.W_in.shape[1])
        if len(x) != self.T:
            raise ModelError(f"xs must have T = {self.T} rows, one per layer; got {len(x)}")
        h = np.zeros(first.W_rec.shape[0])
        hs = []
        for layer, x_t in zip(self.layers, x):
            h = layer(x_t, h)
            hs.append(h)
        return np.array(hs), np.array([self.output(h) for h in hs])


class RNN:
    r"""A recurrent network with one hidden layer, eqs. (1)-(2) and (14)-(15).

    $$
    h(t) = \phi(W_{in} x(t) + W_{rec} h(t-1) + b_h), \qquad
    \hat y(t) = \sigma(W_{out} h(t) + b_y), \qquad h(0) = 0.
    $$

    Parameters
    ----------
    W_in : array_like, shape (n_h, n_in)
        Input weights $w^{(1)}$.  A scalar is 1x1; a 1-D array is one column.
    W_rec : array_like, shape (n_h, n_h)
        Recurrent weights.  A scalar is 1x1.
    W_out : array_like, shape (n_out, n_h)
        Output weights $w^{(2)}$.  A scalar is 1x1; a 1-D array is one row.
    b_h, b_y : array_like, shape (n_h,) and (n_out,), optional
        Biases (the course sheet suppresses them); default zero, scalars broadcast.
    activation : {"sigmoid", "tanh"}
        The hidden nonlinearity $\phi$ (the course sheet's $g$ of eq. (2)).
        The readout is always the logistic $\sigma$.

    Attributes
    ----------
    W_in, W_rec, W_out, b_h, b_y : ndarray of float64
        The promoted weights, read-only.

    Raises
    ------
    ModelError
        If the shapes do not fit together, a value is not finite, or the
        activation is unknown.

    Examples
    --------
    >>> net = RNN(W_in=[[1.0, -1.0]], W_rec=[[0.5]], W_out=[[2.0], [-1.0]])
    >>> hs, ys = net.run([[1, 0], [0, 1], [1, 1]])
    >>> hs.shape, ys.shape
    ((3, 1), (3, 2))
    >>> [round(v, 4) for v in hs[:, 0].tolist()]
    [0.7311, 0.3465, 0.5432]
    """

    def __init__(
        self,
        W_in: ArrayLike,
        W_rec: ArrayLike,
        W_out: ArrayLike,
        b_h: ArrayLike | None = None,
        b_y: ArrayLike | None = None,
        activation: Literal["sigmoid", "tanh"] = "sigmoid",
    ) -> None:
        self._act = _activation(activation)
        self.activation = self._act.name
        self.W_in, self.W_rec, self.W_out, self.b_h, self.b_y = _weights(
            W_in, W_rec, W_out, b_h, b_y
        )

    @property
    def n_in(self) -> int:
        """Number of inputs."""
        return int(self.W_in.shape[1])

    @property
    def n_h(self) -> int:
        """Number of hidden units."""
        return int(self.W_rec.shape[0])

    @property
    def n_out(self) -> int:
        """Number of outputs."""
        return int(self.W_out.shape[0])

    def __repr__(self) -> str:
        return (
            f"RNN(n_in={self.n_in}, n_h={self.n_h}, n_out={self.n_out}, "
            f"activation={self.activation!r})"
        )

    def run(self, xs: ArrayLike) -> tuple[FloatArray, FloatArray]:
        r"""Run the recurrence on $x(1), \dots, x(T)$.

        Parameters
        ----------
        xs : array_like, shape (T, n_in)
            Inputs; ``xs[t - 1]`` is $x(t)$.  A 1-D array is allowed if $n_{in} = 1$.

        Returns
        -------
        hs : ndarray of float64, shape (T, n_h)
            The hidden states $h(1), \dots, h(T)$.
        ys : ndarray of float64, shape (T, n_out)
            The outputs $\hat y(1), \dots, \hat y(T)$.
        """
        x = _inputs(xs, self.n_in)
        _, hs = _rnn_forward(x, self.W_in, self.W_rec, self.b_h, self._act)
        return hs, expit(hs @ self.W_out.T + self.b_y)

    def unroll(self, T: int) -> UnrolledRNN:
        """The equivalent feedforward network with $T$ hidden layers (Exercise 1b).

        Examples
        --------
        >>> net = RNN(0.5, 0.8, 2.0)
        >>> ff = net.unroll(4)
        >>> ff.T, ff.layers[0].W_rec is ff.layers[3].W_rec is net.W_rec
        (4, True)
        >>> xs = [1.0, 0.0, -1.0, 2.0]
        >>> bool(np.allclose(ff.run(xs)[1], net.run(xs)[1]))
        True
        """
        T = _integer("T", T, 1)
        layers = tuple(
            HiddenLayer(t, self.W_in, self.W_rec, self.b_h, self.activation)
            for t in range(1, T + 1)
        )
        return UnrolledRNN(layers, OutputLayer(self.W_out, self.b_y))

    def expand_output(self, t: int) -> Expansion:
        r"""$\hat y(t)$ as a nested expression of $x(1), \dots, x(t)$, eqs. (3)-(13).

        Insert eq. (2) into eq. (1) and recurse down to $h(0) = 0$.

        Parameters
        ----------
        t : int
            The time step, $t \ge 1$.

        Returns
        -------
        Expansion
            ``.text`` (vector notation), ``.latex`` (component notation) and,
            if sympy is installed, ``.sympy`` with ``.inputs`` and
            ``.weights`` to evaluate it.

        Notes
        -----
        Bias terms appear only if the network's biases are nonzero (the course
        sheet suppresses them).  The sympy expression is a tree with $O(n_h^t)$
        leaves; keep $t$ and $n_h$ small.

        In ``.latex`` the output unit is ``i``, the input unit ``k`` and the
        hidden unit at time $s$ ``j_s``, each summed where it occurs, and every
        recurrent term sits inside the bracket of the step it feeds; the
        [sheet page](../sheet.md#1a-the-output-at-t-4) compares this with the
        course sheet's eqs. (4)-(13).

        Examples
        --------
        >>> net = RNN(0.5, 0.8, 2.0)
        >>> print(net.expand_output(2).text)
        ŷ(2) = σ[W_out·σ[W_in·x(2) + W_rec·σ[W_in·x(1)]]]
        """
        t = _integer("t", t, 1)
        g = self._act
        has_bh, has_by = bool(np.any(self.b_h)), bool(np.any(self.b_y))

        def text(s: int) -> str:
            inner = f"W_in·x({s})" + (f" + W_rec·{text(s - 1)}" if s > 1 else "")
            return f"{g.text}[{inner}{' + b_h' if has_bh else ''}]"

        def latex(s: int) -> str:
            j = f"j_{{{s}}}"
            inner = rf"\sum_{{k}} w^{{(1)}}_{{{j} k}}\, x^{{(0)}}_{{k}}(t={s})"
            if s > 1:
                prev = f"j_{{{s - 1}}}"
                inner += (
                    rf" + \sum_{{{prev}}} w^{{(\mathrm{{rec}})}}_{{{j} {prev}}}\, {latex(s - 1)}"
                )
            if has_bh:
                inner += rf" + b^{{h}}_{{{j}}}"
            return rf"{g.latex}\left[{inner}\right]"

        j_t = f"j_{{{t}}}"
        by = r" + b^{y}_{i}" if has_by else ""
        tex = (
            rf"\hat{{y}}_{{i}}(t={t}) = \sigma\left[\sum_{{{j_t}}} w^{{(2)}}_{{i {j_t}}}\, "
            rf"{latex(t)}{by}\right]"
        )
        txt = f"ŷ({t}) = σ[W_out·{text(t)}{' + b_y' if has_by else ''}]"
        expr, inputs, weights = self._sympy_expansion(t)
        return Expansion(txt, tex, expr, inputs, weights)

    def _sympy_expansion(self, t: int) -> tuple[Any, Any, dict[Any, float] | None]:
        try:
            import sympy
        except ImportError:
            return None, None, None

        def sym(name: str, *idx: int) -> Any:
            return sympy.Symbol(name + "".join(f"_{i + 1}" for i in idx))

        n_in, n_h, n_out = self.n_in, self.n_h, self.n_out
        w1 = sympy.Matrix(n_h, n_in, lambda j, k: sym("w1", j, k))
        wr = sympy.Matrix(n_h, n_h, lambda j, k: sym("wrec", j, k))
        w2 = sympy.Matrix(n_out, n_h, lambda i, j: sym("w2", i, j))
        bh = sympy.Matrix(n_h, 1, lambda j, _: sym("bh", j))
        by = sympy.Matrix(n_out, 1, lambda i, _: sym("by", i))
        xs = sympy.Matrix(t, n_in, lambda s, k: sym("x", k, s))
        g = sympy.tanh if self.activation == "tanh" else (lambda a: 1 / (1 + sympy.exp(-a)))

        h = sympy.zeros(n_h, 1)
        for s in range(t):
            h = (w1 * xs[s, :].T + wr * h + bh).applyfunc(g)
        y = (w2 * h + by).applyfunc(lambda a: 1 / (1 + sympy.exp(-a)))

        weights: dict[Any, float] = {}
        for symbols, values in ((w1, self.W_in), (wr, self.W_rec), (w2, self.W_out)):
            weights.update(zip(symbols, values.ravel().tolist()))
        weights.update(zip(bh, self.b_h.tolist()))
        weights.update(zip(by, self.b_y.tolist()))
        return y, xs, weights

    def input_weight_gradient(self, xs: ArrayLike, t: int | None = None) -> FloatArray:
        r"""$d\hat y(t)/dW_{in}$ by backpropagation through time.

        Parameters
        ----------
        xs : array_like, shape (T, n_in)
            Inputs $x(1), \dots, x(T)$.
        t : int, optional
            The 1-based time step of the output; default T.

        Returns
        -------
        ndarray of float64, shape (n_out, n_h, n_in)
            Entry ``[i, j, k]`` is $\partial \hat y_i(t) / \partial W_{in}[j, k]$.

        Notes
        -----
        $O(t \cdot n_{out} \cdot n_h \cdot (n_h + n_{in}))$ time.  With
        $\delta(s) = \partial \hat y(t) / \partial a(s)$, of shape $(n_{out}, n_h)$:
        $\delta(t) = \sigma'(a_y) W_{out} \odot \phi'(a(t))$,
        $\delta(s-1) = \delta(s) W_{rec} \odot \phi'(a(s-1))$, and the gradient is
        $\sum_s \delta(s) \otimes x(s)$, eqs. (19)-(20).

        Examples
        --------
        >>> net = RNN(1.0, 2.0, 1.0)
        >>> g = net.input_weight_gradient([1, 1, 0, 0])
        >>> g.shape
        (1, 1, 1)
        >>> from hyperarr.rnn import rnn_gradient_closed_form
        >>> T = np.arange(2, 5)
        >>> closed = rnn_gradient_closed_form(1.0, 2.0, 1.0, 0.0, 0.0, T)
        >>> bool(np.isclose(g[0, 0, 0], closed[-1]))
        True
        """
        x = _inputs(xs, self.n_in)
        t = _step(t, len(x))
        a, hs = _rnn_forward(x[:t], self.W_in, self.W_rec, self.b_h, self._act)
        a_y = self.W_out @ hs[-1] + self.b_y
        dh = _LOGISTIC.slope(a_y)[:, None] * self.W_out  # ∂ŷ(t)/∂h(t), (n_out, n_h)
        grad = np.zeros((self.n_out, self.n_h, self.n_in))
        for s in range(t - 1, -1, -1):
            delta = dh * self._act.slope(a[s])  # ∂ŷ(t)/∂a(s)
            grad += delta[:, :, None] * x[s]
            dh = delta @ self.W_rec
        return grad
