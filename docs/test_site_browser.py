"""The built site, looked at in a real browser (Debian's chromium, headless).

The site is built with ``mkdocs build --strict`` into a temporary folder and
served on 127.0.0.1 by a thread of this process.  Chromium loads every page
with the network closed to every other host.  The server adds one probe
script to each HTML page it serves (the site itself has none), which, once
the page has loaded and KaTeX has run, writes what it measured into the DOM;
chromium's ``--dump-dom`` hands that DOM back.  The checks:

- math is typeset: KaTeX output (``.katex``) exists on the counting and sheet
  pages, no KaTeX error is shown and no arithmatex span is left untypeset;
- no image is broken and no request of a page got a 404;
- every request a page made went to 127.0.0.1, and no script, style sheet,
  font, image or frame names another host;
- every internal link points to a page of the site, and its fragment to an
  id on that page;
- no text reads like an unrendered reST role or directive (``:class:``,
  ``.. math::``, ...);
- no code block is wider than the text column at a 1280 px wide window, and
  no table is wider than the column;
- the copy button of a doctest block copies its code without the prompts and
  output: exactly the lines a user can paste into Python;
- no text outside code reads like untypeset math (``x_{k}``, ``Σ_k``,
  ``R^d``), on the API pages as on the others.

Without chromium the test fails and says how to install it: it never skips.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

# Outside the default run: it needs chromium (pytest -m browser runs it).
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent

#: Pages that must show typeset math.
MATH_PAGES = ("guide/counting/index.html", "sheet/index.html", "api/arrangement/index.html",
              "api/characteristic/index.html", "api/counting/index.html", "api/faces/index.html")

#: ASCII math that should have been typeset: x_{..}, x^{..}, Σ_k, R^d, 2^d, (−1)^k.
RAW_MATH = r"_\{|\^\{|Σ_|\b[A-Za-z0-9)]\^[A-Za-z0-9(]"

#: Text that only an unrendered reST docstring shows.
RST = (":class:", ":func:", ":meth:", ":mod:", ":attr:", ":data:", ":exc:", ".. math::")

_PROBE = rb"""<script>/* added by docs/test_site_browser.py's server, not part of the site */
window.addEventListener("load", function () { setTimeout(function () {
  var all = function (sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); };
  var out = {
    katex: all(".katex").length,
    katexErrors: all(".katex-error").map(function (e) { return e.textContent.slice(0, 80); }),
    untypeset: all(".arithmatex").filter(function (e) { return !e.querySelector(".katex"); })
      .map(function (e) { return e.textContent.slice(0, 80); }),
    brokenImages: all("img").filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
      .map(function (i) { return i.getAttribute("src"); }),
    resources: performance.getEntriesByType("resource").map(function (e) { return e.name; }),
    wideCode: all(".md-content pre > code").filter(function (c) {
      return c.scrollWidth > c.clientWidth + 1; }).map(function (c) { return c.textContent.slice(0, 80); }),
    wideTables: all(".md-content table").filter(function (t) {
      var column = document.querySelector(".md-content").getBoundingClientRect();
      var wrap = t.closest(".md-typeset__scrollwrap");
      return t.getBoundingClientRect().right > column.right + 1 ||
        (wrap !== null && wrap.scrollWidth > wrap.clientWidth + 1);
    }).map(function (t) { return t.textContent.replace(/\s+/g, " ").slice(0, 80); }),
    copies: all(".md-content .highlight code").filter(function (c) { return c.querySelector(".gp"); })
      .map(function (c) {
        // What Material's copy button copies: the block's innerText while it
        // carries data-md-copying; and what a user can paste into Python.
        c.setAttribute("data-md-copying", "");
        var copied = c.innerText;
        c.removeAttribute("data-md-copying");
        var runnable = c.textContent.split("\n").filter(function (l) { return /^(>>>|\.\.\.)( |$)/.test(l); })
          .map(function (l) { return l.slice(4); }).join("\n");
        return [copied.replace(/\s+$/, ""), runnable.replace(/\s+$/, "")];
      }),
    rawMath: (function () {
      var out = [], walk = document.createTreeWalker(document.querySelector(".md-content"), NodeFilter.SHOW_TEXT);
      var rx = new RegExp(RAW_MATH_PATTERN);
      while (walk.nextNode()) {
        var n = walk.currentNode;
        if (n.parentElement.closest("code, pre, .katex, .arithmatex, script, style")) continue;
        if (rx.test(n.textContent)) out.push(n.textContent.trim().slice(0, 80));
      }
      return out;
    })()
  };
  var probe = document.createElement("pre");
  probe.id = "site-test-probe";
  probe.textContent = JSON.stringify(out);
  document.body.appendChild(probe);
}, 1500); });
</script>"""

_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    # Every host but the test server is unreachable: nothing can leave 127.0.0.1.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--window-size=1280,2000",
    "--virtual-time-budget=15000",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail(
        "the browser test needs Debian's chromium, which is not installed; install it "
        "with 'apt-get update && apt-get install -y chromium' (as root), as .ci/run does"
    )


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serve the site, add the probe to HTML pages, and record every request."""

    log: list[tuple[str, int]]

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to ".../"
            path = os.path.join(path, "index.html")
        if not (path.endswith(".html") and os.path.isfile(path)):
            return super().send_head()
        with open(path, "rb") as f:
            probe = _PROBE.replace(b"RAW_MATH_PATTERN", json.dumps(RAW_MATH).encode())
            body = f.read().replace(b"</body>", probe + b"</body>", 1)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_request(self, code="-", size="-"):  # type: ignore[no-untyped-def]
        self.log.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format, *args):  # type: ignore[no-untyped-def]
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Path, str, list[tuple[str, int]]]]:
    """The site built strictly, served on 127.0.0.1: (folder, base URL, request log)."""
    _chromium()
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        pytest.fail("the browser test builds the site with mkdocs: pip install -e '.[docs]'")
    out = Path(tempfile.mkdtemp(prefix="hyperarr-site-"))
    try:
        build = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
            check=False, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.stderr[-3000:]}"
        log: list[tuple[str, int]] = []
        handler = type("Handler", (_Handler,), {"log": log})
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(out))
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield out, f"http://127.0.0.1:{server.server_address[1]}/", log
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
    finally:
        shutil.rmtree(out, ignore_errors=True)


