"""Old home of ``hyperarr synthesize``, kept for tests that import it; the command is :mod:`hyperarr.cli._synthesize`."""

from hyperarr.cli._synthesize import *  # noqa: F403
from hyperarr.cli._synthesize import __all__  # noqa: F401
