"""Smoke tests of the benchmark scripts (correctness only, never timings)."""

import csv
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
from benchmarks.baselines.incremental_lp import incremental_lp  # noqa: E402


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
    table, verdicts = enumeration._rows(plan, results, quick=False, sage_on=False)
    by_key = {(r[0], r[1]): r for r in table}
    assert by_key[("resonance(6)", "n_regions()")][-1] == "not met (timed out at 40 s)"
    assert by_key[("generic(20, 8)", "adjacency_graph()")][-1].startswith("n/a")
    status = by_key[("resonance(5)", "regions()")][-1]
    assert status.startswith("not met") and "500.0 ms > 350.0 ms" in status
    assert by_key[("resonance(5)", "regions()")][8] == "36.70 s (quoted)"
    assert by_key[("generic(20, 10)", "regions()")][-1] == "skipped (time budget)"
