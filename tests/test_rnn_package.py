"""Tests for the shape of the hyperarr.rnn package: its layers, its one exception type, its docs."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import numpy as np
import pytest

import hyperarr.rnn as rnn
from hyperarr.exceptions import HyperarrError, ModelError

PACKAGE = Path(rnn.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
ROOT = Path(__file__).resolve().parents[1]

# The modules in import order, lowest first: each imports only modules before it.
LAYERS = [
    "_validate",
    "_activations",
    "recurrent",
    "lstm",
    "closed_forms",
    "regime",
    "curves",
    "__init__",
]
OPTIONAL = {"sympy"}  # imported inside a function, since it may be missing

# ---------------------------------------------------------------------------
# Layers: imports point down, and the package only re-exports
# ---------------------------------------------------------------------------


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, imported at module level?) for every import in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            found.append((node.module or "", id(node) in top))
    return found


def test_the_modules_are_the_layers():
    assert sorted(path.stem for path in MODULES) == sorted(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_imports_point_down(path):
    below = {f"hyperarr.rnn.{name}" for name in LAYERS[: LAYERS.index(path.stem)]}
    imports = _imports(path)
    # inside hyperarr, only the exception tree and lower rnn modules
    upward = [
        name
        for name, _ in imports
        if name.split(".")[0] == "hyperarr" and name != "hyperarr.exceptions" and name not in below
    ]
    assert upward == []
    assert [name for name, top in imports if not top and name not in OPTIONAL] == []


def test_the_package_only_re_exports():
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    docstring, *body = tree.body
    assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
    assert {type(node) for node in body} == {ast.ImportFrom, ast.Assign}
    assert [t.id for node in body if isinstance(node, ast.Assign) for t in node.targets] == [
        "__all__"
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_every_module_has_a_docstring_and_dunder_all(path):
    module = importlib.import_module(
        "hyperarr.rnn" if path.stem == "__init__" else f"hyperarr.rnn.{path.stem}"
    )
    assert module.__doc__ and module.__doc__.strip()
    assert isinstance(module.__all__, list)
    if path.stem.startswith("_") and path.stem != "__init__":
        assert module.__all__ == []  # private modules export nothing


def test_the_package_exports_what_its_modules_export():
    exported = []
    for path in MODULES:
        if not path.stem.startswith("_"):
            module = importlib.import_module(f"hyperarr.rnn.{path.stem}")
            for name in module.__all__:
                assert getattr(rnn, name) is getattr(module, name)
                assert getattr(module, name).__module__ == module.__name__  # defined there
            exported += module.__all__
    assert len(exported) == len(set(exported))
    assert sorted(exported) == sorted(rnn.__all__)


def test_the_api_page_renders_every_rnn_name():
    text = (ROOT / "docs" / "api" / "rnn.md").read_text(encoding="utf-8")
    members = r"^::: hyperarr\.rnn\n\s+options:\n\s+members:\n((?:\s+- \w+\n)+)"
    block = re.search(members, text, re.M)
    assert block is not None, "api/rnn.md must list the members of '::: hyperarr.rnn'"
    assert re.findall(r"- (\w+)", block.group(1)) == rnn.__all__


# ---------------------------------------------------------------------------
# One exception type
# ---------------------------------------------------------------------------

# One bad call for each place in hyperarr.rnn that raises (two share `_square`).
BAD_CALLS = {
    "unknown activation": (
        lambda: rnn.RNN(1, 1, 1, activation="relu"),
        r"activation must be one of 'sigmoid', 'tanh'; got 'relu'",
    ),
    "not a number": (lambda: rnn.RNN("a", 1, 1), r"W_in must be a real number or array; got 'a'"),
    "not finite": (lambda: rnn.RNN(1, np.nan, 1), r"W_rec must be finite"),
    "W_in shape": (
        lambda: rnn.RNN(np.ones((2, 2)), np.eye(3), np.ones((1, 3))),
        r"W_in must have shape \(n_h, n_in\) with n_h = 3; got \(2, 2\)",
    ),
    "bias shape": (lambda: rnn.RNN(1, 1, 1, b_h=[1, 2]), r"b_h must have shape \(n_h,\) = \(1,\)"),
    "W_rec not square": (
        lambda: rnn.RNN(1, np.ones((3, 2)), 1),
        r"W_rec must have shape \(n_h, n_h\); got \(3, 2\)",
    ),
    "W_out shape": (
        lambda: rnn.RNN(np.ones((3, 2)), np.eye(3), np.ones((1, 2))),
        r"W_out must have shape \(n_out, n_h\) with n_h = 3; got \(1, 2\)",
    ),
    "xs shape": (
        lambda: rnn.RNN(1, 1, 1).run(np.ones((2, 3))),
        r"xs must have shape \(T, n_in\) with n_in = 1; got \(2, 3\)",
    ),
    "xs empty": (lambda: rnn.RNN(1, 1, 1).run(np.ones((0, 1))), r"xs must contain at least one"),
    "T not an integer": (
        lambda: rnn.RNN(1, 1, 1).unroll(2.5),
        r"T must be an integer with 1 <= T; got 2.5",
    ),
    "T too small": (lambda: rnn.RNN(1, 1, 1).unroll(0), r"T must be an integer with 1 <= T; got 0"),
    "t not an integer": (
        lambda: rnn.RNN(1, 1, 1).input_weight_gradient([1.0, 1.0], 1.5),
        r"t must be an integer with 1 <= t <= T = 2; got 1.5",
    ),
    "t too large": (
        lambda: rnn.RNN(1, 1, 1).input_weight_gradient([1.0, 1.0], 3),
        r"t must be an integer with 1 <= t <= T = 2; got 3",
    ),
    "horizon not an integer": (
        lambda: rnn.rnn_gradient_closed_form(1, 2, 1, 0, 0, 2.5),
        r"T must be an integer >= 2 or an array of them; got 2.5",
    ),
    "horizons not 1-D": (
        lambda: rnn.rnn_gradient_closed_form(1, 2, 1, 0, 0, [[2, 3]]),
        r"T must be an integer >= 2 or a non-empty 1-D array of them; got shape \(1, 2\)",
    ),
    "horizon below 2": (
        lambda: rnn.rnn_gradient_closed_form(1, 2, 1, 0, 0, 1),
        r"T must be >= 2 \(the sheet's inputs span t = 1, 2\); got T = 1",
    ),
    "weight not a scalar": (
        lambda: rnn.rnn_gradient_closed_form(1, [1, 2], 1, 0, 0, 5),
        r"w_rec must be a scalar; got shape \(2,\)",
    ),
    "curve values empty": (
        lambda: rnn.gradient_curves(range(2, 5), w_rec=[]),
        r"w_rec must be a number or a non-empty 1-D sequence; got shape \(0,\)",
    ),
    "unrolled xs length": (
        lambda: rnn.RNN(1, 1, 1).unroll(3).run([1.0, 1.0]),
        r"xs must have T = 3 rows, one per layer; got 2",
    ),
    "gate keys": (
        lambda: rnn.ScheduledLSTM(1, 1, 1, 0, 0, {"i": [1.0]}),
        r"gates must have keys 'i', 'f', 'o'; got \['i'\]",
    ),
    "gates not a triple": (
        lambda: rnn.ScheduledLSTM(1, 1, 1, 0, 0, (1.0, 2.0)),
        r"gates must be \(i, f, o\); got \(1.0, 2.0\)",
    ),
    "gate shape": (
        lambda: rnn.ScheduledLSTM(1, 1, 1, 0, 0, rnn.Gates(np.ones((2, 2)), [1, 1], [1, 1])),
        r"gates.i must have shape \(T,\) or \(T, n_h\) with n_h = 1; got \(2, 2\)",
    ),
    "gate lengths": (
        lambda: rnn.ScheduledLSTM(1, 1, 1, 0, 0, rnn.Gates([1, 1, 0], [0, 0], [0, 0, 1])),
        r"gates i, f, o must have the same length T; got \[3, 2, 3\]",
    ),
    "scheduled xs length": (
        lambda: rnn.ScheduledLSTM.sheet(1, 1, 1, 0, 0, 0.9, 4).run(rnn.sheet_inputs(3)),
        r"xs must have T = 4 rows, one per gate value; got 3",
    ),
    "gate weights not a triple": (
        lambda: rnn.LSTM(1, 1, 1, input_gate=(1, 1)),
        r"input_gate must be a triple \(W_x, W_h, b\); got \(1, 1\)",
    ),
    "gate W_x shape": (
        lambda: rnn.LSTM(
            np.ones((2, 1)), np.eye(2), np.ones((1, 2)), input_gate=(np.ones((2, 3)), 0, 0)
        ),
        r"input_gate W_x must have shape \(n_h, n_in\) = \(2, 1\); got \(2, 3\)",
    ),
    "gate W_h shape": (
        lambda: rnn.LSTM(
            np.ones((2, 1)),
            np.eye(2),
            np.ones((1, 2)),
            output_gate=(np.ones((2, 1)), np.ones((2, 3)), 0),
        ),
        r"output_gate W_h must have shape \(n_h, n_h\) = \(2, 2\); got \(2, 3\)",
    ),
    "regime w_rec not square": (
        lambda: rnn.gradient_regime(np.ones((2, 3))),
        r"w_rec must be a scalar or have shape \(n_h, n_h\); got \(2, 3\)",
    ),
    "negative tol": (lambda: rnn.gradient_regime(2.0, tol=-1), r"tol must be >= 0; got -1.0"),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_every_error_is_a_model_error(case):
    call, match = BAD_CALLS[case]
    with pytest.raises(ModelError, match=match) as info:
        call()
    # the one tree: a HyperarrError, and still a ValueError for older callers
    assert isinstance(info.value, HyperarrError) and isinstance(info.value, ValueError)


def _raises(path: Path) -> list[tuple[int, str]]:
    """(line, raised name) for every ``raise X(...)`` or ``raise X`` in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            found.append((node.lineno, ast.unparse(exc)))
    return found


def test_rnn_raises_nothing_but_model_error():
    raised = {f"{path.name}:{line}": name for path in MODULES for line, name in _raises(path)}
    assert len(raised) >= 20  # the walk sees the package's raise statements
    assert {where: name for where, name in raised.items() if name != "ModelError"} == {}


# ---------------------------------------------------------------------------
# Docstrings point to the sheet page, and the pointers resolve
# ---------------------------------------------------------------------------

SHEET = ROOT / "docs" / "sheet.md"


def test_links_to_the_sheet_page_name_its_headings():
    # mkdocs checks the anchors of links in pages, but not of links in docstrings.
    toc = pytest.importorskip("markdown.extensions.toc", reason="heading ids come from markdown")
    headings = re.findall(r"^#+ (.+)$", SHEET.read_text(encoding="utf-8"), re.M)
    anchors = {toc.slugify(h, "-") for h in headings}
    links = [
        (path.name, anchor)
        for path in MODULES
        for anchor in re.findall(r"\((?:\.\./)?sheet\.md#([\w-]+)\)", path.read_text(encoding="utf-8"))
    ]
    assert len(links) >= 3
    assert [link for link in links if link[1] not in anchors] == []
