"""Atomic file writes, the one writer of every file hyperarr produces (private).

A file written by hyperarr (``Regions.save``, the CLI, the benchmarks) is
either the complete new file or the old one (or nothing): the content goes to
a temporary file in the target's folder, which then replaces the target with
`os.replace`, an atomic rename on POSIX and Windows.  An interrupted run
leaves no half-written figure or table behind.

The temporary file of ``dir/name`` is ``dir/.name.<pid>.<random>.tmp``, where
``<pid>`` is the writing process.  It is removed when the write fails in any
way: an exception, Ctrl-C, or SIGTERM or SIGHUP while they have their default
action.  Only SIGKILL (or a crash of the interpreter) can leave it behind, and
the next write of the same target removes it: a temporary file of the target
is stale when its ``<pid>`` is not a running process on this machine.  Where
that cannot be checked (on Windows, or for a name without a pid, as left by
earlier versions), it is stale once untouched for an hour.  A concurrent
writer of the same target is alive, so its file is never taken for stale; an
age alone would not be safe, since a writer may compute for minutes before
its first byte.  (Writers on other machines sharing the folder are not seen
this way.)

A folder written by hyperarr (`hyperarr.distributed.regions_to_parquet`) is
one value in the same way (`atomic_folder`): it is filled in a fresh sibling
``dir/.name.<pid>.<random>.tmpdir``, which then takes the target's place in
one exchange of names (``renameat2`` with ``RENAME_EXCHANGE`` on Linux; two
renames with the signals held elsewhere).  A lock file ``dir/.name.lock``,
held while the folder is written, turns a second writer of the same target
away before it writes anything; the lock goes with the process that holds
it, so a killed writer never blocks the next one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO, Any, Self

from hyperarr.exceptions import HyperarrError

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text", "atomic_folder"]

#: Signals whose default action ends the process at once; handled while a file is written.
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
#: Seconds after which a temporary file whose writer cannot be checked is stale.
_STALE_AGE = 3600.0
#: At most this many characters of the target's name go into its temporary files' names.
_NAME_CHARS = 100
#: What follows the prefix ``.name.`` in a temporary file's name: ``<pid>.<random>.tmp``, or
#: ``<random>.tmp`` from earlier versions.
_TEMP_TAIL = re.compile(r"(?:(\d+)\.)?[^.]+\.tmp\Z")
#: What follows the prefix ``.name.`` in a folder's fresh sibling: ``<pid>.<random>.tmpdir``.
_FOLDER_TAIL = re.compile(r"(\d+)\.[^.]+\.tmpdir\Z")


def atomic_write(path: str | os.PathLike[str], write_fn: Callable[[IO[bytes]], object]) -> None:
    """Write ``path`` atomically: ``write_fn`` fills a binary file object.

    Parameters
    ----------
    path : str or path-like
        The target.  Its folder must exist; the file may exist and is then
        replaced.
    write_fn : callable
        Called once with a binary file object open for writing, for example
        ``lambda fh: fig.savefig(fh, format="png")``.

    Raises
    ------
    IsADirectoryError
        If ``path`` is a folder (or ends in a path separator).
    OSError
        If the file cannot be written.  The error names ``path``, never the
        temporary file.  What ``write_fn`` raises is raised as it is.

    Notes
    -----
    The temporary file is created next to ``path`` (`os.replace` is only
    atomic within one file system), flushed and fsynced before the rename, and
    removed if anything fails (see the module's notes for signals and stale
    files).  In the main thread, SIGINT, SIGTERM and SIGHUP, where they have
    their default action, are caught while writing: the temporary file is
    removed, the old handlers are put back, and the signal is raised again,
    so the process still ends by it.  Other handlers are left alone, and so
    are signals in other threads (Python delivers them to the main thread).
    The new file gets the usual permissions ``0o666 & ~umask`` rather than
    the ``0o600`` of `tempfile.mkstemp`.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> target = os.path.join(folder, "hello.txt")
    >>> atomic_write(target, lambda fh: fh.write(b"hello"))
    >>> open(target, "rb").read()
    b'hello'
    >>> os.listdir(folder)
    ['hello.txt']
    >>> atomic_write(folder, lambda fh: fh.write(b"hello"))
    Traceback (most recent call last):
    ...
    IsADirectoryError: [Errno 21] Is a directory: '...'
    """
    target = os.fspath(path)
    if os.path.isdir(target) or target.endswith((os.sep, os.altsep or os.sep)):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target)
    folder = os.path.dirname(os.path.abspath(target))
    prefix = f".{os.path.basename(target)[:_NAME_CHARS]}."
    _remove_stale(folder, prefix)
    with _SignalsRemoveTemp():
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}.", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "wb") as fh:
                write_fn(fh)
                fh.flush()
                os.fsync(fh.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, target)
        except BaseException as exc:
            if tmp is not None:
                _unlink(tmp)
            if isinstance(exc, OSError) and exc.errno is not None and _names_temp(exc, folder, prefix):
                raise OSError(exc.errno, exc.strerror, target) from None
            raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; see `atomic_write`."""
    atomic_write(path, lambda fh: fh.write(data))


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically in ``encoding``; see `atomic_write`."""
    atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str],
                  owned: Callable[[Path], Collection[str]]) -> Iterator[Path]:
    """Write the folder ``path`` atomically: fill the folder yielded, which then replaces it.

    Parameters
    ----------
    path : str or path-like
        The target folder.  It may be missing, empty, or an earlier output.
    owned : callable
        ``owned(target)``, called on an existing target only, returns the
        names of its entries that the caller wrote and may delete, or raises (a
        `HyperarrError` naming what it found) if the target holds anything
        else.  It is called before the body runs and again just before the
        exchange, so nothing the caller did not write is ever deleted.

    Yields
    ------
    pathlib.Path
        A fresh, empty sibling of ``path`` to fill.

    Raises
    ------
    HyperarrError
        If another process is writing ``path`` (its lock is held), or what
        ``owned`` raises.  Nothing is left behind.

    Notes
    -----
    If the body raises (Ctrl-C included), or SIGTERM or SIGHUP arrives while
    they have their default action, the sibling is removed and ``path`` is as
    it was.  The old output is removed only after the new one is in place.

    Examples
    --------
    >>> import os, tempfile
    >>> parent = tempfile.mkdtemp()
    >>> target = os.path.join(parent, "out")
    >>> with atomic_folder(target, lambda t: os.listdir(t)) as stage:
    ...     atomic_write_bytes(stage / "a.txt", b"a")
    >>> os.listdir(target), os.listdir(parent)
    (['a.txt'], ['out'])
    """
    target = Path(os.path.abspath(os.fspath(path)))
    if target.exists() and not target.is_dir():
        raise HyperarrError(f"path must be a folder (or a new name); got the file {os.fspath(path)!r}")
    parent, name = target.parent, target.name[:_NAME_CHARS]
    parent.mkdir(parents=True, exist_ok=True)
    with _SignalsRemoveTemp(), _folder_lock(parent / f".{name}.lock", os.fspath(path)):
        if target.exists():
            owned(target)  # refuse before any work
        _remove_stale_folders(parent, f".{name}.")
        stage = Path(tempfile.mkdtemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmpdir", dir=parent))
        try:
            yield stage
            mine = set(owned(target)) if target.exists() else set()
            replaced = _swap(stage, target)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        if replaced:  # ``stage`` now holds the old output: remove what the caller wrote, only that
            for entry in mine:
                old = stage / entry
                if old.is_dir() and not old.is_symlink():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        old.unlink()
            with contextlib.suppress(OSError):
                stage.rmdir()


@contextlib.contextmanager
def _folder_lock(lock: Path, shown: str) -> Iterator[None]:
    """Hold ``lock`` (created if missing) for the body, or refuse: another process writes the folder."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: a file created exclusively
        fcntl = None  # type: ignore[assignment]
    busy = HyperarrError(f"path {shown!r} is being written by another process; nothing was written "
                         f"(its lock is {lock.name!r} beside it)")
    if fcntl is None:  # pragma: no cover
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            raise busy from None
        try:
            yield
        finally:
            os.close(fd)
            _unlink(os.fspath(lock))
        return
    while True:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise busy from None
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed it as we opened it: take the new one
    try:
        yield
    finally:
        _unlink(os.fspath(lock))  # while still held, so no one locks the unlinked file
        os.close(fd)


