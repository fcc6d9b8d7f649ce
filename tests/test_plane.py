"""Tests for hyperarr.plane: region polygons and the course sheet's labels."""

from __future__ import annotations

import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyperarr import Arrangement, ArrangementError
from hyperarr.library import five_lines, generic
from hyperarr.labels import _label
from hyperarr.plane import face_geometries, region_by_label, region_polygons, seed_labels

# ----------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------


def _ring_by_walk(A: Arrangement, R: float = 1e6) -> list[int]:
    """Regions met by a huge circle about the origin, clockwise from straight up.

    The crossings of the circle with the lines are computed (floats), and one
    point is taken in each arc between consecutive crossings: an independent
    check of the outer ring, valid when the circle encloses every vertex.
    """
    angles = []
    for (a, b), c in zip(A.normals, A.offsets):
        # a R sin(phi) + b R cos(phi) = c  <=>  cos(phi - alpha) = c / (R |w|)
        alpha = math.atan2(a, b)
        delta = math.acos(c / (R * math.hypot(a, b)))
        angles += [(alpha + delta) % (2 * math.pi), (alpha - delta) % (2 * math.pi)]
    cuts = []
    for t in sorted(angles):  # copies of a line cross at (nearly) the same angle
        if not cuts or t - cuts[-1] > 1e-12:
            cuts.append(t)
    # the arc across angle 0 first (it holds straight up unless a cut is there)
    samples = [(cuts[-1] + cuts[0] + 2 * math.pi) / 2] + [(p + q) / 2 for p, q in zip(cuts, cuts[1:])]
    pts = np.array([[R * math.sin(t), R * math.cos(t)] for t in samples])
    seq = A.region_of(pts).tolist()
    assert -1 not in seq
    return list(dict.fromkeys(seq))


def _canonical_cycle(seq: list[int]) -> list[int]:
    k = seq.index(min(seq))
    return seq[k:] + seq[:k]


def _check_tiling(A: Arrangement, polys: list, box: tuple[float, float, float, float]) -> None:
    R = A.regions()
    assert len(polys) == len(R)
    assert all(isinstance(p, shapely.Polygon) for p in polys)
    box_area = (box[2] - box[0]) * (box[3] - box[1])
    full = [p for p in polys if not p.is_empty]
    assert sum(p.area for p in full) == pytest.approx(box_area, rel=1e-9)
    assert shapely.union_all(full).area == pytest.approx(box_area, rel=1e-9)
    tree = shapely.STRtree(full)
    for i, j in tree.query(full, predicate="intersects").T.tolist():
        if i < j:
            assert full[i].intersection(full[j]).area <= 1e-9 * box_area
    idx = [r for r, p in enumerate(polys) if not p.is_empty]
    pts = np.array([[q.x, q.y] for q in (polys[r].representative_point() for r in idx)])
    assert np.array_equal(A.signs(pts), R.signs[idx])


def _layers(A: Arrangement) -> dict[int, int]:
    R = A.regions()
    G = A.adjacency_graph()
    G.add_node("inf")
    G.add_edges_from(("inf", r) for r in np.flatnonzero(~R.bounded).tolist())
    return {r: k - 1 for r, k in nx.single_source_shortest_path_length(G, "inf").items() if r != "inf"}


lines = st.lists(
    st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3)).filter(
        lambda t: t[0] or t[1]
    ),
    min_size=1,
    max_size=6,
)


def _arr(rows) -> Arrangement:
    return Arrangement([r[:2] for r in rows], [r[2] for r in rows])


# Degenerate arrangements: parallel, concurrent, repeated, mixed input types.
DEGENERATE = {
    "parallel": _arr([(0, 1, 0), (0, 1, 1), (0, 1, 3), (1, 1, 0)]),
    "all-parallel": _arr([(1, 2, 0), (1, 2, 1), (-2, -4, 6)]),
    "concurrent": _arr([(1, 0, 0), (0, 1, 0), (1, 1, 0), (1, -2, 3)]),
    "repeated": _arr([(1, 2, 1), (2, -1, 0), (-2, -4, -2), (1, 2, 1), (1, 1, 5)]),
    "vertical": _arr([(1, 0, 0), (1, 0, 1), (0, 1, 0)]),
    "one-line": _arr([(1, 1, 0)]),
    "fractions": Arrangement(
        [[Fraction(1, 3), 1], [0.1, -1], [1, 0.25]], [Fraction(2, 7), 0.5, -1]
    ),
    "five-lines": five_lines(),
    "generic-8": generic(8, 2, seed=3),
}


