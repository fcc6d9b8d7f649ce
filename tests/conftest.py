"""Shared test setup: figures render off-screen (no display needed), and no
hypothesis example is failed for its time (tests never time anything)."""

import os
import sys

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

# Hypothesis's default 200 ms deadline is a timing assertion: on a shared,
# loaded machine it failed examples that were right.
settings.register_profile("hyperarr", deadline=None)
settings.load_profile("hyperarr")


@pytest.fixture
def no_matplotlib(monkeypatch):
    """Make ``import matplotlib`` (and every submodule) fail, as where it is not installed."""
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
