"""Region enumeration by linear programming: the incremental algorithm.

This is the baseline that :mod:`benchmarks.enumeration` compares
:func:`hyperarr.regions.regions` against.  It is the incremental algorithm of
Rada and Černý (SIAM J. Discrete Math. 32, 2018): insert the hyperplanes one
at a time, and for every region found so far decide with a linear program
whether the new hyperplane cuts it.

Conventions are hyperarr's: hyperplane ``i`` is ``{x : normals[i] · x =
offsets[i]}`` and sign ``+1`` means ``normals[i] · x − offsets[i] > 0``.

The test for one region with sign vector σ (over the hyperplanes inserted so
far) and a new hyperplane ``(a, b)`` asks whether the region has interior
points on a given side ``s`` of it::

    maximize t  subject to  σ_i (a_i · x − b_i) >= t   (inserted i)
                            s (a · x − b)       >= t,   t <= 1,

over ``(x, t)`` free.  Rows are scaled to unit normals first, so ``t`` is a
Euclidean distance; the side is there iff ``t > tol``.  Every region carries
an interior witness point and a lower bound on its distance to the
hyperplanes, so its own side of the new hyperplane is known without an LP
(the *smart* variant): one LP per region, for the other side only.  When the
witness lies on the new hyperplane, the region is cut and both new witnesses
are obtained by a step along the normal, with no LP at all.

The LPs are solved by HiGHS's dual simplex through the public
:func:`scipy.optimize.linprog` (``method="highs-ds"``).  With the small
dense LPs of this algorithm most of the time per call (about 2 ms) is spent
in scipy's input checking and conversion rather than in HiGHS itself; that
is the cost a user of scipy pays, and it is part of this baseline.

Examples
--------
>>> import numpy as np
>>> res = incremental_lp([[1, 0], [0, 1], [1, 1]], [0, 0, 1])
>>> len(res), res.n_lp
(7, 4)
>>> sorted(res.sign_set())[:2]
[(-1, -1, -1), (-1, 1, -1)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linprog

__all__ = ["LPEnumeration", "incremental_lp", "incremental_lp_regions"]


@dataclass(frozen=True)
class LPEnumeration:
    """Result of :func:`incremental_lp`.

    Attributes
    ----------
    signs : ndarray of int8, shape (m, n)
        One row per region, entries in {−1, +1}.
    points : ndarray of float64, shape (m, d)
        Interior witnesses, at distance at least ``margins`` from every
        hyperplane (up to the LP solver's tolerances).
    margins : ndarray of float64, shape (m,)
    n_lp : int
        Number of linear programs solved.
    """

    signs: NDArray[np.int8]
    points: NDArray[np.float64]
    margins: NDArray[np.float64]
    n_lp: int

    def __len__(self) -> int:
        return int(self.signs.shape[0])

    def sign_set(self) -> set[tuple[int, ...]]:
        """The sign vectors as a set of tuples of Python ints."""
        return {tuple(row) for row in self.signs.tolist()}


def incremental_lp(
    normals: ArrayLike,
    offsets: ArrayLike,
    *,
    tol: float = 1e-9,
    smart: bool = True,
    method: str = "highs-ds",
) -> LPEnumeration:
    """Enumerate the regions of ``{x : normals[i] · x = offsets[i]}`` with LPs.

    Parameters
    ----------
    normals : array_like of float, shape (n, d)
        Nonzero rows.
    offsets : array_like of float, shape (n,)
    tol : float, default 1e-9
        A side of a hyperplane is inside a region iff the LP margin exceeds
        ``tol`` (distances, since rows are normalized).
    smart : bool, default True
        If True, solve one LP per region and insertion (the side the witness
        is not on).  If False, solve one LP for each side, as the plain
        algorithm does.
    method : str, default "highs-ds"
        Passed to :func:`scipy.optimize.linprog`.

    Returns
    -------
    LPEnumeration

    Raises
    ------
    ValueError
        On bad shapes, non-finite values, a zero normal, or an LP that HiGHS
        does not solve to optimality.

    Notes
    -----
    With ``m_k`` regions after ``k`` insertions, the smart variant solves
    ``Σ_k m_k`` LPs of size ``(k + 1) × (d + 1)``; for ``n`` hyperplanes in
    general position that is about ``max_regions(n, d + 1)`` LPs.
    """
    N = np.array(normals, dtype=np.float64, copy=True)
    b = np.array(offsets, dtype=np.float64, copy=True)
    if N.ndim != 2:
        raise ValueError(f"normals must have shape (n, d); got {N.shape}")
    n, d = N.shape
    if b.shape != (n,):
        raise ValueError(f"offsets must have shape ({n},); got {b.shape}")
    if not (np.isfinite(N).all() and np.isfinite(b).all()):
        raise ValueError("normals and offsets must be finite")
    norms = np.linalg.norm(N, axis=1)
    if n and not (norms > 0).all():
        i = int(np.flatnonzero(norms == 0)[0])
        raise ValueError(f"normals row {i} is zero; a hyperplane needs a nonzero normal")
    N /= norms[:, None]
    b /= norms

    # LP in z = (x, t): minimize −t.  Row i of A_ub z <= b_ub reads
    # −σ_i a_i · x + t <= −σ_i b_i.  The buffers are reused across LPs.
    c = np.zeros(d + 1)
    c[d] = -1.0
    bounds = np.empty((d + 1, 2))
    bounds[:, 0] = -np.inf
    bounds[:d, 1] = np.inf
    bounds[d, 1] = 1.0
    A_ub = np.empty((n, d + 1))
    A_ub[:, d] = 1.0
    b_ub = np.empty(n)
    n_lp = 0

    def margin(sig: NDArray[np.int8], k: int, side: float) -> tuple[float, NDArray[np.float64]]:
        """Largest t for the region σ (first k hyperplanes) on ``side`` of hyperplane k."""
        nonlocal n_lp
        n_lp += 1
        np.multiply(N[:k], -sig[:k, None], out=A_ub[:k, :d])
        np.multiply(b[:k], -sig[:k], out=b_ub[:k])
        A_ub[k, :d] = -side * N[k]
        b_ub[k] = -side * b[k]
        res = linprog(c, A_ub=A_ub[: k + 1], b_ub=b_ub[: k + 1], bounds=bounds, method=method)
        if res.status != 0:
            raise ValueError(f"HiGHS did not solve a region LP: status {res.status}, {res.message}")
        return -float(res.fun), np.asarray(res.x[:d], dtype=np.float64)

    S = np.zeros((1, n), dtype=np.int8)
    W = np.zeros((1, d))
    M = np.ones(1)  # lower bound on each witness's distance to the hyperplanes (≤ 1)
    for k in range(n):
        vals = W @ N[k] - b[k]
        s = np.where(vals > 0, 1, -1).astype(np.int8)
        on = np.abs(vals) <= tol
        S[:, k] = s
        M_old = M
        M = np.minimum(M, np.abs(vals))
        new_S: list[NDArray[np.int8]] = []
        new_W: list[NDArray[np.float64]] = []
        new_M: list[float] = []
        for r in range(S.shape[0]):
            if on[r]:
                # The witness is interior and on the hyperplane: both sides are
                # there.  Step half the old margin along ±a.
                step = 0.5 * float(M_old[r])
                row = S[r].copy()
                row[k] = -1
                new_S.append(row)
                new_W.append(W[r] - step * N[k])
                new_M.append(step)
                S[r, k] = 1
                W[r] = W[r] + step * N[k]
                M[r] = step
                continue
            if not smart:
                t_own, _ = margin(S[r], k, float(s[r]))
                if t_own <= tol:  # cannot happen for an interior witness
                    raise ValueError("the LP lost a region that has an interior witness")
            t, x = margin(S[r], k, float(-s[r]))
            if t > tol:
                row = S[r].copy()
                row[k] = -s[r]
                new_S.append(row)
                new_W.append(x)
                new_M.append(t)
        if new_S:
            S = np.concatenate([S, np.array(new_S, dtype=np.int8)])
            W = np.concatenate([W, np.array(new_W)])
            M = np.concatenate([M, np.array(new_M)])
    return LPEnumeration(S, W, M, n_lp)


def incremental_lp_regions(
    normals: ArrayLike, offsets: ArrayLike, *, tol: float = 1e-9, smart: bool = True
) -> set[tuple[int, ...]]:
    """The sign vectors of the regions, as a set of tuples; see :func:`incremental_lp`.

    Examples
    --------
    >>> sorted(incremental_lp_regions([[1.0]], [0.0]))
    [(-1,), (1,)]
    """
    return incremental_lp(normals, offsets, tol=tol, smart=smart).sign_set()
