"""The exact value behind [`Network`][hyperarr.deep.Network]: a feed-forward network of ReLU, LeakyReLU,
step and identity layers with exact weights.

Layer k computes ``z = W_k a + b_k`` on the previous layer's output a (the
input x for k = 0) and then its activation, unit by unit:

| activation | output | kink |
|---|---|---|
| `"relu"` | max(z, 0) | at z = 0 |
| `"leaky_relu:s"` | z where z > 0, s·z elsewhere | at z = 0 (none for s = 1) |
| `"step"` | 1 where z > 0, 0 elsewhere (the sheet's g) | at z = 0 |
| `"identity"` | z | none |

A unit with a kink is *active* where z > 0; the activation pattern of an
input is the 0/1 vector of its units with a kink, layer after layer.  On
the set of inputs with one pattern the network is affine.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property
from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import _exact
from hyperarr._cones import float_rows
from hyperarr.arrangement import _exact_matrix, _untensor
from hyperarr.exceptions import ArrangementError

__all__ = ["Model", "ACTIVATIONS"]

#: The activations a layer may have (``"leaky_relu:<slope>"`` with any rational slope).
ACTIVATIONS = ("relu", "leaky_relu:<slope>", "step", "identity")

Exact = int | Fraction
_U = 2.0**-53


def _parse_activation(k: int, activation: Any) -> tuple[str, Fraction | None]:
    """(kind, slope) of layer k's activation string; the slope for leaky ReLU only."""
    if not isinstance(activation, str):
        raise ArrangementError(
            f"layers[{k}] activation must be a string, one of {', '.join(ACTIVATIONS)}; "
            f"got {type(activation).__name__} {activation!r}")
    name = activation.strip().lower()
    if name in ("relu", "step", "identity"):
        return name, None
    if name.startswith("leaky_relu:"):
        text = name.split(":", 1)[1].strip()
        try:
            slope = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ArrangementError(
                f"layers[{k}] activation {activation!r}: the slope must be a rational number "
                f"such as 1/10 or 0.01; got {text!r}") from None
        if slope == 1:
            return "identity", None  # no kink: x where x > 0, 1·x elsewhere
        return "leaky_relu", slope
    raise ArrangementError(
        f"layers[{k}] activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")


class _Layer:
    """One layer, exact: weight (out, in) and bias as object arrays of int/Fraction."""

    __slots__ = ("W", "b", "kind", "slope", "Wf", "WE", "bf", "bE")

    def __init__(self, W: NDArray[Any], b: NDArray[Any], kind: str, slope: Fraction | None) -> None:
        self.W, self.b, self.kind, self.slope = W, b, kind, slope
        self.Wf, self.WE = _floats(W)
        self.bf, self.bE = _floats(b)
        for a in (self.W, self.b, self.Wf, self.WE, self.bf, self.bE):
            a.setflags(write=False)

    @property
    def kinked(self) -> bool:
        return self.kind != "identity"


