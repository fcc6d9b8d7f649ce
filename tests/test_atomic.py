"""Tests for the atomic writer hyperarr._atomic."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

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


# --------------------------------------------------------------------------
# Where the temporary file goes, and what errors name
# --------------------------------------------------------------------------


def test_the_temporary_file_sits_beside_the_target_named_for_it(tmp_path):
    seen = []
    _atomic.atomic_write(tmp_path / "out.bin", lambda fh: seen.extend(os.listdir(tmp_path)))
    [name] = seen
    assert re.fullmatch(rf"\.out\.bin\.{os.getpid()}\.[^.]+\.tmp", name), name
    assert os.listdir(tmp_path) == ["out.bin"]


def test_a_folder_is_refused_naming_it_and_nothing_is_written_beside_it(tmp_path):
    from hyperarr.regions import Regions

    folder = tmp_path / "table"
    folder.mkdir()
    table = Regions([[1], [-1]], [[1.0], [-1.0]], [False, False])
    for target in (folder, f"{folder}{os.sep}"):
        with pytest.raises(IsADirectoryError) as info:
            table.save(target)
        assert str(info.value) == f"[Errno {errno.EISDIR}] Is a directory: {str(target)!r}"
    assert os.listdir(tmp_path) == ["table"] and os.listdir(folder) == []


def test_errors_name_the_target_not_the_temporary_file(tmp_path):
    target = tmp_path / "missing" / "out.bin"
    with pytest.raises(FileNotFoundError) as info:
        _atomic.atomic_write_bytes(target, b"x")
    assert info.value.filename == str(target)
    assert ".tmp" not in str(info.value)


def test_an_oserror_about_no_file_names_the_target(tmp_path):
    def full(fh):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left on device") as info:
        _atomic.atomic_write(tmp_path / "out.bin", full)
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(tmp_path / "out.bin")
    assert os.listdir(tmp_path) == []


def test_an_oserror_about_another_file_is_left_as_it_is(tmp_path):
    def fail(fh):
        raise PermissionError(13, "Permission denied", "/some/font.ttf")

    with pytest.raises(PermissionError) as info:
        _atomic.atomic_write(tmp_path / "out.bin", fail)
    assert info.value.filename == "/some/font.ttf"
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------
# Stale temporary files (a writer killed by SIGKILL)
# --------------------------------------------------------------------------


def _dead_pid() -> int:
    """The pid of a process that has ended and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporary_files_of_the_target_are_removed_at_the_next_write(tmp_path):
    dead = _dead_pid()
    an_hour_ago = time.time() - 2 * 3600
    names = {
        f".out.bin.{dead}.k3j4h5g6.tmp": False,  # its writer is gone: removed
        f".out.bin.{os.getpid()}.a1b2c3d4.tmp": True,  # a live writer (this process): kept
        ".out.bin.zz9y8x7w.tmp": True,  # no pid, recent: kept
        ".out.bin.q1w2e3r4.tmp": False,  # no pid, untouched for two hours: removed
        f".other.bin.{dead}.k3j4h5g6.tmp": True,  # another target's: kept
        f".out.bin.{dead}.notes": True,  # not a temporary file: kept
    }
    for name in names:
        (tmp_path / name).write_bytes(b"left over")
    os.utime(tmp_path / ".out.bin.q1w2e3r4.tmp", (an_hour_ago, an_hour_ago))
    _atomic.atomic_write_bytes(tmp_path / "out.bin", b"new")
    assert sorted(os.listdir(tmp_path)) == sorted(["out.bin", *(n for n, kept in names.items() if kept)])
    assert (tmp_path / "out.bin").read_bytes() == b"new"


def test_pid_check():
    assert _atomic._pid_alive(os.getpid()) is True
    if os.name == "posix":
        assert _atomic._pid_alive(_dead_pid()) is False
    assert _atomic._pid_alive(0) is None


# --------------------------------------------------------------------------
# Signals while writing
# --------------------------------------------------------------------------

