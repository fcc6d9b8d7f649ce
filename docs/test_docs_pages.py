"""Checks that keep the documentation honest (run by pytest with the rest of docs/).

- every ``python`` code block in a page is a doctest, so it runs;
- the API reference has one page per public module, renders every name of
  every public ``__all__`` exactly once, and its first page lists exactly
  ``hyperarr.__all__``, each linked to where it is documented;
- every page in the navigation exists and every page is in the navigation.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
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


API = DOCS / "api"

# "::: module" and the indented options block under it.
_DIRECTIVE = re.compile(r"^::: ([\w.]+)\n((?:[ ]{4,}\S.*\n)*)", re.M)


def _directives() -> list[tuple[str, str, list[str] | None]]:
    """(page, module, listed members or None) for every mkdocstrings directive in docs/."""
    out = []
    for page in _pages():
        for match in _DIRECTIVE.finditer(page.read_text(encoding="utf-8")):
            block = match.group(2)
            listed = None
            members = re.search(r"^\s+members:[ ]*(\S*)\n((?:\s+- \w+\n)*)", block, re.M)
            if members is not None:
                if members.group(1) == "false":
                    listed = []
                else:
                    assert members.group(1) == "", f"{page.name}: members must be false or a list"
                    listed = re.findall(r"- (\w+)", members.group(2))
            out.append((str(page.relative_to(DOCS)), match.group(1), listed))
    return out


def _public_modules() -> set[str]:
    """hyperarr's public modules: the package and its submodules not starting with _."""
    names = {m.name for m in pkgutil.iter_modules(hyperarr.__path__) if not m.name.startswith("_")}
    # The CLI is documented in prose (api/cli.md): its options are its --help.
    return {"hyperarr"} | {f"hyperarr.{name}" for name in names - {"cli"}}


def _rendered() -> dict[str, str]:
    """Identifier -> page, for every object the API pages render."""
    out: dict[str, str] = {}
    for page, module, listed in _directives():
        mod = importlib.import_module(module)
        for name in mod.__all__ if listed is None else listed:
            ident = f"{module}.{name}"
            assert ident not in out, f"{ident} is rendered twice ({out[ident]}, {page})"
            out[ident] = page
    return out


def test_api_has_one_page_per_public_module() -> None:
    found = _directives()
    pages = {module: page for page, module, _ in found}
    assert len(pages) == len(found), "a module is rendered by two directives"
    assert set(pages) == _public_modules()
    assert all(page == f"api/{module.removeprefix('hyperarr.')}.md" for module, page in pages.items()
               if module != "hyperarr")
    assert pages["hyperarr"] == "api/index.md"


def test_api_renders_every_public_name_once() -> None:
    """Each object of a public __all__ is rendered on exactly one page, in a module exporting it."""
    where: dict[int, str] = {}
    for ident in _rendered():
        module, name = ident.rsplit(".", 1)
        mod = importlib.import_module(module)
        assert name in mod.__all__, f"{ident} is rendered but not in {module}.__all__"
        obj = getattr(mod, name)
        assert id(obj) not in where, f"{ident} is {where[id(obj)]}, rendered again"
        where[id(obj)] = ident
    for module in sorted(_public_modules() - {"hyperarr"}):
        mod = importlib.import_module(module)
        for name in mod.__all__:
            assert id(getattr(mod, name)) in where, f"{module}.{name} is rendered on no page"


def test_api_index_lists_exactly_dunder_all() -> None:
    """The package root's page renders no member and links each of hyperarr.__all__ once."""
    text = (API / "index.md").read_text(encoding="utf-8")
    assert ("api/index.md", "hyperarr", []) in _directives(), "api/index.md: '::: hyperarr' with members: false"
    rows = re.findall(r"^\| \[`(\w+)`\]\[([\w.]+)\] \|", text, re.M)
    names = [name for name, _ in rows]
    assert sorted(names) == sorted(hyperarr.__all__) and len(names) == len(set(names))
    rendered = _rendered()
    for name, target in rows:
        obj = getattr(hyperarr, name)
        if target in rendered:
            module, member = target.rsplit(".", 1)
            assert getattr(importlib.import_module(module), member) is obj, f"{name} links to {target}"
        else:
            assert target == f"hyperarr.{name}" and target in _public_modules(), (
                f"{name} links to {target}, which no API page renders")
            assert obj is importlib.import_module(target)


def test_navigation_matches_pages() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config[config.index("\nnav:") :]
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", nav, re.M))
    assert listed == {str(p.relative_to(DOCS)) for p in _pages()}


IMG = DOCS / "img"

# ![alt](path) in Markdown; the path up to the first space or closing parenthesis.
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def test_every_image_is_drawn_and_shown() -> None:
    """docs/img holds exactly the figures of make_figures.py, and each is shown on a page."""
    spec = importlib.util.spec_from_file_location("make_figures", DOCS / "make_figures.py")
    assert spec is not None and spec.loader is not None
    make_figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_figures)
    shown = set()
    for page in _pages():
        for ref in _IMAGE.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / ref).resolve()
            assert target.is_file(), f"{page.relative_to(DOCS)}: image {ref} does not exist"
            shown.add(target)
    stored = {p.resolve() for p in IMG.iterdir() if p.is_file()}
    assert stored == {(IMG / name).resolve() for name in make_figures.FIGURES}, (
        "docs/img holds a file that docs/make_figures.py does not draw, or misses one it draws")
    assert sorted(p.name for p in stored - shown) == [], "images in docs/img that no page shows"
