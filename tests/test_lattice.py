"""Tests for the private lattice kernels: hyperarr._lattice (flats) and hyperarr._lift (regions of a flat)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hyperarr
from arrangement_strategies import arrangement_from_rows
from hyperarr import _exact, _lattice, _lift, library


def test_lattice_size_limit(monkeypatch):
    monkeypatch.setattr(_lattice.Lattice, "max_flats", 10)
    with pytest.raises(hyperarr.OutputTooLargeError, match="max_flats=10"):
        hyperarr.characteristic._lattice_chi(library.braid(5))


@given(st.lists(st.tuples(st.integers(-6, 6), st.integers(-6, 6)).filter(any), min_size=2, max_size=9))
@settings(max_examples=60, deadline=None)
def test_pencil_shortcut_agrees_with_the_general_lift(normals):
    """Lines through the origin of a plane: the sorted-directions shortcut and
    the facet lifting give the same regions, with exact witnesses."""
    A = arrangement_from_rows([[a, b, 0] for a, b in normals], 2)
    lat = _lattice.Lattice(A._prepared.rows, 2)
    top = lat.top
    for f in _lattice.levels(lat, top)[1]:
        f.regions = _lift._regions_of(lat, f)
    general = _lift._lift_all(lat, top)
    pencil = _lift._pencil_regions(top)
    if top.n_traces < 2:
        assert pencil is None
        return
    assert pencil is not None
    as_set = lambda S: {tuple(r) for r in S.tolist()}  # noqa: E731
    assert as_set(pencil[0]) == as_set(general[0])
    assert len(pencil[0]) == 2 * top.n_traces
    exact = _exact.affine_signs(top.rows_f, top.rows_exact, pencil[1])
    np.testing.assert_array_equal(exact, pencil[0][:, top.rep] * top.tsign[top.rep])


@given(st.lists(st.tuples(st.integers(-2**19, 2**19), st.integers(-2**19, 2**19)).filter(any),
                min_size=2, max_size=12, unique=True))
@settings(max_examples=80, deadline=None)
def test_pencil_sectors_come_in_angle_order_and_are_exact(normals):
    """The compiled pencil: one witness per sector, in order of angle, every line's sign
    at it nonzero and equal to its sign in Python integers."""
    A = arrangement_from_rows([[a, b, 0] for a, b in normals], 2)
    top = _lattice.Lattice(A._prepared.rows, 2).top
    if top.n_traces < 2:
        return
    rows = np.array([r[:2] for r in top.rows_exact], dtype=np.int64)
    wit, signs = _lift._lift_jit.pencil_sectors(rows)
    t = top.n_traces
    assert wit.shape == (2 * t, 2) and len({tuple(s) for s in signs.tolist()}) == 2 * t
    for (x, y), s in zip(wit.tolist(), signs.tolist()):
        assert s == [(a * x + b * y > 0) - (a * x + b * y < 0) for a, b, _ in top.rows_exact] and 0 not in s
    angles = [math.atan2(y, x) for x, y in wit.tolist()]
    assert sum(b < a for a, b in zip(angles, angles[1:])) <= 1  # increasing but for one wrap


@given(st.integers(2, 5).flatmap(lambda d: st.tuples(
    st.just(d), st.lists(st.lists(st.integers(-2**30, 2**30), min_size=d + 1, max_size=d + 1)
                         .filter(lambda r: any(r[:-1])), min_size=2, max_size=8))))
@settings(max_examples=80, deadline=None)
def test_compiled_elimination_equals_python_integers(case):
    """Every child of the top flat: the int64 kernel and Python integers give the same rows,
    orientations and pivots (entries up to 2^30, where products and differences still fit)."""
    d, rows = case
    A = arrangement_from_rows(rows, d)
    top = _lattice.Lattice(A._prepared.rows, d).top
    small = top.rows_small
    assert small is not None
    for j in range(top.n_traces):
        got, orient, lead = _lattice._lattice_jit.eliminate(small, j, top.pivot[j])
        want, orients = _lattice._eliminate(top.rows_exact, j, top.pivot[j])
        assert orient.tolist() == orients
        for l, (g, w, o) in enumerate(zip(got.tolist(), want, orients)):
            if l != j:
                assert g == w
            if o in (1, -1):
                assert lead[l] == next(c for c, v in enumerate(w) if v)


def test_large_entries_take_python_integers():
    """Entries of 2^31 and more are not in int64: the lattice keeps Python integers there."""
    A = arrangement_from_rows([[2**40 + 1, 3, 1], [1, 2**35, 0], [5, 7, 2**33]], 2)
    lat = _lattice.Lattice(A._prepared.rows, 2)
    assert lat.top.rows_small is None
    assert len(_lift.flat_regions(lat, lat.top)[0]) == A.n_regions()
