"""Tests for hyperarr.deep: the activation regions of a network in input space.

The regions are checked against an independent oracle (``deep_oracle``:
Fourier–Motzkin in fractions, pattern by pattern), every witness is re-run
through an exact forward pass written here, and dense sampling must find no
pattern that is not listed.
"""

from __future__ import annotations

import functools
import math
import os
import pickle
import subprocess
import sys
import textwrap
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deep_oracle import (
    box_forms,
    exact_spec,
    forward,
    frac,
    identically_zero,
    oracle_regions,
    polytope_forms,
    unit_forms,
)
from hyperarr import Arrangement
from hyperarr.deep import Network
from hyperarr.domain import Box, Polytope
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

F = Fraction


def _forked(test):
    """Run the test in a forked child, so that a crash of the engine (see
    test_calls_in_a_row_do_not_crash_the_interpreter) fails this test instead of
    killing the run, and one test's memory corruption cannot reach the next."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(r)
            try:
                test(*args, **kwargs)
                out = ("ok", None)
            except BaseException as exc:  # noqa: BLE001 - handed to the parent
                try:
                    out = ("err", pickle.dumps(exc))
                except Exception:
                    out = ("err", pickle.dumps(AssertionError(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(w, "wb") as f:
                pickle.dump(out, f)
            os._exit(0)
        os.close(w)
        with os.fdopen(r, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            pytest.fail(f"the process crashed with signal {os.WTERMSIG(status)} (hyperarr.deep engine)")
        kind, payload = pickle.loads(data)
        if kind == "err":
            raise pickle.loads(payload)

    return run


# ---------------------------------------------------------------- networks

# Small networks with the degeneracies a generic-position engine gets wrong.
# Each first layer with a kink spans R^d (those that don't have tests of their own below).
CASES_2D = {
    "plain": [([[1, 0], [0, 1]], [0, 0], "relu"), ([[1, 1]], [-1], "relu")],
    "duplicate-units": [([[1, 0], [1, 0], [0, 1]], [0, 0, 1], "relu"),
                        ([[1, -1, 1], [0, 1, -1]], [0, 1], "relu")],
    "opposite-units": [([[1, 1], [-1, -1], [1, -1]], [0, 0, 0], "relu"),
                       ([[1, 1, 1], [1, -1, 0]], [-1, 0], "relu")],
    "zero-row": [([[1, 1], [0, 0], [1, -1], [0, 0]], [0, 1, 0, -1], "relu"),
                 ([[1, 1, 1, 1], [0, 1, 0, 0]], [-1, 0], "relu")],
    "common-point": [([[1, 0], [0, 1], [1, 1], [1, -1], [2, 1]], [0, 0, 0, 0, 0], "relu"),
                     ([[1, -1, 1, 0, -1], [0, 1, 1, -1, 0], [1, 1, -2, 0, 0]], [0, 0, 0], "relu")],
    "identically-zero": [([[1, 0], [1, 0], [0, 1]], [0, 0, 0], "relu"),
                         ([[1, -1, 0], [0, 0, 1], [0, 0, 0]], [0, -1, 0], "relu"),
                         ([[1, 1, 1], [1, 0, -1]], [0, 0], "relu")],
    "leaky": [([[1, 2], [-1, 1], [2, -1]], [1, 0, -1], "leaky_relu:1/10"),
              ([[1, -1, 1], [-1, 1, 2]], [0, 1], "leaky_relu:-2"),
              ([[1, 1]], [-1], "relu")],
    "step-middle": [([[1, 0], [0, 1], [1, 1]], [0, 0, -1], "relu"),
                    ([[1, -1, 0], [0, 1, -1]], [0, 0], "step"),
                    ([[1, 1], [2, -1]], [-1, 0], "relu")],
    "identity-between": [([[1, 2], [3, -1], [-1, 1]], [0, 1, -1], "relu"),
                         ([[1, 0, 1], [0, 1, -1]], [0, 0], "identity"),
                         ([[1, 1], [1, -1], [2, 1]], [-1, 0, 1], "relu")],
    "fractions": [([[F(1, 3), F(-2, 7)], [F(5, 11), F(1, 2)], [F(-1, 3), F(2, 7)]],
                   [F(1, 5), F(-1, 9), F(0)], "relu"),
                  ([[F(1, 2), F(-3, 4), F(2, 3)], [F(-1, 6), F(1, 1), F(1, 3)]], [F(-1, 7), F(1, 13)], "relu")],
    "floats": [([[0.1, -0.3], [0.7, 0.2], [-0.25, 1e-3], [0.5, 0.5]], [0.05, -0.1, 0.2, -0.3], "relu"),
               ([[0.3, -0.2, 0.1, 0.9], [-0.6, 0.4, 1.5, 0.1]], [0.01, -0.02], "relu")],
    "float32": [(np.array([[0.1, -0.3], [0.7, 0.2], [-0.9, 0.4]], dtype=np.float32),
                 np.array([0.05, -0.1, 0.2], dtype=np.float32), "relu"),
                (np.array([[0.3, -0.2, 0.1], [-0.6, 0.4, 1.5], [1, 1, 1]], dtype=np.float32),
                 np.array([0.01, -0.02, -0.5], dtype=np.float32), "relu")],
}

CASES_3D = {
    "plain-3d": [([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], "relu"), ([[1, 1, 1]], [-1], "relu")],
    "degenerate-3d": [([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, 0, 0], "relu"),
                      ([[1, -1, 0, 1, 0], [0, 0, 1, -1, 1], [1, -1, 0, 0, 0]], [-1, 0, 0], "relu")],
    "leaky-step-3d": [([[1, -1, 0], [0, 1, -1], [1, 1, 1], [0, 0, 0]], [0, 1, -1, 2], "leaky_relu:1/4"),
                      ([[1, 1, 0, 1], [0, -1, 1, 0]], [-1, 0], "step"),
                      ([[1, -1], [1, 1]], [0, -1], "relu")],
    "fractions-3d": [([[F(1, 2), F(1, 3), 0], [0, F(-2, 5), F(1, 7)], [F(3, 4), 0, F(-1, 2)]],
                      [F(1, 10), 0, F(-1, 3)], "relu"),
                     ([[1, F(-1, 2), F(1, 3)], [F(2, 3), 1, -1], [0, 1, 1]], [0, F(1, 9), F(-1, 4)], "relu")],
}


def _random_net(seed: int, d: int, widths: list[int], lo: int = -2, hi: int = 2) -> list:
    rng = np.random.default_rng(seed)
    dims = [d] + widths
    return [(rng.integers(lo, hi + 1, size=(dims[i + 1], dims[i])).tolist(),
             rng.integers(lo, hi + 1, size=dims[i + 1]).tolist(), "relu") for i in range(len(widths))]


def _first_rank(layers, d: int) -> int:
    """The rank, exactly, of the first kinked layer's pre-activation as a map of x."""
    spec = exact_spec(layers)
    forms = unit_forms(spec, [0] * 10_000, d)
    n0 = next(len(W) for W, _, kind, _ in spec if kind != "identity")
    return _rank([list(f[0]) for f in forms[:n0]])


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    r = 0
    for c in range(len(rows[0]) if rows else 0):
        piv = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c] / rows[r][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        r += 1
    return r


CASES = ({k: (2, v) for k, v in CASES_2D.items()} | {k: (3, v) for k, v in CASES_3D.items()}
         | {f"random-2d-{s}": (2, _random_net(s, 2, [4, 3, 3])) for s in range(4)}
         | {f"random-3d-{s}": (3, _random_net(s, 3, [4, 3])) for s in range(2)})
for _name, (_d, _layers) in CASES.items():
    assert _first_rank(_layers, _d) == _d, _name


def _domains(d: int):
    """(name, what hyperarr takes, the oracle's open constraints)."""
    lo, hi = [-1] * d, [2] * d
    G = [[1] * d] + [[-1 if i == j else 0 for i in range(d)] for j in range(d)] + [[1, -2] + [0] * (d - 2)]
    h = [F(5, 2)] + [1] * d + [F(3, 2)]
    return [("none", None, []),
            ("box", (lo, hi), box_forms(lo, hi)),
            ("polytope", Polytope(G, h), polytope_forms(G, h))]


def _patterns(R) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in p) for p in R.patterns.tolist()}


