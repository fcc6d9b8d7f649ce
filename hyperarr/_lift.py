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
import operator
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact, _keys
from hyperarr._lattice import Flat, Lattice, levels
from hyperarr.exceptions import WitnessError

__all__ = ["Table", "flat_regions"]

_FLOAT_MAX = float(np.finfo(np.float64).max)

#: An exact point, one Fraction per free coordinate of a flat.
Point = tuple[Fraction, ...]
#: Regions of a flat: signs S (m, h), float witnesses W (m, dim) with NaN rows
#: where no float64 point was found, and exact witnesses X for those rows.
Table = tuple[NDArray[np.int8], NDArray[np.float64], dict[int, Point]]
#: An exact rational end of an interval as integers (N, Q), Q > 0: the value N / Q.
End = tuple[int, int]


def flat_regions(lat: Lattice, flat: Flat) -> Table:
    """Regions of the arrangement induced on ``flat``.

    Returns ``(S, W, X)``: S is int8 (m, h), the sign of every input
    hyperplane (0 for those containing the flat); W is float64 (m, dim),
    witnesses in the flat's free coordinates, each checked exactly, and NaN
    where no float64 point was found (a region thinner than the float grid);
    X maps each such row to an exact rational witness.

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
                # Float witnesses are hunted for the flat asked for only: those
                # below are seeds of the lift, where an exact point does as well.
                f.regions = _regions_of(lat, f, hunt=f is flat)
        if dim >= 2:
            for f in by_dim[dim - 1]:
                f.regions = None
    result = flat.regions
    assert result is not None
    return result


def _regions_of(lat: Lattice, flat: Flat, hunt: bool = True) -> Table:
    X: dict[int, Point] = {}
    if flat.n_traces == 0:
        S = flat.tsign[None, :].copy()
        W = np.zeros((1, flat.dim))
    elif flat.dim == 1:
        S, W, X = _line_regions(flat, lat.witnesses)
    else:
        pencil = _pencil_regions(flat) if flat.dim == 2 and _is_linear(flat) else None
        if pencil is not None:
            S, W = pencil
        else:
            S, W, X = _lift_all(lat, flat, hunt)
    S.setflags(write=False)
    W.setflags(write=False)
    return S, W, X


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


def _lift_all(lat: Lattice, flat: Flat, hunt: bool = True) -> Table:
    """Regions of ``flat`` as lifts of the regions of its children.

    Each region of the child ``flat ∩ trace j`` is a facet; the two regions
    on its sides have the child's signs with trace j set to ±.  Sign vectors
    are deduplicated first, then one witness per region is lifted.
    """
    tables = [lat.child(flat, j).regions for j in range(flat.n_traces)]
    counts = np.array([tb[0].shape[0] for tb in tables])  # type: ignore[index]
    Sc = np.concatenate([tb[0] for tb in tables])  # type: ignore[index]
    Wc = np.concatenate([tb[1] for tb in tables])  # type: ignore[index]
    offsets = np.concatenate([[0], np.cumsum(counts)]).tolist()
    Xc = {off + r: p for off, tb in zip(offsets, tables) for r, p in tb[2].items()}  # type: ignore[index]
    jj = np.repeat(np.arange(flat.n_traces), counts)
    linear = _is_linear(flat)
    S, first, cand, region = _distinct_lifts(flat, Sc, Wc, jj, linear, lat.witnesses)
    X: dict[int, Point] = {}
    if lat.witnesses:
        W = _lift_witnesses(flat, S, Wc, Xc, jj, first, Sc.shape[0], X, hunt)
        if hunt:
            _retry_thin(flat, S, W, Wc, Xc, jj, cand, region, Sc.shape[0], X)
    else:
        W = np.full((first.size, flat.dim), np.nan)
    if linear:
        m = S.shape[0]
        X.update({m + r: tuple(-v for v in p) for r, p in list(X.items())})
        return np.concatenate([S, -S]), np.concatenate([W, -W]), X
    return S, W, X


def _distinct_lifts(flat: Flat, Sc: NDArray[np.int8], Wc: NDArray[np.float64], jj: NDArray[np.intp],
                    linear: bool, witnesses: bool
                    ) -> tuple[NDArray[np.int8], NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """The distinct lifted sign vectors, the candidate each comes from, and
    every candidate (each a facet of its region), grouped by region.

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
    prefer = np.argsort(~np.isfinite(Wc[src]).all(axis=1), kind="stable") if witnesses else \
        np.arange(cand.size)
    _, pos, inverse = np.unique(_keys.pack(S[prefer]), return_index=True, return_inverse=True)
    region_of = np.empty(cand.size, dtype=np.intp)
    region_of[prefer] = inverse.reshape(-1)
    order = np.argsort(prefer[pos], kind="stable")  # regions numbered by first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    first = prefer[pos][order]
    return S[first], cand[first], cand, rank[region_of]


