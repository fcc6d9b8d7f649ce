"""How a subcommand registers itself on the ``hyperarr`` parser (private).

Every command module has ``add_parser(subparsers)``, which calls
`add_command` with its name, texts and ``run`` function, then adds its
options.  ``run(args)`` returns 0 or raises; the error policy is
`hyperarr.cli._main.run_command`'s alone.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from typing import Any

__all__ = ["add_command", "wrap"]


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
