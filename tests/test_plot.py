"""Tests for the Exercise 3 figures of hyperarr.plot and the ``hyperarr plot`` subcommand."""

from __future__ import annotations

import math
import os
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from hyperarr import Arrangement, ArrangementError  # noqa: E402
from hyperarr import cli  # noqa: E402
from hyperarr.cli import _plot as _cli_plot  # noqa: E402
from hyperarr.counting import max_regions  # noqa: E402
from hyperarr.library import five_lines  # noqa: E402
from hyperarr.plane import region_by_label, seed_labels  # noqa: E402
from hyperarr.plot import plot_arrangement, plot_network, plot_region_counts  # noqa: E402


def _ax():
    return Figure(figsize=(5, 5)).add_subplot()


def _check_png(path) -> None:
    img = mpimg.imread(os.fspath(path))
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100 and img.shape[2] in (3, 4)
    assert not np.all(img == img[0, 0]), "the image is blank"


def _stand_in_network(A: Arrangement, positive: list[str]) -> SimpleNamespace:
    """The sheet's construction: lines, one AND unit per region, an OR output (weights ±1)."""
    S = A.regions().signs
    rows = [S[region_by_label(A, lab)] for lab in positive]
    W2 = np.array(rows, dtype=float)
    t2 = (W2 > 0).sum(axis=1) - 0.5
    return SimpleNamespace(
        layers=[
            (A.normals, A.offsets),
            (W2, t2),
            (np.ones((1, len(rows))), np.array([0.5])),
        ]
    )


# ----------------------------------------------------------------------
# plot_arrangement
# ----------------------------------------------------------------------


def test_plot_arrangement_five_lines(tmp_path):
    A = five_lines()
    fig = Figure(figsize=(5, 5))
    ax = plot_arrangement(A, highlight=["A", "D", "G"], ax=fig.add_subplot())
    texts = [t.get_text() for t in ax.texts]
    assert sorted(t for t in texts if t.isalpha()) == list("ABCDEFGHIJKLMNOP")
    assert sorted(t for t in texts if t.isdigit()) == ["1", "2", "3", "4", "5"]
    assert len(ax.patches) == 3  # the grey regions
    assert len(ax.get_lines()) == 5
    assert ax.get_aspect() == 1.0
    # each region label is written inside its region
    where = {t.get_text(): t.get_position() for t in ax.texts if t.get_text().isalpha()}
    labels = seed_labels(A)
    for lab, (x, y) in where.items():
        assert labels[int(A.region_of([x, y]))] == lab
    # the grey patches are regions A, D, G
    for patch, lab in zip(ax.patches, "ADG"):
        cx, cy = patch.get_xy()[:-1].mean(axis=0)
        assert labels[int(A.region_of([cx, cy]))] == lab
    fig.savefig(tmp_path / "five.png")
    _check_png(tmp_path / "five.png")


def test_plot_arrangement_options():
    A = five_lines()
    ax = plot_arrangement(A, highlight="B, L", labels=False, ax=_ax(), bbox=(-2, -2, 2, 2))
    assert not any(t.get_text().isalpha() for t in ax.texts)
    assert len(ax.patches) == 2
    assert ax.get_xlim() == (-2.0, 2.0)
    ax = plot_arrangement(A, highlight=[0, 15], ax=_ax())
    assert len(ax.patches) == 2


def test_plot_arrangement_repeated_line_numbers_shared():
    A = Arrangement([[1, 0], [0, 1], [2, 0]], [0, 0, 0])
    ax = plot_arrangement(A, ax=_ax())
    assert sorted(t.get_text() for t in ax.texts if not t.get_text().isalpha()) == ["1,3", "2"]


def test_plot_arrangement_errors():
    with pytest.raises(ArrangementError, match=r"got hyperplanes in R\^3 \(d = 3\)"):
        plot_arrangement(Arrangement(np.eye(3, dtype=int), [0, 0, 0]), ax=_ax())
    with pytest.raises(ArrangementError, match="no region is labelled 'Z'"):
        plot_arrangement(five_lines(), highlight="A,Z", ax=_ax())
    with pytest.raises(ArrangementError, match=r"highlight index must be in \[0, 16\); got 16"):
        plot_arrangement(five_lines(), highlight=[16], ax=_ax())
    with pytest.raises(ArrangementError, match="highlight entries must be"):
        plot_arrangement(five_lines(), highlight=[1.5], ax=_ax())


