"""hyperarr: exact hyperplane arrangements for the geometry of threshold networks.

A first-layer threshold neuron i computes ``a_i = w_i · x − θ_i``; its
hyperplane ``{x : w_i · x = θ_i}`` cuts the input space in two, and n of
them form an *arrangement* whose regions are named by their sign vectors.
"""

from hyperarr.arrangement import Arrangement, Hyperplane
from hyperarr.exceptions import (
    ArrangementError,
    HyperarrError,
    OutputTooLargeError,
    WitnessError,
)

__version__ = "0.1.0"

__all__ = [
    "Arrangement",
    "Hyperplane",
    "HyperarrError",
    "ArrangementError",
    "OutputTooLargeError",
    "WitnessError",
]
