r"""Faces of an arrangement, of every dimension, and its vertices, exactly.

A *face* is a nonempty set of points with one sign vector $\sigma \in \{-1, 0, +1\}^n$
($\sigma_i = 0$ on the hyperplanes through the face).  The faces of dimension d are
the regions; those of dimension 0 are the vertices.  A face of dimension k
spans a flat X of dimension k (the intersection of the hyperplanes where
$\sigma_i = 0$), and it is a region of the restriction $A^X$ of the arrangement to X.
So the faces are listed flat by flat, over the intersection lattice, with the
same exact lifting that [`hyperarr.regions`][hyperarr.regions] uses for the
regions of A itself: the regions of a flat are the lifts of the regions of
its children, one dimension at a time, each witness checked exactly.

These are the sign vectors of Sage's ``closed_faces()`` (a closed face and
its relative interior carry the same sign vector), and ``face_vector()``
is Sage's $(f_0, \dots, f_d)$.  Sign convention, as everywhere in hyperarr:
hyperplane i is ``{x : normals[i] · x = offsets[i]}`` and $\sigma_i = +1$ where
``normals[i] · x > offsets[i]``.
"""

from __future__ import annotations

import bisect
import io
import math
import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from hyperarr import _bounded, _exact, _lift, _memory, _rref
from hyperarr._atomic import atomic_write_bytes
from hyperarr._lattice import Flat, Lattice, levels
from hyperarr.arrangement import checked
from hyperarr.characteristic import _check_lattice
from hyperarr.exceptions import ArrangementError, HyperarrError, OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement

__all__ = ["Face", "Faces", "faces", "iter_faces", "vertices", "face_vector", "DEFAULT_MAX_FACES"]

#: Default ``max_faces`` of [`faces`][hyperarr.faces.faces].
#: That many faces take about 1.7 GB for $n = 64$ hyperplanes in
#: $\mathbb{R}^{12}$ (170 bytes a face).
DEFAULT_MAX_FACES = 10_000_000

_FLOAT_MAX = float(np.finfo(np.float64).max)

#: Vertices on which `vertices` measures the bytes of one before it lists them all.
_VERTEX_SAMPLE = 64

Exact = int | Fraction