#: Writes ``argv[1]`` through a write_fn that says "ready" on stdout, then waits on stdin.
_SLOW_WRITER = """
import signal, sys
from hyperarr._atomic import atomic_write
if sys.argv[2] == "default":
    signal.signal(signal.SIGINT, signal.SIG_DFL)

def slow(fh):
    fh.write(b"partial")
    fh.flush()
    print("ready", flush=True)
    sys.stdin.readline()
    fh.write(b" and the rest")

atomic_write(sys.argv[1], slow)
print("finished", flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")
@pytest.mark.parametrize(
    ("signame", "handler", "status"),
    [
        ("SIGTERM", "python", -signal.SIGTERM),  # ends by SIGTERM, as without the writer
        ("SIGINT", "default", -signal.SIGINT),
        ("SIGINT", "python", -signal.SIGINT),  # KeyboardInterrupt, then Python exits by SIGINT
    ],
)
def test_a_signal_while_writing_removes_the_temporary_file(tmp_path, signame, handler, status):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target), handler],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline() == "ready\n"
        temps = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
        assert len(temps) == 1 and temps[0].startswith(f".out.bin.{child.pid}.")
        child.send_signal(getattr(signal, signame))
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == status, err
    assert "finished" not in out
    assert ("KeyboardInterrupt" in err) == (handler == "python" and signame == "SIGINT")
    assert os.listdir(tmp_path) == ["out.bin"]
    assert target.read_bytes() == b"old"


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="needs SIGTERM")
def test_handlers_are_set_only_while_writing_and_only_over_the_default(tmp_path):
    def mine(signum, frame):
        pass

    def record(fh):
        seen.append(signal.getsignal(signal.SIGTERM))

    seen: list = []
    old = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _atomic.atomic_write(tmp_path / "a", record)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        signal.signal(signal.SIGTERM, mine)
        _atomic.atomic_write(tmp_path / "b", record)
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, old)
    assert callable(seen[0]) and seen[0] is not mine  # the writer's own, while writing
    assert seen[1] is mine  # a handler someone set is left alone


def test_writing_from_another_thread_works_without_handlers(tmp_path):
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_atomic.atomic_write_bytes, tmp_path / "out.bin", b"from a thread").result()
    assert (tmp_path / "out.bin").read_bytes() == b"from a thread"


# --------------------------------------------------------------------------
# Folders: a fresh sibling that takes the target's place
# --------------------------------------------------------------------------


def _all(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("exchange", [True, False])
def test_atomic_folder_replaces_only_what_the_caller_owns(tmp_path, monkeypatch, exchange):
    if not exchange:  # the two renames used where renameat2 cannot exchange
        monkeypatch.setattr(_atomic, "_exchange", lambda a, b: False)
    target = tmp_path / "out"
    with _atomic.atomic_folder(target, lambda t: []) as stage:
        assert stage.parent == tmp_path and stage.name.startswith(f".out.{os.getpid()}.")
        (stage / "a").write_bytes(b"1")
    assert _all(target) == {"a": b"1"}
    with _atomic.atomic_folder(target, lambda t: ["a"]) as stage:
        assert _all(target) == {"a": b"1"}  # the old one stays until the new one is complete
        (stage / "b").write_bytes(b"2")
    assert _all(target) == {"b": b"2"}
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_atomic_folder_keeps_the_old_folder_when_the_body_fails(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old").write_bytes(b"old")
    with pytest.raises(RuntimeError, match="boom"):
        with _atomic.atomic_folder(target, lambda t: ["old"]) as stage:
            (stage / "new").write_bytes(b"new")
            raise RuntimeError("boom")
    assert _all(target) == {"old": b"old"}
    assert os.listdir(tmp_path) == ["out"]


def test_atomic_folder_refusal_of_the_owner_check_leaves_everything(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "mine").write_bytes(b"user")

    def refuse(t):
        raise _atomic.HyperarrError("not yours")

    with pytest.raises(_atomic.HyperarrError, match="not yours"):
        with _atomic.atomic_folder(target, refuse):
            raise AssertionError("the body must not run")
    assert _all(target) == {"mine": b"user"}
    assert os.listdir(tmp_path) == ["out"]


def test_atomic_folder_turns_a_second_writer_away(tmp_path):
    target = tmp_path / "out"
    with _atomic.atomic_folder(target, lambda t: []) as stage:
        (stage / "a").write_bytes(b"1")
        with pytest.raises(_atomic.HyperarrError, match="is being written by another process; nothing was written"):
            with _atomic.atomic_folder(target, lambda t: []):
                raise AssertionError("the body must not run")
    assert _all(target) == {"a": b"1"}
    assert os.listdir(tmp_path) == ["out"]


def test_atomic_folder_removes_siblings_of_dead_writers_only(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".out.{int(dead.stdout)}.abc.tmpdir"
    live = tmp_path / f".out.{os.getpid()}.xyz.tmpdir"
    other = tmp_path / f".out.{int(dead.stdout)}.abc.old.tmpdir"  # never taken for stale
    for p in (stale, live, other):
        p.mkdir()
    with _atomic.atomic_folder(tmp_path / "out", lambda t: []):
        pass
    assert sorted(os.listdir(tmp_path)) == sorted(["out", live.name, other.name])
