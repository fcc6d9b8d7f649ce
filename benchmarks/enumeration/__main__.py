"""``python -m benchmarks.enumeration``: the one entry point of the benchmark."""

import sys

from benchmarks.enumeration.cli import main

sys.exit(main())