def _nearest_float(v):
    """The float nearest to an exact number, ±inf past the float range."""
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def _check_witnesses(layers, d, R, forms):
    """Each exact witness reproduces its pattern in the oracle's forward pass, strictly inside
    the domain, with a kinked pre-activation 0 only where it is 0 on the whole region."""
    spec = exact_spec(layers)
    assert len(R.exact_points) == len(R)
    for k, (p, x) in enumerate(zip(R.patterns.tolist(), R.exact_points)):
        assert all(isinstance(v, (int, Fraction)) for v in x)
        _, bits, pre = forward(spec, x)
        assert bits == p, (k, x)
        if any(v == 0 for v in pre):
            fu = unit_forms(spec, p, d)
            assert all(identically_zero(fu[u]) for u, v in enumerate(pre) if v == 0), (k, x)
        assert all(sum((ai * xi for ai, xi in zip(a, x)), F(0)) + c > 0
                   for a, c in forms), (k, x)
        if R.points_inside[k]:
            xf = [Fraction(v) for v in R.points[k].tolist()]
            _, bits_f, pre_f = forward(spec, xf)
            assert bits_f == p
            assert all(sum((ai * xi for ai, xi in zip(a, xf)), F(0)) + c > 0 for a, c in forms)
        else:  # the float nearest to the exact witness (±inf beyond the float range)
            near = [_nearest_float(v) for v in x]
            assert np.allclose(R.points[k], near)



