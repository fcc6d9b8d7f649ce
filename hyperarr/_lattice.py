"""The intersection lattice, flat by flat, on exact integer data (private).

Every flat X of an arrangement is stored once, keyed by its *closure*: the
set of hyperplanes that contain it.  A flat carries

* ``free``: the coordinates that parametrize it.  They are the complement
  of the pivot columns of the reduced row echelon form of its equations, so
  they do not depend on the order in which hyperplanes were intersected;
* ``rows``: its *traces*, the distinct hyperplanes of X cut by the other
  hyperplanes, as coprime integer rows ``[a | b]`` over ``free`` whose first
  nonzero coefficient is positive;
* ``tmap``/``tsign``: for every input hyperplane u, the trace it induces
  (``tsign[u]`` is the orientation, ±1), or −1 if u contains X (sign 0),
  or −2 if u is parallel to X (constant sign ``tsign[u]``).

Because traces are computed by fraction-free elimination followed by gcd
normalization, a trace row is the unique primitive integer row of that
hyperplane of X: two paths to the same flat give the same data, and the
memo is sound.

Both the region enumeration (:mod:`hyperarr.regions`) and the
characteristic polynomial (:mod:`hyperarr.counting`) walk this lattice.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact
from hyperarr.exceptions import WitnessError

__all__: list[str] = []

_INT_SAFE = 2**31  # entries below this keep fraction-free products in int64


class Flat:
    """One flat of the lattice (see the module docstring)."""

    __slots__ = ("key", "free", "rows", "rows_f", "rows_exact", "tmap", "tsign",
                 "trace_min", "rep", "group_mask", "children", "regions", "chi")

    def __init__(self, key: int, free: tuple[int, ...], rows: NDArray[Any],
                 tmap: NDArray[np.int64], tsign: NDArray[np.int8],
                 trace_min: NDArray[np.int64]) -> None:
        self.key = key
        self.free = free
        self.rows = rows
        self.rows_f = rows.astype(np.float64)
        self.rows_exact = [tuple(int(v) for v in r) for r in rows.tolist()]
        self.tmap = tmap
        self.tsign = tsign
        self.trace_min = trace_min
        t = rows.shape[0]
        rep = np.full(t, -1, dtype=np.int64)
        masks = [0] * t
        for u, l in enumerate(tmap.tolist()):
            if l >= 0:
                masks[l] |= 1 << u
                if rep[l] < 0:
                    rep[l] = u
        self.rep = rep
        self.group_mask = masks
        self.children: dict[int, tuple["Flat", int]] = {}
        self.regions: tuple[NDArray[np.int8], NDArray[np.float64]] | None = None
        self.chi: Any = None

    @property
    def dim(self) -> int:
        return len(self.free)

    @property
    def n_traces(self) -> int:
        return self.rows.shape[0]


def _normalize(rows: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.int8], NDArray[np.bool_]]:
    """Make integer rows primitive with a positive leading coefficient.

    Returns (rows, orientation, is_constant): ``orientation`` is the factor's
    sign (row_in = positive * orientation * row_out); ``is_constant`` marks rows
    whose normal part vanished (the hyperplane is parallel to the flat).
    """
    m = rows.shape[1] - 1
    if rows.dtype == object:
        out = []
        orient = np.ones(rows.shape[0], dtype=np.int8)
        const = np.zeros(rows.shape[0], dtype=bool)
        for i, r in enumerate(rows.tolist()):
            g = 0
            for v in r:
                g = math.gcd(g, v)
            if g > 1:
                r = [v // g for v in r]
            lead = next((v for v in r[:m] if v), 0)
            if lead == 0:
                const[i] = True
                orient[i] = 1 if r[m] < 0 else -1  # constant sign of 0·y − b
            elif lead < 0:
                r = [-v for v in r]
                orient[i] = -1
            out.append(r)
        arr = np.array(out, dtype=object).reshape(rows.shape)
        if arr.size and max(abs(v) for v in arr.ravel().tolist()) < _INT_SAFE:
            arr = arr.astype(np.int64)
        return arr, orient, const
    g = np.gcd.reduce(rows, axis=1)
    g[g == 0] = 1
    rows = rows // g[:, None]
    normal = rows[:, :m]
    nz = normal != 0
    const = ~nz.any(axis=1)
    lead = normal[np.arange(rows.shape[0]), np.argmax(nz, axis=1)]
    orient = np.where(lead < 0, -1, 1).astype(np.int8)
    orient[const] = np.where(rows[const, m] < 0, 1, -1)
    flip = (lead < 0) & ~const
    rows = rows.copy()
    rows[flip] = -rows[flip]
    return rows, orient, const


class Lattice:
    """Lazily built intersection lattice of integer rows ``[a | b]``.

    Parameters
    ----------
    rows : sequence of integer tuples, length d+1 each
        Distinct, primitive rows with a positive leading coefficient (zero
        normals are not allowed here).
    dim : int
    witnesses : bool
        If False, regions carry sign vectors only (their witness columns are
        left as NaN); used where only the combinatorics is needed.
    """

    def __init__(self, rows: Sequence[Sequence[int]], dim: int, witnesses: bool = True) -> None:
        self.witnesses = witnesses
        self.h = len(rows)
        self.d = dim
        big = any(abs(v) >= _INT_SAFE for r in rows for v in r)
        arr = np.array([list(r) for r in rows], dtype=object if big else np.int64)
        arr = arr.reshape(self.h, dim + 1)
        tmap = np.arange(self.h, dtype=np.int64)
        tsign = np.ones(self.h, dtype=np.int8)
        self.top = Flat(0, tuple(range(dim)), arr, tmap, tsign, np.arange(self.h, dtype=np.int64))
        self.flats: dict[int, Flat] = {0: self.top}

    # ------------------------------------------------------------------
    def child(self, flat: Flat, j: int) -> tuple[Flat, int]:
        """The flat ``flat ∩ trace j`` and the position (in ``flat.free``) of
        the coordinate it eliminates."""
        hit = flat.children.get(j)
        if hit is not None:
            return hit
        rows = flat.rows
        m = flat.dim
        rj = rows[j]
        k = int(np.flatnonzero(rj[:m])[0]) if rows.dtype != object else next(
            c for c in range(m) if rj[c])
        key = flat.key | flat.group_mask[j]
        known = self.flats.get(key)
        if known is not None:
            flat.children[j] = (known, k)
            return known, k
        a = rj[k]  # positive by normalization
        if rows.dtype != object and np.abs(rows).max(initial=0) >= _INT_SAFE:
            rows = rows.astype(object)
            rj = rows[j]
        new = a * rows - rows[:, k : k + 1] * rj[None, :]
        new = np.delete(new, k, axis=1)
        keep = np.ones(rows.shape[0], dtype=bool)
        keep[j] = False
        sub = new[keep]
        norm, orient, const = _normalize(sub)
        old_index = np.flatnonzero(keep)
        # Distinct traces on the child, ordered by the first input hyperplane.
        live = ~const
        live_rows = norm[live]
        mins = flat.trace_min[old_index[live]]
        if live_rows.shape[0]:
            if live_rows.dtype == object:
                seen: dict[tuple[int, ...], int] = {}
                inv = np.empty(live_rows.shape[0], dtype=np.int64)
                for i, r in enumerate(map(tuple, live_rows.tolist())):
                    inv[i] = seen.setdefault(r, len(seen))
                uniq = np.array([list(r) for r in seen], dtype=object).reshape(len(seen), m)
            else:
                uniq, inv = np.unique(live_rows, axis=0, return_inverse=True)
                inv = inv.reshape(-1)
            umin = np.full(uniq.shape[0], np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(umin, inv, mins)
            order = np.argsort(umin, kind="stable")
            rank = np.empty_like(order)
            rank[order] = np.arange(order.size)
            uniq = uniq[order]
            umin = umin[order]
            inv = rank[inv]
        else:
            uniq = np.zeros((0, m), dtype=np.int64)
            umin = np.zeros(0, dtype=np.int64)
            inv = np.zeros(0, dtype=np.int64)
        # Map every input hyperplane u to its trace on the child.
        trace_of_old = np.full(rows.shape[0], -2, dtype=np.int64)
        orient_of_old = np.zeros(rows.shape[0], dtype=np.int8)
        live_old = old_index[live]
        trace_of_old[live_old] = inv
        orient_of_old[old_index] = orient
        trace_of_old[j] = -1
        tmap = flat.tmap.copy()
        tsign = flat.tsign.copy()
        on = tmap >= 0
        old = tmap[on]
        tmap[on] = trace_of_old[old]
        tsign[on] = tsign[on] * orient_of_old[old]
        tsign[tmap == -1] = 0
        free = flat.free[:k] + flat.free[k + 1 :]
        child = Flat(key, free, uniq, tmap, tsign, umin)
        self.flats[key] = child
        flat.children[j] = (child, k)
        return child, k


# ----------------------------------------------------------------------
# Regions of a flat
# ----------------------------------------------------------------------


def flat_regions(lat: Lattice, flat: Flat) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """Regions of the arrangement induced on ``flat``.

    Returns ``(S, W)``: S is int8 (m, h), the sign of every input hyperplane
    (0 for those containing the flat), and W is float64 (m, dim), witnesses
    in the flat's free coordinates, each checked exactly.
    """
    if flat.regions is not None:
        return flat.regions
    if flat.n_traces == 0:
        S = flat.tsign[None, :].copy()
        W = np.zeros((1, flat.dim))
    elif flat.dim == 1:
        S, W = _line_regions(flat, lat.witnesses)
    else:
        parts_S = []
        parts_W = []
        for j in range(flat.n_traces):
            child, k = lat.child(flat, j)
            Sc, Wc = flat_regions(lat, child)
            s2, w2 = _lift(lat, flat, j, k, Sc, Wc)
            parts_S.append(s2)
            parts_W.append(w2)
        S = np.concatenate(parts_S)
        W = np.concatenate(parts_W)
        _, first = np.unique(pack(S), return_index=True)
        first.sort()
        S, W = S[first], W[first]
    S.setflags(write=False)
    W.setflags(write=False)
    flat.regions = (S, W)
    return flat.regions


def _expand(flat: Flat, trace_signs: NDArray[np.int8]) -> NDArray[np.int8]:
    """Signs of the input hyperplanes from the signs of the flat's traces."""
    m = trace_signs.shape[0]
    S = np.broadcast_to(flat.tsign, (m, flat.tmap.size)).copy()
    on = flat.tmap >= 0
    S[:, on] = trace_signs[:, flat.tmap[on]] * flat.tsign[on]
    return S


