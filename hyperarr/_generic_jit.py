"""Compiled vertex kernel of the general-position enumeration (private; numba).

``vertex_block`` is the loop of ``hyperarr._generic``: for each vertex
subset S of a block, the sign vector of the region above p_S and a float
witness p_S + ε u in it, at O(d³ + n·d) a vertex in one pass, without
temporaries of size (vertices × hyperplanes) beyond the output;
``section_lift`` lifts witnesses of a section one level up; and
``check_signs`` is ``hyperarr._exact.affine_signs``'s float filter, fused
with the comparison against the expected signs (``check_receding``: also
against the rows through the origin, for a region at infinity;
``float_signs``: the same filter, giving the signs it decides).  Nothing
here is trusted: every witness is checked exactly.

The loops over the n hyperplanes run one coordinate at a time over the
transposed normals, so they vectorize; each sum still adds its terms in
the order of the coordinates, so every float of the output is the one a
row-by-row loop gives.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["vertex_block", "section_lift", "check_signs", "check_receding", "float_signs"]


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
def _solve_pair(A, piv, x, y):  # type: ignore[no-untyped-def]
    """x ← A⁻¹ x (as `_solve`) and y ← A⁻ᵀ y (Aᵀ = Uᵀ Lᵀ Pᵀ) for A factored by ``_lu``.

    The two substitutions run interleaved, step by step, so that their chains
    of dependent operations overlap; each keeps its own order of operations.
    """
    d = A.shape[0]
    for i in range(d):
        p = piv[i]
        if p != i:
            x[i], x[p] = x[p], x[i]
    for i in range(d):
        s = x[i]
        t = y[i]
        for j in range(i):
            s -= A[i, j] * x[j]
            t -= A[j, i] * y[j]
        x[i] = s
        y[i] = t / A[i, i]
    for i in range(d - 1, -1, -1):
        s = x[i]
        t = y[i]
        for j in range(i + 1, d):
            s -= A[i, j] * x[j]
            t -= A[j, i] * y[j]
        x[i] = s / A[i, i]
        y[i] = t
    for i in range(d - 1, -1, -1):
        p = piv[i]
        if p != i:
            y[i], y[p] = y[p], y[i]


@njit(cache=True, nogil=True)
def vertex_block(NT, b, c, prefix, m, j, offset, S, W):  # type: ignore[no-untyped-def]
    """Fill S (K, n) and W (K, d) for the K vertex subsets of one block; False on failure.

    NT (d, n) holds the normals at this level, transposed (so the loops over
    the hyperplanes run along contiguous memory and vectorize), b (n,) the
    offsets and c (d,) the functional.  The block is the subsets ``prefix``
    + j elements of ``offset + range(m)``, in lexicographic order (the rows
    of ``hyperarr._generic.combination_block_specs``' spec, never built).
    For each subset, one LU factorization of N_S gives the vertex p
    (N_S p = b_S), the multipliers λ of c = N_Sᵀ λ, whose signs σ are those
    of the cone above p, and the direction u with N_S u = σ.  The witness is
    p + ε u, with ε half the distance along u to the nearest other hyperplane
    (at most 1).  A singular N_S, a zero multiplier or a vertex on another
    hyperplane returns False: the arrangement is not handled here.
    """
    K = S.shape[0]
    d, n = NT.shape
    P = prefix.shape[0]
    sub = np.empty(d, dtype=np.int64)
    for t in range(P):
        sub[t] = prefix[t]
    for t in range(j):
        sub[P + t] = offset + t
    A = np.empty((d, d))
    piv = np.empty(d, dtype=np.int64)
    p = np.empty(d)
    lam = np.empty(d)
    u = np.empty(d)
    u_sign = np.empty(d)
    val = np.empty(n)
    grad = np.empty(n)
    ratio = np.empty(n)
    for r in range(K):
        for t in range(d):
            row = sub[t]
            p[t] = b[row]
            lam[t] = c[t]
            for q in range(d):
                A[t, q] = NT[q, row]
        if not _lu(A, piv):
            return False
        _solve_pair(A, piv, p, lam)
        for t in range(d):
            if lam[t] > 0.0:
                u[t] = 1.0
            elif lam[t] < 0.0:
                u[t] = -1.0
            else:
                return False
            u_sign[t] = u[t]
        _solve(A, piv, u)
        # The value n_i·p − b_i and the slope n_i·u of every hyperplane, summed
        # in the order of the coordinates (one vectorized pass per coordinate).
        for i in range(n):
            val[i] = -b[i]
            grad[i] = 0.0
        for q in range(d):
            pq = p[q]
            uq = u[q]
            for i in range(n):
                val[i] += NT[q, i] * pq
                grad[i] += NT[q, i] * uq
        # Signs and the distances along u, branch-free (the subset's own are
        # overwritten: their signs are σ, and they bound no step).
        for i in range(n):
            v = val[i]
            g = grad[i]
            S[r, i] = 1 if v > 0.0 else (-1 if v < 0.0 else 0)
            ratio[i] = abs(v) / abs(g) if g != 0.0 else np.inf
        for t in range(d):
            S[r, sub[t]] = np.int8(u_sign[t])
            ratio[sub[t]] = np.inf
        eps = np.inf
        for i in range(n):
            if S[r, i] == 0:  # on another hyperplane (or NaN): not general position here
                return False
            if ratio[i] < eps:  # false for a NaN, which bounds nothing
                eps = ratio[i]
        eps = 0.5 * eps
        if not eps < 1.0:  # also a NaN: one step of at most 1
            eps = 1.0
        for q in range(d):
            W[r, q] = p[q] + eps * u[q]
        # The next subset in lexicographic order.
        t = j - 1
        while t >= 0 and sub[P + t] == offset + m - j + t:
            t -= 1
        if t < 0:
            break
        sub[P + t] += 1
        for s in range(t + 1, j):
            sub[P + s] = sub[P + s - 1] + 1
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
    NT = np.ascontiguousarray(N.T)
    absb = np.abs(b)
    r = np.empty(D)
    x = np.empty(n)
    ratio = np.empty(n)
    for p in range(K):
        last = -1.0
        for m in range(D - 1):
            r[m] = Y[p, m]
            last -= Y[p, m] * cp[m]
        r[D - 1] = last
        for i in range(n):
            x[i] = 0.0
        for m in range(D):
            rm = r[m]
            for i in range(n):
                x[i] += NT[m, i] * rm
        for i in range(n):  # branch-free: 0 where the ray is parallel (never crossed)
            xi = abs(x[i])
            ratio[i] = absb[i] / xi if xi > 0.0 else 0.0
        t = 1.0
        for i in range(n):
            if ratio[i] > t:
                t = ratio[i]
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
def _products(aT, absT, points, q, dot, mag):  # type: ignore[no-untyped-def]
    """dot[i] = a_i·p and mag[i] = |a_i|·|p| at point q, for the normals aT (d, n)
    transposed (one vectorized pass per coordinate); returns |p|₁."""
    d, n = aT.shape
    l1 = 0.0
    for i in range(n):
        dot[i] = 0.0
        mag[i] = 0.0
    for j in range(d):
        pj = points[q, j]
        apj = abs(pj)
        l1 += apj
        for i in range(n):
            dot[i] += aT[j, i] * pj
            mag[i] += absT[j, i] * apj
    return l1


@njit(cache=True, nogil=True)
def _check(rows_f, points, S, scale, tiny, unsure, receding):  # type: ignore[no-untyped-def]
    """`check_signs`, and with ``receding`` also the signs of the rows through the origin."""
    m = points.shape[0]
    n, width = rows_f.shape
    d = width - 1
    aT = np.ascontiguousarray(rows_f[:, :d].T)
    absT = np.abs(aT)
    b = np.ascontiguousarray(rows_f[:, d])
    absb = np.abs(b)
    dot = np.empty(n)
    mag = np.empty(n)
    for q in range(m):
        extra = tiny * (_products(aT, absT, points, q, dot, mag) + 1.0)
        doubt = False
        for i in range(n):
            want = S[q, i]
            v = dot[i] - b[i]
            if abs(v) > (mag[i] + absb[i]) * scale + extra:
                if (1 if v > 0.0 else -1) != want:
                    return False
            else:
                doubt = True
            if receding:
                v = dot[i]
                if abs(v) > mag[i] * scale + extra:
                    if (1 if v > 0.0 else -1) != want:
                        return False
                else:
                    doubt = True
        unsure[q] = doubt
    return True


@njit(cache=True, nogil=True)
def check_signs(rows_f, points, S, scale, tiny, unsure):  # type: ignore[no-untyped-def]
    """False if a sign of ``rows_f`` at a point provably differs from S (a 0 in S
    differs from every sign the filter decides); marks the others.

    The filter of ``hyperarr._exact.affine_signs``: the value a·p − b of
    row [a | b] at p has the sign of its float evaluation when that exceeds
    ``scale``·(|a|·|p| + |b|) + ``tiny``·(|p|₁ + 1) (``scale`` = (d + 3) ε;
    the bound holds whatever the order of the sums).
    ``unsure[p]`` is set where some sign at point p is not decided so; those
    points must be checked exactly.  A NaN or infinity is never decided.
    """
    return _check(rows_f, points, S, scale, tiny, unsure, False)


@njit(cache=True, nogil=True)
def check_receding(rows_f, points, S, scale, tiny, unsure):  # type: ignore[no-untyped-def]
    """`check_signs` for the rows [a | b] and for the same rows through the origin [a | 0].

    Both must have the signs S at each point: the point is in its region, and
    is a recession direction of it (the exact check of a region at infinity).
    One product a·p serves both rows.
    """
    return _check(rows_f, points, S, scale, tiny, unsure, True)



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
