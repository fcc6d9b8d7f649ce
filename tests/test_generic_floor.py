"""Tests for the general-position kernels as they run near their floor (issue #25).

The compiled vertex kernel walks the subsets of a block itself, the table is
written in place, a region at infinity is checked against its rows and its
recession rows with one product, and antipodal keys are complemented bits.
References are independent of those shortcuts: exact Fraction vertices and
signs, the index arrays of ``combination_blocks``, ``_keys.pack`` and
``all_minors_nonsingular``.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_generic import (
    _fraction_det,  # the general-position tests' exact Fraction oracle
)

from hyperarr import Arrangement, _exact, _generic, _keys, library
from hyperarr._binomial import region_count


def _exact_vertex(rows, S):
    """The point where the hyperplanes ``S`` of ``rows`` meet, in Fractions (Gauss-Jordan)."""
    d = len(S)
    M = [[Fraction(v) for v in rows[i]] for i in S]
    for c in range(d):
        piv = next(r for r in range(c, d) if M[r][c] != 0)
        M[c], M[piv] = M[piv], M[c]
        for r in range(d):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [M[i][d] / M[i][i] for i in range(d)]


def _exact_sign(row, x) -> int:
    value = sum(Fraction(a) * v for a, v in zip(row[:-1], x)) - Fraction(row[-1])
    return (value > 0) - (value < 0)


@pytest.mark.parametrize(("n", "d", "limit"), [(9, 3, 10), (10, 4, 7), (8, 8, 1), (7, 2, 1000)])
def test_compiled_blocks_are_the_regions_above_the_vertices_of_their_subsets(n, d, limit):
    # The compiled kernel is given a block's spec, not its subsets: row r of its
    # output must be the region above the vertex of the r-th subset of the block
    # (signs of every other hyperplane at the exact vertex, and a witness that
    # has the row's signs exactly).
    A = library.generic(n, d, seed=3)
    rows = A._prepared.rows
    F = _exact.float_rows(rows, d + 1)
    F /= np.abs(F).max(axis=1, keepdims=True)
    seen = []
    for spec, sub in zip(_generic.combination_block_specs(n, d, limit),
                         _generic.combination_blocks(n, d, limit)):
        S, W = _generic._vertex_block(F, d, spec)
        assert S.shape == (sub.shape[0], n) and W.shape == (sub.shape[0], d)
        for r, subset in enumerate(sub.tolist()):
            p = _exact_vertex(rows, subset)
            others = [i for i in range(n) if i not in subset]
            assert [int(S[r, i]) for i in others] == [_exact_sign(rows[i], p) for i in others]
            w = [Fraction(float(v)) for v in W[r]]
            assert [int(v) for v in S[r]] == [_exact_sign(row, w) for row in rows]
        seen += [tuple(s) for s in sub.tolist()]
    assert seen == list(itertools.combinations(range(n), d))


@pytest.mark.parametrize(("n", "d"), [(12, 4), (9, 6), (11, 1)])
def test_the_table_written_in_place_is_the_blocks_joined(monkeypatch, n, d):
    # table() writes each block into its rows of one table; the blocks as
    # blocks() yields them, joined, must be that table bit for bit.
    monkeypatch.setattr(_generic.Generic, "BLOCK", 16)  # many blocks at every level
    for compile_from in (0, 10**18):  # compiled and numpy kernels
        monkeypatch.setattr(_generic.Generic, "COMPILE_FROM", compile_from)
        g = _generic.Generic(library.generic(n, d, seed=2)._prepared.rows, d)
        S, W, bounded = g.table()
        blocks = list(g.blocks())
        assert g.n_candidates() == region_count(n, d) == S.shape[0] == W.shape[0]
        assert np.array_equal(S, np.concatenate([b[1] for b in blocks]))
        assert np.array_equal(W.view(np.uint64), np.concatenate([b[2] for b in blocks]).view(np.uint64))
        assert int(bounded.sum()) == g.n_bounded


def test_a_witness_in_its_region_but_not_receding_proves_nothing_at_infinity():
    # At level >= 1 a witness must be in its region *and* be a recession
    # direction of it; both checks share one product, and each can fail alone.
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1])
    for compile_from in (0, 10**18):
        g = _generic.Generic(A._prepared.rows, A.dim)
        g.compiled = compile_from == 0
        in_region = np.array([[0.25, 0.25]])  # x > 0, y > 0, x + y < 1
        S = np.array([[1, 1, -1]], dtype=np.int8)
        assert g.verified(0, S, in_region)
        assert not g.verified(1, S, in_region)  # the ray 2·(0.25, 0.25) leaves x + y < 1
        far = np.array([[10.0, 1.0]])  # x > 0, y > 0, x + y > 1: a recession direction
        assert g.verified(1, np.array([[1, 1, 1]], dtype=np.int8), far)
        assert not g.verified(1, np.array([[1, 1, -1]], dtype=np.int8), far)


def test_undecided_recession_signs_go_to_the_exact_check():
    # A direction on a recession hyperplane (n·w = 0) is undecided by the filter
    # (its value is 0): the exact step must see it and refuse the zero sign.
    from hyperarr import _generic_jit

    A = Arrangement([[1, 0], [0, 1], [1, -1]], [0, 0, -5])
    g = _generic.Generic(A._prepared.rows, A.dim)
    w = np.array([[1.0, 1.0]])  # x − y = 0 there, while x − y = −5 is far away
    S = np.array([[1, 1, 1]], dtype=np.int8)
    unsure = np.zeros(1, dtype=bool)
    assert _generic_jit.check_receding(g.F_exact, w, S, *_exact.filter_constants(2), unsure)
    assert unsure[0]
    g.compiled = True
    assert not g.verified(1, S, w)
    assert g.verified(0, S, w)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 130), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_antipodal_keys_are_the_keys_of_the_negated_signs(n, m, seed):
    S = np.random.default_rng(seed).choice(np.array([-1, 1], dtype=np.int8), size=(m, n))
    keys = _keys.pack(S)
    assert np.array_equal(_generic._antipodes(S, keys), _keys.pack(-S))


@st.composite
def _rows_with_dependencies(draw):
    d = draw(st.integers(1, 4))
    n = draw(st.integers(max(3, d + 1), d + 6))
    bits = draw(st.sampled_from([3, 40, 200]))
    entry = st.integers(-(2**bits), 2**bits)
    rows = draw(st.lists(st.lists(entry, min_size=d + 1, max_size=d + 1), min_size=n, max_size=n))
    for _ in range(draw(st.integers(0, 2))):  # a row through the meet of others, or parallel
        i, j, k = draw(st.permutations(range(n)))[:3]
        a, b = draw(st.integers(-2, 2)), draw(st.integers(-2, 2))
        rows[i] = [a * x + b * y for x, y in zip(rows[j], rows[k])]
    return rows, d



@settings(max_examples=60, deadline=None)
@given(_rows_with_dependencies())
def test_the_screen_of_general_position_decides_its_sample_exactly(case):
    # probably_generic certifies its sampled minors with rows scaled once: it
    # must be True exactly when every minor of its (seeded) sample is nonzero.
    rows, d = case
    n = len(rows)
    rng = np.random.default_rng(0)  # the screen's own sample, drawn again
    sample = [(k, rng.choice(n, size=k, replace=False).tolist()) for k in (d, d + 1) for _ in range(256)]
    want = all(_fraction_det([rows[i][:k] for i in S]) != 0 for k, S in sample)
    assert _generic.probably_generic(rows, d) == want
    if not want:
        assert not _generic.all_minors_nonsingular(rows, d)


def test_the_screen_finds_a_sampled_dependency():
    # Every d + 1 of these hyperplanes meet in a point (all pass through 0).
    rows = [[1, 2, 0], [3, -1, 0], [2, 5, 0], [7, 1, 0]]
    assert not _generic.probably_generic(rows, 2)
    assert not _generic.all_minors_nonsingular(rows, 2)


def test_the_compiled_check_proves_no_region_from_a_zero_sign():
    # A zero sign is a face: the compiled check refuses it whether its filter
    # decides that entry (a clear value against a 0) or leaves it to the exact step.
    A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1])
    g = _generic.Generic(A._prepared.rows, A.dim)
    g.compiled = True
    on_x0 = np.array([[0.0, 0.5]])  # on x = 0: undecided there, exactly 0
    assert not g.verified(0, np.array([[0, 1, -1]], dtype=np.int8), on_x0)
    inside = np.array([[0.25, 0.5]])  # every value clear of 0
    for zero_at in range(3):
        S = np.array([[1, 1, -1]], dtype=np.int8)
        assert g.verified(0, S, inside)
        S[0, zero_at] = 0
        assert not g.verified(0, S, inside)
    assert not g.verified(0, np.array([[1, 1, -1]], dtype=np.int8), np.array([[np.inf, 0.5]]))
    assert not g.verified(1, np.array([[1, 1, 1]], dtype=np.int8), np.array([[np.nan, 1.0]]))
