"""Tests for the atomic writer hyperarr._atomic."""

from __future__ import annotations

import os

import pytest

from hyperarr import _atomic


def test_atomic_write_replaces_the_file(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    _atomic.atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    _atomic.atomic_write_text(target, "ε")
    assert target.read_text(encoding="utf-8") == "ε"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_atomic_write_keeps_old_file_and_cleans_up_on_error(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def fail(fh):
        fh.write(b"partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        _atomic.atomic_write(target, fail)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_atomic_write_uses_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        _atomic.atomic_write_bytes(tmp_path / "f", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "f").stat().st_mode & 0o777 == 0o644
