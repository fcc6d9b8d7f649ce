"""``hyperarr deep`` on the command line: a network from a .npz archive, its activation regions."""

from __future__ import annotations

import json
import os
import pickle
from fractions import Fraction

import numpy as np
import pytest

from hyperarr import Arrangement
from hyperarr.cli import _deep, _main, main
from hyperarr.deep import Network


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code, out, err, needle):
    assert code == 2 and out == ""
    assert err.startswith("hyperarr deep: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert needle in err, err


#: A [2, 3, 2, 1] network: ReLU, LeakyReLU with slope 1/10, then an affine output.
_LAYERS = [
    (np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]]), np.array([0.0, 0.0, 0.5]), "relu"),
    (np.array([[1.0, 1.0, -2.0], [-1.0, 0.5, 1.0]]), np.array([-1.0, 0.25]), "leaky_relu:1/10"),
    (np.array([[1.0, -1.0]]), np.array([0.0]), "identity"),
]


def _save(path, layers=_LAYERS, **extra):
    arrays = {}
    for k, (W, b, _) in enumerate(layers):
        arrays[f"W{k}"], arrays[f"b{k}"] = W, b
    arrays["activations"] = np.array([a for _, _, a in layers])
    arrays.update(extra)
    np.savez(path, **arrays)
    return path


def _rows(out: str) -> list[list[str]]:
    """The table's rows: index, pattern, bounded, witness."""
    rows = []
    for line in out.splitlines()[2:]:
        index, pattern, bounded, witness = line.split(maxsplit=3)
        rows.append([index, pattern, bounded, witness])
    return rows


def _exact(witness: str) -> tuple[Fraction, ...]:
    return tuple(Fraction(v) for v in witness.strip("()").split(", "))


@pytest.mark.parametrize("box", [None, ("-1", "1"), ("-1/3", "2")])
def test_the_table_is_the_networks_regions(capsys, tmp_path, box):
    net = Network(_LAYERS)
    domain = None if box is None else tuple(Fraction(v) for v in box)
    expected = net.regions(domain)
    argv = [_save(tmp_path / "net.npz")] + ([] if box is None else [f"--box={box[0]},{box[1]}"])
    code, out, err = _run(capsys, "deep", *argv)
    assert code == 0 and err == ""
    first = out.splitlines()[0]
    assert first.startswith(f"{len(expected)} activation regions ")
    assert f"({int(expected.bounded.sum())} bounded)" in first
    rows = _rows(out)
    assert len(rows) == len(expected)
    assert sorted(r[1] for r in rows) == sorted("".join(map(str, p)) for p in expected.patterns.tolist())
    # Each printed witness reproduces its pattern in an exact forward pass, inside the box.
    for _, pattern, bounded, witness in rows:
        x = _exact(witness)
        assert "".join(map(str, net.pattern(np.array([x], dtype=object))[0].tolist())) == pattern
        if domain is not None:
            assert all(domain[0] < v < domain[1] for v in x)
        assert bounded == str(bool(expected.bounded[expected.index_of([int(c) for c in pattern])]))


def test_a_box_counts_fewer_regions(capsys, tmp_path):
    path = _save(tmp_path / "net.npz", [([[1, 0], [0, 1]], [0, 0], "relu"), ([[1, 1]], [-1], "relu")])
    counts = []
    for box in ([], ["--box", "0,2"], ["--box=-2,2"]):
        code, out, _ = _run(capsys, "deep", path, *box)
        assert code == 0
        counts.append(int(out.split()[0]))
    assert counts == [7, 2, 7]