def _floats(values: NDArray[Any]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """float64 values of exact numbers with entrywise error bounds (0 where exact; inf past
    the float range)."""
    flat = values.reshape(-1).tolist()
    F = np.array([_exact.to_float(v) for v in flat], dtype=np.float64)
    E = np.zeros(F.shape)
    for i, (f, v) in enumerate(zip(F.tolist(), flat)):
        if not np.isfinite(f):
            E[i] = np.inf
        elif isinstance(v, Fraction) and Fraction(f) != v:
            E[i] = abs(f) * _U + 2.0**-1074
        elif isinstance(v, int) and float(v) != v:
            E[i] = abs(f) * _U
    return F.reshape(values.shape), E.reshape(values.shape)


class Model:
    """The exact value of a feed-forward network: its layers, evaluation and ways in.

    [`Network`][hyperarr.deep.Network] adds the region methods and documents
    the parameters; this class holds what needs no region engine.

    Examples
    --------
    >>> net = Model([([[1, 0], [0, 1]], [0, 0], "relu"), ([[1, 1]], [-1], "relu")])
    >>> net.input_dim, net.widths, net.n_units
    (2, (2, 2, 1), 3)
    """

    __slots__ = ("_layers", "__dict__")

    def __init__(self, layers: Sequence[tuple[ArrayLike, ArrayLike, str]]) -> None:
        if isinstance(layers, (str, bytes)) or not hasattr(layers, "__len__"):
            raise ArrangementError(
                f"layers must be a list of (weight, bias, activation); got {type(layers).__name__}")
        if len(layers) == 0:
            raise ArrangementError("layers must hold at least one (weight, bias, activation); got []")
        out: list[_Layer] = []
        width: int | None = None
        for k, layer in enumerate(layers):
            if not isinstance(layer, (tuple, list)) or len(layer) != 3:
                raise ArrangementError(
                    f"layers[{k}] must be a (weight, bias, activation) triple; got {layer!r:.80}")
            weight, bias, activation = layer
            kind, slope = _parse_activation(k, activation)
            rows, shape = _exact_matrix(f"layers[{k}] weight", _untensor(weight), 2)
            (b,), bshape = _exact_matrix(f"layers[{k}] bias", _untensor(bias), 1)
            if shape[0] == 0 or shape[1] == 0:
                raise ArrangementError(f"layers[{k}] weight must have shape (out, in) with out, in >= 1; "
                                       f"got {shape}")
            if bshape[0] != shape[0]:
                raise ArrangementError(
                    f"layers[{k}] bias must have shape ({shape[0]},) to match weight {shape}; got {bshape}")
            if width is not None and shape[1] != width:
                raise ArrangementError(
                    f"layers[{k}] weight must have {width} columns (the width of layer {k - 1}); "
                    f"got shape {shape}")
            width = shape[0]
            W = np.empty(shape, dtype=object)
            W[...] = rows
            bb = np.empty(len(b), dtype=object)
            bb[...] = b
            out.append(_Layer(W, bb, kind, slope))
        self._layers: tuple[_Layer, ...] = tuple(out)

    # ------------------------------------------------------------------ ways in

    @classmethod
    def from_torch(cls, module: Any) -> Any:
        """The network of a torch ``nn.Sequential`` of ``Linear``, ``ReLU``, ``LeakyReLU``,
        ``Identity``, ``Dropout`` (the identity at evaluation) and ``Flatten``.

        Each ``Linear`` becomes a layer whose activation is the ``ReLU`` or
        ``LeakyReLU`` that follows it (``identity`` if none does); the
        weights are read exactly (float32 is a binary rational).  Any other
        module is refused by name.
        """
        mods = list(module) if hasattr(module, "__iter__") else [module]
        layers: list[tuple[Any, Any, str]] = []
        allowed = "Linear, ReLU, LeakyReLU, Identity, Dropout, Flatten"
        for m in mods:
            name = type(m).__name__
            if name == "Linear":
                bias = m.bias if m.bias is not None else np.zeros(m.weight.shape[0])
                layers.append((m.weight, bias, "identity"))
            elif name in ("ReLU", "LeakyReLU"):
                if not layers or layers[-1][2] != "identity":
                    raise ArrangementError(
                        f"module {name} must follow a Linear layer (one activation per Linear); "
                        f"got it after {layers[-1][2] if layers else 'nothing'}")
                act = "relu" if name == "ReLU" else f"leaky_relu:{_torch_slope(m, layers[-1][0])}"
                layers[-1] = (layers[-1][0], layers[-1][1], act)
            elif name in ("Identity", "Dropout", "Flatten"):
                continue
            else:
                raise ArrangementError(f"module {name} is not supported; supported: {allowed}")
        if not layers:
            raise ArrangementError(f"the module holds no Linear layer; supported: {allowed}")
        return cls(layers)

    @classmethod
    def from_sklearn(cls, mlp: Any) -> Any:
        """The network of a fitted scikit-learn ``MLPClassifier`` or ``MLPRegressor``
        (activations ``relu`` and ``identity``); the output layer is affine (its
        softmax or logistic is monotone and adds no region)."""
        coefs = getattr(mlp, "coefs_", None)
        intercepts = getattr(mlp, "intercepts_", None)
        if coefs is None or intercepts is None:
            raise ArrangementError(
                f"mlp must be a fitted MLPClassifier or MLPRegressor (with coefs_ and intercepts_); "
                f"got {type(mlp).__name__}")
        act = getattr(mlp, "activation", "relu")
        if act not in ("relu", "identity"):
            raise ArrangementError(
                f"mlp activation must be 'relu' or 'identity'; got {act!r}")
        n = len(coefs)
        return cls([(np.asarray(W).T, np.asarray(b), act if k < n - 1 else "identity")
                    for k, (W, b) in enumerate(zip(coefs, intercepts))])

    def on_plane(self, p0: ArrayLike, p1: ArrayLike, p2: ArrayLike) -> Any:
        r"""This network restricted to the plane through three points, as a network on $\mathbb{R}^2$.

        The coordinates (s, t) stand for ``p0 + s (p1 − p0) + t (p2 − p0)``,
        exactly: the first layer becomes ``W [p1 − p0, p2 − p0]`` with bias
        ``b + W p0``.
        """
        d = self.input_dim
        pts = []
        for name, p in (("p0", p0), ("p1", p1), ("p2", p2)):
            (row,), shape = _exact_matrix(name, _untensor(p), 1)
            if shape != (d,):
                raise ArrangementError(f"{name} must have shape ({d},), a point of the input space; "
                                       f"got {shape}")
            pts.append(row)
        u = [a - b for a, b in zip(pts[1], pts[0])]
        v = [a - b for a, b in zip(pts[2], pts[0])]
        if _exact.rank_exact([u, v]) < 2:
            raise ArrangementError("p0, p1, p2 must not lie on one line; they span no plane")
        first = self._layers[0]
        W = [[sum((w * a for w, a in zip(row, u)), Fraction(0)),
              sum((w * a for w, a in zip(row, v)), Fraction(0))] for row in first.W.tolist()]
        b = [bi + sum((w * a for w, a in zip(row, pts[0])), Fraction(0))
             for bi, row in zip(first.b.tolist(), first.W.tolist())]
        layers = [(_simplified(W), _simplified(b), self.activations[0])]
        layers += [(l.W, l.b, a) for l, a in zip(self._layers[1:], self.activations[1:])]
        return type(self)(layers)

    # ------------------------------------------------------------------ description

    @property
    def input_dim(self) -> int:
        """The dimension d of the input space."""
        return int(self._layers[0].W.shape[1])

    @property
    def widths(self) -> tuple[int, ...]:
        """(input dimension, width of layer 0, width of layer 1, ...)."""
        return (self.input_dim,) + tuple(int(l.W.shape[0]) for l in self._layers)

    @property
    def activations(self) -> tuple[str, ...]:
        """Each layer's activation, normalized (``"leaky_relu:1/10"``, ...)."""
        return tuple(l.kind if l.slope is None else f"leaky_relu:{l.slope}" for l in self._layers)

    @property
    def layers(self) -> tuple[tuple[NDArray[Any], NDArray[Any], str], ...]:
        """Each layer as (weight, bias, activation), exact (object arrays of int and Fraction)."""
        return tuple((l.W, l.b, a) for l, a in zip(self._layers, self.activations))

    @property
    def n_units(self) -> int:
        """The number of units with a kink: the length of an activation pattern."""
        return sum(int(l.W.shape[0]) for l in self._layers if l.kinked)

    @cached_property
    def unit_layers(self) -> NDArray[np.int64]:
        """For each pattern column, the index of its layer."""
        return np.concatenate([np.full(l.W.shape[0], k, dtype=np.int64)
                               for k, l in enumerate(self._layers) if l.kinked] or
                              [np.zeros(0, dtype=np.int64)])

    @cached_property
    def _kinked(self) -> tuple[dict[str, Any], ...]:
        """The layers with a kink, each with the identity layers before it folded in,
        exactly (``W``, ``b``) and in float64 with entrywise error bounds."""
        out: list[dict[str, Any]] = []
        W_acc: list[list[Any]] | None = None  # a pending identity map (W, b)
        b_acc: list[Any] = []
        for l in self._layers:
            W, b = l.W.tolist(), l.b.tolist()
            folded = W_acc is not None
            if W_acc is not None:
                cols = list(zip(*W_acc))
                W = [[sum((w * v for w, v in zip(row, col) if w and v), Fraction(0)) for col in cols]
                     for row in l.W.tolist()]
                b = [sum((w * v for w, v in zip(row, b_acc) if w and v), Fraction(0)) + bi
                     for row, bi in zip(l.W.tolist(), l.b.tolist())]
            if not l.kinked:
                W_acc, b_acc = W, b
                continue
            W_acc = None
            Wo = np.empty((len(W), len(W[0])), dtype=object)
            Wo[...] = W
            bo = np.empty(len(b), dtype=object)
            bo[...] = b
            if not folded:
                Wf, WE, bf, bE = l.Wf, l.WE, l.bf, l.bE
            else:
                Wf, WE = float_rows(Wo)
                bf2, bE2 = float_rows(bo[:, None])
                bf, bE = bf2[:, 0], bE2[:, 0]
            out.append(dict(layer=l, W=Wo, b=bo, Wf=Wf, WE=WE, bf=bf, bE=bE, k=len(W)))
        return tuple(out)

    def __repr__(self) -> str:
        return f"Model(widths={list(self.widths)}, activations={list(self.activations)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        return self.activations == other.activations and all(
            a.W.shape == b.W.shape and a.W.tolist() == b.W.tolist() and a.b.tolist() == b.b.tolist()
            for a, b in zip(self._layers, other._layers)) and len(self._layers) == len(other._layers)

    def __hash__(self) -> int:
        return hash((self.widths, self.activations,
                     tuple(tuple(l.W.reshape(-1).tolist()) for l in self._layers)))

    # ------------------------------------------------------------------ evaluation

    def _points(self, X: ArrayLike) -> NDArray[Any]:
        X = _untensor(X)
        arr = np.asarray(X) if not isinstance(X, np.ndarray) else X
        if arr.dtype == object:
            arr = np.asarray(X, dtype=object)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != self.input_dim:
            raise ArrangementError(
                f"X must have shape (m, {self.input_dim}) (points of the input space); got {np.shape(X)}")
        if arr.dtype.kind in "fiub" and arr.dtype.kind != "b":
            if arr.dtype.kind == "f" and not np.isfinite(arr).all():
                raise ArrangementError("X must be finite; got nan or inf")
            if arr.dtype.kind == "f" and arr.dtype.itemsize <= 8:
                return np.asarray(arr, dtype=np.float64)
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            try:
                out[idx] = _exact.to_exact(v)
            except (TypeError, ValueError):
                raise ArrangementError(f"X entries must be finite real numbers; got {v!r} at {idx}") from None
        return out

    def pattern(self, X: ArrayLike) -> NDArray[np.int8]:
        """The activation pattern of each point, exactly: (m, n_units) int8 of 0/1.

        A unit is active (1) where its pre-activation is > 0, decided in
        exact arithmetic on the given numbers (a float filter settles most
        entries, the rest are recomputed with fractions).
        """
        return _forward(self, self._points(X))[0]

    def forward(self, X: ArrayLike, exact: bool = False) -> NDArray[Any]:
        """The network's output at each point: float64 (m, out), or exact (object) with
        ``exact=True``."""
        P = self._points(X)
        if not exact:
            a = np.asarray(P, dtype=np.float64)
            for l in self._layers:
                z = a @ l.Wf.T + l.bf
                a = _act_float(l, z)
            return a
        return np.array([_exact_forward(self, row)[0] for row in P.tolist()], dtype=object).reshape(
            P.shape[0], -1)

    def affine_map(self, pattern: ArrayLike, exact: bool = False) -> tuple[NDArray[Any], NDArray[Any]]:
        """(M, c) with output = M x + c on the region of ``pattern`` (a 0/1 vector over the
        units with a kink): float64, or exact (object arrays) with ``exact=True``."""
        p = np.asarray(pattern).reshape(-1)
        if p.shape[0] != self.n_units or not np.isin(p, (0, 1)).all():
            raise ArrangementError(
                f"pattern must be a 0/1 vector of length {self.n_units} (n_units); got shape {p.shape}")
        bits = [int(v) for v in p.tolist()]
        if exact:
            M, c = _exact_maps(self, bits, len(self._layers))
            return np.array(M, dtype=object), np.array(c, dtype=object)
        d = self.input_dim
        A = np.hstack([np.eye(d), np.zeros((d, 1))])
        pos = 0
        for l in self._layers:
            H = l.Wf @ A
            H[:, -1] += l.bf
            k = H.shape[0]
            if l.kinked:
                A = _act_rows(l, H, np.array(bits[pos : pos + k], dtype=np.uint8))
                pos += k
            else:
                A = H
        return A[:, :-1], A[:, -1]


