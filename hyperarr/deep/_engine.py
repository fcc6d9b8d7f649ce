"""The activation regions of a network, layer after layer, as cells of cones (private).

The cells of the first layer with a kink are those of its arrangement in the
domain.  On each cell every later pre-activation is affine, so the cells of
the next layer are the cell cut by that layer's units, one hyperplane per
unit and per cell: hyperarr's cone kernel (``hyperarr._cones``) inserts
them one at a time, for a whole batch of cells per unit, in float64 with
proven error bounds.  A cell whose step the bounds cannot certify is
rebuilt exactly (its cone replayed from the domain along its pattern, in
integers) and cut exactly, then goes on in floats.

The affine maps of the cells are carried along in float64 with entrywise
error bounds (``|fl(W A) − W A| ≤ γ_n |W| |A|``, plus the propagated error),
so every row handed to the kernel has a proven bound.

Memory: the cells are walked depth first, in blocks, so that a block's
descendants are finished before the next block starts.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Iterator, Sequence

import time

import numpy as np
from numpy.typing import NDArray

from hyperarr import _cones, _exact
from hyperarr.deep._model import Model, _may_underflow
from hyperarr.domain import Box, Polytope
from hyperarr.exceptions import HyperarrError, OutputTooLargeError

__all__ = ["Plan", "Block", "walk", "exact_cell", "bounded_in_space", "witnesses"]

_U = 2.0**-53


#: The largest input dimension whose 2^d start cells (around d independent units of the
#: first layer, with no domain) are built.
MAX_ORTHANT_DIM = 22


class Plan:
    """A network's kinked layers with the identity layers folded in, exactly and in floats,
    and the domain's root cone."""

    def __init__(self, net: Model, domain: Polytope | None) -> None:
        self.net = net
        self.d = d = net.input_dim
        self.D = d + 1
        layers = [dict(L) for L in net._kinked]
        # Constraint ids: 0 is t ≥ 0, then the domain's facets, then the units.
        if domain is None:
            self.F = 0
        elif isinstance(domain, Box):
            self.F = 2 * d
        else:
            self.F = domain.facets.n
        first = 1 + self.F
        for L in layers:
            L["hid0"] = first
            first += L["k"]
        self.W = _cones.words_for(first)
        self.layers = layers
        self.domain = domain
        self.root, self.root_rows = self._root()

    def _root(self) -> tuple[_cones.ExactCell, dict[int, tuple[int, ...]]]:
        dom = self.domain
        if isinstance(dom, Box):
            lo = [Fraction(v) for v in dom.lo]
            hi = [Fraction(v) for v in dom.hi]
            return _cones.box_cell(lo, hi, self.W), _cones.box_rows(lo, hi)
        cell = _cones.root_cell(self.d, self.W)
        rows: dict[int, tuple[int, ...]] = {0: tuple([0] * self.d + [1])}
        if dom is not None:
            for i, row in enumerate(dom.facets._int_rows):
                inner = tuple(-v for v in row[:-1]) + (row[-1],)  # h − G x ≥ 0
                cell = dict(_cones.insert_exact(cell, inner, 1 + i))[1]
                rows[1 + i] = inner
        return cell, rows

    def start(self) -> tuple[_cones.FloatCells, list[int], NDArray[np.uint8]]:
        """The float cells the walk starts from, the units of the first kinked layer already
        inserted (exactly, to remove the lineality of R^d), and each start cell's bits for
        them.  Requires the first layer's normals to span R^d when there is no domain."""
        if not self.root.L:
            return (_cones.to_float_cells([self.root], self.W, [self.root_rows]), [],
                    np.zeros((1, 0), dtype=np.uint8))
        L = self.layers[0]
        H = _exact_rows(L, _identity(self.d))
        chosen: list[int] = []
        for j, row in enumerate(H):
            if _exact.rank_exact([H[i][:-1] for i in chosen + [j]]) == len(chosen) + 1:
                chosen.append(j)
                if len(chosen) == self.d:
                    break
        if len(chosen) < self.d:
            raise HyperarrError("internal error: the first layer does not span R^d; "
                                "please report it with the network")
        if self.d > MAX_ORTHANT_DIM:
            raise OutputTooLargeError(
                f"the network has at least 2^{self.d} regions in R^{self.d} (its first layer holds "
                f"{self.d} independent units); restrict it to a plane with net.on_plane(p0, p1, p2) "
                "or count it in a box")
        return _orthants(self, [H[j] for j in chosen], [L["hid0"] + j for j in chosen]), chosen, \
            _orthant_bits(self.d)

    def first_rank(self) -> int:
        """The rank of the first kinked layer's normals (its units' linear parts)."""
        if not self.layers:
            return 0
        H = _exact_rows(self.layers[0], _identity(self.d))
        return _exact.rank_exact([row[:-1] for row in H])

    def free_space(self) -> "Plan":
        """The same network over all of R^d."""
        return Plan(self.net, None)


