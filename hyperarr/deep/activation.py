r"""The activation regions of a network in input space, exactly.

An *activation region* is a maximal open set of inputs on which the
activation pattern is constant; the network is affine on it.  The set of
inputs with one pattern is convex (each unit adds one affine inequality,
affine because the earlier layers' pattern is fixed), so two regions never
share a pattern, and a region is named by its pattern.

Every region comes with a witness strictly inside it and inside the domain,
checked by an exact forward pass (its pattern reproduced, no kinked
pre-activation exactly 0), and with a flag saying whether it is bounded in
$\mathbb{R}^d$.  A unit whose pre-activation is identically 0 on a region counts as
inactive there and does not split it.

A network with one layer with a kink is an arrangement, and its regions are
those of [`Arrangement.regions`][hyperarr.arrangement.Arrangement.regions]
(computed by it).  Deeper networks are cut layer by layer (``_engine``).
"""

from __future__ import annotations

import math
import time
from fractions import Fraction
from typing import Any, Iterator

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact
from hyperarr.arrangement import DEFAULT_MAX_REGIONS, Arrangement
from hyperarr.deep import _engine
from hyperarr.deep._model import Model
from hyperarr.domain import Polytope, as_domain
from hyperarr.exceptions import ArrangementError, OutputTooLargeError
from hyperarr.polyhedron import RegionPolyhedron

#: The largest dimension in which deep networks are cut unless ``max_regions=None``.
MAX_DEEP_DIM = 12

#: Seconds the pilot estimate may spend; past that the count is taken as over budget.
PILOT_SECONDS = 10.0

__all__ = ["ActivationRegions", "ActivationRegion", "regions", "iter_regions", "n_regions",
           "estimate_regions", "pilot_estimate", "DEFAULT_MAX_REGIONS"]


class ActivationRegion:
    """One activation region: its pattern, a witness and whether it is bounded."""

    __slots__ = ("pattern", "point", "point_inside", "exact_point", "bounded")

    def __init__(self, pattern: tuple[int, ...], point: tuple[float, ...], point_inside: bool,
                 exact_point: tuple[Fraction, ...], bounded: bool) -> None:
        self.pattern, self.point, self.point_inside = pattern, point, point_inside
        self.exact_point, self.bounded = exact_point, bounded

    def __repr__(self) -> str:
        return (f"ActivationRegion(pattern={''.join(map(str, self.pattern))}, "
                f"point={list(self.point)}, bounded={self.bounded})")


