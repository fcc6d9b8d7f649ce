"""Validation of arguments at the public boundary (private).

Each check names the argument, what was expected and what was received, and
raises from the tree in [`hyperarr.exceptions`][hyperarr.exceptions].
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from hyperarr.exceptions import ArrangementError

__all__ = ["as_count"]


def as_count(value: Any, name: str) -> int:
    """Return ``value`` as a non-negative Python int, or raise naming ``name``.

    Python ints and numpy integer scalars are accepted.  Booleans and floats
    are refused, even integral floats such as ``2.0``, as `math.comb`
    does.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Integral, np.integer)
    ):
        raise ArrangementError(f"{name} must be a non-negative integer; got {value!r}")
    result = int(value)
    if result < 0:
        raise ArrangementError(f"{name} must be a non-negative integer; got {result}")
    return result
