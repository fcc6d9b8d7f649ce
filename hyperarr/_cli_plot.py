"""Old home of ``hyperarr plot``, now `hyperarr.cli._plot`; kept because tests/test_plot.py imports it.

Its ``add_parser`` runs the command under the CLI's error policy, as
``hyperarr plot`` does.  Delete this module once no test imports it.
"""

from hyperarr.cli import _plot
from hyperarr.cli._main import standalone
from hyperarr.cli._plot import demo_step

__all__ = ["add_parser", "demo_step"]

add_parser = standalone(_plot)
