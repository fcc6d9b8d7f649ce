"""Exact arithmetic kernels shared by the modules (private).

Two families live here, kept apart as pycddlib keeps ``cdd`` and ``cdd.gmp``:

* exact kernels on Python integers and `fractions.Fraction`;
* *filtered* float kernels, which evaluate in float64 together with a
  rigorous error bound and hand every entry whose sign the bound cannot prove
  to the exact kernel (CGAL's filtered predicates).

A float64 value is an exact binary rational, so "exact on the given floats"
is well defined: ``Fraction(0.1)`` is 3602879701896397/36028797018963968.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from typing import Any, Iterable, Iterator, Sequence

import gmpy2
import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_DIGITS", "exact_text", "parse_exact", "short_text", "to_exact", "to_float", "filter_constants",
           "exact_where",
           "float_rows", "unit_rows", "integer_row", "canonical_row",
           "rank_exact", "affine_signs", "exact_signs", "nonsingular", "nonsingular_modular",
           "colex", "laplace_fits", "square_minors_doubtful", "LAPLACE_FLOATS"]

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


#: Largest size, in decimal digits, of a number read from text (1e99999 is 100,000 digits).
MAX_DIGITS = 100_000

_DECIMAL = re.compile(r"[-+]?(?P<int>\d*)(?:\.(?P<frac>\d*))?(?:[eE](?P<exp>[-+]?\d+))?")
_INTEGER = re.compile(r"[-+]?\d+")


def parse_exact(text: str, max_digits: int | None = MAX_DIGITS) -> Fraction:
    """The exact value of a decimal or ``p/q`` string, its size checked before it is built.

    Accepts what `fractions.Fraction` accepts from a string (``-1.5e3``,
    ``.5``, ``3/4``), at any length up to ``max_digits`` digits (Python's
    int-string limit does not apply; None: no limit, for the files hyperarr
    writes itself).  Raises ValueError saying why the text
    is no number or too large, before building anything of that size, and
    ZeroDivisionError for ``p/0``.
    """
    t = text.strip()
    num, slash, den = t.partition("/")
    if slash:
        num, den = num.strip(), den.strip()
        if not (_INTEGER.fullmatch(num) and den.isdigit() and den.isascii()):
            raise ValueError("is not a number")
        size = max(len(num), len(den))
        if max_digits is not None and size > max_digits:
            raise ValueError(f"has {size} digits, more than the {max_digits} allowed")
        q = int(gmpy2.mpz(den))
        if q == 0:
            raise ZeroDivisionError(f"{text!r} divides by zero")
        return Fraction(int(gmpy2.mpz(num.lstrip("+"))), q)
    m = _DECIMAL.fullmatch(t)
    if m is None or not (m["int"] or m["frac"]) or not t.isascii():
        raise ValueError("is not a number")
    digits = (m["int"] + (m["frac"] or "")).lstrip("0")
    exp_text = (m["exp"] or "0").lstrip("+-").lstrip("0")
    if max_digits is not None and len(exp_text) > 20:
        raise ValueError(f"has an exponent of {len(exp_text)} digits; numbers are limited to "
                         f"{max_digits} decimal digits")
    if digits and max_digits is not None:
        exp = int(m["exp"] or 0) - len(m["frac"] or "")
        size = len(digits) + abs(exp)
        if size > max_digits:
            raise ValueError(f"has about {size} decimal digits (exponent {m['exp'] or 0}), more than "
                             f"the {max_digits} allowed")
    return Fraction(Decimal(t))


#: Integers up to this many bits are written by ``str`` (below Python's int-string limit).
_STR_BITS = 12_000


def _int_text(x: int) -> str:
    return str(x) if x.bit_length() <= _STR_BITS else gmpy2.mpz(x).digits()


def short_text(value: int | Fraction, width: int = 40) -> str:
    """An exact number for a message: its text, or its size where that is long."""
    v = Fraction(value)
    if max(v.numerator.bit_length(), v.denominator.bit_length()) <= 4 * width:
        return str(v)
    return f"{'-' if v < 0 else ''}(a number of about 10^{math.floor(_log10_abs(v))})"


def _log10_abs(v: Fraction) -> float:
    return (math.log10(abs(v.numerator)) if v.numerator else 0.0) - math.log10(v.denominator)


def exact_text(value: int | Fraction) -> str:
    """Decimal text of an exact number (``p`` or ``p/q``), of any size.

    Python's ``str`` refuses integers over 4,300 digits; larger ones are
    written by GMP (gmpy2), which has no such limit and is subquadratic.
    `parse_exact` with ``max_digits=None`` reads the text back.
    """
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return _int_text(value.numerator)
        return f"{_int_text(value.numerator)}/{_int_text(value.denominator)}"
    return _int_text(int(value))


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
    filter of `affine_signs` accounts for.
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
        scale, tiny = filter_constants(rows_f.shape[1] - 1)
        bound *= scale
        # Entries of rows_f that underflowed carry an absolute error < 2**-1074.
        bound += tiny * (np.abs(points).sum(axis=1, keepdims=True) + 1.0)
        unsure = ~(np.abs(val) > bound)  # also catches nan/inf
    out = np.sign(np.where(unsure, 0.0, val)).astype(np.int8)  # no NaN reaches the cast
    if unsure.any():
        out = _exact_block(rows_exact, points, unsure, out)
    return out


def filter_constants(d: int) -> tuple[float, float]:
    """The constants of the sign filter in R^d: relative (d + 3)·ε and absolute 2^−1000.

    The float value of a·p − b, from rows rounded to float64, is within
    (d + 3)·ε·(|a|·|p| + |b|) of the exact value, and entries that
    underflowed add at most 2^−1000·(|p|₁ + 1).  ``affine_signs`` and
    its compiled twin in ``hyperarr._generic_jit`` both use these.
    """
    return (d + 3) * _EPS, _TINY


def exact_signs(rows: Sequence[Sequence[int | Fraction]],
                points: Sequence[Sequence[int | Fraction]]) -> NDArray[np.int8]:
    """Signs of ``a · x − b`` for rows ``[a | b]`` at exact points, with no float filter.

    Each row and each point is scaled to integers once (`_exact_block`), so
    no Fraction arithmetic runs in the loop.
    """
    out = np.zeros((len(points), len(rows)), dtype=np.int8)
    if out.size == 0:
        return out
    pts = np.empty((len(points), len(points[0])), dtype=object)
    for i, x in enumerate(points):
        pts[i, :] = list(x)
    return _exact_block(rows, pts, np.ones(out.shape, dtype=bool), out)


def exact_where(rows_exact: Sequence[Sequence[int | Fraction]], points: NDArray[Any],
                mask: NDArray[np.bool_], out: NDArray[np.int8]) -> NDArray[np.int8]:
    """``out`` with the exact signs of ``rows_exact`` at ``points`` where ``mask`` is set
    (the exact step of `affine_signs`, after a float filter run elsewhere)."""
    return _exact_block(rows_exact, points, mask, out)


def _exact_block(
    rows_exact: Sequence[Sequence[int | Fraction]],
    points: NDArray[Any],
    mask: NDArray[np.bool_],
    out: NDArray[np.int8] | None,
) -> NDArray[np.int8]:
    """Exact signs where ``mask`` is set, in integers.

    Each row is scaled once by a positive integer to integers, and each point
    to an integer vector over a common denominator (a power of two for a
    float point): the sign of a·x − b is that of Σ a_j X_j − b D.  No
    Fraction arithmetic runs in the loop.
    """
    if out is None:
        out = np.zeros(mask.shape, dtype=np.int8)
    idx_p, idx_r = np.nonzero(mask)
    pcache: dict[int, tuple[list[int], int]] = {}
    rcache: dict[int, tuple[int, ...]] = {}
    for p, r in zip(idx_p.tolist(), idx_r.tolist()):
        pt = pcache.get(p)
        if pt is None:
            pt = integer_point(points[p].tolist())
            pcache[p] = pt
        row = rcache.get(r)
        if row is None:
            row = integer_row(rows_exact[r])
            rcache[r] = row
        X, D = pt
        s = sum(map(operator.mul, row, X)) - row[-1] * D  # map stops at the d coordinates
        out[p, r] = (s > 0) - (s < 0)
    return out


def integer_point(point: Sequence[Any]) -> tuple[list[int], int]:
    """An exact point (floats, ints or Fractions) as integers X over one denominator D > 0."""
    if all(type(v) is float for v in point):
        # Float denominators are powers of two: their lcm is the largest one.
        ratios = [v.as_integer_ratio() for v in point]
        D = max((q for _, q in ratios), default=1)
        return [n * (D // q) for n, q in ratios], D
    ratios = [v.as_integer_ratio() if isinstance(v, float) else
              (v.numerator, v.denominator) if isinstance(v, Fraction) else (int(v), 1) for v in point]
    D = 1
    for _, q in ratios:
        if q != 1 and D % q:
            D = D * q // math.gcd(D, q)
    return [n * (D // q) for n, q in ratios], D


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


def unit_rows(rows: Sequence[Sequence[int]] | NDArray[Any], width: int) -> NDArray[np.float64]:
    """Integer rows as float64, each divided by the power of two ``2**e`` above its
    largest entry, so that every row's largest magnitude lies in [1/2, 1].

    A positive scaling of a row keeps its hyperplane and the nonsingularity of
    every minor it is in.  Each entry is the correctly rounded quotient (Python's
    int division): within a relative 2**-53 of the exact one, or below 2**-1074
    in absolute value where it underflows.  Integers of any size are taken.
    """
    out = np.zeros((len(rows), width))
    for i, r in enumerate(rows):
        ints = [int(v) for v in r]
        e = max(abs(v) for v in ints).bit_length() if ints else 0
        if e:
            scale = 1 << e
            out[i] = [v / scale for v in ints]
    return out


def nonsingular(mats: Sequence[Sequence[Sequence[int]]] | NDArray[Any],
                floats: NDArray[np.float64] | None = None) -> NDArray[np.bool_]:
    """Exactly decide which integer square matrices are nonsingular.

    A float certificate (see ``_nonsingular_float_filter``) proves most
    of them nonsingular; the others are decided exactly by
    ``nonsingular_modular``.  ``floats`` may give the matrices already
    rounded to float64 with each row scaled by a positive number (for
    instance from ``unit_rows``); by default each row is scaled by a
    power of two here.
    """
    arr = np.asarray(mats)
    if arr.dtype.kind not in "iu":
        arr = np.asarray(mats, dtype=object)
    count = arr.shape[0]
    if arr.size == 0:
        return np.ones(count, dtype=bool)
    if floats is None:
        k = arr.shape[1]
        floats = unit_rows(arr.reshape(count * k, k), k).reshape(arr.shape)
    result = _nonsingular_float_filter(floats)
    rest = np.flatnonzero(~result)
    result[rest] = nonsingular_modular(arr[rest])
    return result


def _nonsingular_float_filter(a: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Prove nonsingularity of float matrices where possible.

    ``a`` holds exact matrices rounded to float64: each entry within a
    relative u = 2**-53 of the exact one, or off by less than 2**-1074 where
    it underflowed.  With R ~ inv(a) computed in floats, ``||I - R A||_inf
    < 1`` proves the exact A nonsingular.  It is bounded by the float
    residual ``|I - R a|``, plus the rounding of the product (``gamma_k |R|
    |a|``), plus the input rounding (``u |R| |a|`` and 2**-1074 ``|R|``); the
    test demands the sum to be below 1/2, which leaves a wide margin for the
    rounding of the bound itself.
    """
    count, k, _ = a.shape
    out = np.zeros(count, dtype=bool)
    with np.errstate(all="ignore"):
        det = np.linalg.det(a)
        ok = np.isfinite(det) & (det != 0)
        if not ok.any():
            return out
        sub = a[ok]
        r = np.linalg.inv(sub)
        fin = np.isfinite(r).all(axis=(1, 2))
        idx = np.flatnonzero(ok)[fin]
        sub, r = sub[fin], r[fin]
        resid = np.abs(np.eye(k) - r @ sub).sum(axis=2)
        absr = np.abs(r)
        err = (absr @ np.abs(sub)).sum(axis=2) * ((2 * k + 6) * _EPS) + absr.sum(axis=2) * _TINY
        good = (resid + err).max(axis=1) < 0.5
    out[idx[good]] = True
    return out