@pytest.mark.parametrize("suffix", [".npz", ".csv", ".json"])
def test_output_files_hold_exact_witnesses(capsys, tmp_path, suffix):
    net = Network(_LAYERS)
    expected = net.regions((-1, 1))
    out = tmp_path / f"regions{suffix}"
    code, text, err = _run(capsys, "deep", _save(tmp_path / "net.npz"), "--box=-1,1", "-o", out)
    assert code == 0 and err == ""
    assert text.startswith(f"{len(expected)} activation regions") and text.endswith(f"written to {out}\n")
    if suffix == ".npz":
        with np.load(out, allow_pickle=False) as data:
            patterns = data["patterns"]
            points = [tuple(Fraction(v) for v in row) for row in data["exact_points"].tolist()]
            assert data["activations"].tolist() == list(net.activations)
            assert data["unit_layers"].tolist() == net.unit_layers.tolist()
    elif suffix == ".json":
        data = json.loads(out.read_text())
        patterns = np.array(data["patterns"])
        points = [tuple(Fraction(float.fromhex(v)) for v in p) if e is None else tuple(map(Fraction, e))
                  for p, e in zip(data["points"], data["exact_points"])]
        assert data["widths"] == [2, 3, 2, 1]
    else:
        lines = out.read_text().splitlines()
        assert lines[0] == "p1,p2,p3,p4,p5,x1,x2,bounded,point_inside"
        cells = [ln.split(",") for ln in lines[1:]]
        patterns = np.array([[int(v) for v in c[:5]] for c in cells])
        points = [tuple(Fraction(v) for v in c[5:7]) for c in cells]
    assert np.array_equal(patterns, expected.patterns)
    got = net.pattern(np.array(points, dtype=object))
    assert np.array_equal(got, expected.patterns)
    assert all(-1 < v < 1 for p in points for v in p)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_step_network_has_its_first_layers_regions(capsys, tmp_path):
    """Later step layers only label unions of the first layer's regions."""
    W0 = np.array([[1, 0], [0, 1], [1, 1], [1, -2]])
    b0 = np.array([0, 0, -1, 1])
    deep = [(W0, b0, "step"), (np.array([[1, -1, 1, 0], [0, 1, 1, -1]]), np.array([0, -1]), "step"),
            (np.array([[1, 1]]), np.array([0]), "identity")]
    counts = []
    for layers in (deep, deep[:1]):
        code, out, _ = _run(capsys, "deep", _save(tmp_path / "net.npz", layers), "--box=-3,3")
        assert code == 0
        counts.append(int(out.split()[0]))
        patterns = [r[1][:4] for r in _rows(out)]
        assert len(set(patterns)) == len(patterns)  # first-layer patterns never repeat
    lines = Arrangement.from_linear(W0, b0)
    assert counts[0] == counts[1] == len(lines.regions(domain=(-3, 3))) > 4


def test_never_unpickles_a_users_file(capsys, tmp_path):
    """An object array would run code when unpickled: the file is refused, nothing runs."""
    marker = tmp_path / "unpickled"

    class Trap:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    trap = np.empty(1, dtype=object)
    trap[0] = Trap()
    path = tmp_path / "net.npz"
    np.savez(path, W0=np.eye(2), b0=np.zeros(2), activations=np.array(["relu"]), extra=trap)
    code, out, err = _run(capsys, "deep", path)
    _one_line_error(code, out, err, "object array")
    assert not marker.exists()
    pickled = tmp_path / "pickled.npz"
    pickled.write_bytes(pickle.dumps({"W0": np.eye(2)}))
    code, out, err = _run(capsys, "deep", pickled)
    _one_line_error(code, out, err, "pickled data")


