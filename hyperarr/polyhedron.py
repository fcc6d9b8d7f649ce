r"""Each region as an exact polyhedron: facets, H- and V-representation, centre, volume.

A region of an arrangement is the open polyhedron
$\{x : s_i (w_i \cdot x - \theta_i) > 0\}$; its closure is the value
[`RegionPolyhedron`][hyperarr.polyhedron.RegionPolyhedron], with exact data
throughout:

* the *facets* are decided without linear programming.  For a region of the
  table ``A.regions()`` they are its adjacency pairs: a distinct hyperplane
  bounds a facet of a region iff flipping its sign alone gives another region
  (the theorem of [`hyperarr.adjacency`][hyperarr.adjacency]), so
  [`region_facets`][hyperarr.polyhedron.region_facets] reads them for every
  region at once from the sorted sign keys.  For one region given by its
  signs, the exact cone kernel decides them: a hyperplane is a facet iff the
  vertices, rays and lines on it span a hyperplane;
* the V-representation (vertices, rays, lines) is the double description of
  the cone over the region, in exact integers (the kernel of
  ``hyperarr._cones``), cutting by the facets only;
* the volume is an exact rational, from a pulling triangulation of the
  vertices read off the face lattice (tight sets, no arithmetic) and integer
  determinants;
* the Chebyshev centre is the exact optimum of a rational linear programme
  (HiGHS proposes the basis, exact arithmetic solves and checks it).
  Euclidean norms are irrational, so the inradius is a float64 with a proven
  error bound, and the ball it gives fits, exactly.

The sign convention is hyperarr's: hyperplane i is
``{x : normals[i] · x = offsets[i]}`` and sign +1 is the side where
``normals[i] · x − offsets[i] > 0``.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import _cones, _exact
from hyperarr.adjacency import _pairs
from hyperarr.arrangement import Arrangement, checked
from hyperarr.domain import Box, Polytope, as_domain
from hyperarr.exceptions import ArrangementError, HyperarrError

if TYPE_CHECKING:  # pragma: no cover
    from scipy import sparse

    from hyperarr.regions import Regions

__all__ = ["RegionPolyhedron", "region_polyhedron", "region_polyhedron_of", "region_facets"]

Exact = int | Fraction


def _readonly(rows: Sequence[Sequence[Any]], width: int) -> NDArray[Any]:
    out = np.empty((len(rows), width), dtype=object)
    if len(rows) and width:
        out[:, :] = rows
    out.setflags(write=False)
    return out


class RegionPolyhedron:
    r"""The closure of one region, as an exact polyhedron (H- and V-representation).

    Build it with [`Arrangement.region_polyhedron`][hyperarr.arrangement.Arrangement.region_polyhedron],
    [`Arrangement.region_polyhedron_of`][hyperarr.arrangement.Arrangement.region_polyhedron_of] or
    [`Regions.polyhedron`][hyperarr.regions.Regions.polyhedron].

    Attributes
    ----------
    dim : int
        The dimension d of the space.
    facets : tuple of int
        The hyperplanes that bound a facet of the region, each named once, by
        its lowest input index, in increasing order: the minimal
        H-representation.
    copies : tuple of tuples of int
        For each facet, every input index on that hyperplane (repeats of it
        with the same or the opposite orientation), the facet's own first.
    inequalities : (G, h)
        Object arrays of Python ints, shapes (f, d) and (f,), one row per
        facet: the region's closure is $\{x : G x \le h\}$ and the region is
        $G x < h$.  ``Polytope(G, h)`` accepts them.
    vertices : ndarray of object (Fraction), shape (v, d)
        One point of each minimal face (the vertices when there are no lines),
        sorted.
    rays : ndarray of object (int), shape (r, d)
        The extreme rays of the recession cone modulo the lines, primitive
        integer vectors, sorted.
    lines : ndarray of object (int), shape (l, d)
        A basis of the lineality space, integer vectors.

    Notes
    -----
    Every array is read-only and every entry exact.  The region is the
    Minkowski sum conv(vertices) + cone(rays) + span(lines).

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1])
    >>> P = A.region_polyhedron([1, 1, -1])        # the open triangle
    >>> P.facets, P.bounded
    ((0, 1, 2), True)
    >>> [[str(v) for v in p] for p in P.vertices.tolist()]
    [['0', '0'], ['0', '1'], ['1', '0']]
    >>> str(P.volume())
    '1/2'
    """

    __slots__ = ("dim", "facets", "copies", "_G", "_h", "vertices", "rays", "lines", "_cheb",
                 "_cell")

    def __init__(self, dim: int, facets: Sequence[int], copies: Sequence[Sequence[int]],
                 G: Sequence[Sequence[int]], h: Sequence[int], vertices: Sequence[Sequence[Fraction]],
                 rays: Sequence[Sequence[int]], lines: Sequence[Sequence[int]],
                 cell: _cones.ExactCell | None = None, presorted: bool = False) -> None:
        self.dim = int(dim)
        self.facets = tuple(int(k) for k in facets)
        self.copies = tuple(tuple(int(k) for k in c) for c in copies)
        self._G = _readonly(G, dim)
        hh = np.empty(len(h), dtype=object)
        hh[:] = list(h)
        hh.setflags(write=False)
        self._h = hh
        self.vertices = _readonly(vertices if presorted else sorted(tuple(v) for v in vertices), dim)
        self.rays = _readonly(rays if presorted else sorted(tuple(r) for r in rays), dim)
        self.lines = _readonly([tuple(v) for v in lines], dim)
        self._cheb: tuple[tuple[Fraction, ...], Fraction] | None = None
        self._cell = cell

    @property
    def inequalities(self) -> tuple[NDArray[Any], NDArray[Any]]:
        """``(G, h)``: the closure is ``G x ≤ h``, one row per facet, exact ints (read-only)."""
        return self._G, self._h

    @property
    def bounded(self) -> bool:
        """Whether the region is compact: no rays and no lines."""
        return not len(self.rays) and not len(self.lines)

    def __repr__(self) -> str:
        return (f"RegionPolyhedron(d={self.dim}, facets={len(self.facets)}, vertices={len(self.vertices)}, "
                f"rays={len(self.rays)}, lines={len(self.lines)})")

    @classmethod
    def _from_cone(cls, cell: _cones.ExactCell, d: int, rows: dict[int, tuple[int, ...]],
                   labels: dict[int, int]) -> "RegionPolyhedron":
        """The polyhedron whose cone is ``cell``; ``rows`` maps constraint ids to integer
        rows (a, c), a · x + c t ≥ 0 inside, and ``labels`` the candidate facet ids to the
        index that names them.  Facets are decided by rank; constraints on one
        hyperplane are named once, by their lowest label, with their copies."""
        ids = sorted(c for c in labels if any(rows[c][:-1]))
        fids, verts, rays, lines = _from_cell(cell, d, ids, None)
        groups: dict[tuple[int, ...], list[int]] = {}
        for c in ids:
            groups.setdefault(_exact.integer_row(rows[c]), []).append(labels[c])
        named = []
        for c in fids:
            key = _exact.integer_row(rows[c])
            copies = sorted(groups[key])
            named.append((copies[0], copies, key))
        unique = sorted({k[0]: k for k in named}.values())
        G = [tuple(-v for v in key[:-1]) for _, _, key in unique]
        h = [key[-1] for _, _, key in unique]
        return cls(d, [u[0] for u in unique], [u[1] for u in unique], G, h, verts, rays, lines, cell)

    # ------------------------------------------------------------------
    def contains(self, points: ArrayLike, strict: bool = False) -> NDArray[np.bool_]:
        """Whether each point of a (..., d) array lies in the closed region (``G x ≤ h``), exactly.

        With ``strict=True``, in the open region (``G x < h``).

        Examples
        --------
        >>> import hyperarr as ha
        >>> P = ha.Arrangement([[1, 0]], [0]).region_polyhedron([1])
        >>> P.contains([[0, 5], [1, 0], [-1, 0]]).tolist()
        [True, True, False]
        """
        if not self.facets:
            probe = Arrangement.empty(self.dim)
            probe.signs(points)  # validates shape and finiteness
            shape = np.shape(points)[:-1]
            return np.ones(shape, dtype=bool)
        s = Arrangement(self._G, self._h).signs(points)
        return np.asarray((s < 0).all(axis=-1) if strict else (s <= 0).all(axis=-1))

    def _recession_full(self) -> bool:
        gens = [list(r) for r in self.rays.tolist()] + [list(v) for v in self.lines.tolist()]
        return _exact.rank_exact(gens) == self.dim if gens else False

    def chebyshev_center(self) -> tuple[Fraction, ...]:
        r"""The centre of a largest ball in the region, exactly (a tuple of Fraction).

        It is the exact optimum of the linear programme: maximize r subject to
        $G_i \cdot x + \bar n_i r \le h_i$, where $\bar n_i$ is
        $\lVert G_i \rVert_2$ rounded up to float64 (norms are irrational;
        $\bar n_i / \lVert G_i \rVert_2 < 1 + 2^{-52}$).  HiGHS proposes the
        basis; exact arithmetic solves it and checks primal and dual
        feasibility.  Along lines the centre is taken orthogonal to the
        lineality space.  If HiGHS's basis fails the exact check (a
        degenerate optimum), the centre is the best exactly feasible point
        among the candidates tried, still strictly inside the region.

        Raises
        ------
        HyperarrError
            If the region holds balls of every radius (its recession cone
            is full-dimensional): it has no centre.

        Examples
        --------
        >>> import hyperarr as ha
        >>> A = ha.Arrangement([[1, 0], [0, 1], [1, 0], [0, 1]], [0, 0, 2, 2])
        >>> P = A.region_polyhedron([1, 1, -1, -1])      # the open square (0, 2)^2
        >>> [str(v) for v in P.chebyshev_center()], P.inradius()
        (['1', '1'], 1.0)
        """
        if self._recession_full():
            raise HyperarrError(
                "the region holds balls of every radius (its recession cone is full-dimensional), "
                "so it has no Chebyshev centre; inradius() is inf")
        if self._cheb is None:
            self._cheb = _chebyshev(self._G.tolist(), self._h.tolist(), self.lines.tolist(), self.dim,
                                    self.vertices.tolist())
        return self._cheb[0]

    def inradius(self) -> float:
        r"""The radius of the largest ball around ``chebyshev_center()`` in the region, as float64.

        It is the exact distance $\min_i (h_i - G_i \cdot c) / \lVert G_i \rVert_2$
        from the centre c to the boundary, rounded *down* to float64: the
        largest float r with $r^2 \le$ that distance squared (a rational),
        so it is below the exact value by less than one unit in the last
        place, and the ball of radius r around c lies in the closed region
        (exactly: $(h_i - G_i \cdot c)^2 \ge r^2 \lVert G_i \rVert^2$ for every
        facet).  The norms, hence the exact radius, are irrational in
        general.  ``inf`` if the region holds balls of every radius; 0 is
        impossible (regions are open and nonempty).
        """
        if self._recession_full():
            return math.inf
        c = self.chebyshev_center()
        best: Fraction | None = None
        for g, hv in zip(self._G.tolist(), self._h.tolist()):
            slack = Fraction(hv) - sum((Fraction(a) * b for a, b in zip(g, c) if a), Fraction(0))
            d2 = slack * slack / sum(a * a for a in g)
            best = d2 if best is None or d2 < best else best
        if best is None:  # pragma: no cover - a region without facets is R^d (handled above)
            return math.inf
        return _sqrt_down(best)

    def volume(self, domain: Any = None) -> Fraction:
        """The exact volume (a Fraction) of the region, or of its part inside ``domain``.

        Parameters
        ----------
        domain : None, Box, Polytope or (lo, hi)
            None for the region itself, which must then be bounded; otherwise
            the volume of its intersection with the domain.

        Raises
        ------
        HyperarrError
            If the region is unbounded and no domain is given (the volume is
            infinite).

        Notes
        -----
        The vertices of the (intersected) polytope come from the exact
        double description; a pulling triangulation is read off the face
        lattice (the tight sets of the vertices, no arithmetic), and each
        simplex contributes an integer determinant.  The volumes of all the
        regions inside a domain add up exactly to the domain's.

        Examples
        --------
        >>> import hyperarr as ha
        >>> P = ha.Arrangement([[1, 1]], [0]).region_polyhedron([1])
        >>> str(P.volume(domain=(-1, 1)))
        '2'
        """
        if domain is None:
            if not self.bounded:
                raise HyperarrError(
                    "the region is unbounded, so its volume is infinite; pass domain=(lo, hi) or a "
                    "Polytope for the volume of its part inside it")
            cell = self._cell if self._cell is not None else _cut(
                _cones.root_cell(self.dim, _cones.words_for(1 + len(self.facets))),
                self._inward(), 1)
            if cell is None:  # pragma: no cover - the region is nonempty
                return Fraction(0)
            return _volume(cell, self.dim)
        P = as_domain(domain, self.dim)
        inward = self._inward()
        if isinstance(P, Box):
            # Each facet's range over the box, exactly: a facet that misses the box's
            # interior empties the intersection; one the box lies inside cuts nothing.
            cuts = []
            for row in inward:
                low = row[-1] + sum(min(a * lo, a * hi) for a, lo, hi in zip(row, P.lo, P.hi) if a)
                if low >= 0:
                    continue  # a · x + c ≥ 0 on the whole box
                high = row[-1] + sum(max(a * lo, a * hi) for a, lo, hi in zip(row, P.lo, P.hi) if a)
                if high <= 0:
                    return Fraction(0)  # the box's interior lies outside this facet
                cuts.append((high / (high - low), row))
            # the facets keeping the least of the box first: an empty intersection shows
            # after few cuts, and the cells stay small (the order changes no result)
            inward = [row for _, row in sorted(cuts, key=lambda c: c[0])]
        start, base = _domain_cell(P, len(inward))
        cell = _cut(start, inward, base)
        return Fraction(0) if cell is None else _volume(cell, self.dim)

    def _inward(self) -> list[tuple[int, ...]]:
        """Each facet's integer row (a, c), a · x + c t ≥ 0 on the cone over the closure."""
        return [tuple(-int(v) for v in g) + (int(hv),) for g, hv in zip(self._G.tolist(), self._h.tolist())]


