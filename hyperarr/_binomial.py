"""Exact binomial prefix sums, the region counts of general position, and their cost (private kernel).

The sums are exact Python ints however large.  So that no caller hangs on
huge arguments, this module also estimates, before anything is computed, how
many bits a result has and how long CPython's big-integer arithmetic takes
to produce it.  The time model is calibrated with CPython 3.11 on a 2-core
x86-64 machine: it is an estimate, good to a small factor, used only to
refuse work far beyond a budget.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["comb_bits", "comb_seconds", "factorial_seconds", "gcd_seconds", "power_bits",
           "power_seconds", "prefix_sum", "prefix_sum_bits", "prefix_sum_steps", "prefix_sums",
           "region_count", "sum_seconds"]


def prefix_sum(n: int, m: int) -> int:
    """Return ``sum(comb(n, k) for k in range(m + 1))`` for ``n, m >= 0``.

    Each binomial is obtained from the previous one by
    ``C(n, k + 1) = C(n, k) * (n − k) // (k + 1)``, which is an exact division.
    The shorter of two sums is taken: for ``m >= n`` the answer is ``2**n``;
    for ``m`` close to ``n`` it is ``2**n`` minus the terms ``k > m``, which
    by symmetry sum to ``prefix_sum(n, n − m − 1)``.  So the loop runs
    ``prefix_sum_steps`` times, at most ``n // 2``.
    """
    if m >= n:
        return 1 << n
    tail = n - m - 1
    if tail < m:
        return (1 << n) - _direct_sum(n, tail)
    return _direct_sum(n, m)


def prefix_sums(n: int, ms: Iterable[int]) -> dict[int, int]:
    """``{m: prefix_sum(n, m)}`` for several ``m`` at once, in one sweep per side.

    The sums taken directly share one loop up to the largest of them, and
    those taken as ``2**n`` minus a tail share another, so the cost is that
    of the longest single sum.
    """
    ms = set(ms)
    direct = {m for m in ms if m < n and n - m - 1 >= m}
    tails = {n - m - 1 for m in ms if m < n and n - m - 1 < m}
    partial = _direct_sums(n, direct | tails)
    out = {m: 1 << n for m in ms if m >= n}
    out.update({m: partial[m] for m in direct})
    out.update({n - t - 1: (1 << n) - partial[t] for t in tails})
    return out


def _direct_sums(n: int, ms: set[int]) -> dict[int, int]:
    """``{m: Σ_{k≤m} C(n, k)}`` term by term, for ``m < n``."""
    out = {}
    term = 1
    total = 1
    top = max(ms, default=-1)
    for k in range(top + 1):
        if k in ms:
            out[k] = total
        if k < top:
            term = term * (n - k) // (k + 1)
            total += term
    return out


def _direct_sum(n: int, m: int) -> int:
    return _direct_sums(n, {m})[m]


def region_count(n: int, d: int) -> int:
    """Regions of n affine hyperplanes in general position in R^d: Σ_{k≤d} C(n, k)."""
    return prefix_sum(n, d)


# ----------------------------------------------------------------------
# Sizes and costs, estimated before computing
# ----------------------------------------------------------------------


def prefix_sum_steps(n: int, m: int) -> int:
    """Big-integer steps ``prefix_sum`` takes: ``min(m, n − m − 1)``, 0 when ``m >= n``."""
    return 0 if m >= n else min(m, n - m - 1)


def comb_bits(n: int, k: int) -> int:
    """An upper bound on the bit length of ``C(n, k)``, from ``C(n, k) <= (e n / k)**k``."""
    k = min(k, n - k)
    if k <= 0:
        return 1
    return min(n, math.ceil(k * math.log2(math.e * n / k))) + 1


def prefix_sum_bits(n: int, m: int) -> int:
    """An upper bound on the bit length of ``prefix_sum(n, m)`` (exact when ``m >= n``)."""
    if m >= n:
        return n + 1
    if 2 * m >= n:
        return n + 1
    # m < n/2: the terms grow, so the sum is at most (m + 1) C(n, m).
    return min(n + 1, comb_bits(n, m) + (m + 1).bit_length())


def power_bits(n: int, d: int) -> int:
    """An upper bound on the bit length of ``n**d``."""
    if n <= 1 or d == 0:
        return 1
    return math.ceil(d * math.log2(n)) + 1


#: Seconds per step and bit of the term-by-term sum (one product and one
#: exact division of a big integer by a machine word).
_SUM = 2e-10
#: Seconds of ``n**d``, ``math.comb`` and ``math.factorial`` for a B-bit
#: result: c · B**e (Karatsuba products; comb also divides).
_POWER, _COMB, _FACTORIAL = (7e-12, 1.6), (3e-11, 1.9), (1.3e-11, 1.6)
#: Seconds of ``math.gcd`` of an A-bit and a B-bit integer (B <= A): c · (A·B + B²).
_GCD = 4e-13


def sum_seconds(n: int, m: int | Iterable[int]) -> float:
    """Estimated seconds of ``prefix_sum(n, m)`` (or of ``prefix_sums(n, m)`` for
    several ``m``): the longest sum's steps × the largest result's bits × a constant."""
    ms = [m] if isinstance(m, int) else list(m)
    steps = max((prefix_sum_steps(n, k) for k in ms), default=0)
    return _SUM * steps * max((prefix_sum_bits(n, k) for k in ms), default=1)


def power_seconds(bits: int) -> float:
    """Estimated seconds to compute a power with ``bits`` bits."""
    return _POWER[0] * bits ** _POWER[1]


def comb_seconds(bits: int) -> float:
    """Estimated seconds of a ``math.comb`` with ``bits`` bits."""
    return _COMB[0] * bits ** _COMB[1]


def factorial_seconds(bits: int) -> float:
    """Estimated seconds of a ``math.factorial`` with ``bits`` bits."""
    return _FACTORIAL[0] * bits ** _FACTORIAL[1]


def gcd_seconds(a_bits: int, b_bits: int) -> float:
    """Estimated seconds of ``math.gcd`` of integers with ``a_bits`` and ``b_bits`` bits."""
    a_bits, b_bits = max(a_bits, b_bits), min(a_bits, b_bits)
    return _GCD * (a_bits * b_bits + b_bits * b_bits)
