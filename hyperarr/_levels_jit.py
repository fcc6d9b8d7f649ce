"""Compiled inner loops of the level-by-level count (private; numba).

Each loop walks the restrictions of one depth and, for every trace j of a
restriction, the traces i < j, looking up the trace of i on j in a dense
table.  Distinct traces are found with a stamp array instead of a sort, so
a pair costs a few nanoseconds.  The module is imported only when a depth is
large enough to repay compilation (see ``hyperarr._levels``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["count_planes", "mark_pairs", "merged_children"]


@njit(cache=True, nogil=True)
def _collect(members, lo, j, table, seen, stamp, out):  # type: ignore[no-untyped-def]
    """Write the distinct trace ids of traces i < j (of the restriction at
    ``lo``) on trace j to ``out``; return how many there are."""
    a = members[lo + j]
    c = 0
    for i in range(j):
        k = table[a, members[lo + i]]
        if seen[k] != stamp:
            seen[k] = stamp
            out[c] = k
            c += 1
    return c


@njit(cache=True, nogil=True)
def count_planes(offsets, members, mult, table, n_ids):  # type: ignore[no-untyped-def]
    """For restrictions of dimension 3: Σ mult·c and Σ mult·(c − 1) over the
    children (t, j ≥ 1), where c is the number of distinct traces on trace j."""
    seen = np.full(n_ids, -1, dtype=np.int64)
    scratch = np.empty(n_ids, dtype=np.int32)
    stamp = 0
    s2 = 0
    s3 = 0
    for t in range(len(offsets) - 1):
        lo = offsets[t]
        m = offsets[t + 1] - lo
        mu = mult[t]
        for j in range(1, m):
            c = _collect(members, lo, j, table, seen, stamp, scratch)
            stamp += 1
            s2 += mu * c
            s3 += mu * (c - 1)
    return s2, s3


@njit(cache=True, nogil=True)
def _grow(a, size):  # type: ignore[no-untyped-def]
    b = np.empty(max(size, 2 * len(a)), dtype=a.dtype)
    b[: len(a)] = a
    return b


@njit(cache=True, nogil=True)
def merged_children(offsets, members, mult, table, n_ids, capacity):  # type: ignore[no-untyped-def]
    """The children (t, j ≥ 1) of every restriction, merged.

    Returns ``(starts, sizes, mults, contents, n)``: child k has the sorted
    trace ids ``contents[starts[k]:starts[k] + sizes[k]]`` and multiplicity
    ``mults[k]`` (the sum over the identical children met); n children.
    Identical children are found by an open-addressing hash table keyed by a
    hash of the ids and confirmed by comparing the ids themselves, so a hash
    collision never merges two different children.
    """
    mask = capacity - 1
    slots = np.full(capacity, -1, dtype=np.int64)
    hashes = np.empty(1024, dtype=np.uint64)
    starts = np.empty(1024, dtype=np.int64)
    sizes = np.empty(1024, dtype=np.int64)
    mults = np.empty(1024, dtype=np.int64)
    contents = np.empty(1 << 16, dtype=np.int32)
    scratch = np.empty(n_ids, dtype=np.int32)
    seen = np.full(n_ids, -1, dtype=np.int64)
    stamp = 0
    n = 0
    used = 0
    for t in range(len(offsets) - 1):
        lo = offsets[t]
        m = offsets[t + 1] - lo
        mu = mult[t]
        for j in range(1, m):
            c = _collect(members, lo, j, table, seen, stamp, scratch)
            stamp += 1
            ids = scratch[:c]
            ids.sort()
            h = np.uint64(c) * np.uint64(0x9E3779B97F4A7C15)
            for q in range(c):
                h = (h ^ np.uint64(ids[q] + 1)) * np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(31)
            slot = np.int64(h & np.uint64(mask))
            while True:
                r = slots[slot]
                if r < 0:
                    break
                if hashes[r] == h and sizes[r] == c:
                    s0 = starts[r]
                    same = True
                    for q in range(c):
                        if contents[s0 + q] != ids[q]:
                            same = False
                            break
                    if same:
                        break
                slot = (slot + 1) & mask
            if r >= 0:
                mults[r] += mu
                continue
            if n == len(hashes):
                hashes = _grow(hashes, n + 1)
                starts = _grow(starts, n + 1)
                sizes = _grow(sizes, n + 1)
                mults = _grow(mults, n + 1)
            if used + c > len(contents):
                contents = _grow(contents, used + c)
            contents[used:used + c] = ids
            hashes[n] = h
            starts[n] = used
            sizes[n] = c
            mults[n] = mu
            slots[slot] = n
            n += 1
            used += c
            if 2 * n > capacity:
                # Keep the table at most half full: rebuild it twice as large.
                capacity *= 2
                mask = capacity - 1
                slots = np.full(capacity, -1, dtype=np.int64)
                for r2 in range(n):
                    s2 = np.int64(hashes[r2] & np.uint64(mask))
                    while slots[s2] >= 0:
                        s2 = (s2 + 1) & mask
                    slots[s2] = r2
    return starts[:n], sizes[:n], mults[:n], contents[:used], n


@njit(cache=True, nogil=True)
def mark_pairs(offsets, members, n_vectors):  # type: ignore[no-untyped-def]
    """Flat (V·V) mask of the ordered pairs (trace j, trace i < j) that occur."""
    need = np.zeros(n_vectors * n_vectors, dtype=np.bool_)
    for t in range(len(offsets) - 1):
        lo = offsets[t]
        m = offsets[t + 1] - lo
        for j in range(1, m):
            a = members[lo + j] * n_vectors
            for i in range(j):
                need[a + members[lo + i]] = True
    return need
