r"""Counting formulas for hyperplane arrangements.

hyperarr uses one sign convention everywhere.  Neuron ``i`` computes
$a_i = w_i \cdot x - \theta_i$; its hyperplane is $\{x : w_i \cdot x = \theta_i\}$
(``normals[i] · x = offsets[i]``), and its sign is ``+1`` where ``a_i > 0``,
which is where the step neuron ``g(a) = ½(1 + sgn a)`` fires.

This module holds the closed formulas of the course sheet's Exercise 3: how
many regions $n$ hyperplanes in general position cut $\mathbb{R}^d$ into
([`max_regions`][hyperarr.counting.max_regions]), how many of them are bounded
([`max_bounded_regions`][hyperarr.counting.max_bounded_regions]), the rough
estimate $n^d$ used in class ([`approx_regions`][hyperarr.counting.approx_regions]),
and a table comparing the two
([`region_count_table`][hyperarr.counting.region_count_table]).  Every count is an exact Python ``int``, however
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

import collections
import itertools
import math
import numbers
from collections.abc import Iterable, Sized
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from hyperarr import _binomial
from hyperarr._binomial import prefix_sum, prefix_sums
from hyperarr._validate import as_count
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

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
    "DEFAULT_MAX_BITS",
    "DEFAULT_MAX_SECONDS",
]

#: Default ``max_bits``, the longest result computed unless asked for.
#: That is $2^{27}$ bits: 16 MB, about 40 million decimal digits.
DEFAULT_MAX_BITS = 2**27
#: Default ``max_seconds``, the longest estimated time started unless asked for.
#: No computation estimated to take more than about a minute is started.
DEFAULT_MAX_SECONDS = 60.0


def _budget(max_bits: Any, max_seconds: Any) -> tuple[int | None, float | None]:
    """Validate the two budget arguments (each may be None, for no limit)."""
    if max_bits is not None:
        max_bits = as_count(max_bits, "max_bits")
    if max_seconds is not None:
        ok = isinstance(max_seconds, numbers.Real) and not isinstance(max_seconds, (bool, np.bool_))
        if not ok or not max_seconds >= 0:
            raise ArrangementError(
                f"max_seconds must be a non-negative number or None; got {max_seconds!r}")
        max_seconds = float(max_seconds)
    return max_bits, max_seconds


def _check_budget(what: str, bits: int, seconds: float, max_bits: int | None,
                  max_seconds: float | None) -> None:
    """Refuse, before computing, a result of ``bits`` bits taking ``seconds`` (estimates)."""
    if max_bits is not None and bits > max_bits:
        digits = math.ceil(bits * math.log10(2))
        raise OutputTooLargeError(
            f"{what} would have about {bits:,} bits ({digits:,} decimal digits), more than "
            f"max_bits={max_bits:,}; pass a larger max_bits (or None) to compute it anyway"
        )
    if max_seconds is not None and seconds > max_seconds:
        raise OutputTooLargeError(
            f"{what} would take about {seconds:.3g} s of big-integer arithmetic (estimated, "
            f"for numbers of up to {bits:,} bits), more than max_seconds={max_seconds:g}; "
            "pass a larger max_seconds (or None) to compute it anyway"
        )


def max_regions(n: int, d: int, central: bool = False, *, max_bits: int | None = DEFAULT_MAX_BITS,
                max_seconds: float | None = DEFAULT_MAX_SECONDS) -> int:
    r"""Return the largest number of regions of ``n`` hyperplanes in $\mathbb{R}^d$.

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
    max_bits : int or None, default DEFAULT_MAX_BITS (2**27)
        Refuse, before computing, a result longer than this many bits.
    max_seconds : float or None, default DEFAULT_MAX_SECONDS (60)
        Refuse, before computing, a sum estimated to take longer than this
        many seconds.  None lifts either limit.

    Returns
    -------
    int
        For affine hyperplanes, ``sum(comb(n, k) for k in range(d + 1))``.
        For central hyperplanes, Cover's count
        ``2 * sum(comb(n - 1, k) for k in range(d))``, which is also the
        number of dichotomies of ``n`` points in general position in $\mathbb{R}^d$
        that a perceptron with ``d`` weights and no threshold realizes.

    Raises
    ------
    ArrangementError
        If ``n`` or ``d`` is not a non-negative integer (a ``ValueError``).
    OutputTooLargeError
        If the result or the time to compute it would exceed the budget (a
        ``MemoryError``); the message gives the estimate.

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

    The sum is accumulated with exact integer arithmetic in
    ``min(d, n − d − 1)`` big-integer steps: for ``d`` close to ``n`` it is
    ``2**n`` minus the terms ``k > d``, and for ``n <= d`` it is ``2**n``.
    ``max_regions(1000, 256)`` takes about 0.1 ms; the time grows as the
    number of steps times the length of the result, which is how the budget
    is estimated.

    Examples
    --------
    Five lines in general position cut the plane into 16 regions:

    >>> max_regions(5, 2)
    16
    >>> max_regions(20, 10)
    616666

    Twenty central hyperplanes in $\mathbb{R}^{10}$, i.e. the dichotomies of 20 points
    by a perceptron with 10 weights:

    >>> max_regions(20, 10, central=True)
    524288

    The counts are exact however large they are:

    >>> r = max_regions(1000, 256)
    >>> round(math.log10(r), 1)
    245.7

    For ``n <= d`` the count is ``2**n``, at once:

    >>> max_regions(10**6, 10**6).bit_length()
    1000001
    """
    n = as_count(n, "n")
    d = as_count(d, "d")
    max_bits, max_seconds = _budget(max_bits, max_seconds)
    if central and (n == 0 or d == 0):
        return 1 if n == 0 else 0
    m, k = (n - 1, d - 1) if central else (n, d)
    _check_budget(f"max_regions({n}, {d}{', central=True' if central else ''})",
                  _binomial.prefix_sum_bits(m, k) + central, _binomial.sum_seconds(m, k),
                  max_bits, max_seconds)
    return 2 * prefix_sum(m, k) if central else prefix_sum(m, k)


def max_bounded_regions(n: int, d: int, *, max_bits: int | None = DEFAULT_MAX_BITS,
                        max_seconds: float | None = DEFAULT_MAX_SECONDS) -> int:
    r"""Return the largest number of bounded regions of ``n`` hyperplanes in $\mathbb{R}^d$.

    Parameters
    ----------
    n : int
        Number of hyperplanes, ``n >= 0``.
    d : int
        Dimension, ``d >= 0``.
    max_bits, max_seconds : int or None, float or None
        The budget, as in [`max_regions`][hyperarr.counting.max_regions].

    Returns
    -------
    int
        ``comb(n − 1, d)`` for ``n >= 1``.  For ``n = 0`` the answer is 0 when
        ``d >= 1`` ($\mathbb{R}^d$ itself is unbounded) and 1 when ``d = 0`` ($\mathbb{R}^0$
        is a single, bounded point).

    Raises
    ------
    ArrangementError
        If ``n`` or ``d`` is not a non-negative integer (a ``ValueError``).

    Notes
    -----
    The count is reached by affine hyperplanes in general position
    (Zaslavsky 1975).  It is 0 when ``n <= d``: then the normals cannot span
    $\mathbb{R}^d$ and every region contains a line.

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
    max_bits, max_seconds = _budget(max_bits, max_seconds)
    if n == 0:
        return 1 if d == 0 else 0
    bits = _binomial.comb_bits(n - 1, d)
    _check_budget(f"max_bounded_regions({n}, {d})", bits, _binomial.comb_seconds(bits),
                  max_bits, max_seconds)
    return math.comb(n - 1, d)


