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

import functools
import itertools
import math
import operator
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact, _generic_jit, _keys, _lift_jit, _memory
from hyperarr._lattice import Flat, Lattice, levels
from hyperarr.exceptions import WitnessError

__all__ = ["Table", "Cell", "canonical", "cells_of", "flat_regions", "join", "lift_by_trace", "stream_regions"]

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
    _build_up_to(lat, by_dim, flat.dim - 1)
    flat.regions = _regions_of(lat, flat)
    _release(by_dim, flat.dim - 1)
    return flat.regions


#: Rows of one level's tables up to which the levels below the children are held whole
#: (None: as many as fill `LEVEL_SHARE` of the memory available).
LEVEL_ROWS: int | None = None
#: The share of the memory available that one level of tables may fill.
LEVEL_SHARE = 0.15
#: Most hyperplanes whose signs cut the stream into cells (2^(p−1) pairs of opposite cells).
MAX_CELL_PLANES = 8
#: Regions a pair of cells holds until it is sorted and yielded, about (see `stream_regions`).
HOLD_ROWS = 2**18
#: Levels of flats always held whole (the low ones are many small tables, cheap to hold).
MIN_LEVELS = 2


class Cell:
    """The regions whose signs on the hyperplanes ``planes`` are ``sigma`` or ``−sigma``.

    A pair of opposite sign-prefix cells: the regions of a flat in it are
    the lifts of the regions of its children in it, where a sign 0 (the
    child lies in that hyperplane) matches either sign.  The pair is closed
    under y ↦ −y, so a linear flat keeps building one side and negating it,
    and every region gets the witness it gets without cells.
    """

    __slots__ = ("planes", "sigma")

    def __init__(self, planes: Sequence[int], sigma: Sequence[int]) -> None:
        self.planes = np.asarray(planes, dtype=np.intp)
        self.sigma = np.asarray(sigma, dtype=np.int8)

    def mask(self, S: NDArray[np.int8]) -> NDArray[np.bool_]:
        """Which rows of the sign matrix S lie in the pair of cells."""
        sub = S[:, self.planes]
        zero = sub == 0
        return np.asarray(((sub == self.sigma) | zero).all(axis=1) | ((sub == -self.sigma) | zero).all(axis=1))


def stream_regions(lat: Lattice, flat: Flat, pairs: tuple[int, int, int] | None = None,
                   release: bool = True, expected: int | None = None) -> Iterator[Table]:
    """The regions of ``flat`` in canonical order (`canonical`), one table per pair of cells.

    Within a pair of cells, the regions come in batches: batch j holds the
    regions with a facet on trace j that no earlier trace gave, and one key
    per region found so far decides that.  The children of ``flat`` are built
    one at a time and released, so memory holds the levels below them, one
    child's table, the pair's regions and their keys, never the children's
    tables together.

    The levels below are held whole while they fit (`LEVEL_ROWS`, by
    default a share of the memory available).  Above the last such level,
    everything is built once per pair of opposite cells of the signs on the
    first hyperplanes (`Cell`), so that each level holds about that many
    rows at a time.  Cells cost time (every flat above is visited once a
    pair), so they are used only where memory needs them.  Every region
    comes with the witness `flat_regions` gives it, and the order is
    canonical, whatever the cells.

    A pair's regions are held until it is done (to sort them), so there are
    also enough pairs for each to hold about `HOLD_ROWS` of the ``expected``
    regions, if given.  ``pairs = (p, lo, hi)`` asks for the pairs lo to
    hi − 1 of `cells_of(p)` only (one task's share); ``release=False`` keeps
    the levels held whole for the next call on the same lattice.
    """
    chosen = None if pairs is None else cells_of(pairs[0])[pairs[1] : pairs[2]]
    if flat.regions is not None or flat.dim <= 2 or flat.n_traces <= 1:
        table = _sorted(flat_regions(lat, flat))
        if chosen is not None:
            table = _select(table, np.logical_or.reduce([c.mask(table[0]) for c in chosen]))
        if table[0].shape[0]:
            yield table
        return
    by_dim = levels(lat, flat)
    base, rows, growth = 0, 0, 1.0
    budget = level_rows(lat.h, lat.d)
    # A level kept whole by an earlier call (release=False) is not built again, nor those below it.
    kept = next((k for k in range(flat.dim - 2, 0, -1)
                 if by_dim[k] and all(f.regions is not None for f in by_dim[k])), 0)
    if kept:
        base, rows = kept, sum(f.regions[0].shape[0] for f in by_dim[kept])  # type: ignore[index]
    for dim in range(kept + 1, flat.dim - 1):
        if dim > MIN_LEVELS and rows * growth > budget:
            break
        _build_up_to(lat, by_dim, dim, start=dim)
        new = sum(f.regions[0].shape[0] for f in by_dim[dim])  # type: ignore[index]
        growth = new / rows if rows else 1.0
        base, rows = dim, new
    try:
        rows_above = rows * growth if base < flat.dim - 2 else 0
        for cell in chosen if chosen is not None else _cells(lat, rows_above, budget, expected or 0):
            batches = list(_stream_cell(lat, flat, by_dim, base, cell))
            if batches:
                yield _sorted(join(batches))
    finally:
        if release:
            _release(by_dim, base)


