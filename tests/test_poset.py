"""The intersection poset, Whitney numbers, the poset of regions (hyperarr.poset)."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings

from hyperarr import Arrangement, library, poset_of_regions
from hyperarr._exact import rank_exact
from hyperarr.exceptions import ArrangementError

from arrangement_strategies import degenerate_arrangements


def _brute_flats(A: Arrangement) -> dict[frozenset[int], int]:
    """Every flat by brute force over subsets: its hyperplanes (closure) and rank."""
    rows = A.exact_rows
    flats: dict[frozenset[int], int] = {frozenset(): 0}
    for k in range(1, A.n + 1):
        for sub in itertools.combinations(range(A.n), k):
            normals = [rows[i][:-1] for i in sub]
            r = rank_exact(normals)
            if rank_exact([rows[i] for i in sub]) != r:
                continue  # empty intersection
            closure = frozenset(j for j in range(A.n)
                                if rank_exact(normals + [rows[j][:-1]]) == r
                                and rank_exact([rows[i] for i in sub] + [rows[j]]) == r)
            flats[closure] = r
    return flats


@settings(max_examples=50, deadline=None)
@given(degenerate_arrangements(max_n=6, max_d=3))
def test_poset_and_whitney_numbers_against_brute_force(A):
    P = A.intersection_poset()
    brute = _brute_flats(A)
    got = {P.nodes[v]["hyperplanes"]: P.nodes[v]["rank"] for v in P.nodes}
    assert got == brute
    assert P.nodes[0]["hyperplanes"] == frozenset() and P.nodes[0]["dim"] == A.dim
    for v in P.nodes:
        assert P.nodes[v]["rank"] + P.nodes[v]["dim"] == A.dim
    for x, y in P.edges:
        assert P.nodes[x]["hyperplanes"] < P.nodes[y]["hyperplanes"]
        assert P.nodes[y]["rank"] == P.nodes[x]["rank"] + 1
    assert nx.is_directed_acyclic_graph(P)
    r = A.rank()
    kind2 = tuple(sum(1 for v in brute.values() if v == k) for k in range(r + 1))
    assert A.whitney_numbers(kind=2) == kind2
    chi = A.characteristic_polynomial()
    w1 = A.whitney_numbers()
    assert w1 == tuple(chi[A.dim - k] for k in range(r + 1))
    assert all(c == 0 for c in chi[: A.dim - r])
    # Möbius values from the poset: mu(V, X) by the defining recursion, summed by rank.
    mu = {0: 1}
    for v in sorted(P.nodes, key=lambda u: P.nodes[u]["rank"])[1:]:
        above = nx.ancestors(P, v)
        mu[v] = -sum(mu[u] for u in above)
    assert tuple(sum(mu[v] for v in P.nodes if P.nodes[v]["rank"] == k) for k in range(r + 1)) == w1


def test_whitney_numbers_of_families():
    assert library.braid(4).whitney_numbers() == (1, -6, 11, -6)
    assert library.braid(4).whitney_numbers(kind=2) == (1, 6, 7, 1)
    A = library.generic(6, 3, seed=1)
    assert A.whitney_numbers(kind=2) == (1, 6, 15, 20)
    assert Arrangement.empty(3).whitney_numbers(kind=2) == (1,)
    with pytest.raises(ArrangementError, match="kind must be 1 or 2; got 3"):
        A.whitney_numbers(kind=3)


@settings(max_examples=40, deadline=None)
@given(degenerate_arrangements(max_n=6, max_d=3))
def test_poset_of_regions_is_the_adjacency_graph_oriented_away_from_base(A):
    R = A.regions()
    base = len(R) // 2
    P = poset_of_regions(A, base=base)
    G = A.adjacency_graph()
    assert P.number_of_nodes() == len(R)
    assert {frozenset(e) for e in P.edges} == {frozenset(e) for e in G.edges}
    S = R.signs[:, A._prepared.rep]
    sep = (S != S[base]).sum(axis=1)
    for a, b in P.edges:
        assert sep[b] == sep[a] + 1
        assert P.nodes[b]["separating"] == sep[b]
    # The rank in the poset is the graph distance to the base.
    dist = nx.single_source_shortest_path_length(G, base)
    assert all(dist[v] == sep[v] for v in range(len(R)))
    assert [v for v in P if P.in_degree(v) == 0] == [base]


def test_poset_of_regions_bad_base():
    with pytest.raises(ArrangementError, match=r"base must be a region index in \[0, 6\); got 6"):
        poset_of_regions(library.braid(3), base=6)


def test_is_simplicial_follows_sage():
    # Sage's docstring examples.
    assert Arrangement([[1, 1, 1], [1, 2, 3]], [0, 0]).is_simplicial()
    assert Arrangement([[1, 1, 1], [1, 2, 3], [1, 3, 2]], [0, 0, 0]).is_simplicial()
    assert not Arrangement([[1, 1, 1], [1, 2, 3], [1, 3, 2], [2, 1, 3]], [0, 0, 0, 0]).is_simplicial()
    assert library.braid(3).is_simplicial()
    assert not library.five_lines().is_simplicial()  # it has a pentagon
