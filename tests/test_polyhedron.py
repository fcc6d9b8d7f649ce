"""Tests for hyperarr.polyhedron: each region as an exact polyhedron."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

import hyperarr as ha
from hyperarr import library
from hyperarr.arrangement import Arrangement
from hyperarr.domain import Box, Polytope
from hyperarr.exceptions import ArrangementError, HyperarrError
from hyperarr.polyhedron import RegionPolyhedron, region_facets, region_polyhedron


def _arrangements():
    return {
        "five_lines": library.five_lines(),
        "braid4": library.braid(4),  # not essential: one line
        "generic73": library.generic(7, 3, seed=1),
        "duplicates": Arrangement([[1, 0], [-2, 0], [0, 1], [1, 1], [0, 3]], [0, 0, 0, 1, 3]),
        "catalan3": library.catalan(3),
        "fractions": Arrangement([[Fraction(1, 3), 1], [0.5, -1], [1, 0]], [Fraction(1, 7), 0.25, -1]),
    }


ARRS = _arrangements()


def _dot(g, x):
    return sum((Fraction(a) * b for a, b in zip(g, x)), Fraction(0))


def _fresh(A):
    """The same arrangement without its cached region table."""
    return Arrangement(A.normals if all(isinstance(v, int) for r in A.exact_rows for v in r)
                       else np.array([r[:-1] for r in A.exact_rows], dtype=object),
                       np.array([r[-1] for r in A.exact_rows], dtype=object))


@pytest.mark.parametrize("name", sorted(ARRS))
def test_facets_are_the_adjacency_pairs(name):
    A = ARRS[name]
    R = A.regions()
    F = R.facets()
    M = A.adjacency_matrix().tocoo()
    Fc = F.tocoo()
    from_facets = sorted(zip(Fc.row.tolist(), (Fc.data - 1).tolist(), Fc.col.tolist()))
    from_adjacency = sorted(zip(M.row.tolist(), M.col.tolist(), (M.data - 1).tolist()))
    assert from_facets == from_adjacency
    assert F.shape == (len(R), A.n)
    assert F is R.facets()  # kept


@pytest.mark.parametrize("name", sorted(ARRS))
def test_one_region_facets_agree_with_the_matrix_and_the_rank_test(name):
    A = ARRS[name]
    R = A.regions()
    F = R.facets()
    B = _fresh(A)  # no region table: facets decided by rank on the exact cone
    assert "_region_table" not in vars(B)
    for k in range(len(R)):
        P = R.polyhedron(k)
        row = sorted(F.indices[F.indptr[k]:F.indptr[k + 1]].tolist())
        assert list(P.facets) == row
        Q = B.region_polyhedron(R.signs[k])
        assert Q.facets == P.facets and Q.copies == P.copies
        assert np.array_equal(Q.vertices, P.vertices) and np.array_equal(Q.rays, P.rays)
        assert "_region_table" not in vars(B)


def _brute_vertices(G, h, d):
    out = set()
    for rows in itertools.combinations(range(len(G)), d):
        M = [[Fraction(v) for v in G[i]] for i in rows]
        b = [Fraction(h[i]) for i in rows]
        from hyperarr.polyhedron import _solve

        x = _solve(M, b)
        if x is not None and all(_dot(g, x) <= hv for g, hv in zip(G, h)):
            out.add(tuple(x))
    return sorted(out)


@pytest.mark.parametrize("name", sorted(ARRS))
def test_v_representation_is_exact_and_spans(name):
    A = ARRS[name]
    R = A.regions()
    d = A.dim
    for k in range(len(R)):
        P = R.polyhedron(k)
        G, h = P.inequalities
        G, h = G.tolist(), h.tolist()
        for v in P.vertices.tolist():
            assert all(_dot(g, v) <= hv for g, hv in zip(G, h))
        for y in P.rays.tolist():
            assert all(_dot(g, y) <= 0 for g in G) and any(y)
        for l in P.lines.tolist():
            assert all(_dot(g, l) == 0 for g in G)
        # vertices, rays and lines span the whole space (the region is full-dimensional)
        gens = [list(v) + [1] for v in P.vertices.tolist()] + [list(y) + [0] for y in P.rays.tolist()]
        gens += [list(l) + [0] for l in P.lines.tolist()]
        from hyperarr._exact import rank_exact

        assert rank_exact(gens) == d + 1
        # each facet holds generators spanning a hyperplane of that cone
        for g, hv in zip(G, h):
            on = [x for x, kind in zip(gens, [1] * len(P.vertices) + [0] * (len(gens) - len(P.vertices)))
                  if _dot(g, x[:-1]) == hv * x[-1]]
            assert rank_exact(on) == d
        assert P.bounded == bool(R.bounded[k])
        if not len(P.lines):  # pointed: the vertices are the brute-force vertices
            assert P.vertices.tolist() == [list(v) for v in _brute_vertices(G, h, d)]
        # the region's witness is strictly inside
        assert P.contains(R.points[k], strict=True)
        assert P.contains(np.asarray(R.points[k])[None, :]).tolist() == [True]


def test_copies_and_the_triangle():
    A = ARRS["duplicates"]
    P = A.region_polyhedron_of([Fraction(1, 4), Fraction(1, 4)])
    assert P.facets == (0, 2, 3)
    assert P.copies == ((0, 1), (2,), (3,))
    assert [[str(v) for v in p] for p in P.vertices.tolist()] == [["0", "0"], ["0", "1"], ["1", "0"]]
    assert P.volume() == Fraction(1, 2)
    Polytope(*P.inequalities)  # accepted as a polytope


def test_lines_of_a_non_essential_region():
    P = library.braid(3).region_polyhedron([1, 1, 1])  # x0 > x1 > x2
    assert P.lines.tolist() in ([[1, 1, 1]], [[-1, -1, -1]])
    assert len(P.rays) == 2 and len(P.vertices) == 1 and not P.bounded


@pytest.mark.parametrize("name", ["five_lines", "generic73", "catalan3", "fractions", "duplicates"])
def test_volumes_in_a_box_add_up_to_the_box(name):
    A = ARRS[name]
    d = A.dim
    lo, hi = [-2] * d, [Fraction(3, 2)] * d
    B = Box(lo, hi)
    total = sum((A.regions().polyhedron(k).volume(domain=B) for k in range(len(A.regions()))), Fraction(0))
    assert total == Fraction(7, 2) ** d
    # a simplex domain
    S = Polytope([[-1] * d] + [[1 if i == j else 0 for j in range(d)] for i in range(d)],
                 [3] + [2] * d)  # x_i <= 2, sum x >= -3: a simplex of side 2 + 3 + ...
    side = Fraction(2 * d + 3)
    want = side**d / math.factorial(d)
    total = sum((A.regions().polyhedron(k).volume(domain=S) for k in range(len(A.regions()))), Fraction(0))
    assert total == want


def test_volume_of_bounded_regions_matches_the_domain_volume():
    A = ARRS["generic73"]
    R = A.regions()
    for k in np.flatnonzero(R.bounded).tolist():
        P = R.polyhedron(k)
        assert P.volume() == P.volume(domain=(-10**6, 10**6)) > 0


def test_inradius_ball_fits_exactly_and_is_near_optimal():
    from scipy.optimize import linprog

    for name in ("five_lines", "generic73", "catalan3", "fractions"):
        A = ARRS[name]
        R = A.regions()
        for k in range(len(R)):
            P = R.polyhedron(k)
            r = P.inradius()
            if math.isinf(r):
                with pytest.raises(HyperarrError, match="every radius"):
                    P.chebyshev_center()
                continue
            c = P.chebyshev_center()
            G, h = P.inequalities
            assert r > 0
            for g, hv in zip(G.tolist(), h.tolist()):
                slack = hv - _dot(g, c)
                assert slack > 0
                assert slack * slack >= Fraction(r) ** 2 * sum(a * a for a in g)
            # near the float LP's optimum
            Gf = np.array(G.tolist(), dtype=float)
            nf = np.linalg.norm(Gf, axis=1)
            res = linprog(np.r_[np.zeros(A.dim), -1.0], A_ub=np.c_[Gf, nf],
                          b_ub=np.array(h.tolist(), dtype=float),
                          bounds=[(None, None)] * A.dim + [(0, None)], method="highs")
            assert res.status == 0
            assert r >= -res.fun * (1 - 1e-7)


def test_chebyshev_known_values():
    A = Arrangement([[1, 0], [0, 1], [3, 4]], [0, 0, 12])  # the 3-4-5 triangle
    P = A.region_polyhedron([1, 1, -1])
    assert P.chebyshev_center() == (1, 1) and P.inradius() == 1.0
    strip = Arrangement([[1, 0], [1, 0]], [0, 2]).region_polyhedron([1, -1])
    assert strip.chebyshev_center()[0] == 1 and strip.inradius() == 1.0
    assert Arrangement([[1, 1]], [0]).region_polyhedron([1]).inradius() == math.inf


def test_errors():
    A = library.five_lines()
    with pytest.raises(ArrangementError, match=r"signs must have shape \(5,\)"):
        A.region_polyhedron([1, 1])
    with pytest.raises(ArrangementError, match="-1 or \\+1"):
        A.region_polyhedron([1, 0, 1, 1, 1])
    B = Arrangement([[1, 0], [1, 0]], [0, 1])
    with pytest.raises(ArrangementError, match="empty"):
        B.region_polyhedron([-1, 1])  # x < 0 and x > 1
    with pytest.raises(ArrangementError, match="no region"):
        B.regions()
        B.region_polyhedron([-1, 1])
    with pytest.raises(ArrangementError, match="inconsistent"):
        Arrangement([[1, 0], [2, 0]], [0, 0]).region_polyhedron([1, -1])
    with pytest.raises(ArrangementError, match="lies on hyperplane"):
        A.region_polyhedron_of([0, 1])
    with pytest.raises(ArrangementError, match="point must have shape"):
        A.region_polyhedron_of([0, 1, 2])
    unbounded = Arrangement([[1, 0]], [0]).region_polyhedron([1])
    with pytest.raises(HyperarrError, match="infinite"):
        unbounded.volume()
    R = A.regions()
    with pytest.raises(ArrangementError, match="complete table"):
        R[:3].facets()
    with pytest.raises(ArrangementError, match="complete table"):
        A.regions(domain=(-1, 1)).facets()
    with pytest.raises(ArrangementError, match="k must be a region index"):
        R.polyhedron(16)
    loose = ha.Regions(R.signs, R.points, R.bounded)
    with pytest.raises(ArrangementError, match="built or loaded directly"):
        loose.polyhedron(0)
    assert R[:3].polyhedron(1).facets == R.polyhedron(1).facets


def test_region_polyhedron_of_and_contains():
    A = library.five_lines()
    P = A.region_polyhedron_of([0, 0])
    assert isinstance(P, RegionPolyhedron) and P.bounded and len(P.facets) == 5
    assert P.contains([[0, 0], [100, 100]]).tolist() == [True, False]
    V = np.array(P.vertices.tolist(), dtype=object)  # exact vertices: on the boundary
    assert P.contains(V).all() and not P.contains(V, strict=True).any()
    assert P.contains(np.zeros((2, 3, 2))).shape == (2, 3)
    assert region_facets(library.coordinate(1)).nnz == 2
    assert region_polyhedron(library.coordinate(2), [1, 1]).rays.tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(("n", "d", "seed"), [(3, 1, 0), (6, 2, 4), (7, 3, 1), (6, 4, 2)])
def test_general_position_batch_equals_the_double_description(n, d, seed):
    A = library.generic(n, d, seed=seed)
    R = A.regions()
    B = _fresh(A)
    for k in range(len(R)):
        P = R.polyhedron(k)
        Q = B.region_polyhedron(R.signs[k])
        assert (P.facets, P.copies) == (Q.facets, Q.copies)
        assert np.array_equal(P.vertices, Q.vertices) and np.array_equal(P.rays, Q.rays)
        assert np.array_equal(P.inequalities[0], Q.inequalities[0])
        assert np.array_equal(P.inequalities[1], Q.inequalities[1])
        if P.bounded:
            assert P.volume() == Q.volume()
    assert R._incidence is not False and R._incidence is not None  # the batch path ran
    S = library.braid(3).regions()
    S.polyhedron(0)
    assert S._incidence is False  # not in general position: one region at a time


def test_batched_integer_determinants_are_exact():
    from hyperarr.polyhedron import _dets, _fits

    rng = np.random.default_rng(5)
    for k in (1, 2, 3, 4, 5):
        top = 60 if k <= 4 else 20
        M = rng.integers(-top, top + 1, size=(200, k, k))
        M[::7, 0] = M[::7, -1]  # some singular ones (two equal rows when k > 1)
        M[::11, :, 0] = 0       # and some with a zero column
        assert _fits(M)
        want = [int(sympy_det(m)) for m in M.tolist()]
        assert _dets(M).tolist() == want
    assert not _fits(np.full((1, 3, 3), 2**11))
    big = rng.integers(-2**20, 2**20, size=(50, 4, 4)).astype(object) * 2**30 + 1  # Python ints
    assert not _fits(big)
    assert _dets(big).tolist() == [int(sympy_det(m)) for m in big.tolist()]


def sympy_det(m):
    """The exact determinant by Fraction elimination."""
    a = [[Fraction(v) for v in r] for r in m]
    n, det = len(a), Fraction(1)
    for c in range(n):
        p = next((i for i in range(c, n) if a[i][c]), None)
        if p is None:
            return 0
        if p != c:
            a[c], a[p] = a[p], a[c]
            det = -det
        det *= a[c][c]
        for i in range(c + 1, n):
            f = a[i][c] / a[c][c]
            a[i] = [x - f * y for x, y in zip(a[i], a[c])]
    return det


def test_general_position_with_huge_coefficients_takes_the_exact_python_path():
    base = library.generic(6, 3, seed=3)
    big = Arrangement(np.array([[v * 2**40 + 1 for v in r[:-1]] for r in base.exact_rows], dtype=object),
                      np.array([r[-1] * 2**40 for r in base.exact_rows], dtype=object))
    if not big.is_generic():  # pragma: no cover - the perturbation keeps general position here
        pytest.skip("the perturbed arrangement is not generic")
    R = big.regions()
    B = _fresh(big)
    for k in range(len(R)):
        P, Q = R.polyhedron(k), B.region_polyhedron(R.signs[k])
        assert np.array_equal(P.vertices, Q.vertices) and np.array_equal(P.rays, Q.rays)
    assert R._incidence not in (None, False)


def test_a_pickled_table_leaves_the_arrangement_behind():
    import pickle

    A = library.five_lines()
    R = A.regions()
    R.facets()
    chunk = R[:4]
    back = pickle.loads(pickle.dumps(chunk))
    assert back == chunk and back._source is None and back._facets is None
    assert len(pickle.dumps(chunk)) < len(pickle.dumps(R))
    with pytest.raises(ArrangementError, match="built or loaded directly"):
        back.polyhedron(0)
    assert np.array_equal(back.signs, chunk.signs) and not back.signs.flags.writeable