def _simplified(values: Any) -> Any:
    """Fractions with denominator 1 as ints (exact either way)."""
    if isinstance(values, list):
        return [_simplified(v) for v in values]
    return int(values) if isinstance(values, Fraction) and values.denominator == 1 else values


def _torch_slope(m: Any, weight: Any) -> str:
    """The negative slope of a torch LeakyReLU as the exact rational torch applies: the
    float nearest to it in the dtype of the layer's parameters (float32 by default)."""
    slope = float(m.negative_slope)
    if "float64" not in str(getattr(weight, "dtype", "")):
        slope = float(np.float32(slope))
    return str(Fraction(slope))


def _act_float(l: _Layer, z: NDArray[np.float64]) -> NDArray[np.float64]:
    if l.kind == "relu":
        return np.maximum(z, 0.0)
    if l.kind == "leaky_relu":
        return np.where(z > 0, z, float(l.slope) * z)  # type: ignore[arg-type]
    if l.kind == "step":
        return (z > 0).astype(np.float64)
    return z


def _act_rows(l: _Layer, H: NDArray[np.float64], bits: NDArray[np.uint8]) -> NDArray[np.float64]:
    """The affine rows of a kinked layer's output on a region with ``bits`` (float)."""
    if l.kind == "step":
        out = np.zeros_like(H)
        out[:, -1] = bits
        return out
    s = np.where(bits == 1, 1.0, 0.0 if l.kind == "relu" else float(l.slope))  # type: ignore[arg-type]
    return H * s[:, None]


