"""Smoke tests of the benchmark scripts (correctness only, never timings)."""

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

import hyperarr as ha  # noqa: E402
from hyperarr import library  # noqa: E402
from hyperarr.counting import max_regions  # noqa: E402

from benchmarks import enumeration, region_counts  # noqa: E402
from benchmarks._common import cells  # noqa: E402
from benchmarks.baselines.incremental_lp import incremental_lp  # noqa: E402
from benchmarks.enumeration import Baseline, Outcome, Row, collect_rows, report, worker, workloads  # noqa: E402,E501
from benchmarks.enumeration.operations import OPERATIONS  # noqa: E402
from benchmarks.enumeration.rows import Source  # noqa: E402
from benchmarks.enumeration.sage import SAGE_OPERATIONS  # noqa: E402
from benchmarks.enumeration.targets import QUOTED_SAGE, TARGETS  # noqa: E402
from benchmarks.enumeration.workloads import WORKLOADS  # noqa: E402


def _degenerate() -> ha.Arrangement:
    """Repeated lines (one with the opposite orientation), parallels, three concurrent lines."""
    return ha.Arrangement(
        [[1, 0], [0, 1], [1, 0], [-2, 0], [1, 1], [1, 1], [1, -1]],
        [0, 0, 0, 0, 1, 2, 0],
    )


@pytest.mark.parametrize(
    "make",
    [lambda: library.generic(8, 3, seed=0), lambda: library.braid(4), _degenerate],
    ids=["generic(8,3)", "braid(4)", "degenerate"],
)
@pytest.mark.parametrize("smart", [True, False])
def test_lp_baseline_matches_regions(make, smart):
    A = make()
    res = incremental_lp(A.normals, A.offsets, smart=smart)
    expected = {tuple(s) for s in A.regions().signs.tolist()}
    assert res.sign_set() == expected
    assert len(res) == len(expected)  # no duplicates
    assert np.array_equal(A.signs(res.points), res.signs)


def test_lp_baseline_rejects_zero_normal():
    with pytest.raises(ValueError, match="normals row 1 is zero"):
        incremental_lp([[1.0, 0.0], [0.0, 0.0]], [0.0, 1.0])


