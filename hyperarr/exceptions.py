"""Exceptions raised by hyperarr: one tree for the whole package.

All of them derive from [`HyperarrError`][hyperarr.HyperarrError].  Those that
report bad input also derive from `ValueError`, so ``except ValueError`` keeps
working; a refused output derives from `MemoryError`.
"""

from __future__ import annotations

__all__ = [
    "HyperarrError",
    "ArrangementError",
    "ModelError",
    "OutputTooLargeError",
    "WitnessError",
]


class HyperarrError(Exception):
    """Base class of every error raised by hyperarr."""


class ArrangementError(HyperarrError, ValueError):
    """The data given for an arrangement, a point set or a labelling is invalid."""


class ModelError(HyperarrError, ValueError):
    """The parameters or inputs given for a recurrent model are invalid."""


class OutputTooLargeError(HyperarrError, MemoryError):
    """An output would exceed the requested limit; nothing was allocated.

    The message names the bound and the streaming alternative.
    """


class WitnessError(HyperarrError, ArithmeticError):
    """A region exists but no float64 point lies strictly inside it.

    This happens only for regions thinner than the float grid (for example two
    hyperplanes one unit in the last place apart).  The sign vectors are still
    exact; only a float witness is impossible.
    """