def _exact_act(l: _Layer, z: list[Exact]) -> list[Exact]:
    if l.kind == "relu":
        return [v if v > 0 else 0 for v in z]
    if l.kind == "leaky_relu":
        return [v if v > 0 else l.slope * v for v in z]  # type: ignore[operator]
    if l.kind == "step":
        return [1 if v > 0 else 0 for v in z]
    return z


def _exact_forward(net: Model, x: Sequence[Exact]) -> tuple[list[Exact], list[int], bool]:
    """Output and pattern at one exact point, and whether the point is on a kink: a
    kinked pre-activation is exactly 0 there without being identically 0 on the region
    of the point's pattern (a unit that is 0 on the whole region splits nothing)."""
    a: list[Exact] = [_exact.to_exact(v) for v in x]
    d = len(a)
    # the affine map of the current layer's output on the point's region, rows of [M | c]
    A: list[list[Any]] = [[1 if i == j else 0 for j in range(d)] + [0] for i in range(d)]
    bits: list[int] = []
    on_kink = False
    for l in net._layers:
        W, b = l.W.tolist(), l.b.tolist()
        z = [sum((w * v for w, v in zip(row, a) if w and v), Fraction(0)) + bi for row, bi in zip(W, b)]
        cols = list(zip(*A))
        H = [[sum((w * v for w, v in zip(row, col) if w and v), Fraction(0)) for col in cols]
             for row in W]
        for row, bi in zip(H, b):
            row[-1] += bi
        if l.kinked:
            bits.extend(1 if v > 0 else 0 for v in z)
            on_kink = on_kink or any(v == 0 and any(row) for v, row in zip(z, H))
        a = _exact_act(l, z)
        if l.kind == "step":
            A = [[0] * d + [v] for v in a]  # type: ignore[list-item]
        elif l.kinked:
            s = [1 if v > 0 else (0 if l.kind == "relu" else l.slope) for v in z]
            A = [[f * v for v in row] for f, row in zip(s, H)]  # type: ignore[operator]
        else:
            A = H
    return a, bits, on_kink