# ----------------------------------------------------------------------
# The five lines of the course sheet
# ----------------------------------------------------------------------


def test_five_lines_counts_and_labels():
    A = five_lines()
    R = A.regions()
    polys = region_polygons(A)
    labels = seed_labels(A)
    assert len(polys) == 16
    assert int((~R.bounded).sum()) == 10 and int(R.bounded.sum()) == 6
    assert sorted(labels) == list("ABCDEFGHIJKLMNOP")
    assert sorted(lab for lab, b in zip(labels, R.bounded.tolist()) if not b) == list("ABCDEFGHIJ")
    assert sorted(lab for lab, b in zip(labels, R.bounded.tolist()) if b) == list("KLMNOP")
    # the inner pentagon (all signs -1) is the only region of layer 2: last
    assert labels[R.index_of([-1] * 5)] == "P"
    # the top point of the star is K, the first of the inner layer
    # the star's points clockwise from the top: K, L, M, N, O
    points = [[0.0, 2.0], [1.5, 0.3], [1.2, -1.7], [-1.2, -1.7], [-1.5, 0.3]]
    assert [labels[r] for r in A.region_of(points).tolist()] == list("KLMNO")


def test_five_lines_far_sweep_visits_ring_in_order():
    A = five_lines()
    labels = seed_labels(A)
    R = 1e6
    # avoid the 10 directions of the lines: start just off up, step by an irrational angle
    theta = 1e-3 + np.arange(20000) * (2 * math.pi / 20000) * (1 - 1e-7)
    pts = np.column_stack([R * np.sin(theta), R * np.cos(theta)])
    seq = [labels[r] for r in dict.fromkeys(A.region_of(pts).tolist())]
    assert seq == list("ABCDEFGHIJ")


def test_five_lines_region_by_label():
    A = five_lines()
    assert region_by_label(A, "A") == int(A.region_of([0.0, 100.0]))
    assert region_by_label(A, "  D ") == seed_labels(A).index("D")
    assert [region_by_label(A, lab) for lab in seed_labels(A)] == list(range(16))


# ----------------------------------------------------------------------
# region_polygons: tiling and signs
# ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_polygons_tile_default_box(name):
    from hyperarr.plane import _default_bbox

    A = DEGENERATE[name]
    polys = region_polygons(A)
    assert all(not p.is_empty for p in polys), "the default box meets every region"
    _check_tiling(A, polys, _default_bbox(A))


@pytest.mark.parametrize("seed", range(5))
def test_polygons_tile_random_generic(seed):
    from hyperarr.plane import _default_bbox

    A = generic(7, 2, seed=seed)
    _check_tiling(A, region_polygons(A), _default_bbox(A))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_polygons_tile_random_degenerate(rows):
    from hyperarr.plane import _default_bbox

    A = _arr(rows)
    polys = region_polygons(A)
    assert all(not p.is_empty for p in polys)
    _check_tiling(A, polys, _default_bbox(A))


def test_user_bbox_and_regions_missing_it():
    A = five_lines()
    box = (10.0, 10.0, 11.0, 12.0)
    polys = region_polygons(A, bbox=box)
    full = [r for r, p in enumerate(polys) if not p.is_empty]
    assert full == [int(A.region_of([10.5, 11.0]))]
    assert polys[full[0]].area == pytest.approx(2.0)
    _check_tiling(A, polys, box)
    # a box cut by some lines
    box = (-1.0, -1.0, 1.5, 4.0)
    _check_tiling(A, region_polygons(A, box), box)


