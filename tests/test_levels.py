"""The level-by-level count (hyperarr._levels), the Betti numbers and symmetry=.

Counts are checked against OEIS and against the intersection-lattice
computation (an independent algorithm), the two kernels (numpy and the
compiled loops) and the two arithmetics (F_p and integers) against each
other, and every symmetry generator of the library against exact
verification.
"""

from __future__ import annotations

import os
import itertools
import json
import re
import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hyperarr
from arrangement_strategies import arrangement_from_rows, degenerate_arrangements
from hyperarr import _levels, library
from hyperarr.characteristic import _lattice_chi

#: OEIS A000609: threshold functions of d inputs = regions of threshold(d).
THRESHOLD = {1: 4, 2: 14, 3: 104, 4: 1882, 5: 94572, 6: 15028134}
#: OEIS A034997: regions of the resonance arrangement.
RESONANCE = {1: 2, 2: 6, 3: 32, 4: 370, 5: 11292, 6: 1066044, 7: 347326352}


#: Betti numbers as published with CountingChambers (Brysiewicz–Eble–Kühne,
#: arXiv 2105.14542), d = 2..6.
PUBLISHED_BETTI = {
    ("resonance", 2): (1, 3, 2),
    ("resonance", 3): (1, 7, 15, 9),
    ("resonance", 4): (1, 15, 80, 170, 104),
    ("resonance", 5): (1, 31, 375, 2130, 5270, 3485),
    ("resonance", 6): (1, 63, 1652, 22435, 159460, 510524, 371909),
    ("threshold", 2): (1, 4, 6, 3),
    ("threshold", 3): (1, 8, 28, 44, 23),
    ("threshold", 4): (1, 16, 120, 460, 820, 465),
    ("threshold", 5): (1, 32, 496, 4240, 19660, 43014, 27129),
    ("threshold", 6): (1, 64, 2016, 36848, 400400, 2453248, 7111650, 5023907),
}


@pytest.mark.parametrize("family, d", sorted(PUBLISHED_BETTI))
def test_betti_numbers_are_the_published_ones(family, d):
    A = getattr(library, family)(d)
    symmetry = getattr(library, f"{family}_symmetry")(d)
    assert A.betti_numbers() == PUBLISHED_BETTI[family, d]
    assert A.betti_numbers(symmetry) == PUBLISHED_BETTI[family, d]


@pytest.mark.parametrize("d", sorted(THRESHOLD))
def test_threshold_counts_are_oeis_a000609(d):
    A = library.threshold(d)
    b = A.betti_numbers()
    assert sum(b) == A.n_regions() == THRESHOLD[d]
    assert b[:2] == (1, A.n) and len(b) == A.rank() + 1


@pytest.mark.parametrize("d", [d for d in sorted(RESONANCE) if d <= 6])
def test_resonance_counts_are_oeis_a034997(d):
    A = library.resonance(d)
    b = A.betti_numbers()
    assert sum(b) == A.n_regions() == RESONANCE[d]
    assert b[:2] == (1, 2**d - 1)


@pytest.mark.slow
def test_resonance_7_is_oeis_a034997():
    A = library.resonance(7)
    assert A.n_regions() == RESONANCE[7]
    assert A.n_regions(library.resonance_symmetry(7)) == RESONANCE[7]


@pytest.mark.parametrize("make", [library.threshold, library.resonance])
@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_betti_numbers_agree_with_the_lattice(make, d):
    """The level-by-level count and deletion–restriction over the whole
    lattice are different algorithms; their χ must agree."""
    A = make(d)
    assert A.characteristic_polynomial() == _lattice_chi(A)


@pytest.mark.parametrize("family, symmetry", [
    (library.threshold, library.threshold_symmetry),
    (library.resonance, library.resonance_symmetry),
    (library.braid, library.braid_symmetry),
    (library.coordinate, library.coordinate_symmetry),
])
@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_results_with_and_without_symmetry_are_equal(family, symmetry, d):
    A = family(d)
    gens = symmetry(d)
    for g in gens:
        assert sorted(g) == list(range(A.n))
    assert A.characteristic_polynomial(gens) == A.characteristic_polynomial()
    assert A.betti_numbers(gens) == A.betti_numbers()
    assert A.n_bounded_regions(gens) == A.n_bounded_regions()


