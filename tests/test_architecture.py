"""The package's shape: the contributors' picture is the layers contract, every module
has an ``__all__``, and no module writes into another object's ``__dict__``."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

import pytest

import hyperarr

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hyperarr"


def _contract_layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    assert contract["containers"] == ["hyperarr"]
    return [sorted(m.strip() for m in layer.split("|")) for layer in contract["layers"]]


def _picture_layers() -> list[list[str]]:
    """The layers drawn in CONTRIBUTING.md, top to bottom."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("<!-- layers: begin -->", 1)[1].split("<!-- layers: end -->", 1)[0]
    layers = []
    for line in block.splitlines():
        names = re.findall(r"(_?[a-z][a-z_]*)(?:\.py|/)(?=\s|$)", line.split("  ")[0])
        if names:
            layers.append(sorted(names))
    return layers


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages([str(PACKAGE)], prefix="hyperarr."))


def test_contributing_picture_is_the_layers_contract():
    assert _picture_layers() == _contract_layers()


def test_every_module_is_in_a_layer():
    layered = {m for layer in _contract_layers() for m in layer}
    top = {name.split(".")[1] for name in _modules()} - {"__main__"}
    assert top == layered


def test_the_contract_has_one_exception():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    ignored = [i for c in contracts for i in c.get("ignore_imports", [])]
    assert ignored == ["hyperarr.arrangement -> hyperarr"]


@pytest.mark.parametrize("name", [m for m in _modules() if not m.endswith("__main__")])
def test_every_module_declares_all(name):
    module = importlib.import_module(name)
    assert isinstance(getattr(module, "__all__", None), (list, tuple)), f"{name} has no __all__"
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.__all__ names {public!r}, which it lacks"


def test_package_all_is_importable():
    for name in hyperarr.__all__:
        assert hasattr(hyperarr, name)


def _dict_writes(path: Path) -> list[int]:
    """Assignments into ``x.__dict__[...]`` or ``vars(x)[...]`` for any x but ``self``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
        for t in targets:
            if not isinstance(t, ast.Subscript):
                continue
            owner = t.value
            if isinstance(owner, ast.Attribute) and owner.attr == "__dict__":
                owner = owner.value
            elif isinstance(owner, ast.Call) and getattr(owner.func, "id", None) == "vars" and owner.args:
                owner = owner.args[0]
            else:
                continue
            if not (isinstance(owner, ast.Name) and owner.id == "self"):
                found.append(t.lineno)
    return found


def test_no_module_writes_into_another_objects_dict():
    writes = [f"{path.relative_to(ROOT)}:{line}"
              for path in sorted(PACKAGE.rglob("*.py")) for line in _dict_writes(path)]
    assert writes == []


def test_the_dict_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(A):\n    A.__dict__['_x'] = 1\n    vars(A)['_y'] = 2\n", encoding="utf-8")
    assert _dict_writes(bad) == [2, 3]


#: Each public module's ``__all__`` before the package was split by concept:
#: every name must stay importable from where it was (and be the same object
#: as at its new home).
_PUBLIC_BEFORE_THE_SPLIT = {
    "hyperarr": ["Arrangement", "Hyperplane", "Regions", "Region", "adjacency_graph",
                 "adjacency_edges", "ThresholdNetwork", "synthesize", "max_regions",
                 "max_bounded_regions", "approx_regions", "region_count_table",
                 "characteristic_polynomial", "n_regions", "n_bounded_regions", "library",
                 "counting", "HyperarrError", "ArrangementError", "OutputTooLargeError",
                 "WitnessError"],
    "hyperarr.arrangement": ["Arrangement", "Hyperplane", "DEFAULT_MAX_REGIONS"],
    "hyperarr.regions": ["Regions", "Region", "regions", "iter_regions", "DEFAULT_MAX_REGIONS"],
    "hyperarr.counting": ["max_regions", "max_bounded_regions", "approx_regions", "RegionCountRow",
                          "region_count_table", "characteristic_polynomial", "n_regions",
                          "n_bounded_regions"],
    "hyperarr.adjacency": ["adjacency_graph", "adjacency_edges"],
    "hyperarr.synthesis": ["ThresholdNetwork", "synthesize", "positive_mask", "METHODS"],
    "hyperarr.plane": ["region_polygons", "seed_labels", "region_by_label"],
    "hyperarr.plot": ["plot_gradients", "plot_arrangement", "plot_network", "plot_region_counts"],
    "hyperarr.library": ["coordinate", "braid", "shi", "catalan", "resonance", "threshold",
                         "generic", "five_lines"],
    "hyperarr.exceptions": ["HyperarrError", "ArrangementError", "OutputTooLargeError",
                            "WitnessError"],
    "hyperarr.rnn": ["RNN", "UnrolledRNN", "HiddenLayer", "OutputLayer", "Expansion", "Gates",
                     "ScheduledLSTM", "LSTM", "sheet_inputs", "sheet_gates",
                     "rnn_gradient_closed_form", "lstm_gradient_closed_form", "GradientRegime",
                     "gradient_regime", "GradientCurves", "gradient_curves"],
}


@pytest.mark.parametrize("module", sorted(_PUBLIC_BEFORE_THE_SPLIT))
def test_public_names_stay_where_they_were(module):
    mod = importlib.import_module(module)
    missing = [name for name in _PUBLIC_BEFORE_THE_SPLIT[module] if not hasattr(mod, name)]
    assert missing == []


def test_moved_names_are_the_same_objects():
    import hyperarr.characteristic
    import hyperarr.counting
    import hyperarr.labels
    import hyperarr.network
    import hyperarr.plane
    import hyperarr.synthesis

    assert hyperarr.counting.n_regions is hyperarr.characteristic.n_regions
    assert hyperarr.plane.seed_labels is hyperarr.labels.seed_labels
    assert hyperarr.synthesis.ThresholdNetwork is hyperarr.network.ThresholdNetwork
