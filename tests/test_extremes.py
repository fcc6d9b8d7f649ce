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
from arrangement_strategies import nasty_float_arrangements
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --- 6. huge integers and exponents -----------------------------------------------


def test_1200_digit_rows():
    a, b = 10**1200 + 7, 10**1199 + 3
    A = Arrangement([[a, b], [b, a], [1, 1]], [0, 0, 0])
    assert A.n_regions() == 6
    check_regions(A, 6)


def test_parse_exact_refuses_absurd_exponents_before_building():
    from hyperarr._exact import parse_exact

    with pytest.raises(ValueError, match="about 1000000000 decimal digits"):
        parse_exact("1e999999999")
    with pytest.raises(ValueError, match="exponent of 30 digits"):
        parse_exact("1e" + "9" * 30)
    assert parse_exact("1e-3") == Fraction(1, 1000)
    assert parse_exact(" -1.5E2 ") == -150
    assert parse_exact(".5") == Fraction(1, 2) and parse_exact("3/4") == Fraction(3, 4)
    assert parse_exact("0e999999999") == 0  # zero has no size
    assert parse_exact("1e99999") == 10**99999
    assert parse_exact("1" * 5000) == (10**5000 - 1) // 9  # past the int-string limit
    for bad in ("nan", "inf", "1/", "1e", "--1", "", "0x10"):
        with pytest.raises(ValueError, match="is not a number"):
            parse_exact(bad)
    with pytest.raises(ZeroDivisionError):
        parse_exact("1/0")