def test_region_touching_the_box_at_a_corner_is_empty():
    # Region 2 of five_lines() meets this box only at the point (-3, 1): GEOS
    # clips it to a float sliver that snapping collapses (it used to raise).
    A = five_lines()
    box = (-3.0, -3.0, 4.0, 4.0)
    polys = region_polygons(A, bbox=box)
    assert polys[2].is_empty
    _check_tiling(A, polys, box)
    geoms = face_geometries(A, bbox=box)
    assert sum(g.area for g in geoms if g.geom_type == "Polygon") == pytest.approx(49.0)


def test_default_box_holds_vertices():
    A = five_lines()
    poly_box = shapely.union_all(region_polygons(A)).bounds
    assert poly_box[0] < -3.0 and poly_box[2] > 3.0  # star points at distance ~3.2
    assert poly_box[3] > 10 / 3 + 1  # the top point (0, 10/3), with a margin >= 1


# ----------------------------------------------------------------------
# seed_labels: outer ring, layers, degenerate inputs
# ----------------------------------------------------------------------


def test_label_names():
    assert [_label(k) for k in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"
    ]
    A = generic(7, 2, seed=1)  # 29 regions
    assert sorted(seed_labels(A), key=lambda s: (len(s), s)) == [_label(k) for k in range(29)]


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_ring_matches_far_circle(name):
    A = DEGENERATE[name]
    labels = seed_labels(A)
    R = A.regions()
    walk = _ring_by_walk(A)
    ring = sorted(range(len(R)), key=lambda r: (len(labels[r]), labels[r]))[: len(walk)]
    assert set(walk) == set(np.flatnonzero(~R.bounded).tolist())
    assert _canonical_cycle(walk) == _canonical_cycle(ring)
    if not any(b == 0 for _, b in A.normals.tolist()):  # no vertical line: same start
        assert walk == ring


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_ring_matches_far_circle_random(rows):
    A = _arr(rows)
    labels = seed_labels(A)
    R = A.regions()
    walk = _ring_by_walk(A)
    order = sorted(range(len(R)), key=lambda r: (len(labels[r]), labels[r]))
    ring, inner = order[: len(walk)], order[len(walk) :]
    assert set(walk) == set(np.flatnonzero(~R.bounded).tolist())
    if not any(b == 0 for _, b, _ in rows):
        assert walk == ring
    elif A.rank() == 2:  # up is a cut: the start may differ, the cycle may not
        assert _canonical_cycle(walk) == _canonical_cycle(ring)
    # inner regions come layer by layer
    layer = _layers(A)
    assert [layer[r] for r in inner] == sorted(layer[r] for r in inner)
    assert all(layer[r] >= 1 for r in inner)


def test_vertical_lines_start_just_clockwise_of_up():
    # x = 0, x = 1, y = 0: up lies on a boundary direction
    A = _arr([(1, 0, 0), (1, 0, 1), (0, 1, 0)])
    labels = seed_labels(A)
    where = {lab: r for r, lab in enumerate(labels)}
    pts = {"A": (0.5, 5), "B": (5, 5), "C": (5, -5), "D": (0.5, -5), "E": (-5, -5), "F": (-5, 5)}
    for lab, p in pts.items():
        assert where[lab] == int(A.region_of(list(p))), lab


def test_parallel_strips_in_clockwise_order():
    # y = 0, 1, 3 and the diagonal x + y = 0: strips sit at the directions ±(1, 0)
    A = DEGENERATE["parallel"]
    labels = seed_labels(A)
    R = A.regions()
    assert len(R) == 8 and not R.bounded.any()
    # clockwise at direction +x (right) goes downward: y in (1, 3) before (0, 1)
    far = {lab: labels[int(A.region_of([x, y]))] for lab, (x, y) in {
        "up": (0.0, 1e6), "right-top": (1e6, 2.0), "right-mid": (1e6, 0.5),
        "left-mid": (-1e6, 0.5), "left-top": (-1e6, 2.0),
    }.items()}
    assert far["up"] == "A"
    assert far["right-top"] < far["right-mid"]  # single letters: alphabetical = ring order
    assert far["left-mid"] < far["left-top"]  # at -x clockwise goes upward


