"""Tests for hyperarr.counting (the closed formulas)."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hyperarr import library
from hyperarr.counting import (
    RegionCountRow,
    approx_regions,
    max_bounded_regions,
    max_regions,
    region_count_table,
)
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

small = st.integers(min_value=0, max_value=60)
positive = st.integers(min_value=1, max_value=60)


def _comb_sum(n: int, m: int) -> int:
    """Independent reference: sum of math.comb, one term at a time."""
    return sum(math.comb(n, k) for k in range(m + 1))


# --- known values -----------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "d", "expected"),
    [(5, 2, 16), (20, 10, 616_666), (0, 0, 1), (0, 3, 1), (1, 1, 2), (3, 2, 7), (4, 3, 15)],
)
def test_max_regions_known_values(n, d, expected):
    assert max_regions(n, d) == expected


def test_cover_count_known_value():
    # 20 points in general position in R^10: 2**19 dichotomies (n = 2d).
    assert max_regions(20, 10, central=True) == 524_288


@pytest.mark.parametrize(
    ("n", "d", "expected"),
    [(5, 2, 6), (20, 10, math.comb(19, 10)), (3, 2, 1), (2, 2, 0), (0, 2, 0), (0, 0, 1)],
)
def test_max_bounded_regions_known_values(n, d, expected):
    assert max_bounded_regions(n, d) == expected


def test_approx_regions_exercise_3h():
    # 20**10 = 2**10 * 10**10, about 10**13 as in the seed's solution.
    assert approx_regions(20, 10) == 10_240_000_000_000
    assert round(math.log10(approx_regions(20, 10))) == 13


# --- the classic families, by formula --------------------------------------


@pytest.mark.parametrize("d", range(1, 9))
def test_coordinate_arrangement_is_generic_count(d):
    # The coordinate arrangement is in general position with n = d, so its
    # 2**d orthants are max_regions(d, d).
    assert library.coordinate(d).n == d
    assert max_regions(d, d) == 2**d


@pytest.mark.parametrize("d", range(1, 8))
def test_family_counts_within_generic_bound(d):
    # A non-generic arrangement has at most max_regions(n, d) regions; the
    # known counts of the families must respect that bound.
    known = {
        "braid": (library.braid(d).n, math.factorial(d)),
        "shi": (library.shi(d).n, (d + 1) ** (d - 1)),
        "catalan": (library.catalan(d).n, math.factorial(d) * math.comb(2 * d, d) // (d + 1)),
    }
    for n, regions in known.values():
        assert regions <= max_regions(n, d)


def test_central_family_counts_respect_cover_bound():
    resonance = [2, 6, 32, 370, 11292, 1066044]
    for d, regions in enumerate(resonance, start=1):
        assert regions <= max_regions(2**d - 1, d, central=True)
    threshold = [4, 14, 104, 1882]
    for d, regions in enumerate(threshold, start=1):
        # 2**d hyperplanes through the origin of R^{d+1}.
        assert regions <= max_regions(2**d, d + 1, central=True)


# --- identities (hypothesis) -------------------------------------------------


@given(n=positive, d=positive)
def test_pascal_recurrence(n, d):
    assert max_regions(n, d) == max_regions(n - 1, d) + max_regions(n - 1, d - 1)


@given(n=positive, d=positive)
def test_cover_recurrence(n, d):
    # Cover (1965): C(n + 1, d) = C(n, d) + C(n, d - 1).
    if n >= 2 and d >= 2:
        assert max_regions(n, d, central=True) == max_regions(
            n - 1, d, central=True
        ) + max_regions(n - 1, d - 1, central=True)


@given(n=small, d=small)
def test_all_dichotomies_when_n_at_most_d(n, d):
    if n <= d:
        assert max_regions(n, d) == 2**n
        assert max_regions(n, d, central=True) == 2**n


@given(n=positive, d=positive)
def test_central_equals_twice_affine_one_dimension_down(n, d):
    assert max_regions(n, d, central=True) == 2 * max_regions(n - 1, d - 1)


@given(n=small, d=small)
def test_matches_independent_binomial_sums(n, d):
    assert max_regions(n, d) == _comb_sum(n, d)
    if n >= 1 and d >= 1:
        assert max_regions(n, d, central=True) == 2 * _comb_sum(n - 1, d - 1)
    if n >= 1:
        assert max_bounded_regions(n, d) == math.comb(n - 1, d)


@given(n=positive, d=small)
def test_bounded_regions_by_alternating_sum(n, d):
    # Zaslavsky: bounded regions of a generic arrangement are
    # |sum_k (-1)^k C(n, k)| over k <= d, which telescopes to C(n - 1, d).
    alternating = abs(sum((-1) ** k * math.comb(n, k) for k in range(d + 1)))
    assert max_bounded_regions(n, d) == alternating


# --- big numbers ------------------------------------------------------------


def test_miniproject_size_exact():
    r = max_regions(1000, 256)
    assert isinstance(r, int)
    assert r == _comb_sum(1000, 256)
    assert math.log10(r) == pytest.approx(245.683, abs=1e-3)


def test_huge_arguments_stay_exact():
    r = max_regions(10**6, 3)
    assert r == 1 + 10**6 + math.comb(10**6, 2) + math.comb(10**6, 3)
    assert max_regions(10**6, 3, central=True) == 2 * _comb_sum(10**6 - 1, 2)


def test_region_count_table_beyond_float_range():
    (row,) = region_count_table(1000, 256)
    assert isinstance(row, RegionCountRow)
    assert row.exact == _comb_sum(1000, 256)
    assert row.approx == 1000**256
    assert row.approx_factorial == Fraction(1000**256, math.factorial(256))
    assert row.log10_approx == pytest.approx(768.0, abs=1e-9)
    assert row.log10_exact == pytest.approx(245.683, abs=1e-3)
    assert row.log10_error == pytest.approx(768.0 - 245.683, abs=1e-3)
    assert row.ratio == math.inf  # 10**522 is beyond float64
    data = row.as_dict()
    assert data["ratio"] is None
    text = json.dumps(data, allow_nan=False)
    back = json.loads(text)
    assert back["exact"] == row.exact
    assert Fraction(back["approx_factorial"]) == row.approx_factorial


def test_region_count_table_rows_and_order():
    rows = region_count_table([5, 20], np.array([2, 10]))
    assert [(r.n, r.d) for r in rows] == [(5, 2), (5, 10), (20, 2), (20, 10)]
    by_pair = {(r.n, r.d): r for r in rows}
    r = by_pair[(20, 10)]
    assert (r.exact, r.approx) == (616_666, 20**10)
    assert r.ratio == float(Fraction(20**10, 616_666))
    assert r.log10_error == pytest.approx(math.log10(20**10 / 616_666))
    assert by_pair[(5, 2)].approx_factorial == Fraction(25, 2)
    # n = 5 <= d = 10: all 2**5 dichotomies.
    assert by_pair[(5, 10)].exact == 32


def test_region_count_table_n_zero():
    (row,) = region_count_table(0, 2)
    assert (row.exact, row.approx, row.ratio) == (1, 0, 0.0)
    assert row.log10_approx == -math.inf
    assert row.as_dict()["log10_error"] is None


def test_region_count_row_is_frozen():
    (row,) = region_count_table(5, 2)
    with pytest.raises(AttributeError):
        row.exact = 0  # type: ignore[misc]


# --- input types and errors -------------------------------------------------


@pytest.mark.parametrize("cast", [int, np.int8, np.int64, np.uint16])
def test_numpy_integers_accepted(cast):
    assert max_regions(cast(5), cast(2)) == 16
    assert type(max_regions(cast(5), cast(2))) is int
    assert max_bounded_regions(cast(5), cast(2)) == 6
    assert approx_regions(cast(20), cast(10)) == 20**10
    assert type(approx_regions(cast(20), cast(10))) is int


@pytest.mark.parametrize("func", [max_regions, max_bounded_regions, approx_regions])
@pytest.mark.parametrize(
    ("n", "d", "match"),
    [
        (-3, 2, r"n must be a non-negative integer; got -3"),
        (2.5, 2, r"n must be a non-negative integer; got 2\.5"),
        (2.0, 2, r"n must be a non-negative integer; got 2\.0"),
        (True, 2, r"n must be a non-negative integer; got True"),
        ("5", 2, r"n must be a non-negative integer; got '5'"),
        (5, -1, r"d must be a non-negative integer; got -1"),
        (5, np.float64(2.0), r"d must be a non-negative integer; got"),
        (5, np.bool_(True), r"d must be a non-negative integer; got"),
        (5, None, r"d must be a non-negative integer; got None"),
    ],
)
def test_bad_input_rejected(func, n, d, match):
    with pytest.raises(ValueError, match=match):
        func(n, d)
    with pytest.raises(ArrangementError):
        func(n, d)


@pytest.mark.parametrize(
    ("ns", "ds", "match"),
    [
        ([5, -1], 2, r"ns\[1\] must be a non-negative integer; got -1"),
        (5, [2, 1.5], r"ds\[1\] must be a non-negative integer; got 1\.5"),
        (5.0, 2, r"ns must be a non-negative integer or an iterable of them; got 5\.0"),
        ("12", 2, r"ns must be a non-negative integer or an iterable of them; got '12'"),
    ],
)
def test_region_count_table_bad_input(ns, ds, match):
    with pytest.raises(ValueError, match=match):
        region_count_table(ns, ds)


# --- huge arguments: closed forms and the budget ------------------------------


@given(n=st.integers(min_value=0, max_value=300), m=st.integers(min_value=0, max_value=320))
def test_prefix_sum_either_side_of_the_middle(n, m):
    # m > n/2 is computed as 2**n minus the tail; both must equal the direct sum.
    from hyperarr._binomial import prefix_sum, prefix_sums

    assert prefix_sum(n, m) == _comb_sum(n, m)
    ms = [m, m // 2, n - m if m <= n else 0, n + 1]
    assert prefix_sums(n, ms) == {k: _comb_sum(n, k) for k in ms}


def test_n_at_most_d_is_a_power_of_two():
    assert max_regions(10**6, 10**6) == 1 << 10**6
    assert max_regions(10**6, 10**6, central=True) == 1 << 10**6


def test_d_close_to_n_subtracts_the_tail():
    n = 10**6
    tail = 1 + n + math.comb(n, 2)  # the terms k = n, n − 1, n − 2
    assert max_regions(n, n - 3) == (1 << n) - tail


def test_gigantic_power_refused_with_its_size():
    with pytest.raises(OutputTooLargeError,
                       match=r"approx_regions\(1000000000, 1000000000\) would have about "
                             r"29,897,352,85\d bits \(9,000,000,00\d decimal digits\), more than "
                             r"max_bits=134,217,728"):
        approx_regions(10**9, 10**9)
    with pytest.raises(MemoryError):
        approx_regions(10**9, 10**9)


def test_gigantic_power_of_two_refused_with_its_size():
    with pytest.raises(OutputTooLargeError, match=r"about 10,000,000,001 bits .* max_bits="):
        max_regions(10**10, 10**10)


def test_long_sum_refused_with_its_time_estimate():
    with pytest.raises(OutputTooLargeError,
                       match=r"max_regions\(1000000, 500000\) would take about \d+ s .* "
                             r"1,000,001 bits\), more than max_seconds=60"):
        max_regions(10**6, 5 * 10**5)
    with pytest.raises(OutputTooLargeError, match=r"max_bounded_regions\(1000000000, 500000000\)"):
        max_bounded_regions(10**9, 5 * 10**8)


def test_budget_is_a_parameter():
    with pytest.raises(OutputTooLargeError, match=r"about 101 bits .* max_bits=100"):
        approx_regions(2, 100, max_bits=100)
    assert approx_regions(2, 100, max_bits=None) == 2**100
    assert approx_regions(2, 100, max_bits=101) == 2**100
    with pytest.raises(OutputTooLargeError, match=r"max_seconds=0"):
        max_regions(10**4, 10**3, max_seconds=0)
    assert max_regions(10**4, 10**3, max_seconds=None) == _comb_sum(10**4, 10**3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_bits": -1}, r"max_bits must be a non-negative integer; got -1"),
        ({"max_bits": 2.5}, r"max_bits must be a non-negative integer; got 2\.5"),
        ({"max_seconds": "60"}, r"max_seconds must be a non-negative number or None; got '60'"),
        ({"max_seconds": -1.0}, r"max_seconds must be a non-negative number or None; got -1\.0"),
        ({"max_seconds": True}, r"max_seconds must be a non-negative number or None; got True"),
    ],
)
@pytest.mark.parametrize("func", [max_regions, max_bounded_regions, approx_regions,
                                  region_count_table])
def test_bad_budget_rejected(func, kwargs, match):
    with pytest.raises(ArrangementError, match=match):
        func(5, 2, **kwargs)


def test_region_count_table_refuses_before_expanding_a_range():
    with pytest.raises(OutputTooLargeError, match=r"ns has 1,000,000,000 entries"):
        region_count_table(range(10**9), 3)
    with pytest.raises(OutputTooLargeError, match=r"would take about \d+ s"):
        region_count_table([10**6], [5 * 10**5])


def test_region_count_table_shares_one_sweep_per_n():
    ns, ds = [7, 30, 7], [0, 2, 5, 20, 29, 30, 40]
    rows = region_count_table(ns, ds)
    assert [(r.n, r.d) for r in rows] == [(n, d) for n in ns for d in ds]
    assert [r.exact for r in rows] == [_comb_sum(n, d) for n in ns for d in ds]
    assert all(r.ratio == float(Fraction(r.approx, r.exact)) for r in rows)
