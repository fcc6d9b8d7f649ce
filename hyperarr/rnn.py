"""Recurrent networks of the course sheet (week 6, Exercises 1 and 2).

Exercise 1 (unfolding in time) is :class:`RNN`: its :meth:`RNN.run` is the
recurrence, :meth:`RNN.unroll` the equivalent feedforward network with shared
weights, and :meth:`RNN.expand_output` the nested formula of eqs. (3)-(13).

Exercise 2 (vanishing and exploding gradients) is the gradient
``dy_T/dW_in``: by backpropagation through time (``input_weight_gradient`` of
:class:`RNN`, :class:`ScheduledLSTM` and :class:`LSTM`), by the sheet's closed
forms (:func:`rnn_gradient_closed_form`, eq. (21), and
:func:`lstm_gradient_closed_form`, eq. (24)), and as a measured regime
(:func:`gradient_regime`).  :func:`gradient_curves` holds the numbers that
``hyperarr.plot.plot_gradients`` and ``hyperarr rnn`` show.

Conventions, stated once:

- Shapes: ``W_in`` is ``(n_h, n_in)``, ``W_rec`` is ``(n_h, n_h)``, ``W_out``
  is ``(n_out, n_h)``, ``b_h`` is ``(n_h,)``, ``b_y`` is ``(n_out,)``.  A scalar
  weight is a 1x1 matrix; a 1-D ``W_in`` is one column (one input unit) and a
  1-D ``W_out`` one row (one output unit); a scalar bias is broadcast.
- Time is 1-based as on the sheet: ``xs[t - 1]`` is x(t), and h(0) = c(0) = 0.
- σ is the logistic sigmoid.  ``activation="tanh"`` replaces it in the hidden
  units (eqs. (2), (14), (16), (17)); the readout y = σ(W_out h + b_y) of
  eqs. (1), (15), (18) is always logistic, and LSTM gates are always logistic.
- The *input-weight gradient* ``dy_t/dW_in`` has shape ``(n_out, n_h, n_in)``:
  entry ``[i, j, k]`` is ∂y_i(t)/∂W_in[j, k].

What the sheet gets wrong is documented where it matters: the nested
expansion of Exercise 1a in :meth:`RNN.expand_output`, the vanishing and
exploding conditions of 2b in :func:`gradient_regime`, and the T = 2 reading
of the table of 2c in :func:`lstm_gradient_closed_form`.  Eqs. (21) and (24)
themselves are exact (the tests check them against backpropagation and finite
differences for T = 2..60).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

__all__ = [
    "RNN",
    "UnrolledRNN",
    "HiddenLayer",
    "OutputLayer",
    "Expansion",
    "Gates",
    "ScheduledLSTM",
    "LSTM",
    "sheet_inputs",
    "sheet_gates",
    "rnn_gradient_closed_form",
    "lstm_gradient_closed_form",
    "GradientRegime",
    "gradient_regime",
    "GradientCurves",
    "gradient_curves",
]

FloatArray = NDArray[np.float64]


# ---------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------


def _sigmoid_slope(a: FloatArray) -> FloatArray:
    # σ'(a) = σ(a) σ(-a); accurate also where σ(a) rounds to 1.
    return expit(a) * expit(-a)


def _tanh_slope(a: FloatArray) -> FloatArray:
    # tanh'(a) = sech²(a) = 4 e^{-2|a|} / (1 + e^{-2|a|})², without overflow.
    e = np.exp(-2.0 * np.abs(a))
    return 4.0 * e / (1.0 + e) ** 2


class _Activation(NamedTuple):
    name: str
    fn: Callable[[Any], Any]
    slope: Callable[[Any], Any]  # the derivative, as a function of the pre-activation
    gamma: float  # sup of the derivative
    text: str
    latex: str


_ACTIVATIONS = {
    "sigmoid": _Activation("sigmoid", expit, _sigmoid_slope, 0.25, "σ", r"\sigma"),
    "tanh": _Activation("tanh", np.tanh, _tanh_slope, 1.0, "tanh", r"\tanh"),
}
_LOGISTIC = _ACTIVATIONS["sigmoid"]


def _activation(name: object) -> _Activation:
    if not isinstance(name, str) or name not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of 'sigmoid', 'tanh'; got {name!r}")
    return _ACTIVATIONS[name]


# ---------------------------------------------------------------------------
# Validation at the public boundary
# ---------------------------------------------------------------------------


def _float_array(name: str, value: ArrayLike) -> FloatArray:
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number or array; got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{name} must be finite; got a non-finite entry at index {where}")
    return arr


_Array = TypeVar("_Array", bound=np.ndarray)


def _frozen(arr: _Array) -> _Array:
    arr.setflags(write=False)
    return arr


def _matrix(name: str, value: ArrayLike, rows: int | None, spec: str, vector_as: str) -> FloatArray:
    """A 2-D weight matrix; a scalar is 1x1, a vector a column or a row."""
    arr = _float_array(name, value)
    received = arr.shape
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr[:, None] if vector_as == "column" else arr[None, :]
    if arr.ndim != 2 or (rows is not None and arr.shape[0] != rows):
        raise ValueError(f"{name} must have shape {spec}; got {received}")
    return _frozen(arr)


def _bias(name: str, value: ArrayLike | None, n: int, spec: str) -> FloatArray:
    if value is None:
        return _frozen(np.zeros(n))
    arr = _float_array(name, value)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape {spec} = ({n},); got {np.shape(value)}")
    return _frozen(arr)


def _weights(
    W_in: ArrayLike,
    W_rec: ArrayLike,
    W_out: ArrayLike,
    b_h: ArrayLike | None,
    b_y: ArrayLike | None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Validate and promote the weights of eqs. (14)-(15)."""
    rec = _float_array("W_rec", W_rec)
    if rec.ndim == 0:
        rec = rec.reshape(1, 1)
    if rec.ndim != 2 or rec.shape[0] != rec.shape[1]:
        raise ValueError(f"W_rec must have shape (n_h, n_h); got {np.shape(W_rec)}")
    n_h = rec.shape[0]
    w_in = _matrix("W_in", W_in, n_h, f"(n_h, n_in) with n_h = {n_h}", "column")
    w_out = _matrix("W_out", W_out, None, f"(n_out, n_h) with n_h = {n_h}", "row")
    if w_out.shape[1] != n_h:
        raise ValueError(
            f"W_out must have shape (n_out, n_h) with n_h = {n_h}; got {np.shape(W_out)}"
        )
    return (
        w_in,
        _frozen(rec),
        w_out,
        _bias("b_h", b_h, n_h, "(n_h,)"),
        _bias("b_y", b_y, w_out.shape[0], "(n_out,)"),
    )


