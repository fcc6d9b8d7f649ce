"""The package root: every public name, module or function, is usable from ``hyperarr``."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import numpy as np
import pytest

import hyperarr as ha
from hyperarr import library

#: Modules whose main function shares their name: the root offers both.
_CALLABLE_MODULES = ("regions", "faces", "occupancy")


def test_the_root_calls_what_the_arrangement_calls():
    A = library.five_lines()
    assert np.array_equal(ha.regions(A).signs, A.regions().signs)
    assert np.array_equal(ha.faces(A, dim=0).signs, A.faces(dim=0).signs)
    assert ha.occupancy(A, np.zeros((3, 2))).n_occupied == 1
    assert len(ha.regions(A)) == ha.n_regions(A) == 16


def test_the_call_passes_keywords_and_errors_through():
    with pytest.raises(ha.OutputTooLargeError, match="max_regions"):
        ha.regions(library.braid(5), max_regions=3)


@pytest.mark.parametrize("name", _CALLABLE_MODULES)
def test_the_modules_stay_modules(name):
    module = importlib.import_module(f"hyperarr.{name}")
    assert isinstance(module, types.ModuleType)
    assert getattr(ha, name) is module is sys.modules[f"hyperarr.{name}"]
    assert callable(module) and name in ha.__all__


def test_import_forms_keep_working_in_a_fresh_process():
    code = (
        "import hyperarr.regions as R\n"
        "from hyperarr.regions import Regions\n"
        "from hyperarr import regions, faces\n"
        "import hyperarr.faces\n"
        "assert R.Regions is Regions and R is regions and hyperarr.faces is faces\n"
        "from hyperarr.library import five_lines\n"
        "print(len(regions(five_lines())), len(R.regions(five_lines())))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["16", "16"]


def test_no_other_public_module_shadows_a_function():
    clashes = [name for name in ha.__all__
               if isinstance(getattr(ha, name), types.ModuleType)
               and hasattr(getattr(ha, name), name) and not callable(getattr(ha, name))]
    assert clashes == []


def test_star_import_gives_the_public_api():
    namespace: dict[str, object] = {}
    exec("from hyperarr import *", namespace)
    assert {"regions", "faces", "occupancy", "n_regions", "Arrangement"} <= set(namespace)