# ----------------------------------------------------------------------
# Exact cells
# ----------------------------------------------------------------------


def _cut(cell: _cones.ExactCell, inward: Sequence[tuple[int, ...]], first_id: int) -> _cones.ExactCell | None:
    """``cell`` cut by each inward row in turn (ids from ``first_id``), keeping the side
    where it is ≥ 0; None if a side has no interior."""
    for j, row in enumerate(inward):
        kids = dict(_cones.insert_exact(cell, row, first_id + j))
        if 1 not in kids:
            return None
        cell = kids[1]
    return cell


@functools.lru_cache(maxsize=16)
def _box_start(lo: tuple[Exact, ...], hi: tuple[Exact, ...], W: int) -> _cones.ExactCell:
    """The cone over a box, built once per box (cutting a cell never changes it)."""
    return _cones.box_cell([Fraction(v) for v in lo], [Fraction(v) for v in hi], W)


def _domain_cell(P: Polytope, extra: int) -> tuple[_cones.ExactCell, int]:
    """The cone over the domain, room for ``extra`` more constraints, and the first free id."""
    d = P.dim
    if isinstance(P, Box):
        base = 1 + 2 * d
        return _box_start(tuple(P.lo), tuple(P.hi), _cones.words_for(base + extra)), base
    rows = [tuple(-v for v in r[:-1]) + (r[-1],) for r in P.facets._int_rows]  # h − G x ≥ 0
    base = 1 + len(rows)
    W = _cones.words_for(base + extra)
    cell = _cut(_cones.root_cell(d, W), rows, 1)
    assert cell is not None  # a Polytope is full-dimensional
    return cell, base


