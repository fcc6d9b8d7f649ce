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


#: Pairs of traces the first depths of `regions_lower_bound` may intersect (later ones: more, as
#: their share of the time left allows).
LOWER_BOUND_PAIRS = 2**17


def regions_lower_bound(A: "Arrangement", target: int, seconds: float, *,
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
            budget = max(budget, int(rate * (deadline - now) / max(1, dim - 2 - depth)))
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
