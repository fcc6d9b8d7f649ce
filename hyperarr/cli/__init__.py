"""The ``hyperarr`` command line: one private module per subcommand.

``hyperarr <command> ...`` runs `main`; ``python -m hyperarr`` and the
``hyperarr`` console script both call it.
"""

from hyperarr.cli._main import main

__all__ = ["main"]