class _Page(HTMLParser):
    """Ids, links, resource references and text nodes of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.texts: list[str] = []
        self.probe: str | None = None
        self._skip = 0
        self._in_probe = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if a.get("name") and tag == "a":
            self.ids.add(a["name"] or "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.resources.append(a["src"] or "")
        if tag == "link" and a.get("href") and (a.get("rel") or "") != "canonical":
            self.resources.append(a["href"] or "")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "pre" and a.get("id") == "site-test-probe":
            self._in_probe = True
            self.probe = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "pre":
            self._in_probe = False

    def handle_data(self, data: str) -> None:
        if self._in_probe:
            self.probe = (self.probe or "") + data
        elif not self._skip:
            self.texts.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _pages(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html") if p.name != "404.html")


def _load(chromium: str, url: str) -> str:
    with tempfile.TemporaryDirectory(prefix="hyperarr-chromium-") as profile:
        run = subprocess.run(
            [chromium, *_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            check=False, capture_output=True, text=True, timeout=120,
        )
    assert run.returncode == 0, f"chromium failed on {url}:\n{run.stderr[-2000:]}"
    return run.stdout


@pytest.fixture(scope="module")
def rendered(site: tuple[Path, str, list[tuple[str, int]]]) -> dict[str, _Page]:
    """Every page of the site as chromium renders it, keyed by its path in the site."""
    folder, base, _ = site
    chromium = _chromium()
    pages = _pages(folder)
    with ThreadPoolExecutor(max_workers=3) as pool:
        doms = list(pool.map(lambda p: _load(chromium, base + p), pages))
    out = {}
    for path, dom in zip(pages, doms):
        page = _parse(dom)
        assert page.probe is not None, f"{path}: the page never finished loading"
        out[path] = page
    return out


def _probe(page: _Page) -> dict[str, Any]:
    return json.loads(page.probe or "{}")


def test_math_is_typeset(rendered: dict[str, _Page]) -> None:
    for path in MATH_PAGES:
        assert _probe(rendered[path])["katex"] > 10, f"{path}: no KaTeX output"
    for path, page in rendered.items():
        probe = _probe(page)
        assert probe["katexErrors"] == [], f"{path}: KaTeX could not typeset {probe['katexErrors']}"
        assert probe["untypeset"] == [], f"{path}: math left untypeset: {probe['untypeset']}"


def test_no_image_is_broken_and_nothing_is_missing(
    site: tuple[Path, str, list[tuple[str, int]]], rendered: dict[str, _Page]
) -> None:
    broken = {path: _probe(page)["brokenImages"] for path, page in rendered.items()}
    assert {path: srcs for path, srcs in broken.items() if srcs} == {}
    assert sum(len(page.resources) for page in rendered.values()) > 0
    missing = sorted({path for path, code in site[2] if code >= 400 and path != "/favicon.ico"})
    assert missing == []


def test_nothing_leaves_localhost(
    site: tuple[Path, str, list[tuple[str, int]]], rendered: dict[str, _Page]
) -> None:
    base = site[1]
    outside = {}
    for path, page in rendered.items():
        requested = _probe(page)["resources"]
        assert requested, f"{path}: the probe saw no request at all"
        named = [urljoin(base + path, ref) for ref in page.resources]
        away = sorted({u for u in requested + named
                       if urlsplit(u).scheme not in ("data", "blob") and not u.startswith(base)})
        if away:
            outside[path] = away
    assert outside == {}
    # Style sheets load fonts and images by url(); none may name another host.
    for css in site[0].rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8"))
        assert [u for u in urls if re.match(r"(https?:)?//", u)] == [], css.name


def test_internal_links_resolve(
    site: tuple[Path, str, list[tuple[str, int]]], rendered: dict[str, _Page]
) -> None:
    folder, base, _ = site
    dangling = []
    checked = 0
    for path, page in rendered.items():
        for href in page.links:
            url = urljoin(base + path, href)
            if not url.startswith(base):
                continue
            parts = urlsplit(url)
            target = unquote(parts.path[len(urlsplit(base).path):])
            if target == "" or target.endswith("/"):
                target += "index.html"
            checked += 1
            if target not in rendered and not (folder / target).is_file():
                dangling.append(f"{path}: {href}")
            elif parts.fragment and target in rendered and \
                    unquote(parts.fragment) not in rendered[target].ids:
                dangling.append(f"{path}: {href} (no such anchor)")
    assert checked > 500
    assert dangling == []


def test_no_rest_markup_shows(rendered: dict[str, _Page]) -> None:
    shown = [
        f"{path}: {text.strip()[:100]!r}"
        for path, page in rendered.items()
        for text in page.texts
        if any(role in text for role in RST)
    ]
    assert shown == []


def test_code_blocks_fit_the_text_column(rendered: dict[str, _Page]) -> None:
    wide = {path: _probe(page)["wideCode"] for path, page in rendered.items()}
    assert {path: blocks for path, blocks in wide.items() if blocks} == {}


def test_tables_fit_the_text_column(rendered: dict[str, _Page]) -> None:
    wide = {path: _probe(page)["wideTables"] for path, page in rendered.items()}
    assert {path: tables for path, tables in wide.items() if tables} == {}


def test_copy_button_copies_runnable_code(rendered: dict[str, _Page]) -> None:
    copies = [pair for page in rendered.values() for pair in _probe(page)["copies"]]
    assert len(copies) > 100, "the probe found few doctest blocks to copy"
    # Hidden output leaves empty lines, which are harmless between statements.
    wrong = [copied[:120] for copied, runnable in copies
             if [ln for ln in copied.split("\n") if ln.strip()] != runnable.split("\n")]
    assert wrong == []
    assert not any(">>>" in copied for copied, _ in copies)


def test_no_raw_math_outside_code(rendered: dict[str, _Page]) -> None:
    raw = {path: _probe(page)["rawMath"] for path, page in rendered.items()}
    assert {path: texts for path, texts in raw.items() if texts} == {}
