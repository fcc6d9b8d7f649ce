"""Tests for the characteristic polynomial in hyperarr.counting.

References are independent of the implementation: closed forms for the
classical families, and Whitney's theorem evaluated by brute force over all
subsets, χ(t) = Σ_{B ⊆ A, ∩B ≠ ∅} (−1)^|B| t^(d − rank B), with ranks computed
here in Fractions.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from arrangement_strategies import arrangement_from_rows, degenerate_arrangements
from hyperarr import Arrangement, characteristic, library
from hyperarr.counting import characteristic_polynomial, n_bounded_regions, n_regions
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

# ----------------------------------------------------------------------------
# Helpers: polynomials as coefficient lists (index k = coefficient of t^k)
# ----------------------------------------------------------------------------


def _poly_mul(p, q):
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return out


def _from_roots(roots, extra_t_power=0):
    """t^extra · Π (t − r)."""
    p = [0] * extra_t_power + [1]
    for r in roots:
        p = _poly_mul(p, [-r, 1])
    return tuple(p)


def _eval(p, t):
    return sum(c * t**k for k, c in enumerate(p))


def _rank(rows) -> int:
    """Rank of a list of rows of exact numbers, by Gaussian elimination in Fractions."""
    mat = [[Fraction(v) for v in r] for r in rows]
    rank = 0
    ncols = len(mat[0]) if mat else 0
    for col in range(ncols):
        piv = next((r for r in range(rank, len(mat)) if mat[r][col] != 0), None)
        if piv is None:
            continue
        mat[rank], mat[piv] = mat[piv], mat[rank]
        for r in range(len(mat)):
            if r != rank and mat[r][col] != 0:
                f = mat[r][col] / mat[rank][col]
                mat[r] = [a - f * b for a, b in zip(mat[r], mat[rank])]
        rank += 1
    return rank


def _whitney(A: Arrangement) -> tuple[int, ...]:
    """χ_A by Whitney's theorem over all subsets (n <= ~10 only).

    Works for multisets too: k copies of one hyperplane contribute
    Σ_{j>=1} C(k, j)(−1)^j = −1, exactly as one copy does.
    """
    d = A.dim
    rows = [tuple(r) for r in A.exact_rows]
    coeffs = [0] * (d + 1)
    for size in range(A.n + 1):
        for B in itertools.combinations(rows, size):
            if not B:
                coeffs[d] += 1
                continue
            r_normals = _rank([b[:-1] for b in B])
            if _rank(B) != r_normals:
                continue  # empty intersection
            coeffs[d - r_normals] += (-1) ** size
    return tuple(coeffs)


_arr = arrangement_from_rows


def _same_hyperplane(r, s) -> bool:
    return _rank([r, s]) == 1






_settings = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ----------------------------------------------------------------------------
# Closed forms
# ----------------------------------------------------------------------------


def _check_shape(chi, d):
    assert isinstance(chi, tuple)
    assert len(chi) == d + 1
    assert all(type(c) is int for c in chi)
    assert chi[d] == 1


@pytest.mark.parametrize("d", range(1, 7))
def test_braid(d):
    chi = library.braid(d).characteristic_polynomial()
    _check_shape(chi, d)
    assert chi == _from_roots(range(d))  # t(t−1)…(t−d+1)


@pytest.mark.parametrize("d", range(1, 6))
def test_shi(d):
    chi = library.shi(d).characteristic_polynomial()
    _check_shape(chi, d)
    assert chi == _from_roots([0] + [d] * (d - 1))  # t(t−d)^(d−1)


@pytest.mark.parametrize("d", range(1, 6))
def test_catalan(d):
    chi = library.catalan(d).characteristic_polynomial()
    _check_shape(chi, d)
    assert chi == _from_roots([0] + list(range(d + 1, 2 * d)))  # t(t−d−1)…(t−2d+1)


@pytest.mark.parametrize("d", range(1, 7))
def test_coordinate(d):
    chi = library.coordinate(d).characteristic_polynomial()
    _check_shape(chi, d)
    assert chi == _from_roots([1] * d)  # (t−1)^d


@pytest.mark.parametrize(("n", "d"), [(1, 1), (5, 1), (2, 3), (3, 3), (5, 2), (7, 3), (9, 4), (12, 3)])
def test_generic(n, d):
    A = library.generic(n, d, seed=100 + n + d)
    chi = A.characteristic_polynomial()
    _check_shape(chi, d)
    expected = [0] * (d + 1)
    for k in range(min(n, d) + 1):
        expected[d - k] = (-1) ** k * math.comb(n, k)
    assert chi == tuple(expected)


def test_five_lines():
    chi = library.five_lines().characteristic_polynomial()
    assert chi == (10, -5, 1)  # generic: t² − 5t + C(5, 2)


@pytest.mark.parametrize("d", [1, 2, 5])
def test_no_hyperplanes(d):
    A = Arrangement.empty(d)
    assert A.characteristic_polynomial() == tuple([0] * d + [1])
    assert A.n_regions() == 1


@pytest.mark.parametrize("points", [[0], [1, 2, 3], [5, -1, Fraction(1, 3), 5, 5]])
def test_one_dimension(points):
    k = len(set(Fraction(p) for p in points))
    A = _arr([(1, p) for p in points], 1)
    assert A.characteristic_polynomial() == (-k, 1)
    assert A.n_regions() == k + 1
    assert A.n_bounded_regions() == k - 1


@pytest.mark.parametrize(("family", "ds", "counts"), [
    (library.resonance, range(1, 6), (2, 6, 32, 370, 11292)),  # OEIS A034997
    (library.threshold, range(1, 5), (4, 14, 104, 1882)),  # OEIS A000609
])
def test_zaslavsky_counts_of_families(family, ds, counts):
    for d, c in zip(ds, counts):
        A = family(d)
        chi = A.characteristic_polynomial()
        assert abs(_eval(chi, -1)) == c == A.n_regions() == n_regions(A)
        assert (-1) ** A.dim * _eval(chi, -1) == c
        assert n_bounded_regions(A) == 0  # central: χ(1) = 0


@pytest.mark.parametrize("make", [lambda: library.resonance(3), lambda: library.threshold(2),
                                  lambda: library.shi(3), lambda: library.catalan(3),
                                  library.five_lines])
def test_whitney_on_families(make):
    A = make()
    assert A.characteristic_polynomial() == _whitney(A)


# ----------------------------------------------------------------------------
# Random degenerate arrangements against Whitney's theorem
# ----------------------------------------------------------------------------


@_settings
@given(degenerate_arrangements())
def test_matches_whitney(A):
    chi = A.characteristic_polynomial()
    _check_shape(chi, A.dim)
    assert chi == _whitney(A)
    assert A.n_regions() == (-1) ** A.dim * _eval(chi, -1)
    assert A.n_bounded_regions() == abs(_eval(chi, 1))
    assert (-1) ** A.rank() * _eval(chi, 1) >= 0  # Zaslavsky's sign


@_settings
@given(degenerate_arrangements(min_d=2), st.data())
def test_deletion_restriction(A, data):
    assume(A.n >= 1)
    i = data.draw(st.integers(0, A.n - 1))
    rows = A.exact_rows
    repeated = any(_same_hyperplane(rows[i], rows[j]) for j in range(A.n) if j != i)
    chi = A.characteristic_polynomial()
    deleted = A.delete(i).characteristic_polynomial()
    if repeated:
        # Deleting one copy of a repeated hyperplane leaves the same set.
        assert deleted == chi
        return
    restricted = A.restrict(i).characteristic_polynomial()
    assert len(restricted) == A.dim
    assert chi == tuple(a - b for a, b in zip(deleted, list(restricted) + [0]))


@_settings
@given(degenerate_arrangements(max_n=6), st.data())
def test_invariances(A, data):
    chi = A.characteristic_polynomial()
    rows = [list(r) for r in A.exact_rows]
    d = A.dim
    # Permuting the hyperplanes.
    perm = data.draw(st.permutations(range(A.n)))
    assert _arr([rows[p] for p in perm], d).characteristic_polynomial() == chi
    # Scaling each row by a nonzero rational, positive or negative.
    factors = data.draw(st.lists(
        st.sampled_from([1, -1, 2, -3, Fraction(1, 2), Fraction(-5, 7)]),
        min_size=A.n, max_size=A.n))
    assert _arr([[f * v for v in r] for f, r in zip(factors, rows)], d).characteristic_polynomial() == chi
    if A.n:
        # Duplicating a hyperplane, same or opposite orientation.
        j = data.draw(st.integers(0, A.n - 1))
        sign = data.draw(st.sampled_from([1, -1]))
        assert _arr(rows + [[sign * v for v in rows[j]]], d).characteristic_polynomial() == chi
    # Same values as floats.
    floats = [[float(v) for v in r] for r in rows]
    assert _arr(floats, d).characteristic_polynomial() == chi


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_arrangements(max_n=4, max_d=2), degenerate_arrangements(max_n=4, max_d=2))
def test_product_arrangement(A, B):
    """χ(A × B) = χ(A) · χ(B) for hyperplanes H × R^d2 and R^d1 × H'."""
    d1, d2 = A.dim, B.dim
    rows = [list(r[:-1]) + [0] * d2 + [r[-1]] for r in A.exact_rows]
    rows += [[0] * d1 + list(r[:-1]) + [r[-1]] for r in B.exact_rows]
    P = _arr(rows, d1 + d2)
    chi = _poly_mul(A.characteristic_polynomial(), B.characteristic_polynomial())
    assert P.characteristic_polynomial() == tuple(chi)
    assert P.n_regions() == A.n_regions() * B.n_regions()