# ----------------------------------------------------------------------
# plot_network
# ----------------------------------------------------------------------


def test_plot_network_stand_in(tmp_path):
    A = five_lines()
    net = _stand_in_network(A, ["A", "D", "G"])
    fig = Figure(figsize=(7, 5))
    ax = plot_network(net, ax=fig.add_subplot())
    assert len(ax.patches) == 2 + 5 + 3 + 1  # one circle per unit
    # line 1 has normal (0, 10): its zero weight from x_1 is not drawn
    drawn = sum(int(np.count_nonzero(W)) for W, _ in net.layers)
    assert drawn == 9 + 15 + 3
    assert len(ax.get_lines()) == drawn
    texts = [t.get_text() for t in ax.texts]
    assert "$x_{1}$" in texts and "$x_{2}$" in texts
    assert "\u22128" in texts  # a weight -8 of line 3, with a real minus sign
    assert texts.count("+") + texts.count("\u2212") == 15 + 3  # the ±1 weights, compact
    fig.savefig(tmp_path / "net.png")
    _check_png(tmp_path / "net.png")


def test_plot_network_empty_layer():
    # a constant network: no unit in the second layer, output threshold -1/2
    A = five_lines()
    net = SimpleNamespace(
        layers=[(A.normals, A.offsets), (np.zeros((0, 5)), np.zeros(0)), (np.zeros((1, 0)), [-0.5])]
    )
    ax = plot_network(net, ax=_ax())
    assert len(ax.patches) == 2 + 5 + 0 + 1
    assert len(ax.get_lines()) == 9


def test_plot_network_real_synthesis(tmp_path):
    from hyperarr import synthesis

    A = five_lines()
    net = synthesis.synthesize(A, [region_by_label(A, lab) for lab in "ADG"], method="per-region")
    fig = Figure(figsize=(7, 5))
    plot_network(net, ax=fig.add_subplot())
    fig.savefig(tmp_path / "net.png")
    _check_png(tmp_path / "net.png")


def test_plot_network_errors():
    with pytest.raises(TypeError, match="an object with .layers"):
        plot_network([1, 2], ax=_ax())
    bad = SimpleNamespace(layers=[(np.ones((3, 2)), np.zeros(3)), (np.ones((1, 2)), np.zeros(1))])
    with pytest.raises(ArrangementError, match=r"layers\[1\] needs weights of shape \(units, 3\)"):
        plot_network(bad, ax=_ax())
    with pytest.raises(ArrangementError, match="net.layers is empty"):
        plot_network(SimpleNamespace(layers=[]), ax=_ax())
    with pytest.raises(ArrangementError, match=r"layers\[0\] must be a pair"):
        plot_network(SimpleNamespace(layers=[(1, 2, 3)]), ax=_ax())


# ----------------------------------------------------------------------
# plot_region_counts
# ----------------------------------------------------------------------


def test_plot_region_counts_values(tmp_path):
    fig = Figure(figsize=(6, 4))
    ax = plot_region_counts(range(0, 61), [1, 2, 10], ax=fig.add_subplot())
    lines = ax.get_lines()
    assert len(lines) == 9
    exact_d10 = lines[6]
    assert exact_d10.get_ydata()[20] == pytest.approx(math.log10(max_regions(20, 10)))
    approx_d10 = lines[7]  # n = 0 has n^d = 0, left out
    assert approx_d10.get_xdata()[0] == 1
    assert approx_d10.get_ydata()[19] == pytest.approx(10 * math.log10(20))
    fact_d10 = lines[8]
    assert fact_d10.get_ydata()[19] == pytest.approx(10 * math.log10(20) - math.log10(math.factorial(10)))
    fig.savefig(tmp_path / "counts.png")
    _check_png(tmp_path / "counts.png")


def test_plot_region_counts_huge_without_overflow():
    ax = plot_region_counts([1000, 2000], [256, 1000], ax=_ax())
    y = np.concatenate([line.get_ydata() for line in ax.get_lines()])
    assert np.isfinite(y).all()
    assert max(y) == pytest.approx(1000 * math.log10(2000))


