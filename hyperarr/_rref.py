"""Reduced row echelon form of exact rational matrices (private kernel).

The charts of flats (``hyperarr.faces``) and the lineality space of an
arrangement (its essentialization) are read off this one form.  The
elimination is fraction-free (Bareiss's Gauss–Jordan variant on integers:
every division is exact), and only the final entries become Fractions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

__all__ = ["rref", "rref_integer", "kernel"]


def _integer_rows(rows: Sequence[Sequence[int | Fraction]]) -> list[list[int]]:
    """Each row scaled by a positive integer to integers (the row space is kept)."""
    out = []
    for r in rows:
        den = 1
        for v in r:
            if isinstance(v, Fraction):
                den = den * v.denominator // math.gcd(den, v.denominator)
        out.append([int(v * den) for v in r] if den > 1 else [int(v) for v in r])
    return out


def rref_integer(rows: Sequence[Sequence[int | Fraction]], ncols: int) -> tuple[list[list[int]], list[int], int]:
    """The reduced row echelon form of ``rows`` times an integer ``det``:
    its nonzero rows (integers, with ``det`` at every pivot and 0 elsewhere in
    the pivot columns), the pivot columns (sought in the first ``ncols``
    columns) and ``det`` (1 when there is no pivot).

    Examples
    --------
    >>> rref_integer([[2, 4, 2], [1, 1, 0]], 2)
    ([[-2, 0, 2], [0, -2, -2]], [0, 1], -2)
    """
    mat = _integer_rows(rows)
    pivots: list[int] = []
    prev = 1
    r = 0
    for c in range(ncols):
        k = next((i for i in range(r, len(mat)) if mat[i][c] != 0), None)
        if k is None:
            continue
        mat[r], mat[k] = mat[k], mat[r]
        top = mat[r]
        p = top[c]
        for i, row in enumerate(mat):
            if i == r:
                continue
            q = row[c]
            # Fraction-free Gauss-Jordan: (p a_ij - q a_rj) / prev is an integer (a minor),
            # and every earlier pivot entry becomes p.
            mat[i] = [(p * a - q * b) // prev for a, b in zip(row, top)]
        prev = p
        pivots.append(c)
        r += 1
    return mat[:r], pivots, prev


def rref(rows: Sequence[Sequence[int | Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """The nonzero rows of the reduced row echelon form of ``rows`` (each of
    length ≥ ``ncols``; pivots are sought in the first ``ncols`` columns), and
    the pivot columns.

    Examples
    --------
    >>> red, piv = rref([[2, 4, 2], [1, 1, 0]], 2)
    >>> [[str(v) for v in r] for r in red], piv
    ([['1', '0', '-1'], ['0', '1', '1']], [0, 1])
    """
    mat, pivots, det = rref_integer(rows, ncols)
    return [[Fraction(v, det) for v in row] for row in mat], pivots


def kernel(rows: Sequence[Sequence[int | Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """The vectors v with ``row · v = 0`` for every row (first ``ncols`` entries),
    as a basis in reduced row echelon form, and its pivot columns.

    Examples
    --------
    >>> basis, piv = kernel([[1, -1, 0], [0, 1, -1]], 3)
    >>> [[str(v) for v in b] for b in basis], piv
    ([['1', '1', '1']], [0])
    """
    red, pivots = rref([r[:ncols] for r in rows], ncols)
    basis = []
    for f in (c for c in range(ncols) if c not in pivots):
        v = [Fraction(0)] * ncols
        v[f] = Fraction(1)
        for i, p in enumerate(pivots):
            v[p] = -red[i][f]
        basis.append(v)
    return rref(basis, ncols)
