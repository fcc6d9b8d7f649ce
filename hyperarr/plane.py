"""Line arrangements in the plane (d = 2): region polygons and the seed's labels.

Everything here is for arrangements of lines, ``A.dim == 2``; other
dimensions raise :class:`~hyperarr.exceptions.ArrangementError`.

* :func:`region_polygons` clips every region to a box and returns it as a
  :class:`shapely.Polygon`, in ``A.regions()`` order.  The polygons are float
  geometry for drawing and measuring; which region is which comes from the
  exact sign vectors.
* :func:`seed_labels` names the regions A, B, C, ... as the course sheet's
  Exercise 3c does: clockwise round the outer ring starting at the top, then
  the inner regions.  Every decision behind the order (directions at infinity,
  layers, angles of centroids) is made in exact arithmetic.
* :func:`region_by_label` turns a label back into a region index.

Sign convention (as everywhere in hyperarr): line i is
``{x : normals[i] · x = offsets[i]}`` and side +1 is ``normals[i] · x > offsets[i]``.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import NDArray

from hyperarr import _exact
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError, HyperarrError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.regions import Regions

__all__ = ["region_polygons", "seed_labels", "region_by_label"]

Vec = tuple[Any, Any]  # an exact 2-vector of ints or Fractions

#: Relative margin of the default box around the vertices, and its minimum.
_MARGIN = 0.3
_MIN_MARGIN = 1.0


# ----------------------------------------------------------------------
# Validation and exact helpers
# ----------------------------------------------------------------------


def _check_plane(A: Any, func: str) -> Arrangement:
    if not isinstance(A, Arrangement):
        raise ArrangementError(f"{func} expects an Arrangement; got {type(A).__name__}")
    if A.dim != 2:
        raise ArrangementError(
            f"{func} needs lines in the plane (d = 2); got hyperplanes in R^{A.dim} (d = {A.dim})"
        )
    return A


def _int_rows(A: Arrangement) -> list[tuple[int, int, int]]:
    """Each input line as coprime integers ``(a, b, c)``: ``a x + b y = c``, same orientation."""
    return [_exact.integer_row(r) for r in A.exact_rows]  # type: ignore[misc]


def _distinct_lines(A: Arrangement) -> list[tuple[int, int, int]]:
    """The distinct lines, canonical (first nonzero coefficient positive), in input order."""
    seen: dict[tuple[int, ...], None] = {}
    for row in _int_rows(A):
        seen.setdefault(_exact.canonical_row(row)[0], None)
    return list(seen)  # type: ignore[arg-type]


def _sign(v: Any) -> int:
    return (v > 0) - (v < 0)


def _primitive(v: tuple[int, int]) -> tuple[int, int]:
    g = math.gcd(v[0], v[1])
    return (v[0] // g, v[1] // g)


def _half(v: Vec) -> int:
    """0 for directions at clockwise angle in [0, π) from up (+y), 1 for [π, 2π)."""
    return 0 if v[0] > 0 or (v[0] == 0 and v[1] > 0) else 1


def _cw_cmp(u: Vec, v: Vec) -> int:
    """Compare nonzero directions by clockwise angle from up, exactly (0 if equal)."""
    hu, hv = _half(u), _half(v)
    if hu != hv:
        return hu - hv
    return _sign(u[0] * v[1] - u[1] * v[0])


def _cw_cmp_filtered(u: Vec, v: Vec, fu: tuple[float, float], fv: tuple[float, float]) -> int:
    """:func:`_cw_cmp` for exact ``u``, ``v``, decided on their rounded floats when provable.

    ``fu``, ``fv`` are the correctly rounded components.  The float cross
    product decides when it exceeds its error bound; otherwise the exact
    (big) integers do.
    """
    hu, hv = _half(u), _half(v)
    if hu != hv:
        return hu - hv
    a, b = fu[0] * fv[1], fu[1] * fv[0]
    if abs(a - b) > 8 * 2.0**-53 * (abs(a) + abs(b)) + 2.0**-1000:
        return 1 if a > b else -1
    return _sign(u[0] * v[1] - u[1] * v[0])


def _rot_cw(v: Vec) -> Vec:
    """``v`` turned 90° clockwise: up becomes right."""
    return (v[1], -v[0])


def _homogeneous_vertices(A: Arrangement) -> list[tuple[int, int, int]]:
    """The distinct vertices as primitive integer triples (X, Y, D), D > 0: the point (X/D, Y/D)."""
    lines = _distinct_lines(A)
    out: dict[tuple[int, int, int], None] = {}
    for i, (a1, b1, c1) in enumerate(lines):
        for a2, b2, c2 in lines[i + 1 :]:
            det = a1 * b2 - a2 * b1
            if det:
                X, Y = c1 * b2 - c2 * b1, a1 * c2 - a2 * c1
                if det < 0:
                    X, Y, det = -X, -Y, -det
                g = math.gcd(math.gcd(X, Y), det)
                out.setdefault((X // g, Y // g, det // g), None)
    return list(out)


def _vertices(A: Arrangement) -> list[tuple[Fraction, Fraction]]:
    """The distinct intersection points of non-parallel lines, exactly, in a fixed order."""
    return [(Fraction(X, D), Fraction(Y, D)) for X, Y, D in _homogeneous_vertices(A)]


def _default_bbox(A: Arrangement) -> tuple[float, float, float, float]:
    """A box that holds every vertex, with a margin, and meets every region.

    If the lines have two directions, every region has a vertex on its
    boundary, and a box holding the vertices strictly inside meets every
    region.  If all lines are parallel there is no vertex; the box then holds
    the point of each line closest to the origin.
    """
    pts = [(float(x), float(y)) for x, y in _vertices(A)]
    if not pts:
        for a, b, c in _distinct_lines(A):
            s = Fraction(c, a * a + b * b)
            pts.append((float(s * a), float(s * b)))
    if not pts:
        pts = [(0.0, 0.0)]
    arr = np.array(pts, dtype=np.float64)
    lo, hi = arr.min(axis=0), arr.max(axis=0)
    margin = max(_MARGIN * float((hi - lo).max()), _MIN_MARGIN)
    return (float(lo[0] - margin), float(lo[1] - margin), float(hi[0] + margin), float(hi[1] + margin))


def _check_bbox(bbox: Any) -> tuple[float, float, float, float]:
    try:
        arr = np.asarray(bbox, dtype=np.float64)
    except (TypeError, ValueError):
        raise ArrangementError(
            f"bbox must be (minx, miny, maxx, maxy) of finite numbers; got {bbox!r}"
        ) from None
    if arr.shape != (4,) or not np.isfinite(arr).all():
        raise ArrangementError(
            f"bbox must be (minx, miny, maxx, maxy) of finite numbers; got {bbox!r}"
        )
    x0, y0, x1, y1 = (float(v) for v in arr)
    if not (x0 < x1 and y0 < y1):
        raise ArrangementError(f"bbox needs minx < maxx and miny < maxy; got {bbox!r}")
    return (x0, y0, x1, y1)


# ----------------------------------------------------------------------
# region_polygons
# ----------------------------------------------------------------------


def _unit_line(line: tuple[int, int, int]) -> tuple[NDArray[np.float64], float]:
    """The line ``a x + b y = c`` as a float unit normal and offset (no overflow for big ints)."""
    a, b, c = line
    m = max(abs(a), abs(b))
    af, bf = float(Fraction(a, m)), float(Fraction(b, m))
    nrm = math.hypot(af, bf)
    return np.array([af / nrm, bf / nrm]), float(Fraction(c, m)) / nrm


def _half_boxes(
    line: tuple[int, int, int], bbox: tuple[float, float, float, float]
) -> tuple[Any, Any]:
    """The parts of the box on the +1 and on the −1 side of a line, as shapely polygons.

    Each side is a rectangle far larger than the box, and both share the same
    edge on the line, so the two parts meet along one segment.
    """
    n, off = _unit_line(line)
    center = np.array([(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2])
    dist = float(n @ center) - off
    p0 = center - dist * n
    v = np.array([-n[1], n[0]])
    big = 2.0 * (math.hypot(bbox[2] - bbox[0], bbox[3] - bbox[1]) + abs(dist)) + 1.0
    pa, pb = p0 - big * v, p0 + big * v
    box = shapely.box(*bbox)
    pos = shapely.Polygon([pa, pb, pb + big * n, pa + big * n])
    neg = shapely.Polygon([pa, pb, pb - big * n, pa - big * n])
    return shapely.intersection(box, pos), shapely.intersection(box, neg)


def _as_polygon(geom: Any) -> Any:
    """A shapely Polygon: ``geom`` itself, its largest polygonal part, or the empty Polygon."""
    if isinstance(geom, shapely.Polygon):
        return geom if geom.area > 0 else shapely.Polygon()
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, shapely.Polygon) and g.area > 0]
    if not parts:
        return shapely.Polygon()
    return max(parts, key=lambda g: g.area)


def region_polygons(A: Arrangement, bbox: Sequence[float] | None = None) -> list[Any]:
    """Every region of a line arrangement, clipped to a box, as a shapely Polygon.

    Parameters
    ----------
    A : Arrangement
        Lines in the plane (``A.dim == 2``).
    bbox : sequence of 4 floats, optional
        ``(minx, miny, maxx, maxy)``.  The default holds every vertex (the
        intersection points of non-parallel lines, computed exactly, then
        rounded) with a margin of 30% of the larger side, at least 1, so
        that it meets every region; if all lines are parallel it holds the
        point of each line closest to the origin instead.

    Returns
    -------
    list of shapely.Polygon
        Polygon ``r`` is region ``r`` of ``A.regions()`` intersected with the
        box.  A region that misses the box (possible with a given ``bbox``)
        gives an empty Polygon.

    Raises
    ------
    ArrangementError
        If ``A`` is not in the plane or ``bbox`` is invalid.

    Notes
    -----
    Region r is the intersection of the box with one half-plane per line,
    the side given by its sign vector; each half-plane is a rectangle much
    larger than the box, and the two sides of a line share the same edge.
    Afterwards every vertex is snapped onto the exact corner it approximates
    (a vertex of the arrangement, a crossing of a line with the box, or a
    corner of the box), rounded once, so neighbouring polygons share their
    corners exactly.  The polygons tile the box up to float rounding:
    interiors are disjoint and their union is the box.  All clipping is done by shapely (GEOS), one
    vectorized call per distinct line, so the cost is O(m·h) intersections
    of small polygons for m regions and h distinct lines.

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> A = five_lines()
    >>> polys = region_polygons(A)
    >>> len(polys)
    16
    >>> box = shapely.union_all(polys).envelope
    >>> round(sum(p.area for p in polys) / box.area, 9)
    1.0
    >>> inside = [p.representative_point() for p in polys]
    >>> bool((A.signs([[q.x, q.y] for q in inside]) == A.regions().signs).all())
    True
    """
    _check_plane(A, "region_polygons")
    R = A.regions()
    box_t = _default_bbox(A) if bbox is None else _check_bbox(bbox)
    m = len(R)
    polys: NDArray[Any] = np.empty(m, dtype=object)
    polys[:] = [shapely.box(*box_t)] * m
    rows = _int_rows(A)
    done: set[tuple[int, ...]] = set()
    for i, row in enumerate(rows):
        canon, orient = _exact.canonical_row(row)
        if canon in done:
            continue  # a repeated line: its sign column says the same
        done.add(canon)
        pos, neg = _half_boxes(canon, box_t)  # type: ignore[arg-type]
        side = R.signs[:, i].astype(np.int64) * orient
        polys = shapely.intersection(polys, np.where(side > 0, pos, neg))
    clean: NDArray[Any] = np.empty(m, dtype=object)
    clean[:] = [_as_polygon(g) for g in polys]
    return _snap(clean, _corners(A, box_t), box_t)


def _corners(A: Arrangement, bbox: tuple[float, float, float, float]) -> NDArray[np.float64]:
    """Every possible corner of a clipped region, from exact arithmetic, rounded once.

    These are the vertices in the box, the points where lines cross the
    box's sides, and the box's corners.
    """
    x0, y0, x1, y1 = (Fraction(v) for v in bbox)
    pts = [(x, y) for x, y in _vertices(A) if x0 <= x <= x1 and y0 <= y <= y1]
    for a, b, c in _distinct_lines(A):
        if b:
            pts += [(x, y) for x in (x0, x1) for y in [(c - a * x) / b] if y0 <= y <= y1]
        if a:
            pts += [(x, y) for y in (y0, y1) for x in [(c - b * y) / a] if x0 <= x <= x1]
    pts += [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]
    return np.array([[float(x), float(y)] for x, y in pts], dtype=np.float64)


def _snap(
    polys: NDArray[Any], corners: NDArray[np.float64], bbox: tuple[float, float, float, float]
) -> list[Any]:
    """Move each polygon vertex onto the correctly rounded exact corner it approximates.

    GEOS computes a corner shared by several regions separately for each of
    them, with different rounding (three concurrent lines give three nearby
    points).  Snapping makes shared corners identical, so that the polygons
    meet edge to edge and later overlay operations on them stay robust.  A
    vertex is moved only within 1e-9 of the box's diagonal; a polygon that
    would degenerate is kept as computed.
    """
    from scipy.spatial import cKDTree

    coords = shapely.get_coordinates(polys)
    if len(coords) == 0:
        return list(polys)
    dist, k = cKDTree(corners).query(coords)
    close = dist <= 1e-9 * math.hypot(bbox[2] - bbox[0], bbox[3] - bbox[1])
    coords[close] = corners[k[close]]
    snapped = shapely.remove_repeated_points(shapely.set_coordinates(polys.copy(), coords))
    ok = shapely.is_valid(snapped) & (shapely.area(snapped) > 0)
    return [s if good else p for s, p, good in zip(snapped, polys, ok.tolist())]


# ----------------------------------------------------------------------
# seed_labels
# ----------------------------------------------------------------------


def _label(k: int) -> str:
    """0 → A, 25 → Z, 26 → AA, 27 → AB, ... (spreadsheet columns)."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _outer_ring(A: Arrangement, R: "Regions") -> list[int]:
    """Indices of the unbounded regions, clockwise from the top, decided exactly.

    The directions at infinity are cut by the directions ±v of the lines.
    Each open arc between consecutive cut directions is the recession cone of
    one unbounded region, whose sign on line i is ``sign(w_i · u)`` for any u
    inside the arc.  At a cut direction b sit the strips between consecutive
    lines parallel to b, ordered by their position along b turned clockwise.
    """
    rows = _int_rows(A)
    if not rows:
        return [0]
    dirs = {(p, q) for a, b, _ in rows for p, q in [_primitive((-b, a))] for p, q in [(p, q), (-p, -q)]}
    order = sorted(dirs, key=functools.cmp_to_key(_cw_cmp))

    def index(signs: list[int]) -> int:
        return R.index_of(np.array(signs, dtype=np.int8))

    cells: list[int] = []
    for k, b in enumerate(order):
        c = _rot_cw(b)
        par = [(a * c[0] + bb * c[1], cc) for a, bb, cc in rows if a * b[0] + bb * b[1] == 0]
        ts = sorted({Fraction(cc, wc) for wc, cc in par})  # position of each line along c
        for t0, t1 in zip(ts, ts[1:]):
            mid = (t0 + t1) / 2
            cells.append(index([
                _sign(mid * (a * c[0] + bb * c[1]) - cc) if a * b[0] + bb * b[1] == 0
                else _sign(a * b[0] + bb * b[1])
                for a, bb, cc in rows
            ]))
        nxt = order[(k + 1) % len(order)]
        u = (b[0] + nxt[0], b[1] + nxt[1])
        if b[0] * nxt[1] - b[1] * nxt[0] == 0:  # opposite: the arc is a half-turn
            u = c
        cells.append(index([_sign(a * u[0] + bb * u[1]) for a, bb, _ in rows]))
    if order[0] != (0, 1):
        cells = cells[-1:] + cells[:-1]  # the arc holding up comes first
    ring = list(dict.fromkeys(cells))
    if len(ring) != int((~R.bounded).sum()):  # pragma: no cover - an internal check
        raise HyperarrError(
            f"seed_labels found {len(ring)} regions at infinity but the arrangement has "
            f"{int((~R.bounded).sum())} unbounded regions; please report this"
        )
    return ring


