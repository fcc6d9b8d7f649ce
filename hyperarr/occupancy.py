"""Which regions data occupies, and the generalization table built on it.

A point x falls in the region whose sign vector is ``A.signs(x)``, decided
exactly: the signs are computed in floats together with a proven error
bound, and the few entries the bound cannot settle (points on or within
rounding of a hyperplane) are recomputed exactly with integers and
fractions.  A point with a zero sign lies *on* a hyperplane, in no region;
it is reported apart.

The generalization table of the course sheet's item 3i: how many regions
the first layer has (exactly), how many of them the training points occupy,
and how many test points land in a region that no training point occupies,
where a unit that answers for single regions has learnt nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import _exact, _keys
from hyperarr._binomial import region_count
from hyperarr.arrangement import checked
from hyperarr.characteristic import n_regions
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement

__all__ = ["Generalization", "Occupancy", "generalization", "occupancy"]


@dataclass(frozen=True, eq=False)
class Occupancy:
    """The regions that a point set occupies, with their counts.

    Attributes
    ----------
    signs : ndarray of int8, shape (k, n)
        The sign vectors (entries ±1) of the k occupied regions, in the
        order of their keys (deterministic).
    counts : ndarray of int64, shape (k,)
        How many points fall in each occupied region.
    region : ndarray of int64, shape (m,)
        For each point, its row in ``signs``; −1 for a point on a hyperplane.
    on_hyperplane : ndarray of bool, shape (m,)
        True for the points with a zero sign (on at least one hyperplane),
        which lie in no region.
    """

    signs: NDArray[np.int8]
    counts: NDArray[np.int64]
    region: NDArray[np.int64]
    on_hyperplane: NDArray[np.bool_]

    @property
    def n_occupied(self) -> int:
        """The number of distinct regions holding at least one point."""
        return int(self.counts.shape[0])

    @property
    def n_points(self) -> int:
        """The number of points given."""
        return int(self.region.shape[0])

    def __repr__(self) -> str:
        return (f"Occupancy(points={self.n_points}, occupied={self.n_occupied}, "
                f"on_hyperplane={int(self.on_hyperplane.sum())})")

    def contains(self, signs: ArrayLike) -> NDArray[np.bool_]:
        """Whether each sign vector of a (..., n) array is one of the occupied regions.

        Rows with a zero sign (a point on a hyperplane) are never occupied.
        """
        s = np.asarray(signs, dtype=np.int8)
        lead = s.shape[:-1]
        flat = s.reshape(-1, self.signs.shape[1])
        out = np.zeros(flat.shape[0], dtype=bool)
        ok = (flat != 0).all(axis=1)
        if ok.any():
            out[ok] = _keys.member(_keys.pack(flat[ok]), self._sorted_keys)
        return out.reshape(lead)

    @property
    def _sorted_keys(self) -> NDArray[Any]:
        return _keys.pack(self.signs)  # built sorted by ``occupancy``


def occupancy(A: Arrangement, X: ArrayLike) -> Occupancy:
    """The regions of ``A`` that the points of ``X`` fall in, with their counts.

    Parameters
    ----------
    A : Arrangement
    X : array_like, shape (m, d)
        Points; floats are taken as the binary rationals they store, and an
        object array of ints and Fractions is evaluated exactly too.

    Returns
    -------
    Occupancy
        The occupied regions (sign vectors and counts), the region of each
        point, and which points lie on a hyperplane (reported apart).

    Notes
    -----
    O(m·n·d) for the float filter (one matrix product, and a proven error
    bound from the points' 1-norms and the rows' largest entries), then a
    sort of the m packed sign keys; only the points with an entry within
    the bound of zero are decided exactly.  For 10^6 points, 32 hyperplanes
    and d = 64 this takes about a second on two cores.

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.Arrangement([[1, 0], [0, 1]], [0, 0])
    >>> occ = occupancy(A, [[1, 1], [2, 3], [-1, 1], [0, 5]])
    >>> occ.signs.tolist(), occ.counts.tolist()
    ([[-1, 1], [1, 1]], [1, 2])
    >>> occ.region.tolist(), occ.on_hyperplane.tolist()
    ([1, 1, 0, -1], [False, False, False, True])
    """
    A = checked(A)
    if type(X) is np.ndarray and X.dtype == np.float64 and X.ndim == 2 and X.shape[1] == A.dim:
        pts = X  # already what A.signs takes: no copy of a large array (_signs checks finiteness)
    else:
        pts = A._points("X", X)
    if pts.ndim != 2:
        raise ArrangementError(f"X must have shape (m, {A.dim}); got {pts.shape}")
    S = _signs(A, pts)
    on = (S == 0).any(axis=1)
    region = np.full(S.shape[0], -1, dtype=np.int64)
    inside = np.flatnonzero(~on)
    keys = _keys.pack(S[inside]) if inside.size else np.zeros(0, dtype=np.uint64)
    uniq, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True,
                                             return_counts=True)
    region[inside] = inverse.reshape(-1)
    signs = np.ascontiguousarray(S[inside[first]]).reshape(uniq.shape[0], A.n)
    for a in (signs, counts, region, on):
        a.setflags(write=False)
    return Occupancy(signs, counts.astype(np.int64), region, on)


@dataclass(frozen=True)
class Generalization:
    r"""One row of the generalization table (the course sheet's item 3i, on data).

    Attributes
    ----------
    n, d : int
        Units of the layer and input dimension.
    regions : int
        The exact number of regions of the layer: $\sum_{k \le d} \binom{n}{k}$ when the
        layer is in general position (decided exactly), else ``A.n_regions()``.
    n_to_the_d : int
        The estimate $n^d$ from class.
    occupied : int
        Regions holding at least one training point.
    train_points, test_points : int
        Points given.
    test_unseen : int
        Test points in a region that no training point occupies.
    test_on_hyperplane : int
        Test points on a hyperplane (in no region; counted apart, not as unseen).
    """

    n: int
    d: int
    regions: int
    n_to_the_d: int
    occupied: int
    train_points: int
    test_points: int
    test_unseen: int
    test_on_hyperplane: int

    @property
    def unseen_fraction(self) -> float:
        """``test_unseen / test_points`` (0.0 without test points)."""
        return self.test_unseen / self.test_points if self.test_points else 0.0


#: Points per block of the float filter (its temporaries stay near 64 MB for n = 32).
_BLOCK = 2**18


def _signs(A: Arrangement, X: NDArray[Any]) -> NDArray[np.int8]:
    """``A.signs(X)`` for many points: one matrix product and a cheap proven bound.

    The float value ``v = X @ a.T − b`` differs from the exact one by less than
    ``(d + 2) · 2^-52 · (Σ_j |x_j| · max |a| + max |b|)`` (plus an underflow
    term), bounded once per block with Σ_j |x_j| ≤ d · max |x|: the
    product's rounding is at most
    γ_d Σ_j |x_j a_ij|, the rows' own rounding to float64 and the subtraction
    add 2u more, and the bound is computed with room to spare for its own
    rounding.  Points with an entry the bound cannot sign (on or within
    rounding of a hyperplane, or not finite) are decided exactly by
    ``hyperarr._exact.affine_signs``.
    """
    if X.dtype == object or X.shape[0] == 0 or A.n == 0:
        return A.signs(X)
    F = A._float_rows
    a = np.ascontiguousarray(F[:, :-1])
    b = F[:, -1]
    amax = float(np.abs(a).max())
    bmax = float(np.abs(b).max())
    scale = (A.dim + 2) * 2.0**-52
    out = np.empty((X.shape[0], A.n), dtype=np.int8)
    for start in range(0, X.shape[0], _BLOCK):
        x = X[start : start + _BLOCK]
        with np.errstate(over="ignore", invalid="ignore"):
            # Σ_j |x_j| ≤ d · max |x| over the block: one bound for the block, from two
            # reductions without temporaries (NaN and inf make it non-finite).
            big = A.dim * max(float(x.max()), -float(x.min()))
            if not np.isfinite(big) and not np.isfinite(x).all():
                raise ArrangementError("X must be finite; got a NaN or inf entry")
            v = x @ a.T
            v -= b
            bound = (big * amax + bmax) * scale + 2.0**-1000 * (big + 1.0)
            pos = v > bound
            neg = v < -bound
        blk = pos.view(np.int8) - neg.view(np.int8)
        rows = np.flatnonzero(~(pos | neg).all(axis=1))
        if rows.size:
            blk[rows] = _exact.affine_signs(F, A.exact_rows, x[rows])
        out[start : start + _BLOCK] = blk
    return out


def _region_count(A: Arrangement) -> int:
    """The exact number of regions: Σ_{k≤d} C(n, k) when general position is proved
    (exactly, by ``A.is_generic()``; for n ≤ d it is the rank, and the count is 2^n),
    else Zaslavsky's count from the characteristic polynomial."""
    try:
        generic = A.is_generic()
    except OutputTooLargeError:
        generic = False
    return region_count(A.n, A.dim) if generic else n_regions(A)


def generalization(A: Arrangement, X_train: ArrayLike, X_test: ArrayLike) -> Generalization:
    r"""The generalization table's row for one layer: regions, occupied, unseen test points.

    Parameters
    ----------
    A : Arrangement
        A layer, e.g. ``hyperarr.interop.from_sklearn(mlp)``.
    X_train, X_test : array_like, shape (m, d)

    Returns
    -------
    Generalization
        The exact number of regions ($\sum_{k \le d} \binom{n}{k}$ in general position,
        decided exactly; otherwise ``A.n_regions()``), $n^d$, the regions the training points
        occupy, and the test points that fall in regions no training point
        occupies (points on a hyperplane are counted apart).

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.Arrangement([[1, 0], [0, 1]], [0, 0])
    >>> row = generalization(A, [[1, 1], [2, 1]], [[3, 3], [-1, 2], [0, 1]])
    >>> row.regions, row.occupied, row.test_unseen, row.test_on_hyperplane
    (4, 1, 1, 1)
    """
    A = checked(A)
    train = occupancy(A, X_train)
    test = occupancy(A, X_test)
    seen = train.contains(test.signs)
    unseen = int(test.counts[~seen].sum())
    return Generalization(
        n=A.n, d=A.dim, regions=_region_count(A), n_to_the_d=A.n ** A.dim,
        occupied=train.n_occupied, train_points=train.n_points, test_points=test.n_points,
        test_unseen=unseen, test_on_hyperplane=int(test.on_hyperplane.sum()),
    )
