"""Exact arithmetic kernels shared by the modules (private).

Two families live here, kept apart as pycddlib keeps ``cdd`` and ``cdd.gmp``:

* exact kernels on Python integers and :class:`fractions.Fraction`;
* *filtered* float kernels, which evaluate in float64 together with a
  rigorous error bound and hand every entry whose sign the bound cannot prove
  to the exact kernel (CGAL's filtered predicates).

A float64 value is an exact binary rational, so "exact on the given floats"
is well defined: ``Fraction(0.1)`` is 3602879701896397/36028797018963968.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from numbers import Rational
from typing import Any, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["to_exact", "to_float", "float_rows", "integer_row", "canonical_row", "rank_exact",
           "affine_signs", "exact_signs", "nonsingular", "nonsingular_modular"]

# Unit roundoff of float64, doubled as a safety margin.
_EPS = 2.0**-52
# Smallest normal float64; absorbs underflow in the error bound.
_TINY = 2.0**-1000  # >> 2**-1074 (one subnormal ulp), absorbs underflow


def to_exact(value: Any) -> int | Fraction:
    """Return ``value`` as an exact int or Fraction; raise TypeError/ValueError."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("bool")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            raise ValueError(repr(value))
        # as_integer_ratio is exact for float64 and for wider numpy floats.
        return Fraction(*value.as_integer_ratio())
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    raise TypeError(type(value).__name__)


