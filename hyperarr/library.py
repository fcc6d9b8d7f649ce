r"""Classic hyperplane arrangements, with exact integer data.

Every function returns an [`Arrangement`][hyperarr.arrangement.Arrangement] whose
normals and offsets are Python ints, so every later decision on it is exact.
Hyperplane ``i`` is ``{x : normals[i] · x = offsets[i]}`` and side ``+1`` is
``normals[i] · x − offsets[i] > 0``, as everywhere in hyperarr.

The region counts quoted in the docstrings are classical:

| family | hyperplanes | regions |
|---|---|---|
| coordinate | $d$ | $2^d$ |
| braid | $\binom{d}{2}$ | $d!$ |
| Shi | $2\binom{d}{2}$ | $(d + 1)^{d - 1}$ |
| Catalan | $3\binom{d}{2}$ | $d! \cdot \mathrm{Cat}(d)$, $\mathrm{Cat}(d) = \binom{2d}{d} / (d + 1)$ |
| resonance | $2^d - 1$ | 2, 6, 32, 370, 11292, 1066044 ($d = 1, \dots, 6$) |
| threshold | $2^d$ in $\mathbb{R}^{d+1}$ | 4, 14, 104, 1882 ($d = 1, \dots, 4$) |
| generic | $n$ | [`max_regions`][hyperarr.counting.max_regions] |
| five_lines | 5 | 16 (6 bounded) |

Examples
--------
>>> A = braid(3)
>>> A.n, A.dim
(3, 3)
>>> A.normals.astype(int).tolist()
[[1, -1, 0], [1, 0, -1], [0, 1, -1]]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hyperarr import _memory
from hyperarr._generic import DEFAULT_MAX_CHECKS, refuse_over_budget
from hyperarr.arrangement import Arrangement
from hyperarr._validate import as_count
from hyperarr.exceptions import ArrangementError, HyperarrError, OutputTooLargeError

__all__ = [
    "coordinate",
    "braid",
    "shi",
    "catalan",
    "resonance",
    "threshold",
    "generic",
    "five_lines",
    "coxeter",
    "semiorder",
    "linial",
    "ish",
    "ish_b",
    "graphical",
    "g_shi",
    "g_semiorder",
    "bigraphical",
    "coordinate_symmetry",
    "braid_symmetry",
    "resonance_symmetry",
    "threshold_symmetry",
    "coxeter_symmetry",
    "catalan_symmetry",
    "semiorder_symmetry",
]

#: Default refusal bounds of every family: hyperplanes, and entries n·(d + 1)
#: of the data (an arrangement keeps each entry as an exact Python number,
#: about 40 bytes and 2 µs to build, so 2**24 entries are about 0.7 GB).
_MAX_HYPERPLANES = 2**20
_MAX_ENTRIES = 2**24
#: Default bound on the minors ``generic`` checks per draw (as
#: ``Arrangement.is_generic``).
_MAX_CHECKS = DEFAULT_MAX_CHECKS

#: Half-width of the first coefficient range tried by `generic`.
_GENERIC_RANGE = 50
#: Attempts made by `generic` before giving up; the range doubles every
#: ``_GENERIC_GROW`` attempts.
_GENERIC_ATTEMPTS = 100
_GENERIC_GROW = 10


def _as_dim(d: Any) -> int:
    """Return ``d`` as a positive Python int, or raise naming ``d``."""
    try:
        d = as_count(d, "d")
    except ArrangementError:
        raise ArrangementError(f"d must be a positive integer; got {d!r}") from None
    if d == 0:
        raise ArrangementError("d must be a positive integer; got 0")
    return d


def _as_limit(value: Any, name: str = "max_hyperplanes") -> int:
    try:
        return as_count(value, name)
    except ArrangementError:
        raise ArrangementError(f"{name} must be a non-negative integer; got {value!r}") from None


def _check_size(name: str, count: int, dim: int, max_hyperplanes: Any, max_entries: Any,
                shown: str | None = None) -> None:
    """Refuse, before anything is allocated, more hyperplanes or entries than the limits.

    ``shown`` is the count as the message writes it, when ``count`` only
    stands in for a number too large to compute (see ``_power_count``).
    """
    max_hyperplanes = _as_limit(max_hyperplanes)
    max_entries = _as_limit(max_entries, "max_entries")
    if count > max_hyperplanes:
        raise OutputTooLargeError(
            f"{name} would have {shown or count} hyperplanes, more than "
            f"max_hyperplanes = {max_hyperplanes}; pass a larger max_hyperplanes "
            "to build it anyway"
        )
    entries = count * (dim + 1)
    if entries > max_entries:
        raise OutputTooLargeError(
            f"{name} would have {count} hyperplanes in R^{dim}, {entries} entries, more than "
            f"max_entries = {max_entries}; pass a larger max_entries to build it anyway"
        )


def _power_count(d: int, minus: int, max_hyperplanes: Any) -> tuple[int, str | None]:
    """``2**d − minus`` and None; or, when it is certainly above ``max_hyperplanes``,
    a smaller stand-in that still is, and the count as text (2**d is not built)."""
    top = _as_limit(max_hyperplanes).bit_length() + 1
    if d <= top:
        return 2**d - minus, None
    return 2**top - minus, f"2**{d}" + (f" − {minus}" if minus else "")


def _arrangement(normals: list[list[int]], offsets: list[int], d: int) -> Arrangement:
    """Build an Arrangement from integer rows; ``normals`` may be empty."""
    w = np.array(normals, dtype=np.int64).reshape(len(normals), d)
    b = np.array(offsets, dtype=np.int64).reshape(len(offsets))
    return Arrangement(w, b)


def _difference_arrangement(name: str, d: int, values: tuple[int, ...], max_hyperplanes: Any,
                            max_entries: Any) -> Arrangement:
    """Hyperplanes ``x_i − x_j = c`` for ``i < j`` (lexicographic) and ``c`` in ``values``."""
    _check_size(name, len(values) * (d * (d - 1) // 2), d, max_hyperplanes, max_entries)
    normals: list[list[int]] = []
    offsets: list[int] = []
    for i, j in itertools.combinations(range(d), 2):
        row = [0] * d
        row[i] = 1
        row[j] = -1
        for c in values:
            normals.append(row)
            offsets.append(c)
    return _arrangement(normals, offsets, d)


def _as_type(value: Any, d: int, allowed: str = "ABCD") -> str:
    """The root system type as one upper-case letter, or raise naming ``type``."""
    t = value.upper() if isinstance(value, str) else value
    if t not in tuple(allowed):
        raise ArrangementError(f"type must be one of {', '.join(repr(c) for c in allowed)}; got {value!r}")
    if t == "D" and d < 2:
        raise ArrangementError(f"type 'D' needs d >= 2 (D_1 has no roots); got d = {d}")
    return str(t)


def _as_m(value: Any) -> int:
    try:
        m = as_count(value, "m")
    except ArrangementError:
        raise ArrangementError(f"m must be a positive integer; got {value!r}") from None
    if m == 0:
        raise ArrangementError("m must be a positive integer; got 0")
    return m


def _n_roots(t: str, d: int) -> int:
    """The number of positive roots of type t in R^d (A: of A_{d−1})."""
    return {"A": d * (d - 1) // 2, "B": d * d, "C": d * d, "D": d * (d - 1)}[t]


def _positive_roots(t: str, d: int) -> list[list[int]]:
    """The positive roots of type t in R^d: e_i − e_j (and, for B, C, D, e_i + e_j)
    for the pairs i < j in lexicographic order, then e_i (B) or 2 e_i (C)."""
    roots = []
    for i, j in itertools.combinations(range(d), 2):
        for sj in ((-1,) if t == "A" else (-1, 1)):
            r = [0] * d
            r[i] = 1
            r[j] = sj
            roots.append(r)
    if t in "BC":
        for i in range(d):
            r = [0] * d
            r[i] = 1 if t == "B" else 2
            roots.append(r)
    return roots


def _root_arrangement(name: str, t: str, d: int, values: tuple[int, ...], max_hyperplanes: Any,
                      max_entries: Any) -> Arrangement:
    """Hyperplanes ``α · x = c`` for each positive root α of type t and c in ``values``."""
    if t == "A":
        return _difference_arrangement(name, d, values, max_hyperplanes, max_entries)
    _check_size(name, len(values) * _n_roots(t, d), d, max_hyperplanes, max_entries)
    normals: list[list[int]] = []
    offsets: list[int] = []
    for r in _positive_roots(t, d):
        for c in values:
            normals.append(r)
            offsets.append(c)
    return _arrangement(normals, offsets, d)


def coordinate(d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
               max_entries: int = _MAX_ENTRIES) -> Arrangement:
    """Return the coordinate arrangement ``x_i = 0`` in ``R^d``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.
    max_hyperplanes : int, default 2**20
        Refuse to build more hyperplanes than this.
    max_entries : int, default 2**24
        Refuse to build more entries ``n · (d + 1)`` than this (each is kept
        as an exact Python number).

    Returns
    -------
    Arrangement
        ``d`` hyperplanes; row ``i`` has normal ``e_i`` and offset 0.

    Raises
    ------
    ArrangementError
        If ``d`` is not a positive integer (a ``ValueError``).
    OutputTooLargeError
        If the arrangement would exceed ``max_hyperplanes`` or
        ``max_entries``; nothing is allocated.

    Notes
    -----
    The regions are the ``2**d`` orthants.  The normals are independent, so the
    arrangement is in general position and ``2**d = max_regions(d, d)``.

    Examples
    --------
    >>> A = coordinate(2)
    >>> A.n, A.dim, A.is_central()
    (2, 2, True)
    >>> A.normals.astype(int).tolist(), A.offsets.astype(int).tolist()
    ([[1, 0], [0, 1]], [0, 0])
    """
    d = _as_dim(d)
    _check_size(f"coordinate({d})", d, d, max_hyperplanes, max_entries)
    normals = [[int(i == j) for j in range(d)] for i in range(d)]
    return _arrangement(normals, [0] * d, d)


def braid(d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
          max_entries: int = _MAX_ENTRIES) -> Arrangement:
    """Return the braid arrangement ``x_i − x_j = 0`` (``i < j``) in ``R^d``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.  ``braid(1)`` has no hyperplanes.

    max_hyperplanes : int, default 2**20
        Refuse to build more hyperplanes than this.
    max_entries : int, default 2**24
        Refuse to build more entries ``n · (d + 1)`` than this (each is kept
        as an exact Python number).

    Returns
    -------
    Arrangement
        ``C(d, 2)`` hyperplanes, pairs ``(i, j)`` in lexicographic order;
        normal ``e_i − e_j``, offset 0.

    Raises
    ------
    ArrangementError
        If ``d`` is not a positive integer (a ``ValueError``).
    OutputTooLargeError
        If the arrangement would exceed ``max_hyperplanes`` or
        ``max_entries``; nothing is allocated.

    Notes
    -----
    Also called the type $A_{d-1}$ Coxeter arrangement.  Its ``d!`` regions are
    the orderings ``x_{σ(1)} > … > x_{σ(d)}``: one region per permutation.
    It is central, of rank ``d − 1`` (the line ``x_1 = … = x_d`` lies in every
    hyperplane).

    Examples
    --------
    >>> A = braid(3)
    >>> A.n, A.rank()
    (3, 2)
    >>> A.normals.astype(int).tolist()
    [[1, -1, 0], [1, 0, -1], [0, 1, -1]]
    """
    return _difference_arrangement(f"braid({d})", _as_dim(d), (0,), max_hyperplanes,
                                   max_entries)


def shi(d: int, type: str = "A", m: int = 1, *, max_hyperplanes: int = _MAX_HYPERPLANES,
        max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the (m-extended) Shi arrangement of type A, B, C or D in ``R^d``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1`` (``d >= 2`` for type D).
    type : {"A", "B", "C", "D"}, default "A"
        The root system; see [`coxeter`][hyperarr.library.coxeter] for its
        positive roots α.
    m : int, default 1
        The extension: the hyperplanes are ``α · x = k`` for every positive
        root α and ``−m < k ≤ m``.
    max_hyperplanes : int, default 2**20
        Refuse to build more hyperplanes than this.
    max_entries : int, default 2**24
        Refuse to build more entries ``n · (d + 1)`` than this (each is kept
        as an exact Python number).

    Returns
    -------
    Arrangement
        ``2m`` hyperplanes per positive root, root after root, offsets
        ``−m + 1, …, m``.  Type A (the default, ``m = 1``) is the classic
        ``x_i − x_j ∈ {0, 1}`` (``i < j``): for each pair in lexicographic
        order, offset 0 then offset 1.

    Raises
    ------
    ArrangementError
        If ``d``, ``type`` or ``m`` is invalid (a ``ValueError``).
    OutputTooLargeError
        If the arrangement would exceed ``max_hyperplanes`` or
        ``max_entries``; nothing is allocated.

    Notes
    -----
    Athanasiadis (1996, 2000): $\chi(t) = t^{d - \ell} (t - m h)^{\ell}$, with
    ℓ the rank and h the Coxeter number (A: ℓ = d − 1, h = d; B, C: ℓ = d,
    h = 2d; D: ℓ = d, h = 2d − 2).  Type A has $(md + 1)^{d-1}$ regions
    (Shi 1986 for m = 1: 1, 3, 16, 125 for d = 1..4, the parking
    functions); types B and C $(2md + 1)^d$, type D $(m(2d - 2) + 1)^d$.

    Examples
    --------
    >>> A = shi(3)
    >>> A.n
    6
    >>> A.offsets.astype(int).tolist()
    [0, 1, 0, 1, 0, 1]
    >>> shi(3, "B").characteristic_polynomial()       # (t − 6)^3
    (-216, 108, -18, 1)
    >>> shi(3, "A", m=2).n_regions()                   # (2·3 + 1)^2
    49
    """
    d = _as_dim(d)
    t = _as_type(type, d)
    m = _as_m(m)
    name = f"shi({d})" if (t, m) == ("A", 1) else f"shi({d}, {t!r}, m={m})"
    return _root_arrangement(name, t, d, tuple(range(-m + 1, m + 1)),
                             max_hyperplanes, max_entries)


