"""Tests for hyperarr.rnn: the RNN, the LSTMs and the closed forms (21) and (24).

The regime, the curves and their plot and command line have their own test modules.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from hyperarr.rnn import (
    LSTM,
    RNN,
    Gates,
    ScheduledLSTM,
    lstm_gradient_closed_form,
    rnn_gradient_closed_form,
    sheet_gates,
    sheet_inputs,
)

SETTINGS = settings(max_examples=40, deadline=None)


def random_rnn(rng, n_in, n_h, n_out, activation="sigmoid", scale=1.0):
    return RNN(
        scale * rng.standard_normal((n_h, n_in)),
        scale * rng.standard_normal((n_h, n_h)),
        scale * rng.standard_normal((n_out, n_h)),
        rng.standard_normal(n_h),
        rng.standard_normal(n_out),
        activation=activation,
    )


def finite_difference(make, W_in, xs, t, eps=1e-6):
    """Central differences of y(t) with respect to every entry of W_in.

    ``make(W_in)`` builds the model; its ``run`` returns the outputs last.
    """
    W_in = np.array(W_in, dtype=float)
    n_out = make(W_in).run(xs)[-1].shape[1]
    grad = np.zeros((n_out, *W_in.shape))
    for idx in np.ndindex(*W_in.shape):
        plus, minus = W_in.copy(), W_in.copy()
        plus[idx] += eps
        minus[idx] -= eps
        diff = make(plus).run(xs)[-1][t - 1] - make(minus).run(xs)[-1][t - 1]
        grad[(slice(None), *idx)] = diff / (2 * eps)
    return grad


shapes = st.tuples(
    st.integers(1, 3),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(1, 7),
    st.integers(0, 2**32 - 1),
)


# ---------------------------------------------------------------------------
# Exercise 1: run, unroll, expand
# ---------------------------------------------------------------------------


@SETTINGS
@given(shapes, st.sampled_from(["sigmoid", "tanh"]))
def test_unroll_run_equals_run(shape, activation):
    n_in, n_h, n_out, T, seed = shape
    rng = np.random.default_rng(seed)
    net = random_rnn(rng, n_in, n_h, n_out, activation)
    xs = rng.standard_normal((T, n_in))
    hs, ys = net.run(xs)
    assert hs.shape == (T, n_h) and ys.shape == (T, n_out)
    ff = net.unroll(T)
    hs_ff, ys_ff = ff.run(xs)
    np.testing.assert_allclose(ys_ff, ys, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(hs_ff, hs, rtol=1e-12, atol=1e-15)
    assert len(ff.layers) == T
    for layer in ff.layers:
        assert layer.W_rec is net.W_rec
        assert layer.W_in is net.W_in
    assert ff.output.W_out is net.W_out


def test_run_matches_the_recurrence_written_out():
    # eq. (14)-(15) by hand for two steps
    W_in, W_rec, W_out = (
        np.array([[1.0, -2.0], [0.5, 0.0]]),
        np.array([[0.3, -1.0], [2.0, 0.1]]),
        np.array([[1.0, 1.0]]),
    )
    b_h, b_y = np.array([0.1, -0.2]), np.array([0.3])
    xs = np.array([[1.0, 2.0], [-1.0, 0.5]])
    h1 = expit(W_in @ xs[0] + b_h)
    h2 = expit(W_in @ xs[1] + W_rec @ h1 + b_h)
    hs, ys = RNN(W_in, W_rec, W_out, b_h, b_y).run(xs)
    np.testing.assert_allclose(hs, [h1, h2])
    np.testing.assert_allclose(ys[:, 0], expit(W_out @ np.array([h1, h2]).T + b_y)[0])


def test_scalars_are_promoted_and_weights_are_read_only():
    net = RNN(0.5, 0.8, 2.0)
    assert (net.n_in, net.n_h, net.n_out) == (1, 1, 1)
    assert net.W_rec.shape == (1, 1)
    with pytest.raises(ValueError, match="read-only"):
        net.W_rec[0, 0] = 3.0
    hs, ys = net.run([1.0, 0.0, 0.0])  # 1-D xs for one input unit
    assert hs.shape == (3, 1)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_expansion_at_t4_matches_run(activation):
    sympy = pytest.importorskip("sympy")
    rng = np.random.default_rng(4)
    net = random_rnn(rng, 2, 2, 2, activation)
    xs = rng.standard_normal((4, 2))
    expansion = net.expand_output(4)
    assert expansion.sympy.shape == (2, 1)
    assert expansion.inputs.shape == (4, 2)
    symbols = list(expansion.weights) + list(expansion.inputs)
    g = sympy.lambdify(symbols, expansion.sympy, "numpy", cse=True)

    def f(*x):
        return g(*expansion.weights.values(), *x)

    value = np.array(f(*xs.ravel()), dtype=float).ravel()
    np.testing.assert_allclose(value, net.run(xs)[1][3], rtol=1e-12)
    # the sympy expression really uses x(1): changing it changes ŷ(4) identically
    xs2 = xs.copy()
    xs2[0] += 1.0
    value2 = np.array(f(*xs2.ravel()), dtype=float).ravel()
    assert not np.allclose(value2, value)
    np.testing.assert_allclose(value2, net.run(xs2)[1][3], rtol=1e-12)


def test_expansion_text_and_latex_are_nested():
    net = RNN(0.5, 0.8, 2.0)
    text = net.expand_output(4).text
    assert text.startswith("ŷ(4) = σ[W_out·σ[W_in·x(4) + W_rec·σ[W_in·x(3)")
    assert [text.index(f"x({s})") for s in (4, 3, 2, 1)] == sorted(
        text.index(f"x({s})") for s in (4, 3, 2, 1)
    )
    assert text.count("W_rec") == 3 and text.count("[") == text.count("]") == 5
    assert "b_h" not in text  # zero biases are suppressed, as on the sheet
    latex = net.expand_output(4).latex
    assert latex.count(r"\left[") == latex.count(r"\right]") == 5
    for s in (1, 2, 3, 4):
        assert f"x^{{(0)}}_{{k}}(t={s})" in latex
    biased = RNN(0.5, 0.8, 2.0, b_h=0.1, b_y=-0.2, activation="tanh").expand_output(2)
    assert (
        biased.text == "ŷ(2) = σ[W_out·tanh[W_in·x(2) + W_rec·tanh[W_in·x(1) + b_h] + b_h] + b_y]"
    )
    assert r"b^{h}_{j_{1}}" in biased.latex and r"\tanh" in biased.latex


# ---------------------------------------------------------------------------
# Backpropagation through time against finite differences
# ---------------------------------------------------------------------------


@SETTINGS
@given(shapes, st.sampled_from(["sigmoid", "tanh"]), st.data())
def test_rnn_bptt_equals_finite_differences(shape, activation, data):
    n_in, n_h, n_out, T, seed = shape
    rng = np.random.default_rng(seed)
    net = random_rnn(rng, n_in, n_h, n_out, activation)
    xs = rng.standard_normal((T, n_in))
    t = data.draw(st.integers(1, T))
    grad = net.input_weight_gradient(xs, t)
    assert grad.shape == (n_out, n_h, n_in)

    def make(W_in):
        return RNN(W_in, net.W_rec, net.W_out, net.b_h, net.b_y, activation)

    np.testing.assert_allclose(grad, finite_difference(make, net.W_in, xs, t), rtol=1e-6, atol=1e-8)


def test_rnn_gradient_defaults_to_last_step():
    rng = np.random.default_rng(1)
    net = random_rnn(rng, 2, 3, 2)
    xs = rng.standard_normal((5, 2))
    np.testing.assert_array_equal(net.input_weight_gradient(xs), net.input_weight_gradient(xs, 5))
    assert not np.allclose(net.input_weight_gradient(xs, 4), net.input_weight_gradient(xs, 5))


@SETTINGS
@given(shapes, st.sampled_from(["sigmoid", "tanh"]), st.data())
def test_scheduled_lstm_bptt_equals_finite_differences(shape, activation, data):
    n_in, n_h, n_out, T, seed = shape
    rng = np.random.default_rng(seed)
    gates = Gates(*rng.uniform(0, 1, (3, T, n_h)))
    W = [rng.standard_normal(s) for s in ((n_h, n_in), (n_h, n_h), (n_out, n_h), (n_h,), (n_out,))]
    lstm = ScheduledLSTM(*W, gates, activation)
    xs = rng.standard_normal((T, n_in))
    t = data.draw(st.integers(1, T))

    def make(W_in):
        return ScheduledLSTM(W_in, *W[1:], gates, activation)

    np.testing.assert_allclose(
        lstm.input_weight_gradient(xs, t),
        finite_difference(make, W[0], xs, t),
        rtol=1e-6,
        atol=1e-8,
    )


@SETTINGS
@given(shapes, st.sampled_from(["sigmoid", "tanh"]), st.data())
def test_lstm_bptt_equals_finite_differences(shape, activation, data):
    n_in, n_h, n_out, T, seed = shape
    lstm = LSTM.random(n_in, n_h, n_out, seed=seed, activation=activation)
    xs = np.random.default_rng(seed + 1).standard_normal((T, n_in))
    t = data.draw(st.integers(1, T))
    gates = dict(
        input_gate=lstm.input_gate, forget_gate=lstm.forget_gate, output_gate=lstm.output_gate
    )

    def make(W_in):
        return LSTM(
            W_in, lstm.W_rec, lstm.W_out, lstm.b_h, lstm.b_y, activation=activation, **gates
        )

    grad = lstm.input_weight_gradient(xs, t)
    assert grad.shape == (n_out, n_h, n_in)
    np.testing.assert_allclose(
        grad, finite_difference(make, lstm.W_in, xs, t), rtol=1e-6, atol=1e-8
    )


def test_lstm_gradient_flows_through_the_gates():
    # With the recurrent gate weights zeroed the gradient changes: the W_h paths matter.
    lstm = LSTM.random(2, 3, 1, seed=7)
    xs = np.random.default_rng(8).standard_normal((6, 2))
    flat = LSTM(
        lstm.W_in,
        lstm.W_rec,
        lstm.W_out,
        lstm.b_h,
        lstm.b_y,
        input_gate=(lstm.input_gate.W_x, np.zeros((3, 3)), lstm.input_gate.b),
        forget_gate=lstm.forget_gate,
        output_gate=lstm.output_gate,
    )
    assert not np.allclose(lstm.input_weight_gradient(xs), flat.input_weight_gradient(xs))


# ---------------------------------------------------------------------------
# The closed forms (21) and (24) against BPTT and finite differences
# ---------------------------------------------------------------------------

T_ALL = np.arange(2, 61)
GRID = list(
    itertools.product([-1.5, 0.5, 2.0], [-2.0, 1.0], [-1.0, 0.0, 1.5], [0.0, 0.5])
)  # w_in, w_out, b_h, b_y


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("w_rec", [-3.0, -0.5, 0.5, 2.0, 6.0])
def test_rnn_closed_form_equals_bptt_and_finite_differences(w_rec, activation):
    xs = sheet_inputs(60)
    eps = 1e-6
    for w_in, w_out, b_h, b_y in GRID:
        closed = rnn_gradient_closed_form(
            w_in, w_rec, w_out, b_h, b_y, T_ALL, activation=activation
        )
        net = RNN(w_in, w_rec, w_out, b_h, b_y, activation)
        bptt = np.array([net.input_weight_gradient(xs, T)[0, 0, 0] for T in T_ALL])
        np.testing.assert_allclose(closed, bptt, rtol=1e-10, atol=1e-300)
        # one forward run per sign gives y_T for every T at once
        y_plus = RNN(w_in + eps, w_rec, w_out, b_h, b_y, activation).run(xs)[1][1:, 0]
        y_minus = RNN(w_in - eps, w_rec, w_out, b_h, b_y, activation).run(xs)[1][1:, 0]
        np.testing.assert_allclose(closed, (y_plus - y_minus) / (2 * eps), rtol=1e-5, atol=1e-9)
        assert closed[0] == rnn_gradient_closed_form(
            w_in, w_rec, w_out, b_h, b_y, 2, activation=activation
        )


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("f", [0.0, 0.5, 0.9, 1.0])
def test_lstm_closed_form_equals_bptt_and_finite_differences(f, activation):
    eps = 1e-6
    for (w_in, w_out, b_h, b_y), w_rec in zip(GRID[::3], itertools.cycle([-2.0, 3.0])):
        closed = lstm_gradient_closed_form(
            w_in, w_rec, w_out, b_h, b_y, f, T_ALL, activation=activation
        )
        for k, T in enumerate(T_ALL):
            xs = sheet_inputs(T)
            lstm = ScheduledLSTM.sheet(w_in, w_rec, w_out, b_h, b_y, f, T, activation)
            bptt = lstm.input_weight_gradient(xs)[0, 0, 0]
            assert closed[k] == pytest.approx(bptt, rel=1e-10, abs=1e-300)
            if T in (2, 3, 10, 60):
                y = [
                    ScheduledLSTM.sheet(w, w_rec, w_out, b_h, b_y, f, T, activation).run(xs)[2][
                        -1, 0
                    ]
                    for w in (w_in + eps, w_in - eps)
                ]
                assert closed[k] == pytest.approx((y[0] - y[1]) / (2 * eps), rel=1e-5, abs=1e-9)


def test_lstm_table_at_T2_is_read_as_documented():
    # Sheet reading: row "t = 1, 2" wins, o_2 = 1; then (24) is exact.
    w_in, w_rec, w_out, b_h, b_y, f = 1.0, 0.0, 1.0, 0.0, 0.0, 0.9
    g = sheet_gates(f, 2)
    assert (g.i.tolist(), g.f.tolist(), g.o.tolist()) == ([1.0, 1.0], [0.0, 0.0], [0.0, 1.0])
    # The other reading (row "t = T" wins: x_2 = 0, i_2 = 0, f_2 = f) gives a nonzero gradient
    # where (24), with its factor x_2 = 0, gives 0.
    other = ScheduledLSTM(w_in, w_rec, w_out, b_h, b_y, Gates([1, 0], [0, f], [0, 1]))
    c2 = f * expit(w_in + b_h)
    expected = (
        expit(w_out * expit(c2) + b_y)
        * expit(-(w_out * expit(c2) + b_y))
        * w_out
        * expit(c2)
        * expit(-c2)
        * f
        * expit(w_in + b_h)
        * expit(-(w_in + b_h))
    )
    value = other.input_weight_gradient([1.0, 0.0])[0, 0, 0]
    assert value == pytest.approx(expected, rel=1e-12)
    assert value == pytest.approx(0.00894, abs=5e-6)  # the number quoted on the sheet page


@pytest.mark.parametrize("closed_form", [rnn_gradient_closed_form, lstm_gradient_closed_form])
@pytest.mark.parametrize("T", [1, 0, -3, [1, 2, 3]])
def test_closed_forms_reject_T_below_2(closed_form, T):
    args = (1.0, 2.0, 1.0, 0.0, 0.0) + ((0.9,) if closed_form is lstm_gradient_closed_form else ())
    with pytest.raises(ValueError, match=r"T must be >= 2 .*got T = "):
        closed_form(*args, T)


@pytest.mark.parametrize("T", [2.5, "10", True])
def test_closed_forms_reject_non_integer_T(T):
    with pytest.raises(ValueError, match="T must be an integer"):
        rnn_gradient_closed_form(1.0, 2.0, 1.0, 0.0, 0.0, T)


def test_closed_forms_reject_non_scalar_weights():
    with pytest.raises(ValueError, match=r"w_rec must be a scalar; got shape \(2,\)"):
        rnn_gradient_closed_form(1.0, [1.0, 2.0], 1.0, 0.0, 0.0, 5)
    with pytest.raises(ValueError, match="f must be finite"):
        lstm_gradient_closed_form(1.0, 1.0, 1.0, 0.0, 0.0, np.nan, 5)


# ---------------------------------------------------------------------------
# Exercise 2c, d: the LSTM
# ---------------------------------------------------------------------------


def test_lstm_gradient_does_not_depend_on_w_rec():
    for T in (2, 5, 30):
        xs = sheet_inputs(T)
        values = [
            ScheduledLSTM.sheet(1.0, w_rec, 1.5, -0.5, 0.2, 0.8, T).input_weight_gradient(xs)[
                0, 0, 0
            ]
            for w_rec in (-10.0, 0.0, 0.5, 6.0, 50.0)
        ]
        assert max(values) - min(values) <= 1e-15 * abs(values[0])
        assert values[0] != 0


@pytest.mark.parametrize("f", [0.5, 0.9, 0.99])
def test_lstm_gradient_vanishes_like_f_to_the_T_minus_2(f):
    T = np.arange(2, 1000)
    g = lstm_gradient_closed_form(1.0, 3.0, 1.0, 0.0, 0.0, f, T)
    scaled = g / f ** (T - 2.0)
    # the other factors stay in a fixed positive band, so g ~ f^{T-2}
    assert scaled.min() > 0.5 * scaled.max() > 0
    assert g[-1] / g[-2] == pytest.approx(f, rel=1e-4)  # -> f as c_T -> 0
    assert g[-1] < 1e-2 * g[0]


def test_lstm_gradient_is_constant_in_T_for_f_1():
    T = np.arange(2, 61)
    g = lstm_gradient_closed_form(0.7, 3.0, -1.2, 0.3, 0.1, 1.0, T)
    np.testing.assert_allclose(g, g[0], rtol=1e-14)
    bptt = [
        ScheduledLSTM.sheet(0.7, 3.0, -1.2, 0.3, 0.1, 1.0, t).input_weight_gradient(sheet_inputs(t))
        for t in (2, 60)
    ]
    np.testing.assert_allclose(np.ravel(bptt), g[0], rtol=1e-12)
    assert abs(rnn_gradient_closed_form(0.7, 3.0, -1.2, 0.3, 0.1, 60)) < 1e-6 * abs(g[0])


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            dict(W_in=np.ones((3, 2)), W_rec=np.ones((3, 2)), W_out=np.ones((1, 3))),
            r"W_rec must have shape \(n_h, n_h\); got \(3, 2\)",
        ),
        (
            dict(W_in=np.ones((2, 2)), W_rec=np.ones((3, 3)), W_out=np.ones((1, 3))),
            r"W_in must have shape \(n_h, n_in\) with n_h = 3; got \(2, 2\)",
        ),
        (
            dict(W_in=np.ones((3, 2)), W_rec=np.ones((3, 3)), W_out=np.ones((1, 2))),
            r"W_out must have shape \(n_out, n_h\) with n_h = 3; got \(1, 2\)",
        ),
        (
            dict(
                W_in=np.ones((3, 2)), W_rec=np.ones((3, 3)), W_out=np.ones((1, 3)), b_h=np.ones(2)
            ),
            r"b_h must have shape \(n_h,\) = \(3,\); got \(2,\)",
        ),
        (
            dict(
                W_in=np.ones((3, 2)), W_rec=np.ones((3, 3)), W_out=np.ones((2, 3)), b_y=np.ones(3)
            ),
            r"b_y must have shape \(n_out,\) = \(2,\); got \(3,\)",
        ),
        (dict(W_in=1.0, W_rec=np.nan, W_out=1.0), r"W_rec must be finite"),
        (dict(W_in="a", W_rec=1.0, W_out=1.0), r"W_in must be a real number or array; got 'a'"),
        (
            dict(W_in=1.0, W_rec=1.0, W_out=1.0, activation="relu"),
            r"activation must be one of 'sigmoid', 'tanh'; got 'relu'",
        ),
    ],
)
def test_rnn_rejects_bad_weights(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RNN(**kwargs)


def test_rnn_rejects_bad_inputs_and_steps():
    net = RNN(np.ones((2, 3)), np.eye(2), np.ones((1, 2)))
    with pytest.raises(
        ValueError, match=r"xs must have shape \(T, n_in\) with n_in = 3; got \(4, 2\)"
    ):
        net.run(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"xs must contain at least one time step"):
        net.run(np.ones((0, 3)))
    with pytest.raises(ValueError, match=r"t must be an integer with 1 <= t <= T = 4; got 5"):
        net.input_weight_gradient(np.ones((4, 3)), 5)
    with pytest.raises(ValueError, match=r"t must be an integer with 1 <= t <= T = 4; got 0"):
        net.input_weight_gradient(np.ones((4, 3)), 0)
    with pytest.raises(ValueError, match=r"T must be an integer with 1 <= T; got 0"):
        net.unroll(0)
    with pytest.raises(ValueError, match=r"xs must have T = 3 rows, one per layer; got 4"):
        net.unroll(3).run(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"t must be an integer with 1 <= t; got 0"):
        net.expand_output(0)


def test_lstms_reject_bad_input():
    with pytest.raises(
        ValueError, match=r"gates i, f, o must have the same length T; got \[3, 2, 3\]"
    ):
        ScheduledLSTM(1, 1, 1, 0, 0, Gates([1, 1, 0], [0, 0], [0, 0, 1]))
    with pytest.raises(
        ValueError, match=r"gates.o must have shape \(T,\) or \(T, n_h\) with n_h = 2"
    ):
        ScheduledLSTM(
            np.ones(2),
            np.eye(2),
            np.ones(2),
            None,
            None,
            Gates(np.ones(3), np.ones(3), np.ones((3, 3))),
        )
    with pytest.raises(ValueError, match=r"gates must have keys 'i', 'f', 'o'; got \['i'\]"):
        ScheduledLSTM(1, 1, 1, 0, 0, {"i": [1.0]})
    with pytest.raises(ValueError, match=r"xs must have T = 4 rows, one per gate value; got 3"):
        ScheduledLSTM.sheet(1, 1, 1, 0, 0, 0.9, 4).run(sheet_inputs(3))
    with pytest.raises(ValueError, match=r"T must be an integer with 2 <= T; got 1"):
        sheet_gates(0.9, 1)
    with pytest.raises(ValueError, match="activation must be one of"):
        ScheduledLSTM.sheet(1, 1, 1, 0, 0, 0.9, 4, activation="softsign")
    with pytest.raises(
        ValueError, match=r"forget_gate W_h must have shape \(n_h, n_h\) = \(2, 2\); got \(2, 3\)"
    ):
        LSTM(
            np.ones((2, 1)),
            np.eye(2),
            np.ones((1, 2)),
            forget_gate=(np.ones((2, 1)), np.ones((2, 3)), np.zeros(2)),
        )
    with pytest.raises(ValueError, match=r"input_gate must be a triple \(W_x, W_h, b\)"):
        LSTM(1, 1, 1, input_gate=(1, 1))
    with pytest.raises(ValueError, match="activation must be one of"):
        LSTM(1, 1, 1, activation="relu")
