"""Shared hypothesis strategies and builders for the arrangement tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from hyperarr import Arrangement

coef = st.integers(-3, 3)
normal_coef = st.one_of(st.just(0), st.integers(-3, 3))  # zeros often: parallels, flats


def arrangement_from_rows(rows, d: int) -> Arrangement:
    """An Arrangement from rows ``[w_1, ..., w_d, θ]`` (exact entries kept)."""
    rows = [list(r) for r in rows]
    normals = np.array([r[:d] for r in rows], dtype=object).reshape(len(rows), d)
    offsets = np.array([r[d] for r in rows], dtype=object).reshape(len(rows))
    return Arrangement(normals, offsets)


@st.composite
def degenerate_arrangements(draw, max_n: int = 8, min_d: int = 1, max_d: int = 4):
    """Small-integer arrangements, with parallels, concurrences and repeated rows.

    Repeats are positive or negative multiples of an earlier row (the same
    hyperplane, with the same or the opposite orientation).
    """
    d = draw(st.integers(min_d, max_d))
    n_base = draw(st.integers(0, max_n))
    rows = []
    for _ in range(n_base):
        normal = draw(st.lists(normal_coef, min_size=d, max_size=d).filter(any))
        rows.append(normal + [draw(coef)])
    if rows:
        for _ in range(draw(st.integers(0, min(3, max_n - n_base)))):
            src = draw(st.sampled_from(rows))
            factor = draw(st.sampled_from([1, -1, 2, -2, 3]))
            rows.append([factor * v for v in src])
    order = draw(st.permutations(range(len(rows))))
    return arrangement_from_rows([rows[i] for i in order], d)
