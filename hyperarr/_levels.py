"""Betti numbers of a central arrangement, level by level (private).

Deletion–restriction with the hyperplanes in a fixed order gives, for an
arrangement B of hyperplanes H_0 < … < H_{m−1} in a space of dimension k,

    χ_B(t) = t^k − Σ_j χ(B_j),    B_j = {H_i ∩ H_j : i < j}  (as a set, on H_j),

so the Betti number b_l (|coefficient| of t^{k−l}) is the number of
restrictions met at depth l, counted with multiplicity.  The restrictions of
one depth all have the same dimension; identical ones are merged by an
exact key and carry a multiplicity, so the lattice is never built.

Arithmetic is over the prime field F_p.  A flat is parametrized by its
*free* coordinates (the complement of the pivots of the reduced row echelon
form of its equations), and a trace by its restricted functional scaled to a
leading 1.  Both are unique, so a restriction's key is the sorted set of its
normalized functionals.  The computation over F_p is the computation over Q
whenever no nonzero minor of the input vanishes mod p; every such minor is at
most the Hadamard bound (the product of the largest row norms) in absolute
value, so a prime above that bound makes every decision exact.  Inputs whose
bound exceeds the word-size primes run the same recursion in exact integer
arithmetic (primitive integer rows) instead.

Restrictions of dimension 3 are finished by counting points (two more depths
at once), and those of dimension ≤ 2 by their closed form.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hyperarr.exceptions import OutputTooLargeError

__all__ = ["MAX_PAIRS", "betti_central", "field_prime", "hadamard_bound_squared"]

#: Pairs of traces handled per vectorized block (memory: about 200 bytes each).
MAX_PAIRS = 2_000_000

#: Refuse a depth with more pairs of traces than this (about 10 minutes of
#: the compiled loops on one core), before starting it.
MAX_PAIRS_PER_DEPTH = 60_000_000_000

#: Largest dense trace table (entries, int32) built per depth; beyond it the
#: traces of the pairs that occur are computed and looked up by a sort.
MAX_TABLE = 2**27

#: Pairs at one depth from which the compiled kernels (numba) pay for their
#: compilation.
JIT_PAIRS = 5_000_000

#: Largest prime the vectorized kernel uses: residues are held in float64, and
#: a product of two residues must stay an exact integer (below 2**52).
_MAX_PRIME = 2**26 - 5

Progress = Callable[[int, int, int], None] | None


def hadamard_bound_squared(rows: Sequence[Sequence[int]], k: int) -> int:
    """Square of an upper bound on |every minor| of ``rows``: the product of the
    ``k`` largest squared row norms (Hadamard's inequality)."""
    norms = sorted((sum(v * v for v in r) for r in rows), reverse=True)[:k]
    return math.prod(norms)


def _is_prime(q: int) -> bool:
    if q < 2:
        return False
    for f in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if q % f == 0:
            return q == f
    # Deterministic Miller–Rabin for q < 3.3e24 with these bases.
    d, s = q - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        x = pow(a, d, q)
        if x in (1, q - 1):
            continue
        for _ in range(s - 1):
            x = x * x % q
            if x == q - 1:
                break
        else:
            return False
    return True


def field_prime(bound_squared: int) -> int | None:
    """The smallest prime p with p² > ``bound_squared`` (and p ≥ 257), or None
    if that prime exceeds the word-size limit of the vectorized kernel.

    The limit is checked before the search, so a bound of thousands of bits
    costs one comparison; below it the search steps over at most one prime
    gap under ``_MAX_PRIME`` (itself prime).
    """
    if bound_squared >= _MAX_PRIME * _MAX_PRIME:
        return None
    p = max(257, math.isqrt(bound_squared) + 1)
    while not _is_prime(p):
        p += 1
    return p if p <= _MAX_PRIME else None


# ---------------------------------------------------------------------------
# The vectorized kernel over F_p


class _Field:
    """Residues mod p held in float64 arrays (exact: p < 2**26, so a product
    of two residues is an integer below 2**52), with vectors packed into
    int64 words for sorting."""

    def __init__(self, p: int, dim: int) -> None:
        self.p = p
        self.dim = dim
        bits = p.bit_length()
        self.per_word = 63 // bits
        self.bits = bits
        self.words = -(-dim // self.per_word)
        self._scale = 1.0 / p
        self.table: NDArray[np.float64] | None = None
        if p < 2**16:
            self.table = np.zeros(p, dtype=np.float64)
            self.table[1:] = _inverses(p)

    def inverse(self, a: NDArray[np.float64]) -> NDArray[np.float64]:
        """Inverses of nonzero residues: a table lookup, or a^(p−2) by squaring."""
        if self.table is not None:
            return self.table[a.astype(np.int64)]
        result = np.ones_like(a)
        base = a.copy()
        e = self.p - 2
        while e:
            if e & 1:
                result = self.mod(result * base)
            base = self.mod(base * base)
            e >>= 1
        return result

    def mod(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """x mod p for integer-valued floats |x| < 2**52."""
        r = x - np.floor(x * self._scale) * self.p
        # floor(x / p) computed in floating point can be off by one.
        r[r < 0] += self.p
        r[r >= self.p] -= self.p
        return r

    def normalize(self, w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Scale every nonzero row to a leading 1 (zero rows stay zero)."""
        lead = (w != 0).argmax(axis=1)
        val = w[np.arange(len(w)), lead]
        val[val == 0] = 1
        return self.mod(w * self.inverse(val)[:, None])

    def pack(self, v: NDArray[np.float64]) -> NDArray[np.int64]:
        """Rows of residues as rows of ``words`` int64 words, order-preserving."""
        iv = v.astype(np.int64)
        out = np.zeros((len(v), self.words), dtype=np.int64)
        for c in range(self.dim):
            w, slot = divmod(c, self.per_word)
            shift = self.bits * (self.per_word - 1 - slot)
            out[:, w] |= iv[:, c] << shift
        return out

    def unpack(self, keys: NDArray[np.int64]) -> NDArray[np.float64]:
        out = np.empty((len(keys), self.dim), dtype=np.float64)
        mask = (1 << self.bits) - 1
        for c in range(self.dim):
            w, slot = divmod(c, self.per_word)
            shift = self.bits * (self.per_word - 1 - slot)
            out[:, c] = (keys[:, w] >> shift) & mask
        return out


def _inverses(p: int) -> list[int]:
    """Inverses of 1..p−1 mod p by the linear recurrence inv(i) = −(p // i)·inv(p mod i)."""
    inv = [0, 1] + [0] * (p - 2)
    for i in range(2, p):
        inv[i] = (p - (p // i) * inv[p % i] % p) % p
    return inv[1:]


def _unique_rows(a: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """Distinct rows of a 2-D int64 array, lexicographically sorted, and the
    index of each input row among them."""
    order = np.lexsort(a.T[::-1]) if a.shape[1] > 1 else np.argsort(a[:, 0], kind="stable")
    s = a[order]
    new = np.ones(len(s), dtype=bool)
    new[1:] = np.any(s[1:] != s[:-1], axis=1)
    ids = np.cumsum(new) - 1
    inv = np.empty(len(a), dtype=np.intp)
    inv[order] = ids
    return s[new], inv


def _distinct(a: NDArray[np.int64]) -> NDArray[np.int64]:
    """Sorted distinct values of a 1-D integer array (a sort, no hashing)."""
    s = np.sort(a)
    if len(s) == 0:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


class _Level:
    """The distinct restrictions of one depth: a table of packed trace
    vectors and, per restriction, the sorted ids of its traces."""

    def __init__(self, keys: NDArray[np.int64], offsets: NDArray[np.int64],
                 members: NDArray[np.int64], mult: NDArray[np.int64]) -> None:
        self.keys = keys          # (V, words) packed vectors
        self.offsets = offsets    # (I + 1,)
        self.members = members    # ids into keys, sorted within each restriction
        self.mult = mult          # (I,)

    @property
    def sizes(self) -> NDArray[np.int64]:
        return np.diff(self.offsets)


def _pairs(sizes: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """All pairs (t, j, i) with i < j < sizes[t], ordered by t, then j, then i."""
    # Children (t, j) for j >= 1, each with j pairs.
    t_child = np.repeat(np.arange(len(sizes)), np.maximum(sizes - 1, 0))
    first = np.cumsum(np.maximum(sizes - 1, 0)) - np.maximum(sizes - 1, 0)
    j_child = np.arange(len(t_child)) - np.repeat(first, np.maximum(sizes - 1, 0)) + 1
    t = np.repeat(t_child, j_child)
    j = np.repeat(j_child, j_child)
    start = np.cumsum(j_child) - j_child
    i = np.arange(len(t)) - np.repeat(start, j_child)
    return t, j, i


def _blocks(sizes: NDArray[np.int64], limit: int) -> list[tuple[int, int]]:
    """Consecutive ranges of restrictions whose pairs fit ``limit`` (at least one each)."""
    cost = np.cumsum(sizes * (sizes - 1) // 2)
    out, lo = [], 0
    while lo < len(sizes):
        base = cost[lo - 1] if lo else 0
        hi = int(np.searchsorted(cost, base + limit, side="right"))
        hi = max(hi, lo + 1)
        out.append((lo, hi))
        lo = hi
    return out


def _sub(lev: _Level, lo: int, hi: int) -> _Level:
    a, b = int(lev.offsets[lo]), int(lev.offsets[hi])
    return _Level(lev.keys, lev.offsets[lo:hi + 1] - a, lev.members[a:b], lev.mult[lo:hi])


def _pair_codes(blk: _Level, V: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """For every pair (i < j) of traces of every restriction of the block: the
    code ``a·V + b`` of (trace j, trace i), and the block-local child ``(t, j)``."""
    t, j, i = _pairs(blk.sizes)
    off = blk.offsets[t]
    codes = blk.members[off + j] * V + blk.members[off + i]
    return codes, off + j, t


def _trace_table(F: _Field, vec: NDArray[np.float64], codes: NDArray[np.int64],
                 max_pairs: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Traces of the distinct pairs ``codes`` (sorted): the packed distinct
    traces, and the index of each code's trace among them.

    In int64 arithmetic (residues below p < 2**26, so every product stays
    below 2**52): half the time of the float64 residues of `_Field.mod`.
    """
    iv = vec.astype(np.int64)
    V = len(iv)
    p = F.p
    lead = (iv != 0).argmax(axis=1)
    packed = []
    for lo in range(0, len(codes), max_pairs):
        a, b = np.divmod(codes[lo:lo + max_pairs], V)
        rows = np.arange(len(a))
        w = iv[b] - iv[b][rows, lead[a]][:, None] * iv[a]
        w %= p
        first = w[rows, (w != 0).argmax(axis=1)]
        first[first == 0] = 1  # zero rows stay zero
        w *= F.inverse(first.astype(np.float64)).astype(np.int64)[:, None]
        w %= p
        packed.append(F.pack(w))
    keys, tid = _unique_rows(np.concatenate(packed) if packed else
                             np.zeros((0, F.words), dtype=np.int64))
    return keys, tid


def _dense_table(F: _Field, vec: NDArray[np.float64], codes: NDArray[np.int64],
                 max_pairs: int) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
    """Traces of the ordered pairs ``codes`` (a·V + b, sorted): the packed
    distinct traces and a (V, V) table of their ids (−1 elsewhere)."""
    V = len(vec)
    keys, tid = _trace_table(F, vec, codes, max_pairs)
    table = np.full(V * V, -1, dtype=np.int32)
    table[codes] = tid
    return keys, table.reshape(V, V)


def _jit() -> Any:
    """The compiled kernels, or None where numba is not installed."""
    try:
        from hyperarr import _levels_jit
    except ImportError:  # pragma: no cover - numba is a dependency
        return None
    return _levels_jit


def _step(F: _Field, lev: _Level, betti: list[int], depth: int, dim: int,
          max_pairs: int) -> _Level | None:
    """Restrict every restriction of ``lev`` (dimension ``dim``) once more.

    Adds the counts it settles to ``betti`` and returns the next level, or
    None when every restriction was finished in closed form.
    """
    sizes = lev.sizes
    mult = lev.mult
    betti[depth + 1] += int((mult * sizes).sum())  # one child per trace
    if dim <= 1:
        return None
    if dim == 2:
        # Lines through the origin of a plane: χ = t² − m t + (m − 1).
        betti[depth + 2] += int((mult * np.maximum(sizes - 1, 0)).sum())
        return None
    vec = F.unpack(lev.keys)
    V = len(vec)
    blocks = _blocks(sizes, max_pairs)
    n_pairs = int((sizes * (sizes - 1) // 2).sum())
    table: NDArray[np.int32] | None = None
    jit = _jit() if n_pairs >= JIT_PAIRS and V * V <= MAX_TABLE else None
    if jit is not None:
        codes = np.flatnonzero(jit.mark_pairs(lev.offsets, lev.members, V))
        keys, table = _dense_table(F, vec, codes, max_pairs)
    else:
        # The trace of trace i on trace j depends only on the two vectors:
        # compute each distinct pair that occurs once.
        distinct = [_distinct(_pair_codes(_sub(lev, lo, hi), V)[0]) for lo, hi in blocks]
        codes = _distinct(np.concatenate(distinct))
        keys, tid = _trace_table(F, vec, codes, max_pairs)
    W = len(keys)
    if jit is not None and dim == 3:
        s2, s3 = jit.count_planes(lev.offsets, lev.members, lev.mult, table, W)
        betti[depth + 2] += int(s2)
        betti[depth + 3] += int(s3)
        return None
    if jit is not None:
        starts, counts, mults, contents, _ = jit.merged_children(
            lev.offsets, lev.members, lev.mult, table, W, 1 << 16)
        return _compact(keys, starts, counts, mults, contents)
    parts: dict[int, list[tuple[NDArray[np.int32], NDArray[Any]]]] = defaultdict(list)
    for lo, hi in blocks:
        blk = _sub(lev, lo, hi)
        c, child, _ = _pair_codes(blk, V)
        if len(c) == 0:
            continue
        ids = tid[np.searchsorted(codes, c)]
        u = _distinct(child * W + ids)         # distinct traces of each child, sorted
        c_of, m64 = np.divmod(u, W)
        starts = np.flatnonzero(np.r_[True, c_of[1:] != c_of[:-1]])
        counts = np.diff(np.r_[starts, len(c_of)])
        parent = np.searchsorted(blk.offsets, c_of[starts], side="right") - 1
        cm = blk.mult[parent]
        if dim == 3:
            # Children are planes with `counts` lines through the origin.
            betti[depth + 2] += int((cm * counts).sum())
            betti[depth + 3] += int((cm * (counts - 1)).sum())
            continue
        members = m64.astype(np.int32)
        for L in _distinct(counts).tolist():
            sel = np.flatnonzero(counts == L)
            idx = (starts[sel][:, None] + np.arange(L)[None, :]).ravel()
            parts[L].append((members[idx].reshape(len(sel), L), cm[sel]))
    if dim == 3:
        return None
    return _merge(keys, parts)


def _compact(keys: NDArray[np.int64], starts: NDArray[np.int64], sizes: NDArray[np.int64],
             mults: NDArray[np.int64], contents: NDArray[np.int32]) -> _Level | None:
    """The next level from merged children (ids into ``keys``), keeping only
    the trace vectors in use."""
    if len(sizes) == 0:
        return None
    used = np.zeros(len(keys), dtype=bool)
    used[contents] = True
    remap = np.cumsum(used) - 1
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    # The kernel writes the children in order, so starts == offsets[:-1].
    return _Level(keys[used], offsets, remap[contents].astype(np.int64), mults.copy())


def _merge(keys: NDArray[np.int64],
           parts: dict[int, list[tuple[NDArray[np.int32], NDArray[Any]]]]) -> _Level | None:
    """Merge identical children (same sorted trace ids), summing multiplicities."""
    mats, mults, lens = [], [], []
    for L in sorted(parts):
        mat = np.ascontiguousarray(np.concatenate([m for m, _ in parts[L]]))
        mu = np.concatenate([c for _, c in parts[L]])
        row = mat.view(np.dtype((np.void, 4 * L))).ravel()
        u, first, inv = np.unique(row, return_index=True, return_inverse=True)
        tot = np.zeros(len(u), dtype=mu.dtype)
        np.add.at(tot, inv.ravel(), mu)
        mats.append(mat[first].ravel())
        mults.append(tot)
        lens.append(np.full(len(u), L, dtype=np.int64))
    if not mats:
        return None
    members = np.concatenate(mats).astype(np.int64)
    used = _distinct(members)
    members = np.searchsorted(used, members)
    sizes = np.concatenate(lens)
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return _Level(keys[used], offsets, members.ravel().astype(np.int64), np.concatenate(mults))


def residues(rows: Sequence[Sequence[int]], dim: int, p: int) -> NDArray[np.int64]:
    """The rows mod p in the coordinates the count works in: column j is the
    sum of the last j + 1 columns (`ORDER`).

    The change of coordinates is unimodular, so it is invertible mod p and
    every rank, hence every decision of the count, is that of the rows
    themselves: the prime is chosen for the rows as given.  It changes only
    the order of the traces (the order of their normalized vectors), which
    decides how many distinct restrictions each depth holds.
    """
    v = np.array([[x % p for x in r] for r in rows], dtype=np.int64).reshape(len(rows), dim)
    if ORDER == "suffix":
        v = np.cumsum(v[:, ::-1], axis=1) % p
    return v


#: The coordinates the count works in: "suffix" (column j the sum of the
#: last j + 1 columns) or "given".  On threshold(7) the widest depth holds
#: 503,759 distinct restrictions with "suffix" against 4,529,828 as given;
#: see benchmarks/frontier.py.
ORDER = "suffix"


def start(rows: Sequence[Sequence[int]], dim: int, p: int) -> _Level:
    """Depth 0: the one restriction that is the whole arrangement (over F_p)."""
    F = _Field(p, dim)
    v = residues(rows, dim, p).astype(np.float64)
    keys, _ = _unique_rows(F.pack(F.normalize(v)))
    return _Level(keys, np.array([0, len(keys)], dtype=np.int64),
                  np.arange(len(keys), dtype=np.int64), np.ones(1, dtype=np.int64))


def pairs_of(lev: _Level) -> int:
    """Pairs of traces the next step intersects (its work)."""
    return int((lev.sizes * (lev.sizes - 1) // 2).sum())


def split(lev: _Level, parts: int) -> list[_Level]:
    """``lev`` cut into at most ``parts`` consecutive pieces of about equal work."""
    sizes = lev.sizes
    work = np.cumsum(sizes * (sizes - 1) // 2 + 1)
    cuts = np.searchsorted(work, np.linspace(0, work[-1], parts + 1)[1:-1], side="right")
    bounds = [0, *sorted(set(int(c) for c in cuts) - {0, len(sizes)}), len(sizes)]
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        piece = _sub(lev, lo, hi)
        used = _distinct(piece.members)
        out.append(_Level(lev.keys[used], piece.offsets, np.searchsorted(used, piece.members),
                          piece.mult))
    return out


def partition(lev: _Level | None, buckets: int) -> list[_Level | None]:
    """``lev`` cut into ``buckets`` levels by a hash of each restriction's
    traces: identical restrictions of any two levels land in the same bucket."""
    if lev is None or not len(lev.mult):
        return [None] * buckets
    k = lev.keys.astype(np.uint64)
    hv = np.zeros(len(k), dtype=np.uint64)
    for w in range(k.shape[1]):
        hv = (hv ^ k[:, w]) * np.uint64(0x9E3779B97F4A7C15)
        hv ^= hv >> np.uint64(29)
    mixed = hv[lev.members] * (np.arange(len(lev.members), dtype=np.uint64)
                               - np.repeat(lev.offsets[:-1], lev.sizes).astype(np.uint64)
                               + np.uint64(1))
    item = np.add.reduceat(mixed, lev.offsets[:-1]) if len(mixed) else np.zeros(0, np.uint64)
    item[lev.sizes == 0] = 0
    which = (item % np.uint64(buckets)).astype(np.int64)
    out: list[_Level | None] = []
    for b in range(buckets):
        sel = np.flatnonzero(which == b)
        if not len(sel):
            out.append(None)
            continue
        sizes = lev.sizes[sel]
        offsets = np.zeros(len(sel) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        # The member positions of the selected restrictions, range by range.
        idx = np.arange(offsets[-1]) + np.repeat(lev.offsets[sel] - offsets[:-1], sizes)
        members = lev.members[idx]
        used = _distinct(members)
        out.append(_Level(lev.keys[used], offsets, np.searchsorted(used, members), lev.mult[sel]))
    return out


def expand(lev: _Level, p: int, dim: int, depth: int,
           max_pairs: int = MAX_PAIRS) -> tuple[list[int], _Level | None]:
    """One step from depth ``depth`` (restrictions of dimension ``dim − depth``):
    the Betti counts it settles (a list of length dim + 1) and the next level."""
    betti = [0] * (dim + 1)
    nxt = _step(_Field(p, dim), lev, betti, depth, dim - depth, max_pairs)
    return betti, nxt


def merge(levels: Sequence[_Level | None]) -> _Level | None:
    """The union of levels of one depth, identical restrictions merged."""
    present = [lv for lv in levels if lv is not None and len(lv.mult)]
    if not present:
        return None
    keys, ids = _unique_rows(np.concatenate([lv.keys for lv in present]))
    parts: dict[int, list[tuple[NDArray[np.int32], NDArray[Any]]]] = defaultdict(list)
    base = 0
    for lv in present:
        members = ids[base + lv.members].astype(np.int32)
        base += len(lv.keys)
        sizes = lv.sizes
        for L in _distinct(sizes).tolist():
            sel = np.flatnonzero(sizes == L)
            idx = (lv.offsets[sel][:, None] + np.arange(L)[None, :]).ravel()
            parts[L].append((members[idx].reshape(len(sel), L), lv.mult[sel]))
    return _merge(keys, parts)


def _betti_field(rows: Sequence[Sequence[int]], dim: int, p: int, progress: Progress,
                 max_pairs: int) -> list[int]:
    betti = [0] * (dim + 1)
    betti[0] = 1
    return run(start(rows, dim, p), 0, dim, p, betti, progress, max_pairs)


def run(lev: _Level | None, depth: int, dim: int, p: int, betti: list[int],
        progress: Progress = None, max_pairs: int = MAX_PAIRS,
        memory: int | None = None) -> list[int]:
    """Finish the count from ``lev``, the restrictions of depth ``depth``:
    ``betti`` (the counts settled so far) plus everything below them.

    A depth whose children could not all be held at once (in the worst
    case: every child distinct) is counted in pieces and merged in hash
    buckets (`bucketed`), within ``memory`` bytes (default: 80 % of the
    machine's physical memory).
    """
    memory = allowed_memory() if memory is None else memory
    while lev is not None and len(lev.mult):
        pairs = pairs_of(lev)
        if progress is not None:
            progress(depth, len(lev.mult), pairs)
        refuse_depth(depth, dim, len(lev.mult), pairs)
        worst = worst_bytes(lev) if dim - depth > 3 else 0
        if worst and (worst > BUCKET_FROM if BUCKET_FROM is not None
                      else level_bytes(lev) + worst > memory):
            got, nxt = bucketed(lev, p, dim, depth, memory, max_pairs)
        else:
            got, nxt = expand(lev, p, dim, depth, max_pairs)
        betti = [a + b for a, b in zip(betti, got)]
        if nxt is not None and depth >= 1 and memory:
            refuse_estimate(depth + 1, dim, project(lev, nxt, depth, dim), memory)
        lev = nxt
        depth += 1
    return betti


def precheck(rows: Sequence[Sequence[int]], dim: int, p: int, memory: int | None = None) -> None:
    """Refuse at once a count whose depths, projected from its first two
    by key (`project`), could not be held.  The count up to symmetry calls
    it first: from its switch depth on it holds about what the count by key
    holds (resonance(8): 324,835 restrictions at depth 3 from the orbit
    representatives of depth 2, against 399,075)."""
    memory = allowed_memory() if memory is None else memory
    if dim < 7 or not memory:  # no depth after 2 is held whole
        return
    first = expand(start(rows, dim, p), p, dim, 0)[1]
    second = expand(first, p, dim, 1)[1] if first is not None else None
    if first is not None and second is not None:
        refuse_estimate(2, dim, project(first, second, 1, dim), memory)


def _held_bytes(restrictions: float, mean: float) -> float:
    """Bytes of a level of ``restrictions`` with ``mean`` traces each."""
    return restrictions * (8 * mean + 24)


def project(lev: _Level, nxt: _Level, depth: int, dim: int) -> list[tuple[int, float, float]]:
    r"""Estimated (depth, restrictions, mean traces) of the depths after
    ``nxt`` (depth ``depth + 1``) that are held whole, up to depth dim − 4.

    Each restriction of depth l with m traces has m − 1 children; of all
    the children of a depth, a fraction $\rho$ is distinct after merging,
    and the mean number of traces shrinks by a factor q per depth.  Both are
    those of the step just made (``lev`` to ``nxt``), held for the depths to
    come.  On the library families the fraction $\rho$ falls with depth, so
    the estimate errs high: from depth 2 of threshold(7), by 2× at depth 3
    and 5× at depth 4; of resonance(8), by 11 % at depth 3.
    """
    children = int(np.maximum(lev.sizes - 1, 0).sum())
    rho = len(nxt.mult) / max(children, 1)
    m0, m1 = float(lev.sizes.mean()), float(nxt.sizes.mean())
    q = min(1.0, m1 / m0) if m0 else 1.0
    out = [(depth + 1, float(len(nxt.mult)), m1)]
    s, m = float(len(nxt.mult)), m1
    for d in range(depth + 2, dim - 3):
        s, m = rho * s * max(m - 1, 0.0), m * q
        out.append((d, s, m))
    return out


def refuse_estimate(depth: int, dim: int, projected: Sequence[tuple[int, float, float]],
                    memory: int) -> None:
    """Refuse at once, after depth ``depth``, a count whose projected depths
    (`project`) could not be held: two consecutive depths up to dim − 4 are
    held whole while the later is made (depth dim − 3 is finished in buckets)."""
    for (d0, s0, m0), (d1, s1, m1) in zip(projected, projected[1:]):
        need = _held_bytes(s0, m0) + _held_bytes(s1, m1)
        if need > memory:
            sizes = ", ".join(f"depth {d}: {s:.3g}" for d, s, _ in projected)
            raise OutputTooLargeError(
                f"counting regions depth by depth: after depth {depth} of {dim}, depth {d1} is "
                f"estimated to hold about {s1:.3g} distinct restrictions of about {m1:.0f} traces "
                f"each, {need / 2**30:.1f} GiB with depth {d0}, more than the "
                f"{memory / 2**30:.1f} GiB of memory allowed here (estimated restrictions per depth, "
                f"from the growth of the depths so far: {sizes}); the count needs a larger machine, "
                "or hyperarr.distributed over several")


#: Worst-case bytes of the children of one piece of a bucketed depth
#: (None: a quarter of the memory allowed).  Tests make it small.
PIECE_BYTES: int | None = None

#: Worst-case bytes of children from which a depth is bucketed (None: when
#: the level and its worst case would not fit the memory allowed).
BUCKET_FROM: int | None = None

#: Called after each piece of a bucketed depth with (depth, pieces done,
#: pieces, bytes held): a long count's progress within a depth.
ON_PIECE: Callable[[int, int, int, int], None] | None = None

#: Hash buckets a bucketed depth is merged in.
BUCKETS = 16


def allowed_memory() -> int:
    """Bytes a count may hold: 80 % of the physical memory (0 if unknown)."""
    return int(0.8 * _physical_memory())


def level_bytes(lev: _Level | None) -> int:
    """Bytes held by a level's arrays."""
    if lev is None:
        return 0
    return int(lev.keys.nbytes + lev.offsets.nbytes + lev.members.nbytes + lev.mult.nbytes)


def worst_bytes(lev: _Level) -> int:
    """Bytes the next step could need to merge the children of ``lev``: in
    the worst case every child is distinct (`CHILD_BYTES` each, plus 4
    bytes per trace id; a child of trace j has at most j ids)."""
    children = int(np.maximum(lev.sizes - 1, 0).sum())
    return children * CHILD_BYTES + 4 * pairs_of(lev)


def concat(levels: Sequence[_Level | None]) -> _Level | None:
    """The union of levels with no restriction in common (the buckets of
    one depth), as one level; nothing is merged."""
    present = [lv for lv in levels if lv is not None and len(lv.mult)]
    if not present:
        return None
    keys, ids = _unique_rows(np.concatenate([lv.keys for lv in present]))
    members, offsets, base, end = [], [np.zeros(1, dtype=np.int64)], 0, 0
    for lv in present:
        # Both id orders are the order of the packed vectors: sorted stays sorted.
        members.append(ids[base + lv.members].astype(np.int64))
        offsets.append(lv.offsets[1:] + end)
        base += len(lv.keys)
        end += int(lv.offsets[-1])
    return _Level(keys, np.concatenate(offsets), np.concatenate(members),
                  np.concatenate([lv.mult for lv in present]))


def bucketed(lev: _Level, p: int, dim: int, depth: int, memory: int,
             max_pairs: int = MAX_PAIRS) -> tuple[list[int], _Level | None]:
    """`expand`, with memory that follows the distinct children, not the worst case.

    ``lev`` is cut into pieces whose children fit `PIECE_BYTES` in the
    worst case (`split`); each piece is expanded, its children cut into
    `BUCKETS` buckets by a hash of their traces (`partition`: identical
    children of any two pieces meet in one bucket), and each bucket merged
    (`merge`) whenever what waits for it outgrows what it holds.  Before a
    piece starts, the level, the buckets and twice the piece's worst case
    (its children and their cut) must fit ``memory``.  When the children are finished in closed form (dimension
    3), the largest bucket is finished early to make room (its later
    children are counted apart: exact, merging less); otherwise the depth is
    refused, naming what it holds.
    """
    piece_bytes = PIECE_BYTES or max(1, memory // 4)
    final = dim - depth - 1 == 3
    betti = [0] * (dim + 1)
    held = [None] * BUCKETS  # type: list[_Level | None]
    waiting: list[list[_Level]] = [[] for _ in range(BUCKETS)]

    def bucket(b: int) -> _Level | None:
        if waiting[b]:
            held[b] = merge([held[b], *waiting[b]])
            waiting[b] = []
        return held[b]

    def finish(b: int) -> None:
        got, _ = expand(bucket(b), p, dim, depth + 1, max_pairs)  # type: ignore[arg-type]
        for k, x in enumerate(got):
            betti[k] += x
        held[b] = None

    def holding() -> int:
        return sum(level_bytes(h) + sum(level_bytes(w) for w in ws) for h, ws in zip(held, waiting))

    base = level_bytes(lev)
    pieces = split(lev, max(1, -(-worst_bytes(lev) // piece_bytes)))
    for k, piece in enumerate(pieces):
        # The piece's children, then their copy cut into buckets.
        need = 2 * worst_bytes(piece)
        while memory and base + holding() + need > memory:
            sizes = [level_bytes(h) + sum(level_bytes(w) for w in ws)
                     for h, ws in zip(held, waiting)]
            b = int(np.argmax(sizes))
            if not final or not sizes[b]:
                raise OutputTooLargeError(
                    f"counting regions depth by depth: depth {depth + 1} of {dim} holds "
                    f"{holding() / 2**30:.1f} GiB of distinct restrictions after {k} of "
                    f"{len(pieces)} pieces of depth {depth} ({len(lev.mult)} restrictions), and "
                    f"the next piece could need {need / 2**30:.1f} GiB more, over the "
                    f"{memory / 2**30:.1f} GiB of memory allowed here; the count needs a larger "
                    "machine, or hyperarr.distributed over several")
            finish(b)
        got, nxt = expand(piece, p, dim, depth, max_pairs)
        for i, x in enumerate(got):
            betti[i] += x
        for b, cut in enumerate(partition(nxt, BUCKETS)):
            if cut is None:
                continue
            waiting[b].append(cut)
            merged = held[b]
            if sum(len(w.mult) for w in waiting[b]) >= (len(merged.mult) if merged else 1 << 12):
                bucket(b)
        if ON_PIECE is not None:
            ON_PIECE(depth, k + 1, len(pieces), base + holding())
    if final:
        for b in range(BUCKETS):
            if bucket(b) is not None:
                finish(b)
        return betti, None
    return betti, concat([bucket(b) for b in range(BUCKETS)])


def level_from_ids(keys: NDArray[np.int64], offsets: NDArray[np.int64], ids: NDArray[Any],
                   mult: NDArray[np.int64]) -> _Level:
    """The level whose restriction t has the packed vectors
    ``keys[ids[offsets[t]:offsets[t+1]]]`` (``keys`` sorted and distinct)."""
    owner = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    order = np.lexsort((ids, owner))
    return _Level(keys, np.asarray(offsets, dtype=np.int64), ids[order].astype(np.int64),
                  np.asarray(mult, dtype=np.int64))


def refuse_depth(depth: int, dim: int, restrictions: int, pairs: int,
                 limit: int | None = None, children: int = 0,
                 memory: int | None = None) -> None:
    """Refuse a depth, before it starts, whose pairs exceed ``limit`` (default
    `MAX_PAIRS_PER_DEPTH`), or whose children could not be merged in
    ``memory`` (default: 80 % of the machine's physical memory).

    ``children`` is the number of children before merging (0: the depth is
    finished in closed form, nothing is held).  In the worst case every
    child is distinct and held while merging, at `CHILD_BYTES` each plus 4
    bytes per trace id; a child of trace j has at most j ids, so the ids
    are at most ``pairs``.
    """
    limit = MAX_PAIRS_PER_DEPTH if limit is None else limit
    where = (f"counting regions depth by depth: depth {depth} of {dim} holds {restrictions} "
             f"distinct restrictions with {pairs} pairs of traces to intersect")
    remedy = "the count needs a larger machine, or hyperarr.distributed over several"
    if pairs > limit:
        raise OutputTooLargeError(
            f"{where}, over the limit of {limit} (about ten minutes on one core); {remedy}")
    if not children:
        return
    memory = allowed_memory() if memory is None else memory
    need = children * CHILD_BYTES + 4 * pairs
    if memory and need > memory:
        raise OutputTooLargeError(
            f"{where}; merging its up to {children} children could need {need / 2**30:.1f} GiB, "
            f"more than the {memory / 2**30:.1f} GiB of memory allowed here; {remedy}")


#: Bytes per child while a depth is merged (hash slot, record, and ids).
CHILD_BYTES = 40


def _physical_memory() -> int:
    """Physical memory in bytes, or 0 if unknown."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return 0


# ---------------------------------------------------------------------------
# The exact fallback: the same recursion on primitive integer rows


def _primitive(v: list[int]) -> tuple[int, ...] | None:
    g = math.gcd(*v)
    if g == 0:
        return None
    lead = next(x for x in v if x)
    if lead < 0:
        g = -g
    return tuple(x // g for x in v)


def _betti_exact(rows: Sequence[Sequence[int]], dim: int, progress: Progress) -> list[int]:
    start = {v for v in (_primitive(list(r)) for r in rows) if v is not None}
    level: dict[tuple[tuple[int, ...], ...], int] = {tuple(sorted(start)): 1}
    betti = [0] * (dim + 1)
    betti[0] = 1
    for depth in range(dim):
        if progress is not None:
            progress(depth, len(level), sum(len(V) * (len(V) - 1) // 2 for V in level))
        nxt: dict[tuple[tuple[int, ...], ...], int] = defaultdict(int)
        for V, m in level.items():
            betti[depth + 1] += m * len(V)
            for j in range(1, len(V)):
                vj = V[j]
                c = next(k for k, x in enumerate(vj) if x)
                a = vj[c]
                s: set[tuple[int, ...]] = set()
                for vi in V[:j]:
                    f = vi[c]
                    w = _primitive([a * x - f * y for x, y in zip(vi, vj)] if f else list(vi))
                    if w is not None:  # always: the rows are distinct
                        s.add(w)
                nxt[tuple(sorted(s))] += m
        level = nxt
        if not level:
            break
    return betti


def betti_central(rows: Sequence[Sequence[int]], dim: int, *, progress: Progress = None,
                  max_pairs: int = MAX_PAIRS) -> list[int]:
    """Betti numbers b_0 … b_dim of the central arrangement of integer ``rows``.

    Rows are normals in ``R^dim`` (nonzero; repeats and opposite rows allowed).
    ``progress(depth, restrictions, pairs)`` is called before each depth.
    """
    bound = hadamard_bound_squared(rows, dim)
    p = field_prime(bound)
    if p is None:
        return _betti_exact(rows, dim, progress)
    return _betti_field(rows, dim, p, progress, max_pairs)

