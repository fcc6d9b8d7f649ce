"""Tests for hyperarr.interop (scikit-learn) and Arrangement.from_linear.

The oracle is the model's own pre-activation ``X @ coefs_ + intercepts_``:
its sign must be the arrangement's exact sign wherever the float value is
clearly nonzero, and exactly 0 nowhere it is not.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import hyperarr as ha
from hyperarr import Arrangement
from hyperarr.exceptions import ArrangementError
from hyperarr.interop import from_sklearn

sklearn = pytest.importorskip("sklearn")
from sklearn.neural_network import MLPClassifier, MLPRegressor


def _agree(A: Arrangement, pre: np.ndarray, X: np.ndarray) -> None:
    """A.signs(X) equals sign(pre) wherever |pre| is beyond its rounding."""
    S = A.signs(X)
    clear = np.abs(pre) > 1e-9 * (1 + np.abs(X).sum(axis=1, keepdims=True))
    assert clear.mean() > 0.99
    assert np.array_equal(S[clear], np.sign(pre[clear]).astype(np.int8))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_from_linear_is_exact(dtype):
    rng = np.random.default_rng(0)
    W = rng.normal(size=(5, 3)).astype(dtype)
    b = rng.normal(size=5).astype(dtype)
    A = Arrangement.from_linear(W, b)
    for i, row in enumerate(A.exact_rows):
        assert list(row[:-1]) == [Fraction(float(v)) for v in W[i]]
        assert row[-1] == -Fraction(float(b[i]))
    X = rng.normal(size=(200, 3))
    pre = X @ W.astype(np.float64).T + b.astype(np.float64)
    _agree(A, pre, X)


def test_from_linear_fires_where_the_unit_does():
    A = Arrangement.from_linear([[1, 2]], [Fraction(-1, 3)])
    assert A.signs([[Fraction(1, 3), 0], [0, 0], [1, 0]]).tolist() == [[0], [-1], [1]]


def test_from_linear_errors():
    with pytest.raises(ArrangementError, match="bias must have shape"):
        Arrangement.from_linear([[1, 0], [0, 1]], [1, 2, 3])
    with pytest.raises(ArrangementError, match="weight row 1 is zero"):
        Arrangement.from_linear([[1, 0], [0, 0]], [1, 2])
    with pytest.raises(ArrangementError, match="weight must have shape"):
        Arrangement.from_linear([1, 0], [1])


@pytest.fixture(scope="module")
def mlps():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 6))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(int)
    clf = MLPClassifier(hidden_layer_sizes=(9, 4), max_iter=50, random_state=0).fit(X, y)
    reg = MLPRegressor(hidden_layer_sizes=(7,), max_iter=50, random_state=0).fit(X, X[:, 0])
    return clf, reg


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_from_sklearn_agrees_with_pre_activations(mlps):
    clf, reg = mlps
    X = np.random.default_rng(2).normal(size=(10_000, 6))
    A = from_sklearn(clf)
    assert (A.n, A.dim) == (9, 6)
    _agree(A, X @ clf.coefs_[0] + clf.intercepts_[0], X)
    # Layer 1 lives in the space of layer 0's activations (ReLU).
    H = np.maximum(X @ clf.coefs_[0] + clf.intercepts_[0], 0)
    A1 = from_sklearn(clf, layer=1)
    assert (A1.n, A1.dim) == (4, 9)
    _agree(A1, H @ clf.coefs_[1] + clf.intercepts_[1], H)
    assert from_sklearn(clf, layer=-1).n == clf.coefs_[-1].shape[1]
    _agree(from_sklearn(reg), X @ reg.coefs_[0] + reg.intercepts_[0], X)


def test_from_sklearn_errors(mlps):
    with pytest.raises(ArrangementError, match="fitted"):
        from_sklearn(MLPClassifier())
    with pytest.raises(ArrangementError, match=r"layer must be an integer in \[0, 3\)"):
        from_sklearn(mlps[0], layer=3)


def test_hyperarr_imports_neither_library():
    import subprocess
    import sys

    code = ("import sys, hyperarr, hyperarr.interop, hyperarr.domain, hyperarr.occupancy; "
            "print(any(m.split('.')[0] in ('torch', 'sklearn') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert ha.interop.from_torch is not None