def to_float(value: int | Fraction) -> float:
    """Nearest float64, with ±inf instead of OverflowError."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def float_rows(rows: Sequence[Sequence[int | Fraction]], width: int) -> NDArray[np.float64]:
    """Rows as float64, each divided by a power of two so that it fits.

    Dividing a row by 2**e is a positive scaling, so it keeps the
    hyperplane and its sign; without it an integer row with entries beyond
    1e308 would turn into infinities.  Tiny entries may underflow, which the
    filter of :func:`affine_signs` accounts for.
    """
    out = np.empty((len(rows), width))
    for i, r in enumerate(rows):
        big: int | Fraction = max([abs(v) for v in r], default=0)  # type: ignore[type-var,assignment]
        shift = 0
        if big > 2**1000:
            fb = Fraction(big)
            shift = fb.numerator.bit_length() - fb.denominator.bit_length() - 1000
        if shift:
            scale = Fraction(1, 2**shift)
            out[i] = [float(v * scale) for v in r]
        else:
            out[i] = [float(v) for v in r]
    return out


def integer_row(row: Sequence[int | Fraction]) -> tuple[int, ...]:
    """Scale an exact row by a positive rational to coprime integers.

    The scaling is positive, so the hyperplane and its orientation are kept.
    """
    den = 1
    for v in row:
        if isinstance(v, Fraction):
            den = den * v.denominator // math.gcd(den, v.denominator)
    ints = [int(v * den) for v in row]
    g = 0
    for v in ints:
        g = math.gcd(g, v)
    if g > 1:
        ints = [v // g for v in ints]
    return tuple(ints)


def canonical_row(row: Sequence[int]) -> tuple[tuple[int, ...], int]:
    """Canonical form of an integer row up to sign: (row', s) with row = s*row'.

    The first nonzero entry of ``row'`` is positive.  ``row`` must be coprime.
    """
    for v in row:
        if v:
            if v > 0:
                return tuple(row), 1
            return tuple(-x for x in row), -1
    return tuple(row), 1


def rank_exact(rows: Iterable[Sequence[int | Fraction]]) -> int:
    """Rank of a matrix of exact numbers by fraction-free elimination."""
    mat = [list(integer_row(r)) for r in rows if any(r)]
    if not mat:
        return 0
    ncols = len(mat[0])
    rank = 0
    for col in range(ncols):
        piv = next((r for r in range(rank, len(mat)) if mat[r][col]), None)
        if piv is None:
            continue
        mat[rank], mat[piv] = mat[piv], mat[rank]
        p = mat[rank]
        for r in range(rank + 1, len(mat)):
            q = mat[r][col]
            if q:
                row = [p[col] * a - q * b for a, b in zip(mat[r], p)]
                g = 0
                for v in row:
                    g = math.gcd(g, v)
                mat[r] = [v // g for v in row] if g > 1 else row
        rank += 1
        if rank == len(mat):
            break
    return rank


# --------------------------------------------------------------------------
# Filtered sign evaluation
# --------------------------------------------------------------------------


def affine_signs(
    rows_f: NDArray[np.float64],
    rows_exact: Sequence[Sequence[int | Fraction]],
    points: NDArray[Any],
) -> NDArray[np.int8]:
    """Exact signs of ``rows[:, :-1] @ p - rows[:, -1]`` for each point ``p``.

    Parameters
    ----------
    rows_f : ndarray of float64, shape (n, d+1)
        The rows ``[a | b]`` rounded to float64 (used by the filter only).
    rows_exact : sequence of n exact rows of length d+1
        The same rows, exact.
    points : ndarray, shape (m, d)
        float64 points (exact binary rationals) or an object array of exact
        numbers.

    Returns
    -------
    ndarray of int8, shape (m, n)
    """
    m = points.shape[0]
    n = rows_f.shape[0]
    if m == 0 or n == 0:
        return np.zeros((m, n), dtype=np.int8)
    block = max(1, 2**22 // max(n, 1))  # bound the float temporaries to ~32 MB each
    if m > block and points.dtype != object:
        return np.concatenate([affine_signs(rows_f, rows_exact, points[i : i + block])
                               for i in range(0, m, block)])
    if points.dtype == object:
        return _exact_block(rows_exact, points, np.ones((m, n), dtype=bool), None)
    a = rows_f[:, :-1]
    b = rows_f[:, -1]
    with np.errstate(over="ignore", invalid="ignore"):
        val = points @ a.T - b
        bound = np.abs(points) @ np.abs(a).T + np.abs(b)
        bound *= (rows_f.shape[1] + 2) * _EPS
        # Entries of rows_f that underflowed carry an absolute error < 2**-1074.
        bound += _TINY * (np.abs(points).sum(axis=1, keepdims=True) + 1.0)
        unsure = ~(np.abs(val) > bound)  # also catches nan/inf
    out = np.sign(val).astype(np.int8)
    if unsure.any():
        out = _exact_block(rows_exact, points, unsure, out)
    return out


def exact_signs(rows: Sequence[Sequence[int | Fraction]],
                points: Sequence[Sequence[int | Fraction]]) -> NDArray[np.int8]:
    """Signs of ``a · x − b`` for rows ``[a | b]`` at exact points, in rationals only."""
    out = np.zeros((len(points), len(rows)), dtype=np.int8)
    for i, x in enumerate(points):
        for j, r in enumerate(rows):
            v = sum((a * xi for a, xi in zip(r[:-1], x)), Fraction(0)) - r[-1]
            out[i, j] = (v > 0) - (v < 0)
    return out


def _exact_block(
    rows_exact: Sequence[Sequence[int | Fraction]],
    points: NDArray[Any],
    mask: NDArray[np.bool_],
    out: NDArray[np.int8] | None,
) -> NDArray[np.int8]:
    if out is None:
        out = np.zeros(mask.shape, dtype=np.int8)
    idx_p, idx_r = np.nonzero(mask)
    cache: dict[int, list[Fraction]] = {}
    for p, r in zip(idx_p.tolist(), idx_r.tolist()):
        pt = cache.get(p)
        if pt is None:
            pt = [v if isinstance(v, Fraction) else Fraction(v) for v in points[p].tolist()]
            cache[p] = pt
        row = rows_exact[r]
        s = -Fraction(row[-1])
        for c, x in zip(row, pt):
            if c:
                s += c * x
        out[p, r] = (s > 0) - (s < 0)
    return out


# --------------------------------------------------------------------------
# Batched modular determinants: an exact nonzero test for many small matrices
# --------------------------------------------------------------------------

_PRIMES = (2147483629, 2147483587, 2147483579, 2147483563, 2147483549, 2147483543,
           2147483497, 2147483489, 2147483477, 2147483423, 2147483399, 2147483353)


def _powmod(base: NDArray[np.int64], exp: int, p: int) -> NDArray[np.int64]:
    result = np.ones_like(base)
    b = base % p
    while exp:
        if exp & 1:
            result = (result * b) % p
        b = (b * b) % p
        exp >>= 1
    return result


def _det_mod_p(mats: NDArray[np.int64], p: int) -> NDArray[np.bool_]:
    """Return ``det(mats[t]) != 0 (mod p)`` for a stack of square matrices."""
    a = mats % p
    count, k, _ = a.shape
    alive = np.ones(count, dtype=bool)
    ar = np.arange(count)
    for col in range(k):
        sub = a[:, col:, col] != 0
        has = sub.any(axis=1)
        alive &= has
        piv = col + np.argmax(sub, axis=1)
        rows_piv = a[ar, piv].copy()
        a[ar, piv] = a[:, col]
        a[:, col] = rows_piv
        inv = _powmod(a[:, col, col], p - 2, p)
        inv[~has] = 0
        if col + 1 < k:
            factor = (a[:, col + 1 :, col] * inv[:, None]) % p
            a[:, col + 1 :, :] = (
                a[:, col + 1 :, :] - (factor[:, :, None] * a[:, None, col, :]) % p
            ) % p
    return alive


def nonsingular(mats: Sequence[Sequence[Sequence[int]]] | NDArray[Any]) -> NDArray[np.bool_]:
    """Exactly decide which integer square matrices are nonsingular.

    A determinant that is nonzero modulo a prime is nonzero.  One that is zero
    modulo primes whose product exceeds twice Hadamard's bound is zero.
    """
    arr = np.asarray(mats)
    if arr.dtype.kind not in "iu":
        arr = np.asarray(mats, dtype=object)
    if arr.size == 0:
        return np.ones(arr.shape[0], dtype=bool)
    count = arr.shape[0]
    result = np.zeros(count, dtype=bool)
    pending = np.arange(count)
    if arr.dtype != object and np.abs(arr).max() < 2**50:
        proved = _nonsingular_float_filter(arr.astype(np.float64))
        result[proved] = True
        pending = pending[~proved]
        arr = arr[pending]
        pending_map = pending
        sub = nonsingular_modular(arr)
        result[pending_map[sub]] = True
        return result
    return nonsingular_modular(arr)


def _nonsingular_float_filter(a: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Prove nonsingularity of float matrices (exact entries) where possible.

    With R ~ inv(A) computed in floats, ``||I - R A||_inf < 1`` proves A
    nonsingular.  The product is evaluated in floats and its rounding error
    is bounded by ``gamma_k |R| |A|``; the test demands the sum of both to be
    below 1/2, which leaves a wide margin for the rounding of the bound.
    """
    count, k, _ = a.shape
    with np.errstate(all="ignore"):
        det = np.linalg.det(a)
        ok = np.isfinite(det) & (det != 0)
        out = np.zeros(count, dtype=bool)
        if not ok.any():
            return out
        sub = a[ok]
        r = np.linalg.inv(sub)
        if not np.isfinite(r).all():
            fin = np.isfinite(r).all(axis=(1, 2))
            idx = np.flatnonzero(ok)
            ok[idx[~fin]] = False
            sub, r = sub[fin], r[fin]
        resid = np.abs(np.eye(k) - r @ sub).sum(axis=2)
        err = (np.abs(r) @ np.abs(sub)).sum(axis=2) * (2 * (k + 2) * _EPS)
        good = ((resid + err).max(axis=1) < 0.5)
    out[np.flatnonzero(ok)[good]] = True
    return out


def nonsingular_modular(arr: NDArray[Any]) -> NDArray[np.bool_]:
    """Exact nonsingularity by determinants modulo primes (see :func:`nonsingular`)."""
    count = arr.shape[0]
    result = np.zeros(count, dtype=bool)
    if count == 0:
        return result
    k = arr.shape[1]
    pending = np.arange(count)
    # Hadamard bound on |det|: product of row norms.
    flat_max = max(abs(int(v)) for v in arr.ravel().tolist())
    log2_bound = k * (math.log2(max(flat_max, 1)) + 0.5 * math.log2(k)) + 1
    modulus_bits = 0.0
    for p in itertools.chain(_PRIMES, _more_primes()):
        if pending.size == 0:
            break
        reduced = np.array(
            [[[int(v) % p for v in row] for row in arr[t]] for t in pending.tolist()],
            dtype=np.int64,
        ) if flat_max >= 2**62 else (
            arr[pending].astype(np.int64) % p
        )
        nz = _det_mod_p(reduced, p)
        result[pending[nz]] = True
        pending = pending[~nz]
        modulus_bits += math.log2(p)
        if modulus_bits > log2_bound + 1:
            break
    return result


def _more_primes() -> Iterable[int]:
    """Primes below 2**31, downward, after the fixed table (rarely needed)."""
    c = _PRIMES[-1] - 2
    while True:
        if all(c % q for q in range(3, int(c**0.5) + 1, 2)):
            yield c
        c -= 2
