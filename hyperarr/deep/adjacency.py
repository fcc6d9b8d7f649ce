"""The adjacency of activation regions: which regions share a facet, across which unit.

A facet of a region lies on the zero set of one unit u (or of several units
whose zero sets coincide there), and the region across it has the same
pattern with u's bit flipped: every other unit's pre-activation is
continuous and, at a generic point of the facet, not zero.  The facets of
each cell are read off its cone combinatorially (a constraint whose set of
tight rays is maximal, and not empty, cuts out a facet), so no linear
program is solved.

A unit whose pre-activation vanishes on a whole facet (on one side) can
change sign across it as well; such a facet shows because the flipped
pattern is missing, or the edge is seen from one side only.  Those facets
are crossed exactly: a point in the facet's relative interior, from the
exact cone, and an exact forward pass at that point moved by an
infinitesimal ε across it (each value kept as a + b ε).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from hyperarr import _cones
from hyperarr.deep import _engine
from hyperarr.deep._model import Model
from hyperarr.deep.activation import _checked, _domain
from hyperarr.exceptions import HyperarrError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from scipy import sparse

__all__ = ["adjacency_matrix", "adjacency_graph"]


@njit(cache=True, nogil=True)
def _same_row(Z: NDArray[np.uint64], a: int, b: int) -> bool:
    for w in range(Z.shape[1]):
        if Z[a, w] != Z[b, w]:
            return False
    return True


@njit(cache=True, nogil=True)
def _facets(rp: NDArray[np.int64], T: NDArray[np.uint64], first: int) -> Any:
    """For each cell, its facets: (cell, constraint id, group) for every constraint whose
    set of tight rays is maximal and not empty (ids in one group share that set).
    Only groups with a unit (id ≥ first) are kept, marked −1 when the group also holds
    t ≥ 0 or a domain facet (the domain's boundary: no neighbour)."""
    nc = rp.shape[0] - 1
    Wd = T.shape[1]
    NID = 64 * Wd
    out_c = np.empty(16, dtype=np.int64)
    out_i = np.empty(16, dtype=np.int64)
    out_g = np.empty(16, dtype=np.int64)
    n = 0
    group = 0
    for c in range(nc):
        r0, r1 = rp[c], rp[c + 1]
        V = r1 - r0
        Vw = (V + 63) // 64
        ids = np.empty(NID, dtype=np.int64)
        m = 0
        for g in range(NID):
            w = g // 64
            b = np.uint64(1) << np.uint64(g % 64)
            for r in range(r0, r1):
                if T[r, w] & b:
                    ids[m] = g
                    m += 1
                    break
        Z = np.zeros((m, Vw), dtype=np.uint64)
        for a in range(m):
            g = ids[a]
            w = g // 64
            b = np.uint64(1) << np.uint64(g % 64)
            for r in range(r0, r1):
                if T[r, w] & b:
                    t = r - r0
                    Z[a, t // 64] |= np.uint64(1) << np.uint64(t % 64)
        done = np.zeros(m, dtype=np.bool_)
        for a in range(m):
            if done[a]:
                continue
            maximal = True
            for b2 in range(m):
                if b2 == a:
                    continue
                sub = True   # Z[a] ⊆ Z[b2]
                eq = True
                for w in range(Vw):
                    if Z[a, w] & ~Z[b2, w]:
                        sub = False
                    if Z[a, w] != Z[b2, w]:
                        eq = False
                if sub and not eq:
                    maximal = False
                    break
            if not maximal:
                continue
            boundary = False
            has_unit = False
            for b2 in range(a, m):
                if _same_row(Z, a, b2):
                    done[b2] = True
                    if ids[b2] < first:
                        boundary = True
                    else:
                        has_unit = True
            if not has_unit:
                continue
            for b2 in range(a, m):
                if _same_row(Z, a, b2) and ids[b2] >= first:
                    if n + 1 > out_c.shape[0]:
                        out_c = _cones._grow(out_c, n + 1)
                        out_i = _cones._grow(out_i, n + 1)
                        out_g = _cones._grow(out_g, n + 1)
                    out_c[n] = c
                    out_i[n] = ids[b2]
                    out_g[n] = -1 if boundary else group
                    n += 1
            group += 1
    return out_c[:n], out_i[:n], out_g[:n]


def _edges(net: Model, domain: Any) -> tuple[NDArray[np.uint8], NDArray[np.int64], NDArray[np.int64],
                                            NDArray[np.int64]]:
    """The regions' patterns (in ``regions`` order) and the edges (i < j, unit)."""
    from hyperarr.deep.activation import _essential, regions

    order = regions(net, domain, max_regions=None).patterns.astype(np.uint8)
    if not net._kinked:  # one region, no edge
        z = np.zeros(0, dtype=np.int64)
        return order, z, z, z
    walked = net
    if domain is None:
        ess = _essential(net)
        if ess is not None:
            if not ess[1][0]:  # a constant first layer: one region, no edge
                z = np.zeros(0, dtype=np.int64)
                return order, z, z, z
            walked = ess[0]
    P, i, j, u = _walked_edges(walked, domain)
    # the walk's order to the order of regions()
    pos = {bytes(np.packbits(p)): k for k, p in enumerate(order)}
    to = np.array([pos[bytes(np.packbits(p))] for p in P], dtype=np.int64)
    a, b = to[i], to[j]
    return order, np.minimum(a, b), np.maximum(a, b), u


def _walked_edges(net: Model, domain: Any) -> tuple[NDArray[np.uint8], NDArray[np.int64],
                                                   NDArray[np.int64], NDArray[np.int64]]:
    """The patterns in the walk's order and the edges between them."""
    plan = _engine.Plan(net, domain)
    first = 1 + plan.F
    pats: list[NDArray[np.uint8]] = []
    facets: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]] = []
    start = 0
    group0 = 0
    for blk in _engine.walk(plan):
        c, i, g = _facets(blk.cells.rp, blk.cells.T, first)
        keep = g >= 0
        g = np.where(keep, g + group0, -1)
        group0 = int(g.max()) + 1 if g.size and g.max() >= 0 else group0
        facets.append((c + start, i - first, g))
        pats.append(blk.patterns)
        start += len(blk.patterns)
    P = np.concatenate(pats) if pats else np.zeros((0, net.n_units), dtype=np.uint8)
    cells = np.concatenate([f[0] for f in facets]) if facets else np.zeros(0, dtype=np.int64)
    units = np.concatenate([f[1] for f in facets]) if facets else np.zeros(0, dtype=np.int64)
    groups = np.concatenate([f[2] for f in facets]) if facets else np.zeros(0, dtype=np.int64)
    index = {bytes(np.packbits(p)): k for k, p in enumerate(P)}
    seen: dict[tuple[int, int], set[int]] = {}
    order = np.argsort(groups, kind="stable")
    cells, units, groups = cells[order], units[order], groups[order]
    bounds = np.flatnonzero(np.diff(groups)) + 1
    todo: list[tuple[int, list[int]]] = []
    for part in np.split(np.arange(groups.size), bounds):
        if not part.size or groups[part[0]] < 0:
            continue
        c = int(cells[part[0]])
        us = units[part].tolist()
        q = P[c].copy()
        q[us] ^= 1
        j = index.get(bytes(np.packbits(q)))
        if j is None:
            todo.append((c, us))
            continue
        seen.setdefault((c, j), set()).update(us)
    edges: dict[tuple[int, int], set[int]] = {}
    for (a, b), us in seen.items():
        if (b, a) in seen:
            edges.setdefault((min(a, b), max(a, b)), set()).update(us)
        else:
            todo.append((a, sorted(us)))
    for c, us in todo:
        j = _across(plan, P[c], us[0] + first, index)
        edges.setdefault((min(c, j), max(c, j)), set()).update(us)
    rows = [(a, b, u) for (a, b), us in sorted(edges.items()) for u in sorted(us)]
    arr = np.array(rows, dtype=np.int64).reshape(-1, 3)
    return P, arr[:, 0], arr[:, 1], arr[:, 2]


