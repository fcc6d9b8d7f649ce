"""Checks that keep the documentation honest (run by pytest with the rest of docs/).

- every ``python`` code block in a page is a doctest, so it runs;
- the API page renders exactly ``hyperarr.__all__``;
- every page in the navigation exists and every page is in the navigation.
"""

from __future__ import annotations

import re
from pathlib import Path

import hyperarr

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def test_every_python_block_is_a_doctest() -> None:
    untested = []
    for page in _pages():
        for match in _FENCE.finditer(page.read_text(encoding="utf-8")):
            lang, body = match.group(1), match.group(2)
            if lang in ("", "py", "python", "pycon") and not body.lstrip().startswith(">>> "):
                line = page.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
                untested.append(f"{page.relative_to(ROOT)}:{line} ({lang or 'no language'})")
            if lang in ("py", "python", "pycon") and not body.endswith("\n\n"):
                line = page.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
                untested.append(f"{page.relative_to(ROOT)}:{line} (no blank line before the fence)")
    assert untested == []


def test_api_page_renders_all_of_dunder_all() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    top = re.search(r"^::: hyperarr\n\s+options:\n\s+members:\n((?:\s+- \w+\n)+)", text, re.M)
    assert top is not None, "api.md must start with '::: hyperarr' and an explicit members list"
    members = re.findall(r"- (\w+)", top.group(1))
    modules = re.findall(r"^::: hyperarr\.(\w+)$", text, re.M)
    assert len(members) == len(set(members))
    assert sorted(members + [m for m in modules if m in hyperarr.__all__]) == sorted(hyperarr.__all__)


def test_navigation_matches_pages() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config[config.index("\nnav:") :]
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", nav, re.M))
    assert listed == {str(p.relative_to(DOCS)) for p in _pages()}
