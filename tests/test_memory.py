"""Tests for hyperarr._memory: outputs estimated before they are made, refused with the figures.

Issue 23, item 3: each refusal comes before memory grows past 1 GB.  Those
tests run the call in a child process whose available memory is set low
(``hyperarr._memory.available`` patched there), and read the child's peak
resident memory with ``resource.getrusage``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from hyperarr import _memory, library
from hyperarr.exceptions import OutputTooLargeError

resource = pytest.importorskip("resource", reason="peak memory is read with resource (POSIX)")

#: The peak resident memory a refusal may reach, in MB.
_LIMIT_MB = 1024


def _child(body: str, memory: float) -> dict:
    """Run ``body`` in a child with ``memory`` bytes available; its error and peak RSS (MB)."""
    script = "\n".join([
        "import json, resource, sys",
        "import hyperarr._memory as M",
        f"M.available = lambda: {int(memory)}",
        "error = None",
        "try:",
        textwrap.indent(textwrap.dedent(body), "    "),
        "except BaseException as exc:",
        "    error = f'{type(exc).__name__}: {exc}'",
        # The peak of this process's own address space: Linux keeps ru_maxrss
        # across exec, so it would report the parent's (pytest's) peak instead.
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024",
        "try:",
        "    with open('/proc/self/status') as fh:",
        "        peak = next(int(l.split()[1]) for l in fh if l.startswith('VmHWM:')) / 1024",
        "except (OSError, StopIteration):",
        "    pass",
        "print(json.dumps({'error': error, 'peak_mb': peak}))",
    ])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("d, memory, per_row, count, share", [
    (6, 5e8, 123, 15_028_134, "400.0 MB"),
    (7, 2e9, 195, 8_378_070_864, "1.6 GB"),
])
def test_regions_without_a_count_cap_keep_the_memory_check(d, memory, per_row, count, share):
    # threshold(6) has 15,028,134 regions: a table of about 1.8 GB.  Issue 23,
    # item 3: threshold(7).regions(max_regions=None) grew past 6 GB and refused
    # after 165 s, then the exact count decided (13 s, 0.5 GB); its 8,378,070,864
    # regions take 1.6 TB.  The pruned count of their parts (a lower bound)
    # usually passes the rows that fit within its time, and the refusal names
    # it; on a slow machine the exact count decides.
    got = _child(f"from hyperarr import library\nlibrary.threshold({d}).regions(max_regions=None)", memory)
    m = re.match(r"OutputTooLargeError: the table of (?:at least|the) (\d+) regions would take about .* "
                 rf"\(\1 rows of about {per_row} bytes\), more than the {share}", got["error"])
    assert m, got["error"]
    assert 0.8 * memory / per_row < int(m[1]) <= count
    assert got["peak_mb"] < _LIMIT_MB


@pytest.mark.parametrize("call, flats, patch", [
    pytest.param("threshold(7).face_vector()", r"at least (\d+) flats of dimension ≥ 2",
                 # time for the bound on a slow machine (here it passes within 2.5 s)
                 "import hyperarr.characteristic as C\nC.FLATS_LOWER_BOUND_SECONDS = 20", marks=pytest.mark.slow),
    ("generic(60, 4, seed=1).vertices()", r"(523686) flats of dimension ≥ 0", ""),
], ids=["threshold7_face_vector", "generic60_4_vertices"])
def test_a_lattice_over_its_budget_is_refused_before_it_is_built(call, flats, patch):
    # Issue 23, item 3: threshold(7).face_vector() refused after 50 s (117 s and a
    # 2.5 GB peak once the lattice had its 500,000 flats).
    got = _child(f"{patch}\nfrom hyperarr import library\nlibrary.{call}", 2e9)
    m = re.match(rf"OutputTooLargeError: A\.\w+\(\) needs the intersection lattice, and it has {flats} "
                 r".*more than max_flats=500000", got["error"])
    assert m, got["error"]
    assert int(m[1]) > 500_000
    assert got["peak_mb"] < _LIMIT_MB


@pytest.mark.parametrize("fmt", ["json", "csv", "npz"])
def test_the_cli_refuses_an_output_before_enumerating(tmp_path, fmt):
    # Issue 23, item 3: `hyperarr regions big.csv -o x.json` ran 82 s, then printed "error: MemoryError".
    A = library.generic(60, 4, seed=1)  # 523,686 regions
    csv = tmp_path / "big.csv"
    np.savetxt(csv, np.hstack([A.normals, A.offsets[:, None]]), delimiter=",")
    out = tmp_path / f"x.{fmt}"
    got = _child(f"from hyperarr.cli import main\nraise SystemExit(main(['regions', {str(csv)!r}, '-o', "
                 f"{str(out)!r}]))", 5e7)
    assert got["error"] == "SystemExit: 2"  # refused (the message is checked below, in this process)
    assert got["peak_mb"] < _LIMIT_MB
    assert not out.exists() and sorted(os.listdir(tmp_path)) == ["big.csv"]


def test_the_cli_message_names_the_format_and_the_figures(tmp_path, capsys, monkeypatch):
    from hyperarr import cli

    A = library.generic(60, 4, seed=1)
    csv = tmp_path / "big.csv"
    np.savetxt(csv, np.hstack([A.normals, A.offsets[:, None]]), delimiter=",")
    monkeypatch.setattr(_memory, "available", lambda: 5 * 10**7)
    for fmt, remedy in [("json", "write -o OUT.npz"), ("csv", "write -o OUT.npz"), ("npz", "iter_regions")]:
        assert cli.main(["regions", str(csv), "-o", str(tmp_path / f"x.{fmt}")]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"hyperarr regions: error: the {fmt.upper()} of the 523686 regions (with the "
                              "table they come from) would take about "), err
        assert "rows of about" in err and "more than the 40.0 MB of memory available here" in err
        assert remedy in err
    assert cli.main(["regions", str(csv)]) == 2
    assert "the text table of the 523686 regions" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["big.csv"]


@pytest.mark.parametrize("call, count", [("threshold_symmetry(24)", 2**24), ("resonance_symmetry(26)", 2**26 - 1)])
def test_symmetry_groups_are_refused_before_they_are_built(call, count):
    # Issue 23, item 3: threshold_symmetry(24) and resonance_symmetry(26) raised a bare MemoryError.
    got = _child(f"from hyperarr import library\nlibrary.{call}", 2e9)
    assert got["error"].startswith(f"OutputTooLargeError: {call}, on 2^"), got
    assert f"({count} rows of about " in got["error"] and "more than the 1.6 GB" in got["error"]
    assert got["peak_mb"] < _LIMIT_MB


def test_a_symmetry_group_that_fits_is_built_as_before():
    gens = library.threshold_symmetry(11)  # measured, and under the memory available
    assert len(gens) == 3 and sorted(gens[0]) == list(range(2**11))
    assert library.threshold(3).n_regions(library.threshold_symmetry(3)) == library.threshold(3).n_regions()


def test_the_estimate_is_measured_on_the_output_itself():
    from hyperarr.cli import _regions

    per_json = _regions._format_bytes_per_region(60, 4, "x.json")
    per_csv = _regions._format_bytes_per_region(60, 4, "x.csv")
    R = library.generic(60, 4, seed=1).regions()[:2000]
    encoded = len(_regions._encode(R, "x.json")) / len(R)
    assert encoded < per_json < 20 * encoded  # at least the bytes written, plus Python's objects
    assert per_csv < per_json
    assert _memory.measured_bytes(lambda: bytearray(10**6)) >= 10**6


def test_refuse_over_and_memory_errors_refused():
    _memory.refuse_over("x", 10, 10.0, "r", memory=1000)  # 100 bytes of 800: fine
    _memory.refuse_over("x", 10**30, 10.0, "r", memory=0)  # memory unknown: no check
    with pytest.raises(OutputTooLargeError, match=r"^x would take about 10\^31 bytes \(about 10\^30 rows"):
        _memory.refuse_over("x", 10**30, 10.0, "r", memory=1000)
    with pytest.raises(OutputTooLargeError, match=r"^the thing ran out of memory \(about 1.0 GB expected, .* "
                                                  r"available now\); do less$"):
        with _memory.memory_errors_refused("the thing", 1e9, "do less"):
            raise MemoryError
    with pytest.raises(OutputTooLargeError, match="^kept$"):
        with _memory.memory_errors_refused("the thing", 1e9, "do less"):
            raise OutputTooLargeError("kept")
    assert _memory.available() > 0


def test_faces_without_a_cap_keep_the_memory_check(monkeypatch):
    A = library.braid(5)
    fv = A.face_vector()
    monkeypatch.setattr(_memory, "available", lambda: 1000)
    with pytest.raises(OutputTooLargeError, match=rf"^the table of the {sum(fv)} faces would take about .* "
                                                  r"more than the 800 bytes of memory available here"):
        A.faces(max_faces=None)
    monkeypatch.undo()
    assert len(A.faces(max_faces=None)) == sum(fv)


def test_the_faces_command_refuses_an_output_larger_than_the_memory(tmp_path, capsys, monkeypatch):
    from hyperarr import cli
    from hyperarr.cli import _faces

    F = library.braid(5).faces()
    per_json = _faces._bytes_per_face(F, library.braid(5).face_vector(), "x.json")
    assert len(F[:100]) and per_json > F.signs.shape[1]  # at least a character a sign
    assert len(F) * (F.signs.shape[1] + 45) < 0.8 * 60_000 < len(F) * per_json  # the table fits, the JSON not
    monkeypatch.setattr(_memory, "available", lambda: 60_000)
    for fmt in ("json", "csv"):
        assert cli.main(["faces", "--example", "braid-5", "-o", str(tmp_path / f"x.{fmt}")]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"hyperarr faces: error: the {fmt.upper()} of the {len(F)} faces would take about")
        assert "more than the 48.0 kB of memory available here" in err
    assert os.listdir(tmp_path) == []