def _line_regions(flat: Flat, witnesses: bool) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """A flat of dimension 1: the traces are points; the regions are intervals."""
    pts = [Fraction(int(b), int(a)) for a, b in flat.rows_exact]
    order = sorted(range(len(pts)), key=pts.__getitem__)
    sorted_pts = [pts[i] for i in order]
    t = len(pts)
    wit = np.full(t + 1, np.nan)
    if witnesses:
        wit[0] = _float_in(None, sorted_pts[0])
        wit[t] = _float_in(sorted_pts[-1], None)
        for i in range(1, t):
            wit[i] = _float_in(sorted_pts[i - 1], sorted_pts[i])
    rank = np.empty(t, dtype=np.int64)
    rank[order] = np.arange(t)
    interval = np.arange(t + 1)[:, None]
    trace_signs = np.where(rank[None, :] < interval, 1, -1).astype(np.int8)
    return _expand(flat, trace_signs), wit[:, None]


def _float_in(lo: Fraction | None, hi: Fraction | None) -> float:
    """A float64 strictly inside the open interval (lo, hi) of rationals."""
    if lo is None and hi is None:
        return 0.0
    if lo is None:
        assert hi is not None
        x = math.floor(hi) - 1.0
        return float(x)
    if hi is None:
        return float(math.ceil(lo) + 1.0)
    cand = float((lo + hi) / 2)
    if lo < Fraction(cand) < hi:
        return cand
    x = math.nextafter(float(lo), math.inf)
    while Fraction(x) <= lo:
        x = math.nextafter(x, math.inf)
    if Fraction(x) < hi:
        return x
    raise WitnessError(
        f"no float64 lies strictly between {float(lo)!r} and {float(hi)!r}; "
        "the region is thinner than the float grid"
    )


