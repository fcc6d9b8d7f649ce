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

import bisect
import math
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact
from hyperarr.exceptions import OutputTooLargeError, WitnessError

__all__: list[str] = []



class Flat:
    """One flat of the lattice (see the module docstring)."""

    __slots__ = ("key", "free", "rows_exact", "tmap", "tsign", "trace_min", "rep",
                 "group_mask", "pivot", "children", "regions", "chi", "_rows_f")

    def __init__(self, key: int, free: tuple[int, ...], rows: list[tuple[int, ...]],
                 tmap: NDArray[np.int64], tsign: NDArray[np.int8],
                 trace_min: list[int], group_mask: list[int], rep: list[int]) -> None:
        self.key = key
        self.free = free
        self.rows_exact = rows
        self.tmap = tmap
        self.tsign = tsign
        self.trace_min = trace_min
        self.group_mask = group_mask
        self.rep = np.array(rep, dtype=np.int64)
        # The coordinate each trace eliminates: its first nonzero coefficient.
        self.pivot = [next(c for c, v in enumerate(r) if v) for r in rows]
        self.children: dict[int, "Flat"] = {}
        self.regions: tuple[NDArray[np.int8], NDArray[np.float64]] | None = None
        self.chi: Any = None
        self._rows_f: NDArray[np.float64] | None = None

    @property
    def dim(self) -> int:
        return len(self.free)

    @property
    def n_traces(self) -> int:
        return len(self.rows_exact)

    @property
    def rows_f(self) -> NDArray[np.float64]:
        """The trace rows in float64, each scaled by a power of two (exact
        positive factor) so that no entry overflows."""
        if self._rows_f is None:
            self._rows_f = _exact.float_rows(self.rows_exact, self.dim + 1)
        return self._rows_f


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

    #: Refuse lattices larger than this (about 1 KB per flat, plus regions).
    max_flats = 500_000

    def __init__(self, rows: Sequence[Sequence[int]], dim: int, witnesses: bool = True) -> None:
        self.witnesses = witnesses
        self.h = len(rows)
        self.d = dim
        tmap = np.arange(self.h, dtype=np.int64)
        tsign = np.ones(self.h, dtype=np.int8)
        self.top = Flat(0, tuple(range(dim)), [tuple(int(v) for v in r) for r in rows],
                        tmap, tsign, list(range(self.h)), [1 << u for u in range(self.h)],
                        list(range(self.h)))
        self.flats: dict[int, Flat] = {0: self.top}

    # ------------------------------------------------------------------
    def child(self, flat: Flat, j: int) -> Flat:
        """The flat ``flat ∩ trace j``; it eliminates coordinate ``flat.pivot[j]``."""
        hit = flat.children.get(j)
        if hit is not None:
            return hit
        key = flat.key | flat.group_mask[j]
        known = self.flats.get(key)
        if known is not None:
            flat.children[j] = known
            return known
        rows = flat.rows_exact
        m = flat.dim
        rj = rows[j]
        k = flat.pivot[j]
        a = rj[k]  # positive by normalization
        keep = [c for c in range(m + 1) if c != k]
        index: dict[tuple[int, ...], int] = {}
        trace_min: list[int] = []
        masks: list[int] = []
        rep: list[int] = []
        trace_of = [-1] * len(rows)
        orient_of = [0] * len(rows)
        for l, r in enumerate(rows):
            if l == j:
                continue
            f = r[k]
            new = [a * r[c] - f * rj[c] for c in keep] if f else [r[c] for c in keep]
            g = math.gcd(*new)
            if g > 1:
                new = [v // g for v in new]
            lead = next((v for v in new[:-1] if v), 0)
            if lead == 0:  # parallel to the child: constant sign of 0·y − b
                trace_of[l] = -2
                orient_of[l] = 1 if new[-1] < 0 else -1
                continue
            if lead < 0:
                new = [-v for v in new]
                orient_of[l] = -1
            else:
                orient_of[l] = 1
            tup = tuple(new)
            idx = index.get(tup)
            if idx is None:
                idx = index[tup] = len(trace_min)
                trace_min.append(flat.trace_min[l])
                masks.append(flat.group_mask[l])
                rep.append(int(flat.rep[l]))
            else:
                masks[idx] |= flat.group_mask[l]
            trace_of[l] = idx
        tmap = flat.tmap.copy()
        tsign = flat.tsign.copy()
        on = tmap >= 0
        old = tmap[on]
        tmap[on] = np.array(trace_of, dtype=np.int64)[old]
        tsign[on] = tsign[on] * np.array(orient_of, dtype=np.int8)[old]
        tsign[tmap == -1] = 0
        free = flat.free[:k] + flat.free[k + 1 :]
        child = Flat(key, free, list(index), tmap, tsign, trace_min, masks, rep)
        self.flats[key] = child
        if len(self.flats) > self.max_flats:
            raise OutputTooLargeError(
                f"the intersection lattice has more than max_flats={self.max_flats} flats "
                f"(an arrangement of {self.h} distinct hyperplanes in R^{self.d}); "
                "this exact computation would not fit in memory"
            )
        flat.children[j] = child
        return child


# ----------------------------------------------------------------------
# Regions of a flat
# ----------------------------------------------------------------------


def levels(lat: Lattice, flat: Flat) -> list[list[Flat]]:
    """All flats below ``flat`` (itself included), by dimension, discovered
    breadth-first in trace order (so the order is deterministic)."""
    by_dim: list[list[Flat]] = [[] for _ in range(flat.dim + 1)]
    seen = {flat.key}
    by_dim[flat.dim].append(flat)
    for dim in range(flat.dim, 1, -1):
        for f in by_dim[dim]:
            for j in range(f.n_traces):
                child = lat.child(f, j)
                if child.key not in seen:
                    seen.add(child.key)
                    by_dim[dim - 1].append(child)
    return by_dim


def flat_regions(lat: Lattice, flat: Flat) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """Regions of the arrangement induced on ``flat``.

    Returns ``(S, W)``: S is int8 (m, h), the sign of every input hyperplane
    (0 for those containing the flat), and W is float64 (m, dim), witnesses
    in the flat's free coordinates, each checked exactly.

    The flats below ``flat`` are processed bottom-up, one dimension at a
    time; the tables of a level are released once the level above is built,
    so memory peaks at two consecutive levels.
    """
    if flat.regions is not None:
        return flat.regions
    by_dim = levels(lat, flat)
    for dim in range(1, flat.dim + 1):
        for f in by_dim[dim]:
            if f.regions is None:
                f.regions = _regions_of(lat, f)
        if dim >= 2:
            for f in by_dim[dim - 1]:
                f.regions = None
    result = flat.regions
    assert result is not None
    return result


def _regions_of(lat: Lattice, flat: Flat) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    if flat.n_traces == 0:
        S = flat.tsign[None, :].copy()
        W = np.zeros((1, flat.dim))
    elif flat.dim == 1:
        S, W = _line_regions(flat, lat.witnesses)
    else:
        pencil = _pencil_regions(flat) if flat.dim == 2 and _is_linear(flat) else None
        S, W = pencil if pencil is not None else _lift_all(lat, flat)
    S.setflags(write=False)
    W.setflags(write=False)
    return S, W


def _is_linear(flat: Flat) -> bool:
    """Every trace through the origin of the free coordinates, none parallel."""
    return all(r[-1] == 0 for r in flat.rows_exact) and not (flat.tmap == -2).any()


def _pencil_regions(flat: Flat) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
    """A pencil of t ≥ 2 distinct lines through the origin of a plane: 2t sectors.

    The 2t directions ±(−b, a) along the lines are sorted by angle (exact
    integer cross products); the sum of two consecutive directions, less
    than π apart, lies strictly inside the sector between them.  Witnesses
    and signs are integer, hence exact; no float check is needed.  Returns
    None (the general lift applies) for large entries or if the float angle
    sort disagrees with the exact cross products.
    """
    if flat.n_traces < 2 or max(abs(v) for r in flat.rows_exact for v in r[:2]) >= 2**20:
        return None
    rows = np.array([r[:2] for r in flat.rows_exact], dtype=np.int64)
    dirs = np.concatenate([np.stack([-rows[:, 1], rows[:, 0]], axis=1),
                           np.stack([rows[:, 1], -rows[:, 0]], axis=1)])
    order = np.argsort(np.arctan2(dirs[:, 1], dirs[:, 0]), kind="stable")
    d = dirs[order]
    nxt = np.roll(d, -1, axis=0)
    # Consecutive directions must turn strictly counter-clockwise by less
    # than π; the float angle sort is accepted only if exact cross products agree.
    cross = d[:, 0] * nxt[:, 1] - d[:, 1] * nxt[:, 0]
    if not (cross > 0).all():
        return None
    wit = d + nxt
    trace_signs = np.sign(wit @ rows.T).astype(np.int8)
    return _expand(flat, trace_signs), wit.astype(np.float64)


def _lift_all(lat: Lattice, flat: Flat) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """Regions of ``flat`` as lifts of the regions of its children.

    Each region of the child ``flat ∩ trace j`` is a facet; the two regions
    on its sides have the child's signs with trace j set to ±.  Sign vectors
    are deduplicated first, then one witness per region is lifted: the
    child's witness, plus the eliminated coordinate chosen between the
    crossing with trace j and the nearest other crossing on that line.
    """
    m = flat.dim
    t = flat.n_traces
    kids = [lat.child(flat, j) for j in range(t)]
    tables = [c.regions for c in kids]
    counts = np.array([tb[0].shape[0] for tb in tables])  # type: ignore[index]
    Sc = np.concatenate([tb[0] for tb in tables])  # type: ignore[index]
    jj = np.repeat(np.arange(t), counts)
    total = Sc.shape[0]
    # Candidate lifts are numbered 0..2*total-1: c < total is the + side of
    # child row c, c >= total the − side of child row c - total.
    linear = all(r[-1] == 0 for r in flat.rows_exact) and not (flat.tmap == -2).any()
    if linear:
        # A linear arrangement (every trace through the origin of the free
        # coordinates, no hyperplane parallel to the flat) is symmetric under
        # y -> -y: build the regions on the + side of trace 0 only, and add
        # their negatives at the end.
        r0 = int(flat.rep[0])
        pos0 = flat.tsign[r0] * Sc[:, r0] > 0
        cand = np.concatenate([np.flatnonzero((jj == 0) | pos0),
                               total + np.flatnonzero((jj != 0) & pos0)])
    else:
        cand = np.arange(2 * total)
    src = cand % total
    side8 = np.where(cand < total, 1, -1).astype(np.int8)
    group = flat.tmap[None, :] == np.arange(t)[:, None]  # (t, h)
    S = np.where(group[jj[src]], side8[:, None] * flat.tsign[None, :], Sc[src]).astype(np.int8)
    Wc_all = np.concatenate([tb[1] for tb in tables])  # type: ignore[index]
    if lat.witnesses and m >= 2:
        # Lift each region through a facet whose witness exists, if it has one.
        missing = ~np.isfinite(Wc_all[src]).all(axis=1)
        prefer = np.argsort(missing, kind="stable")
        _, pos = np.unique(pack(S[prefer]), return_index=True)
        first = np.sort(prefer[pos])
    else:
        _, first = np.unique(pack(S), return_index=True)
        first.sort()
    S = S[first]
    first = cand[first]
    if not lat.witnesses:
        W = np.full((first.size, m), np.nan)
        return (np.concatenate([S, -S]), np.concatenate([W, W])) if linear else (S, W)
    side = np.where(first < total, 1.0, -1.0)
    src = first % total
    rj = jj[src]
    kk = np.array(flat.pivot, dtype=np.intp)[rj]
    # Child witnesses placed in the flat's coordinates, eliminated one = 0.
    Wc = Wc_all[src]
    ar = np.arange(first.size)
    colidx = np.arange(m)[None, :]
    gather = colidx - (colidx > kk[:, None])
    Y = Wc[ar[:, None], np.minimum(gather, m - 2)] if m >= 2 else np.zeros((first.size, m))
    Y[ar, kk] = 0.0
    R = flat.rows_f
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        V = Y @ R[:, :m].T - R[:, m]
        coef = R[:, kk].T  # (rows, t): coefficient of the eliminated coordinate
        tc = -V / coef
        t0 = tc[ar, rj]
        valid = coef != 0
        valid[ar, rj] = False
        up = np.where(valid & (tc > t0[:, None]), tc, np.inf).min(axis=1)
        down = np.where(valid & (tc < t0[:, None]), tc, -np.inf).max(axis=1)
        step = np.maximum(1.0, np.abs(t0))
        t_plus = np.where(np.isfinite(up), 0.5 * (t0 + up), t0 + step)
        t_minus = np.where(np.isfinite(down), 0.5 * (t0 + down), t0 - step)
    Y[ar, kk] = np.where(side > 0, t_plus, t_minus)
    expected = S[:, flat.rep] * flat.tsign[flat.rep]
    ok = np.asarray(np.isfinite(Y).all(axis=1), dtype=bool)
    got = _exact.affine_signs(R, flat.rows_exact, np.where(ok[:, None], Y, 0.0))
    bad = np.flatnonzero((got != expected).any(axis=1) & ok)
    for r in bad.tolist():
        try:
            Y[r] = _repair_point(flat, int(rj[r]), int(kk[r]), Y[r], int(side[r]), expected[r])
        except WitnessError:
            Y[r] = np.nan  # thinner than the float grid here; the caller decides

    if linear:
        return np.concatenate([S, -S]), np.concatenate([Y, -Y])
    return S, Y


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
            try:
                wit[i] = _float_in(sorted_pts[i - 1], sorted_pts[i])
            except WitnessError:
                pass  # no float on this line; a parent may still lift through another facet
    rank = np.empty(t, dtype=np.int64)
    rank[order] = np.arange(t)
    interval = np.arange(t + 1)[:, None]
    trace_signs = np.where(rank[None, :] < interval, 1, -1).astype(np.int8)
    return _expand(flat, trace_signs), wit[:, None]


def _float_in(lo: Fraction | None, hi: Fraction | None) -> float:
    """A float64 strictly inside the open interval (lo, hi) of rationals.

    Every candidate is checked exactly; above 2**53 a step of one unit does
    not move a float, so the search then walks the float grid instead.
    """
    if lo is None and hi is None:
        return 0.0
    if lo is None:
        assert hi is not None
        x = _exact.to_float(hi - max(Fraction(1), abs(hi)))
        while not Fraction(x) < hi:
            x = math.nextafter(x, -math.inf)
        return x
    if hi is None:
        x = _exact.to_float(lo + max(Fraction(1), abs(lo)))
        while not Fraction(x) > lo:
            x = math.nextafter(x, math.inf)
        return x
    cand = _exact.to_float((lo + hi) / 2)
    if math.isfinite(cand) and lo < Fraction(cand) < hi:
        return cand
    x = math.nextafter(_exact.to_float(lo), math.inf)
    while math.isfinite(x) and Fraction(x) <= lo:
        x = math.nextafter(x, math.inf)
    if math.isfinite(x) and Fraction(x) < hi:
        return x
    raise WitnessError(
        f"no float64 lies strictly between {float(lo)!r} and {float(hi)!r}; "
        "the region is thinner than the float grid along this line"
    )


def _repair_point(flat: Flat, j: int, k: int, w: NDArray[np.float64], side: int,
                  expected: NDArray[np.int8]) -> NDArray[np.float64]:
    """An exact witness for one lifted region whose float lift missed.

    First the exact interval along coordinate k through the child's witness
    (always right when it holds a float).  If the region is thinner than
    the float grid along that line, the other coordinates are nudged by a
    few units in the last place, growing, and each candidate is accepted
    only if its exact signs on every trace are the expected ones.
    """
    w = w.copy()
    try:
        w[k] = _repair(flat, j, k, w, side)
        return w
    except WitnessError as exc:
        failure = exc
    m = flat.dim
    scale = max(1.0, float(np.abs(w).max(initial=0.0)))
    others = [c for c in range(m) if c != k]
    for e in range(0, 64, 2):
        for c in others:
            for sgn in (1.0, -1.0):
                cand = w.copy()
                cand[c] += sgn * math.ldexp(max(abs(w[c]), scale), e - 53)
                try:
                    cand[k] = _repair(flat, j, k, cand, side)
                except WitnessError:
                    continue
                got = _exact.affine_signs(flat.rows_f, flat.rows_exact, cand[None, :])[0]
                if np.array_equal(got, expected):
                    return cand
    raise failure


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
        child = lat.child(flat, s)
        bound = flat.trace_min[s]
        ctab = flat_chi(lat, child)
        cnt = bisect.bisect_left(child.trace_min, bound)
        sub = ctab[cnt]
        cur = list(table[-1])
        for p, c in enumerate(sub):
            cur[p] -= c
        table.append(cur)
    flat.chi = table
    return table
