"""Exact boundedness of the regions of any arrangement (private kernel).

The region R = {x : s_i (a_i·x − b_i) > 0} has the recession cone
C = {u : s_i a_i·u ≥ 0 for all i}.  When the normals span R^d, C is pointed,
so R is bounded iff C has no extreme ray; an extreme ray lies on a line
(a one-dimensional flat) of the central arrangement of the normals
{a_i·u = 0}, and the sign vector of a direction along such a line is the
orientation ``tsign`` of that flat of the lattice (or its negative).  So R
is bounded iff, for each of those ray sign vectors ρ, some i has ρ_i = −s_i
(`Bounded.rays`): no float, no region of any other arrangement.

Where the regions times the rays would be too many to compare, the older
test is used instead.  A region is unbounded iff it meets one of the
hyperplanes ``x_j = ±M``,
where M exceeds every vertex coordinate: a vertex coordinate is a ratio of
integer determinants with a nonzero denominator, so Hadamard's bound on
the rows gives such an M.  The regions meeting ``x_j = ±M`` are those of the
restricted arrangement, one dimension down, whose sign vectors need no
witnesses.  Central and non-essential arrangements have no bounded region.

"Bounded" here means compact in R^d.  Zaslavsky's count of *relatively*
bounded regions (as Sage counts them) is a different number for
non-essential arrangements.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact, _keys
from hyperarr._lattice import Lattice, levels
from hyperarr._lift import flat_regions
from hyperarr.exceptions import OutputTooLargeError

__all__ = ["Bounded", "bounded", "relatively_bounded", "conformal_ray", "ray_words"]


class Bounded:
    """Which regions (sign vectors S over the distinct ``rows``) are compact in R^d.

    The keys of the regions meeting some ``x_j = ±M`` are found once, so that
    the regions can be asked about in chunks.  ``central`` says whether all
    hyperplanes share a point (then, as for a non-essential arrangement,
    every region is unbounded).
    """

    #: Most (regions × rays) compared at once, and in all per call, before the older test is used.
    BLOCK = 2**22
    MAX_PAIRS = 2**31

    def __init__(self, rows: Sequence[Sequence[int]], d: int, central: bool) -> None:
        self.flip: NDArray[np.int8] | None = None
        self.rows, self.d = rows, d
        self.none = not rows or _exact.rank_exact(r[:-1] for r in rows) < d or central
        self._unbounded: NDArray[Any] | None = None
        self.rays: NDArray[np.int8] | None = np.zeros((0, len(rows)), dtype=np.int8)
        if not self.none:
            try:
                self.rays = _ray_signs(rows, d)
            except OutputTooLargeError:  # too many lines to hold: the older test decides
                self.rays = None

    @property
    def unbounded(self) -> NDArray[Any]:
        """Sorted keys of the regions meeting some ``x_j = ±M`` (the older test, built on demand)."""
        if self._unbounded is None and (not self.rows or not self.d):
            self._unbounded = np.zeros(0, dtype=np.uint64)  # a point: the one region meets nothing
        if self._unbounded is None:
            # Every vertex coordinate is a ratio of integer determinants with a
            # nonzero denominator, so its size is below Hadamard's bound.
            rows, d = self.rows, self.d
            norms = sorted((math.isqrt(sum(v * v for v in r)) + 1 for r in rows), reverse=True)
            big = math.prod(norms[:d]) + 1
            self._unbounded = np.unique(np.concatenate(
                [_keys.pack(_restricted_signs(rows, d, j, side * big)) for j in range(d) for side in (1, -1)]))
        return self._unbounded

    @classmethod
    def relative(cls, rows: Sequence[Sequence[int]], d: int, central: bool) -> "Bounded":
        """Which regions are bounded modulo the lineality space L of the normals.

        The coordinate subspace W on the pivot columns P of the normals is a
        complement of L, and the regions of A are those of A ∩ W with the
        same sign vectors (each hyperplane contains L; the map to W is
        injective on them).  A region is relatively bounded iff its trace on
        W is bounded.
        """
        if not rows:  # R^d modulo itself is a point: the one region is relatively bounded
            obj = cls([], 0, False)
            obj.none = False
            return obj
        pivots = _pivot_columns([r[:-1] for r in rows], d)
        restricted = []
        flip = np.empty(len(rows), dtype=np.int8)
        for u, r in enumerate(rows):
            canon, s = _exact.canonical_row(_exact.integer_row([r[c] for c in pivots] + [r[d]]))
            restricted.append(canon)
            flip[u] = s
        obj = cls(restricted, len(pivots), central)
        obj.flip = flip
        return obj

    def __call__(self, S: NDArray[np.int8]) -> NDArray[np.bool_]:
        """The flags of the regions with sign vectors S."""
        if self.none:
            return np.zeros(S.shape[0], dtype=bool)
        if self.flip is not None:
            S = S * self.flip[None, :]
        m = S.shape[0]
        if self.rays is None or m * self.rays.shape[0] > self.MAX_PAIRS:  # too many pairs to compare
            return ~_keys.member(_keys.pack(S), self.unbounded)
        return ~conformal_ray(ray_words(self.rays), S)


def bounded(rows: Sequence[Sequence[int]], d: int, S: NDArray[np.int8], central: bool) -> NDArray[np.bool_]:
    """Which regions (sign vectors S over the distinct ``rows``) are compact in R^d (see `Bounded`)."""
    return Bounded(rows, d, central)(S)


def relatively_bounded(rows: Sequence[Sequence[int]], d: int, S: NDArray[np.int8],
                       central: bool) -> NDArray[np.bool_]:
    """Which regions are bounded modulo the lineality space of the normals (see `Bounded.relative`)."""
    return Bounded.relative(rows, d, central)(S)


def ray_words(T: NDArray[np.int8]) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """Ray sign vectors as the bit words of their + and − entries (for `conformal_ray`)."""
    return _keys.words(T > 0), _keys.words(T < 0)


def conformal_ray(rays: tuple[NDArray[np.uint64], NDArray[np.uint64]], S: NDArray[np.int8]) -> NDArray[np.bool_]:
    """For each sign vector σ of S: does some ray τ (as `ray_words`) conform to it,
    τ_i ∈ {0, σ_i} for every i?  (A face is unbounded iff one does.)"""
    Tp, Tn = rays
    Sp, Sn = _keys.words(S > 0), _keys.words(S < 0)
    m = S.shape[0]
    out = np.zeros(m, dtype=bool)
    step = max(1, Bounded.BLOCK // max(1, Tp.shape[0] * Tp.shape[1]))
    for lo in range(0, m, step):
        sp, sn = Sp[lo : lo + step, None, :], Sn[lo : lo + step, None, :]
        clash = ((Tp[None] & ~sp) | (Tn[None] & ~sn)).any(axis=2)  # (block, rays)
        out[lo : lo + step] = ~np.asarray(clash).all(axis=1)
    return out


def _ray_signs(rows: Sequence[Sequence[int]], d: int) -> NDArray[np.int8]:
    """The sign vectors (over ``rows``) of both directions along every line of the
    central arrangement of the normals, which span R^d."""
    index: dict[tuple[int, ...], int] = {}
    col = np.empty(len(rows), dtype=np.intp)
    orient = np.empty(len(rows), dtype=np.int8)
    for u, r in enumerate(rows):
        canon, sgn = _exact.canonical_row(_exact.integer_row(list(r[:d]) + [0]))
        col[u] = index.setdefault(canon, len(index))
        orient[u] = sgn
    if d == 1:  # the line is R itself: u > 0 and u < 0
        lines = np.ones((1, len(index)), dtype=np.int8)
    else:
        lat = Lattice(list(index), d, witnesses=False)
        # On a line through 0, every other hyperplane's trace is the point 0,
        # and its sign along the line's own direction is its orientation.
        lines = np.array([f.tsign for f in levels(lat, lat.top)[1]], dtype=np.int8).reshape(-1, len(index))
    one = lines[:, col] * orient[None, :]
    return np.concatenate([one, -one])


def _pivot_columns(normals: Sequence[Sequence[int]], d: int) -> list[int]:
    """Columns of a basis of the column space, in order (exact elimination)."""
    mat = [[Fraction(v) for v in r] for r in normals]
    pivots: list[int] = []
    row = 0
    for c in range(d):
        k = next((i for i in range(row, len(mat)) if mat[i][c] != 0), None)
        if k is None:
            continue
        mat[row], mat[k] = mat[k], mat[row]
        for i in range(row + 1, len(mat)):
            if mat[i][c]:
                f = mat[i][c] / mat[row][c]
                mat[i] = [a - f * b for a, b in zip(mat[i], mat[row])]
        pivots.append(c)
        row += 1
    return pivots


def _restricted_signs(rows: Sequence[Sequence[int]], d: int, j: int, value: int) -> NDArray[np.int8]:
    """Sign vectors of the regions of A that meet the hyperplane x_j = value."""
    h = len(rows)
    col: list[int] = []
    orient: list[int] = []
    const = np.zeros(h, dtype=np.int8)
    index: dict[tuple[int, ...], int] = {}
    for u, r in enumerate(rows):
        new = [r[c] for c in range(d) if c != j] + [r[d] - r[j] * value]
        if not any(new[:-1]):
            const[u] = 1 if -new[-1] > 0 else -1
            col.append(-1)
            orient.append(0)
            continue
        canon, s = _exact.canonical_row(_exact.integer_row(new))
        col.append(index.setdefault(canon, len(index)))
        orient.append(s)
    if d == 1 or not index:
        # Restricting R^1 to a point, or no traces: a single region.
        inner = np.zeros((1, len(index)), dtype=np.int8)
        if index and d == 1:
            inner[0] = [-1 if c[-1] > 0 else 1 for c in index]  # 0·y − b
    else:
        lat = Lattice(list(index), d - 1, witnesses=False)
        inner = flat_regions(lat, lat.top)[0]
    colv = np.array(col, dtype=np.int64)
    S = np.broadcast_to(const, (inner.shape[0], h)).copy()
    on = colv >= 0
    S[:, on] = inner[:, colv[on]] * np.array(orient, dtype=np.int8)[on]
    return S
