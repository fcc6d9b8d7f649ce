"""Deep networks: hyperarr.deep's exact activation regions against regioncam and one LP per region.

Four workloads of issue 24, all seeded, measured in one process:

1. ReLU networks [2, 64, 64, 64] and [2, 128, 128, 128, 128] on the square
   [−1, 1]², against regioncam (Rust, float32) in the same run.  The two must
   give the same number of regions, and the same set of activation patterns;
   where they differ, the region behind the difference is printed with
   hyperarr's exact witness (or regioncam's face and the exact pattern of its
   centroid).
2. A ReLU network [6, 32, 32] in the box [−1, 1]^6: ``regions`` (every
   witness checked: its exact pattern reproduced, strictly inside the box),
   against a baseline doing the LP work of the obvious method: one HiGHS
   Chebyshev LP per region, from the region's pattern's halfspaces composed in
   floats.  When the LPs would take long, a seeded sample is timed and the
   total extrapolated (the table says so).
3. The digits MLP (scikit-learn ``load_digits``, pixels / 16,
   ``MLPClassifier(hidden_layer_sizes=(16, 16), random_state=0,
   max_iter=300)``) on the plane through training images 0, 1 and 2, in the
   box (s, t) ∈ (−0.5, 1.5)² of the plane's coordinates
   ``x = x0 + s (x1 − x0) + t (x2 − x0)``.
4. Peak memory (tracemalloc) of consuming ``iter_regions(chunk_size=...)``
   against ``regions()`` on workload 2.

Weights: layer k has weight and bias entries drawn from U(−1/√fan_in,
1/√fan_in) (torch's ``nn.Linear`` default), rounded to float32, from
``numpy.random.default_rng(SEED + k)``-independent streams of one generator
seeded with ``SEED``.  For workload 2 the first layer's weights (not its
biases) are multiplied by a scale c; a ReLU network is positively
homogeneous layer by layer, so this is the same network as the unscaled one
on the box [−c, c]^6.  The scales ``FIRST_LAYER_SCALES_6D`` are tried in
turn, each with the call budget, and the first whose ``regions`` finishes is
the workload of rows 2 and 4; the ones that did not finish are named in the
notes (with this init, c = 1 has far too many regions for a few minutes:
at least ~3,900 distinct patterns among 4,096 random inputs).

Timing: each operation is called once first (reported separately: it loads
numba's caches), then ``--repeat`` warm runs give the median.  Every call
runs under a wall-clock budget (SIGALRM, so Unix); a call over it is
reported as "not finished in N s" rather than left to hang.

Usage, from the repository root::

    python -m benchmarks.deep [--quick] [--out FILE] [--repeat K] [--budget SECONDS]

``--quick`` runs small sizes in well under 30 s and writes
``deep_quick.md`` unless ``--out`` is given; the full run writes
``benchmarks/results/deep.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import signal
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._common import (
    DEFAULT_OUT,
    Column,
    fmt_count,
    fmt_seconds,
    format_table,
    machine_lines,
    write_text_atomic,
)
from hyperarr.exceptions import OutputTooLargeError

__all__ = [
    "COLUMNS",
    "CONFIGS",
    "SEED",
    "Config",
    "Row",
    "check_witnesses",
    "compare_patterns",
    "correctness",
    "digits_plane",
    "lp_chebyshev",
    "main",
    "measure",
    "random_relu",
    "regioncam_regions",
]

SEED = 0
#: The first-layer weight scales of workload 2, tried in turn (see the module docstring).
FIRST_LAYER_SCALES_6D = (1.0, 0.3, 0.1)
#: The box of the digits plane, in the plane's coordinates (s, t).
DIGITS_BOX = (-0.5, 1.5)
#: The three training images the digits plane passes through.
DIGITS_IMAGES = (0, 1, 2)


# --------------------------------------------------------------------------- workloads


#: Workload 2 is refused (by hyperarr's own estimate, before the work) above this many regions.
DEEP_MAX_REGIONS = 500_000


@dataclass(frozen=True)
class Config:
    """The sizes of one run (full or quick)."""

    name: str
    planar: tuple[tuple[int, ...], ...]  # widths compared with regioncam on [−1, 1]²
    deep: tuple[int, ...]  # widths of workload 2, on [−1, 1]^d
    deep_scales: tuple[float, ...]  # its first-layer weight scales, tried in turn
    chunk_size: int  # iter_regions' chunk in workload 4
    lp_sample: int  # at most this many LPs are timed; the rest extrapolated
    repeat: int
    budget: float  # seconds per call


CONFIGS = {
    "full": Config("full", ((2, 64, 64, 64), (2, 128, 128, 128, 128)), (6, 32, 32),
                   FIRST_LAYER_SCALES_6D, 1_000, 2_000, 3, 300.0),
    "quick": Config("quick", ((2, 16, 16, 16), (2, 32, 32)), (3, 8, 8), (1.0,), 20, 200, 1, 20.0),
}


def random_relu(widths: Sequence[int], seed: int = SEED,
                first_scale: float = 1.0) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """ReLU layers ``(W, b, "relu")``, float32, U(±1/√fan_in) for W and b; W of layer 0 times
    ``first_scale`` (rounded to float32 after scaling)."""
    rng = np.random.default_rng(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(itertools.pairwise(widths)):
        bound = 1 / np.sqrt(n_in)
        W = rng.uniform(-bound, bound, size=(n_out, n_in))
        b = rng.uniform(-bound, bound, size=n_out)
        if k == 0:
            W = W * first_scale
        layers.append((W.astype(np.float32), b.astype(np.float32), "relu"))
    return layers


def _name(widths: Sequence[int], lo: float = -1, hi: float = 1, scale: float = 1.0) -> str:
    box = f"[{lo:g}, {hi:g}]^{widths[0]}".replace("-", "−").replace("^2", "²")
    tail = f", W0 × {scale:g}" if scale != 1.0 else ""
    return f"[{', '.join(map(str, widths))}] ReLU in {box}{tail}"


# --------------------------------------------------------------------------- timing with a budget


class OverBudget(Exception):
    """A call ran past its wall-clock budget."""


@contextlib.contextmanager
def _budget(seconds: float) -> Iterator[None]:
    """Raise OverBudget in the main thread once ``seconds`` have passed (SIGALRM).

    The alarm may ring inside a numba dispatcher, which wraps it in a
    SystemError; that is turned back into OverBudget (and any other error
    passes through)."""
    rang = []

    def ring(signum: int, frame: Any) -> None:
        rang.append(True)
        raise OverBudget

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    except SystemError as exc:
        if rang:
            raise OverBudget from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Timing:
    """A first call, then warm runs: their median; ``None`` where a call ran out of budget."""

    first: float | None = None
    runs: list[float] = field(default_factory=list)
    result: Any = None
    budget: float = 0.0

    @property
    def finished(self) -> bool:
        return self.first is not None

    @property
    def median(self) -> float | None:
        if self.runs:
            return statistics.median(self.runs)
        return self.first

    def cell(self) -> str:
        if not self.finished:
            return f"not finished in {self.budget:.0f} s"
        if not self.runs:
            return f"{fmt_seconds(self.first)} (first call only)"
        return f"{fmt_seconds(self.median)} (median of {len(self.runs)}; first {fmt_seconds(self.first)})"


def timed(call: Callable[[], Any], repeat: int, budget: float) -> Timing:
    """The first call, then up to ``repeat`` warm calls while the budget lasts."""
    out = Timing(budget=budget)
    start = time.perf_counter()
    try:
        with _budget(budget):
            t0 = time.perf_counter()
            out.result = call()
            out.first = time.perf_counter() - t0
    except OverBudget:
        return out
    for _ in range(repeat):
        left = budget - (time.perf_counter() - start)
        if left < 1.5 * (out.median or 0.0):
            break
        try:
            with _budget(left):
                t0 = time.perf_counter()
                call()
                out.runs.append(time.perf_counter() - t0)
        except OverBudget:
            break
    return out


# --------------------------------------------------------------------------- regioncam


def regioncam_regions(layers: Sequence[tuple[np.ndarray, np.ndarray, str]]) -> Any:
    """regioncam's partition of [−1, 1]² (``Regioncam(size=1.0)``): per layer ``linear(W.T, b)``
    and ``relu()``."""
    import regioncam

    rc = regioncam.Regioncam(size=1.0)
    for W, b, _ in layers:
        rc.linear(W.T, b)
        rc.relu()
    return rc


def regioncam_square(rc: Any) -> tuple[float, float]:
    """The square regioncam starts from, from its first four vertices (``size=1.0`` is [−1, 1]²)."""
    V = np.asarray(rc.vertex_inputs)
    return float(V.min()), float(V.max())


def regioncam_patterns(rc: Any, n_layers: int) -> np.ndarray:
    """One row per face: a unit is active where its ReLU output is not the zero map on the face.

    Layers are 0 (input), then linear and relu alternately; the relu layers are 2, 4, ....
    """
    cols = [np.any(np.asarray(rc.face_activations(2 * k + 2)) != 0, axis=1)
            for k in range(n_layers)]
    return np.hstack(cols).astype(np.int8)


def _face_centroid(rc: Any, f: int) -> np.ndarray:
    V = np.asarray(rc.vertex_inputs, dtype=np.float64)
    return V[list(rc.faces[f].vertex_ids)].mean(axis=0)


@dataclass
class Comparison:
    """Patterns hyperarr lists and regioncam does not, and the reverse; regioncam's repeats."""

    only_hyperarr: list[int]  # rows of hyperarr's table
    only_regioncam: list[int]  # faces of regioncam
    repeated_faces: int  # faces whose pattern another face has too

    @property
    def agree(self) -> bool:
        return not (self.only_hyperarr or self.only_regioncam or self.repeated_faces)


