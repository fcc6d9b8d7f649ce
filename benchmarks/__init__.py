"""Benchmarks for hyperarr: scripts that print tables, never timed tests.

Run them as modules from the repository root::

    python -m benchmarks.enumeration [--quick] [--out DIR]
    python -m benchmarks.region_counts [--quick] [--out DIR]

Each writes its table to ``benchmarks/results/`` (or ``--out DIR``) with a
header naming the machine, the library versions, the date and the seed.
"""
