r"""Threshold networks that classify the regions of an arrangement.

The course sheet's Exercise 3f builds a network with two hidden layers for a
union of regions: the first layer holds one neuron per hyperplane, the second
one AND neuron per region of the class, and the output neuron is an OR.
[`synthesize`][hyperarr.synthesis.synthesize] builds that network
(``method="per-region"``), the smallest network of the same AND/OR shape
(``method="minimal"``), and a greedy improvement with general threshold units
(``method="threshold"``).  The networks are
[`ThresholdNetwork`][hyperarr.network.ThresholdNetwork]s (also importable
from here).

Every unit computes $a = w \cdot x - \theta$ and fires iff $a > 0$ (strictly),
as the step neuron $g(a) = \frac12(1 + \operatorname{sgn} a)$ of the sheet
does away from $a = 0$.  The first layer evaluates its hyperplanes with
hyperarr's exact filtered predicate (as
[`Arrangement.signs`][hyperarr.arrangement.Arrangement.signs] does); later
layers only add $\pm 1$ and small integer weights and compare with
half-integers, which float64 does exactly.  So ``predict`` on a region's
witness point never depends on rounding, and
[`synthesize`][hyperarr.synthesis.synthesize] checks every region before it
returns.

The minimal AND/OR network
--------------------------
Over the $h$ distinct hyperplanes, each region has a sign vector in
$\{-1, +1\}^h$.  A second-layer AND unit over a set of literals (a
first-layer output or its negation) fires exactly on the regions agreeing
with a *partial* sign vector $p \in \{-1, 0, +1\}^h$ (0: the hyperplane is not
used): the regions inside the polyhedron cut out by the fixed halfspaces, a
convex union of regions.  Sign vectors that no region realizes are
don't-cares.  A partial vector is an *implicant* of a class if it covers at
least one region and only regions of the class; the maximal ones are the
*prime* implicants, and a smallest OR network is a smallest set of primes
covering the class: a set-cover problem, solved to optimality as a 0/1
program with `scipy.optimize.milp`.  The NOR form covers the complement class
instead; the smaller of the two is returned.

Primes are found level by level: level $k$ holds the implicants with $k$ free
coordinates, and level $k + 1$ is obtained by freeing one more coordinate of
a level-$k$ implicant and keeping the result if it still covers only class
regions.  This reaches every implicant: an implicant $r$ with $k + 1$ free
coordinates covers some region $x$ of the class, and fixing any one free
coordinate of $r$ to $x$'s sign gives an implicant at level $k$ (it covers
$x$, and only regions $r$ covers).  The level-1 step from a region across
hyperplane $u$ merges the two regions of an adjacency-graph edge when the
neighbour exists, and otherwise frees $u$ for nothing (the neighbour is a
don't-care); pair merging alone, as in Quine–McCluskey without don't-care
minterms, would miss the primes that need those.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hyperarr import _keys
from hyperarr._cover import Cover, min_cover
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError
from hyperarr.labels import region_by_label
from hyperarr.network import ThresholdNetwork
from hyperarr.regions import Regions

__all__ = ["ThresholdNetwork", "synthesize", "positive_mask", "METHODS"]

METHODS = ("minimal", "per-region", "threshold")
"""The construction methods of [`synthesize`][hyperarr.synthesis.synthesize]."""

#: A linear program counts as strictly separating above this margin; the unit
#: is then rebuilt with integer weights and checked exactly.
_LP_MARGIN = 1e-7


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def synthesize(A: "Arrangement", positive: Any, method: str = "minimal",
               time_limit: float | None = None) -> ThresholdNetwork:
    r"""Build a threshold network that outputs 1 exactly on the given regions.

    Parameters
    ----------
    A : Arrangement
        The first layer (one unit per hyperplane).
    positive : array_like of bool, or iterable of int or str
        The class: a boolean mask over ``A.regions()``, region indices, or,
        in the plane, the course sheet's region labels such as ``"A"`` (also
        as one string ``"A,D,G"``), resolved by
        [`region_by_label`][hyperarr.labels.region_by_label].
    method : {"minimal", "per-region", "threshold"}
        * ``"per-region"``: the sheet's construction (Exercise 3f): one AND
          unit per positive region, weights $\pm 1$ (+1 where the region's
          sign is +), threshold (number of + signs) $- \frac12$; output OR
          (weights 1, threshold $\frac12$).
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
        Seconds allowed for solving the set-cover problems (both forms
        together) and, for ``"threshold"``, for the greedy merging.  When the limit stops
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
    ``"per-region"`` costs $O(m n)$ for $m$ regions and $n$ hyperplanes.
    ``"minimal"`` enumerates the implicants of both classes level by level
    (see [the module docstring][hyperarr.synthesis]; their number is at most
    $m \cdot 2^h$, but usually far smaller) and solves two set-cover problems
    to optimality with HiGHS; a class that is a convex union (one halfspace,
    one region, ...) is recognized first and needs one unit.  ``"threshold"``
    solves $O(k^2)$ small linear programs for $k$ minimal units.

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
    """The class as a boolean mask over ``A.regions()`` (see [`synthesize`][hyperarr.synthesis.synthesize]).

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
    """Region index of a course-sheet label, through ``hyperarr.labels``."""
    if A.dim != 2:
        raise ArrangementError(
            f"positive region labels such as {label!r} need a plane arrangement (d = 2); "
            f"got d = {A.dim}; pass region indices"
        )
    try:
        idx = int(region_by_label(A, label))
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


def _distinct(A: "Arrangement", R: "Regions") -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Representative input of each distinct hyperplane, and the bits it fires on."""
    rep = A._prepared.rep
    return rep, R.signs[:, rep] > 0


def _minimal(A: "Arrangement", R: "Regions", mask: NDArray[np.bool_],
             deadline: float | None) -> ThresholdNetwork:
    rep, Y = _distinct(A, R)
    bits = _keys.words(Y)
    h = Y.shape[1]
    covers = {}
    for form, cls in (("or", mask), ("nor", ~mask)):
        covers[form] = min_cover(bits, cls, h, deadline)
    a, b = covers["or"], covers["nor"]
    form = "or" if len(a) <= len(b) else "nor"
    best, other = (a, b) if form == "or" else (b, a)
    optimal = best.optimal and len(best) <= math.ceil(other.bound - 1e-6)
    W, t = _and_units(best, rep, Y.shape[1], A.n)
    return ThresholdNetwork(A, [(W, t), _output(len(best), form)], mask,
                            method="minimal", optimal=optimal, form=form)


def _and_units(cover: Cover, rep: NDArray[np.int64], h: int,
               n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """AND units over the fixed literals of each cube (on representative inputs)."""
    free = _keys.unwords(cover.free, h)
    value = _keys.unwords(cover.value, h)
    lit = np.where(value, 1.0, -1.0) * ~free  # +1 positive literal, −1 negated, 0 unused
    W = np.zeros((len(cover), n))
    W[:, rep] = lit
    return W, (lit > 0).sum(axis=1) - 0.5


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
