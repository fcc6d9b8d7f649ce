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


#: Row scales spanning the float range (small integer rows times these stay finite).
_SCALES = (1e300, 1e-300, 2.0**-1000, 1e150, 7e-200, 5e-324, 1.0)
#: Float factors whose products are not exact multiples: decimal "duplicates".
_DECIMALS = (0.1, 0.3, 1 / 3, 3.0)


def _nudge(x: float, ulps: int) -> float:
    for _ in range(abs(ulps)):
        x = float(np.nextafter(x, np.inf if ulps > 0 else -np.inf))
    return x


@st.composite
def nasty_float_arrangements(draw, max_n: int = 6, min_d: int = 1, max_d: int = 3):
    """Float arrangements built to be nasty, from a degenerate integer one.

    Each row is either kept, or turned by one family of the issue "total at the
    extremes": scaled by a magnitude from 1e−300 to 1e300 or into subnormals;
    copied with its offset moved by one or two ulps; copied scaled by 0.1, 0.3,
    1/3 or 3 in float (a decimal "duplicate", a distinct hyperplane); or
    perturbed by 1e−12.  Rows whose normal underflows to zero are dropped.
    """
    d = draw(st.integers(min_d, max_d))
    n_base = draw(st.integers(1, max(1, max_n - 2)))
    base = []
    for _ in range(n_base):
        normal = draw(st.lists(normal_coef, min_size=d, max_size=d).filter(any))
        base.append([float(v) for v in normal] + [float(draw(coef))])
    rows: list[list[float]] = []
    for r in base:
        family = draw(st.sampled_from(["keep", "scale", "ulp", "decimal", "perturb"]))
        if family == "scale":
            s = draw(st.sampled_from(_SCALES))
            rows.append([v * s for v in r])
        elif family == "ulp":
            rows.append(r)
            if len(rows) < max_n:
                moved = list(r)
                moved[d] = _nudge(r[d], draw(st.sampled_from([-2, -1, 1, 2])))
                rows.append(moved)
        elif family == "decimal":
            rows.append(r)
            if len(rows) < max_n:
                f = draw(st.sampled_from(_DECIMALS))
                rows.append([v * f for v in r])
        elif family == "perturb":
            k = draw(st.lists(st.integers(-2, 2), min_size=d + 1, max_size=d + 1))
            rows.append([v + 1e-12 * e for v, e in zip(r, k)])
        else:
            rows.append(r)
    if draw(st.booleans()) and len(rows) < max_n:  # a wide row: 1e300 next to 1e-300
        wide = [draw(st.sampled_from([1e300, -1e300, 1e-300, 0.0, 1.0])) for _ in range(d + 1)]
        if any(wide[:d]):
            rows.append(wide)
    rows = [r for r in rows if any(r[:d])][:max_n]
    if not rows:
        rows = [[1.0] + [0.0] * d]
    order = draw(st.permutations(range(len(rows))))
    return Arrangement(np.array([rows[i][:d] for i in order], dtype=np.float64).reshape(-1, d),
                       np.array([rows[i][d] for i in order], dtype=np.float64))
