"""Tests for hyperarr.arrangement and the exact kernels of hyperarr._exact."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hyperarr import _exact
from hyperarr.arrangement import Arrangement, Hyperplane
from hyperarr.exceptions import ArrangementError, HyperarrError

NORMALS = [[1, 2], [3, -4], [0, 5]]
OFFSETS = [1, 0, -2]


def _convert(values, kind):
    """``values`` (nested lists of ints) as the input type ``kind``."""
    if kind == "int":
        return values
    if kind == "float":
        return np.vectorize(float, otypes=[object])(np.array(values, dtype=object)).tolist()
    if kind == "fraction":
        return np.vectorize(Fraction, otypes=[object])(np.array(values, dtype=object)).tolist()
    if kind == "np_int64":
        return np.array(values, dtype=np.int64)
    if kind == "np_int8":
        return np.array(values, dtype=np.int8)
    if kind == "np_float64":
        return np.array(values, dtype=np.float64)
    if kind == "np_float32":
        return np.array(values, dtype=np.float32)
    if kind == "np_scalars":
        return np.vectorize(np.int32, otypes=[object])(np.array(values, dtype=object))
    raise AssertionError(kind)


def _sign(v: Fraction) -> int:
    return (v > 0) - (v < 0)


def _ref_signs(rows, points):
    """Reference: sign of w·p − θ for every point and row, in Fractions."""
    return [
        [_sign(sum(Fraction(w) * Fraction(x) for w, x in zip(r[:-1], p)) - Fraction(r[-1])) for r in rows]
        for p in points
    ]


def _fraction_det(mat) -> Fraction:
    """Reference determinant by Gaussian elimination over Fractions."""
    a = [[Fraction(v) for v in row] for row in mat]
    k = len(a)
    det = Fraction(1)
    for col in range(k):
        piv = next((r for r in range(col, k) if a[r][col] != 0), None)
        if piv is None:
            return Fraction(0)
        if piv != col:
            a[col], a[piv] = a[piv], a[col]
            det = -det
        det *= a[col][col]
        for r in range(col + 1, k):
            f = a[r][col] / a[col][col]
            a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return det


# --------------------------------------------------------------------------
# Construction
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["int", "float", "fraction", "np_int64", "np_int8", "np_float64", "np_float32", "np_scalars"]
)
def test_construction_keeps_exact_values(kind):
    A = Arrangement(_convert(NORMALS, kind), _convert(OFFSETS, kind))
    assert (A.n, A.dim, len(A)) == (3, 2, 3)
    assert A.exact_rows == ((1, 2, 1), (3, -4, 0), (0, 5, -2))
    assert A.normals.tolist() == [[1.0, 2.0], [3.0, -4.0], [0.0, 5.0]]
    assert A.offsets.tolist() == [1.0, 0.0, -2.0]
    assert A == Arrangement(NORMALS, OFFSETS)


def test_construction_mixed_types_in_one_row():
    A = Arrangement([[1, 0.5, Fraction(1, 3), np.int16(-2), np.float32(0.25)]], [np.float64(0.1)])
    assert A.exact_rows == ((1, Fraction(1, 2), Fraction(1, 3), -2, Fraction(1, 4), Fraction(0.1)),)


def test_from_matrix_matches_constructor():
    M = [[1, 2, 1], [3, -4, 0], [0, 5, -2]]
    assert Arrangement.from_matrix(M) == Arrangement(NORMALS, OFFSETS)
    assert Arrangement.from_matrix(np.array(M, dtype=np.float64)) == Arrangement(NORMALS, OFFSETS)
    with pytest.raises(ValueError, match=r"matrix must have shape \(n, d\+1\) with d >= 1; got \(2, 1\)"):
        Arrangement.from_matrix([[1], [2]])


@pytest.mark.parametrize("d", [1, 2, 5])
def test_empty_arrangement(d):
    A = Arrangement.empty(d)
    assert (A.n, A.dim, len(A)) == (0, d, 0)
    assert A.normals.shape == (0, d) and A.offsets.shape == (0,)
    assert A.rank() == 0 and A.is_central() and not A.is_essential()
    assert A.signs(np.zeros((4, d))).shape == (4, 0)
    assert A == Arrangement(np.zeros((0, d)), [])
    assert A == Arrangement.from_matrix(np.zeros((0, d + 1)))


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("normals", "offsets", "match"),
    [
        ([1, 2], [0], r"normals must have shape \(n, d\); got \(2,\)"),
        (np.zeros((1, 2, 2)), [0], r"normals must have shape \(n, d\); got \(1, 2, 2\)"),
        ([[1, 2], [3]], [0, 0], r"normals must have shape \(n, d\); got \(2,\)"),
        ([[1, 0]], [[0]], r"offsets must have shape \(n,\); got \(1, 1\)"),
        (
            [[1, 0], [0, 1]],
            [0],
            r"offsets must have shape \(n,\) = \(2,\) to match normals \(2, 2\); got \(1,\)",
        ),
        ([[1, float("nan")]], [0], r"normals must be finite; got nan at index \(0, 1\)"),
        (np.array([[1.0, 0.0], [np.nan, 1.0]]), [0, 0], r"normals must be finite; got .*nan.* at index \(1, 0\)"),
        ([[1, 0]], [float("inf")], r"offsets must be finite; got inf at index \(0,\)"),
        ([[1, 0]], np.array([-np.inf]), r"offsets must be finite; got .*-inf.* at index \(0,\)"),
        ([[1, 0], [0, 1], [0, 0]], [0, 0, 1], r"normals row 2 is zero; a hyperplane needs a nonzero normal"),
        ([[0.0, -0.0]], [1], r"normals row 0 is zero"),
        ([["1", 0]], [0], r"normals entries must be real numbers .*; got str '1' at index \(0, 0\)"),
        ([[1, 0]], ["a"], r"offsets entries must be real numbers .*; got str 'a' at index \(0,\)"),
        ([[object(), 1]], [0], r"normals entries must be real numbers .*; got object <object"),
        ([[1, 0]], [{"a": 1}], r"offsets entries must be real numbers .*; got dict"),
        ({"a": 1}, [0], r"normals must have shape \(n, d\); got \(\)"),
        (object(), [0], r"normals must have shape \(n, d\); got \(\)"),
        ("ab", [0], r"normals must have shape \(n, d\); got \(\)"),
        ([[True, False]], [0], r"normals entries must be real numbers .*; got bool True"),
        ([[1j, 1]], [0], r"normals entries must be real numbers .*; got complex"),
        (np.zeros((2, 0)), [0, 0], r"normals must have shape \(n, d\) with d >= 1; got \(2, 0\) \(d = 0\)"),
    ],
)
def test_invalid_input_is_refused(normals, offsets, match):
    with pytest.raises(ArrangementError, match=match) as info:
        Arrangement(normals, offsets)
    assert isinstance(info.value, ValueError) and isinstance(info.value, HyperarrError)


def test_empty_needs_positive_dimension():
    with pytest.raises(ValueError, match=r"d >= 1; got \(0, 0\)"):
        Arrangement.empty(0)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


def test_normals_and_offsets_are_read_only_float64():
    A = Arrangement([[1, Fraction(1, 3)], [0.5, 2]], [Fraction(1, 10), 7])
    assert A.normals.dtype == np.float64 and A.offsets.dtype == np.float64
    assert A.normals.shape == (2, 2) and A.offsets.shape == (2,)
    assert A.normals.tolist() == [[1.0, 1 / 3], [0.5, 2.0]]
    assert A.offsets.tolist() == [0.1, 7.0]
    with pytest.raises(ValueError, match="read-only"):
        A.normals[0, 0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        A.offsets[1] = 0.0
    # The exact data did not move.
    assert A.exact_rows[0] == (1, Fraction(1, 3), Fraction(1, 10))


def test_handed_out_arrays_cannot_be_made_writeable():
    A = Arrangement([[1, 0]], [0])
    normals = A.normals
    try:
        normals.setflags(write=True)
        normals[0, 0] = -1.0
    except ValueError:
        pass
    assert A.signs([1.0, 0.0]).tolist() == [1]


# (name, normals, offsets, rank, central, essential, generic)
STRUCTURE_CASES = [
    ("parallel lines", [[1, 0], [1, 0]], [0, 1], 1, False, False, False),
    ("parallel lines, scaled normals", [[1, 1], [2, 2]], [0, 1], 1, False, False, False),
    ("three concurrent lines", [[1, 0], [0, 1], [1, 1]], [1, 1, 2], 2, True, True, False),
    ("three generic lines", [[1, 0], [0, 1], [1, 1]], [0, 0, 1], 2, False, True, True),
    ("repeated line", [[1, 2], [1, 2], [0, 1]], [3, 3, 0], 2, True, True, False),
    ("repeated line, opposite side", [[1, 2], [-1, -2], [0, 1]], [3, -3, 1], 2, True, True, False),
    ("repeated line, shifted", [[1, 2], [-1, -2], [0, 1]], [3, -4, 1], 2, False, True, False),
    ("n < d, independent", [[1, 0, 0], [0, 1, 0]], [1, 2], 2, True, False, True),
    ("n < d, parallel", [[1, 1, 0], [2, 2, 0]], [0, 1], 1, False, False, False),
    ("coordinate hyperplanes", np.eye(3, dtype=int), [0, 0, 0], 3, True, True, True),
    ("four planes through 0 in R^3", [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0] * 4, 3, True, True, False),
    ("four generic planes in R^3", [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, 1], 3, False, True, True),
    ("one point on the line", [[2]], [1], 1, True, True, True),
    ("binary floats concurrent", [[1, 0], [0, 1], [1, 1]], [0.5, 0.25, 0.75], 2, True, True, False),
    ("0.1 + 0.2 != 0.3 in binary", [[1, 0], [0, 1], [1, 1]], [0.1, 0.2, 0.3], 2, False, True, True),
    (
        "decimal Fractions concurrent",
        [[1, 0], [0, 1], [1, 1]],
        [Fraction("0.1"), Fraction("0.2"), Fraction("0.3")],
        2,
        True,
        True,
        False,
    ),
]


@pytest.mark.parametrize(
    ("normals", "offsets", "rank", "central", "essential", "generic"),
    [c[1:] for c in STRUCTURE_CASES],
    ids=[c[0] for c in STRUCTURE_CASES],
)
def test_structure_on_hand_made_cases(normals, offsets, rank, central, essential, generic):
    A = Arrangement(normals, offsets)
    assert A.rank() == rank
    assert A.is_central() is central
    assert A.is_essential() is essential
    assert A.is_generic() is generic


def test_is_generic_in_dimension_one():
    assert Arrangement([[1], [1]], [0, 1]).is_generic()


def test_is_generic_in_dimension_one_repeated_point():
    assert not Arrangement([[1], [2]], [1, 2]).is_generic()


small_int = st.integers(min_value=-3, max_value=3)


@st.composite
def int_arrangements(draw, dims=(2, 3), max_n=5):
    d = draw(st.sampled_from(dims))
    n = draw(st.integers(min_value=0, max_value=max_n))
    rows = draw(
        st.lists(
            st.lists(small_int, min_size=d + 1, max_size=d + 1).filter(lambda r: any(r[:-1])),
            min_size=n,
            max_size=n,
        )
    )
    return d, rows


@settings(max_examples=150, deadline=None)
@given(int_arrangements())
def test_structure_against_sympy(data):
    d, rows = data
    A = Arrangement.from_matrix(np.array(rows, dtype=np.int64).reshape(len(rows), d + 1))
    W = sympy.Matrix(len(rows), d, [v for r in rows for v in r[:-1]])
    M = sympy.Matrix(len(rows), d + 1, [v for r in rows for v in r])
    rank = W.rank() if rows else 0
    assert A.rank() == rank
    assert A.is_central() == ((M.rank() if rows else 0) == rank)
    assert A.is_essential() == (rank == d)
    # General position from the definition: every k <= d normals independent and
    # no d + 1 hyperplanes through one point.
    n = len(rows)
    generic = all(
        W.extract(list(s), list(range(d))).rank() == len(s)
        for k in range(1, min(n, d) + 1)
        for s in itertools.combinations(range(n), k)
    ) and all(
        M.extract(list(s), list(range(d + 1))).det() != 0
        for s in itertools.combinations(range(n), d + 1)
    )
    assert A.is_generic() == generic


# --------------------------------------------------------------------------
# Signs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("lead", [(), (5,), (2, 3), (0,), (1, 1, 4)])
def test_signs_shape_and_dtype(lead):
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1])
    rng = np.random.default_rng(0)
    pts = rng.normal(size=lead + (2,))
    s = A.signs(pts)
    assert s.dtype == np.int8
    assert s.shape == lead + (3,)
    assert s.reshape(-1, 3).tolist() == _ref_signs(A.exact_rows, pts.reshape(-1, 2).tolist())


def test_signs_sign_convention():
    # Neuron a = 2 x - 3 y - 1 fires (+1) where a > 0.
    A = Arrangement([[2, -3]], [1])
    assert A.signs([[1, 0], [0, 0], [2, 1]]).tolist() == [[1], [-1], [0]]


@pytest.mark.parametrize(
    ("points", "match"),
    [
        ([1.0, 2.0, 3.0], r"points must have shape \(\.\.\., 2\); got \(3,\)"),
        (1.0, r"points must have shape \(\.\.\., 2\); got \(\)"),
        ([[1.0, np.nan]], r"points must be finite"),
        ([[1.0, np.inf]], r"points must be finite"),
        (np.array([["a", "b"]]), r"points must be numeric with shape \(\.\.\., 2\); got dtype <U1"),
        (np.array([[object(), 1]], dtype=object), r"points must hold finite real numbers"),
        (np.array([[Fraction(1), float("nan")]], dtype=object), r"points must hold finite real numbers"),
    ],
)
def test_signs_invalid_points(points, match):
    A = Arrangement([[1, 0]], [0])
    with pytest.raises(ArrangementError, match=match):
        A.signs(points)


def test_signs_exact_on_binary_inputs():
    # 0.1, 0.2 and 0.3 are binary rationals and 0.1 + 0.2 > 0.3 exactly.
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [0.1, 0.2, 0.3])
    assert A.exact_rows[2][2] == Fraction(0.3) != Fraction("0.3")
    assert Fraction(0.1) + Fraction(0.2) > Fraction(0.3)
    s = A.signs([0.1, 0.2])
    assert s[2] != 0
    assert s.tolist() == [0, 0, 1]


def test_signs_exact_on_decimal_fractions():
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [Fraction("0.1"), Fraction("0.2"), Fraction("0.3")])
    point = np.array([Fraction("0.1"), Fraction("0.2")], dtype=object)
    assert A.signs(point).tolist() == [0, 0, 0]
    # The float point (0.1, 0.2) is not on the decimal hyperplanes.
    assert A.signs([0.1, 0.2]).tolist() == _ref_signs(A.exact_rows, [[0.1, 0.2]])[0]


def test_signs_of_large_integer_points_are_exact():
    A = Arrangement([[1, 0]], [2**60 + 1])
    pts = np.array([[2**60, 0], [2**60 + 1, 7], [2**60 + 2, -1]], dtype=np.int64)
    assert A.signs(pts).tolist() == [[-1], [0], [1]]


def test_signs_exact_when_a_row_entry_underflows():
    A = Arrangement([[Fraction(1, 2**1100), 1]], [0])
    p = [-(2.0**997), 2.0**-200]
    assert _ref_signs(A.exact_rows, [p]) == [[-1]]
    assert A.signs(p).tolist() == [-1]


def test_signs_with_entries_beyond_float_range():
    A = Arrangement([[10**400, 1]], [0])
    assert A.signs([[1.0, 0.0], [-1.0, 5.0]]).tolist() == [[1], [-1]]


@pytest.mark.parametrize("offsets", [[2 * 10**308], [-2 * 10**308]])
def test_regions_beyond_float_range_are_exact(offsets):
    import warnings

    A = Arrangement([[1]], offsets)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        R = A.regions()
    assert sorted(R.signs.tolist()) == [[-1], [1]]
    exact = np.array(R.exact_points, dtype=object)
    assert np.array_equal(A.signs(exact), R.signs)
    assert R.points_inside.tolist().count(False) == 1  # no float lies beyond 2e308


@pytest.mark.skipif(np.finfo(np.longdouble).nmant <= 52, reason="longdouble is float64 here")
def test_longdouble_entries_are_kept_exactly():
    x = np.longdouble(1) + np.longdouble(2) ** -60
    A = Arrangement(np.array([[x, 0]], dtype=np.longdouble), [1])
    assert A.exact_rows[0][0] == 1 + Fraction(1, 2**60)


# Floats that stress the filter: exact small values, ulp neighbours of 1, decimals.
tricky_float = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 + 2**-52, 1 - 2**-53, -(1 + 2**-52), 2.0**-30, 3.0]),
    st.integers(min_value=-8, max_value=8).map(float),
    st.floats(min_value=-10, max_value=10, allow_nan=False, allow_infinity=False),
)


@st.composite
def arrangement_and_points(draw):
    """Rows and float points; some offsets put a point exactly on, or 2**-k off, a hyperplane."""
    d = draw(st.integers(min_value=1, max_value=3))
    m = draw(st.integers(min_value=1, max_value=5))
    points = draw(st.lists(st.lists(tricky_float, min_size=d, max_size=d), min_size=m, max_size=m))
    n = draw(st.integers(min_value=1, max_value=5))
    ints = draw(st.booleans())
    entry = st.integers(min_value=-5, max_value=5) if ints else tricky_float
    rows = []
    for _ in range(n):
        normal = draw(st.lists(entry, min_size=d, max_size=d).filter(lambda r: any(r)))
        how = draw(st.sampled_from(["free", "on", "near", "float_on"]))
        if how == "free":
            offset = draw(entry)
        else:
            p = draw(st.sampled_from(points))
            value = sum(Fraction(w) * Fraction(x) for w, x in zip(normal, p))
            if how == "on":
                offset = value
            elif how == "near":
                offset = value + draw(st.sampled_from([-1, 1])) * Fraction(1, 2 ** draw(st.integers(53, 120)))
            else:  # the float nearest the exact value: the sign depends on the rounding
                offset = float(value)
        rows.append(list(normal) + [offset])
    return d, rows, points


@settings(max_examples=300, deadline=None)
@given(arrangement_and_points())
def test_signs_agree_with_fraction_reference(data):
    d, rows, points = data
    A = Arrangement([r[:-1] for r in rows], [r[-1] for r in rows])
    expected = _ref_signs(A.exact_rows, points)
    assert A.signs(np.array(points, dtype=np.float64)).tolist() == expected
    # The same points as exact Fractions in an object array take the exact path.
    exact_pts = np.array([[Fraction(x) for x in p] for p in points], dtype=object)
    assert A.signs(exact_pts).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(int_arrangements(dims=(1, 2, 3)), st.lists(st.lists(st.integers(-6, 6), min_size=3, max_size=3), min_size=1, max_size=6))
def test_signs_on_integer_points(data, pts):
    d, rows = data
    assume(rows)
    A = Arrangement.from_matrix(rows)
    points = [p[:d] for p in pts]
    assert A.signs(np.array(points, dtype=np.int64)).tolist() == _ref_signs(A.exact_rows, points)


# --------------------------------------------------------------------------
# New arrangements from old
# --------------------------------------------------------------------------


A3 = Arrangement([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 1, 2, 3])


@pytest.mark.parametrize(
    ("i", "kept"),
    [(0, [1, 2, 3]), (-1, [0, 1, 2]), ([0, 2], [1, 3]), (np.int64(1), [0, 2, 3])],
)
def test_delete(i, kept):
    B = A3.delete(i)
    assert B.dim == 2
    assert B.exact_rows == tuple(A3.exact_rows[k] for k in kept)
    assert A3.n == 4  # unchanged


def test_empty_index_list_selects_nothing():
    assert A3.delete([]) == A3
    assert A3[[]] == Arrangement.empty(2)


def test_delete_out_of_range():
    with pytest.raises(ArrangementError, match=r"i must be in \[-4, 4\); got 4"):
        A3.delete(4)


def _lift(A: Arrangement, i: int, y):
    """The point of H_i whose coordinates other than the first nonzero one are ``y``."""
    h = A.exact_rows[i]
    k = next(j for j in range(A.dim) if h[j])
    others = [c for c in range(A.dim) if c != k]
    x = [Fraction(0)] * A.dim
    for c, v in zip(others, y):
        x[c] = Fraction(v)
    x[k] = (Fraction(h[-1]) - sum(Fraction(h[c]) * x[c] for c in others)) / Fraction(h[k])
    return x


def _parallel(u, v) -> bool:
    return sympy.Matrix([list(u), list(v)]).rank() < 2


@settings(max_examples=100, deadline=None)
@given(
    int_arrangements(dims=(2, 3), max_n=5),
    st.data(),
)
def test_restrict_geometrically(data, more):
    d, rows = data
    assume(rows)
    A = Arrangement.from_matrix(rows)
    i = more.draw(st.integers(min_value=-A.n, max_value=A.n - 1))
    R = A.restrict(i)
    i %= A.n
    assert R.dim == d - 1
    kept = [j for j in range(A.n) if j != i and not _parallel(A.exact_rows[j][:-1], A.exact_rows[i][:-1])]
    assert R.n == len(kept)
    # Points of H_i: random ones and, for each kept hyperplane, one on its trace.
    ys = [[Fraction(more.draw(st.integers(-9, 9)), more.draw(st.integers(1, 4))) for _ in range(d - 1)] for _ in range(3)]
    for r in R.exact_rows:
        k = next(c for c in range(d - 1) if r[c])
        y = [Fraction(more.draw(st.integers(-5, 5))) for _ in range(d - 1)]
        y[k] = (Fraction(r[-1]) - sum(Fraction(r[c]) * y[c] for c in range(d - 1) if c != k)) / Fraction(r[k])
        ys.append(y)
    for y in ys:
        x = _lift(A, i, y)
        s_full = A.signs(np.array(x, dtype=object))
        s_restricted = R.signs(np.array(y, dtype=object))
        assert s_full[i] == 0
        assert s_restricted.tolist() == [int(s_full[j]) for j in kept]


def test_restrict_documented_case():
    A = Arrangement([[1, 0], [0, 1], [1, 1], [1, 0]], [0, 0, 1, 2])
    assert A.restrict(0) == Arrangement([[1], [1]], [0, 1])


def test_restrict_errors():
    with pytest.raises(ArrangementError, match=r"i must be a hyperplane index in \[0, 4\); got 4"):
        A3.restrict(4)
    with pytest.raises(ArrangementError, match=r"restrict needs dim >= 2; got dim = 1"):
        Arrangement([[1]], [0]).restrict(0)


# --------------------------------------------------------------------------
# Container protocol, repr, equality
# --------------------------------------------------------------------------


def test_getitem_and_iteration():
    assert A3[0] == Hyperplane(normal=(1, 0), offset=0)
    assert A3[-1] == Hyperplane(normal=(1, -1), offset=3)
    assert A3[np.int32(2)] == Hyperplane(normal=(1, 1), offset=2)
    assert list(A3) == [A3[i] for i in range(4)]
    assert A3[1:3] == Arrangement([[0, 1], [1, 1]], [1, 2])
    assert A3[::-1].exact_rows == A3.exact_rows[::-1]
    assert A3[np.array([3, 0])] == Arrangement([[1, -1], [1, 0]], [3, 0])
    assert A3[[True, False, False, True]] == Arrangement([[1, 0], [1, -1]], [0, 3])


def test_getitem_errors():
    with pytest.raises(IndexError, match=r"hyperplane index must be in \[-4, 4\); got 4"):
        A3[4]
    with pytest.raises(ArrangementError, match=r"key mask must have shape \(4,\); got \(2,\)"):
        A3[[True, False]]
    with pytest.raises(ArrangementError, match=r"key must be integer indices; got dtype"):
        A3[[0.5]]


def test_hyperplane_is_immutable():
    h = A3[0]
    with pytest.raises(AttributeError):
        h.offset = 5  # type: ignore[misc]


def test_repr_shows_exact_values():
    assert repr(Arrangement([[1, 0], [Fraction(1, 2), 0.5]], [0, -1])) == (
        "Arrangement(n=2, d=2: (1, 0 | 0), (1/2, 1/2 | -1))"
    )
    assert "3602879701896397/36028797018963968" in repr(Arrangement([[1]], [0.1]))
    assert repr(Arrangement(np.eye(7, dtype=int), np.zeros(7))) == "Arrangement(n=7, d=7)"


def test_equality_and_hash_across_input_types():
    a = Arrangement([[1, 0]], [0])
    b = Arrangement([[1.0, 0.0]], [0.0])
    c = Arrangement([[Fraction(1), Fraction(0)]], [np.float32(0)])
    assert a == b == c
    assert hash(a) == hash(b) == hash(c)
    assert len({a, b, c}) == 1


@pytest.mark.parametrize(
    "other",
    [
        Arrangement([[-1, 0]], [0]),  # opposite orientation: another neuron
        Arrangement([[2, 0]], [0]),  # same hyperplane, scaled weights
        Arrangement([[1, 0]], [2**-60]),
        Arrangement([[1, 0, 0]], [0]),
        Arrangement.empty(2),
    ],
)
def test_inequality(other):
    assert Arrangement([[1, 0]], [0]) != other


def test_equality_with_other_types():
    assert Arrangement([[1, 0]], [0]) != ((1, 0, 0),)
    assert Arrangement([[1, 0]], [0]).__eq__(None) is NotImplemented


# --------------------------------------------------------------------------
# _exact kernels
# --------------------------------------------------------------------------


@st.composite
def square_int_matrices(draw, k, bits):
    """A k x k integer matrix; sometimes a row is a combination of two others."""
    entry = st.integers(min_value=-(2**bits), max_value=2**bits)
    rows = draw(st.lists(st.lists(entry, min_size=k, max_size=k), min_size=k, max_size=k))
    if k >= 2 and draw(st.booleans()):
        t = draw(st.integers(min_value=0, max_value=k - 1))
        others = [c for c in range(k) if c != t]
        coeffs = draw(st.lists(st.integers(-3, 3), min_size=k - 1, max_size=k - 1))
        rows[t] = [sum(a * rows[o][col] for a, o in zip(coeffs, others)) for col in range(k)]
    return rows


@pytest.mark.parametrize(("k", "bits"), [(1, 2), (2, 2), (3, 2), (4, 2), (3, 40), (3, 55), (2, 70)])
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_nonsingular_agrees_with_fraction_determinant(k, bits, data):
    mats = data.draw(st.lists(square_int_matrices(k, bits), min_size=1, max_size=8))
    expected = [_fraction_det(m) != 0 for m in mats]
    arr = np.array(mats, dtype=object if bits >= 62 else np.int64)
    got = _exact.nonsingular(arr)
    assert got.dtype == bool and got.shape == (len(mats),)
    assert got.tolist() == expected
    assert _exact.nonsingular_modular(np.array(mats, dtype=object)).tolist() == expected


@pytest.mark.parametrize(
    ("mat", "expected"),
    [
        ([[2**40, 2**40 + 1], [2**40 - 1, 2**40]], True),  # det 1, badly conditioned
        ([[2**40, 2**40 + 1], [2**41, 2**41 + 2]], False),
        ([[3, 1, 4], [1, 5, 9], [4, 6, 13]], False),  # row 3 = row 1 + row 2
        ([[10**30, 10**30 + 1], [10**30 - 1, 10**30]], True),
        ([[10**30, 10**30 + 1], [2 * 10**30, 2 * 10**30 + 2]], False),
        ([[0]], False),
        ([[-7]], True),
    ],
)
def test_nonsingular_hard_cases(mat, expected):
    dtype = object if max(abs(v) for r in mat for v in r) >= 2**62 else np.int64
    assert _exact.nonsingular(np.array([mat], dtype=dtype)).tolist() == [expected]
    assert (_fraction_det(mat) != 0) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), (np.int64(-2), -2), (0.5, Fraction(1, 2)), (np.float32(0.1), Fraction(float(np.float32(0.1)))),
     (Fraction(2, 6), Fraction(1, 3)), (sympy.Rational(1, 3), Fraction(1, 3))],
)
def test_to_exact(value, expected):
    got = _exact.to_exact(value)
    assert got == expected and type(got) in (int, Fraction)


@pytest.mark.parametrize(("value", "error"), [(True, TypeError), ("1", TypeError), (math.nan, ValueError), (-math.inf, ValueError)])
def test_to_exact_refuses(value, error):
    with pytest.raises(error):
        _exact.to_exact(value)


@pytest.mark.parametrize("dim", [-1, 2.0, True, "3"])
def test_empty_names_a_bad_dimension(dim):
    with pytest.raises(ArrangementError, match=r"dim must be an integer >= 1; got"):
        Arrangement.empty(dim)


def test_bool_points_are_refused_like_bool_entries():
    A = Arrangement([[1, 0], [0, 1]], [0, 0])
    with pytest.raises(ArrangementError, match="points must be numeric .* got dtype bool"):
        A.signs(np.array([[True, False]]))
    assert A.signs(np.array([[1, 0]])).tolist() == [[1, 0]]


# --- the operations Sage users reach for --------------------------------------


def test_union_and_add_hyperplane():
    from hyperarr import library

    A, B = library.braid(3), library.coordinate(3)
    U = A.union(B)
    assert U.n == 6 and U.exact_rows == A.exact_rows + B.exact_rows
    assert U.n_regions() == len(U.regions())
    C = A.add_hyperplane([1, 1, 1], Fraction(1, 2))
    assert C.n == 4 and C.exact_rows[-1] == (1, 1, 1, Fraction(1, 2))
    assert A.add_hyperplane(np.array([0.5, 0, 0]), 0.25).exact_rows[-1] == (Fraction(1, 2), 0, 0, Fraction(1, 4))
    assert A.n == 3  # unchanged
    with pytest.raises(ArrangementError, match="other must be an arrangement in R\\^3, as this one; got one in R\\^2"):
        A.union(library.coordinate(2))
    with pytest.raises(ArrangementError, match="other must be an Arrangement; got list"):
        A.union([[1, 0, 0]])
    with pytest.raises(ArrangementError, match="normal must have 3 entries; got 2"):
        A.add_hyperplane([1, 0], 0)
    with pytest.raises(ArrangementError, match="normal is zero"):
        A.add_hyperplane([0, 0, 0], 1)
    with pytest.raises(ArrangementError, match="offset must be finite"):
        A.add_hyperplane([1, 0, 0], float("inf"))


def test_center_and_is_linear():
    from hyperarr import library

    point, dirs = library.braid(4).center()
    assert point == (0, 0, 0, 0) and dirs == ((1, 1, 1, 1),)
    assert library.braid(4).is_linear() and not library.shi(3).is_linear()
    assert library.shi(3).center() is None and not library.shi(3).is_central()
    A = Arrangement([[1, 1, 0], [0, 1, 1]], [1, Fraction(1, 3)])
    point, dirs = A.center()
    assert A.is_central() and not A.is_linear()
    assert (A.signs(np.array([point], dtype=object)) == 0).all()  # the point lies on every hyperplane
    assert len(dirs) == 1 and all(sum(a * b for a, b in zip(r[:-1], dirs[0])) == 0 for r in A.exact_rows)
    full = Arrangement.empty(2).center()
    assert full == ((0, 0), ((1, 0), (0, 1)))
    assert library.coordinate(3).center() == ((0, 0, 0), ())


def test_repr_of_numbers_over_4300_digits():
    # str() refuses such integers; the repr names their size instead.
    A = Arrangement([[1, 0], [0, 1]], [10**5000, 0])
    assert repr(A) == "Arrangement(n=2, d=2: (1, 0 | (a number of about 10^5000)), (0, 1 | 0))"
