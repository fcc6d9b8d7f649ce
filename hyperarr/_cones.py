"""Polyhedral cones cut by hyperplanes, one hyperplane at a time (private kernel).

A cell of a subdivision of a domain of R^d is kept as the cone over it in
homogeneous coordinates (x, t), t ≥ 0: its extreme rays (a vertex x is the
ray (x, 1), a recession direction y the ray (y, 0)) and a basis of its
lineality space.  Each ray carries its *tight set*: the constraints (t ≥ 0,
the domain's facets, the hyperplanes inserted so far, by integer id, as a
bitset) that vanish on it.  Inserting a hyperplane h is one step of the
double description method (Motzkin's):

* if h is not constant on the lineality space, a lineality vector l with
  h · l ≠ 0 becomes a ray on each side (±l) and the rest is projected along
  l onto h = 0;
* otherwise the rays split by the sign of h · r, and each pair (p, q) of rays
  on opposite sides that is *adjacent* gives the new ray (h·p) q − (h·q) p on
  h = 0.  Adjacency is decided combinatorially (Fukuda and Prodon): p and q
  are adjacent iff no other ray's tight set contains T_p ∩ T_q.  A constraint
  tight at the new ray is tight at p and at q (a positive combination of two
  non-negative values is zero only if both are), so the tight sets stay
  exact without any arithmetic.

Two arithmetics run the same step:

* **float, filtered** (compiled, for batches of cells, each cut by k
  hyperplanes in one call): rays are float64 vectors normalized to max-norm
  1, each with a proven bound ε on its distance to a positive multiple of
  the exact ray.  A new ray is computed from its own D − 1 defining rows
  (a generalized cross product, whose error is bounded by Hadamard's
  inequality), so ε does not grow with the cell's history.  Hyperplane rows
  carry entrywise error bounds.  A hyperplane that provably misses a ball
  around the cell settles the whole cell at once; otherwise the sign of
  h · r is certified at each ray when the computed value exceeds its bound.
  A cell with a step the bounds cannot certify is handed back as
  *uncertain*, and rebuilt exactly;
* **exact** (Python integers): for those cells, and for building a polytope
  domain's cone.

The combinatorial part (which pairs are adjacent) is one compiled function
used by both.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
from numba import njit
from numpy.typing import NDArray

from hyperarr import _exact

__all__ = ["FloatCells", "ExactCell", "adjacent_pairs", "cut_float", "insert_exact",
           "root_cell", "box_cell", "box_rows", "words_for", "to_float_cells",
           "exact_interior_point", "float_rows", "round_ray"]

_U = 2.0**-53
_TINY = 2.0**-1000

# Outcomes of inserting a hyperplane into a cell.
UNCERTAIN = -1


def words_for(n_constraints: int) -> int:
    """The number of 64-bit words of a tight-set bitset over n constraints."""
    return max(1, (n_constraints + 63) // 64)


# ----------------------------------------------------------------------
# The combinatorial step, shared by both arithmetics
# ----------------------------------------------------------------------


@njit(cache=True, nogil=True)
def _popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True, nogil=True)
def _adjacent(T: NDArray[np.uint64], p: int, q: int) -> bool:
    """Whether rays p and q of the cell whose rays are the rows of T are adjacent: no
    other ray is tight wherever both are."""
    W = T.shape[1]
    for r in range(T.shape[0]):
        if r == p or r == q:
            continue
        inside = True
        for w in range(W):
            if (T[p, w] & T[q, w]) & ~T[r, w]:
                inside = False
                break
        if inside:
            return False
    return True


@njit(cache=True, nogil=True)
def adjacent_pairs(T: NDArray[np.uint64], pos: NDArray[np.int64], neg: NDArray[np.int64],
                   need: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The adjacent pairs (p, q), p in ``pos`` and q in ``neg``, among the rays of T (one
    cell).  Two adjacent rays span a 2-face, cut out by at least ``need`` constraints
    tight at both (the cone's dimension less 2, less that of its lineality), which
    rules out most pairs before the combinatorial test."""
    W = T.shape[1]
    P = np.empty(pos.size * neg.size, dtype=np.int64)
    Q = np.empty(pos.size * neg.size, dtype=np.int64)
    k = 0
    for p in pos:
        for q in neg:
            common = 0
            for w in range(W):
                common += _popcount(T[p, w] & T[q, w])
            if common >= need and _adjacent(T, p, q):
                P[k] = p
                Q[k] = q
                k += 1
    return P[:k], Q[:k]


# ----------------------------------------------------------------------
# Float cells
# ----------------------------------------------------------------------


