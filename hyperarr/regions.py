"""Exact enumeration of the regions of an arrangement.

A region is a connected component of the complement of the hyperplanes.  It
is named by its sign vector σ ∈ {−1, +1}^n (σ_i = +1 where neuron i fires) and
comes with an interior witness point whose signs equal σ *exactly* (checked
in exact arithmetic on the float64 values), and with a flag that says whether
it is bounded.

Two algorithms, one answer:

* **General position** (no LP, fully vectorized).  Under a generic linear
  functional c every region bounded below has a unique lowest vertex, the
  intersection of d hyperplanes, and lies in the one cone at that vertex on
  which c increases.  The regions unbounded below are the regions of the
  section of the central arrangement at ``c · x = −1``, one dimension down.
  So regions correspond to subsets of at most d hyperplanes, which is the
  count Σ_{k≤d} C(n, k).  Each candidate is checked exactly, and the result is
  accepted only if it has exactly Σ_{k≤d} C(n, k) distinct, exactly witnessed
  sign vectors: no arrangement of n hyperplanes in R^d has more, so the list
  is complete, and the arrangement is in general position.
* **Any input** (degenerate ones included).  Every region of an arrangement
  on a flat X has a facet on some trace H, and the two regions on either
  side of a facet are the lifts of one region of X ∩ H.  So the regions of X
  are the lifts of the regions of its children, memoized over the
  intersection lattice (see :mod:`hyperarr._lattice`).  Witnesses are lifted
  one coordinate at a time and checked exactly at every level; a float
  witness that misses is recomputed with exact rationals.

Boundedness is decided without tolerance: in general position, a region is
unbounded iff it (or its negative) is a region of the section at infinity;
otherwise a region is unbounded iff it meets one of the hyperplanes
``x_j = ±M``, where M exceeds every vertex coordinate (Hadamard's bound).
"""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import _exact, _lattice
from hyperarr.counting import max_regions as _max_regions
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement

__all__ = ["Regions", "Region", "regions", "iter_regions", "DEFAULT_MAX_REGIONS"]

#: Default limit of :func:`regions`: about 1 GB of output for n = 64, d = 12.
DEFAULT_MAX_REGIONS = 10_000_000


@dataclass(frozen=True)
class Region:
    """One region: its sign vector, an interior witness, and boundedness."""

    signs: tuple[int, ...]
    point: tuple[float, ...]
    bounded: bool


