"""Nasty float input: each family of issue "total at the extremes", timed against Sage.

Usage::

    python -m benchmarks.extremes [--sage-python PYTHON] [--repeat 3]

Each family is a small arrangement (d ≤ 6, n ≤ 12) of float rows built to be
nasty: magnitudes from 1e−300 to 1e300 in one arrangement, subnormals,
one-ulp offsets, decimal "duplicates" (rows scaled by 0.1, 0.3 and 1/3 in
float, distinct hyperplanes), a float pencil (rounded, so not quite a
pencil) and a braid perturbed by 1e−12.  hyperarr's ``regions()`` (and
``faces()`` for the pencil) is timed on a fresh arrangement each run
(median), after one warm-up call that pays for the imports.  With
``--sage-python`` (an interpreter that imports passagemath), Sage's whole
case (the arrangement over QQ from the same exact rationals, then its
regions) is timed in a child process in the same run.  The target: at least
5× faster than Sage's whole case and never over 10 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from benchmarks._common import DEFAULT_OUT, Column, fmt_seconds, format_table, machine_lines, write_text_atomic


def _base(seed: int, n: int, d: int) -> np.ndarray:
    """Small integer rows [a | b] with zeros (parallels, concurrences), nonzero normals."""
    rows = np.random.default_rng(seed).integers(-2, 3, size=(n, d + 1)).astype(float)
    rows[:, 0] += rows[:, 0] == 0
    return rows


def decimal_duplicates() -> np.ndarray:
    base = _base(1, 6, 5)
    copies = [base[r] * f for f, r in zip((0.1, 0.3, 1 / 3, 0.1, 0.3), (0, 1, 2, 3, 4))]
    return np.vstack([base, copies])


def float_pencil() -> np.ndarray:
    u, v = np.array([0.1, 0.2, 0.3, 0.7]), np.array([0.3, -0.1, 0.2, 0.1])
    p = np.array([0.1, 0.2, 0.3, 0.4])
    rows = []
    for k in range(9):
        a = (k % 3 + 1) * 0.1 * u + (k // 3 - 1) * 0.3 * v
        rows.append(list(a) + [float(a @ p)])
    return np.array(rows)


def perturbed_braid() -> np.ndarray:
    pairs = [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5), (0, 5), (1, 4), (2, 5)]
    rows = []
    for k, (i, j) in enumerate(pairs):
        a = np.zeros(6)
        a[i], a[j] = 1 + 1e-12 * (k % 3), -1.0
        rows.append(list(a) + [1e-12 * (k % 2)])
    return np.array(rows)


def magnitudes() -> np.ndarray:
    rows = _base(4, 8, 4) * np.array([1e300, 1e-300, 1e150, 1.0, 7e-200, 1e300, 1e-300, 3.0])[:, None]
    rows[1, 2] = 1e300  # one wide row: 1e300 next to 1e-300
    return rows


def subnormals() -> np.ndarray:
    rows = _base(5, 8, 3) * 1.5
    rows[::2] *= 5e-324
    rows[1, 3] = 2.5e-320
    return rows


def one_ulp() -> np.ndarray:
    base = _base(6, 5, 4)
    base[:, 4] = [0.1, 0.2, 0.3, 0.1, 0.7]
    moved = base.copy()
    moved[:, 4] = np.nextafter(moved[:, 4], np.inf)
    return np.vstack([base, moved])


@dataclass(frozen=True)
class Case:
    name: str
    rows: Callable[[], np.ndarray]
    faces: bool = False


CASES = (
    Case("decimal duplicates", decimal_duplicates),
    Case("float pencil", float_pencil, faces=True),
    Case("perturbed braid", perturbed_braid),
    Case("magnitudes 1e±300", magnitudes),
    Case("subnormals", subnormals),
    Case("one-ulp offsets", one_ulp),
)

#: Peak time of any case, and the least speed-up over Sage's whole case.
TARGET_SECONDS = 10.0
TARGET_RATIO = 5.0

#: The Sage child: the arrangement over QQ from exact rationals "p/q", then its regions.
_SAGE_CODE = """
import json, sys, time
try:
    import sage.all
except ImportError:
    import sage.all__sagemath_polyhedra
