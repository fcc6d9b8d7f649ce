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


# --- the families geometers name (published characteristic polynomials) ----------

import networkx as nx  # noqa: E402


def _poly(*coeffs_high_first):
    """Coefficients, constant term first, from a polynomial written highest degree first."""
    return tuple(reversed(coeffs_high_first))


def _times(*factors):
    """The product of the linear factors (t − a), constant term first."""
    out = [1]
    for a in factors:
        nxt = [0] * (len(out) + 1)
        for k, c in enumerate(out):
            nxt[k + 1] += c
            nxt[k] -= a * c
        out = nxt
    return tuple(out)


# Sage's doctests (library of hyperplane arrangements), highest degree first.
@pytest.mark.parametrize(
    ("build", "n", "chi"),
    [
        (lambda: library.catalan(5), 30, _poly(1, -30, 335, -1650, 3024, 0)),
        (lambda: library.shi(4), 12, _poly(1, -12, 48, -64, 0)),
        (lambda: library.shi(4, m=2), 24, _poly(1, -24, 192, -512, 0)),
        (lambda: library.shi(3, "C"), 18, _poly(1, -18, 108, -216)),
        (lambda: library.shi(3, "B", m=3), 54, _poly(1, -54, 972, -5832)),
        (lambda: library.shi(4, "B", m=3), 96, _poly(1, -96, 3456, -55296, 331776)),
        (lambda: library.ish(3), 6, _poly(1, -6, 9, 0)),
        (lambda: library.ish_b(3), 18, _poly(1, -18, 108, -216)),
        (lambda: library.linial(4), 6, _poly(1, -6, 15, -14, 0)),
        (lambda: library.linial(5), 10, _poly(1, -10, 45, -100, 90, 0)),
        (lambda: library.semiorder(5), 20, _poly(1, -20, 180, -790, 1380, 0)),
        (lambda: library.graphical(nx.house_graph()), 6, _poly(1, -6, 14, -15, 6, 0)),
        (lambda: library.coxeter("A", 4), 6, _times(0, 1, 2, 3)),
    ],
)
def test_sage_published_characteristic_polynomials(build, n, chi):
    A = build()
    assert A.n == n
    assert A.characteristic_polynomial() == chi


# Sage's doctests: sizes and ranks, and the bigraphical region counts.
def test_sage_published_sizes_and_counts():
    assert (library.shi(4, "B").n, library.shi(4, "D", m=3).n, library.ish_b(2).n) == (32, 72, 8)
    assert library.coxeter("B", 4).n == 16
    K5, house = nx.complete_graph(5), nx.house_graph()
    for f, n_k5, n_house in ((library.graphical, 10, 6), (library.g_shi, 20, 12), (library.g_semiorder, 20, 12)):
        assert (f(K5).n, f(K5).rank(), f(house).n, f(house).rank()) == (n_k5, 4, n_house, 4)
    W4 = library.g_shi(nx.wheel_graph(4))
    assert (W4.n, W4.dim, W4.rank()) == (12, 4, 3)
    C4 = nx.cycle_graph(4)
    heights = {0: {1: 1, 3: 2}, 1: {0: 3, 2: 0}, 2: {1: 2, 3: 1}, 3: {2: 0, 0: 2}}
    assert library.bigraphical(C4, heights).n_regions() == 63
    assert library.bigraphical(C4).n_regions() == 59
    matrix = [[heights.get(i, {}).get(j, 0) for j in range(4)] for i in range(4)]
    assert library.bigraphical(C4, matrix) == library.bigraphical(C4, heights)
    assert library.bigraphical(C4, [[Fraction(1, 3)] * 4] * 4).offsets.tolist() == [1 / 3] * 8


def _exponents(t, d):
    return {"A": list(range(1, d)), "B": list(range(1, 2 * d, 2)), "C": list(range(1, 2 * d, 2)),
            "D": list(range(1, 2 * d - 2, 2)) + [d - 1]}[t]


def _coxeter_number(t, d):
    return {"A": d, "B": 2 * d, "C": 2 * d, "D": 2 * d - 2}[t]


# Athanasiadis (1996, 2000): extended Shi t^{d−ℓ}(t − mh)^ℓ and extended Catalan
# t^{d−ℓ} Π (t − mh − e_i); Terao / Orlik–Solomon for the Coxeter arrangements.
@pytest.mark.parametrize(("t", "d"), [("A", 2), ("A", 3), ("A", 4), ("B", 1), ("B", 2), ("B", 3),
                                      ("C", 2), ("C", 3), ("D", 2), ("D", 3), ("D", 4)])
@pytest.mark.parametrize("m", [1, 2])
def test_athanasiadis_shi_and_catalan(t, d, m):
    e = _exponents(t, d)
    h = _coxeter_number(t, d)
    lead = [0] * (d - len(e))
    shi = library.shi(d, t, m)
    assert shi.characteristic_polynomial() == _times(*lead, *[m * h] * len(e))
    cat = library.catalan(d, t, m)
    assert cat.characteristic_polynomial() == _times(*lead, *[m * h + x for x in e])
    if m == 1:
        assert library.coxeter(t, d).characteristic_polynomial() == _times(*lead, *e)
        regions = {"A": math.factorial(d), "B": 2**d * math.factorial(d), "C": 2**d * math.factorial(d),
                   "D": 2 ** (d - 1) * math.factorial(d)}[t]
        assert library.coxeter(t, d).n_regions() == regions