def _swap(stage: Path, target: Path) -> bool:
    """Put ``stage`` in the place of ``target``; whether an old target is now at ``stage``."""
    if not target.exists():
        os.rename(stage, target)
        return False
    if _exchange(stage, target):
        return True
    old = stage.with_name(stage.name[: -len(".tmpdir")] + ".old.tmpdir")
    held = _SIGNALS if hasattr(signal, "pthread_sigmask") else ()
    if held:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        os.rename(target, old)
        try:
            os.rename(stage, target)
        except BaseException:
            os.rename(old, target)
            raise
        os.rename(old, stage)
    finally:
        if held:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Exchange the names ``a`` and ``b`` atomically (Linux ``renameat2``); False where not supported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(b))


def _remove_stale_folders(parent: Path, prefix: str) -> None:
    """Remove the fresh siblings of this target left by writers that are gone (SIGKILL)."""
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        match = _FOLDER_TAIL.match(entry.name, len(prefix)) if entry.name.startswith(prefix) else None
        if match is not None and entry.is_dir(follow_symlinks=False) \
                and _pid_alive(int(match[1])) is False:
            shutil.rmtree(entry.path, ignore_errors=True)


def _names_temp(exc: OSError, folder: str, prefix: str) -> bool:
    """Whether ``exc`` names a temporary file of the target, or no file at all."""
    name = exc.filename
    if name is None:
        return True
    name = os.fsdecode(name) if isinstance(name, (str, bytes)) else str(name)
    return os.path.dirname(name) == folder and os.path.basename(name).startswith(prefix)


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _remove_stale(folder: str, prefix: str) -> None:
    """Remove the temporary files of this target left by writers that are gone (see the module)."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # the write itself will say what is wrong with the folder
    for entry in entries:
        match = _TEMP_TAIL.match(entry.name, len(prefix)) if entry.name.startswith(prefix) else None
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            alive = None if match[1] is None else _pid_alive(int(match[1]))
            if alive is None:
                alive = now - entry.stat(follow_symlinks=False).st_mtime < _STALE_AGE
        except OSError:
            continue
        if not alive:
            _unlink(entry.path)


def _pid_alive(pid: int) -> bool | None:
    """Whether process ``pid`` runs on this machine; None where that cannot be told."""
    if pid == os.getpid():
        return True
    if os.name != "posix" or pid <= 0:  # on Windows os.kill would terminate the process
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, run by another user
    except OSError:
        return None
    return True


class _Signalled(BaseException):
    """A terminating signal, raised in the writing code so that the temporary file goes first."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _SignalsRemoveTemp:
    """While active, turn SIGINT/SIGTERM/SIGHUP with their default action into `_Signalled`.

    On exit the old handlers are back, and a signal that arrived is raised
    again: the process ends by it, as it would have without this guard.  A
    second signal during the clean-up is held until then.  Outside the main
    thread (where handlers cannot be set) it does nothing.
    """

    def __init__(self) -> None:
        self._old: dict[int, Any] = {}
        self._armed = False
        self._pending: int | None = None

    def __enter__(self) -> Self:
        if threading.current_thread() is not threading.main_thread():
            return self
        for sig in _SIGNALS:
            try:
                if signal.getsignal(sig) == signal.SIG_DFL:
                    self._old[sig] = signal.signal(sig, self._handle)
            except (ValueError, OSError):  # e.g. an embedded interpreter without signals
                pass
        self._armed = True
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._armed:
            self._armed = False
            raise _Signalled(signum)
        self._pending = signum

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._armed = False
        if isinstance(exc, _Signalled) and self._pending is None:
            self._pending = exc.signum
        for sig, old in self._old.items():
            signal.signal(sig, old)
        if self._pending is not None:
            signal.raise_signal(self._pending)  # the default action: the process ends here
            raise SystemExit(128 + self._pending)  # only if it did not
