"""Compiled vertex kernel of the general-position enumeration (private; numba).

``vertex_block`` is the loop of ``hyperarr._generic``: for each vertex
subset S of a block, the sign vector of the region above p_S and a float
witness p_S + ε u in it, at O(d³ + n·d) a vertex in one pass, without
temporaries of size (vertices × hyperplanes) beyond the output;
``section_lift`` lifts witnesses of a section one level up; and
``check_signs`` is ``hyperarr._exact.affine_signs``'s float filter, fused
with the comparison against the expected signs (``float_signs``: the same
filter, giving the signs it decides).  Nothing here is trusted:
every witness is checked exactly.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["vertex_block", "section_lift", "check_signs", "float_signs"]


@njit(cache=True, nogil=True)
def _lu(A, piv):  # type: ignore[no-untyped-def]
    """A = P L U in place (partial pivoting, row swaps in ``piv``); False if a pivot is 0."""
    d = A.shape[0]
    for col in range(d):
        p = col
        best = abs(A[col, col])
        for i in range(col + 1, d):
            if abs(A[i, col]) > best:
                best = abs(A[i, col])
                p = i
        if not best > 0.0:
            return False
        piv[col] = p
        if p != col:
            for j in range(d):
                A[col, j], A[p, j] = A[p, j], A[col, j]
        inv = 1.0 / A[col, col]
        for i in range(col + 1, d):
            f = A[i, col] * inv
            A[i, col] = f
            if f != 0.0:
                for j in range(col + 1, d):
                    A[i, j] -= f * A[col, j]
    return True


@njit(cache=True, nogil=True)
def _solve(A, piv, x):  # type: ignore[no-untyped-def]
    """x ← A⁻¹ x for A factored by ``_lu``."""
    d = A.shape[0]
    for i in range(d):
        p = piv[i]
        if p != i:
            x[i], x[p] = x[p], x[i]
    for i in range(d):
        s = x[i]
        for j in range(i):
            s -= A[i, j] * x[j]
        x[i] = s
    for i in range(d - 1, -1, -1):
        s = x[i]
        for j in range(i + 1, d):
            s -= A[i, j] * x[j]
        x[i] = s / A[i, i]


@njit(cache=True, nogil=True)
def _solve_transposed(A, piv, x):  # type: ignore[no-untyped-def]
    """x ← A⁻ᵀ x for A factored by ``_lu`` (Aᵀ = Uᵀ Lᵀ Pᵀ)."""
    d = A.shape[0]
    for i in range(d):
        s = x[i]
        for j in range(i):
            s -= A[j, i] * x[j]
        x[i] = s / A[i, i]
    for i in range(d - 1, -1, -1):
        s = x[i]
        for j in range(i + 1, d):
            s -= A[j, i] * x[j]
        x[i] = s
    for i in range(d - 1, -1, -1):
        p = piv[i]
        if p != i:
            x[i], x[p] = x[p], x[i]


@njit(cache=True, nogil=True)
def vertex_block(N, b, c, sub, S, W):  # type: ignore[no-untyped-def]
    """Fill S (K, n) and W (K, d) for the vertex subsets ``sub`` (K, d); False on failure.

    N (n, d) and b (n,) are the rows at this level, c (d,) the functional.
    For each subset, one LU factorization of N_S gives the vertex p
    (N_S p = b_S), the multipliers λ of c = N_Sᵀ λ, whose signs σ are those
    of the cone above p, and the direction u with N_S u = σ.  The witness is
    p + ε u, with ε half the distance along u to the nearest other hyperplane
    (at most 1).  A singular N_S, a zero multiplier or a vertex on another
    hyperplane returns False: the arrangement is not handled here.
    """
    K, d = sub.shape
    n = N.shape[0]
    A = np.empty((d, d))
    piv = np.empty(d, dtype=np.int64)
    p = np.empty(d)
    lam = np.empty(d)
    u = np.empty(d)
    in_sub = np.zeros(n, dtype=np.bool_)
    for r in range(K):
        for j in range(d):
            row = sub[r, j]
            in_sub[row] = True
            p[j] = b[row]
            lam[j] = c[j]
            for m in range(d):
                A[j, m] = N[row, m]
        if not _lu(A, piv):
            return False
        _solve(A, piv, p)
        _solve_transposed(A, piv, lam)
        for j in range(d):
            if lam[j] > 0.0:
                u[j] = 1.0
            elif lam[j] < 0.0:
                u[j] = -1.0
            else:
                return False
            S[r, sub[r, j]] = np.int8(u[j])
        _solve(A, piv, u)
        eps = np.inf
        for i in range(n):
            if in_sub[i]:
                continue
            v = -b[i]
            g = 0.0
            for m in range(d):
                v += N[i, m] * p[m]
                g += N[i, m] * u[m]
            if v > 0.0:
                S[r, i] = 1
            elif v < 0.0:
                S[r, i] = -1
            else:  # on another hyperplane (or NaN): not general position here
                return False
            if g != 0.0:
                ratio = abs(v) / abs(g)
                if ratio < eps:
                    eps = ratio
        for j in range(d):
            in_sub[sub[r, j]] = False
        eps = 0.5 * eps
        if not eps < 1.0:  # also a NaN: one step of at most 1
            eps = 1.0
        for m in range(d):
            W[r, m] = p[m] + eps * u[m]
    return True


@njit(cache=True, nogil=True)
def section_lift(N, b, cp, Y, X):  # type: ignore[no-untyped-def]
    """Fill X (K, D) with the witnesses Y (K, D − 1) of a section, lifted one level.

    N (n, D) and b (n,) are the rows one level up and cp (D − 1,) the first
    coordinates of its functional.  The point y of the section at c·x = −1
    lifts to x = t·(y, −1 − c'·y), with t twice the largest crossing of the
    ray by a hyperplane not parallel to it (at least 2), so x is beyond every
    crossing: in the region (unbounded below) that y is in.  Overflow is left
    to the exact check, which refuses it.
    """
    K = Y.shape[0]
    n, D = N.shape
    r = np.empty(D)
    for p in range(K):
        last = -1.0
        for m in range(D - 1):
            r[m] = Y[p, m]
            last -= Y[p, m] * cp[m]
        r[D - 1] = last
        t = 1.0
        for i in range(n):
            x = 0.0
            for m in range(D):
                x += N[i, m] * r[m]
            x = abs(x)
            if x > 0.0:
                ratio = abs(b[i]) / x
                if ratio > t:
                    t = ratio
        t *= 2.0
        for m in range(D):
            X[p, m] = t * r[m]


@njit(cache=True, nogil=True)
def _value(rows_f, points, q, i, extra, scale):  # type: ignore[no-untyped-def]
    """The float value of row i at point q, and the filter's bound on its error."""
    d = points.shape[1]
    v = -rows_f[i, d]
    bound = abs(rows_f[i, d])
    for j in range(d):
        v += rows_f[i, j] * points[q, j]
        bound += abs(rows_f[i, j]) * abs(points[q, j])
    return v, bound * scale + extra


@njit(cache=True, nogil=True)
def _extra(points, q, tiny):  # type: ignore[no-untyped-def]
    """The absolute part of the filter's bound at point q: ``tiny``·(|p|₁ + 1)."""
    l1 = 0.0
    for j in range(points.shape[1]):
        l1 += abs(points[q, j])
    return tiny * (l1 + 1.0)


@njit(cache=True, nogil=True)
def check_signs(rows_f, points, S, scale, tiny, unsure):  # type: ignore[no-untyped-def]
    """False if a sign of ``rows_f`` at a point provably differs from S; marks the others.

    The filter of ``hyperarr._exact.affine_signs``: the value a·p − b of
    row [a | b] at p has the sign of its float evaluation when that exceeds
    ``scale``·(|a|·|p| + |b|) + ``tiny``·(|p|₁ + 1) (``scale`` = (d + 2) ε).
    ``unsure[p]`` is set where some sign at point p is not decided so; those
    points must be checked exactly.  A NaN or infinity is never decided.
    """
    m = points.shape[0]
    n = rows_f.shape[0]
    for q in range(m):
        extra = _extra(points, q, tiny)
        doubt = False
        for i in range(n):
            v, bound = _value(rows_f, points, q, i, extra, scale)
            if abs(v) > bound:
                if (v > 0.0) != (S[q, i] > 0):
                    return False
            else:
                doubt = True
        unsure[q] = doubt
    return True


@njit(cache=True, nogil=True)
def float_signs(rows_f, points, scale, tiny, out, unsure):  # type: ignore[no-untyped-def]
    """The signs the filter of `check_signs` decides, in ``out``; ``unsure`` marks the others.

    Undecided entries (NaN and infinity included) get 0 in ``out`` and True
    in ``unsure``, for the exact check.  Returns whether any entry is unsure.
    """
    m = points.shape[0]
    n = rows_f.shape[0]
    doubt = False
    for q in range(m):
        extra = _extra(points, q, tiny)
        for i in range(n):
            v, bound = _value(rows_f, points, q, i, extra, scale)
            decided = abs(v) > bound
            out[q, i] = (1 if v > 0.0 else -1) if decided else 0
            unsure[q, i] = not decided
            doubt = doubt or not decided
    return doubt