def test_all_parallel_strip_appears_once():
    A = DEGENERATE["all-parallel"]  # x + 2y = 0, 1, -3 (the third reversed)
    labels = seed_labels(A)
    assert sorted(labels) == list("ABCD")
    # up: x + 2y large, the outermost half-plane on that side
    assert labels[int(A.region_of([0.0, 100.0]))] == "A"
    # then clockwise the strips 0 < x + 2y < 1 and -3 < x + 2y < 0, then the other half-plane
    assert [labels[int(A.region_of(p))] for p in ([0.0, 0.25], [0.0, -1.0], [0.0, -100.0])] == [
        "B", "C", "D"
    ]


def test_labels_do_not_depend_on_line_order_or_scaling():
    A = five_lines()
    rows = [tuple(r) for r in A.exact_rows]
    perm = [3, 0, 4, 2, 1]
    B = Arrangement([rows[i][:2] for i in perm], [rows[i][2] for i in perm])
    C = Arrangement([[3 * v for v in r[:2]] for r in rows], [3 * r[2] for r in rows])
    pts = A.regions().points
    for X in (B, C):
        lab_a = [seed_labels(A)[r] for r in A.region_of(pts).tolist()]
        lab_x = [seed_labels(X)[r] for r in X.region_of(pts).tolist()]
        assert lab_a == lab_x


def test_inner_layer_is_clockwise_from_top():
    A = generic(8, 2, seed=7)
    labels = seed_labels(A)
    polys = region_polygons(A)
    layer = _layers(A)
    from hyperarr._lines import vertices as _vertices

    verts = np.array([[float(x), float(y)] for x, y in _vertices(A)])
    cx, cy = verts.mean(axis=0)
    for k in sorted(set(layer.values()) - {0}):
        rs = sorted((r for r in layer if layer[r] == k), key=lambda r: (len(labels[r]), labels[r]))
        angles = [math.atan2(polys[r].centroid.x - cx, polys[r].centroid.y - cy) % (2 * math.pi)
                  for r in rs]
        assert angles == sorted(angles)


def test_empty_arrangement():
    A = Arrangement.empty(2)
    assert seed_labels(A) == ["A"]
    (poly,) = region_polygons(A)
    assert poly.area == pytest.approx(4.0)


# ----------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------


@pytest.mark.parametrize("func", [region_polygons, seed_labels])
@pytest.mark.parametrize("d", [1, 3])
def test_wrong_dimension(func, d):
    A = Arrangement(np.eye(d, dtype=int), [0] * d)
    with pytest.raises(ArrangementError, match=rf"d = 2\); got hyperplanes in R\^{d} \(d = {d}\)"):
        func(A)


def test_region_by_label_errors():
    A = five_lines()
    with pytest.raises(ArrangementError, match=r"no region is labelled 'Q'; valid labels are A, B, C.*P$"):
        region_by_label(A, "Q")
    with pytest.raises(ArrangementError, match="no region is labelled 'a'"):
        region_by_label(A, "a")
    with pytest.raises(ArrangementError, match="label must be a string"):
        region_by_label(A, 3)
    with pytest.raises(ArrangementError, match=r"d = 3"):
        region_by_label(Arrangement(np.eye(3, dtype=int), [0, 0, 0]), "A")
    big = generic(9, 2, seed=0)  # 46 regions: the list is cut
    with pytest.raises(ArrangementError, match=r"\.\.\. \(46 in all\)"):
        region_by_label(big, "ZZ")


@pytest.mark.parametrize(
    "bbox, match",
    [
        ((0, 0, 1), "bbox must be"),
        ((0, 0, 1, float("nan")), "bbox must be"),
        ((0, 0, 0, 1), "minx < maxx"),
        (("a", 0, 1, 1), "bbox must be"),
    ],
)
def test_bad_bbox(bbox, match):
    with pytest.raises(ArrangementError, match=match):
        region_polygons(five_lines(), bbox=bbox)


def test_not_an_arrangement():
    with pytest.raises(ArrangementError, match="expects an Arrangement; got list"):
        seed_labels([[1, 0, 0]])
