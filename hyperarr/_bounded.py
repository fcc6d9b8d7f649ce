"""Exact boundedness of the regions of any arrangement (private kernel).

A region is unbounded iff it meets one of the hyperplanes ``x_j = ±M``,
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

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact, _keys
from hyperarr._lattice import Lattice
from hyperarr._lift import flat_regions

__all__ = ["Bounded", "bounded", "relatively_bounded"]


class Bounded:
    """Which regions (sign vectors S over the distinct ``rows``) are compact in R^d.

    The keys of the regions meeting some ``x_j = ±M`` are found once, so that
    the regions can be asked about in chunks.  ``central`` says whether all
    hyperplanes share a point (then, as for a non-essential arrangement,
    every region is unbounded).
    """

    def __init__(self, rows: Sequence[Sequence[int]], d: int, central: bool) -> None:
        self.flip: NDArray[np.int8] | None = None
        self.none = not rows or _exact.rank_exact(r[:-1] for r in rows) < d or central
        if self.none:
            self.unbounded = np.zeros(0, dtype=np.uint64)
            return
        # Every vertex coordinate is a ratio of integer determinants with a
        # nonzero denominator, so its size is below Hadamard's bound.
        norms = sorted((math.isqrt(sum(v * v for v in r)) + 1 for r in rows), reverse=True)
        big = math.prod(norms[:d]) + 1
        self.unbounded = np.unique(np.concatenate(
            [_keys.pack(_restricted_signs(rows, d, j, side * big)) for j in range(d) for side in (1, -1)]))

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
            obj = cls.__new__(cls)
            obj.none, obj.flip, obj.unbounded = False, None, np.zeros(0, dtype=np.uint64)
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
        return ~_keys.member(_keys.pack(S), self.unbounded)


def bounded(rows: Sequence[Sequence[int]], d: int, S: NDArray[np.int8], central: bool) -> NDArray[np.bool_]:
    """Which regions (sign vectors S over the distinct ``rows``) are compact in R^d (see `Bounded`)."""
    return Bounded(rows, d, central)(S)


def relatively_bounded(rows: Sequence[Sequence[int]], d: int, S: NDArray[np.int8],
                       central: bool) -> NDArray[np.bool_]:
    """Which regions are bounded modulo the lineality space of the normals (see `Bounded.relative`)."""
    return Bounded.relative(rows, d, central)(S)


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
