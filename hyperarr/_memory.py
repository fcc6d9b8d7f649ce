"""Memory budgets: what an output would take, against the memory available (private).

Every output that grows with an unbounded quantity (regions, faces, rows of
a text table, generators of a symmetry group) is estimated before it is made:
its number of rows times its bytes per row, measured on a sample of the same
output, against the memory this machine has available now.  Above it, an
[`OutputTooLargeError`][hyperarr.OutputTooLargeError] says both figures and
what to do instead.  A `MemoryError` that happens anyway (the estimate was
short, or another process took the memory meanwhile) becomes one too, with
the figures.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator

from hyperarr.exceptions import OutputTooLargeError

__all__ = ["available", "refuse_over", "memory_errors_refused", "measured_bytes", "size_text"]

#: The share of the available memory an output may take (the rest is for what else runs).
SHARE = 0.8


def available() -> int:
    """The memory available to a new allocation, in bytes: Linux's ``MemAvailable``, else the
    physical memory; 0 if neither can be read (no check is then made)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return 0


def size_text(nbytes: float) -> str:
    """A byte count for a message: ``'1.5 GB'``, ``'12 MB'``, ``'800 bytes'``.

    Examples
    --------
    >>> size_text(1.5e9), size_text(12e6), size_text(800), size_text(3 * 10**40)
    ('1.5 GB', '12.0 MB', '800 bytes', '10^40 bytes')
    """
    if nbytes >= 10**15:
        return f"10^{len(str(int(nbytes))) - 1} bytes"
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f} {unit}"
    return f"{int(nbytes)} bytes"


def refuse_over(what: str, rows: int, bytes_per_row: float, remedy: str,
                memory: int | None = None) -> None:
    """Refuse ``rows`` rows of ``bytes_per_row`` bytes when they pass the share of the memory available.

    Parameters
    ----------
    what : str
        The output, as the message's subject, e.g. ``"the JSON of 4598479 regions"``.
    rows : int
    bytes_per_row : float
        Measured on a sample of the same output (`measured_bytes`).
    remedy : str
        What to do instead.
    memory : int, optional
        The memory available, in bytes; default `available`.

    Raises
    ------
    OutputTooLargeError
        ``"{what} would take about X (N rows of about B bytes), more than the Y of
        memory available here; {remedy}"``.

    Examples
    --------
    >>> refuse_over("the table", 10**9, 100.0, "stream it", memory=10**9)
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.OutputTooLargeError: the table would take about 100.0 GB (1000000000 rows of about 100 bytes), more than the 800.0 MB of memory available here (80% of 1.0 GB); stream it
    """
    memory = available() if memory is None else memory
    need = rows * math.ceil(bytes_per_row)  # exact: rows may be far beyond a float
    if memory and need > SHARE * memory:
        shown = str(rows) if rows < 10**15 else f"about 10^{len(str(rows)) - 1}"
        raise OutputTooLargeError(
            f"{what} would take about {size_text(need)} ({shown} rows of about {bytes_per_row:.0f} bytes), "
            f"more than the {size_text(SHARE * memory)} of memory available here "
            f"({SHARE:.0%} of {size_text(memory)}); {remedy}")


@contextlib.contextmanager
def memory_errors_refused(what: str, estimate: float | None, remedy: str) -> Iterator[None]:
    """Turn a `MemoryError` of the block into an `OutputTooLargeError` naming ``what`` and the figures.

    ``estimate`` is the bytes the output was expected to take (None if unknown).
    An `OutputTooLargeError` of the block passes as it is.
    """
    try:
        yield
    except OutputTooLargeError:
        raise
    except MemoryError:
        expected = f"about {size_text(estimate)} expected, " if estimate else ""
        raise OutputTooLargeError(
            f"{what} ran out of memory ({expected}{size_text(available())} available now); {remedy}"
        ) from None


def measured_bytes(build: Callable[[], object]) -> int:
    """The peak bytes Python allocates while ``build()`` runs and holds its result (tracemalloc)."""
    import tracemalloc

    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        kept = build()
        peak = tracemalloc.get_traced_memory()[1] - base
        del kept
    finally:
        if started:
            tracemalloc.stop()
    return max(int(peak), 1)
