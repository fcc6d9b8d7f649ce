"""Benchmark figures quoted in README.md and the docs agree with benchmarks/results/."""

import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import figures  # noqa: E402


def test_quoted_figures_agree_with_their_results_files():
    assert figures.mismatches() == []


def test_the_pages_quote_every_listed_figure_once():
    for quote in figures.QUOTES:
        text = (ROOT / quote.page).read_text(encoding="utf-8")
        assert len(re.findall(quote.pattern, text)) == 1, (quote.page, quote.pattern)


def _copy(tmp_path: Path) -> Path:
    for rel in {q.page for q in figures.QUOTES} | {str(figures.RESULTS / q.source)
                                                  for q in figures.QUOTES}:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    return tmp_path


def test_a_stale_figure_is_caught_and_rewritten(tmp_path):
    root = _copy(tmp_path)
    page = root / "docs/guide/counting.md"
    text = page.read_text(encoding="utf-8")
    stale = re.sub(r"(`threshold\(7\)`, cube group \(645,120 elements\) \| )[\d.]+ s",
                   r"\g<1>99 s", text)
    assert stale != text
    page.write_text(stale, encoding="utf-8")
    wrong = figures.mismatches(root)
    assert len(wrong) == 1 and "'99 s'" in wrong[0] and "counting.md" in wrong[0]
    assert figures.rewrite(root) == ["docs/guide/counting.md"]
    assert page.read_text(encoding="utf-8") == text
    assert figures.mismatches(root) == []


def test_a_new_result_is_caught(tmp_path):
    root = _copy(tmp_path)
    results = root / figures.RESULTS / "distributed.md"
    text = results.read_text(encoding="utf-8")
    results.write_text(re.sub(r"(2 workers \|[^|]*\|\s*)[\d.]+×", r"\g<1>1.90×", text),
                       encoding="utf-8")
    wrong = figures.mismatches(root)
    assert len(wrong) == 1 and "'1.90'" in wrong[0] and "scale-out.md" in wrong[0]


def test_a_missing_quote_is_reported(tmp_path):
    root = _copy(tmp_path)
    page = root / "docs/guide/scale-out.md"
    page.write_text(page.read_text(encoding="utf-8").replace("regions/s", "regions a second"),
                    encoding="utf-8")
    wrong = figures.mismatches(root)
    assert wrong and all("matches 0 times" in w for w in wrong)


def test_the_readme_copies_no_timing_but_through_the_script():
    """A timing in README.md is a listed quote; otherwise the README links to the results."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = {m.span("fig") for q in figures.QUOTES if q.page == "README.md"
              for m in re.finditer(q.pattern, text)}
    timings = [m[0] for m in re.finditer(r"\d(?:[\d,.]*\d)? ?(?:µs|ms|s)\b", text)
               if not any(a <= m.start() < b for a, b in listed)]
    assert timings == []
    assert "benchmarks/results/" in text


def test_results_tables_parse():
    results = figures.Results((ROOT / figures.RESULTS / "counting.md").read_text(encoding="utf-8"))
    assert results.cell("T6", "regions") == "15,028,134"
    with pytest.raises(KeyError, match="no cell"):
        results.cell("T6", "no such column")
    with pytest.raises(ValueError, match="needs a markdown table"):
        figures.Results("- a bullet\n")