class ActivationRegions:
    r"""A table of activation regions of a [`Network`][hyperarr.deep.Network].

    Attributes
    ----------
    patterns : ndarray of int8, shape (m, n_units)
        0/1, one column per unit with a kink, layer after layer.
    points : ndarray of float64, shape (m, d)
        A witness of each region; strictly inside it where ``points_inside``,
        else the float nearest to ``exact_points[k]``.
    points_inside : ndarray of bool, shape (m,)
    exact_points : tuple of tuples of Fraction
        An exact witness of each region, strictly inside it and the domain.
    bounded : ndarray of bool, shape (m,)
        Whether the region, in all of $\mathbb{R}^d$, is bounded.
    """

    __slots__ = ("net", "_patterns", "_points", "_inside", "_exact", "_bounded", "_pending",
                 "__weakref__")

    def __init__(self, net: Model, patterns: NDArray[np.int8], points: NDArray[np.float64],
                 inside: NDArray[np.bool_], exact: NDArray[Any], bounded: NDArray[np.bool_],
                 pending: Any = None) -> None:
        self.net = net
        for a in (patterns, points, inside, exact):
            a.setflags(write=False)
        self._patterns, self._points, self._inside = patterns, points, inside
        self._exact, self._bounded = exact, bounded
        # (plan, rows): the rows whose bounded flag is decided on first use (regions that
        # reach the domain's boundary: their cone over all of R^d is replayed).
        self._pending = pending
        if pending is None:
            bounded.setflags(write=False)

    @property
    def patterns(self) -> NDArray[np.int8]:
        """The activation patterns, (m, n_units) int8 of 0/1."""
        return self._patterns

    @property
    def points(self) -> NDArray[np.float64]:
        """Float64 witnesses, (m, d)."""
        return self._points

    @property
    def points_inside(self) -> NDArray[np.bool_]:
        """Whether each float witness lies strictly inside its region (checked exactly)."""
        return self._inside

    @property
    def exact_points(self) -> tuple[tuple[Fraction, ...], ...]:
        """An exact witness of each region, as Fractions."""
        return tuple(tuple(Fraction(v) for v in p) if x is None else tuple(x)
                     for p, x in zip(self._points.tolist(), self._exact.tolist()))

    @property
    def bounded(self) -> NDArray[np.bool_]:
        r"""Whether each region is bounded in $\mathbb{R}^d$, decided exactly.

        For the regions that reach the domain's boundary it is decided on
        first use: their cone over all of $\mathbb{R}^d$ is replayed along the
        pattern.
        """
        if self._pending is not None:
            plan, idx = self._pending
            self._bounded[idx] = _engine.bounded_in_space(plan, self._patterns[idx].astype(np.uint8))
            self._bounded.setflags(write=False)
            self._pending = None
        return self._bounded

    def __len__(self) -> int:
        return int(self._patterns.shape[0])

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, (int, np.integer)):
            k = int(key)
            if not -len(self) <= k < len(self):
                raise IndexError(f"region index {k} out of range for {len(self)} regions")
            return ActivationRegion(tuple(self._patterns[k].tolist()), tuple(self._points[k].tolist()),
                                    bool(self._inside[k]), self.exact_points[k], bool(self._bounded[k]))
        idx = np.arange(len(self))[key]
        return ActivationRegions(self.net, self._patterns[idx], self._points[idx], self._inside[idx],
                                 self._exact[idx], self.bounded[idx])

    def __repr__(self) -> str:
        return f"ActivationRegions(m={len(self)}, n_units={self._patterns.shape[1]}, d={self._points.shape[1]})"

    def index_of(self, pattern: Any) -> int:
        """The row of the region with this pattern; KeyError if there is none."""
        p = np.asarray(pattern, dtype=np.int8).reshape(-1)
        hit = np.flatnonzero((self._patterns == p).all(axis=1))
        if not hit.size:
            raise KeyError("no region has this pattern")
        return int(hit[0])

    def polyhedron(self, k: int) -> RegionPolyhedron:
        r"""Region ``k`` in input space (all of $\mathbb{R}^d$) as an exact [`RegionPolyhedron`][hyperarr.polyhedron.RegionPolyhedron].

        Its facets are named by unit: the column of ``patterns`` of a unit
        whose pre-activation vanishes on a facet (units that vanish on the same
        hyperplane there are named once, by the first, with their copies).
        The exact cone of the region is replayed along its pattern, layer
        after layer, and the facets are decided by rank, exactly.

        Examples
        --------
        >>> from hyperarr.deep import Network
        >>> net = Network([([[1, 0], [0, 1]], [0, 0], "relu"),
        ...                ([[1, 1]], [-1], "relu")])
        >>> R = net.regions()
        >>> P = R.polyhedron(R.index_of([1, 1, 0]))    # x, y > 0, x + y < 1
        >>> P.facets, P.bounded, str(P.volume())
        ((0, 1, 2), True, '1/2')
        """
        m = len(self)
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not -m <= int(k) < m:
            raise ArrangementError(f"k must be a region index in [-{m}, {m}); got {k!r}")
        plan = _engine.Plan(self.net, None)
        bits = self._patterns[int(k) % m].tolist()
        cell, _, rows = _engine.exact_cell(plan, bits)
        labels = {L["hid0"] + j: L["hid0"] + j - 1 for L in plan.layers for j in range(L["k"])}
        return RegionPolyhedron._from_cone(cell, self.net.input_dim, rows, labels)

    def affine_map(self, k: int, exact: bool = False) -> tuple[NDArray[Any], NDArray[Any]]:
        """(M, c) with output = M x + c on region k: float64, or exact (object) arrays."""
        return self.net.affine_map(self._patterns[int(k)], exact=exact)

    @classmethod
    def concatenate(cls, parts: list["ActivationRegions"], net: Model) -> "ActivationRegions":
        """The rows of ``parts``, one after another."""
        d, U = net.input_dim, net.n_units
        if not parts:
            return cls(net, np.zeros((0, U), dtype=np.int8), np.zeros((0, d)), np.zeros(0, dtype=bool),
                       np.empty(0, dtype=object), np.zeros(0, dtype=bool))
        return cls(net, np.concatenate([p._patterns for p in parts]),
                   np.concatenate([p._points for p in parts]),
                   np.concatenate([p._inside for p in parts]),
                   np.concatenate([p._exact for p in parts]),
                   np.concatenate([p._bounded for p in parts]),
                   _merge_pending(parts))


