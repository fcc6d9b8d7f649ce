r"""Regions inside an input domain: a box ``(lo, hi)`` or a polytope ``{x : G x ≤ h}``.

Inputs rarely fill $\mathbb{R}^d$: pixels live in $[0, 16]^{64}$, a normalized feature in
[−1, 1].  A region *meets* a full-dimensional domain D when the open region
meets the interior of D, which for an open region is the same as meeting D
itself (the interior of a convex body is dense in it).  Every region given
here has a witness strictly inside D that reproduces its sign vector
exactly; the ``bounded`` and ``relatively_bounded`` flags still refer to the
region in $\mathbb{R}^d$.

Exact algorithms, none with a linear program per region:

* **Boxes, by lowest vertices** (tried first).  The regions meeting the
  open box are the cells into which A cuts the box.  Under a linear
  functional c in general position each cell has one lowest vertex, a
  vertex of A ∪ {box facets} in the closed box, and is the one cone there
  on which c increases; so the cells are counted, and their sign vectors
  read off, from the vertices of the box's faces (each coordinate free, at
  lo or at hi) that lie in the face's relative interior, keeping those
  whose cone points into the box.  Every decision (is the vertex in the
  face? the signs of c's coordinates λ in the normals at the vertex? the
  side of every other hyperplane?) is the sign of an integer minor, from
  one table of all minors of the integer rows (and c), exact in int64.
  The box is shrunk symbolically to [lo + δ, hi − δ], which has the same
  regions for small δ > 0 and decides vertices on the box's boundary.
  When a vertex is not simple even so (d + 1 hyperplanes through it), a λ
  is zero for three directions c, or the minors would not fit in int64,
  the face descent below answers instead.  The float witnesses (each at a
  vertex of the shrunk box, pushed into its cone) are checked exactly.
  This is ``O(Σ_faces C(n_face, m))`` small integer operations, m the face's
  dimension and n_face the hyperplanes meeting it.
* **Boxes**, over the faces of the box.  A region C meets a closed face K
  iff C's witness lies in K or C meets a facet of K: the segment from a
  point of C ∩ K to the witness stays in C (convex) and leaves K through a
  facet.  So the regions meeting the box are those of ``A.regions()``
  whose witness lies in the box, and, face by face down to the vertices,
  the regions of the arrangement restricted to the face's affine hull
  (``x_j`` fixed at ``lo_j`` or ``hi_j``) whose witness lies in the face.
  On a face, only the hyperplanes that meet it are kept (an exact interval
  test); the others have one strict sign on the whole face, and a face met
  by none ends the descent, as does an edge, whose regions are the open
  intervals between its crossings, each with its midpoint as witness.  A region found on the boundary is pushed towards
  the centre of the box, ``z + t (c − z)`` with t below every crossing, and
  checked exactly (exact rationals when the floats miss).
* **Polytopes**: the facets are added as hyperplanes, the regions of the
  enlarged arrangement on the inner side of every facet are kept, and
  their sign vectors are cut back to the original hyperplanes (the regions
  of A inside D are unions of those).  Each kept witness is strictly inside
  D and in its region of A.  This is exact for any polytope, and costs an
  enumeration of the enlarged arrangement.  Where that enumeration would be
  large (many facets), each region of A is decided instead by an exact
  certificate read off one linear program: a point of the region strictly
  inside D, or a Farkas combination proving there is none (both checked in
  rationals; the LP only proposes them).
* **Budgets**: the face descent of a box and the enlarged arrangement of a
  polytope are estimated before they start and refused over their limits,
  with the estimate in the message.

A polytope must be full-dimensional: that is decided exactly when it is
built (by the same certificates, or else the regions of the facets' own
arrangement), and refused otherwise.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr import _exact, _generic, _keys, _rref
from hyperarr._binomial import region_count
from hyperarr.arrangement import DEFAULT_MAX_REGIONS, Arrangement, checked
from hyperarr.exceptions import ArrangementError, OutputTooLargeError
from hyperarr.regions import Regions
from hyperarr.regions import regions as _all_regions

__all__ = ["Box", "Polytope", "as_domain", "iter_regions", "n_regions", "regions"]

Exact = int | Fraction


class Polytope:
    """The polytope ``{x : G x ≤ h}``, exact and full-dimensional.

    Parameters
    ----------
    G : array_like, shape (m, d)
        One row per facet; entries int, float or Fraction, kept exactly.
    h : array_like, shape (m,)

    Raises
    ------
    ArrangementError
        If a row of G is zero, or the polytope has no interior point (it is
        empty or lower-dimensional), decided exactly.

    Notes
    -----
    The interior point is found by HiGHS (the Chebyshev centre, capped) and
    checked exactly; if the check fails, the regions of the facets' own
    arrangement decide exactly whether the side ``G x < h`` exists.

    Examples
    --------
    >>> P = Polytope([[1, 0], [0, 1], [-1, -1]], [1, 1, 0])   # a triangle
    >>> P.dim, P.contains([[0.2, 0.2], [2, 0]]).tolist()
    (2, [True, False])
    """

    __slots__ = ("_facets", "_interior")

    def __init__(self, G: ArrayLike, h: ArrayLike) -> None:
        try:
            facets = Arrangement(G, h)
        except ArrangementError as exc:
            raise ArrangementError(str(exc).replace("normals", "G").replace("offsets", "h")
                                   .replace("a hyperplane needs a nonzero normal",
                                            "a facet needs a nonzero normal")) from None
        self._facets = facets
        self._interior = _interior_point(facets)

    @property
    def facets(self) -> Arrangement:
        """The facet hyperplanes ``G_i · x = h_i``; the polytope is their side −1 (or on them)."""
        return self._facets

    @property
    def dim(self) -> int:
        """The dimension d of the space."""
        return self._facets.dim

    @property
    def interior_point(self) -> tuple[Fraction, ...]:
        """An exact point strictly inside (G x < h)."""
        return self._interior

    def contains(self, points: ArrayLike, strict: bool = False) -> NDArray[np.bool_]:
        """Whether each point of a (..., d) array satisfies G x ≤ h (``<`` if strict), exactly."""
        s = self._facets.signs(points)
        return np.asarray((s < 0).all(axis=-1) if strict else (s <= 0).all(axis=-1))

    def __repr__(self) -> str:
        return f"Polytope(m={self._facets.n}, d={self.dim})"


class Box(Polytope):
    """The box ``lo ≤ x ≤ hi``, coordinatewise; ``lo < hi`` exactly in every coordinate.

    Examples
    --------
    >>> B = Box([-1, -1], [1, 1])
    >>> B.lo, B.hi
    ((-1, -1), (1, 1))
    """

    __slots__ = ("hi", "lo")

    def __init__(self, lo: ArrayLike, hi: ArrayLike) -> None:
        lo_e = _exact_vector("lo", lo)
        hi_e = _exact_vector("hi", hi)
        if len(lo_e) != len(hi_e) or not lo_e:
            raise ArrangementError(
                f"lo and hi must have the same length d >= 1; got {len(lo_e)} and {len(hi_e)}")
        bad = [j for j, (a, b) in enumerate(zip(lo_e, hi_e)) if not a < b]
        if bad:
            j = bad[0]
            raise ArrangementError(
                f"a box needs lo < hi in every coordinate; got lo[{j}] = {_exact.short_text(lo_e[j])}, "
                f"hi[{j}] = {_exact.short_text(hi_e[j])}")
        d = len(lo_e)
        eye = np.eye(d, dtype=np.int64)
        self.lo: tuple[Exact, ...] = lo_e
        self.hi: tuple[Exact, ...] = hi_e
        self._facets = Arrangement(np.vstack([eye, -eye]),
                                   np.array(list(hi_e) + [-v for v in lo_e], dtype=object))
        self._interior = tuple((Fraction(a) + b) / 2 for a, b in zip(lo_e, hi_e))

    def contains(self, points: ArrayLike, strict: bool = False) -> NDArray[np.bool_]:
        """Whether each point of a (..., d) array lies in the box (its interior if strict), exactly."""
        pts = self._facets._points("points", points)
        lo = [_exact.to_float(Fraction(v)) for v in self.lo]
        hi = [_exact.to_float(Fraction(v)) for v in self.hi]
        if pts.dtype == object or not all(_is_float(v) or math.isinf(x)
                                          for x, v in zip(lo + hi, self.lo + self.hi)):
            return super().contains(pts, strict)
        # Comparisons of float64 numbers are exact, and a bound beyond the float
        # range (±inf here) is beyond every finite point as well.
        if strict:
            return np.asarray(((pts > lo) & (pts < hi)).all(axis=-1))
        return np.asarray(((pts >= lo) & (pts <= hi)).all(axis=-1))

    def __repr__(self) -> str:
        return (f"Box(lo={[_exact.short_text(v) for v in self.lo]}, "
                f"hi={[_exact.short_text(v) for v in self.hi]})")


def _is_float(v: Exact) -> bool:
    """Whether the exact number ``v`` is a float64 (finite), so float comparisons with it are exact."""
    x = _exact.to_float(v)
    return math.isfinite(x) and Fraction(x) == v


def _exact_vector(name: str, value: ArrayLike) -> tuple[Exact, ...]:
    arr = np.asarray(value, dtype=object).reshape(-1) if np.ndim(value) else np.asarray([value], dtype=object)
    out = []
    for k, v in enumerate(arr.tolist()):
        try:
            out.append(_exact.to_exact(v))
        except (TypeError, ValueError):
            raise ArrangementError(f"{name}[{k}] must be a finite real number; got {v!r}") from None
    return tuple(out)


def as_domain(domain: Any, d: int) -> Polytope:
    r"""Read ``domain`` as a [`Polytope`][hyperarr.domain.Polytope] of $\mathbb{R}^d$.

    A Polytope (or Box) is returned as it is; a pair ``(lo, hi)`` of scalars
    or length-d vectors is the box between them.
    """
    if isinstance(domain, Polytope):
        P = domain
    elif isinstance(domain, (tuple, list)) and len(domain) == 2:
        lo, hi = (np.broadcast_to(np.asarray(v, dtype=object), (d,)) if np.ndim(v) == 0 else v
                  for v in domain)
        P = Box(lo, hi)
    else:
        raise ArrangementError(
            f"domain must be a Polytope, a Box or a pair (lo, hi); got {type(domain).__name__} {domain!r:.60}")
    if P.dim != d:
        raise ArrangementError(f"domain must be in R^{d} (the arrangement's dimension); got R^{P.dim}")
    return P


def _interior_point(facets: Arrangement) -> tuple[Fraction, ...]:
    """An exact point with G x < h, or an error saying the polytope is not full-dimensional."""
    rows = [tuple(r) for r in facets._int_rows]
    found = _open_point(rows, facets.dim)
    if found is False:
        raise ArrangementError(
            "the polytope G x <= h has no interior point (it is empty or lower-dimensional); "
            "a domain must be full-dimensional")
    if found is not None:
        return found
    # Neither certificate held: the side G x < h is a region of the facets'
    # arrangement, if it exists; that enumeration is estimated first.
    bound = region_count(len(facets._prepared.rows), facets.rank())
    if bound > MAX_FACET_REGIONS:
        raise OutputTooLargeError(
            f"deciding exactly whether the polytope has an interior point needs the regions of its "
            f"{facets.n} facets (up to {bound}, limit {MAX_FACET_REGIONS}), since the linear "
            "program gave no exact certificate; give fewer facets or a wider polytope")
    R = _all_regions(facets, max_regions=None)
    inner = np.flatnonzero((R.signs < 0).all(axis=1))
    if inner.size == 0:
        raise ArrangementError(
            "the polytope G x <= h has no interior point (it is empty or lower-dimensional); "
            "a domain must be full-dimensional")
    return R.exact_points[int(inner[0])]


#: Regions of a polytope's facet arrangement enumerated when no certificate decides it.
MAX_FACET_REGIONS = 20_000


def _open_point(rows: Sequence[Sequence[int]], d: int) -> tuple[Fraction, ...] | Literal[False] | None:
    """Decide exactly whether the open polyhedron {x : a·x < b for every row [a | b]} is
    empty: an exact point in it, False if empty, None if undecided.

    HiGHS solves max r subject to a_i·x + s_i r ≤ b_i, r ≤ 1, on the rows divided by
    the power of two above their entries (any s_i > 0 will do; the float norms are
    taken as exact rationals).  Its answer is only a candidate, turned into a
    certificate and checked exactly: the point it returns, or the vertex of its d + 1
    tightest constraints (solved in rationals), proves nonempty; its duals y ≥ 0,
    re-solved in rationals on their support with Σ y_i a_i = 0, Σ y_i s_i = 1 and
    Σ y_i b_i ≤ 0, prove empty (Farkas).
    """
    from scipy.optimize import linprog

    m = len(rows)
    if m == 0:
        return tuple(Fraction(0) for _ in range(d))
    U = _exact.unit_rows(rows, d + 1)
    s = np.sqrt((U[:, :d] ** 2).sum(axis=1))
    if not (s > 0).all():
        return None  # a normal underflowed: no float data for it
    try:
        res = linprog(np.r_[np.zeros(d), -1.0], A_ub=np.c_[U[:, :d], s], b_ub=U[:, d],
                      bounds=[(None, None)] * d + [(None, 1.0)], method="highs")
    except ValueError:  # pragma: no cover - the data are finite by construction
        return None
    exact_s = [Fraction(v) for v in s.tolist()]

    def inside(x: Sequence[Fraction]) -> bool:
        return all(sum((a * v for a, v in zip(r[:d], x) if a), Fraction(0)) < r[d] for r in rows)

    if res.x is not None and np.isfinite(res.x).all():
        x = tuple(Fraction(v) for v in res.x[:d].tolist())
        if inside(x):
            return x
        slack = U[:, d] - U[:, :d] @ res.x[:d] - s * res.x[d]
        tight = np.argsort(np.abs(slack), kind="stable")[: d + 1].tolist()
        system = [list(rows[i][:d]) + [exact_s[i] * _pow2(rows[i]), rows[i][d]] for i in tight]
        red, piv = _rref.rref(system, d + 1)
        sol = [Fraction(0)] * (d + 1)
        for row, c in zip(red, piv):
            sol[c] = row[-1]
        if sol[d] > 0 and inside(sol[:d]):
            return tuple(sol[:d])
    y = getattr(getattr(res, "ineqlin", None), "marginals", None)
    if y is not None and np.isfinite(y).all():
        y = -np.asarray(y)
        support = np.flatnonzero(y > 1e-9 * max(float(y.max(initial=0.0)), 1e-300)).tolist()
        if support:
            # Unknowns y_S; equations Σ y_i a_i = 0 (d of them) and Σ y_i = 1.
            cols = [[rows[i][c] for i in support] for c in range(d)] + [[1] * len(support)]
            system = [cols[c] + [0 if c < d else 1] for c in range(d + 1)]
            red, piv = _rref.rref(system, len(support))
            yy = [Fraction(0)] * len(support)
            for row, c in zip(red, piv):
                yy[c] = row[-1]
            ok = all(v >= 0 for v in yy) and any(yy)
            ok = ok and all(sum((v * rows[i][c] for v, i in zip(yy, support)), Fraction(0)) == 0
                            for c in range(d))
            if ok and sum((v * rows[i][d] for v, i in zip(yy, support)), Fraction(0)) <= 0:
                return False
    return None


def _pow2(row: Sequence[int]) -> int:
    """The power of two ``unit_rows`` divided ``row`` by: s_i in its units is s_i · 2^e."""
    return 1 << max(abs(v) for v in row).bit_length()


# ----------------------------------------------------------------------
# Public entry points
# ----------------------------------------------------------------------


def regions(A: Arrangement, domain: Any, max_regions: int | None = DEFAULT_MAX_REGIONS) -> Regions:
    r"""The regions of ``A`` that meet the interior of ``domain``, exactly.

    Parameters
    ----------
    A : Arrangement
    domain : Polytope, Box or (lo, hi)
        A full-dimensional polytope; ``(lo, hi)`` is the box lo ≤ x ≤ hi
        (scalars or length-d vectors).
    max_regions : int or None
        Passed to the enumerations behind the answer (``A.regions()`` for
        a box, the enlarged arrangement's for a polytope).

    Returns
    -------
    Regions
        Sign vectors over all n hyperplanes; every witness lies strictly
        inside the domain (checked exactly), in exact rationals where no
        float64 point was found; ``bounded`` and ``relatively_bounded`` are
        those of the region in $\mathbb{R}^d$.

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.library.five_lines()
    >>> R = regions(A, (-1, 1))
    >>> inside = Box([-1, -1], [1, 1]).contains(R.points, strict=True)
    >>> len(R), bool(inside.all())
    (5, True)
    >>> len(regions(A, Polytope([[1, 0], [0, 1], [-1, -1]], [1, 1, 0])))
    4
    """
    A = checked(A)
    P = as_domain(domain, A.dim)
    S, W, X = (_box_regions(A, P, max_regions) if isinstance(P, Box)
               else _polytope_regions(A, P, max_regions))
    return _table(A, S, W, X, max_regions)._of(A, False)


def iter_regions(A: Arrangement, domain: Any, chunk_size: int = 100_000) -> Iterator[Regions]:
    """Yield the regions of ``A`` meeting ``domain`` in chunks of at most ``chunk_size`` rows.

    The chunks are those of ``regions(A, domain, max_regions=None)``, in order.
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ArrangementError(f"chunk_size must be a positive integer; got {chunk_size!r}")
    table = regions(A, domain, max_regions=None)
    return (table[i : i + int(chunk_size)] for i in range(0, len(table), int(chunk_size)))


def n_regions(A: Arrangement, domain: Any) -> int:
    """The number of regions of ``A`` that meet the interior of ``domain``, exactly.

    Examples
    --------
    >>> import hyperarr as ha
    >>> A = ha.library.five_lines()
    >>> n_regions(A, (-1, 1)), n_regions(A, (-100, 100))
    (5, 16)
    """
    A = checked(A)
    P = as_domain(domain, A.dim)
    if isinstance(P, Box):
        fast = _fast_box(A, P, witnesses=False)
        S = fast[0] if fast is not None else _box_signs(A, P, None)[0]
    else:
        S = _polytope_regions(A, P, None)[0]
    return int(S.shape[0])


# ----------------------------------------------------------------------
# Boxes: over the faces
# ----------------------------------------------------------------------

_Candidates = tuple[NDArray[np.int8], NDArray[np.float64], list[tuple[Fraction, ...] | None]]


def _box_signs(A: Arrangement, box: Box, max_regions: int | None) -> tuple[
        NDArray[np.int8], NDArray[np.float64], list[Any], NDArray[np.bool_]]:
    """Distinct sign vectors of the regions meeting the closed box, each with a point z of
    the region in the box (float, or exact where given), and whether z is strictly inside."""
    d, n = A.dim, A.n
    lo, hi = box.lo, box.hi
    rows = A._int_rows  # positive multiples of the rows: the same hyperplanes and sides
    parts_S: list[NDArray[np.int8]] = []
    parts_Z: list[NDArray[np.float64]] = []
    parts_X: list[list[Any]] = []
    # The descent below visits up to 3^d − 1 faces: its work is estimated
    # first, and refused before any enumeration when it is over budget and
    # the enumeration of A is not small enough to try without it.
    bound = region_count(len(A._prepared.rows), A.rank())
    work = _descent_work(len(A._prepared.rows), d, bound)
    if work > MAX_DESCENT_WORK and bound > _TRY_REGIONS and not _meets_all(A, box):
        raise _descent_refusal(A, work, bound)
    # The top face: the box itself, with every region of A; a witness outside
    # the box is first pulled towards the box's centre.
    R = _all_regions(A, max_regions)
    Wt, Xt = _witnesses(R)
    keep = _in_box(Wt, Xt, lo, hi)
    if not keep.all():
        out = np.flatnonzero(~keep)
        pulled, ok = _pull_in(A, box, R.signs[out], Wt[out])
        Wt = Wt.copy()
        Wt[out[ok]] = pulled[ok]
        for r in out[ok].tolist():
            Xt[r] = None
        keep[out[ok]] = True
    if keep.all():  # every region of A meets the open box: no descent
        strict = np.asarray([x is None for x in Xt], dtype=bool)
        strict &= box.contains(np.where(np.isfinite(Wt), Wt, 0.0), strict=True)
        return np.asarray(R.signs), Wt, Xt, strict
    if work > MAX_DESCENT_WORK:
        raise _descent_refusal(A, work, bound)
    parts_S.append(R.signs[keep])
    parts_Z.append(Wt[keep])
    parts_X.append([Xt[i] for i in np.flatnonzero(keep).tolist()])
    # Faces: fixed coordinates {j: value}; each reached once.
    seen: set[tuple[tuple[int, int], ...]] = set()
    stack: list[tuple[tuple[int, int], ...]] = [((j, s),) for j in range(d) for s in (0, 1)]
    while stack:
        face = stack.pop()
        if face in seen:
            continue
        seen.add(face)
        got = _face_regions(rows, n, d, lo, hi, dict(face))
        if got is None:
            continue
        S, Z, X, crossed = got
        parts_S.append(S)
        parts_Z.append(Z)
        parts_X.append(X)
        if crossed:
            fixed = {j for j, _ in face}
            for j in range(d):
                if j not in fixed:
                    for s in (0, 1):
                        stack.append(tuple(sorted(face + ((j, s),))))
    S_all = np.concatenate(parts_S)
    Z_all = np.concatenate(parts_Z)
    X_all = [x for part in parts_X for x in part]
    keys = _keys.pack(S_all) if S_all.shape[0] else np.zeros(0, dtype=np.uint64)
    _, first = np.unique(keys, return_index=True)
    first.sort()  # top face first, then the faces in the order they were visited
    S_u, Z_u = S_all[first], Z_all[first]
    X_u = [X_all[i] for i in first.tolist()]
    strict = np.zeros(first.shape[0], dtype=bool)
    top = first < parts_S[0].shape[0]
    if top.any():
        strict[top] = box.contains(np.where(np.isfinite(Z_u[top]), Z_u[top], 0.0), strict=True)
        strict[top] &= np.array([X_u[i] is None for i in np.flatnonzero(top).tolist()], dtype=bool)
    return S_u, Z_u, X_u, strict


#: Largest estimated work of the face descent of a box (sub-arrangement regions over the faces).
MAX_DESCENT_WORK = 2_000_000
#: Regions (upper bound) of A enumerated to look for an answer without the descent.
_TRY_REGIONS = 20_000


def _descent_work(h: int, d: int, bound: int) -> int:
    """Upper bound on the regions the face descent enumerates: C(d, k) 2^k faces of
    codimension k, each with at most min(r(A), Σ_{i ≤ d−k} C(h, i)) regions."""
    return sum(math.comb(d, k) * 2**k * min(bound, region_count(h, d - k)) for k in range(1, d + 1))


def _descent_refusal(A: Arrangement, work: int, bound: int) -> OutputTooLargeError:
    shown = f"{work}" if work < 10**15 else f"about {float(work):.2e}" if work < 10**300 else \
        f"about 10^{len(str(work)) - 1}"
    return OutputTooLargeError(
        f"the regions of these {A.n} hyperplanes in a box in R^{A.dim} need a descent over up to "
        f"3^{A.dim} − 1 faces of the box, estimated at {shown} sub-arrangement regions (limit "
        f"{MAX_DESCENT_WORK}; A has at most {bound} regions); pass a Polytope with fewer facets, "
        "or count the regions of A itself with A.n_regions()")


def _meets_all(A: Arrangement, box: Box) -> bool:
    """True when every region of A meets the open box: all hyperplanes pass through one
    point of it (checked for the origin, exactly)."""
    return all(r[-1] == 0 for r in A.exact_rows) and all(a < 0 < b for a, b in zip(box.lo, box.hi))


def _pull_in(A: Arrangement, box: Box, S: NDArray[np.int8],
             W: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Points of each region strictly inside the box, on the segment from the box's
    centre c to the region's witness w, where one is found: ``c + s (w − c)`` with s
    past the last crossing of a hyperplane seen from c and before the box's
    boundary; each checked exactly."""
    c = np.array([_exact.to_float(Fraction(v)) for v in box.interior_point])
    lo = np.array([_exact.to_float(Fraction(v)) for v in box.lo])
    hi = np.array([_exact.to_float(Fraction(v)) for v in box.hi])
    R = _exact.unit_rows(A._int_rows, A.dim + 1)  # exact positive scaling: no overflow
    a, b = R[:, :-1], R[:, -1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        fw = S * (W @ a.T - b)  # > 0 where the float witness is right
        fc = S * (c @ a.T - b)  # the same at the centre
        need = np.where(fc < 0, -fc / (fw - fc), 0.0).max(axis=1, initial=0.0)
        step = W - c
        room = np.where(step > 0, (hi - c) / step, np.where(step < 0, (lo - c) / step, np.inf))
        fit = np.minimum(room.min(axis=1, initial=np.inf), 1.0)
        t = 0.5 * (need + fit)
        P = c + t[:, None] * step
    ok = np.isfinite(P).all(axis=1) & (need < fit)
    P = np.where(ok[:, None], P, c)
    if ok.any():
        ok &= (A.signs(P) == S).all(axis=1) & box.contains(P, strict=True)
    return P, ok


def _witnesses(R: Regions) -> tuple[NDArray[np.float64], list[tuple[Fraction, ...] | None]]:
    """Float witnesses and, where the float is not inside, the exact one."""
    X: list[tuple[Fraction, ...] | None] = [None] * len(R)
    thin = np.flatnonzero(~R.points_inside)
    if thin.size:
        ex = R.exact_points
        for r in thin.tolist():
            X[r] = ex[r]
    return np.array(R.points), X


def _in_box(W: NDArray[np.float64], X: list[Any], lo: Sequence[Exact], hi: Sequence[Exact],
            free: Sequence[int] | None = None) -> NDArray[np.bool_]:
    """Whether each witness (rows of W, or X[r] where given) lies in the closed box, exactly."""
    cols = list(range(len(lo))) if free is None else list(free)
    lo_c = [lo[j] for j in cols]
    hi_c = [hi[j] for j in cols]
    ok: NDArray[np.bool_]
    if all(_is_float(v) for v in lo_c + hi_c):
        ok = np.asarray(((W >= np.array([_exact.to_float(v) for v in lo_c]))
                         & (W <= np.array([_exact.to_float(v) for v in hi_c]))).all(axis=1))
    else:
        ok = np.array([all(a <= Fraction(x) <= b for a, x, b in zip(lo_c, w, hi_c))
                       for w in W.tolist()], dtype=bool).reshape(W.shape[0])
    for r, x in enumerate(X):
        if x is not None:
            ok[r] = all(a <= v <= b for a, v, b in zip(lo_c, x, hi_c))
    return np.asarray(ok, dtype=bool)


def _face_regions(rows: Sequence[Sequence[Exact]], n: int, d: int, lo: Sequence[Exact],
                  hi: Sequence[Exact], fixed: dict[int, int]) -> tuple[
                      NDArray[np.int8], NDArray[np.float64], list[Any], bool] | None:
    """The regions of A meeting the face with ``x_j`` at ``(lo, hi)[side]`` for j in ``fixed``.

    Returns their signs (all n hyperplanes), a point of each in the face (in
    R^d), exact points where the float is not exact, and whether some
    hyperplane crosses the face; None if a hyperplane contains the face (no
    open region meets it).
    """
    value = {j: (lo[j], hi[j])[s] for j, s in fixed.items()}
    free = [j for j in range(d) if j not in fixed]
    const = np.zeros(n, dtype=np.int8)
    cross: list[int] = []
    sub_rows: list[tuple[Exact, ...]] = []
    for i, r in enumerate(rows):
        # Ints stay ints (integer rows, integer bounds); Fractions otherwise.
        off = r[-1] - sum([r[j] * v for j, v in value.items()])
        a = [r[j] for j in free]
        low = sum([min(c * lo[j], c * hi[j]) for c, j in zip(a, free)]) - off
        high = sum([max(c * lo[j], c * hi[j]) for c, j in zip(a, free)]) - off
        if low > 0:
            const[i] = 1
        elif high < 0:
            const[i] = -1
        elif any(a):
            # It crosses or touches the face: a hyperplane through a point of the face's
            # boundary stays, since the descent must not step onto it.
            cross.append(i)
            sub_rows.append(tuple(a) + (off,))
        else:  # a·x − b is 0 on the whole face: the face lies in the hyperplane
            return None
    base_z = np.array([_exact.to_float(value[j]) if j in value else 0.0 for j in range(d)])
    exact_fixed = all(_is_float(v) for v in value.values())
    if not cross:
        # One region on the face, of constant signs; a point: the face's centre.
        centre = {j: (Fraction(lo[j]) + hi[j]) / 2 for j in free}
        z = tuple(Fraction(value[j]) if j in value else centre[j] for j in range(d))
        zf = np.array([_exact.to_float(v) for v in z])
        exact_z = None if all(_is_float(v) for v in z) else z
        return const[None, :], zf[None, :], [exact_z], False
    if len(free) == 1:
        # An edge: every region meeting it is an open interval between consecutive
        # crossings inside [lo, hi], with its midpoint in the edge; nothing below.
        S_e, Z_e, X_e = _edge_regions(sub_rows, cross, const, value, free[0], lo, hi, d)
        return S_e, Z_e, X_e, False
    sub = Arrangement._from_rows(sub_rows, len(free))
    W, X, signs = _sub_regions(sub)
    keep = _in_box(W, X, lo, hi, free)
    S = np.broadcast_to(const, (int(keep.sum()), n)).copy()
    S[:, cross] = signs[keep]
    Z = np.broadcast_to(base_z, (S.shape[0], d)).copy()
    Z[:, free] = W[keep]
    Xk = [X[r] for r in np.flatnonzero(keep).tolist()]
    out_X: list[Any] = []
    for x, zrow in zip(Xk, Z.tolist()):
        if x is None and exact_fixed:
            out_X.append(None)
        else:
            vals = iter(x if x is not None else [Fraction(v) for v in (zrow[j] for j in free)])
            out_X.append(tuple(Fraction(value[j]) if j in value else next(vals) for j in range(d)))
    return S, Z, out_X, True


def _edge_regions(sub_rows: Sequence[Sequence[Exact]], cross: Sequence[int], const: NDArray[np.int8],
                  value: dict[int, Exact], j: int, lo: Sequence[Exact], hi: Sequence[Exact],
                  d: int) -> tuple[NDArray[np.int8], NDArray[np.float64], list[Any]]:
    """The regions meeting the edge ``lo_j ≤ x_j ≤ hi_j`` (other coordinates fixed at
    ``value``): one per open interval between consecutive crossings, exactly."""
    cuts = sorted({Fraction(r[1]) / r[0] for r in sub_rows} | {Fraction(lo[j]), Fraction(hi[j])})
    mids = [(a + b) / 2 for a, b in itertools.pairwise(cuts)]
    S = np.broadcast_to(const, (len(mids), const.shape[0])).copy()
    for k, t in enumerate(mids):
        S[k, cross] = [1 if r[0] * t > r[1] else -1 for r in sub_rows]
    Z = np.empty((len(mids), d))
    X: list[Any] = []
    for k, t in enumerate(mids):
        z = tuple(t if c == j else Fraction(value[c]) for c in range(d))
        Z[k] = [_exact.to_float(v) for v in z]
        X.append(None if all(_is_float(v) for v in Z[k].tolist()) and
                 all(_is_float(v) for v in z) else z)
    return S, Z, X


def _sub_regions(sub: Arrangement) -> tuple[NDArray[np.float64], list[Any], NDArray[np.int8]]:
    """Witnesses (float, exact where the float is not inside) and signs of every region of a
    face's arrangement.  The general-position algorithm is tried first without the sampling
    screen of ``regions()`` (costly for the many small arrangements of the faces): it proves
    its own result, or returns None, and then ``regions()`` decides."""
    prep = sub._prepared
    if len(prep.rows) == sub.n and sub.n > sub.dim:
        g = _generic.Generic(prep.rows, sub.dim)
        table = g.table() if np.isfinite(g.F).all() else None
        if table is not None:
            S, W, _ = table
            return np.array(W), [None] * S.shape[0], prep.to_input(S)
    R = _all_regions(sub, max_regions=None)
    W, X = _witnesses(R)
    return W, X, R.signs


def _box_regions(A: Arrangement, box: Box, max_regions: int | None) -> _Candidates:
    fast = _fast_box(A, box, witnesses=True)
    if fast is not None:
        S_f, W_f = fast
        # Each float witness is checked exactly: in its region, strictly inside the box.
        if (np.isfinite(W_f).all() and np.array_equal(A.signs(W_f), S_f)
                and box.contains(W_f, strict=True).all()):
            return S_f, W_f, [None] * S_f.shape[0]
    S, Z, X, strict = _box_signs(A, box, max_regions)
    todo = np.flatnonzero(~strict)
    W = Z.copy()
    Xo: list[tuple[Fraction, ...] | None] = [None] * S.shape[0]
    for r in np.flatnonzero(strict).tolist():
        Xo[r] = None
    if todo.size:
        pushed, exact = _push_inside(A, box, S[todo], Z[todo], [X[r] for r in todo.tolist()])
        W[todo] = pushed
        for k, r in enumerate(todo.tolist()):
            Xo[r] = exact[k]
    return S, W, Xo


def _push_inside(A: Arrangement, box: Box, S: NDArray[np.int8], Z: NDArray[np.float64],
                 X: list[Any]) -> tuple[NDArray[np.float64], list[tuple[Fraction, ...] | None]]:
    """Points strictly inside both the box and each region, from points z of the region's
    closure in the box: z + t (c − z) for the box centre c and t below every crossing."""
    c = np.array([_exact.to_float(v) for v in box.interior_point])
    a, b = A.normals, A.offsets
    out = Z.copy()
    exact: list[tuple[Fraction, ...] | None] = [None] * Z.shape[0]
    ok = np.zeros(Z.shape[0], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        v = Z @ a.T - b
        g = (c - Z) @ a.T
        ratio = np.where(v * g < 0, np.abs(v) / np.abs(g), np.inf)
        t = np.minimum(0.5, 0.5 * ratio.min(axis=1, initial=np.inf))
        for _ in range(4):
            cand = Z + t[:, None] * (c - Z)
            good = (np.isfinite(cand).all(axis=1)
                    & (A.signs(np.where(np.isfinite(cand), cand, 0.0)) == S).all(axis=1)
                    & box.contains(np.where(np.isfinite(cand), cand, 0.0), strict=True))
            new = good & ~ok
            out[new] = cand[new]
            ok |= good
            if ok.all():
                break
            t = t / 8
    ce = box.interior_point
    rows = A.exact_rows
    for r in np.flatnonzero(~ok).tolist():
        z = X[r] if X[r] is not None else tuple(Fraction(w) for w in Z[r].tolist())
        te = Fraction(1, 2)
        for row in rows:
            vi = sum((p * q for p, q in zip(row[:-1], z)), Fraction(0)) - row[-1]
            gi = sum((p * (q - w) for p, q, w in zip(row[:-1], ce, z)), Fraction(0))
            if vi * gi < 0:
                te = min(te, abs(vi) / abs(gi) / 2)
        p = tuple(w + te * (q - w) for w, q in zip(z, ce))
        exact[r] = p
        out[r] = [_exact.to_float(x) for x in p]
    return out, exact


# ----------------------------------------------------------------------
# Polytopes: the enlarged arrangement
# ----------------------------------------------------------------------


#: Regions of A decided one by one by certificates before the enlarged arrangement is tried.
MAX_CERTIFIED_REGIONS = 5_000
#: Largest region bound $\sum_k \binom{n + m}{k}$ of the enlarged arrangement enumerated for a polytope.
MAX_ENLARGED_REGIONS = 200_000


def _polytope_regions(A: Arrangement, P: Polytope, max_regions: int | None) -> _Candidates:
    n = A.n
    B = Arrangement._from_rows(tuple(A.exact_rows) + tuple(P.facets.exact_rows), A.dim)
    bound = region_count(len(B._prepared.rows), B.rank())
    if bound > _TRY_REGIONS:
        got = _certified_regions(A, P, max_regions)
        if got is not None:
            return got
        if bound > MAX_ENLARGED_REGIONS:
            raise OutputTooLargeError(
                f"the regions of A in this polytope need the regions of A with its {P.facets.n} "
                f"facets added (up to {bound} regions, limit {MAX_ENLARGED_REGIONS}), since A has "
                f"more than {MAX_CERTIFIED_REGIONS} regions or a region could not be certified; "
                "give a polytope with fewer facets, or a box")
    R = _all_regions(B, max_regions)
    inner = np.flatnonzero((R.signs[:, n:] < 0).all(axis=1))
    S = R.signs[inner, :n]
    keys = _keys.pack(S) if S.shape[0] else np.zeros(0, dtype=np.uint64)
    _, first = np.unique(keys, return_index=True)
    first.sort()
    rows = inner[first]
    W, X = _witnesses(R[rows])
    return np.ascontiguousarray(S[first]), W, X


def _certified_regions(A: Arrangement, P: Polytope, max_regions: int | None) -> _Candidates | None:
    """The regions of A meeting the interior of P, each decided by an exact certificate
    (`_open_point`: a point of the region strictly inside P, or a Farkas proof that
    there is none); None when A has too many regions or one is undecided."""
    if region_count(len(A._prepared.rows), A.rank()) > MAX_CERTIFIED_REGIONS:
        if A.n_regions() > MAX_CERTIFIED_REGIONS:
            return None
    R = _all_regions(A, max_regions)
    d = A.dim
    own = [tuple(r) for r in A._int_rows]
    facets = [tuple(r) for r in P.facets._int_rows]
    keep: list[int] = []
    points: list[tuple[Fraction, ...]] = []
    for k, signs in enumerate(R.signs.tolist()):
        rows = [tuple(-sg * v for v in r) for sg, r in zip(signs, own)] + facets
        found = _open_point(rows, d)
        if found is None:
            return None
        if found is not False:
            keep.append(k)
            points.append(found)
    S = np.ascontiguousarray(R.signs[keep]).reshape(len(keep), A.n)
    W = np.array([[_exact.to_float(v) for v in p] for p in points]).reshape(len(keep), d)
    X: list[tuple[Fraction, ...] | None] = [None if all(_is_float(v) for v in p) else p for p in points]
    if len(keep):
        # Where the rounded float is strictly inside too, it is the witness.
        good = (np.isfinite(W).all(axis=1) & (A.signs(np.nan_to_num(W)) == S).all(axis=1)
                & P.contains(np.nan_to_num(W), strict=True))
        for r in np.flatnonzero(good).tolist():
            X[r] = None
        W[~good & np.array([x is not None for x in X])] = np.nan
    return S, W, X


def _table(A: Arrangement, S: NDArray[np.int8], W: NDArray[np.float64], X: list[Any],
           max_regions: int | None) -> Regions:
    """A Regions table over A's hyperplanes, with A's own bounded flags (in R^d)."""
    full = _all_regions(A, max_regions)
    idx = full.locate(S) if S.shape[0] else np.zeros(0, dtype=np.int64)
    exact = None
    if any(x is not None for x in X):
        exact = np.empty(len(X), dtype=object)
        for r, x in enumerate(X):
            exact[r] = x
    return Regions._wrap(np.ascontiguousarray(S, dtype=np.int8), np.ascontiguousarray(W),
                         np.array(full.bounded[idx]), np.array(full.relatively_bounded[idx]), exact)


# ----------------------------------------------------------------------
# Boxes, fast path: the lowest vertex of each cell, by exact integer minors
# ----------------------------------------------------------------------

#: Largest table of integer minors the fast path builds (entries, int64).
_MINOR_TABLE_LIMIT = 2**23
_INT_LIMIT = 2**62


class _Minors:
    """Every j×j minor of the integer matrix P (rows: A's hyperplanes as (a, −b), then
    the row (c, 0)), for j ≤ d + 1: ``table[j][rank(S), rank(C)]`` for row and column
    subsets in colexicographic order, by Laplace expansion along the last column.

    All entries are exact in int64: the caller checks Hadamard's bound first (every
    partial sum of an expansion of j rows is at most j · Π of their Euclidean norms).
    """

    def __init__(self, P: NDArray[np.int64], top: int) -> None:
        rows, cols = P.shape
        # Ranks are taken of row subsets and of column subsets: the table covers both.
        size = max(rows, cols) + 1
        self.comb = np.array([[math.comb(x, t) for t in range(top + 2)] for x in range(size)],
                             dtype=np.int64)
        self.table: list[NDArray[np.int64]] = [np.ones((1, 1), dtype=np.int64)]
        for j in range(1, top + 1):
            S = _exact.colex(rows, j)
            C = _exact.colex(cols, j)
            prev = self.table[-1]
            rank_C = self.rank(C[:, :-1]) if j > 1 else np.zeros(C.shape[0], dtype=np.int64)
            cur = np.zeros((S.shape[0], C.shape[0]), dtype=np.int64)
            for t in range(j):
                rest = np.delete(S, t, axis=1)
                sub = prev[self.rank(rest)][:, rank_C] if j > 1 else np.ones_like(cur)
                term = P[S[:, t]][:, C[:, -1]] * sub
                cur += term if (t + j - 1) % 2 == 0 else -term
            self.table.append(cur)

    def rank(self, subsets: NDArray[np.intp]) -> NDArray[np.int64]:
        """Colex ranks of sorted subsets (rows; the last axis holds the elements)."""
        if subsets.shape[-1] == 0:
            return np.zeros(subsets.shape[:-1], dtype=np.int64)
        pos = np.arange(1, subsets.shape[-1] + 1)
        return np.asarray(self.comb[subsets, pos].sum(axis=-1), dtype=np.int64)

    def cols(self, ordered: Sequence[int]) -> tuple[int, int]:
        """(colex rank of the sorted columns, sign of the sorting permutation)."""
        srt = sorted(ordered)
        inversions = sum(1 for a, b in itertools.combinations(ordered, 2) if a > b)
        rank = sum(math.comb(v, t + 1) for t, v in enumerate(srt))
        return rank, -1 if inversions % 2 else 1


def _fast_box(A: Arrangement, box: Box, witnesses: bool) -> tuple[
        NDArray[np.int8], NDArray[np.float64]] | None:
    """The regions of A meeting the open box, by the lowest vertex of each cell.

    The cells of the box cut by A are the regions of A meeting its interior.
    For a linear functional c in general position, each cell has one lowest
    vertex, a vertex of A ∪ {facets} in the closed box, and is the one cone
    there on which c increases (σ = sign of c's coordinates λ in the normals
    through the vertex); conversely each such vertex whose cone lies on the
    inner side of its facets is the lowest vertex of one cell.  This holds
    when every vertex in the closed box is simple (d hyperplanes through it)
    and no λ is zero; both are decided exactly, by integer minors, and None
    is returned when either fails (or the integers would not fit in int64),
    so that the caller takes the face descent.

    Returns the sign vectors and, if asked, a float witness of each, not yet
    checked (the caller checks them exactly).
    """
    d, n = A.dim, A.n
    if n == 0:
        return None
    rows = A._int_rows
    Q = 1
    for v in box.lo + box.hi:
        Q = Q * Fraction(v).denominator // math.gcd(Q, Fraction(v).denominator)
    LO = [int(Fraction(v) * Q) for v in box.lo]
    HI = [int(Fraction(v) * Q) for v in box.hi]
    top = d + 1
    sizes = sum(math.comb(n + 1, j) * math.comb(d + 1, j) for j in range(top + 1))
    if sizes > _MINOR_TABLE_LIMIT:
        return None
    rng = np.random.default_rng(20261202)
    for _ in range(3):
        c = [int(v) for v in rng.integers(1, 64, size=d) * rng.choice([-1, 1], size=d)]
        mat = [list(r[:-1]) + [-r[-1]] for r in rows] + [c + [0]]
        norms = sorted((math.isqrt(sum(v * v for v in r)) + 1 for r in mat), reverse=True)
        scale = Q + 2 * sum(max(abs(a), abs(b)) for a, b in zip(LO, HI))
        if scale * top * math.prod(norms[:top]) >= _INT_LIMIT:
            return None
        got = _fast_box_with(np.array(mat, dtype=np.int64), rows, d, n, LO, HI, Q, witnesses)
        if got is not _RETRY:
            return got  # type: ignore[return-value]
    return None


_RETRY = object()


def _fast_box_with(P: NDArray[np.int64], rows: Sequence[Sequence[int]], d: int, n: int,
                   LO: list[int], HI: list[int], Q: int, witnesses: bool) -> Any:
    """``_fast_box`` for one direction c (the last row of P): the tables, then face by
    face (each coordinate free, at lo or at hi) the vertices in the face's relative
    interior.  Returns _RETRY when some λ is zero (c not generic), None when a vertex
    in the closed box is not simple.

    The box is shrunk symbolically to [lo + δ, hi − δ] (the regions meeting the open
    box are those meeting it for every small δ > 0): each quantity is a + b δ, and its
    sign is that of a, or of b where a = 0 (a vertex on the boundary of the box, or a
    hyperplane through a vertex of the box's facets).  Where both are zero the vertex
    is not simple for any δ, and None is returned.
    """
    M = _Minors(P, d + 1)
    comb = M.comb
    Af = np.array([r[:-1] for r in rows], dtype=np.float64)
    bf = np.array([r[-1] for r in rows], dtype=np.float64)
    lo_f = np.array([v / Q for v in LO])
    hi_f = np.array([v / Q for v in HI])
    cap = 0.125 * float(min(b - a for a, b in zip(lo_f, hi_f)))
    parts_S: list[NDArray[np.int8]] = []
    parts_W: list[NDArray[np.float64]] = []
    for sides in itertools.product((None, 0, 1), repeat=d):
        J = [j for j in range(d) if sides[j] is not None]
        F = [j for j in range(d) if sides[j] is None]
        m = len(F)
        Hv = {j: (LO[j], HI[j])[sides[j]] for j in J}  # type: ignore[index]
        shift = {j: 1 if sides[j] == 0 else -1 for j in J}  # d(value)/dδ, over Q
        # The hyperplanes meeting the closed face (exact interval test, scaled by Q).
        cross = []
        for i, r in enumerate(rows):
            off = Q * r[-1] - sum(r[j] * Hv[j] for j in J)
            low = sum(min(r[j] * LO[j], r[j] * HI[j]) for j in F) - off
            high = sum(max(r[j] * LO[j], r[j] * HI[j]) for j in F) - off
            if low <= 0 <= high and any(r[j] for j in F):
                cross.append(i)
        if len(cross) < m:
            continue
        T = np.asarray(cross, dtype=np.intp)[_generic._combinations(len(cross), m)]
        rT = M.rank(T)
        tab = M.table[m]
        rF, _ = M.cols(F)
        D = tab[rT, rF]
        live = D != 0
        T, rT, D = T[live], rT[live], D[live]
        if not T.shape[0]:
            continue
        sD = np.sign(D)
        # The vertex: y_q − β has the sign of −N·D, N = det with column q <- the face's
        # homogeneous column with q fixed at β as well (times Q); N = N0 + N1 Q δ.
        inside = np.ones(T.shape[0], dtype=bool)
        ties: list[tuple[NDArray[np.int64], NDArray[np.int64]]] = []
        for p, q in enumerate(F):
            N0 = np.zeros(T.shape[0], dtype=np.int64)
            N1 = np.zeros(T.shape[0], dtype=np.int64)
            for x, w in [(d, Q)] + [(j, Hv[j]) for j in J]:
                rk, sg = M.cols(F[:p] + [x] + F[p + 1 :])
                minor = sg * tab[rT, rk]
                N0 += w * minor
                if x != d:
                    N1 += shift[x] * minor
            for beta, slope, want in ((LO[q], 1, -1), (HI[q], -1, 1)):
                a0, a1 = (N0 + beta * D) * sD, (N1 + slope * D) * sD
                s = np.where(a0 != 0, np.sign(a0), np.sign(a1))
                if (inside & (s == 0)).any():
                    return None  # on the boundary for every δ: not simple
                inside &= s == want
                ties.append((a0, a1))
        keep = np.flatnonzero(inside)
        if not keep.size:
            continue
        T, rT, D, sD = T[keep], rT[keep], D[keep], sD[keep]
        ties = [(a0[keep], a1[keep]) for a0, a1 in ties]
        K = T.shape[0]
        # λ: c = Σ λ_i a_i on the free coordinates; sign of row i replaced by c.
        sigma = np.empty((K, m), dtype=np.int8)
        for p in range(m):
            rk = M.rank(np.delete(T, p, axis=1)) + comb[n, m]
            val = tab[rk, rF] * sD * (-1 if (m - 1 - p) % 2 else 1)
            if (val == 0).any():
                return _RETRY
            sigma[:, p] = np.sign(val)
        # μ_j: the facet's coordinate of c (Schur complement); inner side needs
        # μ < 0 at hi and μ > 0 at lo.
        ok = np.ones(K, dtype=bool)
        if J:
            rk_c = M.rank(T) + comb[n, m + 1]
            for j in J:
                rk, sg = M.cols(F + [j])
                mu = M.table[m + 1][rk_c, rk] * sg * sD
                if (mu == 0).any():
                    return _RETRY
                ok &= mu > 0 if sides[j] == 0 else mu < 0
        keep = np.flatnonzero(ok)
        if not keep.size:
            continue
        T, sD, sigma = T[keep], sD[keep], sigma[keep]
        ties = [(a0[keep], a1[keep]) for a0, a1 in ties]
        K = T.shape[0]
        # The signs of every other hyperplane at the vertex: det [r_T; r_H] on the
        # face's columns, each nonzero (the vertex is simple), again a + b δ.
        H = np.arange(n)
        below = (T[:, None, :] > H[None, :, None])  # (K, n, m): T_p > H
        pos = np.arange(1, m + 1)
        rank_TH = (comb[T[:, None, :], pos[None, None, :] + below].sum(axis=2)
                   + comb[H[None, :], 1 + (~below).sum(axis=2)])
        orient = np.where(below.sum(axis=2) % 2, -1, 1) * sD[:, None]
        v0 = np.zeros((K, n), dtype=np.int64)
        v1 = np.zeros((K, n), dtype=np.int64)
        tab1 = M.table[m + 1]
        for x, w in [(d, Q)] + [(j, Hv[j]) for j in J]:
            rk, sg = M.cols(F + [x])
            minor = sg * tab1[rank_TH, rk]
            v0 += w * minor
            if x != d:
                v1 += shift[x] * minor
        v0 *= orient
        v1 *= orient
        S = np.where(v0 != 0, np.sign(v0), np.sign(v1)).astype(np.int8)
        inT = (T[:, None, :] == H[None, :, None]).any(axis=2)
        if (S[~inT] == 0).any():
            return None  # another hyperplane through the vertex
        S[np.arange(K)[:, None], T] = sigma
        parts_S.append(S)
        if witnesses:
            # A δ below every sign change of a + b δ at this vertex (floats suffice:
            # the witness is checked exactly).
            a0s = np.column_stack([a for a, _ in ties] + [np.where(inT, 0, v0)])
            a1s = np.column_stack([b for _, b in ties] + [np.where(inT, 0, v1)])
            with np.errstate(divide="ignore", invalid="ignore"):
                flips = np.where(np.sign(a0s) * np.sign(a1s) < 0,
                                 np.abs(a0s.astype(float)) / np.abs(a1s.astype(float)), np.inf)
            delta = (np.minimum(cap, 0.25 / Q * flips.min(axis=1, initial=np.inf)) if J
                     else np.zeros(K))
            parts_W.append(_fast_witnesses(Af, bf, lo_f, hi_f, T, sigma, F, J,
                                           {j: v / Q for j, v in Hv.items()}, shift, delta))
    S_all = np.concatenate(parts_S) if parts_S else np.zeros((0, n), dtype=np.int8)
    W_all = np.concatenate(parts_W) if parts_W else np.zeros((0, d))
    return S_all, W_all


def _fast_witnesses(Af: NDArray[np.float64], bf: NDArray[np.float64], lo: NDArray[np.float64],
                    hi: NDArray[np.float64], T: NDArray[np.intp], sigma: NDArray[np.int8],
                    F: list[int], J: list[int], value: dict[int, float], shift: dict[int, int],
                    delta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Float points v + ε u in the cone σ at each vertex v of the box shrunk by δ
    (checked exactly later)."""
    K, m = T.shape
    d = Af.shape[1]
    X = np.empty((K, d))
    U = np.empty((K, d))
    for j in J:
        X[:, j] = value[j] + shift[j] * delta
        U[:, j] = float(shift[j])
    if m:
        AT = Af[T]  # (K, m, d)
        N = AT[:, :, F]
        g = bf[T] - (np.einsum("kmj,kj->km", AT[:, :, J], X[:, J]) if J else 0.0)
        rhs_u = sigma - (AT[:, :, J] @ U[0, J] if J else 0.0)
        with np.errstate(all="ignore"):
            sol = np.linalg.solve(N, np.stack([g, rhs_u], axis=2))
        X[:, F] = sol[..., 0]
        U[:, F] = sol[..., 1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        V = np.concatenate([X @ Af.T - bf, X - lo, hi - X], axis=1)
        G = np.concatenate([U @ Af.T, U, -U], axis=1)
        ratio = np.abs(V) / np.abs(G)
        ratio[np.arange(K)[:, None], T] = np.inf
        ratio[~np.isfinite(ratio)] = np.inf
        eps = np.minimum(0.5 * ratio.min(axis=1, initial=np.inf), 1.0)
        return X + eps[:, None] * U