class Regions:
    """Immutable table of regions of an arrangement.

    Attributes
    ----------
    signs : ndarray of int8, shape (m, n)
        Row r is the sign vector of region r, entries in {−1, +1}.
    points : ndarray of float64, shape (m, d)
        Interior witnesses: ``A.signs(points) == signs`` exactly.
    bounded : ndarray of bool, shape (m,)

    Examples
    --------
    >>> import hyperarr as ha
    >>> R = ha.Arrangement([[1, 0], [0, 1]], [0, 0]).regions()
    >>> len(R), R.bounded.tolist()
    (4, [False, False, False, False])
    >>> R.index_of(R.signs[2]) == 2
    True
    """

    __slots__ = ("_signs", "_points", "_bounded", "_index")

    def __init__(self, signs: ArrayLike, points: ArrayLike, bounded: ArrayLike) -> None:
        s = np.array(signs, dtype=np.int8, copy=True)
        p = np.array(points, dtype=np.float64, copy=True)
        b = np.array(bounded, dtype=bool, copy=True)
        if s.ndim != 2:
            raise ArrangementError(f"signs must have shape (m, n); got {s.shape}")
        if p.ndim != 2 or p.shape[0] != s.shape[0]:
            raise ArrangementError(f"points must have shape ({s.shape[0]}, d); got {p.shape}")
        if b.shape != (s.shape[0],):
            raise ArrangementError(f"bounded must have shape ({s.shape[0]},); got {b.shape}")
        for a in (s, p, b):
            a.setflags(write=False)
        self._signs, self._points, self._bounded = s, p, b
        self._index: dict[Any, int] | None = None

    @classmethod
    def _wrap(cls, signs: NDArray[np.int8], points: NDArray[np.float64],
              bounded: NDArray[np.bool_]) -> "Regions":
        obj = cls.__new__(cls)
        for a in (signs, points, bounded):
            a.setflags(write=False)
        obj._signs, obj._points, obj._bounded = signs, points, bounded
        obj._index = None
        return obj

    @classmethod
    def concatenate(cls, parts: Sequence["Regions"]) -> "Regions":
        """Join chunks (e.g. from :func:`iter_regions`) into one table."""
        if not parts:
            raise ArrangementError("parts must hold at least one Regions; got none")
        return cls._wrap(
            np.concatenate([p.signs for p in parts]),
            np.concatenate([p.points for p in parts]),
            np.concatenate([p.bounded for p in parts]),
        )

    @property
    def signs(self) -> NDArray[np.int8]:
        return self._signs

    @property
    def points(self) -> NDArray[np.float64]:
        return self._points

    @property
    def bounded(self) -> NDArray[np.bool_]:
        return self._bounded

    def __len__(self) -> int:
        return self._signs.shape[0]

    def __getitem__(self, key: Any) -> Any:
        """``R[i]`` is a :class:`Region`; a slice, index array or mask gives a Regions."""
        if isinstance(key, (int, np.integer)):
            i = int(key)
            m = len(self)
            if not -m <= i < m:
                raise IndexError(f"region index must be in [-{m}, {m}); got {i}")
            return Region(
                tuple(int(v) for v in self._signs[i]),
                tuple(float(v) for v in self._points[i]),
                bool(self._bounded[i]),
            )
        return Regions._wrap(self._signs[key], self._points[key], self._bounded[key])

    def __repr__(self) -> str:
        m, n = self._signs.shape
        return (f"Regions(m={m}, n={n}, d={self._points.shape[1]}, "
                f"bounded={int(self._bounded.sum())})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Regions):
            return NotImplemented
        return (np.array_equal(self._signs, other._signs)
                and np.array_equal(self._points, other._points)
                and np.array_equal(self._bounded, other._bounded))

    __hash__ = None  # type: ignore[assignment]

    def _lookup(self) -> dict[Any, int]:
        if self._index is None:
            keys = _lattice.pack(self._signs)
            self._index = {k: i for i, k in enumerate(keys.tolist())}
        return self._index

    def index_of(self, sign_vector: ArrayLike) -> int:
        """Index of the region with this sign vector; KeyError if there is none."""
        s = np.asarray(sign_vector)
        n = self._signs.shape[1]
        if s.shape != (n,):
            raise ArrangementError(f"sign_vector must have shape ({n},); got {s.shape}")
        if not np.isin(s, (-1, 1)).all():
            raise ArrangementError(f"sign_vector entries must be -1 or +1; got {s.tolist()}")
        key = _lattice.pack(s.astype(np.int8)[None, :]).tolist()[0]
        try:
            return self._lookup()[key]
        except KeyError:
            raise KeyError(f"no region has sign vector {s.tolist()}") from None

    def locate(self, signs: ArrayLike) -> NDArray[np.int64]:
        """Region index of each sign vector in a (..., n) array; −1 where any sign is 0.

        Examples
        --------
        >>> import hyperarr as ha
        >>> A = ha.Arrangement([[1, 0], [0, 1]], [0, 0])
        >>> R = A.regions()
        >>> idx = R.locate(A.signs([[1, 1], [0, 3]]))
        >>> bool(idx[0] >= 0), int(idx[1])
        (True, -1)
        """
        s = np.asarray(signs, dtype=np.int8)
        n = self._signs.shape[1]
        if s.shape[-1:] != (n,):
            raise ArrangementError(f"signs must have shape (..., {n}); got {s.shape}")
        flat = s.reshape(-1, n)
        out = np.full(flat.shape[0], -1, dtype=np.int64)
        ok = (flat != 0).all(axis=1)
        if ok.any():
            table = self._lookup()
            keys = _lattice.pack(flat[ok]).tolist()
            out[ok] = [table.get(k, -1) for k in keys]
        return out.reshape(s.shape[:-1])

    def to_numpy(self) -> dict[str, NDArray[Any]]:
        """The three arrays, by name."""
        return {"signs": self._signs, "points": self._points, "bounded": self._bounded}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write an ``.npz`` file atomically (temp file in the same folder, then rename)."""
        from hyperarr._io import atomic_write_bytes

        import io

        buf = io.BytesIO()
        np.savez_compressed(buf, **self.to_numpy())
        atomic_write_bytes(path, buf.getvalue())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Regions":
        """Read a table written by :meth:`save`."""
        with np.load(path) as z:
            return cls(z["signs"], z["points"], z["bounded"])


# ----------------------------------------------------------------------
# Public entry points
# ----------------------------------------------------------------------


def regions(A: "Arrangement", max_regions: int | None = DEFAULT_MAX_REGIONS) -> Regions:
    """Enumerate every region of ``A`` exactly.

    Parameters
    ----------
    A : Arrangement
    max_regions : int or None
        Refuse, before allocating anything, arrangements that may have more
        regions than this.  The cheap upper bound Σ_{k≤rank} C(h, k) (h
        distinct hyperplanes) is tried first; when it exceeds the limit the
        exact count from the characteristic polynomial decides.  ``None``
        means no limit.

    Returns
    -------
    Regions
        In a deterministic order for the given input.

    Raises
    ------
    OutputTooLargeError
        If the arrangement has more regions than ``max_regions``.

    Notes
    -----
    In general position the cost is about Σ_{k≤d} C(n, k) small dense solves,
    batched in numpy.  Otherwise it is proportional to the number of
    (flat, facet-region) incidences of the intersection lattice.

    Examples
    --------
    >>> import hyperarr as ha
    >>> R = ha.library.five_lines().regions()
    >>> len(R), int(R.bounded.sum())
    (16, 6)
    """
    _check_limit(A, max_regions)
    return _compute(A)


def iter_regions(A: "Arrangement", chunk_size: int = 100_000) -> Iterator[Regions]:
    """Yield the regions of ``A`` in chunks of at most ``chunk_size`` rows.

    The concatenation of the chunks equals ``regions(A, max_regions=None)``,
    in the same order.

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.library.five_lines()
    >>> [len(c) for c in A.iter_regions(chunk_size=6)]
    [6, 6, 4]
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ArrangementError(f"chunk_size must be a positive integer; got {chunk_size!r}")
    table = _compute(A)
    for start in range(0, len(table), int(chunk_size)):
        yield table[start : start + int(chunk_size)]


def _check_limit(A: "Arrangement", limit: int | None) -> None:
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
        raise ArrangementError(f"max_regions must be a positive integer or None; got {limit!r}")
    prep = _prepare(A)
    bound = _max_regions(len(prep.rows), A.rank())
    if bound <= limit:
        return
    from hyperarr.counting import n_regions

    exact = n_regions(A)
    if exact > limit:
        raise OutputTooLargeError(
            f"the arrangement has {exact} regions (upper bound Σ_k C(n, k) = {bound}), "
            f"more than max_regions={limit}; stream them with A.iter_regions(chunk_size=...), "
            "count them with A.n_regions(), or pass a larger max_regions"
        )


# ----------------------------------------------------------------------
# Preparation: distinct primitive integer rows
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    rows: tuple[tuple[int, ...], ...]  # distinct hyperplanes, primitive, leading coefficient > 0
    column: NDArray[np.int64]  # input hyperplane i -> distinct hyperplane
    orient: NDArray[np.int8]  # input sign = orient * distinct sign


def _prepare(A: "Arrangement") -> _Prepared:
    cached = A.__dict__.get("_prepared")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    index: dict[tuple[int, ...], int] = {}
    column = np.empty(A.n, dtype=np.int64)
    orient = np.empty(A.n, dtype=np.int8)
    for i, row in enumerate(A._int_rows):
        canon, s = _exact.canonical_row(row)
        column[i] = index.setdefault(canon, len(index))
        orient[i] = s
    prep = _Prepared(tuple(index), column, orient)
    A.__dict__["_prepared"] = prep
    return prep


def _lattice_of(A: "Arrangement") -> _lattice.Lattice:
    lat = A.__dict__.get("_lattice")
    if lat is None:
        prep = _prepare(A)
        lat = _lattice.Lattice(prep.rows, A.dim)
        A.__dict__["_lattice"] = lat
    return lat  # type: ignore[no-any-return]


# ----------------------------------------------------------------------
# The computation
# ----------------------------------------------------------------------


def _compute(A: "Arrangement") -> Regions:
    cached = A.__dict__.get("_regions")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    prep = _prepare(A)
    d = A.dim
    rows = prep.rows
    result = None
    if len(rows) == A.n:
        result = _generic(rows, d)
    if result is None:
        S, W = _lattice.flat_regions(_lattice_of(A), _lattice_of(A).top)
        bounded = _bounded_general(A, prep, S)
    else:
        S, W, bounded = result
    signs = S[:, prep.column] * prep.orient[None, :]
    table = Regions._wrap(np.ascontiguousarray(signs, dtype=np.int8), np.ascontiguousarray(W),
                          bounded)
    A.__dict__["_regions"] = table
    return table


# ---------------------------- general position ------------------------


def _section_direction(d: int) -> NDArray[np.float64]:
    """The fixed direction c = (c', 1) used in dimension d (deterministic, generic)."""
    rng = np.random.default_rng(20261128 + d)
    return rng.standard_normal(d - 1)


def _generic(rows: Sequence[Sequence[int]], d: int) -> tuple[Any, Any, Any] | None:
    """Regions of a general-position arrangement, or None if it is not one.

    The candidates are computed in floats; the answer is accepted only after
    every witness is checked exactly and the count of distinct sign vectors
    reaches Σ_{k≤d} C(n, k), which proves completeness.
    """
    n = len(rows)
    exact_rows = [tuple(r) for r in rows]
    F = np.array([[_exact.to_float(v) for v in r] for r in rows], dtype=np.float64).reshape(n, d + 1)
    if not np.isfinite(F).all():
        return None
    F /= np.abs(F).max(axis=1, keepdims=True).clip(min=np.finfo(float).tiny)
    expected = _max_regions(n, d)
    out = _generic_rows(F, d, with_section=True)
    if out is None:
        return None
    S, W, S_sec = out
    if S.shape[0] != expected:
        return None
    keys = _lattice.pack(S)
    if np.unique(keys).size != expected:
        return None
    if not np.isfinite(W).all():
        return None
    Fe = np.array([[_exact.to_float(v) for v in r] for r in rows], dtype=np.float64).reshape(n, d + 1)
    if not np.array_equal(_exact.affine_signs(Fe, exact_rows, W), S):
        return None
    # Unbounded: the region, or its negative, is a region at infinity below.
    sec_keys = np.concatenate([_lattice.pack(S_sec), _lattice.pack(-S_sec)])
    unbounded = np.isin(keys, sec_keys)
    if int((~unbounded).sum()) != (math.comb(n - 1, d) if n >= 1 else 0):
        return None
    return S, W, ~unbounded


def _generic_rows(F: NDArray[np.float64], d: int, with_section: bool = False) -> Any:
    """Candidate regions from lowest vertices plus the section at −∞ (recursive)."""
    n = F.shape[0]
    if n == 0:
        S0, W0 = np.zeros((1, 0), dtype=np.int8), np.zeros((1, d))
        return (S0, W0, S0) if with_section else (S0, W0)
    if d == 0:
        s = -np.sign(F[:, 0]).astype(np.int8)
        if (s == 0).any():
            return None
        S = s[None, :]
        return (S, np.zeros((1, 0)), None) if with_section else (S, np.zeros((1, 0)))
    N, b = F[:, :d], F[:, d]
    cp = _section_direction(d)
    c = np.append(cp, 1.0)
    parts_S, parts_W = [], []
    if n >= d:
        combos = np.array(list(itertools.combinations(range(n), d)), dtype=np.intp).reshape(-1, d)
        ar_cache: dict[int, NDArray[np.intp]] = {}
        for start in range(0, combos.shape[0], 16384):
            sub = combos[start : start + 16384]
            K = sub.shape[0]
            ar = ar_cache.setdefault(K, np.arange(K)[:, None])
            NS = N[sub]
            try:
                lam = np.linalg.solve(np.swapaxes(NS, 1, 2), np.broadcast_to(c, (K, d))[..., None])[..., 0]
                sig = np.sign(lam)
                if (sig == 0).any():
                    return None
                sol = np.linalg.solve(NS, np.stack([b[sub], sig], axis=2))
            except np.linalg.LinAlgError:
                return None
            p, u = sol[..., 0], sol[..., 1]
            with np.errstate(divide="ignore", invalid="ignore"):
                V = p @ N.T - b
                G = u @ N.T
                V[ar, sub] = 0.0
                ratio = np.abs(V) / np.abs(G)
                ratio[ar, sub] = np.inf
                eps = 0.5 * np.min(ratio, axis=1)
            eps = np.minimum(np.where(np.isfinite(eps), eps, 1.0), 1.0)
            S = np.sign(V).astype(np.int8)
            S[ar, sub] = sig.astype(np.int8)
            parts_S.append(S)
            parts_W.append(p + eps[:, None] * u)
    # Section of the central part at c·x = −1: x = (y, −1 − c'·y).
    sec = np.empty((n, d))
    sec[:, : d - 1] = N[:, : d - 1] - N[:, d - 1 : d] * cp[None, :]
    sec[:, d - 1] = N[:, d - 1]
    scale = np.abs(sec).max(axis=1, keepdims=True)
    if d > 1 and not (np.abs(sec[:, : d - 1]).max(axis=1) > 0).all():
        return None
    sec /= np.where(scale > 0, scale, 1.0)
    inner = _generic_rows(sec, d - 1)
    if inner is None:
        return None
    S_sec, Y = inner
    r = np.empty((Y.shape[0], d))
    r[:, : d - 1] = Y
    r[:, d - 1] = -1.0 - Y @ cp
    with np.errstate(divide="ignore", invalid="ignore"):
        ar_ = r @ N.T
        scale = np.abs(b)[None, :] / np.abs(ar_)
        t = 2.0 * np.maximum(1.0, np.max(np.where(np.isfinite(scale), scale, 0.0), axis=1))
    parts_S.append(S_sec)
    parts_W.append(t[:, None] * r)
    S = np.concatenate(parts_S)
    W = np.concatenate(parts_W)
    return (S, W, S_sec) if with_section else (S, W)


# ----------------------------- boundedness -----------------------------


def _bounded_general(A: "Arrangement", prep: _Prepared, S: NDArray[np.int8]) -> NDArray[np.bool_]:
    """Exact boundedness for any input (see the module docstring)."""
    m = S.shape[0]
    rows = prep.rows
    d = A.dim
    if not rows or _exact.rank_exact(r[:-1] for r in rows) < d or A.is_central():
        return np.zeros(m, dtype=bool)
    # Every vertex coordinate is a ratio of integer determinants with a
    # nonzero denominator, so its size is below Hadamard's bound.
    norms = sorted((math.isqrt(sum(v * v for v in r)) + 1 for r in rows), reverse=True)
    big = math.prod(norms[:d]) + 1
    keys = _lattice.pack(S)
    hit = np.zeros(m, dtype=bool)
    for j in range(d):
        for side in (1, -1):
            sub = _restricted_signs(rows, d, j, side * big)
            hit |= np.isin(keys, _lattice.pack(sub))
    return ~hit


def _restricted_signs(rows: Sequence[Sequence[int]], d: int, j: int, value: int) -> NDArray[np.int8]:
    """Sign vectors of the regions of A that meet the hyperplane x_j = value."""
    h = len(rows)
    out_rows: list[tuple[int, ...]] = []
    col: list[int] = []
    orient: list[int] = []
    const = np.zeros(h, dtype=np.int8)
    index: dict[tuple[int, ...], int] = {}
    for u, r in enumerate(rows):
        new = [r[c] for c in range(d) if c != j] + [r[d] - r[j] * value]
        if not any(new[:-1]):
            const[u] = 1 if -new[-1] > 0 else -1
            col.append(-1)
            orient.append(0)
            continue
        canon, s = _exact.canonical_row(_exact.integer_row(new))
        col.append(index.setdefault(canon, len(index)))
        orient.append(s)
    if d == 1 or not index:
        # Restricting R^1 to a point, or no traces: a single region.
        inner = np.zeros((1, len(index)), dtype=np.int8)
        if index and d == 1:
            inner[0] = [-1 if c[-1] > 0 else 1 for c in index]  # 0·y − b
    else:
        lat = _lattice.Lattice(list(index), d - 1, witnesses=False)
        inner, _ = _lattice.flat_regions(lat, lat.top)
    colv = np.array(col, dtype=np.int64)
    S = np.broadcast_to(const, (inner.shape[0], h)).copy()
    on = colv >= 0
    S[:, on] = inner[:, colv[on]] * np.array(orient, dtype=np.int8)[on]
    return S
