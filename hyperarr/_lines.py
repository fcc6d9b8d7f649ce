"""Exact geometry of lines in the plane, shared by the labels and the polygons (private).

Lines are integer rows ``(a, b, c)``: ``a x + b y = c``.  Directions are
compared by their clockwise angle from up (+y), exactly.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from hyperarr import _exact
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError

__all__ = ["Vec", "check_plane", "int_rows", "distinct_lines", "sign", "primitive", "half",
           "cw_cmp", "cw_cmp_filtered", "rot_cw", "homogeneous_vertices", "vertices"]

Vec = tuple[Any, Any]  # an exact 2-vector of ints or Fractions


def check_plane(A: Any, func: str) -> Arrangement:
    if not isinstance(A, Arrangement):
        raise ArrangementError(f"{func} expects an Arrangement; got {type(A).__name__}")
    if A.dim != 2:
        raise ArrangementError(
            f"{func} needs lines in the plane (d = 2); got hyperplanes in R^{A.dim} (d = {A.dim})"
        )
    return A


def int_rows(A: Arrangement) -> list[tuple[int, int, int]]:
    """Each input line as coprime integers ``(a, b, c)``: ``a x + b y = c``, same orientation."""
    return [_exact.integer_row(r) for r in A.exact_rows]  # type: ignore[misc]


def distinct_lines(A: Arrangement) -> list[tuple[int, int, int]]:
    """The distinct lines, canonical (first nonzero coefficient positive), in input order."""
    return list(A._prepared.rows)  # type: ignore[arg-type]


def sign(v: Any) -> int:
    return (v > 0) - (v < 0)


def primitive(v: tuple[int, int]) -> tuple[int, int]:
    g = math.gcd(v[0], v[1])
    return (v[0] // g, v[1] // g)


def half(v: Vec) -> int:
    """0 for directions at clockwise angle in [0, π) from up (+y), 1 for [π, 2π)."""
    return 0 if v[0] > 0 or (v[0] == 0 and v[1] > 0) else 1


def cw_cmp(u: Vec, v: Vec) -> int:
    """Compare nonzero directions by clockwise angle from up, exactly (0 if equal)."""
    hu, hv = half(u), half(v)
    if hu != hv:
        return hu - hv
    return sign(u[0] * v[1] - u[1] * v[0])


def cw_cmp_filtered(u: Vec, v: Vec, fu: tuple[float, float], fv: tuple[float, float]) -> int:
    """``cw_cmp`` for exact ``u``, ``v``, decided on their rounded floats when provable.

    ``fu``, ``fv`` are the correctly rounded components.  The float cross
    product decides when it exceeds its error bound; otherwise the exact
    (big) integers do.
    """
    hu, hv = half(u), half(v)
    if hu != hv:
        return hu - hv
    a, b = fu[0] * fv[1], fu[1] * fv[0]
    if abs(a - b) > 8 * 2.0**-53 * (abs(a) + abs(b)) + 2.0**-1000:
        return 1 if a > b else -1
    return sign(u[0] * v[1] - u[1] * v[0])


def rot_cw(v: Vec) -> Vec:
    """``v`` turned 90° clockwise: up becomes right."""
    return (v[1], -v[0])


def homogeneous_vertices(A: Arrangement) -> list[tuple[int, int, int]]:
    """The distinct vertices as primitive integer triples (X, Y, D), D > 0: the point (X/D, Y/D)."""
    lines = distinct_lines(A)
    out: dict[tuple[int, int, int], None] = {}
    for i, (a1, b1, c1) in enumerate(lines):
        for a2, b2, c2 in lines[i + 1 :]:
            det = a1 * b2 - a2 * b1
            if det:
                X, Y = c1 * b2 - c2 * b1, a1 * c2 - a2 * c1
                if det < 0:
                    X, Y, det = -X, -Y, -det
                g = math.gcd(math.gcd(X, Y), det)
                out.setdefault((X // g, Y // g, det // g), None)
    return list(out)


def vertices(A: Arrangement) -> list[tuple[Fraction, Fraction]]:
    """The distinct intersection points of non-parallel lines, exactly, in a fixed order."""
    return [(Fraction(X, D), Fraction(Y, D)) for X, Y, D in homogeneous_vertices(A)]
