"""Threshold networks that classify the regions of an arrangement.

The seed sheet's Exercise 3f builds a network with two hidden layers for a
union of regions: the first layer holds one neuron per hyperplane, the second
one AND neuron per region of the class, and the output neuron is an OR.
:func:`synthesize` builds that network (``method="per-region"``), the
smallest network of the same AND/OR shape (``method="minimal"``), and a
greedy improvement with general threshold units (``method="threshold"``).

Every unit computes ``a = w · x − θ`` and fires iff ``a > 0`` (strictly), as
the step neuron ``g(a) = ½(1 + sgn a)`` of the sheet does away from a = 0.
The first layer evaluates its hyperplanes with hyperarr's exact filtered
predicate (as :meth:`Arrangement.signs` does); later layers only add ±1 and
small integer weights and compare with half-integers, which float64 does
exactly.  So ``predict`` on a region's witness point never depends on
rounding, and :func:`synthesize` checks every region before it returns.

The minimal AND/OR network
--------------------------
Over the h distinct hyperplanes, each region has a sign vector in {−1, +1}^h.
A second-layer AND unit over a set of literals (a first-layer output or its
negation) fires exactly on the regions agreeing with a *partial* sign vector
p ∈ {−1, 0, +1}^h (0 = the hyperplane is not used): the regions inside the
polyhedron cut out by the fixed halfspaces, a convex union of regions.  Sign
vectors that no region realizes are don't-cares.  A partial vector is an
*implicant* of a class if it covers at least one region and only regions of
the class; the maximal ones are the *prime* implicants, and a smallest OR
network is a smallest set of primes covering the class (solved exactly as a
0/1 program with :func:`scipy.optimize.milp`).  The NOR form covers the
complement class instead; the smaller of the two is returned.

Primes are found level by level: level k holds the implicants with k free
coordinates, and level k + 1 is obtained by freeing one more coordinate of a
level-k implicant and keeping the result if it still covers only class
regions.  This reaches every implicant: an implicant r with k + 1 free
coordinates covers some region x of the class, and fixing any one free
coordinate of r to x's sign gives an implicant at level k (it covers x, and
only regions r covers).  The level-1 step from a region across hyperplane u
merges the two regions of an adjacency-graph edge when the neighbour exists,
and otherwise frees u for nothing (the neighbour is a don't-care) -- pair
merging alone, as in Quine–McCluskey without don't-care minterms, would miss
the primes that need those.
"""

from __future__ import annotations

import importlib
import math
import time
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import regions as _regions
from hyperarr.exceptions import ArrangementError, HyperarrError, OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement
    from hyperarr.regions import Regions

__all__ = ["ThresholdNetwork", "synthesize", "positive_mask", "METHODS"]

#: The construction methods of :func:`synthesize`.
METHODS = ("minimal", "per-region", "threshold")

#: Refusal bound on the implicants examined by ``method="minimal"``.
_MAX_IMPLICANTS = 2_000_000
#: Entries of one batched comparison array (memory bound for the prime search).
_BATCH = 1 << 21
#: A linear program counts as strictly separating above this margin; the unit
#: is then rebuilt with integer weights and checked exactly.
_LP_MARGIN = 1e-7

_FORMAT = "hyperarr.ThresholdNetwork"
_VERSION = 1


# --------------------------------------------------------------------------
# The network value
# --------------------------------------------------------------------------


