"""Old home of ``hyperarr synthesize``, now `hyperarr.cli._synthesize`; kept because tests/test_synthesis.py imports it.

Its ``add_parser`` runs the command under the CLI's error policy, as
``hyperarr synthesize`` does.  Delete this module once no test imports it.
"""

from hyperarr.cli import _synthesize
from hyperarr.cli._main import standalone
from hyperarr.cli._synthesize import demo_step

__all__ = ["add_parser", "demo_step"]

add_parser = standalone(_synthesize)
