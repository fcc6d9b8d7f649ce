"""Counting formulas for hyperplane arrangements.

hyperarr uses one sign convention everywhere.  Neuron ``i`` computes
``a_i = w_i · x − θ_i``; its hyperplane is ``{x : w_i · x = θ_i}``
(``normals[i] · x = offsets[i]``), and its sign is ``+1`` where ``a_i > 0``,
which is where the step neuron ``g(a) = ½(1 + sgn a)`` fires.

This module holds the closed formulas of the seed's Exercise 3: how many
regions ``n`` hyperplanes in general position cut ``R^d`` into
(:func:`max_regions`), how many of them are bounded
(:func:`max_bounded_regions`), the rough estimate ``n**d`` used in class
(:func:`approx_regions`), and a table comparing the two
(:func:`region_count_table`).  Every count is an exact Python ``int``, however
large.

Examples
--------
Five lines in general position in the plane (Exercise 3d):

>>> max_regions(5, 2)
16

Twenty neurons on a ten-dimensional input (Exercise 3h), exactly and
approximately:

>>> max_regions(20, 10)
616666
>>> approx_regions(20, 10)
10240000000000
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from hyperarr._binomial import prefix_sum
from hyperarr._validate import as_count
from hyperarr.exceptions import ArrangementError

# χ and the counts it gives live in hyperarr.characteristic; these names stay
# importable from here, as before (they are not part of this module's __all__).
from hyperarr.characteristic import (  # noqa: F401
    characteristic_polynomial,
    n_bounded_regions,
    n_regions,
)

__all__ = [
    "max_regions",
    "max_bounded_regions",
    "approx_regions",
    "RegionCountRow",
    "region_count_table",
]


def max_regions(n: int, d: int, central: bool = False) -> int:
    """Return the largest number of regions of ``n`` hyperplanes in ``R^d``.

    Parameters
    ----------
    n : int
        Number of hyperplanes (neurons), ``n >= 0``.  Python ints and numpy
        integer scalars are accepted; booleans and floats are not.
    d : int
        Dimension of the input space, ``d >= 0``.
    central : bool, default False
        If False, count regions of affine hyperplanes (neurons with free
        thresholds).  If True, every hyperplane passes through the origin
        (neurons without threshold, or perceptrons with ``d`` weights).

    Returns
    -------
    int
        For affine hyperplanes, ``sum(comb(n, k) for k in range(d + 1))``.
        For central hyperplanes, Cover's count
        ``2 * sum(comb(n - 1, k) for k in range(d))``, which is also the
        number of dichotomies of ``n`` points in general position in ``R^d``
        that a perceptron with ``d`` weights and no threshold realizes.

    Raises
    ------
    ArrangementError
        If ``n`` or ``d`` is not a non-negative integer (a ``ValueError``).

    Notes
    -----
    The maximum is reached exactly when the hyperplanes are in general
    position (Buck 1943, Zaslavsky 1975); for central hyperplanes "general
    position" means that every ``d`` of the normals are linearly independent
    (Cover 1965).  Both counts satisfy ``r(n, d) = r(n − 1, d) + r(n − 1, d − 1)``,
    and both equal ``2**n`` when ``n <= d``.  The central count equals
    ``2 * max_regions(n − 1, d − 1)``.

    Conventions for the degenerate cases: with ``n = 0`` there is one region
    (the whole space), also when ``central=True``.  With ``central=True``,
    ``d = 0`` and ``n >= 1`` the count is Cover's ``C(n, 0) = 0``.

    The sum is accumulated with exact integer arithmetic in ``O(min(n, d))``
    big-integer steps; ``max_regions(1000, 256)`` takes about 0.1 ms.

    Examples
    --------
    Five lines in general position cut the plane into 16 regions:

    >>> max_regions(5, 2)
    16
    >>> max_regions(20, 10)
    616666

    Twenty central hyperplanes in ``R^10``, i.e. the dichotomies of 20 points
    by a perceptron with 10 weights:

    >>> max_regions(20, 10, central=True)
    524288

    The counts are exact however large they are:

    >>> r = max_regions(1000, 256)
    >>> round(math.log10(r), 1)
    245.7
    """
    n = as_count(n, "n")
    d = as_count(d, "d")
    if not central:
        return prefix_sum(n, d)
    if n == 0:
        return 1
    if d == 0:
        return 0
    return 2 * prefix_sum(n - 1, d - 1)


def max_bounded_regions(n: int, d: int) -> int:
    """Return the largest number of bounded regions of ``n`` hyperplanes in ``R^d``.

    Parameters
    ----------
    n : int
        Number of hyperplanes, ``n >= 0``.
    d : int
        Dimension, ``d >= 0``.

    Returns
    -------
    int
        ``comb(n − 1, d)`` for ``n >= 1``.  For ``n = 0`` the answer is 0 when
        ``d >= 1`` (``R^d`` itself is unbounded) and 1 when ``d = 0`` (``R^0``
        is a single, bounded point).

    Raises
    ------
    ArrangementError
        If ``n`` or ``d`` is not a non-negative integer (a ``ValueError``).

    Notes
    -----
    The count is reached by affine hyperplanes in general position
    (Zaslavsky 1975).  It is 0 when ``n <= d``: then the normals cannot span
    ``R^d`` and every region contains a line.

    Examples
    --------
    Five generic lines: 6 bounded regions (the inner pentagon and the five
    points of the star) and ``16 − 6 = 10`` unbounded ones.

    >>> max_bounded_regions(5, 2)
    6
    >>> max_regions(5, 2) - max_bounded_regions(5, 2)
    10
    """
    n = as_count(n, "n")
    d = as_count(d, "d")
    if n == 0:
        return 1 if d == 0 else 0
    return math.comb(n - 1, d)


def approx_regions(n: int, d: int) -> int:
    """Return ``n**d``, the approximate region count from class.

    Parameters
    ----------
    n : int
        Number of hyperplanes, ``n >= 0``.
    d : int
        Dimension, ``d >= 0``.

    Returns
    -------
    int
        ``n**d`` (with ``0**0 = 1``).

    Raises
    ------
    ArrangementError
        If ``n`` or ``d`` is not a non-negative integer (a ``ValueError``).

    Notes
    -----
    For fixed ``d`` and large ``n`` the exact count :func:`max_regions` is
    ``n**d / d! + O(n**(d − 1))``, so ``n**d`` overestimates it by a factor
    close to ``d!`` (and by more when ``n`` is not much larger than ``d``).
    :func:`region_count_table` shows both.

    Examples
    --------
    Exercise 3h estimates 20 neurons on a 10-dimensional input by
    ``20**10 = 2**10 · 10**10 ≈ 10**13``; the exact count is 616,666:

    >>> approx_regions(20, 10)
    10240000000000
    >>> approx_regions(20, 10) // max_regions(20, 10)
    16605423
    """
    n = as_count(n, "n")
    d = as_count(d, "d")
    return n**d


def _log10(value: int) -> float:
    """Return ``log10(value)`` for an int of any size; ``-inf`` for 0."""
    if value == 0:
        return -math.inf
    # math.log10 accepts ints beyond the float range without overflow.
    return math.log10(value)


def _as_float(value: Fraction) -> float:
    """Return ``float(value)``, or ``inf`` if it is beyond the float range."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


