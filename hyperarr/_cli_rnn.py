"""Old home of ``hyperarr rnn``, now `hyperarr.cli._rnn`; kept because tests/test_rnn.py imports it.

Its ``add_parser`` runs the command under the CLI's error policy, as
``hyperarr rnn`` does.  Delete this module once no test imports it.
"""

from hyperarr.cli import _rnn
from hyperarr.cli._main import standalone

__all__ = ["add_parser"]

add_parser = standalone(_rnn)
