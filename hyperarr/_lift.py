"""Regions of a flat, lifted bottom-up over the intersection lattice (private kernel).

Every region of an arrangement on a flat X has a facet on some trace H, and
the two regions on either side of a facet are the lifts of one region of
X ∩ H.  So the regions of X are the lifts of the regions of its children,
computed one dimension at a time.  Witnesses are lifted one coordinate at a
time and checked exactly at every level; a float witness that misses is
recomputed with exact rationals.  A pencil of lines through the origin of a
plane and a line (dimension 1) have direct exact constructions.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact, _keys
from hyperarr._lattice import Flat, Lattice, levels
from hyperarr.exceptions import WitnessError

__all__ = ["flat_regions"]


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
    are deduplicated first, then one witness per region is lifted.
    """
    tables = [lat.child(flat, j).regions for j in range(flat.n_traces)]
    counts = np.array([tb[0].shape[0] for tb in tables])  # type: ignore[index]
    Sc = np.concatenate([tb[0] for tb in tables])  # type: ignore[index]
    Wc = np.concatenate([tb[1] for tb in tables])  # type: ignore[index]
    jj = np.repeat(np.arange(flat.n_traces), counts)
    linear = _is_linear(flat)
    S, first = _distinct_lifts(flat, Sc, Wc, jj, linear, lat.witnesses)
    if lat.witnesses:
        W = _lift_witnesses(flat, S, Wc, jj, first, Sc.shape[0])
    else:
        W = np.full((first.size, flat.dim), np.nan)
    if linear:
        return np.concatenate([S, -S]), np.concatenate([W, -W])
    return S, W


def _distinct_lifts(flat: Flat, Sc: NDArray[np.int8], Wc: NDArray[np.float64], jj: NDArray[np.intp],
                    linear: bool, witnesses: bool) -> tuple[NDArray[np.int8], NDArray[np.intp]]:
    """The distinct lifted sign vectors, and the candidate each comes from.

    Candidates are numbered 0..2·total−1: c < total is the + side of child
    row c, c ≥ total the − side of child row c − total.  A linear
    arrangement (every trace through the origin, none parallel) is symmetric
    under y ↦ −y, so only the regions on the + side of trace 0 are built
    (the caller adds their negatives).  Where a region has several facets,
    one whose child witness exists is preferred.
    """
    total = Sc.shape[0]
    if linear:
        r0 = int(flat.rep[0])
        pos0 = flat.tsign[r0] * Sc[:, r0] > 0
        cand = np.concatenate([np.flatnonzero((jj == 0) | pos0),
                               total + np.flatnonzero((jj != 0) & pos0)])
    else:
        cand = np.arange(2 * total)
    src = cand % total
    side8 = np.where(cand < total, 1, -1).astype(np.int8)
    group = flat.tmap[None, :] == np.arange(flat.n_traces)[:, None]  # (t, h)
    S = np.where(group[jj[src]], side8[:, None] * flat.tsign[None, :], Sc[src]).astype(np.int8)
    if witnesses and flat.dim >= 2:
        missing = ~np.isfinite(Wc[src]).all(axis=1)
        prefer = np.argsort(missing, kind="stable")
        _, pos = np.unique(_keys.pack(S[prefer]), return_index=True)
        first = np.sort(prefer[pos])
    else:
        _, first = np.unique(_keys.pack(S), return_index=True)
        first.sort()
    return S[first], cand[first]


def _lift_witnesses(flat: Flat, S: NDArray[np.int8], Wc: NDArray[np.float64], jj: NDArray[np.intp],
                    first: NDArray[np.intp], total: int) -> NDArray[np.float64]:
    """One exactly checked witness per lifted region.

    The child's witness, placed in the flat's coordinates, gets the
    eliminated coordinate between the crossing with its trace and the
    nearest other crossing on that line (on the region's side).  Each
    witness is checked exactly; one that misses is repaired exactly, and one
    that has no float on the way is left NaN for the caller.
    """
    m = flat.dim
    side = np.where(first < total, 1.0, -1.0)
    src = first % total
    rj = jj[src]
    kk = np.array(flat.pivot, dtype=np.intp)[rj]
    ar = np.arange(first.size)
    colidx = np.arange(m)[None, :]
    gather = colidx - (colidx > kk[:, None])
    Y = Wc[src][ar[:, None], np.minimum(gather, m - 2)] if m >= 2 else np.zeros((first.size, m))
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
    for r in np.flatnonzero((got != expected).any(axis=1) & ok).tolist():
        try:
            Y[r] = _repair_point(flat, int(rj[r]), int(kk[r]), Y[r], int(side[r]), expected[r])
        except WitnessError:
            Y[r] = np.nan  # thinner than the float grid here; the caller decides
    return Y


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