def _inputs(xs: ArrayLike, n_in: int) -> FloatArray:
    arr = _float_array("xs", xs)
    if arr.ndim == 1 and n_in == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] != n_in:
        raise ValueError(f"xs must have shape (T, n_in) with n_in = {n_in}; got {np.shape(xs)}")
    if arr.shape[0] == 0:
        raise ValueError(f"xs must contain at least one time step; got shape {np.shape(xs)}")
    return arr


def _integer(name: str, value: object, low: int, high: int | None = None) -> int:
    bound = f"{low} <= {name}" + (f" <= {high}" if high is not None else "")
    try:
        n = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{name} must be an integer with {bound}; got {value!r}") from None
    if n < low or (high is not None and n > high):
        raise ValueError(f"{name} must be an integer with {bound}; got {n}")
    return n


def _step(t: object, T: int) -> int:
    """The 1-based time step t (default T) of a run of length T."""
    if t is None:
        return T
    try:
        n = operator.index(t)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"t must be an integer with 1 <= t <= T = {T}; got {t!r}") from None
    if not 1 <= n <= T:
        raise ValueError(f"t must be an integer with 1 <= t <= T = {T}; got {n}")
    return n


def _horizons(T: ArrayLike) -> tuple[NDArray[np.int64], bool]:
    """Horizons T >= 2 for the closed forms; returns (array, was_scalar)."""
    arr = np.asarray(T)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise ValueError(f"T must be an integer >= 2 or an array of them; got {T!r}")
    if arr.ndim > 1 or arr.size == 0:
        raise ValueError(
            f"T must be an integer >= 2 or a non-empty 1-D array of them; got shape {arr.shape}"
        )
    if arr.min() < 2:
        raise ValueError(
            f"T must be >= 2 (the sheet's inputs span t = 1, 2); got T = {int(arr.min())}"
        )
    return arr.astype(np.int64), arr.ndim == 0