def _merge_pending(parts: list[ActivationRegions]) -> Any:
    """The pending bounded flags of tables put one after another (one plan)."""
    idx = []
    plan = None
    start = 0
    for p in parts:
        if p._pending is not None:
            plan = p._pending[0]
            idx.append(p._pending[1] + start)
        start += len(p)
    return None if plan is None else (plan, np.concatenate(idx))


def _checked(net: Any) -> Model:
    if not isinstance(net, Model):
        raise ArrangementError(f"net must be a hyperarr.deep.Network; got {type(net).__name__}")
    return net


def _domain(net: Model, domain: Any) -> Polytope | None:
    return None if domain is None else as_domain(domain, net.input_dim)


def _single_layer(net: Model) -> Arrangement | None:
    """The arrangement of the network's one kinked layer, when it has one and every unit
    has a nonzero normal (then its regions are the arrangement's)."""
    if len(net._kinked) != 1:
        return None
    W, b = net._kinked[0]["W"], net._kinked[0]["b"]  # exact, identity layers folded in
    if any(all(v == 0 for v in row) for row in W.tolist()):
        return None
    return Arrangement.from_linear(W, b)


def _from_arrangement(net: Model, R: Any) -> ActivationRegions:
    """An arrangement's regions table as activation regions (pattern: sign > 0)."""
    exact = np.empty(len(R), dtype=object)
    ex = R.exact_points
    for i in np.flatnonzero(~R.points_inside).tolist():
        exact[i] = ex[i]
    return ActivationRegions(net, (R.signs > 0).astype(np.int8), np.array(R.points),
                             np.array(R.points_inside), exact, np.array(R.bounded))


def _table(plan: _engine.Plan, block: _engine.Block) -> ActivationRegions:
    X, inside, exact = _engine.witnesses(plan, block)
    ex = np.empty(len(exact), dtype=object)
    for i, v in enumerate(exact):
        ex[i] = v
    pending = None
    if plan.domain is None:
        bounded = ~block.cells.has_infinity()
    else:
        touch = block.cells.touches(1, 1 + plan.F)
        bounded = ~touch
        if touch.any():
            pending = (plan, np.flatnonzero(touch))
    return ActivationRegions(plan.net, block.patterns.astype(np.int8), X, inside, ex, bounded, pending)


def estimate_regions(net: Model, domain: Any = None, samples: int = 4096, seed: int = 0) -> dict[str, Any]:
    r"""Estimates of the number of regions before any enumeration, in well under a second.

    Returns a dict: ``upper_bound`` (the product over the kinked layers of
    $\sum_{i \le d} \binom{k}{i}$, Zaslavsky's bound for k hyperplanes in
    $\mathbb{R}^d$: proven)
    and ``sampled`` (distinct
    patterns of random points in the domain, or in a box around the first
    layer's hyperplanes: a lower bound, up to points on boundaries).
    """
    net = _checked(net)
    P = _domain(net, domain)
    d = net.input_dim
    ub = 1
    for l in net._layers:
        if l.kinked:
            ub *= sum(math.comb(int(l.W.shape[0]), i) for i in range(d + 1))
    out: dict[str, Any] = {"upper_bound": ub}
    rng = np.random.default_rng(seed)
    if P is None:
        lo, hi = -4.0, 4.0
        X = rng.uniform(lo, hi, size=(samples, d))
    else:
        from hyperarr.domain import Box

        if isinstance(P, Box):
            lo_v = np.array([float(v) for v in P.lo])
            hi_v = np.array([float(v) for v in P.hi])
            X = lo_v + rng.random((samples, d)) * (hi_v - lo_v)
        else:
            c = np.array([float(v) for v in P.interior_point])
            X = c + rng.normal(size=(samples, d))
            X = X[P.contains(X, strict=True)]
    if X.shape[0]:
        packed = np.packbits(net.pattern(X).astype(np.uint8), axis=1)
        out["sampled"] = int(np.unique(packed.view(np.dtype((np.void, packed.shape[1])))).shape[0])
    else:
        out["sampled"] = 0
    return out


