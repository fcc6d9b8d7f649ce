"""Compiled kernels of the lattice lift (private): the lifted coordinate and pencils.

`lift_coordinate` is the float lift of ``hyperarr._lift``: a child's
witness, placed in its parent flat, gets the eliminated coordinate midway
between its own trace's crossing and the nearest other crossing on the
region's side.  It only proposes: every witness is checked exactly
afterwards.  `pencil_sectors` gives the regions of a pencil of lines in a
plane, in integers, so nothing needs checking.
"""

from __future__ import annotations

import math

import numpy as np

from numba import njit

__all__ = ["lift_coordinate", "pencil_sectors"]


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


@njit(cache=True, nogil=True)
def _before(ax, ay, bx, by):  # type: ignore[no-untyped-def]
    """Direction a comes before b by angle in (−π, π] (exact on int64)."""
    ha = 0 if ay < 0 or (ay == 0 and ax > 0) else 1
    hb = 0 if by < 0 or (by == 0 and bx > 0) else 1
    if ha != hb:
        return ha < hb
    return ax * by - ay * bx > 0


@njit(cache=True, nogil=True)
def pencil_sectors(rows):  # type: ignore[no-untyped-def]
    """The 2t sectors of a pencil of t ≥ 2 distinct lines a·y = 0 through the origin of a plane.

    ``rows`` (t, 2) int64, entries below 2^20 in absolute value.  The 2t
    directions ±(−a₁, a₀) along the lines, sorted by angle in (−π, π] with
    exact integer cross products, are consecutive less than π apart, so the
    sum of two consecutive ones lies strictly inside the sector between
    them.  Returns those sums (2t, 2) and the signs of the lines at them
    (2t, t), all exact.
    """
    t = rows.shape[0]
    n = 2 * t
    dx = np.empty(n, np.int64)
    dy = np.empty(n, np.int64)
    for i in range(t):
        dx[i] = -rows[i, 1]
        dy[i] = rows[i, 0]
        dx[t + i] = rows[i, 1]
        dy[t + i] = -rows[i, 0]
    order = np.arange(n)
    for i in range(1, n):  # insertion sort: n is small
        v = order[i]
        j = i - 1
        while j >= 0 and _before(dx[v], dy[v], dx[order[j]], dy[order[j]]):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = v
    wit = np.empty((n, 2), np.int64)
    signs = np.empty((n, t), np.int8)
    for i in range(n):
        a = order[i]
        b = order[(i + 1) % n]
        wx = dx[a] + dx[b]
        wy = dy[a] + dy[b]
        wit[i, 0] = wx
        wit[i, 1] = wy
        for line in range(t):
            v = wx * rows[line, 0] + wy * rows[line, 1]
            signs[i, line] = 1 if v > 0 else (-1 if v < 0 else 0)
    return wit, signs
