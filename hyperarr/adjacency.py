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
from itertools import islice
from typing import TYPE_CHECKING, Iterator

import numpy as np
from numpy.typing import NDArray

from hyperarr import _keys
from hyperarr.arrangement import checked

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from scipy import sparse

    from hyperarr.arrangement import Arrangement
    from hyperarr.regions import Regions

__all__ = ["adjacency_matrix", "adjacency_graph", "adjacency_edges"]


def adjacency_matrix(A: "Arrangement") -> "sparse.csr_array":
    """The region adjacency matrix of ``A``: `scipy.sparse` CSR, with the crossed hyperplanes.

    Parameters
    ----------
    A : Arrangement

    Returns
    -------
    scipy.sparse.csr_array, shape (m, m)
        Rows and columns are the regions in ``A.regions()`` order.  Entry
        ``(r, s)`` is stored iff regions r and s share a facet; its value is
        ``k + 1``, where k is the crossed hyperplane named by its lowest input
        index (``+ 1`` so that no stored value is zero).  The matrix is
        symmetric, has no diagonal and its column indices are sorted in every
        row (canonical format).  ``indices`` are int32 while m < 2³¹, and the
        values are int16 while n < 2¹⁵ − 1 (int32 otherwise): 12 bytes per
        edge (each edge is stored in both directions), plus ``indptr``.

    Notes
    -----
    When the input repeats a hyperplane (with the same or the opposite
    orientation), every copy flips across the edge; the copies of ``k`` are
    the input indices ``j`` with ``A[j]`` on the same hyperplane, and
    [`adjacency_graph`][hyperarr.adjacency.adjacency_graph] lists them all.

    Exact, as [`adjacency_edges`][hyperarr.adjacency.adjacency_edges]: decided
    on the regions' exact sign vectors, in O(h·m·log m) for m regions and h
    distinct hyperplanes after ``A.regions()``, with no Python loop over
    regions or edges.  Use it with `scipy.sparse.csgraph` (e.g.
    ``shortest_path(M, unweighted=True)``) or ``M.astype(bool)``.

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> M = adjacency_matrix(five_lines())
    >>> M.shape, M.nnz // 2                       # 16 regions, 25 edges
    ((16, 16), 25)
    >>> bool((M != M.T).nnz == 0), sorted(set((M.data - 1).tolist()))
    (True, [0, 1, 2, 3, 4])
    """
    from scipy import sparse

    R = checked(A).regions()
    m, n = len(R), A.n
    pairs = _pairs(A)
    index = np.int32 if m < 2**31 else np.int64
    value = np.int16 if n < 2**15 - 1 else np.int32
    empty = [np.zeros(0, dtype=index)]
    row = np.concatenate([np.concatenate([i, j]).astype(index) for _, i, j in pairs] or empty)
    col = np.concatenate([np.concatenate([j, i]).astype(index) for _, i, j in pairs] or empty)
    data = np.concatenate([np.full(2 * i.size, k + 1, dtype=value) for k, i, _ in pairs]
                          or [np.zeros(0, dtype=value)])
    # COO to CSR is a counting sort in C; no pair repeats, so nothing is summed.
    M = sparse.coo_array((data, (row, col)), shape=(m, m)).tocsr()
    M.sort_indices()
    return M


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
    checked(A)
    pairs = _pairs(A)
    edges = [np.zeros((0, 2), dtype=np.int64)]
    for _, i, j in pairs:
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        order = np.argsort(lo, kind="stable")
        edges.append(np.stack([lo[order], hi[order]], axis=1).astype(np.int64, copy=False))
    hyperplane = [np.full(i.size, k, dtype=np.int64) for k, i, _ in pairs]
    return np.concatenate(edges), np.concatenate([np.zeros(0, dtype=np.int64), *hyperplane])


def adjacency_graph(A: "Arrangement") -> "nx.Graph":
    r"""The region adjacency graph of ``A`` as a `networkx.Graph`.

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
    them.  In general position there are $n \sum_{k \le d-1} \binom{n-1}{k}$ edges.
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
    >>> su, sv = G.nodes[u]["signs"], G.nodes[v]["signs"]
    >>> [i for i in range(5) if su[i] != sv[i]] == list(flipped)
    True
    >>> A = ha.Arrangement([[1, 0], [-2, 0], [0, 1]], [0, 0, 0])  # x = 0 twice
    >>> sorted(G_ for _, _, G_ in A.adjacency_graph().edges(data="hyperplanes"))
    [(0, 1), (0, 1), (2,), (2,)]
    """
    M = adjacency_matrix(A)
    R = A.regions()
    prep = A._prepared
    copies: list[list[int]] = [[] for _ in range(prep.rep.size)]
    for i, u in enumerate(prep.column.tolist()):
        copies[u].append(i)
    # The tuple of copies of each input hyperplane (only representatives are used).
    of_input = [tuple(copies[u]) for u in prep.column.tolist()]
    with _gc_paused():
        return _build_graph(R, M, of_input)


