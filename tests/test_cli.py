"""Tests for hyperarr.cli, run in-process through main."""

from __future__ import annotations

import ast
import json
import math
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import hyperarr
from hyperarr import cli
from hyperarr.cli import _count, _demo, _input as _cli_input, _main, _plot, _regions, _rnn, _synthesize
from hyperarr.cli import _output as _cli_output
from hyperarr.counting import approx_regions, max_regions
from hyperarr.exceptions import ArrangementError, OutputTooLargeError


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _table_rows(out: str) -> dict[tuple[int, int], list[str]]:
    """Table rows keyed by (n, d): every line whose first two cells are integers."""
    rows = {}
    for line in out.splitlines():
        cells = line.split()
        if len(cells) >= 3 and cells[0].isdigit() and cells[1].isdigit():
            rows[int(cells[0]), int(cells[1])] = cells[2:]
    return rows


def _assert_one_line_error(code, out, err, prefix):
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(f"{prefix}: error: "), err
    assert "Traceback" not in err


# --------------------------------------------------------------------------
# hyperarr count
# --------------------------------------------------------------------------


def test_count_single_pair(capsys):
    code, out, err = _run(capsys, "count", "--n", "20", "--d", "10")
    assert code == 0 and err == ""
    rows = _table_rows(out)
    assert list(rows) == [(20, 10)]
    exact, approx = rows[20, 10][:2]
    assert exact == str(max_regions(20, 10))
    assert approx == str(approx_regions(20, 10))


def test_count_range_table_is_aligned(capsys):
    code, out, _ = _run(capsys, "count", "--n", "5:15:5", "--d", "1:2,4")
    assert code == 0
    rows = _table_rows(out)
    assert list(rows) == [(n, d) for n in (5, 10, 15) for d in (1, 2, 4)]
    for (n, d), cells in rows.items():
        assert cells[0] == str(max_regions(n, d))
        assert cells[1] == str(n**d)
    table = out.splitlines()[1:]  # header and rows, after the title
    assert len({len(line) for line in table}) == 1


def test_count_large_numbers_are_scientific(capsys):
    code, out, _ = _run(capsys, "count", "--n", "1000", "--d", "256")
    assert code == 0
    exact, approx = _table_rows(out)[1000, 256][:2]
    lg = math.log10(max_regions(1000, 256))
    assert exact == f"{10 ** (lg - math.floor(lg)):.2f}e{math.floor(lg)}"
    assert approx == "1.00e768"


def test_count_prints_up_to_30_digits_exactly(capsys):
    # 10**29 has 30 digits and is printed in full; 10**30 has 31.
    code, out, _ = _run(capsys, "count", "--n", "10", "--d", "29,30")
    assert code == 0
    rows = _table_rows(out)
    assert rows[10, 29][1] == str(10**29)
    assert rows[10, 30][1] == "1.00e30"


def test_count_json_single_pair(capsys):
    code, out, _ = _run(capsys, "count", "--n", "20", "--d", "10", "--json")
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, dict)
    assert (data["n"], data["d"], data["central"]) == (20, 10, False)
    assert data["exact"] == max_regions(20, 10)
    assert data["approx"] == approx_regions(20, 10)
    assert isinstance(data["approx_factorial"], float) and isinstance(data["ratio"], float)
    assert data["approx_factorial"] == float(Fraction(20**10, math.factorial(10)))
    assert data["ratio"] == float(Fraction(20**10, max_regions(20, 10)))


def test_count_json_gives_whole_estimates_as_integers(capsys):
    code, out, _ = _run(capsys, "count", "--n", "6", "--d", "2", "--json")
    assert code == 0 and json.loads(out)["approx_factorial"] == 18 and '"approx_factorial": 18,' in out


def test_count_json_ratio_beyond_the_float_range_is_a_number_not_null(capsys):
    code, out, _ = _run(capsys, "count", "--n", "1000", "--d", "256", "--json")
    assert code == 0
    text = re.search(r'"ratio": ([^,]+),', out).group(1)
    assert re.fullmatch(r"\d\.\d{16}e522", text), text  # a JSON number, 17 significant digits
    row = json.loads(out)
    assert abs(Fraction(text) / Fraction(row["approx"], row["exact"]) - 1) < Fraction(1, 10**15)
    assert isinstance(row["approx_factorial"], float) and math.isfinite(row["approx_factorial"])


def test_count_table_prints_ratios_alike_in_every_run(capsys):
    # whole ratios (4/4, 8/4) print as 1.000 and 2.000, not as the integers 1 and 2
    _, out, _ = _run(capsys, "count", "--n", "2,3", "--d", "1:3")
    rows = _table_rows(out)
    assert rows[2, 2][3] == "1.000" and rows[2, 3][3] == "2.000" and rows[3, 2][3] == "1.286"
    ratios = [cells[3] for cells in rows.values()] + [cells[4] for cells in rows.values()]
    assert all(re.fullmatch(r"\d+\.\d+|\d\.\d\de\d+", r) for r in ratios), ratios


def test_count_json_range_is_a_list(capsys):
    code, out, _ = _run(capsys, "count", "--n", "3,4", "--d", "1:2", "--json")
    assert code == 0
    data = json.loads(out)
    assert [(r["n"], r["d"]) for r in data] == [(3, 1), (3, 2), (4, 1), (4, 2)]
    assert [r["exact"] for r in data] == [max_regions(r["n"], r["d"]) for r in data]


def test_count_json_keeps_huge_integers_exact(capsys):
    # n**d has 6001 digits, beyond Python's default int-to-str limit of 4300.
    code, out, _ = _run(capsys, "count", "--n", "1000", "--d", "2000", "--json")
    assert code == 0
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        data = json.loads(out)
    finally:
        sys.set_int_max_str_digits(old)
    assert data["exact"] == max_regions(1000, 2000) == 2**1000
    assert data["approx"] == 1000**2000
    assert data["ratio"] == 1000**2000 // 2**1000  # whole, so exact; a number, never null
    assert sys.get_int_max_str_digits() == old


