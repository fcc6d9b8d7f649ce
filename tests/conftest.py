"""Shared test setup: figures render off-screen (no display needed)."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