def test_plot_region_counts_errors():
    with pytest.raises(ArrangementError, match="non-negative integer"):
        plot_region_counts([1, -2], [2], ax=_ax())


# ----------------------------------------------------------------------
# hyperarr plot (the subcommand module)
# ----------------------------------------------------------------------


def _run(capsys, *argv):
    code = cli.main(["plot", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _assert_error(code, out, err, text):
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("hyperarr plot: error: "), err
    assert text in err


def test_cli_arrangement(tmp_path, capsys):
    path = tmp_path / "fig.png"
    code, out, err = _run(capsys, "--example", "five-lines", "--highlight", "A,D,G", "-o", str(path))
    assert (code, out, err) == (0, f"figure written to {path}\n", "")  # as synthesize says it
    _check_png(path)
    assert os.listdir(tmp_path) == ["fig.png"]  # written atomically, no temporary left


def test_cli_csv(tmp_path, capsys):
    csv = tmp_path / "lines.csv"
    csv.write_text("w1,w2,theta\n# a comment\n1,0,0\n0,1,0.5\n1,1,1/3\n")
    path = tmp_path / "fig.svg"
    code, _, err = _run(capsys, str(csv), "--highlight", "B", "-o", str(path))
    assert code == 0, err
    assert path.read_text().lstrip().startswith("<?xml")


def test_cli_counts(tmp_path, capsys):
    path = tmp_path / "counts.png"
    code, _, err = _run(capsys, "counts", "--d", "1:10", "--n", "1:60", "-o", str(path))
    assert code == 0, err
    _check_png(path)


def test_cli_network(tmp_path, capsys):
    path = tmp_path / "net.png"
    code, _, err = _run(capsys, "--example", "five-lines", "--network", "--positive", "A,D,G",
                        "--method", "minimal", "-o", str(path))
    assert code == 0, err
    _check_png(path)


@pytest.mark.parametrize(
    "argv, text",
    [
        (["--highlight", "A,Q"], "no region is labelled 'Q'"),
        (["counts", "--highlight", "A"], "--highlight cannot be used with 'plot counts'"),
        (["--n", "3"], "--n only apply to 'plot counts'"),
        (["counts", "--n", "5:1"], "--n range '5:1' needs a <= b"),
        (["counts", "--d", "x"], "--d expects an integer"),
        (["--network", "--highlight", "A"], "--highlight cannot be used with --network"),
        (["--positive", "A"], "--positive only apply with --network"),
        (["missing.csv"], "no file 'missing.csv'"),
        (["--bbox=1,2,3"], "--bbox expects four numbers"),
        (["--bbox=0,0,0,1"], "minx < maxx"),
        (["--dpi", "0"], "--dpi must be in"),
    ],
)
def test_cli_errors(tmp_path, capsys, argv, text):
    code, out, err = _run(capsys, *argv, "-o", str(tmp_path / "fig.png"))
    _assert_error(code, out, err, text)
    assert os.listdir(tmp_path) == []


def test_cli_output_errors(tmp_path, capsys):
    _assert_error(*_run(capsys, "--example", "five-lines"), "-o FILE is required")
    _assert_error(*_run(capsys, "-o", str(tmp_path / "no" / "fig.png")), "-o folder does not exist")
    _assert_error(*_run(capsys, "-o", str(tmp_path / "fig.txt")), "-o must end in one of")


@pytest.mark.parametrize(
    "content, text",
    [
        ("1,0\n", "line 1: expected 3 numbers; got 2"),
        ("1,0,0\n1,x,0\n", "line 2: expected numbers w_1,...,w_d,theta"),
        ("0,0,1\n", "normals row 0 is zero"),
        ("# nothing\n", "holds no hyperplanes"),
    ],
)
def test_cli_bad_csv(tmp_path, capsys, content, text):
    csv = tmp_path / "lines.csv"
    csv.write_text(content)
    _assert_error(*_run(capsys, str(csv), "-o", str(tmp_path / "fig.png")), text)


def test_cli_csv_and_example_conflict(tmp_path, capsys):
    csv = tmp_path / "lines.csv"
    csv.write_text("1,0,0\n")
    code, out, err = _run(capsys, str(csv), "--example", "five-lines", "-o", str(tmp_path / "f.png"))
    _assert_error(code, out, err, "either a CSV file or --example")


def test_demo_step(tmp_path):
    lines = _cli_plot.demo_step(str(tmp_path))
    assert any(str(tmp_path / "five_lines.png") in line for line in lines)
    _check_png(tmp_path / "five_lines.png")
    try:
        import hyperarr.synthesis  # noqa: F401
    except ImportError:
        assert any("skipped" in line for line in lines)
    else:
        _check_png(tmp_path / "network.png")


# --------------------------------------------------------------------------
# Without matplotlib
# --------------------------------------------------------------------------


def _every_plot_function():
    from hyperarr.plot import plot_gradients, plot_unrolled
    from hyperarr.rnn import RNN

    net = SimpleNamespace(layers=[([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [1.5])])
    return {
        "plot_arrangement": lambda: plot_arrangement(five_lines()),
        "plot_network": lambda: plot_network(net),
        "plot_unrolled": lambda: plot_unrolled(RNN(0.5, 0.8, 2.0), T=3),
        "plot_region_counts": lambda: plot_region_counts([5, 10], [2]),
        "plot_gradients": lambda: plot_gradients(T=range(2, 5)),
    }


@pytest.mark.parametrize("name", sorted(_every_plot_function()))
def test_every_plot_function_says_what_to_install(no_matplotlib, name):
    with pytest.raises(ImportError, match=r"^hyperarr.plot needs matplotlib; install it with "
                                          r"pip install -e '\.\[plot\]'$"):
        _every_plot_function()[name]()


@pytest.mark.parametrize("name", ["plot_arrangement", "plot_network", "plot_unrolled"])
def test_a_given_axes_does_not_hide_a_missing_matplotlib(no_matplotlib, name):
    import hyperarr.plot
    from hyperarr.rnn import RNN

    calls = {"plot_arrangement": (five_lines(),),
             "plot_network": (SimpleNamespace(layers=[([[1, 0]], [0])]),),
             "plot_unrolled": (RNN(0.5, 0.8, 2.0),)}
    with pytest.raises(ImportError, match="needs matplotlib"):
        getattr(hyperarr.plot, name)(*calls[name], ax=SimpleNamespace())


def test_hyperarr_plot_without_matplotlib_is_one_line(no_matplotlib, capsys, tmp_path):
    code = cli.main(["plot", "--example", "five-lines", "-o", str(tmp_path / "f.png")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err == "hyperarr plot: error: hyperarr plot needs matplotlib; install it with pip install -e '.[plot]'\n"
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------
# plot_activation_regions: a deep network on R^2
# --------------------------------------------------------------------------


def _random_net(widths, acts, seed):
    from hyperarr.deep import Network

    rng = np.random.default_rng(seed)
    return Network([(rng.standard_normal((o, i)), rng.standard_normal(o) * 0.5, a)
                    for i, o, a in zip(widths, widths[1:], acts)])


_BOX = (-1.0, -1.5, 2.0, 1.0)


@pytest.mark.parametrize(("acts", "seed"), [(("relu", "relu", "identity"), 0),
                                            (("leaky_relu:1/10", "relu", "relu"), 1)])
def test_activation_polygons_tile_the_box_one_per_region(acts, seed):
    import shapely

    from hyperarr.deep import regions
    from hyperarr.plot import plot_activation_regions

    net = _random_net((2, 6, 5, 2), acts, seed)
    R = regions(net, ((_BOX[0], _BOX[1]), (_BOX[2], _BOX[3])))
    ax = plot_activation_regions(net, _BOX, ax=_ax())
    polys = [shapely.Polygon(p.vertices) for p in ax.collections[0].get_paths()]
    assert len(polys) == len(R) > 6
    area = (_BOX[2] - _BOX[0]) * (_BOX[3] - _BOX[1])
    assert sum(p.area for p in polys) == pytest.approx(area, rel=1e-9)
    assert shapely.union_all(polys).area == pytest.approx(area, rel=1e-9)  # no overlaps
    # Region k's polygon holds region k's witness.
    for k, poly in enumerate(polys):
        assert poly.buffer(1e-9).contains(shapely.Point(R.points[k]))


def test_activation_boundaries_are_drawn_by_the_layer_that_bends_there():
    from hyperarr.plot import plot_activation_regions

    net = _random_net((2, 5, 4, 1), ("relu", "relu", "identity"), 3)
    ax = plot_activation_regions(net, _BOX, ax=_ax(), layer_colors=("black", "red"))
    lines = ax.collections[1:]
    assert [c.get_label() for c in lines] == ["layer 0", "layer 1"]
    cols = {0: slice(0, 5), 1: slice(5, 9)}
    for k, coll in enumerate(lines):
        assert matplotlib.colors.to_hex(coll.get_colors()[0]) == ("#000000", "#ff0000")[k]
        for seg in coll.get_segments():
            (a, b) = seg
            if np.allclose(a, b):
                continue
            mid, t = (a + b) / 2, (b - a) / np.linalg.norm(b - a)
            n = np.array([-t[1], t[0]]) * 1e-7
            left, right = net.pattern(np.array([mid + n, mid - n]))
            # Crossing the edge flips a unit of the layer it is drawn for.
            assert (left[cols[k]] != right[cols[k]]).any()


def test_a_step_network_draws_only_its_first_layer():
    from hyperarr.deep import Network
    from hyperarr.plot import plot_activation_regions

    W0 = [[1, 0], [0, 1], [1, 1]]
    net = Network([(W0, [0, 0, -1], "step"), ([[1, 1, -1], [1, -1, 1]], [0, 0], "step")])
    first = Network([(W0, [0, 0, -1], "step")])
    ax = plot_activation_regions(net, (-2, -2, 2, 2), ax=_ax())
    ax1 = plot_activation_regions(first, (-2, -2, 2, 2), ax=_ax())
    assert [c.get_label() for c in ax.collections[1:]] == ["layer 0"]
    assert len(ax.collections[0].get_paths()) == len(ax1.collections[0].get_paths()) == 7


def test_one_layer_polygons_are_the_arrangements():
    import shapely

    from hyperarr.deep import Network
    from hyperarr.plane import region_polygons
    from hyperarr.plot import plot_activation_regions

    A = five_lines()
    net = Network([(A.normals, -A.offsets, "relu")])
    box = (-2.5, -3.0, 4.0, 4.5)
    ax = plot_activation_regions(net, box, ax=_ax())

    ours = sorted(round(shapely.Polygon(p.vertices).area, 9) for p in ax.collections[0].get_paths())
    theirs = sorted(round(p.area, 9) for p in region_polygons(A, box) if not p.is_empty)
    assert ours == theirs


@pytest.mark.parametrize(
    ("net", "bbox", "error", "match"),
    [
        ("not a network", (-1, -1, 1, 1), ArrangementError, "needs a hyperarr.deep.Network; got str"),
        ("3d", (-1, -1, 1, 1), ArrangementError, "got input_dim 3 .*on_plane"),
        ("2d", (1, -1, -1, 1), ArrangementError, "minx < maxx"),
        ("2d", (-1, -1, 1), ArrangementError, r"bbox must be \(minx, miny, maxx, maxy\)"),
    ],
)
def test_plot_activation_regions_errors(net, bbox, error, match):
    from hyperarr.plot import plot_activation_regions

    nets = {"3d": _random_net((3, 4, 1), ("relu", "identity"), 0),
            "2d": _random_net((2, 4, 1), ("relu", "identity"), 0)}
    ax = _ax()
    with pytest.raises(error, match=match):
        plot_activation_regions(nets.get(net, net), bbox, ax=ax)
    assert len(ax.collections) == 0


def test_plot_activation_regions_refuses_past_max_regions():
    from hyperarr.exceptions import OutputTooLargeError
    from hyperarr.plot import plot_activation_regions

    net = _random_net((2, 6, 5, 2), ("relu", "relu", "identity"), 0)
    with pytest.raises(OutputTooLargeError, match="max_regions=3"):
        plot_activation_regions(net, _BOX, ax=_ax(), max_regions=3)