def compare_patterns(R: Any, rc_patterns: np.ndarray) -> Comparison:
    """Compare hyperarr's patterns with regioncam's, as sets of rows."""
    mine = {bytes(p) for p in np.ascontiguousarray(R.patterns, dtype=np.int8)}
    theirs: dict[bytes, int] = {}
    repeated = 0
    for f, p in enumerate(np.ascontiguousarray(rc_patterns, dtype=np.int8)):
        key = bytes(p)
        repeated += key in theirs
        theirs.setdefault(key, f)
    P = np.ascontiguousarray(R.patterns, dtype=np.int8)
    only_h = [k for k in range(len(P)) if bytes(P[k]) not in theirs]
    only_r = [f for key, f in theirs.items() if key not in mine]
    return Comparison(only_h, only_r, repeated)


def explain(net: Any, R: Any, rc: Any, cmp: Comparison, limit: int = 3) -> list[str]:
    """Lines showing the regions behind a difference, with exact witnesses."""
    lines = []
    for k in cmp.only_hyperarr[:limit]:
        x = R.exact_points[k]
        pattern = "".join(map(str, R.patterns[k].tolist()))
        ok = net.pattern(np.array([x], dtype=object))[0].tolist() == R.patterns[k].tolist()
        lines.append(f"  hyperarr lists a region regioncam lacks: pattern {pattern}; exact witness "
                     f"({', '.join(str(v) for v in x)}) ≈ ({', '.join(f'{float(v):.17g}' for v in x)}); "
                     f"exact forward pass reproduces it: {ok}")
    for f in cmp.only_regioncam[:limit]:
        c = _face_centroid(rc, f)
        exact = "".join(map(str, net.pattern(c[None, :])[0].tolist()))
        area = rc.faces[f].area
        lines.append(f"  regioncam has a face whose pattern hyperarr lacks: face {f} (area {area:.3g}), "
                     f"centroid ({c[0]:.17g}, {c[1]:.17g}) whose exact pattern is {exact}")
    if cmp.repeated_faces:
        lines.append(f"  regioncam gives {cmp.repeated_faces} face(s) a pattern another face has too")
    return lines