@pytest.mark.parametrize("d", [2, 3, 4])
def test_family_generators_generate_groups_of_the_known_order(d):
    """The generators are the groups they claim: closing them under
    composition gives 2^d·d! (cube), (d+1)! (resonance), d! (braid, which
    S_2 fixes for d = 2: its one hyperplane)."""
    def order(gens, n):
        ident = tuple(range(n))
        seen, todo = {ident}, [ident]
        while todo:
            p = todo.pop()
            for g in gens:
                q = tuple(g[p[i]] for i in range(n))
                if q not in seen:
                    seen.add(q)
                    todo.append(q)
        return len(seen)

    assert order(library.threshold_symmetry(d), 2**d) == 2**d * math.factorial(d)
    assert order(library.resonance_symmetry(d), 2**d - 1) == math.factorial(d + 1)
    assert order(library.braid_symmetry(d), d * (d - 1) // 2) == (math.factorial(d) if d > 2 else 1)


def test_a_wrong_symmetry_is_refused_naming_it():
    A = library.resonance(3)  # rows 001, 010, 011, 100, 101, 110, 111
    good = library.resonance_symmetry(3)
    # Swapping x_3 = 0 and x_2 + x_3 = 0 is a permutation, not a symmetry.
    bad = [2, 1, 0, 3, 4, 5, 6]
    with pytest.raises(hyperarr.ArrangementError, match=r"generator 1 is not a symmetry.*\[2, 1, 0"):
        A.n_regions([good[0], bad])
    with pytest.raises(hyperarr.ArrangementError, match="generator 0 must be a permutation of 0..6"):
        A.n_regions([[0, 1, 2]])
    with pytest.raises(hyperarr.ArrangementError, match="generator 0 must be a permutation"):
        A.n_regions([[0, 0, 1, 2, 3, 4, 5]])
    with pytest.raises(hyperarr.ArrangementError, match="sequence of permutations"):
        A.n_regions(7)


def test_an_affine_symmetry_must_fix_infinity():
    """x = 0, x = 1, y = 0: swapping x = 1 and y = 0 is induced by a linear
    map of the rows [a | b] (they are independent), but no affine map of the
    plane sends two parallel lines onto two crossing ones."""
    A = hyperarr.Arrangement([[1, 0], [1, 0], [0, 1]], [0, 1, 0])
    with pytest.raises(hyperarr.ArrangementError, match="no invertible affine map"):
        A.n_regions([[0, 2, 1]])
    # Reflecting x ↦ 1 − x swaps the two parallel lines: a symmetry.
    assert A.n_regions([[1, 0, 2]]) == 6


def test_copies_of_a_hyperplane_must_move_together():
    A = hyperarr.Arrangement([[1, 0], [2, 0], [0, 1]], [0, 0, 0])  # rows 0 and 1 are one line
    assert A.n_regions([[1, 0, 2]]) == 4
    with pytest.raises(hyperarr.ArrangementError, match="copies of one hyperplane"):
        A.n_regions([[2, 1, 0]])


@given(degenerate_arrangements(max_n=9, max_d=4))
@settings(max_examples=80, deadline=None)
def test_levels_equal_the_lattice_on_degenerate_arrangements(A):
    assert hyperarr.characteristic._chi(A, None, False) == _lattice_chi(A)


@given(degenerate_arrangements(max_n=8, max_d=3))
@settings(max_examples=40, deadline=None)
def test_zaslavsky_and_whitney(A):
    """Σ b_k = regions enumerated; |χ(1)| = relatively bounded regions
    enumerated; π(1) = regions; b_0 = 1 and b_1 = distinct hyperplanes."""
    R = A.regions()
    b = A.betti_numbers()
    assert sum(b) == len(R) == A.n_regions()
    assert A.n_bounded_regions() == int(R.relatively_bounded.sum())
    assert A.poincare_polynomial() == b
    if A.n and A.rank():
        assert b[0] == 1 and b[1] == len(A._prepared.rows)


def _random_rows(rng, n, d, lo=-3, hi=3):
    rows = []
    while len(rows) < n:
        r = [rng.randint(lo, hi) for _ in range(d)]
        if any(r):
            rows.append(r)
    return rows


@pytest.mark.parametrize("seed", range(12))
def test_field_and_integer_arithmetic_agree(seed):
    rng = random.Random(seed)
    d = rng.randint(2, 5)
    rows = _random_rows(rng, rng.randint(3, 14), d)
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, d))
    assert p is not None
    assert _levels._betti_field(rows, d, p, None, 50) == _levels._betti_exact(rows, d, None)


