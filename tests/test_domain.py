"""Tests for hyperarr.domain: regions meeting a box or a polytope.

Oracles from outside the code under test: an LP per region of the whole
arrangement (scipy's HiGHS, on small-integer data with wide margins),
shapely clipping in the plane, and the two exact algorithms (faces of a box,
enlarged arrangement of a polytope) against each other on degenerate input.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import shapely
from arrangement_strategies import degenerate_arrangements
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import hyperarr as ha
from hyperarr import Arrangement, library
from hyperarr.domain import Box, Polytope
from hyperarr.exceptions import ArrangementError


def _lp_meets(A: Arrangement, G, h) -> set[tuple[int, ...]]:
    """Sign vectors of the regions of A whose interior meets {G x < h}: one LP each."""
    G = np.asarray(G, dtype=float)
    h = np.asarray(h, dtype=float)
    out = set()
    a, b = A.normals, A.offsets
    for s in A.regions().signs:
        # max t: s_i (a_i x - b_i) >= t, G x + t <= h, t <= 1
        A_ub = np.vstack([np.c_[-(s[:, None] * a), np.ones(A.n)], np.c_[G, np.ones(len(h))]])
        b_ub = np.r_[-(s * b), h]
        res = linprog(np.r_[np.zeros(A.dim), -1.0], A_ub=A_ub, b_ub=b_ub,
                      bounds=[(None, None)] * A.dim + [(None, 1.0)], method="highs")
        assert res.status == 0
        if -res.fun > 1e-7:
            out.add(tuple(int(v) for v in s))
        else:
            assert -res.fun < -1e-7 or abs(res.fun) < 1e-12  # no near-ties in the test data
    return out


def _box_rows(lo, hi):
    d = len(lo)
    return np.vstack([np.eye(d), -np.eye(d)]), np.r_[hi, -np.asarray(lo, dtype=float)]


def _check_witnesses(A: Arrangement, P: Polytope, R) -> None:
    inside = R.points_inside
    assert np.array_equal(A.signs(R.points[inside]), R.signs[inside])
    assert P.contains(R.points[inside], strict=True).all()
    for r in np.flatnonzero(~inside).tolist():
        x = np.array(R.exact_points[r], dtype=object)
        assert np.array_equal(A.signs(x), R.signs[r])
        assert P.contains(x, strict=True)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("d", [2, 3])
def test_box_matches_lp_oracle(seed, d):
    A = library.generic(7, d, seed=seed)
    lo, hi = [-10] * d, [15] * d
    R = A.regions(domain=(lo, hi))
    G, h = _box_rows(lo, hi)
    want = _lp_meets(A, G, h)
    got = {tuple(int(v) for v in s) for s in R.signs}
    assert got == want
    assert len(R) == len(got) == A.n_regions(domain=(lo, hi))
    _check_witnesses(A, Box(lo, hi), R)


@pytest.mark.parametrize("seed", range(3))
def test_polytope_matches_lp_oracle(seed):
    A = library.generic(8, 3, seed=seed)
    G = [[1, 1, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, -2, 0]]
    h = [40, 20, 20, 20, 30]
    P = Polytope(G, h)
    R = A.regions(domain=P)
    assert {tuple(int(v) for v in s) for s in R.signs} == _lp_meets(A, G, h)
    assert len(R) == A.n_regions(domain=P)
    _check_witnesses(A, P, R)


def test_bounded_flags_are_those_in_all_of_space():
    A = library.five_lines()
    R = A.regions(domain=(-1, 1))
    full = A.regions()
    idx = full.locate(R.signs)
    assert (idx >= 0).all()
    assert np.array_equal(R.bounded, full.bounded[idx])
    assert np.array_equal(R.relatively_bounded, full.relatively_bounded[idx])


def test_large_box_gives_every_region():
    A = library.generic(9, 3, seed=4)
    R = A.regions(domain=(-10**6, 10**6))
    assert len(R) == A.n_regions() == ha.max_regions(9, 3)


def test_plane_matches_shapely_clipping():
    rng = np.random.default_rng(3)
    W = rng.uniform(-1, 1, size=(12, 2))
    b = rng.uniform(-1, 1, size=12)
    A = Arrangement.from_linear(W, b)
    box = shapely.box(-1, -1, 1, 1)
    segs = []
    for w, c in zip(W, b):   # w·x + c = 0, as a long segment
        p = -c * w / (w @ w)
        t = np.array([-w[1], w[0]]) * 10
        segs.append(shapely.LineString([p - t, p + t]).intersection(box))
    noded = shapely.union_all([box.boundary, *[g for g in segs if not g.is_empty]])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    assert A.n_regions(domain=(-1, 1)) == sum(1 for f in faces if f.area > 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_arrangements(max_n=6, max_d=3), st.integers(-2, 1), st.integers(1, 3))
def test_box_faces_agree_with_enlarged_arrangement(A, lo, width):
    """Two exact algorithms: the faces of a box, and the box as a polytope."""
    d = A.dim
    box = Box([lo] * d, [lo + width] * d)
    as_polytope = Polytope(box.facets.normals, box.facets.offsets)
    R_box = A.regions(domain=box)
    R_poly = A.regions(domain=as_polytope)
    key = lambda R: sorted(tuple(int(v) for v in s) for s in R.signs)
    assert key(R_box) == key(R_poly)
    assert A.n_regions(domain=box) == len(R_box)
    _check_witnesses(A, box, R_box)
    _check_witnesses(A, as_polytope, R_poly)


def test_boundary_regions_get_an_exact_witness_inside():
    # The lines x = 1 and y = 1 are facets of the box: regions touching them from outside
    # do not meet the interior.
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [1, 1, Fraction(1, 3)])
    R = A.regions(domain=(0, 1))
    assert sorted(map(tuple, R.signs.tolist())) == [(-1, -1, -1), (-1, -1, 1)]
    _check_witnesses(A, Box([0, 0], [1, 1]), R)


def test_iter_regions_with_domain_concatenates_to_regions():
    A = library.generic(10, 3, seed=1)
    chunks = list(A.iter_regions(chunk_size=7, domain=(-20, 20)))
    assert ha.Regions.concatenate(chunks) == A.regions(domain=(-20, 20))
    assert max(len(c) for c in chunks) <= 7


def test_polytope_must_be_full_dimensional():
    with pytest.raises(ArrangementError, match="no interior point"):
        Polytope([[1, 0], [-1, 0]], [0, 0])  # the line x = 0
    with pytest.raises(ArrangementError, match="no interior point"):
        Polytope([[1, 0], [-1, 0]], [0, -1])  # empty
    # A thin triangle: its interior has no room for the LP's tolerance, yet exists.
    eps = Fraction(1, 10**30)
    P = Polytope([[1, 0], [-1, 0], [0, -1]], [eps, 0, 0])
    assert P.contains(np.array(P.interior_point, dtype=object), strict=True)


def test_bad_domains_are_refused():
    A = library.five_lines()
    with pytest.raises(ArrangementError, match="lo < hi"):
        A.regions(domain=([0, 1], [1, 1]))
    with pytest.raises(ArrangementError, match="R\\^2"):
        A.regions(domain=Box([0, 0, 0], [1, 1, 1]))
    with pytest.raises(ArrangementError, match="domain must be"):
        A.n_regions(domain="box")
    with pytest.raises(ArrangementError, match="G row 0 is zero"):
        Polytope([[0, 0]], [1])
    with pytest.raises(ArrangementError, match="finite"):
        Box([0, float("nan")], [1, 1])


def test_benchmark_baselines_agree_on_small_cases():
    """The baselines of benchmarks/domains.py (shapely faces, one LP per region)."""
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.domains import lp_meets_box, regioncam_layer, shapely_count

    A = regioncam_layer(seed=1)
    assert shapely_count(A, -1.0, 1.0) == A.n_regions(domain=(-1, 1)) < A.n_regions()
    G = library.generic(8, 3, seed=3)
    R = G.regions(domain=(-4, 4))
    assert lp_meets_box(G, -4.0, 4.0) == {tuple(s) for s in R.signs.tolist()}


# ----------------------------------------------------------------------
# The fast path for boxes: lowest vertices by exact integer minors
# ----------------------------------------------------------------------

def _sign_set(S) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in s) for s in np.asarray(S).tolist()}


def _check_fast(A: Arrangement, box: Box) -> bool:
    """The fast path, where it answers, gives exactly the face descent's regions, each
    once, with a float witness that is exactly in its region and strictly in the box.
    Returns whether it answered."""
    from hyperarr import domain

    fast = domain._fast_box(A, box, witnesses=True)
    want = _sign_set(domain._box_signs(A, box, None)[0])
    if fast is None:
        return False
    S, W = fast
    assert len(S) == len(_sign_set(S)) == len(want)
    assert _sign_set(S) == want
    assert np.array_equal(A.signs(W), S)
    assert box.contains(W, strict=True).all()
    count = domain._fast_box(A, box, witnesses=False)
    assert count is not None and _sign_set(count[0]) == want
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_arrangements(max_n=7, max_d=3), st.integers(-2, 1), st.integers(1, 3),
       st.sampled_from([1, 2, 3]))
def test_fast_box_agrees_with_face_descent(A, lo, width, den):
    """Degenerate input, boxes with integer and rational corners: the fast path answers
    exactly as the face descent, or declines (None)."""
    d = A.dim
    _check_fast(A, Box([Fraction(lo, den)] * d, [Fraction(lo + width, den)] * d))


@pytest.mark.parametrize(("n", "d", "seed"), [(8, 2, 0), (10, 3, 1), (12, 4, 0), (12, 4, 2), (14, 5, 1)])
def test_fast_box_answers_generic_arrangements(n, d, seed):
    # library.generic's small integers put some vertices exactly on the box [-1, 1]^d
    # (generic(12, 4, seed=0) has one on the edge x2 = x3 = 1): the shrunk box decides them.
    A = library.generic(n, d, seed=seed)
    assert _check_fast(A, Box([-1] * d, [1] * d))


def test_fast_box_decides_vertices_on_the_boundary():
    # x = 1 and y = 1 are facets of the box; x - 2y = -1 runs through the corner (1, 1),
    # x + 2y = 1 through (1, 0) and the corner (-1, 1).
    A = Arrangement([[1, 0], [0, 1], [1, -2], [1, 2], [2, 1]], [1, 1, -1, 1, 0])
    box = Box([-1, -1], [1, 1])
    assert _check_fast(A, box)
    G, h = _box_rows([-1, -1], [1, 1])
    assert _sign_set(A.regions(domain=box).signs) == _lp_meets(A, G, h)


def test_fast_box_declines_a_vertex_that_is_not_simple():
    from hyperarr import domain

    # x - y = 0 through the corner (1, 1) stays on the shrunk box's corner (1 - δ, 1 - δ).
    corner = Arrangement([[1, -1], [1, 2]], [0, 1])
    assert domain._fast_box(corner, Box([-1, -1], [1, 1]), witnesses=False) is None
    assert corner.n_regions(domain=(-1, 1)) == 4

    # Three lines through (0, 0), inside the box: not simple; the face descent answers.
    A = Arrangement([[1, 0], [0, 1], [1, 1], [1, -3]], [0, 0, 0, 1])
    box = Box([-1, -1], [1, 1])
    assert domain._fast_box(A, box, witnesses=False) is None
    G, h = _box_rows([-1, -1], [1, 1])
    R = A.regions(domain=box)
    assert _sign_set(R.signs) == _lp_meets(A, G, h)
    assert len(R) == A.n_regions(domain=box)
    _check_witnesses(A, box, R)


def test_fast_box_declines_integers_too_large_for_int64():
    from hyperarr import domain

    # Float weights with spread exponents make integer rows beyond int64's minors.
    rng = np.random.default_rng(5)
    A = Arrangement.from_linear(rng.standard_normal((9, 3)), rng.standard_normal(9))
    box = Box([-1] * 3, [1] * 3)
    assert domain._fast_box(A, box, witnesses=False) is None
    G, h = _box_rows([-1] * 3, [1] * 3)
    assert _sign_set(A.regions(domain=box).signs) == _lp_meets(A, G, h)


@pytest.mark.parametrize("seed", range(2))
def test_fast_box_rational_corners_match_lp_oracle(seed):
    A = library.generic(9, 3, seed=seed)
    lo, hi = [Fraction(-7, 3)] * 3, [Fraction(5, 2)] * 3
    box = Box(lo, hi)
    assert _check_fast(A, box)
    G, h = _box_rows([float(v) for v in lo], [float(v) for v in hi])
    R = A.regions(domain=box)
    assert _sign_set(R.signs) == _lp_meets(A, G, h)
    _check_witnesses(A, box, R)


def _flats_meeting_open_box(A: Arrangement, lo, hi) -> int:
    """Zaslavsky's theorem inside an open convex set K: the regions meeting K number
    Σ |μ(0, X)| over the flats X meeting K.  In general position the flats are the
    subsets of at most d hyperplanes, each with |μ| = 1; one LP per subset."""
    import itertools

    d, count = A.dim, 0
    a, b = A.normals, A.offsets
    for k in range(d + 1):
        for T in itertools.combinations(range(A.n), k):
            # max t: a_T x = b_T, lo + t <= x <= hi - t
            A_ub = np.vstack([np.c_[np.eye(d), np.ones(d)], np.c_[-np.eye(d), np.ones(d)]])
            b_ub = np.r_[np.full(d, hi), np.full(d, -lo)]
            A_eq = np.c_[a[list(T)], np.zeros(k)] if k else None
            res = linprog(np.r_[np.zeros(d), -1.0], A_ub=A_ub, b_ub=b_ub, A_eq=A_eq,
                          b_eq=b[list(T)] if k else None,
                          bounds=[(None, None)] * d + [(None, 1.0)], method="highs")
            if res.status == 0:
                assert abs(res.fun) > 1e-7  # no flat touching the box in the test data
                count += int(-res.fun > 0)
    return count


@pytest.mark.parametrize(("n", "d", "seed"), [(7, 2, 0), (7, 3, 1), (8, 3, 2), (7, 4, 3)])
def test_box_count_is_zaslavsky_inside_the_box(n, d, seed):
    A = library.generic(n, d, seed=seed)
    assert A.is_generic()
    lo, hi = -0.75, 1.25
    box = Box([Fraction(-3, 4)] * d, [Fraction(5, 4)] * d)
    assert _check_fast(A, box)
    assert A.n_regions(domain=box) == _flats_meeting_open_box(A, lo, hi) == len(A.regions(domain=box))
