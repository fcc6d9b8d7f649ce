"""Tests for hyperarr.occupancy: occupied regions, points on hyperplanes, the table.

Oracles: counting by hand with Python dicts over exact Fraction signs, points
placed exactly on hyperplanes, and the characteristic polynomial's count.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hyperarr as ha
from hyperarr import Arrangement, library
from hyperarr.exceptions import ArrangementError
from hyperarr.occupancy import generalization, occupancy


def _fraction_signs(A, X):
    rows = [[Fraction(v) for v in r] for r in A.exact_rows]
    out = []
    for x in X:
        xs = [Fraction(v) for v in x]
        s = []
        for r in rows:
            v = sum(a * b for a, b in zip(r[:-1], xs)) - r[-1]
            s.append((v > 0) - (v < 0))
        out.append(tuple(s))
    return out


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 4))
def test_counts_match_a_dictionary(seed, n, d):
    rng = np.random.default_rng(seed)
    W = rng.integers(-3, 4, size=(n, d))
    W[W.sum(axis=1) == 0, 0] = 1
    W[(W == 0).all(axis=1), 0] = 1
    A = Arrangement(W, rng.integers(-2, 3, size=n))
    X = rng.integers(-3, 4, size=(60, d)).astype(float) / 2   # many points on hyperplanes
    occ = A.occupancy(X)
    signs = _fraction_signs(A, X)
    on = [0 in s for s in signs]
    assert occ.on_hyperplane.tolist() == on
    want = Counter(s for s in signs if 0 not in s)
    got = {tuple(s): int(c) for s, c in zip(occ.signs.tolist(), occ.counts.tolist())}
    assert got == dict(want)
    for p, s in enumerate(signs):
        if 0 in s:
            assert occ.region[p] == -1
        else:
            assert tuple(occ.signs[occ.region[p]].tolist()) == s
    assert occ.n_occupied == len(want) <= A.n_regions()
    assert occ.n_points == 60


def test_points_within_rounding_of_a_hyperplane_are_decided_exactly():
    # 0.1 + 0.2 != 0.3 in floats: (0.1, 0.2) is strictly above x + y = 0.3, while
    # (0.15, 0.15), (0.3, 0) and (0.1, the float below 0.2) are exactly on it, and
    # (0.1, two floats below 0.2) is just below.
    A = Arrangement([[1, 1]], [0.3])
    below = np.nextafter(0.2, 0)
    X = [[0.1, 0.2], [0.15, 0.15], [0.3, 0.0], [0.1, below], [0.1, np.nextafter(below, 0)]]
    want = _fraction_signs(A, X)
    assert want == [(1,), (0,), (0,), (0,), (-1,)]
    occ = occupancy(A, X)
    assert occ.on_hyperplane.tolist() == [False, True, True, True, False]
    assert [occ.signs[occ.region[p]].tolist() for p in (0, 4)] == [[1], [-1]]


def test_generalization_row():
    A = library.generic(6, 2, seed=0)
    rng = np.random.default_rng(0)
    train = rng.normal(scale=30, size=(200, 2))
    test = np.vstack([rng.normal(scale=30, size=(100, 2)), [[0.0, 0.0]]])
    row = generalization(A, train, test)
    tr, te = occupancy(A, train), occupancy(A, test)
    seen = {tuple(s) for s in tr.signs.tolist()}
    unseen = sum(1 for p in range(te.n_points)
                 if te.region[p] >= 0 and tuple(te.signs[te.region[p]].tolist()) not in seen)
    assert row.regions == A.n_regions() == 22
    assert row.n_to_the_d == 36
    assert row.occupied == tr.n_occupied
    assert row.test_unseen == unseen
    assert row.test_on_hyperplane == int(te.on_hyperplane.sum())
    assert row.unseen_fraction == unseen / 101


def test_occupancy_errors():
    A = library.five_lines()
    with pytest.raises(ArrangementError, match=r"shape \(\.\.\., 2\)"):
        occupancy(A, [[1, 2, 3]])
    with pytest.raises(ArrangementError, match=r"X must have shape \(m, 2\)"):
        occupancy(A, [1, 2])
    with pytest.raises(ArrangementError, match="A must be an Arrangement"):
        ha.occupancy.occupancy("A", [[1, 2]])


def test_occupancy_refuses_non_finite_points():
    A = library.five_lines()
    with pytest.raises(ArrangementError, match="finite"):
        occupancy(A, np.array([[0.0, 1.0], [np.nan, 0.0]]))
    with pytest.raises(ArrangementError, match="finite"):
        occupancy(A, [[np.inf, 0.0]])
    big = np.array([[1e308, 1e308]])   # finite, though |x|_1 overflows
    assert occupancy(A, big).n_points == 1