@pytest.mark.parametrize(
    ("arrays", "needle"),
    [
        ({"W0": np.eye(2), "b0": np.zeros(2)}, "no 'activations'"),
        ({"W0": np.eye(2), "b0": np.zeros(2), "activations": np.array([1])}, "array of strings"),
        ({"W0": np.eye(2), "b0": np.zeros(2), "activations": np.array(["relu", "relu"])}, "W1 is missing"),
        ({"W0": np.eye(2), "b0": np.zeros(2), "W1": np.eye(2), "b1": np.zeros(2),
          "activations": np.array(["relu"])}, "also W1, b1"),
        ({"W0": np.eye(2), "b0": np.zeros(2), "weights": np.eye(2),
          "activations": np.array(["relu"])}, "got weights too"),
        ({"W0": np.eye(2), "b0": np.zeros(2), "activations": np.array(["tanh"])}, "'tanh'"),
        ({"W0": np.eye(2), "b0": np.zeros(3), "activations": np.array(["relu"])}, "b0 must have shape (2,)"),
        ({"W0": np.array([["a", "b"]]), "b0": np.zeros(1), "activations": np.array(["relu"])},
         "W0 must hold numbers"),
        ({"W0": np.array([[np.nan, 1.0]]), "b0": np.zeros(1), "activations": np.array(["relu"])},
         "nan"),
    ],
)
def test_a_bad_archive_is_one_line(capsys, tmp_path, arrays, needle):
    path = tmp_path / "net.npz"
    np.savez(path, **arrays)
    code, out, err = _run(capsys, "deep", path)
    _one_line_error(code, out, err, needle)
    assert str(path) in err


def test_files_that_are_not_archives_are_one_line(capsys, tmp_path):
    code, out, err = _run(capsys, "deep", tmp_path / "missing.npz")
    _one_line_error(code, out, err, "no file")
    npy = tmp_path / "one.npy"
    np.save(npy, np.eye(2))
    code, out, err = _run(capsys, "deep", npy)
    _one_line_error(code, out, err, "single array")
    text = tmp_path / "net.npz"
    text.write_text("W0,b0\n1,2\n")
    code, out, err = _run(capsys, "deep", text)
    _one_line_error(code, out, err, str(text))
    broken = tmp_path / "broken.npz"
    broken.write_bytes(_save(tmp_path / "ok.npz").read_bytes()[:40])
    code, out, err = _run(capsys, "deep", broken)
    _one_line_error(code, out, err, "not a NumPy .npz archive")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--box", "1"], "two numbers"),
        (["--box", "0,x"], "'x' is not one"),
        (["--box", "1,0"], "LO < HI"),
        (["--box", "0,inf"], "finite"),
        (["--max-regions", "many"], "--max-regions must be an integer"),
        (["--max-regions", "0"], "at least 1"),
        (["-o", "table.txt"], "-o must end in .npz, .csv, .json"),
        (["-o", "no/such/folder/t.csv"], "-o folder does not exist"),
        (["--max-regions", "3"], "raise --max-regions"),
    ],
)
def test_misuse_is_one_line_and_status_2(capsys, tmp_path, monkeypatch, argv, needle):
    path = _save(tmp_path / "net.npz")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "deep", path, *argv)
    _one_line_error(code, out, err, needle)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


def test_a_failed_write_names_the_target_and_leaves_no_temporary(capsys, tmp_path):
    path = _save(tmp_path / "net.npz")
    target = tmp_path / "out.json"
    target.mkdir()  # os.replace cannot put a file over a folder
    code, out, err = _run(capsys, "deep", path, "-o", target)
    assert code == 2 and "Traceback" not in out + err
    assert err == f"hyperarr deep: error: cannot write {target}: Is a directory\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz", "out.json"]


def test_the_command_raises_and_prints_nothing(capsys, tmp_path):
    args = _main._build_parser().parse_args(["deep", str(_save(tmp_path / "net.npz")), "--box", "2,1"])
    with pytest.raises(ValueError, match="LO < HI"):
        args.func(args)
    assert capsys.readouterr() == ("", "")


def test_help_lists_the_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0 and "deep" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["deep", "--help"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("usage: hyperarr deep") and "allow" not in help_text
    assert "examples:" in help_text and "activations" in help_text


def test_load_network_reads_exact_weights(tmp_path):
    """float32 weights are binary rationals, read exactly."""
    W = np.array([[0.1, -0.3]], dtype=np.float32)
    net = _deep.load_network(_save(tmp_path / "net.npz", [(W, np.array([0.2], np.float32), "relu")]))
    assert net.layers[0][0].tolist() == [[Fraction(float(v)) for v in W[0]]]
    assert net.layers[0][1].tolist() == [Fraction(float(np.float32(0.2)))]
