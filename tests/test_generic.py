"""Tests for the general-position kernels (hyperarr._generic and its float filter in _exact).

References are independent of the implementation: determinants in Fractions,
and the regions found by the lattice path on the same arrangement.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperarr import Arrangement, _exact, _generic
from hyperarr.counting import max_regions


def _fraction_det(rows) -> Fraction:
    m = [[Fraction(v) for v in r] for r in rows]
    k, det = len(m), Fraction(1)
    for c in range(k):
        piv = next((r for r in range(c, k) if m[r][c] != 0), None)
        if piv is None:
            return Fraction(0)
        if piv != c:
            m[c], m[piv], det = m[piv], m[c], -det
        det *= m[c][c]
        for r in range(c + 1, k):
            f = m[r][c] / m[c][c]
            m[r] = [a - f * b for a, b in zip(m[r], m[c])]
    return det


def _generic_by_fractions(A: Arrangement) -> bool:
    """General position by brute force: every d normals and every d + 1 rows independent."""
    rows, d = A.exact_rows, A.dim
    if A.n < d:
        return A.rank() == A.n
    return all(_fraction_det([rows[i][:k] for i in S]) != 0
               for k in (d, d + 1) for S in itertools.combinations(range(A.n), k))


# --- the Laplace filter: every singular minor is handed to exact arithmetic ------


@st.composite
def integer_rows(draw):
    """Integer rows with dependencies, of small to huge size, and rows whose entries
    span more than the float range (they underflow once the row is scaled)."""
    k = draw(st.integers(1, 6))
    n = draw(st.integers(k, k + 4))
    bits = draw(st.sampled_from([2, 20, 60, 300]))
    entry = st.integers(-(2**bits), 2**bits)
    rows = draw(st.lists(st.lists(entry, min_size=k, max_size=k), min_size=n, max_size=n))
    for _ in range(draw(st.integers(0, 3))):
        if n >= 3 and k >= 2:
            i, j, l = draw(st.permutations(range(n)))[:3]
            a, b = draw(st.integers(-3, 3)), draw(st.integers(-3, 3))
            rows[i] = [a * x + b * y for x, y in zip(rows[j], rows[l])]
    if draw(st.booleans()):
        rows[-1] = [2**1100] + [draw(st.integers(-1, 1)) for _ in range(k - 1)]
    return rows, k


@settings(max_examples=150, deadline=None)
@given(integer_rows())
def test_every_singular_minor_is_doubtful(case):
    rows, k = case
    n = len(rows)
    blocks = list(_exact.square_minors_doubtful(_exact.unit_rows(rows, k)))
    doubtful = [tuple(S) for blk in blocks for S in blk.tolist()]
    assert len(doubtful) == len(set(doubtful))
    assert set(doubtful) <= set(itertools.combinations(range(n), k))
    singular = {S for S in itertools.combinations(range(n), k)
                if _fraction_det([rows[i] for i in S]) == 0}
    assert singular <= set(doubtful)


def test_random_floats_are_certified_without_exact_work(monkeypatch):
    calls = []
    real = _exact.nonsingular_modular
    monkeypatch.setattr(_exact, "nonsingular_modular", lambda mats: calls.append(len(mats)) or real(mats))
    rng = np.random.default_rng(0)
    A = Arrangement(rng.standard_normal((16, 5)), rng.standard_normal(16))
    assert A.is_generic()
    # Before the filter used the float rows, all 12,376 minors went to modular arithmetic.
    assert sum(calls) <= 10


def test_random_float_arrangement_30_in_r8_is_certified():
    # The case: 20 million minors, certified by the batched filter.
    rng = np.random.default_rng(0)
    A = Arrangement(rng.standard_normal((30, 8)), rng.standard_normal(30))
    assert A.is_generic()
    assert A.n_regions() == max_regions(30, 8)


@pytest.mark.parametrize("laplace", [True, False], ids=["batched", "per-minor"])
@pytest.mark.parametrize("seed", range(12))
def test_is_generic_agrees_with_fractions(monkeypatch, laplace, seed):
    if not laplace:
        monkeypatch.setattr(_exact, "LAPLACE_FLOATS", 0)
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(2, 7)), int(rng.integers(1, 4))
    data = rng.integers(-2, 3, size=(n, d + 1))
    data[~data[:, :d].any(axis=1), 0] = 1
    kind = seed % 3
    if kind == 1:  # floats: exact binary rationals, 0.1 and its sums
        data = data * 0.1
    elif kind == 2:
        data = np.array([[Fraction(int(v), 3) for v in r] for r in data], dtype=object)
    A = Arrangement(data[:, :d], data[:, d])
    assert A.is_generic() is _generic_by_fractions(A)


@pytest.mark.parametrize("ulps", [0, 1, -3])
def test_lines_through_one_point_up_to_an_ulp(ulps):
    # x = 0.25, y = 0.5, x + y = 0.75: three lines through one point, exactly;
    # with the last offset moved by an ulp or three they are in general position.
    c = 0.75
    for _ in range(abs(ulps)):
        c = math.nextafter(c, math.copysign(math.inf, ulps))
    A = Arrangement([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.25, 0.5, c])
    assert A.is_generic() is (ulps != 0)
    assert A.is_generic() is _generic_by_fractions(A)


def test_the_sheets_decimal_offsets_are_generic():
    # 0.1 + 0.2 != 0.3 in binary: the lines x = 0.1, y = 0.2, x + y = 0.3 miss one point.
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [0.1, 0.2, 0.3])
    assert A.is_generic() and _generic_by_fractions(A)


def test_check_cost_counts_minors_and_their_price():
    assert _generic.check_cost(30, 8) == (math.comb(30, 8) + math.comb(30, 9),) * 2
    minors, cost = _generic.check_cost(40, 10)
    assert minors == math.comb(40, 10) + math.comb(40, 11)
    assert cost > 100 * minors  # the batched tables would not fit: one certificate each


# --- any size: no recursion ------------------------------------------------------


def test_a_hyperplane_in_high_dimension_needs_no_recursion():
    A = Arrangement([[1] + [0] * 492], [0])
    R = A.regions()
    assert sorted(R.signs.tolist()) == [[-1], [1]]
    assert np.array_equal(A.signs(R.points), R.signs)


def test_generic_in_high_dimension_needs_no_recursion():
    from hyperarr import library

    A = library.generic(3, 784, seed=0)
    R = A.regions()
    assert len(R) == 8 == len({tuple(s) for s in R.signs.tolist()})
    assert np.array_equal(A.signs(R.points), R.signs)
    assert not R.bounded.any()


@pytest.mark.parametrize(("n", "k", "limit"), [(7, 3, 1), (9, 4, 10), (6, 0, 1), (3, 5, 1), (8, 8, 1)])
def test_combination_blocks_are_lexicographic(n, k, limit):
    blocks = list(_generic.combination_blocks(n, k, limit))
    assert all(b.shape[0] <= max(limit, 1) or k == 0 for b in blocks)
    rows = [tuple(r) for b in blocks for r in b.tolist()]
    assert rows == list(itertools.combinations(range(n), k))


def test_combination_blocks_deeper_than_the_recursion_limit():
    rows = [tuple(r) for b in _generic.combination_blocks(1200, 1199, 1) for r in b.tolist()]
    assert rows == list(itertools.combinations(range(1200), 1199))


# --- streaming ---------------------------------------------------------------


def _stream(A: Arrangement, chunk: int):
    from hyperarr import Regions

    chunks = list(A.iter_regions(chunk_size=chunk))
    assert all(len(c) <= chunk for c in chunks)
    return Regions.concatenate(chunks)


@pytest.mark.parametrize(("n", "d"), [(14, 8), (12, 3), (9, 6)])
def test_streaming_equals_the_table_in_order(monkeypatch, n, d):
    from hyperarr import library

    monkeypatch.setattr(_generic.Generic, "BLOCK", 32)  # many blocks at every level
    streamed = _stream(library.generic(n, d, seed=1), 100)
    assert streamed == library.generic(n, d, seed=1).regions(max_regions=None)


def test_streaming_builds_the_regions_at_infinity_in_blocks(monkeypatch):
    # The section at infinity holds 77 % of the regions of generic(14, 8); it used
    # to be built in full, and streaming peaked at 68 % of regions().
    import tracemalloc

    from hyperarr import library

    monkeypatch.setattr(_generic.Generic, "BLOCK", 256)

    def peak(run) -> int:
        tracemalloc.start()
        try:
            run()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    G = library.generic(14, 8, seed=0)
    # Fresh objects, with nothing cached (generic() has decided is_generic on G).
    A, B = Arrangement(G.normals, G.offsets), Arrangement(G.normals, G.offsets)
    streamed = peak(lambda: sum(len(c) for c in A.iter_regions(chunk_size=500)))
    table = peak(lambda: B.regions(max_regions=None))
    assert streamed <= 0.5 * table


def _nearly_concurrent(seed: int, n: int, d: int, ulps: int, times: int) -> Arrangement:
    """Random float hyperplanes, ``times`` of which are moved to pass ``ulps`` units in
    the last place from the vertex of d others: generic, exactly, but ill-conditioned."""
    rng = np.random.default_rng(seed)
    W, b = rng.standard_normal((n, d)), rng.standard_normal(n)
    for _ in range(times):
        idx = rng.choice(n, d + 1, replace=False)
        M = [[Fraction(float(v)) for v in W[i]] + [Fraction(float(b[i]))] for i in idx[:d]]
        for c in range(d):  # Gauss-Jordan in Fractions: the exact vertex
            piv = next(r for r in range(c, d) if M[r][c] != 0)
            M[c], M[piv] = M[piv], M[c]
            for r in range(d):
                if r != c and M[r][c] != 0:
                    f = M[r][c] / M[c][c]
                    M[r] = [x - f * y for x, y in zip(M[r], M[c])]
        vertex = [M[i][d] / M[i][i] for i in range(d)]
        v = float(sum(Fraction(float(w)) * x for w, x in zip(W[idx[d]], vertex)))
        for _ in range(ulps):
            v = math.nextafter(v, math.inf)
        b[idx[d]] = v
    return Arrangement(W, b)


def test_ill_conditioned_streaming_falls_back(monkeypatch):
    # Exactly generic, but some float witnesses of the general-position path miss
    # their region: the second pass used to raise from a branch marked unreachable.
    monkeypatch.setattr(_generic.Generic, "BLOCK", 8)
    A = _nearly_concurrent(1, 9, 3, 1, 3)
    assert A.is_generic()
    assert _generic.table(A._prepared.rows, A.dim) is None  # the float path cannot prove it
    assert _generic.stream(A._prepared.rows, A.dim, 10, A.n) is None  # so streaming does not start
    streamed = _stream(A, 10)
    assert streamed == _nearly_concurrent(1, 9, 3, 1, 3).regions(max_regions=None)
    assert len(streamed) == max_regions(9, 3)


def test_a_witness_on_a_hyperplane_proves_no_region():
    # Signs with a zero describe a face, even when the witness reproduces them
    # exactly; counting such a face as a region would break the count proof.
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1])
    g = _generic.Generic(A._prepared.rows, A.dim)
    on_x0 = np.array([[0.0, 0.5]])
    exact = A._prepared.to_input(np.array([[0, 1, -1]], dtype=np.int8))
    assert np.array_equal(A.signs(on_x0), exact)  # the witness reproduces the zero
    assert not g.verified(0, np.array([[0, 1, -1]], dtype=np.int8), on_x0)
    assert g.verified(0, np.array([[1, 1, -1]], dtype=np.int8), np.array([[0.25, 0.5]]))



@pytest.mark.parametrize(("seed", "n", "d", "ulps", "times"),
                         [(0, 12, 4, 0, 0), (3, 14, 6, 0, 0), (1, 9, 3, 30, 3), (2, 10, 3, 4, 2),
                          (5, 11, 5, 1000, 4), (7, 16, 2, 0, 0)])
def test_compiled_and_numpy_kernels_agree_with_the_lattice(monkeypatch, seed, n, d, ulps, times):
    # Large arrangements take the compiled kernels, small ones numpy: both are
    # forced on one arrangement, and each table they prove must be the one the
    # lattice path (no general-position code) finds.
    from hyperarr._lift import flat_regions

    A = _nearly_concurrent(seed, n, d, ulps, times)
    rows = A._prepared.rows
    tables = []
    for compile_from in (0, 10**18):
        monkeypatch.setattr(_generic.Generic, "COMPILE_FROM", compile_from)
        tables.append(_generic.table(rows, d))
    assert tables[0] is not None or times  # well-conditioned input is always proved
    lat = A._lattice
    S_lattice = flat_regions(lat, lat.top)[0]
    from hyperarr import _bounded

    bounded = _bounded.bounded(rows, d, S_lattice, A.is_central())
    want = sorted(zip(S_lattice.tolist(), bounded.tolist()))
    for got in tables:
        if got is not None:
            assert sorted(zip(got[0].tolist(), got[2].tolist())) == want
