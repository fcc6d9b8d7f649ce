"""The count up to symmetry (hyperarr._orbits): exact whatever the group,
canonical images that are images and do not depend on the orbit's member,
and orbits that really are merged."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperarr import Arrangement, _levels, _orbits, library
from hyperarr import _orbits_jit as jit
from hyperarr.characteristic import _cone, _symmetries

FAMILIES = [
    (library.threshold, library.threshold_symmetry, range(1, 6)),
    (library.resonance, library.resonance_symmetry, range(1, 6)),
    (library.braid, library.braid_symmetry, range(2, 7)),
    (library.coordinate, library.coordinate_symmetry, range(1, 6)),
]
CASES = [(f, s, d) for f, s, ds in FAMILIES for d in ds]


def _setup(A, generators):
    rows, dim, _ = _cone(A)
    return rows, dim, _orbits.group(_symmetries(A, generators), len(rows))


@pytest.mark.parametrize(("family", "symmetry", "d"), CASES,
                         ids=[f"{f.__name__}-{d}" for f, _, d in CASES])
def test_every_switch_depth_gives_the_plain_count(family, symmetry, d):
    A = family(d)
    rows, dim, G = _setup(A, symmetry(d))
    plain = _levels.betti_central(rows, dim)
    for switch in range(dim + 1):
        assert _orbits.betti_orbits(rows, dim, G, switch=switch) == plain, switch


@pytest.mark.parametrize("d", [4, 5])
def test_orbits_are_merged(d):
    """With the cube's group, depth 1 of threshold(d) holds fewer orbits
    than children, and never fewer than children / |G|."""
    rows, dim, G = _setup(library.threshold(d), library.threshold_symmetry(d))
    stats: list[tuple[int, int]] = []
    _orbits.betti_orbits(rows, dim, G, switch=dim, stats=stats)
    children, orbits = stats[1]
    assert orbits < children
    assert orbits * len(G) >= children
    trivial = _orbits.group([], len(rows))
    alone: list[tuple[int, int]] = []
    _orbits.betti_orbits(rows, dim, trivial, switch=dim, stats=alone)
    assert sum(o for _, o in stats) < sum(o for _, o in alone)


def test_group_orders_and_truncation():
    for d, order in [(2, 8), (3, 48), (4, 384)]:
        rows, _, G = _setup(library.threshold(d), library.threshold_symmetry(d))
        assert len(G) == order and G.complete
        # Rows are inverses of distinct permutations, each a permutation.
        inv = G.inverses.astype(np.int64)
        assert len({r.tobytes() for r in inv}) == order
        assert (np.sort(inv, axis=1) == np.arange(len(rows))).all()
    rows, dim, G = _setup(library.threshold(4), library.threshold_symmetry(4))
    part = _orbits.group(_symmetries(library.threshold(4), library.threshold_symmetry(4)),
                         len(rows), max_entries=10 * len(rows))
    assert not part.complete and len(part) == 10
    # A subset of the group still gives exact counts: it merges less.
    for switch in (None, dim):
        assert _orbits.betti_orbits(rows, dim, part, switch=switch) == \
            _levels.betti_central(rows, dim)


def _brute_canonical(inC, inS, G):
    best = None
    for row in G.inverses.astype(np.int64):
        image = (tuple(inC[row]), tuple(inS[row]))
        if best is None or image > best:
            best = image
    return best


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_canonical_image_is_the_largest_image(seed):
    rng = random.Random(seed)
    d = rng.choice([3, 4])
    rows, _, G = _setup(library.threshold(d), library.threshold_symmetry(d))
    n = len(rows)
    inC = np.array([rng.random() < 0.2 for _ in range(n)])
    if not inC.any():
        inC[rng.randrange(n)] = True
    inS = np.array([not c and rng.random() < 0.4 for c in inC])
    ties = np.empty(len(G), dtype=np.int64)
    outC = np.zeros(n, dtype=bool)
    outS = np.zeros(n, dtype=bool)
    count = jit.canonical(inC, inS, G.inverses, G.index, ties, outC, outS)
    assert (tuple(outC), tuple(outS)) == _brute_canonical(inC, inS, G)
    # The same image from any member of the orbit; count = |stabilizer|.
    g = G.inverses[rng.randrange(len(G))].astype(np.int64)
    c2, s2 = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    assert jit.canonical(inC[g], inS[g], G.inverses, G.index, ties, c2, s2) == count
    assert (c2 == outC).all() and (s2 == outS).all()
    stab = sum(1 for row in G.inverses.astype(np.int64)
               if (inC[row] == inC).all() and (inS[row] == inS).all())
    assert count == stab


def _symmetrized(rng: random.Random, d: int, k: int, central: bool):
    """A random arrangement closed under the coordinate permutations of R^d,
    and the permutations of its hyperplanes that a transposition and a
    d-cycle induce."""
    base = set()
    while len(base) < k:
        w = tuple(rng.randint(-2, 2) for _ in range(d))
        if any(w):
            base.add((w, 0 if central else rng.randint(-2, 2)))
    rows = sorted({(tuple(w[i] for i in perm), t) for w, t in base
                   for perm in itertools.permutations(range(d))})
    # Opposite rows are one hyperplane: keep one of each pair.
    kept = []
    for w, t in rows:
        if (tuple(-x for x in w), -t) not in kept:
            kept.append((w, t))
    index = {r: i for i, r in enumerate(kept)}

    def find(w, t):
        return index.get((w, t), index.get((tuple(-x for x in w), -t)))

    gens = []
    for perm in ([1, 0, *range(2, d)], [*range(1, d), 0]):
        gens.append([find(tuple(w[perm[i]] for i in range(d)), t) for w, t in kept])
    A = Arrangement([list(w) for w, _ in kept], [t for _, t in kept])
    return A, gens


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_random_symmetric_arrangements(seed, central):
    """Degenerate arrangements with S_d symmetry: every switch depth gives
    the count without symmetry, and so does the public API."""
    rng = random.Random(seed)
    d = rng.choice([2, 3, 4])
    A, gens = _symmetrized(rng, d, rng.randint(1, 3), central)
    plain = A.characteristic_polynomial()
    assert A.characteristic_polynomial(gens) == plain
    rows, dim, G = _setup(A, gens)
    expect = _levels.betti_central(rows, dim)
    for switch in range(dim + 1):
        assert _orbits.betti_orbits(rows, dim, G, switch=switch) == expect


def test_refusal_names_the_figures():
    rows, dim, G = _setup(library.threshold(3), library.threshold_symmetry(3))
    labels = np.concatenate([_orbits._pack(np.zeros((1, len(rows)), bool)),
                             _orbits._pack(np.ones((1, len(rows)), bool))], axis=1)
    with pytest.raises(Exception, match=r"depth 0 of 4 holds 1 orbits .* up to 7 children"):
        _orbits.refuse_depth(0, dim, labels, memory=1)


def test_large_entries_fall_back():
    """Rows beyond the word-size field: no orbit count, the exact path runs."""
    A = Arrangement([[1, 0], [0, 1], [10**12, 10**12 + 1]], [0, 0, 0])
    rows, dim, _ = _cone(A)
    G = _orbits.group([[0, 1, 2]], len(rows))
    assert _orbits.betti_orbits(rows, dim, G) is None


@pytest.mark.parametrize("d", [4, 5])
def test_threaded_steps_give_the_same_count(monkeypatch, d):
    """Pieces cut where a new flat starts, one thread each: same Betti numbers."""
    rows, dim, G = _setup(library.resonance(d), library.resonance_symmetry(d))
    one = _orbits.betti_orbits(rows, dim, G, switch=dim)
    monkeypatch.setattr(_orbits, "THREADED", 1)
    monkeypatch.setattr(_orbits.os, "sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    assert _orbits.betti_orbits(rows, dim, G, switch=dim) == one == _levels.betti_central(rows, dim)


def test_a_refused_key_count_goes_back_to_the_orbits(monkeypatch):
    """Refuse every key depth with work: the count falls back to one more
    orbit depth each time, and still gives the exact numbers."""
    rows, dim, G = _setup(library.threshold(5), library.threshold_symmetry(5))
    expect = _levels.betti_central(rows, dim)
    monkeypatch.setattr(_orbits, "SWITCH", 0)
    calls = []
    real = _levels.run

    def refusing(lev, depth, *args, **kwargs):
        calls.append(depth)
        if depth < dim - 2:
            raise _orbits.OutputTooLargeError(f"refused at depth {depth}")
        return real(lev, depth, *args, **kwargs)

    monkeypatch.setattr(_levels, "run", refusing)
    stats: list[tuple[int, int]] = []
    assert _orbits.betti_orbits(rows, dim, G, stats=stats) == expect
    # Every depth after the first was tried by key once, then counted up to
    # symmetry, until the orbits ran out (dimension 2 is closed form).
    assert calls == list(range(1, len(stats)))
    assert len(stats) == dim - 2
    with pytest.raises(_orbits.OutputTooLargeError):
        _orbits.betti_orbits(rows, dim, G, switch=1)


def test_the_switch_to_keys_in_blocks(monkeypatch):
    """Trace vectors made a restriction at a time give the same level."""
    rows, dim, G = _setup(library.resonance(5), library.resonance_symmetry(5))
    expect = [_orbits.betti_orbits(rows, dim, G, switch=s) for s in range(1, 4)]
    monkeypatch.setattr(_orbits, "KEY_BLOCK_BYTES", 1)
    assert [_orbits.betti_orbits(rows, dim, G, switch=s) for s in range(1, 4)] == expect
    assert expect[0] == _levels.betti_central(rows, dim)


@pytest.mark.parametrize(("make", "d", "used"), [(library.resonance, 6, False),
                                                 (library.threshold, 6, False),
                                                 (library.resonance, 7, True),
                                                 (library.threshold, 7, True)])
def test_symmetry_is_used_where_it_pays(make, d, used):
    """Small counts go by key alone (no compiled loops to wait for on a first
    call); from `ORBITS_FROM` pairs at depth 1 on, up to symmetry."""
    rows, dim, _ = _cone(make(d))
    assert _orbits.pays(rows, dim) is used


def test_a_symmetric_count_that_cannot_fit_is_refused_first(monkeypatch):
    rows, dim, G = _setup(library.threshold(7), library.threshold_symmetry(7))
    monkeypatch.setattr(_levels, "allowed_memory", lambda: 20_000_000)
    with pytest.raises(_orbits.OutputTooLargeError, match=r"after depth 2 of 8, depth \d is estimated"):
        _orbits.betti_orbits(rows, dim, G)
