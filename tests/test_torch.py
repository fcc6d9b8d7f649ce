"""Tests for the PyTorch side: hyperarr.interop.from_torch and ThresholdNetwork.to_torch.

Skipped cleanly without torch (CI installs torch==2.13.0, a CPU build).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import hyperarr as ha
from hyperarr import Arrangement, library, synthesize
from hyperarr.exceptions import ArrangementError
from hyperarr.interop import from_torch

torch = pytest.importorskip("torch")


def _agree(A, pre, X):
    S = A.signs(X)
    clear = np.abs(pre) > 1e-5 * (1 + np.abs(X).sum(axis=1, keepdims=True))
    assert clear.mean() > 0.99
    assert np.array_equal(S[clear], np.sign(pre[clear]).astype(np.int8))


def test_from_torch_agrees_with_pre_activations():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(5, 12), torch.nn.ReLU(), torch.nn.Linear(12, 3, bias=False))
    X = np.random.default_rng(0).normal(size=(10_000, 5)).astype(np.float32)
    with torch.no_grad():
        pre0 = net[0](torch.from_numpy(X)).double().numpy()
        H = net[1](net[0](torch.from_numpy(X)))
        pre1 = net[2](H).double().numpy()
    A0 = from_torch(net)
    assert (A0.n, A0.dim) == (12, 5)
    _agree(A0, pre0, X.astype(np.float64))
    A1 = from_torch(net, layer=1)
    assert (A1.n, A1.dim) == (3, 12)
    assert all(row[-1] == 0 for row in A1.exact_rows)   # no bias: offsets 0
    _agree(A1, pre1, H.double().numpy())
    assert from_torch(net[0]) == A0
    assert Arrangement.from_linear(net[0].weight, net[0].bias) == A0


def test_from_torch_keeps_float32_exactly():
    lin = torch.nn.Linear(3, 4)
    A = from_torch(lin)
    w = lin.weight.detach().numpy()
    assert [list(r[:-1]) for r in A.exact_rows] == [[Fraction(float(v)) for v in row] for row in w]


def test_from_torch_errors():
    with pytest.raises(ArrangementError, match="holds none"):
        from_torch(torch.nn.Sequential(torch.nn.ReLU()))
    with pytest.raises(ArrangementError, match=r"layer must be an integer in \[0, 1\)"):
        from_torch(torch.nn.Linear(2, 2), layer=1)
    with pytest.raises(ArrangementError, match="nn.Linear"):
        from_torch(object())


@pytest.mark.parametrize("method", ["per-region", "minimal", "threshold"])
@pytest.mark.parametrize("A", [library.five_lines(), library.generic(7, 3, seed=2)], ids=["five", "g73"])
def test_to_torch_equals_predict_on_every_witness(A, method):
    R = A.regions()
    mask = np.random.default_rng(5).random(len(R)) < 0.5
    if method == "threshold":
        mask = R.signs[:, 0] > 0   # a threshold function: one side of hyperplane 0
    net = synthesize(A, mask, method=method)
    module = net.to_torch()
    dt = module[0].weight.dtype
    with torch.no_grad():
        out = module(torch.from_numpy(np.array(R.points)).to(dt))
    assert out.shape == (len(R), 1)
    assert out[:, 0].long().numpy().tolist() == net.predict(R.points).tolist() == mask.astype(int).tolist()
    kinds = [type(m).__name__ for m in module]
    assert kinds == ["Linear", "Step"] * (len(net.layers))


def test_to_torch_dtype_default_and_explicit():
    # Weights 1/3 are not floats: float64 (the nearest) is used.
    A = Arrangement([[1, 0], [0, 1]], [Fraction(1, 3), 0])
    net = synthesize(A, [0])
    assert net.to_torch()[0].weight.dtype == torch.float64
    # Small integers: float32 holds them exactly.
    net = synthesize(library.five_lines(), "A,D,G")
    assert net.to_torch()[0].weight.dtype == torch.float32
    assert net.to_torch(dtype=torch.float64)[0].weight.dtype == torch.float64


def test_to_torch_refuses_a_dtype_that_misclassifies():
    # Two hyperplanes 2^-30 apart: float16 cannot tell the thin region from its neighbours.
    eps = 2.0**-30
    A = Arrangement([[1.0], [1.0]], [1.0, 1.0 + eps])
    R = A.regions()
    net = synthesize(A, R.signs[:, 0] * R.signs[:, 1] < 0)   # the thin slab only
    with pytest.raises(ha.HyperarrError, match="misclassifies"):
        net.to_torch(dtype=torch.float16)
    assert net.to_torch()[0].weight.dtype == torch.float64


# Issue 23, item 5: errors that name the argument, not torch's or numpy's own.


@pytest.mark.parametrize("dtype, weight", [(torch.bfloat16, torch.bfloat16), (torch.float16, torch.float16),
                                           ("float32", torch.float32), (np.float32, torch.float32),
                                           (np.dtype("float64"), torch.float64), ("float64", torch.float64)])
def test_to_torch_takes_floating_dtypes_by_any_name(dtype, weight):
    net = synthesize(library.five_lines(), "A,D,G")   # small integers: exact in every float here
    module = net.to_torch(dtype=dtype)
    assert module[0].weight.dtype == weight
    R = library.five_lines().regions()
    with torch.no_grad():
        out = module(torch.from_numpy(R.points).to(weight))[:, 0].double().numpy()
    assert out.astype(int).tolist() == net.predict(R.points).astype(int).tolist()


@pytest.mark.parametrize("dtype", [torch.int64, torch.complex64, torch.bool, "int8", "nonsense", np.int32, 3])
def test_to_torch_refuses_other_dtypes_naming_the_argument(dtype):
    net = synthesize(library.five_lines(), "A,D,G")
    with pytest.raises(ArrangementError, match=r"dtype must be a floating torch dtype .*; got "):
        net.to_torch(dtype=dtype)


def test_from_torch_refuses_a_lazy_layer_naming_it():
    with pytest.raises(ArrangementError, match=r"linear layer 0 \(LazyLinear\) must have values; got an "
                                               r"uninitialized weight .*forward pass"):
        from_torch(torch.nn.LazyLinear(3))
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.LazyLinear(4))
    assert from_torch(net).n == 3                                # layer 0 is fine
    with pytest.raises(ArrangementError, match=r"linear layer 1 \(LazyLinear\)"):
        from_torch(net, layer=1)
    net(torch.zeros(1, 2))                                       # the first pass sets it
    assert (from_torch(net, layer=1).n, from_torch(net, layer=1).dim) == (4, 3)


def test_from_torch_refuses_a_meta_device_layer_naming_it():
    lin = torch.nn.Linear(3, 2, device="meta")
    with pytest.raises(ArrangementError, match=r"linear layer 0 \(Linear\) must hold values; got a weight "
                                               r"on the meta device"):
        from_torch(lin)
    lin = lin.to_empty(device="cpu")
    assert from_torch(lin).n == 2
