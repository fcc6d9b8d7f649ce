"""Occupancy of a million points, and trained layers in from scikit-learn and PyTorch.

- ``A.occupancy(X)`` for 10^6 points, n = 32 hyperplanes, d = 64 (seeded
  normal data), against a same-run float baseline that is *not* exact:
  ``np.sign(X @ W.T − θ)``, the rows packed into 32-bit keys, and
  ``np.unique`` (the same work without the proven bound), and the bare
  matrix product ``X @ W.T``, the floor of any method (on a shared machine
  it is what the load slows down most).  The two must
  find the same regions and counts (the data has no point within rounding
  of a hyperplane, which the exact filter proves as it goes).
- ``from_sklearn`` and ``from_torch`` on trained models: the arrangement's
  exact signs against the model's own pre-activations on 10^4 random
  points; every sign the float pre-activation proves (|pre| above its
  rounding) must agree.

Usage, from the repository root::

    python -m benchmarks.occupancy [--out DIR] [--repeat K]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from dataclasses import dataclass

import numpy as np

from benchmarks._common import (
    DEFAULT_OUT,
    Column,
    fmt_seconds,
    format_table,
    machine_lines,
    write_text_atomic,
)
from benchmarks.domains import timed_status

__all__ = ["LayerRow", "OccupancyRow", "main", "measure_layers", "measure_occupancy"]


@dataclass(frozen=True)
class OccupancyRow:
    workload: str
    occupied: int
    on_hyperplane: int
    seconds: float
    baseline_seconds: float
    matmul_seconds: float
    agree: bool
    target: float

    @property
    def status(self) -> str:
        return timed_status(self.seconds, self.target, self.agree)


@dataclass(frozen=True)
class LayerRow:
    source: str
    shape: str
    points: int
    proved: int
    disagree: int
    seconds: float

    @property
    def status(self) -> str:
        return "met (all agree)" if self.disagree == 0 else f"not met ({self.disagree} disagree)"


def measure_occupancy(repeat: int, m: int = 10**6, n: int = 32, d: int = 64) -> OccupancyRow:
    import hyperarr as ha

    rng = np.random.default_rng(0)
    W = rng.standard_normal((n, d))
    theta = rng.standard_normal(n)
    X = rng.standard_normal((m, d))
    A = ha.Arrangement(W, theta)
    times, occ = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        occ = A.occupancy(X)
        times.append(time.perf_counter() - start)
    tbs = []
    for _ in range(repeat):
        start = time.perf_counter()
        S = np.sign(X @ W.T - theta).astype(np.int8)
        _, first, counts = np.unique(np.packbits(S > 0, axis=1).view(">u4").reshape(m),
                                     return_index=True, return_counts=True)
        tbs.append(time.perf_counter() - start)
    tb = statistics.median(tbs)
    tms = []
    for _ in range(repeat):
        start = time.perf_counter()
        X @ W.T
        tms.append(time.perf_counter() - start)
    uniq = S[first]
    assert occ is not None
    mine = {tuple(s): int(c) for s, c in zip(occ.signs.tolist(), occ.counts.tolist())}
    base = {tuple(s): int(c) for s, c in zip(uniq.tolist(), counts.tolist())}
    return OccupancyRow(f"occupancy: {m:,} points, n = {n}, d = {d}", occ.n_occupied,
                        int(occ.on_hyperplane.sum()), statistics.median(times), tb,
                        statistics.median(tms), mine == base, 1.0)


def _compare(A, pre: np.ndarray, X: np.ndarray) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(signs the float pre-activation proves, how many of them disagree with A.signs)."""
    S = A.signs(X)
    # |pre| beyond a generous bound on its rounding error (float32 or float64 sums).
    bound = 1e-5 * (np.abs(X).sum(axis=1, keepdims=True) + 1.0)
    clear = np.abs(pre) > bound
    return int(clear.sum()), int((S[clear] != np.sign(pre[clear])).sum())


