"""The region adjacency graph of an arrangement, computed exactly.

Two regions are *adjacent* when they share a facet.  The graph has one node
per region (in [`Arrangement.regions`][hyperarr.arrangement.Arrangement.regions] order) and one edge per adjacent
pair; walking an edge flips the output of exactly one first-layer neuron
(or of all copies of a repeated hyperplane at once).

The computation rests on one fact, which needs no linear programming and no
tolerance:

    Two regions are adjacent iff exactly one distinct hyperplane separates
    them.

*Proof.*  If only H separates regions P and Q, the segment between their
witnesses keeps a constant sign on every other hyperplane (an affine function
with the same strict sign at both ends has that sign on the whole segment), so
it crosses H at one point x lying on no other hyperplane; a small ball around
x meets H only, so x is in the relative interior of a facet common to P and Q.
Conversely a common facet spans exactly one hyperplane, and crossing it flips
that hyperplane only.  ∎

So the edges are found by flipping one sign column of every region's
distinct-sign vector and looking the result up among the regions' sign
vectors (sorted packed keys, `numpy.searchsorted`).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

import numpy as np
from numpy.typing import NDArray

from hyperarr import _keys
from hyperarr.arrangement import checked

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from hyperarr.arrangement import Arrangement
    from hyperarr.regions import Regions

__all__ = ["adjacency_graph", "adjacency_edges"]


def adjacency_edges(A: "Arrangement") -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Adjacent region pairs of ``A``, as arrays (the fast form of the graph).

    Parameters
    ----------
    A : Arrangement

    Returns
    -------
    edges : ndarray of int64, shape (E, 2)
        Row ``(i, j)`` with ``i < j`` is a pair of regions (indices into
        ``A.regions()``) that share a facet.  Rows are grouped by crossed
        hyperplane, in increasing order of ``hyperplane``.
    hyperplane : ndarray of int64, shape (E,)
        For each edge, the crossed hyperplane, named by its lowest input
        index.  When the input repeats a hyperplane (with the same or the
        opposite orientation), every copy flips across the edge; the copies
        are the indices ``k`` with ``A[k]`` on the same hyperplane, and
        [`adjacency_graph`][hyperarr.adjacency.adjacency_graph] lists them all.

    Notes
    -----
    Exact: the edges are decided on the regions' exact sign vectors, by the
    theorem in [the module docstring][hyperarr.adjacency] (regions are adjacent iff exactly one
    distinct hyperplane separates them).  The cost is O(h·m·log m) for m
    regions and h distinct hyperplanes, after ``A.regions()``, fully
    vectorized.

    Examples
    --------
    >>> import hyperarr as ha
    >>> from hyperarr.library import five_lines
    >>> edges, hyperplane = adjacency_edges(five_lines())
    >>> len(edges), sorted(set(hyperplane.tolist()))
    (25, [0, 1, 2, 3, 4])
    >>> A = ha.Arrangement([[1, 0], [-2, 0]], [0, 0])   # one line, twice
    >>> adjacency_edges(A)[0].tolist(), adjacency_edges(A)[1].tolist()
    ([[0, 1]], [0])
    """
    nb, rep = _neighbor_table(checked(A))
    u, i = np.nonzero((nb > np.arange(nb.shape[0])[:, None]).T)
    edges = np.stack([i, nb[i, u]], axis=1).astype(np.int64, copy=False)
    return edges, rep[u]


def adjacency_graph(A: "Arrangement") -> "nx.Graph":
    """The region adjacency graph of ``A`` as a `networkx.Graph`.

    Parameters
    ----------
    A : Arrangement

    Returns
    -------
    networkx.Graph
        Nodes ``0 .. m−1`` are the regions in ``A.regions()`` order, with
        attributes ``signs`` (tuple of ±1 ints), ``point`` (tuple of floats,
        an exact interior witness) and ``bounded`` (bool).  An edge joins two
        regions that share a facet; its attribute ``hyperplanes`` is the tuple
        of input indices whose sign flips across it: one index, or several
        when the input repeats that hyperplane (same or opposite orientation).

    Notes
    -----
    Exact, with no tolerance and no linear programming: two regions are
    adjacent iff exactly one distinct hyperplane separates them (see the
    [module docstring][hyperarr.adjacency] for the one-line proof), and the edges come from
    [`adjacency_edges`][hyperarr.adjacency.adjacency_edges].  The graph is connected, and the graph distance
    between two regions is the number of distinct hyperplanes separating
    them.  In general position there are n · Σ_{k≤d−1} C(n−1, k) edges.
    Edges sharing a hyperplane share one (immutable) tuple as their
    ``hyperplanes`` value; each edge still has its own attribute dict.

    Examples
    --------
    >>> import hyperarr as ha
    >>> from hyperarr.library import five_lines
    >>> G = five_lines().adjacency_graph()
    >>> G.number_of_nodes(), G.number_of_edges()
    (16, 25)
    >>> u, v, flipped = next(iter(G.edges(data="hyperplanes")))
    >>> [i for i in range(5) if G.nodes[u]["signs"][i] != G.nodes[v]["signs"][i]] == list(flipped)
    True
    >>> A = ha.Arrangement([[1, 0], [-2, 0], [0, 1]], [0, 0, 0])  # line 1 repeats line 0
    >>> sorted(G_ for _, _, G_ in A.adjacency_graph().edges(data="hyperplanes"))
    [(0, 1), (0, 1), (2,), (2,)]
    """
    R = checked(A).regions()
    nb, rep = _neighbor_table(A)
    prep = A._prepared
    copies: list[list[int]] = [[] for _ in range(rep.size)]
    for i, u in enumerate(prep.column.tolist()):
        copies[u].append(i)
    with _gc_paused():
        return _build_graph(R, nb, [tuple(c) for c in copies])