# --------------------------------------------------------------------------- witnesses and the LP baseline


def check_witnesses(net: Any, R: Any, lo: float, hi: float) -> list[str]:
    """Problems with the table (empty when every witness is exact and inside the box):
    the float witness where ``points_inside``, else the exact one, must reproduce the
    region's pattern in hyperarr's exact forward pass and lie strictly inside the box;
    no two rows may share a pattern."""
    problems = []
    P = np.asarray(R.patterns)
    if len({bytes(p) for p in np.ascontiguousarray(P, dtype=np.int8)}) != len(P):
        problems.append("two regions share a pattern")
    inside = np.asarray(R.points_inside)
    X = np.asarray(R.points)
    if inside.any():
        xs = X[inside]
        if not np.array_equal(net.pattern(xs), P[inside]):
            problems.append("a float witness marked inside does not reproduce its pattern")
        if not ((xs > lo) & (xs < hi)).all():
            problems.append("a float witness marked inside is not strictly inside the box")
    rest = np.flatnonzero(~inside)
    if rest.size:
        exact = R.exact_points
        E = np.array([exact[k] for k in rest.tolist()], dtype=object).reshape(rest.size, -1)
        if not np.array_equal(net.pattern(E), P[rest]):
            problems.append("an exact witness does not reproduce its pattern")
        flo, fhi = Fraction(lo), Fraction(hi)
        if not all(flo < v < fhi for row in E.tolist() for v in row):
            problems.append("an exact witness is not strictly inside the box")
    return problems


