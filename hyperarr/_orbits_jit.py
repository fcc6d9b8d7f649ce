"""Compiled loops of the count up to symmetry (private; numba).

A restriction is held as a *coloring* of the hyperplanes: the closure C of
its flat X (the hyperplanes that contain X) and the set S of hyperplanes
whose trace on X is one of the restriction's traces.  Both are functions of
the restriction, so a symmetry g maps the coloring (C, S) of B onto the
coloring (g C, g S) of g B.  ``node_children`` recomputes a restriction from
its coloring (arithmetic over F_p), lists its children in the order of the
level-by-level count (`hyperarr._levels`), and replaces each child by its
canonical image under the group (``canonical``); identical canonical images
are then merged by the caller.

Colorings are packed as two bit masks of ``words`` uint64 words each.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["canonical", "node_children"]


@njit(cache=True, nogil=True)
def _mix(z):  # type: ignore[no-untyped-def]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, nogil=True)
def _inverse(a, p, table):  # type: ignore[no-untyped-def]
    if len(table):
        return table[a]
    r = 1
    b = a
    e = p - 2
    while e:
        if e & 1:
            r = r * b % p
        b = b * b % p
        e >>= 1
    return r


@njit(cache=True, nogil=True)
def _normalize(v, p, table):  # type: ignore[no-untyped-def]
    """Scale the row to a leading 1; return the leading position (−1: zero)."""
    for k in range(v.shape[0]):
        if v[k] != 0:
            inv = _inverse(v[k], p, table)
            for q in range(k, v.shape[0]):
                v[q] = v[q] * inv % p
            return k
    return -1


@njit(cache=True, nogil=True)
def _less(a, b):  # type: ignore[no-untyped-def]
    for k in range(a.shape[0]):
        if a[k] != b[k]:
            return a[k] < b[k]
    return False


@njit(cache=True, nogil=True)
def _classes(V, count, ids):  # type: ignore[no-untyped-def]
    """Group the first ``count`` rows of V by equality: ``ids[i]`` is the
    index of the first row equal to row i.  Exact (a hash only orders)."""
    w = V.shape[1]
    hs = np.empty(count, dtype=np.uint64)
    for i in range(count):
        h = np.uint64(0x9E3779B97F4A7C15)
        for q in range(w):
            h = _mix(h ^ np.uint64(V[i, q]))
        hs[i] = h
    order = np.argsort(hs)
    for i in range(count):
        ids[i] = -1
    a = 0
    while a < count:
        b = a
        while b + 1 < count and hs[order[b + 1]] == hs[order[a]]:
            b += 1
        for x in range(a, b + 1):
            i = order[x]
            if ids[i] >= 0:
                continue
            ids[i] = i
            for y in range(x + 1, b + 1):
                k = order[y]
                if ids[k] < 0:
                    same = True
                    for q in range(w):
                        if V[i, q] != V[k, q]:
                            same = False
                            break
                    if same:
                        ids[k] = i
        a = b + 1


@njit(cache=True, nogil=True)
def _first_of_class(ids, count):  # type: ignore[no-untyped-def]
    """Make ``ids[i]`` the smallest index of row i's class."""
    low = np.full(count, -1, dtype=np.int64)
    for i in range(count):
        r = ids[i]
        if low[r] < 0:
            low[r] = i
    for i in range(count):
        ids[i] = low[ids[i]]


@njit(cache=True, nogil=True)
def _rref(M, p, table):  # type: ignore[no-untyped-def]
    """Reduced row echelon form of M over F_p, in place; pivot columns and rank."""
    h, w = M.shape
    piv = np.empty(w, dtype=np.int64)
    r = 0
    for c in range(w):
        if r == h:
            break
        s = -1
        for q in range(r, h):
            if M[q, c] != 0:
                s = q
                break
        if s < 0:
            continue
        for k in range(w):
            t = M[r, k]
            M[r, k] = M[s, k]
            M[s, k] = t
        inv = _inverse(M[r, c], p, table)
        for k in range(w):
            M[r, k] = M[r, k] * inv % p
        for q in range(h):
            if q != r and M[q, c] != 0:
                f = M[q, c]
                for k in range(w):
                    M[q, k] = (M[q, k] - f * M[r, k]) % p
        piv[r] = c
        r += 1
    return piv[:r], r


