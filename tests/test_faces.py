"""Faces, vertices and the face vector (hyperarr.faces)."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hyperarr as ha
from hyperarr import Arrangement, library
from hyperarr._exact import exact_signs
from hyperarr.exceptions import ArrangementError, OutputTooLargeError
from hyperarr import faces as faces_module
from hyperarr.faces import Faces

from arrangement_strategies import arrangement_from_rows, degenerate_arrangements

# Expected values produced by Sage (passagemath-polyhedra 10.8): closed_faces() sign
# vectors, face_vector() and vertices(), for families and seeded random degenerate
# arrangements (repeats, flipped repeats, parallels); benchmarks/faces.py --sage-data
# regenerates the file.
SAGE = json.loads((Path(__file__).parent / "data" / "sage_faces.json").read_text())["cases"]


def _sign_strings(S: np.ndarray) -> list[str]:
    return sorted("".join("+0-"[1 - int(v)] for v in row) for row in S.tolist())


def _check_exact(A: Arrangement, F: Faces) -> None:
    """Every witness reproduces its sign vector exactly; the floats flagged inside do too."""
    assert np.array_equal(exact_signs(A.exact_rows, F.exact_points), F.signs)
    inside = np.flatnonzero(F.points_inside)
    assert np.array_equal(A.signs(F.points[inside]), F.signs[inside])
    for r in inside.tolist():
        assert tuple(Fraction(v) for v in F.points[r].tolist()) == F.exact_points[r]


def _euler(fv: tuple[int, ...]) -> int:
    return sum((-1) ** k * f for k, f in enumerate(fv))


@pytest.mark.parametrize("name", sorted(SAGE))
def test_against_sage(name):
    case = SAGE[name]
    A = arrangement_from_rows(case["rows"], case["dim"])
    F = A.faces()
    assert _sign_strings(F.signs) == case["faces"]
    assert list(A.face_vector()) == case["face_vector"]
    assert np.bincount(F.dims, minlength=A.dim + 1).tolist() == case["face_vector"]
    assert [[str(v) for v in p] for p in A.vertices(exact=True)] == case["vertices"]
    _check_exact(A, F)


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_braid_face_vector_is_ordered_set_partitions(d):
    # The faces of the braid arrangement in R^d are the ordered set partitions of
    # [d]; those into k blocks have dimension k: k! S(d, k).
    def stirling2(n, k):
        return sum((-1) ** (k - j) * math.comb(k, j) * j**n for j in range(k + 1)) // math.factorial(k)

    expected = tuple([0] + [math.factorial(k) * stirling2(d, k) for k in range(1, d + 1)])
    A = library.braid(d)
    assert A.face_vector() == expected
    assert np.bincount(A.faces().dims, minlength=d + 1).tolist() == list(expected)


def test_resonance_4_has_1701_faces():
    A = library.resonance(4)
    F = A.faces()
    assert len(F) == 1701 == sum(A.face_vector())
    assert len(np.unique(F.signs, axis=0)) == len(F)
    _check_exact(A, F)


@pytest.mark.parametrize("n, d", [(6, 2), (7, 3), (9, 4)])
def test_generic_closed_form_matches_the_enumeration(n, d):
    A = library.generic(n, d, seed=n)
    F = A.faces()
    assert np.bincount(F.dims, minlength=d + 1).tolist() == list(A.face_vector())
    # Bounded faces of a generic arrangement: C(n, d-k) flats of dimension k, each
    # with C(n - d + k - 1, k) bounded regions.
    want = [math.comb(n, d - k) * math.comb(n - d + k - 1, k) for k in range(d + 1)]
    assert np.bincount(F.dims[F.bounded], minlength=d + 1).tolist() == want
    _check_exact(A, F)


@settings(max_examples=60, deadline=None)
@given(degenerate_arrangements(max_n=7, max_d=3))
def test_properties_on_degenerate_arrangements(A):
    F = A.faces()
    fv = A.face_vector()
    assert np.bincount(F.dims, minlength=A.dim + 1).tolist() == list(fv)
    assert _euler(fv) == (-1) ** A.dim  # Euler's relation, essential or not
    assert fv[A.dim] == A.n_regions()
    assert len(np.unique(F.signs, axis=0)) == len(F)
    if not A.is_essential():
        assert fv[0] == 0 and len(A.vertices()) == 0 and not F.bounded.any()
    assert len(A.vertices()) == fv[0]
    regions = A.regions()
    top = F[F.dims == A.dim]
    assert _sign_strings(top.signs) == _sign_strings(regions.signs)
    # A region is bounded as a face iff it is bounded as a region.
    order = regions.locate(top.signs)
    assert np.array_equal(top.bounded, regions.bounded[order])
    _check_exact(A, F)


@settings(max_examples=40, deadline=None)
@given(degenerate_arrangements(max_n=6, max_d=3))
def test_bounded_against_a_box(A):
    # Independent check of the ray test: in an essential arrangement a face is
    # unbounded iff it meets one of the hyperplanes x_j = ±M, M beyond every vertex
    # coordinate.  The faces of A meeting x_j = M are the faces of A plus that
    # hyperplane with a 0 in its column, the column dropped.
    F = A.faces()
    if not A.is_essential():
        assert not F.bounded.any()
        return
    M = 1 + max(abs(v) for p in A.vertices(exact=True) for v in p)
    meets: set[bytes] = set()
    for j in range(A.dim):
        for side in (1, -1):
            e = [0] * A.dim
            e[j] = 1
            B = Arrangement._from_rows(list(A.exact_rows) + [tuple(e) + (side * M,)], A.dim)
            G = B.faces()
            on = G.signs[G.signs[:, -1] == 0, :-1]
            meets.update(row.tobytes() for row in on)
    unbounded = np.array([row.tobytes() in meets for row in F.signs], dtype=bool)
    assert np.array_equal(F.bounded, ~unbounded)


def test_dim_filter_and_stream_give_the_same_table():
    A = library.shi(3)
    F = A.faces()
    for k in range(A.dim + 1):
        part = A.faces(dim=k)
        assert np.array_equal(part.signs, F.signs[F.dims == k])
    chunks = list(A.iter_faces(chunk_size=7))
    assert all(len(c) <= 7 for c in chunks)
    assert Faces.concatenate(chunks) == F
    assert Faces.concatenate(list(A.iter_faces(chunk_size=5, dim=2))) == A.faces(dim=2)


def test_vertices_sorted_and_float():
    A = library.five_lines()
    ex = A.vertices(exact=True)
    assert list(ex) == sorted(ex) and len(ex) == 10
    fl = A.vertices()
    assert fl.shape == (10, 2) and not fl.flags.writeable
    assert np.array_equal(fl, np.array([[float(v) for v in p] for p in ex]))
    assert A.vertices().shape == (10, 2)
    assert library.braid(3).vertices().shape == (0, 3)
    assert Arrangement.empty(2).vertices(exact=True) == ()


def test_empty_and_one_dimensional():
    F = Arrangement.empty(2).faces()
    assert len(F) == 1 and F.dims.tolist() == [2] and F.signs.shape == (1, 0)
    assert Arrangement.empty(2).face_vector() == (0, 0, 1)
    A = Arrangement([[1], [2], [1]], [0, 1, 0])
    F = A.faces()
    assert A.face_vector() == (2, 3)
    assert _sign_strings(F.signs) == sorted(["0-0", "+0+", "---", "+-+", "+++"])
    _check_exact(A, F)
    assert F.bounded.tolist() == [True, True, False, True, False]


def test_thin_witnesses_are_exact():
    # Lines x = 1 and x = 1 + 2**-60: no float64 lies strictly between them, so
    # the faces in the strip have exact witnesses only.
    A = Arrangement([[1, 0], [1, 0], [0, 1]], [1, 1 + Fraction(1, 2**60), 0])
    F = A.faces()
    assert A.face_vector() == (2, 7, 6)
    _check_exact(A, F)
    assert not F.points_inside.all()


def test_values_are_read_only_and_indexable():
    F = library.five_lines().faces()
    for arr in (F.signs, F.dims, F.points, F.bounded, F.points_inside):
        assert not arr.flags.writeable
    face = F[0]
    assert face.dim == 0 and face.bounded and face.signs.count(0) == 2
    assert F[-1].signs == tuple(int(v) for v in F.signs[-1])
    sub = F[F.dims == 1]
    assert len(sub) == 25 and sub.exact_points == tuple(p for p, k in zip(F.exact_points, F.dims) if k == 1)
    assert "by_dim=[10, 25, 16]" in repr(F)
    with pytest.raises(IndexError, match="face index"):
        F[100]


def test_save_writes_arrays_and_exact_witnesses(tmp_path):
    F = library.five_lines().faces()
    path = tmp_path / "f.npz"
    F.save(path)
    with np.load(path) as z:
        assert np.array_equal(z["signs"], F.signs)
        rows = z["exact_rows"]
        assert rows.tolist() == np.flatnonzero(~F.points_inside).tolist()
        got = [tuple(Fraction(v) for v in vals) for vals in z["exact_values"].tolist()]
        assert got == [F.exact_points[r] for r in rows.tolist()]


def test_bad_arguments():
    A = library.five_lines()
    with pytest.raises(ArrangementError, match=r"dim must be an integer in \[0, 2\]"):
        A.faces(dim=3)
    with pytest.raises(ArrangementError, match="chunk_size must be a positive integer; got 0"):
        A.iter_faces(chunk_size=0)
    with pytest.raises(ArrangementError, match="max_faces must be"):
        A.faces(max_faces=0)
    with pytest.raises(OutputTooLargeError, match="51 faces"):
        A.faces(max_faces=50)
    with pytest.raises(ArrangementError, match="must be an Arrangement"):
        ha.faces.faces([[1, 0]])
    with pytest.raises(ArrangementError, match="at least one"):
        Faces.concatenate([])


def test_essentialization_and_cone_follow_sage():
    # Sage: braid(3).essentialization() is <t1 - t2 | t1 + 2*t2 | 2*t1 + t2>, up to
    # order and orientation.
    E = library.braid(3).essentialization()
    rows = sorted(tuple(abs(v) for v in r) for r in E.exact_rows)
    assert E.dim == 2 and rows == [(1, 1, 0), (1, 2, 0), (2, 1, 0)]
    assert E.is_essential() and E.face_vector() == (1, 6, 6)
    A = library.shi(3)
    E = A.essentialization()
    assert E.dim == 2 and E.face_vector() == (6, 21, 16)  # Sage's docstring values
    # Sign vectors are kept: the faces of A and of its essentialization agree.
    assert _sign_strings(E.faces().signs) == _sign_strings(A.faces().signs)
    five = library.five_lines()
    assert five.essentialization() is five
    C = A.cone()
    assert C.dim == 4 and C.n == 7 and C.is_central()
    chi, chic = A.characteristic_polynomial(), C.characteristic_polynomial()
    # chi_cone(t) = (t - 1) chi(t)
    assert list(chic) == [-chi[0]] + [chi[k - 1] - chi[k] for k in range(1, len(chi))] + [chi[-1]]
    # Section t = -1 of the cone is A, with its orientations.
    pts = A.regions().points
    lifted = np.hstack([-np.ones((len(pts), 1)), pts])
    assert np.array_equal(C.signs(lifted)[:, :-1], A.regions().signs)


def _naive_rref(rows, ncols):
    mat = [[Fraction(v) for v in r] for r in rows]
    piv, r = [], 0
    for c in range(ncols):
        k = next((i for i in range(r, len(mat)) if mat[i][c] != 0), None)
        if k is None:
            continue
        mat[r], mat[k] = mat[k], mat[r]
        mat[r] = [v / mat[r][c] for v in mat[r]]
        for i in range(len(mat)):
            if i != r and mat[i][c] != 0:
                f = mat[i][c]
                mat[i] = [a - f * b for a, b in zip(mat[i], mat[r])]
        piv.append(c)
        r += 1
    return mat[:r], piv


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.lists(
    st.lists(st.sampled_from([0, 0, 1, -1, 2, -3, 7, Fraction(1, 3), Fraction(-5, 2)]),
             min_size=n + 1, max_size=n + 1), max_size=6).map(lambda rows: (rows, n))))
def test_fraction_free_rref_equals_the_rational_one(case):
    from hyperarr._rref import kernel, rref

    rows, n = case
    assert rref(rows, n) == _naive_rref(rows, n)
    basis, _ = kernel(rows, n)
    assert len(basis) == n - len(_naive_rref(rows, n)[1])
    for v in basis:
        assert all(sum((Fraction(a) * b for a, b in zip(r[:n], v)), Fraction(0)) == 0 for r in rows)


def test_face_geometries_in_the_plane():
    import shapely

    from hyperarr import plane

    A = library.five_lines()
    F = A.faces()
    geoms = plane.face_geometries(A)
    assert len(geoms) == len(F)
    kinds = {0: "Point", 1: "LineString", 2: "Polygon"}
    assert [g.geom_type for g in geoms] == [kinds[int(k)] for k in F.dims]
    for g, p, k, sig in zip(geoms, F.exact_points, F.dims.tolist(), F.signs):
        if k == 0:
            assert g.distance(shapely.Point(float(p[0]), float(p[1]))) < 1e-12
            continue
        inner = g.interpolate(0.5, normalized=True) if k == 1 else g.representative_point()
        got = A.signs([inner.x, inner.y])
        strict = sig != 0  # an edge's float midpoint is on its line only up to rounding
        assert np.array_equal(got[strict], sig[strict])
    polys = [g for g, k in zip(geoms, F.dims.tolist()) if k == 2]
    assert sorted(round(p.area, 9) for p in polys) == \
        sorted(round(p.area, 9) for p in plane.region_polygons(A))
    # Bounded edges are segments between two vertices; the others reach the box.
    verts = [g for g, k in zip(geoms, F.dims.tolist()) if k == 0]
    for g, b, k in zip(geoms, F.bounded.tolist(), F.dims.tolist()):
        if k == 1 and b:
            ends = [shapely.Point(c) for c in g.coords]
            assert all(min(e.distance(v) for v in verts) < 1e-9 for e in ends)
    with pytest.raises(ArrangementError, match="face_geometries"):
        plane.face_geometries(library.shi(3))


def test_essentialization_of_nothing_is_refused():
    with pytest.raises(ArrangementError, match="no hyperplane"):
        Arrangement.empty(2).essentialization()


@pytest.mark.parametrize("kind", [int, float, Fraction])
def test_input_types_give_the_same_faces(kind):
    rows = [[1, 0, 0], [0, 1, 0], [1, 1, 1], [2, 2, 2], [1, -1, 0]]
    A = Arrangement([[kind(v) for v in r[:2]] for r in rows], [kind(r[2]) for r in rows])
    F = A.faces()
    assert A.face_vector() == (4, 13, 10)
    ref = Arrangement([r[:2] for r in rows], [r[2] for r in rows]).faces()
    assert np.array_equal(F.signs, ref.signs) and F.exact_points == ref.exact_points
    _check_exact(A, F)


def test_an_abandoned_stream_leaves_the_arrangement_as_it_was():
    import inspect

    from hyperarr.faces import DEFAULT_MAX_FACES

    assert inspect.signature(Arrangement.faces).parameters["max_faces"].default == DEFAULT_MAX_FACES
    A = library.resonance(3)
    stream = A.iter_faces(chunk_size=10)
    first = next(stream)
    stream.close()  # the lattice tables the walk filled are released
    assert all(f.regions is None for f in A._lattice.flats.values() if f is not A._lattice.top)
    F = A.faces()
    assert F[:10] == first and len(F) == 99
    assert len(A.regions()) == 32


def test_benchmark_baseline_and_table():
    import sys

    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:  # benchmarks/ is not an installed package
        sys.path.insert(0, str(root))
    from benchmarks.faces import FaceRow, format_rows, lp_faces

    for A in (library.five_lines(), Arrangement([[1, 0], [0, 1], [1, 1], [1, 1]], [0, 0, 0, 1])):
        assert sorted(lp_faces(A.normals, A.offsets)) == sorted(map(tuple, A.faces().signs.tolist()))
    text = format_rows([FaceRow("w", "A.faces()", "3 faces", 0.5, "b", 50.0, "≥ 100×", True),
                        FaceRow("w", "A.faces() peak memory (child RSS)", "x", 1.5, "—", None, "≤ 2×", True),
                        FaceRow("w", "of which: A.regions() alone", "x", 2.5, "—", None, "≤ 2×", False),
                        FaceRow("w", "A.faces() peak memory (child RSS)", "x", math.nan, "—", None, "≤ 2×",
                                None)])
    body = text.splitlines()[2:]
    assert "| 100× |" in body[0] and "| 1.50× output |" in body[1] and "| 2.50× output |" in body[2]
    assert body[0].endswith("| met |") and body[1].endswith("| met |") and body[2].endswith("| not met |")
    assert "| n/a |" in body[3] and body[3].endswith("| — |")


@settings(max_examples=40, deadline=None)
@given(degenerate_arrangements(max_n=7, min_d=2, max_d=4))
def test_central_face_vector_matches_the_enumeration(A):
    # Central arrangements take a shortcut in face_vector (planes are pencils, f_1
    # from Euler's relation); the enumeration does not.
    C = Arrangement._from_rows([r[:-1] + (0,) for r in A.exact_rows], A.dim)
    assert np.bincount(C.faces().dims, minlength=C.dim + 1).tolist() == list(C.face_vector())


@settings(max_examples=30, deadline=None)
@given(degenerate_arrangements(max_n=6, max_d=3), st.integers(1, 12))
def test_stream_concatenates_to_the_table(A, chunk):
    chunks = list(A.iter_faces(chunk_size=chunk))
    assert all(0 < len(c) <= chunk for c in chunks)
    assert all(len(c) == chunk for c in chunks[:-1])
    F = A.faces()
    joined = Faces.concatenate(chunks)
    assert joined == F and np.array_equal(joined.points_inside, F.points_inside)


# Issue 25: faces stream the same way, and faces() writes each flat in place.
_FAMILIES = {
    "resonance(4)": lambda: library.resonance(4),
    "braid(4)": lambda: library.braid(4),
    "shi(3)": lambda: library.shi(3),
    "catalan(3)": lambda: library.catalan(3),
    "threshold(3)": lambda: library.threshold(3),
    "semiorder(3)": lambda: library.semiorder(3),
    "linial(3)": lambda: library.linial(3),
    "ish(3)": lambda: library.ish(3),
    "coxeter(B, 3)": lambda: library.coxeter("B", 3),
    "five_lines": library.five_lines,
    "generic(8, 3)": lambda: library.generic(8, 3, seed=8),
}


@pytest.mark.parametrize("name", sorted(_FAMILIES))
@pytest.mark.parametrize("chunk", [1, 97, 10**6])
def test_stream_equals_the_table_on_named_families(name, chunk):
    A = _FAMILIES[name]()
    chunks = list(A.iter_faces(chunk_size=chunk))
    F = _FAMILIES[name]().faces()  # a fresh arrangement: nothing cached by the stream
    assert [len(c) for c in chunks[:-1]] == [chunk] * (len(chunks) - 1) and 0 < len(chunks[-1]) <= chunk
    joined = Faces.concatenate(chunks)
    assert joined == F and np.array_equal(joined.points_inside, F.points_inside)
    assert np.array_equal(joined.bounded, F.bounded) and np.array_equal(joined.dims, F.dims)
    assert len(F) == sum(A.face_vector()) and len(np.unique(F.signs, axis=0)) == len(F)


@pytest.mark.parametrize("name", sorted(_FAMILIES))
def test_the_table_is_the_dimensions_one_after_another(name):
    # faces() writes a flat's faces when the flats above no longer need its
    # table, out of order, at the place the face vector gives it: the table is
    # still the faces of each dimension, in their own order, one after another.
    A = _FAMILIES[name]()
    F = A.faces()
    assert np.array_equal(F.dims, np.sort(F.dims))
    parts = [_FAMILIES[name]().faces(dim=k) for k in range(A.dim + 1)]
    assert Faces.concatenate(parts) == F
    for k in range(A.dim + 1):
        chunks = list(_FAMILIES[name]().iter_faces(chunk_size=13, dim=k))
        assert Faces.concatenate(chunks) == parts[k] if chunks else len(parts[k]) == 0 == A.face_vector()[k]


def _held_tables(A: Arrangement) -> Faces:
    """faces() of A with every table held until the flats above it are built (none read back)."""
    fv = A.face_vector()
    start = np.cumsum((0,) + fv).tolist()
    out = faces_module._Table(sum(fv), A.n, A.dim)
    for k, row, b in faces_module._blocks(A, tuple(range(A.dim + 1)), in_order=False):
        out.put(start[k] + row, b, 0, len(b))
    return out.faces()


#: Faces without a float witness in a flat of dimension 2 below the top one.
_THIN = [Arrangement([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]],
                     [1, 1 + Fraction(1, 2**60), 0, 0, 2]),
         Arrangement([[1, 0], [1, 0], [0, 1]], [1, 1 + Fraction(1, 2**60), 0])]


#: Hyperplanes given twice, one of them flipped, and others flipped: the signs
#: of the distinct hyperplanes are not the columns of the input as they are.
_FLIPPED = Arrangement([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, 0, -1], [1, 1, 1], [0, 2, 0], [1, -1, 0]],
                       [0, 0, 1, 0, 1, 2, 0])


@pytest.mark.parametrize("name", sorted(_FAMILIES) + ["thin 3", "thin 2", "flipped"])
def test_tables_read_back_give_the_table_of_tables_held(name):
    # faces() drops each flat's table once its rows are written, and the flats
    # above read it back from them: the same rows, in the same places, as when
    # every table is held.
    make = {"thin 3": lambda: _rebuilt(_THIN[0]), "thin 2": lambda: _rebuilt(_THIN[1]),
            "flipped": lambda: _rebuilt(_FLIPPED)}.get(name)
    make = make or _FAMILIES[name]
    F, G = make().faces(), _held_tables(make())
    assert G == F and np.array_equal(G.points_inside, F.points_inside)
    assert np.array_equal(G.bounded, F.bounded) and np.array_equal(G.dims, F.dims)


def _rebuilt(A: Arrangement) -> Arrangement:
    return Arrangement(A.normals, A.offsets) if not A.exact_rows else arrangement_from_rows(A.exact_rows, A.dim)


@pytest.mark.parametrize("name", ["resonance(4)", "braid(4)", "shi(3)", "generic(8, 3)"])
def test_faces_holds_no_table_of_a_flat_below_the_one_it_builds(name, monkeypatch):
    # All faces: every flat's rows are written as soon as it is built, and the
    # flats above read its table back from them, so at no write does the
    # lattice hold a table, and the rows already written are those of whole
    # flats, in the order of the table.
    A = _FAMILIES[name]()
    lat = A._lattice
    held, at = [], []
    put = faces_module._Table.put

    def watched(self, pos, b, lo, hi):
        held.append(sum(f.regions is not None for f in lat.flats.values()))
        at.append(pos)
        put(self, pos, b, lo, hi)

    monkeypatch.setattr(faces_module._Table, "put", watched)
    F = A.faces()
    assert len(at) > A.dim and held == [0] * len(held)
    assert at == sorted(at) and at[0] == 0 and len(F) == sum(A.face_vector())


@pytest.mark.parametrize("which", ["resonance(4)", "thin", "flipped"])
def test_a_table_read_back_from_its_rows_is_the_table(which):
    # Every flat's table, written as rows and read back (signs from the
    # representatives' columns, witnesses from the free coordinates, exact
    # witnesses where there were only those), equals the kernel's table.
    cases = {"resonance(4)": [library.resonance(4)], "thin": [_rebuilt(A) for A in _THIN],
             "flipped": [_rebuilt(_FLIPPED)]}[which]
    checked = thin = 0
    for A in cases:
        for k, row, b in faces_module._blocks(A, tuple(range(A.dim + 1)), in_order=True):
            out = faces_module._Table(len(b), A.n, A.dim)
            out.put(0, b, 0, len(b))
            S, W, X = faces_module._table_from_rows(A._prepared, out.signs, out.points, out.thin.__getitem__,
                                                    b.map.free, b.exact_rows)
            S0, W0, X0 = b.table
            assert np.array_equal(S, S0) and np.array_equal(W, W0, equal_nan=True) and X == X0
            assert set(np.flatnonzero(np.isnan(W0).any(axis=1)).tolist()) == set(X0)
            assert not S.flags.writeable and not W.flags.writeable
            checked += 1
            thin += len(X0)
    assert checked > 20 and (thin > 0) == (which == "thin")
    if which == "flipped":
        assert len(A._prepared.rows) < A.n and (A._prepared.orient < 0).any()


@settings(max_examples=40, deadline=None)
@given(degenerate_arrangements(max_n=7, min_d=2, max_d=4), st.integers(1, 40), st.data())
def test_stream_equals_the_table_on_degenerate_arrangements(A, chunk, data):
    B = arrangement_from_rows(A.exact_rows, A.dim)  # the same arrangement, nothing cached
    F = B.faces()
    assert _held_tables(arrangement_from_rows(A.exact_rows, A.dim)) == F
    joined = Faces.concatenate(list(A.iter_faces(chunk_size=chunk)))
    assert joined == F and np.array_equal(joined.points_inside, F.points_inside)
    assert np.array_equal(joined.bounded, F.bounded)
    k = data.draw(st.integers(0, A.dim), label="dim")
    chunks = list(A.iter_faces(chunk_size=chunk, dim=k))
    alone = arrangement_from_rows(A.exact_rows, A.dim).faces(dim=k)
    assert alone == F[F.dims == k]
    assert Faces.concatenate(chunks) == alone if chunks else len(alone) == 0
    _check_exact(A, joined)


def test_the_stream_holds_two_dimensions_of_tables_and_no_chunk():
    import weakref

    A = library.resonance(4)
    lat = A._lattice
    fv = A.face_vector()
    held_rows = []
    gone = []
    previous = None
    for chunk in A.iter_faces(chunk_size=50):
        if previous is not None:
            gone.append(previous() is None)  # the stream keeps no reference to a chunk it gave
        previous = weakref.ref(chunk.signs)
        tables = [f for f in lat.flats.values() if f.regions is not None]
        dims = {f.dim for f in tables}
        assert not dims or max(dims) - min(dims) <= 1, dims
        held_rows.append(sum(f.regions[0].shape[0] for f in tables))
        del chunk
    assert all(gone) and len(gone) == -(-sum(fv) // 50) - 1
    # No more than the faces of two consecutive dimensions, at any time.
    assert max(held_rows) <= max(fv[k] + fv[k + 1] for k in range(A.dim))
    assert all(f.regions is None for f in lat.flats.values())  # all released at the end


def test_faces_releases_the_tables_it_built_and_keeps_those_it_found():
    A = library.resonance(3)
    F = A.faces()
    assert all(f.regions is None for f in A._lattice.flats.values())
    B = library.resonance(3)
    R = B.regions()
    assert all(f.regions is None for f in B._lattice.flats.values())  # the regions' stream keeps none
    G = B.faces()
    assert _sign_strings(G.signs[G.dims == 3]) == _sign_strings(R.signs) == _sign_strings(F.signs[F.dims == 3])
    assert all(f.regions is None for f in B._lattice.flats.values())
    # In the plane the regions' table is the top flat's own, and faces() uses it and keeps it.
    C = Arrangement([[1, 0], [0, 1], [1, 1], [1, -1], [1, 0]], [0, 0, 0, 0, 1])
    RC = C.regions()
    top = C._lattice.top.regions
    assert top is not None
    H = C.faces()
    assert C._lattice.top.regions is top
    assert _sign_strings(H.signs[H.dims == 2]) == _sign_strings(RC.signs)
    assert all(f.regions is None for f in C._lattice.flats.values() if f is not C._lattice.top)


def test_benchmark_child_measures_the_call():
    import sys

    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from benchmarks.faces import peak_rss

    table = peak_rss("library.five_lines()", "faces", repeats=3)
    stream = peak_rss("library.five_lines()", "16", lattice=True)
    cold = peak_rss("library.five_lines()", "faces", kernels="cold")
    assert table["rows"] == stream["rows"] == cold["rows"] == 51
    assert table["output"] == stream["output"] == 51 * (5 + 8 + 16 + 1)  # signs, dims, points, bounded
    assert table["peak"] is None or table["peak"] >= 0
    # The first call of a process loads the compiled kernels: more than a call after tiny ones did.
    assert table["peak"] is None or cold["peak"] > table["peak"]
    with pytest.raises(ValueError, match="kernels must be 'warm' or 'cold'; got 'hot'"):
        peak_rss("library.five_lines()", "faces", kernels="hot")


# ----------------------------------------------------------------------
# Issue 23: refusals before the lattice is built, and the vertices' memory
# ----------------------------------------------------------------------


def _flats_by_dim(A):
    """The number of flats of each dimension, from the intersection lattice itself."""
    from hyperarr.faces import _all_levels

    if A.n == 0:
        return [0] * A.dim + [1]
    return [len(level) for level in _all_levels(A._lattice)]


_FLAT_CASES = [library.threshold(3), library.threshold(4), library.resonance(4), library.resonance(5),
               library.braid(5), library.shi(3), library.shi(4), library.five_lines()]
_FLAT_IDS = ["threshold3", "threshold4", "resonance4", "resonance5", "braid5", "shi3", "shi4", "five_lines"]


@pytest.mark.parametrize("A", _FLAT_CASES, ids=_FLAT_IDS)
@pytest.mark.parametrize("pairs", [1, 2, 7, 50, 10**9])
def test_the_flats_bound_is_a_lower_bound(A, pairs):
    # Every depth pruned to `pairs` pairs (10**9: nothing pruned, the exact count).
    from hyperarr.characteristic import _flats_lower_bound

    by_dim = _flats_by_dim(A)
    for min_dim in range(A.dim + 1):
        exact = sum(by_dim[min_dim:])
        # The target just below the count: the bound goes on until it passes it.
        bound = _flats_lower_bound(A, min_dim, exact - 1, 0.0, pairs=pairs)
        assert 0 < bound <= exact
        assert pairs < 10**9 or bound == exact
        assert 0 < _flats_lower_bound(A, min_dim, exact - 1, 0.0) <= exact  # cut short by the time
        # A target over the count: the bound stops as soon as it sees it cannot pass it.
        assert 0 < _flats_lower_bound(A, min_dim, exact, 0.0, pairs=pairs) <= exact


@settings(max_examples=120, deadline=None, derandomize=True)
@given(degenerate_arrangements(max_n=8, max_d=4), st.sampled_from([1, 3, 20, 10**9]))
def test_the_flats_bound_is_a_lower_bound_on_degenerate_arrangements(A, pairs):
    from hyperarr.characteristic import _flats_lower_bound

    by_dim = _flats_by_dim(A)
    for min_dim in range(A.dim + 1):
        exact = sum(by_dim[min_dim:])
        bound = _flats_lower_bound(A, min_dim, exact - 1, 0.0, pairs=pairs)
        assert 0 <= bound <= exact
        assert pairs < 10**9 or bound == exact
        assert 0 <= _flats_lower_bound(A, min_dim, exact, 0.0, pairs=pairs) <= exact


def test_face_vector_of_threshold_7_is_refused_before_the_lattice(monkeypatch):
    # Issue 23, item 3: threshold(7).face_vector() built Lattice.max_flats flats
    # (117 s, 2.5 GB) before it refused.  A lower bound on its flats of dimension
    # >= 2 refuses first, naming it, and the lattice is never built.  (With a
    # smaller limit, the bound passes it on any machine within its time.)
    from hyperarr._lattice import Lattice

    monkeypatch.setattr(Lattice, "max_flats", 100_000)
    A = library.threshold(7)
    with pytest.raises(OutputTooLargeError, match=r"^A\.face_vector\(\) needs the intersection lattice, and it "
                                                  r"has at least (\d+) flats of dimension ≥ 2 \(a lower bound.*"
                                                  r"more than max_flats=100000") as err:
        A.face_vector()
    assert int(err.value.args[0].split("at least ")[1].split()[0]) > 100_000
    assert "_lattice" not in vars(A)
    with pytest.raises(OutputTooLargeError, match="face_vector"):
        A.faces()


def test_vertices_of_a_large_generic_arrangement_are_refused_before_the_lattice():
    A = library.generic(60, 4, seed=1)  # Σ_k C(60, k) = 523,686 flats
    with pytest.raises(OutputTooLargeError, match=r"^A\.vertices\(\) needs the intersection lattice, and it has "
                                                  r"523686 flats of dimension ≥ 0 \(Σ_k C\(60, k\) for k ≤ 4"):
        A.vertices()
    assert "_lattice" not in vars(A)


def test_a_lattice_that_fits_is_not_refused(monkeypatch):
    # The check refuses only over the limit: the same calls with the limit at the
    # exact number of flats the walk builds answer as before.
    from hyperarr._lattice import Lattice

    A = library.threshold(4)  # Σ_k C(16, k), k <= 3: 697 flats of dimension >= 2 at most
    fv = A.face_vector()
    by_dim = _flats_by_dim(library.threshold(4))
    monkeypatch.setattr(Lattice, "max_flats", sum(by_dim[2:]))
    assert library.threshold(4).face_vector() == fv
    monkeypatch.setattr(Lattice, "max_flats", sum(by_dim))
    assert len(library.threshold(4).vertices()) == by_dim[0]


def test_vertices_are_refused_over_the_memory(monkeypatch):
    from hyperarr import _memory

    A = library.generic(12, 3, seed=0)  # C(12, 3) = 220 vertices
    monkeypatch.setattr(_memory, "available", lambda: 1000)
    for exact in (True, False):
        with pytest.raises(OutputTooLargeError, match=r"^the 220 vertices would take about .* \(220 rows of about "
                                                      r"\d+ bytes\), more than the 800 bytes of memory available"):
            A.vertices(exact=exact)
    monkeypatch.undo()
    assert len(A.vertices(exact=True)) == 220 and A.vertices().shape == (220, 3)


def test_a_memory_error_while_listing_vertices_names_the_figures(monkeypatch):
    import hyperarr.faces as faces_module

    A = library.generic(12, 3, seed=0)
    real = faces_module._flat_map
    calls = []

    def flat_map(*args):
        calls.append(1)
        if len(calls) > faces_module._VERTEX_SAMPLE:  # the sample is measured; the listing runs out
            raise MemoryError
        return real(*args)

    monkeypatch.setattr(faces_module, "_flat_map", flat_map)
    with pytest.raises(OutputTooLargeError, match=r"^listing the 220 vertices ran out of memory \(about .* "
                                                  r"expected, .* available now\); count them"):
        A.vertices()


@pytest.mark.parametrize("make", [lambda: library.generic(8, 3, seed=8), lambda: library.generic(7, 4, seed=1),
                                  library.five_lines])
def test_bounded_flags_do_not_depend_on_the_rows_checked_at_a_time(make, monkeypatch):
    # The rays' kernel is called on a few rows at a time (its temporaries are
    # rows × rays × words); one row at a time gives the same flags.
    F = make().faces()
    monkeypatch.setattr(faces_module, "_RAY_BLOCK", 1)
    G = make().faces()
    assert np.array_equal(G.bounded, F.bounded) and G == F
    assert F.bounded.any() and not F.bounded.all()