def _bits(T: NDArray[np.uint64]) -> NDArray[np.uint8]:
    """Tight sets (k, W) uint64 as a (k, 64 W) 0/1 matrix, constraint id c in column c."""
    as_bytes = np.ascontiguousarray(T.astype("<u8")).view(np.uint8)
    return np.unpackbits(as_bytes, axis=1, bitorder="little")


def _from_cell(cell: _cones.ExactCell, d: int, ids: Sequence[int],
               facet_ids: Sequence[int] | None) -> tuple[list[int], list[list[Fraction]], list[list[int]],
                                                            list[list[int]]]:
    """The facet constraint ids (among ``ids``; decided by rank unless given) and the
    vertices, rays and lines of the cone ``cell`` over a polyhedron of R^d."""
    verts: list[list[Fraction]] = []
    rays: list[list[int]] = []
    for r in cell.R:
        if r[-1]:
            verts.append([Fraction(v, r[-1]) for v in r[:-1]])
        else:
            rays.append(list(_cones._primitive(r[:-1])))
    lines = [list(v[:-1]) for v in cell.L]
    if facet_ids is None:
        B = _bits(cell.T) if len(cell.R) else np.zeros((0, 0), dtype=np.uint8)
        facet_ids = []
        need = d + 1 - len(cell.L) - 1  # rays on a facet span (D − 1) − dim L
        for c in ids:
            on = np.flatnonzero(B[:, c]) if c < B.shape[1] else np.zeros(0, dtype=np.int64)
            if on.size >= need and _exact.rank_exact([cell.R[k] for k in on.tolist()]) == need:
                facet_ids.append(c)
    return list(facet_ids), verts, rays, lines