def canonical(S: NDArray[np.int8]) -> NDArray[Any]:
    """Sort keys of the regions of a whole space: signs times the first sign, then the first sign.

    + comes before −.  Sorting by them puts the two opposite cells of every
    sign prefix of the first hyperplanes (a `Cell`) next to each other, in
    the order of the prefix with the first sign made +, so that regions
    built one pair of cells at a time, or one pair a task, come out in one
    order.
    """
    first = S[:, :1]
    return _keys.from_bytes(np.packbits(np.concatenate([S * first < 0, first < 0], axis=1), axis=1))


def _sorted(table: Table) -> Table:
    """A table of a whole space's regions in canonical order."""
    S, W, X = table
    if S.shape[0] <= 1 or S.shape[1] == 0:
        return table
    order = np.argsort(canonical(S), kind="stable")
    if X:
        at = np.empty_like(order)
        at[order] = np.arange(order.size)
        X = {int(at[r]): p for r, p in X.items()}
    return S[order], W[order], X


def join(tables: Sequence[Table]) -> Table:
    """Tables of one flat, one after the other."""
    if len(tables) == 1:
        return tables[0]
    offsets = np.cumsum([0] + [tb[0].shape[0] for tb in tables]).tolist()
    X = {off + r: p for off, tb in zip(offsets, tables) for r, p in tb[2].items()}
    return np.concatenate([tb[0] for tb in tables]), np.concatenate([tb[1] for tb in tables]), X


def level_rows(h: int, d: int) -> int:
    """`LEVEL_ROWS`, or the rows of tables (signs and witnesses) of h hyperplanes in R^d that
    fill `LEVEL_SHARE` of the memory."""
    if LEVEL_ROWS is not None:
        return LEVEL_ROWS
    memory = _memory.available() or 2**32
    return max(1, int(LEVEL_SHARE * memory / (h + 8 * d + 8)))


def level_table(lat: Lattice, flat: Flat) -> Table:
    """The table of a flat of a level held whole, from its children's (no float hunt: the
    levels below the top are seeds of the lift, where an exact point does as well)."""
    return _regions_of(lat, flat, hunt=False)


def _cells(lat: Lattice, expected: float, budget: int, regions: int = 0) -> list[Cell | None]:
    """Pairs of opposite cells, enough for ``expected`` rows of a level to come down to about
    ``budget`` each, and ``regions`` to about `HOLD_ROWS` a pair."""
    pairs = max(math.ceil(expected / budget), math.ceil(regions / HOLD_ROWS))
    if pairs <= 1:
        return [None]
    return list(cells_of(min(MAX_CELL_PLANES, lat.h, 1 + math.ceil(math.log2(pairs)))))


