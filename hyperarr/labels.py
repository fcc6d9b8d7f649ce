"""The course sheet's names for the regions of a line arrangement: A, B, C, ...

[`seed_labels`][hyperarr.labels.seed_labels] names the regions as the course
sheet's region-counting exercise does: clockwise round the outer ring
starting at the top, then the inner regions, layer by layer.  Every decision
behind the order (directions at infinity, layers, angles of centroids) is
made in exact arithmetic.  [`region_by_label`][hyperarr.labels.region_by_label]
turns a label back into a region index.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from hyperarr import _lines
from hyperarr.adjacency import adjacency_graph
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError, HyperarrError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.regions import Regions

__all__ = ["seed_labels", "region_by_label"]


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
    rows = _lines.int_rows(A)
    if not rows:
        return [0]
    dirs = {(p, q) for a, b, _ in rows for p, q in [_lines.primitive((-b, a))] for p, q in [(p, q), (-p, -q)]}
    order = sorted(dirs, key=functools.cmp_to_key(_lines.cw_cmp))

    def index(signs: list[int]) -> int:
        return R.index_of(np.array(signs, dtype=np.int8))

    cells: list[int] = []
    for k, b in enumerate(order):
        c = _lines.rot_cw(b)
        par = [(a * c[0] + bb * c[1], cc) for a, bb, cc in rows if a * b[0] + bb * b[1] == 0]
        ts = sorted({Fraction(cc, wc) for wc, cc in par})  # position of each line along c
        for t0, t1 in zip(ts, ts[1:]):
            mid = (t0 + t1) / 2
            cells.append(index([
                _lines.sign(mid * (a * c[0] + bb * c[1]) - cc) if a * b[0] + bb * b[1] == 0
                else _lines.sign(a * b[0] + bb * b[1])
                for a, bb, cc in rows
            ]))
        nxt = order[(k + 1) % len(order)]
        u = (b[0] + nxt[0], b[1] + nxt[1])
        if b[0] * nxt[1] - b[1] * nxt[0] == 0:  # opposite: the arc is a half-turn
            u = c
        cells.append(index([_lines.sign(a * u[0] + bb * u[1]) for a, bb, _ in rows]))
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
        return _lines.cw_cmp((k * p[0] - sx, k * p[1] - sy), (k * q[0] - sx, k * q[1] - sy))

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
    W = np.array([(a, b, -c) for a, b, c in _lines.int_rows(A)], dtype=object).reshape(A.n, 3).T
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
    G = adjacency_graph(A)
    dist = {r: 0 for r in ring}
    queue = deque(ring)
    while queue:
        r = queue.popleft()
        for s in G[r]:
            if s not in dist:
                dist[s] = dist[r] + 1
                queue.append(s)
    hv = _lines.homogeneous_vertices(A)
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
            c = _lines.cw_cmp_filtered(iu, iv, fu, fv)
            if c == 0:  # same angle: nearer first
                c = _lines.sign(u[0] ** 2 + u[1] ** 2 - v[0] ** 2 - v[1] ** 2)
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
    The rule, illustrated on [`five_lines`][hyperarr.library.five_lines]
    (lines 1-5, that is hyperplanes 0-4; lines 3 and 4 are dotted).  A-J form
    the outer ring, clockwise from the top; K-O are the points of the star
    and P the pentagon inside:

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
    >>> far, origin = A.region_of([[0.0, 100.0], [0.0, 0.0]]).tolist()
    >>> labels[far], labels[origin]
    ('A', 'P')
    """
    _lines.check_plane(A, "seed_labels")
    return list(_labels_of(A))


@functools.lru_cache(maxsize=64)
def _labels_of(A: Arrangement) -> tuple[str, ...]:
    """The labels of an arrangement (a value: equal arrangements share them)."""
    R = A.regions()
    ring = _outer_ring(A, R)
    order = ring + _inner_order(A, R, ring)
    labels = [""] * len(R)
    for k, r in enumerate(order):
        labels[r] = _label(k)
    return tuple(labels)


def region_by_label(A: Arrangement, label: str) -> int:
    """Index in ``A.regions()`` of the region named ``label`` by [`seed_labels`][hyperarr.labels.seed_labels].

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