def test_input_types_agree():
    rows = [(1, 0, 0), (0, 1, 0), (1, 1, 1), (1, 1, 2), (2, 2, 2), (1, -1, 0)]
    expected = _whitney(_arr(rows, 2))
    for conv in (int, float, Fraction, np.int64, np.float64):
        A = Arrangement([[conv(v) for v in r[:2]] for r in rows], [conv(r[2]) for r in rows])
        assert A.characteristic_polynomial() == expected
        assert characteristic_polynomial(A) == expected


def test_near_degenerate_floats_are_distinct():
    """Lines 1 + 2**-52 apart are distinct hyperplanes, not one."""
    A = Arrangement([[1.0, 1.0], [1.0, 1.0], [1.0, -1.0]], [1.0, 1.0 + 2.0**-52, 0.0])
    assert A.characteristic_polynomial() == (2, -3, 1)  # 3 lines, 2 crossing points: t² − 3t + 2
    B = Arrangement([[1.0, 1.0], [1.0, 1.0 + 1e-15]], [0.0, 0.0])
    assert B.characteristic_polynomial() == (1, -2, 1)  # two lines through 0: (t − 1)²


def test_random_floats_too_many_to_certify_are_refused_with_the_estimate():
    # 40 random float hyperplanes in R^10: C(40, 10) + C(40, 11) minors, refused
    # up front, with the count and the way out.
    rng = np.random.default_rng(0)
    A = Arrangement(rng.standard_normal((40, 10)), rng.standard_normal(40))
    with pytest.raises(OutputTooLargeError,
                       match=r"C\(n, d\) \+ C\(n, d\+1\) = 3159461968 minors for n = 40, d = 10.*"
                             r"A\.is_generic\(max_checks=\.\.\.\)"):
        A.n_regions()


