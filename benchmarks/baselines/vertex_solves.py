"""The vertex kernel of the general-position algorithm before the line method (baseline only).

A frozen copy of ``hyperarr._generic._vertex_block`` as it was: two batched
solves per vertex, ``N_Sᵀ λ = c`` for the cone and ``N_S [p, u] = [b_S, σ]``
for the vertex and the witness direction.  `benchmarks.vertex_floor` swaps
it in for the current kernel, in the same run, to time the pipeline with it.
It is not used by hyperarr.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from hyperarr._generic import _section_direction

__all__ = ["vertex_block_two_solves"]


def vertex_block_two_solves(F: NDArray[np.float64], d: int, sub: NDArray[np.intp]
                            ) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
    """The region above each vertex p_S (S a row of ``sub``), two solves per vertex."""
    N, b = F[:, :d], F[:, d]
    K = sub.shape[0]
    c = np.append(_section_direction(d), 1.0)
    ar = np.arange(K)[:, None]
    NS = N[sub]
    try:
        lam = np.linalg.solve(np.swapaxes(NS, 1, 2), np.broadcast_to(c, (K, d))[..., None])[..., 0]
        sig = np.sign(lam)
        if (sig == 0).any():
            return None
        sol = np.linalg.solve(NS, np.stack([b[sub], sig], axis=2))
    except np.linalg.LinAlgError:
        return None
    p = sol[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        V = p @ N.T - b
        V[ar, sub] = 0.0
        S = np.sign(V).astype(np.int8)
        S[ar, sub] = sig.astype(np.int8)
        u = sol[..., 1]
        G = u @ N.T
        ratio = np.abs(V) / np.abs(G)
        ratio[ar, sub] = np.inf
        eps = 0.5 * np.min(ratio, axis=1)
    eps = np.minimum(np.where(np.isfinite(eps), eps, 1.0), 1.0)
    with np.errstate(invalid="ignore", over="ignore"):
        return S, p + eps[:, None] * u