# ----------------------------------------------------------------------
# Arrangements
# ----------------------------------------------------------------------


def _signs(A: Arrangement, signs: ArrayLike) -> NDArray[np.int8]:
    s = np.asarray(signs)
    if s.shape != (A.n,):
        raise ArrangementError(f"signs must have shape ({A.n},); got {s.shape}")
    if s.dtype.kind not in "iuf" or not np.isin(s, (-1, 1)).all():
        raise ArrangementError(f"signs entries must be -1 or +1; got {s.tolist()!r:.80}")
    return s.astype(np.int8)


def region_polyhedron(A: Arrangement, signs: ArrayLike) -> RegionPolyhedron:
    """The region of ``A`` with sign vector ``signs``, as a [`RegionPolyhedron`][hyperarr.polyhedron.RegionPolyhedron].

    Parameters
    ----------
    A : Arrangement
    signs : array_like of ±1, shape (n,)

    Raises
    ------
    ArrangementError
        If ``signs`` is not a ±1 vector of length n, or no region has it
        (the open polyhedron it describes is empty), decided exactly.

    Notes
    -----
    If ``A.regions()`` has been computed, the facets are read from
    [`region_facets`][hyperarr.polyhedron.region_facets]; otherwise the
    exact cone is cut by every distinct hyperplane and the facets decided by
    rank.  Then the cone is cut by the facets alone, exactly.

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.Arrangement([[1, 0], [-2, 0], [0, 1]], [0, 0, 0])  # x = 0 twice
    >>> P = region_polyhedron(A, [1, -1, 1])
    >>> P.facets, P.copies, P.rays.tolist()
    ((0, 2), ((0, 1), (2,)), [[0, 1], [1, 0]])
    """
    A = checked(A)
    s = _signs(A, signs)
    prep = A._prepared
    h = len(prep.rows)
    sigma = (s[prep.rep] * prep.orient[prep.rep]).astype(np.int64)  # distinct signs
    if not np.array_equal(prep.to_input(sigma[None, :].astype(np.int8))[0], s):
        raise ArrangementError(
            "signs give two copies of one hyperplane inconsistent sides; no region has them")
    inward = [tuple(int(v) * int(sg) for v in row[:-1]) + (-int(row[-1]) * int(sg),)
              for row, sg in zip(prep.rows, sigma.tolist())]
    known: list[int] | None = None
    table = vars(A).get("_region_table")
    if table is not None:
        k = int(table.locate(s[None, :])[0])
        if k < 0:
            raise ArrangementError(f"no region of A has signs {s.tolist()!r:.80}")
        M = table.facets()
        cols = M.indices[M.indptr[k]:M.indptr[k + 1]].tolist()
        col_of = {int(r): u for u, r in enumerate(prep.rep.tolist())}
        known = sorted(col_of[c] for c in cols)
    W = _cones.words_for(1 + h)
    root = _cones.root_cell(A.dim, W)
    if known is None:
        cell = _cut(root, inward, 1)
        if cell is None:
            raise ArrangementError(f"no region of A has signs {s.tolist()!r:.80} (the polyhedron is empty)")
        fids, _, _, _ = _from_cell(cell, A.dim, range(1, 1 + h), None)
        known = [c - 1 for c in fids]
    cell = _cut(_cones.root_cell(A.dim, _cones.words_for(1 + len(known))), [inward[u] for u in known], 1)
    assert cell is not None
    _, verts, rays, lines = _from_cell(cell, A.dim, [], [])
    copies: list[list[int]] = [[] for _ in range(h)]
    for i, u in enumerate(prep.column.tolist()):
        copies[u].append(i)
    order = sorted(known, key=lambda u: int(prep.rep[u]))
    G = [tuple(-v for v in inward[u][:-1]) for u in order]
    hv = [inward[u][-1] for u in order]
    return RegionPolyhedron(A.dim, [int(prep.rep[u]) for u in order], [copies[u] for u in order], G, hv,
                            verts, rays, lines, cell)


