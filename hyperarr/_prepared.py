"""Distinct hyperplanes of an arrangement and how the input maps onto them (private).

Enumeration, counting, the adjacency graph and synthesis all work on the
*distinct* hyperplanes: each input row scaled to its primitive integer row
with a positive leading coefficient.  Repeated hyperplanes, in either
orientation, map to one distinct row; an input sign is the distinct sign
times the orientation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact

__all__ = ["Prepared", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """The distinct hyperplanes of an arrangement.

    Attributes
    ----------
    rows : tuple of int tuples
        Distinct hyperplanes ``[a | b]``, primitive, first nonzero
        coefficient positive, in order of first appearance.
    column : ndarray of int64, shape (n,)
        Input hyperplane i is distinct hyperplane ``column[i]``.
    orient : ndarray of int8, shape (n,)
        Input sign = ``orient[i]`` · distinct sign.
    rep : ndarray of int64, shape (h,)
        The lowest input index of each distinct hyperplane (its representative).
    """

    rows: tuple[tuple[int, ...], ...]
    column: NDArray[np.int64]
    orient: NDArray[np.int8]
    rep: NDArray[np.int64]

    def to_input(self, S: NDArray[np.int8]) -> NDArray[np.int8]:
        """Signs over the distinct hyperplanes (m, h) as signs of the input (m, n)."""
        return np.ascontiguousarray(S[:, self.column] * self.orient[None, :], dtype=np.int8)


def prepare(int_rows: Sequence[Sequence[int]]) -> Prepared:
    """Distinct primitive rows of integer rows ``[w | θ]`` (each with a nonzero normal)."""
    index: dict[tuple[int, ...], int] = {}
    n = len(int_rows)
    column = np.empty(n, dtype=np.int64)
    orient = np.empty(n, dtype=np.int8)
    for i, row in enumerate(int_rows):
        canon, s = _exact.canonical_row(row)
        column[i] = index.setdefault(canon, len(index))
        orient[i] = s
    rep = np.full(len(index), n, dtype=np.int64)
    np.minimum.at(rep, column, np.arange(n, dtype=np.int64))
    for a in (column, orient, rep):
        a.setflags(write=False)
    return Prepared(tuple(index), column, orient, rep)