def _neighbor_table(A: "Arrangement") -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """``nb[r, u]``: the region across distinct hyperplane u from region r, or −1.

    Also returns ``rep``: the lowest input index of each distinct hyperplane.
    """
    R = A.regions()
    prep = A._prepared
    h = len(prep.rows)
    m = len(R)
    nb = np.full((m, h), -1, dtype=np.int64)
    rep = prep.rep
    if h == 0 or m < 2:
        return nb, rep
    # Distinct-sign bits: input sign = orient * distinct sign.
    plus = (R.signs[:, rep] * prep.orient[rep][None, :]) > 0
    packed = np.packbits(plus, axis=1)
    keys = _keys.from_bytes(packed)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    if packed.shape[1] <= 8:
        # uint64 keys: setting a zero bit adds a constant, so the lookups of
        # the sorted keys are sorted too (searchsorted then scans forward).
        flips = _keys.from_bytes(np.packbits(np.eye(h, dtype=bool), axis=1))
        for u in range(h):
            low = (sorted_keys & flips[u]) == 0
            target = sorted_keys[low] + flips[u]
            pos = np.searchsorted(sorted_keys, target)
            pos[pos == m] = 0
            hit = sorted_keys[pos] == target
            i = order[low][hit]
            j = order[pos[hit]]
            nb[i, u] = j
            nb[j, u] = i
        return nb, rep
    for u in range(h):
        lo = np.flatnonzero(~plus[:, u])
        moved = packed[lo]
        moved[:, u // 8] ^= np.uint8(0x80 >> (u % 8))
        target = _keys.from_bytes(moved)
        pos = np.searchsorted(sorted_keys, target)
        pos[pos == m] = 0
        hit = sorted_keys[pos] == target
        i = lo[hit]
        j = order[pos[hit]]
        nb[i, u] = j
        nb[j, u] = i
    return nb, rep


def _build_graph(R: "Regions", nb: NDArray[np.int64],
                 copies: list[tuple[int, ...]]) -> "nx.Graph":
    """Fill a `networkx.Graph` in bulk from the neighbour table.

    ``add_nodes_from``/``add_edges_from`` cost microseconds per item (about
    10 s for two million edges), so the node and adjacency dicts are built
    here and handed to a fresh graph, in the layout networkx documents for
    its subclasses: ``G._node[i]`` is the attribute dict of node i and
    ``G._adj[i][j] is G._adj[j][i]`` is the attribute dict of edge {i, j}.
    Nothing has read the fresh graph yet, so no cached view holds the old
    (empty) dicts.  If a networkx version stores graphs differently, the
    public API is used instead.
    """
    import networkx as nx

    m, h = nb.shape
    G = nx.Graph()
    nodes = {
        i: {"signs": s, "point": p, "bounded": b}
        for i, s, p, b in zip(range(m), map(tuple, R.signs.tolist()),
                              map(tuple, R.points.tolist()), R.bounded.tolist())
    }
    # Edge k = (i_k < j_k across u_k); eid[r, u] is the edge leaving r across u.
    u, i = np.nonzero((nb > np.arange(m)[:, None]).T)
    j = nb[i, u]
    eid = np.full((m, h), -1, dtype=np.int64)
    k = np.arange(u.size, dtype=np.int64)
    eid[i, u] = k
    eid[j, u] = k
    # One attribute dict per edge, shared by its two directions (as
    # networkx does); edges across one hyperplane share the tuple of copies.
    data = [{"hyperplanes": t} for t in map(copies.__getitem__, u.tolist())]
    valid = nb >= 0
    nbr_l = nb[valid].tolist()  # row-major: grouped by node, in order
    data_l = list(map(data.__getitem__, eid[valid].tolist()))
    bounds = np.concatenate([[0], np.cumsum(valid.sum(axis=1))]).tolist()
    adj = {
        r: dict(zip(nbr_l[a:b], data_l[a:b]))
        for r, a, b in zip(range(m), bounds[:-1], bounds[1:])
    }
    if type(G._node) is dict and type(G._adj) is dict and not G._node and not G._adj:
        G._node.update(nodes)
        G._adj.update(adj)
        return G
    G.add_nodes_from(nodes.items())  # pragma: no cover - other storage layouts
    G.add_edges_from(zip(i.tolist(), j.tolist(), data))  # pragma: no cover
    return G


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of dicts are created.

    The objects built here hold no reference cycles, but each allocation
    burst would trigger full collections that scan everything built so far.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
