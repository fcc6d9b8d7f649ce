"""Tests for the ways into hyperarr.deep: Network.from_torch and Network.from_sklearn.

Patterns are compared with the library's own activations, recomputed in
float64 from its weights, on points far from every kink.
"""

from __future__ import annotations

import numpy as np
import pytest

from hyperarr.deep import Network
from hyperarr.exceptions import ArrangementError

torch = pytest.importorskip("torch")
nn = torch.nn


def _torch_pre_activations(model, X):
    """Each Linear's output that a ReLU/LeakyReLU follows, in float64, by hooks."""
    pre = []
    mods = list(model)
    hooks = [m.register_forward_hook(lambda _m, _i, out: pre.append(out.detach().double().numpy()))
             for k, m in enumerate(mods[:-1]) if isinstance(m, nn.Linear)
             and isinstance(mods[k + 1], (nn.ReLU, nn.LeakyReLU))]
    with torch.no_grad():
        model(torch.from_numpy(X))
    for h in hooks:
        h.remove()
    return pre


@pytest.mark.parametrize("act", [nn.ReLU, lambda: nn.LeakyReLU(0.1)], ids=["relu", "leaky"])
@pytest.mark.parametrize("d", [2, 5])
def test_from_torch_patterns_are_torchs_activations(act, d):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(d, 12), act(), nn.Dropout(0.5), nn.Linear(12, 9), act(),
                          nn.Identity(), nn.Linear(9, 3)).double().eval()
    net = Network.from_torch(model)
    assert net.widths == (d, 12, 9, 3) and net.n_units == 21
    X = np.random.default_rng(1).normal(size=(4000, d))
    pre = _torch_pre_activations(model, X)
    want = np.hstack([(z > 0).astype(np.int8) for z in pre])
    far = np.all(np.hstack([np.abs(z) for z in pre]) > 1e-9, axis=1)
    assert far.mean() > 0.99
    got = net.pattern(X)
    assert np.array_equal(got[far], want[far])
    with torch.no_grad():
        out = model(torch.from_numpy(X)).numpy()
    # torch's LeakyReLU applies its slope in the model's dtype; from_torch reads it as float32
    tol = 1e-10 if act is nn.ReLU else 1e-7
    np.testing.assert_allclose(net.forward(X), out, rtol=tol, atol=tol)


def test_from_torch_leaky_slope_of_a_float64_model():
    model = nn.Sequential(nn.Linear(1, 1), nn.LeakyReLU(0.1)).double()
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[0].bias.fill_(0.0)
        out = model(torch.tensor([[-1.0]], dtype=torch.float64)).item()
    net = Network.from_torch(model)
    assert net.activations[0] == "leaky_relu:" + str(__import__("fractions").Fraction(0.1))
    assert net.forward([[-1.0]])[0, 0] == out


def test_from_torch_float32_weights_are_exact():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(2, 6), nn.ReLU(), nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 1)).eval()
    net = Network.from_torch(model)
    W0, b0, a0 = net.layers[0]
    assert a0 == "relu"
    from fractions import Fraction

    assert [[Fraction(v) for v in r] for r in W0.tolist()] == \
        [[Fraction(float(v)) for v in r] for r in model[0].weight.detach().numpy().tolist()]
    X = np.random.default_rng(0).uniform(-1, 1, size=(3000, 2))
    with torch.no_grad():
        z0 = model[0](torch.from_numpy(X.astype(np.float32))).double().numpy()
    far = (np.abs(z0) > 1e-4).all(axis=1)
    assert np.array_equal(net.pattern(X)[far, :6], (z0[far] > 0).astype(np.int8))
    R = net.regions((-1, 1))
    assert len(R) == net.n_regions((-1, 1)) >= 2


@pytest.mark.parametrize("module,name", [
    (lambda: nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)), "Tanh"),
    (lambda: nn.Sequential(nn.Linear(2, 3), nn.Sigmoid()), "Sigmoid"),
    (lambda: nn.Sequential(nn.Conv1d(1, 1, 1)), "Conv1d"),
    (lambda: nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)), "BatchNorm1d"),
])
def test_from_torch_refuses_other_modules_by_name(module, name):
    with pytest.raises(ArrangementError, match=f"module {name} is not supported; supported: Linear, ReLU"):
        Network.from_torch(module())


def test_from_torch_refuses_an_activation_without_a_linear():
    with pytest.raises(ArrangementError, match="module ReLU must follow a Linear"):
        Network.from_torch(nn.Sequential(nn.ReLU(), nn.Linear(2, 1)))
    with pytest.raises(ArrangementError, match="holds no Linear layer"):
        Network.from_torch(nn.Sequential(nn.Identity()))


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_from_sklearn_patterns_and_outputs(kind):
    sk = pytest.importorskip("sklearn.neural_network")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] * X[:, 1] > 0).astype(int) if kind == "classifier" else X[:, 0] * X[:, 1]
    cls = sk.MLPClassifier if kind == "classifier" else sk.MLPRegressor
    mlp = cls(hidden_layer_sizes=(7, 5), max_iter=300, random_state=0).fit(X, y)
    net = Network.from_sklearn(mlp)
    assert net.widths == (3, 7, 5, 1) and net.activations == ("relu", "relu", "identity")
    Z = rng.normal(size=(2000, 3))
    a = Z
    want, far = [], np.ones(len(Z), dtype=bool)
    for W, b in zip(mlp.coefs_[:-1], mlp.intercepts_[:-1]):
        z = a @ W + b
        want.append((z > 0).astype(np.int8))
        far &= (np.abs(z) > 1e-9).all(axis=1)
        a = np.maximum(z, 0)
    assert far.mean() > 0.99
    assert np.array_equal(net.pattern(Z)[far], np.hstack(want)[far])
    out = a @ mlp.coefs_[-1] + mlp.intercepts_[-1]
    np.testing.assert_allclose(net.forward(Z), out, rtol=1e-10, atol=1e-10)


def test_from_sklearn_refuses_tanh_and_unfitted():
    sk = pytest.importorskip("sklearn.neural_network")
    mlp = sk.MLPRegressor(hidden_layer_sizes=(3,), activation="tanh", max_iter=5, random_state=0)
    with pytest.raises(ArrangementError, match="mlp must be a fitted MLPClassifier"):
        Network.from_sklearn(mlp)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp.fit(np.random.default_rng(0).normal(size=(20, 2)), np.zeros(20))
    with pytest.raises(ArrangementError, match="mlp activation must be 'relu' or 'identity'; got 'tanh'"):
        Network.from_sklearn(mlp)
