"""Tests for hyperarr.rnn.curves and what draws it: ``plot_gradients`` and ``hyperarr rnn``."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from hyperarr import cli
from hyperarr.rnn import gradient_curves, lstm_gradient_closed_form, rnn_gradient_closed_form


def test_gradient_curves_rejects_bad_input():
    with pytest.raises(
        ValueError, match=r"w_rec must be a number or a non-empty 1-D sequence; got shape \(0,\)"
    ):
        gradient_curves(range(2, 5), w_rec=[])
    with pytest.raises(ValueError, match=r"T must be >= 2"):
        gradient_curves(range(0, 5))


def test_gradient_curves_are_the_closed_forms():
    c = gradient_curves(range(2, 30), w_rec=(0.5, 6.0), f=(0.9,), w_in=0.3, b_h=-0.2)
    np.testing.assert_array_equal(
        c.rnn[1], rnn_gradient_closed_form(0.3, 6.0, 1.0, -0.2, 0.0, np.arange(2, 30))
    )
    np.testing.assert_array_equal(
        c.lstm[0], lstm_gradient_closed_form(0.3, 0.0, 1.0, -0.2, 0.0, 0.9, np.arange(2, 30))
    )
    d = c.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["rnn"][1]["gradient"] == c.rnn[1].tolist()


# ---------------------------------------------------------------------------
# The plot and the command line
# ---------------------------------------------------------------------------


def test_plot_gradients_renders_headless(tmp_path):
    matplotlib = pytest.importorskip("matplotlib", reason="plot_gradients needs matplotlib")
    matplotlib.use("Agg")
    import matplotlib.image
    import matplotlib.pyplot as plt

    from hyperarr.plot import plot_gradients

    ax = plot_gradients()
    try:
        lines = ax.get_lines()
        assert len(lines) == 5 and ax.get_yscale() == "log"
        curves = gradient_curves()
        np.testing.assert_allclose(lines[2].get_ydata(), np.abs(curves.rnn[2]))
        np.testing.assert_array_equal(lines[4].get_xdata(), np.arange(2, 61))
        path = tmp_path / "gradients.png"
        ax.figure.savefig(path, dpi=50)
        assert path.stat().st_size > 0
        image = matplotlib.image.imread(path)
        width, height = ax.figure.get_size_inches() * 50
        assert image.shape[:2] == (round(height), round(width))
    finally:
        plt.close(ax.figure)


def test_plot_gradients_validates_before_drawing():
    from hyperarr.plot import plot_gradients

    with pytest.raises(ValueError, match="T must be >= 2"):
        plot_gradients(T=[1, 2])


def _cli(argv):
    return cli.main(["rnn", *argv])


def test_cli_json(capsys):
    assert _cli(["--T", "2:10:2", "--w-rec", "0.5,2", "--f", "0.9", "--b-h", "-0.5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["T"] == [2, 4, 6, 8, 10]
    expected = gradient_curves([2, 4, 6, 8, 10], [0.5, 2.0], [0.9], b_h=-0.5)
    assert [c["w_rec"] for c in out["rnn"]] == [0.5, 2.0]
    np.testing.assert_allclose(out["rnn"][1]["gradient"], expected.rnn[1], rtol=1e-15)
    np.testing.assert_allclose(out["lstm"][0]["gradient"], expected.lstm[0], rtol=1e-15)


def test_cli_table(capsys):
    assert _cli(["--T", "2:4,7", "--w-rec", "1", "--f", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5 and lines[0].split()[0] == "T"
    assert [int(line.split()[0]) for line in lines[1:]] == [2, 3, 4, 7]
    assert float(lines[1].split()[1]) == pytest.approx(
        rnn_gradient_closed_form(1, 1, 1, 0, 0, 2), rel=1e-3
    )


def test_cli_writes_png_atomically(tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="-o needs matplotlib")
    import matplotlib.image

    path = tmp_path / "gradients.png"
    path.write_bytes(b"old")
    assert _cli(["--T", "2:20", "-o", str(path)]) == 0
    assert capsys.readouterr().out == ""  # -o without --json prints nothing
    assert path.stat().st_size > 1000
    assert matplotlib.image.imread(path).ndim == 3
    assert sorted(os.listdir(tmp_path)) == ["gradients.png"]  # no temporary file left


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--T", "1:5"], "T must be >= 2"),
        (["--T", "5:2"], "--T range '5:2' needs a <= b"),
        (["--T", "2:x"], "--T expects an integer"),
        (["--w-rec", "0.5,,2"], "--w-rec expects a comma-separated list"),
        (["--f", "nan"], "--f expects a finite number"),
        (["--w-in", "abc"], "--w-in expects a number; got 'abc'"),
        (["--activation", "relu"], "activation must be one of"),
        (["-o", "/nonexistent-folder-hyperarr/x.png"], "-o folder does not exist"),
        (["-o", "gradients.xyz"], "-o must end in one of"),
    ],
)
def test_cli_bad_arguments_return_2(argv, match, capsys):
    assert _cli(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hyperarr rnn: error: ")
    assert match in lines[0]