def pilot_estimate(net: Model, P: Polytope | None, budget: int, samples: int = 32,
                   seed: int = 0) -> tuple[int, int] | None:
    r"""(estimate, first-layer cells): the number of regions estimated by following a
    random sample of the first kinked layer's cells to the end (unbiased: that layer's
    count times the mean number of regions a sampled cell holds).  The sample's walk
    stops early once it shows more than ``budget`` regions in all.  None where there is
    nothing to estimate (one kinked layer, or a first layer without full rank in
    $\mathbb{R}^d$)."""
    if len(net._kinked) < 2:
        return None
    plan = _engine.Plan(net, P)
    if P is None and plan.first_rank() < net.input_dim:
        return None
    n1 = _engine.first_level_size(plan)
    s = min(samples, n1)
    if s == 0:
        return 0, 0
    pick = np.sort(np.random.default_rng(seed).choice(n1, size=s, replace=False))
    cap = max(1, budget) * s // n1 + 1
    try:
        got = sum(len(b.patterns) for b in _engine.walk(
            plan, chunk=10_000, limit=cap, first=pick, deadline=time.monotonic() + PILOT_SECONDS))
    except (_engine._OverLimit, _engine._OverTime) as exc:
        got = max(exc.count, cap)  # past the budget, or too slow to follow: at least the budget
    return (got * n1 + s - 1) // s, n1


def _refuse_upfront(net: Model, P: Polytope | None, max_regions: int | None) -> None:
    """Refuse, before the work, an output over ``max_regions``, naming the estimate."""
    if max_regions is None:
        return
    if P is not None and type(P).__name__ == "Box" and 2**net.input_dim > max(max_regions, 2**20):
        raise OutputTooLargeError(
            f"a box in R^{net.input_dim} has 2^{net.input_dim} vertices, over max_regions={max_regions}; "
            "restrict the network to a plane with net.on_plane(p0, p1, p2)")
    if len(net._kinked) >= 2:
        dim = _engine.Plan(net, None).first_rank() if P is None else net.input_dim
        if dim > MAX_DEEP_DIM:
            raise OutputTooLargeError(
                f"the network's cells live in R^{dim} (at least 2^{dim} = {2**dim:,} regions, each "
                f"a polyhedron that may have very many vertices); hyperarr cuts deep networks' cells "
                f"in at most {MAX_DEEP_DIM} dimensions under max_regions: restrict the network to a "
                "plane with net.on_plane(p0, p1, p2), or pass max_regions=None to try anyway")
    if P is None:
        rank = _engine.Plan(net, None).first_rank()
        if 2**rank > max_regions:
            raise OutputTooLargeError(
                f"the network has at least 2^{rank} = {2**rank:,} regions in R^{net.input_dim} (its "
                f"first layer holds {rank} independent units), over max_regions={max_regions:,}; "
                "stream them with net.iter_regions(...), restrict the network to a plane with "
                "net.on_plane(p0, p1, p2), or pass max_regions=None")
    est = estimate_regions(net, P, samples=1024)
    if est["sampled"] > max_regions:
        raise OutputTooLargeError(
            f"the network has at least {est['sampled']:,} regions in this domain (distinct patterns "
            f"of 1,024 random inputs; at most {est['upper_bound']:,} by Zaslavsky's bound per layer), "
            f"over max_regions={max_regions:,}; stream them with net.iter_regions(domain, chunk_size=...) "
            "or pass max_regions=None")
    if est["upper_bound"] <= max_regions:
        return
    pilot = pilot_estimate(net, P, max_regions)
    if pilot is not None and pilot[0] > max_regions:
        raise OutputTooLargeError(
            f"the network has about {pilot[0]:,} regions in this domain (estimated from 32 of the "
            f"{pilot[1]:,} cells of its first layer, followed to the end), over "
            f"max_regions={max_regions:,}; stream them with net.iter_regions(domain, chunk_size=...) "
            "or pass max_regions=None")


