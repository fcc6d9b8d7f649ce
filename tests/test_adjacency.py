"""Tests for hyperarr.adjacency: the region adjacency graph."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperarr import library
from hyperarr.adjacency import adjacency_edges, adjacency_graph, adjacency_matrix
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError


def _distinct_columns(S):
    """Sign columns up to a global sign: one per distinct hyperplane.

    Two distinct hyperplanes never give equal (or opposite) columns: a facet
    of one that is not in the other flips one column and not the other.
    """
    canon = S * np.where(S[:1] == 0, 1, S[:1])
    _, first = np.unique(canon.T, axis=0, return_index=True)
    return S[:, np.sort(first)]


def _check_graph(A):
    """The invariants every adjacency graph must satisfy."""
    R = A.regions()
    G = adjacency_graph(A)
    m = len(R)
    assert sorted(G.nodes) == list(range(m))
    assert nx.is_connected(G)
    for i in (0, m // 2, m - 1):
        node = G.nodes[i]
        assert node["signs"] == tuple(R.signs[i].tolist())
        assert node["point"] == tuple(R.points[i].tolist())
        assert node["bounded"] == bool(R.bounded[i])
    for u, v, flipped in G.edges(data="hyperplanes"):
        differ = np.flatnonzero(R.signs[u] != R.signs[v]).tolist()
        assert differ == list(flipped)
    # Graph distance = number of separating distinct hyperplanes.
    D = _distinct_columns(R.signs)
    for src in sorted({0, m // 3, m - 1}):
        dist = nx.single_source_shortest_path_length(G, src)
        hamming = (D != D[src]).sum(axis=1)
        assert [dist[r] for r in range(m)] == hamming.tolist()
    return G


def _check_matrix(A):
    """The CSR matrix agrees with the edge arrays and with the sign vectors."""
    M = adjacency_matrix(A)
    m = len(A.regions())
    assert M.format == "csr" and M.shape == (m, m) and M.has_sorted_indices
    assert (M.data.nbytes + M.indices.nbytes) <= 16 * (M.nnz // 2)
    assert (M != M.T).nnz == 0 and M.diagonal().sum() == 0
    edges, hyperplane = adjacency_edges(A)
    coo = M.tocoo()
    upper = coo.row < coo.col
    got = sorted(zip(coo.row[upper].tolist(), coo.col[upper].tolist(), (coo.data[upper] - 1).tolist()))
    assert got == sorted(zip(edges[:, 0].tolist(), edges[:, 1].tolist(), hyperplane.tolist()))
    return M


def _generic_edges(n, d):
    return n * sum(math.comb(n - 1, k) for k in range(d))


# ---------------------------------------------------------------------------
# Fixed cases
# ---------------------------------------------------------------------------


def test_five_lines():
    G = _check_graph(library.five_lines())
    assert G.number_of_nodes() == 16
    assert G.number_of_edges() == 25 == _generic_edges(5, 2)
    # The inner pentagon (all −1) touches the five triangles of the star.
    inner = next(i for i, s in G.nodes(data="signs") if s == (-1,) * 5)
    assert G.degree[inner] == 5


@pytest.mark.parametrize("n, d", [(1, 1), (4, 1), (6, 2), (6, 3), (7, 4), (9, 3)])
def test_generic_edge_count(n, d):
    A = library.generic(n, d, seed=n + d)
    G = _check_graph(A)
    assert G.number_of_edges() == _generic_edges(n, d)


@pytest.mark.parametrize("d", [2, 3, 4])
def test_braid_is_the_permutohedron(d):
    # Regions are the d! orderings; neighbours differ by one adjacent swap.
    G = _check_graph(library.braid(d))
    assert G.number_of_nodes() == math.factorial(d)
    assert all(deg == d - 1 for _, deg in G.degree)


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_coordinate_is_the_hypercube(d):
    G = _check_graph(library.coordinate(d))
    assert nx.is_isomorphic(G, nx.hypercube_graph(d))


@pytest.mark.parametrize("d", [2, 3])
def test_shi(d):
    G = _check_graph(library.shi(d))
    assert G.number_of_nodes() == (d + 1) ** (d - 1)


def test_parallel_lines_form_a_path():
    A = Arrangement([[1, 0]] * 4, [0, 1, 2, 3])
    G = _check_graph(A)
    assert nx.is_isomorphic(G, nx.path_graph(5))


def test_concurrent_lines_form_a_cycle():
    A = Arrangement([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 0])
    G = _check_graph(A)
    assert nx.is_isomorphic(G, nx.cycle_graph(8))


@pytest.mark.parametrize("scale", [1, 3, -1, -2])
def test_repeated_hyperplane_lists_every_copy(scale):
    # Hyperplane 2 is hyperplane 0 again, with the same or opposite orientation.
    A = Arrangement([[1, 0], [0, 1], [scale, 0]], [1, 0, scale])
    G = _check_graph(A)
    assert G.number_of_nodes() == 4
    assert sorted(G.edges[e]["hyperplanes"] for e in G.edges) == [(0, 2), (0, 2), (1,), (1,)]
    edges, hyperplane = adjacency_edges(A)
    assert sorted(hyperplane.tolist()) == [0, 0, 1, 1]


def test_repeated_hyperplane_three_copies_in_1d():
    A = Arrangement([[2], [-1], [1], [4]], [2, -1, 3, 4])  # x=1 three times, x=3
    G = _check_graph(A)
    assert sorted(t for _, _, t in G.edges(data="hyperplanes")) == [(0, 1, 3), (2,)]


@pytest.mark.parametrize("d", [1, 2, 5])
def test_no_hyperplanes(d):
    G = _check_graph(Arrangement.empty(d))
    assert G.number_of_nodes() == 1 and G.number_of_edges() == 0
    edges, hyperplane = adjacency_edges(Arrangement.empty(d))
    assert edges.shape == (0, 2) and hyperplane.shape == (0,)


def test_one_dimension():
    A = Arrangement([[1], [1], [-1]], [0, 2, -5])
    G = _check_graph(A)
    assert nx.is_isomorphic(G, nx.path_graph(4))


def test_edges_array_form():
    A = library.generic(6, 3, seed=1)
    edges, hyperplane = adjacency_edges(A)
    assert edges.dtype == np.int64 and hyperplane.dtype == np.int64
    assert (edges[:, 0] < edges[:, 1]).all()
    assert len({tuple(e) for e in edges.tolist()}) == len(edges)
    assert (np.diff(hyperplane) >= 0).all()  # grouped by hyperplane
    S = A.regions().signs
    flipped = S[edges[:, 0]] != S[edges[:, 1]]
    assert (flipped.sum(axis=1) == 1).all()
    assert (np.argmax(flipped, axis=1) == hyperplane).all()


def test_many_hyperplanes_use_wide_keys():
    # More than 64 distinct hyperplanes: keys longer than one machine word.
    A = Arrangement([[1]] * 70, list(range(70)))
    G = _check_graph(A)
    assert nx.is_isomorphic(G, nx.path_graph(71))


def test_bulk_graph_equals_public_api_graph():
    A = Arrangement([[1, 0], [0, 1], [-1, 0], [1, 1]], [0, 0, 0, 1])
    G = adjacency_graph(A)
    R = A.regions()
    edges, hyperplane = adjacency_edges(A)
    H = nx.Graph()
    H.add_nodes_from(
        (i, {"signs": tuple(R.signs[i].tolist()), "point": tuple(R.points[i].tolist()),
             "bounded": bool(R.bounded[i])})
        for i in range(len(R))
    )
    copies = {0: (0, 2), 1: (1,), 3: (3,)}
    H.add_edges_from((i, j, {"hyperplanes": copies[k]})
                     for (i, j), k in zip(edges.tolist(), hyperplane.tolist()))
    assert nx.utils.graphs_equal(G, H)
    # Each edge owns its attribute dict (shared by its two directions only).
    u, v = next(iter(G.edges))
    assert G._adj[u][v] is G._adj[v][u]
    G.edges[u, v]["weight"] = 7
    assert sum("weight" in d for _, _, d in G.edges(data=True)) == 1
    G.add_edge(0, 99)  # the graph is an ordinary, mutable networkx graph
    assert G.has_node(99)


def test_method_on_arrangement():
    A = library.five_lines()
    assert nx.utils.graphs_equal(A.adjacency_graph(), adjacency_graph(A))


# ---------------------------------------------------------------------------
# Property-based
# ---------------------------------------------------------------------------

small_int = st.integers(min_value=-3, max_value=3)


@st.composite
def int_arrangements(draw, dims=(1, 2, 3), max_n=6):
    d = draw(st.sampled_from(dims))
    n = draw(st.integers(min_value=0, max_value=max_n))
    rows = draw(
        st.lists(
            st.lists(small_int, min_size=d + 1, max_size=d + 1).filter(lambda r: any(r[:-1])),
            min_size=n, max_size=n,
        )
    )
    if not rows:
        return Arrangement.empty(d)
    return Arrangement.from_matrix(rows)


@settings(max_examples=120, deadline=None)
@given(int_arrangements())
def test_graph_invariants_random(A):
    G = _check_graph(A)
    _check_matrix(A)
    if A.n and A.is_generic():
        assert G.number_of_edges() == _generic_edges(A.n, A.dim)


@settings(max_examples=60, deadline=None)
@given(int_arrangements(dims=(2,), max_n=5))
def test_edges_are_exactly_single_separations(A):
    # Brute force over all pairs: adjacent iff one distinct hyperplane separates.
    R = A.regions()
    D = _distinct_columns(R.signs)
    want = {(i, j) for i in range(len(R)) for j in range(i + 1, len(R))
            if (D[i] != D[j]).sum() == 1}
    edges, _ = adjacency_edges(A)
    assert {tuple(e) for e in edges.tolist()} == want



@pytest.mark.parametrize("n, d", [(1, 1), (5, 2), (7, 3), (9, 4)])
def test_matrix_of_generic(n, d):
    A = library.generic(n, d, seed=n * d)
    M = _check_matrix(A)
    assert M.nnz == 2 * _generic_edges(n, d)
    # Each stored value names the one hyperplane whose sign differs.
    S = A.regions().signs
    coo = M.tocoo()
    differ = S[coo.row] != S[coo.col]
    assert (differ.sum(axis=1) == 1).all()
    assert (np.argmax(differ, axis=1) + 1 == coo.data).all()


def test_matrix_distances_are_separations():
    # BFS on the matrix (scipy.sparse.csgraph) = number of separating hyperplanes.
    from scipy.sparse.csgraph import shortest_path

    A = library.shi(3)
    M = _check_matrix(A)
    D = shortest_path(M, unweighted=True, indices=[0, 5])
    S = _distinct_columns(A.regions().signs)
    assert D.tolist() == [(S != S[0]).sum(axis=1).tolist(), (S != S[5]).sum(axis=1).tolist()]


def test_matrix_names_the_lowest_copy_and_graph_lists_all():
    A = Arrangement([[0, 1], [2, 0], [-1, 0]], [0, 2, -1])  # hyperplanes 1 and 2 coincide
    M = _check_matrix(A)
    assert sorted(set(M.data.tolist())) == [1, 2]  # input 0 and input 1 (+ 1)
    assert M.data.dtype == np.int16 and M.indices.dtype == np.int32


@pytest.mark.parametrize("d", [1, 3])
def test_matrix_of_one_region(d):
    M = _check_matrix(Arrangement.empty(d))
    assert M.shape == (1, 1) and M.nnz == 0


def test_matrix_wide_keys():
    A = Arrangement([[1]] * 70, list(range(70)))
    M = _check_matrix(A)
    assert M.nnz == 2 * 70


@pytest.mark.parametrize("call", [adjacency_edges, adjacency_graph, adjacency_matrix])
def test_adjacency_needs_an_arrangement(call):
    with pytest.raises(ArrangementError, match="A must be an Arrangement; got list"):
        call([[1, 0], [0, 1]])