def region_polyhedron_of(A: Arrangement, point: ArrayLike) -> RegionPolyhedron:
    """The region of ``A`` holding ``point`` (a length-d vector), as a polyhedron.

    Raises
    ------
    ArrangementError
        If ``point`` lies on a hyperplane (decided exactly), naming which.

    Examples
    --------
    >>> import hyperarr as ha
    >>> P = region_polyhedron_of(ha.library.five_lines(), [0, 0])
    >>> len(P.facets), P.bounded
    (5, True)
    """
    A = checked(A)
    p = np.asarray(point, dtype=object) if not isinstance(point, np.ndarray) else point
    if np.ndim(p) != 1 or np.shape(p)[0] != A.dim:
        raise ArrangementError(f"point must have shape ({A.dim},); got {np.shape(p)}")
    s = A.signs([p] if p.dtype != object else np.array([p.tolist()], dtype=object))[0]
    on = np.flatnonzero(s == 0)
    if on.size:
        raise ArrangementError(f"point lies on hyperplane(s) {on.tolist()[:10]}; it is in no region")
    return region_polyhedron(A, s)


def region_facets(A: Arrangement) -> "sparse.csr_array":
    """Every region's facets at once: a sparse (regions × hyperplanes) matrix.

    Parameters
    ----------
    A : Arrangement

    Returns
    -------
    scipy.sparse.csr_array, shape (m, n)
        Rows are the regions in ``A.regions()`` order, columns the input
        hyperplanes.  Entry ``(r, k)`` is stored iff hyperplane k bounds a
        facet of region r, k named by its lowest input index (copies of a
        hyperplane share its column); its value is ``1 +`` the index of the
        region across that facet.  So the stored ``(r, value − 1)`` pairs
        are exactly the pairs of
        [`adjacency_matrix`][hyperarr.adjacency.adjacency_matrix], whose
        value there is ``k + 1``.  Values are int32 while m < 2³¹ − 1.

    Notes
    -----
    Exact, with no linear programme: a distinct hyperplane bounds a facet of
    a region iff flipping its sign alone gives another region (see
    [`hyperarr.adjacency`][hyperarr.adjacency]); the flipped sign vectors are
    looked up among the sorted keys of the regions, in O(h·m·log m) for m
    regions and h distinct hyperplanes after ``A.regions()``, with no Python
    loop over regions.

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> import numpy as np
    >>> F = region_facets(five_lines())
    >>> F.shape, F.nnz                      # 25 edges, each in two rows
    ((16, 5), 50)
    >>> sorted(set(np.diff(F.indptr).tolist()))
    [2, 3, 4, 5]
    """
    from scipy import sparse

    A = checked(A)
    R = A.regions()
    m, n = len(R), A.n
    pairs = _pairs(A)
    index = np.int32 if max(m, n) < 2**31 else np.int64
    value = np.int32 if m < 2**31 - 1 else np.int64
    empty_i = np.zeros(0, dtype=index)
    row = np.concatenate([np.concatenate([i, j]).astype(index) for _, i, j in pairs] or [empty_i])
    col = np.concatenate([np.full(2 * i.size, k, dtype=index) for k, i, _ in pairs] or [empty_i])
    data = np.concatenate([np.concatenate([j, i]).astype(value) + 1 for _, i, j in pairs]
                          or [np.zeros(0, dtype=value)])
    M = sparse.coo_array((data, (row, col)), shape=(m, n)).tocsr()
    M.sort_indices()
    return M


# ----------------------------------------------------------------------
# Every region's V-representation at once, in general position
# ----------------------------------------------------------------------


class _Incidence:
    """Which arrangement vertices and rays bound each region (general position).

    ``vptr``/``vind``: the vertices of region r are ``points[vind[vptr[r]:vptr[r+1]]]``;
    ``rptr``/``rind`` likewise for ``rays``.
    """

    __slots__ = ("points", "rays", "vptr", "vind", "rptr", "rind")

    def __init__(self, points: list[tuple[Fraction, ...]], rays: list[tuple[int, ...]], vptr: list[int],
                 vind: list[int], rptr: list[int], rind: list[int]) -> None:
        self.points, self.rays = points, rays
        self.vptr, self.vind, self.rptr, self.rind = vptr, vind, rptr, rind


def _fill(R: "Regions", base: NDArray[np.int8], free: NDArray[np.int64]) -> NDArray[np.int64]:
    """The regions around each face: ``base`` (k, n) sign vectors with zeros at the columns
    ``free`` (k, j); every ±1 filling of them is a region in general position.  Returns the
    region of each (face, filling), shape (k, 2^j)."""
    k, n = base.shape
    j = free.shape[1]
    fills = (1 - 2 * ((np.arange(2**j)[:, None] >> np.arange(j)[None, :]) & 1)).astype(np.int8)
    full = np.repeat(base[:, None, :], 2**j, axis=1)
    full[np.arange(k)[:, None, None], np.arange(2**j)[None, :, None], free[:, None, :]] = fills[None, :, :]
    found = R.locate(full.reshape(-1, n)).reshape(k, 2**j)
    if (found < 0).any():
        raise HyperarrError("internal error: a face of an arrangement in general position misses a region; "
                            "please report it with the arrangement")
    return found


def _csr(region: NDArray[np.int64], item: NDArray[np.int64], m: int,
         rank: NDArray[np.int64]) -> tuple[list[int], list[int]]:
    """Items grouped by region, in the order ``rank`` of the items within each."""
    order = np.lexsort((rank[item], region))
    ptr = np.searchsorted(region[order], np.arange(m + 1)).tolist()
    return ptr, item[order].tolist()