def test_count_central_uses_covers_count(capsys):
    code, out, _ = _run(capsys, "count", "--n", "20", "--d", "10", "--central", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["central"] is True
    assert data["exact"] == max_regions(20, 10, central=True) != max_regions(20, 10)
    assert data["ratio"] == pytest.approx(20**10 / max_regions(20, 10, central=True))

    code, out, _ = _run(capsys, "count", "--n", "20", "--d", "10", "--central")
    assert code == 0
    assert _table_rows(out)[20, 10][0] == str(max_regions(20, 10, central=True))


# --------------------------------------------------------------------------
# hyperarr demo
# --------------------------------------------------------------------------


def test_demo_shows_the_sheets_counts(capsys, tmp_path):
    out_dir = tmp_path / "new" / "folder"
    code, out, err = _run(capsys, "demo", "--out", str(out_dir))
    assert code == 0 and err == ""
    assert out_dir.is_dir()
    rows = _table_rows(out)
    assert rows[5, 2][:2] == [str(max_regions(5, 2)), str(5**2)]
    assert rows[20, 10][0] == str(max_regions(20, 10))
    assert "616666" in out
    assert f"10^{math.log10(max_regions(1000, 256)):.1f}" in out
    assert "10^768" in out


def test_demo_defaults_to_current_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(capsys, "demo")
    assert code == 0 and "616666" in out


def test_demo_out_is_a_file(capsys, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    code, out, err = _run(capsys, "demo", "--out", str(target))
    _assert_one_line_error(code, out, err, "hyperarr demo")
    assert "--out" in err


# --------------------------------------------------------------------------
# Errors, help, version
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "prefix", "needle"),
    [
        (["count", "--n", "abc", "--d", "2"], "hyperarr count", "--n"),
        (["count", "--n", "-1", "--d", "2"], "hyperarr count", "got -1"),
        (["count", "--n", "5", "--d", "0"], "hyperarr count", "--d"),
        (["count", "--n", "5:1", "--d", "2"], "hyperarr count", "a <= b"),
        (["count", "--n", "1:5:0", "--d", "2"], "hyperarr count", "step"),
        (["count", "--n", "1:2:3:4", "--d", "2"], "hyperarr count", "--n"),
        (["count", "--n", "5"], "hyperarr count", "--d"),
        (["count", "--n", "5", "--d", "2", "--bogus"], "hyperarr count", "--bogus"),
        (["count", "--n", "0:100000", "--d", "1:100"], "hyperarr count", "at most"),
        (["frobnicate"], "hyperarr", "frobnicate"),
        ([], "hyperarr", "command"),
        (["demo", "extra"], "hyperarr demo", "extra"),
        (["rnn", "--n", "3"], "hyperarr rnn", "--n"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(capsys, argv, prefix, needle):
    code, out, err = _run(capsys, *argv)
    _assert_one_line_error(code, out, err, prefix)
    assert needle in err


def test_library_errors_inside_a_command_become_one_line(capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise OutputTooLargeError("too many rows;\nlimit is 10")

    monkeypatch.setattr(_count, "region_count_table", refuse)
    code, out, err = _run(capsys, "count", "--n", "3", "--d", "2")
    _assert_one_line_error(code, out, err, "hyperarr count")
    assert "too many rows; limit is 10" in err


# --------------------------------------------------------------------------
# The one error policy: commands raise, main alone catches
# --------------------------------------------------------------------------

#: A command line of each subcommand, and a name its module calls before anything is printed.
_COMMAND_CALLS = [
    (["count", "--n", "3", "--d", "2"], _count, "region_count_table"),
    (["demo", "--out", "."], _demo, "region_count_table"),
    (["regions", "--example", "five-lines"], _regions, "load_arrangement"),
    (["synthesize", "--example", "five-lines", "--positive", "0"], _synthesize, "load_arrangement"),
    (["plot", "--example", "five-lines", "-o", "fig.png"], _plot, "load_arrangement"),
    (["rnn", "--T", "2:5"], _rnn, "parse_int_ranges"),
]


@pytest.mark.parametrize(("argv", "module", "name"), _COMMAND_CALLS, ids=[c[0][0] for c in _COMMAND_CALLS])
@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (PermissionError(13, "Permission denied", "secret.csv"), "Permission denied: secret.csv"),
        (OSError("disk on fire"), "disk on fire"),
        (MemoryError(), "MemoryError"),
        (ImportError("no module named matplotlib"), "no module named matplotlib"),
        (ArrangementError("bad rows;\n  see above"), "bad rows; see above"),
        (ValueError("bad value"), "bad value"),
        (OverflowError("int too large to convert to float"),
         "a number is beyond the float64 or int64 range here (int too large to convert to float)"),
    ],
    ids=["PermissionError", "OSError", "MemoryError", "ImportError", "ArrangementError", "ValueError",
         "OverflowError"],
)
def test_any_failure_in_any_command_is_one_line_and_status_2(
    capsys, monkeypatch, tmp_path, argv, module, name, exc, message
):
    def fail(*args, **kwargs):
        raise exc

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(module, name, fail)
    code, out, err = _run(capsys, *argv)
    _assert_one_line_error(code, out, err, f"hyperarr {argv[0]}")
    assert err == f"hyperarr {argv[0]}: error: {message}\n"
    assert os.listdir(tmp_path) == []


def test_interrupt_is_one_line_and_status_130(capsys, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_count, "region_count_table", interrupt)
    assert _run(capsys, "count", "--n", "3", "--d", "2") == (130, "", "hyperarr count: interrupted\n")


def test_a_bug_is_one_line_not_a_traceback(capsys, monkeypatch):
    def bug(*args, **kwargs):
        raise TypeError("a bug in hyperarr")

    monkeypatch.setattr(_count, "region_count_table", bug)
    monkeypatch.delenv("HYPERARR_DEBUG", raising=False)
    code, out, err = _run(capsys, "count", "--n", "3", "--d", "2")
    assert (code, out) == (2, "")
    assert err.startswith("hyperarr count: error: internal error (TypeError: a bug in hyperarr)")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_bug_shows_its_traceback_when_debugging(monkeypatch):
    def bug(*args, **kwargs):
        raise TypeError("a bug in hyperarr")

    monkeypatch.setattr(_count, "region_count_table", bug)
    monkeypatch.setenv("HYPERARR_DEBUG", "1")
    with pytest.raises(TypeError, match="a bug in hyperarr"):
        cli.main(["count", "--n", "3", "--d", "2"])


@pytest.mark.parametrize(
    "argv",
    [
        ["plot", "--example", "five-lines", "-o", "fig.txt"],
        ["rnn", "-o", "fig.txt"],
        ["regions", "--example", "five-lines", "-o", "table.txt"],
        ["synthesize", "--example", "five-lines", "--positive", "0,,1"],
    ],
)
def test_commands_raise_and_print_nothing(capsys, argv):
    args = _main._build_parser().parse_args(argv)
    with pytest.raises(ValueError, match="-o must end in|comma-separated"):
        args.func(args)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    "argv",
    [
        ["regions", "--example", "five-lines", "-o"],
        ["synthesize", "--example", "five-lines", "--positive", "0", "-o"],
        ["plot", "--example", "five-lines", "-o"],
        ["rnn", "--T", "2:5", "-o"],
    ],
)
def test_a_failed_write_names_the_target_and_leaves_no_temporary(capsys, tmp_path, argv):
    pytest.importorskip("matplotlib")
    target = tmp_path / ("out.json" if argv[0] in ("regions", "synthesize") else "out.png")
    target.mkdir()  # os.replace cannot put a file over a folder
    code, out, err = _run(capsys, *argv, str(target))
    assert code == 2
    assert err == f"hyperarr {argv[0]}: error: cannot write {target}: Is a directory\n"
    assert "Traceback" not in out + err
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.skipif(shutil.which("xelatex") is not None, reason="needs a machine without LaTeX")
@pytest.mark.parametrize("command", [["rnn", "--T", "2:5"], ["plot", "--example", "five-lines"]])
def test_pgf_without_latex_is_one_line(capsys, tmp_path, command):
    pytest.importorskip("matplotlib")
    code, out, err = _run(capsys, *command, "-o", str(tmp_path / "fig.pgf"))
    _assert_one_line_error(code, out, err, f"hyperarr {command[0]}")
    assert "xelatex" in err
    assert os.listdir(tmp_path) == []


def test_plot_and_rnn_accept_the_same_image_formats(capsys):
    errors = [
        _run(capsys, *argv, "-o", "fig.xyz")[2].split(": error: ")[1]
        for argv in (["plot"], ["rnn"])
    ]
    assert errors[0] == errors[1]
    assert errors[0].startswith("-o must end in one of .png, .pdf, .svg")


def test_command_modules_do_not_import_main():
    """Imports point down: only the shims outside the package reach hyperarr.cli._main."""
    for path in sorted(Path(cli.__file__).parent.glob("_*.py")):
        if path.name in ("__init__.py", "_main.py"):
            continue
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
        assert "hyperarr.cli._main" not in imported, path.name


@pytest.mark.parametrize("argv", [["--help"], ["count", "--help"], ["demo", "--help"], ["rnn", "--help"]])
def test_help(capsys, argv):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: hyperarr {argv[0] if len(argv) > 1 else ''}".rstrip())
    if argv != ["rnn", "--help"]:  # the rnn subcommand is documented by its own module
        assert "examples:" in out
    if argv == ["--help"]:
        for command in ("count", "demo", "rnn"):
            assert command in out


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"hyperarr {hyperarr.__version__}\n"


def test_python_dash_m_help():
    result = subprocess.run(
        [sys.executable, "-m", "hyperarr", "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: hyperarr")


# --------------------------------------------------------------------------
# hyperarr regions
# --------------------------------------------------------------------------


def test_regions_example_prints_every_region(capsys):
    from hyperarr.library import five_lines
    from hyperarr.plane import seed_labels

    code, out, err = _run(capsys, "regions", "--example", "five-lines")
    assert code == 0 and err == ""
    table = five_lines().regions()
    lines = [ln for ln in out.splitlines() if ln[:3].strip().isdigit()]
    assert len(lines) == len(table)
    labels = seed_labels(five_lines())
    assert [line.split()[1] for line in lines] == sorted(labels)  # rows in label order: A, B, ...
    for line in lines:
        index, label, signs = line.split()[:3]
        assert label == labels[int(index)]  # the # column stays the index in A.regions()
        assert signs == "".join("+" if s > 0 else "-" for s in table.signs[int(index)].tolist())


@pytest.mark.parametrize("suffix", [".npz", ".csv", ".json"])
def test_regions_output_files_round_trip(capsys, tmp_path, suffix):
    from hyperarr.regions import Regions

    csv_in = tmp_path / "lines.csv"
    csv_in.write_text("w1,w2,theta\n1,0,0\n0,1,0\n1,1,1/2\n1,0,0\n")
    out = tmp_path / f"regions{suffix}"
    code, text, _ = _run(capsys, "regions", str(csv_in), "-o", str(out), "--progress")
    assert code == 0 and out.exists()
    A = _cli_input.read_arrangement_csv(csv_in)
    expected = A.regions()
    if suffix == ".npz":
        assert Regions.load(out) == expected
    elif suffix == ".json":
        data = json.loads(out.read_text())
        assert data["signs"] == expected.signs.tolist()
        assert [[float.fromhex(v) for v in p] for p in data["points"]] == expected.points.tolist()
        assert data["bounded"] == expected.bounded.tolist()
    else:
        rows = out.read_text().splitlines()
        assert len(rows) == len(expected) + 1
        assert rows[0].startswith("s1,s2,s3,s4,x1,x2")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert f"{len(expected)} regions" in text


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["regions"], "exactly one"),
        (["regions", "--example", "nope"], "--example must be one of"),
        (["regions", "--example", "five-lines", "-o", "x.txt"], "-o must end in"),
        (["regions", "--example", "five-lines", "--max-regions", "3"], "more than max_regions=3"),
        (["regions", "--example", "five-lines", "--max-regions", "many"], "--max-regions must be"),
    ],
)
def test_regions_errors(capsys, argv, needle):
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------
# hyperarr.cli._input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"1,0\n1,0,0\n", r"line 2: expected 2 numbers; got 3"),
        (b"1,0,0\n1,x,0\n", r"line 2: expected numbers w_1,...,w_d,theta; got '1,x,0'"),
        (b"3\n", r"line 1: a row needs d >= 1 weights and theta; got 1 value"),
        (b"# only a comment\n\n", r"holds no hyperplanes: expected rows .*; got only blank lines"),
        (b"1,0,\xff\n", r"FILE.csv must be UTF-8 text; .* has byte 0xff at offset 4"),
    ],
)
def test_csv_errors_are_arrangement_errors(tmp_path, content, match):
    path = tmp_path / "lines.csv"
    path.write_bytes(content)
    with pytest.raises(ArrangementError, match=match):
        _cli_input.read_arrangement_csv(path)