def approx_regions(n: int, d: int, *, max_bits: int | None = DEFAULT_MAX_BITS,
                   max_seconds: float | None = DEFAULT_MAX_SECONDS) -> int:
    """Return ``n**d``, the approximate region count from class.

    Parameters
    ----------
    n : int
        Number of hyperplanes, ``n >= 0``.
    d : int
        Dimension, ``d >= 0``.
    max_bits, max_seconds : int or None, float or None
        The budget, as in [`max_regions`][hyperarr.counting.max_regions].

    Returns
    -------
    int
        ``n**d`` (with ``0**0 = 1``).

    Raises
    ------
    ArrangementError
        If ``n`` or ``d`` is not a non-negative integer (a ``ValueError``).
    OutputTooLargeError
        If ``n**d`` would be longer than ``max_bits`` bits, or take longer
        than ``max_seconds`` (a ``MemoryError``); nothing is computed.

    Notes
    -----
    For fixed ``d`` and large ``n`` the exact count [`max_regions`][hyperarr.counting.max_regions] is
    ``n**d / d! + O(n**(d − 1))``, so ``n**d`` overestimates it by a factor
    close to ``d!`` (and by more when ``n`` is not much larger than ``d``).
    [`region_count_table`][hyperarr.counting.region_count_table] shows both.

    Examples
    --------
    Exercise 3h estimates 20 neurons on a 10-dimensional input by
    ``20**10 = 2**10 · 10**10 ≈ 10**13``; the exact count is 616,666:

    >>> approx_regions(20, 10)
    10240000000000
    >>> approx_regions(20, 10) // max_regions(20, 10)
    16605423

    A number of nine billion digits is refused before any work:

    >>> approx_regions(10**9, 10**9)
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.OutputTooLargeError: approx_regions(1000000000,
    1000000000) would have about 29,897,352,855 bits (9,000,000,001 decimal
    digits), more than max_bits=134,217,728; ...
    """
    n = as_count(n, "n")
    d = as_count(d, "d")
    max_bits, max_seconds = _budget(max_bits, max_seconds)
    bits = _binomial.power_bits(n, d)
    _check_budget(f"approx_regions({n}, {d})", bits, _binomial.power_seconds(bits),
                  max_bits, max_seconds)
    return n**d


def _log10(value: int) -> float:
    """Return ``log10(value)`` for an int of any size; ``-inf`` for 0."""
    if value == 0:
        return -math.inf
    # math.log10 accepts ints beyond the float range without overflow.
    return math.log10(value)


