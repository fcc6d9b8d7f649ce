"""Tests for hyperarr.rnn.regime: vanishing or exploding, measured (Exercise 2b)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import expit

from hyperarr.rnn import gradient_regime, rnn_gradient_closed_form

SETTINGS = settings(max_examples=40, deadline=None)
T_ALL = np.arange(2, 61)


@pytest.mark.parametrize(
    ("w_rec", "b_h"), [(0.5, 0.0), (-3.0, 1.0), (2.0, -1.0), (3.9, -1.95), (6.0, 0.0), (8.0, -1.0)]
)
def test_regime_vanishes_when_the_factor_is_below_one(w_rec, b_h):
    r = gradient_regime(w_rec, b_h=b_h, T=100)
    n = 50
    factors = r.factors
    assert r.factors.shape == (100,) and r.jacobian_norms.shape == (101,)
    assert np.all(factors[-n:] < 1)
    assert r.rate == pytest.approx(np.exp(np.mean(np.log(factors[-n:]))), rel=1e-12)
    assert r.verdict == "vanishing"
    # the scalar Jacobian norms are the running products of the factors, latest first
    np.testing.assert_allclose(r.jacobian_norms[1:], np.cumprod(factors[::-1]), rtol=1e-10)
    # the factors are |σ'(a_t) w_rec| of the forward pass
    a = w_rec * np.concatenate(([0.0], r.states[:-1, 0])) + b_h + np.r_[1.0, 1.0, np.zeros(98)]
    np.testing.assert_allclose(factors, np.abs(w_rec * expit(a) * expit(-a)), rtol=1e-12)


def test_w_rec_between_1_and_4_vanishes_although_the_sheet_says_it_diverges():
    # |w_rec| = 2 > 1, but σ' <= 1/4: the fixed point h* = 1/2 (a* = 0) has factor 2/4.
    w_rec, b_h = 2.0, -1.0
    r = gradient_regime(w_rec, b_h=b_h)
    assert r.verdict == "vanishing"
    assert r.rate == pytest.approx(w_rec / 4, rel=1e-6)
    assert r.gamma_sigma_max == pytest.approx(0.5)
    g = np.abs(rnn_gradient_closed_form(1.0, w_rec, 1.0, b_h, 0.0, T_ALL))
    assert g[-1] < 1e-12 * g[0]
    assert g[-1] / g[-2] == pytest.approx(w_rec / 4, rel=1e-6)


def _w_in_on_unstable_fixed_point(w_rec):
    # b_h = -w_rec/2 makes h* = 1/2 a fixed point; choose w_in so that a_2 = 0.
    b_h = -w_rec / 2
    return (
        brentq(lambda w: w + w_rec * expit(w + b_h) + b_h, -10, 10, xtol=1e-300, rtol=8.9e-16),
        b_h,
    )


def test_regime_explodes_on_the_unstable_fixed_point():
    w_rec = 6.0
    w_in, b_h = _w_in_on_unstable_fixed_point(w_rec)
    r = gradient_regime(w_rec, b_h=b_h, w_in=w_in, T=60)
    assert r.verdict == "exploding"
    assert r.rate == pytest.approx(w_rec / 4, rel=1e-6)
    g = np.abs(rnn_gradient_closed_form(w_in, w_rec, 1.0, b_h, 0.0, T_ALL))
    assert g[-1] / g[-31] == pytest.approx((w_rec / 4) ** 30, rel=1e-4)


@pytest.mark.parametrize("eps", [1e-9, -1e-9])
def test_exploding_is_transient_off_the_unstable_fixed_point(eps):
    w_rec = 6.0
    w_in, b_h = _w_in_on_unstable_fixed_point(w_rec)
    T = np.arange(2, 301)
    g = np.abs(rnn_gradient_closed_form(w_in + eps, w_rec, 1.0, b_h, 0.0, T))
    peak = int(np.argmax(g))
    assert 10 < peak < len(T) - 10  # grows first, then decays
    assert g[peak] > 1e6 * g[0] and g[-1] < 1e-50
    r = gradient_regime(w_rec, b_h=b_h, w_in=w_in + eps, T=300)
    assert r.verdict == "vanishing"
    # the state ends at a stable fixed point of h -> σ(w_rec h + b_h); its slope is the rate
    start = 0.99 if eps > 0 else 0.01
    h_star = brentq(lambda h: expit(w_rec * h + b_h) - h, start, 0.5 + (start - 0.5) * 0.5)
    a_star = w_rec * h_star + b_h
    assert r.states[-1, 0] == pytest.approx(h_star, abs=1e-12)
    assert r.rate == pytest.approx(w_rec * expit(a_star) * expit(-a_star), rel=1e-6)


def test_borderline_rate_tends_to_one():
    rates = [gradient_regime(4.0, b_h=-2.0, T=T).rate for T in (100, 1000, 5000)]
    assert rates[0] < rates[1] < rates[2] < 1
    assert 1 - rates[2] < 1e-3


def test_regime_depends_on_the_activation():
    sig = gradient_regime(2.0, b_h=0.0, w_in=0.0, T=50)
    tanh = gradient_regime(2.0, b_h=0.0, w_in=0.0, T=50, activation="tanh")
    assert (sig.gamma_sigma_max, tanh.gamma_sigma_max) == (0.5, 2.0)
    # tanh: h = 0 stays a fixed point (w_in = 0) with factor w_rec = 2
    assert tanh.verdict == "exploding" and tanh.rate == pytest.approx(2.0)
    assert sig.verdict == "vanishing"


@SETTINGS
@given(
    st.integers(1, 6),
    st.floats(0.1, 3.0),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["sigmoid", "tanh"]),
)
def test_pascanu_bound_holds_for_matrices(n, gain, seed, activation):
    rng = np.random.default_rng(seed)
    W = gain * rng.standard_normal((n, n))
    r = gradient_regime(
        W, b_h=rng.standard_normal(n), w_in=rng.standard_normal((n, 2)), T=40, activation=activation
    )
    L = np.arange(41)
    assert np.all(r.jacobian_norms <= r.gamma_sigma_max**L * (1 + 1e-9) + 1e-300)
    if r.gamma_sigma_max < 0.99:
        assert r.verdict == "vanishing"
    assert r.rate == pytest.approx(r.jacobian_norms[20] ** (1 / 20), rel=1e-9, abs=1e-300)


def test_chaotic_tanh_network_explodes():
    rng = np.random.default_rng(0)
    n = 60
    W = 3.0 * rng.standard_normal((n, n)) / np.sqrt(n)
    r = gradient_regime(W, b_h=np.zeros(n), w_in=rng.standard_normal(n), T=200, activation="tanh")
    assert r.gamma_sigma_max > 1 and r.verdict == "exploding" and r.rate > 1.1
    small = gradient_regime(
        W / 6, b_h=np.zeros(n), w_in=rng.standard_normal(n), T=100, activation="tanh"
    )
    assert small.gamma_sigma_max < 1 and small.verdict == "vanishing"


def test_regime_rejects_bad_input():
    with pytest.raises(
        ValueError, match=r"w_rec must be a scalar or have shape \(n_h, n_h\); got \(2, 3\)"
    ):
        gradient_regime(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"b_h must have shape \(n_h,\) = \(2,\); got \(3,\)"):
        gradient_regime(np.eye(2), b_h=np.zeros(3))
    with pytest.raises(ValueError, match=r"w_in must have shape .* with n_h = 2; got \(3,\)"):
        gradient_regime(np.eye(2), w_in=np.ones(3))
    with pytest.raises(ValueError, match=r"T must be an integer with 2 <= T; got 1"):
        gradient_regime(2.0, T=1)
    with pytest.raises(
        ValueError, match=r"activation must be one of 'sigmoid', 'tanh'; got 'relu'"
    ):
        gradient_regime(2.0, activation="relu")
    with pytest.raises(ValueError, match=r"tol must be >= 0; got -1.0"):
        gradient_regime(2.0, tol=-1)
