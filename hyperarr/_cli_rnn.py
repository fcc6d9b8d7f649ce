"""Old home of ``hyperarr rnn``, kept for tests that import it; the command is :mod:`hyperarr.cli._rnn`."""

from hyperarr.cli._rnn import *  # noqa: F403
from hyperarr.cli._rnn import __all__  # noqa: F401
