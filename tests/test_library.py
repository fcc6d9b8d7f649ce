"""Tests for hyperarr.library (classic arrangements with exact data)."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from hyperarr import library
from hyperarr.arrangement import Arrangement
from hyperarr.counting import max_bounded_regions, max_regions
from hyperarr.exceptions import ArrangementError, HyperarrError, OutputTooLargeError

# --- an independent exact region count (Whitney / Zaslavsky) -------------------


def _reduce(basis, vec):
    """Reduce the integer ``vec`` against an echelon ``basis`` of (pivot, row).

    Fraction-free: ``vec <- row[p] * vec - vec[p] * row``, then divide by the
    gcd, so the entries stay small integers.
    """
    for pivot, row in basis:
        if vec[pivot]:
            a, b = row[pivot], vec[pivot]
            vec = [a * x - b * y for x, y in zip(vec, row)]
            g = math.gcd(*vec)
            if g > 1:
                vec = [x // g for x in vec]
    return vec


def _extend(basis, vec):
    """Return ``basis`` extended by ``vec`` if independent, else ``basis`` itself."""
    vec = _reduce(basis, vec)
    for k, v in enumerate(vec):
        if v:
            return basis + [(k, vec)]
    return basis


def whitney_counts(A: Arrangement) -> tuple[int, int]:
    """Return (regions, bounded regions) of ``A`` by Whitney's theorem.

    Sums over the subsets S with nonempty intersection:
    regions = sum (-1)^(|S| - rank S) and bounded = |sum (-1)^|S|| when
    ``A`` is essential (0 otherwise).  Exact, exponential in ``A.n``;
    independent of the library's own enumeration.
    """
    rows = _exact_ints(A)
    d = A.dim
    regions = 0
    signed = 0

    def visit(start, basis_n, basis_a, size):
        nonlocal regions, signed
        rank = len(basis_n)
        regions += (-1) ** (size - rank)
        signed += (-1) ** size
        for i in range(start, len(rows)):
            new_n = _extend(basis_n, rows[i][:d])
            new_a = _extend(basis_a, rows[i])
            if len(new_a) > len(new_n):
                continue  # empty intersection, and so are all supersets
            visit(i + 1, new_n, new_a, size + 1)

    visit(0, [], [], 0)
    essential = len(_extend_all(rows, d)) == d
    return regions, abs(signed) if essential else 0


def _extend_all(rows, d):
    basis = []
    for r in rows:
        basis = _extend(basis, r[:d])
    return basis


def _exact_ints(A: Arrangement) -> list[list[int]]:
    rows = A.exact_rows
    assert all(type(v) is int for r in rows for v in r)
    return [list(r) for r in rows]


def test_whitney_helper_on_a_known_case():
    # Three lines through one point: 6 regions, none bounded.
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 0])
    assert whitney_counts(A) == (6, 0)
    # A triangle: 7 regions, 1 bounded.
    B = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1])
    assert whitney_counts(B) == (7, 1)


# --- coordinate, braid, Shi, Catalan ------------------------------------------


@pytest.mark.parametrize("d", range(1, 6))
def test_coordinate(d):
    A = library.coordinate(d)
    assert (A.n, A.dim) == (d, d)
    assert _exact_ints(A) == [[int(i == j) for j in range(d)] + [0] for i in range(d)]
    assert A.normals.dtype == np.float64
    assert np.array_equal(A.normals, np.eye(d))
    assert A.is_central() and A.rank() == d


@pytest.mark.parametrize("d", range(1, 6))
def test_difference_families_structure(d):
    pairs = list(itertools.combinations(range(d), 2))
    for func, values in [(library.braid, [0]), (library.shi, [0, 1]), (library.catalan, [-1, 0, 1])]:
        A = func(d)
        assert (A.n, A.dim) == (len(values) * math.comb(d, 2), d)
        expected = []
        for i, j in pairs:
            row = [0] * d
            row[i], row[j] = 1, -1
            expected += [row + [c] for c in values]
        assert _exact_ints(A) == expected
        assert A.rank() == (d - 1)


def test_braid_is_central_and_shi_is_not():
    assert library.braid(4).is_central()
    assert not library.shi(4).is_central()
    assert library.braid(1).n == 0


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_braid_shi_region_counts(d):
    assert whitney_counts(library.braid(d))[0] == math.factorial(d)
    assert whitney_counts(library.shi(d))[0] == (d + 1) ** (d - 1)


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_catalan_region_count(d):
    catalan_number = math.comb(2 * d, d) // (d + 1)
    assert whitney_counts(library.catalan(d))[0] == math.factorial(d) * catalan_number


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_coordinate_region_count(d):
    assert whitney_counts(library.coordinate(d)) == (2**d, 0)


# --- resonance and threshold ------------------------------------------------------


@pytest.mark.parametrize("d", range(1, 6))
def test_resonance_structure(d):
    A = library.resonance(d)
    assert (A.n, A.dim) == (2**d - 1, d)
    rows = _exact_ints(A)
    assert all(r[-1] == 0 for r in rows)
    # Row k - 1 is k in binary, most significant bit first.
    values = [int("".join(map(str, r[:-1])), 2) for r in rows]
    assert values == list(range(1, 2**d))


@pytest.mark.parametrize(("d", "regions"), [(1, 2), (2, 6), (3, 32), (4, 370)])
def test_resonance_region_counts(d, regions):
    assert whitney_counts(library.resonance(d))[0] == regions


@pytest.mark.parametrize("d", range(1, 6))
def test_threshold_structure(d):
    A = library.threshold(d)
    assert (A.n, A.dim) == (2**d, d + 1)
    assert A.is_central()
    rows = _exact_ints(A)
    assert [r[:d] for r in rows] == [list(v) for v in itertools.product((0, 1), repeat=d)]
    assert all(r[d] == 1 and r[d + 1] == 0 for r in rows)


@pytest.mark.parametrize(("d", "regions"), [(1, 4), (2, 14), (3, 104), (4, 1882)])
def test_threshold_region_counts(d, regions):
    assert whitney_counts(library.threshold(d))[0] == regions


def test_threshold_signs_are_truth_tables():
    A = library.threshold(2)
    # (w, b) with theta = -b: OR fires unless both inputs are 0, XOR is absent.
    assert A.signs([1, 1, -0.5]).tolist() == [-1, 1, 1, 1]
    assert A.signs([-1, -1, 1.5]).tolist() == [1, 1, 1, -1]  # NAND


def test_output_too_large_refused():
    assert library.resonance(3, max_hyperplanes=7).n == 7
    with pytest.raises(OutputTooLargeError, match=r"resonance\(d\) would have 7 hyperplanes.*max_hyperplanes = 6"):
        library.resonance(3, max_hyperplanes=6)
    with pytest.raises(OutputTooLargeError, match=r"threshold\(d\) would have 2097152 hyperplanes"):
        library.threshold(21)
    with pytest.raises(ValueError, match=r"max_hyperplanes must be a non-negative integer; got -1"):
        library.threshold(2, max_hyperplanes=-1)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: library.generic(10**9, 2), r"generic\(1000000000, 2\) would have 1000000000 hyperplanes"),
        (lambda: library.braid(10**6), r"braid\(1000000\) would have 499999500000 hyperplanes"),
        (lambda: library.shi(2000), r"shi\(2000\) would have 3998000 hyperplanes"),
        (lambda: library.catalan(2000), r"catalan\(2000\) would have 5997000 hyperplanes"),
        (lambda: library.resonance(10**9), r"resonance\(d\) would have 2\*\*1000000000 − 1 hyperplanes"),
        (lambda: library.threshold(10**9), r"threshold\(d\) would have 2\*\*1000000000 hyperplanes"),
        (lambda: library.coordinate(10**5),
         r"coordinate\(100000\) would have 100000 hyperplanes in R\^100000, 10000100000 entries, "
         r"more than max_entries = 16777216"),
        (lambda: library.generic(2000, 3),
         r"generic\(2000, 3\) would check C\(n, d\) \+ C\(n, d\+1\) = 665999833500 minors per draw, "
         r"more than max_checks = 1000000000"),
    ],
)
def test_huge_families_refused_up_front_with_the_count(build, match):
    with pytest.raises(OutputTooLargeError, match=match):
        build()


def test_every_family_takes_the_limits():
    assert library.braid(4, max_hyperplanes=6).n == 6
    with pytest.raises(OutputTooLargeError, match=r"braid\(4\) would have 6 hyperplanes.*max_hyperplanes = 5"):
        library.braid(4, max_hyperplanes=5)
    assert library.generic(4, 2, seed=0, max_entries=12).n == 4
    with pytest.raises(OutputTooLargeError, match=r"generic\(4, 2\) .* 12 entries, more than max_entries = 11"):
        library.generic(4, 2, seed=0, max_entries=11)
    assert library.generic(5, 2, seed=0, max_checks=20).is_generic()
    with pytest.raises(OutputTooLargeError, match=r"= 20 minors per draw, more than max_checks = 19"):
        library.generic(5, 2, seed=0, max_checks=19)
    with pytest.raises(ValueError, match=r"max_entries must be a non-negative integer; got -1"):
        library.coordinate(2, max_entries=-1)


# --- errors on d ----------------------------------------------------------------


FAMILIES = [library.coordinate, library.braid, library.shi, library.catalan, library.resonance, library.threshold]


@pytest.mark.parametrize("func", FAMILIES)
@pytest.mark.parametrize(
    ("d", "match"),
    [
        (0, r"d must be a positive integer; got 0"),
        (-2, r"d must be a positive integer; got -2"),
        (2.0, r"d must be a positive integer; got 2\.0"),
        (True, r"d must be a positive integer; got True"),
    ],
)
def test_bad_dimension(func, d, match):
    with pytest.raises(ArrangementError, match=match):
        func(d)


@pytest.mark.parametrize("func", FAMILIES)
def test_numpy_dimension_accepted(func):
    assert func(np.int64(3)) == func(3)


# --- generic ----------------------------------------------------------------------


@pytest.mark.parametrize(("n", "d"), [(0, 2), (1, 1), (5, 2), (6, 3), (3, 5), (8, 2)])
@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_generic_is_generic_and_deterministic(n, d, seed):
    A = library.generic(n, d, seed=seed)
    assert (A.n, A.dim) == (n, d)
    assert A.is_generic()
    assert A == library.generic(n, d, seed=seed)
    rows = _exact_ints(A)
    assert all(abs(v) <= 50 * 2**10 for r in rows for v in r)


@pytest.mark.parametrize(("n", "d"), [(5, 2), (6, 3)])
def test_generic_reaches_max_regions(n, d):
    A = library.generic(n, d, seed=7)
    assert whitney_counts(A) == (max_regions(n, d), max_bounded_regions(n, d))


def test_generic_differs_across_seeds():
    arrangements = {library.generic(6, 3, seed=s) for s in range(5)}
    assert len(arrangements) == 5


def test_generic_accepts_a_generator():
    a = library.generic(4, 2, seed=np.random.default_rng(3))
    b = library.generic(4, 2, seed=np.random.default_rng(3))
    assert a == b


def test_generic_gives_up_with_a_clear_error(monkeypatch):
    monkeypatch.setattr(Arrangement, "is_generic", lambda self, max_checks=None: False)
    with pytest.raises(HyperarrError, match=r"generic\(n=4, d=2\) found no arrangement in general position"):
        library.generic(4, 2, seed=0)


@pytest.mark.parametrize(
    ("n", "d", "match"),
    [
        (-1, 2, r"n must be a non-negative integer; got -1"),
        (2.5, 2, r"n must be a non-negative integer; got 2\.5"),
        (3, 0, r"d must be a positive integer; got 0"),
    ],
)
def test_generic_bad_input(n, d, match):
    with pytest.raises(ValueError, match=match):
        library.generic(n, d, seed=0)


# --- five_lines -------------------------------------------------------------------


def _line_intersection(r1, r2):
    (a1, b1, c1), (a2, b2, c2) = r1, r2
    det = a1 * b2 - b1 * a2
    return Fraction(c1 * b2 - b1 * c2, det), Fraction(a1 * c2 - c1 * a2, det)


def test_five_lines_in_general_position_by_hand():
    A = library.five_lines()
    rows = _exact_ints(A)
    assert (A.n, A.dim) == (5, 2)
    for r1, r2 in itertools.combinations(rows, 2):
        assert r1[0] * r2[1] - r1[1] * r2[0] != 0  # not parallel
    for i, j, k in itertools.combinations(range(5), 3):
        x, y = _line_intersection(rows[i], rows[j])
        a, b, c = rows[k]
        assert a * x + b * y != c  # no three concurrent
    assert A.is_generic()


def test_five_lines_regions_and_orientation():
    A = library.five_lines()
    assert whitney_counts(A) == (16, 6)
    # The origin is inside the pentagon, on side -1 of every line ...
    assert A.signs([0, 0]).tolist() == [-1] * 5
    # ... and a point just beyond each line, along its normal, is on side +1
    # of that line: side +1 is the outer side.
    normals = A.normals
    for i in range(5):
        u = normals[i] / np.linalg.norm(normals[i])
        assert A.signs(1.1 * u)[i] == 1
    # The ten crossing points are the 5 pentagon corners (|p| ~ 1.2) and the
    # 5 star points (|p| ~ 3.2): a pentagram.
    rows = _exact_ints(A)
    radii = sorted(
        math.hypot(*map(float, _line_intersection(rows[i], rows[j])))
        for i, j in itertools.combinations(range(5), 2)
    )
    assert all(1.1 < r < 1.3 for r in radii[:5])
    assert all(3.0 < r < 3.4 for r in radii[5:])
