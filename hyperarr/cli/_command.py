"""How a subcommand registers itself on the ``hyperarr`` parser, and how a long run behaves (private).

Every command module has ``add_parser(subparsers)``, which calls
`add_command` with its name, texts and ``run`` function, then adds its
options.  ``run(args)`` returns 0 or raises; the error policy is
`hyperarr.cli._main.run_command`'s alone.  A run that may take long wraps
its work in `feedback` (a note when numba compiles, a bar on a terminal)
and, where it has a budget, in `time_limit`.
"""

from __future__ import annotations

import _thread
import argparse
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hyperarr.exceptions import OutputTooLargeError

__all__ = ["add_command", "feedback", "on_terminal", "time_limit", "wrap"]

#: Seconds a run goes before its bar appears (pip waits about as long).
BAR_DELAY = 2.0


def wrap(text: str) -> str:
    """Wrap a help description to 79 columns (the formatter keeps line breaks, for the examples)."""
    return textwrap.fill(text, width=79)


def add_command(
    subparsers: Any,
    name: str,
    run: Callable[[argparse.Namespace], int],
    *,
    help: str,
    description: str,
    epilog: str | None = None,
) -> argparse.ArgumentParser:
    """Register the subcommand ``name`` and return its parser, for the options.

    ``args.func`` is ``run`` and ``args.command_parser`` the new parser, whose
    ``prog`` (``hyperarr count``) starts every error line of the command.
    """
    p: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help,
        description=wrap(description),
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=run, command_parser=p)
    return p


def on_terminal() -> bool:
    """Whether stderr is a terminal, where bars are drawn (as tqdm's ``disable=None`` decides)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def feedback(prog: str, what: str, *, bar: bool = True) -> Iterator[None]:
    """Say on stderr what a long block is doing.

    The first time numba compiles a kernel in the block, one line
    ``<prog>: compiling kernels (first run only)``: numba keeps what it
    compiles in its cache, so later runs load it instead.  With ``bar``, on
    a terminal, a bar ``<what>: <elapsed time>`` once the block has run
    `BAR_DELAY` seconds (for work that reports no steps of its own).
    """
    from tqdm import tqdm
    from numba.core import event

    class Notice(event.Listener):  # type: ignore[misc]
        said = False

        def on_start(self, _event: Any) -> None:
            if not self.said:
                self.said = True
                tqdm.write(f"{prog}: compiling kernels (first run only)", file=sys.stderr)

        def on_end(self, _event: Any) -> None:
            pass

    ticker = _Elapsed(what) if bar else None
    with event.install_listener("numba:compile", Notice()):
        try:
            if ticker is not None:
                ticker.start()
            yield
        finally:
            if ticker is not None:
                ticker.finish()


class _Elapsed:
    """A tqdm bar with the elapsed time, refreshed by a thread while the main one works."""

    def __init__(self, what: str) -> None:
        from tqdm import tqdm

        self.bar = tqdm(desc=what, total=None, disable=None, delay=BAR_DELAY, leave=False,
                        bar_format="{desc}: {elapsed}", file=sys.stderr)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)

    def _tick(self) -> None:
        while not self.stop.wait(0.5):
            self.bar.update(0)  # drawn only once the delay has passed

    def start(self) -> None:
        if not self.bar.disable:
            self.thread.start()

    def finish(self) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()
        self.bar.close()


@contextmanager
def time_limit(seconds: float, what: str, remedy: str) -> Iterator[None]:
    """Stop the block once it has run ``seconds``, with a refusal.

    A timer thread interrupts the main thread (`_thread.interrupt_main`),
    which stops between two Python steps: within moments of the limit, or at
    the end of a compiled loop.  The refusal is an `OutputTooLargeError`
    ``"{what} ran for more than S s (--max-seconds) and was stopped; {remedy}"``.
    A Ctrl-C of the user's own stays a KeyboardInterrupt.  Main thread only.
    """
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def stop() -> None:
        with lock:
            if state["done"]:
                return
            state["fired"] = True
        _thread.interrupt_main()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    try:
        try:
            timer.start()
            yield
        finally:
            with lock:
                state["done"] = True
            timer.cancel()
    except KeyboardInterrupt:
        if not state["fired"]:
            raise
        raise OutputTooLargeError(
            f"{what} ran for more than {seconds:g} s (--max-seconds) and was stopped; {remedy}"
        ) from None
