"""Old home of ``hyperarr plot``, kept for tests that import it; the command is :mod:`hyperarr.cli._plot`."""

from hyperarr.cli._plot import *  # noqa: F403
from hyperarr.cli._plot import __all__  # noqa: F401