def _may_underflow(a: NDArray[np.float64], W: NDArray[np.float64]) -> bool:
    """Whether a product of a nonzero entry of a and one of W can fall below the normal
    range (then each product carries an absolute error up to 2**-1074).  Adding that
    allowance only then keeps subnormal numbers, which are slow, out of the bounds."""
    if not a.size or not W.size:
        return False
    with np.errstate(invalid="ignore"):
        ma = float(np.min(np.abs(a), where=a != 0, initial=np.inf))
        mw = float(np.min(np.abs(W), where=W != 0, initial=np.inf))
    return ma * mw < 2.0**-960


def _forward(net: Model, P: NDArray[Any]) -> tuple[NDArray[np.int8], NDArray[np.bool_]]:
    """Patterns of the points (rows of P, float64 or exact objects), exactly, and whether
    each is on a kink (a kinked pre-activation exactly 0 there, not identically 0 on its
    region).

    In float64 with a running bound on each activation's error; a point
    with an entry the bound cannot settle is recomputed with fractions.
    """
    m = P.shape[0]
    U = net.n_units
    pats = np.zeros((m, U), dtype=np.int8)
    zero = np.zeros(m, dtype=bool)
    if P.dtype == object:
        todo = np.arange(m)
    else:
        a = P.astype(np.float64)
        e = np.zeros_like(a)
        unsure = np.zeros(m, dtype=bool)
        pos = 0
        with np.errstate(all="ignore"):
            for l in net._layers:
                n_in = l.W.shape[1]
                z = a @ l.Wf.T + l.bf
                absz = np.abs(a) @ np.abs(l.Wf).T + np.abs(l.bf)
                ez = ((n_in + 2) * _U * absz + e @ (np.abs(l.Wf) + l.WE).T + np.abs(a) @ l.WE.T + l.bE)
                if _may_underflow(a, l.Wf):
                    ez += 2.0**-1000 * (n_in + 1)
                ez *= 1 + 2.0**-40
                if l.kinked:
                    k = z.shape[1]
                    sure = np.abs(z) > ez
                    unsure |= ~sure.all(axis=1)
                    pats[:, pos : pos + k] = z > 0
                    pos += k
                a = _act_float(l, z)
                if l.kind == "step":
                    e = np.zeros_like(a)
                elif l.kind == "leaky_relu":
                    sl = abs(float(l.slope))  # type: ignore[arg-type]
                    e = ez * max(1.0, sl) * (1 + 4 * _U) + 2 * _U * np.abs(a)
                else:
                    e = ez
        unsure |= ~np.isfinite(a).all(axis=1)
        todo = np.flatnonzero(unsure)
    for i in todo.tolist():
        _, bits, z0 = _exact_forward(net, P[i].tolist())
        pats[i] = bits
        zero[i] = z0
    return pats, zero