def _ratio(num: int, den: int) -> float:
    """Return ``num / den`` correctly rounded, or ``inf`` beyond the float range.

    Python's int division is correctly rounded, like ``float(Fraction(num,
    den))``, without the gcd that reducing the fraction would cost.
    """
    try:
        return num / den
    except OverflowError:
        return math.inf


@dataclass(frozen=True)
class RegionCountRow:
    """One row of [`region_count_table`][hyperarr.counting.region_count_table]: exact and approximate counts.

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


#: Estimated seconds of the Python work of one table row, besides its big integers.
_ROW_SECONDS = 2e-5


def _as_count_list(values: Any, name: str, max_len: int | None = None) -> list[int]:
    """Return ``values`` (one int or an iterable of ints) as a list of counts.

    A sized iterable longer than ``max_len`` is refused before it is expanded.
    """
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
    if max_len is not None and isinstance(values, Sized):
        _check_rows(f"{name} has {len(values):,} entries: the table", len(values), max_len)
    return [as_count(v, f"{name}[{i}]") for i, v in enumerate(values)]


def _check_rows(what: str, rows: int, max_len: int) -> None:
    """Refuse a table of more than ``max_len`` rows before building it."""
    if rows > max_len:
        raise OutputTooLargeError(
            f"{what} would have at least {rows:,} rows, about {rows * _ROW_SECONDS:.3g} s of "
            f"work, more than max_seconds allows ({max_len:,} rows); pass a larger max_seconds "
            "(or None)"
        )


def _table_cost(n_list: list[int], d_list: list[int]) -> tuple[int, float]:
    """Estimated bits of the largest number and seconds of the table: per distinct
    ``n``, one sweep of binomial sums; per row, ``n**d``, ``d!`` and the gcd that
    reduces ``n**d / d!``."""
    bits, seconds = 0, 0.0
    fact_bits = {d: math.ceil(math.lgamma(d + 1) / math.log(2)) + 1 for d in set(d_list)}
    for n, repeats in collections.Counter(n_list).items():
        seconds += _binomial.sum_seconds(n, d_list)
        for d in d_list:
            approx_bits = _binomial.power_bits(n, d)
            bits = max(bits, _binomial.prefix_sum_bits(n, d), approx_bits, fact_bits[d])
            seconds += repeats * (
                _ROW_SECONDS + _binomial.power_seconds(approx_bits)
                + _binomial.factorial_seconds(fact_bits[d])
                + _binomial.gcd_seconds(approx_bits, fact_bits[d]))
    return bits, seconds


def _row(n: int, d: int, exact: int) -> RegionCountRow:
    approx = n**d
    log10_exact = _log10(exact)
    log10_approx = _log10(approx)
    return RegionCountRow(
        n=n,
        d=d,
        exact=exact,
        approx=approx,
        approx_factorial=Fraction(approx, math.factorial(d)),
        ratio=_ratio(approx, exact),
        log10_exact=log10_exact,
        log10_approx=log10_approx,
        log10_error=log10_approx - log10_exact,
    )


def region_count_table(ns: int | Iterable[int], ds: int | Iterable[int], *,
                       max_bits: int | None = DEFAULT_MAX_BITS,
                       max_seconds: float | None = DEFAULT_MAX_SECONDS) -> list[RegionCountRow]:
    """Compare the exact region count with ``n**d`` for every ``(n, d)`` pair.

    Parameters
    ----------
    ns : int or iterable of int
        Numbers of hyperplanes, each ``>= 0``.
    ds : int or iterable of int
        Dimensions, each ``>= 0``.
    max_bits, max_seconds : int or None, float or None
        The budget, as in [`max_regions`][hyperarr.counting.max_regions]: no number of the table may be
        longer than ``max_bits``, and the whole table must be estimated to
        take at most ``max_seconds``.  It is checked before any row is
        computed (and, for sized iterables such as ``range``, before they are
        expanded).

    Returns
    -------
    list of RegionCountRow
        One row per pair of ``itertools.product(ns, ds)``: ``n`` varies
        slowest, in the order given.

    Raises
    ------
    ArrangementError
        If an entry is not a non-negative integer (a ``ValueError``).
    OutputTooLargeError
        If the table exceeds the budget (a ``MemoryError``).

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
    max_bits, max_seconds = _budget(max_bits, max_seconds)
    max_len = None if max_seconds is None else int(max_seconds / _ROW_SECONDS)
    n_list = _as_count_list(ns, "ns", max_len)
    d_list = _as_count_list(ds, "ds", max_len)
    if max_len is not None:
        _check_rows("the table", len(n_list) * len(d_list), max_len)
    bits, seconds = _table_cost(n_list, d_list)
    what = f"region_count_table over {len(n_list) * len(d_list):,} (n, d) pairs"
    _check_budget(what, bits, seconds, max_bits, max_seconds)
    sums = {n: prefix_sums(n, d_list) for n in set(n_list)}
    return [_row(n, d, sums[n][d]) for n, d in itertools.product(n_list, d_list)]
