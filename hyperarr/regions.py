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
unbounded iff it (or its negative) is a region of the section at infinity,
whose witness is checked exactly to be a recession direction too, and the
remaining count must equal C(n − 1, d); for other arrangements
a region is unbounded iff it meets one of the hyperplanes
``x_j = ±M``, where M exceeds every vertex coordinate (Hadamard's bound).
"""

from __future__ import annotations

import io
import itertools
import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import _exact, _lattice
from hyperarr.arrangement import DEFAULT_MAX_REGIONS
from hyperarr.counting import max_regions as _max_regions
from hyperarr.exceptions import ArrangementError, OutputTooLargeError, WitnessError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement

__all__ = ["Regions", "Region", "regions", "iter_regions", "DEFAULT_MAX_REGIONS"]



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
        self._index: tuple[NDArray[Any], NDArray[np.int64]] | None = None

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
        """ndarray of int8, shape (m, n): sign vectors, entries ±1 (read-only)."""
        return self._signs

    @property
    def points(self) -> NDArray[np.float64]:
        """ndarray of float64, shape (m, d): interior witnesses, exact (read-only)."""
        return self._points

    @property
    def bounded(self) -> NDArray[np.bool_]:
        """ndarray of bool, shape (m,): whether each region is bounded (read-only)."""
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

    def _lookup(self) -> tuple[NDArray[Any], NDArray[np.int64]]:
        """Sorted sign-vector keys and the region index of each (built once)."""
        if self._index is None:
            keys = _lattice.pack(self._signs)
            order = np.argsort(keys, kind="stable")
            self._index = (keys[order], order.astype(np.int64))
        return self._index

    def _find(self, keys: NDArray[Any]) -> NDArray[np.int64]:
        """Region index of each key, −1 where no region has it (binary search)."""
        table, order = self._lookup()
        if table.size == 0:
            return np.full(keys.shape, -1, dtype=np.int64)
        pos = np.searchsorted(table, keys).clip(max=table.size - 1)
        return np.where(table[pos] == keys, order[pos], -1)

    def index_of(self, sign_vector: ArrayLike) -> int:
        """Index of the region with this sign vector; KeyError if there is none."""
        s = np.asarray(sign_vector)
        n = self._signs.shape[1]
        if s.shape != (n,):
            raise ArrangementError(f"sign_vector must have shape ({n},); got {s.shape}")
        if not np.isin(s, (-1, 1)).all():
            raise ArrangementError(f"sign_vector entries must be -1 or +1; got {s.tolist()}")
        found = int(self._find(_lattice.pack(s.astype(np.int8)[None, :]))[0])
        if found < 0:
            raise KeyError(f"no region has sign vector {s.tolist()}")
        return found

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
        lead = s.shape[:-1]
        flat = s.reshape(int(np.prod(lead, dtype=np.int64)), n)
        out = np.full(flat.shape[0], -1, dtype=np.int64)
        ok = (flat != 0).all(axis=1)
        if ok.any():
            out[ok] = self._find(_lattice.pack(flat[ok]))
        return out.reshape(lead)

    def to_numpy(self) -> dict[str, NDArray[Any]]:
        """The three arrays, by name."""
        return {"signs": self._signs, "points": self._points, "bounded": self._bounded}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write an ``.npz`` file atomically (temp file in the same folder, then rename)."""
        from hyperarr._atomic import atomic_write_bytes

        atomic_write_bytes(path, self._npz_bytes())

    def _npz_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, signs=self._signs, points=self._points, bounded=self._bounded)
        return buf.getvalue()

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

    The concatenation of the chunks equals ``A.regions(max_regions=None)``,
    in the same order.  No limit applies: this is the way to walk outputs
    that do not fit in memory.

    Notes
    -----
    In general position (decided exactly up front) the regions are produced
    block by block and only an 8-byte key per region is kept: a first pass
    proves, from the keys, that the count is complete and that all sign
    vectors are distinct; the second pass rebuilds each block with its
    witnesses, checks them exactly, and yields it.  Other arrangements are
    enumerated over the intersection lattice, whose memory peaks at two
    consecutive levels of flats, and then yielded in chunks.

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.library.five_lines()
    >>> [len(c) for c in A.iter_regions(chunk_size=6)]
    [6, 6, 4]
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ArrangementError(f"chunk_size must be a positive integer; got {chunk_size!r}")
    return _iter_chunks(A, int(chunk_size))


def _iter_chunks(A: "Arrangement", chunk: int) -> Iterator[Regions]:
    prep = _prepare(A)
    streaming = (
        A.__dict__.get("_regions") is None
        and len(prep.rows) == A.n
        and A.n > A.dim
        and _max_regions(A.n, A.dim) > 4 * _Generic.BLOCK
        and A.is_generic()
    )
    if streaming:
        stream = _generic_stream(A, prep, chunk)
        if stream is not None:
            yield from stream
            return
    table = _compute(A)
    for start in range(0, len(table), chunk):
        yield table[start : start + chunk]