def _exact_maps(net: Model, bits: Sequence[int], upto: int) -> tuple[list[list[Exact]], list[Exact]]:
    """(M, c), exact, of the output of layer ``upto − 1`` on the region of pattern ``bits``
    (only the bits of the layers before ``upto`` are read)."""
    d = net.input_dim
    M: list[list[Exact]] = [[1 if i == j else 0 for j in range(d)] for i in range(d)]
    c: list[Exact] = [0] * d
    pos = 0
    for l in net._layers[:upto]:
        W, b = l.W.tolist(), l.b.tolist()
        cols = list(zip(*M)) if M else []
        HM = [[sum((w * m for w, m in zip(row, col) if w and m), Fraction(0)) for col in cols]
              for row in W]
        Hc = [sum((w * v for w, v in zip(row, c) if w and v), Fraction(0)) + bi for row, bi in zip(W, b)]
        if l.kinked:
            k = len(W)
            s = bits[pos : pos + k]
            pos += k
            if l.kind == "step":
                M = [[0] * d for _ in range(k)]
                c = [int(v) for v in s]
                continue
            slope = 0 if l.kind == "relu" else l.slope
            f = [1 if v else slope for v in s]
            HM = [[fi * v for v in row] for fi, row in zip(f, HM)]  # type: ignore[operator]
            Hc = [fi * v for fi, v in zip(f, Hc)]  # type: ignore[operator]
        M, c = HM, Hc
    return M, c