def _halfspaces(layers: Sequence[tuple[np.ndarray, np.ndarray, str]],
                pattern: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows (G, h) with the region = {x : s_i (G_i x + h_i) > 0}, in float64: pre-activations
    composed layer by layer through the pattern."""
    d = layers[0][0].shape[1]
    A, c = np.eye(d), np.zeros(d)
    Gs, hs, pos = [], [], 0
    for W, b, _ in layers:
        W64, b64 = W.astype(np.float64), b.astype(np.float64)
        G, h = W64 @ A, W64 @ c + b64
        bits = pattern[pos : pos + len(b)].astype(bool)
        pos += len(b)
        s = np.where(bits, 1.0, -1.0)
        Gs.append(s[:, None] * G)
        hs.append(s * h)
        A, c = G * bits[:, None], h * bits
    return np.vstack(Gs), np.concatenate(hs)


def lp_chebyshev(layers: Sequence[tuple[np.ndarray, np.ndarray, str]], pattern: np.ndarray,
                 lo: float, hi: float) -> float:
    """The radius of the largest ball in the region of ``pattern`` and the box (HiGHS, floats):
    max r with G_i x + h_i ≥ r |G_i| and lo + r ≤ x ≤ hi − r.  Positive when the region
    meets the open box."""
    from scipy.optimize import linprog

    G, h = _halfspaces(layers, pattern)
    d = G.shape[1]
    norms = np.linalg.norm(G, axis=1)
    A_ub = np.vstack([np.c_[-G, norms], np.c_[np.eye(d), np.ones(d)], np.c_[-np.eye(d), np.ones(d)]])
    b_ub = np.r_[h, np.full(d, hi), np.full(d, -lo)]
    res = linprog(np.r_[np.zeros(d), -1.0], A_ub=A_ub, b_ub=b_ub,
                  bounds=[(lo, hi)] * d + [(None, hi - lo)], method="highs")
    return -float(res.fun) if res.status == 0 else float("-inf")


@dataclass
class LPBaseline:
    seconds: float  # measured, or extrapolated from ``timed`` LPs
    timed_lps: int
    total_lps: int
    positive: int  # LPs (of those timed) with a positive radius

    @property
    def extrapolated(self) -> bool:
        return self.timed_lps < self.total_lps

    def cell(self) -> str:
        head = f"one HiGHS LP per region: {fmt_seconds(self.seconds)}"
        if self.extrapolated:
            return (f"{head} (extrapolated from {self.timed_lps:,} of {self.total_lps:,} LPs, "
                    "a seeded sample)")
        return f"{head} ({self.total_lps:,} LPs)"


def lp_baseline(layers: Sequence[tuple[np.ndarray, np.ndarray, str]], patterns: np.ndarray,
                lo: float, hi: float, sample: int, budget: float) -> LPBaseline:
    """Time one LP per region, on at most ``sample`` regions (seeded), and extrapolate."""
    m = len(patterns)
    rows = np.arange(m)
    if m > sample:
        rows = np.sort(np.random.default_rng(SEED).choice(m, size=sample, replace=False))
    done, positive = 0, 0
    start = time.perf_counter()
    for k in rows.tolist():
        positive += lp_chebyshev(layers, patterns[k], lo, hi) > 0
        done += 1
        if time.perf_counter() - start > budget:
            break
    elapsed = time.perf_counter() - start
    return LPBaseline(elapsed * m / max(done, 1), done, m, positive)


# --------------------------------------------------------------------------- digits


def digits_plane() -> tuple[Any, str]:
    """The digits MLP on the plane through training images DIGITS_IMAGES, and a note."""
    import warnings

    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from hyperarr.deep import Network

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    mlp = MLPClassifier(hidden_layer_sizes=(16, 16), random_state=0, max_iter=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    a, b, c = DIGITS_IMAGES
    plane = Network.from_sklearn(mlp).on_plane(X[a], X[b], X[c])
    note = (f"digits MLP: train accuracy {mlp.score(X, y):.3f}; plane through training images "
            f"{a}, {b}, {c} (pixels / 16), box (s, t) ∈ ({DIGITS_BOX[0]:g}, {DIGITS_BOX[1]:g})²")
    if not isinstance(plane, Network):
        note += (f"; `on_plane` returned a {type(plane).__name__}, not a Network, so the plane's "
                 "regions were asked of `hyperarr.deep.n_regions`/`regions` directly")
    return plane, note


def _regions_of(net: Any) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """(n_regions, regions) of ``net``: its methods, or the module's functions."""
    from hyperarr import deep

    if hasattr(net, "n_regions") and hasattr(net, "regions"):
        return net.n_regions, net.regions
    return (lambda dom: deep.n_regions(net, dom)), (lambda dom: deep.regions(net, dom))


# --------------------------------------------------------------------------- memory


def peak_bytes(call: Callable[[], Any], budget: float) -> int | None:
    """tracemalloc's peak over ``call`` (Python and numpy allocations); None over budget."""
    tracemalloc.start()
    try:
        with _budget(budget):
            call()
        return tracemalloc.get_traced_memory()[1]
    except OverBudget:
        return None
    finally:
        tracemalloc.stop()


def _consume(it: Any) -> int:
    n = 0
    for T in it:
        n += len(T)
    return n


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Row:
    """One operation on one workload, with its target's verdict already decided."""

    workload: str
    operation: str
    regions: str
    hyperarr: str
    peer: str
    ratio: str
    target: str
    status: str


def ratio_status(ratio: float | None, agree: bool, best: float, floor: float | None = None,
                 below: bool = True, why: str = "") -> str:
    """"met"/"not met" with the numbers.  ``below``: the ratio must be ≤ ``best`` (else ≥);
    ``floor`` is the "at the very least" bound (met only at that level)."""
    if not agree:
        return f"not met ({why or 'disagrees'})"
    if ratio is None:
        return f"not met ({why or 'not finished'})"
    ok = ratio <= best if below else ratio >= best
    if ok:
        return f"met ({ratio:,.2f}× {'≤' if below else '≥'} {best:g}×)"
    if floor is not None and ratio <= floor:
        return f"not met at 1×; met at the very least ({ratio:,.2f}× ≤ {floor:g}×)"
    bound = floor if floor is not None else best
    return f"not met ({ratio:,.2f}× {'>' if below else '<'} {bound:g}×)"


COLUMNS: tuple[Column[Row], ...] = (
    Column("workload", lambda r: r.workload),
    Column("operation", lambda r: r.operation),
    Column("regions", lambda r: r.regions, "r"),
    Column("hyperarr", lambda r: r.hyperarr, "r"),
    Column("peer / baseline", lambda r: r.peer),
    Column("ratio", lambda r: r.ratio, "r"),
    Column("target", lambda r: r.target),
    Column("status", lambda r: r.status),
)


# --------------------------------------------------------------------------- the workloads


def _planar(widths: Sequence[int], cfg: Config, log: list[str]) -> list[Row]:
    from hyperarr.deep import Network

    layers = random_relu(widths)
    net = Network(layers)
    name = _name(widths)
    rc_t = timed(lambda: regioncam_regions(layers), cfg.repeat, cfg.budget)
    rc = rc_t.result
    if rc is None:
        raise RuntimeError(f"regioncam did not finish {name} in {cfg.budget:.0f} s; nothing to compare")
    lo, hi = regioncam_square(rc)
    log.append(f"{name}: regioncam(size=1.0) starts from the square [{lo:g}, {hi:g}]²")
    n_t = timed(lambda: net.n_regions((-1, 1)), cfg.repeat, cfg.budget)
    r_t = timed(lambda: net.regions((-1, 1)), cfg.repeat, cfg.budget)
    faces = int(rc.num_faces)
    R = r_t.result
    if R is not None:
        cmp = compare_patterns(R, regioncam_patterns(rc, len(layers)))
        log.append(f"{name}: hyperarr n_regions {fmt_count(n_t.result)}, len(regions) {fmt_count(len(R))}, "
                   f"regioncam num_faces {faces:,}; same patterns: {cmp.agree}")
        log.extend(explain(net, R, rc, cmp))
        problems = check_witnesses(net, R, -1.0, 1.0)
        log.extend(f"  {name}: {p}" for p in problems)
        # hyperarr's table is judged by its own exact checks; a pattern regioncam labels
        # differently is regioncam's (float32) error, shown above with the exact witness
        agree_r = not problems
    else:
        agree_r = False
    target = "same count; ≤ 1× regioncam (3× at the very least)"
    rows = []
    peer = f"regioncam {rc_t.cell()}: {faces:,} faces"
    for op, t, count in (("n_regions((−1, 1))", n_t, n_t.result),
                         ("regions((−1, 1))", r_t, None if R is None else len(R))):
        ratio = None if t.median is None or not rc_t.median else t.median / rc_t.median
        agree = count == faces and (agree_r if op.startswith("regions") else True)
        why = (f"COUNT {fmt_count(count)} ≠ {faces:,}" if count is not None and count != faces
               else "a witness fails its exact check" if count is not None
               else f"not finished in {cfg.budget:.0f} s")
        rows.append(Row(name, op, fmt_count(count), t.cell(), peer,
                        "—" if ratio is None else f"{ratio:,.2f}×", target,
                        ratio_status(ratio, agree and t.finished, 1.0, 3.0, why=why)))
    return rows


def _deep(cfg: Config, log: list[str]) -> tuple[list[Row], Any]:
    from hyperarr.deep import Network

    widths = cfg.deep
    target = "≤ 10 s, every witness exact; ≥ 50× one LP per region"
    rows = []
    for scale in cfg.deep_scales:
        layers = random_relu(widths, first_scale=scale)
        net = Network(layers)
        name = _name(widths, scale=scale)
        est = net.estimate_regions((-1, 1))
        log.append(f"{name}: estimate_regions: at least {est['sampled']:,} (distinct sampled patterns), "
                   f"at most {est['upper_bound']:,} (Zaslavsky per layer)")
        try:  # a workload far past the target's size is refused by hyperarr's own estimate
            net.regions((-1, 1), max_regions=DEEP_MAX_REGIONS)
        except OutputTooLargeError as exc:
            log.append(f"{name}: refused by hyperarr: {exc}")
            rows.append(Row(name, "regions((−1, 1))", "—", "refused", "not run", "—", target,
                            f"not met (over {DEEP_MAX_REGIONS:,} regions: refused with its estimate)"))
            continue
        r_t = timed(partial(net.regions, (-1, 1), max_regions=None), cfg.repeat, cfg.budget)
        R = r_t.result
        if R is not None:
            break
        log.append(f"{name}: regions() not finished in {cfg.budget:.0f} s; "
                   "the next first-layer scale is tried")
        rows.append(Row(name, "regions((−1, 1))", "—", r_t.cell(), "not run", "—", target,
                        f"not met (not finished in {cfg.budget:.0f} s)"))
    if R is None:
        return rows, None
    problems = check_witnesses(net, R, -1.0, 1.0)
    n_exact = int((~np.asarray(R.points_inside)).sum())
    log.append(f"{name}: {len(R):,} regions; witnesses: {len(R) - n_exact:,} float inside, "
               f"{n_exact:,} exact only; problems: {problems or 'none'}")
    lp = lp_baseline(layers, np.asarray(R.patterns), -1.0, 1.0, cfg.lp_sample, cfg.budget)
    log.append(f"{name}: LP baseline radius > 0 on {lp.positive:,} of {lp.timed_lps:,} regions timed")
    ratio = lp.seconds / r_t.median if r_t.median else None
    ok = not problems and lp.positive == lp.timed_lps
    why = "; ".join(problems) or f"LP finds {lp.timed_lps - lp.positive} region(s) empty"
    time_ok = r_t.median is not None and r_t.median <= 10.0
    status = ratio_status(ratio, ok, 50.0, below=False, why=why)
    if ok and ratio is not None:
        rel = "≤" if time_ok else ">"
        verdict = "met" if time_ok and ratio >= 50 else "not met"
        status = f"{verdict} ({fmt_seconds(r_t.median)} {rel} 10 s; {ratio:,.1f}× {'≥' if ratio >= 50 else '<'} 50×)"
    rows.append(Row(name, "regions((−1, 1)) + witness check", fmt_count(len(R)), r_t.cell(), lp.cell(),
                    "—" if ratio is None else f"{ratio:,.1f}× (LP / hyperarr)", target, status))
    return rows, (net, len(R), name)


def _digits(cfg: Config, log: list[str]) -> list[Row]:
    plane, note = digits_plane()
    log.append(note)
    count, table = _regions_of(plane)
    n_t = timed(lambda: count(DIGITS_BOX), cfg.repeat, cfg.budget)
    r_t = timed(lambda: table(DIGITS_BOX), cfg.repeat, cfg.budget)
    lo, hi = DIGITS_BOX
    name = f"digits MLP (64, 16, 16, 10) on the plane through 3 images, (s, t) in ({lo:g}, {hi:g})²"
    name = name.replace("-", "−")
    problems = [] if r_t.result is None else check_witnesses(plane, r_t.result, lo, hi)
    log.extend(f"  digits: {p}" for p in problems)
    rows = []
    for op, t in (("n_regions(box)", n_t), ("regions(box)", r_t)):
        count_v = t.result if op.startswith("n_") else (None if t.result is None else len(t.result))
        agree = n_t.result is not None and r_t.result is not None and n_t.result == len(r_t.result) \
            and not problems
        if t.median is None:
            status = f"not met (not finished in {cfg.budget:.0f} s)"
        elif not agree:
            status = "not met (n_regions ≠ len(regions) or a witness fails)"
        else:
            status = f"{'met' if t.median <= 1.0 else 'not met'} ({fmt_seconds(t.median)} " \
                     f"{'≤' if t.median <= 1.0 else '>'} 1 s)"
        rows.append(Row(name, op, fmt_count(count_v), t.cell(), "—", "—", "≤ 1 s", status))
    return rows


def _memory(cfg: Config, deep: Any, log: list[str]) -> list[Row]:
    target = "peak ≤ 25 % of regions()'s"
    if deep is None:
        return [Row(_name(cfg.deep), f"iter_regions(chunk_size={cfg.chunk_size:,})", "—", "not run", "—", "—",
                    target, "not met (regions() did not finish)")]
    net, m, name = deep
    whole = peak_bytes(lambda: net.regions((-1, 1), max_regions=None), 3 * cfg.budget)
    counted: list[int] = []
    stream = peak_bytes(lambda: counted.append(_consume(net.iter_regions((-1, 1), chunk_size=cfg.chunk_size))),
                        3 * cfg.budget)
    log.append("memory: tracemalloc peaks (Python and numpy allocations, not numba's own); "
               f"iter_regions gave {fmt_count(counted[0] if counted else None)} regions of {m:,}")
    if whole is None or stream is None:
        return [Row(name, f"iter_regions(chunk_size={cfg.chunk_size:,})", fmt_count(m),
                    "not finished" if stream is None else f"{stream / 1e6:.1f} MB",
                    "not finished" if whole is None else f"regions(): {whole / 1e6:.1f} MB", "—", target,
                    f"not met (not finished in {3 * cfg.budget:.0f} s under tracemalloc)")]
    frac = stream / whole
    ok = counted == [m]
    status = (f"{'met' if frac <= 0.25 else 'not met'} ({stream / 1e6:.1f} MB = {frac:.0%} of "
              f"{whole / 1e6:.1f} MB {'≤' if frac <= 0.25 else '>'} 25%)") if ok else \
        f"not met (iter_regions gave {fmt_count(counted[0] if counted else None)} ≠ {m:,} regions)"
    return [Row(name, f"peak memory of iter_regions(chunk_size={cfg.chunk_size:,})", fmt_count(m),
                f"{stream / 1e6:.1f} MB", f"regions(): {whole / 1e6:.1f} MB", f"{frac:.0%}", target, status)]


def measure(cfg: Config) -> tuple[list[tuple[str, list[Row]]], list[str]]:
    """Every table (title, rows) and the log lines, in one process."""
    log: list[str] = []
    tables = [("Regions in [−1, 1]²: hyperarr against regioncam",
               [row for w in cfg.planar for row in _planar(w, cfg, log)])]
    deep_rows, deep = _deep(cfg, log)
    tables.append((f"Regions in [−1, 1]^{cfg.deep[0]}: hyperarr against one LP per region", deep_rows))
    tables.append(("The digits MLP on a plane through three images", _digits(cfg, log)))
    tables.append(("Peak memory of streaming", _memory(cfg, deep, log)))
    return tables, log


# --------------------------------------------------------------------------- correctness (the test's part)


def correctness(cfg: Config = CONFIGS["quick"]) -> dict[str, Any]:
    """The checks of the quick run, without timing: what tests/test_benchmarks.py asserts."""
    from hyperarr.deep import Network

    out: dict[str, Any] = {}
    for widths in cfg.planar:
        layers = random_relu(widths)
        net = Network(layers)
        rc = regioncam_regions(layers)
        R = net.regions((-1, 1))
        out[_name(widths)] = {
            "square": regioncam_square(rc),
            "faces": int(rc.num_faces),
            "n_regions": net.n_regions((-1, 1)),
            "len": len(R),
            "comparison": compare_patterns(R, regioncam_patterns(rc, len(layers))),
            "problems": check_witnesses(net, R, -1.0, 1.0),
        }
    layers = random_relu(cfg.deep, first_scale=cfg.deep_scales[0])
    net = Network(layers)
    R = net.regions((-1, 1), max_regions=None)
    radii = [lp_chebyshev(layers, p, -1.0, 1.0) for p in np.asarray(R.patterns)]
    out["deep"] = {"len": len(R), "problems": check_witnesses(net, R, -1.0, 1.0), "radii": radii,
                   "streamed": _consume(net.iter_regions((-1, 1), chunk_size=cfg.chunk_size))}
    plane, _ = digits_plane()
    count, table = _regions_of(plane)
    T = table(DIGITS_BOX)
    out["digits"] = {"n_regions": count(DIGITS_BOX), "len": len(T),
                     "problems": check_witnesses(plane, T, *DIGITS_BOX)}
    return out


# --------------------------------------------------------------------------- main


def render(cfg: Config, tables: Sequence[tuple[str, list[Row]]], log: Sequence[str]) -> str:
    extra = [(f"- mode: {cfg.name}; {cfg.repeat} warm runs after a first call, median; "
              f"budget {cfg.budget:.0f} s per call"),
             ("- weights: U(±1/√fan_in) for W and b, float32, numpy default_rng(0); "
              f"[{', '.join(map(str, cfg.deep))}]: first-layer W × c, c tried in the order "
              f"{', '.join(f'{c:g}' for c in cfg.deep_scales)} (W0 × c on [−1, 1]^d is the unscaled "
              "network on [−c, c]^d)")]
    parts = [f"# Deep networks: activation regions{' (quick)' if cfg.name == 'quick' else ''}", "",
             *machine_lines(seed=SEED, extra=extra), ""]
    for title, rows in tables:
        parts += [f"## {title}", "", format_table(COLUMNS, rows), ""]
    parts += ["## Notes", "", *[f"- {line.strip()}" for line in log], ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.deep", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under 30 s")
    parser.add_argument("--out", help="the results file (default benchmarks/results/deep.md, "
                                      "or deep_quick.md with --quick)")
    parser.add_argument("--repeat", type=int, help="warm runs per call (median reported)")
    parser.add_argument("--budget", type=float, help="seconds per call before giving up")
    args = parser.parse_args(argv)
    cfg = CONFIGS["quick" if args.quick else "full"]
    if args.repeat is not None or args.budget is not None:
        from dataclasses import replace

        cfg = replace(cfg, repeat=cfg.repeat if args.repeat is None else args.repeat,
                      budget=cfg.budget if args.budget is None else args.budget)
    out = Path(args.out) if args.out else DEFAULT_OUT / ("deep_quick.md" if args.quick else "deep.md")
    tables, log = measure(cfg)
    text = render(cfg, tables, log)
    print(text)
    sys.stdout.flush()
    write_text_atomic(out, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
