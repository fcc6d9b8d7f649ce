r"""The intersection poset, Whitney numbers, the poset of regions and simpliciality.

The *intersection poset* L(A) has one element per flat (a nonempty
intersection of hyperplanes, the whole space $\mathbb{R}^d$ included), ordered by
reverse inclusion; its rank function is the codimension.  The *poset of
regions* P(A, B) orders the regions by the set of hyperplanes separating
them from a base region B.  Its covers are adjacent regions, so its Hasse
diagram is the adjacency graph oriented away from B.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from hyperarr import _exact
from hyperarr.adjacency import adjacency_edges
from hyperarr.arrangement import checked
from hyperarr.characteristic import characteristic_polynomial
from hyperarr.exceptions import ArrangementError
from hyperarr.faces import _all_levels, _generic

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from hyperarr.arrangement import Arrangement

__all__ = ["intersection_poset", "whitney_numbers", "poset_of_regions", "is_simplicial"]


def intersection_poset(A: "Arrangement") -> "nx.DiGraph":
    r"""The intersection poset of ``A`` as its Hasse diagram.

    Returns
    -------
    networkx.DiGraph
        One node per flat, numbered by rank, then in the lattice's
        breadth-first order; node 0 is the whole space $\mathbb{R}^d$.  Node attributes:
        ``hyperplanes``, the frozenset of the input indices of the
        hyperplanes containing the flat (repeated hyperplanes included);
        ``rank``, its codimension; ``dim``, its dimension.  An edge X → Y
        means Y ⊂ X and rank(Y) = rank(X) + 1.

    Examples
    --------
    >>> from hyperarr import Arrangement
    >>> A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 0])
    >>> P = A.intersection_poset()
    >>> P.number_of_nodes(), P.number_of_edges()
    (5, 6)
    >>> sorted(P.nodes[4]["hyperplanes"]), P.nodes[4]["rank"]
    ([0, 1, 2], 2)
    """
    import networkx as nx

    A = checked(A)
    G = nx.DiGraph()
    d = A.dim
    G.add_node(0, hyperplanes=frozenset(), rank=0, dim=d)
    if A.n == 0:
        return G
    lat = A._lattice
    by_dim = _all_levels(lat)
    prep = A._prepared
    members: dict[int, list[int]] = {}
    for i, u in enumerate(prep.column.tolist()):
        members.setdefault(u, []).append(i)
    node: dict[int, int] = {}
    for k in range(d, -1, -1):
        for f in by_dim[k]:
            node[f.key] = len(node)
            hyper = frozenset(i for u, idx in members.items() if f.key >> u & 1 for i in idx)
            G.add_node(node[f.key], hyperplanes=hyper, rank=d - k, dim=k)
    for k in range(d, 0, -1):
        for f in by_dim[k]:
            for j in range(f.n_traces):
                G.add_edge(node[f.key], node[lat.child(f, j).key])
    return G


def whitney_numbers(A: "Arrangement", kind: int = 1) -> tuple[int, ...]:
    r"""Whitney numbers of ``A`` by rank k = 0, …, rank(A).

    Parameters
    ----------
    A : Arrangement
    kind : {1, 2}
        1: those of the first kind, $w_k = \sum_{\mathrm{rank}\, X = k} \mu(\mathbb{R}^d, X)$, which are
        the coefficients of $\chi(t) = \sum_k w_k t^{d-k}$ from the leading one down
        (signed, as in Sage).  2: those of the second kind, the number of
        flats of rank k.

    Examples
    --------
    >>> from hyperarr import library
    >>> library.braid(3).whitney_numbers()
    (1, -3, 2)
    >>> library.braid(3).whitney_numbers(kind=2)
    (1, 3, 1)
    """
    A = checked(A)
    if kind not in (1, 2) or isinstance(kind, bool):
        raise ArrangementError(f"kind must be 1 or 2; got {kind!r}")
    r = A.rank()
    d = A.dim
    if kind == 1:
        chi = characteristic_polynomial(A)
        return tuple(int(chi[d - k]) for k in range(r + 1))
    if len(A._prepared.rows) == A.n and A.n > 0 and _generic(A):
        return tuple(math.comb(A.n, k) for k in range(r + 1))
    if A.n == 0:
        return (1,)
    by_dim = _all_levels(A._lattice)
    return tuple(len(by_dim[d - k]) for k in range(r + 1))


def poset_of_regions(A: "Arrangement", base: int = 0) -> "nx.DiGraph":
    """The poset of regions of ``A`` with base region ``base``, as its Hasse diagram.

    Region R is below R' when every hyperplane separating R from the base
    also separates R' from it.  The covers are the pairs of adjacent regions
    (a geodesic of the adjacency graph crosses each separating hyperplane
    once), so the diagram is the adjacency graph with every edge oriented
    away from ``base``.

    Parameters
    ----------
    A : Arrangement
    base : int
        Index of the base region in ``A.regions()``.

    Returns
    -------
    networkx.DiGraph
        Nodes are region indices, with attribute ``separating``: the number of
        distinct hyperplanes separating the region from the base, its rank in
        the poset.  That number is the graph distance to the base in the
        adjacency graph, and the distance between two regions is the Hamming
        distance of their sign vectors over the distinct hyperplanes (over the
        input columns when no hyperplane is repeated).  Edge R → R' has
        attribute ``hyperplane``, the lowest input index of the hyperplane
        crossed.

    Examples
    --------
    >>> from hyperarr import library, poset_of_regions
    >>> P = poset_of_regions(library.braid(3))
    >>> P.number_of_nodes(), P.number_of_edges()
    (6, 6)
    >>> sorted(d for _, d in P.in_degree())
    [0, 1, 1, 1, 1, 2]
    """
    import networkx as nx

    A = checked(A)
    R = A.regions()
    m = len(R)
    if isinstance(base, bool) or not isinstance(base, (int, np.integer)) or not 0 <= base < m:
        raise ArrangementError(f"base must be a region index in [0, {m}); got {base!r}")
    prep = A._prepared
    # One column per distinct hyperplane (its representative's), in the input orientation.
    S = R.signs[:, prep.rep]
    level = (S != S[int(base)][None, :]).sum(axis=1)
    edges, hyperplane = adjacency_edges(A)
    G = nx.DiGraph()
    G.add_nodes_from((r, {"separating": int(v)}) for r, v in enumerate(level.tolist()))
    i, j = edges[:, 0], edges[:, 1]
    up = level[i] < level[j]
    src = np.where(up, i, j)
    dst = np.where(up, j, i)
    G.add_edges_from((int(a), int(b), {"hyperplane": int(h)})
                     for a, b, h in zip(src.tolist(), dst.tolist(), hyperplane.tolist()))
    return G


def is_simplicial(A: "Arrangement") -> bool:
    """True if every region is simplicial, as in Sage.

    A region is simplicial when the normals of the hyperplanes bounding it
    (those of its facets) are linearly independent (exact rank).

    Examples
    --------
    >>> from hyperarr import library
    >>> library.braid(3).is_simplicial(), library.five_lines().is_simplicial()
    (True, False)
    """
    A = checked(A)
    R = A.regions()
    edges, hyperplane = adjacency_edges(A)
    rows = A.exact_rows
    walls: list[set[int]] = [set() for _ in range(len(R))]
    for (a, b), h in zip(edges.tolist(), hyperplane.tolist()):
        walls[a].add(h)
        walls[b].add(h)
    seen: dict[frozenset[int], bool] = {}
    for w in walls:
        key = frozenset(w)
        ok = seen.get(key)
        if ok is None:
            ok = len(w) <= A.dim and _exact.rank_exact(rows[h][:-1] for h in sorted(w)) == len(w)
            seen[key] = ok
        if not ok:
            return False
    return True