def _scalar(name: str, value: ArrayLike) -> float:
    arr = _float_array(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a scalar; got shape {arr.shape}")
    return float(arr)


# ---------------------------------------------------------------------------
# Exercise 1: the recurrent network, its unrolling and its expansion
# ---------------------------------------------------------------------------


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
    """ŷ(t) written out in terms of the inputs x(1), ..., x(t).

    Attributes
    ----------
    text : str
        Vector notation, e.g. ``ŷ(2) = σ[W_out·σ[W_in·x(2) + W_rec·σ[W_in·x(1)]]]``.
    latex : str
        Component notation in the style of the sheet's eq. (13), with a fresh
        summation index ``j_s`` for the hidden unit at each time step s.
    sympy : sympy.Matrix or None
        Column ``(n_out, 1)`` of scalar expressions in the weight symbols
        ``w2_i_j``, ``w1_j_k``, ``wrec_j_l``, ``bh_j``, ``by_i`` and the input
        symbols ``x_k_s`` (= x_k(s)); all indices 1-based.  None without sympy.
    inputs : sympy.Matrix or None
        The input symbols, shape ``(t, n_in)``; row s - 1 is x(s).
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
    """Hidden layer t of the unrolled network: h_t = g(W_in x(t) + W_rec h_{t-1} + b_h).

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
    """The readout ŷ = σ(W_out h + b_y), eq. (1)/(15)."""

    W_out: FloatArray
    b_y: FloatArray

    def __call__(self, h: FloatArray) -> FloatArray:
        return expit(self.W_out @ h + self.b_y)


@dataclass(frozen=True, eq=False)
class UnrolledRNN:
    """The feedforward network of Exercise 1b: T hidden layers, then the readout.

    Layer t receives x(t) as external input and layer t - 1 as upstream
    input (layer 1 receives h(0) = 0).  All layers share one ``W_rec`` (and
    ``W_in``, ``b_h``): ``layers[0].W_rec is layers[-1].W_rec``.
    """

    layers: tuple[HiddenLayer, ...]
    output: OutputLayer

    @property
    def T(self) -> int:
        """The number of hidden layers (time steps)."""
        return len(self.layers)

    def run(self, xs: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Feed x(1), ..., x(T) to layers 1..T; return ``(hs, ys)`` like :meth:`RNN.run`.

        ``ys[t - 1]`` is the shared readout applied to layer t; the sheet's
        figure draws only the last one, ``ys[-1]`` = ŷ(T).
        """
        first = self.layers[0]
        x = _inputs(xs, first.W_in.shape[1])
        if len(x) != self.T:
            raise ValueError(f"xs must have T = {self.T} rows, one per layer; got {len(x)}")
        h = np.zeros(first.W_rec.shape[0])
        hs = []
        for layer, x_t in zip(self.layers, x):
            h = layer(x_t, h)
            hs.append(h)
        return np.array(hs), np.array([self.output(h) for h in hs])


class RNN:
    """A recurrent network with one hidden layer, eqs. (1)-(2) and (14)-(15).

    .. math::

        h(t) = g(W_{in} x(t) + W_{rec} h(t-1) + b_h), \\qquad
        \\hat y(t) = \\sigma(W_{out} h(t) + b_y), \\qquad h(0) = 0.

    Parameters
    ----------
    W_in : array_like, shape (n_h, n_in)
        Input weights w^(1).  A scalar is 1x1; a 1-D array is one column.
    W_rec : array_like, shape (n_h, n_h)
        Recurrent weights.  A scalar is 1x1.
    W_out : array_like, shape (n_out, n_h)
        Output weights w^(2).  A scalar is 1x1; a 1-D array is one row.
    b_h, b_y : array_like, shape (n_h,) and (n_out,), optional
        Biases (the sheet suppresses them); default zero, scalars broadcast.
    activation : {"sigmoid", "tanh"}
        The hidden nonlinearity g.  The readout is always the logistic σ.

    Attributes
    ----------
    W_in, W_rec, W_out, b_h, b_y : ndarray of float64
        The promoted weights, read-only.

    Raises
    ------
    ValueError
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
        """Run the recurrence on x(1), ..., x(T).

        Parameters
        ----------
        xs : array_like, shape (T, n_in)
            Inputs; ``xs[t - 1]`` is x(t).  A 1-D array is allowed if n_in = 1.

        Returns
        -------
        hs : ndarray of float64, shape (T, n_h)
            The hidden states h(1), ..., h(T).
        ys : ndarray of float64, shape (T, n_out)
            The outputs ŷ(1), ..., ŷ(T).
        """
        x = _inputs(xs, self.n_in)
        _, hs = _rnn_forward(x, self.W_in, self.W_rec, self.b_h, self._act)
        return hs, expit(hs @ self.W_out.T + self.b_y)

    def unroll(self, T: int) -> UnrolledRNN:
        """The equivalent feedforward network with T hidden layers (Exercise 1b).

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
        """ŷ(t) as a nested expression of x(1), ..., x(t), eqs. (3)-(13).

        Insert eq. (2) into eq. (1) and recurse down to h(0) = 0.

        Parameters
        ----------
        t : int
            The time step, t >= 1.

        Returns
        -------
        Expansion
            ``.text`` (vector notation), ``.latex`` (component notation) and,
            if sympy is installed, ``.sympy`` with ``.inputs`` and
            ``.weights`` to evaluate it.

        Notes
        -----
        Bias terms appear only if the network's biases are nonzero (the sheet
        suppresses them).  The sympy expression is a tree with O(n_h^t)
        leaves; keep t and n_h small.

        The sheet's eqs. (4)-(13) are right in structure but not in notation,
        which is why the LaTeX here names its indices afresh:

        - eq. (4) sums the readout over ``i`` (``Σ_i w_ij^(2)``) where the
          hidden index is ``j``; ``i`` is already the output unit;
        - the recurrent sums reuse ``i`` (``Σ_i w_ji^(rec) x_i^(1)``) and
          then ``j`` at the next level, so the same letter denotes hidden
          units at different times;
        - eqs. (7) and (10) close both brackets after the x(4) term, which
          would move the recurrent terms (8)-(9) and (11)-(13) outside the
          outer g; they belong inside.

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
        """dŷ(t)/dW_in by backpropagation through time.

        Parameters
        ----------
        xs : array_like, shape (T, n_in)
            Inputs x(1), ..., x(T).
        t : int, optional
            The 1-based time step of the output; default T.

        Returns
        -------
        ndarray of float64, shape (n_out, n_h, n_in)
            Entry ``[i, j, k]`` is ∂ŷ_i(t)/∂W_in[j, k].

        Notes
        -----
        O(t·n_out·n_h·(n_h + n_in)) time.  With δ(s) = ∂ŷ(t)/∂a(s), shape
        (n_out, n_h): δ(t) = σ'(a_y) W_out ⊙ g'(a(t)), δ(s-1) = δ(s) W_rec ⊙
        g'(a(s-1)), and the gradient is Σ_s δ(s) ⊗ x(s), eqs. (19)-(20).

        Examples
        --------
        >>> net = RNN(1.0, 2.0, 1.0)
        >>> g = net.input_weight_gradient([1, 1, 0, 0])
        >>> g.shape
        (1, 1, 1)
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


# ---------------------------------------------------------------------------
# Exercise 2: LSTM units with given gates (the sheet) and with learned gates
# ---------------------------------------------------------------------------


class Gates(NamedTuple):
    """Input, forget and output gate values i(t), f(t), o(t), t = 1..T.

    Each is an array of shape (T,) (one value for all units) or (T, n_h).
    """

    i: ArrayLike
    f: ArrayLike
    o: ArrayLike


def sheet_inputs(T: int) -> FloatArray:
    """The sheet's inputs x(1) = x(2) = 1 and x(t) = 0 for t > 2, shape (T, 1).

    Examples
    --------
    >>> sheet_inputs(4)[:, 0].tolist()
    [1.0, 1.0, 0.0, 0.0]
    """
    T = _integer("T", T, 1)
    xs = np.zeros((T, 1))
    xs[:2] = 1.0
    return xs


def sheet_gates(f: float, T: int) -> Gates:
    """The gate schedule of the sheet's table (Exercise 2) for forget value f.

    ======== ===== ===== =====
    step     i(t)  f(t)  o(t)
    ======== ===== ===== =====
    t = 1, 2 1     0     0
    2 < t    0     f     0
    t = T    0     f     1
    ======== ===== ===== =====

    For T = 2 the rows "t = 1, 2" and "t = T" overlap.  hyperarr reads the
    table as: the output gate opens at T (o(T) = 1), everything else follows
    the row "t = 1, 2" (i(2) = 1, f(2) = 0, and x(2) = 1 as in
    :func:`sheet_inputs`).  See :func:`lstm_gradient_closed_form`.

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
            raise ValueError(f"gates must have keys 'i', 'f', 'o'; got {sorted(gates)}")
        gates = Gates(gates["i"], gates["f"], gates["o"])
    try:
        i, f, o = gates  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ValueError(f"gates must be (i, f, o); got {gates!r}") from None
    out = []
    for name, value in (("i", i), ("f", f), ("o", o)):
        arr = _float_array(f"gates.{name}", value)
        if arr.ndim == 1:
            arr = np.repeat(arr[:, None], n_h, axis=1)
        if arr.ndim != 2 or arr.shape[1] != n_h or arr.shape[0] == 0:
            raise ValueError(
                f"gates.{name} must have shape (T,) or (T, n_h) with n_h = {n_h}; got {np.shape(value)}"
            )
        out.append(_frozen(arr))
    if not out[0].shape == out[1].shape == out[2].shape:
        lengths = [len(a) for a in out]
        raise ValueError(f"gates i, f, o must have the same length T; got {lengths}")
    return out[0], out[1], out[2]


class ScheduledLSTM:
    """LSTM units with externally given gates, eqs. (16)-(18) of the sheet.

    .. math::

        c(t) = f(t) c(t-1) + i(t)\\, g(W_{in} x(t) + W_{rec} h(t-1) + b_h), \\quad
        h(t) = o(t)\\, g(c(t)), \\quad
        y(t) = \\sigma(W_{out} h(t) + b_y),

    with h(0) = c(0) = 0 and g = σ (or tanh).  The weights follow the shapes
    of :class:`RNN` (scalars are the sheet's case).

    Parameters
    ----------
    w_in, w_rec, w_out, b_h, b_y : array_like
        As for :class:`RNN` (``None`` biases are zero).
    gates : Gates, (i, f, o) or mapping with keys "i", "f", "o"
        Gate values per step, each of shape (T,) or (T, n_h).
    activation : {"sigmoid", "tanh"}
        g in eqs. (16)-(17).

    Examples
    --------
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
        """The sheet's network: scalar weights and the gates of :func:`sheet_gates`."""
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
            raise ValueError(f"xs must have T = {self.T} rows, one per gate value; got {len(x)}")
        return x

    def run(self, xs: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return the cell states, hidden states and outputs ``(cs, hs, ys)``, each (T, ·)."""
        _, cs, hs = self._forward(self._checked_inputs(xs))
        return cs, hs, expit(hs @ self.W_out.T + self.b_y)

    def input_weight_gradient(self, xs: ArrayLike, t: int | None = None) -> FloatArray:
        """dy(t)/dW_in by backpropagation through time, shape (n_out, n_h, n_in).

        The gates are constants here, so only the candidate g(a(s)) depends on
        W_in: ∂y/∂c(s) gains o(s) g'(c(s)) ∂y/∂h(s) and passes f(s) back to
        c(s-1); ∂y/∂a(s) = ∂y/∂c(s) ⊙ i(s) g'(a(s)) passes W_rec back to h(s-1).

        Examples
        --------
        >>> lstm = ScheduledLSTM.sheet(1.0, 3.0, 1.0, 0.0, 0.0, f=0.5, T=5)
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
    """LSTM units with learned gates (Gers, Schmidhuber and Cummins, 2000).

    .. math::

        i, f, o &= \\sigma(W_x x(t) + W_h h(t-1) + b) \\text{ for each gate}, \\\\
        c(t) &= f\\, c(t-1) + i\\, g(W_{in} x(t) + W_{rec} h(t-1) + b_h), \\\\
        h(t) &= o\\, g(c(t)), \\qquad y(t) = \\sigma(W_{out} h(t) + b_y),

    with h(0) = c(0) = 0.  This is eqs. (16)-(18) with the gate equations the
    sheet omits.  g is tanh by default (the standard choice); the sheet's σ
    is ``activation="sigmoid"``.

    Parameters
    ----------
    W_in, W_rec, W_out, b_h, b_y : array_like
        The candidate's and the readout's weights, shapes as for :class:`RNN`.
    input_gate, forget_gate, output_gate : (W_x, W_h, b), optional
        Each gate's weights, shapes (n_h, n_in), (n_h, n_h) and (n_h,).
        Default all zero, a constant gate value of ½.
    activation : {"tanh", "sigmoid"}
        g for the candidate and the cell output.

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
            raise ValueError(f"{name} must be a triple (W_x, W_h, b); got {value!r}") from None
        W_x = _matrix(f"{name} W_x", W_x, n_h, f"(n_h, n_in) = ({n_h}, {n_in})", "column")
        if W_x.shape != (n_h, n_in):
            raise ValueError(
                f"{name} W_x must have shape (n_h, n_in) = ({n_h}, {n_in}); got {W_x.shape}"
            )
        W_h = _matrix(f"{name} W_h", W_h, n_h, f"(n_h, n_h) = ({n_h}, {n_h})", "column")
        if W_h.shape != (n_h, n_h):
            raise ValueError(
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
        """An LSTM with independent N(0, scale²) weights and biases."""
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
        """dy(t)/dW_in (the candidate's input weights) by BPTT, shape (n_out, n_h, n_in).

        Notes
        -----
        Backward step s, with ∂y/∂h(s) and ∂y/∂c(s) flowing in from s + 1:
        ∂y/∂c(s) += ∂y/∂h(s) ⊙ o g'(c); the pre-activations get
        ∂y/∂h ⊙ g(c) ⊙ o(1-o) (output gate), ∂y/∂c ⊙ g(a) ⊙ i(1-i) (input
        gate), ∂y/∂c ⊙ c(s-1) ⊙ f(1-f) (forget gate) and ∂y/∂c ⊙ i g'(a)
        (candidate); each passes back through its W_h (W_rec) to h(s-1), and
        ∂y/∂c(s-1) = ∂y/∂c(s) ⊙ f.
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


# ---------------------------------------------------------------------------
# Exercise 2: the closed forms (21) and (24)
# ---------------------------------------------------------------------------


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
    """dy_T/dW_in of the scalar RNN with the sheet's inputs, eq. (21).

    .. math::

        \\frac{dy_T}{dW^{in}} = \\sigma'(a^y_T) W^{out} \\sigma'(a^h_T)
        (W^{rec})^{T-2} \\prod_{t=2}^{T-1} \\sigma'(a^h_t)
        \\left(x_2 + W^{rec} \\sigma'(a^h_1) x_1\\right),

    with x_1 = x_2 = 1, x_t = 0 for t > 2, and a^h_t, a^y_T from the forward
    pass of eqs. (14)-(15).

    Parameters
    ----------
    w_in, w_rec, w_out, b_h, b_y : float
        The scalar weights and biases.
    T : int or array_like of int
        Horizon(s), each >= 2.  An array gives all values from one forward pass.
    activation : {"sigmoid", "tanh"}
        σ of eq. (14); the readout stays logistic.

    Returns
    -------
    float or ndarray of float64
        dy_T/dW_in, a float for a scalar T.

    Raises
    ------
    ValueError
        If T < 2 (the sheet's two inputs need two steps) or a weight is not a
        finite scalar.

    Notes
    -----
    Eq. (21) is exact for every T >= 2, the empty product at T = 2 being 1;
    the tests confirm it against backpropagation and central differences for
    T = 2..60.  The product (W^rec)^{T-2} ∏ σ'(a_t) is evaluated as
    ∏ (W^rec σ'(a_t)), which is the same number without the overflow of
    (W^rec)^{T-2} alone.  What the sheet gets wrong is the *reading* of (21)
    in 2b; see :func:`gradient_regime`.

    Examples
    --------
    >>> [round(v, 6) for v in rnn_gradient_closed_form(1, 2, 1, 0, 0, [2, 3, 4]).tolist()]
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
    """dy_T/dW_in of the scalar LSTM of the sheet's table, eq. (24).

    .. math::

        \\frac{dy_T}{dW^{in}} = \\sigma'(a^y_T) W^{out} o_T \\sigma'(c_T)
        f^{T-2} \\sigma'(a^h_2) x_2,

    with o_T = 1, x_2 = 1, a^h_2 = W^in + b_h (h_1 = o_1 σ(c_1) = 0),
    c_T = f^{T-2} σ(a^h_2) and a^y_T = W^out σ(c_T) + b_y.  ``w_rec`` is
    accepted for symmetry with :func:`rnn_gradient_closed_form` and does not
    enter: with o_1 = 0 the state h_1 that W^rec multiplies is 0 (2d).

    Parameters
    ----------
    w_in, w_rec, w_out, b_h, b_y : float
        The scalar weights and biases.
    f : float
        The forget-gate value for t > 2.
    T : int or array_like of int
        Horizon(s), each >= 2.
    activation : {"sigmoid", "tanh"}
        σ of eqs. (16)-(17).

    Returns
    -------
    float or ndarray of float64

    Raises
    ------
    ValueError
        If T < 2 or a parameter is not a finite scalar.

    Notes
    -----
    Eqs. (22)-(24) are exact for T >= 3.  The o_T σ'(c_T) factor of (22) is
    right because the gates are given, not functions of W^in.

    At T = 2 the table is ambiguous: t = 2 is in both rows "t = 1, 2" and
    "t = T".  (24) holds if the first row wins for x, i, f and only o opens
    (x_2 = 1, i_2 = 1, f_2 = 0, o_2 = 1), which is how :func:`sheet_gates`
    reads it.  If the row "t = T" wins (x_2 = 0, i_2 = 0, f_2 = f), then
    c_2 = f σ(a^h_1) and the true gradient is
    σ'(a^y_2) W^out σ'(c_2) f σ'(a^h_1) x_1, while (24) gives 0 because of
    the factor x_2.  For W^in = W^out = 1, b_h = b_y = 0, f = 0.9 that is
    0.00894 against 0.  The tests check both readings with :class:`ScheduledLSTM`.

    Examples
    --------
    >>> g = lstm_gradient_closed_form(1, 5, 1, 0, 0, 1.0, [2, 10, 50])
    >>> len(set(np.round(g, 12).tolist()))  # f = 1: the same for every T
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


# ---------------------------------------------------------------------------
# Exercise 2b: vanishing or exploding, measured
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GradientRegime:
    """The result of :func:`gradient_regime`.

    Attributes
    ----------
    verdict : {"vanishing", "exploding", "neither"}
        From ``rate`` against 1 ± ``tol``.
    rate : float
        The measured long-run per-step factor: ‖∂h_T/∂h_{T-n}‖^{1/n} with
        n = ⌊T/2⌋.  For a scalar network this is the geometric mean of the
        last n ``factors``.
    factors : ndarray of float64, shape (T,)
        Per-step factors ‖J_t‖₂, J_t = ∂h_t/∂h_{t-1} = diag(σ'(a_t)) W_rec,
        t = 1..T; for a scalar network |σ'(a_t) w_rec|.
    jacobian_norms : ndarray of float64, shape (T + 1,)
        ``jacobian_norms[L]`` = ‖∂h_T/∂h_{T-L}‖₂ for lags L = 0..T.
    gamma_sigma_max : float
        γ·σ_max(W_rec) with γ = sup σ' (¼ logistic, 1 tanh).  If it is < 1 the
        gradient vanishes at least as fast as its L-th power (Pascanu,
        Mikolov and Bengio, 2013).
    states : ndarray of float64, shape (T, n_h)
        h(1), ..., h(T).
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
    """Measure whether gradients through the recurrence vanish or explode.

    The network is eq. (14) driven by the sheet's inputs, x(1) = x(2) = 1 and
    x(t) = 0 afterwards.  The gradient dy_T/dW_in of eq. (21) carries the
    product of the per-step factors σ'(a_t) W_rec, so its fate for large T is
    the fate of ‖∂h_T/∂h_k‖ as the lag T - k grows.

    Parameters
    ----------
    w_rec : float or array_like, shape (n_h, n_h)
        Recurrent weight (scalar setting) or matrix.
    b_h : float or array_like, shape (n_h,)
        Hidden bias.
    w_in : float or array_like, shape (n_h,) or (n_h, n_in)
        Input weights; a scalar or vector is one input unit.  Every input
        unit receives 1 at t = 1, 2.
    T : int
        Number of steps, T >= 2.
    activation : {"sigmoid", "tanh"}
        σ of eq. (14).
    tol : float
        ``rate`` within 1 ± tol is "neither".

    Returns
    -------
    GradientRegime

    Raises
    ------
    ValueError
        For mismatched shapes, T < 2, a negative tol or an unknown activation.

    Notes
    -----
    The sheet's answer to 2b states the condition on |W_rec| alone ("if
    |W_rec| > 1, (W_rec)^{T-2} diverges and thus dy_T/dW_in diverges").  That
    is inexact in both directions, because the per-step factor is
    |σ'(a_t) W_rec|, not |W_rec|:

    - σ' ≤ ¼ for the logistic, so every |w_rec| < 4 vanishes, at least as
      (|w_rec|/4)^T.  For example w_rec = 2, b_h = -1 has the fixed point
      h* = ½, a* = 0 with factor exactly 2·¼ = ½: the gradient halves at
      every step although |W_rec| = 2 > 1.
    - Saturation makes larger w_rec vanish too: with w_rec = 6, b_h = 0 the
      state settles at h* ≈ 0.9975, a* ≈ 5.98, σ'(a*) ≈ 0.0025, and the
      factor is about 0.015 per step.
    - The premise of the exploding case, |σ'(a_t) W_rec| > 1 *for all t*,
      essentially never holds in the scalar setting.  After t = 2 the state
      follows the autonomous map h ↦ σ(w_rec h + b_h), whose slope at h_{t-1}
      *is* the factor σ'(a_t) w_rec.  For w_rec > 0 the map is increasing,
      the orbit is monotone and converges to a fixed point; a fixed point
      with slope > 1 repels, so the orbit can only converge to one with
      slope ≤ 1 (for w_rec < 0 the same holds for the two-step map and a
      period-2 orbit).  Hence the long-run rate is ≤ 1 unless the state sits
      *exactly* on an unstable fixed point.  With b_h = -w_rec/2 the fixed
      point h* = ½ has a* = 0 and factor w_rec/4 > 1 for w_rec > 4, but it
      repels.  Measured with w_rec = 6, b_h = -3: w_in = 1.7074603978971474
      makes a_2 = 0 exactly in floating point, h_t = ½ for ever, every
      factor is 1.5 and dy_T/dW_in reaches 3.5e51 at T = 300 ("exploding").
      Move w_in by 1e-9 and the gradient grows only up to T = 52 (3.7e7):
      the deviation from ½, amplified 1.5 times per step, takes the state
      to the stable fixed point h ≈ 0.929 (0.071 for -1e-9), whose factor
      is 0.394, and the gradient vanishes (1.2e-92 at T = 300).  Exploding
      is transient in the scalar setting.
      w_rec = 4, b_h = -2 is the borderline (a non-hyperbolic fixed point
      with factor 1): the gradient decays more slowly than any exponential
      and ``rate`` tends to 1 ("neither" for large T).

    Networks with a matrix W_rec can explode for good: the tanh network
    with random W_rec of gain > 1 is chaotic, and ‖∂h_T/∂h_k‖ grows
    exponentially in T - k (measured: n_h = 60, W_rec = 3 N(0, 1/n_h),
    rate ≈ 1.32 per step over T = 200).  The sufficient condition for vanishing is
    Pascanu, Mikolov and Bengio's γ·σ_max(W_rec) < 1, reported as
    ``gamma_sigma_max``; it is a bound, and ``rate`` is what happens.

    Complexity: O(T·n_h³) for the spectral norms.

    Examples
    --------
    >>> r = gradient_regime(2.0, b_h=-1.0)  # |w_rec| > 1, yet vanishing
    >>> r.verdict, round(r.rate, 6), r.gamma_sigma_max
    ('vanishing', 0.5, 0.5)
    >>> gradient_regime(6.0).verdict  # saturation
    'vanishing'
    """
    act = _activation(activation)
    rec = _float_array("w_rec", w_rec)
    if rec.ndim == 0:
        rec = rec.reshape(1, 1)
    if rec.ndim != 2 or rec.shape[0] != rec.shape[1]:
        raise ValueError(f"w_rec must be a scalar or have shape (n_h, n_h); got {np.shape(w_rec)}")
    n_h = rec.shape[0]
    bias = _bias("b_h", b_h, n_h, "(n_h,)")
    W_in = _float_array("w_in", w_in)
    if W_in.ndim == 0:
        W_in = np.full((n_h, 1), float(W_in))
    W_in = _matrix("w_in", W_in, n_h, f"() or (n_h,) or (n_h, n_in) with n_h = {n_h}", "column")
    T = _integer("T", T, 2)
    tol = _scalar("tol", tol)
    if tol < 0:
        raise ValueError(f"tol must be >= 0; got {tol}")

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


# ---------------------------------------------------------------------------
# Curves for the plot and the command line
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GradientCurves:
    """dy_T/dW_in against T for several w_rec (RNN) and f (LSTM).

    Attributes
    ----------
    T : ndarray of int64, shape (m,)
    w_rec : ndarray of float64, shape (p,)
    f : ndarray of float64, shape (q,)
    rnn : ndarray of float64, shape (p, m)
        ``rnn[k]`` is eq. (21) at ``w_rec[k]`` for every T.
    lstm : ndarray of float64, shape (q, m)
        ``lstm[k]`` is eq. (24) at ``f[k]`` for every T.
    params : dict
        The shared w_in, w_out, b_h, b_y and the activation.
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


def _values(name: str, value: ArrayLike) -> FloatArray:
    arr = _float_array(name, value)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a number or a non-empty 1-D sequence; got shape {np.shape(value)}"
        )
    return _frozen(arr)


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
    """The numbers behind ``plot_gradients`` and ``hyperarr rnn``.

    Parameters
    ----------
    T : array_like of int
        Horizons, each >= 2.
    w_rec : array_like of float
        Recurrent weights of the RNN curves.
    f : array_like of float
        Forget-gate values of the LSTM curves (which do not depend on w_rec).
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
    >>> bool(np.all(np.diff(np.abs(c.rnn), axis=1) < 0))  # both RNN curves vanish
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
