"""Smallest covers of a class of regions by convex unions (private kernel).

Over the h distinct hyperplanes each region has a sign vector, here a row of
bit words (bit u set where the region is on the + side of hyperplane u).  A
*cube* fixes some coordinates (``free`` bits clear) to values (``value``
bits) and covers the regions that agree on them: the regions inside one
polyhedron, which one AND unit recognizes.  Sign vectors that no region
realizes are don't-cares.  A prime implicant of a class covers only regions
of the class and is maximal; a smallest cover by primes is an exact 0/1
program, solved by HiGHS through `scipy.optimize.milp`.

Primes are found level by level: level k holds the implicants with k free
coordinates, and level k + 1 frees one more coordinate of a level-k
implicant while it still covers only class regions.  This reaches every
implicant, don't-care merges included (see ``hyperarr.synthesis``).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hyperarr import _keys
from hyperarr.exceptions import OutputTooLargeError

__all__ = ["Cover", "min_cover"]

#: Refusal bound on the implicants examined by ``method="minimal"``.
_MAX_IMPLICANTS = 2_000_000
#: Entries of one batched comparison array (memory bound for the prime search).
_BATCH = 1 << 21


class Cover:
    """A cover of one class by cubes: free/value bit words per chosen cube."""

    def __init__(self, free: NDArray[np.uint64], value: NDArray[np.uint64], optimal: bool,
                 bound: float) -> None:
        self.free = free
        self.value = value
        self.optimal = optimal
        self.bound = bound  # proven lower bound on the cover size

    def __len__(self) -> int:
        return self.free.shape[0]


def _key(*cols: NDArray[Any]) -> NDArray[Any]:
    """Rows of the given uint64 arrays (each (c,) or (c, W)) as sortable keys."""
    parts = [c.reshape(c.shape[0], -1) for c in cols]
    arr = np.ascontiguousarray(np.concatenate(parts, axis=1).astype(">u8"))
    return _keys.from_bytes(arr.view(np.uint8).reshape(arr.shape[0], -1))


def _covers(free: NDArray[np.uint64], value: NDArray[np.uint64],
            pts: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """cov[c, r]: point r agrees with cube c on every fixed coordinate."""
    out = np.empty((free.shape[0], pts.shape[0]), dtype=bool)
    step = max(1, _BATCH // max(1, pts.shape[0] * pts.shape[1]))
    for a in range(0, free.shape[0], step):
        f, v = free[a : a + step, None, :], value[a : a + step, None, :]
        out[a : a + step] = ((pts[None, :, :] & ~f) == v).all(axis=2)
    return out


# ----------------------------- prime implicants ---------------------------


def _primes(bits: NDArray[np.uint64], cls: NDArray[np.bool_],
            h: int) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """All prime implicants (free, value words) of the class among realized regions."""
    others = bits[~cls]
    W = bits.shape[1]
    free = np.zeros((int(cls.sum()), W), dtype=np.uint64)
    value = bits[cls].copy()
    out_f, out_v = [], []
    total = free.shape[0]
    unit = [(u // 64, np.uint64(1) << np.uint64(u % 64)) for u in range(h)]
    while free.shape[0]:
        parents, cf, cv = [], [], []
        for w, bit in unit:
            sel = np.flatnonzero((free[:, w] & bit) == 0)
            if sel.size == 0:
                continue
            f = free[sel].copy()
            f[:, w] |= bit
            v = value[sel].copy()
            v[:, w] &= ~bit
            parents.append(sel)
            cf.append(f)
            cv.append(v)
        is_prime = np.ones(free.shape[0], dtype=bool)
        if cf:
            par = np.concatenate(parents)
            cf_all, cv_all = np.concatenate(cf), np.concatenate(cv)
            keys = _key(cf_all, cv_all)
            _, first, inv = np.unique(keys, return_index=True, return_inverse=True)
            uf, uv = cf_all[first], cv_all[first]
            ok = ~_meets(uf, uv, others)
            is_prime[par[ok[inv.reshape(-1)]]] = False
            nf, nv = uf[ok], uv[ok]
        else:
            nf = nv = np.zeros((0, W), dtype=np.uint64)
        out_f.append(free[is_prime])
        out_v.append(value[is_prime])
        free, value = nf, nv
        total += free.shape[0]
        if total > _MAX_IMPLICANTS:
            raise OutputTooLargeError(
                f"method='minimal' would examine more than {_MAX_IMPLICANTS} implicants for "
                f"{bits.shape[0]} regions and {h} hyperplanes; use method='per-region'"
            )
    return np.concatenate(out_f), np.concatenate(out_v)


def _meets(free: NDArray[np.uint64], value: NDArray[np.uint64],
           pts: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """For each cube, whether some point of ``pts`` agrees with it (exact).

    Cubes are grouped by free set F; the points masked by F are looked up by
    sorted keys (F's group id, masked point), in batches bounded in memory.
    """
    c = free.shape[0]
    out = np.zeros(c, dtype=bool)
    if c == 0 or pts.shape[0] == 0:
        return out
    _, gfirst, group = np.unique(_key(free), return_index=True, return_inverse=True)
    group = group.reshape(-1).astype(np.uint64)
    fg = free[gfirst]
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(fg.shape[0] + 1, dtype=np.uint64))
    step = max(1, _BATCH // max(1, pts.shape[0] * pts.shape[1]))
    for a in range(0, fg.shape[0], step):
        b = min(a + step, fg.shape[0])
        masked = pts[None, :, :] & ~fg[a:b, None, :]
        gid = np.broadcast_to(np.arange(a, b, dtype=np.uint64)[:, None], masked.shape[:2])
        table = np.unique(_key(gid.reshape(-1), masked.reshape(-1, pts.shape[1])))
        rows = order[starts[a] : starts[b]]
        probe = _key(group[rows], value[rows])
        pos = np.searchsorted(table, probe)
        pos[pos == table.size] = 0
        out[rows] = table[pos] == probe
    return out


# ----------------------------- set cover -----------------------------------


def min_cover(bits: NDArray[np.uint64], cls: NDArray[np.bool_], h: int,
               deadline: float | None) -> Cover:
    W = bits.shape[1]
    none = np.zeros((0, W), dtype=np.uint64)
    if not cls.any():
        return Cover(none, none, True, 0.0)
    # The smallest cube holding the class: fix the coordinates where all agree.
    mine = bits[cls]
    agree = ~np.bitwise_or.reduce(mine ^ mine[:1], axis=0)
    cube_free, cube_value = ~agree[None, :] & _full(h), mine[:1] & agree[None, :]
    if not _meets(cube_free, cube_value, bits[~cls])[0]:
        return Cover(cube_free, cube_value, True, 1.0)
    pf, pv = _primes(bits, cls, h)
    cov = _covers(pf, pv, mine)  # (primes, class regions)
    # Primes covering the same class regions are interchangeable: keep one.
    _, keep = np.unique(np.packbits(cov, axis=1), axis=0, return_index=True)
    keep.sort()
    pf, pv, cov = pf[keep], pv[keep], cov[keep]
    chosen, optimal, bound = _solve_cover(cov, deadline)
    return Cover(pf[chosen], pv[chosen], optimal, bound)


def _full(h: int) -> NDArray[np.uint64]:
    """The words with all h bits set."""
    return _keys.words(np.ones((1, h), dtype=bool))


def _solve_cover(cov: NDArray[np.bool_], deadline: float | None) -> tuple[NDArray[np.intp], bool, float]:
    """Minimum set cover of the columns of ``cov.T`` by its rows (0/1 program, HiGHS)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    p, r = cov.shape
    greedy = _greedy_cover(cov)
    options: dict[str, Any] = {"disp": False}
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            return greedy, False, 1.0
        options["time_limit"] = left
    rows, cols = np.nonzero(cov.T)
    A = csr_array((np.ones(rows.size), (rows, cols)), shape=(r, p))
    res = milp(np.ones(p), constraints=LinearConstraint(A, lb=1, ub=np.inf),
               integrality=np.ones(p), bounds=Bounds(0, 1), options=options)
    if res.x is None:
        return greedy, False, 1.0
    chosen = np.flatnonzero(res.x > 0.5)
    if not cov[chosen].any(axis=0).all():  # pragma: no cover - solver returned a non-cover
        return greedy, False, 1.0
    if chosen.size > greedy.size:
        chosen = greedy
    bound = float(getattr(res, "mip_dual_bound", 1.0) or 1.0)
    if res.status == 0:
        return chosen, True, float(chosen.size)
    return chosen, False, max(1.0, bound)


def _greedy_cover(cov: NDArray[np.bool_]) -> NDArray[np.intp]:
    left = np.ones(cov.shape[1], dtype=bool)
    chosen = []
    while left.any():
        gain = (cov & left[None, :]).sum(axis=1)
        k = int(np.argmax(gain))
        chosen.append(k)
        left &= ~cov[k]
    return np.array(chosen, dtype=np.intp)