def _dets(M: NDArray[Any]) -> NDArray[Any]:
    """The determinants of a batch (B, k, k) of integer matrices, exactly, by fraction-free
    (Bareiss) elimination, vectorized over the batch: in int64 when `_fits` says twice the
    square of each matrix's Hadamard bound is below 2^63 (every intermediate value is a
    minor of the matrix, or a product of two of them), else on Python ints (object)."""
    B, k = M.shape[0], M.shape[1]
    kind = np.int64 if M.dtype != object and _fits(M) else object
    if k == 0:
        return np.ones(B, dtype=kind)
    a = M.astype(kind, copy=True)
    sign = np.ones(B, dtype=kind)
    prev = np.ones(B, dtype=kind)
    singular = np.zeros(B, dtype=bool)
    rows = np.arange(B)
    for c in range(k):
        nz = a[:, c:, c] != 0
        has = nz.any(axis=1)
        singular |= ~has
        p = c + np.argmax(nz, axis=1)
        swap = np.flatnonzero((p != c) & has)
        if swap.size:
            top = a[swap, c].copy()
            a[swap, c] = a[swap, p[swap]]
            a[swap, p[swap]] = top
            sign[swap] = -sign[swap]
        piv = np.where(has, a[rows, c, c], 1)
        if c + 1 < k:
            lower = a[:, c + 1:, c + 1:]
            a[:, c + 1:, c + 1:] = (piv[:, None, None] * lower
                                   - a[:, c + 1:, c][:, :, None] * a[:, c, c + 1:][:, None, :]) // prev[:, None, None]
        prev = piv
    det = sign * a[:, k - 1, k - 1]
    det[singular] = 0
    return np.asarray(det, dtype=kind)


def _fits(M: NDArray[Any]) -> bool:
    """Whether every matrix of the batch (B, k, k) has a Hadamard bound below 2^30 (so that
    `_dets` cannot overflow), judged with a safety margin in float64."""
    if M.size == 0:
        return True
    norms = np.sqrt((M.astype(np.float64) ** 2).sum(axis=2)) * (1 + 1e-9) + 1e-300
    return bool(np.log2(norms).sum(axis=1).max() < 30)


def _vertices_batch(W: NDArray[Any], theta: NDArray[Any],
                    subsets: NDArray[np.int64]) -> tuple[NDArray[Any], NDArray[Any]]:
    """The vertex of each d-subset of hyperplanes by Cramer's rule, exactly: numerators
    (V, d) and positive denominators (V,), integers (int64 or Python ints)."""
    V, d = subsets.shape
    WS = W[subsets]  # (V, d, d)
    mats = np.repeat(WS[:, None, :, :], d + 1, axis=1)  # slot 0: W_S; slot j + 1: column j := θ_S
    for j in range(d):
        mats[:, j + 1, :, j] = theta[subsets]
    flat = mats.reshape(V * (d + 1), d, d)
    dets = _dets(flat).reshape(V, d + 1)
    den = dets[:, 0]
    sg = np.where(den > 0, 1, -1)
    return dets[:, 1:] * sg[:, None], den * sg


def _directions(W: Sequence[Sequence[int]], lines: Sequence[tuple[int, ...]], d: int,
                small: bool) -> list[tuple[int, ...]]:
    """A primitive integer direction of the line where each set of d − 1 hyperplanes meets:
    the generalized cross product of their normals (int64 minors when they fit)."""
    if d == 1:
        return [(1,)] * len(lines)
    T = np.array(lines, dtype=np.int64).reshape(len(lines), d - 1)
    WT = np.array(W, dtype=np.int64 if small else object)[T]  # (L, d − 1, d)
    minors = np.stack([np.delete(WT, j, axis=2) for j in range(d)], axis=1)  # (L, d, d−1, d−1)
    flat = minors.reshape(len(lines) * d, d - 1, d - 1)
    u = _dets(flat).reshape(len(lines), d) * np.array([(-1) ** j for j in range(d)])
    return [_exact.integer_row([int(v) for v in r]) for r in u.tolist()]