def _pairs(A: "Arrangement") -> list[tuple[int, NDArray[np.intp], NDArray[np.intp]]]:
    """For each distinct hyperplane that bounds a facet: ``(k, i, j)``.

    k is its lowest input index; ``i[e]`` and ``j[e]`` are the regions on its
    negative and positive side that share a facet on it (the regions whose
    distinct-sign vectors differ in that hyperplane alone), in no set order.
    """
    R = A.regions()
    prep = A._prepared
    h = len(prep.rows)
    m = len(R)
    if h == 0 or m < 2:
        return []
    rep = prep.rep
    # Distinct-sign bits: input sign = orient * distinct sign.
    plus = (R.signs[:, rep] * prep.orient[rep][None, :]) > 0
    packed = np.packbits(plus, axis=1)
    keys = _keys.from_bytes(packed)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    out = []
    for u in range(h):
        if packed.shape[1] <= 8:
            # uint64 keys: setting a zero bit adds a constant, so the targets of
            # the sorted keys are sorted too (searchsorted then scans forward).
            flip = np.uint64(1 << (63 - u - 8 * (8 - packed.shape[1])))
            low = np.flatnonzero((sorted_keys & flip) == 0)
            target = sorted_keys[low] + flip
            lo = order[low]
        else:
            lo = np.flatnonzero(~plus[:, u])
            moved = packed[lo]
            moved[:, u // 8] ^= np.uint8(0x80 >> (u % 8))
            target = _keys.from_bytes(moved)
        pos = np.searchsorted(sorted_keys, target)
        pos[pos == m] = 0
        hit = sorted_keys[pos] == target
        if hit.any():
            out.append((int(rep[u]), lo[hit], order[pos[hit]]))
    return out


def _build_graph(R: "Regions", M: "sparse.csr_array", of_input: list[tuple[int, ...]]) -> "nx.Graph":
    """Fill a `networkx.Graph` in bulk from the adjacency matrix.

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
    from scipy import sparse

    m = M.shape[0]
    G = nx.Graph()
    nodes = {
        i: {"signs": s, "point": p, "bounded": b}
        for i, s, p, b in zip(range(m), map(tuple, R.signs.tolist()),
                              map(tuple, R.points.tolist()), R.bounded.tolist())
    }
    indptr, indices = M.indptr, M.indices
    row = np.repeat(np.arange(m, dtype=indices.dtype), np.diff(indptr))
    upper = np.flatnonzero(indices > row)  # edge e = the e-th stored (i, j) with i < j
    # The entry (j, i) mirroring each stored (i, j): the transpose, computed in C.
    mirror = sparse.csr_array((np.arange(indices.size), indices, indptr), shape=M.shape).T.tocsr().data
    # One attribute dict per edge, shared by its two directions (as networkx
    # does); edges across one hyperplane share the tuple of copies.
    data = np.empty(indices.size, dtype=object)
    data[upper] = [{"hyperplanes": t} for t in map(of_input.__getitem__, (M.data[upper] - 1).tolist())]
    lower = np.flatnonzero(indices < row)
    data[lower] = data[mirror[lower]]
    # Row r takes the next degree(r) (neighbour, dict) pairs of one iterator.
    entries = zip(indices.tolist(), data.tolist())
    adj = {r: dict(islice(entries, c)) for r, c in enumerate(np.diff(indptr).tolist())}
    if type(G._node) is dict and type(G._adj) is dict and not G._node and not G._adj:
        G._node.update(nodes)
        G._adj.update(adj)
        return G
    G.add_nodes_from(nodes.items())  # pragma: no cover - other storage layouts
    i, j = row[upper].tolist(), indices[upper].tolist()  # pragma: no cover
    G.add_edges_from(zip(i, j, data[upper].tolist()))  # pragma: no cover
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