@njit(cache=True, nogil=True)
def _flat(inC, rows, p, table):  # type: ignore[no-untyped-def]
    """The flat cut out by the rows in C: its equations in reduced echelon
    form, their pivot columns, its codimension, and which columns are free."""
    n, dim = rows.shape
    nc = 0
    for i in range(n):
        if inC[i]:
            nc += 1
    M = np.empty((nc, dim), dtype=np.int64)
    q = 0
    for i in range(n):
        if inC[i]:
            M[q] = rows[i]
            q += 1
    piv, rank = _rref(M, p, table)
    free = np.ones(dim, dtype=np.bool_)
    for a in range(rank):
        free[piv[a]] = False
    return M, piv, rank, free


@njit(cache=True, nogil=True)
def canonical(inC, inS, Gs, off2, ties, outC, outS):  # type: ignore[no-untyped-def]
    """Write the canonical image of the coloring (inC, inS) to (outC, outS).

    The image under g is the coloring e ↦ col(g⁻¹(e)); ``Gs`` holds the
    inverses g⁻¹ as rows, sorted by their first two entries, and
    ``off2[a·n + b]`` is where the rows with g⁻¹(0) = a, g⁻¹(1) = b start.
    The canonical image is the lexicographically largest image, comparing
    first the indicator of C and then that of S: for the flat, only rows
    whose first two entries lie in C need to be read when any exist.
    ``ties`` is scratch of length len(Gs).  Returns the number of group
    elements that give the canonical image (the coloring's stabilizer's
    size, when Gs is a group).
    """
    nt = _canonical_flat(inC, Gs, off2, ties, outC)
    return _canonical_set(inS, Gs, ties, nt, outS)


@njit(cache=True, nogil=True)
def _compare(flags, row, best, stop):  # type: ignore[no-untyped-def]
    """Compare the image e ↦ flags[row[e]] with ``best`` on positions below
    ``stop``: 1 if it is larger, −1 if smaller, 0 if equal there."""
    for e in range(stop):
        v = flags[row[e]]
        if v != best[e]:
            return 1 if v else -1
    return 0


@njit(cache=True, nogil=True)
def _canonical_flat(inC, Gs, off2, ties, outC):  # type: ignore[no-untyped-def]
    """The largest image of the set inC, written to outC; the elements giving
    it are written to ``ties`` and their number returned."""
    n = inC.shape[0]
    members = np.empty(n, dtype=np.int64)
    c = 0
    for a in range(n):
        if inC[a]:
            members[c] = a
            c += 1
    # The rows to read: those whose first two entries are in C if any are,
    # else those whose first entry is, else all.
    have01 = False
    for x in range(c):
        a0 = members[x]
        for y in range(c):
            a1 = members[y]
            if off2[a0 * n + a1 + 1] > off2[a0 * n + a1]:
                have01 = True
    have0 = False
    for x in range(c):
        a0 = members[x]
        if off2[a0 * n + n] > off2[a0 * n]:
            have0 = True
    nt = 0
    best_last = -1  # position of the last member of C in the best image
    first = True
    if have01:
        n_first, n_second = c, c
    elif have0:
        n_first, n_second = c, 1
    else:
        n_first, n_second = n, 1
    for x in range(n_first):
        a0 = members[x] if (have01 or have0) else x
        for y in range(n_second):
            if have01:
                lo = off2[a0 * n + members[y]]
                hi = off2[a0 * n + members[y] + 1]
            else:
                lo = off2[a0 * n]
                hi = off2[a0 * n + n]
            for g in range(lo, hi):
                row = Gs[g]
                if first:
                    for e in range(n):
                        outC[e] = inC[row[e]]
                        if outC[e]:
                            best_last = e
                    ties[0] = g
                    nt = 1
                    first = False
                    continue
                state = _compare(inC, row, outC, best_last + 1)
                if state < 0:
                    continue
                if state > 0:
                    best_last = -1
                    for e in range(n):
                        outC[e] = inC[row[e]]
                        if outC[e]:
                            best_last = e
                    nt = 0
                ties[nt] = g
                nt += 1
    return nt


@njit(cache=True, nogil=True)
def _canonical_set(inS, Gs, ties, nt, outS):  # type: ignore[no-untyped-def]
    """The largest image of inS under the elements ``ties[:nt]``, written to
    outS; returns how many give it."""
    n = inS.shape[0]
    row = Gs[ties[0]]
    for e in range(n):
        outS[e] = inS[row[e]]
    count = 1
    for t in range(1, nt):
        row = Gs[ties[t]]
        state = _compare(inS, row, outS, n)
        if state < 0:
            continue
        if state > 0:
            for e in range(n):
                outS[e] = inS[row[e]]
            count = 0
        count += 1
    return count