def _generic_incidence(A: Arrangement, R: "Regions") -> _Incidence | None:
    """The vertices and extreme rays of every region, for an essential arrangement in general
    position with no repeated hyperplane (else None).

    Each d hyperplanes meet in one vertex, which bounds exactly the 2^d regions
    that agree with its signs off those hyperplanes; each d − 1 of them meet in a
    line with direction u, and ±u is an extreme ray of exactly the 2^(d−1)
    regions that agree, off them, with the signs far out along ±u (no other
    hyperplane is parallel to the line).  Exact: integer and Fraction arithmetic
    on each vertex and direction once, then sign-vector lookups, vectorized.
    """
    import itertools

    n, d = A.n, A.dim
    if len(A._prepared.rows) != n or n < d or not A.is_generic():
        return None
    rows = A._int_rows
    W = [r[:-1] for r in rows]
    theta = [r[-1] for r in rows]
    m = len(R)
    points: list[tuple[Fraction, ...]] = []
    subsets = list(itertools.combinations(range(n), d))
    Sarr = np.array(subsets, dtype=np.int64).reshape(len(subsets), d)
    Wn = np.array(W, dtype=object).reshape(n, d)
    Tn = np.array(theta, dtype=object).reshape(n)
    small = all(abs(v) < 2**31 for r in rows for v in r)
    kind = np.int64 if small else object
    num, den = _vertices_batch(Wn.astype(kind), Tn.astype(kind), Sarr)
    # a_i(x) · den = W_i · num − θ_i den, exactly in Python ints (object arrays)
    vals = num.astype(object) @ Wn.T - den.astype(object)[:, None] * Tn[None, :]
    base = np.array([[(v > 0) - (v < 0) for v in row] for row in vals.tolist()],
                    dtype=np.int8).reshape(len(subsets), n)
    points = [tuple(Fraction(c, q) for c in r) for r, q in zip(num.tolist(), den.tolist())]
    for v, S in enumerate(subsets):
        base[v, list(S)] = 0
    if (base == 0).sum() != len(subsets) * d:  # pragma: no cover - general position was checked
        raise HyperarrError("internal error: d + 1 hyperplanes of a generic arrangement meet")
    around = _fill(R, base, np.array(subsets, dtype=np.int64).reshape(len(subsets), d))
    vrank = np.empty(len(points), dtype=np.int64)
    vrank[sorted(range(len(points)), key=points.__getitem__)] = np.arange(len(points))
    vptr, vind = _csr(around.reshape(-1), np.repeat(np.arange(len(subsets)), around.shape[1]), m, vrank)
    rays: list[tuple[int, ...]] = []
    lines = list(itertools.combinations(range(n), d - 1))
    rbase = np.zeros((2 * len(lines), n), dtype=np.int8)
    dirs = _directions(W, lines, d, small)
    for t, (T, u) in enumerate(zip(lines, dirs)):
        for sg in (1, -1):
            rays.append(tuple(sg * c for c in u))
        for i in range(n):
            if i not in T:
                val = sum(a * b for a, b in zip(W[i], u))
                if val == 0:  # pragma: no cover - general position was checked
                    raise HyperarrError("internal error: a line of a generic arrangement is parallel "
                                        "to a hyperplane")
                rbase[2 * t, i] = 1 if val > 0 else -1
                rbase[2 * t + 1, i] = -rbase[2 * t, i]
    if lines and d > 1:
        free = np.repeat(np.array(lines, dtype=np.int64).reshape(len(lines), d - 1), 2, axis=0)
    else:
        free = np.zeros((2 * len(lines), 0), dtype=np.int64)
    far = _fill(R, rbase, free)
    rrank = np.empty(len(rays), dtype=np.int64)
    rrank[sorted(range(len(rays)), key=rays.__getitem__)] = np.arange(len(rays))
    rptr, rind = _csr(far.reshape(-1), np.repeat(np.arange(len(rays)), far.shape[1]), m, rrank)
    return _Incidence(points, rays, vptr, vind, rptr, rind)


def _from_incidence(A: Arrangement, R: "Regions", k: int, inc: _Incidence) -> RegionPolyhedron:
    """Region k of the complete table R from the incidences (general position: no copies)."""
    F = R.facets()
    cols = F.indices[F.indptr[k]:F.indptr[k + 1]].tolist()
    s = R.signs[k]
    rows = A._int_rows
    G = [tuple(-int(s[c]) * v for v in rows[c][:-1]) for c in cols]
    h = [-int(s[c]) * rows[c][-1] for c in cols]
    verts = [inc.points[j] for j in inc.vind[inc.vptr[k]:inc.vptr[k + 1]]]
    rays = [inc.rays[j] for j in inc.rind[inc.rptr[k]:inc.rptr[k + 1]]]
    return RegionPolyhedron(A.dim, cols, [[c] for c in cols], G, h, verts, rays, [], presorted=True)


# ----------------------------------------------------------------------
# Volume: a pulling triangulation on the face lattice
# ----------------------------------------------------------------------


def _det(M: list[list[int]]) -> int:
    """The determinant of a square integer matrix (fraction-free Bareiss elimination)."""
    a = [row[:] for row in M]
    n = len(a)
    sign = 1
    prev = 1
    for k in range(n - 1):
        if a[k][k] == 0:
            p = next((i for i in range(k + 1, n) if a[i][k]), None)
            if p is None:
                return 0
            a[k], a[p] = a[p], a[k]
            sign = -sign
        akk = a[k][k]
        for i in range(k + 1, n):
            aik = a[i][k]
            row_i, row_k = a[i], a[k]
            for j in range(k + 1, n):
                row_i[j] = (row_i[j] * akk - aik * row_k[j]) // prev
        prev = akk
    return sign * a[n - 1][n - 1]


def _volume(cell: _cones.ExactCell, d: int) -> Fraction:
    """The exact volume of the polytope whose cone is ``cell`` (no rays at infinity)."""
    V = cell.R
    nV = len(V)
    if nV <= d:
        return Fraction(0)
    B = _bits(cell.T)
    masks = set()
    for c in np.flatnonzero(B.any(axis=0)).tolist():
        col = np.flatnonzero(B[:, c]).tolist()
        masks.add(sum(1 << k for k in col))
    masks_l = list(masks)
    memo: dict[int, list[tuple[int, ...]]] = {}

    def facets_of(face: int) -> list[int]:
        cands = {mk & face for mk in masks_l}
        cands.discard(0)
        cands.discard(face)
        return [c for c in cands if not any(o != c and c & o == c for o in cands)]

    def simplices(face: int, k: int) -> list[tuple[int, ...]]:
        if face in memo:
            return memo[face]
        v0 = (face & -face).bit_length() - 1
        out: list[tuple[int, ...]]
        if k == 0:
            out = [(v0,)]
        else:
            out = [s + (v0,) for G in facets_of(face) if not G >> v0 & 1
                   for s in simplices(G, k - 1)]
        memo[face] = out
        return out

    simp = simplices((1 << nV) - 1, d)
    small = all(abs(v) < 2**31 for r in V for v in r)
    H = np.array(V, dtype=np.int64 if small else object)  # homogeneous rows (x t, t)
    dets = _dets(H[np.array(simp, dtype=np.int64)])  # one batch: every simplex at once
    # vol(simplex) = |det [x_i t_i, t_i]| / (d! Π t_i); equal denominators summed first
    by_den: dict[int, int] = {}
    for sx, dt in zip(simp, dets.tolist()):
        den = 1
        for k in sx:
            den *= V[k][-1]
        by_den[den] = by_den.get(den, 0) + abs(int(dt))
    total = sum((Fraction(num, den) for den, num in by_den.items()), Fraction(0))
    return total / math.factorial(d)