@dataclass(frozen=True)
class Face:
    """One face: its sign vector, dimension, a relative-interior witness and boundedness.

    ``point`` is ``exact_point`` in float64; ``point_inside`` says whether it
    *is* that point (so that its exact signs are ``signs``).
    """

    signs: tuple[int, ...]
    dim: int
    point: tuple[float, ...]
    bounded: bool
    point_inside: bool = True
    exact_point: tuple[Fraction, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class _FlatMap:
    """The affine chart of a flat, exactly: coordinates ``free`` are free, and
    each pivot coordinate p is ``(rhs[p] − Σ_f coef[p][f] · x_f) / det``
    (integers, from the fraction-free reduced echelon form)."""

    free: tuple[int, ...]
    pivots: tuple[int, ...]
    det: int
    rhs: tuple[int, ...]
    coef: tuple[tuple[int, ...], ...]  # (pivots, free)

    def float_chart(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``rhs / det`` (pivots,) and ``coef / det`` (pivots, free), each entry the nearest float."""
        c = np.array([_exact.to_float(Fraction(v, self.det)) for v in self.rhs])
        M = np.array([[_exact.to_float(Fraction(v, self.det)) for v in r] for r in self.coef])
        return c, M.reshape(c.size, len(self.free))

    def lift_float(self, Y: NDArray[np.float64], out: NDArray[np.float64],
                   chart: tuple[NDArray[np.float64], NDArray[np.float64]]) -> None:
        """Write the points of R^d (float64) with free coordinates Y (m, k) into ``out`` (m, d).

        ``chart`` is ``float_chart()``.  The products are summed one free
        coordinate at a time (not by a matrix product, whose rounding depends
        on how many rows it is given), so that a row gets the same floats
        whichever rows are lifted with it.
        """
        out[:, list(self.free)] = Y
        if self.pivots:
            c, M = chart
            with np.errstate(over="ignore", invalid="ignore"):
                s = np.zeros((Y.shape[0], c.size))
                for f in range(M.shape[1]):
                    s += Y[:, f, None] * M[None, :, f]
                out[:, list(self.pivots)] = np.clip(c[None, :] - s, -_FLOAT_MAX, _FLOAT_MAX)

    def lift_exact(self, y: Sequence[Fraction], d: int) -> tuple[Fraction, ...]:
        """The exact point of R^d with free coordinates ``y``."""
        x = [Fraction(0)] * d
        for f, v in zip(self.free, y):
            x[f] = v
        for p, c, row in zip(self.pivots, self.rhs, self.coef):
            x[p] = (c - sum((a * v for a, v in zip(row, y) if a), Fraction(0))) / self.det
        return tuple(x)

    def exact_of_float(self, point: Sequence[float]) -> tuple[tuple[Fraction, ...], bool]:
        """The exact point with the free coordinates of ``point``, and whether it is ``point``.

        The first is the point of the flat whose free coordinates are those of
        the float ``point``; integer arithmetic only.
        """
        x = [Fraction(v) for v in point]
        if not self.pivots:
            return tuple(x), True
        ratios = [point[f].as_integer_ratio() for f in self.free]
        den = max((q for _, q in ratios), default=1)  # powers of two: the largest is a multiple of all
        ys = [p * (den // q) for p, q in ratios]
        inside = True
        for p, c, row in zip(self.pivots, self.rhs, self.coef):
            num = c * den - sum(a * v for a, v in zip(row, ys) if a)
            fp, fq = point[p].as_integer_ratio()
            inside = inside and fp * self.det * den == num * fq
            x[p] = Fraction(num, self.det * den)
        return tuple(x), inside


#: A flat, as the distinct hyperplanes of its arrangement and its closure key
#: (the bits of those that contain it): what `_flat_map` needs to build its chart.
_Chart = tuple[Sequence[Sequence[int]], int]


def _flat_map(rows: Sequence[Sequence[int]], d: int) -> _FlatMap:
    """The chart of the flat ``{x : a · x = b}`` for the rows ``[a | b]``."""
    mat, pivots, det = _rref.rref_integer(rows, d)
    free = tuple(c for c in range(d) if c not in pivots)
    return _FlatMap(free, tuple(pivots), det, tuple(r[d] for r in mat),
                    tuple(tuple(r[f] for f in free) for r in mat))


class Faces:
    r"""Immutable table of faces of an arrangement.

    Attributes
    ----------
    signs : ndarray of int8, shape (m, n)
        Row r is the sign vector of face r, entries in $\{-1, 0, +1\}$.
    dims : ndarray of int64, shape (m,)
        The dimension of each face (d for a region, 0 for a vertex).
    points : ndarray of float64, shape (m, d)
        Each exact witness in float64: its free coordinates (those that
        parametrize the face's flat) exactly, the others evaluated in floats.
    points_inside : ndarray of bool, shape (m,)
        Where True, ``points[r]`` is the exact witness itself, so that
        ``A.signs(points[r]) == signs[r]`` exactly.  A face of dimension
        below d lies on hyperplanes, and its witness often has coordinates
        (such as 1/3) that no float64 holds.
    exact_points : tuple of tuples of Fraction
        A point in the relative interior of every face, exactly.
    bounded : ndarray of bool, shape (m,)
        The face is compact in $\mathbb{R}^d$.

    Notes
    -----
    ``points_inside`` and ``exact_points`` are computed on first use (in
    rationals, O(m·d²)) and kept by the table.

    Examples
    --------
    >>> import hyperarr as ha
    >>> F = ha.Arrangement([[1, 0], [0, 1]], [0, 0]).faces()
    >>> len(F), F.dims.tolist()
    (9, [0, 1, 1, 1, 1, 2, 2, 2, 2])
    >>> F.signs[0].tolist(), F.exact_points[0]
    ([0, 0], (Fraction(0, 1), Fraction(0, 1)))
    """

    __slots__ = ("_signs", "_dims", "_points", "_bounded", "_starts", "_charts", "_thin",
                 "_exact", "_inside")

    def __init__(self, signs: NDArray[np.int8], dims: NDArray[np.int64], points: NDArray[np.float64],
                 bounded: NDArray[np.bool_], starts: NDArray[np.int64], charts: tuple[_Chart, ...],
                 thin: dict[int, tuple[Fraction, ...]]) -> None:
        # Private: tables are built by hyperarr.faces.  The rows lie on flats
        # in runs: rows ``starts[i]`` to ``starts[i + 1] − 1`` (the last to the
        # end) on the flat ``charts[i]``, whose chart is built when exact
        # points are asked for (a run, not a flat index a row: no memory that
        # grows with the rows).  ``thin`` maps rows without a float witness
        # in free coordinates to their exact free coordinates.
        for a in (signs, dims, points, bounded, starts):
            a.setflags(write=False)
        self._signs, self._dims, self._points, self._bounded = signs, dims, points, bounded
        self._starts, self._charts, self._thin = starts, charts, thin
        self._exact: tuple[tuple[Fraction, ...], ...] | None = None
        self._inside: NDArray[np.bool_] | None = None

    @classmethod
    def concatenate(cls, parts: Sequence["Faces"]) -> "Faces":
        """Join tables (e.g. the chunks of ``iter_faces``) into one."""
        if not parts:
            raise ArrangementError("parts must hold at least one Faces; got none")
        charts: list[_Chart] = []
        starts, thin, start = [], {}, 0
        for p in parts:
            starts.append(p._starts + start)
            charts.extend(p._charts)
            thin.update({start + r: y for r, y in p._thin.items()})
            start += len(p)
        return cls(np.concatenate([p._signs for p in parts]), np.concatenate([p._dims for p in parts]),
                   np.concatenate([p._points for p in parts]),
                   np.concatenate([p._bounded for p in parts]), np.concatenate(starts), tuple(charts), thin)

    @property
    def signs(self) -> NDArray[np.int8]:
        r"""ndarray of int8, shape (m, n): sign vectors, entries in $\{-1, 0, +1\}$ (read-only)."""
        return self._signs

    @property
    def dims(self) -> NDArray[np.int64]:
        """ndarray of int64, shape (m,): the dimension of each face (read-only)."""
        return self._dims

    @property
    def points(self) -> NDArray[np.float64]:
        """ndarray of float64, shape (m, d): each exact witness in float64 (read-only)."""
        return self._points

    @property
    def bounded(self) -> NDArray[np.bool_]:
        r"""ndarray of bool, shape (m,): whether each face is compact in $\mathbb{R}^d$ (read-only)."""
        return self._bounded

    @property
    def exact_points(self) -> tuple[tuple[Fraction, ...], ...]:
        """A relative-interior point of every face, as tuples of Fraction."""
        if self._exact is None:
            self._exact_and_inside()
        assert self._exact is not None
        return self._exact

    @property
    def points_inside(self) -> NDArray[np.bool_]:
        """ndarray of bool, shape (m,): True where ``points[r]`` is exactly the witness (read-only)."""
        if self._inside is None:
            self._exact_and_inside()
        assert self._inside is not None
        return self._inside

    def _exact_and_inside(self) -> None:
        d = self._points.shape[1]
        exact: list[tuple[Fraction, ...]] = []
        inside = np.empty(len(self), dtype=bool)
        maps: dict[tuple[int, int], _FlatMap] = {}
        ends = self._starts.tolist()[1:] + [len(self)]
        for (rows, key), lo, hi in zip(self._charts, self._starts.tolist(), ends):
            fm = maps.get((id(rows), key))
            if fm is None:
                fm = maps[id(rows), key] = _flat_map(_equations(rows, key), d)
            for r, row in enumerate(self._points[lo:hi].tolist(), lo):
                y = self._thin.get(r)
                if y is None:
                    e, ok = fm.exact_of_float(row)
                else:
                    e = fm.lift_exact(y, d)
                    ok = all(Fraction(v) == w for v, w in zip(row, e))
                exact.append(e)
                inside[r] = ok
        inside.setflags(write=False)
        self._exact, self._inside = tuple(exact), inside

    def __len__(self) -> int:
        return self._signs.shape[0]

    def __getitem__(self, key: Any) -> Any:
        """``F[i]`` is a [`Face`][hyperarr.faces.Face]; a slice, index array or mask gives a Faces."""
        if isinstance(key, (int, np.integer)):
            m = len(self)
            i = int(key)
            if not -m <= i < m:
                raise IndexError(f"face index must be in [-{m}, {m}); got {i}")
            i %= m
            return Face(tuple(int(v) for v in self._signs[i]), int(self._dims[i]),
                        tuple(float(v) for v in self._points[i]), bool(self._bounded[i]),
                        bool(self.points_inside[i]), self.exact_points[i])
        rows = np.arange(len(self))[key]
        where = {int(r): k for k, r in enumerate(rows.tolist())}
        thin = {where[r]: y for r, y in self._thin.items() if r in where}
        run = np.searchsorted(self._starts, rows, side="right") - 1  # the run of each row taken
        starts = np.flatnonzero(np.r_[True, run[1:] != run[:-1]]) if run.size else run
        return Faces(self._signs[rows], self._dims[rows], self._points[rows], self._bounded[rows],
                     starts.astype(np.int64), tuple(self._charts[i] for i in run[starts].tolist()), thin)

    def __repr__(self) -> str:
        m, n = self._signs.shape
        counts = np.bincount(self._dims, minlength=self._points.shape[1] + 1).tolist()
        return f"Faces(m={m}, n={n}, d={self._points.shape[1]}, by_dim={counts})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Faces):
            return NotImplemented
        return (np.array_equal(self._signs, other._signs) and np.array_equal(self._dims, other._dims)
                and np.array_equal(self._points, other._points)
                and np.array_equal(self._bounded, other._bounded)
                and self.exact_points == other.exact_points)

    __hash__ = None  # type: ignore[assignment]

    def to_numpy(self) -> dict[str, NDArray[Any]]:
        """The arrays, by name (exact points are not arrays; see ``exact_points``)."""
        return {"signs": self._signs, "dims": self._dims, "points": self._points,
                "bounded": self._bounded, "points_inside": self.points_inside}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the table to an ``.npz`` file, atomically.

        The file holds the arrays, and the exact witnesses as ``p/q`` strings
        (``exact_values``) for the rows ``exact_rows`` whose float is not exact.
        """
        atomic_write_bytes(path, self.npz_bytes())

    def npz_bytes(self) -> bytes:
        """The bytes of the ``.npz`` file ``save`` writes."""
        buf = io.BytesIO()
        rows = np.flatnonzero(~self.points_inside)
        ex = self.exact_points
        exact = np.array([[_exact.exact_text(v) for v in ex[r]] for r in rows.tolist()], dtype=np.str_)
        np.savez_compressed(buf, signs=self._signs, dims=self._dims, points=self._points,
                            bounded=self._bounded, points_inside=self.points_inside, exact_rows=rows,
                            exact_values=exact.reshape(rows.size, self._points.shape[1]))
        return buf.getvalue()


# ----------------------------------------------------------------------
# Public entry points
# ----------------------------------------------------------------------


def faces(A: "Arrangement", dim: int | None = None, max_faces: int | None = DEFAULT_MAX_FACES) -> Faces:
    """Every face of ``A`` (or those of dimension ``dim``), exactly.

    Parameters
    ----------
    A : Arrangement
    dim : int, optional
        Only the faces of this dimension (0 ≤ dim ≤ d).
    max_faces : int or None
        Refuse, before listing anything, when ``A.face_vector()`` counts
        more faces than this; ``None`` means no limit.

    Returns
    -------
    Faces
        Ordered by dimension, then flat by flat (in the lattice's
        breadth-first order), then as the regions of each flat come.

    Raises
    ------
    OutputTooLargeError
        If there are more faces than ``max_faces``, or their table would
        not fit in the memory available (``max_faces=None`` keeps that
        check).

    Notes
    -----
    The cost is that of enumerating the regions of every flat of the
    intersection lattice; each flat is visited once and its regions are the
    lifts of its children's, so the total work is proportional to the number
    of (flat, facet-face) incidences.  The table is allocated once, sized by
    the face vector, and each flat's faces are written in place as soon as
    its regions are found (the top flat's one trace at a time).  When all
    faces are asked for, a flat reads its children's regions back from
    their rows, so memory holds the table, the intersection lattice (the
    arrangement's cache) and one flat's lift, never a level of regions.

    Examples
    --------
    >>> from hyperarr import library
    >>> F = library.five_lines().faces()
    >>> len(F), library.five_lines().face_vector()
    (51, (10, 25, 16))
    >>> len(library.five_lines().faces(dim=1))
    25
    """
    A = checked(A)
    dims = _dims_wanted(A, dim)
    if max_faces is not None and (isinstance(max_faces, bool) or not isinstance(max_faces, (int, np.integer))
                                  or max_faces < 1):
        raise ArrangementError(f"max_faces must be a positive integer or None; got {max_faces!r}")
    fv = face_vector(A)
    total = sum(fv[k] for k in dims)
    if max_faces is not None and total > max_faces:
        raise OutputTooLargeError(
            f"the arrangement has {total} faces (face vector {fv}), more than "
            f"max_faces={max_faces}; stream them with A.iter_faces(chunk_size=...), count "
            "them with A.face_vector(), or pass a larger max_faces")
    # The table is allocated once, from the face vector, and filled flat by flat: its rows
    # (signs, dimension, witness, flag) are checked against the memory first.
    per_row = A.n + 8 + 8 * A.dim + 1
    remedy = "stream them with A.iter_faces(chunk_size=...), or count them with A.face_vector()"
    _memory.refuse_over(f"the table of the {total} faces", total, per_row, remedy)
    with _memory.memory_errors_refused(f"listing the {total} faces", total * per_row, remedy):
        return _assemble(A, dims, fv)


def iter_faces(A: "Arrangement", chunk_size: int = 100_000, dim: int | None = None) -> Iterator[Faces]:
    """Yield the faces of ``A`` in chunks of at most ``chunk_size`` rows.

    The concatenation of the chunks equals ``faces(A, dim, max_faces=None)``,
    in the same order, row for row.  A chunk is written from the regions of
    the flats as they are built, and the stream keeps no chunk it gave.
    Memory holds one chunk, the intersection lattice, and the regions of
    the flats of at most two consecutive dimensions: a flat's table is
    dropped once the last flat above it that reads it is built.  The top
    flat's regions come one trace at a time, each batch as soon as no later
    trace can change it.

    Examples
    --------
    >>> from hyperarr import library
    >>> [len(c) for c in library.five_lines().iter_faces(chunk_size=16)]
    [16, 16, 16, 3]
    """
    A = checked(A)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ArrangementError(f"chunk_size must be a positive integer; got {chunk_size!r}")
    return _chunks(A, _dims_wanted(A, dim), int(chunk_size))


def vertices(A: "Arrangement", exact: bool = False) -> Any:
    """The vertices of ``A`` (its faces of dimension 0), sorted lexicographically.

    Parameters
    ----------
    A : Arrangement
    exact : bool
        If True, a tuple of tuples of `fractions.Fraction`; else a float64
        array of shape (k, d), each coordinate the nearest float.

    Raises
    ------
    OutputTooLargeError
        If the vertices would not fit in the memory available (their number
        times the bytes of one, measured on a sample of them), or the
        intersection lattice is over its budget; also if listing them runs
        out of memory anyway.

    Notes
    -----
    A vertex is a flat of dimension 0.  A non-essential arrangement has none
    (as in Sage, whose ``vertices()`` is sorted the same way).

    Examples
    --------
    >>> from hyperarr import Arrangement
    >>> A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1])
    >>> A.vertices(exact=True)
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)),
     (Fraction(1, 1), Fraction(0, 1)))
    >>> A.vertices().shape
    (3, 2)
    """
    A = checked(A)
    d = A.dim
    essential = A.rank() == d and A.n > 0
    if essential:
        _check_lattice(A, 0, "A.vertices()")
    flats = _all_levels(A._lattice)[0] if essential else []
    rows = A._prepared.rows

    def point(f: Flat) -> tuple[Fraction, ...]:
        fm = _flat_map(_equations(rows, f.key), d)
        return tuple(Fraction(v, fm.det) for v in fm.rhs)

    def rows_of(pts: list[tuple[Fraction, ...]]) -> list[list[float]]:
        return [[_exact.to_float(v) for v in p] for p in pts]

    def made(some: list[Flat]) -> Any:
        """What listing ``some`` holds at its peak: the exact points, then the float rows."""
        pts = [point(f) for f in some]
        return pts if exact else (pts, rows_of(pts))

    # The bytes of a vertex are measured on a sample of the output itself (plus
    # the slot of the sorted list, and the array of floats), then checked.
    k = len(flats)
    sample = flats[:_VERTEX_SAMPLE]
    per_row = _memory.measured_bytes(lambda: made(sample)) / max(1, len(sample))
    per_row += 8 + (0 if exact else 8 * d)
    remedy = ("count them with A.face_vector()[0], or list the faces of dimension 0 in chunks "
              "with A.iter_faces(chunk_size=..., dim=0)")
    _memory.refuse_over(f"the {k} vertices", k, per_row, remedy)
    with _memory.memory_errors_refused(f"listing the {k} vertices", k * per_row, remedy):
        pts = sorted(point(f) for f in flats)
        if exact:
            return tuple(pts)
        arr = np.array(rows_of(pts), dtype=np.float64).reshape(k, d)
    arr = np.clip(arr, -_FLOAT_MAX, _FLOAT_MAX)
    arr.setflags(write=False)
    return arr


def face_vector(A: "Arrangement") -> tuple[int, ...]:
    r"""The face vector $(f_0, \dots, f_d)$: $f_k$ is the number of faces of dimension k.

    Computed without listing the faces: $f_k$ is the sum, over the flats X of
    dimension k, of the number of regions of the restriction $A^X$, counted by
    deletion–restriction over the intersection lattice (each flat visited
    once).  In general position (decided exactly) it has a closed form:
    $\binom{n}{d-k}$ flats of dimension k, each cut by the $n - d + k$ others into
    $\sum_{i \le k} \binom{n - d + k}{i}$ regions.

    Raises
    ------
    OutputTooLargeError
        If the intersection lattice would hold more than ``Lattice.max_flats``
        flats; refused before it is built when a lower bound on its flats
        (found within `FLATS_LOWER_BOUND_SECONDS`) already passes that.

    Notes
    -----
    Euler's relation $\sum_k (-1)^k f_k = (-1)^d$ holds for every arrangement,
    essential or not (a relatively open k-cell has compactly supported
    Euler characteristic $(-1)^k$, and $\mathbb{R}^d$ has $(-1)^d$).

    Examples
    --------
    >>> from hyperarr import library
    >>> library.shi(3).face_vector()
    (0, 6, 21, 16)
    >>> library.braid(3).face_vector()
    (0, 1, 6, 6)
    """
    A = checked(A)
    n, d = A.n, A.dim
    prep = A._prepared
    if n == 0:
        return tuple([0] * d + [1])
    if len(prep.rows) == n and _generic(A):
        out = [0] * (d + 1)
        for k in range(d + 1):
            c = d - k
            if c <= n:
                out[k] = math.comb(n, c) * sum(math.comb(n - c, i) for i in range(k + 1))
        return tuple(out)
    central = d >= 2 and A.is_central()
    # The walk builds the flats of dimension 2 and more (central), or 1 and more.
    _check_lattice(A, 2 if central else 1, "A.face_vector()")
    lat = A._lattice
    counts: dict[int, list[int]] = {}
    out = [0] * (d + 1)
    _region_counts(lat, lat.top, counts, central)
    vertex_keys: set[int] = set()
    for key, table in counts.items():
        f = lat.flats[key]
        out[f.dim] += table[-1]
        if f.dim == 1:  # its points are vertices, named by their closure keys
            vertex_keys.update(key | m for m in f.group_mask)
    out[0] = len(vertex_keys)
    if central:
        # The lines were not built: the one vertex is the centre (if essential),
        # and Euler's relation gives f_1.
        out[0] = int(A.rank() == d)
        out[1] = (-1) ** (d + 1) + out[0] + sum((-1) ** k * out[k] for k in range(2, d + 1))
    return tuple(out)


# ----------------------------------------------------------------------
# Kernels
# ----------------------------------------------------------------------


def _generic(A: "Arrangement") -> bool:
    try:
        return A.is_generic()
    except OutputTooLargeError:
        return False


def _dims_wanted(A: "Arrangement", dim: int | None) -> tuple[int, ...]:
    if dim is None:
        return tuple(range(A.dim + 1))
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 0 <= dim <= A.dim:
        raise ArrangementError(f"dim must be an integer in [0, {A.dim}] or None; got {dim!r}")
    return (int(dim),)


def _region_counts(lat: Lattice, flat: Flat, memo: dict[int, list[int]], central: bool) -> list[int]:
    """Prefix counts of regions on ``flat``: entry s counts the regions cut
    by its first s traces (in ``trace_min`` order), by deletion–restriction
    r_s = r_{s−1} + (regions of the child on trace s−1 cut by the traces
    before it, which are the child's traces with a smaller ``trace_min``).

    In a central arrangement every flat holds the centre, so the t traces of
    a plane are t lines through one point (or one line, t = 1), cutting it
    into 2t sectors: its lines need not be built."""
    t = flat.n_traces
    if flat.dim <= 1:
        table = list(range(1, t + 2)) if flat.dim == 1 else [1]
    elif central and flat.dim == 2:
        table = [1] + [2 * s for s in range(1, t + 1)]
    else:
        table = [1]
        last = 1
        for s in range(t):
            child = lat.child(flat, s)
            sub = memo.get(child.key)
            if sub is None:
                sub = _region_counts(lat, child, memo, central)
            last += sub[bisect.bisect_left(child.trace_min, flat.trace_min[s])]
            table.append(last)
    memo[flat.key] = table
    return table


def _all_levels(lat: Lattice) -> list[list[Flat]]:
    """Every flat, by dimension (``levels`` from the top, plus the vertices)."""
    by_dim = levels(lat, lat.top)
    if lat.d >= 1:
        seen: set[int] = set()
        for f in by_dim[1]:
            for j in range(f.n_traces):
                v = lat.child(f, j)
                if v.key not in seen:
                    seen.add(v.key)
                    by_dim[0].append(v)
    return by_dim


def _equations(rows: Sequence[Sequence[int]], key: int) -> list[Sequence[int]]:
    """The distinct hyperplanes whose bit is set in a flat's key."""
    return [rows[u] for u in range(len(rows)) if key >> u & 1]


#: Rows a block writes at a time: its temporaries, of (rows × n) int8 and
#: (rows × d) float64, do not grow with the number of faces of its flat.
_ROWS = 4096


class _Block:
    """The faces of one flat: its region table, written as rows of a face table on demand.

    ``table`` is the ``_lift`` kernel's ``(S, W, X)`` for the flat: signs over
    the distinct hyperplanes, witnesses in the flat's free coordinates (NaN
    where only the exact witness ``X[r]`` exists).  Nothing is built before
    `write` is called, so a block costs no memory beyond the table itself.
    """

    __slots__ = ("chart", "map", "dim", "table", "bounded", "prep", "exact_rows")

    def __init__(self, key: int, dim: int, table: _lift.Table, bounded: "_Bounded", prep: Any,
                 fm: _FlatMap) -> None:
        self.chart: _Chart = (prep.rows, key)
        self.map = fm
        self.dim, self.table, self.bounded, self.prep = dim, table, bounded, prep
        self.exact_rows = sorted(table[2])

    def __len__(self) -> int:
        return int(self.table[0].shape[0])

    def write(self, lo: int, hi: int, signs: NDArray[np.int8], points: NDArray[np.float64],
              bounded: NDArray[np.bool_]) -> dict[int, tuple[Fraction, ...]]:
        """Write faces ``lo`` to ``hi − 1`` into the views ``signs``, ``points`` and ``bounded``.

        Each view has ``hi − lo`` rows.  Returns the rows (numbered from 0)
        whose float point is not computed in the chart, with their exact free
        coordinates: those with an exact witness only, and those whose pivot
        coordinates overflow the float chart.
        """
        S, W, X = self.table
        fm, prep = self.map, self.prep
        k = len(fm.free)
        chart = fm.float_chart()
        thin: dict[int, tuple[Fraction, ...]] = {}
        for a in range(lo, hi, _ROWS):
            b = min(a + _ROWS, hi)
            sg, P = signs[a - lo : b - lo], points[a - lo : b - lo]
            if S.shape[1]:
                np.take(S[a:b], prep.column, axis=1, out=sg, mode="clip")
                sg *= prep.orient
            else:
                sg[...] = 0
            Y = np.array(W[a:b], dtype=np.float64, copy=True).reshape(b - a, k)
            here = {}
            for r in self.exact_rows[bisect.bisect_left(self.exact_rows, a):
                                     bisect.bisect_left(self.exact_rows, b)]:
                here[r - a] = tuple(Fraction(v) for v in X[r])
                Y[r - a] = 0.0
            fm.lift_float(Y, P, chart)
            for r in np.flatnonzero(~np.isfinite(P).all(axis=1)).tolist():  # overflow in the chart
                here.setdefault(r, tuple(Fraction(v) for v in Y[r].tolist()))
            for r, y in here.items():
                P[r] = np.clip([_exact.to_float(v) for v in fm.lift_exact(y, P.shape[1])],
                               -_FLOAT_MAX, _FLOAT_MAX)
                thin[a - lo + r] = y
            bounded[a - lo : b - lo] = self.bounded(sg, self.dim)
        return thin


#: Where the rows of a block went, for `_blocks` to read its table back:
#: ``rows_at(dimension, first row, rows)`` gives those rows' signs and points
#: (views of the face table) and the exact free coordinates of row r of them.
_RowsAt = Callable[[int, int, int], tuple[NDArray[np.int8], NDArray[np.float64],
                                          Callable[[int], tuple[Fraction, ...]]]]


def _blocks(A: "Arrangement", dims: tuple[int, ...], in_order: bool, rows_at: _RowsAt | None = None
            ) -> Iterator[tuple[int, int, _Block]]:
    """The faces of every flat of a wanted dimension, as ``(dimension, first row, block)``.

    The first row counts from the first face of that dimension.  The regions
    of each flat are the ``_lift`` kernel's (``_regions_of``), built
    bottom-up, a dimension at a time, from the tables of the flat's
    children; those of the top flat one trace at a time
    (``_lift.lift_by_trace``), each batch a block of its own.

    ``rows_at`` (every dimension up to the highest wanted is wanted, and the
    blocks are written where it reads them): each block comes as soon as its
    flat is built, in the order of the face table, and its table is dropped
    at once.  A flat above reads its children's tables back from their rows
    (`_table_from_rows`, equal to the tables they were written from), one
    flat's children at a time, so no level of tables is ever held.

    Otherwise a flat's table is held until the last flat above it that
    reads it is built (tables of at most two consecutive dimensions).
    ``in_order``: blocks come in the order of the face table, each as soon
    as its flat is built.  If not, a block below the highest wanted
    dimension comes when its table is about to be dropped, so that its
    faces are not held twice (as a table and as rows) while the flats above
    are built; its first row says where it goes.

    ``_lift.flat_regions`` is not called flat by flat here: it walks the
    whole lattice below its flat and drops the tables of the lower levels,
    which the next flat of the same level needs.  Every table this walk
    fills is released by the end, also when the walk is abandoned; a table
    the lattice held before (the top flat's, after ``A.regions()``) is used
    and kept.
    """
    prep = A._prepared
    d = A.dim
    if A.n == 0:
        if d in dims:
            nothing: _lift.Table = (np.zeros((1, 0), dtype=np.int8), np.zeros((1, d)), {})
            yield d, 0, _Block(0, d, nothing, _Bounded(A, []), prep, _flat_map([], d))
        return
    lat = A._lattice
    by_dim = _all_levels(lat)
    bounded = _Bounded(A, by_dim[1])
    top = max(dims)
    in_order = in_order or rows_at is not None
    # How many flats of the level above may read each flat's table (pencils
    # and lines read none: an upper bound, which only delays a release).
    readers: dict[int, int] = {}
    for k in range(2, top + 1):
        for f in by_dim[k]:
            for j in range(f.n_traces):
                key = lat.child(f, j).key
                readers[key] = readers.get(key, 0) + 1
    first_row: dict[int, int] = {}
    filled: dict[int, Flat] = {}
    # With rows_at: where each flat's rows are, until the flats above have read them.
    placed: dict[int, tuple[int, int, tuple[int, ...], list[int]]] = {}
    maps: dict[int, _FlatMap] = {}  # the top flat's, for its batches

    def block(f: Flat, table: _lift.Table) -> _Block:
        fm = maps.get(f.key) or _flat_map(_equations(prep.rows, f.key), d)
        if f is lat.top:
            maps[f.key] = fm
        return _Block(f.key, f.dim, table, bounded, prep, fm)

    def release(f: Flat) -> None:
        if filled.pop(f.key, None) is not None:
            f.regions = None

    def table_of(c: Flat) -> _lift.Table:
        """The table of ``c`` for a flat above: its own, or read back from its rows."""
        if c.regions is not None or rows_at is None:
            assert c.regions is not None
            return c.regions  # type: ignore[no-any-return]
        first, m, free, exact = placed[c.key]
        return _table_from_rows(prep, *rows_at(c.dim, first, m), free, exact)

    def read(c: Flat) -> Iterator[tuple[int, int, _Block]]:
        """A flat above ``c`` has read its table: the last one writes its block (out of order) and drops it."""
        readers[c.key] -= 1
        if readers[c.key] == 0:
            placed.pop(c.key, None)
            if not in_order and c.dim in dims:
                assert c.regions is not None
                yield c.dim, first_row.pop(c.key), block(c, c.regions)
            release(c)

    def top_batches(f: Flat) -> Iterator[tuple[int, int, _Block]]:
        """The top flat's regions, one batch a trace (``_lift.lift_by_trace``), never joined.

        A child's table is read once its trace is lifted.  A batch is
        final once it holds no region without a float witness (a later
        trace may still find one: ``_lift._retry_pending`` writes into
        that batch); a final batch is given at once (after those before
        it, ``in_order``), the others at the end.
        """
        lifted: list[Flat] = []

        def child_table(c: Flat) -> _lift.Table:
            lifted.append(c)
            return table_of(c)

        held: list[tuple[int, _lift.Table]] = []
        row = 0
        for batch in _lift.lift_by_trace(lat, f, child_table):
            for c in lifted:
                yield from read(c)
            lifted.clear()
            held.append((row, batch))
            row += batch[0].shape[0]
            ready = [h for h in held if not h[1][2]] if not in_order else \
                held[:next((i for i, h in enumerate(held) if h[1][2]), len(held))]
            for h in ready:
                yield f.dim, h[0], block(f, h[1])
            gone = {id(h) for h in ready}
            held = [h for h in held if id(h) not in gone]
        for c in lifted:
            yield from read(c)
        for start, batch in held:
            yield f.dim, start, block(f, batch)

    try:
        for k in range(top + 1):
            row = 0
            for f in by_dim[k]:
                if f is lat.top and f.dim > 2 and f.regions is None:
                    # The largest lift: one trace at a time, its batches written as they come.
                    yield from top_batches(f)
                    continue
                if k == 0:
                    table: _lift.Table = (f.tsign[None, :].copy(), np.zeros((1, 0)), {})
                elif f.regions is not None:
                    table = f.regions
                elif rows_at is not None:
                    # A line's table needs none of its children's (its vertices).
                    table = _lift._regions_of(lat, f, tables=[
                        table_of(lat.child(f, j)) for j in range(f.n_traces if k >= 2 else 0)])
                else:
                    f.regions = table = _lift._regions_of(lat, f)
                    filled[f.key] = f
                for j in range(f.n_traces if k >= 2 else 0):
                    yield from read(lat.child(f, j))
                if k in dims and (in_order or k in (0, top)):
                    b = block(f, table)
                    if rows_at is not None and readers.get(f.key):
                        placed[f.key] = (row, len(b), b.map.free, b.exact_rows)
                    yield k, row, b
                if k in (0, top):
                    release(f)
                elif not in_order and k in dims:
                    first_row[f.key] = row
                row += table[0].shape[0]
    finally:
        for f in filled.values():
            f.regions = None


def _table_from_rows(prep: Any, signs: NDArray[np.int8], points: NDArray[np.float64],
                     thin: Callable[[int], tuple[Fraction, ...]], free: tuple[int, ...],
                     exact: list[int]) -> _lift.Table:
    """A flat's table ``(S, W, X)`` again, from the rows of the face table it was written to.

    The signs of the input are those of the distinct hyperplanes, oriented
    (`Prepared.orient`), so S is read off its representatives' columns (S
    is a read-only view of ``signs`` where the hyperplanes are distinct and
    as given).  A witness is written with its free coordinates as they are,
    so W is the points' free columns, exactly; the rows ``exact`` (numbered
    in the block) had only the exact witness, which ``thin`` (numbered the
    same way) kept: they get NaN in W and their point in X, as in the table.
    """
    if prep.rep.size == signs.shape[1] and (prep.orient > 0).all():
        S = signs.view()  # rep is then 0, 1, ..., n − 1
    else:
        S = signs[:, prep.rep]
        S *= prep.orient[prep.rep][None, :]
    W = np.ascontiguousarray(points[:, list(free)])
    X: dict[int, _lift.Point] = {}
    for r in exact:
        W[r] = np.nan
        X[r] = thin(r)
    S.setflags(write=False)
    W.setflags(write=False)
    return S, W, X


class _Table:
    """A face table of ``rows`` rows, allocated once and filled block by block."""

    def __init__(self, rows: int, n: int, d: int) -> None:
        self.signs = np.empty((rows, n), dtype=np.int8)
        self.dims = np.empty(rows, dtype=np.int64)
        self.points = np.empty((rows, d), dtype=np.float64)
        self.bounded = np.empty(rows, dtype=bool)
        self.runs: list[tuple[int, _Chart]] = []  # (first row, flat) of every block written
        self.thin: dict[int, tuple[Fraction, ...]] = {}
        self.written = 0

    def put(self, pos: int, b: _Block, lo: int, hi: int) -> None:
        """Write faces ``lo`` to ``hi − 1`` of ``b`` at row ``pos``."""
        end = pos + hi - lo
        if end > self.dims.shape[0]:  # pragma: no cover - the face vector and the lift agree
            raise HyperarrError(f"listed more faces than the {self.dims.shape[0]} the face vector counts")
        thin = b.write(lo, hi, self.signs[pos:end], self.points[pos:end], self.bounded[pos:end])
        self.dims[pos:end] = b.dim
        self.runs.append((pos, b.chart))
        self.thin.update({pos + r: y for r, y in thin.items()})
        self.written += hi - lo

    def faces(self) -> Faces:
        if self.written != self.dims.shape[0]:  # pragma: no cover - as in put
            raise HyperarrError(f"listed {self.written} faces where the face vector counts "
                                f"{self.dims.shape[0]}")
        self.runs.sort(key=lambda run: run[0])
        return Faces(self.signs, self.dims, self.points, self.bounded,
                     np.array([pos for pos, _ in self.runs], dtype=np.int64),
                     tuple(chart for _, chart in self.runs), self.thin)


def _assemble(A: "Arrangement", dims: tuple[int, ...], fv: tuple[int, ...]) -> Faces:
    """The table of the faces of dimensions ``dims``, sized by the face vector ``fv``.

    Each block is written at its place as it comes, then dropped.  When
    every dimension up to the highest is wanted (all faces), the flats above
    read their children's tables back from the rows written (`_blocks`'
    ``rows_at``), so that memory holds the table, the lattice and one
    flat's lift.
    """
    start, total = {}, 0
    for k in dims:
        start[k] = total
        total += fv[k]
    out = _Table(total, A.n, A.dim)

    def rows_at(k: int, first: int, m: int) -> tuple[NDArray[np.int8], NDArray[np.float64],
                                                      Callable[[int], tuple[Fraction, ...]]]:
        pos = start[k] + first
        return out.signs[pos : pos + m], out.points[pos : pos + m], lambda r: out.thin[pos + r]

    every = dims == tuple(range(dims[-1] + 1))
    for k, row, b in _blocks(A, dims, in_order=False, rows_at=rows_at if every else None):
        out.put(start[k] + row, b, 0, len(b))
    return out.faces()


def _chunks(A: "Arrangement", dims: tuple[int, ...], size: int) -> Iterator[Faces]:
    """Tables of ``size`` faces (the last one shorter), in the order of ``faces``."""
    pending: list[tuple[_Block, int, int]] = []
    held = 0
    for _, _, b in _blocks(A, dims, in_order=True):
        lo, m = 0, len(b)
        while lo < m:
            hi = min(m, lo + size - held)
            pending.append((b, lo, hi))
            held += hi - lo
            lo = hi
            if held == size:
                yield _pieces(pending, held, A.n, A.dim)
                pending, held = [], 0
    if held:
        yield _pieces(pending, held, A.n, A.dim)


def _pieces(pending: list[tuple[_Block, int, int]], rows: int, n: int, d: int) -> Faces:
    out = _Table(rows, n, d)
    pos = 0
    for b, lo, hi in pending:
        out.put(pos, b, lo, hi)
        pos += hi - lo
    return out.faces()


#: Entries (rows × rays × words) of the temporaries of one call of the rays'
#: kernel (``_bounded.conformal_ray``): 256 KiB each, whatever the flat's rows.
_RAY_BLOCK = 2**15


class _Bounded:
    """Which faces are compact, decided on sign vectors only.

    A face F with sign vector σ is unbounded iff its closure has a nonzero
    recession direction v: a_i · v = 0 where σ_i = 0 and σ_i (a_i · v) ≥ 0
    elsewhere.  For an essential arrangement that cone, if nonzero, holds a
    ray of the central arrangement of the normals {a_i · v = 0}, so F is
    unbounded iff some such ray τ = sign(a · v) is conformal to σ (τ_i ∈ {0,
    σ_i} for every i).  Those rays are ±(the direction of a flat of
    dimension 1): any d − 1 independent normals of a line of the central
    arrangement cut out a line of A with that direction.  Along the free
    coordinate of a line, each trace (normalized with a positive coefficient)
    grows, so τ is the line's trace orientation and 0 elsewhere.  A
    non-essential arrangement has no compact face; in a central one only
    the vertex is compact.
    """

    def __init__(self, A: "Arrangement", lines: Sequence[Flat]) -> None:
        self.essential = A.n > 0 and A.rank() == A.dim
        self.central = A.is_central()
        self.lines = lines
        self.prep = A._prepared
        self.rays: tuple[NDArray[np.uint64], NDArray[np.uint64]] | None = None

    def __call__(self, signs: NDArray[np.int8], dim: int) -> NDArray[np.bool_]:
        m = signs.shape[0]
        if not self.essential:
            return np.zeros(m, dtype=bool)
        if self.central or dim == 0:
            return np.full(m, dim == 0)
        if self.rays is None:
            T = np.array([np.where(L.tmap >= 0, L.tsign, 0) for L in self.lines], dtype=np.int8)
            T = np.unique(self.prep.to_input(np.concatenate([T, -T])), axis=0)
            self.rays = _bounded.ray_words(T)
        # A few rows at a time: the kernel's temporaries are (rows × rays × words).
        out = np.empty(m, dtype=bool)
        step = max(1, _RAY_BLOCK // max(1, self.rays[0].size))
        for lo in range(0, m, step):
            out[lo : lo + step] = ~_bounded.conformal_ray(self.rays, signs[lo : lo + step])
        return out