@pytest.mark.parametrize("seed", range(6))
def test_compiled_and_numpy_kernels_agree(seed, monkeypatch):
    rng = random.Random(100 + seed)
    d = rng.randint(3, 6)
    rows = _random_rows(rng, rng.randint(8, 24), d, -2, 2)
    plain = _levels.betti_central(rows, d, max_pairs=64)
    monkeypatch.setattr(_levels, "JIT_PAIRS", 0)
    assert _levels.betti_central(rows, d) == plain


def test_the_prime_exceeds_every_minor():
    """The Hadamard bound holds for every square submatrix, and the prime is
    above it, so no nonzero minor vanishes mod p."""
    rng = random.Random(7)
    rows = _random_rows(rng, 7, 4, -9, 9)
    bound2 = _levels.hadamard_bound_squared(rows, 4)
    p = _levels.field_prime(bound2)
    assert p is not None and p * p > bound2 and _levels._is_prime(p)
    from fractions import Fraction

    def det(M):
        M = [[Fraction(x) for x in r] for r in M]
        n, out = len(M), Fraction(1)
        for c in range(n):
            piv = next((r for r in range(c, n) if M[r][c]), None)
            if piv is None:
                return 0
            if piv != c:
                M[c], M[piv] = M[piv], M[c]
                out = -out
            out *= M[c][c]
            for r in range(c + 1, n):
                f = M[r][c] / M[c][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
        return int(out)

    for k in range(1, 5):
        for R in itertools.combinations(rows, k):
            for C in itertools.combinations(range(4), k):
                m = det([[r[c] for c in C] for r in R])
                assert m * m <= bound2 and (m == 0) == (m % p == 0)


def test_large_entries_run_the_integer_recursion():
    """Entries too large for a word-size prime: the exact integer path, still
    equal to the lattice."""
    big = 10**40
    A = hyperarr.Arrangement([[big, 1], [1, big], [big + 1, big + 1], [3, -big]], [1, 2, 3, 0])
    rows, dim, _ = hyperarr.characteristic._cone(A)
    assert _levels.field_prime(_levels.hadamard_bound_squared(rows, dim)) is None
    assert A.characteristic_polynomial() == _lattice_chi(A)


def test_non_central_counts_go_through_the_cone():
    A = library.shi(3)  # not central: χ = t (t − 3)^2 for the essential part
    assert A.characteristic_polynomial() == (0, 9, -6, 1)
    assert A.betti_numbers() == (1, 6, 9)


def test_progress_bar_gives_the_same_result(capsys):
    A = library.threshold(4)
    assert A.n_regions(progress=True) == THRESHOLD[4]


def test_betti_numbers_of_a_non_essential_arrangement_stop_at_the_rank():
    A = arrangement_from_rows([[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 1]], 3)
    assert A.rank() == 2
    b = A.betti_numbers()
    assert len(b) == 3 and sum(b) == len(A.regions())


# The command line: hyperarr count FILE.csv | --example NAME


def test_cli_count_of_an_example_as_json(capsys):
    from hyperarr import cli

    assert cli.main(["count", "--example", "threshold-4", "--symmetry", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["regions"] == THRESHOLD[4] == sum(out["betti_numbers"])
    assert out["betti_numbers"] == list(library.threshold(4).betti_numbers())
    assert out["symmetry_generators"] == 3 and out["rank"] == 5


def test_cli_count_of_a_csv_prints_chi_betti_and_both_bounded_counts(tmp_path, capsys):
    from hyperarr import cli

    path = tmp_path / "lines.csv"
    path.write_text("".join(f"{a},{b},10\n" for a, b in [(0, 10), (10, 3), (6, -8), (-6, -8), (-10, 3)]))
    assert cli.main(["count", str(path)]) == 0
    out = capsys.readouterr().out
    assert "χ(t) = t^2 - 5 t + 10" in out
    assert re.search(r"^Betti numbers +1 5 10$", out, re.M)
    assert re.search(r"^regions +16$", out, re.M)
    assert re.search(r"^bounded regions +6 +\(compact", out, re.M)


@pytest.mark.parametrize("argv, message", [
    (["count", "--example", "shi-3", "--symmetry"], "--symmetry needs --example FAMILY-D of a family"),
    (["count", "--n", "5"], "got --n only"),
    (["count", "--example", "braid-3", "--n", "3"], "--n, --d and --central describe the table"),
    (["count", "--example", "cube-3"], "--example must be one of"),
])
def test_cli_count_refuses_clearly(argv, message, capsys):
    from hyperarr import cli

    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("parts", [1, 2, 5])
@pytest.mark.parametrize("make, d", [(library.threshold, 5), (library.resonance, 5), (library.braid, 6)])
def test_split_expand_merge_is_the_count(make, d, parts):
    """The pieces the distributed counter maps and reduces give the same
    Betti numbers as the count in one process, however the depths are cut."""
    A = make(d)
    rows, dim, _ = hyperarr.characteristic._cone(A)
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
    lev, betti, depth = _levels.start(rows, dim, p), [1] + [0] * dim, 0
    while lev is not None:
        outs = [_levels.expand(piece, p, dim, depth) for piece in _levels.split(lev, parts)]
        betti = [x + sum(b[k] for b, _ in outs) for k, x in enumerate(betti)]
        lev = _levels.merge([nxt for _, nxt in outs])
        depth += 1
    assert betti == _levels.betti_central(rows, dim)
    assert tuple(betti[: A.rank() + 1]) == A.betti_numbers()


def test_a_depth_over_budget_is_refused_before_it_starts():
    with pytest.raises(hyperarr.OutputTooLargeError, match=r"depth 1 of 5 holds 15 distinct restrictions .* limit of 10"):
        _levels.refuse_depth(1, 5, 15, 11, limit=10)
    _levels.refuse_depth(1, 5, 15, 10, limit=10)
    with pytest.raises(hyperarr.OutputTooLargeError, match=r"up to 1000 children could need .* GiB, more than"):
        _levels.refuse_depth(4, 8, 15, 10, children=1000, memory=40_039)
    _levels.refuse_depth(4, 8, 15, 10, children=1000, memory=40_040)


@pytest.mark.parametrize("buckets", [1, 3, 8])
def test_buckets_by_key_give_the_count_and_merge_identical_restrictions(buckets):
    """Depth by depth with the children of every piece cut into buckets by a
    hash of their key and each bucket merged (as hyperarr.distributed does):
    the count is the same, and no restriction occurs in two buckets."""
    A = library.threshold(5)
    rows, dim, _ = hyperarr.characteristic._cone(A)
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
    pieces, betti, depth = _levels.split(_levels.start(rows, dim, p), buckets), [1] + [0] * dim, 0
    while any(pc is not None for pc in pieces):
        outs = [_levels.expand(pc, p, dim, depth) for pc in pieces if pc is not None]
        betti = [x + sum(b[k] for b, _ in outs) for k, x in enumerate(betti)]
        cuts = [_levels.partition(nxt, buckets) for _, nxt in outs]
        pieces = [_levels.merge([c[b] for c in cuts]) for b in range(buckets)]
        seen: set[bytes] = set()
        for pc in pieces:
            if pc is None:
                continue
            for t in range(len(pc.mult)):
                key = pc.keys[pc.members[pc.offsets[t]:pc.offsets[t + 1]]].tobytes()
                assert key not in seen
                seen.add(key)
        depth += 1
    assert tuple(betti[: A.rank() + 1]) == A.betti_numbers()


def test_compiled_kernels_cache_somewhere_writable():
    # numba caches beside the source when its __pycache__ is writable and in the user's cache
    # folder otherwise (a wheel in a read-only site-packages); either way the path is writable.
    import numba

    from hyperarr import _levels_jit, _orbits_jit

    kernels = [f for m in (_levels_jit, _orbits_jit) for f in vars(m).values()
               if isinstance(f, numba.core.registry.CPUDispatcher)]
    assert kernels
    for kernel in kernels:
        path = kernel._cache._cache_path  # a NullCache (cache=False) has none
        assert os.access(path, os.W_OK), (kernel.__name__, path)


@pytest.mark.parametrize("make, d", [(library.threshold, 5),
                                     pytest.param(library.threshold, 6, marks=pytest.mark.slow),
                                     (library.resonance, 6), (library.braid, 6),
                                     (library.coordinate, 6)])
@pytest.mark.parametrize("symmetric", [False, True])
def test_bucketed_depths_give_the_in_memory_count(make, d, symmetric, monkeypatch):
    """Every depth cut into small pieces and merged in three buckets (memory
    that follows the distinct restrictions) gives the in-memory Betti numbers,
    with and without symmetry."""
    from hyperarr import _orbits

    A = make(d)
    rows, dim, _ = hyperarr.characteristic._cone(A)
    plain = _levels.betti_central(rows, dim)
    calls = []
    real = _levels.bucketed
    monkeypatch.setattr(_levels, "bucketed", lambda *a, **k: calls.append(a[3]) or real(*a, **k))
    monkeypatch.setattr(_levels, "BUCKET_FROM", 0)
    monkeypatch.setattr(_levels, "PIECE_BYTES", 4000 if d < 6 else 400_000)
    monkeypatch.setattr(_levels, "BUCKETS", 3)
    if symmetric:
        gens = getattr(library, f"{make.__name__}_symmetry")(d)
        G = _orbits.group(hyperarr.characteristic._symmetries(A, gens), len(rows))
        for switch in (1, 2):
            calls.clear()
            assert _orbits.betti_orbits(rows, dim, G, switch=switch) == plain
            assert calls and min(calls) == switch
    else:
        assert _levels.betti_central(rows, dim) == plain
        assert calls and min(calls) == 0
    assert tuple(plain[: A.rank() + 1]) == A.betti_numbers()


def test_a_bucketed_depth_that_outgrows_memory_is_refused_naming_it(monkeypatch):
    A = library.threshold(6)
    rows, dim, _ = hyperarr.characteristic._cone(A)
    monkeypatch.setattr(_levels, "BUCKET_FROM", 0)
    monkeypatch.setattr(_levels, "PIECE_BYTES", 4000)
    with pytest.raises(hyperarr.OutputTooLargeError,
                       match=r"depth \d of 7 holds [\d.]+ GiB of distinct restrictions after \d+ of"):
        p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
        _levels.run(_levels.start(rows, dim, p), 0, dim, p, [1] + [0] * dim, memory=200_000)


def test_a_full_bucketed_depth_finishes_buckets_early_and_stays_exact(monkeypatch):
    """When the children are finished in closed form (dimension 3), buckets
    that outgrow memory are finished early instead of refused: the same
    restriction may then be counted in two pieces, with the same total."""
    A = library.threshold(5)
    rows, dim, _ = hyperarr.characteristic._cone(A)
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
    lev, betti = _levels.start(rows, dim, p), [1] + [0] * dim
    for depth in range(dim - 4):
        got, lev = _levels.expand(lev, p, dim, depth)
        betti = [a + b for a, b in zip(betti, got)]
    depth = dim - 4
    monkeypatch.setattr(_levels, "PIECE_BYTES", 2000)
    monkeypatch.setattr(_levels, "BUCKETS", 2)
    finished = []
    real = _levels.expand
    monkeypatch.setattr(_levels, "expand", lambda *a, **k: finished.append(a[3]) or real(*a, **k))
    pieces = _levels.split(lev, -(-_levels.worst_bytes(lev) // 2000))
    memory = _levels.level_bytes(lev) + 2 * max(_levels.worst_bytes(pc) for pc in pieces) + 2000
    got, nxt = _levels.bucketed(lev, p, dim, depth, memory)
    assert nxt is None
    assert finished.count(depth + 1) > 2  # more than the two buckets at the end
    assert [a + b for a, b in zip(betti, got)] == _levels.betti_central(rows, dim)


@pytest.mark.parametrize("make, d", [(library.threshold, 6), (library.resonance, 6),
                                     pytest.param(library.threshold, 7, marks=pytest.mark.slow)])
def test_the_estimate_of_the_depths_to_come_errs_high_by_less_than_10x(make, d):
    """From depths 1 and 2, the projected sizes of the held depths are at
    least the real ones (the merge ratio falls with depth) and within 10×."""
    A = make(d)
    rows, dim, _ = hyperarr.characteristic._cone(A)
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
    levels = [_levels.start(rows, dim, p)]
    while len(levels) <= dim - 4:
        levels.append(_levels.expand(levels[-1], p, dim, len(levels) - 1)[1])
    projected = _levels.project(levels[1], levels[2], 1, dim)
    assert [d for d, _, _ in projected] == list(range(2, dim - 3))
    for depth, size, mean in projected:
        real = levels[depth]
        assert len(real.mult) <= size <= 10 * len(real.mult), depth
        assert 0.5 * real.sizes.mean() <= mean <= 2 * real.sizes.mean(), depth


def test_a_count_that_cannot_fit_is_refused_after_depth_2_naming_its_estimate():
    A = library.threshold(7)
    rows, dim, _ = hyperarr.characteristic._cone(A)
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
    seen = []
    with pytest.raises(hyperarr.OutputTooLargeError,
                       match=r"after depth 2 of 8, depth [34] is estimated to hold about [\d.e+]+ "
                             r"distinct restrictions .* depth 3: [\d.e+]+, depth 4: "):
        _levels.run(_levels.start(rows, dim, p), 0, dim, p, [1] + [0] * dim,
                    progress=lambda depth, n, pairs: seen.append(depth), memory=20_000_000)
    assert seen == [0, 1]  # refused before depth 2 was expanded
    projected = _levels.project(*_two_levels(rows, dim, p), 1, dim)
    need = max(_levels._held_bytes(s0, m0) + _levels._held_bytes(s1, m1)
               for (_, s0, m0), (_, s1, m1) in zip(projected, projected[1:]))
    _levels.refuse_estimate(2, dim, projected, int(need) + 1)  # fits: no refusal


def _two_levels(rows, dim, p):
    first = _levels.expand(_levels.start(rows, dim, p), p, dim, 0)[1]
    return first, _levels.expand(first, p, dim, 1)[1]


def test_progress_shows_the_depth_the_restrictions_so_far_and_an_estimate():
    from hyperarr.characteristic import _progress_bar

    bar = _progress_bar(True, 5)
    report = bar.__enter__()
    report(0, 1, 10)
    assert "so_far=1" in bar.bar.postfix and "depth_eta=?" in bar.bar.postfix
    report(1, 7, 1000)
    postfix = bar.bar.postfix
    assert "restrictions=7" in postfix and "so_far=8" in postfix, postfix
    assert re.search(r"depth_eta=~\d+ s", postfix), postfix
    assert bar.bar.n == 1
    bar.__exit__(None, None, None)


@pytest.mark.parametrize("order", ["given", "suffix"])
@pytest.mark.parametrize("family, d", [("threshold", 5), ("resonance", 5), ("threshold", 4)])
def test_both_orders_of_the_traces_give_the_published_counts(family, d, order, monkeypatch):
    """The coordinates the count works in change the order of the traces
    (and how many restrictions each depth holds), never the count."""
    monkeypatch.setattr(_levels, "ORDER", order)
    A = getattr(library, family)(d)
    assert A.betti_numbers() == PUBLISHED_BETTI[family, d]
    assert A.betti_numbers(getattr(library, f"{family}_symmetry")(d)) == PUBLISHED_BETTI[family, d]
    rows, dim, _ = hyperarr.characteristic._cone(A)
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
    given = np.array(rows, dtype=np.int64) % p
    ours = _levels.residues(rows, dim, p)
    assert (order == "given") == bool((ours == given).all())