@njit(cache=True, nogil=True)
def _unpack(mask, n, out):  # type: ignore[no-untyped-def]
    for i in range(n):
        out[i] = (mask[i >> 6] >> np.uint64(i & 63)) & np.uint64(1) != 0


@njit(cache=True, nogil=True)
def _pack(flags, out):  # type: ignore[no-untyped-def]
    for w in range(out.shape[0]):
        out[w] = 0
    for i in range(flags.shape[0]):
        if flags[i]:
            out[i >> 6] |= np.uint64(1) << np.uint64(i & 63)


@njit(cache=True, nogil=True)
def _grow(a, size):  # type: ignore[no-untyped-def]
    shape = (max(size, 2 * a.shape[0]),) + a.shape[1:]
    b = np.empty(shape, dtype=a.dtype)
    b[: a.shape[0]] = a
    return b


@njit(cache=True, nogil=True)
def node_children(labels, mult, rows, p, table, depth, Gs, off2, betti):  # type: ignore[no-untyped-def]
    """Expand every restriction of one depth (``labels``: rows of packed C
    and S masks) by one step.

    Adds what it settles to ``betti`` and returns the distinct canonical
    labels of the children with their summed multiplicities, and how many
    children there were before merging.  Children of
    dimension ≤ 2, or with a single trace, are settled in closed form.
    Restrictions on the same flat should be consecutive (as sorted labels
    are): the flat's traces and its children's canonical flats are then
    computed once.
    """
    R = labels.shape[0]
    words = labels.shape[1] // 2
    n, dim = rows.shape
    k = dim - depth
    out = np.empty((max(16, R), 2 * words), dtype=np.uint64)
    out_mult = np.empty(max(16, R), dtype=np.int64)
    hashes = np.empty(max(16, R), dtype=np.uint64)
    capacity = 1024
    slots = np.full(capacity, -1, dtype=np.int64)
    lab = np.empty(2 * words, dtype=np.uint64)
    nout = 0
    emitted = 0
    inC = np.zeros(n, dtype=np.bool_)
    inS = np.zeros(n, dtype=np.bool_)
    cC = np.zeros(n, dtype=np.bool_)
    cS = np.zeros(n, dtype=np.bool_)
    outS = np.zeros(n, dtype=np.bool_)
    ties = np.empty(Gs.shape[0], dtype=np.int64)
    T = np.empty((n, dim), dtype=np.int64)
    U = np.empty((n, dim), dtype=np.int64)
    ids = np.empty(n, dtype=np.int64)
    uids = np.empty(n, dtype=np.int64)
    idx = np.empty(n, dtype=np.int64)
    cls = np.empty(n, dtype=np.int64)
    clspos = np.empty(n, dtype=np.int64)
    trace_cls = np.empty(n, dtype=np.int64)
    chosen = np.zeros(n, dtype=np.bool_)
    packed = np.empty(words, dtype=np.uint64)
    # Per flat: the grouped traces of the classes on each trace,
    pair_ids = np.empty((n, n), dtype=np.int64)
    pair_done = np.zeros(n, dtype=np.bool_)
    # and the canonical flat of each child flat (one per class), and
    # the group elements giving it, in ``tie_buf[tie_lo[c]:tie_hi[c]]``.
    flat_img = np.zeros((n, words), dtype=np.uint64)
    tie_lo = np.full(n, -1, dtype=np.int64)
    tie_hi = np.zeros(n, dtype=np.int64)
    tie_buf = np.empty(1024, dtype=np.int64)
    n_tie = 0
    outC = np.zeros(n, dtype=np.bool_)
    cnt = 0
    w = 0
    ncls = 0
    fidx = np.empty(0, dtype=np.int64)
    for r in range(R):
        mu = mult[r]
        same = r > 0
        if same:
            for q in range(words):
                if labels[r, q] != labels[r - 1, q]:
                    same = False
                    break
        _unpack(labels[r, words:], n, inS)
        if not same:
            _unpack(labels[r, :words], n, inC)
            M, piv, rank, free = _flat(inC, rows, p, table)
            fidx = np.flatnonzero(free)
            w = fidx.shape[0]
            # Traces of the hyperplanes not containing X, in free coordinates.
            cnt = 0
            for i in range(n):
                if inC[i]:
                    continue
                h = rows[i]
                for b in range(w):
                    v = h[fidx[b]]
                    for s2 in range(rank):
                        v -= h[piv[s2]] * M[s2, fidx[b]]
                    T[cnt, b] = v % p
                _normalize(T[cnt, :w], p, table)
                idx[cnt] = i
                cnt += 1
            _classes(T[:, :w], cnt, ids)
            _first_of_class(ids, cnt)
            ncls = 0
            for a in range(cnt):
                if ids[a] == a:
                    cls[ncls] = a
                    clspos[a] = ncls
                    tie_lo[ncls] = -1
                    pair_done[ncls] = False
                    ncls += 1
            n_tie = 0
        # The restriction's traces: classes in S, in lexicographic order.
        m = 0
        for c2 in range(ncls):
            if inS[idx[cls[c2]]]:
                trace_cls[m] = cls[c2]
                m += 1
        for x in range(1, m):
            y = x
            while y > 0 and _less(T[trace_cls[y], :w], T[trace_cls[y - 1], :w]):
                tmp = trace_cls[y]
                trace_cls[y] = trace_cls[y - 1]
                trace_cls[y - 1] = tmp
                y -= 1
        betti[depth + 1] += mu * m
        if k <= 1 or m <= 1:
            continue
        if k == 2:
            betti[depth + 2] += mu * (m - 1)
            continue
        for jj in range(1, m):
            cj = trace_cls[jj]
            cjpos = clspos[cj]
            if not pair_done[cjpos]:
                # The traces of every class on trace j, grouped: computed
                # once per flat and trace.
                u = T[cj, :w]
                lead = 0
                while u[lead] == 0:
                    lead += 1
                for c2 in range(ncls):
                    t = T[cls[c2], :w]
                    f = t[lead]
                    for b in range(w):
                        U[c2, b] = (t[b] - f * u[b]) % p
                    _normalize(U[c2, :w], p, table)
                _classes(U[:, :w], ncls, uids)
                _first_of_class(uids, ncls)
                pair_ids[cjpos, :ncls] = uids[:ncls]
                pair_done[cjpos] = True
            on_j = pair_ids[cjpos]
            for c2 in range(ncls):
                chosen[c2] = False
            mprime = 0
            for ii in range(jj):
                x = on_j[clspos[trace_cls[ii]]]
                if not chosen[x]:
                    chosen[x] = True
                    mprime += 1
            kk = k - 1
            if mprime == 1 or kk == 1:
                betti[depth + 2] += mu * mprime
                continue
            if kk == 2:
                betti[depth + 2] += mu * mprime
                betti[depth + 3] += mu * (mprime - 1)
                continue
            # The child's coloring: its flat's closure, and the hyperplanes
            # whose trace on it is one of its traces.
            for i in range(n):
                cC[i] = inC[i]
                cS[i] = False
            for a in range(cnt):
                rep = ids[a]
                if rep == cj:
                    cC[idx[a]] = True
                elif chosen[on_j[clspos[rep]]]:
                    cS[idx[a]] = True
            cp = clspos[cj]
            if tie_lo[cp] < 0:
                nt = _canonical_flat(cC, Gs, off2, ties, outC)
                if n_tie + nt > tie_buf.shape[0]:
                    tie_buf = _grow(tie_buf, n_tie + nt)
                tie_buf[n_tie:n_tie + nt] = ties[:nt]
                tie_lo[cp] = n_tie
                tie_hi[cp] = n_tie + nt
                n_tie += nt
                _pack(outC, packed)
                flat_img[cp] = packed
            lo = tie_lo[cp]
            _canonical_set(cS, Gs, tie_buf[lo:tie_hi[cp]], tie_hi[cp] - lo, outS)
            # Merge into the children met so far: an open-addressing hash
            # table over the labels, every hash match confirmed word by word.
            lab[:words] = flat_img[cp]
            _pack(outS, packed)
            lab[words:] = packed
            h = np.uint64(0x9E3779B97F4A7C15)
            for q in range(2 * words):
                h = _mix(h ^ lab[q])
            slot = np.int64(h & np.uint64(capacity - 1))
            while True:
                e = slots[slot]
                if e < 0:
                    break
                if hashes[e] == h:
                    same = True
                    for q in range(2 * words):
                        if out[e, q] != lab[q]:
                            same = False
                            break
                    if same:
                        break
                slot = (slot + 1) & (capacity - 1)
            emitted += 1
            if e >= 0:
                out_mult[e] += mu
                continue
            if nout == out.shape[0]:
                out = _grow(out, nout + 1)
                out_mult = _grow(out_mult, nout + 1)
                hashes = _grow(hashes, nout + 1)
            out[nout] = lab
            out_mult[nout] = mu
            hashes[nout] = h
            slots[slot] = nout
            nout += 1
            if 2 * nout > capacity:
                capacity *= 2
                slots = np.full(capacity, -1, dtype=np.int64)
                for e2 in range(nout):
                    s2 = np.int64(hashes[e2] & np.uint64(capacity - 1))
                    while slots[s2] >= 0:
                        s2 = (s2 + 1) & (capacity - 1)
                    slots[s2] = e2
    return out[:nout], out_mult[:nout], emitted


