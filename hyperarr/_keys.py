"""Sign-vector keys and bit words: the one packing kernel of hyperarr (private).

A sign matrix S (m, n) with entries in {−1, 0, +1} becomes one sortable,
hashable key per row: bits packed by `numpy.packbits`, read as a
big-endian ``uint64`` when they fit in 8 bytes and as a fixed-width void
scalar otherwise.  Sorting keys and looking them up by binary search
(`numpy.searchsorted`) replaces any Python loop over regions.

Bit *words* (`words`) are a second view of the same packing, for
bitwise algebra: bit u of row r is bit ``u % 64`` of word ``u // 64``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["from_bytes", "pack", "all_distinct", "member", "find", "Runs", "words", "unwords"]


def from_bytes(packed: NDArray[np.uint8]) -> NDArray[Any]:
    """One sortable key per row of bytes: ``uint64`` up to 8 bytes, else void.

    Keys of rows of equal width compare (and sort) as the byte strings do.
    """
    m, nb = packed.shape
    if nb <= 8:
        pad = np.zeros((m, 8), dtype=np.uint8)
        pad[:, 8 - nb :] = packed
        return pad.view(">u8").reshape(m).astype(np.uint64)
    return np.ascontiguousarray(packed).view(np.dtype((np.void, nb))).reshape(m)


def pack(S: NDArray[np.int8]) -> NDArray[Any]:
    """One key per row of a sign matrix with entries in {−1, 0, +1}.

    Rows without a zero use one bit per entry (+1 ↦ 1); a matrix holding a
    zero uses two (``S > 0`` then ``S < 0``), so every row stays distinct.
    """
    m, n = S.shape
    if n == 0:
        return np.zeros(m, dtype=np.uint64)
    bits = np.concatenate([S > 0, S < 0], axis=1) if (S == 0).any() else S > 0
    return from_bytes(np.packbits(bits, axis=1))


def all_distinct(keys: NDArray[Any]) -> bool:
    """True if no key repeats (sort-based; fast for uint64 and void keys)."""
    s = np.sort(keys)
    return bool((s[1:] != s[:-1]).all())


def member(keys: NDArray[Any], sorted_table: NDArray[Any]) -> NDArray[np.bool_]:
    """``keys[i] in sorted_table`` for every i, by binary search."""
    if sorted_table.size == 0:
        return np.zeros(keys.shape, dtype=bool)
    pos = np.searchsorted(sorted_table, keys).clip(max=sorted_table.size - 1)
    return np.asarray(sorted_table[pos] == keys)


def find(keys: NDArray[Any], sorted_table: NDArray[Any], order: NDArray[np.int64]) -> NDArray[np.int64]:
    """``order[p]`` where ``sorted_table[p] == keys[i]``, −1 where no entry matches."""
    if sorted_table.size == 0:
        return np.full(keys.shape, -1, dtype=np.int64)
    pos = np.searchsorted(sorted_table, keys).clip(max=sorted_table.size - 1)
    return np.where(sorted_table[pos] == keys, order[pos], -1)


class Runs:
    """A growing set of keys, held as sorted runs of halving sizes.

    `add` appends a sorted run and merges it with the runs before it while
    they are no larger (as a binary counter carries), so each key is merged
    O(log m) times and there are at most about log2(m) runs to search.
    """

    __slots__ = ("runs",)

    def __init__(self) -> None:
        self.runs: list[NDArray[Any]] = []

    def __len__(self) -> int:
        return sum(r.size for r in self.runs)

    def member(self, keys: NDArray[Any]) -> NDArray[np.bool_]:
        """``key in self`` for every key."""
        hit = np.zeros(keys.shape, dtype=bool)
        for run in self.runs:
            hit |= member(keys, run)
        return hit

    def add(self, keys: NDArray[Any]) -> None:
        """Add keys (none of them already in the set)."""
        if keys.size == 0:
            return
        run = np.sort(keys)
        while self.runs and self.runs[-1].size <= run.size:
            run = np.sort(np.concatenate([self.runs.pop(), run]))
        self.runs.append(run)


def words(Z: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """Boolean rows (m, h) as uint64 words (m, ⌈h/64⌉, at least 1): bit u%64 of word u//64."""
    m, h = Z.shape
    W = max(1, -(-h // 64))
    packed = np.zeros((m, 8 * W), dtype=np.uint8)
    packed[:, : -(-h // 8)] = np.packbits(Z, axis=1, bitorder="little")
    return packed.view("<u8").astype(np.uint64)


def unwords(w: NDArray[np.uint64], h: int) -> NDArray[np.bool_]:
    """Inverse of `words`: the first h bits of each row."""
    bytes_ = np.ascontiguousarray(w.astype("<u8")).view(np.uint8)
    return np.unpackbits(bytes_, axis=1, count=h, bitorder="little").astype(bool)