class FloatCells:
    """A batch of cells in float64, as flat arrays (see the module docstring).

    ``rp`` holds the offsets of each cell's rays in ``R`` (normalized to
    max-norm 1) with their error bounds ``E``; ``INF`` marks the rays at
    infinity (t = 0, known exactly); ``T`` holds the tight sets and ``C``
    each cell's constraint set.  Each ray also names D − 1 independent
    *defining rows* among its tight constraints (``RI``, by id), whose rows
    the cell keeps once in its row table (``qp`` offsets into ``QI`` ids,
    ``QW`` rows, ``QE`` their entrywise error bounds): a new ray is computed
    from its own defining rows, so its error bound does not grow with the
    history of the cell.  Float cells have no lineality: a cell with
    lineality stays exact.
    """

    __slots__ = ("rp", "R", "E", "INF", "T", "C", "RI", "qp", "QI", "QW", "QE")

    def __init__(self, rp: NDArray[np.int64], R: NDArray[np.float64], E: NDArray[np.float64],
                 INF: NDArray[np.bool_], T: NDArray[np.uint64], C: NDArray[np.uint64],
                 RI: NDArray[np.int64], qp: NDArray[np.int64], QI: NDArray[np.int64],
                 QW: NDArray[np.float64], QE: NDArray[np.float64]) -> None:
        self.rp, self.R, self.E, self.INF, self.T, self.C = rp, R, E, INF, T, C
        self.RI, self.qp, self.QI, self.QW, self.QE = RI, qp, QI, QW, QE

    def __len__(self) -> int:
        return int(self.rp.shape[0] - 1)

    def take(self, idx: NDArray[np.int64]) -> "FloatCells":
        """The cells ``idx``, in that order."""
        idx = np.asarray(idx, dtype=np.int64)
        rc = np.diff(self.rp)[idx]
        sel = _ranges(self.rp[:-1][idx], rc)
        qc = np.diff(self.qp)[idx]
        qsel = _ranges(self.qp[:-1][idx], qc)
        return FloatCells(np.concatenate([[0], np.cumsum(rc)]).astype(np.int64), self.R[sel],
                          self.E[sel], self.INF[sel], self.T[sel], self.C[idx], self.RI[sel],
                          np.concatenate([[0], np.cumsum(qc)]).astype(np.int64), self.QI[qsel],
                          self.QW[qsel], self.QE[qsel])

    @classmethod
    def concatenate(cls, parts: Sequence["FloatCells"]) -> "FloatCells":
        """The cells of ``parts``, one after another."""
        rp = [np.zeros(1, dtype=np.int64)]
        qp = [np.zeros(1, dtype=np.int64)]
        r0 = q0 = 0
        for c in parts:
            rp.append(c.rp[1:] + r0)
            qp.append(c.qp[1:] + q0)
            r0 += int(c.rp[-1])
            q0 += int(c.qp[-1])
        def cat(f: str) -> Any:
            return np.concatenate([getattr(c, f) for c in parts])

        return cls(np.concatenate(rp), cat("R"), cat("E"), cat("INF"), cat("T"), cat("C"), cat("RI"),
                   np.concatenate(qp), cat("QI"), cat("QW"), cat("QE"))

    def interior_points(self) -> NDArray[np.float64]:
        """A float point of each cell (the sum of its normalized rays, dehomogenized),
        not checked; NaN where the sum has t = 0."""
        D = self.R.shape[1]
        counts = np.diff(self.rp)
        sums = (np.add.reduceat(self.R, self.rp[:-1], axis=0) if self.R.shape[0]
                else np.zeros((len(self), D)))
        sums[counts == 0] = np.nan
        with np.errstate(all="ignore"):
            return np.asarray(sums[:, :-1] / sums[:, -1:])

    def touches(self, first: int, stop: int) -> NDArray[np.bool_]:
        """Whether each cell has a ray tight at a constraint with id in [first, stop)."""
        mask = np.zeros(self.T.shape[1], dtype=np.uint64)
        for c in range(first, stop):
            mask[c // 64] |= np.uint64(1) << np.uint64(c % 64)
        hit: NDArray[np.bool_] = np.asarray((self.T & mask).any(axis=1), dtype=bool)
        return self._any_ray(hit)

    def has_infinity(self) -> NDArray[np.bool_]:
        """Whether each cell is unbounded: it has a ray at infinity."""
        return self._any_ray(np.asarray(self.INF, dtype=bool))

    def _any_ray(self, flags: NDArray[np.bool_]) -> NDArray[np.bool_]:
        out = np.zeros(len(self), dtype=bool)
        if flags.any():
            cell = np.repeat(np.arange(len(self)), np.diff(self.rp))
            out[cell[flags]] = True
        return out


def _ranges(starts: NDArray[np.int64], counts: NDArray[np.int64]) -> NDArray[np.int64]:
    """Concatenated ranges start..start+count-1."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offs = np.repeat(starts - (ends - counts), counts)
    return np.arange(total, dtype=np.int64) + offs


@njit(cache=True, nogil=True)
def _value(h: NDArray[np.float64], he: NDArray[np.float64], r: NDArray[np.float64], eps: float,
           inf: bool) -> tuple[float, float]:
    """h · r and a bound on its distance to the exact h* · r* (``bound == 0`` only when the
    value is exactly 0)."""
    D = h.shape[0]
    val = 0.0
    absum = 0.0
    bnd = 0.0
    nonzero = False
    for i in range(D):
        if inf and i == D - 1:
            continue  # t = 0 exactly
        prod = h[i] * r[i]
        nonzero = nonzero or (h[i] != 0.0 and r[i] != 0.0)
        val += prod
        absum += abs(prod)
        bnd += abs(h[i]) * eps + he[i] * (abs(r[i]) + eps)
    bnd += (D + 2) * _U * absum
    if bnd == 0.0 and not nonzero:
        return val, 0.0  # every product is an exact 0
    return val, (bnd + D * _TINY) * (1.0 + 2.0**-40)


@njit(cache=True, nogil=True)
def _cross(A: NDArray[np.float64], AE: NDArray[np.float64], out: NDArray[np.float64]) -> float:
    """out = the generalized cross product of the D − 1 rows of A (out · x = det [A; x] up to
    one sign for all x), by expansion over column subsets; returns a bound on each
    coordinate's distance to the exact one (rows exact up to AE, entrywise).

    Every minor is a sum of signed products of one entry per row, so its rounding error
    is at most γ_K perm(|A|) ≤ γ_K Π‖A_i‖₁, K = D(D + 1)/2 + 2; a perturbation of the
    entries by AE moves it by at most Π(‖A_i‖₁ + ‖AE_i‖₁) − Π‖A_i‖₁.
    """
    k, D = A.shape
    full = (1 << D) - 1
    prev = np.zeros(1 << D)
    prev[0] = 1.0
    for i in range(k):
        cur = np.zeros(1 << D)
        for mask in range(1 << D):
            pm = prev[mask]
            if pm == 0.0:
                continue  # not an i-subset (or a zero minor, which adds nothing)
            for c in range(D):
                if mask & (1 << c):
                    continue
                # the sign of column c's position among the columns of mask | c
                after = _popcount(np.uint64(mask >> (c + 1)))
                sign = -1.0 if after % 2 else 1.0
                cur[mask | (1 << c)] += sign * A[i, c] * pm
        prev = cur
    for j in range(D):
        out[j] = prev[full & ~(1 << j)] * (-1.0 if (D - 1 - j) % 2 else 1.0)
    p0 = 1.0
    p1 = 1.0
    for i in range(k):
        s0 = 0.0
        s1 = 0.0
        for c in range(D):
            s0 += abs(A[i, c])
            s1 += abs(A[i, c]) + AE[i, c]
        p0 *= s0
        p1 *= s1
    K = D * (D + 1) // 2 + 2
    gam = K * _U / (1.0 - K * _U)
    eta = gam * p0 + (p1 - p0) * (1.0 + 4 * D * _U) + 4 * D * _U * p1 + 2 * D * _TINY
    return eta * (1.0 + 2.0**-40)


@njit(cache=True, nogil=True)
def _row(table: Any, g: int) -> Any:
    """The row (and its error bounds) of constraint g: one of the layer's rows being
    inserted, else one of the cell's row table."""
    LW, LE, slot, H, HE, hpos, c = table
    j = hpos[g]
    if j >= 0:
        return H[j, c], HE[j, c]
    return LW[slot[g]], LE[slot[g]]


@njit(cache=True, nogil=True)
def _new_ray(R: NDArray[np.float64], E: NDArray[np.float64], INF: NDArray[np.bool_],
             T: NDArray[np.uint64], RI: NDArray[np.int64], p: int, q: int,
             h: NDArray[np.float64], he: NDArray[np.float64], hid: int, table: Any,
             out: NDArray[np.float64], oI: NDArray[np.int64], A: NDArray[np.float64],
             AE: NDArray[np.float64]) -> float:
    """The ray where h = 0 on the edge pq, from D − 2 defining rows shared by p and q and
    h (rows looked up by id in ``table``), oriented towards the cell: writes the ray and
    its defining ids (h last); returns its error bound, or −1 if not certified."""
    D = R.shape[1]
    k = D - 1
    t = 0
    for a in range(k):
        ida = RI[p, a]
        for b in range(k):
            if RI[q, b] == ida and t < k - 1:
                oI[t] = ida
                row, err = _row(table, ida)
                A[t] = row
                AE[t] = err
                t += 1
                break
    if t < k - 1:
        return -1.0  # no D − 2 shared defining rows: a degenerate edge
    oI[k - 1] = hid
    A[k - 1] = h
    AE[k - 1] = he
    eta = _cross(A, AE, out)
    big = 0.0
    for i in range(D):
        big = max(big, abs(out[i]))
    if not (big > 4.0 * eta) or not np.isfinite(big):
        return -1.0
    # orientation: a defining row g of q not tight at p has one strict sign on the cell
    # away from its own facet, so the new ray (a positive combination of p and q, with
    # g(q) = 0) has the sign g(p) has
    for b in range(k):
        g = RI[q, b]
        if T[p, g // 64] & (np.uint64(1) << np.uint64(g % 64)):
            continue
        gw, ge = _row(table, g)
        v = 0.0
        absum = 0.0
        bnd = 0.0
        for i in range(D):
            v += gw[i] * out[i]
            absum += abs(gw[i] * out[i])
            bnd += abs(gw[i]) * eta + ge[i] * (abs(out[i]) + eta)
        bnd = (bnd + (D + 2) * _U * absum + D * _TINY) * (1.0 + 2.0**-40)
        vp, bp = _value(gw, ge, R[p], E[p], INF[p])
        if abs(v) <= bnd or abs(vp) <= bp:
            return -1.0
        s = 1.0 if (v > 0) == (vp > 0) else -1.0
        for i in range(D):
            out[i] = s * out[i] / big
        if INF[p] and INF[q]:
            out[D - 1] = 0.0
        return eta / big * (1.0 + 8 * _U) + _U
    return -1.0


@njit(cache=True, nogil=True)
def _grow(a: Any, need: int) -> Any:
    if need <= a.shape[0]:
        return a
    b = np.empty((max(need, 2 * a.shape[0]),) + a.shape[1:], dtype=a.dtype)
    b[: a.shape[0]] = a
    return b


@njit(cache=True, nogil=True)
def _rays(n: int, D: int, Wd: int) -> Any:
    """Empty ray buffers: R, E, INF, T, RI."""
    return (np.empty((n, D)), np.empty(n), np.empty(n, dtype=np.bool_),
            np.empty((n, Wd), dtype=np.uint64), np.empty((n, D - 1), dtype=np.int64))


@njit(cache=True, nogil=True)
def _more_rays(rays: Any, n: int) -> Any:
    """The ray buffers, grown to hold n rays."""
    R, E, INF, T, RI = rays
    if n <= R.shape[0]:
        return rays
    return _grow(R, n), _grow(E, n), _grow(INF, n), _grow(T, n), _grow(RI, n)


@njit(cache=True, nogil=True)
def _copy_ray(src: Any, i: int, dst: Any, o: int) -> None:
    dst[0][o] = src[0][i]
    dst[1][o] = src[1][i]
    dst[2][o] = src[2][i]
    dst[3][o] = src[3][i]
    dst[4][o] = src[4][i]


@njit(cache=True, nogil=True)
def _split(rays: Any, nr: int, r0: int, r1: int, sg: NDArray[np.int8], h: NDArray[np.float64],
           he: NDArray[np.float64], hid: int, keep: int, table: Any, buf: Any) -> Any:
    """Split the cell of rays r0..r1 (signs sg) by h, appending the rays of its children
    (side 1, then side 0, unless ``keep`` names one) at nr.  Returns (rays, nr, ends of
    the children's rays (−1 for a side not made), ok)."""
    R, E, INF, T, RI = rays
    out, A, AE = buf
    D = R.shape[1]
    Wd = T.shape[1]
    hw = hid // 64
    hb = np.uint64(1) << np.uint64(hid % 64)
    nv = r1 - r0
    P, Q = adjacent_pairs(T[r0:r1], np.flatnonzero(sg[:nv] > 0), np.flatnonzero(sg[:nv] < 0), D - 2)
    nnew = P.shape[0]
    base = nr + 2 * (nv + nnew)  # new rays written once past the children, then copied
    rays = _more_rays(rays, base + nnew)
    R, E, INF, T, RI = rays
    for t in range(nnew):
        p = r0 + P[t]
        q = r0 + Q[t]
        e = _new_ray(R, E, INF, T, RI, p, q, h, he, hid, table, out, RI[base + t], A, AE)
        if e < 0:
            return rays, nr, -1, -1, False
        R[base + t] = out
        E[base + t] = e
        INF[base + t] = INF[p] and INF[q]
        for w in range(Wd):
            T[base + t, w] = T[p, w] & T[q, w]
        T[base + t, hw] |= hb
    ends = np.full(2, -1, dtype=np.int64)
    for s in (1, 0):
        if keep >= 0 and keep != s:
            continue
        for t in range(nv):
            if sg[t] == 0 or (sg[t] > 0) == (s == 1):
                _copy_ray(rays, r0 + t, rays, nr)
                if sg[t] == 0:
                    T[nr, hw] |= hb
                nr += 1
        for t in range(nnew):
            _copy_ray(rays, base + t, rays, nr)
            nr += 1
        ends[1 - s] = nr
    return rays, nr, ends[0], ends[1], True


@njit(cache=True, nogil=True)
def _ball(work: Any, r0: int, r1: int, cen: NDArray[np.float64]) -> float:
    """A ball around the cell of rays r0..r1 (all with t > 0): writes its centre, returns a
    radius that provably holds every exact vertex, or −1 if a ray is at infinity (or too
    close to it to bound)."""
    R, E, INF = work[0], work[1], work[2]
    D = R.shape[1]
    d = D - 1
    m = r1 - r0
    for i in range(d):
        cen[i] = 0.0
    for r in range(r0, r1):
        t = R[r, d]
        if INF[r] or not t > 4.0 * E[r]:
            return -1.0
        for i in range(d):
            cen[i] += R[r, i] / t
    for i in range(d):
        cen[i] /= m
    rad = 0.0
    for r in range(r0, r1):
        t = R[r, d]
        dist = 0.0
        big = 1.0
        for i in range(d):
            x = R[r, i] / t
            dist += (x - cen[i]) * (x - cen[i])
            big = max(big, abs(x))
        # the exact vertex is within δ of the computed one in each coordinate
        delta = E[r] * (1.0 + big) / (t - E[r]) + 4.0 * _U * big
        rad = max(rad, np.sqrt(dist) + np.sqrt(d) * delta)
    return rad * (1.0 + 1e-12) + 4.0 * _U * np.sqrt(d) * (1.0 + np.abs(cen).max())


@njit(cache=True, nogil=True)
def _ball_side(H: NDArray[np.float64], HE: NDArray[np.float64], c: int, j: int,
               cen: NDArray[np.float64], rad: float) -> int:
    """The side (1 or 0) of the row H[j, c] on a ball (centre, radius) it provably misses,
    or −1 (it may meet the ball, or there is no ball: rad < 0)."""
    if rad < 0.0:
        return -1
    D = H.shape[2]
    v = H[j, c, D - 1]
    absv = abs(v)
    err = HE[j, c, D - 1]
    lin2 = 0.0
    for i in range(D - 1):
        hi = H[j, c, i]
        p = hi * cen[i]
        v += p
        absv += abs(p)
        lin2 += hi * hi
        err += HE[j, c, i] * (abs(cen[i]) + rad)
    bound = np.sqrt(lin2) * (1.0 + 4 * D * _U) * rad + err + (D + 2) * _U * absv
    if abs(v) > bound * (1.0 + 2.0**-40) + D * _TINY:
        return 1 if v > 0 else 0
    return -1


@njit(cache=True, nogil=True)
def _cut(rp: NDArray[np.int64], R: NDArray[np.float64], E: NDArray[np.float64],
         INF: NDArray[np.bool_], T: NDArray[np.uint64], C: NDArray[np.uint64],
         RI: NDArray[np.int64], qp: NDArray[np.int64], QI: NDArray[np.int64],
         QW: NDArray[np.float64], QE: NDArray[np.float64],
         H: NDArray[np.float64], HE: NDArray[np.float64], hids: NDArray[np.int64],
         keep: NDArray[np.int8]) -> Any:
    """Cut every cell c by the rows H[j, c] (ids hids[j]), one after another.  Returns the
    children (parent cell, bits, ray offsets and arrays, constraint sets), and −1 in
    status for each cell a step of which the float filter could not certify (it has no
    children here).  The sub-cells of a cell live in one buffer: a cell untouched by a
    row only gets its bit; a split one is replaced by its children, appended."""
    nc0 = rp.shape[0] - 1
    D = R.shape[1]
    Wd = T.shape[1]
    k = H.shape[0]
    src = (R, E, INF, T, RI)
    out = _rays(max(16, 2 * R.shape[0]), D, Wd)
    # the row tables: the parent's rows and the layer's, by id (slot), then each child's
    NID = 64 * Wd
    slot = np.full(NID, -1, dtype=np.int64)
    hpos = np.full(NID, -1, dtype=np.int64)  # the layer's rows: H[c, hpos[id]]
    for j in range(k):
        hpos[hids[j]] = j
    stamp = np.zeros(NID, dtype=np.int64)
    LI = np.empty(64, dtype=np.int64)
    LW = np.empty((64, D))
    LE = np.empty((64, D))
    o_qp = np.zeros(max(16, 2 * nc0) + 1, dtype=np.int64)
    o_QI = np.empty(max(16, 2 * QI.shape[0]), dtype=np.int64)
    o_QW = np.empty((max(16, 2 * QI.shape[0]), D))
    o_QE = np.empty((max(16, 2 * QI.shape[0]), D))
    nq_out = 0
    bufs = (np.empty(D), np.empty((D - 1, D)), np.empty((D - 1, D)))
    o_rp = np.zeros(max(16, 2 * nc0) + 1, dtype=np.int64)
    o_C = np.empty((max(16, 2 * nc0), Wd), dtype=np.uint64)
    o_B = np.empty((max(16, 2 * nc0), max(k, 1)), dtype=np.uint8)
    parent = np.empty(max(16, 2 * nc0), dtype=np.int64)
    status = np.zeros(nc0, dtype=np.int8)
    work = _rays(256, D, Wd)
    lo = np.empty(64, dtype=np.int64)
    hi = np.empty(64, dtype=np.int64)
    alive = np.empty(64, dtype=np.bool_)
    cC = np.empty((64, Wd), dtype=np.uint64)
    cB = np.empty((64, max(k, 1)), dtype=np.uint8)
    cen = np.empty((64, D - 1))
    rad = np.empty(64)
    hard = np.empty(max(k, 1), dtype=np.int64)
    vals = np.empty(64)
    sg = np.empty(64, dtype=np.int8)
    buf = np.empty(D)
    n_out = 0
    nr_out = 0
    for c in range(nc0):
        nv = rp[c + 1] - rp[c]
        work = _more_rays(work, nv)
        for t in range(nv):
            _copy_ray(src, rp[c] + t, work, t)
        nr = nv
        ns = 1
        lo[0] = 0
        hi[0] = nv
        alive[0] = True
        cC[0] = C[c]
        cB[0, :] = 0
        rad[0] = _ball(work, 0, nv, cen[0])
        nl = qp[c + 1] - qp[c]
        if nl > LI.shape[0]:
            LI, LW, LE = _grow(LI, nl), _grow(LW, nl), _grow(LE, nl)
        nl = 0
        for q in range(qp[c], qp[c + 1]):
            LI[nl] = QI[q]
            LW[nl] = QW[q]
            LE[nl] = QE[q]
            slot[QI[q]] = nl
            nl += 1
        table = (LW, LE, slot, H, HE, hpos, c)
        ok = True
        # first, every row that provably misses a ball around the whole cell: its side
        # holds for every sub-cell; only the others are inserted one by one
        nhard = 0
        for j in range(k):
            side = _ball_side(H, HE, c, j, cen[0], rad[0])
            if side < 0:
                hard[nhard] = j
                nhard += 1
                cB[0, j] = 0
            else:
                cB[0, j] = side
                if keep[c, j] >= 0 and keep[c, j] != side:
                    alive[0] = False
        for jj in range(nhard):
            if not alive[0] and ns == 1:
                break
            j = hard[jj]
            hid = hids[j]
            kj = keep[c, j]
            n_now = ns
            for s in range(n_now):
                if not alive[s]:
                    continue
                side = _ball_side(H, HE, c, j, cen[s], rad[s])
                if side >= 0:
                    if kj >= 0 and kj != side:
                        alive[s] = False
                    cB[s, j] = side
                    continue
                h = H[j, c]
                he = HE[j, c]
                r0, r1 = lo[s], hi[s]
                m = r1 - r0
                if m > vals.shape[0]:
                    vals = np.empty(2 * m)
                    sg = np.empty(2 * m, dtype=np.int8)
                npos = 0
                nneg = 0
                Rw, Ew, INFw = work[0], work[1], work[2]
                for t in range(m):
                    v, b = _value(h, he, Rw[r0 + t], Ew[r0 + t], INFw[r0 + t])
                    if abs(v) > b:
                        sg[t] = 1 if v > 0 else -1
                        npos += v > 0
                        nneg += v < 0
                    elif b == 0.0 and v == 0.0:
                        sg[t] = 0
                    else:
                        ok = False
                        break
                if not ok:
                    break
                if not (npos and nneg):
                    side = 1 if npos else 0
                    if kj >= 0 and kj != side:
                        alive[s] = False
                    cB[s, j] = side
                    continue
                start = nr
                work, nr, e1, e0, ok = _split(work, nr, r0, r1, sg, h, he, hid, kj, table, bufs)
                if not ok:
                    break
                alive[s] = False
                if ns + 2 > lo.shape[0]:
                    lo, hi, alive = _grow(lo, ns + 2), _grow(hi, ns + 2), _grow(alive, ns + 2)
                    cC, cB = _grow(cC, ns + 2), _grow(cB, ns + 2)
                    cen, rad = _grow(cen, ns + 2), _grow(rad, ns + 2)
                for s2, e in ((1, e1), (0, e0)):  # side 1's rays first, then side 0's
                    if e < 0:
                        continue
                    lo[ns] = start
                    hi[ns] = e
                    start = e
                    alive[ns] = True
                    cC[ns] = cC[s]
                    cC[ns, hid // 64] |= np.uint64(1) << np.uint64(hid % 64)
                    cB[ns] = cB[s]
                    cB[ns, j] = s2
                    rad[ns] = _ball(work, lo[ns], hi[ns], cen[ns])
                    ns += 1
            if not ok:
                break
        if not ok:
            status[c] = -1
        for s in range(ns):
            if not ok or not alive[s]:
                continue
            m = hi[s] - lo[s]
            out = _more_rays(out, nr_out + m)
            for t in range(m):
                _copy_ray(work, lo[s] + t, out, nr_out + t)
            nr_out += m
            if n_out + 1 >= o_rp.shape[0]:
                o_rp, o_qp = _grow(o_rp, n_out + 2), _grow(o_qp, n_out + 2)
            if n_out + 1 > o_C.shape[0]:
                o_C, o_B = _grow(o_C, n_out + 1), _grow(o_B, n_out + 1)
                parent = _grow(parent, n_out + 1)
            o_C[n_out] = cC[s]
            o_B[n_out] = cB[s]
            parent[n_out] = c
            # the child's row table: the rows its rays name, once each
            for t in range(lo[s], hi[s]):
                for a in range(D - 1):
                    g = work[4][t, a]
                    if stamp[g] != n_out + 1:
                        stamp[g] = n_out + 1
                        if nq_out + 1 > o_QI.shape[0]:
                            o_QI, o_QW = _grow(o_QI, nq_out + 1), _grow(o_QW, nq_out + 1)
                            o_QE = _grow(o_QE, nq_out + 1)
                        row, err = _row(table, g)
                        o_QI[nq_out] = g
                        o_QW[nq_out] = row
                        o_QE[nq_out] = err
                        nq_out += 1
            n_out += 1
            o_rp[n_out] = nr_out
            o_qp[n_out] = nq_out
        for q in range(nl):
            slot[LI[q]] = -1
    R2, E2, INF2, T2, RI2 = out
    return (parent[:n_out], o_B[:n_out], status, o_rp[: n_out + 1], R2[:nr_out], E2[:nr_out],
            INF2[:nr_out], T2[:nr_out], o_C[:n_out], RI2[:nr_out], o_qp[: n_out + 1],
            o_QI[:nq_out], o_QW[:nq_out], o_QE[:nq_out])


def cut_float(cells: FloatCells, H: NDArray[np.float64], HE: NDArray[np.float64],
              hids: Sequence[int], keep: NDArray[np.int8] | None = None) -> tuple[
                  NDArray[np.int64], NDArray[np.uint8], NDArray[np.int8], FloatCells]:
    """Cut each cell c by its rows ``H[j, c]`` (errors ``HE``, shape (k, cells, d + 1)),
    one after another, constraint ids ``hids``.

    Returns ``(parent, bits, status, children)``: each child's cell, its bits
    (1 where the row is > 0 on it; 0 where < 0 or identically 0), and −1 in
    ``status`` for each cell one of whose steps the float filter could not
    certify (such a cell has no children here).  With ``keep`` (cells, k),
    only the child with those bits is made (−1: both sides).
    """
    k, n = H.shape[0], H.shape[1]
    if keep is None:
        keep = np.full((n, k), -1, dtype=np.int8)
    out = _cut(cells.rp, cells.R, cells.E, cells.INF, cells.T, cells.C, cells.RI, cells.qp,
               cells.QI, cells.QW, cells.QE, np.ascontiguousarray(H), np.ascontiguousarray(HE),
               np.asarray(hids, dtype=np.int64), np.ascontiguousarray(keep, dtype=np.int8))
    return out[0], out[1], out[2], FloatCells(*out[3:])


# ----------------------------------------------------------------------
# Exact cells
# ----------------------------------------------------------------------


class ExactCell:
    """One cell in exact integer arithmetic: rays and lineality vectors as tuples of
    Python ints (homogeneous, primitive), tight sets as a uint64 bitset array."""

    __slots__ = ("C", "L", "R", "T")

    def __init__(self, R: list[tuple[int, ...]], T: NDArray[np.uint64],
                 L: list[tuple[int, ...]], C: NDArray[np.uint64]) -> None:
        self.R, self.T, self.L, self.C = R, T, L, C


def _primitive(v: Sequence[int]) -> tuple[int, ...]:
    g = 0
    for x in v:
        g = math.gcd(g, x)
    return tuple(x // g for x in v) if g > 1 else tuple(v)


def _dot(h: Sequence[int], r: Sequence[int]) -> int:
    return sum([a * b for a, b in zip(h, r) if a and b])


def _setbit(row: NDArray[np.uint64], hid: int) -> NDArray[np.uint64]:
    out = row.copy()
    out[..., hid // 64] |= np.uint64(1) << np.uint64(hid % 64)
    return out


def insert_exact(cell: ExactCell, h: Sequence[int], hid: int) -> list[tuple[int, ExactCell]]:
    """Insert the integer row ``h`` (constraint id ``hid``) into ``cell``: the list of
    (side, child), side 1 where h > 0 and 0 where h < 0 (or h is zero on the cell)."""
    lv = [_dot(h, l) for l in cell.L]
    nz = [j for j, v in enumerate(lv) if v]
    C2 = _setbit(cell.C, hid)
    if nz:
        j = max(nz, key=lambda t: abs(lv[t]))
        vs, ls = lv[j], cell.L[j]
        sgn = 1 if vs > 0 else -1
        proj = [_primitive([abs(vs) * a - sgn * _dot(h, r) * b for a, b in zip(r, ls)]) for r in cell.R]
        lin = [_primitive([vs * a - lv[t] * b for a, b in zip(cell.L[t], ls)])
               for t in range(len(cell.L)) if t != j]
        T = _setbit(cell.T, hid) if len(cell.R) else cell.T.copy()
        out = []
        for s, d in ((1, sgn), (0, -sgn)):
            R = proj + [tuple(d * b for b in ls)]
            out.append((s, ExactCell(R, np.vstack([T, cell.C[None, :]]), lin, C2)))
        return out
    vals = [_dot(h, r) for r in cell.R]
    pos = np.array([k for k, v in enumerate(vals) if v > 0], dtype=np.int64)
    neg = np.array([k for k, v in enumerate(vals) if v < 0], dtype=np.int64)
    zer = [k for k, v in enumerate(vals) if v == 0]
    if not pos.size or not neg.size:
        return [(1 if pos.size else 0, cell)]
    P, Q = adjacent_pairs(cell.T, pos, neg, len(h) - 2 - len(cell.L))
    newR = [_primitive([vals[p] * a - vals[q] * b for a, b in zip(cell.R[q], cell.R[p])])
            for p, q in zip(P.tolist(), Q.tolist())]
    newT = _setbit(cell.T[P] & cell.T[Q], hid)
    zT = _setbit(cell.T[zer], hid)
    out = []
    for s, same in ((1, pos), (0, neg)):
        R = [cell.R[k] for k in same.tolist()] + [cell.R[k] for k in zer] + newR
        T = np.vstack([cell.T[same], zT, newT])
        out.append((s, ExactCell(R, T, list(cell.L), C2)))
    return out


def exact_interior_point(cell: ExactCell) -> tuple[Fraction, ...]:
    """An exact point of the open cell: the sum of its rays, each scaled to max-norm 1 (so
    that no ray far out swamps the others), dehomogenized."""
    D = len(cell.R[0])
    s = [Fraction(0)] * D
    for r in cell.R:
        big = max(abs(v) for v in r)
        for i in range(D):
            s[i] += Fraction(r[i], big)
    return tuple(v / s[-1] for v in s[:-1])


def to_float_cells(cells: Sequence[ExactCell], W: int,
                   rows: Sequence[dict[int, tuple[int, ...]]]) -> FloatCells:
    """Exact cells (without lineality) rounded to float64 cells: rays normalized, with the
    bounds of their rounding, and D − 1 independent defining rows each, chosen among its
    tight constraints (``rows[c]`` maps a constraint id of cell c to its integer row)."""
    D = len(cells[0].R[0])
    k = D - 1
    rp, qp = [0], [0]
    R: list[list[float]] = []
    E: list[float] = []
    INF: list[bool] = []
    T: list[NDArray[np.uint64]] = []
    RI: list[list[int]] = []
    QI: list[int] = []
    Q: list[list[Any]] = []
    for cell, by_id in zip(cells, rows):
        if cell.L:
            raise ValueError("a cell with lineality has no float form")
        used: set[int] = set()
        for r, t in zip(cell.R, cell.T):
            f, e = round_ray(r)
            R.append(f)
            E.append(e)
            INF.append(r[-1] == 0)
            ids = [i for i in range(64 * W) if int(t[i // 64]) >> (i % 64) & 1]
            chosen: list[int] = []
            for i in ids:
                if i in by_id and _exact.rank_exact([by_id[j] for j in chosen + [i]]) == len(chosen) + 1:
                    chosen.append(i)
                    if len(chosen) == k:
                        break
            if len(chosen) < k:
                raise ValueError("a ray without D − 1 independent tight rows")
            RI.append(chosen)
            used.update(chosen)
        for i in sorted(used):
            QI.append(i)
            Q.append(list(by_id[i]))
        T.append(cell.T.reshape(-1, W))
        rp.append(len(R))
        qp.append(len(QI))
    # positive scalings of integer rows keep their hyperplanes: each row scaled into
    # [1/2, 1] by a power of two, correctly rounded (unit_rows), so nothing overflows
    QW = _exact.unit_rows(Q, D) if Q else np.zeros((0, D))
    QE = np.where(np.array(Q, dtype=object).reshape(len(Q), D) != 0,
                  np.abs(QW) * _U + 2.0**-1074, 0.0).astype(np.float64) if Q else np.zeros((0, D))
    return FloatCells(np.array(rp, dtype=np.int64), np.array(R, dtype=np.float64).reshape(-1, D),
                      np.array(E, dtype=np.float64), np.array(INF, dtype=bool),
                      np.concatenate(T).astype(np.uint64) if T else np.zeros((0, W), dtype=np.uint64),
                      np.array([c.C for c in cells], dtype=np.uint64).reshape(-1, W),
                      np.array(RI, dtype=np.int64).reshape(-1, k), np.array(qp, dtype=np.int64),
                      np.array(QI, dtype=np.int64), QW.reshape(-1, D), QE.reshape(-1, D))


def round_ray(r: Sequence[int | Fraction]) -> tuple[list[float], float]:
    """An exact vector scaled to max-norm 1 and rounded, with its error bound."""
    big = max(abs(Fraction(v)) for v in r)
    f = [float(Fraction(v) / big) for v in r]
    return f, 2 * _U


def box_rows(lo: Sequence[Fraction], hi: Sequence[Fraction]) -> dict[int, tuple[int, ...]]:
    """The integer rows, oriented inward, of the box's facets (ids as in ``box_cell``) and
    of t ≥ 0 (id 0)."""
    d = len(lo)
    out: dict[int, tuple[int, ...]] = {0: tuple([0] * d + [1])}
    for j in range(d):
        e = [0] * d
        e[j] = -1
        out[1 + 2 * j] = _exact.integer_row(e + [Fraction(hi[j])])  # hi_j t − x_j ≥ 0
        e[j] = 1
        out[2 + 2 * j] = _exact.integer_row(e + [-Fraction(lo[j])])  # x_j − lo_j t ≥ 0
    return out


def root_cell(d: int, W: int) -> ExactCell:
    """The cone {t ≥ 0} over R^d: one ray (0, …, 0, 1), lineality R^d, constraint 0 (t ≥ 0)."""
    ray = tuple([0] * d + [1])
    lin = [tuple(1 if i == j else 0 for i in range(d + 1)) for j in range(d)]
    C = np.zeros(W, dtype=np.uint64)
    C[0] = np.uint64(1)
    return ExactCell([ray], np.zeros((1, W), dtype=np.uint64), lin, C)


def box_cell(lo: Sequence[Fraction], hi: Sequence[Fraction], W: int) -> ExactCell:
    """The cone over the box lo ≤ x ≤ hi: its 2^d vertices; facet ids 1 + 2j (x_j ≤ hi_j)
    and 2 + 2j (x_j ≥ lo_j)."""
    import itertools

    d = len(lo)
    den = 1
    for v in list(lo) + list(hi):
        den = den * Fraction(v).denominator // math.gcd(den, Fraction(v).denominator)
    R = []
    T = []
    for corner in itertools.product((0, 1), repeat=d):
        x = [int(Fraction(hi[j] if c else lo[j]) * den) for j, c in enumerate(corner)]
        R.append(_primitive(x + [den]))
        row = np.zeros(W, dtype=np.uint64)
        for j, c in enumerate(corner):
            fid = 1 + 2 * j if c else 2 + 2 * j
            row[fid // 64] |= np.uint64(1) << np.uint64(fid % 64)
        T.append(row)
    C = np.zeros(W, dtype=np.uint64)
    for fid in range(0, 2 * d + 1):
        C[fid // 64] |= np.uint64(1) << np.uint64(fid % 64)
    return ExactCell(R, np.array(T, dtype=np.uint64).reshape(-1, W), [], C)


def float_rows(rows: NDArray[Any]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Exact rows (object array) as float64 with entrywise rounding bounds."""
    F = np.array([[float(v) if abs(v) < 2**1000 else (math.inf if v > 0 else -math.inf) for v in r]
                  for r in rows.tolist()], dtype=np.float64).reshape(rows.shape)
    E = np.where(F == 0, 0.0, np.abs(F) * _U)
    flat = [Fraction(f) == v for f, v in zip(F.reshape(-1).tolist(), rows.reshape(-1).tolist())]
    exact = np.asarray(flat, dtype=np.bool_).reshape(rows.shape)
    E[exact] = 0.0
    E[~np.isfinite(F)] = np.inf
    return F, E