@njit(cache=True, nogil=True)
def node_traces(labels, rows, p, table):  # type: ignore[no-untyped-def]
    """The distinct traces of every restriction (``labels`` as in
    `node_children`), as normalized vectors of length dim with zeros at the
    pivots of the flat: the keys of `hyperarr._levels`.  Returns the
    vectors and, per restriction, where its vectors start."""
    R = labels.shape[0]
    words = labels.shape[1] // 2
    n, dim = rows.shape
    inC = np.zeros(n, dtype=np.bool_)
    inS = np.zeros(n, dtype=np.bool_)
    T = np.zeros((n, dim), dtype=np.int64)
    ids = np.empty(n, dtype=np.int64)
    out = np.zeros((max(16, R), dim), dtype=np.int64)
    offsets = np.zeros(R + 1, dtype=np.int64)
    nout = 0
    for r in range(R):
        _unpack(labels[r, :words], n, inC)
        _unpack(labels[r, words:], n, inS)
        M, piv, rank, isfree = _flat(inC, rows, p, table)
        cnt = 0
        for i in range(n):
            if not inS[i]:
                continue
            h = rows[i]
            for b in range(dim):
                if not isfree[b]:
                    T[cnt, b] = 0
                    continue
                v = h[b]
                for s2 in range(rank):
                    v -= h[piv[s2]] * M[s2, b]
                T[cnt, b] = v % p
            _normalize(T[cnt], p, table)
            cnt += 1
        _classes(T, cnt, ids)
        for a in range(cnt):
            if ids[a] == a:
                if nout == out.shape[0]:
                    out = _grow(out, nout + 1)
                out[nout] = T[a]
                nout += 1
        offsets[r + 1] = nout
    return out[:nout], offsets


