"""Atomic file writes, the one writer of every file hyperarr produces (private).

A file written by hyperarr (``Regions.save``, the CLI, the benchmarks) is either the complete new file or the old one
(or nothing): the content goes to a temporary file in the same folder, which
then replaces the target with :func:`os.replace`, an atomic rename on POSIX and
Windows.  An interrupted run leaves no half-written figure or table behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import IO

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text"]


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

    Notes
    -----
    The temporary file is created next to ``path`` (``os.replace`` is only
    atomic within one file system), flushed and fsynced before the rename, and
    removed if ``write_fn`` or the rename raises.  The new file gets the usual
    permissions ``0o666 & ~umask`` rather than the ``0o600`` of
    :func:`tempfile.mkstemp`.

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
    """
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            write_fn(fh)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; see :func:`atomic_write`."""
    atomic_write(path, lambda fh: fh.write(data))


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically in ``encoding``; see :func:`atomic_write`."""
    atomic_write_bytes(path, text.encode(encoding))