from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements
from sage.rings.rational_field import QQ
rows = [[QQ(v) for v in r] for r in json.loads(sys.stdin.read())]
d = len(rows[0]) - 1
t = time.perf_counter()
H = HyperplaneArrangements(QQ, tuple(f"x{i}" for i in range(d)))([[-r[-1]] + r[:-1] for r in rows])
n = len(H.regions())
print(json.dumps({"regions": n, "seconds": time.perf_counter() - t}))
"""


@dataclass(frozen=True)
class Row:
    name: str
    shape: tuple[int, int]
    regions: int
    faces: int | None
    seconds: float
    exact_only: int
    sage_regions: int | None
    sage_seconds: float | None
    sage_error: str

    @property
    def ratio(self) -> float | None:
        return None if self.sage_seconds is None else self.sage_seconds / self.seconds

    @property
    def status(self) -> str:
        if self.sage_regions is not None and self.sage_regions != self.regions:
            return "WRONG COUNT"
        if self.seconds > TARGET_SECONDS:
            return "not met"
        if self.ratio is None:
            return "no Sage in this run"
        return "**met**" if self.ratio >= TARGET_RATIO else "not met"


def _sage(python: str, rows: np.ndarray) -> dict[str, object]:
    text = json.dumps([[str(Fraction(float(v))) for v in r] for r in rows])
    try:
        out = subprocess.run([python, "-c", _SAGE_CODE], input=text, capture_output=True, text=True,
                             timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"error": str(exc)}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(case: Case, repeat: int, sage_python: str | None) -> Row:
    from hyperarr import Arrangement

    rows = case.rows()
    times = []
    for _ in range(repeat):
        A = Arrangement.from_matrix(rows)  # fresh: the caches live on the value
        start = time.perf_counter()
        R = A.regions()
        F = A.faces() if case.faces else None
        times.append(time.perf_counter() - start)
    sage = _sage(sage_python, rows) if sage_python else {}
    return Row(case.name, (rows.shape[1] - 1, rows.shape[0]), len(R), None if F is None else len(F),
               statistics.median(times), int((~R.points_inside).sum()),
               sage.get("regions"), sage.get("seconds"), str(sage.get("error", "")))  # type: ignore[arg-type]


COLUMNS: tuple[Column[Row], ...] = (
    Column("family (d, n)", lambda r: f"{r.name} {r.shape}"),
    Column("regions", lambda r: f"{r.regions:,}", "r"),
    Column("hyperarr call", lambda r: "regions() + faces()" if r.faces is not None else "regions()"),
    Column("hyperarr (median)", lambda r: fmt_seconds(r.seconds), "r"),
    Column("exact-only witnesses", lambda r: str(r.exact_only), "r"),
    Column("Sage, the whole case", lambda r: fmt_seconds(r.sage_seconds) if r.sage_seconds is not None
           else (r.sage_error or "—"), "r"),
    Column("ratio", lambda r: "—" if r.ratio is None else
           (f"{r.ratio:.1f}× faster" if r.ratio >= 1 else f"{1 / r.ratio:.1f}× slower"), "r"),
    Column("target", lambda r: f"≥ {TARGET_RATIO:g}× Sage, ≤ {fmt_seconds(TARGET_SECONDS)}"),
    Column("status", lambda r: r.status),
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.extremes", description=__doc__.splitlines()[0])
    ap.add_argument("--sage-python", default=None,
                    help="a Python that imports passagemath: Sage's whole case is timed in the same run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for extremes.md")
    args = ap.parse_args(argv)
    from hyperarr import Arrangement

    Arrangement.from_matrix([[1.0, 0.5, 0.1], [0.1, 1.0, 0.3], [1.0, 1.0, 1.0]]).regions()  # imports
    rows = []
    for case in CASES:
        rows.append(measure(case, args.repeat, args.sage_python))
        print(f"{case.name}: {fmt_seconds(rows[-1].seconds)}", flush=True)
    sage = "timed in this run" if args.sage_python else "not given (--sage-python)"
    text = "\n".join(["# Nasty float input against Sage", "",
                      *machine_lines(extra=[f"- Sage (passagemath): {sage}"]), "",
                      format_table(COLUMNS, rows), ""])
    print(text)
    write_text_atomic(args.out / "extremes.md", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