def cells_of(p: int) -> list[Cell]:
    """The 2^(p−1) pairs of opposite cells of the signs on the first p hyperplanes, in canonical order."""
    # In the order of `canonical`: the prefix with the first sign +, + before −.
    return [Cell(range(p), (1,) + rest) for rest in itertools.product((1, -1), repeat=p - 1)]


def _stream_cell(lat: Lattice, flat: Flat, by_dim: list[list[Flat]], base: int,
                 cell: Cell | None) -> Iterator[Table]:
    """The batches of ``flat``'s regions in ``cell`` (all of them for None); the levels up to
    ``base`` are held whole, those above are built for this cell and released."""
    memo: dict[int, Table] = {}
    at_base: dict[int, Table] = {}  # the tables held whole, cut to the cell once each

    def tables(f: Flat) -> list[Table]:
        out = []
        for j in range(f.n_traces):
            c = lat.child(f, j)
            if c.dim > base:
                table = memo[c.key]
            elif cell is None:
                table = c.regions  # type: ignore[assignment]
            else:
                table = at_base.get(c.key)  # type: ignore[assignment]
                if table is None:
                    whole = c.regions
                    assert whole is not None
                    table = at_base[c.key] = _select(whole, cell.mask(whole[0]))
            out.append(table)
        return out

    for dim in range(base + 1, flat.dim - 1):
        for f in by_dim[dim]:
            memo[f.key] = _regions_of(lat, f, hunt=False, tables=tables(f), cell=cell)
        for f in by_dim[dim - 1] if dim - 1 > base else ():
            del memo[f.key]
    yield from lift_by_trace(
        lat, flat, lambda c: _regions_of(lat, c, hunt=False, tables=tables(c), cell=cell), cell)


def lift_by_trace(lat: Lattice, flat: Flat, child_table: Callable[[Flat], Table],
                  cell: Cell | None = None) -> Iterator[Table]:
    """The regions of ``flat`` (in ``cell``), one batch a trace j: those with a facet on trace j
    that no earlier trace gave, lifted from ``child_table(flat ∩ trace j)``.

    One key per region found so far decides what is new, so the lift never
    holds the candidates of all the children at once.  A region found
    without a float witness tries its facets on later traces (`_retry_pending`).
    """
    linear = _is_linear(flat)
    seen = _keys.Runs()
    pending: dict[Any, _Pending] = {}
    for j in range(flat.n_traces):
        table = child_table(lat.child(flat, j))
        batch = _lift_from(lat, flat, [table], [j], linear, seen, cell=cell, pending=pending)
        if batch[0].shape[0]:
            yield batch


def _select(table: Table, keep: NDArray[np.bool_]) -> Table:
    """The rows of a table where ``keep`` holds (exact witnesses renumbered)."""
    if keep.all():
        return table
    S, W, X = table
    rows = np.flatnonzero(keep)
    if X:
        at = {int(r): i for i, r in enumerate(rows.tolist())}
        X = {at[r]: p for r, p in X.items() if r in at}
    S, W = S[rows], W[rows]
    S.setflags(write=False)
    W.setflags(write=False)
    return S, W, X


def _build_up_to(lat: Lattice, by_dim: list[list[Flat]], top: int, start: int = 1) -> None:
    """The tables of every flat of dimension ``start`` to ``top`` in ``by_dim``, level by
    level; a level is released once the level above it is built."""
    for dim in range(start, top + 1):
        for f in by_dim[dim]:
            if f.regions is None:
                f.regions = level_table(lat, f)
        if dim >= 2:
            for f in by_dim[dim - 1]:
                f.regions = None


def _release(by_dim: list[list[Flat]], dim: int) -> None:
    """Forget the tables of the flats of dimension ``dim`` (kept only to build the level above)."""
    if dim >= 1:
        for f in by_dim[dim]:
            f.regions = None


