"""The ``hyperarr`` parser, `main` and the one error policy (private).

One module per subcommand registers on the parser (`hyperarr.cli._count`,
``_demo``, ``_regions``, ``_faces``, ``_deep``, ``_synthesize``, ``_plot``,
``_rnn``).  Commands raise; `run_command` alone catches.  Every failure, a bad argument or a
file that cannot be read or written, is one line ``hyperarr <command>: error:
...`` on stderr and exit status 2, never a traceback.

Examples
--------
>>> main(["count", "--n", "5", "--d", "2", "--json"])
{"n": 5, "d": 2, "exact": 16, "approx": 25, "approx_factorial": 12.5, "ratio": 1.5625, ...}
0
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from hyperarr import __version__
from hyperarr.cli import _count, _deep, _demo, _faces, _plot, _regions, _rnn, _synthesize
from hyperarr.cli._command import wrap
from hyperarr.exceptions import HyperarrError

__all__ = ["main", "run_command"]

#: The subcommands, in the order ``hyperarr --help`` lists them.
_COMMANDS = (_count, _demo, _regions, _faces, _deep, _synthesize, _plot, _rnn)

#: What a command may raise for a failure that is not a bug: one line, exit status 2.
#: (HyperarrError covers OutputTooLargeError, a MemoryError, and WitnessError.)  An
#: OverflowError is a number beyond what a float or a C integer holds, a limit like memory.
_FAILURES = (HyperarrError, ValueError, OSError, MemoryError, ImportError, OverflowError)


class _UsageExit(SystemExit):
    """Raised by `_Parser.error` after printing the one-line message."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2.

    Sub-parsers created by ``add_subparsers`` are of the same class, so
    ``self.prog`` names the command (``hyperarr count``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        _print_error(self.prog, f"{message} (see '{self.prog} --help')")
        raise _UsageExit(2)


def _print_error(prog: str, message: str) -> None:
    print(f"{prog}: error: {' '.join(str(message).split())}", file=sys.stderr)


def _build_parser() -> _Parser:
    parser = _Parser(
        prog="hyperarr",
        description=wrap(
            "Exact hyperplane arrangements for threshold neural networks. Neuron i computes "
            "a_i = w_i . x - theta_i; its hyperplane {x : w_i . x = theta_i} cuts the input "
            "space, and n neurons cut it into regions."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr demo                      the course sheet's Exercise 3, step by step\n"
            "  hyperarr count --n 20 --d 10       exact region count against n^d\n"
            "  hyperarr rnn -o gradients.png      vanishing gradients (Exercise 2)\n"
            "\n"
            "Run 'hyperarr <command> --help' for the options of a command."
        ),
    )
    parser.add_argument("--version", action="version", version=f"hyperarr {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="<command>", title="commands")
    sub.required = True
    for module in _COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``hyperarr`` command line and return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name; ``sys.argv[1:]`` if None.

    Returns
    -------
    int
        0 on success; 2 on bad arguments or a failed read or write, with one
        line on stderr; 130 when interrupted.  ``--help`` and ``--version``
        raise `SystemExit` with status 0, as argparse does.
    """
    parser = _build_parser()
    try:
        args, extra = parser.parse_known_args(None if argv is None else list(argv))
        if extra:
            args.command_parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except _UsageExit as exc:
        return int(exc.code or 2)
    return run_command(args.func, args)


def run_command(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Call ``run(args)`` under the error policy and return the exit status.

    A closed pipe (``hyperarr faces ... | head``) ends the command quietly
    with status 0, as ``git log | head`` does.  A failure in ``_FAILURES`` prints ``<prog>: error: <message>`` on one line
    and gives 2; so does any other exception (a bug), as an "internal error"
    line, unless the environment sets ``HYPERARR_DEBUG``, which re-raises it.
    Ctrl-C prints ``<prog>: interrupted`` and gives 130.
    ``args.command_parser.prog`` names the command.
    """
    prog = args.command_parser.prog
    try:
        status = int(run(args))
        sys.stdout.flush()  # a closed pipe shows here, not in Python's flush at exit
        return status
    except BrokenPipeError:
        _discard_stdout()
        return 0
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except _FAILURES as exc:
        _print_error(prog, _message(exc))
        return 2
    except Exception as exc:  # a bug in hyperarr: still one line, never a traceback
        if os.environ.get("HYPERARR_DEBUG"):
            raise
        _print_error(prog, f"internal error ({type(exc).__name__}: {exc}); this is a bug in "
                           "hyperarr, please report it; HYPERARR_DEBUG=1 shows the traceback")
        return 2


def _discard_stdout() -> None:
    """Point stdout at the null device: its reader has gone, so what is left unwritten,
    and Python's flush at exit, go nowhere instead of raising BrokenPipeError again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file descriptor (captured output)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _message(exc: BaseException) -> str:
    """The text of an error line: ``reason: file`` for an OSError, else ``str(exc)``."""
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return f"{reason}: {exc.filename}" if exc.filename else reason
    if isinstance(exc, OverflowError):
        return f"a number is beyond the float64 or int64 range here ({exc or 'overflow'})"
    return str(exc) or type(exc).__name__
