"""Exact binomial prefix sums, the region counts of general position (private kernel)."""

from __future__ import annotations

__all__ = ["prefix_sum", "region_count"]


def prefix_sum(n: int, m: int) -> int:
    """Return ``sum(comb(n, k) for k in range(m + 1))`` for ``n, m >= 0``.

    Each binomial is obtained from the previous one by
    ``C(n, k + 1) = C(n, k) * (n − k) // (k + 1)``, which is an exact division.
    The loop stops at ``min(n, m)`` because ``C(n, k) = 0`` for ``k > n``.
    """
    term = 1
    total = 1
    for k in range(min(n, m)):
        term = term * (n - k) // (k + 1)
        total += term
    return total


def region_count(n: int, d: int) -> int:
    """Regions of n affine hyperplanes in general position in R^d: Σ_{k≤d} C(n, k)."""
    return prefix_sum(n, d)
