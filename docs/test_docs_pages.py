"""Checks that keep the documentation honest (run by pytest with the rest of docs/).

- every ``python`` code block in a page is a doctest, so it runs;
- the API reference has one page per public module, renders every name of
  every public ``__all__`` exactly once, and its first page lists exactly
  ``hyperarr.__all__``, each linked to where it is documented;
- every page in the navigation exists and every page is in the navigation;
- the summary of every public docstring is one complete first line, and the
  API index's descriptions are those summaries;
- no line of code, in a page or in a docstring example, is wider than the
  text column;
- docs/img holds the drawn figures that pages show, and nothing else.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

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
            line = page.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
            if lang in ("", "py", "python", "pycon") and not body.lstrip().startswith(">>> "):
                untested.append(f"{page.relative_to(ROOT)}:{line} ({lang or 'no language'})")
            # pycon marks prompts and output, which the copy button then leaves out.
            if body.lstrip().startswith(">>> ") and lang != "pycon":
                untested.append(f"{page.relative_to(ROOT)}:{line} (a doctest, not marked pycon)")
            if lang in ("py", "python", "pycon") and not body.endswith("\n\n"):
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


def _documented() -> dict[str, object]:
    """Identifier -> object, for every public module, object and member the API pages render.

    Members of classes are those mkdocstrings shows: methods, properties and
    dunder methods defined in the class itself, with a docstring.
    """
    out: dict[str, object] = {m: importlib.import_module(m) for m in sorted(_public_modules())}
    for ident in _rendered():
        module, name = ident.rsplit(".", 1)
        obj = getattr(importlib.import_module(module), name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj)):
            continue  # a constant: its docstring is its #: comment (see _doc_comments)
        out[ident] = obj
        if not inspect.isclass(obj):
            continue
        source = inspect.getsourcefile(obj)
        for member, value in vars(obj).items():
            if member.startswith("_") and not (member.startswith("__") and member.endswith("__")):
                continue
            value = getattr(value, "__func__", value)  # classmethod, staticmethod
            code = getattr(getattr(value, "fget", None) or getattr(value, "func", None) or value,
                           "__code__", None)
            # Written in the class's source (not made by dataclass or namedtuple).
            if code is None or code.co_filename != source:
                continue
            if member.startswith("__") and not value.__doc__:
                continue
            out[f"{ident}.{member}"] = value
    return out


def _docstring(obj: object) -> str:
    return inspect.cleandoc(getattr(obj, "__doc__", None) or "")


def _doc_comments() -> dict[str, str]:
    """``module.NAME`` -> the ``#:`` lines above each public constant of the rendered modules."""
    files = {inspect.getsourcefile(obj) for obj in _documented().values()
             if inspect.ismodule(obj) or inspect.isclass(obj) or inspect.isfunction(obj)}
    out = {}
    for file in sorted(f for f in files if f):
        text = Path(file).read_text(encoding="utf-8")
        for match in re.finditer(r"((?:^[ ]*#:.*\n)+)^[ ]*([A-Za-z]\w*)\s*[:=]", text, re.M):
            lines = [ln.strip()[2:].strip() for ln in match.group(1).splitlines()]
            out[f"{Path(file).stem}.{match.group(2)}"] = "\n".join(lines)
    return out


def _summary_problem(text: str) -> str | None:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return "no docstring"
    if not lines[0].rstrip().endswith("."):
        return f"first line is not a whole sentence: {lines[0]!r}"
    return None


def test_every_summary_is_one_complete_line() -> None:
    """The summary tables of the API pages show a docstring's first line: it must be a sentence."""
    bad = []
    for ident, obj in _documented().items():
        text = _docstring(obj)
        problem = _summary_problem(text)
        if problem is None and len(text.splitlines()) > 1 and text.splitlines()[1].strip():
            problem = f"the first sentence runs on: {text.splitlines()[1]!r}"
        if problem:
            bad.append(f"{ident}: {problem}")
    for ident, text in _doc_comments().items():
        problem = _summary_problem(text)
        if problem:
            bad.append(f"{ident} (#: comment): {problem}")
    assert bad == []


def test_api_index_describes_each_name_by_its_summary() -> None:
    """The description column of api/index.md is each object's summary line, word for word."""
    text = (API / "index.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[`(\w+)`\]\[[\w.]+\] \| (\w+) \| (.*) \| \[`[\w.]+`\]\([\w.]+\) \|$",
                      text, re.M)
    assert sorted(name for name, _, _ in rows) == sorted(hyperarr.__all__), (
        "api/index.md: rows must read | name | kind | description | documented in |")
    for name, _, description in rows:
        summary = _docstring(getattr(hyperarr, name)).splitlines()[0]
        assert description == summary, f"api/index.md, {name}: the description must read {summary!r}"


#: Characters of the widest code line that fits the text column of the theme
#: (80 at a 1280 px window, 78 from 960 to 1220 px), less room for the copy button.
CODE_COLUMNS = 76


def _example_lines(text: str) -> list[str]:
    """Lines of the doctest blocks and fenced code of a docstring, as rendered (dedented)."""
    out, inside, fenced = [], False, False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        inside = fenced or line.lstrip().startswith(">>>") or (inside and line.strip() != "")
        if inside:
            out.append(line)
    return out


def test_code_lines_fit_the_text_column() -> None:
    wide = []
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            first = text[: match.start(2)].count("\n") + 1
            for k, line in enumerate(match.group(2).splitlines()):
                if len(line) > CODE_COLUMNS:
                    wide.append(f"{page.relative_to(ROOT)}:{first + k}: {len(line)} characters")
    for ident, obj in _documented().items():
        for line in _example_lines(_docstring(obj)):
            if len(line) > CODE_COLUMNS:
                wide.append(f"{ident}: {len(line)} characters: {line[:40]}...")
    assert wide == []