#: Rows per block of the witness lift (bounds its (regions × traces) temporaries).
_BLOCK = 2048


def _lift_witnesses(flat: Flat, S: NDArray[np.int8], Wc: NDArray[np.float64], Xc: dict[int, Point],
                    jj: NDArray[np.intp], first: NDArray[np.intp], total: int,
                    X: dict[int, Point], hunt: bool = True) -> NDArray[np.float64]:
    """One exactly checked witness per lifted region.

    The child's witness, placed in the flat's coordinates, gets the
    eliminated coordinate between the crossing with its trace and the
    nearest other crossing on that line (on the region's side).  Each
    witness is checked exactly; one that misses is repaired exactly.  Where
    no float is found that way (or the child has only an exact witness), the
    lift is done in rationals, floats around the exact point are tried, and
    if none is inside, the row is left NaN and its exact point goes to X.
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
    expected = S[:, flat.rep] * flat.tsign[flat.rep]
    got = np.empty_like(expected)
    ok = np.empty(first.size, dtype=bool)
    # In row blocks: the (regions × traces) temporaries stay small.
    for lo in range(0, first.size, _BLOCK):
        b = slice(lo, min(first.size, lo + _BLOCK))
        ab = np.arange(b.stop - b.start)
        kb, rb = kk[b], rj[b]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            V = Y[b] @ R[:, :m].T - R[:, m]
            coef = R[:, kb].T  # (rows, t): coefficient of the eliminated coordinate
            tc = -V / coef
            del V
            t0 = tc[ab, rb]
            valid = coef != 0
            valid[ab, rb] = False
            up = np.where(valid & (tc > t0[:, None]), tc, np.inf).min(axis=1)
            down = np.where(valid & (tc < t0[:, None]), tc, -np.inf).max(axis=1)
            del tc, valid, coef
            step = np.maximum(1.0, np.abs(t0))
            t_plus = np.where(np.isfinite(up), 0.5 * (t0 + up), t0 + step)
            t_minus = np.where(np.isfinite(down), 0.5 * (t0 + down), t0 - step)
        Y[lo + ab, kb] = np.where(side[b] > 0, t_plus, t_minus)
        ok[b] = np.isfinite(Y[b]).all(axis=1)
        got[b] = _exact.affine_signs(R, flat.rows_exact, np.where(ok[b][:, None], Y[b], 0.0))
    child_ok = np.asarray(np.isfinite(Wc[src]).all(axis=1), dtype=bool)
    for r in np.flatnonzero(((got != expected).any(axis=1) | ~ok) | ~child_ok).tolist():
        float_point, exact_point = _via_facet(flat, int(first[r]), total, jj, Wc, Xc, expected[r],
                                              Y[r] if child_ok[r] else None, hunt)
        if float_point is None:
            Y[r] = np.nan  # no float64 point found yet: the exact witness stands in
            X[r] = exact_point
        else:
            Y[r] = float_point
    return Y


def _via_facet(flat: Flat, c: int, total: int, jj: NDArray[np.intp], Wc: NDArray[np.float64],
               Xc: dict[int, Point], expected: NDArray[np.int8],
               lifted: NDArray[np.float64] | None,
               hunt: bool = True) -> tuple[NDArray[np.float64] | None, Point]:
    """A witness of the region lifted from candidate c: a float one if found, and an exact one.

    ``lifted`` is the float lift of the child's float witness, if it has one:
    its coordinate k is chosen exactly on the line along axis k through it,
    between the crossing with trace j and the next one on the region's side.
    Failing that (the region is thinner than the float grid on that line),
    the exact point is the midpoint there, or the lift of the child's exact
    point; with ``hunt`` the axis lines through the float nearest to it are
    searched too (`_float_near`).
    """
    side = 1 if c < total else -1
    row = c % total
    j = int(jj[row])
    k = flat.pivot[j]
    if lifted is None:
        point = _exact_lift(flat, j, k, Xc[row] if row in Xc else tuple(map(Fraction, Wc[row].tolist())), side)
    else:
        y = lifted.tolist()
        y[k] = 0.0  # solved for below; its float lift may have overflowed
        lo, hi = _interval(flat, j, k, y, side)
        x = _float_between(lo, hi)
        if x is not None:  # the exact interval is always right when it holds a float
            y[k] = x
            return np.array(y), tuple(map(Fraction, y))
        point = tuple(_exact_between(lo, hi) if i == k else Fraction(v) for i, v in enumerate(y))
    return (_float_near(flat, point, expected) if hunt else None), point


#: Facets of a region tried again for a float witness (the lines through each one's exact lift).
RETRY_FACETS = 4


def _retry_thin(flat: Flat, S: NDArray[np.int8], W: NDArray[np.float64], Wc: NDArray[np.float64],
                Xc: dict[int, Point], jj: NDArray[np.intp], cand: NDArray[np.intp],
                region: NDArray[np.intp], total: int, X: dict[int, Point]) -> None:
    """For each region still without a float witness, try its other facets.

    A region thinner than the float grid at one facet may hold floats near
    another (closer to the origin, where the grid is finer).  For each facet
    the exact line through the child's float witness is searched, then the
    axis lines through the float nearest to the exact lift (`_float_near`).
    The effort is bounded: at most `RETRY_FACETS` facets, each costing a few
    exact evaluations of the traces, and no linear program (HiGHS cannot
    resolve a region thinner than its tolerance, and on nasty float input
    its centres found no float that these lines miss).
    """
    if not X:
        return
    order = np.argsort(region, kind="stable")  # candidates grouped by region, once
    starts = np.searchsorted(region[order], np.arange(S.shape[0] + 1)).tolist()
    finite = np.asarray(np.isfinite(Wc).all(axis=1), dtype=bool).tolist()  # children with a float witness
    thin = sorted(X)
    signs = S[thin][:, flat.rep] * flat.tsign[flat.rep]
    for r, expected in zip(thin, signs):
        searched = {tuple(_nearest_float(X[r]))}  # the axis lines through these were searched
        for c in cand[order[starts[r] : starts[r + 1]]].tolist()[:RETRY_FACETS]:
            lifted = _float_lift(flat, c, total, jj, Wc) if finite[c % total] else None
            found, point = _via_facet(flat, c, total, jj, Wc, Xc, expected, lifted, hunt=False)
            base = _nearest_float(point)
            if found is None and tuple(base) not in searched:
                searched.add(tuple(base))
                found = _float_on_axes(flat, base, expected)
            if found is not None:
                W[r] = found
                del X[r]
                break


def _float_lift(flat: Flat, c: int, total: int, jj: NDArray[np.intp],
                Wc: NDArray[np.float64]) -> NDArray[np.float64]:
    """The child's float witness of candidate c in the flat's coordinates (coordinate k = 0)."""
    k = flat.pivot[int(jj[c % total])]
    w = Wc[c % total]
    return np.concatenate([w[:k], [0.0], w[k:]])


def _exact_lift(flat: Flat, j: int, k: int, child: Point, side: int) -> Point:
    """The lift in rationals: the child's exact point, coordinate k strictly
    between the crossing with trace j and the next crossing on the region's side."""
    y = list(child[:k]) + [Fraction(0)] + list(child[k:])
    y[k] = _exact_between(*_interval(flat, j, k, y, side))
    return tuple(y)