@dataclass(frozen=True)
class RegionCountRow:
    """One row of :func:`region_count_table`: exact and approximate counts.

    Attributes
    ----------
    n : int
        Number of hyperplanes.
    d : int
        Dimension.
    exact : int
        ``max_regions(n, d)``, the exact count in general position.
    approx : int
        ``n**d``, the approximation from class.
    approx_factorial : fractions.Fraction
        ``n**d / d!`` exactly, the leading term of ``exact`` for large ``n``.
    ratio : float
        ``approx / exact`` correctly rounded to float64, or ``inf`` when it
        exceeds the float range (``log10_error`` is then the useful number).
    log10_exact : float
        ``log10(exact)``, computed without overflow.
    log10_approx : float
        ``log10(approx)``; ``-inf`` when ``approx`` is 0 (``n = 0 < d``).
    log10_error : float
        ``log10(approx / exact) = log10_approx − log10_exact``.
    """

    n: int
    d: int
    exact: int
    approx: int
    approx_factorial: Fraction
    ratio: float
    log10_exact: float
    log10_approx: float
    log10_error: float

    def as_dict(self) -> dict[str, Any]:
        """Return the row as a JSON-ready dict.

        Integers stay Python ints (JSON has no size limit on integers).
        ``approx_factorial`` becomes its string ``"p/q"`` (or ``"p"``), which
        ``fractions.Fraction`` parses back exactly.  Non-finite floats become
        ``None``, so ``json.dumps(row.as_dict(), allow_nan=False)`` works.

        Returns
        -------
        dict
            Keys ``n, d, exact, approx, approx_factorial, ratio,
            log10_exact, log10_approx, log10_error``.

        Examples
        --------
        >>> import json
        >>> row = region_count_table(5, 2)[0]
        >>> data = json.loads(json.dumps(row.as_dict(), allow_nan=False))
        >>> data["exact"], data["approx"], data["approx_factorial"], data["ratio"]
        (16, 25, '25/2', 1.5625)

        A ratio beyond the float range is dropped; its logarithm remains:

        >>> big = region_count_table(1000, 256)[0].as_dict()
        >>> big["ratio"] is None, round(big["log10_error"], 1)
        (True, 522.3)
        """

        def finite_or_none(x: float) -> float | None:
            return x if math.isfinite(x) else None

        return {
            "n": self.n,
            "d": self.d,
            "exact": self.exact,
            "approx": self.approx,
            "approx_factorial": str(self.approx_factorial),
            "ratio": finite_or_none(self.ratio),
            "log10_exact": finite_or_none(self.log10_exact),
            "log10_approx": finite_or_none(self.log10_approx),
            "log10_error": finite_or_none(self.log10_error),
        }