@pytest.mark.parametrize(("func", "counts"), [
    (library.semiorder, [1, 3, 19, 183]),    # semiorders (Stanley, Lecture 5)
    (library.linial, [1, 2, 7, 36, 246]),    # alternating trees (Postnikov–Stanley)
    (library.ish, [1, 3, 16, 125]),          # (d + 1)^{d−1}, as Shi
    (library.ish_b, [3, 25, 343]),           # (2d + 1)^d, as Shi of type B
])
def test_published_region_counts(func, counts):
    assert [func(d).n_regions() for d in range(1, len(counts) + 1)] == counts


def test_the_old_type_a_families_are_unchanged():
    for d in (1, 2, 3, 4):
        assert library.shi(d) == library.shi(d, "A", 1) == library.g_shi(nx.complete_graph(d))
        assert library.catalan(d) == library.catalan(d, "a", m=1)
        assert library.coxeter("A", d) == library.braid(d) == library.graphical(nx.complete_graph(d))
        assert library.semiorder(d) == library.g_semiorder(nx.complete_graph(d))
    assert library.shi(3).offsets.astype(int).tolist() == [0, 1, 0, 1, 0, 1]
    assert library.coxeter("C", 3) == library.coxeter("B", 3)


@pytest.mark.parametrize(("A", "sym"), [
    (lambda: library.coxeter("A", 4), lambda: library.coxeter_symmetry("A", 4)),
    (lambda: library.coxeter("B", 3), lambda: library.coxeter_symmetry("B", 3)),
    (lambda: library.coxeter("C", 3), lambda: library.coxeter_symmetry("C", 3)),
    (lambda: library.coxeter("D", 4), lambda: library.coxeter_symmetry("D", 4)),
    (lambda: library.catalan(3), lambda: library.catalan_symmetry(3)),
    (lambda: library.catalan(3, "B"), lambda: library.catalan_symmetry(3, "B")),
    (lambda: library.catalan(3, "D", 2), lambda: library.catalan_symmetry(3, "D", 2)),
    (lambda: library.semiorder(4), lambda: library.semiorder_symmetry(4)),
])
def test_symmetry_groups_are_verified_and_count_right(A, sym):
    arr, gens = A(), sym()
    assert all(sorted(g) == list(range(arr.n)) for g in gens)
    # characteristic_polynomial verifies every generator exactly before using it
    assert arr.characteristic_polynomial(gens) == arr.characteristic_polynomial()
    assert arr.n_regions(gens) == arr.n_regions()


def test_a_non_symmetry_is_refused():
    # S_3 permutes the semiorder rows of semiorder(3), but not those of shi(3),
    # which has as many rows: x_i − x_j = 1 is not mapped onto a hyperplane of it
    gens = library.semiorder_symmetry(3)
    assert library.semiorder(3).n_regions(gens) == 19
    with pytest.raises(ValueError, match="symmetry"):
        library.shi(3).n_regions(gens)


@pytest.mark.parametrize(("build", "match"), [
    (lambda: library.shi(3, "E"), r"type must be one of 'A', 'B', 'C', 'D'; got 'E'"),
    (lambda: library.catalan(1, "D"), r"type 'D' needs d >= 2"),
    (lambda: library.shi(3, m=0), r"m must be a positive integer; got 0"),
    (lambda: library.catalan(3, m=1.5), r"m must be a positive integer; got 1\.5"),
    (lambda: library.coxeter("B", 0), r"d must be a positive integer; got 0"),
    (lambda: library.graphical([1, 2]), r"G must be a networkx graph; got list"),
    (lambda: library.graphical(nx.Graph()), r"G must have at least one node"),
    (lambda: library.g_shi(nx.Graph([(0, 0)])), r"G has a loop at node 0"),
    (lambda: library.bigraphical(nx.path_graph(3), {0: {1: 1}}), r"heights must give a height .* \(1, 0\)"),
    (lambda: library.bigraphical(nx.path_graph(2), [[0, float("nan")], [1, 0]]), r"heights must be finite"),
])
def test_family_errors(build, match):
    with pytest.raises(ArrangementError, match=match):
        build()


def test_new_families_refuse_before_building():
    with pytest.raises(OutputTooLargeError, match=r"shi\(3000, 'B', m=1\) would have 18000000 hyperplanes"):
        library.shi(3000, "B")
    with pytest.raises(OutputTooLargeError, match=r"ish_b\(5000\) would have 50000000 hyperplanes"):
        library.ish_b(5000)
    with pytest.raises(OutputTooLargeError, match=r"graphical\(G\) would have 6 hyperplanes"):
        library.graphical(nx.complete_graph(4), max_hyperplanes=5)