def _lift(lat: Lattice, flat: Flat, j: int, k: int, Sc: NDArray[np.int8],
          Wc: NDArray[np.float64]) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """Regions of ``flat`` on both sides of trace j, from the regions (Sc, Wc)
    of the child flat ∩ trace j: each region of the child is a facet, and the
    sign vectors of the two lifts follow from it combinatorially."""
    mc = Sc.shape[0]
    S = np.concatenate([Sc, Sc])
    group = flat.tmap == j
    S[:mc, group] = flat.tsign[group]
    S[mc:, group] = -flat.tsign[group]
    if not lat.witnesses:
        return S, np.full((2 * mc, flat.dim), np.nan)
    R = flat.rows_f
    m = flat.dim
    cols = [c for c in range(m) if c != k]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        V = Wc @ R[:, cols].T - R[:, m]
        coef = R[:, k]
        tc = -V / coef
        t0 = tc[:, j]
        other = coef != 0
        other[j] = False
        tco = tc[:, other]
        above = np.where(tco > t0[:, None], tco, np.inf).min(axis=1, initial=np.inf)
        below = np.where(tco < t0[:, None], tco, -np.inf).max(axis=1, initial=-np.inf)
        step = np.maximum(1.0, np.abs(t0))
        t_plus = np.where(np.isfinite(above), 0.5 * (t0 + above), t0 + step)
        t_minus = np.where(np.isfinite(below), 0.5 * (t0 + below), t0 - step)
    W = np.empty((2 * mc, m))
    W[:mc, cols] = Wc
    W[mc:, cols] = Wc
    W[:mc, k] = t_plus
    W[mc:, k] = t_minus
    # Check every witness exactly against the expected trace signs.
    expected = S[:, flat.rep] * flat.tsign[flat.rep]
    got = _exact.affine_signs(R, flat.rows_exact, W)
    bad = np.flatnonzero((got != expected).any(axis=1))
    for r in bad.tolist():
        W[r, k] = _repair(flat, j, k, W[r], +1 if r < mc else -1)
    return S, W