@pytest.mark.parametrize(
    ("path", "example", "match"),
    [
        (None, None, r"exactly one\); got neither"),
        ("a.csv", "five-lines", r"exactly one\); got FILE.csv 'a.csv' and --example five-lines"),
        (None, "ten-lines", r"--example must be one of five-lines, .*; got 'ten-lines'"),
        ("missing.csv", None, r"FILE.csv must be an existing CSV file; no file 'missing.csv'"),
    ],
)
def test_load_arrangement_errors(path, example, match):
    with pytest.raises(ArrangementError, match=match):
        _cli_input.load_arrangement(path, example)


@pytest.mark.parametrize("name", sorted(_cli_input.EXAMPLES))
def test_every_example_loads(name):
    assert _cli_input.load_arrangement(None, name).n > 0


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("x", r"--n expects an integer, a range a:b or a:b:s, or a comma list of them; got 'x'"),
        ("1:2:3:4", r"--n expects an integer"),
        ("1,200", r"--n values must be integers in \[0, 100\]; got 200"),
        ("3:1", r"--n range '3:1' needs a <= b"),
        ("1:3:0", r"step >= 1"),
    ],
)
def test_int_range_errors(text, match):
    with pytest.raises(ArrangementError, match=match):
        _cli_input.parse_int_ranges("--n", text, 0, 100)