@pytest.fixture(autouse=True, scope="module")
def _warm_engine():
    """Load the engine's compiled kernels once in this process, so that each forked test
    does not load them again."""
    for d, layers in (CASES["plain"], CASES["leaky-step-3d"]):
        net = Network(layers)
        for _, domain, _ in _domains(d):
            net.regions(domain)
            net.n_regions(domain)
        net.pattern(np.zeros((2, d)))
        net.affine_map(np.zeros(net.n_units, dtype=int), exact=True)


# ---------------------------------------------------------------- 1, 2: the oracle, exactly


@pytest.mark.parametrize("dom", [0, 1, 2], ids=["none", "box", "polytope"])
@pytest.mark.parametrize("name", list(CASES))
@_forked
def test_regions_equal_the_oracle(name, dom):
    d, layers = CASES[name]
    _, domain, forms = _domains(d)[dom]
    want = oracle_regions(layers, d, forms)
    R = Network(layers).regions(domain)
    got = _patterns(R)
    assert got == set(want), (sorted(set(want) - got), sorted(got - set(want)))
    assert len(R) == len(got)  # no pattern twice
    assert R.patterns.dtype == np.int8 and R.patterns.shape[1] == Network(layers).n_units
    _check_witnesses(layers, d, R, forms)


def test_the_oracle_is_not_trivial():
    """The oracle itself: the docstring example's seven regions, the box's three, and a
    unit identically zero on a region adds no region."""
    L = CASES_2D["plain"]
    assert sorted(oracle_regions(L, 2)) == [(0, 0, 0), (0, 1, 0), (0, 1, 1), (1, 0, 0), (1, 0, 1),
                                            (1, 1, 0), (1, 1, 1)]
    assert set(oracle_regions(L, 2, box_forms([0, 0], [2, 2]))) == {(1, 1, 0), (1, 1, 1)}
    Z = [([[1, 0], [1, 0]], [0, 0], "relu"), ([[1, -1]], [0], "relu")]
    assert set(oracle_regions(Z, 2)) == {(0, 0, 0), (1, 1, 0)}


@pytest.mark.parametrize("name", ["identically-zero", "duplicate-units", "zero-row"])
@_forked
def test_identically_zero_unit_is_inactive_and_does_not_split(name):
    d, layers = CASES[name]
    R = Network(layers).regions()
    spec = exact_spec(layers)
    n_zero = 0
    for p in R.patterns.tolist():
        forms = unit_forms(spec, p, d)
        for u, f in enumerate(forms):
            if identically_zero(f):
                n_zero += 1
                assert p[u] == 0
    assert n_zero > 0


# ---------------------------------------------------------------- 3: dense sampling


@pytest.mark.parametrize("name", list(CASES))
@_forked
def test_dense_sampling_finds_no_unlisted_pattern(name):
    d, layers = CASES[name]
    net = Network(layers)
    lo, hi = -1.0, 2.0
    listed = _patterns(net.regions((lo, hi)))
    n = 61 if d == 2 else 13
    g = np.linspace(lo, hi, n)
    X = np.stack(np.meshgrid(*[g] * d), axis=-1).reshape(-1, d)
    X = np.vstack([X, np.random.default_rng(0).uniform(lo, hi, size=(3_000, d))])
    P = net.pattern(X)
    # a sampled point outside every listed region must lie exactly on a kink (a boundary)
    spec = exact_spec(layers)
    unlisted = [i for i, p in enumerate(P.tolist()) if tuple(p) not in listed]
    for i in unlisted:
        _, bits, pre = forward(spec, X[i].tolist())
        assert bits == P[i].tolist()
        assert any(v == 0 for v in pre), (P[i].tolist(), X[i].tolist())
    assert len(unlisted) < 0.01 * len(X)


@_forked
def test_pattern_is_exact_on_nasty_floats():
    """net.pattern (float filter + fallback) equals a Fraction forward pass, on inputs and
    weights where float64 rounding flips signs."""
    W0 = [[1.0, 1e-300], [1e300, -1e300], [0.1, 0.2], [5e-324, 1.0]]
    b0 = [-1.0, 0.0, -0.30000000000000004, 0.0]
    W1 = [[1.0, -1.0, 1e-16, 1.0], [1e-300, 1e-300, -1e-300, 0.0]]
    b1 = [0.0, 0.0]
    layers = [(W0, b0, "relu"), (W1, b1, "relu")]
    net = Network(layers)
    X = np.array([[1.0, 0.0], [1.0, 1e-300], [1.0, -1e-300], [0.1, 0.1], [1.0, 1.0], [0.0, 0.0],
                  [1e-300, 1e-300], [-1e-300, 2.0], [1e10, -1e10], [1.0, 5e-324], [0.5, 0.1]])
    spec = exact_spec(layers)
    want = [forward(spec, x)[1] for x in X.tolist()]
    assert net.pattern(X).tolist() == want
    assert net.pattern([[F(1), F(1, 10**400)]]).tolist() == [forward(spec, [F(1), F(1, 10**400)])[1]]