def _repair(flat: Flat, j: int, k: int, w: NDArray[np.float64], side: int) -> float:
    """Exact choice of the free coordinate k for one lifted witness."""
    m = flat.dim
    y = [Fraction(v) for v in w.tolist()]
    crossings = []
    t0 = None
    for l, row in enumerate(flat.rows_exact):
        a = row[k]
        if a == 0:
            continue
        rest = sum((row[c] * y[c] for c in range(m) if c != k), Fraction(0)) - row[m]
        t = -rest / a
        if l == j:
            t0 = t
        else:
            crossings.append(t)
    assert t0 is not None
    if side > 0:
        hi = min((t for t in crossings if t > t0), default=None)
        return _float_in(t0, hi)
    lo = max((t for t in crossings if t < t0), default=None)
    return _float_in(lo, t0)


# ----------------------------------------------------------------------
# Sign-vector keys
# ----------------------------------------------------------------------


def pack(S: NDArray[np.int8]) -> NDArray[Any]:
    """One hashable, sortable key per row of a sign matrix with entries in {−1, 0, 1}."""
    m, n = S.shape
    if n == 0:
        return np.zeros(m, dtype=np.uint64)
    if (S == 0).any():
        bits = np.concatenate([S > 0, S < 0], axis=1)
    else:
        bits = S > 0
    packed = np.packbits(bits, axis=1)
    nb = packed.shape[1]
    if nb <= 8:
        pad = np.zeros((m, 8), dtype=np.uint8)
        pad[:, 8 - nb :] = packed
        return pad.view(">u8").reshape(m).astype(np.uint64)
    return np.ascontiguousarray(packed).view(np.dtype((np.void, nb))).reshape(m)


# ----------------------------------------------------------------------
# Characteristic polynomial by deletion-restriction over the lattice
# ----------------------------------------------------------------------


def flat_chi(lat: Lattice, flat: Flat) -> list[list[int]]:
    """Prefix table of characteristic polynomials on ``flat``.

    Entry s is χ of the arrangement of the first s traces of the flat (traces
    ordered by their first input hyperplane), as a coefficient list indexed
    by power of t.  Deletion-restriction in that order gives
    χ_s = χ_{s−1} − χ(flat ∩ trace s−1, traces before it).
    """
    if flat.chi is not None:
        return flat.chi
    dim = flat.dim
    base = [0] * (dim + 1)
    base[dim] = 1
    table = [base]
    if dim == 0:
        flat.chi = table
        return table
    if dim == 1:
        for s in range(flat.n_traces):
            cur = list(table[-1])
            cur[0] -= 1
            table.append(cur)
        flat.chi = table
        return table
    for s in range(flat.n_traces):
        child, _ = lat.child(flat, s)
        bound = flat.trace_min[s]
        ctab = flat_chi(lat, child)
        cnt = int(np.searchsorted(child.trace_min, bound, side="left"))
        sub = ctab[cnt]
        cur = list(table[-1])
        for p, c in enumerate(sub):
            cur[p] -= c
        table.append(cur)
    flat.chi = table
    return table
