"""Trained layers in: the first (or any) layer of a scikit-learn or PyTorch network as an arrangement.

Both functions are duck-typed: they read the fitted attributes
(``coefs_`` and ``intercepts_`` of scikit-learn's ``MLPClassifier`` and
``MLPRegressor``; ``weight`` and ``bias`` of torch's ``nn.Linear``), so
hyperarr imports neither library.  A unit of layer k computes
``weight @ x + bias`` on the outputs x of layer k − 1 (the input for
k = 0); its hyperplane is where that is 0, and it fires (sign +1) where it
is positive: [`Arrangement.from_linear`][hyperarr.arrangement.Arrangement.from_linear]
takes ``normals = weight`` and ``offsets = −bias``, exactly (float32 and
float64 weights are binary rationals).

The way out, a synthesized network as a torch module, is
[`ThresholdNetwork.to_torch`][hyperarr.network.ThresholdNetwork.to_torch].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError

__all__ = ["from_sklearn", "from_torch"]


def _layer_index(layer: Any, count: int, what: str) -> int:
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not -count <= layer < count:
        raise ArrangementError(f"layer must be an integer in [0, {count}) ({count} {what}); got {layer!r}")
    return int(layer) % count


def from_sklearn(mlp: Any, layer: int = 0) -> Arrangement:
    r"""The arrangement of one layer of a fitted scikit-learn MLP.

    Parameters
    ----------
    mlp : MLPClassifier or MLPRegressor, fitted
        Anything with ``coefs_`` (a list of ($d_k$, $n_k$) arrays) and
        ``intercepts_`` (a list of ($n_k$,) arrays).
    layer : int, default 0
        Which weight layer: 0 is the first hidden layer, in the input space
        $\mathbb{R}^d$; layer k lives in the space of layer k − 1's activations (the
        last index is the output layer).

    Returns
    -------
    Arrangement
        $n_k$ hyperplanes in $\mathbb{R}^{d_k}$: hyperplane i is unit i of the layer,
        ``coefs_[layer][:, i] · x + intercepts_[layer][i] = 0``, side +1
        where that is positive.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPClassifier
    >>> X = np.random.default_rng(0).normal(size=(40, 3))
    >>> mlp = MLPClassifier(hidden_layer_sizes=(5,), solver="lbfgs",
    ...                     max_iter=500, random_state=0)
    >>> mlp = mlp.fit(X, X[:, 0] > 0)
    >>> from_sklearn(mlp).n, from_sklearn(mlp).dim
    (5, 3)
    """
    coefs = getattr(mlp, "coefs_", None)
    intercepts = getattr(mlp, "intercepts_", None)
    if coefs is None or intercepts is None:
        raise ArrangementError(
            "mlp must be a fitted scikit-learn MLPClassifier or MLPRegressor (with coefs_ and "
            f"intercepts_); got {type(mlp).__name__} without them (call .fit first?)")
    k = _layer_index(layer, len(coefs), "weight layers")
    return Arrangement.from_linear(np.asarray(coefs[k]).T, np.asarray(intercepts[k]))


def _is_linear(module: Any) -> bool:
    return all(hasattr(module, a) for a in ("in_features", "out_features", "weight"))


def from_torch(module: Any, layer: int = 0) -> Arrangement:
    """The arrangement of an ``nn.Linear``, or of the k-th ``Linear`` inside a module.

    Parameters
    ----------
    module : nn.Linear or nn.Module
        A linear layer (``in_features``, ``out_features``, ``weight``,
        ``bias``), or a module such as ``nn.Sequential`` whose linear
        layers, in the order of ``module.modules()``, are counted by
        ``layer``.
    layer : int, default 0
        Which linear layer (0 for an ``nn.Linear`` itself).

    Returns
    -------
    Arrangement
        One hyperplane per output unit: ``weight[i] · x + bias[i] = 0``, side
        +1 where that is positive (a layer without bias has bias 0).

    Raises
    ------
    ArrangementError
        If ``module`` holds no linear layer, ``layer`` is out of range, or
        the layer has no values yet (a lazy module before its first forward
        pass, or a module on the meta device).

    Examples
    --------
    >>> import torch                                    
    >>> net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(),
    ...                           torch.nn.Linear(8, 2))
    >>> from_torch(net, layer=1).n, from_torch(net, layer=1).dim
    (2, 8)
    """
    if _is_linear(module):
        linears = [module]
    elif hasattr(module, "modules"):
        linears = [m for m in module.modules() if _is_linear(m)]
    else:
        raise ArrangementError(
            f"module must be a torch nn.Linear or an nn.Module holding some; got {type(module).__name__}")
    if not linears:
        raise ArrangementError(f"module must hold an nn.Linear; {type(module).__name__} holds none")
    k = _layer_index(layer, len(linears), "linear layers")
    lin = linears[k]
    weight = lin.weight
    bias = lin.bias if getattr(lin, "bias", None) is not None else np.zeros(int(lin.out_features))
    which = f"linear layer {k} ({type(lin).__name__})"
    for name, p in (("weight", weight), ("bias", bias)):
        if hasattr(p, "materialize"):  # torch's UninitializedParameter, of a lazy module
            raise ArrangementError(
                f"module's {which} must have values; got an uninitialized {name} (a lazy module: "
                "run one forward pass on a batch first, so that torch sets its shape and values)")
        if getattr(p, "is_meta", False):
            raise ArrangementError(
                f"module's {which} must hold values; got a {name} on the meta device, which has a "
                "shape but no data (load the weights first, e.g. module.to_empty(device='cpu') and "
                "then load_state_dict)")
    return Arrangement.from_linear(weight, bias)