# ----------------------------------------------------------------------
# The Chebyshev centre: an exact rational linear programme
# ----------------------------------------------------------------------


def _norm_up(g: Sequence[int]) -> Fraction:
    """The Euclidean norm of an integer vector rounded up to a float64, exactly."""
    sq = sum(v * v for v in g)
    f = math.sqrt(float(sq)) if sq < 2**1000 else math.inf
    while Fraction(f) ** 2 < sq:
        f = math.nextafter(f, math.inf)
    return Fraction(f)


def _sqrt_down(q: Fraction) -> float:
    """The largest float64 r ≥ 0 with r² ≤ q."""
    r = math.sqrt(float(q))
    while r > 0 and Fraction(r) ** 2 > q:
        r = math.nextafter(r, 0.0)
    while Fraction(math.nextafter(r, math.inf)) ** 2 <= q:
        r = math.nextafter(r, math.inf)
    return r


def _solve(M: list[list[Fraction]], b: list[Fraction]) -> list[Fraction] | None:
    """The solution of the square system M z = b (exact), or None if M is singular."""
    n = len(M)
    a = [list(r) + [v] for r, v in zip(M, b)]
    for c in range(n):
        p = next((i for i in range(c, n) if a[i][c]), None)
        if p is None:
            return None
        a[c], a[p] = a[p], a[c]
        piv = a[c][c]
        a[c] = [v / piv for v in a[c]]
        for i in range(n):
            if i != c and a[i][c]:
                f = a[i][c]
                a[i] = [x - f * y for x, y in zip(a[i], a[c])]
    return [a[i][n] for i in range(n)]


def _chebyshev(G: list[list[int]], h: list[int], lines: list[list[int]], d: int,
               vertices: list[list[Fraction]]) -> tuple[tuple[Fraction, ...], Fraction]:
    from scipy.optimize import linprog

    f = len(G)
    nbar = [_norm_up(g) for g in G]
    rows = [[Fraction(v) for v in g] + [nb] for g, nb in zip(G, nbar)]
    eqs = [[Fraction(v) for v in l] + [Fraction(0)] for l in lines]
    hF = [Fraction(v) for v in h]

    def check(x: list[Fraction]) -> Fraction | None:
        """The exact radius at centre x if the ball fits (the largest r with G x + n r ≤ h)."""
        r = min(((hF[i] - sum((Fraction(a) * b for a, b in zip(G[i], x) if a), Fraction(0))) / nbar[i]
                 for i in range(f)), default=Fraction(0))
        return r if r > 0 else None

    Af = np.array([[_exact.to_float(v) for v in r] for r in rows], dtype=np.float64).reshape(f, d + 1)
    bf = np.array([_exact.to_float(v) for v in hF], dtype=np.float64)
    Aeq = np.array([[float(v) for v in r] for r in eqs], dtype=np.float64).reshape(len(eqs), d + 1)
    scale = np.maximum(np.abs(Af).max(axis=1), 1e-300) if f else np.ones(0)
    res = linprog(np.r_[np.zeros(d), -1.0], A_ub=Af / scale[:, None], b_ub=bf / scale,
                  A_eq=Aeq if len(eqs) else None, b_eq=np.zeros(len(eqs)) if len(eqs) else None,
                  bounds=[(None, None)] * d + [(0, None)], method="highs")
    candidates: list[tuple[list[Fraction], Fraction]] = []
    if res.status == 0 and res.x is not None and np.isfinite(res.x).all():
        x = res.x
        slack = (bf - Af @ x) / scale
        order = np.argsort(slack, kind="stable").tolist()
        tries = [order]
        marg = getattr(getattr(res, "ineqlin", None), "marginals", None)
        if marg is not None:
            tries.insert(0, sorted(range(f), key=lambda i: (marg[i] == 0, slack[i])))
        for pick_order in tries:
            basis: list[int] = []
            chosen = list(eqs)
            for i in pick_order:
                if len(chosen) == d + 1:
                    break
                if _exact.rank_exact(chosen + [rows[i]]) == len(chosen) + 1:
                    chosen.append(rows[i])
                    basis.append(i)
            if len(chosen) < d + 1:
                continue
            z = _solve(chosen, [Fraction(0)] * len(eqs) + [hF[i] for i in basis])
            if z is None:
                continue
            xc = z[:d]
            r = check(xc)
            if r is None:
                continue
            y = _solve([list(col) for col in zip(*chosen)], [Fraction(0)] * d + [Fraction(1)])
            if y is not None and all(v >= 0 for v in y[len(eqs):]) and r == z[d]:
                return tuple(xc), r  # primal and dual feasible: the exact optimum
            candidates.append((xc, r))
        xr = [Fraction(v) for v in x[:d].tolist()]
        r = check(xr)
        if r is not None:
            candidates.append((xr, r))
    if vertices:  # the vertex centroid is strictly inside when the region is bounded
        cen = [sum((v[j] for v in vertices), Fraction(0)) / len(vertices) for j in range(d)]
        r = check(cen)
        if r is not None:
            candidates.append((cen, r))
    if not candidates:  # pragma: no cover - HiGHS failed on an unbounded thin region
        raise HyperarrError("no Chebyshev centre could be certified for this region; please report it")
    xc, r = max(candidates, key=lambda t: t[1])
    return tuple(xc), r
