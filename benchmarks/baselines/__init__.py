"""Reference implementations that the benchmarks compare hyperarr against."""

from benchmarks.baselines.incremental_lp import LPEnumeration, incremental_lp_regions

__all__ = ["incremental_lp_regions", "LPEnumeration"]
