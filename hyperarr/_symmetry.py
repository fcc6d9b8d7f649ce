"""Symmetries of an arrangement, given as permutations and verified exactly (private).

A permutation g of the hyperplanes is a symmetry when an invertible linear
map L of the homogenized rows carries every row to a nonzero multiple of the
row of its image, ``r_i L = c_i r_{g(i)}``: L^{-1} then maps the hyperplane i
onto the hyperplane g(i), as sets, and so maps every restriction onto one
with the same characteristic polynomial.  For an arrangement
that is not central the rows are those of its cone, ``[a | −b]`` and the
hyperplane at infinity ``[0 … 0 | 1]``, which g must fix: L is then an affine
map of R^d.  A multiple may be negative, which swaps the sides of a
hyperplane and changes no count (the transpositions of S_{d+1} acting on the
resonance arrangement are of this kind).

Verification is exact (rational arithmetic).  Write every row in a basis B of
rows, ``r_i = α_i · r_B``, and its image in the image basis,
``r_{g(i)} = β_i · r_{g(B)}``.  L exists iff g(B) is a basis and scalars c_b
exist with ``α_ib c_b = λ_i β_ib`` for every row i and b: supports must
agree, and the ratios c_b / c_b' the rows impose must be consistent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from hyperarr.exceptions import ArrangementError

__all__ = ["verified"]

Matrix = list[list[Fraction]]


def _rref_basis(rows: Sequence[Sequence[Fraction]]) -> list[int]:
    """Indices of a greedy basis of ``rows`` (first independent rows)."""
    basis: list[int] = []
    reduced: list[tuple[int, list[Fraction]]] = []  # (pivot column, row)
    for i, r in enumerate(rows):
        v = list(r)
        for c, b in reduced:
            if v[c]:
                f = v[c] / b[c]
                v = [x - f * y for x, y in zip(v, b)]
        piv = next((c for c, x in enumerate(v) if x), None)
        if piv is not None:
            reduced.append((piv, v))
            basis.append(i)
    return basis


def _gauss_jordan(aug: Matrix, n_pivots: int) -> bool:
    """Reduce ``aug`` in place so that its first ``n_pivots`` columns are the
    identity on top; False if they are not independent."""
    height = len(aug)
    for col in range(n_pivots):
        sel = next((q for q in range(col, height) if aug[q][col]), None)
        if sel is None:
            return False
        aug[col], aug[sel] = aug[sel], aug[col]
        inv = 1 / aug[col][col]
        aug[col] = [x * inv for x in aug[col]]
        for q in range(height):
            if q != col and aug[q][col]:
                f = aug[q][col]
                aug[q] = [x - f * y for x, y in zip(aug[q], aug[col])]
    return True


def _solve_coords(basis_rows: Matrix, rows: Sequence[Sequence[Fraction]]) -> Matrix:
    """Coordinates of every row in the basis ``basis_rows`` (rows in their span)."""
    r = len(basis_rows)
    width = len(basis_rows[0]) if r else 0
    # Gauss–Jordan on [B^T | rows^T] solves B^T α^T = row^T.
    aug = [[basis_rows[k][c] for k in range(r)] + [Fraction(row[c]) for row in rows]
           for c in range(width)]
    if not _gauss_jordan(aug, r):  # pragma: no cover - basis rows are independent
        raise ArrangementError("internal: dependent basis")
    return [[aug[k][r + i] for k in range(r)] for i in range(len(rows))]


def _is_induced(rows: Matrix, perm: Sequence[int]) -> bool:
    """Whether an invertible L with ``rows[i] L = c_i rows[perm[i]]`` (c_i ≠ 0) exists.

    It does iff g(B) is a basis and the scalars c_b are consistent: then
    L is ``r_B ↦ c_B r_{g(B)}`` on the row space, extended by any
    isomorphism of complements, and every row is sent where it should be.
    """
    B = _rref_basis(rows)
    gB = [perm[b] for b in B]
    if len(_rref_basis([rows[k] for k in gB])) != len(B):
        return False
    RB = [rows[b] for b in B]
    RgB = [rows[k] for k in gB]
    alpha = _solve_coords(RB, rows)
    beta = _solve_coords(RgB, [rows[perm[i]] for i in range(len(rows))])
    r = len(B)
    c: list[Fraction | None] = [None] * r
    constraints: list[list[int]] = []
    for i in range(len(rows)):
        sa = [k for k in range(r) if alpha[i][k]]
        sb = [k for k in range(r) if beta[i][k]]
        if sa != sb:
            return False
        constraints.append(sa)
    # Propagate the ratios c_b / c_b' = β_ib α_ib' / (α_ib β_ib') from each root.
    for root in range(r):
        if c[root] is not None:
            continue
        c[root] = Fraction(1)
        changed = True
        while changed:
            changed = False
            for i, sup in enumerate(constraints):
                known = next((k for k in sup if c[k] is not None), None)
                if known is None:
                    continue
                lam = alpha[i][known] * c[known] / beta[i][known]  # type: ignore[operator]
                for k in sup:
                    want = lam * beta[i][k] / alpha[i][k]
                    if c[k] is None:
                        c[k] = want
                        changed = True
                    elif c[k] != want:
                        return False
    return True


def verified(generators: Any, n: int, column: Sequence[int], rows: Sequence[Sequence[int]],
             fixed_last: bool) -> list[tuple[int, ...]]:
    """Check every generator and return the distinct ones as permutations of ``rows``.

    Repeated generators, and those that act as the identity on ``rows``, are
    checked as permutations of ``range(n)`` but verified (the exact, costly
    part) at most once, and are left out of the result: it holds each
    distinct non-identity permutation once, in the order first given.

    Parameters
    ----------
    generators : sequence of permutations
        Each a permutation of ``range(n)`` (input hyperplanes) in one-line notation.
    n : int
        Number of input hyperplanes.
    column : sequence of int
        Input hyperplane i is row ``column[i]`` of ``rows``.
    rows : integer rows
        The homogenized distinct rows (plus, if ``fixed_last``, the hyperplane
        at infinity as the last row, which every symmetry must fix).

    Raises
    ------
    ArrangementError
        Naming the first generator that is not a permutation of ``range(n)`` or
        not a symmetry.
    """
    if generators is None:
        return []
    try:
        gens = [list(g) for g in generators]
    except TypeError:
        raise ArrangementError(
            "symmetry must be a sequence of permutations of the hyperplane indices; "
            f"got {type(generators).__name__}") from None
    h = len(rows)
    Q = [[Fraction(int(v)) for v in r] for r in rows]
    out: list[tuple[int, ...]] = []
    seen_input: set[tuple[int, ...]] = set()
    seen: set[tuple[int, ...]] = {tuple(range(h))}  # the identity needs no check
    for k, g in enumerate(gens):
        with contextlib.suppress(TypeError):  # unhashable entries: the check below names them
            if tuple(g) in seen_input and all(isinstance(v, int) or hasattr(v, "__index__") for v in g):
                continue  # checked once: a repeat is the same permutation
        shown = repr(g) if len(g) <= 20 else f"[{', '.join(map(str, g[:20]))}, …]"
        ok = (len(g) == n and all(isinstance(v, int) or hasattr(v, "__index__") for v in g))
        vals = [int(v) for v in g] if ok else []
        if not ok or sorted(vals) != list(range(n)):
            raise ArrangementError(
                f"symmetry generator {k} must be a permutation of 0..{n - 1} in one-line "
                f"notation; got {shown}")
        seen_input.add(tuple(g))
        perm = [-1] * h
        for i, gi in enumerate(vals):
            a, b = column[i], column[gi]
            if perm[a] not in (-1, b):
                raise ArrangementError(
                    f"symmetry generator {k} is not a symmetry: it sends copies of one "
                    f"hyperplane to different hyperplanes; got {shown}")
            perm[a] = b
        if fixed_last:
            perm[h - 1] = h - 1
        if sorted(perm) != list(range(h)):
            raise ArrangementError(
                f"symmetry generator {k} is not a symmetry: it does not permute the distinct "
                f"hyperplanes; got {shown}")
        if tuple(perm) in seen:
            continue
        if not _is_induced(Q, perm):
            raise ArrangementError(
                f"symmetry generator {k} is not a symmetry of the arrangement: no invertible "
                f"{'affine' if fixed_last else 'linear'} map sends each hyperplane i onto "
                f"hyperplane g[i]; got {shown}")
        seen.add(tuple(perm))
        out.append(tuple(perm))
    return out