def _exact_centroid(corners: list[tuple[int, int, int]]) -> tuple[Fraction, Fraction]:
    """Centroid of the convex polygon with these homogeneous corners (X, Y, D), exactly.

    The corners are put on one common denominator, ordered round their mean
    and summed with the shoelace formula, all in integers.
    """
    L = math.lcm(*(D for _, _, D in corners))
    pts = [(X * (L // D), Y * (L // D)) for X, Y, D in corners]
    k = len(pts)
    sx, sy = sum(p[0] for p in pts), sum(p[1] for p in pts)

    def around(p: tuple[int, int], q: tuple[int, int]) -> int:
        return _cw_cmp((k * p[0] - sx, k * p[1] - sy), (k * q[0] - sx, k * q[1] - sy))

    ring = sorted(pts, key=functools.cmp_to_key(around))
    area2 = cx = cy = 0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cr = x0 * y1 - x1 * y0
        area2 += cr
        cx += (x0 + x1) * cr
        cy += (y0 + y1) * cr
    return Fraction(cx, 3 * area2 * L), Fraction(cy, 3 * area2 * L)


def _vertex_signs(A: Arrangement, hv: list[tuple[int, int, int]]) -> NDArray[np.int8]:
    """Exact sign of every input line at every vertex (X/D, Y/D), shape (v, n), by integer dot products."""
    H = np.array(hv, dtype=object).reshape(len(hv), 3)
    W = np.array([(a, b, -c) for a, b, c in _int_rows(A)], dtype=object).reshape(A.n, 3).T
    big = max((abs(v) for v in H.flat), default=0) * max((abs(v) for v in W.flat), default=0)
    if 3 * big < 2**62:  # no overflow possible: int64 is exact
        vals = H.astype(np.int64) @ W.astype(np.int64)
    else:
        vals = H @ W
    return ((vals > 0).astype(np.int8) - (vals < 0).astype(np.int8)).astype(np.int8)


def _inner_order(A: Arrangement, R: "Regions", ring: list[int]) -> list[int]:
    """Bounded regions by layer, each layer clockwise from the top (exact)."""
    bounded = np.flatnonzero(R.bounded).tolist()
    if not bounded:
        return []
    G = A.adjacency_graph()
    dist = {r: 0 for r in ring}
    queue = deque(ring)
    while queue:
        r = queue.popleft()
        for s in G[r]:
            if s not in dist:
                dist[s] = dist[r] + 1
                queue.append(s)
    hv = _homogeneous_vertices(A)
    VS = _vertex_signs(A, hv)
    lcm = math.lcm(*(D for _, _, D in hv))
    den = len(hv) * lcm
    center = (Fraction(sum(X * (lcm // D) for X, _, D in hv), den),
              Fraction(sum(Y * (lcm // D) for _, Y, D in hv), den))
    keys = {}
    for r in bounded:
        on = ((VS == 0) | (VS == R.signs[r])).all(axis=1)
        cx, cy = _exact_centroid([hv[k] for k in np.flatnonzero(on).tolist()])
        u = (cx - center[0], cy - center[1])
        # the same direction as integers (positive scaling), for fast comparisons
        iu = (u[0].numerator * u[1].denominator, u[1].numerator * u[0].denominator)
        keys[r] = (dist[r], iu, u, (float(u[0]), float(u[1])))

    def cmp(r: int, s: int) -> int:
        (lr, iu, u, fu), (ls, iv, v, fv) = keys[r], keys[s]
        if lr != ls:
            return lr - ls
        if iu == (0, 0) or iv == (0, 0):  # the centre itself comes first
            c = (iu != (0, 0)) - (iv != (0, 0))
        else:
            c = _cw_cmp_filtered(iu, iv, fu, fv)
            if c == 0:  # same angle: nearer first
                c = _sign(u[0] ** 2 + u[1] ** 2 - v[0] ** 2 - v[1] ** 2)
        return c if c else r - s

    return sorted(bounded, key=functools.cmp_to_key(cmp))


def seed_labels(A: Arrangement) -> list[str]:
    r"""Label the regions A, B, C, ... as in the course sheet (Exercise 3c).

    Parameters
    ----------
    A : Arrangement
        Lines in the plane (``A.dim == 2``).

    Returns
    -------
    list of str
        ``labels[r]`` names region ``r`` of ``A.regions()``: A, B, ..., Z,
        then AA, AB, ... .

    Raises
    ------
    ArrangementError
        If ``A`` is not in the plane.

    Notes
    -----
    The rule, illustrated on :func:`hyperarr.library.five_lines` (lines 1-5;
    lines 3 and 4 are dotted).  A-J form the outer ring, clockwise from the
    top; K-O are the points of the star and P the pentagon inside::

                               2 \    / 5
                                 \    /
                                  \ A/
                                   \/
                                   /\
                     J             /\             B
      4 .                         /  \                         . 3
         ...                     /  K \                     ...
          I ...                 /      \                 ... C
        -------....-------------/------\-------------....------- 1
                   ...         /        \         ...
                      ...  O  /     P    \  L  ...
                         ...  /          \  ...
                            ./.          ...
                            /  ....  ....  \
                           /      ....      \
                 H         /   ...    ...   \         D
                          / N..          ..M \
                         /..                ...
                     ..../                    \....
                  ...G  /           F          \  E...
               ...     /                        \     ...
            ...       /                          \       ...

    * **Outer ring.**  The unbounded regions come first, in clockwise order
      of their directions at infinity, starting with the region that holds
      the upward direction (0, +∞).  The directions at infinity are cut by
      the directions ±v of the lines, sorted by their clockwise angle from up
      with exact cross products; each open arc between two cuts belongs to one
      unbounded region.  A strip between parallel lines reaches infinity in
      a single direction b; the strips at b come in clockwise order, that is
      by their position along b turned 90° clockwise.  When up is itself a
      cut (a vertical line), the ring starts just clockwise of it: with the
      strips at up from left to right, then the arc to the right of up.
    * **Inner regions.**  The bounded regions follow in layers: layer k holds
      those at distance k from the outer ring in the adjacency graph
      (neighbours share an edge).  Within a layer the regions go clockwise by
      the angle of their centroid about the centroid of all vertices,
      starting from up; a centroid at the centre comes first and equal
      angles go nearer first.  The centroids are exact rationals, computed
      from the exact corners.

    The labels depend only on the lines, not on the order of ``A.regions()``.
    Exact: O(n²) vertices, O(n·v) exact signs for the corners, and one
    sort per layer.

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> A = five_lines()
    >>> labels = seed_labels(A)
    >>> "".join(sorted(labels))
    'ABCDEFGHIJKLMNOP'
    >>> R = A.regions()
    >>> sorted(lab for lab, b in zip(labels, R.bounded.tolist()) if b)
    ['K', 'L', 'M', 'N', 'O', 'P']
    >>> labels[int(A.region_of([0.0, 100.0]))], labels[int(A.region_of([0.0, 0.0]))]
    ('A', 'P')
    """
    _check_plane(A, "seed_labels")
    cached = A.__dict__.get("_seed_labels")
    if cached is None:
        R = A.regions()
        ring = _outer_ring(A, R)
        order = ring + _inner_order(A, R, ring)
        labels = [""] * len(R)
        for k, r in enumerate(order):
            labels[r] = _label(k)
        cached = tuple(labels)
        A.__dict__["_seed_labels"] = cached
    return list(cached)


def region_by_label(A: Arrangement, label: str) -> int:
    """Index in ``A.regions()`` of the region named ``label`` by :func:`seed_labels`.

    Parameters
    ----------
    A : Arrangement
        Lines in the plane.
    label : str
        A label such as ``"D"`` or ``"AB"``; surrounding spaces are ignored,
        case is not.

    Returns
    -------
    int

    Raises
    ------
    ArrangementError
        If no region has this label; the message lists the valid labels.

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> A = five_lines()
    >>> r = region_by_label(A, " A ")
    >>> A.regions().signs[r].tolist()
    [1, 1, -1, -1, 1]
    """
    labels = seed_labels(A)
    if not isinstance(label, str):
        raise ArrangementError(f"label must be a string such as 'A'; got {label!r}")
    key = label.strip()
    try:
        return labels.index(key)
    except ValueError:
        shown = ", ".join(_label(k) for k in range(min(len(labels), 30)))
        more = f", ... ({len(labels)} in all)" if len(labels) > 30 else ""
        raise ArrangementError(
            f"no region is labelled {label!r}; valid labels are {shown}{more}"
        ) from None
