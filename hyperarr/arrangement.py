r"""The [`Arrangement`][hyperarr.arrangement.Arrangement] value: n affine hyperplanes in $\mathbb{R}^d$, kept exact.

Sign convention (the course sheet's, used everywhere in hyperarr): neuron i
computes $a_i = w_i \cdot x - \theta_i$; hyperplane $i$ is ``{x : normals[i] · x =
offsets[i]}``; side $+1$ is $a_i > 0$, where the step neuron
$g(a) = \frac12 (1 + \operatorname{sgn} a)$ fires.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

# The one upward reach of the package (named as the only exception of the
# layers contract in pyproject.toml): the convenience methods at the end of
# Arrangement call the modules above through the package root, at call time,
# as shapely's geometry methods call ``shapely.buffer(self, ...)``.
import hyperarr
from hyperarr import _exact, _generic, _rref
from hyperarr._lattice import Lattice
from hyperarr._prepared import Prepared, prepare
from hyperarr.exceptions import ArrangementError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from scipy import sparse

    from hyperarr.faces import Faces
    from hyperarr.occupancy import Occupancy
    from hyperarr.polyhedron import RegionPolyhedron
    from hyperarr.regions import Regions

__all__ = ["Arrangement", "Hyperplane", "DEFAULT_MAX_REGIONS", "checked"]

#: Default ``max_regions`` of [`Arrangement.regions`][hyperarr.arrangement.Arrangement.regions].
#: A table of this many regions takes about 1.6 GB for $n = 64$ hyperplanes in
#: $d = 12$ (161 bytes a region: 64 signs, 12 float64 coordinates, a flag).
DEFAULT_MAX_REGIONS = 10_000_000

Exact = int | Fraction


@dataclass(frozen=True)
class Hyperplane:
    """One hyperplane ``{x : normal · x = offset}``, with exact entries."""

    normal: tuple[Exact, ...]
    offset: Exact


def _exact_matrix(name: str, value: ArrayLike, ndim: int) -> tuple[list[list[Exact]], tuple[int, ...]]:
    """Validate ``value`` as an ndim-array of exact real numbers."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu" and value.ndim == ndim:
        arr = value
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            bad = np.argwhere(~np.isfinite(arr))[0]
            raise ArrangementError(
                f"{name} must be finite; got {arr[tuple(bad)]!r} at index {tuple(bad.tolist())}"
            )
        shape = arr.shape
        items = arr.reshape(-1).tolist()
    else:
        try:
            arr = np.asarray(value, dtype=object)
        except (ValueError, TypeError) as exc:
            raise ArrangementError(f"{name} must be a rectangular array of numbers; got {value!r}") from exc
        if arr.ndim != ndim:
            want = "(n, d)" if ndim == 2 else "(n,)"
            raise ArrangementError(f"{name} must have shape {want}; got {arr.shape}")
        shape = arr.shape
        items = arr.reshape(-1).tolist()
    exact: list[Exact] = []
    for k, v in enumerate(items):
        try:
            exact.append(_exact.to_exact(v))
        except TypeError:
            idx = np.unravel_index(k, shape)
            raise ArrangementError(
                f"{name} entries must be real numbers (int, float, Fraction); "
                f"got {type(v).__name__} {v!r} at index {tuple(int(i) for i in idx)}"
            ) from None
        except ValueError:
            idx = np.unravel_index(k, shape)
            raise ArrangementError(
                f"{name} must be finite; got {v!r} at index {tuple(int(i) for i in idx)}"
            ) from None
    if ndim == 1:
        return [exact], shape
    rows = [exact[i * shape[1] : (i + 1) * shape[1]] for i in range(shape[0])]
    return rows, shape


