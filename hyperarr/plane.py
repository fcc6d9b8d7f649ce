"""Line arrangements in the plane ($d = 2$) as shapely polygons.

Everything here is for arrangements of lines, ``A.dim == 2``; other
dimensions raise [`ArrangementError`][hyperarr.ArrangementError].
[`region_polygons`][hyperarr.plane.region_polygons] clips every region to a
box and returns it as a `shapely.Polygon`, in ``A.regions()`` order.  The
polygons are float geometry for drawing and measuring; which region is which
comes from the exact sign vectors.  The course sheet's region names are in
[`hyperarr.labels`][hyperarr.labels] (also importable from here).

Sign convention (as everywhere in hyperarr): line i is
``{x : normals[i] · x = offsets[i]}`` and side +1 is ``normals[i] · x > offsets[i]``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from hyperarr import _exact, _lines
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError

# The course sheet's labels live in hyperarr.labels; importable from here as before.
from hyperarr.labels import region_by_label, seed_labels  # noqa: F401

__all__ = ["region_polygons", "face_geometries"]

#: Relative margin of the default box around the vertices, and its minimum.
_MARGIN = 0.3
_MIN_MARGIN = 1.0


def _default_bbox(A: Arrangement) -> tuple[float, float, float, float]:
    """A box that holds every vertex, with a margin, and meets every region.

    If the lines have two directions, every region has a vertex on its
    boundary, and a box holding the vertices strictly inside meets every
    region.  If all lines are parallel there is no vertex; the box then holds
    the point of each line closest to the origin.
    """
    pts = [(float(x), float(y)) for x, y in _lines.vertices(A)]
    if not pts:
        for a, b, c in _lines.distinct_lines(A):
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
    if np.abs(arr).max() > 1e100:  # GEOS's products of coordinates overflow from about 1e102
        raise ArrangementError(
            f"bbox coordinates must be at most 1e+100 in absolute value (the polygon geometry "
            f"overflows beyond); got {bbox!r}"
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
    _lines.check_plane(A, "region_polygons")
    R = A.regions()
    box_t = _default_bbox(A) if bbox is None else _check_bbox(bbox)
    m = len(R)
    polys: NDArray[Any] = np.empty(m, dtype=object)
    polys[:] = [shapely.box(*box_t)] * m
    rows = _lines.int_rows(A)
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
    pts = [(x, y) for x, y in _lines.vertices(A) if x0 <= x <= x1 and y0 <= y <= y1]
    for a, b, c in _lines.distinct_lines(A):
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
    moved = shapely.set_coordinates(polys.copy(), coords)
    try:
        snapped = shapely.remove_repeated_points(moved)
    except shapely.errors.GEOSException:
        # A float sliver collapsed onto fewer than 3 exact corners: the region
        # only touches the box.  GEOS refuses the whole array, so the polygons
        # are snapped one at a time, and a collapsed one becomes empty.
        snapped = np.array([_remove_repeated(m) for m in moved], dtype=object)
    ok = shapely.is_valid(snapped) & ((shapely.area(snapped) > 0) | shapely.is_empty(snapped))
    return [s if good else p for s, p, good in zip(snapped, polys, ok.tolist())]


def _remove_repeated(geom: Any) -> Any:
    """``geom`` without repeated points, or an empty Polygon if fewer than 3 remain."""
    try:
        return shapely.remove_repeated_points(geom)
    except shapely.errors.GEOSException:
        return shapely.Polygon()


# ----------------------------------------------------------------------
# face_geometries
# ----------------------------------------------------------------------


def face_geometries(A: Arrangement, bbox: Sequence[float] | None = None) -> list[Any]:
    """Every face of a line arrangement, clipped to a box, as a shapely geometry.

    Parameters
    ----------
    A : Arrangement
        Lines in the plane (``A.dim == 2``).
    bbox : sequence of 4 floats, optional
        ``(minx, miny, maxx, maxy)``; the default is that of
        [`region_polygons`][hyperarr.plane.region_polygons].

    Returns
    -------
    list of shapely geometries
        In the order of ``A.faces()``: a `shapely.Point` for a vertex, a
        `shapely.LineString` for an edge (a segment, or a ray or a line cut
        by the box), a `shapely.Polygon` for a region.  A face that misses
        the box gives an empty geometry.

    Notes
    -----
    The vertices are the exact ones, rounded once.  An edge is found exactly
    on its line, as the interval between the crossings that bound it
    (Fractions, from its exact witness), then rounded and cut by the box.
    Regions are clipped as in ``region_polygons``.

    Examples
    --------
    >>> from hyperarr.library import five_lines
    >>> geoms = face_geometries(five_lines())
    >>> [g.geom_type for g in geoms[:1] + geoms[10:11] + geoms[-1:]]
    ['Point', 'LineString', 'Polygon']
    >>> len(geoms)
    51
    """
    _lines.check_plane(A, "face_geometries")
    F = A.faces()
    box_t = _default_bbox(A) if bbox is None else _check_bbox(bbox)
    box = shapely.box(*box_t)
    rows = _lines.int_rows(A)
    out: list[Any] = [None] * len(F)
    regions = np.flatnonzero(F.dims == 2)
    polys: NDArray[Any] = np.empty(regions.size, dtype=object)
    polys[:] = [box] * regions.size
    done: set[tuple[int, ...]] = set()
    for i, row in enumerate(rows):
        canon, orient = _exact.canonical_row(row)
        if canon in done:
            continue
        done.add(canon)
        pos, neg = _half_boxes(canon, box_t)  # type: ignore[arg-type]
        side = F.signs[regions, i].astype(np.int64) * orient
        polys = shapely.intersection(polys, np.where(side > 0, pos, neg))
    clean: NDArray[Any] = np.empty(regions.size, dtype=object)
    clean[:] = [_as_polygon(g) for g in polys]
    for r, g in zip(regions.tolist(), _snap(clean, _corners(A, box_t), box_t)):
        out[r] = g
    exact = F.exact_points
    for r in np.flatnonzero(F.dims < 2).tolist():
        p = exact[r]
        if F.dims[r] == 0:
            pt = shapely.Point(float(p[0]), float(p[1]))
            out[r] = pt if box.covers(pt) else shapely.Point()
        else:
            out[r] = _edge(rows, F.signs[r], p, box, box_t)
    return out


def _edge(rows: Sequence[Sequence[int]], signs: NDArray[np.int8], p: tuple[Fraction, ...], box: Any,
          bbox: tuple[float, float, float, float]) -> Any:
    """The edge through the exact point ``p`` with sign vector ``signs``, cut by the box."""
    on = int(np.flatnonzero(signs == 0)[0])
    a, b = rows[on][0], rows[on][1]
    v = (Fraction(-b), Fraction(a))
    lo: Fraction | None = None
    hi: Fraction | None = None
    for row, s in zip(rows, signs.tolist()):
        c1 = row[0] * v[0] + row[1] * v[1]
        if s == 0 or c1 == 0:
            continue
        c0 = row[0] * p[0] + row[1] * p[1] - row[2]
        t = -c0 / c1
        if (s > 0) == (c1 > 0):  # s (c0 + c1 t) > 0 holds for t > bound
            lo = t if lo is None else max(lo, t)
        else:
            hi = t if hi is None else min(hi, t)
    span = Fraction(2 * (abs(bbox[0]) + abs(bbox[1]) + abs(bbox[2]) + abs(bbox[3])) + 2)
    far = span / max(abs(v[0]), abs(v[1]))
    dist = max(abs(p[0]), abs(p[1])) / max(abs(v[0]), abs(v[1]))
    t0 = lo if lo is not None else -(far + dist)
    t1 = hi if hi is not None else far + dist
    ends = [(float(p[0] + t * v[0]), float(p[1] + t * v[1])) for t in (t0, t1)]
    seg = shapely.intersection(box, shapely.LineString(ends))
    return seg if isinstance(seg, shapely.LineString) else shapely.LineString()
