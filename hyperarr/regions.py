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
  intersection lattice (the private kernels ``_lattice`` and ``_lift``).  Witnesses are lifted
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
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import _bounded, _generic, _keys
from hyperarr._atomic import atomic_write_bytes
from hyperarr._binomial import region_count
from hyperarr._lift import flat_regions
from hyperarr.arrangement import DEFAULT_MAX_REGIONS
from hyperarr.characteristic import n_regions
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
            keys = _keys.pack(self._signs)
            order = np.argsort(keys, kind="stable")
            self._index = (keys[order], order.astype(np.int64))
        return self._index

    def _find(self, keys: NDArray[Any]) -> NDArray[np.int64]:
        """Region index of each key, −1 where no region has it (binary search)."""
        return _keys.find(keys, *self._lookup())

    def index_of(self, sign_vector: ArrayLike) -> int:
        """Index of the region with this sign vector; KeyError if there is none."""
        s = np.asarray(sign_vector)
        n = self._signs.shape[1]
        if s.shape != (n,):
            raise ArrangementError(f"sign_vector must have shape ({n},); got {s.shape}")
        if not np.isin(s, (-1, 1)).all():
            raise ArrangementError(f"sign_vector entries must be -1 or +1; got {s.tolist()}")
        found = int(self._find(_keys.pack(s.astype(np.int8)[None, :]))[0])
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
            out[ok] = self._find(_keys.pack(flat[ok]))
        return out.reshape(lead)

    def to_numpy(self) -> dict[str, NDArray[Any]]:
        """The three arrays, by name."""
        return {"signs": self._signs, "points": self._points, "bounded": self._bounded}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write an ``.npz`` file atomically (temp file in the same folder, then rename)."""
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
    return A._region_table


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
    prep = A._prepared
    streaming = (
        "_region_table" not in vars(A)  # once computed, the table is yielded as it is
        and len(prep.rows) == A.n
        and A.n > A.dim
        and region_count(A.n, A.dim) > 4 * _generic.Generic.BLOCK
        and A.is_generic()
    )
    if streaming:
        stream = _generic.stream(prep.rows, A.dim, chunk, A.n)
        if stream is not None:
            for S, W, bounded in stream:
                yield Regions._wrap(prep.to_input(S), W, bounded)
            return
    table = A._region_table
    for start in range(0, len(table), chunk):
        yield table[start : start + chunk]


def _check_limit(A: "Arrangement", limit: int | None) -> None:
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
        raise ArrangementError(f"max_regions must be a positive integer or None; got {limit!r}")
    bound = region_count(len(A._prepared.rows), A.rank())
    if bound <= limit:
        return
    exact = n_regions(A)
    if exact > limit:
        raise OutputTooLargeError(
            f"the arrangement has {exact} regions (upper bound Σ_k C(n, k) = {bound}), "
            f"more than max_regions={limit}; stream them with A.iter_regions(chunk_size=...), "
            "count them with A.n_regions(), or pass a larger max_regions"
        )


def _enumerate(A: "Arrangement") -> Regions:
    """All regions of ``A`` (cached by the arrangement as ``A._region_table``)."""
    prep = A._prepared
    result = _generic.table(prep.rows, A.dim) if len(prep.rows) == A.n else None
    if result is None:
        lat = A._lattice
        S, W = flat_regions(lat, lat.top)
        if not np.isfinite(W).all():
            lost = int((~np.isfinite(W).all(axis=1)).sum())
            raise WitnessError(
                f"{lost} region(s) of this arrangement contain no float64 point that the "
                "lifting could find (thinner than the float grid); their sign vectors are "
                "exact, but no float witness can be returned"
            )
        bounded = _bounded.bounded(prep.rows, A.dim, S, A.is_central())
    else:
        S, W, bounded = result
    return Regions._wrap(prep.to_input(S), np.ascontiguousarray(W), bounded)
