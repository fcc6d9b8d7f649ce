"""The region adjacency graph as hyperarr built it before the CSR matrix (baseline only).

This is a frozen copy of ``hyperarr.adjacency.adjacency_graph`` as it was
before ``adjacency_matrix``: a dense neighbour table ``nb[r, u]`` (int64,
one column per distinct hyperplane), then networkx dicts filled in bulk.
`benchmarks.adjacency` times it in the same run as the current code and
checks that both give the same graph.  It is not used by hyperarr.
"""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hyperarr import _keys

__all__ = ["adjacency_graph_dicts"]


def adjacency_graph_dicts(A: Any) -> Any:
    """The adjacency graph of ``A`` as the dict-building implementation made it."""
    R = A.regions()
    nb, rep = _neighbor_table(A)
    prep = A._prepared
    copies: list[list[int]] = [[] for _ in range(rep.size)]
    for i, u in enumerate(prep.column.tolist()):
        copies[u].append(i)
    was = gc.isenabled()
    gc.disable()
    try:
        return _build_graph(R, nb, [tuple(c) for c in copies])
    finally:
        if was:
            gc.enable()


def _neighbor_table(A: Any) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    R = A.regions()
    prep = A._prepared
    h = len(prep.rows)
    m = len(R)
    nb = np.full((m, h), -1, dtype=np.int64)
    rep = prep.rep
    if h == 0 or m < 2:
        return nb, rep
    plus = (R.signs[:, rep] * prep.orient[rep][None, :]) > 0
    packed = np.packbits(plus, axis=1)
    keys = _keys.from_bytes(packed)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
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


def _build_graph(R: Any, nb: NDArray[np.int64], copies: list[tuple[int, ...]]) -> Any:
    import networkx as nx

    m, h = nb.shape
    G = nx.Graph()
    nodes = {
        i: {"signs": s, "point": p, "bounded": b}
        for i, s, p, b in zip(range(m), map(tuple, R.signs.tolist()),
                              map(tuple, R.points.tolist()), R.bounded.tolist())
    }
    u, i = np.nonzero((nb > np.arange(m)[:, None]).T)
    j = nb[i, u]
    eid = np.full((m, h), -1, dtype=np.int64)
    k = np.arange(u.size, dtype=np.int64)
    eid[i, u] = k
    eid[j, u] = k
    data = [{"hyperplanes": t} for t in map(copies.__getitem__, u.tolist())]
    valid = nb >= 0
    nbr_l = nb[valid].tolist()
    data_l = list(map(data.__getitem__, eid[valid].tolist()))
    bounds = np.concatenate([[0], np.cumsum(valid.sum(axis=1))]).tolist()
    adj = {
        r: dict(zip(nbr_l[a:b], data_l[a:b]))
        for r, a, b in zip(range(m), bounds[:-1], bounds[1:])
    }
    G._node.update(nodes)
    G._adj.update(adj)
    return G