# --------------------------------------------------------------------------
# Every square minor of a matrix at once: a Laplace filter
# --------------------------------------------------------------------------

#: Largest table of minors (floats, 128 MB) the Laplace filter builds.
LAPLACE_FLOATS = 2**24
#: Absolute error allowance for underflow in the Laplace filter (k <= 16).
_LAPLACE_TINY = 2.0**-900


def colex(n: int, j: int) -> NDArray[np.intp]:
    """The j-subsets of range(n) as sorted rows, in colexicographic order.

    Ordered by largest element first, so the first ``C(t, j)`` rows are the
    subsets of range(t).
    """
    level = np.zeros((1, 0), dtype=np.intp)
    for i in range(1, j + 1):
        parts = [np.hstack([level[: math.comb(t, i - 1)], np.full((math.comb(t, i - 1), 1), t)])
                 for t in range(i - 1, n)]
        level = np.vstack(parts) if parts else np.zeros((0, i), dtype=np.intp)
    return level


def laplace_fits(n: int, k: int) -> bool:
    """True when ``square_minors_doubtful`` keeps its table within LAPLACE_FLOATS."""
    return k <= 16 and math.comb(n, k // 2) * math.comb(k, k // 2) <= LAPLACE_FLOATS


class _Wedge:
    """Exterior powers of the rows of ``M`` (n × k) in colex order of the rows.

    Level i has one row per i-subset S of the matrix rows (colex) and one
    column per i-subset I of the k columns (``itertools.combinations``
    order), holding the computed minor det M[S, I].  Level i is built from
    level i − 1 by expanding along the last row t of S: a sum of i products
    per entry, M[t, c] times the minor without row t and column c.
    """

    def __init__(self, M: NDArray[np.float64], level: NDArray[np.float64] | None = None,
                 i: int = 0) -> None:
        """Level 0 (the empty minor, 1), or the given level ``i``."""
        self.M = M
        k = M.shape[1]
        self.cols = [list(itertools.combinations(range(k), j)) for j in range(k + 1)]
        self.index = [{c: j for j, c in enumerate(cols)} for cols in self.cols]
        self.level = np.ones((1, 1)) if level is None else level
        self.i = i
        self._cache: dict[int, list[tuple[NDArray[np.intp], NDArray[np.intp], int]]] = {}

    def _terms(self, i: int) -> list[tuple[NDArray[np.intp], NDArray[np.intp], int]]:
        """For each position of the expanded column: the minors' columns in level
        i − 1, the expanded column, and the sign (−1)^(i − 1 + position)."""
        if i not in self._cache:
            cols = self.cols[i]
            self._cache[i] = [
                (np.array([self.index[i - 1][I[:pos] + I[pos + 1:]] for I in cols], dtype=np.intp),
                 np.array([I[pos] for I in cols], dtype=np.intp), (-1) ** (i - 1 + pos))
                for pos in range(i)]
        return self._cache[i]

    def block(self, t: int, out: NDArray[np.float64] | None = None,
              rows: NDArray[np.intp] | None = None) -> NDArray[np.float64]:
        """The (i + 1)-minors of row t with the i-subsets of the current level i.

        By default the i-subsets below t (the colex prefix: the minors whose
        largest row is t, expanded along it); with ``rows``, those rows of the
        level (then t is the first row, expanded along: the sign of every
        minor is (−1)^i times its determinant's, which no test here reads).
        """
        i = self.i + 1
        if out is None:
            count = math.comb(t, i - 1) if rows is None else rows.size
            out = np.empty((count, len(self.cols[i])))
        out[...] = 0.0
        for sub, col, sign in self._terms(i):
            if rows is None:
                gathered = self.level[: math.comb(t, i - 1)][:, sub]
            else:
                gathered = self.level[np.ix_(rows, sub)]
            out += gathered * (sign * self.M[t, col])
        return out

    def up(self) -> None:
        """Replace level i by level i + 1 (its blocks written in place, in colex order)."""
        n = self.M.shape[0]
        i = self.i + 1
        level = np.empty((math.comb(n, i), len(self.cols[i])))
        for t in range(i - 1, n):
            self.block(t, level[math.comb(t, i) : math.comb(t + 1, i)])
        self.i, self.level = i, level


def square_minors_doubtful(M: NDArray[np.float64], limit: int = 2**20) -> Iterator[NDArray[np.intp]]:
    """Blocks of the k-subsets S of rows whose minor det M[S] a float filter cannot prove nonzero.

    ``M`` (n × k) holds exact rows rounded to float64, scaled by
    ``unit_rows`` (entries at most 1 in magnitude, within a relative
    u = 2**-53 of the exact ones or below 2**-1074 where they underflowed).
    Every k-subset not yielded has a nonzero exact minor; the yielded ones
    must be decided exactly.  Requires ``laplace_fits``.

    Each subset S is split into its p = k // 2 smallest rows A and the
    q = k − p others B, and det M[S] = Σ_I ε_I det M[A, I] det M[B, I^c]
    (Laplace's expansion along the rows of A, ε_I = ±1), which for all
    A below b = min B is one matrix product.  One table of minors is kept,
    the p-minors of every p-subset (and the (p − 1)-minors for even k); the
    q-minors of B are computed for one b at a time, from the
    (q − 1)-minors of B without b, so the memory is about
    C(n, p) · C(k, p) floats.  The factors are divided by
    P_A = Π_{i∈A} ‖M[i]‖₁ and P_B, so the product is det M[S] / (P_A P_B).
    Every computed minor is a sum, over the permutations σ of its expansion,
    of the exact products sgn σ Π M[i, σ(i)] each perturbed by a factor
    (1 + θ_σ) with |θ_σ| ≤ γ_N, N = p(p+1)/2 + q(q+1)/2 + C(k, p) + k + 2
    roundings (the levels of the exterior powers, the product, the input,
    the two divisions), for any order of summation in the products.  So its
    error is at most γ_N perm(|M[S]|) ≤ γ_N P_A P_B, plus less than 2**-900
    for underflow (times 2**k after the divisions, as each 1-norm is at
    least 1/2); the test doubles γ_N for the rounding of the norms.
    """
    n, k = M.shape
    if n < k:
        return
    p, q = k // 2, k - k // 2
    N = p * (p + 1) // 2 + q * (q + 1) // 2 + math.comb(k, p) + k + 2
    gamma = N * _EPS / 2 / (1 - N * _EPS / 2)
    threshold = 2 * gamma + _LAPLACE_TINY * 2.0**k
    norms = np.abs(M).sum(axis=1)
    # One table serves both sides: the (q − 1)-minors (for B, with its first
    # row b added) are level q − 1, which is level p or the one before it.
    W = _Wedge(M)
    for _ in range(q - 1):
        W.up()
    low, low_sets = W.level, colex(n, q - 1)
    if p > q - 1:
        W.up()
    A_sets = colex(n, p)
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero row gives NaN: doubtful
        A_scale = 1.0 / np.prod(norms[A_sets], axis=1)
        low_scale = 1.0 / np.prod(norms[low_sets], axis=1)
    comp = [W.index[q][tuple(c for c in range(k) if c not in I)] for I in W.cols[p]]
    eps = np.array([(-1) ** (sum(I) + p * (p - 1) // 2) for I in W.cols[p]], dtype=np.float64)
    below = _Wedge(M, low, q - 1)  # level q − 1 again, to expand along a first row b
    for b in range(p, n - q + 1):
        na = math.comb(b, p)
        rows = np.flatnonzero(low_sets[:, 0] > b) if q > 1 else np.zeros(1, dtype=np.intp)
        with np.errstate(divide="ignore", invalid="ignore"):
            right = (below.block(b, rows=rows)[:, comp] * (low_scale[rows] / norms[b])[:, None]).T
        step = max(1, limit // max(rows.size, 1))
        for a0 in range(0, na, step):
            a1 = min(a0 + step, na)
            with np.errstate(invalid="ignore"):
                left = W.level[a0:a1] * (eps[None, :] * A_scale[a0:a1, None])
                bad = ~(np.abs(left @ right) > threshold)
            if bad.any():
                ia, ib = np.nonzero(bad)
                yield np.hstack([A_sets[a0 + ia], np.full((ia.size, 1), b, dtype=np.intp),
                                 low_sets[rows[ib]]])


def nonsingular_modular(arr: NDArray[Any]) -> NDArray[np.bool_]:
    """Exact nonsingularity by determinants modulo primes (see ``nonsingular``)."""
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
    for p in _PRIMES:
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
            return result  # the product of the primes exceeds twice the bound: zero is zero
    # Beyond the table (entries of hundreds of bits): the few matrices left, which are
    # singular modulo every prime tried, are decided by one exact determinant each.
    for t in pending.tolist():
        result[t] = _det_exact([[int(v) for v in row] for row in arr[t]]) != 0
    return result


def _det_exact(mat: list[list[int]]) -> int:
    """Determinant of a square integer matrix by Bareiss's fraction-free elimination."""
    a = [row[:] for row in mat]
    k = len(a)
    sign, prev = 1, 1
    for c in range(k - 1):
        piv = next((r for r in range(c, k) if a[r][c]), None)
        if piv is None:
            return 0
        if piv != c:
            a[c], a[piv] = a[piv], a[c]
            sign = -sign
        for r in range(c + 1, k):
            for j in range(c + 1, k):
                a[r][j] = (a[r][j] * a[c][c] - a[r][c] * a[c][j]) // prev
        prev = a[c][c]
    return sign * a[k - 1][k - 1] if k else 1