def regions(net: Model, domain: Any = None, max_regions: int | None = DEFAULT_MAX_REGIONS) -> ActivationRegions:
    r"""Every activation region of ``net`` meeting ``domain``, exactly.

    Parameters
    ----------
    net : Network
    domain : None, (lo, hi) or Polytope
        None for all of $\mathbb{R}^d$; a pair for the box lo ≤ x ≤ hi; or a
        [`Polytope`][hyperarr.domain.Polytope].  A region meets the domain
        when it meets its interior.
    max_regions : int or None
        Refuse (OutputTooLargeError) rather than return more regions.

    Returns
    -------
    ActivationRegions

    Examples
    --------
    >>> from hyperarr.deep import Network
    >>> net = Network([([[1, 0], [0, 1]], [0, 0], "relu"),
    ...                ([[1, 1]], [-1], "relu")])
    >>> R = regions(net)
    >>> len(R)
    7
    >>> sorted("".join(map(str, p)) for p in R.patterns.tolist())
    ['000', '010', '011', '100', '101', '110', '111']
    """
    net = _checked(net)
    parts = list(iter_regions(net, domain, chunk_size=100_000, max_regions=max_regions))
    return ActivationRegions.concatenate(parts, net)


def iter_regions(net: Model, domain: Any = None, chunk_size: int = 100_000,
                 max_regions: int | None = None) -> Iterator[ActivationRegions]:
    """The activation regions meeting ``domain`` in tables of at most ``chunk_size`` rows.

    The cells are cut depth first, block by block, so the memory held is
    that of a few blocks, not of the whole output.
    """
    net = _checked(net)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ArrangementError(f"chunk_size must be a positive integer; got {chunk_size!r}")
    P = _domain(net, domain)
    _refuse_upfront(net, P, max_regions)
    return _iter(net, P, int(chunk_size), max_regions)


def _essential(net: Model) -> tuple[Model, list[list[Any]]] | None:
    """When the first kinked layer's normals span less than R^d: the network on the
    coordinates y of their span, x = B y (B: d × r, exact), for which they span R^r.
    The regions of ``net`` in R^d are those of this network times the kernel."""
    W = net._kinked[0]["W"].tolist()
    d = net.input_dim
    chosen: list[list[Any]] = []
    for row in W:
        if _exact.rank_exact(chosen + [row]) == len(chosen) + 1:
            chosen.append(row)
    if len(chosen) == d:
        return None
    B = [[chosen[j][i] for j in range(len(chosen))] for i in range(d)]  # d × r
    first = net._layers[0]
    W0 = [[sum((w * b for w, b in zip(row, col)), Fraction(0)) for col in zip(*B)] if B and chosen
          else [0] for row in first.W.tolist()]
    layers: list[Any] = [(W0 if chosen else [[0] for _ in W0], first.b, net.activations[0])]
    layers += [(l.W, l.b, a) for l, a in zip(net._layers[1:], net.activations[1:])]
    return type(net)(layers), B


def _lifted(net: Model, T: ActivationRegions, B: list[list[Any]]) -> ActivationRegions:
    """A table of the essential network (coordinates y) as one of ``net`` (x = B y)."""
    from hyperarr.deep._model import _forward

    r = len(B[0]) if B and B[0] else 0
    ex = []
    for y in T.exact_points:
        ex.append(tuple(sum((b * v for b, v in zip(row, y[:r])), Fraction(0)) for row in B))
    X = np.array([[_exact.to_float(v) for v in p] for p in ex], dtype=np.float64).reshape(len(ex), -1)
    fin: NDArray[np.bool_] = np.asarray(np.isfinite(X).all(axis=1), dtype=bool)
    pats, zero = _forward(net, np.where(fin[:, None], X, 0.0))
    inside = fin & (pats == T.patterns).all(axis=1) & ~zero
    exact = np.empty(len(ex), dtype=object)
    for i in np.flatnonzero(~inside).tolist():
        exact[i] = ex[i]
    return ActivationRegions(net, np.array(T.patterns), X, inside, exact, np.zeros(len(ex), dtype=bool))


