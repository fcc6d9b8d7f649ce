"""``hyperarr faces`` on the command line."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

from hyperarr import library
from hyperarr.cli import _main, main


def test_prints_face_vector_and_table(capsys):
    assert main(["faces", "--example", "five-lines"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "face vector (f_0, ..., f_2): (10, 25, 16)"
    assert len(out) == 2 + 51


def test_json_csv_npz(tmp_path, capsys):
    F = library.braid(4).faces(dim=2)
    path = tmp_path / "f.json"
    assert main(["faces", "--example", "braid-4", "--dim", "2", "-o", str(path)]) == 0
    data = json.loads(path.read_text())
    assert data["face_vector"] == [0, 1, 14, 36, 24]
    assert data["signs"] == F.signs.tolist() and set(data["dims"]) == {2}
    assert [[float.fromhex(v) for v in p] for p in data["points"]] == F.points.tolist()
    csv = tmp_path / "f.csv"
    assert main(["faces", "--example", "five-lines", "--dim", "0", "-o", str(csv)]) == 0
    lines = csv.read_text().splitlines()
    assert lines[0] == "s1,s2,s3,s4,s5,dim,bounded,point_inside,x1,x2"
    ex = library.five_lines().faces(dim=0).exact_points
    assert [tuple(Fraction(v) for v in ln.split(",")[-2:]) for ln in lines[1:]] == list(ex)
    npz = tmp_path / "f.npz"
    assert main(["faces", "--example", "shi-3", "-o", str(npz)]) == 0
    with np.load(npz) as z:
        assert np.array_equal(z["signs"], library.shi(3).faces().signs)
    assert "written to" in capsys.readouterr().out


def test_csv_input(tmp_path, capsys):
    src = tmp_path / "a.csv"
    src.write_text("1,0,0\n0,1,0\n1,1,1\n")
    assert main(["faces", str(src), "--dim", "0"]) == 0
    out = capsys.readouterr().out
    assert "(3, 9, 7)" in out and len(out.splitlines()) == 2 + 3


@pytest.mark.parametrize("argv, message", [
    (["--dim", "x"], "--dim must be an integer in [0, 2]; got 'x'"),
    (["--dim", "5"], "dim must be an integer in [0, 2] or None; got 5"),
    (["-o", "out.txt"], "-o must end in .npz, .csv, .json"),
])
def test_errors_are_one_line(argv, message, capsys):
    assert main(["faces", "--example", "five-lines", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hyperarr faces: error:") and message in err and err.count("\n") == 1


def test_a_closed_pipe_ends_quietly_with_status_0():
    # threshold-4 prints about 1 MB, far more than a pipe holds: the writes meet the closed pipe
    proc = subprocess.Popen([sys.executable, "-m", "hyperarr", "faces", "--example", "threshold-4"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert first.startswith(b"face vector") and err == b""


def test_a_closed_pipe_in_process_is_status_0_and_silent(capsys):
    def closed(_args):
        print("a row")
        raise BrokenPipeError(32, "Broken pipe")

    args = argparse.Namespace(command_parser=argparse.ArgumentParser(prog="hyperarr faces"))
    assert _main.run_command(closed, args) == 0
    assert capsys.readouterr().err == ""


def test_witnesses_are_exact_and_the_header_says_which_form_is_which(capsys):
    from hyperarr.cli._output import WITNESS_HEAD

    assert main(["faces", "--example", "five-lines"]) == 0
    head, *rows = capsys.readouterr().out.splitlines()[1:]
    assert head.endswith(WITNESS_HEAD) and "float64" in WITNESS_HEAD and "p/q" in WITNESS_HEAD
    F = library.five_lines().faces()
    for i, row in enumerate(rows):
        coords = row[row.rindex("(") + 1:-1].split(", ")
        if F.points_inside[i]:  # the float itself: every decimal reads back to it
            assert [float(c) for c in coords] == F.points[i].tolist()
        else:
            assert [Fraction(c) for c in coords] == list(F.exact_points[i])
    assert not all(F.points_inside) and any(F.points_inside)  # both forms occur here
