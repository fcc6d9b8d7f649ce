r"""The characteristic polynomial of an arrangement and the counts it gives.

$\chi_A(t) = \sum_X \mu(X)\, t^{\dim X}$ over the flats X of the intersection lattice.
Zaslavsky's theorem turns it into counts without enumerating anything: the
number of regions is $(-1)^d \chi(-1) = b_0 + \dots + b_{\mathrm{rank}}$, the sum of the Betti
numbers (the absolute values of $\chi$'s coefficients), and the number of
relatively bounded regions is $(-1)^{\mathrm{rank}} \chi(1)$.

In general position (decided exactly) $\chi$ has a closed form.  Otherwise it is
computed by deletion–restriction level by level (``hyperarr._levels``):
identical restrictions are merged by an exact key and carry multiplicities,
so the intersection lattice is never built.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from hyperarr import _levels, _orbits
from hyperarr._binomial import region_count
from hyperarr._generic import probably_generic
from hyperarr._lattice import Flat, Lattice
from hyperarr._symmetry import verified
from hyperarr.arrangement import checked
from hyperarr.exceptions import OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement

__all__ = [
    "characteristic_polynomial",
    "betti_numbers",
    "poincare_polynomial",
    "n_regions",
    "n_bounded_regions",
]


def characteristic_polynomial(A: "Arrangement", symmetry: Any = None, *,
                              progress: bool = False) -> tuple[int, ...]:
    r"""Characteristic polynomial $\chi_A(t)$ of an arrangement, exactly.

    Parameters
    ----------
    A : Arrangement
    symmetry : sequence of permutations, optional
        Generators of a symmetry group of ``A``, each a permutation of the
        hyperplane indices ``0..n−1`` in one-line notation (``g[i]`` is the
        image of hyperplane i), such as
        [`library.threshold_symmetry`][hyperarr.library.threshold_symmetry].
        Each is verified exactly: it must be induced by an invertible affine
        map of $\mathbb{R}^d$ (linear if ``A`` is central) that carries every
        hyperplane i onto hyperplane ``g[i]``.  The result does not depend
        on it; the time does.  The group is enumerated (up to 2**27 entries:
        elements × hyperplanes), and the first depths of the count keep one
        restriction per orbit, weighted by how many it stands for (see
        Notes); threshold(7) takes about 5 s with the cube's group, and
        35 s without.
    progress : bool, default False
        Show a progress bar (tqdm, on stderr) once the count has run for a
        second.

    Returns
    -------
    tuple of int
        Coefficient of $t^k$ at index k (the order of Sage's ``.list()``),
        length ``A.dim + 1``.

    Raises
    ------
    ArrangementError
        If a generator is not a permutation of the indices, or not a symmetry.
    OutputTooLargeError
        If the count would not fit its budget (the message gives the
        estimate); nothing long runs first.

    Notes
    -----
    In general position (decided exactly by [`Arrangement.is_generic`][hyperarr.arrangement.Arrangement.is_generic])
    $\chi(t) = \sum_k (-1)^k \binom{n}{k} t^{d-k}$.  Otherwise deletion–restriction,
    $\chi(B) = t^k - \sum_j \chi(B_j)$ with $B_j$ the restriction of the hyperplanes
    before $H_j$ to $H_j$, runs depth by depth over the cone of ``A``; the
    coefficient of depth l is the number of restrictions met there.
    Restrictions are merged by an exact canonical key (their traces in the
    free coordinates of their flat), so each is expanded once however
    often it occurs.  The arithmetic is over a prime field whose prime
    exceeds the Hadamard bound of every minor of the input, which makes it
    exact; larger inputs run the same recursion on integers.  Repeated
    hyperplanes do not change $\chi$.

    With ``symmetry``, a restriction is first held by its coloring of the
    hyperplanes: those containing its flat, and those whose trace on the
    flat is one of its traces.  A symmetry maps the coloring of B onto that
    of its image, which has the same $\chi$, so each child is replaced by the
    canonical (lexicographically largest) image of its coloring under the
    group and equal images are merged.  Once a depth holds more than a
    thousand orbits, the count goes on by key from the orbit
    representatives; if that refuses a later depth (its budget is checked
    before it starts), one more depth is counted up to symmetry and the
    switch is tried again.

    Examples
    --------
    >>> from hyperarr import library
    >>> characteristic_polynomial(library.five_lines())
    (10, -5, 1)
    >>> characteristic_polynomial(library.braid(3))
    (0, 2, -3, 1)
    >>> A = library.threshold(3)
    >>> characteristic_polynomial(A, library.threshold_symmetry(3))
    (23, -44, 28, -8, 1)
    """
    A = checked(A)
    return _chi(A, symmetry, progress)


def _chi(A: "Arrangement", symmetry: Any, progress: bool,
         count: Callable[..., list[int]] | None = None) -> tuple[int, ...]:
    """χ of ``A``; ``count(rows, dim, progress=...)`` gives the Betti numbers
    of the cone (default: `hyperarr._levels.betti_central`, in this process)."""
    prep = A._prepared
    gens = _symmetries(A, symmetry)
    generic, refusal = _known_generic(A)
    d = A.dim
    if len(prep.rows) == A.n and generic:
        # General position: every set of k <= d hyperplanes is a flat of
        # codimension k with Möbius value (-1)^k, and there are no others.
        coeffs = [0] * (d + 1)
        for k in range(d + 1):
            coeffs[d - k] = (-1) ** k * math.comb(A.n, k)
        return tuple(coeffs)
    rows, dim, central = _cone(A)
    if _levels.field_prime(_levels.hadamard_bound_squared(rows, dim)) is None:
        # Large entries: the exact integer recursion, which is slow; refuse
        # what looks generic and too large for it.
        h = len(prep.rows)
        bound = region_count(h, A.rank())
        if bound > Lattice.max_flats and probably_generic(prep.rows, d):
            raise OutputTooLargeError(
                f"the arrangement looks generic, so its count would meet Σ_k C({h}, k) = "
                f"{bound} restrictions (limit {Lattice.max_flats}), and deciding general "
                f"position exactly was refused: {refusal or 'the check was not run'}; call "
                "A.is_generic(max_checks=...) first, after which χ has a closed form")
    with _progress_bar(progress, dim) as report:
        betti = None
        if (gens and count is None and len(rows) <= _orbits.MAX_HYPERPLANES
                and _orbits.pays(rows, dim)):
            group = _orbits.group(gens, len(rows))
            if len(group) > 1:
                betti = _orbits.betti_orbits(rows, dim, group, progress=report)
        if betti is None:
            betti = (count or _levels.betti_central)(rows, dim, progress=report)
    coeffs = [0] * (dim + 1)
    for k, b in enumerate(betti):
        coeffs[dim - k] = (-1) ** k * b
    if not central:
        coeffs = _divide_by_t_minus_1(coeffs)
    return tuple(coeffs)


def _cone(A: "Arrangement") -> tuple[list[tuple[int, ...]], int, bool]:
    """Integer rows of the central arrangement the count runs on: the normals
    if ``A`` is central through the origin, else the cone ``[a | −b]`` with
    the hyperplane at infinity last; its dimension; and which it is."""
    rows = A._prepared.rows
    d = A.dim
    if all(r[-1] == 0 for r in rows):
        return [tuple(r[:-1]) for r in rows], d, True
    cone = [tuple(r[:-1]) + (-r[-1],) for r in rows]
    cone.append((0,) * d + (1,))
    return cone, d + 1, False


def _symmetries(A: "Arrangement", symmetry: Any) -> list[Any]:
    if symmetry is None:
        return []
    rows, _, central = _cone(A)
    return verified(symmetry, A.n, A._prepared.column.tolist(), rows, fixed_last=not central)


def _divide_by_t_minus_1(coeffs: list[int]) -> list[int]:
    """χ_A from χ_{cA} = (t − 1) χ_A (coefficients lowest degree first)."""
    out = [0] * (len(coeffs) - 1)
    carry = 0
    for k in range(len(coeffs) - 1, 0, -1):
        carry = coeffs[k] + carry
        out[k - 1] = carry
    return out


class _progress_bar:
    """A tqdm bar over the depths of the count, shown after one second: the
    depth, the distinct restrictions of that depth and of all depths so far,
    and an estimate of the depth's time (its pairs of traces at the rate of
    the depths before it)."""

    def __init__(self, enabled: bool, depths: int) -> None:
        self.enabled = enabled
        self.depths = depths
        self.bar: Any = None

    def __enter__(self) -> Callable[[int, int, int], None] | None:
        if not self.enabled:
            return None
        from tqdm.auto import tqdm

        self.bar = tqdm(total=self.depths, desc="χ by depth", unit="depth", delay=1.0,
                        leave=False)
        state = {"start": time.perf_counter(), "pairs": 0, "restrictions": 0, "last": 0}

        def report(depth: int, restrictions: int, pairs: int) -> None:
            elapsed = time.perf_counter() - state["start"]
            state["restrictions"] += restrictions
            done = state["pairs"]
            eta = f"~{pairs * elapsed / done:.0f} s" if done and pairs else "?"
            state["pairs"] += pairs
            self.bar.set_postfix(restrictions=restrictions, so_far=state["restrictions"],
                                 depth_eta=eta, refresh=False)
            self.bar.update(depth - self.bar.n)  # drawn only once `delay` has passed

        return report

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def betti_numbers(A: "Arrangement", symmetry: Any = None, *,
                  progress: bool = False) -> tuple[int, ...]:
    r"""Betti numbers $b_0, \dots, b_{\mathrm{rank}}$: the absolute values of $\chi$'s coefficients, leading one first.

    Their sum is the number of regions (Zaslavsky); $b_k$ is also the k-th
    Betti number of the complement of the complexified arrangement.
    ``symmetry`` and ``progress`` are as in
    [`characteristic_polynomial`][hyperarr.characteristic_polynomial].

    Examples
    --------
    >>> from hyperarr import library
    >>> betti_numbers(library.resonance(4))
    (1, 15, 80, 170, 104)
    >>> sum(_) == library.resonance(4).n_regions()
    True
    """
    A = checked(A)
    chi = _chi(A, symmetry, progress)
    d = A.dim
    return tuple(abs(chi[d - k]) for k in range(A.rank() + 1))


def poincare_polynomial(A: "Arrangement") -> tuple[int, ...]:
    r"""Poincaré polynomial $\pi_A(t) = \sum_k b_k t^k$, as its coefficients $b_0, \dots, b_{\mathrm{rank}}$.

    Lowest degree first, as Sage's ``poincare_polynomial().list()``;
    $\pi_A(t) = (-t)^d \chi_A(-1/t)$, and $\pi_A(1)$ is the number of regions.

    Examples
    --------
    >>> from hyperarr import library
    >>> poincare_polynomial(library.braid(3))
    (1, 3, 2)
    """
    return betti_numbers(A)


def _known_generic(A: "Arrangement") -> tuple[bool, str | None]:
    """``A.is_generic()`` and None; or False and the refusal, when that check itself
    would be too large."""
    try:
        return A.is_generic(), None
    except OutputTooLargeError as exc:
        return False, str(exc)


def n_regions(A: "Arrangement", symmetry: Any = None, *, progress: bool = False) -> int:
    r"""Number of regions, $(-1)^d \chi(-1)$ (Zaslavsky), without enumerating them.

    ``symmetry`` and ``progress`` are as in
    [`characteristic_polynomial`][hyperarr.characteristic_polynomial].

    Examples
    --------
    >>> from hyperarr import library
    >>> n_regions(library.shi(3))
    16
    >>> n_regions(library.threshold(6), library.threshold_symmetry(6))
    15028134
    """
    chi = characteristic_polynomial(A, symmetry, progress=progress)
    return abs(sum(c * (-1) ** k for k, c in enumerate(chi)))


def n_bounded_regions(A: "Arrangement", symmetry: Any = None, *, progress: bool = False) -> int:
    r"""Number of relatively bounded regions, $(-1)^{\mathrm{rank}} \chi(1)$ (Zaslavsky), without enumerating them.

    A region is relatively bounded when it is bounded modulo the lineality
    space of the normals, which is what Sage's ``n_bounded_regions`` counts.
    For an essential arrangement this is the number of regions that are
    compact in $\mathbb{R}^d$ (``Regions.bounded``); for a non-essential one (braid,
    Shi) no region is compact, yet this count can be positive.
    ``symmetry`` and ``progress`` are as in
    [`characteristic_polynomial`][hyperarr.characteristic_polynomial].

    Examples
    --------
    >>> from hyperarr import library
    >>> n_bounded_regions(library.five_lines())
    6
    """
    return abs(sum(characteristic_polynomial(A, symmetry, progress=progress)))


def _lattice_chi(A: "Arrangement") -> tuple[int, ...]:
    """χ by deletion–restriction over the whole intersection lattice (private
    cross-check of the level-by-level count; refuses lattices over
    ``Lattice.max_flats`` flats)."""
    A = checked(A)
    table = _flat_chi(A._lattice, A._lattice.top)
    return tuple(int(c) for c in table[-1])


# A lower bound on the regions, within a time budget


#: Pairs of traces a depth of `_regions_lower_bound` or `_flats_lower_bound` may first intersect.
LOWER_BOUND_PAIRS = 2**17
#: Most pairs of traces a depth of either bound intersects (its memory: about 100 bytes each).
MAX_BOUND_PAIRS = 2**21


def _regions_lower_bound(A: "Arrangement", target: int, seconds: float, *,
                        pairs: int | None = None) -> int | None:
    r"""A lower bound on the regions of ``A``, found within about ``seconds``; None where the
    count runs on exact integers (large entries), which no pass here can keep short.

    ``pairs``, if given, is every depth's budget instead, and no time limit applies (the
    bound is then the same on every machine).

    The bound is the count of `hyperarr._levels` on a pruned recursion: before
    each depth, when the restrictions would take more pairs of traces than
    the depth's budget, each keeps only its first traces, and those of least
    multiplicity are dropped.  The budget starts at `LOWER_BOUND_PAIRS` and
    grows to each depth's share of the time left, at the rate (pairs per
    second) of the depth before it; the count stops as soon as it passes
    ``target``.

    Soundness.  On the cone (central, $r(cA) = 2\,r(A)$ when ``A`` is not
    central), the count rests on $r(B) = 1 + \sum_j r(B_j)$, where $B_j$ is
    the restriction of the traces before $t_j$ to $t_j$ (deletion–restriction
    in order), each restriction adding its 1 at its own depth.  Replacing a
    restriction B by a sub-arrangement $B' \subseteq B$ (its first traces; the
    empty one when it is dropped) can only lower the value: every region of
    $B'$ contains a region of B, and they are disjoint, so $r(B') \le r(B)$;
    by induction on the depth, the pruned recursion counts at most $r(cA)$.
    At any depth, what is counted so far plus $2m - 1$ for each waiting
    restriction of m ≥ 1 traces is still a lower bound: m distinct
    hyperplanes through a point cut a generic plane through it into 2m
    sectors, each in its own region, so $r \ge 2m$.  The arithmetic is that
    of the exact count (a prime above the Hadamard bound of the input).
    """
    rows, dim, central = _cone(A)
    if not rows:
        return 1
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
    if p is None:
        return None
    deadline = math.inf if pairs else time.perf_counter() + seconds
    lev: Any = _levels.start(rows, dim, p)
    total, depth, rate, budget = 1, 0, 0.0, pairs or LOWER_BOUND_PAIRS
    while lev is not None and len(lev.mult):
        # What is counted, plus r ≥ 2m for each waiting restriction.
        found = total + int((lev.mult * (2 * lev.sizes - 1)).sum())
        now = time.perf_counter()
        if (found if central else found // 2) > target or now > deadline:
            break
        # The depth's share of the time left (restrictions of dimension 3 are
        # finished by the next step), at the rate of the depth before.
        if not pairs and rate:
            share = int(rate * (deadline - now) / max(1, dim - 2 - depth))
            budget = max(budget, min(share, MAX_BOUND_PAIRS))
        if _levels.pairs_of(lev) > budget:
            lev = _pruned(lev, budget)
        done = _levels.pairs_of(lev)
        got, lev = _levels.expand(lev, p, dim, depth)
        total += sum(got)
        depth += 1
        if done >= LOWER_BOUND_PAIRS // 2:  # a rate measured on a depth of some size
            rate = done / max(time.perf_counter() - now, 1e-6)
    else:
        found = total
    return found if central else found // 2


def _pruned(lev: Any, budget: int) -> Any:
    """``lev`` with each restriction cut to its first ``sqrt(2·budget)`` traces, keeping the
    restrictions of largest multiplicity (then most traces) whose pairs fit ``budget``."""
    sizes = lev.sizes
    keep = np.minimum(sizes, max(2, math.isqrt(2 * budget)))
    order = np.lexsort((-keep, -lev.mult))
    cost = np.cumsum((keep * (keep - 1) // 2)[order])
    chosen = np.sort(order[: max(1, int(np.searchsorted(cost, budget, side="right")))])
    keep = keep[chosen]
    offsets = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(keep, out=offsets[1:])
    idx = np.arange(offsets[-1]) + np.repeat(lev.offsets[chosen] - offsets[:-1], keep)
    return _levels.merge([_levels.level_from_ids(lev.keys, offsets, lev.members[idx],
                                                 lev.mult[chosen])])


# A lower bound on the flats, within a time budget

#: Time spent on a lower bound on the flats before the intersection lattice is built.
FLATS_LOWER_BOUND_SECONDS = 2.0


def _check_lattice(A: "Arrangement", min_dim: int, what: str) -> None:
    r"""Refuse at once a call whose walk of the intersection lattice would build more than
    ``Lattice.max_flats`` flats of dimension at least ``min_dim``.

    The walk would refuse too, but only once it has built them (117 s and 2.5 GB
    for ``threshold(7).face_vector()``).  Tried only when the cheap upper bound
    $\sum_{k} \binom{h}{k}$ over the codimensions k that such flats can have
    (h distinct hyperplanes) passes the limit: then the flats are counted
    exactly in general position, else bounded from below by
    `hyperarr.characteristic._flats_lower_bound` within
    `FLATS_LOWER_BOUND_SECONDS` (a lower bound below the limit refuses nothing).
    """
    limit = Lattice.max_flats
    h = len(A._prepared.rows)
    top = min(A.rank(), A.dim - min_dim)
    upper = sum(math.comb(h, k) for k in range(top + 1))
    if upper <= limit:
        return
    generic = h == A.n and _known_generic_or_check(A)
    if generic:
        found, how = upper, f"Σ_k C({h}, k) for k ≤ {top}, in general position"
    else:
        found = _flats_lower_bound(A, min_dim, limit, FLATS_LOWER_BOUND_SECONDS) or 0
        how = "a lower bound: the flats of parts of it"
    if found > limit:
        raise OutputTooLargeError(
            f"{what} needs the intersection lattice, and it has {'' if generic else 'at least '}"
            f"{found} flats of dimension ≥ {min_dim} ({how}), more than max_flats={limit} "
            f"(an arrangement of {h} distinct hyperplanes in R^{A.dim}); this exact computation "
            "would not fit in memory")


def _known_generic_or_check(A: "Arrangement") -> bool:
    """Whether ``A`` is in general position (False where deciding it is over its own budget)."""
    try:
        return A.is_generic()
    except OutputTooLargeError:
        return False



def _flats_lower_bound(A: "Arrangement", min_dim: int, target: int, seconds: float, *,
                      pairs: int | None = None) -> int | None:
    r"""A lower bound on the flats of ``A`` of dimension at least ``min_dim``, found within about
    ``seconds`` (or with ``pairs`` pairs of traces a depth, and no time limit); None where
    the entries are too large for the count's prime field.

    Each flat is counted once, by a recursion over the cone with hyperplanes in
    order, some of them *forbidden*: $N(C, E)$, the flats of the hyperplanes C
    that lie in no hyperplane of E, is 1 (the whole space) plus, over the
    hyperplanes g of C in order, $N(C^g, E^g)$, where on g the traces of E and
    of the hyperplanes of C before g are forbidden, and those of the later ones
    (not equal to a forbidden trace) are not.  Every flat X other than the whole
    is counted under the first g that contains it, once: X is cut out by the
    traces that contain it, none forbidden.  The flats of ``A`` are those of its
    cone in no hyperplane at infinity, so that one is forbidden from the start
    (a flat of ``A`` of dimension k is one of dimension k + 1 of its cone).

    Soundness of the bound.  Dropping hyperplanes of C (not of E) can only
    lower $N(C, E)$: a flat of the remaining ones is a flat of C, in no
    hyperplane of E all the same.  So each depth is pruned to its budget, as
    in `_regions_lower_bound` (restrictions of least multiplicity dropped, the
    others cut to their first hyperplanes of C).  What a pruned or unfinished
    restriction of dimension k leaves out is still counted in part: each of
    its hyperplanes in C is a flat of dimension k − 1 in no hyperplane of E,
    counted nowhere else.  Decisions are exact, over a prime field whose prime
    exceeds the Hadamard bound of the input.

    The count stops once it passes ``target``; also, while nothing has been
    pruned, once it proves there are at most ``target`` flats (a restriction
    with a hyperplanes of C holds at most $\sum_{i \ge 1} \binom{a}{i}$ flats inside it, over
    the codimensions that count), and returns what it has: a lattice that
    fits pays for no more of the bound than that.
    """
    rows, dim, central = _cone(A)
    shift = 0 if central else 1
    need = min_dim + shift
    if not rows:
        return int(dim >= need)
    p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
    if p is None:
        return None
    F = _levels._Field(p, dim)
    keys, ids = _levels._unique_rows(F.pack(F.normalize(_levels.residues(rows, dim, p).astype(np.float64))))
    flags = np.zeros(len(keys), dtype=np.int8)
    if not central:
        flags[ids[-1]] = 1  # the hyperplane at infinity
    lev = _FlatLevel(keys, np.array([0, len(keys)], dtype=np.int64), np.arange(len(keys), dtype=np.int64),
                     flags, np.ones(1, dtype=np.int64))
    deadline = math.inf if pairs else time.perf_counter() + seconds
    total, k, rate, budget = int(dim >= need), dim, 0.0, pairs or LOWER_BOUND_PAIRS
    level: _FlatLevel | None = lev
    exact = True  # nothing pruned yet: `total` counts every flat above this depth
    while level is not None and k - 1 >= need:
        # The restrictions to the traces not forbidden are flats of dimension k − 1.
        now = time.perf_counter()
        if total + level.bonus() > target or now > deadline:
            return total + level.bonus()
        if exact and total + level.most(k - need) <= target:
            return total  # at most `target` flats in all: the bound cannot pass it
        if not pairs and rate:
            share = int(rate * (deadline - now) / max(1, k - need))
            budget = max(budget, min(share, MAX_BOUND_PAIRS))
        whole = level
        level, left = level.pruned(budget)
        exact = exact and level is whole
        total += left + level.bonus()
        done = level.pairs()
        level = level.children(F) if k - 2 >= need else None
        k -= 1
        if done >= LOWER_BOUND_PAIRS // 2:
            rate = done / max(time.perf_counter() - now, 1e-6)
    return total


class _FlatLevel:
    """The restrictions of one depth of `_flats_lower_bound`: per restriction, its
    traces (sorted ids into ``keys``, packed vectors), which are forbidden, and its
    multiplicity."""

    def __init__(self, keys: Any, offsets: Any, members: Any, flags: Any, mult: Any) -> None:
        self.keys, self.offsets, self.members, self.flags, self.mult = keys, offsets, members, flags, mult

    def _free_before(self) -> Any:
        """How many traces not forbidden come before each position (and the end)."""
        return np.concatenate([[0], np.cumsum(self.flags == 0)])

    def allowed(self) -> Any:
        """The traces of each restriction that are not forbidden."""
        before = self._free_before()
        return before[self.offsets[1:]] - before[self.offsets[:-1]]

    def bonus(self) -> int:
        """Σ mult · (traces not forbidden): flats one dimension down, counted nowhere else."""
        return int((self.mult * self.allowed()).sum())

    def most(self, codim: int) -> int:
        """At most how many flats lie strictly inside the restrictions, of codimension up to
        ``codim`` in them, in no forbidden trace: each is cut out by i ≤ ``codim`` traces
        not forbidden, so a restriction with a of them has at most Σ_i C(a, i)."""
        pairs, times = np.unique(np.stack([self.allowed(), self.mult]), axis=1, return_counts=True)
        return sum(int(t) * m * sum(math.comb(a, i) for i in range(1, codim + 1))
                   for (a, m), t in zip(pairs.T.tolist(), times.tolist()))

    def pairs(self) -> int:
        """(trace not forbidden, other trace) pairs: the work of `children`."""
        return int((self.allowed() * (np.diff(self.offsets) - 1)).sum())

    def pruned(self, budget: int) -> tuple["_FlatLevel", int]:
        """The level cut to ``budget`` pairs, and the bonus of what was cut."""
        if self.pairs() <= budget:
            return self, 0
        sizes = np.diff(self.offsets)
        allowed = self.allowed()
        forbidden = sizes - allowed
        # At most about sqrt(budget) allowed traces each, then whole restrictions by multiplicity.
        keep_allowed = np.minimum(allowed, max(1, math.isqrt(budget)))
        cost = keep_allowed * (forbidden + keep_allowed - 1)
        order = np.lexsort((-keep_allowed, -self.mult))
        chosen = np.zeros(len(sizes), dtype=bool)
        chosen[order[: max(1, int(np.searchsorted(np.cumsum(cost[order]), budget, side="right")))]] = True
        keep_allowed[~chosen] = 0
        left = int((self.mult * (allowed - keep_allowed)).sum())
        # The first keep_allowed traces not forbidden of each chosen restriction, and every forbidden one.
        owner = np.repeat(np.arange(len(sizes)), sizes)
        free = self.flags == 0
        before = self._free_before()
        rank = before[1:] - before[self.offsets[:-1]][owner]  # 1, 2, ... among those not forbidden
        keep = chosen[owner] & (~free | (rank <= keep_allowed[owner]))
        counts = np.bincount(owner[keep], minlength=len(sizes))[chosen]
        offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return _FlatLevel(self.keys, offsets, self.members[keep], self.flags[keep], self.mult[chosen]), left

    def children(self, F: Any) -> "_FlatLevel | None":
        """The restrictions to each trace not forbidden, identical ones merged."""
        sizes = np.diff(self.offsets)
        V = len(self.keys)
        # Pairs (g, h): g a trace not forbidden of restriction t, h another trace of t.
        owner = np.repeat(np.arange(len(sizes)), sizes)
        pos = np.arange(len(self.members)) - np.repeat(self.offsets[:-1], sizes)
        g_at = np.flatnonzero(self.flags == 0)
        if not len(g_at):
            return None
        n_other = sizes[owner[g_at]] - 1
        child = np.repeat(np.arange(len(g_at)), n_other)
        g = np.repeat(g_at, n_other)
        step = np.arange(len(child)) - np.repeat(np.cumsum(n_other) - n_other, n_other)
        h = self.offsets[owner[g]] + step
        h += h >= g  # skip g itself
        codes = self.members[g] * V + self.members[h]
        distinct = _levels._distinct(codes)
        keys, tid = _levels._trace_table(F, F.unpack(self.keys), distinct, 1 << 18)
        t = tid[np.searchsorted(distinct, codes)]
        # Forbidden on g: a forbidden trace, or one before g (a trace equal to a
        # forbidden one is forbidden: the largest flag of each child's trace wins).
        flag = ((self.flags[h] == 1) | (pos[h] < pos[g])).astype(np.int64)
        W = len(keys)
        u = _levels._distinct((child * W + t) * 2 + flag)
        if not len(u):
            return None
        last = np.r_[u[1:] // 2 != u[:-1] // 2, True]
        u = u[last]
        c_of, rest = np.divmod(u // 2, W)
        # Merge identical children: same traces with the same flags.
        code = (rest * 2 + u % 2).astype(np.int64)
        starts = np.flatnonzero(np.r_[True, c_of[1:] != c_of[:-1]])
        lengths = np.diff(np.r_[starts, len(c_of)])
        parent_mult = self.mult[owner[g_at]][c_of[starts]]
        rows_out, mult_out, len_out = [], [], []
        for L in _levels._distinct(lengths).tolist():
            sel = np.flatnonzero(lengths == L)
            mat = np.ascontiguousarray(code[(starts[sel][:, None] + np.arange(L)[None, :])])
            view = mat.view(np.dtype((np.void, 8 * L))).ravel()
            uniq, first, inv = np.unique(view, return_index=True, return_inverse=True)
            tot = np.zeros(len(uniq), dtype=np.int64)
            np.add.at(tot, inv.ravel(), parent_mult[sel])
            rows_out.append(mat[first].ravel())
            mult_out.append(tot)
            len_out.append(np.full(len(uniq), L, dtype=np.int64))
        if not rows_out:
            return None
        allcodes = np.concatenate(rows_out)
        used = _levels._distinct(allcodes // 2)
        offsets = np.zeros(sum(len(x) for x in len_out) + 1, dtype=np.int64)
        np.cumsum(np.concatenate(len_out), out=offsets[1:])
        return _FlatLevel(keys[used], offsets, np.searchsorted(used, allcodes // 2),
                          (allcodes % 2).astype(np.int8), np.concatenate(mult_out))


# Deletion–restriction over the lattice


def _flat_chi(lat: Lattice, flat: Flat) -> list[list[int]]:
    """Prefix table of characteristic polynomials on ``flat``.

    Entry s is χ of the arrangement of the first s traces of the flat (traces
    ordered by their first input hyperplane), as a coefficient list indexed
    by power of t.  Deletion-restriction in that order gives
    χ_s = χ_{s−1} − χ(flat ∩ trace s−1, traces before it).
    """
    if flat.chi is not None:
        return flat.chi
    dim = flat.dim
    base = [0] * (dim + 1)
    base[dim] = 1
    table = [base]
    if dim == 0:
        flat.chi = table
        return table
    if dim == 1:
        for s in range(flat.n_traces):
            cur = list(table[-1])
            cur[0] -= 1
            table.append(cur)
        flat.chi = table
        return table
    for s in range(flat.n_traces):
        child = lat.child(flat, s)
        bound = flat.trace_min[s]
        ctab = _flat_chi(lat, child)
        cnt = bisect.bisect_left(child.trace_min, bound)
        sub = ctab[cnt]
        cur = list(table[-1])
        for p, c in enumerate(sub):
            cur[p] -= c
        table.append(cur)
    flat.chi = table
    return table