def _iter(net: Model, P: Polytope | None, chunk: int, max_regions: int | None) -> Iterator[ActivationRegions]:
    if not net._kinked:
        yield _constant(net, P)  # affine everywhere: one region, the empty pattern
        return
    if P is None:
        ess = _essential(net)
        if ess is not None:
            low, B = ess
            if low.input_dim == 0 or not B[0]:
                yield _constant(net, None)
                return
            for T in _iter(low, None, chunk, max_regions):
                yield _lifted(net, T, B)
            return
    A = _single_layer(net)
    if A is not None:  # the arrangement's own enumeration, streamed when unbounded
        if max_regions is None:
            for part in A.iter_regions(chunk, domain=P):
                yield _from_arrangement(net, part)
        else:
            T = _from_arrangement(net, A.regions(max_regions=max_regions, domain=P))
            for i in range(0, len(T), chunk):
                yield T[i : i + chunk]
        return
    plan = _engine.Plan(net, P)
    try:
        for block in _engine.walk(plan, chunk=chunk, limit=max_regions):
            for i in range(0, len(block.patterns), chunk):
                sub = _engine.Block(block.patterns[i : i + chunk],
                                    block.cells.take(np.arange(i, min(i + chunk, len(block.patterns)))))
                yield _table(plan, sub)
    except _engine._OverLimit as exc:
        raise OutputTooLargeError(
            f"the network has more than {max_regions:,} regions in this domain (over {exc.count:,} "
            f"found so far), over max_regions={max_regions:,}; stream them with "
            "net.iter_regions(domain, chunk_size=...) or count them with net.n_regions(domain)") from None


def n_regions(net: Model, domain: Any = None, max_regions: int | None = DEFAULT_MAX_REGIONS) -> int:
    """The number of activation regions meeting ``domain``, exactly (no witnesses are made).

    A count estimated over ``max_regions`` is refused before the work
    (OutputTooLargeError, naming the estimate); pass None to count anyway.

    Examples
    --------
    >>> from hyperarr.deep import Network
    >>> net = Network([([[1, 0], [0, 1]], [0, 0], "relu"),
    ...                ([[1, 1]], [-1], "relu")])
    >>> n_regions(net, (-2, 2)), n_regions(net, (0, 2))
    (7, 2)
    """
    net = _checked(net)
    P = _domain(net, domain)
    if not net._kinked:
        return 1
    if P is None:
        ess = _essential(net)
        if ess is not None:
            return 1 if not ess[1][0] else n_regions(ess[0], None, max_regions)
    A = _single_layer(net)
    if A is not None:
        return A.n_regions() if P is None else _n_in(A, P)
    _refuse_upfront(net, P, max_regions)
    plan = _engine.Plan(net, P)
    try:
        return sum(len(b.patterns) for b in _engine.walk(plan, chunk=100_000, limit=max_regions))
    except _engine._OverLimit as exc:
        raise OutputTooLargeError(
            f"the network has more than {max_regions:,} regions in this domain (over {exc.count:,} "
            f"counted), over max_regions={max_regions:,}; pass max_regions=None to count them all") from None


def _constant(net: Model, P: Polytope | None) -> ActivationRegions:
    """The one region of a network whose kinked units are constant (or that has none):
    all of R^d, with the domain's interior point (or 0) as its witness."""
    from hyperarr.deep._model import _forward

    point = tuple(Fraction(0) for _ in range(net.input_dim)) if P is None else P.interior_point
    x = np.array([[_exact.to_float(v) for v in point]])
    pats, zero = _forward(net, np.array([list(point)], dtype=object))
    inside = bool(all(Fraction(f) == v for f, v in zip(x[0].tolist(), point)))
    exact = np.empty(1, dtype=object)
    if not inside:
        exact[0] = point
    return ActivationRegions(net, pats, x, np.array([inside]), exact, np.zeros(1, dtype=bool))


def _n_in(A: Arrangement, P: Polytope) -> int:
    from hyperarr.domain import n_regions as domain_n_regions

    return domain_n_regions(A, P)