def _regions_of(lat: Lattice, flat: Flat, hunt: bool = True, tables: Sequence[Table] | None = None,
                cell: Cell | None = None) -> Table:
    """The table of ``flat`` from its children's ``tables`` (their own, if None), in ``cell`` if given."""
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
            if tables is None:
                return _lift_all(lat, flat, hunt)
            return _lift_from(lat, flat, tables, range(flat.n_traces), _is_linear(flat),
                              None, hunt, cell)
    S.setflags(write=False)
    W.setflags(write=False)
    return (S, W, X) if cell is None else _select((S, W, X), cell.mask(S))


def _is_linear(flat: Flat) -> bool:
    """Every trace through the origin of the free coordinates, none parallel."""
    return all(r[-1] == 0 for r in flat.rows_exact) and not (flat.tmap == -2).any()


def _pencil_regions(flat: Flat) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
    """A pencil of t ≥ 2 distinct lines through the origin of a plane: 2t sectors.

    The 2t directions ±(−b, a) along the lines are sorted by angle (exact
    integer cross products, `_lift_jit.pencil_sectors`); the sum of two
    consecutive directions, less than π apart, lies strictly inside the
    sector between them.  Witnesses and signs are integer, hence exact; no
    float check is needed.  Returns None (the general lift applies) for
    entries of 2^20 or more.
    """
    if flat.n_traces < 2 or max(abs(v) for r in flat.rows_exact for v in r[:2]) >= 2**20:
        return None
    wit, trace_signs = _lift_jit.pencil_sectors(np.array([r[:2] for r in flat.rows_exact], dtype=np.int64))
    return _expand(flat, trace_signs), wit.astype(np.float64)


def _lift_all(lat: Lattice, flat: Flat, hunt: bool = True) -> Table:
    """Regions of ``flat`` as lifts of the regions of all its children (their tables built)."""
    tables = [lat.child(flat, j).regions for j in range(flat.n_traces)]
    return _lift_from(lat, flat, tables, range(flat.n_traces), _is_linear(flat),  # type: ignore[arg-type]
                      None, hunt)


def _lift_from(lat: Lattice, flat: Flat, tables: Sequence[Table], traces: Sequence[int],
               linear: bool, seen: "_keys.Runs | None" = None, hunt: bool = True,
               cell: Cell | None = None, pending: dict[Any, _Pending] | None = None) -> Table:
    """Regions of ``flat`` as lifts of the regions of its children on ``traces``.

    Each region of the child ``flat ∩ trace j`` (its table in ``tables``) is
    a facet; the two regions on its sides have the child's signs with trace
    j set to ±.  Sign vectors are deduplicated first (and, given ``seen``,
    those already in it are dropped and the new ones added; given ``cell``,
    those outside it are dropped), then one witness per region is lifted.
    Given ``pending``, the regions already found without a float witness
    try their facet here (`_retry_pending`), and this batch's own such
    regions are added to it.
    """
    counts = np.array([tb[0].shape[0] for tb in tables], dtype=np.intp)
    if not counts.any():  # nothing to lift (a cell that misses the flat)
        return np.zeros((0, flat.tmap.size), dtype=np.int8), np.zeros((0, flat.dim)), {}
    Sc, Wc, Xc = join(tables)
    jj = np.repeat(np.asarray(traces, dtype=np.intp), counts)
    first, cand, region, keys = _distinct_lifts(flat, Sc, Wc, jj, linear, lat.witnesses)
    keep = np.ones(first.size, dtype=bool)
    if seen is not None:
        old = seen.member(keys)
        if pending and lat.witnesses and hunt:
            _retry_pending(flat, Sc, keys, old, first, Wc, Xc, jj, Sc.shape[0], pending)
        keep = ~old
    # Signs are built for the regions not seen before only (most are, at the top of a stream).
    S = _lifted_signs(flat, Sc, jj, first if keep.all() else first[keep])
    if cell is not None:
        inside = cell.mask(S)
        keep[keep] = inside
        S = S[inside]
    if seen is not None:
        seen.add(keys[keep])
    if not keep.all():
        renumber = np.cumsum(keep) - 1
        kept = keep[region]
        first, keys = first[keep], keys[keep]
        cand, region = cand[kept], renumber[region[kept]]
    X: dict[int, Point] = {}
    if lat.witnesses:
        W = _lift_witnesses(flat, S, Wc, Xc, jj, first, Sc.shape[0], X, hunt)
        if hunt:
            _retry_thin(flat, S, W, Wc, Xc, jj, cand, region, Sc.shape[0], X)
    else:
        W = np.full((first.size, flat.dim), np.nan)
    m = S.shape[0]
    thin = sorted(X)
    if linear:
        X.update({m + r: tuple(-v for v in p) for r, p in list(X.items())})
        S, W = np.concatenate([S, -S]), np.concatenate([W, -W])
    if pending is not None and seen is not None and hunt:
        for r in thin:  # tried on this batch's facet (and its own others)
            pending[_hashable(keys, r)] = (W, X, r, m + r if linear else -1, [1], {tuple(_nearest_float(X[r]))})
    return S, W, X