@njit(cache=True, nogil=True)
def _row_hash(row, weights):  # type: ignore[no-untyped-def]
    h = np.uint64(0)
    for i in range(row.shape[0]):
        h += weights[i] * np.uint64(row[i] + 1)
    return _mix(h)


@njit(cache=True, nogil=True)
def closure(gens, limit):  # type: ignore[no-untyped-def]
    """The elements of the group generated by the permutations ``gens`` (one
    per row), the identity first, by breadth-first search with an exact
    hash set; stops at ``limit`` elements.  Returns the elements and
    whether the search completed."""
    k, n = gens.shape
    cap = 1024
    elems = np.empty((cap, n), dtype=gens.dtype)
    for i in range(n):
        elems[0, i] = i
    size = 1
    slots = 1 << 12
    table = np.full(slots, -1, dtype=np.int64)
    weights = np.empty(n, dtype=np.uint64)
    z = np.uint64(0x2545F4914F6CDD1D)
    for i in range(n):
        z = _mix(z + np.uint64(i + 1))
        weights[i] = z | np.uint64(1)

    table[_row_hash(elems[0], weights) & np.uint64(slots - 1)] = 0
    cand = np.empty(n, dtype=gens.dtype)
    head = 0
    complete = True
    while head < size:
        for g in range(k):
            for i in range(n):
                cand[i] = gens[g, elems[head, i]]
            h = _row_hash(cand, weights)
            s = h & np.uint64(slots - 1)
            found = False
            while table[s] >= 0:
                e = table[s]
                same = True
                for i in range(n):
                    if elems[e, i] != cand[i]:
                        same = False
                        break
                if same:
                    found = True
                    break
                s = (s + np.uint64(1)) & np.uint64(slots - 1)
            if found:
                continue
            if size == limit:
                complete = False
                return elems[:size], complete
            if size == cap:
                cap *= 2
                bigger = np.empty((cap, n), dtype=gens.dtype)
                bigger[:size] = elems[:size]
                elems = bigger
            elems[size] = cand
            table[s] = size
            size += 1
            if 2 * size > slots:
                slots *= 4
                table = np.full(slots, -1, dtype=np.int64)
                for e in range(size):
                    s2 = _row_hash(elems[e], weights) & np.uint64(slots - 1)
                    while table[s2] >= 0:
                        s2 = (s2 + np.uint64(1)) & np.uint64(slots - 1)
                    table[s2] = e
        head += 1
    return elems[:size], complete