def _across(plan: _engine.Plan, pattern: NDArray[np.uint8], hid: int, index: dict[bytes, int]) -> int:
    """The region across the facet of the cell of ``pattern`` on constraint ``hid``, exactly:
    the pattern at a point of the facet's relative interior moved by ε > 0 outwards."""
    cell, _, _ = _engine.exact_cell(plan, pattern.tolist())
    on = [r for r, t in zip(cell.R, cell.T) if int(t[hid // 64]) >> (hid % 64) & 1]
    D = len(cell.R[0])
    s = [sum(r[i] for r in on) for i in range(D)]
    x = [Fraction(v, s[-1]) for v in s[:-1]]
    w = _cones.exact_interior_point(cell)
    n = [a - b for a, b in zip(x, w)]
    q = _symbolic_pattern(plan.net, x, n)
    j = index.get(bytes(np.packbits(np.array(q, dtype=np.uint8))))
    if j is None:
        raise HyperarrError("internal error: no region across a facet; please report it with the network")
    return j


def _symbolic_pattern(net: Model, x: list[Fraction], n: list[Fraction]) -> list[int]:
    """The pattern of x + ε n for every small enough ε > 0, exactly (values a + b ε)."""
    a: list[Any] = list(x)
    b: list[Any] = list(n)
    bits: list[int] = []
    for l in net._layers:
        W, bias = l.W.tolist(), l.b.tolist()
        za = [sum((w * v for w, v in zip(row, a) if w and v), Fraction(0)) + c for row, c in zip(W, bias)]
        zb = [sum((w * v for w, v in zip(row, b) if w and v), Fraction(0)) for row in W]
        if not l.kinked:
            a, b = za, zb
            continue
        pos = [(u > 0) or (u == 0 and v > 0) for u, v in zip(za, zb)]
        bits.extend(int(p) for p in pos)
        if l.kind == "relu":
            a = [u if p else 0 for u, p in zip(za, pos)]
            b = [v if p else 0 for v, p in zip(zb, pos)]
        elif l.kind == "leaky_relu":
            sl = Fraction(l.slope or 0)
            a = [u if p else sl * u for u, p in zip(za, pos)]
            b = [v if p else sl * v for v, p in zip(zb, pos)]
        else:  # step
            a = [int(p) for p in pos]
            b = [0] * len(pos)
    return bits


def adjacency_matrix(net: Model, domain: Any = None) -> "sparse.csr_array":
    """The adjacency matrix of the activation regions meeting ``domain``, sparse.

    Entry (i, j) is 1 + the unit (pattern column) whose zero set holds the
    facet regions i and j share (the lowest, where several units' zero sets
    coincide there).  Rows are in the order of ``net.regions(domain)``.

    Examples
    --------
    >>> from hyperarr.deep import Network
    >>> net = Network([([[1, 0], [0, 1]], [0, 0], "relu"),
    ...                ([[1, 1]], [-1], "relu")])
    >>> M = adjacency_matrix(net)
    >>> M.shape, M.nnz // 2, sorted(set((M.data - 1).tolist()))
    ((7, 7), 9, [0, 1, 2])
    """
    from scipy import sparse

    net = _checked(net)
    P, i, j, u = _edges(net, _domain(net, domain))
    m = P.shape[0]
    first: dict[tuple[int, int], int] = {}
    for a, b, c in zip(i.tolist(), j.tolist(), u.tolist()):
        first.setdefault((a, b), c)
    ii = np.array([k[0] for k in first], dtype=np.int64)
    jj = np.array([k[1] for k in first], dtype=np.int64)
    data = np.array(list(first.values()), dtype=np.int64) + 1
    return sparse.csr_array((np.r_[data, data], (np.r_[ii, jj], np.r_[jj, ii])), shape=(m, m))


def adjacency_graph(net: Model, domain: Any = None) -> "nx.Graph":
    """The graph of the activation regions meeting ``domain``, as a networkx Graph.

    One node per region (in ``net.regions(domain)`` order, with its
    ``pattern`` as a 0/1 string), one edge per shared facet with the
    ``units`` whose zero set holds it.

    Examples
    --------
    >>> from hyperarr.deep import Network
    >>> net = Network([([[1, 0], [0, 1]], [0, 0], "relu"),
    ...                ([[1, 1]], [-1], "relu")])
    >>> G = adjacency_graph(net)
    >>> G.number_of_nodes(), G.number_of_edges()
    (7, 9)
    """
    import networkx as nx

    net = _checked(net)
    P, i, j, u = _edges(net, _domain(net, domain))
    G = nx.Graph()
    for k, p in enumerate(P.tolist()):
        G.add_node(k, pattern="".join(map(str, p)))
    for a, b, c in zip(i.tolist(), j.tolist(), u.tolist()):
        if G.has_edge(a, b):
            G.edges[a, b]["units"] = tuple(sorted(set(G.edges[a, b]["units"]) | {c}))
        else:
            G.add_edge(a, b, units=(c,))
    return G
