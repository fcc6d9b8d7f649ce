"""Reduced row echelon form in exact rationals (private kernel).

The charts of flats (``hyperarr.faces``) and the lineality space of an
arrangement (its essentialization) are read off this one form.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

__all__ = ["rref", "kernel"]


def rref(rows: Sequence[Sequence[int | Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """The nonzero rows of the reduced row echelon form of ``rows`` (each of
    length ≥ ``ncols``; pivots are sought in the first ``ncols`` columns), and
    the pivot columns.

    Examples
    --------
    >>> rref([[2, 4, 2], [1, 1, 0]], 2)
    ([[Fraction(1, 1), Fraction(0, 1), Fraction(-1, 1)], [Fraction(0, 1), Fraction(1, 1), Fraction(1, 1)]], [0, 1])
    """
    mat = [[Fraction(v) for v in r] for r in rows]
    pivots: list[int] = []
    r = 0
    for c in range(ncols):
        k = next((i for i in range(r, len(mat)) if mat[i][c] != 0), None)
        if k is None:
            continue
        mat[r], mat[k] = mat[k], mat[r]
        inv = 1 / mat[r][c]
        mat[r] = [v * inv for v in mat[r]]
        for i in range(len(mat)):
            if i != r and mat[i][c] != 0:
                f = mat[i][c]
                mat[i] = [a - f * b for a, b in zip(mat[i], mat[r])]
        pivots.append(c)
        r += 1
    return mat[:r], pivots


def kernel(rows: Sequence[Sequence[int | Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """The vectors v with ``row · v = 0`` for every row, as a basis in reduced
    row echelon form, and its pivot columns.

    Examples
    --------
    >>> kernel([[1, -1, 0], [0, 1, -1]], 3)
    ([[Fraction(1, 1), Fraction(1, 1), Fraction(1, 1)]], [0])
    """
    red, pivots = rref(rows, ncols)
    basis = []
    for f in (c for c in range(ncols) if c not in pivots):
        v = [Fraction(0)] * ncols
        v[f] = Fraction(1)
        for i, p in enumerate(pivots):
            v[p] = -red[i][f]
        basis.append(v)
    return rref(basis, ncols)
