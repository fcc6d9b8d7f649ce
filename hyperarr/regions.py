r"""Exact enumeration of the regions of an arrangement.

A region is a connected component of the complement of the hyperplanes.  It
is named by its sign vector $\sigma \in \{-1, +1\}^n$ ($\sigma_i = +1$ where neuron i fires) and
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
  count $\sum_{k \le d} \binom{n}{k}$.  Each candidate is checked exactly, and the result is
  accepted only if it has exactly $\sum_{k \le d} \binom{n}{k}$ distinct, exactly witnessed
  sign vectors: no arrangement of n hyperplanes in $\mathbb{R}^d$ has more, so the list
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
remaining count must equal $\binom{n - 1}{d}$; for other arrangements
a region is unbounded iff it meets one of the hyperplanes
``x_j = ±M``, where M exceeds every vertex coordinate (Hadamard's bound).
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import _bounded, _exact, _generic, _keys, _lift, _memory
from hyperarr._atomic import atomic_write_bytes
from hyperarr._binomial import region_count
from hyperarr._lift import stream_regions
from hyperarr.arrangement import DEFAULT_MAX_REGIONS, checked
from hyperarr.characteristic import _check_lattice, _regions_lower_bound, n_regions
from hyperarr.exceptions import ArrangementError, HyperarrError, OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from scipy import sparse

    from hyperarr.arrangement import Arrangement
    from hyperarr.polyhedron import RegionPolyhedron

__all__ = ["Regions", "Region", "regions", "iter_regions", "DEFAULT_MAX_REGIONS"]

_FLOAT_MAX = float(np.finfo(np.float64).max)
_NONE = np.array(None, dtype=object)


def _no_exact(exact: NDArray[Any]) -> NDArray[np.bool_]:
    """Rows of an object array of exact points that hold None (their float is inside)."""
    return np.asarray(np.equal(exact, _NONE), dtype=bool)



@dataclass(frozen=True)
class Region:
    """One region: its sign vector, an interior witness, and both bounded flags.

    ``point`` is a float64 witness when ``point_inside``; otherwise it is the
    float nearest to ``exact_point``, the exact rational witness (a region
    thinner than the float grid holds no float64 point).
    """

    signs: tuple[int, ...]
    point: tuple[float, ...]
    bounded: bool
    relatively_bounded: bool = False
    point_inside: bool = True
    exact_point: tuple[Fraction, ...] = field(default=(), repr=False)


class Regions:
    r"""Immutable table of regions of an arrangement.

    Attributes
    ----------
    signs : ndarray of int8, shape (m, n)
        Row r is the sign vector of region r, entries in $\{-1, +1\}$.
    points : ndarray of float64, shape (m, d)
        Float witnesses: where ``points_inside[r]``, ``A.signs(points[r]) ==
        signs[r]`` exactly; elsewhere the float nearest to ``exact_points[r]``.
    points_inside : ndarray of bool, shape (m,)
        Whether ``points[r]`` lies strictly inside region r (checked exactly).
    exact_points : tuple of tuples of Fraction
        An exact rational interior point of every region.
    bounded : ndarray of bool, shape (m,)
        Compact in $\mathbb{R}^d$.
    relatively_bounded : ndarray of bool, shape (m,)
        Bounded after projecting onto the span of the normals (Sage's and
        Zaslavsky's meaning); equals ``bounded`` for an essential arrangement.

    Examples
    --------
    >>> import hyperarr as ha
    >>> R = ha.Arrangement([[1, 0], [0, 1]], [0, 0]).regions()
    >>> len(R), R.bounded.tolist()
    (4, [False, False, False, False])
    >>> R.index_of(R.signs[2]) == 2
    True
    """

    __slots__ = ("_signs", "_points", "_bounded", "_relative", "_exact", "_inside", "_index",
                 "_source", "_complete", "_facets", "_incidence")

    def __init__(self, signs: ArrayLike, points: ArrayLike, bounded: ArrayLike, *,
                 relatively_bounded: ArrayLike | None = None,
                 exact_points: Sequence[Sequence[Any] | None] | None = None) -> None:
        s = np.array(signs, dtype=np.int8, copy=True)
        p = np.array(points, dtype=np.float64, copy=True)
        b = np.array(bounded, dtype=bool, copy=True)
        if s.ndim != 2:
            raise ArrangementError(f"signs must have shape (m, n); got {s.shape}")
        m = s.shape[0]
        if p.ndim != 2 or p.shape[0] != m:
            raise ArrangementError(f"points must have shape ({m}, d); got {p.shape}")
        if b.shape != (m,):
            raise ArrangementError(f"bounded must have shape ({m},); got {b.shape}")
        rb = b.copy() if relatively_bounded is None else np.array(relatively_bounded, dtype=bool)
        if rb.shape != (m,):
            raise ArrangementError(f"relatively_bounded must have shape ({m},); got {rb.shape}")
        exact = None
        if exact_points is not None:
            if len(exact_points) != m:
                raise ArrangementError(f"exact_points must have {m} entries; got {len(exact_points)}")
            exact = np.empty(m, dtype=object)
            for r, e in enumerate(exact_points):
                if e is not None:
                    if len(e) != p.shape[1]:
                        raise ArrangementError(
                            f"exact_points[{r}] must have {p.shape[1]} coordinates; got {len(e)}")
                    exact[r] = tuple(Fraction(v) for v in e)
        self._init(s, p, b, rb, exact)

    def _init(self, signs: NDArray[np.int8], points: NDArray[np.float64], bounded: NDArray[np.bool_],
              relative: NDArray[np.bool_], exact: NDArray[Any] | None) -> None:
        if exact is not None and _no_exact(exact).all():
            exact = None
        inside = (np.ones(signs.shape[0], dtype=bool) if exact is None
                  else _no_exact(exact))
        for a in (signs, points, bounded, relative, inside):
            a.setflags(write=False)
        self._signs, self._points, self._bounded = signs, points, bounded
        self._relative, self._exact, self._inside = relative, exact, inside
        self._index: tuple[NDArray[Any], NDArray[np.int64]] | None = None
        # The arrangement the table was computed from (None when built or loaded
        # directly), whether the table holds every region of it, and the facets.
        self._source: "Arrangement | None" = None
        self._complete = False
        self._facets: Any = None
        self._incidence: Any = None

    def __getstate__(self) -> dict[str, Any]:
        """The data, without the link to the arrangement or the caches (a pickled chunk stays small)."""
        return {"signs": self._signs, "points": self._points, "bounded": self._bounded,
                "relative": self._relative, "exact": self._exact}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._init(state["signs"], state["points"], state["bounded"], state["relative"], state["exact"])

    def _of(self, A: "Arrangement", complete: bool) -> "Regions":
        """Record the arrangement this table belongs to (and whether it is all of it)."""
        self._source, self._complete = A, complete
        return self

    @classmethod
    def _wrap(cls, signs: NDArray[np.int8], points: NDArray[np.float64], bounded: NDArray[np.bool_],
              relative: NDArray[np.bool_] | None = None, exact: NDArray[Any] | None = None) -> "Regions":
        """A table from arrays the caller hands over (no copies); ``exact`` is an
        object array holding the exact point of each row whose float is not inside."""
        obj = cls.__new__(cls)
        obj._init(signs, points, bounded, bounded if relative is None else relative, exact)
        return obj

    @classmethod
    def concatenate(cls, parts: Sequence["Regions"]) -> "Regions":
        """Join chunks (e.g. from ``iter_regions``) into one table."""
        if not parts:
            raise ArrangementError("parts must hold at least one Regions; got none")
        exact = None
        if any(p._exact is not None for p in parts):
            exact = np.concatenate([p._exact if p._exact is not None else np.full(len(p), None)
                                    for p in parts])
        return cls._wrap(
            np.concatenate([p.signs for p in parts]),
            np.concatenate([p.points for p in parts]),
            np.concatenate([p.bounded for p in parts]),
            np.concatenate([p.relatively_bounded for p in parts]),
            exact,
        )

    @property
    def signs(self) -> NDArray[np.int8]:
        """ndarray of int8, shape (m, n): sign vectors, entries ±1 (read-only)."""
        return self._signs

    @property
    def points(self) -> NDArray[np.float64]:
        """ndarray of float64, shape (m, d): float witnesses, exact where ``points_inside`` (read-only)."""
        return self._points

    @property
    def points_inside(self) -> NDArray[np.bool_]:
        """ndarray of bool, shape (m,): True where ``points[r]`` lies strictly inside region r (read-only)."""
        return self._inside

    @property
    def exact_points(self) -> tuple[tuple[Fraction, ...], ...]:
        """An exact rational interior point of every region, as tuples of Fraction.

        Where ``points_inside[r]`` it is the float witness read exactly;
        elsewhere the rational witness found by exact lifting.
        """
        ex = self._exact
        return tuple(
            ex[r] if ex is not None and ex[r] is not None else tuple(Fraction(v) for v in row)
            for r, row in enumerate(self._points.tolist())
        )

    @property
    def bounded(self) -> NDArray[np.bool_]:
        r"""ndarray of bool, shape (m,): whether each region is compact in $\mathbb{R}^d$ (read-only)."""
        return self._bounded

    @property
    def relatively_bounded(self) -> NDArray[np.bool_]:
        """ndarray of bool, shape (m,): bounded modulo the lineality space, as Sage counts (read-only)."""
        return self._relative

    def __len__(self) -> int:
        return self._signs.shape[0]

    def __getitem__(self, key: Any) -> Any:
        """``R[i]`` is a [`Region`][hyperarr.regions.Region]; a slice, index array or mask gives a Regions."""
        if isinstance(key, (int, np.integer)):
            i = int(key)
            m = len(self)
            if not -m <= i < m:
                raise IndexError(f"region index must be in [-{m}, {m}); got {i}")
            i %= m
            point = tuple(float(v) for v in self._points[i])
            exact = self._exact[i] if self._exact is not None else None
            return Region(
                tuple(int(v) for v in self._signs[i]),
                point,
                bool(self._bounded[i]),
                bool(self._relative[i]),
                exact is None,
                exact if exact is not None else tuple(Fraction(v) for v in point),
            )
        exact = self._exact[key] if self._exact is not None else None
        out = Regions._wrap(self._signs[key], self._points[key], self._bounded[key],
                            self._relative[key], exact)
        if self._source is not None:
            out._of(self._source, False)
        return out

    def __repr__(self) -> str:
        m, n = self._signs.shape
        return (f"Regions(m={m}, n={n}, d={self._points.shape[1]}, "
                f"bounded={int(self._bounded.sum())})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Regions):
            return NotImplemented
        return (np.array_equal(self._signs, other._signs)
                and np.array_equal(self._points, other._points)
                and np.array_equal(self._bounded, other._bounded)
                and np.array_equal(self._relative, other._relative)
                and np.array_equal(self._inside, other._inside)
                and (self._exact is None or self.exact_points == other.exact_points))

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
        s = np.asarray(signs)
        n = self._signs.shape[1]
        if s.shape[-1:] != (n,):
            raise ArrangementError(f"signs must have shape (..., {n}); got {s.shape}")
        if s.dtype.kind not in "iuf" or not np.isin(s, (-1, 0, 1)).all():
            bad = s.reshape(-1)[~np.isin(s.reshape(-1), (-1, 0, 1))][:1].tolist() if s.dtype.kind in "iuf" else s.dtype
            raise ArrangementError(f"signs entries must be -1, 0 or +1 (as A.signs gives); got {bad}")
        s = s.astype(np.int8)
        lead = s.shape[:-1]
        flat = s.reshape(int(np.prod(lead, dtype=np.int64)), n)
        out = np.full(flat.shape[0], -1, dtype=np.int64)
        ok = (flat != 0).all(axis=1)
        if ok.any():
            out[ok] = self._find(_keys.pack(flat[ok]))
        return out.reshape(lead)

    def _arrangement(self, what: str) -> "Arrangement":
        if self._source is None:
            raise ArrangementError(
                f"R.{what} needs the arrangement this table came from; this table was built or "
                "loaded directly: use A.regions() (or A.region_polyhedron(signs))")
        return self._source

    def facets(self) -> "sparse.csr_array":
        """Every region's facets: a sparse (regions × hyperplanes) matrix; see [`region_facets`][hyperarr.polyhedron.region_facets].

        Entry ``(r, k)`` is stored iff hyperplane k (named by its lowest
        input index) bounds a facet of region r, with value ``1 +`` the
        region across it: the pairs of ``A.adjacency_matrix()``.  Only for
        the complete table ``A.regions()`` (a facet's neighbour may lie
        outside a part of it); computed once, then kept.

        Examples
        --------
        >>> import hyperarr as ha
        >>> R = ha.library.five_lines().regions()
        >>> F = R.facets()
        >>> F.shape, F.nnz            # 25 edges, seen from both sides
        ((16, 5), 50)
        """
        A = self._arrangement("facets()")
        if not self._complete:
            raise ArrangementError(
                "R.facets() needs the complete table A.regions(); this one is a part of it "
                "(a slice, or the regions in a domain): use A.regions().facets()")
        if self._facets is None:
            F = A.region_facets()
            for a in (F.data, F.indices, F.indptr):
                a.setflags(write=False)
            self._facets = F
        return self._facets

    def polyhedron(self, k: int) -> "RegionPolyhedron":
        """Region ``k`` as an exact [`RegionPolyhedron`][hyperarr.polyhedron.RegionPolyhedron] (facets, vertices, rays, lines).

        Examples
        --------
        >>> import hyperarr as ha
        >>> R = ha.library.five_lines().regions()
        >>> P = R.polyhedron(int(R.bounded.argmax()))
        >>> P.bounded, len(P.vertices) == len(P.facets)
        (True, True)
        """
        A = self._arrangement("polyhedron(k)")
        m = len(self)
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not -m <= int(k) < m:
            raise ArrangementError(f"k must be a region index in [-{m}, {m}); got {k!r}")
        if self._complete:
            # In general position every region's vertices and rays are read, once for
            # all regions, off the arrangement's vertices and lines (kept here).
            if self._incidence is None:
                self._incidence = A._region_incidence(self) or False
            if self._incidence is not False:
                return A._region_polyhedron_at(self, int(k) % m, self._incidence)
        return A.region_polyhedron(self._signs[int(k) % m])

    def to_numpy(self) -> dict[str, NDArray[Any]]:
        """The arrays, by name (exact points are not arrays; see ``exact_points``)."""
        return {"signs": self._signs, "points": self._points, "bounded": self._bounded,
                "relatively_bounded": self._relative, "points_inside": self._inside}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write an ``.npz`` file atomically (temp file in the same folder, then rename)."""
        atomic_write_bytes(path, self._npz_bytes())

    def _npz_bytes(self) -> bytes:
        buf = io.BytesIO()
        rows = np.flatnonzero(~self._inside)
        ex = self._exact
        exact = np.array([[_exact.exact_text(v) for v in ex[r]] for r in rows.tolist()]
                         if ex is not None else [],
                         dtype=np.str_)
        np.savez_compressed(buf, signs=self._signs, points=self._points, bounded=self._bounded,
                            relatively_bounded=self._relative, exact_rows=rows,
                            exact_values=exact.reshape(rows.size, self._points.shape[1]))
        return buf.getvalue()

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Regions":
        """Read a table written by ``save`` (exact witnesses included).

        Raises
        ------
        ArrangementError
            If ``path`` is not such a table (another file, a damaged one, or
            an ``.npz`` without the arrays ``save`` writes).
        OSError
            If ``path`` cannot be read (missing, a folder, no permission).
        """
        import zipfile
        import zlib

        def refuse(why: str) -> ArrangementError:
            return ArrangementError(f"path must be a table written by Regions.save (an .npz file); "
                                    f"{os.fspath(path)!r} {why}")

        try:
            z = np.load(path, allow_pickle=False)
        except (ValueError, EOFError, zipfile.BadZipFile):
            raise refuse("is not one: it is not an .npz archive") from None
        if not isinstance(z, np.lib.npyio.NpzFile):
            raise refuse(f"holds a single array of shape {getattr(z, 'shape', '?')}, not a table")
        with z:
            missing = [k for k in ("signs", "points", "bounded") if k not in z]
            if missing:
                raise refuse(f"has no {', '.join(missing)} (it holds {sorted(z.files)[:6]})")
            try:
                m = z["signs"].shape[0] if z["signs"].ndim else 0
                exact: list[tuple[Fraction, ...] | None] | None = None
                if "exact_rows" in z and z["exact_rows"].size:
                    exact = [None] * m
                    for r, vals in zip(z["exact_rows"].tolist(), z["exact_values"].tolist()):
                        exact[r] = tuple(_exact.parse_exact(v, max_digits=None) for v in vals)
                relative = z["relatively_bounded"] if "relatively_bounded" in z else None
                signs, points, bounded = z["signs"], z["points"], z["bounded"]
            except (ValueError, KeyError, IndexError, TypeError, ZeroDivisionError, EOFError,
                    zipfile.BadZipFile, zlib.error) as exc:
                raise refuse(f"is damaged ({type(exc).__name__}: {str(exc)[:80]})") from None
        return cls(signs, points, bounded, relatively_bounded=relative, exact_points=exact)


# ----------------------------------------------------------------------
# Public entry points
# ----------------------------------------------------------------------


def regions(A: "Arrangement", max_regions: int | None = DEFAULT_MAX_REGIONS) -> Regions:
    r"""Enumerate every region of ``A`` exactly.

    Parameters
    ----------
    A : Arrangement
    max_regions : int or None
        Refuse, before allocating anything, arrangements that may have more
        regions than this.  The cheap upper bound $\sum_{k \le \mathrm{rank}} \binom{h}{k}$ (h
        distinct hyperplanes) is tried first; when it exceeds the limit, a
        lower bound (the count of parts of the arrangement, within
        `LOWER_BOUND_SECONDS`), then the exact count from the characteristic
        polynomial decides.  ``None``
        means no limit on the count; the memory check stays: a table whose
        rows (n + 8d + 3 bytes each) would take more than 80% of the memory
        available is refused the same way.

    Returns
    -------
    Regions
        In a deterministic order for the given input.  Outside general
        position the order is canonical: by sign vector, + before −, the
        first hyperplane's sign factored out (the regions R and −R of a
        central arrangement are neighbours), whatever the pieces the
        enumeration was cut into.

    Raises
    ------
    OutputTooLargeError
        If the arrangement has more regions than ``max_regions``, or their
        table would not fit in the memory available (the message gives
        both figures); also if the enumeration runs out of memory anyway.

    Notes
    -----
    In general position the cost is about $\sum_{k \le d} \binom{n}{k}$ small dense solves,
    batched in numpy.  Otherwise it is proportional to the number of
    (flat, facet-region) incidences of the intersection lattice.

    Examples
    --------
    >>> import hyperarr as ha
    >>> R = ha.library.five_lines().regions()
    >>> len(R), int(R.bounded.sum())
    (16, 6)
    """
    per_row = _check_limit(checked(A), max_regions)
    with _memory.memory_errors_refused(f"enumerating the regions of {A!r}", None,
                                       "stream them with A.iter_regions(chunk_size=...), or count "
                                       "them with A.n_regions()"):
        return A._region_table


def iter_regions(A: "Arrangement", chunk_size: int = 100_000) -> Iterator[Regions]:
    """Yield the regions of ``A`` in chunks of at most ``chunk_size`` rows.

    The concatenation of the chunks equals ``A.regions(max_regions=None)``,
    in the same order.  No limit applies: this is the way to walk outputs
    that do not fit in memory.

    Notes
    -----
    When a cheap exact screen finds no sign of degeneracy, the regions are
    produced block by block and only a key per region is kept: a first pass
    runs every exact check of the general-position algorithm and proves, from
    the keys, that the count is complete and that all sign vectors are
    distinct (which proves general position); the second pass rebuilds each
    block, checks it against the first, and yields it.  If the first pass
    fails, nothing has been yielded and the arrangement is enumerated over
    the intersection lattice, as below.

    Outside general position the lift over the intersection lattice streams:
    the regions with a facet on hyperplane j that no earlier hyperplane gave
    are lifted from the regions of that one hyperplane, with a key per
    region found.  The work is cut into pairs of opposite cells of the signs
    on the first hyperplanes, each holding about 260,000 regions, which are
    sorted into the canonical order and yielded.  Memory holds the lattice,
    the tables of the flats two dimensions down (or, where they would not
    fit, those of one pair of cells at a time), one hyperplane's regions and
    one pair's; never the table.  ``regions()`` joins the same chunks.

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.library.five_lines()
    >>> [len(c) for c in A.iter_regions(chunk_size=6)]
    [6, 6, 4]
    """
    checked(A)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ArrangementError(f"chunk_size must be a positive integer; got {chunk_size!r}")
    return _iter_chunks(A, int(chunk_size))


def _iter_chunks(A: "Arrangement", chunk: int) -> Iterator[Regions]:
    prep = A._prepared
    if "_region_table" in vars(A):  # once computed, the table is yielded as it is
        yield from _slices(A._region_table, chunk)
        return
    streaming = (
        len(prep.rows) == A.n
        and A.n > A.dim
        and region_count(A.n, A.dim) > 4 * _generic.Generic.BLOCK
        and _generic.probably_generic(prep.rows, A.dim)  # the stream proves the rest, as table() does
    )
    if streaming:
        stream = _generic.stream(prep.rows, A.dim, chunk, A.n)
        if stream is not None:
            for S, W, bounded in stream:
                yield Regions._wrap(prep.to_input(S), W, bounded)._of(A, False)
            return
    table = _generic_table(A)
    if table is not None:
        yield from _slices(table._of(A, True), chunk)
        return
    # Outside general position the lattice lift streams its batches, cut to the chunk size.
    waiting: list[Regions] = []
    held = 0
    for batch in _lattice_batches(A):
        waiting.append(batch)
        held += len(batch)
        if held >= chunk:
            joined = Regions.concatenate(waiting) if len(waiting) > 1 else waiting[0]
            full = held - held % chunk
            yield from _slices(joined[:full], chunk, A)
            waiting = [joined[full:]] if full < held else []
            held -= full
    if held:
        yield (Regions.concatenate(waiting) if len(waiting) > 1 else waiting[0])._of(A, False)


def _slices(table: Regions, chunk: int, A: "Arrangement | None" = None) -> Iterator[Regions]:
    """``table`` in consecutive slices of ``chunk`` rows (each marked as part of ``A``, if given)."""
    for start in range(0, len(table), chunk):
        part = table[start : start + chunk]
        yield part if A is None else part._of(A, False)


def _check_limit(A: "Arrangement", limit: int | None) -> int:
    """Refuse more regions than ``limit``, or a table larger than the memory available
    (also when ``limit`` is None); the bytes a region of the table takes."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1):
        raise ArrangementError(f"max_regions must be a positive integer or None; got {limit!r}")
    per_row = _bytes_per_region(A)
    memory = _memory.available()
    bound = region_count(len(A._prepared.rows), A.rank())
    if (limit is None or bound <= limit) and not (memory and bound * per_row > _memory.SHARE * memory):
        return per_row
    # A large arrangement outside general position (where the count has a
    # closed form) is mostly refused by a lower bound, before the exact count.
    rows_fit = int(_memory.SHARE * memory // per_row) if memory else None
    cap = min(c for c in (limit, rows_fit) if c is not None)
    large = bound > LOWER_BOUND_FROM and not _generic.probably_generic(A._prepared.rows, A.dim)
    at_least = _lower_bound(A, cap) if large else 0
    if at_least > cap:
        _refuse(limit, memory, per_row, at_least, f"at least {at_least}",
                "(a lower bound: the count of parts of it)")
    exact = n_regions(A)
    _refuse(limit, memory, per_row, exact, str(exact), f"(upper bound Σ_k C(n, k) = {bound})")
    return per_row


def _refuse(limit: int | None, memory: int, per_row: int, count: int, shown: str, why: str) -> None:
    """Refuse ``count`` regions (``shown`` as the message says it, ``why`` after it) over
    ``limit`` or over the memory available."""
    if limit is not None and count > limit:
        raise OutputTooLargeError(
            f"the arrangement has {shown} regions {why}, more than max_regions={limit}; stream them "
            "with A.iter_regions(chunk_size=...), count them with A.n_regions(), or pass a larger "
            "max_regions"
        )
    _memory.refuse_over(f"the table of {'the ' if shown == str(count) else ''}{shown} regions", count,
                        per_row, "stream them with A.iter_regions(chunk_size=...), or count them with "
                        "A.n_regions()", memory)


#: Time spent on the lower bound of `_lower_bound` before the exact count decides.
LOWER_BOUND_SECONDS = 0.8
#: The upper bound on the regions from which `_lower_bound` is tried first.
LOWER_BOUND_FROM = 10**6


def _lower_bound(A: "Arrangement", target: int) -> int:
    """A lower bound on the regions of ``A``, found within `LOWER_BOUND_SECONDS`.

    It is the pruned count of `hyperarr.characteristic._regions_lower_bound`
    (each restriction of the count replaced by a sub-arrangement of it; the
    proof is there).  Where that count would run on exact integers (large
    entries), it is the regions of the first k distinct hyperplanes:
    adding a hyperplane never removes a region, so every sub-arrangement has
    at most as many.  k grows by a quarter each time, from twice the rank,
    until the bound passes ``target``, k reaches the last hyperplane, or the
    time is spent (the next count would cost more than the last one, so the
    time is checked before each).
    """
    from hyperarr.arrangement import Arrangement

    found = _regions_lower_bound(A, target, LOWER_BOUND_SECONDS)
    if found is not None:
        return found
    rows = A._prepared.rows
    h = len(rows)
    k = min(h - 1, 2 * max(1, A.rank()))
    best = 0
    start = time.perf_counter()
    while 0 < k < h and time.perf_counter() - start < LOWER_BOUND_SECONDS:
        sub = Arrangement([r[:-1] for r in rows[:k]], [r[-1] for r in rows[:k]])
        try:
            best = max(best, n_regions(sub))
        except OutputTooLargeError:  # the part's own count is over its budget: stop there
            break
        if best > target:
            break
        k = max(k + 1, k * 5 // 4)
    return best


def _bytes_per_region(A: "Arrangement") -> int:
    """The bytes one region takes in the table: its signs (int8), witness (float64) and three flags."""
    return A.n + 8 * A.dim + 3


def _enumerate(A: "Arrangement") -> Regions:
    """All regions of ``A`` (cached by the arrangement as ``A._region_table``)."""
    table = _generic_table(A)
    if table is not None:
        return table
    return Regions.concatenate(list(_lattice_batches(A)))


def _generic_table(A: "Arrangement") -> Regions | None:
    """The regions of ``A`` by the general-position algorithm, or None if it is not in general position."""
    prep = A._prepared
    result = _generic.table(prep.rows, A.dim) if len(prep.rows) == A.n else None
    if result is None:
        return None
    # General position: essential, or (n >= 1) no region is bounded in either
    # sense; with no hyperplane the one region is R^d, relatively a point.
    S, W, bounded = result
    relative = np.ones_like(bounded) if A.n == 0 else bounded
    return Regions._wrap(prep.to_input(S), np.ascontiguousarray(W), bounded, relative)


def _lattice_batches(A: "Arrangement", pairs: tuple[int, int, int] | None = None,
                     release: bool = True) -> Iterator[Regions]:
    """The regions of ``A`` over the intersection lattice, in the tables of `stream_regions`
    (``pairs`` and ``release`` as there)."""
    prep = A._prepared
    _check_lattice(A, 1, "Enumerating its regions")
    lat = A._lattice
    central = A.is_central()
    bounded = _bounded.Bounded(prep.rows, A.dim, central)
    relative = None if A.is_essential() else _bounded.Bounded.relative(prep.rows, A.dim, central)
    expected = None
    if pairs is None and region_count(len(prep.rows), A.rank()) > _lift.HOLD_ROWS:
        try:  # the pairs of cells the stream is cut into hold about HOLD_ROWS regions each
            expected = n_regions(A)
        except OutputTooLargeError:
            expected = None
    for S, W, X in stream_regions(lat, lat.top, pairs, release, expected):
        exact = None
        if X:
            W = W.copy()
            exact = np.full(S.shape[0], None, dtype=object)
            rows = sorted(X)
            got = _exact.exact_signs(prep.rows, [X[r] for r in rows])
            if not np.array_equal(got, S[rows]):  # pragma: no cover - exact by construction
                raise HyperarrError("an exact witness failed its exact check")
            for r in rows:
                exact[r] = X[r]
                W[r] = np.clip([_exact.to_float(v) for v in X[r]], -_FLOAT_MAX, _FLOAT_MAX)
        b = bounded(S)
        yield Regions._wrap(prep.to_input(S), np.ascontiguousarray(W), b,
                            b if relative is None else relative(S), exact)