def _float_near(flat: Flat, point: Sequence[float | Fraction],
                expected: NDArray[np.int8]) -> NDArray[np.float64] | None:
    """A float64 point strictly inside the region on a line through the float
    nearest to ``point`` (clamped to the float range) parallel to a coordinate
    axis, or None (`_float_on_axes` through `_nearest_float`)."""
    return _float_on_axes(flat, _nearest_float(point), expected)


def _nearest_float(point: Sequence[float | Fraction]) -> list[float]:
    """The float64 nearest to an exact point; a coordinate beyond the float range
    is clamped to the largest float (the lines through the clamped point may
    still cross the region within the range)."""
    return [min(_FLOAT_MAX, max(-_FLOAT_MAX, _exact.to_float(v) if isinstance(v, Fraction) else float(v)))
            for v in point]


def _float_on_axes(flat: Flat, base: list[float], expected: NDArray[np.int8]) -> NDArray[np.float64] | None:
    r"""A float64 point strictly inside the region on a line through the float
    point ``base`` parallel to a coordinate axis, or None.

    Along each line the exact interval inside the region is computed in
    integers and a float is taken strictly inside it (`_float_between`), so
    every float of the line is tried at the cost of one pass over the traces.
    ``base`` is X / D, and trace l, oriented to the region's side
    ($s_l a_l$, $s_l b_l$), has the value $v_l = s_l(a_l \cdot X - b_l D)$ times
    1/D there.  Along axis c, at $x_c = t$, that is $(g_l + a t D) / D$ with
    $a = s_l a_{lc}$ and $g_l = v_l - a X_c$, so each trace bounds t on one
    side by $-g_l / (a D)$; the bounds are compared by cross-multiplication.
    """
    m = flat.dim
    X, D = _exact.integer_point(base)
    srows = [row if e > 0 else [-v for v in row] for row, e in zip(flat.rows_exact, expected.tolist())]
    vals = [sum(map(operator.mul, row, X)) - row[m] * D for row in srows]  # map stops at m
    if all(v > 0 for v in vals):
        return np.array(base)
    for c in range(m):
        xc = X[c]
        lo: End | None = None  # the bound N / (Q D) (Q > 0) as (N, Q)
        hi: End | None = None
        for row, v in zip(srows, vals):
            a = row[c]
            if a > 0:  # t > −g / (a D)
                g = v - a * xc
                if lo is None or -g * lo[1] > lo[0] * a:
                    lo = (-g, a)
            elif a < 0:  # t < g / (−a D)
                g = v - a * xc
                if hi is None or g * hi[1] < hi[0] * -a:
                    hi = (g, -a)
            elif v <= 0:  # parallel to the axis and on the wrong side: no point of this line
                break
        else:
            if lo is not None and hi is not None and lo[0] * hi[1] >= hi[0] * lo[1]:
                continue  # empty
            x = _float_between(None if lo is None else (lo[0], lo[1] * D),
                               None if hi is None else (hi[0], hi[1] * D))
            if x is not None:
                found = list(base)
                found[c] = x
                return np.array(found)
    return None