def test_cli_refuses_a_huge_exponent(tmp_path, capsys):
    from hyperarr.cli import main

    path = tmp_path / "big.csv"
    path.write_text("1,0,1e999999999\n")
    assert main(["count", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hyperarr count: error: ") and "about 1000000000 decimal digits" in err


def test_network_from_dict_refuses_a_huge_exponent():
    from hyperarr import synthesize
    from hyperarr.network import ThresholdNetwork

    net = synthesize(Arrangement([[1, 0], [0, 1]], [0, 0]), [0])
    data = net.to_dict()
    data["hyperplanes"][0][2] = "1e999999999"
    with pytest.raises(ArrangementError, match="hyperplane entry '1e999999999' has about"):
        ThresholdNetwork.from_dict(data)


def test_witnesses_over_4300_digits_are_written_and_read(tmp_path):
    from hyperarr import Regions
    from hyperarr.cli import main

    A = Arrangement([[1, 0], [0, 1]], [10**5000, 0])
    R = A.regions()
    assert max(abs(v) for p in R.exact_points for v in p) > 10**5000
    R.save(tmp_path / "r.npz")
    back = Regions.load(tmp_path / "r.npz")
    assert back == R and back.exact_points == R.exact_points
    A.faces().save(tmp_path / "f.npz")
    csv = tmp_path / "wide.csv"
    csv.write_text("1,0,1e5000\n0,1,0\n")
    for out in ("out.csv", "out.json", "out.npz"):
        main(["regions", str(csv), "-o", str(tmp_path / out)])
        assert (tmp_path / out).stat().st_size > (2000 if out != "out.npz" else 100)
    main(["faces", str(csv), "-o", str(tmp_path / "faces.csv")])
    from hyperarr._exact import parse_exact

    lines = (tmp_path / "out.csv").read_text().splitlines()[1:]
    values = [parse_exact(v, max_digits=None) for line in lines for v in line.split(",")[2:4]]
    assert max(values) > 10**5000


# --- 8. thin polytopes ----------------------------------------------------------------


def _thin_polytope(d: int, m: int, width: float, seed: int):
    from hyperarr.domain import Polytope

    rng = np.random.default_rng(seed)
    G = np.vstack([np.eye(d)[:1], -np.eye(d)[:1], rng.normal(size=(m, d))])
    return Polytope(G, np.r_[width, 0.0, np.ones(m)])


@pytest.mark.parametrize("d, m", [(4, 30), (5, 60)])
def test_thin_slab_polytope(d, m):
    from hyperarr import library

    P = _thin_polytope(d, m, 1e-17, seed=1)
    x = P.interior_point
    assert 0 < x[0] < Fraction(1e-17)
    A = library.generic(6, d, seed=0)
    R = A.regions(domain=P)
    assert len(R) == A.n_regions(domain=P) > 0
    for k, p in enumerate(R.exact_points):
        pt = np.array([p], dtype=object)
        assert A.signs(pt)[0].tolist() == R.signs[k].tolist()
        assert P.contains(pt, strict=True)[0]


@pytest.mark.parametrize("seed", [0, 2, pytest.param(1, marks=pytest.mark.slow),
                                  pytest.param(3, marks=pytest.mark.slow)])
def test_certified_polytope_regions_agree_with_the_enlarged_arrangement(seed):
    from hyperarr import domain, library

    P = _thin_polytope(3, 8, 1e-17 if seed % 2 else 0.5, seed)
    A = library.generic(7, 3, seed=seed)
    by_enlarging = domain._polytope_regions(A, P, None)[0]  # small: the enlarged arrangement
    by_certificates = domain._certified_regions(A, P, None)
    assert by_certificates is not None
    assert sorted(map(tuple, by_enlarging.tolist())) == sorted(map(tuple, by_certificates[0].tolist()))


def test_lower_dimensional_polytopes_are_refused_by_a_certificate():
    from hyperarr.domain import Polytope

    with pytest.raises(ArrangementError, match="no interior point"):
        Polytope([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 1, 1])  # the segment x = 0
    with pytest.raises(ArrangementError, match="no interior point"):
        Polytope([[1, 0], [-1, 0]], [Fraction(-1, 10**30), 0])  # empty by 1e-30
    P = Polytope([[1, 0], [-1, 0]], [Fraction(1, 10**30), 0])
    assert 0 < P.interior_point[0] < Fraction(1, 10**30)


# --- the nasty float families across the public calls, against exact oracles ---------


def _rank(rows: list[list[Fraction]]) -> int:
    """Exact rank by the package's fraction-free elimination (χ itself is counted over
    F_p by another kernel, so the oracle stays independent of the count)."""
    from hyperarr._exact import rank_exact

    return rank_exact(rows)


def whitney_chi(A: Arrangement) -> tuple[int, ...]:
    """χ(t) = Σ over central subsets S of (−1)^|S| t^(d − rank S), in rationals."""
    rows = [[Fraction(v) for v in r] for r in A.exact_rows]
    d = A.dim
    coeffs = [0] * (d + 1)
    for k in range(len(rows) + 1):
        for S in itertools.combinations(rows, k):
            normals = [r[:d] for r in S]
            rk = _rank(normals) if S else 0
            if S and _rank([list(r) for r in S]) != rk:
                continue  # empty intersection
            coeffs[d - rk] += (-1) ** k
    return tuple(coeffs)


def exact_sign_rows(A: Arrangement, point) -> list[int]:
    out = []
    for r in A.exact_rows:
        v = sum((Fraction(a) * x for a, x in zip(r[:-1], point)), Fraction(0)) - Fraction(r[-1])
        out.append((v > 0) - (v < 0))
    return out


def check_everything(A: Arrangement) -> None:
    chi = whitney_chi(A)
    assert A.characteristic_polynomial() == chi
    r = abs(sum(c * (-1) ** k for k, c in enumerate(chi)))
    b = abs(sum(chi))
    assert A.n_regions() == r
    # regions: count, distinct sign vectors, every witness exact, bounded flags
    R = A.regions()
    assert len(R) == r == len({tuple(v) for v in R.signs.tolist()})
    for k, p in enumerate(R.exact_points):
        assert exact_sign_rows(A, p) == R.signs[k].tolist()
    assert int(R.relatively_bounded.sum()) == b == A.n_bounded_regions()
    assert int(R.bounded.sum()) == (b if A.rank() == A.dim else 0)
    # faces: every witness exact, with its zeros; the f-vector adds up to the count
    F = A.faces()
    assert len(F) == sum(A.face_vector())
    assert int((F.dims == A.dim).sum()) == r
    for k, p in enumerate(F.exact_points):
        assert exact_sign_rows(A, p) == F.signs[k].tolist()
    # adjacency: connected, every region a node; the poset of regions has them all
    G = A.adjacency_graph()
    assert G.number_of_nodes() == r
    if r > 1:
        import networkx as nx

        assert nx.is_connected(G)
    from hyperarr.poset import poset_of_regions

    assert poset_of_regions(A).number_of_nodes() == r
    # region_of and occupancy at the float witnesses inside their regions
    inside = np.flatnonzero(R.points_inside)
    if inside.size:
        pts = R.points[inside]
        assert A.region_of(pts).tolist() == inside.tolist()
        occ = occupancy(A, pts)
        assert occ.n_occupied == inside.size and not occ.on_hyperplane.any()
    # synthesis: every other region positive; the network classifies each witness
    from hyperarr import synthesize

    positive = list(range(0, r, 2))
    net = synthesize(A, positive, method="per-region")
    assert net.verify()
    if inside.size:
        want = [1 if k % 2 == 0 else 0 for k in inside.tolist()]
        assert net.predict(R.points[inside]).tolist() == want
    # a box domain: the face descent or fast path against the polytope route
    from hyperarr.domain import Polytope

    box = (-1, 1)
    eye = np.eye(A.dim, dtype=np.int64)
    P = Polytope(np.vstack([eye, -eye]), np.ones(2 * A.dim, dtype=np.int64))
    in_box = A.regions(domain=box)
    assert len(in_box) == A.n_regions(domain=box) == len(A.regions(domain=P))
    for k, p in enumerate(in_box.exact_points):
        assert exact_sign_rows(A, p) == in_box.signs[k].tolist()
        assert all(-1 < v < 1 for v in p)


_QUICK = settings(max_examples=12, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_QUICK
@given(nasty_float_arrangements(max_n=5, max_d=2))
def test_nasty_floats_small(A):
    check_everything(A)


@pytest.mark.slow
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(nasty_float_arrangements(max_n=7, max_d=3))
def test_nasty_floats(A):
    check_everything(A)


# --- 4. the float hunt in regions thinner than the float grid -----------------------


def _first_float_above(lo: Fraction) -> float:
    """The least float64 strictly above ``lo`` (the oracle of `_float_between`)."""
    f = float(lo)
    return f if Fraction(f) > lo else float(np.nextafter(f, np.inf))


_base_floats = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_base_floats, st.integers(-3, 3), st.integers(0, 1100), st.integers(-2, 2), st.integers(-1100, 1100))
def test_float_between_is_exact(f, k1, e1, k2, e2):
    """A float strictly inside (lo, hi) whenever one exists (also past the largest
    float, where the midpoint overflows), None only when none does."""
    from hyperarr._lift import _float_between

    lo = Fraction(f) + Fraction(k1, 2**e1)
    hi = lo + (abs(k2) + 1) * Fraction(2) ** -e2
    x = _float_between((lo.numerator, lo.denominator), (hi.numerator, hi.denominator))
    first = _first_float_above(lo)
    if x is None:
        assert not (np.isfinite(first) and Fraction(first) < hi)
    else:
        assert lo < Fraction(x) < hi
    # rays: always a float on the finite side of the end
    up = _float_between((lo.numerator, lo.denominator), None)
    down = _float_between(None, (hi.numerator, hi.denominator))
    assert up is not None and Fraction(up) > lo
    assert down is not None and Fraction(down) < hi


def test_thin_region_beyond_the_float_range_gets_a_float():
    """The exact lift of one region lies beyond 1.8e308 (x0 ~ 1e323); the axis lines
    through the clamped point still find a float in it (x3 ~ 1e-150)."""
    A = Arrangement.from_matrix([[0.0, 2.0, 2.0, 0.0, -2.0],
                                 [0.0, 2 / 3, 2 / 3, 0.0, -2 / 3],
                                 [1.5e-323, 2.0, 2.0, 1e150, -5e-324]])
    check_regions(A, 4)
    R = A.regions()
    assert R.points_inside.all()
    np.testing.assert_array_equal(A.signs(R.points), R.signs)


_exact_numbers = st.one_of(st.integers(-10**30, 10**30), st.fractions(max_denominator=10**20),
                           _base_floats.map(Fraction))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(1, 4).flatmap(lambda d: st.tuples(
    st.lists(st.lists(_exact_numbers, min_size=d + 1, max_size=d + 1), min_size=1, max_size=4),
    st.lists(st.lists(st.one_of(_exact_numbers, _base_floats), min_size=d, max_size=d), max_size=4))))
def test_exact_signs_in_integers_agree_with_rationals(data):
    from hyperarr._exact import exact_signs

    rows, points = data
    got = exact_signs(rows, points)
    assert got.shape == (len(points), len(rows))
    for i, p in enumerate(points):
        for j, r in enumerate(rows):
            v = sum((Fraction(a) * Fraction(x) for a, x in zip(r[:-1], p)), Fraction(0)) - Fraction(r[-1])
            assert got[i, j] == (v > 0) - (v < 0)


def test_the_stream_tries_the_later_facets_of_a_thin_region():
    """A region found without a float witness on one hyperplane tries its facets on later ones.

    The braid perturbed by 1e-12 has regions thinner than the float grid at
    their first facet; the lift that holds every facet at once finds a float
    witness for each region, and so must the stream, one hyperplane at a time.
    """
    import sys
    from pathlib import Path

    from hyperarr import _lift

    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:  # benchmarks/ is not an installed package
        sys.path.insert(0, root)
    from benchmarks.extremes import perturbed_braid

    A = Arrangement.from_matrix(perturbed_braid())
    lat = A._lattice
    whole = _lift.flat_regions(lat, lat.top)
    R = A.regions()
    assert len(R) == whole[0].shape[0] == 450
    assert int((~R.points_inside).sum()) <= len(whole[2])
    assert R.points_inside.all()
    assert np.array_equal(A.signs(R.points), R.signs)