def _distinct_lifts(flat: Flat, Sc: NDArray[np.int8], Wc: NDArray[np.float64], jj: NDArray[np.intp],
                    linear: bool, witnesses: bool
                    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[Any]]:
    """The distinct lifted regions: the candidate each comes from, every
    candidate (each a facet of its region), grouped by region, and each
    region's key (its signs on the flat's traces, one bit each; their
    signs on every hyperplane: `_lifted_signs`).

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
        pos0 = flat.tsign[r0] * Sc[:, r0] > 0  # trace 0 has sign 0 on its own child only
        cand = np.concatenate([np.flatnonzero((jj == 0) | pos0),
                               total + np.flatnonzero((jj != 0) & pos0)])
    else:
        cand = np.arange(2 * total)
    src = cand % total
    plus = cand < total
    jc = jj[src]
    # A region of the flat lies on none of its traces, so its signs on them (one bit each,
    # read on each trace's representative hyperplane) are its key.
    bits = (Sc[:, flat.rep] > 0)[src]
    bits[np.arange(cand.size), jc] = (np.where(plus, 1, -1) * flat.tsign[flat.rep[jc]]) > 0
    keys = _keys.from_bytes(np.packbits(bits, axis=1))
    if witnesses:
        ok = np.isfinite(Wc[src]).all(axis=1)
        prefer = np.concatenate([np.flatnonzero(ok), np.flatnonzero(~ok)])
    else:
        prefer = np.arange(cand.size)
    _, pos, inverse = np.unique(keys[prefer], return_index=True, return_inverse=True)
    region_of = np.empty(cand.size, dtype=np.intp)
    region_of[prefer] = inverse.reshape(-1)
    order = np.argsort(prefer[pos], kind="stable")  # regions numbered by first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    first = prefer[pos][order]
    return cand[first], cand, rank[region_of], keys[first]


def _lifted_signs(flat: Flat, Sc: NDArray[np.int8], jj: NDArray[np.intp], first: NDArray[np.intp]) -> NDArray[np.int8]:
    """The signs of the regions lifted from candidates ``first``: the child's, with the
    hyperplanes of the candidate's trace on its side."""
    total = Sc.shape[0]
    src = first % total
    side8 = np.where(first < total, 1, -1).astype(np.int8)
    return np.where(flat.tmap[None, :] == jj[src][:, None], side8[:, None] * flat.tsign[None, :],
                    Sc[src]).astype(np.int8, copy=False)


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
    expected = S[:, flat.rep] * flat.tsign[flat.rep]
    _lift_jit.lift_coordinate(flat.rows_f, Y, kk, rj, side)
    ok = np.asarray(np.isfinite(Y).all(axis=1), dtype=bool)
    got = _checked_signs(flat, np.where(ok[:, None], Y, 0.0))
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


def _checked_signs(flat: Flat, points: NDArray[np.float64]) -> NDArray[np.int8]:
    """The exact signs of the flat's traces at float points: the compiled filter, then
    integers where it cannot decide (`_exact.affine_signs`, in one pass)."""
    m, t = points.shape[0], flat.n_traces
    out = np.empty((m, t), dtype=np.int8)
    unsure = np.empty((m, t), dtype=bool)
    if _generic_jit.float_signs(flat.rows_f, np.ascontiguousarray(points), *_exact.filter_constants(flat.dim),
                                out, unsure):
        out = _exact.exact_where(flat.rows_exact, points, unsure, out)
    return out


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
            found = _try_facet(flat, c, total, jj, Wc, Xc, expected, finite[c % total], searched)
            if found is not None:
                W[r] = found
                del X[r]
                break