def test_random_floats_in_general_position_get_the_closed_form():
    rng = np.random.default_rng(1)
    A = Arrangement(rng.standard_normal((24, 7)), rng.standard_normal(24))
    assert A.n_regions() == sum(math.comb(24, k) for k in range(8))
    assert A.n_bounded_regions() == math.comb(23, 7)


@pytest.mark.parametrize("call", [characteristic_polynomial, n_regions, n_bounded_regions])
def test_counts_need_an_arrangement(call):
    from hyperarr import ArrangementError

    with pytest.raises(ArrangementError, match="A must be an Arrangement; got list"):
        call([[1, 0], [0, 1]])


# Issue 23, item 6: generators deduplicated and checked once each.


def test_repeated_symmetry_generators_are_verified_once(monkeypatch):
    from hyperarr import _symmetry

    A = library.threshold(4)
    gens = [list(g) for g in library.threshold_symmetry(4)]
    calls = []
    real = _symmetry._is_induced
    monkeypatch.setattr(_symmetry, "_is_induced", lambda Q, perm: calls.append(tuple(perm)) or real(Q, perm))
    many = [list(range(A.n))] * 100_000 + gens * 1000
    assert A.n_regions(symmetry=many) == A.n_regions() == 1882
    assert len(calls) == len(set(calls)) == len({tuple(g) for g in gens})  # each distinct one once
    rows, _, central = characteristic._cone(A)
    kept = _symmetry.verified(many, A.n, A._prepared.column.tolist(), rows, fixed_last=not central)
    assert len(kept) == len(set(kept)) == len({tuple(g) for g in gens})


def test_a_bad_generator_among_copies_is_still_named():
    A = library.threshold(3)
    ident = list(range(A.n))
    swap = [1, 0, *ident[2:]]
    with pytest.raises(ArrangementError, match=r"symmetry generator 50000 is not a symmetry"):
        A.n_regions(symmetry=[ident] * 50_000 + [swap])
    floats = [float(v) for v in ident]
    with pytest.raises(ArrangementError, match=r"symmetry generator 1 must be a permutation of 0\.\.7"):
        A.n_regions(symmetry=[ident, floats])
