"""Region enumeration benchmark (issue #3); same as ``python -m benchmarks.enumeration``.

Usage, from the repository root::

    python benchmarks/bench_enumeration.py [--quick] [--out DIR] [--sage-python PATH]
"""

import sys
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script: make the repository root importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.enumeration import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