def _orthant_bits(d: int) -> NDArray[np.uint8]:
    """Every 0/1 vector of length d, as rows (the first column slowest)."""
    return ((np.arange(2**d)[:, None] >> np.arange(d - 1, -1, -1)[None, :]) & 1).astype(np.uint8)


def _orthants(plan: "Plan", rows: list[list[Any]], hids: list[int]) -> _cones.FloatCells:
    """The 2^d cells of d independent hyperplanes of R^d (rows ``[n | c]``: n · x + c = 0),
    built directly: each is the vertex v (N v = −c) plus the cone of the signed dual
    directions ±u_i (n_j · u_i = δ_ij), so no exact cutting is needed.  Rays are rounded
    from the exact v and u_i; each ray's defining rows are the hyperplanes (and t ≥ 0)
    tight at it."""
    d, D, W = plan.d, plan.D, plan.W
    N = [[Fraction(v) for v in r[:-1]] for r in rows]
    c = [Fraction(r[-1]) for r in rows]
    inv = _inverse(N)  # columns u_i
    v = [sum((inv[i][j] * -c[j] for j in range(d)), Fraction(0)) for i in range(d)]
    U = [[inv[i][k] for i in range(d)] for k in range(d)]  # U[k] = u_k
    vf, ve = _cones.round_ray([*v, Fraction(1)])
    uf = []
    for k in range(d):
        f, _ = _cones.round_ray([*U[k], Fraction(0)])
        uf.append(f)
    bits = _orthant_bits(d)
    m = bits.shape[0]
    sgn = np.where(bits == 1, 1.0, -1.0)  # side 1: z_k > 0, along +u_k
    R = np.empty((m, d + 1, D))
    R[:, 0, :] = vf
    R[:, 1:, :] = sgn[:, :, None] * np.array(uf)[None, :, :]
    E = np.full((m, d + 1), ve)
    INF = np.zeros((m, d + 1), dtype=bool)
    INF[:, 1:] = True
    T = np.zeros((m, d + 1, W), dtype=np.uint64)
    unit_mask = np.zeros(W, dtype=np.uint64)
    for h in hids:
        unit_mask[h // 64] |= np.uint64(1) << np.uint64(h % 64)
    T[:, 0, :] = unit_mask
    RI = np.empty((m, d + 1, d), dtype=np.int64)
    RI[:, 0, :] = hids
    for k in range(d):
        row = unit_mask.copy()
        row[hids[k] // 64] &= ~(np.uint64(1) << np.uint64(hids[k] % 64))
        row[0] |= np.uint64(1)  # t ≥ 0 (id 0)
        T[:, 1 + k, :] = row
        RI[:, 1 + k, :] = [0] + [h for i, h in enumerate(hids) if i != k]
    C = unit_mask.copy()
    C[0] |= np.uint64(1)
    # the row table: t ≥ 0 and the d hyperplanes, oriented into each cell
    irows = [_exact.integer_row(r) for r in rows]
    QW1 = _exact.unit_rows(irows, D)
    QE1 = np.where(np.array(irows, dtype=object) != 0, np.abs(QW1) * 2.0**-53 + 2.0**-1074, 0.0)
    QW = np.empty((m, d + 1, D))
    QE = np.empty((m, d + 1, D))
    QW[:, 0, :] = 0.0
    QW[:, 0, -1] = 1.0
    QE[:, 0, :] = 0.0
    QW[:, 1:, :] = sgn[:, :, None] * QW1[None, :, :]
    QE[:, 1:, :] = QE1.astype(np.float64)[None, :, :]
    QI = np.broadcast_to(np.array([0] + hids, dtype=np.int64), (m, d + 1))
    per = np.arange(m + 1, dtype=np.int64) * (d + 1)
    return _cones.FloatCells(per, R.reshape(-1, D), E.reshape(-1), INF.reshape(-1),
                             T.reshape(-1, W), np.broadcast_to(C, (m, W)).copy(),
                             RI.reshape(-1, d), per.copy(), QI.reshape(-1).copy(),
                             QW.reshape(-1, D), QE.reshape(-1, D))


def _inverse(N: list[list[Fraction]]) -> list[list[Fraction]]:
    """The inverse of a nonsingular square matrix of Fractions (Gauss–Jordan)."""
    n = len(N)
    A = [list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(N)]
    for col in range(n):
        piv = next(r for r in range(col, n) if A[r][col] != 0)
        A[col], A[piv] = A[piv], A[col]
        p = A[col][col]
        A[col] = [x / p for x in A[col]]
        for r in range(n):
            if r != col and A[r][col] != 0:
                f = A[r][col]
                A[r] = [x - f * y for x, y in zip(A[r], A[col])]
    return [r[n:] for r in A]


#: An exact cell with its bits so far and its constraints' integer rows (oriented), by id.
_Exact = tuple[_cones.ExactCell, list[int], dict[int, tuple[int, ...]]]


def _split_all(cur: list[_Exact], irow: tuple[int, ...], hid: int) -> list[_Exact]:
    """Every cell of ``cur`` cut by the integer row ``irow`` (constraint ``hid``), exactly:
    the children, each with its side appended to its bits and the row, oriented into it."""
    out = []
    for cell, bits, rows in cur:
        for s, child in _cones.insert_exact(cell, irow, hid):
            r2 = dict(rows)
            r2[hid] = irow if s else tuple(-v for v in irow)
            out.append((child, bits + [s], r2))
    return out


def _identity(d: int) -> list[list[Any]]:
    return [[1 if i == j else 0 for j in range(d)] + [0] for i in range(d)]


class Block:
    """Final cells: patterns (one column per kinked unit) and their float cones."""

    def __init__(self, patterns: NDArray[np.uint8], cells: _cones.FloatCells) -> None:
        self.patterns = patterns
        self.cells = cells


def _rows(L: dict[str, Any], A: NDArray[np.float64] | None, AE: NDArray[np.float64] | None,
          n: int, D: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Pre-activation rows (k, n, D) of layer L on n cells whose output maps are A
    (w, n, D), with entrywise error bounds.  ``A is None`` means the identity map of the
    input (the rows are the same on every cell).

    |fl(W A) − W A| ≤ γ_{w+2} |W| |A| entrywise, plus |W| |ΔA| for the error ΔA
    already in A (and |ΔW| (|A| + ΔA) for weights not exact in float64).
    """
    Wf, WE, bf, bE = L["Wf"], L["WE"], L["bf"], L["bE"]
    k, w = Wf.shape
    if A is None:
        H1 = np.zeros((k, 1, D))
        H1[:, 0, :-1] = Wf
        H1[:, 0, -1] = bf
        HE1 = np.zeros((k, 1, D))
        HE1[:, 0, :-1] = WE
        HE1[:, 0, -1] = bE
        return np.broadcast_to(H1, (k, n, D)), np.broadcast_to(HE1, (k, n, D))
    assert AE is not None
    gam = (w + 2) * _U
    with np.errstate(all="ignore"):
        A2 = A.reshape(w, n * D)
        H = (Wf @ A2).reshape(k, n, D)
        # Σ_i |W_ji| (γ|A_i| + ΔA_i) ≤ ‖W_j‖₁ max_i (γ|A_i| + ΔA_i): an outer product instead
        # of a second matrix product (still exactly 0 where every A_i and ΔA_i is)
        M = (gam * np.abs(A2) + AE.reshape(w, n * D)).max(axis=0)
        E = np.abs(Wf).sum(axis=1)[:, None] * M[None, :] * (1 + (w + 2) * _U)
        if WE.any():
            E += WE @ (np.abs(A2) + AE.reshape(w, n * D))
        # A product that underflows is off by less than 2**-1074: one allowance per nonzero
        # product, so that a bound of exactly 0 still means an exact 0.
        if _may_underflow(A2, Wf):
            E += 2.0**-1000 * ((Wf != 0).astype(np.float64) @ (A2 != 0).astype(np.float64))
        HE = E.reshape(k, n, D)
        H[:, :, -1] += bf[:, None]
        HE[:, :, -1] += (bE + gam * np.abs(bf))[:, None]
        HE *= 1 + 2.0**-40
    return H, HE


def _activate(L: dict[str, Any], H: NDArray[np.float64], HE: NDArray[np.float64],
              bits: NDArray[np.uint8]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The maps (k, m, D) of the layer's outputs on cells with ``bits`` (m, k), with their
    error bounds; H and HE are the caller's own copies and may be scaled in place."""
    l = L["layer"]
    bt = np.ascontiguousarray(bits.T)[:, :, None]  # so that the products come out C-ordered
    if l.kind == "step":
        A = np.zeros(H.shape)
        A[:, :, -1] = bits.T
        return A, np.zeros(H.shape)
    if l.kind == "relu":  # an inactive unit's output is exactly 0 (even where H overflowed)
        off = bt == 0
        np.copyto(H, 0.0, where=off)
        np.copyto(HE, 0.0, where=off)
        return H, HE
    s_f = float(l.slope)
    s_e = 0.0 if Fraction(s_f) == l.slope else abs(s_f) * _U
    s = np.where(bt == 1, 1.0, s_f)
    se = np.where(bt == 1, 0.0, s_e)
    with np.errstate(all="ignore"):  # inf or nan where H overflowed: uncertain, then exact
        A = H * s
        AE = np.abs(s) * HE + se * (np.abs(H) + HE) + _U * np.abs(A)
    return A, AE


def exact_cell(plan: Plan, bits: Sequence[int], upto: int | None = None) -> tuple[
        _cones.ExactCell, list[list[Any]], dict[int, tuple[int, ...]]]:
    """The exact cone of the cell with pattern ``bits`` after the kinked layers before
    ``upto`` (all by default), the exact map (rows of [M | c]) of the last one's output,
    and the integer rows of the constraints, oriented into the cell, by id."""
    cell = plan.root
    rows = dict(plan.root_rows)
    A = _identity(plan.d)
    pos = 0
    for L in plan.layers[: len(plan.layers) if upto is None else upto]:
        H = _exact_rows(L, A)
        for j, row in enumerate(H):
            want = bits[pos + j]
            irow = _exact.integer_row(row)
            kids = dict(_cones.insert_exact(cell, irow, L["hid0"] + j))
            if want not in kids:
                raise HyperarrError("internal error: a cell's pattern does not match its exact cone; "
                                    "please report it with the network")
            cell = kids[want]
            rows[L["hid0"] + j] = irow if want else tuple(-v for v in irow)
        A = _exact_activate(L, H, bits[pos : pos + L["k"]])
        pos += L["k"]
    return cell, A, rows


def _exact_rows(L: dict[str, Any], A: list[list[Any]]) -> list[list[Any]]:
    cols = list(zip(*A))
    out = []
    for row, bi in zip(L["W"].tolist(), L["b"].tolist()):
        r = [sum((w * v for w, v in zip(row, col) if w and v), Fraction(0)) for col in cols]
        r[-1] += bi
        out.append(r)
    return out


def _exact_activate(L: dict[str, Any], H: list[list[Any]], bits: Sequence[int]) -> list[list[Any]]:
    l = L["layer"]
    D = len(H[0])
    if l.kind == "step":
        return [[0] * (D - 1) + [int(b)] for b in bits]
    slope = 0 if l.kind == "relu" else l.slope
    return [row if b else [slope * v for v in row] for row, b in zip(H, bits)]


def _split_exact(plan: Plan, level: int, bits: Sequence[int], preset: dict[int, int]) -> tuple[
        _cones.FloatCells, list[list[int]]]:
    """The children, exactly, of the cell with pattern prefix ``bits`` at kinked layer
    ``level`` (its units in ``preset`` already inserted, with those bits): the child cells
    in floats and their bits for that layer."""
    cell, A, rows = exact_cell(plan, bits, level)
    L = plan.layers[level]
    H = _exact_rows(L, A)
    for j, s in preset.items():
        irow = _exact.integer_row(H[j])
        cell = dict(_cones.insert_exact(cell, irow, L["hid0"] + j))[s]
        rows[L["hid0"] + j] = irow if s else tuple(-v for v in irow)
    cur: list[_Exact] = [(cell, [], rows)]
    for j, row in enumerate(H):
        if j not in preset:
            cur = _split_all(cur, _exact.integer_row(row), L["hid0"] + j)
    out_bits = []
    for _, b, _ in cur:
        it = iter(b)
        out_bits.append([preset[j] if j in preset else next(it) for j in range(L["k"])])
    return _cones.to_float_cells([c for c, _, _ in cur], plan.W, [r for _, _, r in cur]), out_bits


def _cut_layer(plan: Plan, level: int, cells: _cones.FloatCells, H: NDArray[np.float64],
               HE: NDArray[np.float64], prefix: NDArray[np.uint8],
               keep: NDArray[np.uint8] | None = None, done: Sequence[int] = (),
               done_bits: NDArray[np.uint8] | None = None) -> tuple[
                   NDArray[np.int64], NDArray[np.uint8], _cones.FloatCells]:
    """Cut each cell by the layer's k units; returns (parent index, bits, children).
    With ``keep`` (n, k), only the child with those bits is made.  The units ``done`` are
    already inserted, with bits ``done_bits`` (n, len(done))."""
    L = plan.layers[level]
    k, hid0 = L["k"], L["hid0"]
    todo = [j for j in range(k) if j not in set(done)]
    kp = None if keep is None else np.ascontiguousarray(keep[:, todo], dtype=np.int8)
    Ht, HEt = (H, HE) if len(todo) == k else (np.asarray(H)[todo], np.asarray(HE)[todo])
    orig, tbits, status, sub = _cones.cut_float(cells, Ht, HEt, [hid0 + j for j in todo], kp)
    bad = status < 0
    bits = np.zeros((len(sub), k), dtype=np.uint8)
    bits[:, todo] = tbits[:, : len(todo)]
    if done:
        bits[:, list(done)] = done_bits[orig]  # type: ignore[index]
    if bad.any():
        extra_o: list[NDArray[np.int64]] = [orig]
        extra_b: list[NDArray[np.uint8]] = [bits]
        extra_c: list[_cones.FloatCells] = [sub]
        for c in np.flatnonzero(bad).tolist():
            preset = {j: int(done_bits[c, i]) for i, j in enumerate(done)} if done else {}  # type: ignore[index]
            kids, kbits = _split_exact(plan, level, prefix[c].tolist(), preset)
            sel = np.arange(len(kbits))
            if keep is not None:
                want = keep[c].tolist()
                sel = np.array([i for i, b in enumerate(kbits) if b == want], dtype=np.int64)
            if not sel.size:
                continue
            extra_o.append(np.full(sel.size, c, dtype=np.int64))
            extra_b.append(np.array(kbits, dtype=np.uint8).reshape(len(kbits), k)[sel])
            extra_c.append(kids.take(sel))
        orig = np.concatenate(extra_o)
        bits = np.concatenate(extra_b)
        sub = _cones.FloatCells.concatenate(extra_c)
    return orig, bits, sub


def walk(plan: Plan, chunk: int = 50_000, limit: int | None = None,
         first: NDArray[np.int64] | None = None, deadline: float | None = None) -> Iterator[Block]:
    """The final cells, block by block, depth first over the kinked layers.

    Each level's cells are cut in blocks sized from the growth measured on
    the blocks before (the first block is small), so that a block's
    children stay near ``chunk`` cells and memory follows the block, not
    the output.  With ``limit``, more final cells than that raise
    ``_OverLimit``.  With ``first``, only those cells of the first level are
    followed (a sample, for an estimate).  With ``deadline`` (a ``time.monotonic()``
    value), a block that starts after it raises ``_OverTime``.
    """
    n_levels = len(plan.layers)
    start, done, done_bits = plan.start()
    empty = np.zeros((len(start), 0), dtype=np.uint8)
    count = [0]

    def descend(level: int, cells: _cones.FloatCells, A: NDArray[np.float64] | None,
                AE: NDArray[np.float64] | None, prefix: NDArray[np.uint8]) -> Iterator[Block]:
        L = plan.layers[level]
        n = len(cells)
        H, HE = _rows(L, A, AE, n, plan.D)
        orig, bits, kids = (_cut_layer(plan, level, cells, H, HE, prefix, done=done, done_bits=done_bits)
                            if level == 0 else _cut_layer(plan, level, cells, H, HE, prefix))
        if level == 0 and first is not None:
            keep = first[first < len(kids)]
            orig, bits, kids = orig[keep], bits[keep], kids.take(keep)
        pats = np.hstack([prefix[orig], bits])
        if level == n_levels - 1:
            count[0] += len(kids)
            if limit is not None and count[0] > limit:
                raise _OverLimit(count[0])
            yield Block(pats, kids)
            return
        block = max(1, min(chunk, 256))
        at = 0
        while at < len(kids):
            if deadline is not None and time.monotonic() > deadline:
                raise _OverTime(count[0])
            stop = min(len(kids), at + block)
            sl = np.arange(at, stop)
            o = orig[sl]
            A2, AE2 = _activate(L, np.asarray(H[:, o]), np.asarray(HE[:, o]), bits[sl])
            got = 0
            for blk in descend(level + 1, kids.take(sl), A2, AE2, pats[sl]):
                got += len(blk.patterns)
                yield blk
            growth = max(1.0, got / (stop - at))
            block = max(1, min(4 * block, int(chunk / growth)))
            at = stop

    yield from descend(0, start, None, None, empty)


def first_level_size(plan: Plan) -> int:
    """The number of cells of the first kinked layer."""
    start, done, done_bits = plan.start()
    L = plan.layers[0]
    H, HE = _rows(L, None, None, len(start), plan.D)
    _, _, kids = _cut_layer(plan, 0, start, H, HE, np.zeros((len(start), 0), dtype=np.uint8),
                            done=done, done_bits=done_bits)
    return len(kids)


class _OverTime(Exception):
    def __init__(self, count: int) -> None:
        self.count = count


class _OverLimit(Exception):
    def __init__(self, count: int) -> None:
        self.count = count


def bounded_in_space(plan: Plan, patterns: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Whether the region of each pattern, in all of R^d, is bounded: its cone over R^d,
    replayed along the pattern, has no ray at infinity."""
    free = plan.free_space()
    n = patterns.shape[0]
    if free.first_rank() < free.d:
        return np.zeros(n, dtype=bool)  # every region holds the first layer's kernel: a line
    start, done, done_bits = free.start()
    # each pattern's start cell: the one whose bits agree on the units inserted first
    first = patterns[:, : free.layers[0]["k"]][:, done] if done else np.zeros((n, 0), dtype=np.uint8)
    key = {tuple(b): i for i, b in enumerate(done_bits.tolist())}
    cells = start.take(np.array([key[tuple(b)] for b in first.tolist()], dtype=np.int64))
    dbits = first
    A: NDArray[np.float64] | None = None
    AE: NDArray[np.float64] | None = None
    pos = 0
    for level, L in enumerate(free.layers):
        k = L["k"]
        H, HE = _rows(L, A, AE, len(cells), free.D)
        want = patterns[:, pos : pos + k]
        if level == 0:
            orig, bits, cells = _cut_layer(free, 0, cells, H, HE, patterns[:, :0], keep=want,
                                           done=done, done_bits=dbits)
        else:
            orig, bits, cells = _cut_layer(free, level, cells, H, HE, patterns[:, :pos], keep=want)
        order = np.argsort(orig, kind="stable")
        orig, bits, cells = orig[order], bits[order], cells.take(order)
        if len(cells) != n or not np.array_equal(orig, np.arange(n)):
            raise HyperarrError("internal error: a region's pattern is empty in R^d; please report it")
        A, AE = _activate(L, np.array(H), np.array(HE), bits)
        pos += k
    return ~cells.has_infinity()


def witnesses(plan: Plan, block: Block) -> tuple[NDArray[np.float64], NDArray[np.bool_], list[Any]]:
    """A witness of each final cell: float points checked exactly (pattern reproduced with
    no kinked pre-activation at 0, strictly inside the domain), and for the others an
    exact point from the cell's exact cone."""
    from hyperarr.deep._model import _forward

    X = block.cells.interior_points()
    n = X.shape[0]
    ok: NDArray[np.bool_] = np.asarray(np.isfinite(X).all(axis=1), dtype=bool)
    Xs = np.where(ok[:, None], X, 0.0)
    pats, zero = _forward(plan.net, Xs)
    ok &= (pats == block.patterns).all(axis=1) & ~zero
    if plan.domain is not None:
        ok &= plan.domain.contains(Xs, strict=True)
    exact: list[Any] = [None] * n
    for i in np.flatnonzero(~ok).tolist():
        cell, _, _ = exact_cell(plan, block.patterns[i].tolist())
        p = _cones.exact_interior_point(cell)
        exact[i] = p
        Xs[i] = [_exact.to_float(v) for v in p]
    inside = ok.copy()
    redo = np.flatnonzero(~ok)
    if redo.size:
        fin: NDArray[np.bool_] = np.asarray(np.isfinite(Xs[redo]).all(axis=1), dtype=bool)
        pr, zr = _forward(plan.net, np.where(fin[:, None], Xs[redo], 0.0))
        good = fin & (pr == block.patterns[redo]).all(axis=1) & ~zr
        if plan.domain is not None:
            good &= plan.domain.contains(np.where(fin[:, None], Xs[redo], 0.0), strict=True)
        inside[redo] = good
        for i in redo[good].tolist():
            exact[i] = None
    return Xs, inside, exact