class ThresholdNetwork:
    """A feed-forward network of step neurons whose first layer is an arrangement.

    Parameters
    ----------
    arrangement : Arrangement
        The first layer: unit i fires iff ``normals[i] · x − offsets[i] > 0``,
        decided exactly.
    layers : sequence of (weights, thresholds)
        The later layers, in order; ``weights`` has shape (k, k_prev) and
        ``thresholds`` shape (k,).  The last layer has one unit, the output.
    labels : array_like of bool, shape (m,)
        The class of each region of ``arrangement.regions()`` that the network
        was built for (``True`` = positive).
    method : str
        How the network was made (see :func:`synthesize`).
    optimal : bool
        True when the second layer is proven to be as small as possible for
        networks of the method's kind.
    form : {"or", "nor"}
        The output unit: OR of the second layer (fires iff some unit fires),
        or NOR (fires iff no unit fires).

    Attributes
    ----------
    layers : list of (ndarray, ndarray)
        All layers, the first included: ``(weights, thresholds)`` as read-only
        float64 arrays; unit j of a layer fires iff
        ``weights[j] @ inputs − thresholds[j] > 0``.  The first layer's
        arrays are float64 copies of the arrangement's exact rows.
    hidden_sizes : tuple of int
        Units per hidden layer, the first layer included.

    Notes
    -----
    A *constant* network has no unit in the second layer: its weights have
    shape (0, n), the output weights shape (1, 0), and the output threshold
    is −½ (always fires, class everywhere: the NOR of nothing) or +½ (never
    fires: the OR of nothing).

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> net = synthesize(five_lines(), [0, 3, 6], method="per-region")
    >>> net.hidden_sizes
    (5, 3)
    >>> net.predict([[0, 0], [0, 100]]).tolist() == [int(net.labels[i]) for i in
    ...     five_lines().region_of([[0, 0], [0, 100]]).tolist()]
    True
    """

    __slots__ = ("_arrangement", "_layers", "_labels", "_method", "_optimal", "_form")

    def __init__(self, arrangement: "Arrangement", layers: Iterable[tuple[ArrayLike, ArrayLike]],
                 labels: ArrayLike, *, method: str, optimal: bool, form: str = "or") -> None:
        from hyperarr.arrangement import Arrangement

        if not isinstance(arrangement, Arrangement):
            raise ArrangementError(
                f"arrangement must be an Arrangement; got {type(arrangement).__name__}"
            )
        if form not in ("or", "nor"):
            raise ArrangementError(f"form must be 'or' or 'nor'; got {form!r}")
        out: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
        width = arrangement.n
        for k, layer in enumerate(layers):
            try:
                w_in, t_in = layer
            except (TypeError, ValueError):
                raise ArrangementError(
                    f"layers[{k}] must be a pair (weights, thresholds); got {layer!r}"
                ) from None
            w = np.array(w_in, dtype=np.float64, copy=True)
            t = np.array(t_in, dtype=np.float64, copy=True).reshape(-1)
            if w.ndim != 2 or w.shape[1] != width or t.shape != (w.shape[0],):
                raise ArrangementError(
                    f"layers[{k}] must have weights of shape (k, {width}) and thresholds of "
                    f"shape (k,); got {w.shape} and {t.shape}"
                )
            if not (np.isfinite(w).all() and np.isfinite(t).all()):
                raise ArrangementError(f"layers[{k}] must be finite")
            w.setflags(write=False)
            t.setflags(write=False)
            out.append((w, t))
            width = w.shape[0]
        if not out or width != 1:
            raise ArrangementError(
                f"the last layer must have one unit (the output); got {width if out else 'no layers'}"
            )
        lab = np.array(labels, copy=True)
        if lab.dtype != bool or lab.ndim != 1:
            raise ArrangementError(
                f"labels must be a 1-D boolean array; got dtype {lab.dtype}, shape {lab.shape}"
            )
        lab.setflags(write=False)
        self._arrangement = arrangement
        self._layers = tuple(out)
        self._labels = lab
        self._method = str(method)
        self._optimal = bool(optimal)
        self._form = form

    # ------------------------------------------------------------------ data
    @property
    def arrangement(self) -> "Arrangement":
        """The first layer, exact."""
        return self._arrangement

    @property
    def layers(self) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
        """List of ``(weights, thresholds)`` per layer; a unit fires iff ``weights @ x − thresholds > 0``."""
        A = self._arrangement
        first = (np.array(A.normals), np.array(A.offsets))
        for a in first:
            a.setflags(write=False)
        return [first, *self._layers]

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        """Units per hidden layer: the first layer (one per hyperplane), then the AND layer."""
        return (self._arrangement.n,) + tuple(w.shape[0] for w, _ in self._layers[:-1])

    @property
    def labels(self) -> NDArray[np.bool_]:
        """ndarray of bool, shape (m,): the class of each region (read-only)."""
        return self._labels

    @property
    def method(self) -> str:
        """The synthesis method: "per-region", "minimal" or "threshold"."""
        return self._method

    @property
    def optimal(self) -> bool:
        """True when the number of second-layer units is proven minimal."""
        return self._optimal

    @property
    def form(self) -> str:
        """``"or"`` or ``"nor"``: how the output unit combines the second layer."""
        return self._form

    def __repr__(self) -> str:
        sizes = " -> ".join(str(s) for s in (*self.hidden_sizes, 1))
        return (f"ThresholdNetwork(d={self._arrangement.dim}, units {sizes}, "
                f"method={self._method!r}, form={self._form!r}, optimal={self._optimal})")

    # ------------------------------------------------------------ evaluation
    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """The network's output (0 or 1) at each point.

        Parameters
        ----------
        X : array_like, shape (..., d)

        Returns
        -------
        ndarray of int64, shape (...)
            1 where the output unit fires.  The first layer is evaluated
            exactly (a point on a hyperplane does not fire that unit); the
            later layers are exact in float64 for the networks built here.

        Examples
        --------
        >>> from hyperarr.library import five_lines
        >>> A = five_lines()
        >>> net = synthesize(A, A.region_of([[0, 0]]).tolist())   # the inner pentagon
        >>> net.predict([[0, 0], [0, 5]]).tolist()
        [1, 0]
        """
        signs = self._arrangement.signs(X)
        lead = signs.shape[:-1]
        y = (signs.reshape(int(np.prod(lead)), self._arrangement.n) > 0).astype(np.float64)
        for w, t in self._layers:
            y = ((y @ w.T - t) > 0).astype(np.float64)
        return y[:, 0].astype(np.int64).reshape(lead)

    def verify(self, A: "Arrangement | None" = None) -> bool:
        """Check that every region's witness gets its label; return True or raise.

        Parameters
        ----------
        A : Arrangement, optional
            Must be the network's arrangement (the default).

        Raises
        ------
        HyperarrError
            Naming the first misclassified region.
        ArrangementError
            If ``A`` is another arrangement, or the labels do not match its
            number of regions.

        Examples
        --------
        >>> from hyperarr.library import five_lines
        >>> synthesize(five_lines(), [0, 3, 6]).verify()
        True
        """
        if A is not None and A != self._arrangement:
            raise ArrangementError(
                f"A must be the network's arrangement (n={self._arrangement.n}, "
                f"d={self._arrangement.dim}); got another one (n={A.n}, d={A.dim})"
            )
        R = self._arrangement.regions()
        if len(self._labels) != len(R):
            raise ArrangementError(
                f"labels must have one entry per region ({len(R)}); got {len(self._labels)}"
            )
        got = self.predict(R.points)
        bad = np.flatnonzero(got != self._labels.astype(np.int64))
        if bad.size:
            r = int(bad[0])
            raise HyperarrError(
                f"network misclassifies region {r} (signs {R.signs[r].tolist()}, witness "
                f"{R.points[r].tolist()}): output {int(got[r])}, label {int(self._labels[r])}; "
                f"{bad.size} of {len(R)} regions are wrong"
            )
        return True

    # --------------------------------------------------------- serialization
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description; :meth:`from_dict` reads it back.

        The first layer is stored exactly (``"hyperplanes"``: rows
        ``w_1, ..., w_d, θ`` as strings ``"p"`` or ``"p/q"``) and as floats
        (``"layers"[0]``).

        Examples
        --------
        >>> import json
        >>> from hyperarr.library import five_lines
        >>> net = synthesize(five_lines(), [0, 3, 6])
        >>> back = ThresholdNetwork.from_dict(json.loads(json.dumps(net.to_dict())))
        >>> back.to_dict() == net.to_dict()
        True
        """
        return {
            "format": _FORMAT,
            "version": _VERSION,
            "method": self._method,
            "optimal": self._optimal,
            "form": self._form,
            "dim": self._arrangement.dim,
            "hyperplanes": [[str(v) for v in row] for row in self._arrangement.exact_rows],
            "layers": [{"weights": w.tolist(), "thresholds": t.tolist()} for w, t in self.layers],
            "labels": self._labels.astype(int).tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ThresholdNetwork":
        """Rebuild a network from :meth:`to_dict` output."""
        from hyperarr.arrangement import Arrangement

        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ArrangementError(f"data must be a dict with format {_FORMAT!r}")
        if data.get("version") != _VERSION:
            raise ArrangementError(f"version must be {_VERSION}; got {data.get('version')!r}")
        try:
            d = int(data["dim"])
            rows = [[Fraction(str(v)) for v in row] for row in data["hyperplanes"]]
            if any(len(r) != d + 1 for r in rows):
                raise ValueError(f"hyperplane rows must have d + 1 = {d + 1} entries")
            exact = np.array([[int(v) if v.denominator == 1 else v for v in r] for r in rows],
                             dtype=object).reshape(len(rows), d + 1)
            A = Arrangement(exact[:, :d], exact[:, d])
            layers = [(L["weights"], L["thresholds"]) for L in data["layers"]]
            labels = np.array(data["labels"], dtype=np.int64) != 0
            method, optimal, form = str(data["method"]), bool(data["optimal"]), str(data["form"])
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            raise ArrangementError(f"data is not a valid {_FORMAT}: {exc}") from None
        if not layers:
            raise ArrangementError("data is not a valid network: it has no layers")
        w0 = np.array(layers[0][0], dtype=np.float64).reshape(A.n, d)
        t0 = np.array(layers[0][1], dtype=np.float64).reshape(A.n)
        if not (np.array_equal(w0, A.normals) and np.array_equal(t0, A.offsets)):
            raise ArrangementError(
                "data layers[0] must be the float64 values of the exact hyperplanes"
            )
        return cls(A, layers[1:], labels, method=method, optimal=optimal, form=form)


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def synthesize(A: "Arrangement", positive: Any, method: str = "minimal",
               time_limit: float | None = None) -> ThresholdNetwork:
    """Build a threshold network that outputs 1 exactly on the given regions.

    Parameters
    ----------
    A : Arrangement
        The first layer (one unit per hyperplane).
    positive : array_like of bool, or iterable of int or str
        The class: a boolean mask over ``A.regions()``, region indices, or,
        in the plane, seed-sheet labels such as ``"A"`` (also as one string
        ``"A,D,G"``), resolved by ``hyperarr.plane.region_by_label``.
    method : {"minimal", "per-region", "threshold"}
        * ``"per-region"``: the sheet's construction (Exercise 3f): one AND
          unit per positive region, weights ±1 (+1 where the region's sign is
          +), threshold (number of + signs) − ½; output OR (weights 1,
          threshold ½).
        * ``"minimal"``: the fewest second-layer units among networks whose
          second layer is AND units over literals (first-layer outputs or
          their negations) and whose output is the OR of them, or the NOR of
          units covering the complement class, whichever is smaller.
        * ``"threshold"``: second-layer units may be any threshold function
          of the first-layer outputs.  Starting from the minimal network,
          groups of regions are merged greedily while the merged group is
          linearly separable from the other class; never more units than
          ``"minimal"``, but not proven smallest.
    time_limit : float, optional
        Seconds allowed for the exact set cover (both forms together) and,
        for ``"threshold"``, for the greedy merging.  When the limit stops
        the solver, the best cover found is used and ``optimal`` is False.

    Returns
    -------
    ThresholdNetwork
        Checked on every region's witness before it is returned.

    Raises
    ------
    ArrangementError
        For a mask of the wrong length, an index out of range, an unknown
        label or method, or a bad ``time_limit`` (a ``ValueError``).
    OutputTooLargeError
        If ``"minimal"`` would examine more than two million implicants.

    Notes
    -----
    ``"per-region"`` costs O(m·n).  ``"minimal"`` enumerates the implicants
    of both classes level by level (see the module docstring; their number
    is at most m·2^h, but usually far smaller) and solves two set covers
    exactly with HiGHS; a class that is a convex union (one halfspace, one
    region, ...) is recognized first and needs one unit.  ``"threshold"``
    solves O(k²) small linear programs for k minimal units.

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> A = five_lines()
    >>> per = synthesize(A, [0, 3, 6], method="per-region")
    >>> small = synthesize(A, [0, 3, 6])
    >>> per.hidden_sizes, small.hidden_sizes[1] <= 3, small.optimal
    ((5, 3), True, True)
    >>> synthesize(A, []).hidden_sizes          # the constant 0 network
    (5, 0)
    """
    from hyperarr.arrangement import Arrangement

    if not isinstance(A, Arrangement):
        raise ArrangementError(f"A must be an Arrangement; got {type(A).__name__}")
    if method not in METHODS:
        raise ArrangementError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    if time_limit is not None:
        if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float, np.integer, np.floating)) \
                or not time_limit > 0 or not math.isfinite(time_limit):
            raise ArrangementError(f"time_limit must be a positive number of seconds or None; got {time_limit!r}")
    R = A.regions()
    mask = positive_mask(A, positive, R)
    if method == "per-region":
        net = _per_region(A, R, mask)
    else:
        deadline = None if time_limit is None else time.monotonic() + float(time_limit)
        net = _minimal(A, R, mask, deadline)
        if method == "threshold":
            net = _threshold(A, R, mask, net, deadline)
    net.verify()
    return net


def positive_mask(A: "Arrangement", positive: Any, R: "Regions | None" = None) -> NDArray[np.bool_]:
    """The class as a boolean mask over ``A.regions()`` (see :func:`synthesize`).

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> positive_mask(five_lines(), [1, 2]).nonzero()[0].tolist()
    [1, 2]
    """
    if R is None:
        R = A.regions()
    m = len(R)
    if isinstance(positive, str):
        positive = [s.strip() for s in positive.split(",")]
    if isinstance(positive, np.ndarray):
        if positive.dtype.kind in "US":
            positive = positive.tolist()
    elif isinstance(positive, Iterable):
        positive = list(positive)
    if isinstance(positive, list) and positive and all(isinstance(p, str) for p in positive):
        positive = [_label_index(A, p, m) for p in positive]
    arr = np.asarray(positive)
    if arr.dtype == bool:
        if arr.shape != (m,):
            raise ArrangementError(
                f"positive mask must have shape ({m},), one entry per region; got {arr.shape}"
            )
        return arr.copy()
    if arr.size == 0:
        return np.zeros(m, dtype=bool)
    if arr.dtype.kind not in "iu" or arr.ndim > 1:
        raise ArrangementError(
            f"positive must be a boolean mask of shape ({m},), region indices or region "
            f"labels; got dtype {arr.dtype}, shape {arr.shape}"
        )
    idx = arr.reshape(-1)
    bad = idx[(idx < 0) | (idx >= m)]
    if bad.size:
        raise ArrangementError(f"positive region indices must be in [0, {m}); got {int(bad[0])}")
    out = np.zeros(m, dtype=bool)
    out[idx] = True
    return out


def _label_index(A: "Arrangement", label: str, m: int) -> int:
    """Region index of a seed-sheet label, through ``hyperarr.plane``."""
    if A.dim != 2:
        raise ArrangementError(
            f"positive region labels such as {label!r} need a plane arrangement (d = 2); "
            f"got d = {A.dim}; pass region indices"
        )
    try:
        plane: Any = importlib.import_module("hyperarr.plane")
    except ImportError:
        plane = None
    if not hasattr(plane, "region_by_label"):
        raise ArrangementError(
            f"positive region labels such as {label!r} need hyperarr.plane.region_by_label, "
            "which is not available; pass region indices"
        )
    try:
        idx = int(plane.region_by_label(A, label))
    except (KeyError, IndexError, ValueError) as exc:
        raise ArrangementError(f"positive label {label!r} names no region: {exc}") from None
    if not 0 <= idx < m:
        raise ArrangementError(f"positive label {label!r} gave region {idx}, not in [0, {m})")
    return idx


# --------------------------------------------------------------------------
# Constructions
# --------------------------------------------------------------------------


def _output(k: int, form: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if form == "or":
        return np.ones((1, k)), np.array([0.5])
    return -np.ones((1, k)), np.array([-0.5])


def _per_region(A: "Arrangement", R: "Regions", mask: NDArray[np.bool_]) -> ThresholdNetwork:
    S = R.signs[mask].astype(np.float64)
    t = (S > 0).sum(axis=1) - 0.5
    return ThresholdNetwork(A, [(S, t), _output(S.shape[0], "or")], mask,
                            method="per-region", optimal=False, form="or")


class _Cover:
    """A cover of one class by cubes: free/value bit words per chosen cube."""

    def __init__(self, free: NDArray[np.uint64], value: NDArray[np.uint64], optimal: bool,
                 bound: float) -> None:
        self.free = free
        self.value = value
        self.optimal = optimal
        self.bound = bound  # proven lower bound on the cover size

    def __len__(self) -> int:
        return self.free.shape[0]


def _distinct(A: "Arrangement", R: "Regions") -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Representative input of each distinct hyperplane, and the bits it fires on."""
    prep = _regions._prepare(A)
    h = len(prep.rows)
    rep = np.full(h, A.n, dtype=np.int64)
    np.minimum.at(rep, prep.column, np.arange(A.n, dtype=np.int64))
    return rep, R.signs[:, rep] > 0