def _try_facet(flat: Flat, c: int, total: int, jj: NDArray[np.intp], Wc: NDArray[np.float64],
               Xc: dict[int, Point], expected: NDArray[np.int8], finite: bool,
               searched: set[tuple[float, ...]]) -> NDArray[np.float64] | None:
    """A float witness of a thin region through its facet candidate c, or None: the exact
    line through the child's float witness, then the axis lines through the float nearest
    to the exact lift unless those were ``searched`` (the set grows)."""
    lifted = _float_lift(flat, c, total, jj, Wc) if finite else None
    found, point = _via_facet(flat, c, total, jj, Wc, Xc, expected, lifted, hunt=False)
    base = _nearest_float(point)
    if found is None and tuple(base) not in searched:
        searched.add(tuple(base))
        found = _float_on_axes(flat, base, expected)
    return found


#: A region the stream yielded without a float witness, and where its rows are: the batch's
#: witnesses W and exact points X, its row, its mirror row (−1: none), the facets tried, and
#: the nearest floats whose axis lines were searched.
_Pending = tuple[NDArray[np.float64], dict[int, Point], int, int, list[int], set[tuple[float, ...]]]


def _retry_pending(flat: Flat, Sc: NDArray[np.int8], keys: NDArray[Any], old: NDArray[np.bool_],
                   first: NDArray[np.intp], Wc: NDArray[np.float64], Xc: dict[int, Point],
                   jj: NDArray[np.intp], total: int, pending: dict[Any, _Pending]) -> None:
    """Regions met again on a later trace of the stream, found before without a float witness:
    try this facet too (`_retry_thin` across batches, up to `RETRY_FACETS` facets)."""
    # The rows of the pending regions, by binary search (no Python loop over the batch).
    waiting = (np.array(list(pending), dtype=np.uint64) if keys.dtype == np.uint64
               else np.frombuffer(b"".join(pending), dtype=keys.dtype))
    for r in np.flatnonzero(old & _keys.member(keys, np.sort(waiting))).tolist():
        key = _hashable(keys, r)
        W, X, row, mirror, tried, searched = pending[key]
        c = int(first[r])
        expected = _lifted_signs(flat, Sc, jj, first[r : r + 1])[0, flat.rep] * flat.tsign[flat.rep]
        found = _try_facet(flat, c, total, jj, Wc, Xc, expected, bool(np.isfinite(Wc[c % total]).all()),
                           searched)
        tried[0] += 1
        if found is not None:
            W[row] = found
            del X[row]
            if mirror >= 0:
                W[mirror] = -found
                del X[mirror]
        if found is not None or tried[0] >= RETRY_FACETS:
            del pending[key]


def _hashable(keys: NDArray[Any], r: int) -> Any:
    """Key r as a dict key: an int for uint64 keys, its bytes for wide ones."""
    return keys[r].item() if keys.dtype == np.uint64 else keys[r].tobytes()


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
    if len(flat.rows_exact) == 1 and flat.rows_exact[0][1] == 0 and witnesses:
        # One point at 0 (every line of a central arrangement): the two rays around it.
        return _expand(flat, _RAYS_SIGNS), _rays_at_zero(), {}
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


#: The trace signs of the two rays of a line cut at one point: below it, then above.
_RAYS_SIGNS = np.array([[-1], [1]], dtype=np.int8)


@functools.cache
def _rays_at_zero() -> NDArray[np.float64]:
    """`_line_regions`' witnesses of the two rays of a line cut at 0 (read-only, shared)."""
    W = np.array([[_float_in(None, Fraction(0))], [_float_in(Fraction(0), None)]])
    W.setflags(write=False)
    return W


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
