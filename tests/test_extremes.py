"""Every valid input answered or refused in time: extreme floats, huge integers, boxes,
thin polytopes, wide points (issue: total at the extremes).

The numbered cases of the issue are regression tests here; each is answered
exactly (checked against a brute-force oracle in rationals) or refused with
its estimate.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from hyperarr import Arrangement, occupancy
from hyperarr._levels import field_prime
from hyperarr.domain import Box
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

T = 1 / 3


def check_regions(A: Arrangement, expected: int) -> None:
    """The regions of A: the count, χ, and every witness re-checked in rationals."""
    R = A.regions()
    assert len(R) == expected == A.n_regions()
    rows = A.exact_rows
    for k, p in enumerate(R.exact_points):
        got = [(v > 0) - (v < 0) for v in
               (sum((Fraction(a) * x for a, x in zip(r[:-1], p)), Fraction(0)) - r[-1] for r in rows)]
        assert got == R.signs[k].tolist()
    assert len({tuple(s) for s in R.signs.tolist()}) == expected


# --- 1. the prime search above a huge Hadamard bound -----------------------------


def test_field_prime_refuses_huge_bounds_before_searching():
    assert field_prime(10**1230) is None  # a 4,085-bit bound: one comparison
    assert field_prime(100) == 257
    p = field_prime(10**14)
    assert p is not None and p * p > 10**14


def test_chi_of_extreme_floats():
    A = Arrangement.from_matrix([[1e300, 1e-300, 0.0], [1e-300, 1e300, 0.0], [1.0, 1.0, 0.0]])
    assert A.n_regions() == 6
    assert A.characteristic_polynomial() == (2, -3, 1)
    assert A.n_bounded_regions() == 0
    check_regions(A, 6)


# --- 2 and 3. no scipy error, no OverflowError from the float candidates --------


def test_parallel_lines_at_the_float_limits():
    A = Arrangement.from_matrix([[1e300, -1e300, 1e-300], [-1.0, 1.0, 0.0]])
    check_regions(A, 3)
    assert A.is_simplicial() is False
    assert A.adjacency_graph().number_of_edges() == 2
    assert len(A.faces()) == 5
    R = A.regions()
    found = A.region_of(np.where(R.points_inside[:, None], R.points, 0.0)[R.points_inside])
    assert sorted(found.tolist()) == sorted(np.flatnonzero(R.points_inside).tolist())


def test_candidates_near_the_largest_float_are_skipped():
    A = Arrangement.from_matrix([[1e300, T, 0.1, 0.0], [1e-300, 0.0, 1.0, 0.0], [T, T, T, 0.1],
                                 [-1e300, -T, -0.1, -1e-300]])
    check_regions(A, 12)
    assert len(A.faces()) == sum(A.face_vector())


# --- 5. box domains ---------------------------------------------------------------


def test_box_with_fewer_hyperplanes_than_dimensions():
    assert Arrangement([[1, 0, 0, 0]], [0]).n_regions(domain=(-1, 1)) == 2
    assert Arrangement([[1, 0, 0, 0, 0, 0]], [0]).n_regions(domain=(-1, 1)) == 2


def test_three_hyperplanes_in_r200():
    normals = np.zeros((3, 200), dtype=np.int64)
    normals[0, 0] = normals[1, 1] = normals[2, 2] = 1
    A = Arrangement(normals, [0, 0, 0])
    assert A.n_regions(domain=(-1, 1)) == 8
    R = A.regions(domain=(-1, 1))
    assert len(R) == 8 and Box([-1] * 200, [1] * 200).contains(R.points, strict=True).all()


def test_box_descent_over_budget_refuses_with_its_estimate():
    normals = np.random.default_rng(0).integers(-3, 4, (3, 200))
    A = Arrangement(normals, [0, 1, 2])
    with pytest.raises(OutputTooLargeError, match=r"3\^200 − 1 faces.*estimated at about"):
        A.n_regions(domain=(-1, 1))


def test_braid_in_a_box():
    from hyperarr import library

    A = library.braid(5)
    R = A.regions(domain=(-1, 1))
    assert len(R) == 120 == A.n_regions(domain=(-1, 1))
    assert Box([-1] * 5, [1] * 5).contains(R.points, strict=True).all()


def test_box_bounds_beyond_the_float_range():
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 10**399])
    big = ([-10**400] * 2, [10**400] * 2)
    assert A.n_regions(domain=big) == 7 == len(A.regions(domain=big))
    assert A.n_regions(domain=([-10**400, 0], [10**400, Fraction(1, 10**300)])) == 3
    assert Arrangement([[1, 0]], [0]).n_regions(domain=big) == 2


def test_box_contains_is_exact_beyond_the_float_range():
    B = Box([-10**400, 0], [10**400, 1])
    assert B.contains([[1e308, 0.5], [0.0, 1.0]], strict=True).tolist() == [True, False]
    assert B.contains([[0.0, 1.0]]).tolist() == [True]


# --- 7. wide points are kept exactly ----------------------------------------------


@pytest.mark.skipif(np.finfo(np.longdouble).nmant < 63, reason="np.longdouble is float64 here")
def test_longdouble_points_are_exact():
    A = Arrangement([[1]], [1])
    x = np.array([1 + np.longdouble(2) ** -63])
    assert A.signs(x).tolist() == [1]
    assert A.signs(-x).tolist() == [-1]
    occ = occupancy(A, x[:, None])
    assert occ.on_hyperplane.tolist() == [False] and occ.signs.tolist() == [[1]]
    assert Box([0], [1]).contains(x, strict=True).tolist() is False
    assert Box([0], [1]).contains(x).tolist() is False
    assert Box([0], [1 + Fraction(1, 2**62)]).contains(x, strict=True).tolist() is True
    # float64-representable longdouble points stay on the float path
    assert A.signs(np.array([[1], [2]], dtype=np.longdouble)).tolist() == [[0], [1]]


def test_ragged_and_masked_points_are_refused():
    A = Arrangement([[1, 0], [0, 1]], [0, 0])
    with pytest.raises(ArrangementError, match="points must be a rectangular array.*ragged"):
        A.signs([[1.0, 2.0], [1.0]])
    with pytest.raises(ArrangementError, match="X must be a rectangular array.*ragged"):
        occupancy(A, [[1.0, 2.0], [1.0]])
    masked = np.ma.masked_array([[1.0, 2.0]], mask=[[False, True]])
    with pytest.raises(ArrangementError, match="points must be an array.*1 masked"):
        A.signs(masked)
    with pytest.raises(ArrangementError, match="X must be an array.*1 masked"):
        occupancy(A, masked)
    unmasked = np.ma.masked_array([[1.0, -2.0]], mask=[[False, False]])
    assert A.signs(unmasked).tolist() == [[1, -1]]
