"""General position: regions without a linear program (private kernel).

Under a generic linear functional c = (c', 1) every region bounded below has
a unique lowest vertex, the intersection of d hyperplanes, and lies in the
one cone at that vertex on which c increases.  The regions unbounded below
are the regions of the section of the central arrangement at ``c · x = −1``,
one dimension down, and so on down to R^0: a chain of sections, walked level
by level (no recursion, so any d works).  So regions correspond to subsets of
at most d hyperplanes, which is the count Σ_{k≤d} C(n, k).  The candidates
come in blocks of vertex subsets at each level, so that streaming holds one
block at a time, regions at infinity included.

Candidates are computed in floats and accepted only when every witness
passes the exact check and there are exactly Σ_{k≤d} C(n, k) distinct sign
vectors: no arrangement of n hyperplanes in R^d has more, so the list is
complete, and the arrangement is in general position.  Boundedness: a region
is unbounded iff it or its negative is a region of the section at infinity
(whose witness is checked exactly to be a recession direction), and the
count of the others must be C(n − 1, d).

Everything here works on distinct primitive integer rows ``[a | b]`` and
returns sign vectors over them; the caller maps them to its input columns.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
from typing import Any, Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact, _keys
from hyperarr._binomial import region_count
from hyperarr.exceptions import HyperarrError, OutputTooLargeError

__all__ = ["Generic", "table", "stream", "probably_generic", "all_minors_nonsingular",
           "check_cost", "combination_blocks", "combination_block_specs", "bounded_flags",
           "DEFAULT_MAX_CHECKS"]

Table = tuple[NDArray[np.int8], NDArray[np.float64], NDArray[np.bool_]]


#: Default ``max_checks`` of ``Arrangement.is_generic``: about 25 s of the
#: batched filter (40 million minors a second in R^8 on a 2-core machine).
DEFAULT_MAX_CHECKS = 1_000_000_000
#: The cost of one minor certified on its own (an inverse per minor), in
#: minors of the batched filter, for k ≤ 9 (it grows as k³ beyond).
_SINGLE_MINOR_COST = 200


def check_cost(n: int, d: int) -> tuple[int, int]:
    """The minors ``all_minors_nonsingular`` checks, C(n, d) + C(n, d+1), and their
    estimated cost in minors of the batched filter in R^8.

    A minor of the batched (Laplace) filter costs one unit up to k = 9 rows
    and grows as C(k, k // 2) beyond; where that filter's tables do not fit,
    each minor is certified on its own, at about 200 units (times (k/9)³).
    """
    minors = cost = 0
    for k in (d, d + 1):
        if k > n:
            continue
        count = math.comb(n, k)
        if _exact.laplace_fits(n, k):
            weight = max(1, -(-math.comb(k, k // 2) // 126))
        else:
            weight = math.ceil(_SINGLE_MINOR_COST * max(1.0, (k / 9) ** 3))
        minors += count
        cost += count * weight
    return minors, cost


def refuse_over_budget(n: int, d: int, max_checks: int, who: str, which: str, hint: str) -> None:
    """Raise OutputTooLargeError, before any work, when checking general position
    of n hyperplanes in R^d would cost more than ``max_checks`` batched minors.

    The message reads "<who> would check ... minors <which>, more than
    max_checks = ...; <hint>".
    """
    checks, cost = check_cost(n, d) if n >= d else (0, 0)
    if cost > max_checks:
        priced = "" if cost == checks else f" (costing as much as {cost} batched ones)"
        raise OutputTooLargeError(
            f"{who} would check C(n, d) + C(n, d+1) = {checks} minors {which}{priced}, "
            f"more than max_checks = {max_checks}; {hint}"
        )


def all_minors_nonsingular(rows: Sequence[Sequence[int]], d: int) -> bool:
    """True if no d normals are dependent and no d + 1 hyperplanes share a point, exactly.

    That is: every d×d minor of the normals and every (d+1)×(d+1) minor of
    the homogenized rows ``[a | b]`` is nonzero.  Floats prove almost all of
    them nonzero at once (``hyperarr._exact.square_minors_doubtful``,
    matrix products under a proven error bound, or a float certificate per
    minor when its tables would be too large); the doubtful ones are decided
    exactly by modular determinants, and the first zero ends the check.
    """
    n = len(rows)
    F = _exact.unit_rows(rows, d + 1)
    for k in (d, d + 1):
        if k > n:
            continue
        # The normals' columns, each row rescaled so that its largest is in [1/2, 1].
        M = F[:, :k] if k == d + 1 else _exact.unit_rows([r[:k] for r in rows], k)
        doubtful: Iterator[tuple[NDArray[np.intp], NDArray[np.float64] | None]]
        if _exact.laplace_fits(n, k):
            doubtful = ((S, None) for S in _exact.square_minors_doubtful(M))
        else:
            doubtful = ((S, M[S]) for S in combination_blocks(n, k, 20_000))
        for S, floats in doubtful:
            if not _nonsingular_batches(rows, S, k, floats):
                return False
    return True


def _nonsingular_batches(rows: Sequence[Sequence[int]], S: NDArray[np.intp], k: int,
                         floats: NDArray[np.float64] | None, batch: int = 4096) -> bool:
    """Exactly: every minor rows[S][:, :k] is nonsingular; small batches, so that the
    first singular one ends the work.  ``floats`` (the same minors in floats) is
    tried as a certificate first; without it the minors are all decided exactly."""
    for start in range(0, S.shape[0], batch):
        mats = _int_minors(rows, S[start : start + batch], k)
        if floats is None:
            ok = _exact.nonsingular_modular(mats)
        else:
            ok = _exact.nonsingular(mats, floats[start : start + batch])
        if not ok.all():
            return False
    return True


def _int_minors(rows: Sequence[Sequence[int]], subsets: NDArray[np.intp], k: int) -> NDArray[Any]:
    """The integer matrices rows[S][:, :k] for each subset S (int64, or object when large)."""
    big = any(abs(v) >= 2**62 for r in rows for v in r[:k])
    mat = np.array([r[:k] for r in rows], dtype=object if big else np.int64).reshape(len(rows), k)
    return mat[subsets]


def probably_generic(rows: Sequence[Sequence[int]], d: int, samples: int = 256) -> bool:
    """Cheap exact screen: False if a random sample finds d dependent normals
    or d + 1 hyperplanes through one point.  True proves nothing; it only
    says the general-position algorithm is worth trying."""
    n = len(rows)
    if n <= d:
        return True
    rng = np.random.default_rng(0)
    for k in (d, d + 1):
        S = np.array([rng.choice(n, size=k, replace=False) for _ in range(samples)])
        # Every row scaled once (a positive scaling keeps each minor's rank), for the float certificate.
        U = _exact.unit_rows(rows if k == d + 1 else [r[:k] for r in rows], k)
        # A few minors at a time: the exact fallback's temporaries stay small.
        for start in range(0, samples, 32):
            sub = S[start : start + 32]
            if not _exact.nonsingular(_int_minors(rows, sub, k), U[sub]).all():
                return False
    return True


@functools.lru_cache(maxsize=64)
def _section_direction(d: int) -> NDArray[np.float64]:
    """The fixed direction c = (c', 1) used in dimension d (deterministic, generic;
    read-only, computed once per d)."""
    rng = np.random.default_rng(20261128 + d)
    c = rng.standard_normal(d - 1)
    c.setflags(write=False)
    return c


class Generic:
    """The general-position algorithm on the distinct rows of an arrangement.

    Candidates are computed in floats, block by block (``blocks``);
    they are accepted only after every witness is checked exactly and the
    number of distinct sign vectors reaches Σ_{k≤d} C(n, k), which proves
    completeness (no arrangement of n hyperplanes in R^d has more regions)
    and general position.  ``table`` keeps the blocks, ``stream``
    keeps only a key per region.
    """

    BLOCK = 16384
    #: From this many regions on, the compiled kernels run (``hyperarr._generic_jit``;
    #: their first compilation costs a few seconds, once per install).
    COMPILE_FROM = 100_000

    def __init__(self, rows: Sequence[Sequence[int]], d: int) -> None:
        self.rows = [tuple(r) for r in rows]
        self.n = len(rows)
        self.d = d
        self.F_exact = _exact.float_rows(rows, d + 1)
        F = self.F_exact.copy()
        F /= np.abs(F).max(axis=1, keepdims=True).clip(min=np.finfo(float).tiny)
        self.F = F
        self.expected = region_count(self.n, d)
        self.compiled = self.expected >= self.COMPILE_FROM
        self.n_bounded = math.comb(self.n - 1, d) if self.n >= 1 else 0
        # The rows and, below them, the same rows through the origin (recession
        # directions): one exact sign call checks a region at infinity both ways.
        F_dir = self.F_exact.copy()
        F_dir[:, -1] = 0.0
        self.F_both = np.concatenate([self.F_exact, F_dir])
        self.rows_both = self.rows + [r[:-1] + (0,) for r in self.rows]

    def levels(self) -> list[NDArray[np.float64]] | None:
        """The chain of sections: level 0 is the arrangement in R^d, level j + 1 the
        section of level j at c·x = −1, in R^(d−j−1), down to R^0; None if a section
        has a zero normal (no general position there)."""
        chain = [self.F]
        for dim in range(self.d, 0, -1):
            sec = _section_rows(chain[-1], dim)
            if sec is None:
                return None
            chain.append(sec)
        return chain

    def blocks(self, start: int = 0, stop: int | None = None
               ) -> Iterator[tuple[int, NDArray[np.int8], NDArray[np.float64]] | None]:
        """Candidate regions ``(level, S, W)`` in blocks, witnesses in R^d; None marks a failure.

        First the regions above each vertex of the arrangement (level 0), in
        blocks of vertex subsets (lexicographic), then those of the section
        (level 1: its vertices, then its own section, and so on), each lifted
        back to R^d.  Only one block of one level is held at a time.  Only the
        blocks numbered ``start`` to ``stop − 1`` (of ``n_blocks()``) are built,
        so independent workers can build disjoint ranges.
        """
        return self._blocks(start, stop, None)

    def _blocks(self, start: int, stop: int | None,
                out: tuple[NDArray[np.int8], NDArray[np.float64]] | None
                ) -> Iterator[tuple[int, NDArray[np.int8], NDArray[np.float64]] | None]:
        """`blocks`; with ``out`` = (S, W) of the rows of every block from ``start`` on,
        each block is written into its rows there (and yielded as views of them)."""
        chain = self.levels()
        if chain is None:
            yield None
            return
        vertex_block = _vertex_block if self.compiled else _vertex_block_numpy
        row = 0
        for index, (level, spec) in enumerate(self.block_specs()):
            if index < start:
                continue
            if stop is not None and index >= stop:
                return
            F = chain[level]
            K = 1 if spec is None else math.comb(spec[1], spec[2])
            S_out, W_out = (None, None) if out is None else (out[0][row : row + K], out[1][row : row + K])
            row += K
            if spec is None:  # R^0: the one region of the last section
                s = -np.sign(F[:, 0]).astype(np.int8)[None, :]
                if S_out is not None:
                    S_out[:] = s
                yield None if (s == 0).any() else \
                    (level, s if S_out is None else S_out, _lift(chain, level, np.zeros((1, 0)), False, W_out))
                continue
            # Level 0 writes its witnesses in place; a section's are lifted there.
            blk = vertex_block(F, self.d - level, spec, S_out, None if level else W_out)
            yield None if blk is None else \
                (level, blk[0], _lift(chain, level, blk[1], self.compiled, W_out) if level else blk[1])

    def block_specs(self) -> Iterator[tuple[int, tuple[tuple[int, ...], int, int, int] | None]]:
        """``(level, spec)`` of every block, in order, without building any
        (``spec`` as `combination_block_specs` gives it; None for R^0)."""
        for level in range(self.d + 1):
            if level == self.d:
                yield level, None
                return
            for spec in combination_block_specs(self.n, self.d - level, self.BLOCK):
                yield level, spec

    def n_blocks(self) -> int:
        """The number of blocks ``blocks()`` yields."""
        return sum(1 for _ in self.block_specs())

    def n_candidates(self) -> int:
        """The number of rows of every block together: Σ_{k≤d} C(n, k), one per vertex
        subset of every level and one for R^0."""
        return sum(1 if spec is None else math.comb(spec[1], spec[2]) for _, spec in self.block_specs())

    def verified(self, level: int, S: NDArray[np.int8], W: NDArray[np.float64]) -> bool:
        """Exact proof that every witness of W has the signs S; at level ≥ 1 also
        that each region is unbounded: its witness w is a recession direction,
        σ_i (n_i · w) > 0 for every i, so the whole ray {s·w : s ≥ 1} lies in the
        region (and −w in the region −σ)."""
        if not self.compiled:
            if not np.isfinite(W).all() or not S.all():
                return False  # a zero sign is a face, never a region
            F, rows, want = (self.F_exact, self.rows, S) if not level else \
                (self.F_both, self.rows_both, np.hstack([S, S]))
            return np.array_equal(_exact.affine_signs(F, rows, W), want)
        from hyperarr import _generic_jit

        unsure = np.zeros(W.shape[0], dtype=bool)
        check = _generic_jit.check_receding if level else _generic_jit.check_signs
        # False where a sign the filter decides differs from S (a zero in S never matches one).
        if not check(self.F_exact, np.ascontiguousarray(W), S, *_exact.filter_constants(self.d), unsure):
            return False
        if not unsure.any():
            return True
        # The points the float filter leaves undecided (a NaN or an infinity among
        # them), exactly; both ways at level ≥ 1.
        W, want = W[unsure], S[unsure]
        if not np.isfinite(W).all() or not want.all():
            return False  # a zero sign is a face, never a region
        F, rows = (self.F_both, self.rows_both) if level else (self.F_exact, self.rows)
        return np.array_equal(_exact.affine_signs(F, rows, W), np.hstack([want, want]) if level else want)

    def table(self) -> tuple[Any, Any, Any] | None:
        if self.n == 0:
            return np.zeros((1, 0), dtype=np.int8), np.zeros((1, self.d)), np.zeros(1, dtype=bool)
        proof = _Proof(self)
        # Every block is written into its rows of the table: no parts to join.
        rows = self.n_candidates()
        S, W = np.empty((rows, self.n), dtype=np.int8), np.empty((rows, self.d))
        for blk in self._blocks(0, None, (S, W)):
            if blk is None or not proof.add(*blk):
                return None
        if proof.finish() is None:
            return None
        return S, W, proof.bounded


class _Proof:
    """The exact checks of the candidate blocks, one block at a time.

    Every witness must reproduce its sign vector exactly, and every region at
    infinity (level ≥ 1) must recede along its witness.  At the end there
    must be Σ_{k≤d} C(n, k) distinct sign vectors, and the C(n − 1, d)
    regions not at infinity (nor antipodal to one) are the bounded ones: a
    generic arrangement has exactly that many, so every other region is
    bounded.  Only a key per region is kept.
    """

    def __init__(self, g: Generic) -> None:
        self.g = g
        self.keys: list[NDArray[Any]] = []
        self.levels: list[int] = []
        self.antipodes: list[NDArray[Any]] = []
        self.bounded: NDArray[np.bool_] = np.zeros(0, dtype=bool)

    def add(self, level: int, S: NDArray[np.int8], W: NDArray[np.float64]) -> bool:
        """Check one block; False if it fails."""
        if not self.g.verified(level, S, W):
            return False
        keys = _keys.pack(S)
        self.keys.append(keys)
        self.levels.append(level)
        if level:
            # The section at c·x = +1 is the antipodal image of the one at −1.
            self.antipodes.append(_antipodes(S, keys))
        return True

    def finish(self) -> NDArray[Any] | None:
        """The sorted keys of the antipodes of the regions at infinity, or None if
        the list is not proved; sets ``bounded``, one flag per region in block order.

        Once the keys are proved distinct, a region at level 0 is at infinity iff
        its key is the antipode of one at level ≥ 1; those at level ≥ 1 all are.
        """
        allkeys = np.concatenate(self.keys)
        if allkeys.size != self.g.expected or not _keys.all_distinct(allkeys):
            return None
        antipodes = np.sort(np.concatenate(self.antipodes or [np.zeros(0, dtype=allkeys.dtype)]))
        self.bounded = np.concatenate([bounded_flags(level, keys, antipodes)
                                       for level, keys in zip(self.levels, self.keys)])
        if int(self.bounded.sum()) != self.g.n_bounded:
            return None
        return antipodes


def _antipodes(S: NDArray[np.int8], keys: NDArray[Any]) -> NDArray[Any]:
    """``_keys.pack(-S)`` for the keys ``_keys.pack(S)`` of signs without a zero: the keys
    with their n bits flipped, when they are uint64 words."""
    if keys.dtype != np.uint64:
        return _keys.pack(-S)
    return keys ^ _keys.pack(np.ones((1, S.shape[1]), dtype=np.int8))[0]


def bounded_flags(level: int, keys: NDArray[Any], antipodes: NDArray[Any]) -> NDArray[np.bool_]:
    """Bounded flags of a proved block of candidates: none at level ≥ 1, else
    those whose key is not the antipode of a region at infinity."""
    if level:
        return np.zeros(keys.shape, dtype=bool)
    return ~_keys.member(keys, antipodes)


def table(rows: Sequence[Sequence[int]], d: int) -> Table | None:
    """Regions of a general-position arrangement, or None if it is not one."""
    if not probably_generic(rows, d):
        return None
    g = Generic(rows, d)
    if not np.isfinite(g.F).all():
        return None
    return g.table()


def _combinations(n: int, k: int) -> NDArray[np.intp]:
    """All k-subsets of range(n) as rows, in itertools.combinations order."""
    if k == n:
        return np.arange(n, dtype=np.intp)[None, :]
    c = np.arange(n - k + 1, dtype=np.intp)[:, None] if k else np.zeros((1, 0), dtype=np.intp)
    for s in range(1, k):
        last = c[:, -1]
        counts = (n - (k - s) + 1) - (last + 1)
        counts = np.maximum(counts, 0)
        total = int(counts.sum())
        starts = np.repeat(last + 1, counts)
        offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        c = np.hstack([np.repeat(c, counts, axis=0), (starts + offs)[:, None]])
    return c


def combination_blocks(n: int, k: int, limit: int) -> Iterator[NDArray[np.intp]]:
    """The k-subsets of range(n) in lexicographic order, in blocks of bounded size.

    A block is all subsets with a given prefix, for the shortest prefixes
    whose blocks hold at most ``limit`` rows (depth-first, without recursion).
    """
    for spec in combination_block_specs(n, k, limit):
        yield _spec_rows(spec)


def combination_block_specs(n: int, k: int, limit: int) -> Iterator[tuple[tuple[int, ...], int, int, int]]:
    """The blocks of `combination_blocks`, as ``(prefix, m, j, offset)``
    (the subsets ``prefix + j elements of offset + range(m)``), none built."""
    stack: list[tuple[tuple[int, ...], int, int, int]] = [((), n, k, 0)]
    while stack:
        prefix, m, j, offset = stack.pop()
        if j == 0 or math.comb(m, j) <= limit:
            if m >= j:
                yield prefix, m, j, offset
            continue
        for i in reversed(range(m - j + 1)):
            stack.append((prefix + (offset + i,), m - i - 1, j - 1, offset + i + 1))


def _spec_rows(spec: tuple[tuple[int, ...], int, int, int]) -> NDArray[np.intp]:
    """The rows of one block of `combination_block_specs`."""
    prefix, m, j, offset = spec
    rest = _combinations(m, j) + offset
    head = np.broadcast_to(np.array(prefix, dtype=np.intp), (rest.shape[0], len(prefix)))
    return np.hstack([head, rest])


def _vertex_block(F: NDArray[np.float64], d: int, spec: tuple[tuple[int, ...], int, int, int],
                  S: NDArray[np.int8] | None = None, W: NDArray[np.float64] | None = None
                  ) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
    """The region above each vertex p_S (S a subset of the block ``spec``) under c = (c', 1).

    With c = Σ λ_j n_j over the normals of S, the region lies in the cone
    σ_j n_j·(x − p_S) > 0 with σ_j = sign(λ_j); its witness is p_S + ε u with
    N_S u = σ.

    One LU factorization of N_S per vertex, in a compiled loop
    (`hyperarr._generic_jit.vertex_block`, which walks the subsets of the
    block itself); None if a vertex is degenerate.  Small arrangements take
    `_vertex_block_numpy` instead (one solve per line, no compilation).
    The signs and witnesses are written into ``S`` and ``W`` when given.
    """
    from hyperarr import _generic_jit

    prefix, m, j, offset = spec
    K = math.comb(m, j)
    S = np.empty((K, F.shape[0]), dtype=np.int8) if S is None else S
    W = np.empty((K, d)) if W is None else W
    c = np.append(_section_direction(d), 1.0)
    NT = np.ascontiguousarray(F[:, :d].T)
    if not _generic_jit.vertex_block(NT, np.ascontiguousarray(F[:, d]), c, np.array(prefix, dtype=np.int64),
                                     m, j, offset, S, W):
        return None
    return S, W


def _vertex_block_numpy(F: NDArray[np.float64], d: int, spec: tuple[tuple[int, ...], int, int, int],
                        S_out: NDArray[np.int8] | None = None, W_out: NDArray[np.float64] | None = None
                        ) -> tuple[NDArray[np.int8], NDArray[np.float64]] | None:
    """`_vertex_block` in numpy, one solve per line: for small arrangements (no compilation).

    The result is copied into ``S_out`` and ``W_out`` when given.

    One solve per *line*, not per vertex: the rows of ``sub`` are in
    lexicographic order, so the vertices S = T ∪ {k} (k > max T) on the line
    of T = S minus its last element come in runs.  For each line, M = [N_T; c]
    is inverted once: its last column v spans the line with c·v = 1, and
    x₀ = M⁻¹(b_T, 0) is a point of it.  Along the line, the value of
    hyperplane i is a_i + t g_i (a = N x₀ − b, g = N v), so the vertex on k is
    at t = −a_k / g_k and every sign there costs O(1).  As the first d − 1
    rows of M⁻ᵀ are a left inverse of N_Tᵀ orthogonal to c, λ_k = 1/g_k and
    λ_T = −λ_k (N M⁻¹)_{k, :d−1}; and u = M⁻¹(σ_T, 0) + β v with
    β = (σ_k − (N M⁻¹)_{k, :d−1}·σ_T) / g_k.
    """
    sub = _spec_rows(spec)
    N, b = F[:, :d], F[:, d]
    K = sub.shape[0]
    c = np.append(_section_direction(d), 1.0)
    head = sub[:, :-1]
    new = np.ones(K, dtype=bool)
    new[1:] = (head[1:] != head[:-1]).any(axis=1)
    line = np.cumsum(new) - 1  # the line of each vertex
    T = head[new]
    M = np.empty((T.shape[0], d, d))
    M[:, : d - 1, :] = N[T]
    M[:, d - 1, :] = c
    try:
        Minv = np.linalg.inv(M)
    except np.linalg.LinAlgError:
        return None
    v = Minv[:, :, d - 1]
    x0 = np.einsum("lij,lj->li", Minv[:, :, : d - 1], b[T])
    a_line = x0 @ N.T - b
    g_line = v @ N.T  # g = N v along each line
    ar = np.arange(K)
    k = sub[:, -1]
    g = g_line[line]
    gk = g[ar, k]
    # Column j of M⁻¹ at each vertex's line, one column at a time (temporaries of K × d).
    Nk = N[k]
    cols = [Minv[line, :, j] for j in range(d - 1)]
    Qk = np.empty((K, d - 1))  # (N M⁻¹)_{k, :d−1}
    for j, col in enumerate(cols):
        Qk[:, j] = (Nk * col).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = -a_line[line, k] / gk
        sig_k = np.sign(gk)
        sig_T = -np.sign(Qk) * sig_k[:, None]
        if (sig_k == 0).any() or (sig_T == 0).any():
            return None
        p = x0[line] + t[:, None] * v[line]
        V = a_line[line] + t[:, None] * g
        V[ar[:, None], sub] = 0.0
        S = np.sign(V).astype(np.int8)
        S[ar[:, None], head] = sig_T.astype(np.int8)
        S[ar, k] = sig_k.astype(np.int8)
        # u = M⁻¹ (σ_T, β): N_T u = σ_T and n_k · u = σ_k.
        beta = (sig_k - (Qk * sig_T).sum(axis=1)) / gk
        u = beta[:, None] * v[line]
        for j, col in enumerate(cols):
            u += sig_T[:, j : j + 1] * col
        G = u @ N.T
        ratio = np.abs(V) / np.abs(G)
        ratio[ar[:, None], sub] = np.inf
        eps = 0.5 * np.min(ratio, axis=1)
    eps = np.minimum(np.where(np.isfinite(eps), eps, 1.0), 1.0)
    with np.errstate(invalid="ignore", over="ignore"):  # a vertex beyond the float range:
        W = p + eps[:, None] * u  # its witness is refused by the exact check
    if S_out is not None:
        S_out[:] = S
        S = S_out
    if W_out is not None:
        W_out[:] = W
        W = W_out
    return S, W


def _section_rows(F: NDArray[np.float64], d: int) -> NDArray[np.float64] | None:
    """The rows of the section at c·x = −1, in R^(d−1), where x = t·(y, −1 − c'·y)
    (each row rescaled to largest entry 1); None if one has a zero normal."""
    N = F[:, :d]
    cp = _section_direction(d)
    sec = np.empty((F.shape[0], d))
    sec[:, : d - 1] = N[:, : d - 1] - N[:, d - 1 : d] * cp[None, :]
    sec[:, d - 1] = N[:, d - 1]
    if d > 1 and not (np.abs(sec[:, : d - 1]).max(axis=1) > 0).all():
        return None
    scale = np.abs(sec).max(axis=1, keepdims=True)
    sec /= np.where(scale > 0, scale, 1.0)
    return sec


def _lift(chain: list[NDArray[np.float64]], level: int, Y: NDArray[np.float64],
          compiled: bool = False, out: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
    """Witnesses ``Y`` of regions of section level ``level``, lifted to level 0.

    From level j to j − 1 (dimension D): x = t·(y, −1 − c'·y) with t large
    enough that x lies beyond every hyperplane's crossing of the ray, so x
    is in the region of the section (unbounded below) that y is in.  Through
    hundreds of levels a witness may overflow: it is then refused by the
    exact check, and the caller takes the lattice path.  ``compiled`` runs
    `hyperarr._generic_jit.section_lift` instead of numpy.  With ``out``, the
    witnesses in R^d are written there.
    """
    if level == 0 and out is not None:
        out[:] = Y
        return out
    for j in range(level, 0, -1):
        F = chain[j - 1]
        D = F.shape[1] - 1
        N, b, cp = F[:, :D], F[:, D], _section_direction(D)
        if compiled:
            from hyperarr import _generic_jit

            X = out if j == 1 and out is not None else np.empty((Y.shape[0], D))
            _generic_jit.section_lift(np.ascontiguousarray(N), np.ascontiguousarray(b), cp,
                                      np.ascontiguousarray(Y), X)
            Y = X
            continue
        r = np.empty((Y.shape[0], D))
        r[:, : D - 1] = Y
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            r[:, D - 1] = -1.0 - Y @ cp
            X = np.abs(r @ N.T)
            # Hyperplanes parallel to the ray (n·r = 0) are never crossed: ratio 0.
            ratio = np.divide(np.abs(b)[None, :], X, out=np.zeros_like(X), where=X > 0)
            t = 2.0 * np.maximum(1.0, np.max(ratio, axis=1, initial=0.0))
            Y = np.multiply(t[:, None], r, out=out if j == 1 and out is not None else None)
    return Y


# ----------------------------- streaming -----------------------------

#: Memory budget of the keys kept by the first streaming pass.
STREAM_KEY_BYTES = 4 * 2**30


def stream(rows: Sequence[Sequence[int]], d: int, chunk: int, key_width: int) -> Iterator[Table] | None:
    """Two-pass streaming enumeration of a general-position arrangement.

    Pass 1 runs every exact check of ``Generic.table`` block by block,
    keeping one key per region (to prove that the list is complete and the
    sign vectors distinct) and a digest of each block; pass 2 rebuilds each
    block, checks that it is the one pass 1 proved (same digest), and yields
    ``(S, W, bounded)`` chunks of ``chunk`` rows.  The chunks are the rows of
    ``Generic.table()`` in order.  ``key_width`` is the number of input
    hyperplanes (the width of the keys the caller will build).  Returns
    None, before yielding anything, exactly when ``Generic.table()`` is None
    (not in general position, or a float witness that fails its exact
    check): the caller then falls back as the table does.
    """
    g = Generic(rows, d)
    key_bytes = g.expected * max(8, (key_width + 7) // 8)
    if key_bytes > STREAM_KEY_BYTES:
        raise OutputTooLargeError(
            f"streaming the {g.expected} regions would keep {key_bytes} bytes of keys to prove "
            f"the list complete, more than {STREAM_KEY_BYTES}; count them with A.n_regions() "
            "(closed form in general position)"
        )
    if g.n == 0 or not np.isfinite(g.F).all():
        return None
    proof = _Proof(g)
    digests = []
    for blk in g.blocks():
        if blk is None or not proof.add(*blk):
            return None
        digests.append(_digest(blk))
    antipodes = proof.finish()
    if antipodes is None:
        return None
    return _second_pass(g, digests, antipodes, chunk)


def _digest(blk: tuple[int, NDArray[np.int8], NDArray[np.float64]]) -> bytes:
    """A digest of one candidate block, to recognize it on the second pass."""
    h = hashlib.blake2b(digest_size=16)
    for a in blk[1:]:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.digest()


def _second_pass(g: Generic, digests: list[bytes], antipodes: NDArray[Any], chunk: int) -> Iterator[Table]:
    pending: list[Table] = []
    size = 0
    for blk, proved in itertools.zip_longest(g.blocks(), digests):
        if blk is None or proved is None or _digest(blk) != proved:
            # The floats are deterministic, so the rebuilt block is the one proved.
            raise HyperarrError("the second streaming pass did not rebuild the blocks of the first")
        level, S, W = blk
        pending.append((S, W, bounded_flags(level, _keys.pack(S), antipodes)))
        size += S.shape[0]
        while size >= chunk:
            S_all, W_all, B_all = (np.concatenate(c) for c in zip(*pending))
            yield S_all[:chunk], W_all[:chunk], B_all[:chunk]
            pending = [(S_all[chunk:], W_all[chunk:], B_all[chunk:])]
            size -= chunk
    if size:
        S_all, W_all, B_all = (np.concatenate(c) for c in zip(*pending))
        yield S_all, W_all, B_all
