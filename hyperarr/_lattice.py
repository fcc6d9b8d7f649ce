"""The intersection lattice, flat by flat, on exact integer data (private).

Every flat X of an arrangement is stored once, keyed by its *closure*: the
set of hyperplanes that contain it.  A flat carries

* ``free``: the coordinates that parametrize it.  They are the complement
  of the pivot columns of the reduced row echelon form of its equations, so
  they do not depend on the order in which hyperplanes were intersected;
* ``rows``: its *traces*, the distinct hyperplanes of X cut by the other
  hyperplanes, as coprime integer rows ``[a | b]`` over ``free`` whose first
  nonzero coefficient is positive;
* ``tmap``/``tsign``: for every input hyperplane u, the trace it induces
  (``tsign[u]`` is the orientation, ±1), or −1 if u contains X (sign 0),
  or −2 if u is parallel to X (constant sign ``tsign[u]``).

Because traces are computed by fraction-free elimination followed by gcd
normalization, a trace row is the unique primitive integer row of that
hyperplane of X: two paths to the same flat give the same data, and the
memo is sound.

Region enumeration (``_lift``), boundedness (``_bounded``) and the
characteristic polynomial (``hyperarr.characteristic``) walk this lattice.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact, _lattice_jit
from hyperarr.exceptions import OutputTooLargeError

__all__ = ["Flat", "Lattice", "levels"]


class Flat:
    """One flat of the lattice (see the module docstring)."""

    __slots__ = ("key", "free", "rows_exact", "tmap", "tsign", "trace_min", "rep",
                 "group_mask", "pivot", "regions", "chi", "_rows_f", "_rows_i")

    def __init__(self, key: int, free: tuple[int, ...], rows: list[tuple[int, ...]],
                 tmap: NDArray[np.int64], tsign: NDArray[np.int8],
                 trace_min: list[int], group_mask: list[int], rep: list[int],
                 pivot: list[int] | None = None) -> None:
        self.key = key
        self.free = free
        self.rows_exact = rows
        self.tmap = tmap
        self.tsign = tsign
        self.trace_min = trace_min
        self.group_mask = group_mask
        self.rep = np.array(rep, dtype=np.int64)
        # The coordinate each trace eliminates: its first nonzero coefficient.
        self.pivot = pivot if pivot is not None else [next(c for c, v in enumerate(r) if v) for r in rows]
        self.regions: tuple[Any, ...] | None = None  # filled by the _lift kernel
        self.chi: Any = None
        self._rows_f: NDArray[np.float64] | None = None
        self._rows_i: NDArray[np.int64] | None = None

    @property
    def dim(self) -> int:
        return len(self.free)

    @property
    def n_traces(self) -> int:
        return len(self.rows_exact)

    @property
    def rows_f(self) -> NDArray[np.float64]:
        """The trace rows in float64, each scaled by a power of two (exact
        positive factor) so that no entry overflows."""
        if self._rows_f is None:
            self._rows_f = _exact.float_rows(self.rows_exact, self.dim + 1)
        return self._rows_f

    @property
    def rows_small(self) -> NDArray[np.int64] | None:
        """The trace rows in int64 if every entry is below `_lattice_jit.SMALL` in
        absolute value (the compiled elimination applies), else None."""
        if self._rows_i is None:
            small = all(-_lattice_jit.SMALL < v < _lattice_jit.SMALL for r in self.rows_exact for v in r)
            self._rows_i = (np.array(self.rows_exact, dtype=np.int64).reshape(-1, self.dim + 1) if small
                            else np.zeros((0, 0), dtype=np.int64))
        return self._rows_i if self._rows_i.shape[1] == self.dim + 1 else None


class Lattice:
    """Lazily built intersection lattice of integer rows ``[a | b]``.

    Parameters
    ----------
    rows : sequence of integer tuples, length d+1 each
        Distinct, primitive rows with a positive leading coefficient (zero
        normals are not allowed here).
    dim : int
    witnesses : bool
        If False, regions carry sign vectors only (their witness columns are
        left as NaN); used where only the combinatorics is needed.
    """

    #: Refuse lattices larger than this (about 1 KB per flat, plus regions).
    max_flats = 500_000

    def __init__(self, rows: Sequence[Sequence[int]], dim: int, witnesses: bool = True) -> None:
        self.witnesses = witnesses
        self.h = len(rows)
        self.d = dim
        tmap = np.arange(self.h, dtype=np.int64)
        tsign = np.ones(self.h, dtype=np.int8)
        self.top = Flat(0, tuple(range(dim)), [tuple(int(v) for v in r) for r in rows],
                        tmap, tsign, list(range(self.h)), [1 << u for u in range(self.h)],
                        list(range(self.h)))
        self.flats: dict[int, Flat] = {0: self.top}
        self.walked: list[list[Flat]] | None = None  # `levels` of the top, once walked

    # ------------------------------------------------------------------
    def child(self, flat: Flat, j: int) -> Flat:
        """The flat ``flat ∩ trace j``; it eliminates coordinate ``flat.pivot[j]``."""
        key = flat.key | flat.group_mask[j]  # the closure: no memo a flat is needed
        known = self.flats.get(key)
        if known is not None:
            return known
        rows = flat.rows_exact
        m = flat.dim
        k = flat.pivot[j]
        small = flat.rows_small
        if small is not None and m >= 2:
            new_rows, orient, lead = _lattice_jit.eliminate(small, j, k)
            reduced: list[Any] = new_rows.tolist()
            orients: list[int] = orient.tolist()
            leads: list[int] | None = lead.tolist()
        else:
            reduced, orients = _eliminate(rows, j, k)
            leads = None
        pivots: list[int] = []
        index: dict[tuple[int, ...], int] = {}
        trace_min: list[int] = []
        masks: list[int] = []
        rep: list[int] = []
        trace_of = [-1] * len(rows)
        orient_of = [0] * len(rows)
        for l, (new, o) in enumerate(zip(reduced, orients)):
            if l == j:
                continue
            if o == 2 or o == -2:  # parallel to the child: constant sign of 0·y − b
                trace_of[l] = -2
                orient_of[l] = o // 2
                continue
            orient_of[l] = o
            tup = tuple(new)
            idx = index.get(tup)
            if idx is None:
                idx = index[tup] = len(trace_min)
                trace_min.append(flat.trace_min[l])
                masks.append(flat.group_mask[l])
                rep.append(int(flat.rep[l]))
                if leads is not None:
                    pivots.append(leads[l])
            else:
                masks[idx] |= flat.group_mask[l]
            trace_of[l] = idx
        tmap = flat.tmap.copy()
        tsign = flat.tsign.copy()
        on = tmap >= 0
        old = tmap[on]
        tmap[on] = np.array(trace_of, dtype=np.int64)[old]
        tsign[on] = tsign[on] * np.array(orient_of, dtype=np.int8)[old]
        tsign[tmap == -1] = 0
        free = flat.free[:k] + flat.free[k + 1 :]
        child = Flat(key, free, list(index), tmap, tsign, trace_min, masks, rep,
                     pivots if leads is not None else None)
        self.flats[key] = child
        if len(self.flats) > self.max_flats:
            raise OutputTooLargeError(
                f"the intersection lattice has more than max_flats={self.max_flats} flats "
                f"(an arrangement of {self.h} distinct hyperplanes in R^{self.d}); "
                "this exact computation would not fit in memory"
            )
        return child


def _eliminate(rows: Sequence[tuple[int, ...]], j: int, k: int) -> tuple[list[list[int]], list[int]]:
    """`_lattice_jit.eliminate` in Python integers (any size), with the same output as lists."""
    rj = rows[j]
    a = rj[k]  # positive by normalization
    keep = [c for c in range(len(rj)) if c != k]
    out: list[list[int]] = []
    orients: list[int] = []
    for l, r in enumerate(rows):
        if l == j:
            out.append([])
            orients.append(0)
            continue
        f = r[k]
        new = [a * r[c] - f * rj[c] for c in keep] if f else [r[c] for c in keep]
        g = math.gcd(*new)
        if g > 1:
            new = [v // g for v in new]
        lead = next((v for v in new[:-1] if v), 0)
        if lead == 0:
            orients.append(2 if new[-1] < 0 else -2)
        elif lead < 0:
            new = [-v for v in new]
            orients.append(-1)
        else:
            orients.append(1)
        out.append(new)
    return out, orients


def levels(lat: Lattice, flat: Flat) -> list[list[Flat]]:
    """All flats below ``flat`` (itself included), by dimension, discovered
    breadth-first in trace order (so the order is deterministic); the top's
    are walked once a lattice (a fresh list each call)."""
    if flat is lat.top and lat.walked is not None:  # the flats never change once built
        return [list(level) for level in lat.walked]
    by_dim: list[list[Flat]] = [[] for _ in range(flat.dim + 1)]
    seen = {flat.key}
    by_dim[flat.dim].append(flat)
    for dim in range(flat.dim, 1, -1):
        for f in by_dim[dim]:
            for j in range(f.n_traces):
                child = lat.child(f, j)
                if child.key not in seen:
                    seen.add(child.key)
                    by_dim[dim - 1].append(child)
    if flat is lat.top:
        lat.walked = [list(level) for level in by_dim]
    return by_dim