# --------------------------------------------------------------------------
# Limits: ranges are counted before they are expanded, work is estimated first
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [("2:1000000000", 999_999_999), (",".join(["0:1000000"] * 300), 300_000_300), ("1:9:2," * 3001 + "1", 15_006)],
)
def test_int_ranges_are_counted_before_they_are_expanded(text, count):
    with pytest.raises(ArrangementError, match=rf"^--T expects at most 10000 values; got {count} from '") as info:
        _cli_input.parse_int_ranges("--T", text, 0, 10**9, max_count=10_000)
    assert len(str(info.value)) < 200  # a long text is cut short in the message


def test_int_ranges_up_to_the_limit_are_expanded():
    values = _cli_input.parse_int_ranges("--n", "1:5,7,9:20:5", 0, 100, max_count=9)
    assert values == [1, 2, 3, 4, 5, 7, 9, 14, 19]
    with pytest.raises(ArrangementError, match="at most 8 values; got 9 from '1:5,7,9:20:5'"):
        _cli_input.parse_int_ranges("--n", "1:5,7,9:20:5", 0, 100, max_count=8)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["rnn", "--T", "2:1000000000"], "--T expects at most 100000 values; got 999999999 from '2:1000000000'"),
        (["count", "--n", ",".join(["0:1000000"] * 300), "--d", "2"], "expects at most 10000 values; got 300000300"),
        (["count", "--n", "5", "--d", ",".join(["1:10000"] * 300)], "expects at most 10000 values; got 3000000"),
        (["plot", "counts", "--n", ",".join(["0:10000"] * 300), "-o", "fig.png"], "at most 100000 values"),
    ],
)
def test_huge_ranges_are_refused_in_one_line(capsys, monkeypatch, tmp_path, argv, needle):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, *argv)
    _assert_one_line_error(code, out, err, f"hyperarr {argv[0]}")
    assert needle in err
    assert os.listdir(tmp_path) == []


def _never(*args, **kwargs):
    raise AssertionError("called although the work was refused")


def test_count_refuses_work_above_its_budget_with_the_estimate(capsys, monkeypatch):
    monkeypatch.setattr(_count, "region_count_table", _never)
    code, out, err = _run(capsys, "count", "--n", "990000:1000000:100", "--d", "9900:10000:10")
    _assert_one_line_error(code, out, err, "hyperarr count")
    assert "--n 990000:1000000:100 with --d 9900:10000:10: 1111 rows of exact integers of up to 199316 bits" in err
    # the default budget is the library's
    assert re.search(r"about \d+ s of work; at most 60 s: narrow --n or --d, or raise --max-seconds", err), err


def test_count_max_seconds(capsys, monkeypatch):
    code, out, _ = _run(capsys, "count", "--n", "20", "--d", "10", "--max-seconds", "0.5")
    assert code == 0 and _table_rows(out)[20, 10][0] == "616666"
    code, out, err = _run(capsys, "count", "--n", "20", "--d", "10", "--max-seconds", "0")
    _assert_one_line_error(code, out, err, "hyperarr count")
    assert "argument --max-seconds: must be a positive finite number of seconds; got '0'" in err
    monkeypatch.setattr(_count, "region_count_table", _never)
    code, out, err = _run(capsys, "count", "--n", "1000000", "--d", "10000", "--max-seconds", "0.001")
    _assert_one_line_error(code, out, err, "hyperarr count")
    assert "at most 0.001 s" in err