# ---------------------------------------------------------------- 4: one layer, step first layer


def _one_layer_weights(kind: str):
    rng = np.random.default_rng(7)
    W = rng.integers(-3, 4, size=(6, 2))
    W[W.sum(axis=1) == 0] += 1  # no zero row
    W[W.sum(axis=1) == 0] += 1
    W = [r if any(r) else [1, 1] for r in W.tolist()]
    W[3] = list(W[1])  # a duplicate unit
    b = rng.integers(-2, 3, size=6).tolist()
    b[4] = 0
    if kind == "float":
        return [[v / 8 + 0.1 for v in r] for r in W], [v / 4 + 0.3 for v in b]
    if kind == "fraction":
        return [[F(v, 3) for v in r] for r in W], [F(v, 7) for v in b]
    return W, b


@pytest.mark.parametrize("dom", [0, 1, 2], ids=["none", "box", "polytope"])
@pytest.mark.parametrize("kind", ["int", "float", "fraction"])
@_forked
def test_one_layer_is_the_arrangement(kind, dom):
    W, b = _one_layer_weights(kind)
    _, domain, _ = _domains(2)[dom]
    R = Network([(W, b, "relu")]).regions(domain)
    A = Arrangement.from_linear(W, b).regions(domain=domain)
    assert _patterns(R) == {tuple(int(v) for v in s) for s in (A.signs > 0).astype(int).tolist()}
    assert len(R) == len(A)


@pytest.mark.parametrize("dom", [0, 1, 2], ids=["none", "box", "polytope"])
@_forked
def test_step_first_layer_has_the_first_layers_regions(dom):
    W0 = [[1, 0], [0, 1], [1, 1], [1, -1], [2, 1]]
    b0 = [0, 0, -1, 0, 1]
    layers = [(W0, b0, "step"),
              ([[1, -1, 1, 0, 1], [1, 1, -1, 1, 0], [0, 1, 1, -1, -1]], [-1, 0, 1], "relu"),
              ([[1, -1, 1], [-1, 1, 1]], [0, -1], "leaky_relu:1/10")]
    _, domain, _ = _domains(2)[dom]
    R = Network(layers).regions(domain)
    A = Arrangement.from_linear(W0, b0).regions(domain=domain)
    first = {tuple(p[:5]) for p in R.patterns.tolist()}
    assert first == {tuple(int(v) for v in s) for s in (A.signs > 0).astype(int).tolist()}
    assert len(R) == len(A)  # the later layers split nothing: they label unions
    assert R.patterns[:, 5:].any()  # and they do label (the test is not vacuous)


# ---------------------------------------------------------------- 5: regioncam


@pytest.mark.parametrize("widths,seed", [([2, 8, 8], 0), ([2, 8, 8], 1), ([2, 8, 8], 2),
                                         ([2, 16, 16, 16], 0), ([2, 16, 16, 16], 3)])
@_forked
def test_counts_equal_regioncams(widths, seed):
    regioncam = pytest.importorskip("regioncam")
    rng = np.random.default_rng(seed)
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        layers.append((rng.normal(size=(b, a)).astype(np.float32) / np.float32(np.sqrt(a)),
                       rng.normal(size=b).astype(np.float32) * np.float32(0.1), "relu"))
    rc = regioncam.Regioncam(size=1.0)
    V = np.asarray(rc.vertex_inputs)
    assert V.min(axis=0).tolist() == [-1.0, -1.0] and V.max(axis=0).tolist() == [1.0, 1.0]
    for W, b, _ in layers:
        rc.linear(W.T, b)
        rc.relu()
    net = Network(layers)
    R = net.regions((-1, 1))
    assert len(R) == rc.num_faces
    assert net.n_regions((-1, 1)) == rc.num_faces
    assert len(R) > 3 * widths[1]  # the deeper layers did cut


# ---------------------------------------------------------------- 7: on_plane