def _minimal(A: "Arrangement", R: "Regions", mask: NDArray[np.bool_],
             deadline: float | None) -> ThresholdNetwork:
    rep, Y = _distinct(A, R)
    bits = _words(Y)
    h = Y.shape[1]
    covers = {}
    for form, cls in (("or", mask), ("nor", ~mask)):
        covers[form] = _min_cover(bits, cls, h, deadline)
    a, b = covers["or"], covers["nor"]
    form = "or" if len(a) <= len(b) else "nor"
    best, other = (a, b) if form == "or" else (b, a)
    optimal = best.optimal and len(best) <= math.ceil(other.bound - 1e-6)
    W, t = _and_units(best, rep, Y.shape[1], A.n)
    return ThresholdNetwork(A, [(W, t), _output(len(best), form)], mask,
                            method="minimal", optimal=optimal, form=form)


def _and_units(cover: _Cover, rep: NDArray[np.int64], h: int,
               n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """AND units over the fixed literals of each cube (on representative inputs)."""
    free = _unwords(cover.free, h)
    value = _unwords(cover.value, h)
    lit = np.where(value, 1.0, -1.0) * ~free  # +1 positive literal, −1 negated, 0 unused
    W = np.zeros((len(cover), n))
    W[:, rep] = lit
    return W, (lit > 0).sum(axis=1) - 0.5


# ----------------------------- bit words ---------------------------------


def _words(Z: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """Pack boolean rows into uint64 words: bit u%64 of word u//64."""
    m, h = Z.shape
    W = max(1, -(-h // 64))
    out = np.zeros((m, W), dtype=np.uint64)
    for w in range(W):
        block = Z[:, 64 * w : 64 * w + 64].astype(np.uint64)
        shifts = np.arange(block.shape[1], dtype=np.uint64)
        out[:, w] = np.bitwise_or.reduce(block << shifts, axis=1) if block.shape[1] else 0
    return out


def _unwords(words: NDArray[np.uint64], h: int) -> NDArray[np.bool_]:
    u = np.arange(h)
    return ((words[:, u // 64] >> (u % 64).astype(np.uint64)) & np.uint64(1)).astype(bool)


def _void(*cols: NDArray[Any]) -> NDArray[np.void]:
    """Rows of the given uint64 arrays (each (c,) or (c, W)) as sortable byte keys."""
    parts = [c.reshape(c.shape[0], -1) for c in cols]
    arr = np.ascontiguousarray(np.concatenate(parts, axis=1).astype(">u8"))
    return arr.view(np.dtype((np.void, arr.shape[1] * 8))).reshape(arr.shape[0])


def _covers(free: NDArray[np.uint64], value: NDArray[np.uint64],
            pts: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """cov[c, r]: point r agrees with cube c on every fixed coordinate."""
    out = np.empty((free.shape[0], pts.shape[0]), dtype=bool)
    step = max(1, _BATCH // max(1, pts.shape[0] * pts.shape[1]))
    for a in range(0, free.shape[0], step):
        f, v = free[a : a + step, None, :], value[a : a + step, None, :]
        out[a : a + step] = ((pts[None, :, :] & ~f) == v).all(axis=2)
    return out


# ----------------------------- prime implicants ---------------------------


def _primes(bits: NDArray[np.uint64], cls: NDArray[np.bool_],
            h: int) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """All prime implicants (free, value words) of the class among realized regions."""
    others = bits[~cls]
    W = bits.shape[1]
    free = np.zeros((int(cls.sum()), W), dtype=np.uint64)
    value = bits[cls].copy()
    out_f, out_v = [], []
    total = free.shape[0]
    unit = [(u // 64, np.uint64(1) << np.uint64(u % 64)) for u in range(h)]
    while free.shape[0]:
        parents, cf, cv = [], [], []
        for w, bit in unit:
            sel = np.flatnonzero((free[:, w] & bit) == 0)
            if sel.size == 0:
                continue
            f = free[sel].copy()
            f[:, w] |= bit
            v = value[sel].copy()
            v[:, w] &= ~bit
            parents.append(sel)
            cf.append(f)
            cv.append(v)
        is_prime = np.ones(free.shape[0], dtype=bool)
        if cf:
            par = np.concatenate(parents)
            cf_all, cv_all = np.concatenate(cf), np.concatenate(cv)
            keys = _void(cf_all, cv_all)
            _, first, inv = np.unique(keys, return_index=True, return_inverse=True)
            uf, uv = cf_all[first], cv_all[first]
            ok = ~_meets(uf, uv, others)
            is_prime[par[ok[inv.reshape(-1)]]] = False
            nf, nv = uf[ok], uv[ok]
        else:
            nf = nv = np.zeros((0, W), dtype=np.uint64)
        out_f.append(free[is_prime])
        out_v.append(value[is_prime])
        free, value = nf, nv
        total += free.shape[0]
        if total > _MAX_IMPLICANTS:
            raise OutputTooLargeError(
                f"method='minimal' would examine more than {_MAX_IMPLICANTS} implicants for "
                f"{bits.shape[0]} regions and {h} hyperplanes; use method='per-region'"
            )
    return np.concatenate(out_f), np.concatenate(out_v)


def _meets(free: NDArray[np.uint64], value: NDArray[np.uint64],
           pts: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """For each cube, whether some point of ``pts`` agrees with it (exact).

    Cubes are grouped by free set F; the points masked by F are looked up by
    sorted keys (F's group id, masked point), in batches bounded in memory.
    """
    c = free.shape[0]
    out = np.zeros(c, dtype=bool)
    if c == 0 or pts.shape[0] == 0:
        return out
    _, gfirst, group = np.unique(_void(free), return_index=True, return_inverse=True)
    group = group.reshape(-1).astype(np.uint64)
    fg = free[gfirst]
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(fg.shape[0] + 1, dtype=np.uint64))
    step = max(1, _BATCH // max(1, pts.shape[0] * pts.shape[1]))
    for a in range(0, fg.shape[0], step):
        b = min(a + step, fg.shape[0])
        masked = pts[None, :, :] & ~fg[a:b, None, :]
        gid = np.broadcast_to(np.arange(a, b, dtype=np.uint64)[:, None], masked.shape[:2])
        table = np.unique(_void(gid.reshape(-1), masked.reshape(-1, pts.shape[1])))
        rows = order[starts[a] : starts[b]]
        probe = _void(group[rows], value[rows])
        pos = np.searchsorted(table, probe)
        pos[pos == table.size] = 0
        out[rows] = table[pos] == probe
    return out


# ----------------------------- set cover -----------------------------------


def _min_cover(bits: NDArray[np.uint64], cls: NDArray[np.bool_], h: int,
               deadline: float | None) -> _Cover:
    W = bits.shape[1]
    none = np.zeros((0, W), dtype=np.uint64)
    if not cls.any():
        return _Cover(none, none, True, 0.0)
    # The smallest cube holding the class: fix the coordinates where all agree.
    mine = bits[cls]
    agree = ~np.bitwise_or.reduce(mine ^ mine[:1], axis=0)
    cube_free, cube_value = ~agree[None, :] & _full(h, W), mine[:1] & agree[None, :]
    if not _meets(cube_free, cube_value, bits[~cls])[0]:
        return _Cover(cube_free, cube_value, True, 1.0)
    pf, pv = _primes(bits, cls, h)
    cov = _covers(pf, pv, mine)  # (primes, class regions)
    # Primes covering the same class regions are interchangeable: keep one.
    _, keep = np.unique(np.packbits(cov, axis=1), axis=0, return_index=True)
    keep.sort()
    pf, pv, cov = pf[keep], pv[keep], cov[keep]
    chosen, optimal, bound = _solve_cover(cov, deadline)
    return _Cover(pf[chosen], pv[chosen], optimal, bound)


def _full(h: int, W: int) -> NDArray[np.uint64]:
    out = np.zeros((1, W), dtype=np.uint64)
    for u in range(h):
        out[0, u // 64] |= np.uint64(1) << np.uint64(u % 64)
    return out


def _solve_cover(cov: NDArray[np.bool_], deadline: float | None) -> tuple[NDArray[np.intp], bool, float]:
    """Minimum set cover of the columns of ``cov.T`` by its rows (0/1 program, HiGHS)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    p, r = cov.shape
    greedy = _greedy_cover(cov)
    options: dict[str, Any] = {"disp": False}
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            return greedy, False, 1.0
        options["time_limit"] = left
    rows, cols = np.nonzero(cov.T)
    A = csr_array((np.ones(rows.size), (rows, cols)), shape=(r, p))
    res = milp(np.ones(p), constraints=LinearConstraint(A, lb=1, ub=np.inf),
               integrality=np.ones(p), bounds=Bounds(0, 1), options=options)
    if res.x is None:
        return greedy, False, 1.0
    chosen = np.flatnonzero(res.x > 0.5)
    if not cov[chosen].any(axis=0).all():  # pragma: no cover - solver returned a non-cover
        return greedy, False, 1.0
    if chosen.size > greedy.size:
        chosen = greedy
    bound = float(getattr(res, "mip_dual_bound", 1.0) or 1.0)
    if res.status == 0:
        return chosen, True, float(chosen.size)
    return chosen, False, max(1.0, bound)


def _greedy_cover(cov: NDArray[np.bool_]) -> NDArray[np.intp]:
    left = np.ones(cov.shape[1], dtype=bool)
    chosen = []
    while left.any():
        gain = (cov & left[None, :]).sum(axis=1)
        k = int(np.argmax(gain))
        chosen.append(k)
        left &= ~cov[k]
    return np.array(chosen, dtype=np.intp)


# ----------------------------- threshold units -----------------------------


def _threshold(A: "Arrangement", R: "Regions", mask: NDArray[np.bool_], start: ThresholdNetwork,
               deadline: float | None) -> ThresholdNetwork:
    """Greedily merge the minimal network's groups while they stay linearly separable."""
    rep, Y = _distinct(A, R)
    form = start.form
    cls = mask if form == "or" else ~mask
    W0, t0 = start._layers[0]
    k = W0.shape[0]
    if k <= 1:
        return ThresholdNetwork(A, list(start._layers), mask, method="threshold",
                                optimal=True, form=form)
    Yf = Y.astype(np.int64)
    # Group j: the class regions where unit j fires (the AND units use the
    # representative inputs only, so they read Y directly).
    wr = W0[:, rep].astype(np.int64)
    scores = Yf @ wr.T
    fires = (scores - t0[None, :]) > 0  # exact: integers against half-integers
    groups = [fires[:, j] & cls for j in range(k)]
    units: list[tuple[NDArray[np.int64], float]] = [(wr[j], float(t0[j])) for j in range(k)]
    a = 0
    while a < len(groups):
        b = a + 1
        while b < len(groups):
            if deadline is not None and time.monotonic() > deadline:
                break
            merged = groups[a] | groups[b]
            unit = _separate(Yf, merged, ~cls)
            if unit is not None:
                groups[a] = merged
                units[a] = unit
                del groups[b], units[b]
            else:
                b += 1
        a += 1
    Wn = np.zeros((len(units), A.n))
    Wn[:, rep] = np.array([w for w, _ in units], dtype=np.float64)
    tn = np.array([t for _, t in units], dtype=np.float64)
    optimal = len(units) <= 1
    return ThresholdNetwork(A, [(Wn, tn), _output(len(units), form)], mask,
                            method="threshold", optimal=optimal, form=form)


def _separate(Y: NDArray[np.int64], pos: NDArray[np.bool_],
              neg: NDArray[np.bool_]) -> tuple[NDArray[np.int64], float] | None:
    """Integer weights w and a half-integer θ with w·y > θ on ``pos``, < θ on ``neg``.

    A linear program maximizes the margin; its weights are then rounded to
    integers at growing scales and the separation is checked exactly on
    every binary vector, so the answer never rests on the LP's tolerance.
    Returns None when no separating unit was found.
    """
    from scipy.optimize import linprog

    P, N = Y[pos], Y[neg]
    h = Y.shape[1]
    if N.shape[0] == 0:
        return np.zeros(h, dtype=np.int64), -0.5
    # Variables (w_1..w_h, t, δ); maximize δ.
    A_ub = np.vstack([
        np.hstack([-P, np.ones((P.shape[0], 1)), np.ones((P.shape[0], 1))]),
        np.hstack([N, -np.ones((N.shape[0], 1)), np.ones((N.shape[0], 1))]),
    ]).astype(np.float64)
    c = np.zeros(h + 2)
    c[-1] = -1.0
    bounds = [(-1.0, 1.0)] * h + [(-h - 1.0, h + 1.0), (0.0, 1.0)]
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(A_ub.shape[0]), bounds=bounds, method="highs")
    if res.status != 0 or res.x is None or not res.x[-1] > _LP_MARGIN:
        return None
    w = res.x[:h] / res.x[-1]
    for scale in (1, 2, 3, 4, 6, 8, 12, 16, 32, 64, 128, 1024, 1 << 16):
        wi = np.rint(w * scale).astype(np.int64)
        lo = int((P @ wi).min())
        hi = int((N @ wi).max())
        if lo > hi:
            return wi, (lo + hi) / 2.0
    return None
