"""Compiled kernel of the lattice lift (private): the lifted coordinate.

`lift_coordinate` is the float lift of ``hyperarr._lift``: a child's
witness, placed in its parent flat, gets the eliminated coordinate midway
between its own trace's crossing and the nearest other crossing on the
region's side.  It only proposes: every witness is checked exactly
afterwards.
"""

from __future__ import annotations

import math

from numba import njit

__all__ = ["lift_coordinate"]


@njit(cache=True, nogil=True, error_model="numpy")  # x / 0 gives ±inf or NaN, as in numpy
def lift_coordinate(R, Y, kk, rj, side):  # type: ignore[no-untyped-def]
    """Set ``Y[q, kk[q]]`` for every row q (``Y[q, kk[q]]`` is ignored on entry).

    ``R`` holds the trace rows [a | b] of the flat (float64); row ``rj[q]``
    is the trace the witness lies on.  The coordinate is the midpoint of the
    crossing t0 with that trace and the nearest other crossing on side
    ``side[q]`` (±1), or t0 ± max(1, |t0|) if no trace crosses there.  A
    NaN or infinity may come out (the caller repairs those rows exactly).
    """
    m, w = Y.shape[0], R.shape[1] - 1
    n = R.shape[0]
    for q in range(m):
        k = kk[q]
        j = rj[q]
        base_j = -R[j, w]
        for c in range(w):
            if c != k:
                base_j += R[j, c] * Y[q, c]
        t0 = -base_j / R[j, k]
        up = math.inf
        down = -math.inf
        for i in range(n):
            a = R[i, k]
            if i == j or a == 0.0:
                continue
            v = -R[i, w]
            for c in range(w):
                if c != k:
                    v += R[i, c] * Y[q, c]
            t = -v / a
            if t > t0 and t < up:
                up = t
            elif t < t0 and t > down:
                down = t
        step = max(1.0, abs(t0))
        if side[q] > 0:
            Y[q, k] = 0.5 * (t0 + up) if up < math.inf else t0 + step
        else:
            Y[q, k] = 0.5 * (t0 + down) if down > -math.inf else t0 - step
