"""The hidden nonlinearities: the logistic sigmoid and tanh, with their slopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from scipy.special import expit

from hyperarr.exceptions import ModelError
from hyperarr.rnn._validate import FloatArray

__all__: list[str] = []


def _sigmoid_slope(a: FloatArray) -> FloatArray:
    # σ'(a) = σ(a) σ(-a); accurate also where σ(a) rounds to 1.
    return expit(a) * expit(-a)


def _tanh_slope(a: FloatArray) -> FloatArray:
    # tanh'(a) = sech²(a) = 4 e^{-2|a|} / (1 + e^{-2|a|})², without overflow.
    e = np.exp(-2.0 * np.abs(a))
    return 4.0 * e / (1.0 + e) ** 2


class _Activation(NamedTuple):
    name: str
    fn: Callable[[Any], Any]
    slope: Callable[[Any], Any]  # the derivative, as a function of the pre-activation
    gamma: float  # sup of the derivative
    text: str
    latex: str


_ACTIVATIONS = {
    "sigmoid": _Activation("sigmoid", expit, _sigmoid_slope, 0.25, "σ", r"\sigma"),
    "tanh": _Activation("tanh", np.tanh, _tanh_slope, 1.0, "tanh", r"\tanh"),
}
_LOGISTIC = _ACTIVATIONS["sigmoid"]


def _activation(name: object) -> _Activation:
    if not isinstance(name, str) or name not in _ACTIVATIONS:
        raise ModelError(f"activation must be one of 'sigmoid', 'tanh'; got {name!r}")
    return _ACTIVATIONS[name]