def test_count_estimate_grows_with_the_size_of_the_integers():
    seconds = _cli_input.count_table_seconds
    assert seconds([20], [10]) < seconds([1000], [256]) < seconds([10**6], [10**4])
    assert seconds(range(10), range(1, 11)) < seconds(range(20), range(1, 11))
    assert seconds([10**6], [10**4], exact_text=True) > seconds([10**6], [10**4])
    assert seconds([10**6], [10**4], central=True) > seconds([10**6], [10**4])
    assert seconds([3], [10**4]) < seconds([3000], [10**4])  # 2^n, not n^d, bits when n <= d


def test_rnn_refuses_a_horizon_beyond_its_budget(capsys, monkeypatch):
    import hyperarr.rnn

    monkeypatch.setattr(hyperarr.rnn, "gradient_curves", _never)
    code, out, err = _run(capsys, "rnn", "--T", "1000000000")
    _assert_one_line_error(code, out, err, "hyperarr rnn")
    assert "--T up to 1000000000 for 3 --w-rec values (3000000000 RNN steps) is about" in err


def test_plot_counts_refuses_work_beyond_its_budget(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(_plot, "_counts_figure", _never)
    code, out, err = _run(capsys, "plot", "counts", "--n", "9000:9900", "--d", "9900:10000",
                          "-o", str(tmp_path / "fig.png"))
    _assert_one_line_error(code, out, err, "hyperarr plot")
    assert "plot counts --n 9000:9900 --d 9900:10000 (91001 exact counts) is about" in err
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------
# CSV: a header only when no field is a number; bad values by line and column
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"1,0,0.5x\n0,1,0\n1,1,1\n",
         "line 1: expected numbers w_1,...,w_d,theta; got '1,0,0.5x' (column 3: '0.5x' is not a number)"),
        (b"1,0,nan\n0,1,0\n1,1,1\n",
         "line 1: expected finite numbers w_1,...,w_d,theta; got '1,0,nan' (column 3: 'nan' is not finite)"),
        (b"0,1,0\n1,-inf,1\n", "line 2: expected finite numbers w_1,...,w_d,theta; got '1,-inf,1' (column 2: '-inf' is not finite)"),
        (b"1,0,1/0\n", "line 1: expected finite numbers w_1,...,w_d,theta; got '1,0,1/0' (column 3: '1/0' divides by zero)"),
        (b"x,y,1\n1,0,0\n", "line 1: expected numbers w_1,...,w_d,theta; got 'x,y,1' (column 1: 'x' is not a number)"),
        (b"1,0,0\n1,,0\n", "line 2: expected numbers w_1,...,w_d,theta; got '1,,0' (column 2: '' is not a number)"),
        (b'w1,w2,theta\n1,0,"0\n"\n3,x,0\n', "line 4: expected numbers"),  # a quoted field spans lines 2-3
        (b"w1,w2,theta\nw1,w2,theta\n", "line 2: expected numbers"),  # one header at most
    ],
)
def test_a_bad_value_is_named_by_line_and_column_not_taken_for_a_header(tmp_path, content, message):
    path = tmp_path / "lines.csv"
    path.write_bytes(content)
    with pytest.raises(ArrangementError) as info:
        _cli_input.read_arrangement_csv(path)
    assert str(info.value).startswith(f"{path} {message}")


def test_a_bad_first_row_is_an_error_in_the_cli(capsys, tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text("1,0,0.5x\n0,1,0\n1,1,1\n")
    code, out, err = _run(capsys, "regions", str(path))
    _assert_one_line_error(code, out, err, "hyperarr regions")
    assert "line 1" in err and "column 3: '0.5x' is not a number" in err


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        (b"w1,w2,theta\n1,0,0\n", [[1, 0, 0]]),
        (b"# lines\n\nw1, w2, theta\n1,0,0\n0,1,1/2\n", [[1, 0, 0], [0, 1, Fraction(1, 2)]]),
        (b"\xef\xbb\xbf1,0,0\n0,1,0\n", [[1, 0, 0], [0, 1, 0]]),  # a byte order mark keeps row 1
        (b"\xef\xbb\xbfw1,w2,theta\n0,1,0\n", [[0, 1, 0]]),
        (b"1,2e308\n", [[1, 2 * 10**308]]),  # exact, beyond the float range
        (b"1,-1e-400\n", [[1, -Fraction(1, 10**400)]]),
    ],
)
def test_csv_rows_are_read_exactly(tmp_path, content, rows):
    path = tmp_path / "lines.csv"
    path.write_bytes(content)
    assert [list(r) for r in _cli_input.read_arrangement_csv(path).exact_rows] == rows


