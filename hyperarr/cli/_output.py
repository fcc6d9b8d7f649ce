"""The files the command line writes: checks of ``-o``, figures, atomic writes (private).

Every file goes through `hyperarr._atomic` (or ``Regions.save``, which
uses it): it is either the complete new file or the old one.  A failed write
raises `OSError` naming the target, not the temporary file beside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from hyperarr._atomic import atomic_write, atomic_write_bytes

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.regions import Regions

__all__ = [
    "IMAGE_FORMATS",
    "check_folder",
    "figure_format",
    "new_figure",
    "save_figure",
    "save_regions",
    "write_bytes",
]

#: Image formats accepted by ``-o`` of ``hyperarr plot`` and ``hyperarr rnn``
#: (pgf needs a LaTeX installation).
IMAGE_FORMATS = ("png", "pdf", "svg", "eps", "ps", "jpg", "jpeg", "tif", "tiff", "webp", "pgf")


def check_folder(path: str) -> None:
    """Raise ValueError unless the folder of ``-o path`` exists."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"-o folder does not exist: {folder}")


def figure_format(path: str) -> str:
    """The image format named by the suffix of ``-o path``, after checking its folder exists.

    Examples
    --------
    >>> figure_format("fig.PNG")
    'png'
    >>> figure_format("fig.txt")
    Traceback (most recent call last):
    ...
    ValueError: -o must end in one of .png, .pdf, .svg, ...; got 'fig.txt'
    """
    check_folder(path)
    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"-o must end in one of .{', .'.join(IMAGE_FORMATS)}; got {path!r}")
    return fmt


def new_figure(size: tuple[float, float], needs: str) -> Any:
    """A matplotlib Figure without pyplot (no GUI backend, nothing to close).

    ``needs`` names what wants matplotlib in the ImportError raised when it is
    missing, e.g. ``"hyperarr plot"``.
    """
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(
            f"{needs} needs matplotlib; install it with pip install -e '.[plot]'"
        ) from exc
    return Figure(figsize=size, layout="constrained")


def save_figure(fig: Any, path: str, dpi: float | None = None) -> None:
    """Render ``fig`` into ``path`` atomically, in the format its suffix names.

    matplotlib reports a missing external program (xelatex for ``.pgf``) as
    RuntimeError; that becomes an OSError too.
    """
    fmt = figure_format(path)
    with _writing(path):
        try:
            atomic_write(path, lambda fh: fig.savefig(fh, format=fmt, dpi=dpi))
        except RuntimeError as exc:
            raise OSError(None, str(exc)) from exc


def save_regions(table: "Regions", path: str) -> None:
    """Write ``table`` as ``.npz`` with ``Regions.save`` (atomic)."""
    with _writing(path):
        table.save(path)


def write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with _writing(path):
        atomic_write_bytes(path, data)


@contextmanager
def _writing(path: str) -> Iterator[None]:
    """Re-raise an OSError of the block as ``cannot write PATH: reason``."""
    try:
        yield
    except OSError as exc:
        raise OSError(exc.errno, f"cannot write {path}: {exc.strerror or exc}") from exc