def _expand(flat: Flat, trace_signs: NDArray[np.int8]) -> NDArray[np.int8]:
    """Signs of the input hyperplanes from the signs of the flat's traces."""
    m = trace_signs.shape[0]
    S = np.broadcast_to(flat.tsign, (m, flat.tmap.size)).copy()
    on = flat.tmap >= 0
    S[:, on] = trace_signs[:, flat.tmap[on]] * flat.tsign[on]
    return S


def _line_regions(flat: Flat, witnesses: bool) -> Table:
    """A flat of dimension 1: the traces are points; the regions are intervals."""
    pts = [Fraction(int(b), int(a)) for a, b in flat.rows_exact]
    order = sorted(range(len(pts)), key=pts.__getitem__)
    sorted_pts = [pts[i] for i in order]
    t = len(pts)
    wit = np.full(t + 1, np.nan)
    exact: dict[int, Point] = {}
    if witnesses:
        ends: list[Fraction | None] = [None, *sorted_pts, None]
        for i in range(t + 1):
            try:
                wit[i] = _float_in(ends[i], ends[i + 1])
            except WitnessError:  # no float in this interval: a rational stands in
                exact[i] = (_exact_in(ends[i], ends[i + 1]),)
    rank = np.empty(t, dtype=np.int64)
    rank[order] = np.arange(t)
    interval = np.arange(t + 1)[:, None]
    trace_signs = np.where(rank[None, :] < interval, 1, -1).astype(np.int8)
    return _expand(flat, trace_signs), wit[:, None], exact


def _float_in(lo: Fraction | None, hi: Fraction | None) -> float:
    """A float64 strictly inside the open interval (lo, hi) of rationals.

    Raises WitnessError when no float64 lies in the interval (thinner than
    the float grid, or beyond the float range); `_float_between` is the
    same search on integer ends, returning None instead.
    """
    x = _float_between(_end(lo), _end(hi))
    if x is None:
        raise WitnessError(
            f"no float64 lies strictly between {_exact.short_text(lo) if lo is not None else None} and "
            f"{_exact.short_text(hi) if hi is not None else None}; the region is thinner than "
            "the float grid along this line, or beyond the float range"
        )
    return x


def _end(v: Fraction | None) -> End | None:
    return None if v is None else (v.numerator, v.denominator)