def test_region_counts_quick_writes_tables(tmp_path, capsys):
    assert region_counts.main(["--quick", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "exact Σ C(n,k)" in printed and "exercise 3h" in printed and "miniproject" in printed

    md = (tmp_path / "region_counts.md").read_text(encoding="utf-8")
    assert "numpy" in md and "seed: 0" in md
    assert (tmp_path / "region_counts.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    with open(tmp_path / "region_counts.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    grid = [r for r in rows if not r["label"]]
    assert {(int(r["n"]), int(r["d"])) for r in grid} == {
        (n, d) for d in range(1, 5) for n in range(d, 21)
    }
    checked = 0
    for r in rows:
        exact = max_regions(int(r["n"]), int(r["d"]))
        assert int(r["exact"]) == exact
        for col in ("enumerated", "chi_count"):
            if r[col]:
                assert int(r[col]) == exact
                checked += 1
    assert checked > 0
    named = {r["label"]: r for r in rows if r["label"]}
    assert named["exercise 3h"]["verdict"] == "off by 10^7"
    assert int(named["miniproject"]["exact"]) == max_regions(1000, 256)


def test_enumeration_table_reports_timeouts_and_missing_modules():
    plan = [
        enumeration.Task("resonance(6)", "n_regions", 40),
        enumeration.Task("generic(20, 8)", "adjacency", 60),
        enumeration.Task("resonance(5)", "regions", 30),
    ]
    results = {
        "resonance(6)|n_regions": {"timeout": 40.0, "started": 0.0},
        "generic(20, 8)|adjacency": {"hyperarr": {"na": "ImportError: no module"}},
        "resonance(5)|regions": {"hyperarr": {"time": 0.5, "repeats": 3, "count": 11_292}},
    }
    table = [report.row_cells(r) for r in collect_rows(plan, results, quick=False, sage_on=False)]
    by_key = {(r[0], r[1]): r for r in table}
    assert by_key[("resonance(6)", "n_regions()")][-1] == "not met (timed out at 40 s)"
    assert by_key[("generic(20, 8)", "adjacency_graph()")][-1].startswith("n/a")
    status = by_key[("resonance(5)", "regions()")][-1]
    assert status.startswith("not met") and "500.0 ms > 350.0 ms" in status
    assert by_key[("resonance(5)", "regions()")][8] == "36.70 s (quoted)"
    assert by_key[("generic(20, 10)", "regions()")][-1] == "skipped (time budget)"


def _row(workload: str, op: str, **fields) -> Row:
    """A measured row of ``workload`` (right count) with its target, ``fields`` overriding."""
    fields = {"outcome": Outcome.MEASURED, "count": WORKLOADS[workload][2],
              "target": TARGETS.get((workload, op)), **fields}
    return Row(workload, op, WORKLOADS[workload][2], **fields)


def test_measured_row_formats_to_its_cells():
    row = _row("generic(16, 8)", "regions", seconds=0.1386, peak_bytes=22_900_000,
               lp=Baseline(Source.MEASURED, 97.63, lps=50_642))
    assert report.row_cells(row) == [
        "generic(16, 8)", "regions()", "39,203", "138.6 ms", "282,850", "22.9 MB",
        "97.63 s (50,642 LPs)", "704×", "—", "—", "≥ 100× LP baseline", "met (704× ≥ 100×)",
    ]


def test_rows_not_run_show_the_quoted_figures():
    rows = collect_rows(workloads.plan(quick=True), {}, quick=True, sage_on=False)
    by_key = {(r.workload, r.operation): report.row_cells(r) for r in rows}
    assert by_key[("generic(16, 8)", "regions")] == [
        "generic(16, 8)", "regions()", "39,203", "not run", "—", "—",
        "70.70 s (quoted, prototype)", "—", "—", "—", "≥ 100× LP baseline", "skipped (--quick)",
    ]
    assert by_key[("resonance(6)", "n_regions")][8:10] == ["742 s (quoted)", "—"]
    assert by_key[("generic(8, 3)", "regions")][-2:] == ["—", "skipped (--quick)"]


@pytest.mark.parametrize(
    "row, columns, expected",
    [
        (_row("generic(20, 10)", "regions", seconds=0.5), ["status"],
         ["undecided (500.0 ms ≤ 1.00 s; memory not measured)"]),
        (_row("generic(20, 10)", "regions", seconds=2.0), ["status"],
         ["not met (2.00 s > 1.00 s; memory not measured)"]),
        (_row("generic(20, 10)", "regions", seconds=0.5, peak_bytes=350_000_000),
         ["peak memory", "status"], ["350.0 MB", "not met (500.0 ms ≤ 1.00 s; 350 MB > 300 MB)"]),
        (_row("generic(16, 8)", "regions", seconds=0.1, lp=Baseline(Source.TIMED_OUT, 5.0)),
         ["LP baseline", "LP/hyperarr", "status"],
         ["> 5.00 s (timed out)", "> 50×", "undecided (> 50×, the comparison timed out)"]),
        (_row("generic(16, 8)", "regions", seconds=0.1, lp=Baseline(Source.TIMED_OUT, 50.0)),
         ["LP/hyperarr", "status"], ["> 500×", "met (500× ≥ 100×)"]),
        (_row("generic(16, 8)", "regions", seconds=0.1,
              lp=Baseline(Source.MEASURED, 50.0, lps=7, agrees=False)),
         ["status"], ["not met (LP BASELINE DISAGREES)"]),
        (_row("generic(16, 8)", "regions", outcome=Outcome.FAILED, detail="Traceback",
              lp=Baseline(Source.FAILED)),
         ["hyperarr", "LP baseline", "LP/hyperarr", "status"],
         ["error", "error", "—", "not met (error: Traceback)"]),
        (_row("generic(15, 5)", "regions", seconds=0.0167,
              sage=Baseline(Source.MEASURED, 32.46, count=4_945)),
         ["Sage", "Sage/hyperarr", "status"],
         ["32.46 s (SAGE COUNT 4,945)", "1,944×", "met (1,944× ≥ 1,000×)"]),
        (_row("generic(15, 5)", "regions", seconds=0.0167, sage=Baseline(Source.TIMED_OUT, 100.0)),
         ["Sage", "Sage/hyperarr", "status"],
         ["> 100 s (timed out)", "> 5,988×", "met (5,988× ≥ 1,000×)"]),
        (_row("generic(15, 5)", "n_regions", seconds=0.0167, sage=Baseline(Source.QUOTED, 3.4)),
         ["Sage", "Sage/hyperarr", "peak memory", "target", "status"],
         ["3.40 s (quoted)", "204× (vs quoted)", "not measured", "—", "—"]),
        (_row("resonance(5)", "regions", seconds=0.3, count=11_291), ["regions/s", "status"],
         ["37,640", "not met (WRONG COUNT 11,291 ≠ 11,292)"]),
        (_row("generic(20, 8)", "adjacency", outcome=Outcome.UNAVAILABLE, detail="ImportError: x"),
         ["hyperarr", "regions/s", "peak memory", "status"], ["n/a", "—", "—", "n/a (ImportError: x)"]),
        (_row("resonance(6)", "n_regions", outcome=Outcome.TIMED_OUT, limit=40.0),
         ["hyperarr", "status"], ["> 40 s", "not met (timed out at 40 s)"]),
    ],
)
def test_row_cells_and_verdicts(row, columns, expected):
    cells = dict(zip([c.header for c in report.COLUMNS], report.row_cells(row)))
    assert [cells[c] for c in columns] == expected


def test_operation_table_covers_every_workload_and_task():
    tasks = workloads.plan(quick=True) + workloads.plan(quick=False)
    assert {t.workload for t in tasks} == set(WORKLOADS)
    assert {t.op for t in tasks} <= set(OPERATIONS) | set(SAGE_OPERATIONS)
    assert {op.sage for op in OPERATIONS.values() if op.sage} <= set(SAGE_OPERATIONS)
    for figures in (TARGETS, QUOTED_SAGE):
        assert {w for w, _ in figures} <= set(WORKLOADS)
        assert {op for _, op in figures} <= set(OPERATIONS)
    for quick in (True, False):
        rows = collect_rows(workloads.plan(quick), {}, quick=quick, sage_on=False)
        keys = [(r.workload, r.operation) for r in rows]
        assert len(keys) == len(set(keys))
        assert set(TARGETS) <= set(keys)
        assert len(report.verdicts(rows)) == len(TARGETS)


def test_columns_match_the_committed_results():
    committed = (ROOT / "benchmarks" / "results" / "enumeration.md").read_text(encoding="utf-8")
    header = next(line for line in committed.splitlines() if line.startswith("| workload"))
    assert [h.strip() for h in header.strip("|").split("|")] == [c.header for c in report.COLUMNS]


def _worker_parts(task, data_dir, capsys) -> dict:
    """Run ``task`` in this process, as its child would; the parts it reported."""
    worker.work({"workload": task.workload, "op": task.op, "data": str(data_dir), "lp": task.lp,
                 "memory_below": 1e9})
    parts = {}
    for line in capsys.readouterr().out.splitlines():
        msg = json.loads(line)
        parts[msg.pop("part")] = msg
    return parts


def test_worker_times_one_task(tmp_path, capsys):
    workloads.build(["generic(8, 3)"], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["generic_8__3_.npz"]  # no temporary left
    task = enumeration.Task("generic(8, 3)", "regions", 20, lp=True)
    parts = _worker_parts(task, tmp_path, capsys)
    assert parts["hyperarr"]["count"] == 93
    assert parts["memory"]["peak"] > 0
    assert parts["lp"]["agree"] is True and parts["lp"]["count"] == 93
    (row,) = [r for r in collect_rows([task], {task.key: parts}, quick=True, sage_on=False)
              if r.workload == task.workload]
    assert row.outcome is Outcome.MEASURED and row.status == "" and row.ratio(row.lp) > 0


def test_count_rows_format_to_the_committed_lines():
    rows, _ = region_counts.compute_rows(range(10, 11), 20, check_all_below=0, check_shown_below=0,
                                         named=True)
    named = {r.label: r for r in rows if r.label}
    assert set(named) == {"exercise 3h", "miniproject"} and all(r.shown for r in named.values())
    assert not any(r.shown for r in rows if (r.n, r.d) == (15, 10))
    row = named["exercise 3h"]
    assert cells(region_counts.MD_COLUMNS, row) == [
        "20", "10", "616,666", "—", "—", "10^13.01", "2,821,869.5", "1.66e+07", "off by 10^7",
        "exercise 3h",
    ]
    committed = (ROOT / "benchmarks" / "results" / "region_counts.csv").read_text(encoding="utf-8")
    lines = {tuple(line.split(",")[:2]): line.split(",") for line in committed.splitlines()}
    assert [c.header for c in region_counts.CSV_COLUMNS] == lines[("n", "d")]
    for r in named.values():
        assert cells(region_counts.CSV_COLUMNS, r) == lines[(str(r.n), str(r.d))]


# --- the streaming-memory and general-position rows --------------------------------


@pytest.mark.parametrize(
    ("peaks", "cells_expected"),
    [
        ((36_000_000, 163_000_000), ["36.0 MB (22% of regions())", "met (36.0 MB = 22% of 163.0 MB ≤ 50%)"]),
        ((120_000_000, 163_000_000), ["120.0 MB (74% of regions())",
                                      "not met (120.0 MB = 74% of 163.0 MB > 50%)"]),
        ((None, None), ["not measured", "undecided (memory not measured)"]),
    ],
)
def test_stream_row_compares_its_peak_with_regions(peaks, cells_expected):
    row = _row("generic(20, 10)", "stream", seconds=7.0, peak_bytes=peaks[0],
               baseline_peak_bytes=peaks[1])
    cells = dict(zip([c.header for c in report.COLUMNS], report.row_cells(row)))
    assert [cells["peak memory"], cells["status"]] == cells_expected
    assert cells["target"] == "peak ≤ 50 % of regions()'s"


def test_is_generic_row_has_a_time_target():
    row = _row("random float (30, 8)", "is_generic", seconds=0.7)
    assert row.status == "met (700.0 ms ≤ 5.00 s)"
    wrong = _row("random float (30, 8)", "is_generic", seconds=0.7, count=0)
    assert wrong.status.startswith("not met (WRONG COUNT 0")


def test_only_plans_the_named_operations():
    tasks = workloads.plan(quick=False, only=["stream", "is_generic"])
    assert [t.key for t in tasks] == ["generic(20, 10)|stream", "random float (30, 8)|is_generic"]
    assert [t.key for t in workloads.plan(quick=True, only=["synthesis"])] == ["generic(12, 4)|synthesis"]
    with pytest.raises(SystemExit, match=r"--only: unknown operations \['nope'\]"):
        enumeration.main(["--only", "stream,nope"])


def test_random_float_workload_is_saved_as_floats(tmp_path):
    workloads.build(["random float (30, 8)"], tmp_path)
    W, b = workloads.load(tmp_path, "random float (30, 8)")
    rng = np.random.default_rng(workloads.SEED)
    assert np.array_equal(W, rng.standard_normal((30, 8))) and np.array_equal(b, rng.standard_normal(30))


def test_worker_measures_streaming_against_regions(tmp_path, capsys):
    workloads.build(["generic(8, 3)"], tmp_path)
    parts = _worker_parts(enumeration.Task("generic(8, 3)", "stream", 20), tmp_path, capsys)
    assert parts["hyperarr"]["count"] == 93
    assert parts["memory"]["peak"] > 0 and parts["memory"]["baseline"] > 0


def test_refusals_benchmark_rows():
    """The refusals benchmark measures what each call does (never its time)."""
    from benchmarks import refusals

    cases = {c.name: c for c in refusals.CASES()}
    row = refusals.measure(cases["approx_regions(10**9, 10**9)"], repeat=1)
    assert row.outcome == "refused: OutputTooLargeError"
    row = refusals.measure(cases["0.1 + 0.2 != 0.3 triangle: regions()"], repeat=1)
    assert row.outcome == "answered (7 items)"
    assert refusals.format_table(refusals.COLUMNS, [row]).count("\n") == 2


def test_counting_rows_are_met_only_with_the_right_count_in_time_and_memory():
    from benchmarks.counting import COLUMNS, CountingRow

    def row(regions=15028134, seconds=0.3, peak=10**8, target=5.0):
        return CountingRow("T6", regions, 15028134, seconds, 3, 0.8, peak, "—", None, "CC 9.95 s", target)

    assert row().status == "**met**"
    assert row(seconds=6.0).status == "not met"
    assert row(peak=5 * 10**9).status == "not met"
    assert row(regions=15028133).status == "WRONG COUNT"
    assert row(target=None).status == "comparison"
    out = cells(COLUMNS, row())
    assert out[1] == "15,028,134" and out[2] == "300.0 ms (3 runs)" and out[3] == "800.0 ms"
    assert out[-1] == "**met**"


# --- the deep-network benchmark ------------------------------------------------------


def test_deep_quick_correctness():
    """The quick run's correctness parts: regioncam's faces, exact witnesses, the LP baseline."""
    pytest.importorskip("regioncam", reason="regioncam is the same-run baseline (bench/test extras)")
    pytest.importorskip("sklearn", reason="the digits workload trains a scikit-learn MLP")
    from benchmarks import deep

    out = deep.correctness(deep.CONFIGS["quick"])
    for widths in deep.CONFIGS["quick"].planar:
        got = out[deep._name(widths)]
        assert got["square"] == (-1.0, 1.0)  # regioncam's size=1.0 is [−1, 1]²
        assert got["n_regions"] == got["len"] == got["faces"] > 1
        assert got["comparison"].agree, got["comparison"]
        assert got["problems"] == []
    assert out["deep"]["problems"] == [] and out["deep"]["len"] > 1
    assert out["deep"]["streamed"] == out["deep"]["len"]
    assert min(out["deep"]["radii"]) > 0  # every listed region meets the open box, by LP too
    assert out["digits"]["n_regions"] == out["digits"]["len"] > 1
    assert out["digits"]["problems"] == []


def test_deep_compare_finds_the_region_behind_a_difference():
    from benchmarks import deep

    class Table:  # the two fields compare_patterns reads
        patterns = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.int8)

    cmp = deep.compare_patterns(Table(), np.array([[1, 0], [0, 0], [0, 0]], dtype=np.int8))
    assert cmp.only_hyperarr == [1, 2] and cmp.only_regioncam == [1] and cmp.repeated_faces == 1
    assert not cmp.agree
    assert deep.compare_patterns(Table(), Table.patterns[::-1]).agree


def test_deep_lp_baseline_separates_empty_patterns():
    from benchmarks import deep

    layers = [(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32), np.zeros(2, dtype=np.float32), "relu"),
              (np.array([[1.0, 1.0]], dtype=np.float32), np.array([-3.0], dtype=np.float32), "relu")]
    # x > 0, y > 0 and x + y > 3 misses the open box (−1, 1)²; x + y < 3 meets it.
    assert deep.lp_chebyshev(layers, np.array([1, 1, 1]), -1.0, 1.0) <= 0
    assert deep.lp_chebyshev(layers, np.array([1, 1, 0]), -1.0, 1.0) > 0
    # A unit off in layer 0 drops out of layer 1: on x < 0, y > 0 the last unit is y − 3.
    assert deep.lp_chebyshev(layers, np.array([0, 1, 0]), -1.0, 1.0) > 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0.5, True, 1.0, 3.0), "met (0.50× ≤ 1×)"),
        ((2.0, True, 1.0, 3.0), "not met at 1×; met at the very least (2.00× ≤ 3×)"),
        ((12.5, True, 1.0, 3.0), "not met (12.50× > 3×)"),
        ((60.0, True, 50.0, None, False), "met (60.00× ≥ 50×)"),
        ((20.0, True, 50.0, None, False), "not met (20.00× < 50×)"),
        ((0.5, False, 1.0, 3.0, True, "COUNT 5 ≠ 6"), "not met (COUNT 5 ≠ 6)"),
    ],
)
def test_deep_ratio_status(args, expected):
    from benchmarks import deep

    assert deep.ratio_status(*args) == expected


def test_streaming_children_count_the_published_regions(tmp_path):
    from benchmarks import streaming

    log = tmp_path / "streaming.log"
    for call in ("regions", "iter", "baseline"):
        got = streaming._child("resonance", 4, call, log)
        assert got["regions"] == 370 and got["refused"] is None and got["peak"] >= got["before"] > 0
    assert log.read_text().count("done") == 3
