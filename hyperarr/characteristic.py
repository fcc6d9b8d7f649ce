"""The characteristic polynomial of an arrangement and the counts it gives.

χ_A(t) = Σ_X μ(X) t^(dim X) over the flats X of the intersection lattice.
Zaslavsky's theorem turns it into counts without enumerating anything: the
number of regions is (−1)^d χ(−1) and the number of relatively bounded
regions is (−1)^rank χ(1).

In general position (decided exactly) χ has a closed form; otherwise it is
computed by deletion–restriction over the intersection lattice, memoized
per flat.
"""

from __future__ import annotations

import bisect
import math
from typing import TYPE_CHECKING

from hyperarr._binomial import region_count
from hyperarr._generic import probably_generic
from hyperarr._lattice import Flat, Lattice
from hyperarr.arrangement import checked
from hyperarr.exceptions import OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement

__all__ = ["characteristic_polynomial", "n_regions", "n_bounded_regions"]


def characteristic_polynomial(A: "Arrangement") -> tuple[int, ...]:
    """Characteristic polynomial χ_A(t) of an arrangement, exactly.

    Parameters
    ----------
    A : Arrangement

    Returns
    -------
    tuple of int
        Coefficient of t^k at index k (the order of Sage's ``.list()``),
        length ``A.dim + 1``.

    Notes
    -----
    In general position (decided exactly by [`Arrangement.is_generic`][hyperarr.arrangement.Arrangement.is_generic])
    χ(t) = Σ_k (−1)^k C(n, k) t^(d−k).  Otherwise it is computed by
    deletion–restriction, χ(A) = χ(A∖H) − χ(A^H), run over the flats of the intersection lattice in input order and memoized per flat:
    each flat is visited once, with its traces computed by exact integer
    elimination.  No region is enumerated.  Repeated hyperplanes do not
    change χ.

    Examples
    --------
    >>> from hyperarr import library
    >>> characteristic_polynomial(library.five_lines())
    (10, -5, 1)
    >>> characteristic_polynomial(library.braid(3))
    (0, 2, -3, 1)
    """
    prep = checked(A)._prepared
    generic, refusal = _known_generic(A)
    if len(prep.rows) == A.n and A.n > A.dim and generic:
        # General position: every set of k <= d hyperplanes is a flat of
        # codimension k with Möbius value (-1)^k, and there are no others.
        d = A.dim
        coeffs = [0] * (d + 1)
        for k in range(d + 1):
            coeffs[d - k] = (-1) ** k * math.comb(A.n, k)
        return tuple(coeffs)
    lat = A._lattice
    h = len(prep.rows)
    flats_bound = region_count(h, A.rank())
    if flats_bound > lat.max_flats:
        if probably_generic(prep.rows, A.dim):
            raise OutputTooLargeError(
                f"the arrangement looks generic, so its lattice would have Σ_k C({h}, k) = "
                f"{flats_bound} flats (limit {lat.max_flats}), and deciding general position "
                f"exactly was refused: {refusal or 'the check was not run'}; call "
                "A.is_generic(max_checks=...) first, after which χ has a closed form"
            )
    table = _flat_chi(lat, lat.top)
    return tuple(int(c) for c in table[-1])


def _known_generic(A: "Arrangement") -> tuple[bool, str | None]:
    """``A.is_generic()`` and None; or False and the refusal, when that check itself
    would be too large."""
    try:
        return A.is_generic(), None
    except OutputTooLargeError as exc:
        return False, str(exc)


def n_regions(A: "Arrangement") -> int:
    """Number of regions, (−1)^d χ(−1) (Zaslavsky), without enumerating them.

    Examples
    --------
    >>> from hyperarr import library
    >>> n_regions(library.shi(3))
    16
    """
    chi = characteristic_polynomial(A)
    return abs(sum(c * (-1) ** k for k, c in enumerate(chi)))


def n_bounded_regions(A: "Arrangement") -> int:
    """Number of relatively bounded regions, (−1)^rank χ(1) (Zaslavsky), without enumerating them.

    A region is relatively bounded when it is bounded modulo the lineality
    space of the normals, which is what Sage's ``n_bounded_regions`` counts.
    For an essential arrangement this is the number of regions that are
    compact in R^d (``Regions.bounded``); for a non-essential one (braid,
    Shi) no region is compact, yet this count can be positive.

    Examples
    --------
    >>> from hyperarr import library
    >>> n_bounded_regions(library.five_lines())
    6
    """
    return abs(sum(characteristic_polynomial(A)))


# Deletion–restriction over the lattice


def _flat_chi(lat: Lattice, flat: Flat) -> list[list[int]]:
    """Prefix table of characteristic polynomials on ``flat``.

    Entry s is χ of the arrangement of the first s traces of the flat (traces
    ordered by their first input hyperplane), as a coefficient list indexed
    by power of t.  Deletion-restriction in that order gives
    χ_s = χ_{s−1} − χ(flat ∩ trace s−1, traces before it).
    """
    if flat.chi is not None:
        return flat.chi
    dim = flat.dim
    base = [0] * (dim + 1)
    base[dim] = 1
    table = [base]
    if dim == 0:
        flat.chi = table
        return table
    if dim == 1:
        for s in range(flat.n_traces):
            cur = list(table[-1])
            cur[0] -= 1
            table.append(cur)
        flat.chi = table
        return table
    for s in range(flat.n_traces):
        child = lat.child(flat, s)
        bound = flat.trace_min[s]
        ctab = _flat_chi(lat, child)
        cnt = bisect.bisect_left(child.trace_min, bound)
        sub = ctab[cnt]
        cur = list(table[-1])
        for p, c in enumerate(sub):
            cur[p] -= c
        table.append(cur)
    flat.chi = table
    return table