def catalan(d: int, type: str = "A", m: int = 1, *, max_hyperplanes: int = _MAX_HYPERPLANES,
            max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the (m-extended) Catalan arrangement of type A, B, C or D in ``R^d``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1`` (``d >= 2`` for type D).
    type : {"A", "B", "C", "D"}, default "A"
        The root system; see [`coxeter`][hyperarr.library.coxeter] for its
        positive roots α.
    m : int, default 1
        The extension: the hyperplanes are ``α · x = k`` for every positive
        root α and ``−m ≤ k ≤ m``.
    max_hyperplanes : int, default 2**20
        Refuse to build more hyperplanes than this.
    max_entries : int, default 2**24
        Refuse to build more entries ``n · (d + 1)`` than this (each is kept
        as an exact Python number).

    Returns
    -------
    Arrangement
        ``2m + 1`` hyperplanes per positive root, root after root, offsets
        ``−m, …, m``.  Type A (the default, ``m = 1``) is the classic
        ``x_i − x_j ∈ {−1, 0, 1}``: for each pair ``i < j`` in lexicographic
        order, three rows with normal ``e_i − e_j`` and offsets −1, 0, 1.

    Raises
    ------
    ArrangementError
        If ``d``, ``type`` or ``m`` is invalid (a ``ValueError``).
    OutputTooLargeError
        If the arrangement would exceed ``max_hyperplanes`` or
        ``max_entries``; nothing is allocated.

    Notes
    -----
    Athanasiadis (2000): $\chi(t) = t^{d - \ell} \prod_{i=1}^{\ell} (t - m h - e_i)$,
    with exponents $e_i$ (A: 1, …, d − 1; B, C: 1, 3, …, 2d − 1; D: 1, 3,
    …, 2d − 3 and d − 1) and Coxeter number h (A: d; B, C: 2d; D: 2d − 2).
    Type A with m = 1 has ``d! · Cat(d)`` regions, ``Cat(d) = C(2d, d) / (d + 1)``:
    1, 4, 30, 336 for ``d = 1..4``.

    Examples
    --------
    >>> A = catalan(2)
    >>> A.normals.astype(int).tolist(), A.offsets.astype(int).tolist()
    ([[1, -1], [1, -1], [1, -1]], [-1, 0, 1])
    >>> catalan(2, "B").n_regions()                    # (4 + 1 + 1)(4 + 3 + 1)
    48
    """
    d = _as_dim(d)
    t = _as_type(type, d)
    m = _as_m(m)
    name = f"catalan({d})" if (t, m) == ("A", 1) else f"catalan({d}, {t!r}, m={m})"
    return _root_arrangement(name, t, d, tuple(range(-m, m + 1)),
                             max_hyperplanes, max_entries)


def _bit_rows(d: int, with_zero: bool) -> list[list[int]]:
    """All 0/1 vectors of length ``d`` in lexicographic order.

    Lexicographic order is the order of the integer whose binary digits,
    most significant first, are the vector.
    """
    rows = [list(v) for v in itertools.product((0, 1), repeat=d)]
    return rows if with_zero else rows[1:]


def resonance(d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
              max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the resonance arrangement in $\mathbb{R}^d$: $\sum_{i \in S} x_i = 0$ for $S \ne \emptyset$.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.
    max_hyperplanes : int, default 2**20
        Refuse to build more hyperplanes than this.
    max_entries : int, default 2**24
        Refuse to build more entries ``n · (d + 1)`` than this (each is kept
        as an exact Python number).

    Returns
    -------
    Arrangement
        ``2**d − 1`` hyperplanes through the origin, one for every nonzero
        0/1 vector.  Row ``k − 1`` is the binary expansion of ``k`` for
        ``k = 1, …, 2**d − 1``, most significant bit first (``x_1`` is the
        most significant), which is lexicographic order.

    Raises
    ------
    ArrangementError
        If ``d`` is not a positive integer (a ``ValueError``).
    OutputTooLargeError
        If ``2**d − 1 > max_hyperplanes``, or the entries exceed ``max_entries``;
        nothing is allocated.

    Notes
    -----
    Also called the all-subset arrangement.  Its region counts are
    2, 6, 32, 370, 11292, 1066044 for ``d = 1..6`` (OEIS A034997); no closed
    formula is known.

    Examples
    --------
    >>> A = resonance(2)
    >>> A.normals.astype(int).tolist()
    [[0, 1], [1, 0], [1, 1]]
    """
    d = _as_dim(d)
    count, shown = _power_count(d, 1, max_hyperplanes)
    _check_size("resonance(d)", count, d, max_hyperplanes, max_entries, shown)
    rows = _bit_rows(d, with_zero=False)
    return _arrangement(rows, [0] * len(rows), d)


def threshold(d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
              max_entries: int = _MAX_ENTRIES) -> Arrangement:
    """Return the threshold arrangement: the dichotomies of one threshold neuron.

    Parameters
    ----------
    d : int
        Number of Boolean inputs, ``d >= 1``.
    max_hyperplanes : int, default 2**20
        Refuse to build more hyperplanes than this.
    max_entries : int, default 2**24
        Refuse to build more entries ``n · (d + 1)`` than this (each is kept
        as an exact Python number).

    Returns
    -------
    Arrangement
        ``2**d`` central hyperplanes in ``R^{d+1}``.  Row ``k`` has normal
        ``(v, 1)`` where ``v ∈ {0, 1}^d`` is the binary expansion of ``k``
        (most significant bit first, i.e. lexicographic order), and offset 0.

    Raises
    ------
    ArrangementError
        If ``d`` is not a positive integer (a ``ValueError``).
    OutputTooLargeError
        If ``2**d > max_hyperplanes``, or the entries exceed ``max_entries``;
        nothing is allocated.

    Notes
    -----
    This arrangement lives in the parameter space of a neuron.  A point
    ``(w, b)`` of ``R^{d+1}`` is a neuron with weights ``w`` and threshold
    ``θ = −b``; it lies on side +1 of hyperplane ``v`` exactly when the neuron
    fires on input ``v`` (``w · v − θ > 0``).  So the sign vector of a region
    is the truth table of a Boolean function, and the regions are the
    linearly separable (threshold) Boolean functions of ``d`` inputs:
    4, 14, 104, 1882 for ``d = 1..4`` (OEIS A000609).

    Examples
    --------
    >>> A = threshold(2)
    >>> A.n, A.dim, A.is_central()
    (4, 3, True)
    >>> A.normals.astype(int).tolist()
    [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]

    The neuron ``w = (1, 1)``, ``θ = 1.5`` computes AND:

    >>> A.signs([1, 1, -1.5]).tolist()
    [-1, -1, -1, 1]
    """
    d = _as_dim(d)
    count, shown = _power_count(d, 0, max_hyperplanes)
    _check_size("threshold(d)", count, d + 1, max_hyperplanes, max_entries, shown)
    rows = [v + [1] for v in _bit_rows(d, with_zero=True)]
    return _arrangement(rows, [0] * len(rows), d + 1)


def generic(n: int, d: int, seed: Any = None, *, max_hyperplanes: int = _MAX_HYPERPLANES,
            max_entries: int = _MAX_ENTRIES, max_checks: int = _MAX_CHECKS) -> Arrangement:
    """Return ``n`` random hyperplanes with small integer data in general position.

    Parameters
    ----------
    n : int
        Number of hyperplanes, ``n >= 0``.
    d : int
        Dimension, ``d >= 1``.
    seed : None, int, array_like or numpy.random.Generator, optional
        Passed to `numpy.random.default_rng`.  The same seed gives the
        same arrangement.
    max_hyperplanes : int, default 2**20
        Refuse to build more hyperplanes than this.
    max_entries : int, default 2**24
        Refuse to build more entries ``n · (d + 1)`` than this (each is kept
        as an exact Python number).
    max_checks : int, default 1_000_000_000
        Refuse when checking a draw costs more than this many minors, as in
        [`Arrangement.is_generic`][hyperarr.arrangement.Arrangement.is_generic].

    Returns
    -------
    Arrangement
        An arrangement ``A`` with ``A.is_generic()`` true, so it has
        ``max_regions(n, d)`` regions.  Normals and offsets are integers,
        drawn uniformly from ``[−50, 50]``.

    Raises
    ------
    ArrangementError
        If ``n`` or ``d`` is invalid (a ``ValueError``).
    OutputTooLargeError
        If the arrangement would exceed ``max_hyperplanes`` or ``max_entries``,
        or checking a draw more than ``max_checks`` minors; nothing is
        allocated.
    HyperarrError
        If no generic draw was found in 100 attempts.

    Notes
    -----
    Draws are repeated with the same generator until the result is generic
    (zero normals are redrawn too); the coefficient range doubles after
    every 10 failed draws, so large ``n`` still succeeds.  Each check decides
    ``C(n, d) + C(n, d + 1)`` minors exactly, most of them in batched floats
    under a proven error bound (see
    [`Arrangement.is_generic`][hyperarr.arrangement.Arrangement.is_generic]).

    Examples
    --------
    >>> from hyperarr.counting import max_regions
    >>> A = generic(5, 2, seed=0)
    >>> A.n, A.dim, A.is_generic()
    (5, 2, True)
    >>> A == generic(5, 2, seed=0)
    True
    >>> max_regions(A.n, A.dim)
    16
    """
    n = as_count(n, "n")
    d = _as_dim(d)
    _check_size(f"generic({n}, {d})", n, d, max_hyperplanes, max_entries)
    max_checks = _as_limit(max_checks, "max_checks")
    refuse_over_budget(n, d, max_checks, f"generic({n}, {d})", "per draw",
                       "pass a larger max_checks to draw it anyway")
    rng = np.random.default_rng(seed)
    for attempt in range(_GENERIC_ATTEMPTS):
        bound = _GENERIC_RANGE << (attempt // _GENERIC_GROW)
        data: NDArray[np.int64] = rng.integers(-bound, bound, size=(n, d + 1), endpoint=True)
        if n and not data[:, :d].any(axis=1).all():
            continue
        A = Arrangement(data[:, :d], data[:, d])
        if A.is_generic(max_checks=max_checks):
            return A
    raise HyperarrError(
        f"generic(n={n}, d={d}) found no arrangement in general position in "
        f"{_GENERIC_ATTEMPTS} random draws; try another seed"
    )


def five_lines() -> Arrangement:
    """Return five lines in general position shaped like a pentagram.

    The lines carry the sides of a (nearly) regular pentagon centred at the
    origin, with integer data, for Exercise 3 of the course sheet (5 generic
    lines, one hidden neuron each).

    Returns
    -------
    Arrangement
        Normals, clockwise from the top side: ``(0, 10)``, ``(10, 3)``,
        ``(6, −8)``, ``(−6, −8)``, ``(−10, 3)``, all with offset 10.

    Notes
    -----
    The normals point outward, 72° ± 2° apart, so side +1 of every line is the
    side away from the origin, and the inner pentagon is the region with sign
    vector ``(−1, −1, −1, −1, −1)``.  The configuration is symmetric under
    ``x ↦ −x``.  No two lines are parallel and no three meet, so there are
    ``max_regions(5, 2) = 16`` regions: the inner pentagon, the 5 triangles
    of the star (6 bounded regions) and 10 unbounded ones.  The pentagon's
    corners lie at distance about 1.2 from the origin, the star's points at
    about 3.2.

    Examples
    --------
    >>> A = five_lines()
    >>> A.n, A.is_generic()
    (5, True)
    >>> A.signs([[0, 0], [0, 2]]).tolist()
    [[-1, -1, -1, -1, -1], [1, -1, -1, -1, -1]]
    """
    normals = [[0, 10], [10, 3], [6, -8], [-6, -8], [-10, 3]]
    return _arrangement(normals, [10] * 5, 2)


def coxeter(type: str, d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
            max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the Coxeter arrangement of type A, B (= C) or D in ``R^d``: ``α · x = 0`` for each positive root α.

    Parameters
    ----------
    type : {"A", "B", "C", "D"}
        The root system.  A: the roots $e_i - e_j$ (``i < j``) of $A_{d-1}$,
        so ``coxeter("A", d)`` is [`braid`][hyperarr.library.braid]``(d)``;
        B: $e_i \pm e_j$ and $e_i$; C: $e_i \pm e_j$ and $2 e_i$ (the same
        hyperplanes as B); D: $e_i \pm e_j$ (``d >= 2``).
    d : int
        Dimension, ``d >= 1``.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        One hyperplane per positive root: the pairs ``i < j`` in
        lexicographic order (for B, C, D: $e_i - e_j$, then $e_i + e_j$),
        then the $e_i$ (B, C).

    Notes
    -----
    Central, with $\chi(t) = t^{d - \ell} \prod_i (t - e_i)$ over the
    exponents $e_i$ (Terao; Orlik and Solomon): A: $t (t - 1) \cdots (t - d + 1)$,
    $d!$ regions; B: $(t - 1)(t - 3) \cdots (t - 2d + 1)$, $2^d d!$ regions;
    D: $(t - 1)(t - 3) \cdots (t - 2d + 3)(t - d + 1)$, $2^{d-1} d!$
    regions.  Its symmetry group is
    [`coxeter_symmetry`][hyperarr.library.coxeter_symmetry].

    Examples
    --------
    >>> A = coxeter("B", 3)
    >>> A.n, A.characteristic_polynomial()       # (t − 1)(t − 3)(t − 5)
    (9, (-15, 23, -9, 1))
    >>> coxeter("D", 4).n_regions()               # 2^3 · 4!
    192
    """
    d = _as_dim(d)
    t = _as_type(type, d)
    if t == "A":
        return braid(d, max_hyperplanes=max_hyperplanes, max_entries=max_entries)
    return _root_arrangement(f"coxeter({t!r}, {d})", "B" if t == "C" else t, d, (0,),
                             max_hyperplanes, max_entries)


def semiorder(d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
              max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the semiorder arrangement ``x_i − x_j = ±1`` (``i < j``) in ``R^d``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        ``2 C(d, 2)`` hyperplanes; for each pair ``i < j`` in lexicographic
        order, normal ``e_i − e_j`` with offsets −1, then 1.

    Notes
    -----
    Its regions are the semiorders on d labelled points (Stanley,
    *An introduction to hyperplane arrangements*, Lecture 5): 1, 3, 19, 183,
    2371 for ``d = 1..5``, and
    $\chi(t) = t \sum_{k=1}^{d} S(d, k) \prod_{i=1}^{k-1} (t - k - i)$ with
    S the Stirling numbers of the second kind.  Its symmetry group is
    [`semiorder_symmetry`][hyperarr.library.semiorder_symmetry].

    Examples
    --------
    >>> semiorder(5).characteristic_polynomial()
    (0, 1380, -790, 180, -20, 1)
    """
    return _difference_arrangement(f"semiorder({d})", _as_dim(d), (-1, 1), max_hyperplanes,
                                   max_entries)


def linial(d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
           max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the Linial arrangement ``x_i − x_j = 1`` (``i < j``) in ``R^d``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        ``C(d, 2)`` hyperplanes, pairs in lexicographic order.

    Notes
    -----
    Postnikov and Stanley:
    $\chi(t) = \frac{t}{2^d} \sum_{k=0}^{d} \binom{d}{k} (t - k)^{d-1}$; its
    regions are counted by the alternating trees on d + 1 vertices: 1, 2,
    7, 36, 246 for ``d = 1..5``.

    Examples
    --------
    >>> linial(4).characteristic_polynomial()
    (0, -14, 15, -6, 1)
    """
    return _difference_arrangement(f"linial({d})", _as_dim(d), (1,), max_hyperplanes,
                                   max_entries)


def ish(d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
        max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the Ish arrangement in ``R^d``: ``x_i = x_j`` and ``x_1 − x_j = i`` for ``1 ≤ i < j ≤ d``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        ``d (d − 1)`` hyperplanes: for each pair ``i < j`` (1-based, in
        lexicographic order) the row ``x_i − x_j = 0``, then
        ``x_1 − x_j = i``.

    Notes
    -----
    Armstrong and Rhoades (2012): it shares the Shi arrangement's
    characteristic polynomial $t (t - d)^{d-1}$, hence its $(d + 1)^{d-1}$
    regions.

    Examples
    --------
    >>> ish(3).characteristic_polynomial()      # t (t − 3)^2
    (0, 9, -6, 1)
    """
    d = _as_dim(d)
    _check_size(f"ish({d})", d * (d - 1), d, max_hyperplanes, max_entries)
    normals: list[list[int]] = []
    offsets: list[int] = []
    for i, j in itertools.combinations(range(d), 2):
        for row, c in ((_unit(d, i, j), 0), (_unit(d, 0, j), i + 1)):
            normals.append(row)
            offsets.append(c)
    return _arrangement(normals, offsets, d)


def ish_b(d: int, *, max_hyperplanes: int = _MAX_HYPERPLANES,
          max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the type B Ish arrangement in ``R^d``: ``x_i ± x_j = 0`` and ``x_i = a`` for ``i − d ≤ a ≤ d − i + 1``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        ``2 d²`` hyperplanes: for each coordinate i (1-based), the rows
        ``x_i − x_j = 0`` and ``x_i + x_j = 0`` for ``j > i``, then
        ``x_i = a`` for ``a = i − d, …, d − i + 1``.

    Notes
    -----
    Tewari and Tran (2023): it shares the type B Shi arrangement's
    characteristic polynomial $(t - 2d)^d$, hence its $(2d + 1)^d$ regions.

    Examples
    --------
    >>> A = ish_b(3)
    >>> A.n, A.characteristic_polynomial()       # (t − 6)^3
    (18, (-216, 108, -18, 1))
    """
    d = _as_dim(d)
    _check_size(f"ish_b({d})", 2 * d * d, d, max_hyperplanes, max_entries)
    normals: list[list[int]] = []
    offsets: list[int] = []
    for i in range(d):
        for j in range(i + 1, d):
            for sj in (-1, 1):
                row = [0] * d
                row[i], row[j] = 1, sj
                normals.append(row)
                offsets.append(0)
        e = [int(k == i) for k in range(d)]
        for a in range(i + 1 - d, d - i + 1):
            normals.append(e)
            offsets.append(a)
    return _arrangement(normals, offsets, d)


def _unit(d: int, i: int, j: int) -> list[int]:
    """The vector e_i − e_j of R^d."""
    row = [0] * d
    row[i] = 1
    row[j] = -1
    return row


def _graph(G: Any) -> tuple[list[Any], list[tuple[int, int]]]:
    """The nodes of a networkx graph and its edges as index pairs ``(i, j)``, ``i < j``."""
    if not hasattr(G, "nodes") or not hasattr(G, "edges"):
        raise ArrangementError(f"G must be a networkx graph; got {type(G).__name__} {G!r:.60}")
    nodes = list(G.nodes)
    if not nodes:
        raise ArrangementError("G must have at least one node (its nodes are the coordinates); got none")
    index = {u: k for k, u in enumerate(nodes)}
    edges = []
    for u, v in G.edges():
        if u == v:
            raise ArrangementError(f"G has a loop at node {u!r}; x_u − x_u = c is not a hyperplane")
        i, j = index[u], index[v]
        edges.append((min(i, j), max(i, j)))
    return nodes, edges


def _graph_arrangement(name: str, G: Any, values: tuple[int, ...], max_hyperplanes: Any,
                       max_entries: Any) -> Arrangement:
    nodes, edges = _graph(G)
    d = len(nodes)
    _check_size(name, len(values) * len(edges), d, max_hyperplanes, max_entries)
    normals: list[list[int]] = []
    offsets: list[int] = []
    for i, j in edges:
        row = _unit(d, i, j)
        for c in values:
            normals.append(row)
            offsets.append(c)
    return _arrangement(normals, offsets, d)


def graphical(G: Any, *, max_hyperplanes: int = _MAX_HYPERPLANES,
              max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the graphical arrangement of a networkx graph: ``x_i = x_j`` for each edge.

    Parameters
    ----------
    G : networkx.Graph
        Its k-th node (in ``G.nodes`` order) is coordinate k; no loops.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        One hyperplane ``x_i − x_j = 0`` (``i < j``) per edge, in
        ``G.edges()`` order.

    Notes
    -----
    $\chi(t)$ is the chromatic polynomial of G (Stanley, Lecture 2); the
    regions are the acyclic orientations of G.

    Examples
    --------
    >>> import networkx as nx
    >>> house = nx.house_graph()
    >>> graphical(house).characteristic_polynomial()
    (0, 6, -15, 14, -6, 1)
    """
    return _graph_arrangement("graphical(G)", G, (0,), max_hyperplanes, max_entries)


def g_shi(G: Any, *, max_hyperplanes: int = _MAX_HYPERPLANES,
          max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the Shi arrangement of a networkx graph: ``x_i − x_j ∈ {0, 1}`` (``i < j``) per edge.

    Parameters
    ----------
    G : networkx.Graph
        Its k-th node (in ``G.nodes`` order) is coordinate k; no loops.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        Two hyperplanes per edge, offsets 0 then 1, in ``G.edges()``
        order; on the complete graph it is [`shi`][hyperarr.library.shi].

    Examples
    --------
    >>> import networkx as nx
    >>> A = g_shi(nx.wheel_graph(4))
    >>> A.n, A.rank(), A.n_regions()
    (12, 3, 125)
    """
    return _graph_arrangement("g_shi(G)", G, (0, 1), max_hyperplanes, max_entries)


def g_semiorder(G: Any, *, max_hyperplanes: int = _MAX_HYPERPLANES,
                max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the semiorder arrangement of a networkx graph: ``x_i − x_j = ±1`` per edge.

    Parameters
    ----------
    G : networkx.Graph
        Its k-th node (in ``G.nodes`` order) is coordinate k; no loops.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        Two hyperplanes per edge (``i < j``), offsets −1 then 1, in
        ``G.edges()`` order; on the complete graph it is
        [`semiorder`][hyperarr.library.semiorder].

    Examples
    --------
    >>> import networkx as nx
    >>> A = g_semiorder(nx.house_graph())
    >>> A.n, A.rank()
    (12, 4)
    """
    return _graph_arrangement("g_semiorder(G)", G, (-1, 1), max_hyperplanes, max_entries)


def bigraphical(G: Any, heights: Any = None, *, max_hyperplanes: int = _MAX_HYPERPLANES,
                max_entries: int = _MAX_ENTRIES) -> Arrangement:
    r"""Return the bigraphical arrangement of a networkx graph: ``x_i − x_j = a_ij`` and ``x_j − x_i = a_ji`` per edge.

    Parameters
    ----------
    G : networkx.Graph
        Its k-th node (in ``G.nodes`` order) is coordinate k; no loops.
    heights : None, mapping or (d, d) array
        The heights $a_{uv}$: ``heights[u][v]`` for nodes u, v (a dict of
        dicts keyed by node), or entry ``[i, j]`` of a square array indexed
        by node position.  Entries int, float or Fraction, kept exactly.
        None (the default) sets every height to 1: the
        [`g_semiorder`][hyperarr.library.g_semiorder] hyperplanes.
    max_hyperplanes, max_entries : int
        Refusal bounds, as for every family.

    Returns
    -------
    Arrangement
        For each edge {u, v} in ``G.edges()`` order: ``x_u − x_v = a_uv``,
        then ``x_v − x_u = a_vu``.

    Notes
    -----
    Hetyei; Hopkins and Perkinson (2016): for generic heights the number of
    regions depends on G only.  Sage's example on the 4-cycle with its
    heights has 63 regions, and 59 with every height 1.

    Examples
    --------
    >>> import networkx as nx
    >>> C4 = nx.cycle_graph(4)
    >>> a = {0: {1: 1, 3: 2}, 1: {0: 3, 2: 0}, 2: {1: 2, 3: 1}, 3: {2: 0, 0: 2}}
    >>> bigraphical(C4, a).n_regions(), bigraphical(C4).n_regions()
    (63, 59)
    """
    nodes, _ = _graph(G)
    d = len(nodes)
    pairs = [(u, v) for u, v in G.edges()]
    _check_size("bigraphical(G)", 2 * len(pairs), d, max_hyperplanes, max_entries)
    index = {u: k for k, u in enumerate(nodes)}

    def height(u: Any, v: Any) -> Any:
        if heights is None:
            return 1
        try:
            if hasattr(heights, "keys"):
                value = heights[u][v]
            else:
                value = heights[index[u]][index[v]]
        except (KeyError, IndexError, TypeError):
            raise ArrangementError(
                f"heights must give a height for every ordered edge (u, v) of G; none for "
                f"({u!r}, {v!r})") from None
        return value

    normals: list[list[int]] = []
    offsets: list[Any] = []
    for u, v in pairs:
        for a, b in ((u, v), (v, u)):
            normals.append(_unit(d, index[a], index[b]))
            offsets.append(height(a, b))
    try:
        return Arrangement(np.array(normals, dtype=np.int64).reshape(len(normals), d),
                           np.array(offsets, dtype=object).reshape(len(offsets)))
    except ArrangementError as exc:
        raise ArrangementError(str(exc).replace("offsets", "heights")) from None


# Symmetry groups of the root-system families


def _signed_permutations(rows: Sequence[tuple[Any, ...]], d: int, flip: bool = True) -> list[list[int]]:
    """The permutations of ``rows`` (``(normal..., offset)``, each hyperplane once up to
    sign) induced by a transposition and a d-cycle of the coordinates and (with
    ``flip``) by ``x_1 ↦ −x_1``."""
    def canon(r: tuple[Any, ...]) -> tuple[Any, ...]:
        lead = next(v for v in r[:d] if v)
        return r if lead > 0 else tuple(-v for v in r)

    index = {canon(r): k for k, r in enumerate(rows)}
    def permuted(g: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
        return lambda r: tuple(r[g.index(k)] for k in range(d)) + r[d:]

    def flipped(r: tuple[Any, ...]) -> tuple[Any, ...]:
        return (-r[0],) + r[1:]

    maps = [permuted(g) for g in _symmetric_group(d)]
    if flip:
        maps.append(flipped)
    return [[index[canon(f(r))] for r in rows] for f in maps]


def coxeter_symmetry(type: str, d: int) -> list[list[int]]:
    r"""Generators of the Weyl group acting on [`coxeter`][hyperarr.library.coxeter]`(type, d)`.

    Type A: the coordinate permutations $S_d$ (as
    [`braid_symmetry`][hyperarr.library.braid_symmetry]); types B, C and D:
    the signed permutations (order $2^d d!$; for D it is the Weyl group of
    $B_d$, which also maps the roots $e_i \pm e_j$ onto themselves up to
    sign).  Each generator is a permutation of the hyperplane indices, for
    ``symmetry=``.

    Examples
    --------
    >>> coxeter("B", 4).n_regions(coxeter_symmetry("B", 4))
    384
    """
    d = _as_dim(d)
    t = _as_type(type, d)
    if t == "A":
        return braid_symmetry(d)
    A = coxeter(t, d)
    return _signed_permutations(A.exact_rows, d)


def catalan_symmetry(d: int, type: str = "A", m: int = 1) -> list[list[int]]:
    r"""Generators of the symmetry group of [`catalan`][hyperarr.library.catalan]`(d, type, m)`.

    The offsets $-m, \dots, m$ are symmetric, so the Weyl group acts: the
    coordinate permutations $S_d$ for type A, the signed permutations for
    types B, C and D.  In the row order of ``catalan(d, type, m)``.

    Examples
    --------
    >>> catalan(3).n_regions(catalan_symmetry(3))
    30
    """
    d = _as_dim(d)
    t = _as_type(type, d)
    A = catalan(d, t, m)
    if t == "A":
        return _permuting_coordinates_up_to_sign(A.exact_rows, d)
    return _signed_permutations(A.exact_rows, d)


def semiorder_symmetry(d: int) -> list[list[int]]:
    r"""Generators of the coordinate permutations $S_d$ acting on [`semiorder`][hyperarr.library.semiorder]`(d)`.

    Examples
    --------
    >>> semiorder(4).n_regions(semiorder_symmetry(4))
    183
    """
    d = _as_dim(d)
    return _permuting_coordinates_up_to_sign(semiorder(d).exact_rows, d)


def _permuting_coordinates_up_to_sign(rows: Sequence[tuple[Any, ...]], d: int) -> list[list[int]]:
    """The permutations of ``rows`` induced by S_d (rows matched up to sign)."""
    return _signed_permutations(rows, d, flip=False)


# Symmetry groups of the families, as generators for ``symmetry=``


def _symmetric_group(d: int) -> list[list[int]]:
    """Generators of S_d as permutations of ``range(d)``: a transposition and a d-cycle."""
    if d < 2:
        return []
    swap = [1, 0] + list(range(2, d))
    cycle = list(range(1, d)) + [0]
    return [swap] if d == 2 else [swap, cycle]


def _on_rows(rows: Sequence[tuple[int, ...]], image: Any) -> list[int]:
    """The permutation of ``rows`` that ``image`` (row -> row) induces."""
    index = {r: k for k, r in enumerate(rows)}
    return [index[image(r)] for r in rows]


def _permuting_coordinates(rows: Sequence[tuple[int, ...]], d: int) -> list[list[int]]:
    """The permutations of ``rows`` induced by the generators of S_d acting on
    their first d entries."""
    return [_on_rows(rows, lambda r, g=g: tuple(r[g.index(k)] for k in range(d)) + r[d:])
            for g in _symmetric_group(d)]


def coordinate_symmetry(d: int) -> list[list[int]]:
    """Generators of the symmetry group of [`coordinate`][hyperarr.library.coordinate]`(d)`.

    The coordinate permutations $S_d$ (the reflections ``x_i ↦ −x_i`` fix every
    hyperplane).  Each generator is a permutation of the hyperplane indices
    in one-line notation, for ``symmetry=`` of
    [`characteristic_polynomial`][hyperarr.characteristic_polynomial] and the
    counts.

    Examples
    --------
    >>> coordinate_symmetry(3)
    [[1, 0, 2], [1, 2, 0]]
    """
    return _symmetric_group(_as_dim(d))


def braid_symmetry(d: int) -> list[list[int]]:
    """Generators of the symmetric group $S_d$ acting on [`braid`][hyperarr.library.braid]`(d)`.

    A permutation π of the coordinates maps ``x_i = x_j`` onto
    ``x_π(i) = x_π(j)``; the generators are those of a transposition and a
    d-cycle, on the hyperplanes in the row order of ``braid(d)``.

    Examples
    --------
    >>> braid_symmetry(3)
    [[0, 2, 1], [2, 0, 1]]
    >>> braid(4).n_regions(braid_symmetry(4))
    24
    """
    d = _as_dim(d)
    pairs = [(i, j) for i in range(d) for j in range(i + 1, d)]
    return [_on_rows(pairs, lambda r, g=g: tuple(sorted((g[r[0]], g[r[1]]))))
            for g in _symmetric_group(d)]


def resonance_symmetry(d: int) -> list[list[int]]:
    r"""Generators of the symmetric group $S_{d+1}$ acting on [`resonance`][hyperarr.library.resonance]`(d)`.

    Write $x_0 = -(x_1 + \dots + x_d)$: the hyperplanes $\sum_{i \in S} x_i = 0$ are
    then the hyperplanes $\sum_{i \in T} x_i = 0$ for the nonempty proper subsets
    T of ``{0, …, d}`` up to complement, and $S_{d+1}$ permutes them.  The
    generators are the coordinate permutations of ``x_1 … x_d`` ($S_d$) and
    the transposition of ``x_0`` and ``x_1``, which maps a set S that
    contains coordinate 1 onto ``{1} ∪ ([d] ∖ S)`` and fixes the others.  In
    the row order of ``resonance(d)``.

    Examples
    --------
    >>> resonance_symmetry(2)
    [[1, 0, 2], [0, 2, 1]]
    >>> resonance(4).n_regions(resonance_symmetry(4))
    370

    Raises
    ------
    OutputTooLargeError
        Before anything is built, if the $2^d - 1$ hyperplanes and their
        generators would not fit in the memory available.
    """
    d = _as_dim(d)
    return _group_within_memory(f"resonance_symmetry({d})", d, 2**d - 1, _resonance_generators)


def _resonance_generators(d: int) -> list[list[int]]:
    rows = [tuple(r) for r in _bit_rows(d, with_zero=False)]
    gens = _permuting_coordinates(rows, d)

    def swap_with_x0(r: tuple[int, ...]) -> tuple[int, ...]:
        if not r[0]:
            return r
        return (1,) + tuple(1 - v for v in r[1:])

    if d >= 2:
        gens.append(_on_rows(rows, swap_with_x0))
    return gens


def threshold_symmetry(d: int) -> list[list[int]]:
    r"""Generators of the symmetry group of the d-cube acting on [`threshold`][hyperarr.library.threshold]`(d)`.

    Hyperplane ``v`` of ``threshold(d)`` is the set of neurons ``(w, b)``
    with ``w · v + b = 0`` for an input ``v ∈ {0, 1}^d``.  A symmetry of the
    cube (permuting the inputs' coordinates, or flipping one, $v_i \mapsto 1 -
    v_i$) maps it onto the hyperplane of the image input; the neuron map
    ``(w, b) ↦ (w', b')`` is linear (a flip sends ``w_i ↦ −w_i`` and
    $b \mapsto b + w_i$).  The group has order $2^d \cdot d!$; the generators are a
    transposition and a d-cycle of the coordinates and the flip of the
    first one, in the row order of ``threshold(d)``.

    Examples
    --------
    >>> threshold_symmetry(2)
    [[0, 2, 1, 3], [2, 3, 0, 1]]
    >>> threshold(4).n_regions(threshold_symmetry(4))
    1882

    Raises
    ------
    OutputTooLargeError
        Before anything is built, if the $2^d$ hyperplanes and their
        generators would not fit in the memory available.
    """
    d = _as_dim(d)
    return _group_within_memory(f"threshold_symmetry({d})", d, 2**d, _threshold_generators)


def _threshold_generators(d: int) -> list[list[int]]:
    rows = [tuple(r) for r in _bit_rows(d, with_zero=True)]
    gens = _permuting_coordinates(rows, d)
    gens.append(_on_rows(rows, lambda r: (1 - r[0],) + r[1:]))
    return gens


#: Groups on at most 2**_SAMPLE_DIM hyperplanes are built without a memory check; larger ones
#: are checked with the bytes a hyperplane takes measured on that size.
_SAMPLE_DIM = 10


def _group_within_memory(name: str, d: int, count: int, build: Any) -> list[list[int]]:
    """``build(d)``, after checking that ``count`` hyperplanes' worth fits in the memory available.

    The peak bytes per hyperplane are measured on ``build(_SAMPLE_DIM)``, plus
    16 bytes for each further coordinate (a pointer in a row and in its image).
    """
    if d > _SAMPLE_DIM:
        sample = _memory.measured_bytes(lambda: build(_SAMPLE_DIM)) / 2**_SAMPLE_DIM
        _memory.refuse_over(f"{name}, on 2^{d}{' − 1' if count % 2 else ''} hyperplanes,", count,
                            sample + 16 * (d - _SAMPLE_DIM),
                            "state the symmetry of a smaller family, or count without symmetry=")
    with _memory.memory_errors_refused(name, None, "state the symmetry of a smaller family"):
        gens: list[list[int]] = build(d)
    return gens