class Arrangement:
    r"""A finite arrangement of affine hyperplanes in $\mathbb{R}^d$, with exact data.

    Parameters
    ----------
    normals : array_like, shape (n, d)
        Row i is the weight vector $w_i$ of neuron i.  Entries may be int,
        float, `fractions.Fraction` or numpy numbers.  Every entry is
        kept exactly; a float is the binary rational it stores.
    offsets : array_like, shape (n,)
        Entry i is the threshold $\theta_i$.

    Notes
    -----
    Hyperplane i is ``{x : normals[i] · x = offsets[i]}`` and side +1 is
    ``normals[i] · x − offsets[i] > 0``, where neuron i fires.  The value is
    immutable and hashable; every "change" returns a new arrangement.
    Duplicated hyperplanes (same or opposite orientation) are allowed and keep
    their own sign column.

    Examples
    --------
    >>> from fractions import Fraction
    >>> A = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, Fraction(1, 2)])
    >>> A.n, A.dim, A.rank()
    (3, 2, 2)
    >>> A.signs([[1, 1], [0, 0.5]]).tolist()
    [[1, 1, 1], [0, 1, 0]]
    """

    __slots__ = ("_rows", "_n", "_d", "__dict__")

    def __init__(self, normals: ArrayLike, offsets: ArrayLike) -> None:
        rows, shape = _exact_matrix("normals", normals, 2)
        (offs,), oshape = _exact_matrix("offsets", offsets, 1)
        n, d = shape
        if d == 0:
            raise ArrangementError(
                f"normals must have shape (n, d) with d >= 1; got {tuple(shape)} (d = 0)"
            )
        if oshape[0] != n:
            raise ArrangementError(
                f"offsets must have shape (n,) = ({n},) to match normals {tuple(shape)}; "
                f"got {tuple(oshape)}"
            )
        for i, row in enumerate(rows):
            if not any(row):
                raise ArrangementError(
                    f"normals row {i} is zero; a hyperplane needs a nonzero normal"
                )
        self._rows: tuple[tuple[Exact, ...], ...] = tuple(
            tuple(r) + (o,) for r, o in zip(rows, offs)
        )
        self._n = n
        self._d = d

    # ------------------------------------------------------------------
    # Constructors
    # ------------------------------------------------------------------
    @classmethod
    def from_matrix(cls, matrix: ArrayLike) -> "Arrangement":
        """Build from one (n, d+1) matrix ``[W | θ]``.

        Examples
        --------
        >>> Arrangement.from_matrix([[1, 0, 2], [0, 1, 3]]).offsets.tolist()
        [2.0, 3.0]
        """
        rows, shape = _exact_matrix("matrix", matrix, 2)
        if shape[1] < 2:
            raise ArrangementError(
                f"matrix must have shape (n, d+1) with d >= 1; got {tuple(shape)}"
            )
        normals = np.array([r[:-1] for r in rows], dtype=object).reshape(shape[0], shape[1] - 1)
        offsets = np.array([r[-1] for r in rows], dtype=object).reshape(shape[0])
        return cls(normals, offsets)

    @classmethod
    def from_linear(cls, weight: ArrayLike, bias: ArrayLike) -> "Arrangement":
        """The arrangement of a linear layer ``x ↦ weight @ x + bias``, one hyperplane per unit.

        Parameters
        ----------
        weight : array_like, shape (n, d)
            As torch's ``nn.Linear.weight`` (a tensor is read as it is,
            through ``.detach().cpu()``).  float32, float64, int and
            `fractions.Fraction` entries are all kept exactly.
        bias : array_like, shape (n,)

        Notes
        -----
        Unit i fires where ``weight[i] · x + bias[i] > 0``, so ``normals =
        weight`` and ``offsets = −bias``, exactly: a float32 is a binary
        rational too, and negation is exact.

        Examples
        --------
        >>> import numpy as np
        >>> W = np.array([[1, 0], [0.5, 2]], dtype=np.float32)
        >>> A = Arrangement.from_linear(W, [0.25, -1])
        >>> A.offsets.tolist(), A.signs([[0, 0]]).tolist()
        ([-0.25, 1.0], [[1, -1]])
        """
        rows, shape = _exact_matrix("weight", _untensor(weight), 2)
        (b,), bshape = _exact_matrix("bias", _untensor(bias), 1)
        n, d = shape
        if d == 0:
            raise ArrangementError(f"weight must have shape (n, d) with d >= 1; got {tuple(shape)}")
        if bshape[0] != n:
            raise ArrangementError(
                f"bias must have shape (n,) = ({n},) to match weight {tuple(shape)}; got {tuple(bshape)}")
        for i, row in enumerate(rows):
            if not any(row):
                raise ArrangementError(
                    f"weight row {i} is zero; unit {i} is constant (it cuts no hyperplane)")
        return cls._from_rows([tuple(r) + (-v,) for r, v in zip(rows, b)], d)

    @classmethod
    def empty(cls, dim: int) -> "Arrangement":
        r"""The arrangement of no hyperplanes in $\mathbb{R}^{\mathrm{dim}}$ (one region).

        Examples
        --------
        >>> Arrangement.empty(3).n
        0
        """
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)) or dim < 0:
            raise ArrangementError(f"dim must be an integer >= 1; got {dim!r}")
        return cls(np.zeros((0, int(dim)), dtype=np.int64), np.zeros(0, dtype=np.int64))

    @classmethod
    def _from_rows(cls, rows: Sequence[Sequence[Exact]], dim: int) -> "Arrangement":
        obj = cls.__new__(cls)
        obj._rows = tuple(tuple(r) for r in rows)
        obj._n = len(obj._rows)
        obj._d = dim
        return obj

    # ------------------------------------------------------------------
    # Basic properties
    # ------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of hyperplanes as given, duplicates included."""
        return self._n

    @property
    def dim(self) -> int:
        """Dimension d of the ambient space."""
        return self._d

    @cached_property
    def _float_rows(self) -> NDArray[np.float64]:
        # Private: the filter of the exact predicates reads it.  Entries too
        # large for float64 become ±inf, which sends the filter to exact code.
        arr = np.array([[_exact.to_float(v) for v in r] for r in self._rows], dtype=np.float64)
        arr = arr.reshape(self._n, self._d + 1)
        arr.setflags(write=False)
        return arr

    @cached_property
    def normals(self) -> NDArray[np.float64]:
        """ndarray of float64, shape (n, d): the normals rounded to float64 (read-only copy)."""
        arr = self._float_rows[:, :-1].copy()
        arr.setflags(write=False)
        return arr

    @cached_property
    def offsets(self) -> NDArray[np.float64]:
        """ndarray of float64, shape (n,): the offsets rounded to float64 (read-only copy)."""
        arr = self._float_rows[:, -1].copy()
        arr.setflags(write=False)
        return arr

    @property
    def exact_rows(self) -> tuple[tuple[Exact, ...], ...]:
        """The exact rows ``(w_i..., θ_i)`` as ints and Fractions."""
        return self._rows

    @cached_property
    def _int_rows(self) -> tuple[tuple[int, ...], ...]:
        """Rows scaled by positive rationals to coprime integers (same hyperplanes)."""
        return tuple(_exact.integer_row(r) for r in self._rows)

    # Private caches, computed once and owned here; other modules only read them.
    @cached_property
    def _prepared(self) -> Prepared:
        """The distinct hyperplanes and how the input maps onto them."""
        return prepare(self._int_rows)

    @cached_property
    def _lattice(self) -> Lattice:
        """The intersection lattice of the distinct hyperplanes (built lazily, flat by flat)."""
        return Lattice(self._prepared.rows, self._d)

    @cached_property
    def _region_table(self) -> "Regions":
        """All regions, computed once by [`hyperarr.regions`][hyperarr.regions]."""
        return hyperarr.regions._enumerate(self)._of(self, True)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[Hyperplane]:
        for i in range(self._n):
            yield self[i]

    def __getitem__(self, key: Any) -> Any:
        """``A[i]`` is a [`Hyperplane`][hyperarr.arrangement.Hyperplane]; a slice or index array gives an Arrangement."""
        if isinstance(key, (int, np.integer)):
            i = int(key)
            if not -self._n <= i < self._n:
                raise IndexError(f"hyperplane index must be in [-{self._n}, {self._n}); got {i}")
            r = self._rows[i]
            return Hyperplane(r[:-1], r[-1])
        idx = self._index_list("key", key)
        return Arrangement._from_rows([self._rows[i] for i in idx], self._d)

    def _index_list(self, name: str, key: Any) -> list[int]:
        if isinstance(key, slice):
            return list(range(self._n))[key]
        arr = np.asarray(key)
        if arr.size == 0 and arr.dtype != bool:
            return []
        if arr.dtype == bool:
            if arr.shape != (self._n,):
                raise ArrangementError(f"{name} mask must have shape ({self._n},); got {arr.shape}")
            return np.flatnonzero(arr).tolist()
        if arr.dtype.kind not in "iu":
            raise ArrangementError(f"{name} must be integer indices; got dtype {arr.dtype}")
        out = arr.reshape(-1).tolist()
        for i in out:
            if not -self._n <= i < self._n:
                raise ArrangementError(f"{name} must be in [-{self._n}, {self._n}); got {i}")
        return [i % self._n for i in out]

    def __repr__(self) -> str:
        if self._n <= 6:
            body = ", ".join(
                "(" + ", ".join(_exact.short_text(v) for v in r[:-1]) + f" | {_exact.short_text(r[-1])})"
                for r in self._rows
            )
            return f"Arrangement(n={self._n}, d={self._d}: {body})"
        return f"Arrangement(n={self._n}, d={self._d})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Arrangement):
            return NotImplemented
        return self._d == other._d and self._rows == other._rows

    def __hash__(self) -> int:
        return hash((self._d, self._rows))

    # ------------------------------------------------------------------
    # Exact structure
    # ------------------------------------------------------------------
    def rank(self) -> int:
        """Rank of the normals (exact).

        Examples
        --------
        >>> Arrangement([[1, 1], [2, 2]], [0, 1]).rank()
        1
        """
        return _exact.rank_exact(r[:-1] for r in self._rows)

    def is_central(self) -> bool:
        """True if all hyperplanes share a common point (exact).

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1], [1, 1]], [1, 1, 2]).is_central()
        True
        """
        return _exact.rank_exact(r for r in self._int_rows) == self.rank()

    def is_linear(self) -> bool:
        """True if every hyperplane passes through the origin (every offset is 0).

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1]], [0, 0]).is_linear()
        True
        >>> Arrangement([[1, 0], [0, 1]], [0, 1]).is_linear()  # central
        False
        """
        return all(r[-1] == 0 for r in self._rows)

    def center(self) -> tuple[tuple[Fraction, ...], tuple[tuple[Fraction, ...], ...]] | None:
        r"""The intersection of all the hyperplanes, as an affine subspace, exactly; None if empty.

        Returns
        -------
        (point, directions) or None
            ``point`` is a point of the intersection (a tuple of d Fractions,
            the free coordinates of the echelon form set to 0) and
            ``directions`` a basis of the subspace it is parallel to (tuples
            of Fractions, in reduced row echelon form; empty when the
            intersection is a point).  None when the hyperplanes have no
            common point (the arrangement is not central).  With no
            hyperplane it is all of $\mathbb{R}^d$.

        Examples
        --------
        >>> point, directions = Arrangement([[1, 0, 0], [0, 1, 0]], [1, 2]).center()
        >>> [str(v) for v in point], [[str(v) for v in u] for u in directions]
        (['1', '2', '0'], [['0', '0', '1']])
        >>> Arrangement([[1, 0], [1, 0]], [0, 1]).center() is None
        True
        """
        d = self._d
        if not self.is_central():
            return None  # the augmented rows have a larger rank: no common point
        red, pivots = _rref.rref(self._rows, d)
        point = [Fraction(0)] * d
        for row, p in zip(red, pivots):
            point[p] = row[-1]
        if pivots:
            basis, _ = _rref.kernel(self._rows, d)
        else:
            basis = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
        return tuple(point), tuple(tuple(v) for v in basis)

    def is_essential(self) -> bool:
        r"""True if the normals span $\mathbb{R}^d$ (no lineality space)."""
        return self.rank() == self._d

    def is_generic(self, max_checks: int = _generic.DEFAULT_MAX_CHECKS) -> bool:
        r"""True if the hyperplanes are in general position, decided exactly.

        General position: every k <= d normals are linearly independent and
        no d+1 hyperplanes share a point.

        Parameters
        ----------
        max_checks : int, default 1_000_000_000
            Refuse (``OutputTooLargeError``, before any work) when the
            $\binom{n}{d} + \binom{n}{d+1}$ minors to check would cost more than this
            many minors of the batched float filter in $\mathbb{R}^{8}$ (about 40 million
            a second; a minor with more rows, or certified on its own when
            the batched tables would be too large, costs more).

        Notes
        -----
        Minors are proved nonzero in floats, all at once: each is split by
        Laplace's expansion into a minor of its first rows and one of its
        last rows, so that the minors are matrix products of exterior-power
        tables, and a proven bound on their rounding error (a permanent,
        bounded by the product of the rows' 1-norms) certifies every one
        that is far enough from zero.  When those tables would be too large
        (d of about 10 and more), a certificate per minor is used instead
        (‖I − R·M‖∞ < ½ for an approximate inverse R, with the rounding
        bounded).  Only the minors the floats cannot decide are computed
        exactly, by determinants modulo primes until the primes' product
        exceeds twice Hadamard's bound; the first zero ends the check.  For
        30 random float hyperplanes in $\mathbb{R}^{8}$ (20 million minors) this takes
        about half a second.  The answer is cached.

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1]).is_generic()
        True
        >>> Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 0]).is_generic()
        False
        """
        n, d = self._n, self._d
        cached = self.__dict__.get("_is_generic")
        if cached is not None:
            return bool(cached)
        _generic.refuse_over_budget(
            n, d, max_checks, "is_generic", f"for n = {n}, d = {d}",
            "pass a larger max_checks (about 40 million batched minors a second)")
        result = self._is_generic_uncached()
        self.__dict__["_is_generic"] = result
        return result

    def _is_generic_uncached(self) -> bool:
        n, d = self._n, self._d
        rows = self._int_rows
        if n < d:
            return self.rank() == n
        normals = [r[:-1] for r in rows]
        if d >= 2 and len(set(_exact.canonical_row(_exact.integer_row(v))[0] for v in normals)) < n:
            return False  # two parallel hyperplanes
        return _generic.all_minors_nonsingular(rows, d)

    # ------------------------------------------------------------------
    # Signs
    # ------------------------------------------------------------------
    def signs(self, points: ArrayLike) -> NDArray[np.int8]:
        """Exact side of each hyperplane for each point.

        Parameters
        ----------
        points : array_like, shape (..., d)
            Floats are taken as the binary rationals they store; an object
            array of ints/Fractions is evaluated exactly too.

        Returns
        -------
        ndarray of int8, shape (..., n)
            +1 where ``normals[i] · x > offsets[i]``, −1 where it is smaller,
            0 on the hyperplane.  No tolerance is involved.

        Examples
        --------
        >>> A = Arrangement([[1, 0], [0, 1], [1, 1]], [0.1, 0.2, 0.3])
        >>> int(A.signs([0.1, 0.2])[2])
        1
        """
        pts = self._points("points", points)
        flat = pts.reshape(-1, self._d)
        out = _exact.affine_signs(self._float_rows, self._rows, flat)
        return out.reshape(pts.shape[:-1] + (self._n,))

    def _points(self, name: str, points: ArrayLike) -> NDArray[Any]:
        if isinstance(points, np.ma.MaskedArray):
            masked = int(np.ma.count_masked(points))
            if masked:
                raise ArrangementError(
                    f"{name} must be an array of numbers; got a masked array with {masked} masked "
                    "entries (a masked entry is not a coordinate: fill or drop them first)")
            points = points.filled()
        try:
            arr = np.asarray(points)
        except ValueError as exc:  # a ragged nested list
            raise ArrangementError(
                f"{name} must be a rectangular array of shape (..., {self._d}); got a ragged "
                f"sequence ({exc})") from None
        if arr.dtype == object:
            try:
                arr = np.vectorize(_exact.to_exact, otypes=[object])(arr)
            except (TypeError, ValueError) as exc:
                raise ArrangementError(f"{name} must hold finite real numbers; got {exc}") from None
        elif arr.dtype.kind == "b":
            raise ArrangementError(
                f"{name} must be numeric with shape (..., {self._d}); got dtype bool "
                "(a bool is not a coordinate; convert with .astype(float) if that is meant)")
        elif arr.dtype.kind in "iu":
            arr = arr.astype(np.float64) if np.abs(arr).max(initial=0) < 2**53 else arr.astype(object)
        elif arr.dtype.kind == "f":
            if not np.isfinite(arr).all():
                raise ArrangementError(f"{name} must be finite; got a NaN or inf entry")
            if arr.dtype.itemsize > 8:
                # np.longdouble: keep every point exactly, as the constructor does;
                # points that float64 holds exactly stay on the fast path.
                wide = arr
                arr = wide.astype(np.float64)
                if not (arr == wide).all():
                    arr = np.vectorize(_exact.to_exact, otypes=[object])(wide)
            else:
                arr = arr.astype(np.float64)
        else:
            raise ArrangementError(f"{name} must be numeric with shape (..., {self._d}); got dtype {arr.dtype}")
        if arr.ndim == 0 or arr.shape[-1] != self._d:
            raise ArrangementError(f"{name} must have shape (..., {self._d}); got {arr.shape}")
        return arr

    # ------------------------------------------------------------------
    # New arrangements from old
    # ------------------------------------------------------------------
    def delete(self, i: int | Sequence[int]) -> "Arrangement":
        """The arrangement without hyperplane(s) ``i``.

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1]], [0, 0]).delete(0).n
        1
        """
        drop = set(self._index_list("i", [i] if np.isscalar(i) else i))
        return Arrangement._from_rows([r for k, r in enumerate(self._rows) if k not in drop], self._d)

    def union(self, other: "Arrangement") -> "Arrangement":
        """The hyperplanes of ``self`` followed by those of ``other`` (same dimension), as Sage's ``A | B``.

        Repeated hyperplanes are kept, each with its own sign column.

        Examples
        --------
        >>> A = Arrangement([[1, 0]], [0]).union(Arrangement([[0, 1]], [2]))
        >>> A
        Arrangement(n=2, d=2: (1, 0 | 0), (0, 1 | 2))
        """
        other = checked(other, "other")
        if other._d != self._d:
            raise ArrangementError(
                f"other must be an arrangement in R^{self._d}, as this one; got one in R^{other._d}")
        return Arrangement._from_rows(self._rows + other._rows, self._d)

    def add_hyperplane(self, normal: ArrayLike, offset: Any) -> "Arrangement":
        """The arrangement with the hyperplane ``{x : normal · x = offset}`` appended (last).

        Examples
        --------
        >>> Arrangement([[1, 0]], [0]).add_hyperplane([1, 1], 1).n
        2
        >>> Arrangement([[1, 0]], [0]).add_hyperplane([0, 0], 1)
        Traceback (most recent call last):
        ...
        hyperarr.exceptions.ArrangementError: normal is zero; a hyperplane ...
        """
        try:
            row = Arrangement(np.asarray([normal], dtype=object) if not isinstance(normal, np.ndarray)
                              else np.asarray(normal)[None, ...], np.asarray([offset], dtype=object))
        except ArrangementError as exc:
            msg = str(exc).replace("normals row 0", "normal").replace("normals", "normal")
            raise ArrangementError(msg.replace("offsets", "offset")) from None
        if row._d != self._d:
            raise ArrangementError(f"normal must have {self._d} entries; got {row._d}")
        return self.union(row)

    def restrict(self, i: int) -> "Arrangement":
        """The arrangement induced on hyperplane ``i``, in coordinates of that hyperplane.

        Let k be the first coordinate with ``normals[i][k] != 0``.  Points of
        $H_i$ are parametrized by the other $d - 1$ coordinates ($x_k$ is solved
        from the equation of $H_i$).  Each other hyperplane meeting $H_i$ in a
        hyperplane of $H_i$ is kept, in input order, with its orientation;
        hyperplanes parallel to or equal to $H_i$ have no trace and are dropped.

        Examples
        --------
        >>> A = Arrangement([[1, 0], [0, 1], [1, 1], [1, 0]], [0, 0, 1, 2])
        >>> A.restrict(0)
        Arrangement(n=2, d=1: (1 | 0), (1 | 1))
        """
        if not isinstance(i, (int, np.integer)) or not -self._n <= int(i) < self._n:
            raise ArrangementError(f"i must be a hyperplane index in [0, {self._n}); got {i!r}")
        if self._d == 1:
            raise ArrangementError("restrict needs dim >= 2; got dim = 1 (a hyperplane of R^1 is a point)")
        i = int(i) % self._n
        h = self._rows[i]
        k = next(j for j in range(self._d) if h[j])
        out = []
        for j, r in enumerate(self._rows):
            if j == i:
                continue
            f = Fraction(r[k]) / h[k]
            new = [_simplify(r[c] - f * h[c]) for c in range(self._d + 1) if c != k]
            if any(new[:-1]):
                out.append(new)
        return Arrangement._from_rows(out, self._d - 1)

    # ------------------------------------------------------------------
    # Regions, counting and the graph (implemented in their own modules)
    # ------------------------------------------------------------------
    def regions(self, max_regions: int | None = DEFAULT_MAX_REGIONS, *, domain: Any = None) -> "Regions":
        """All regions: sign vectors, exact witness points, boundedness.

        See ``hyperarr.regions.regions``: [`Regions`][hyperarr.Regions] holds the result.
        With ``domain`` (a box ``(lo, hi)`` or a [`Polytope`][hyperarr.domain.Polytope]),
        only the regions meeting its interior; see [`hyperarr.domain.regions`][hyperarr.domain.regions].
        """
        if domain is not None:
            return hyperarr.domain.regions(self, domain, max_regions=max_regions)
        return hyperarr.regions.regions(self, max_regions=max_regions)

    def iter_regions(self, chunk_size: int = 100_000, *, domain: Any = None) -> Iterator["Regions"]:
        """Stream the regions in chunks of at most ``chunk_size`` rows.

        See [`hyperarr.regions.iter_regions`][hyperarr.regions.iter_regions], and
        [`hyperarr.domain.iter_regions`][hyperarr.domain.iter_regions] with ``domain``.
        """
        if domain is not None:
            return hyperarr.domain.iter_regions(self, domain, chunk_size=chunk_size)
        return hyperarr.regions.iter_regions(self, chunk_size=chunk_size)

    def region_of(self, points: ArrayLike) -> NDArray[np.int64]:
        """Index in ``self.regions()`` of the region holding each point (−1 on a hyperplane)."""
        return self.regions().locate(self.signs(points))

    def characteristic_polynomial(self, symmetry: Any = None, *,
                                  progress: bool = False) -> tuple[int, ...]:
        r"""Coefficients of $\chi(t)$, constant term first; see [`characteristic_polynomial`][hyperarr.characteristic_polynomial]."""
        return hyperarr.characteristic.characteristic_polynomial(self, symmetry, progress=progress)

    def n_regions(self, symmetry: Any = None, *, progress: bool = False,
                  domain: Any = None) -> int:
        r"""Number of regions, $(-1)^{d} \chi(-1)$, without enumerating them; see [`n_regions`][hyperarr.n_regions].

        With ``domain``, the exact number meeting its interior; see
        [`hyperarr.domain.n_regions`][hyperarr.domain.n_regions] (``symmetry``
        and ``progress`` then do not apply).
        """
        if domain is not None:
            return hyperarr.domain.n_regions(self, domain)
        return hyperarr.characteristic.n_regions(self, symmetry, progress=progress)

    def n_bounded_regions(self, symmetry: Any = None, *, progress: bool = False) -> int:
        r"""Number of relatively bounded regions, $(-1)^{\mathrm{rank}} \chi(1)$, without enumerating them."""
        return hyperarr.characteristic.n_bounded_regions(self, symmetry, progress=progress)

    def betti_numbers(self, symmetry: Any = None, *, progress: bool = False) -> tuple[int, ...]:
        r"""$b_0, \dots, b_{\mathrm{rank}}$, the absolute values of $\chi$'s coefficients; see [`betti_numbers`][hyperarr.betti_numbers]."""
        return hyperarr.characteristic.betti_numbers(self, symmetry, progress=progress)

    def poincare_polynomial(self) -> tuple[int, ...]:
        r"""Coefficients $b_0, \dots, b_{\mathrm{rank}}$ of the Poincaré polynomial, lowest degree first; see [`poincare_polynomial`][hyperarr.poincare_polynomial]."""
        return hyperarr.characteristic.poincare_polynomial(self)

    def occupancy(self, X: ArrayLike) -> "Occupancy":
        """The regions the points of ``X`` fall in, with counts; see [`hyperarr.occupancy.occupancy`][hyperarr.occupancy.occupancy]."""
        return hyperarr.occupancy.occupancy(self, X)

    def adjacency_graph(self) -> "nx.Graph":
        """The region adjacency graph; see [`adjacency_graph`][hyperarr.adjacency.adjacency_graph]."""
        return hyperarr.adjacency.adjacency_graph(self)

    # ------------------------------------------------------------------
    # Faces, flats and posets (in hyperarr.faces and hyperarr.poset), and
    # the essentialization and the cone
    # ------------------------------------------------------------------
    def vertices(self, exact: bool = False) -> Any:
        """The vertices, sorted; see [`vertices`][hyperarr.faces.vertices]."""
        return hyperarr.faces.vertices(self, exact=exact)

    def faces(self, dim: int | None = None, max_faces: int | None = 10_000_000) -> "Faces":
        """Every face (or those of dimension ``dim``); see [`faces`][hyperarr.faces.faces]."""
        return hyperarr.faces.faces(self, dim=dim, max_faces=max_faces)

    def iter_faces(self, chunk_size: int = 100_000, dim: int | None = None) -> Iterator["Faces"]:
        """Stream the faces in chunks; see [`iter_faces`][hyperarr.faces.iter_faces]."""
        return hyperarr.faces.iter_faces(self, chunk_size=chunk_size, dim=dim)

    def face_vector(self) -> tuple[int, ...]:
        r"""$(f_0, \dots, f_d)$, without listing faces; see [`face_vector`][hyperarr.faces.face_vector]."""
        return hyperarr.faces.face_vector(self)

    def intersection_poset(self) -> "nx.DiGraph":
        """The flats as a Hasse diagram; see [`intersection_poset`][hyperarr.poset.intersection_poset]."""
        return hyperarr.poset.intersection_poset(self)

    def whitney_numbers(self, kind: int = 1) -> tuple[int, ...]:
        """Whitney numbers by rank; see [`whitney_numbers`][hyperarr.poset.whitney_numbers]."""
        return hyperarr.poset.whitney_numbers(self, kind=kind)

    def is_simplicial(self) -> bool:
        """Every region simplicial; see [`is_simplicial`][hyperarr.poset.is_simplicial]."""
        return hyperarr.poset.is_simplicial(self)

    def essentialization(self) -> "Arrangement":
        """The arrangement restricted to the span N of the normals, in Sage's coordinates.

        Let L be the lineality space (the vectors orthogonal to every normal)
        and P the pivot columns of the reduced row echelon basis of L.  N is
        parametrized by the other d − dim L coordinates (a point of N is
        determined by them), and each hyperplane keeps its offset, its
        orientation and its place in the input; its normal is its normal on
        those coordinates after adding the multiples of the basis of L that
        zero its entries on P.  This is Sage's ``essentialization()``, except
        that Sage sorts the hyperplanes and may flip their orientation.  An
        essential arrangement is returned as it is.  Sign vectors are kept:
        x and its orthogonal projection onto N have the same signs.

        Examples
        --------
        >>> from hyperarr import library
        >>> library.braid(3).essentialization()
        Arrangement(n=3, d=2: (-2, -1 | 0), (-1, -2 | 0), (1, -1 | 0))
        """
        if self.is_essential():
            return self
        if self._n == 0:
            raise ArrangementError(
                f"an arrangement with no hyperplane in R^{self._d} has R^0 as its "
                "essentialization, which an Arrangement cannot hold (dim >= 1)")
        basis, pivots = _rref.kernel([r[:-1] for r in self._rows], self._d)
        keep = [c for c in range(self._d) if c not in pivots]
        out = []
        for r in self._rows:
            a = [Fraction(v) for v in r[:-1]]
            for p, row in zip(pivots, basis):
                if a[p]:
                    f = a[p]
                    a = [x - f * y for x, y in zip(a, row)]
            out.append([_simplify(a[c]) for c in keep] + [r[-1]])
        return Arrangement._from_rows(out, len(keep))

    def cone(self) -> "Arrangement":
        r"""The cone over the arrangement, in Sage's convention.

        A new first coordinate t is added: hyperplane ``w · x = θ`` becomes
        ``θ t + w · x = 0``, in the input order, and the hyperplane ``t = 0``
        comes last.  The section t = −1 of the cone is the arrangement
        itself, with its orientations, and $\chi_{\mathrm{cone}}(t) = (t - 1)\, \chi(t)$.

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1]], [2, 3]).cone()
        Arrangement(n=3, d=3: (2, 1, 0 | 0), (3, 0, 1 | 0), (1, 0, 0 | 0))
        """
        rows = [(r[-1],) + r[:-1] + (0,) for r in self._rows]
        rows.append((1,) + (0,) * self._d + (0,))
        return Arrangement._from_rows(rows, self._d + 1)

    def adjacency_matrix(self) -> "sparse.csr_array":
        """The region adjacency matrix (CSR); see [`adjacency_matrix`][hyperarr.adjacency.adjacency_matrix]."""
        return hyperarr.adjacency.adjacency_matrix(self)

    # ------------------------------------------------------------------
    # Regions as polyhedra (in hyperarr.polyhedron)
    # ------------------------------------------------------------------
    def region_polyhedron(self, signs: ArrayLike) -> "RegionPolyhedron":
        """The region with sign vector ``signs`` as an exact polyhedron; see [`region_polyhedron`][hyperarr.polyhedron.region_polyhedron]."""
        return hyperarr.polyhedron.region_polyhedron(self, signs)

    def region_polyhedron_of(self, point: ArrayLike) -> "RegionPolyhedron":
        """The region holding ``point`` as an exact polyhedron; see [`region_polyhedron_of`][hyperarr.polyhedron.region_polyhedron_of]."""
        return hyperarr.polyhedron.region_polyhedron_of(self, point)

    def region_facets(self) -> "sparse.csr_array":
        """Every region's facets, (regions × hyperplanes) CSR; see [`region_facets`][hyperarr.polyhedron.region_facets]."""
        return hyperarr.polyhedron.region_facets(self)

    def _region_incidence(self, R: "Regions") -> Any:
        """Every region's vertices and rays in general position (None otherwise), for ``R.polyhedron``."""
        return hyperarr.polyhedron._generic_incidence(self, R)

    def _region_polyhedron_at(self, R: "Regions", k: int, incidence: Any) -> "RegionPolyhedron":
        """Region k of the complete table R, from ``_region_incidence``."""
        return hyperarr.polyhedron._from_incidence(self, R, k, incidence)


def checked(A: Any, name: str = "A") -> Arrangement:
    """Return ``A`` if it is an [`Arrangement`][hyperarr.Arrangement], else raise.

    The [`ArrangementError`][hyperarr.exceptions.ArrangementError] names the
    argument (``name``) and what was received.
    """
    if not isinstance(A, Arrangement):
        raise ArrangementError(f"{name} must be an Arrangement; got {type(A).__name__} {A!r:.60}")
    return A


def _untensor(value: Any) -> Any:
    """A torch tensor (duck-typed: ``.detach``) as a numpy array, floats widened exactly
    to float64 (float16, bfloat16 and float32 are all float64 values); anything else as it is."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        t = value.detach().cpu()
        if t.is_floating_point():
            t = t.double()
        return t.numpy()
    return value


def _simplify(v: Exact) -> Exact:
    if isinstance(v, Fraction) and v.denominator == 1:
        return int(v)
    return v
