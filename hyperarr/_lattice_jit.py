"""Compiled kernel of the intersection lattice (private): one trace eliminated.

`eliminate` is the arithmetic of ``hyperarr._lattice``'s child flat on
int64 rows whose entries are small enough that nothing overflows; the
lattice dedupes its output rows and falls back to Python integers above
that bound.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["SMALL", "eliminate"]

#: Entries below this in absolute value eliminate in int64: |a·r − f·s| < 2^63.
SMALL = 2**31


@njit(cache=True, nogil=True)
def eliminate(R, j, k):  # type: ignore[no-untyped-def]
    """The rows of trace j's hyperplane, coordinate k (row j's pivot) eliminated.

    ``R`` (t, w) int64, primitive rows, entries below `SMALL`; ``R[j, k]`` > 0.
    Row l becomes ``R[j, k]·R[l] − R[l, k]·R[j]`` without column k, divided
    by the gcd of its entries and turned so that its first nonzero
    coefficient (among the first w − 2) is positive.  Returns those rows
    (t, w − 1) and, per row, its orientation: ±1 (the turn) for a trace,
    and for a row with no nonzero coefficient (parallel to the child) 2 or
    −2, twice its constant sign on the child; row j gets 0.  Last, the
    column of each row's first nonzero coefficient (its pivot).
    """
    t, w = R.shape
    out = np.zeros((t, w - 1), np.int64)
    orient = np.zeros(t, np.int8)
    pivot = np.zeros(t, np.int64)
    a = R[j, k]
    for row in range(t):
        if row == j:
            continue
        f = R[row, k]
        g = 0
        c2 = 0
        for c in range(w):
            if c == k:
                continue
            v = a * R[row, c] - f * R[j, c] if f != 0 else R[row, c]
            out[row, c2] = v
            x = abs(v)
            while x:  # gcd
                g, x = x, g % x
            c2 += 1
        if g > 1:
            for c in range(w - 1):
                out[row, c] //= g
        lead = 0
        for c in range(w - 2):
            if out[row, c] != 0:
                lead = out[row, c]
                pivot[row] = c
                break
        if lead == 0:
            orient[row] = 2 if out[row, w - 2] < 0 else -2
        elif lead < 0:
            orient[row] = -1
            for c in range(w - 1):
                out[row, c] = -out[row, c]
        else:
            orient[row] = 1
    return out, orient, pivot