def test_a_byte_order_mark_counts_in_the_offset_of_a_bad_byte(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_bytes(b"\xef\xbb\xbf1,\xff\n")
    with pytest.raises(ArrangementError, match="has byte 0xff at offset 5"):
        _cli_input.read_arrangement_csv(path)


def test_a_value_beyond_the_float_range_works_or_is_one_line(capsys, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("1,2e308\n")
    code, out, err = _run(capsys, "regions", str(path))
    if code == 0:
        assert err == "" and len([ln for ln in out.splitlines() if ln[:3].strip().isdigit()]) == 2
    else:
        _assert_one_line_error(code, out, err, "hyperarr regions")
        assert "beyond the float64" in err


# --------------------------------------------------------------------------
# hyperarr regions: exact witnesses, point_inside and relatively_bounded in every output
# --------------------------------------------------------------------------


def _thin_csv(tmp_path) -> Path:
    """The sheet's 0.1 + 0.2 != 0.3 lines, the floats written exactly: one region holds no float64 point."""
    path = tmp_path / "thin.csv"
    rows = [(1, 0, 0.1), (0, 1, 0.2), (1, 1, 0.3)]
    path.write_text("".join(f"{a},{b},{Fraction(c)}\n" for a, b, c in rows))
    return path


def test_regions_csv_carries_exact_witnesses_and_both_bounded_flags(capsys, tmp_path):
    path, out = _thin_csv(tmp_path), tmp_path / "regions.csv"
    expected = _cli_input.read_arrangement_csv(path).regions()
    assert len(expected) == 7 and expected.points_inside.tolist().count(False) == 1
    code, _, err = _run(capsys, "regions", str(path), "-o", str(out))
    assert code == 0, err
    head, *rows = [line.split(",") for line in out.read_text().splitlines()]
    assert head == ["s1", "s2", "s3", "x1", "x2", "bounded", "relatively_bounded", "point_inside"]
    assert [[int(v) for v in r[:3]] for r in rows] == expected.signs.tolist()
    assert [r[5:] for r in rows] == [
        [str(int(b)), str(int(rb)), str(int(ok))]
        for b, rb, ok in zip(expected.bounded, expected.relatively_bounded, expected.points_inside)
    ]
    for r, row in enumerate(rows):
        if expected.points_inside[r]:
            assert [float(v) for v in row[3:5]] == expected.points[r].tolist()
        else:
            assert all("/" in v for v in row[3:5])
            assert tuple(Fraction(v) for v in row[3:5]) == expected.exact_points[r]


def test_regions_json_carries_exact_witnesses_and_both_bounded_flags(capsys, tmp_path):
    path, out = _thin_csv(tmp_path), tmp_path / "regions.json"
    expected = _cli_input.read_arrangement_csv(path).regions()
    code, _, err = _run(capsys, "regions", str(path), "-o", str(out))
    assert code == 0, err
    data = json.loads(out.read_text())
    assert data["point_inside"] == expected.points_inside.tolist()
    assert data["relatively_bounded"] == expected.relatively_bounded.tolist()
    assert [[float.fromhex(v) for v in p] for p in data["points"]] == expected.points.tolist()
    for r, exact in enumerate(data["exact_points"]):
        if expected.points_inside[r]:
            assert exact is None
        else:
            assert tuple(Fraction(v) for v in exact) == expected.exact_points[r]


def test_regions_table_prints_the_exact_witness_where_no_float_is_inside(capsys, tmp_path):
    path = _thin_csv(tmp_path)
    expected = _cli_input.read_arrangement_csv(path).regions()
    code, out, _ = _run(capsys, "regions", str(path))
    assert code == 0
    head, *rows = out.splitlines()
    assert head.endswith("bounded  relatively_bounded  point_inside  " + _cli_output.WITNESS_HEAD)
    lines = {int(line.split()[0]): line for line in rows}
    [thin] = [r for r in range(len(expected)) if not expected.points_inside[r]]
    fields = lines[thin].split()
    assert fields[3:6] == [str(bool(expected.bounded[thin])), str(bool(expected.relatively_bounded[thin])), "False"]
    assert f"({', '.join(str(v) for v in expected.exact_points[thin])})" in lines[thin]
    assert all(line.split()[5] == "True" for k, line in lines.items() if k != thin)
    # elsewhere the float64 witness itself, each coordinate reading back to the same float
    for k, line in lines.items():
        if k != thin:
            coords = line[line.rindex("(") + 1:-1].split(", ")
            assert [float(c) for c in coords] == expected.points[k].tolist()


def test_regions_outputs_count_relatively_bounded_regions_as_sage_does(capsys, tmp_path):
    from hyperarr.library import shi

    A = shi(3)  # not essential: no region is compact, four are bounded modulo the lineality space
    out = tmp_path / "shi.json"
    code, _, err = _run(capsys, "regions", "--example", "shi-3", "-o", str(out))
    assert code == 0, err
    data = json.loads(out.read_text())
    assert sum(data["bounded"]) == 0
    assert sum(data["relatively_bounded"]) == A.n_bounded_regions() == 4


def test_regions_help_documents_the_columns(capsys):
    with pytest.raises(SystemExit):
        cli.main(["regions", "--help"])
    out = capsys.readouterr().out
    for column in ("relatively_bounded", "point_inside", "exact_points", "p/q", "x1..xd"):
        assert column in out


# --------------------------------------------------------------------------
# hyperarr plot: --bbox and --positive
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bbox", "needle"),
    [
        ("-1e308,-1e308,1e308,1e308", "--bbox coordinates must be at most 1e+100 in absolute value"),
        ("-1e101,0,1,1", "--bbox coordinates must be at most 1e+100 in absolute value"),
        ("-2e308,0,1,1", "--bbox must be (minx, miny, maxx, maxy) of finite numbers; got (-inf, 0.0, 1.0, 1.0)"),
        ("0,0,inf,1", "of finite numbers"),
        ("0,0,1,nan", "of finite numbers"),
        ("0,0,0,1", "--bbox needs minx < maxx"),
    ],
)
def test_plot_refuses_a_bbox_that_is_not_finite_or_overflows(capsys, tmp_path, bbox, needle):
    code, out, err = _run(capsys, "plot", f"--bbox={bbox}", "-o", str(tmp_path / "fig.png"))
    _assert_one_line_error(code, out, err, "hyperarr plot")
    assert needle in err
    assert os.listdir(tmp_path) == []


def test_plot_draws_a_bbox_at_the_limit(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    code, _, err = _run(capsys, "plot", "--bbox=-1e100,-1e100,1e100,1e100", "-o", str(tmp_path / "fig.png"))
    assert code == 0, err
    assert os.listdir(tmp_path) == ["fig.png"]


@pytest.mark.parametrize("positive", ["", " ", "A,,D", "A,"])
def test_plot_network_refuses_an_empty_positive_list(capsys, tmp_path, positive):
    code, out, err = _run(capsys, "plot", "--network", "--positive", positive, "-o", str(tmp_path / "net.png"))
    _assert_one_line_error(code, out, err, "hyperarr plot")
    assert f"--positive expects a comma-separated list of region labels such as A,D,G; got {positive!r}" in err
    assert os.listdir(tmp_path) == []


def test_plot_network_without_positive_uses_the_sheets_regions(capsys, monkeypatch, tmp_path):
    from hyperarr.library import five_lines
    from hyperarr.plane import region_by_label

    seen = []

    def record(A, regions, method):
        seen.append(regions)
        raise ValueError("recorded")

    monkeypatch.setattr(_plot, "synthesize", record)
    code, _, err = _run(capsys, "plot", "--network", "-o", str(tmp_path / "net.png"))
    assert code == 2 and "recorded" in err
    assert seen == [[region_by_label(five_lines(), label) for label in "ADG"]]


# --------------------------------------------------------------------------
# A newcomer's first hour (issue 21): the demo, the traps, long runs
# --------------------------------------------------------------------------


def test_demo_writes_into_its_own_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(capsys, "demo")
    assert code == 0
    assert os.listdir(tmp_path) == ["hyperarr-demo"]
    assert sorted(os.listdir(tmp_path / "hyperarr-demo")) == ["five_lines.png", "network.png", "network_ADG.json"]
    assert f"written to {tmp_path / 'hyperarr-demo' / 'network_ADG.json'}" in out


def test_demo_without_matplotlib_skips_the_figures_and_succeeds(capsys, tmp_path, no_matplotlib):
    code, out, err = _run(capsys, "demo", "--out", str(tmp_path))
    assert code == 0 and err == ""
    assert "Figures 2 and 3 (five_lines.png, network.png) skipped: " in out
    assert "pip install -e '.[plot]'" in out
    assert os.listdir(tmp_path) == ["network_ADG.json"]


def test_demo_needs_no_torch_dask_or_sklearn(tmp_path):
    code = ("import sys\n"
            "sys.modules.update(dict.fromkeys(['torch', 'dask', 'sklearn', 'pyarrow'], None))\n"
            "from hyperarr.cli import main\n"
            "raise SystemExit(main(['demo']))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "hyperarr-demo" / "network_ADG.json").is_file()


def test_synthesize_says_which_regions_it_chose_by_label_and_index(capsys):
    code, out, _ = _run(capsys, "synthesize", "--example", "five-lines", "--positive", "G,A,D")
    assert code == 0
    assert out.splitlines()[0] == "positive regions (label #index): A #6, D #13, G #12"
    code, by_index, _ = _run(capsys, "synthesize", "--example", "five-lines", "--positive", "6,13,12")
    assert code == 0 and by_index == out  # the help's claim: A, D, G are indices 6, 13, 12
    code, out, _ = _run(capsys, "synthesize", "--example", "braid-3", "--positive", "1,0")
    assert out.splitlines()[0] == "positive regions (index): 0, 1"


def test_synthesize_help_tells_labels_from_indices(capsys):
    with pytest.raises(SystemExit):
        cli.main(["synthesize", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "index 0 is not region A" in text
    assert "in five-lines, regions A, D, G are indices 6, 13, 12" in text


@pytest.mark.parametrize("command", ["count", "regions", "faces", "synthesize"])
def test_every_command_that_reads_an_arrangement_documents_family_examples(capsys, command):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "FAMILY-D such as threshold-6" in text and "D in 1..12" in text


def test_plot_offers_only_examples_in_the_plane(capsys, tmp_path):
    with pytest.raises(SystemExit):
        cli.main(["plot", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "plot draws d = 2 only" in text
    offered = _cli_input.plane_examples()
    assert all(name in text for name in offered) and "braid-4" not in text
    assert all(_cli_input.load_arrangement(None, name).dim == 2 for name in offered)
    code, out, err = _run(capsys, "plot", "--example", "braid-4", "-o", str(tmp_path / "f.png"))
    _assert_one_line_error(code, out, err, "hyperarr plot")
    assert "draws lines in the plane (d = 2) only; --example braid-4 is hyperplanes in R^4" in err
    code, out, _ = _run(capsys, "plot", "--example", "resonance-2", "-o", str(tmp_path / "f.png"))
    assert code == 0 and out == f"figure written to {tmp_path / 'f.png'}\n"


def test_plot_network_method_defaults_to_minimal_as_synthesize(capsys, monkeypatch, tmp_path):
    methods = []
    real = _plot.synthesize
    monkeypatch.setattr(_plot, "synthesize", lambda *a, **k: methods.append(k["method"]) or real(*a, **k))
    code, _, _ = _run(capsys, "plot", "--network", "-o", str(tmp_path / "n.png"))
    assert code == 0 and methods == ["minimal"]
    assert _synthesize_default(capsys) == "minimal"


def _synthesize_default(capsys) -> str:
    code, out, _ = _run(capsys, "synthesize", "--example", "five-lines", "--positive", "A")
    assert code == 0
    return re.search(r"method: (\S+);", out).group(1)


def test_count_max_seconds_defaults_to_the_librarys_budget(capsys):
    from hyperarr.counting import DEFAULT_MAX_SECONDS

    with pytest.raises(SystemExit):
        cli.main(["count", "--help"])
    assert f"(default {DEFAULT_MAX_SECONDS:g}, as the library's)" in " ".join(capsys.readouterr().out.split())


def test_regions_refusal_names_hyperarr_count(capsys):
    code, out, err = _run(capsys, "regions", "--example", "braid-4", "--max-regions", "5")
    _assert_one_line_error(code, out, err, "hyperarr regions")
    assert "has 24 regions" in err
    assert "count them with 'hyperarr count --example braid-4 --symmetry', or raise --max-regions" in err


def _slow_count(*args, **kwargs):
    import time

    end = time.perf_counter() + 30
    while time.perf_counter() < end:  # a count that would run for 30 s
        time.sleep(0.01)
    raise AssertionError("not stopped")


@pytest.mark.parametrize("source", [["--example", "threshold-4"], ["FILE"]])
def test_count_max_seconds_stops_an_arrangement_count(capsys, monkeypatch, tmp_path, source):
    import time

    if source == ["FILE"]:
        source = [str(tmp_path / "a.csv")]
        Path(source[0]).write_text("1,0,0\n0,1,0\n1,1,0\n")
    monkeypatch.setattr(_count, "characteristic_polynomial", _slow_count)
    start = time.perf_counter()
    code, out, err = _run(capsys, "count", *source, "--max-seconds", "0.3")
    assert time.perf_counter() - start < 5
    err_line = err.splitlines()[-1]
    assert code == 2 and out == "" and "Traceback" not in err
    assert "ran for more than 0.3 s (--max-seconds) and was stopped" in err_line


def test_count_of_a_family_with_a_symmetry_suggests_it(capsys, monkeypatch):
    monkeypatch.setattr(_count, "characteristic_polynomial", _slow_count)
    code, _, err = _run(capsys, "count", "--example", "threshold-7", "--max-seconds", "0.2")
    note, error = err.splitlines()
    assert note == ("hyperarr count: note: --symmetry (the family has one) counts far faster: "
                    "hyperarr count --example threshold-7 --symmetry")
    assert code == 2 and "hyperarr count --example threshold-7 --symmetry, or raise --max-seconds" in error
    monkeypatch.undo()
    code, _, err = _run(capsys, "count", "--example", "shi-3")  # no symmetry known: no note
    assert code == 0 and err == ""


@pytest.mark.parametrize("source", [["--example", "five-lines"], ["--n", "5", "--d", "2"], ["FILE"]])
@pytest.mark.parametrize("value, says", [("abc", "expects a number of seconds; got 'abc'"),
                                          ("-1", "must be a positive finite number of seconds; got '-1'"),
                                          ("nan", "must be a positive finite number of seconds; got 'nan'")])
def test_count_refuses_a_malformed_max_seconds_in_argparse(capsys, monkeypatch, tmp_path, source, value, says):
    # Issue 23, item 4: a malformed --max-seconds was ignored with FILE or --example.
    monkeypatch.setattr(_count, "characteristic_polynomial", _never)
    if source == ["FILE"]:
        source = [str(tmp_path / "a.csv")]
        Path(source[0]).write_text("1,0,0\n0,1,0\n")
    code, out, err = _run(capsys, "count", *source, "--max-seconds", value)
    _assert_one_line_error(code, out, err, "hyperarr count")
    assert f"argument --max-seconds: {says}" in err


def test_count_max_seconds_covers_reading_the_example(capsys, monkeypatch):
    # Issue 23, item 4: the budget is one, for building the example and counting.
    monkeypatch.setattr(_count, "load_symmetric", _slow_count)
    code, out, err = _run(capsys, "count", "--example", "threshold-4", "--symmetry", "--max-seconds", "0.3")
    _assert_one_line_error(code, out, err, "hyperarr count")
    assert "counting the regions of threshold-4 ran for more than 0.3 s (--max-seconds) and was stopped" in err


def test_a_numba_compile_is_announced_once(capsys):
    from numba import njit

    from hyperarr.cli._command import feedback

    @njit  # no cache: this compiles every time
    def twice(x):
        return 2 * x

    @njit
    def thrice(x):
        return 3 * x

    with feedback("hyperarr count", "counting"):
        assert twice(2) + thrice(2) == 10
    assert capsys.readouterr().err == "hyperarr count: compiling kernels (first run only)\n"
    with feedback("hyperarr count", "counting"):
        assert twice(3) == 6  # compiled already: nothing to say
    assert capsys.readouterr().err == ""


def test_the_elapsed_bar_stays_off_where_stderr_is_no_terminal(capsys):
    from hyperarr.cli import _command

    with _command.feedback("hyperarr regions", "enumerating regions"):
        pass
    assert not _command.on_terminal() and capsys.readouterr().err == ""


# --- regions --facets, and the new families in count --example -----------------


def _facet_rows(A):
    F = A.regions().facets()
    return [F.indices[F.indptr[r]:F.indptr[r + 1]].tolist() for r in range(F.shape[0])]


def test_regions_facets_in_the_table_csv_and_json(capsys, tmp_path):
    from hyperarr.library import five_lines

    want = _facet_rows(five_lines())
    code, out, err = _run(capsys, "regions", "--example", "five-lines", "--facets")
    assert code == 0 and err == ""
    rows = [ln.split() for ln in out.splitlines() if ln[:3].strip().isdigit()]
    assert len(rows) == 16 and out.splitlines()[0].endswith("facets")
    for row in rows:
        assert [int(k) for k in row[-1].split(",")] == want[int(row[0])]
    csv_out, json_out = tmp_path / "r.csv", tmp_path / "r.json"
    assert _run(capsys, "regions", "--example", "five-lines", "--facets", "-o", str(csv_out))[0] == 0
    lines = csv_out.read_text().splitlines()
    assert lines[0].split(",")[-1] == "facets"
    assert [[int(k) for k in ln.split(",")[-1].split()] for ln in lines[1:]] == want
    assert _run(capsys, "regions", "--example", "five-lines", "--facets", "-o", str(json_out))[0] == 0
    assert json.loads(json_out.read_text())["facets"] == want
    code, _, err = _run(capsys, "regions", "--example", "five-lines", "--facets", "-o", str(tmp_path / "r.npz"))
    assert code != 0 and "--facets writes to the table, .csv or .json" in err


@pytest.mark.parametrize(("name", "regions"), [
    ("coxeter-b-3", 48), ("coxeter-d-4", 192), ("shi-b-2", 25), ("catalan-b-2", 48),
    ("semiorder-4", 183), ("linial-4", 36), ("ish-3", 16), ("ish-b-2", 25), ("shi-d-2", 9),
])
def test_count_example_takes_the_new_families(capsys, name, regions):
    code, out, err = _run(capsys, "count", "--example", name)
    assert code == 0, err
    line = next(ln for ln in out.splitlines() if ln.startswith("regions"))
    assert int(line.split()[-1]) == regions


def test_count_example_states_the_new_symmetry_groups(capsys):
    code, out, err = _run(capsys, "count", "--example", "coxeter-d-4", "--symmetry")
    assert code == 0, err
    assert "symmetry group from 3 generators (verified)" in out
    assert int(next(ln for ln in out.splitlines() if ln.startswith("regions")).split()[-1]) == 192
