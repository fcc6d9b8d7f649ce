"""A brute-force, exact oracle for the activation regions of small networks.

It shares no code with ``hyperarr.deep``: the weights are read with
``fractions.Fraction`` here, the forward pass is written out again, and a
pattern's region is decided by Fourier–Motzkin elimination in fractions.

The set of inputs with pattern p is the polyhedron where every unit's
pre-activation, an affine form of x once the earlier bits of p are fixed,
has the sign p asks for (> 0 for an active unit, ≤ 0 for an inactive one).
Its interior is cut out by the strict inequalities (< 0 for an inactive unit
whose form is not identically zero; nothing for one whose form is), so p is
a region exactly when that open system, with the domain's interior, has a
solution.  The patterns are grown unit by unit, a prefix being extended only
while its open system is solvable.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

Form = tuple[tuple[Fraction, ...], Fraction]  # (a, c): the affine form x ↦ a·x + c


def frac(v: Any) -> Fraction:
    """An exact rational from an int, a float (numpy's too) or a Fraction."""
    if isinstance(v, Fraction):
        return v
    if hasattr(v, "item"):
        v = v.item()
    return Fraction(v)


def parse_activation(name: str) -> tuple[str, Fraction | None]:
    if name.startswith("leaky_relu:"):
        s = Fraction(name.split(":", 1)[1])
        return ("identity", None) if s == 1 else ("leaky", s)
    return name, None


def exact_spec(layers: Sequence[tuple[Any, Any, str]]) -> list[tuple[list[list[Fraction]], list[Fraction], str, Fraction | None]]:
    """The layers as (W, b, kind, slope) with Fraction entries."""
    out = []
    for W, b, act in layers:
        kind, slope = parse_activation(act)
        out.append(([[frac(v) for v in row] for row in W], [frac(v) for v in b], kind, slope))
    return out


def forward(spec, x: Sequence[Any]) -> tuple[list[Fraction], list[int], list[Fraction]]:
    """Output, pattern and the kinked pre-activations at one exact point."""
    a = [frac(v) for v in x]
    bits: list[int] = []
    pre: list[Fraction] = []
    for W, b, kind, slope in spec:
        z = [sum((w * v for w, v in zip(row, a)), Fraction(0)) + bi for row, bi in zip(W, b)]
        if kind == "identity":
            a = z
            continue
        bits += [int(v > 0) for v in z]
        pre += z
        if kind == "relu":
            a = [v if v > 0 else Fraction(0) for v in z]
        elif kind == "leaky":
            a = [v if v > 0 else slope * v for v in z]
        elif kind == "step":
            a = [Fraction(int(v > 0)) for v in z]
        else:  # pragma: no cover
            raise ValueError(kind)
    return a, bits, pre


def unit_forms(spec, pattern: Sequence[int], d: int) -> list[Form]:
    """Each kinked unit's pre-activation as an affine form of x on the region of ``pattern``."""
    a: list[Form] = [(tuple(Fraction(int(i == j)) for j in range(d)), Fraction(0)) for i in range(d)]
    forms: list[Form] = []
    pos = 0
    for W, b, kind, slope in spec:
        z = [_combine(row, a, bi, d) for row, bi in zip(W, b)]
        if kind == "identity":
            a = z
            continue
        forms += z
        bits = pattern[pos : pos + len(z)]
        pos += len(z)
        a = [_act_form(f, bit, kind, slope, d) for f, bit in zip(z, bits)]
    return forms


def _combine(row: Sequence[Fraction], a: Sequence[Form], bias: Fraction, d: int) -> Form:
    coef = [Fraction(0)] * d
    c = bias
    for w, (av, ac) in zip(row, a):
        if w:
            for j in range(d):
                coef[j] += w * av[j]
            c += w * ac
    return tuple(coef), c


def _act_form(f: Form, bit: int, kind: str, slope: Fraction | None, d: int) -> Form:
    zero = tuple(Fraction(0) for _ in range(d))
    if kind == "step":
        return zero, Fraction(bit)
    if bit:
        return f
    if kind == "relu":
        return zero, Fraction(0)
    return tuple(slope * v for v in f[0]), slope * f[1]


def identically_zero(f: Form) -> bool:
    return not any(f[0]) and f[1] == 0


def neg(f: Form) -> Form:
    return tuple(-v for v in f[0]), -f[1]


def holds(f: Form, x: Sequence[Fraction]) -> bool:
    return sum((a * v for a, v in zip(f[0], x)), Fraction(0)) + f[1] > 0


# ---------------------------------------------------------------- strict systems


def _normalized(cons: Sequence[Form]) -> list[Form] | None:
    """The system with each form scaled to max |a_j| = 1, the tightest of parallel ones
    kept; None if a constant form is ≤ 0 (no solution)."""
    best: dict[tuple[Fraction, ...], Fraction] = {}
    for a, c in cons:
        m = max((abs(v) for v in a), default=Fraction(0))
        if m == 0:
            if c <= 0:
                return None
            continue
        key = tuple(v / m for v in a)
        cc = c / m
        if key not in best or cc < best[key]:
            best[key] = cc
    return [(k, c) for k, c in best.items()]


def solve_strict(cons: Sequence[Form], d: int) -> tuple[Fraction, ...] | None:
    """A point x with a·x + c > 0 for every (a, c) in ``cons``, or None if there is none,
    exactly (Fourier–Motzkin elimination of the last variable, then back substitution)."""
    sys_ = _normalized(cons)
    if sys_ is None:
        return None
    if d == 0:
        return ()
    low, up, rest = [], [], []
    for a, c in sys_:
        k = a[-1]
        if k > 0:  # x_d > -(a'·x' + c)/k
            low.append((tuple(-v / k for v in a[:-1]), -c / k))
        elif k < 0:  # x_d < (a'·x' + c)/(-k)
            up.append((tuple(v / -k for v in a[:-1]), c / -k))
        else:
            rest.append((a[:-1], c))
    for la, lc in low:
        for ua, uc in up:
            rest.append((tuple(u - l for u, l in zip(ua, la)), uc - lc))
    y = solve_strict(rest, d - 1)
    if y is None:
        return None

    def ev(f: Form) -> Fraction:
        return sum((a * v for a, v in zip(f[0], y)), Fraction(0)) + f[1]

    lo = max((ev(f) for f in low), default=None)
    hi = min((ev(f) for f in up), default=None)
    if lo is None and hi is None:
        t = Fraction(0)
    elif hi is None:
        t = lo + 1
    elif lo is None:
        t = hi - 1
    else:
        assert lo < hi
        t = (lo + hi) / 2
    x = tuple(y) + (t,)
    assert all(holds(f, x) for f in cons), "Fourier-Motzkin back substitution failed"
    return x


# ---------------------------------------------------------------- domains


def box_forms(lo: Sequence[Any], hi: Sequence[Any]) -> list[Form]:
    d = len(lo)
    out: list[Form] = []
    for j in range(d):
        e = tuple(Fraction(int(i == j)) for i in range(d))
        out.append((e, -frac(lo[j])))
        out.append((tuple(-v for v in e), frac(hi[j])))
    return out


def polytope_forms(G: Sequence[Sequence[Any]], h: Sequence[Any]) -> list[Form]:
    """The interior of G x ≤ h as forms h − G x > 0."""
    return [(tuple(-frac(v) for v in row), frac(hi)) for row, hi in zip(G, h)]


# ---------------------------------------------------------------- the oracle


def oracle_regions(layers, d: int, domain: Sequence[Form] = ()) -> dict[tuple[int, ...], tuple[Fraction, ...]]:
    """Every activation pattern whose region meets the open domain, with an exact point
    inside it (found by the oracle, independently of the library)."""
    spec = exact_spec(layers)
    base = list(domain)
    x0 = solve_strict(base, d)
    if x0 is None:
        return {}
    out: dict[tuple[int, ...], tuple[Fraction, ...]] = {}
    # state: (layer index, unit index, bits so far, constraints, current layer's input forms,
    #         forms of this layer's outputs so far, witness)
    ident: list[Form] = [(tuple(Fraction(int(i == j)) for j in range(d)), Fraction(0)) for i in range(d)]
    stack = [(0, 0, (), base, ident, [], x0)]
    while stack:
        k, u, bits, cons, a_in, a_out, wit = stack.pop()
        if k == len(spec):
            out[bits] = wit
            continue
        W, b, kind, slope = spec[k]
        if u == len(W):
            stack.append((k + 1, 0, bits, cons, a_out, [], wit))
            continue
        f = _combine(W[u], a_in, b[u], d)
        if kind == "identity":
            stack.append((k, u + 1, bits, cons, a_in, a_out + [f], wit))
            continue
        if identically_zero(f):
            stack.append((k, u + 1, bits + (0,), cons, a_in, a_out + [_act_form(f, 0, kind, slope, d)], wit))
            continue
        for bit, g in ((1, f), (0, neg(f))):
            c2 = cons + [g]
            w2 = wit if holds(g, wit) else solve_strict(c2, d)
            if w2 is not None:
                stack.append((k, u + 1, bits + (bit,), c2, a_in,
                              a_out + [_act_form(f, bit, kind, slope, d)], w2))
    return out