#: Memory budget of the keys kept by the first streaming pass.
_STREAM_KEY_BYTES = 4 * 2**30


def _generic_stream(A: "Arrangement", prep: "_Prepared", chunk: int) -> Iterator[Regions] | None:
    """Two-pass streaming enumeration of a general-position arrangement."""
    g = _Generic(prep.rows, A.dim)
    key_bytes = g.expected * max(8, (A.n + 7) // 8)
    if key_bytes > _STREAM_KEY_BYTES:
        raise OutputTooLargeError(
            f"streaming the {g.expected} regions would keep {key_bytes} bytes of keys to prove "
            f"the list complete, more than {_STREAM_KEY_BYTES}; count them with A.n_regions() "
            "(closed form in general position)"
        )
    sec = g.section()
    if sec is None or not np.isfinite(g.F).all():
        return None
    # Pass 1: keys only, to prove completeness and distinctness.
    keys = [_lattice.pack(sec[0])]
    for blk in g.blocks(witnesses=False):
        if blk is None:
            return None
        keys.append(_lattice.pack(blk[0]))
    allkeys = np.concatenate(keys)
    if allkeys.size != g.expected or not _all_distinct(allkeys):
        return None
    del keys, allkeys
    inf_keys = g.infinity_keys(sec[0])
    if not g.verified(*sec) or not g.recedes(*sec):
        return None
    return _generic_pass2(A, prep, g, sec, inf_keys, chunk)


def _generic_pass2(A: "Arrangement", prep: "_Prepared", g: "_Generic", sec: Any,
                   inf_keys: NDArray[Any], chunk: int) -> Iterator[Regions]:
    from hyperarr.exceptions import HyperarrError

    def finish(S: NDArray[np.int8], W: NDArray[np.float64], bounded: NDArray[np.bool_]) -> Regions:
        signs = S[:, prep.column] * prep.orient[None, :]
        return Regions._wrap(np.ascontiguousarray(signs, dtype=np.int8), W, bounded)

    pending: list[tuple[Any, Any, Any]] = []
    size = 0
    sources = itertools.chain(g.blocks(), [sec])
    for blk in sources:
        if blk is None:  # pragma: no cover - pass 1 succeeded on the same data
            raise HyperarrError("general-position enumeration failed on its second pass")
        S, W = blk
        if not g.verified(S, W):  # pragma: no cover - floats are deterministic
            raise HyperarrError("a witness failed its exact check on the second pass")
        bounded = ~_member(_lattice.pack(S), inf_keys)
        pending.append((S, W, bounded))
        size += S.shape[0]
        while size >= chunk:
            S_all = np.concatenate([p[0] for p in pending])
            W_all = np.concatenate([p[1] for p in pending])
            B_all = np.concatenate([p[2] for p in pending])
            yield finish(S_all[:chunk], W_all[:chunk], B_all[:chunk])
            pending = [(S_all[chunk:], W_all[chunk:], B_all[chunk:])]
            size -= chunk
    if size:
        yield finish(np.concatenate([p[0] for p in pending]), np.concatenate([p[1] for p in pending]),
                     np.concatenate([p[2] for p in pending]))


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
        if not np.isfinite(W).all():
            lost = int((~np.isfinite(W).all(axis=1)).sum())
            raise WitnessError(
                f"{lost} region(s) of this arrangement contain no float64 point that the "
                "lifting could find (thinner than the float grid); their sign vectors are "
                "exact, but no float witness can be returned"
            )
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


class _Generic:
    """The general-position algorithm on the distinct rows of an arrangement.

    Candidates are computed in floats; they are accepted only after every
    witness is checked exactly and the number of distinct sign vectors
    reaches Σ_{k≤d} C(n, k), which proves completeness (no arrangement of n
    hyperplanes in R^d has more regions) and general position.
    """

    BLOCK = 16384

    def __init__(self, rows: Sequence[Sequence[int]], d: int) -> None:
        self.rows = [tuple(r) for r in rows]
        self.n = len(rows)
        self.d = d
        self.F_exact = _exact.float_rows(rows, d + 1)
        F = self.F_exact.copy()
        F /= np.abs(F).max(axis=1, keepdims=True).clip(min=np.finfo(float).tiny)
        self.F = F
        self.expected = _max_regions(self.n, d)
        self.n_bounded = math.comb(self.n - 1, d) if self.n >= 1 else 0

    def section(self) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
        """Regions unbounded below: from the section at c·x = −1 (recursive)."""
        return _section(self.F, self.d)

    def blocks(self, witnesses: bool = True) -> Iterator[tuple[NDArray[np.int8], NDArray[np.float64]] | None]:
        """Regions above each vertex, in blocks of vertex subsets (lexicographic)."""
        for combos in _combination_blocks(self.n, self.d, self.BLOCK):
            yield _vertex_block(self.F, self.d, combos, witnesses)

    def recedes(self, S_sec: NDArray[np.int8], W_sec: NDArray[np.float64]) -> bool:
        """Exact proof that each region at infinity is unbounded: its witness w
        is also a recession direction, σ_i (n_i · w) > 0 for every i, so the
        whole ray {s·w : s ≥ 1} lies in the region (and −w in the region −σ)."""
        if not np.isfinite(W_sec).all():
            return False
        F_dir = self.F_exact.copy()
        F_dir[:, -1] = 0.0
        rows_dir = [r[:-1] + (0,) for r in self.rows]
        return np.array_equal(_exact.affine_signs(F_dir, rows_dir, W_sec), S_sec)

    def verified(self, S: NDArray[np.int8], W: NDArray[np.float64]) -> bool:
        if not np.isfinite(W).all():
            return False
        return np.array_equal(_exact.affine_signs(self.F_exact, self.rows, W), S)

    def table(self) -> tuple[Any, Any, Any] | None:
        if self.n == 0:
            return np.zeros((1, 0), dtype=np.int8), np.zeros((1, self.d)), np.zeros(1, dtype=bool)
        sec = self.section()
        if sec is None:
            return None
        parts = list(self.blocks())
        if any(p is None for p in parts):
            return None
        S = np.concatenate([p[0] for p in parts] + [sec[0]])  # type: ignore[index]
        W = np.concatenate([p[1] for p in parts] + [sec[1]])  # type: ignore[index]
        if S.shape[0] != self.expected:
            return None
        keys = _lattice.pack(S)
        if not _all_distinct(keys) or not self.verified(S, W):
            return None
        # Certified unbounded regions; the count of the rest must be the
        # C(n−1, d) bounded regions of a generic arrangement, which proves
        # that every other region is bounded.
        if not self.recedes(*sec):
            return None
        unbounded = _member(keys, self.infinity_keys(sec[0]))
        if int((~unbounded).sum()) != self.n_bounded:
            return None
        return S, W, ~unbounded

    @staticmethod
    def infinity_keys(S_sec: NDArray[np.int8]) -> NDArray[Any]:
        """Sorted keys of the regions unbounded below or above.

        The section at c·x = +1 is the antipodal image of the one at −1 (the
        central part is symmetric), so its sign vectors are the negatives.
        In general position every unbounded region has a full-dimensional
        recession cone, so it is unbounded below or above.
        """
        return np.sort(np.concatenate([_lattice.pack(S_sec), _lattice.pack(-S_sec)]))


def _probably_generic(rows: Sequence[Sequence[int]], d: int, samples: int = 256) -> bool:
    """Cheap exact screen: False if a random sample finds d dependent normals
    or d + 1 hyperplanes through one point.  True proves nothing; it only
    says the general-position algorithm is worth trying."""
    n = len(rows)
    if n <= d:
        return True
    rng = np.random.default_rng(0)
    mat = np.array(rows, dtype=object).reshape(n, d + 1)
    small = max((abs(v) for r in rows for v in r), default=0) < 2**62
    if small:
        mat = mat.astype(np.int64)
    for k, cols in ((d, slice(0, d)), (d + 1, slice(0, d + 1))):
        if k > n:
            continue
        idx = np.array([rng.choice(n, size=k, replace=False) for _ in range(samples)])
        if not _exact.nonsingular(mat[idx][:, :, cols]).all():
            return False
    return True


def _generic(rows: Sequence[Sequence[int]], d: int) -> tuple[Any, Any, Any] | None:
    """Regions of a general-position arrangement, or None if it is not one."""
    if not _probably_generic(rows, d):
        return None
    g = _Generic(rows, d)
    if not np.isfinite(g.F).all():
        return None
    return g.table()


def _all_distinct(keys: NDArray[Any]) -> bool:
    """True if no key repeats (sort-based; fast for uint64 and void keys)."""
    s = np.sort(keys)
    return bool((s[1:] != s[:-1]).all())


def _member(keys: NDArray[Any], sorted_table: NDArray[Any]) -> NDArray[np.bool_]:
    """``keys[i] in sorted_table`` for every i, by binary search."""
    if sorted_table.size == 0:
        return np.zeros(keys.shape, dtype=bool)
    pos = np.searchsorted(sorted_table, keys).clip(max=sorted_table.size - 1)
    return sorted_table[pos] == keys


def _combinations(n: int, k: int) -> NDArray[np.intp]:
    """All k-subsets of range(n) as rows, in itertools.combinations order."""
    c = np.arange(n - k + 1, dtype=np.intp)[:, None] if k else np.zeros((1, 0), dtype=np.intp)
    for s in range(1, k):
        last = c[:, -1]
        counts = (n - (k - s) + 1) - (last + 1)
        counts = np.maximum(counts, 0)
        total = int(counts.sum())
        starts = np.repeat(last + 1, counts)
        offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        c = np.hstack([np.repeat(c, counts, axis=0), (starts + offs)[:, None]])
    return c


def _combination_blocks(n: int, k: int, limit: int) -> Iterator[NDArray[np.intp]]:
    """The k-subsets of range(n) in lexicographic order, in blocks of bounded size."""
    if math.comb(n, k) <= limit or k == 0:
        if n >= k:
            yield _combinations(n, k)
        return
    for i in range(n - k + 1):
        for blk in _combination_blocks(n - i - 1, k - 1, limit):
            yield np.hstack([np.full((blk.shape[0], 1), i, dtype=np.intp), blk + (i + 1)])


def _vertex_block(F: NDArray[np.float64], d: int, sub: NDArray[np.intp],
                  witnesses: bool = True) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
    """The region above each vertex p_S (S a row of ``sub``) under c = (c', 1).

    With c = Σ λ_j n_j over the normals of S, the region lies in the cone
    σ_j n_j·(x − p_S) > 0 with σ_j = sign(λ_j); its witness is p_S + ε N_S⁻¹σ.
    """
    N, b = F[:, :d], F[:, d]
    K = sub.shape[0]
    c = np.append(_section_direction(d), 1.0)
    ar = np.arange(K)[:, None]
    NS = N[sub]
    try:
        lam = np.linalg.solve(np.swapaxes(NS, 1, 2), np.broadcast_to(c, (K, d))[..., None])[..., 0]
        sig = np.sign(lam)
        if (sig == 0).any():
            return None
        rhs = np.stack([b[sub], sig], axis=2) if witnesses else b[sub][..., None]
        sol = np.linalg.solve(NS, rhs)
    except np.linalg.LinAlgError:
        return None
    p = sol[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        V = p @ N.T - b
        V[ar, sub] = 0.0
        S = np.sign(V).astype(np.int8)
        S[ar, sub] = sig.astype(np.int8)
        if not witnesses:
            return S, np.empty((K, 0))
        u = sol[..., 1]
        G = u @ N.T
        ratio = np.abs(V) / np.abs(G)
        ratio[ar, sub] = np.inf
        eps = 0.5 * np.min(ratio, axis=1)
    eps = np.minimum(np.where(np.isfinite(eps), eps, 1.0), 1.0)
    return S, p + eps[:, None] * u


def _section(F: NDArray[np.float64], d: int) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
    """Regions unbounded below, from the section at c·x = −1, x = t·(y, −1 − c'·y)."""
    n = F.shape[0]
    N, b = F[:, :d], F[:, d]
    cp = _section_direction(d)
    sec = np.empty((n, d))
    sec[:, : d - 1] = N[:, : d - 1] - N[:, d - 1 : d] * cp[None, :]
    sec[:, d - 1] = N[:, d - 1]
    if d > 1 and not (np.abs(sec[:, : d - 1]).max(axis=1) > 0).all():
        return None
    scale = np.abs(sec).max(axis=1, keepdims=True)
    sec /= np.where(scale > 0, scale, 1.0)
    inner = _generic_rows(sec, d - 1)
    if inner is None:
        return None
    S_sec, Y = inner
    r = np.empty((Y.shape[0], d))
    r[:, : d - 1] = Y
    r[:, d - 1] = -1.0 - Y @ cp
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.abs(b)[None, :] / np.abs(r @ N.T)
        t = 2.0 * np.maximum(1.0, np.max(np.where(np.isfinite(ratio), ratio, 0.0), axis=1, initial=0.0))
    return S_sec, t[:, None] * r


def _generic_rows(F: NDArray[np.float64], d: int) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
    """Candidate regions (vertices, then the section at −∞) in dimension d."""
    n = F.shape[0]
    if n == 0:
        return np.zeros((1, 0), dtype=np.int8), np.zeros((1, d))
    if d == 0:
        s = -np.sign(F[:, 0]).astype(np.int8)
        if (s == 0).any():
            return None
        return s[None, :], np.zeros((1, 0))
    parts = [_vertex_block(F, d, blk) for blk in _combination_blocks(n, d, _Generic.BLOCK)]
    sec = _section(F, d)
    if sec is None or any(p is None for p in parts):
        return None
    S = np.concatenate([p[0] for p in parts] + [sec[0]])  # type: ignore[index]
    W = np.concatenate([p[1] for p in parts] + [sec[1]])  # type: ignore[index]
    return S, W


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