def _float_between(lo: End | None, hi: End | None) -> float | None:
    """A float64 strictly inside the open interval (lo, hi) (None: unbounded), or None.

    The ends are exact rationals N / Q as integers; every candidate is
    compared with them by cross-multiplication (no Fraction arithmetic).
    The midpoint, correctly rounded, is tried first; above 2**53 a step of
    one unit does not move a float, so the search then walks the float grid.
    """
    if lo is None and hi is None:
        return 0.0
    if lo is None or hi is None:
        # A ray: start one unit (or |end|) inside it, walk towards its end.
        down = lo is None
        n, q = hi if lo is None else lo  # type: ignore[misc]
        step = max(q, abs(n))
        x = _ratio(n - step if down else n + step, q)
        if not math.isfinite(x):
            x = -_FLOAT_MAX if down else _FLOAT_MAX
        while math.isfinite(x) and not (_below(x, (n, q)) if down else _above(x, (n, q))):
            x = math.nextafter(x, -math.inf if down else math.inf)
        return x if math.isfinite(x) else None
    (n1, q1), (n2, q2) = lo, hi
    cand = _ratio(n1 * q2 + n2 * q1, 2 * q1 * q2)
    if math.isfinite(cand) and _above(cand, lo) and _below(cand, hi):
        return cand
    x = math.nextafter(_ratio(n1, q1), math.inf)
    while math.isfinite(x) and not _above(x, lo):
        x = math.nextafter(x, math.inf)
    return x if math.isfinite(x) and _below(x, hi) else None


def _ratio(n: int, q: int) -> float:
    """The float64 nearest to n / q (q > 0), with ±inf instead of OverflowError."""
    try:
        return n / q
    except OverflowError:
        return math.inf if n > 0 else -math.inf


def _above(x: float, end: End) -> bool:
    """x > N / Q exactly (x finite)."""
    p, r = x.as_integer_ratio()
    return p * end[1] > end[0] * r


def _below(x: float, end: End) -> bool:
    """x < N / Q exactly (x finite)."""
    p, r = x.as_integer_ratio()
    return p * end[1] < end[0] * r


def _exact_in(lo: Fraction | None, hi: Fraction | None) -> Fraction:
    """A rational strictly inside the open interval (lo, hi) (None: unbounded)."""
    return _exact_between(_end(lo), _end(hi))


def _exact_between(lo: End | None, hi: End | None) -> Fraction:
    """A rational strictly inside the open interval (lo, hi) of integer ends (None: unbounded):
    the midpoint, or one unit (or |end|) inside a ray."""
    if lo is None and hi is None:
        return Fraction(0)
    if lo is None or hi is None:
        n, q = hi if lo is None else lo  # type: ignore[misc]
        return Fraction(n - max(q, abs(n)) if lo is None else n + max(q, abs(n)), q)
    return Fraction(lo[0] * hi[1] + hi[0] * lo[1], 2 * lo[1] * hi[1])


def _interval(flat: Flat, j: int, k: int, y: Sequence[float | Fraction],
              side: int) -> tuple[End | None, End | None]:
    """The open interval of coordinate k, through ``y`` (coordinate k ignored),
    between the crossing with trace j and the next crossing on ``side``.

    In integers: ``y`` is written as Y / D over one denominator, so the crossing
    of row l is N_l / (a_lk D) with N_l = b_l D − Σ_{c≠k} a_lc Y_c, and crossings
    are compared by cross-multiplication.  The ends are returned as integer
    pairs (N, Q), Q > 0 (None: unbounded).
    """
    m = flat.dim
    Y, D = _exact.integer_point([0.0 if c == k else v for c, v in enumerate(y)])
    end: End | None = None  # the nearest crossing N / (a D) beyond trace j's on ``side``
    crossings = []
    for l, row in enumerate(flat.rows_exact):
        a = row[k]
        if a == 0:
            continue
        N = row[m] * D - sum(map(operator.mul, row, Y))  # Y[k] = 0; zip stops at m
        crossings.append((l, N, a) if a > 0 else (l, -N, -a))
    n0, a0 = next((N, a) for l, N, a in crossings if l == j)
    for l, N, a in crossings:
        if l == j:
            continue
        if side > 0:
            if N * a0 > n0 * a and (end is None or N * end[1] < end[0] * a):
                end = (N, a)
        elif N * a0 < n0 * a and (end is None or N * end[1] > end[0] * a):
            end = (N, a)
    t0 = (n0, a0 * D)
    t1 = None if end is None else (end[0], end[1] * D)
    return (t0, t1) if side > 0 else (t1, t0)