def _as_count_list(values: Any, name: str) -> list[int]:
    """Return ``values`` (one int or an iterable of ints) as a list of counts."""
    if isinstance(values, (numbers.Integral, np.integer)) and not isinstance(
        values, (bool, np.bool_)
    ):
        return [as_count(values, name)]
    if isinstance(values, np.ndarray):
        values = values.tolist() if values.ndim else [values.item()]
    if not isinstance(values, Iterable) or isinstance(values, (str, bytes)):
        raise ArrangementError(
            f"{name} must be a non-negative integer or an iterable of them; "
            f"got {values!r}"
        )
    return [as_count(v, f"{name}[{i}]") for i, v in enumerate(values)]


def _row(n: int, d: int) -> RegionCountRow:
    exact = prefix_sum(n, d)
    approx = n**d
    log10_exact = _log10(exact)
    log10_approx = _log10(approx)
    return RegionCountRow(
        n=n,
        d=d,
        exact=exact,
        approx=approx,
        approx_factorial=Fraction(approx, math.factorial(d)),
        ratio=_as_float(Fraction(approx, exact)),
        log10_exact=log10_exact,
        log10_approx=log10_approx,
        log10_error=log10_approx - log10_exact,
    )


def region_count_table(ns: int | Iterable[int], ds: int | Iterable[int]) -> list[RegionCountRow]:
    """Compare the exact region count with ``n**d`` for every ``(n, d)`` pair.

    Parameters
    ----------
    ns : int or iterable of int
        Numbers of hyperplanes, each ``>= 0``.
    ds : int or iterable of int
        Dimensions, each ``>= 0``.

    Returns
    -------
    list of RegionCountRow
        One row per pair of ``itertools.product(ns, ds)``: ``n`` varies
        slowest, in the order given.

    Raises
    ------
    ArrangementError
        If an entry is not a non-negative integer (a ``ValueError``).

    Notes
    -----
    All counts are exact ints and the logarithms are taken of the ints
    themselves, so the table works far beyond the float range.

    Examples
    --------
    Exercise 3h: ``n**d`` is about ``10**13`` while the exact count is about
    ``10**5.8``.

    >>> row = region_count_table(20, 10)[0]
    >>> row.exact, row.approx
    (616666, 10240000000000)
    >>> round(row.log10_error, 2)
    7.22

    The miniproject's ``d = 16 · 16`` inputs and ``n = 1000`` hidden units:

    >>> row = region_count_table([1000], [256])[0]
    >>> round(row.log10_exact, 1), round(row.log10_approx, 1)
    (245.7, 768.0)
    >>> [(r.n, r.d, r.exact) for r in region_count_table([3, 4], [1, 2])]
    [(3, 1, 4), (3, 2, 7), (4, 1, 5), (4, 2, 11)]
    """
    n_list = _as_count_list(ns, "ns")
    d_list = _as_count_list(ds, "ds")
    return [_row(n, d) for n, d in itertools.product(n_list, d_list)]