@pytest.mark.parametrize("exact_pts", [False, True])
@_forked
def test_on_plane_patterns_are_the_originals_on_the_plane(exact_pts):
    d, layers = CASES["degenerate-3d"]
    net = Network(layers)
    if exact_pts:
        p0, p1, p2 = [F(1, 3), F(-1, 2), F(1, 7)], [F(2), F(1, 5), F(-1, 3)], [F(-1, 9), F(1), F(1, 2)]
    else:
        p0, p1, p2 = [0.1, -0.2, 0.3], [1.5, 0.25, -0.7], [-0.3, 1.1, 0.9]
    plane = net.on_plane(p0, p1, p2)
    assert isinstance(plane, Network) and plane.input_dim == 2 and plane.n_units == net.n_units
    rng = np.random.default_rng(1)
    st_pts = [(F(int(a), 16), F(int(b), 16)) for a, b in rng.integers(-40, 40, size=(300, 2))]
    st_pts += [(F(0), F(0)), (F(1), F(0)), (F(0), F(1))]
    P0, P1, P2 = ([frac(v) for v in p] for p in (p0, p1, p2))
    X = [[a + s * (b - a) + t * (c - a) for a, b, c in zip(P0, P1, P2)] for s, t in st_pts]
    spec = exact_spec(layers)
    want = [forward(spec, x)[1] for x in X]
    assert plane.pattern(np.array(st_pts, dtype=object)).tolist() == want
    assert net.pattern(np.array(X, dtype=object)).tolist() == want
    # and the plane's regions are those of the oracle on the plane network
    R = Network(plane.layers).regions((-2, 2))
    assert _patterns(R) == set(oracle_regions([(W.tolist(), b.tolist(), a) for W, b, a in plane.layers],
                                              2, box_forms([-2, -2], [2, 2])))


@_forked
def test_on_plane_refuses_collinear_points():
    net = Network(CASES["plain-3d"][1])
    with pytest.raises(ArrangementError, match="one line"):
        net.on_plane([0, 0, 0], [1, 1, 1], [2, 2, 2])
    with pytest.raises(ArrangementError, match="p1 must have shape"):
        net.on_plane([0, 0, 0], [1, 1], [2, 2, 2])


# ---------------------------------------------------------------- 8: affine maps


@pytest.mark.parametrize("name", ["leaky", "step-middle", "identity-between", "fractions", "floats",
                                  "leaky-step-3d"])