def measure_layers(points: int = 10**4) -> list[LayerRow]:
    from hyperarr.interop import from_sklearn, from_torch

    rows = []
    rng = np.random.default_rng(1)
    try:
        from sklearn.datasets import load_digits
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        rows.append(LayerRow("scikit-learn", "not installed", 0, 0, 0, 0.0))
    else:
        X, y = load_digits(return_X_y=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            mlp = MLPClassifier(hidden_layer_sizes=(32,), max_iter=50, random_state=0).fit(X / 16, y)
        start = time.perf_counter()
        A = from_sklearn(mlp)
        t = time.perf_counter() - start
        P = rng.uniform(0, 1, size=(points, 64))
        proved, bad = _compare(A, P @ mlp.coefs_[0] + mlp.intercepts_[0], P)
        rows.append(LayerRow("from_sklearn(MLPClassifier on digits)", f"({A.n}, {A.dim})", points * A.n,
                             proved, bad, t))
    try:
        import torch
    except ImportError:
        rows.append(LayerRow("torch", "not installed", 0, 0, 0, 0.0))
    else:
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(20, 48), torch.nn.ReLU(), torch.nn.Linear(48, 10))
        P = rng.standard_normal((points, 20)).astype(np.float32)
        start = time.perf_counter()
        A = from_torch(net)
        t = time.perf_counter() - start
        with torch.no_grad():
            pre = net[0](torch.from_numpy(P)).double().numpy()
        proved, bad = _compare(A, pre, P.astype(np.float64))
        rows.append(LayerRow("from_torch(Sequential, layer 0), float32", f"({A.n}, {A.dim})", points * A.n,
                             proved, bad, t))
    return rows


OCC_COLUMNS: tuple[Column[OccupancyRow], ...] = (
    Column("workload", lambda r: r.workload),
    Column("regions occupied", lambda r: f"{r.occupied:,}", "r"),
    Column("on a hyperplane", lambda r: f"{r.on_hyperplane:,}", "r"),
    Column("hyperarr (median)", lambda r: fmt_seconds(r.seconds), "r"),
    Column("float baseline (inexact)", lambda r: fmt_seconds(r.baseline_seconds), "r"),
    Column("baseline / hyperarr", lambda r: f"{r.baseline_seconds / r.seconds:.2f}×", "r"),
    Column("X @ W.T alone (the floor)", lambda r: fmt_seconds(r.matmul_seconds), "r"),
    Column("hyperarr / floor", lambda r: f"{r.seconds / r.matmul_seconds:.2f}×", "r"),
    Column("agree", lambda r: "yes" if r.agree else "NO"),
    Column("target", lambda r: f"≤ {fmt_seconds(r.target)}"),
    Column("status", lambda r: r.status),
)

LAYER_COLUMNS: tuple[Column[LayerRow], ...] = (
    Column("layer", lambda r: r.source),
    Column("(n, d)", lambda r: r.shape),
    Column("signs compared", lambda r: f"{r.points:,}", "r"),
    Column("proved by the float pre-activation", lambda r: f"{r.proved:,}", "r"),
    Column("disagree", lambda r: f"{r.disagree:,}", "r"),
    Column("conversion time", lambda r: fmt_seconds(r.seconds), "r"),
    Column("status", lambda r: r.status),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.occupancy", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for occupancy.md")
    parser.add_argument("--repeat", type=int, default=5, help="runs of occupancy (median reported)")
    args = parser.parse_args(argv)
    occ = [measure_occupancy(args.repeat)]
    layers = measure_layers()
    text = "\n".join(["# Occupancy and trained layers", "", *machine_lines(seed=0), "",
                      format_table(OCC_COLUMNS, occ), "", format_table(LAYER_COLUMNS, layers), ""])
    print(text)
    write_text_atomic(f"{args.out}/occupancy.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