@_forked
def test_affine_map_is_the_output_at_each_witness(name):
    d, layers = CASES[name]
    spec = exact_spec(layers)
    net = Network(layers)
    R = net.regions()
    for k in range(len(R)):
        x = R.exact_points[k]
        out, _, _ = forward(spec, x)
        M, c = R.affine_map(k, exact=True)
        assert M.shape == (len(out), d) and c.shape == (len(out),)
        assert [sum((frac(m) * xi for m, xi in zip(row, x)), F(0)) + frac(ci)
                for row, ci in zip(M.tolist(), c.tolist())] == out
        Mf, cf = R.affine_map(k)
        assert Mf.dtype == np.float64
        xf = np.array([float(v) for v in x])
        np.testing.assert_allclose(Mf @ xf + cf, [float(v) for v in out], rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(net.forward(xf[None])[0], Mf @ xf + cf, rtol=1e-9, atol=1e-9)
        # affine on the whole region: also at the midpoint with another point of the region
        y = [F(v) for v in R.points[k].tolist()] if R.points_inside[k] else None
        if y is not None:
            z = [(a + b) / 2 for a, b in zip(x, y)]
            assert forward(spec, z)[1] == R.patterns[k].tolist()
            assert [sum((frac(m) * zi for m, zi in zip(row, z)), F(0)) + frac(ci)
                    for row, ci in zip(M.tolist(), c.tolist())] == forward(spec, z)[0]


@_forked
def test_affine_map_refuses_a_bad_pattern():
    net = Network(CASES_2D["plain"])
    with pytest.raises(ArrangementError, match="pattern must be a 0/1 vector of length 3"):
        net.affine_map([1, 0])
    with pytest.raises(ArrangementError, match="pattern must be a 0/1 vector"):
        net.affine_map([1, 2, 0])


# ---------------------------------------------------------------- 9: streaming and counting


@pytest.mark.parametrize("name,dom", [
    ("common-point", 0), ("common-point", 1), ("leaky", 0), ("leaky", 1),
    ("random-2d-0", 0), ("random-2d-0", 1),
    ("degenerate-3d", 0), ("degenerate-3d", 1)])
@_forked
def test_iter_regions_chunks_are_the_regions(name, dom):
    d, layers = CASES[name]
    _, domain, _ = _domains(d)[dom]
    net = Network(layers)
    R = net.regions(domain)
    chunks = list(net.iter_regions(domain, chunk_size=3))
    assert all(1 <= len(c) <= 3 for c in chunks)
    got = [tuple(p) for c in chunks for p in c.patterns.tolist()]
    assert len(got) == len(set(got)) == len(R)
    assert set(got) == _patterns(R)
    assert net.n_regions(domain) == len(R)


@_forked
def test_slicing_and_indexing():
    net = Network(CASES_2D["leaky"])
    R = net.regions()
    S = R[1:4]
    assert len(S) == 3 and np.array_equal(S.patterns, R.patterns[1:4])
    r = R[-1]
    assert r.pattern == tuple(R.patterns[-1].tolist()) and r.exact_point == R.exact_points[-1]
    assert R.index_of(R.patterns[2]) == 2
    with pytest.raises(IndexError, match="out of range"):
        R[len(R)]
    with pytest.raises(ValueError):
        R.patterns[0, 0] = 1  # read-only


# ---------------------------------------------------------------- 10: errors


@pytest.mark.parametrize("layers,match", [
    ([([[1, 0]], [0], "tanh")], r"layers\[0\] activation must be one of"),
    ([([[1, 0]], [0], "leaky_relu:abc")], r"layers\[0\] activation 'leaky_relu:abc'"),
    ([([[1, 0]], [0], 3)], r"layers\[0\] activation must be a string"),
    ([([[1, 0]], [0, 1], "relu")], r"layers\[0\] bias must have shape \(1,\)"),
    ([([[1, 0]], [0], "relu"), ([[1, 1]], [0], "relu")], r"layers\[1\] weight must have 1 columns"),
    ([([[1.0, float("nan")]], [0], "relu")], r"layers\[0\] weight"),
    ([([[1.0, 0.0]], [float("inf")], "relu")], r"layers\[0\] bias"),
    ([([[1, 0]], [0])], r"layers\[0\] must be a \(weight, bias, activation\) triple"),
    ([], r"layers must hold at least one"),
    ("relu", r"layers must be a list"),
])
def test_bad_networks_are_refused_by_name(layers, match):
    with pytest.raises(ArrangementError, match=match):
        Network(layers)


@_forked
def test_bad_inputs_are_refused_by_name():
    net = Network(CASES_2D["plain"])
    with pytest.raises(ArrangementError, match=r"X must have shape \(m, 2\).*\(3, 3\)"):
        net.pattern(np.zeros((3, 3)))
    with pytest.raises(ArrangementError, match="X must be finite"):
        net.pattern([[0.0, float("nan")]])
    with pytest.raises(ArrangementError, match="domain must be in R\\^2"):
        net.regions(Box([0, 0, 0], [1, 1, 1]))
    with pytest.raises(ArrangementError, match="domain must be a Polytope"):
        net.regions("everything")
    with pytest.raises(ArrangementError, match="chunk_size must be a positive integer"):
        list(net.iter_regions(None, chunk_size=0))


@_forked
def test_over_budget_is_refused_quickly():
    rng = np.random.default_rng(0)
    layers = [(rng.normal(size=(32, 2)), rng.normal(size=32), "relu"),
              (rng.normal(size=(32, 32)), rng.normal(size=32), "relu"),
              (rng.normal(size=(32, 32)), rng.normal(size=32), "relu")]
    net = Network(layers)
    t = time.perf_counter()
    with pytest.raises(OutputTooLargeError, match="max_regions=5.*iter_regions"):
        net.regions((-1, 1), max_regions=5)
    assert time.perf_counter() - t < 2.0
    est = net.estimate_regions((-1, 1))
    assert est["sampled"] <= est["upper_bound"]


# ---------------------------------------------------------------- 11: hypothesis

small = st.integers(-2, 2)
nasty = st.sampled_from([0.0, 1.0, -1.0, 0.1, -0.3, 1e-8, 1e8, 1 / 3, 0.5, 2.0**52 + 1,
                         1e-300, 5e-324, -1e300, 1e300])


@st.composite
def small_networks(draw, d: int, entries=small, acts=("relu", "relu", "relu", "leaky_relu:1/10", "step")):
    n_layers = draw(st.integers(2, 3))
    dims = [d] + [draw(st.integers(1, 4 if d == 2 else 3)) for _ in range(n_layers)]
    layers = []
    for i in range(n_layers):
        W = [[draw(entries) for _ in range(dims[i])] for _ in range(dims[i + 1])]
        b = [draw(entries) for _ in range(dims[i + 1])]
        layers.append((W, b, draw(st.sampled_from(acts))))
    return layers


HYP = settings(max_examples=12, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@HYP
@given(small_networks(2))
@_forked
def test_hypothesis_regions_equal_the_oracle_2d(layers):
    R = Network(layers).regions()
    want = oracle_regions(layers, 2)
    assert _patterns(R) == set(want)
    assert len(R) == len(want) >= 1
    _check_witnesses(layers, 2, R, [])


@HYP
@given(small_networks(3))
@_forked
def test_hypothesis_regions_equal_the_oracle_3d(layers):
    R = Network(layers).regions()
    want = oracle_regions(layers, 3)
    assert _patterns(R) == set(want)
    assert len(R) == len(want) >= 1
    _check_witnesses(layers, 3, R, [])


@HYP
@given(small_networks(2), st.integers(-2, 0), st.integers(1, 3))
@_forked
def test_hypothesis_box_regions_equal_the_oracle(layers, lo, hi):
    from hypothesis import assume

    assume(any(kind != "identity" for *_, kind in exact_spec(layers)))
    forms = box_forms([lo, lo], [hi, hi])
    R = Network(layers).regions(([lo, lo], [hi, hi]))
    want = oracle_regions(layers, 2, forms)
    assert _patterns(R) == set(want)
    _check_witnesses(layers, 2, R, forms)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(small_networks(2, entries=nasty, acts=("relu", "leaky_relu:1/10")))
@_forked
def test_hypothesis_nasty_floats(layers):
    net = Network(layers)
    R = net.regions()
    assert len(R) >= 1 and len(_patterns(R)) == len(R)
    _check_witnesses(layers, 2, R, [])
    X = np.random.default_rng(0).normal(size=(200, 2)) * np.array([1.0, 1e-3])
    spec = exact_spec(layers)
    assert net.pattern(X).tolist() == [forward(spec, x)[1] for x in X.tolist()]


# ---------------------------------------------------------------- cases that once failed


@pytest.mark.parametrize("domain", [([-2, -2], [2, 2]), Polytope([[1, 1], [-1, 0], [0, -1]], [2, 1, 1])],
                         ids=["box", "polytope"])
@_forked
def test_rank_deficient_first_layer_in_a_domain(domain):
    layers = [([[1, 0]], [0], "relu"), ([[1]], [-1], "relu")]
    forms = box_forms(*domain) if isinstance(domain, tuple) else polytope_forms([[1, 1], [-1, 0], [0, -1]], [2, 1, 1])
    R = Network(layers).regions(domain)
    assert _patterns(R) == set(oracle_regions(layers, 2, forms)) == {(0, 0), (1, 0), (1, 1)}


@pytest.mark.parametrize("domain", [None, ([-1, -1], [1, 1])], ids=["none", "box"])
@_forked
def test_network_without_kinks_has_one_region(domain):
    net = Network([([[1, 0], [0, 1]], [0, 0], "identity"), ([[1, 1]], [-1], "identity")])
    assert net.n_units == 0
    R = net.regions(domain)
    assert len(R) == 1 and R.patterns.shape == (1, 0)


_CORRUPTION_2 = textwrap.dedent("""
    from hyperarr.deep import Network
    net = Network([([[2, 1], [0, -1], [-1, -2], [-2, -2]], [-2, 2, 1, 2], 'relu'),
                   ([[0, 1, 2, 1], [1, 0, 0, 2], [-1, 2, 1, -2]], [-1, 2, 0], 'relu'),
                   ([[-2, 1, 1], [2, -2, -2], [2, -2, 0]], [-2, -1, 0], 'relu')])
    net.regions()
    list(net.iter_regions(None, chunk_size=3))
    print(net.n_regions(None), "survived")
""")

_CORRUPTION = textwrap.dedent("""
    from fractions import Fraction
    from hyperarr.deep import Network
    from hyperarr.domain import Polytope
    a = [([[-2, -1], [0, 0], [1, 0]], [1, 2, -2], 'leaky_relu:1/10'),
         ([[0, 2, -1], [-1, -2, 2], [-2, -1, 0], [-1, 2, -2], [-2, 2, -2]], [2, -1, 1, 0, -1], 'relu')]
    b = [([[1, 1, -2], [2, -2, -1], [0, 1, -2]], [0, 2, -2], 'identity'),
         ([[2, -2, 2], [2, -2, 0], [-2, 2, 2], [-2, 0, -1]], [-2, 0, -2, 1], 'leaky_relu:-2'),
         ([[-2, -1, -1, -2], [1, 1, 2, 1], [-1, 1, 2, 2], [2, -2, -2, 2]], [-2, 1, 2, -1], 'leaky_relu:-2')]
    for net, dom in [(a, ([-1, -1], [2, 2])),
                     (a, Polytope([[1, 1], [-1, 0], [0, -1]], [3, 1, Fraction(1, 2)])),
                     (b, None)]:
        try:
            Network(net).regions(dom)
        except Exception:
            pass
    print("survived")
""")


@pytest.mark.parametrize("script", ["three-networks", "three-calls"])
def test_calls_in_a_row_do_not_crash_the_interpreter(script):
    code = _CORRUPTION if script == "three-networks" else _CORRUPTION_2
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "survived" in proc.stdout, (proc.returncode, proc.stderr[-500:])


@pytest.mark.parametrize("tiny", [1e-300, 5e-324])
@_forked
def test_tiny_bias_does_not_overflow(tiny):
    layers = [([[1.0, 0.0], [0.0, 1.0]], [tiny, 0.0], "relu"), ([[1.0, 1.0]], [-1.0], "relu")]
    R = Network(layers).regions()
    assert _patterns(R) == set(oracle_regions(layers, 2))


# ---------------------------------------------------------------- 12: adjacency


@_forked
def test_one_layer_adjacency_is_the_arrangements():
    W = [[1, 0], [0, 1], [1, 1], [1, -2], [2, 1]]
    b = [0, 1, -1, 2, -3]
    net = Network([(W, b, "relu")])
    A = Arrangement.from_linear(W, b)
    for domain in (None, (-2, 2)):
        M = net.adjacency_matrix(domain)
        R = net.regions(domain)
        # the arrangement's matrix, rows in the order of the same regions
        full = A.regions()
        idx = full.locate(np.where(R.patterns == 1, 1, -1).astype(np.int8))
        want = A.adjacency_matrix()[idx][:, idx]
        assert (M != want).nnz == 0 and M.nnz > 0


@pytest.mark.parametrize("seed", [0, 1])
@_forked
def test_adjacency_against_a_grid(seed):
    rng = np.random.default_rng(seed)
    layers = []
    for a, b in [(2, 6), (6, 6), (6, 5)]:
        k = 1 / np.sqrt(a)
        layers.append((rng.uniform(-k, k, (b, a)).astype(np.float32),
                       rng.uniform(-k, k, b).astype(np.float32), "relu"))
    net = Network(layers)
    R = net.regions((-1, 1))
    M = net.adjacency_matrix((-1, 1))
    G = net.adjacency_graph((-1, 1))
    assert G.number_of_nodes() == len(R) and 2 * G.number_of_edges() == M.nnz
    edges = {(int(i), int(j)) for i, j in zip(*M.nonzero()) if i < j}
    # random weights: a shared facet flips exactly the unit it lies on
    for i, j in edges:
        diff = np.flatnonzero(R.patterns[i] != R.patterns[j])
        assert diff.tolist() == [M[i, j] - 1] and G.edges[i, j]["units"] == (M[i, j] - 1,)
    # neighbouring grid points in two regions one unit apart: those regions share a facet
    g = np.linspace(-0.999, 0.999, 301)
    X = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    key = {bytes(np.packbits(p.astype(np.uint8))): k for k, p in enumerate(R.patterns)}
    lab = np.array([key[bytes(np.packbits(p.astype(np.uint8)))] for p in net.pattern(X)]).reshape(301, 301)
    seen = set()
    for a, b in ((lab[:, :-1], lab[:, 1:]), (lab[:-1, :], lab[1:, :])):
        for i, j in zip(a[a != b].tolist(), b[a != b].tolist()):
            if int((R.patterns[i] != R.patterns[j]).sum()) == 1:
                seen.add((min(i, j), max(i, j)))
    assert seen <= edges and len(seen) > 0


@_forked
def test_adjacency_across_a_facet_where_a_later_unit_is_identically_zero():
    # v = relu(relu(x)): on x < 0 its pre-activation is identically 0; crossing x = 0
    # flips both units, so the neighbour is not the one-bit flip
    net = Network([([[1, 0]], [0], "relu"), ([[1]], [0], "relu")])
    R = net.regions((-1, 1))
    assert sorted(map(tuple, R.patterns.tolist())) == [(0, 0), (1, 1)]
    M = net.adjacency_matrix((-1, 1))
    assert M.nnz == 2 and set((M.data - 1).tolist()) == {0}


# --- each activation region as a polyhedron --------------------------------------


@_forked
def test_polyhedron_of_one_layer_is_the_arrangements():
    W, b = _one_layer_weights("int")
    R = Network([(W, b, "relu")]).regions()
    A = Arrangement.from_linear(W, b)
    for k in range(len(R)):
        P = R.polyhedron(k)
        Q = A.region_polyhedron(np.where(R.patterns[k] > 0, 1, -1))
        assert (P.facets, P.copies) == (Q.facets, Q.copies)
        assert np.array_equal(P.vertices, Q.vertices) and np.array_equal(P.rays, Q.rays)
        G, h = P.inequalities
        G2, h2 = Q.inequalities
        assert [tuple(g) + (c,) for g, c in zip(G.tolist(), h.tolist())] == \
            [tuple(g) + (c,) for g, c in zip(G2.tolist(), h2.tolist())]


@pytest.mark.parametrize("seed", [3, 11])
@_forked
def test_polyhedra_of_a_deep_network_tile_a_box(seed):
    layers = _random_net(seed, 2, [4, 3])
    net = Network(layers)
    R = net.regions()
    box = Box([-3, -3], [F(5, 2), 3])
    total = F(0)
    for k in range(len(R)):
        P = R.polyhedron(k)
        assert P.contains(np.array([R.exact_points[k]], dtype=object), strict=True).tolist() == [True]
        assert P.bounded == bool(R.bounded[k])
        G, h = P.inequalities
        for v in P.vertices.tolist():  # every vertex satisfies the facets exactly
            assert all(sum((F(a) * x for a, x in zip(g, v)), F(0)) <= c for g, c in zip(G.tolist(), h.tolist()))
        total += P.volume(domain=box)
    assert total == F(11, 2) * 6  # the regions tile the box, exactly
    with pytest.raises(ArrangementError, match="k must be a region index"):
        R.polyhedron(len(R))
