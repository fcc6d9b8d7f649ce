"""Region counts: the exact maximum Σ_{k≤d} C(n, k) against the estimate n^d.

Run from the repository root::

    python -m benchmarks.region_counts            # d = 1..12, n = d..80
    python -m benchmarks.region_counts --quick    # d = 1..4, n = d..20
    python -m benchmarks.region_counts --out DIR  # default benchmarks/results

For every ``(n, d)`` it computes the exact maximum number of regions of ``n``
hyperplanes in ``R^d`` (:func:`hyperarr.counting.max_regions`), the class
estimate ``n^d`` and the leading term ``n^d / d!``, and, where it fits the
budget, checks the formula twice on a random arrangement in general position
(``hyperarr.library.generic(n, d, seed=0)``): by enumerating its regions and
by its characteristic polynomial.  Both must equal the formula; a mismatch is
reported in the table and makes the exit status 1.

Writes ``region_counts.csv`` (every row), ``region_counts.md`` (a readable
subset: ``n ∈ {d, 2d, 20, 40, 80}`` for each ``d``, plus the named rows) and
``region_counts.png`` (log-scale plot), and prints the markdown table.

Budget rule (deterministic): a row is checked when ``max_regions(n, d) ≤
20,000``, or when it is one of the rows shown in the markdown table and
``max_regions(n, d) ≤ 300,000``.  Everything is seeded, so two runs give the
same files apart from the date line and the timings in the header.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from benchmarks._common import DEFAULT_OUT, machine_lines, markdown_table, write_atomic, write_text_atomic

__all__ = ["main", "CountRow", "compute_rows"]

SEED = 0
#: Rows checked when max_regions is at most this ...
CHECK_ALL_BELOW = 20_000
#: ... and rows shown in the markdown table when at most this.
CHECK_SHOWN_BELOW = 300_000
#: The seed's named cases.
NAMED = {(20, 10): "exercise 3h", (1000, 256): "miniproject"}
PLOT_DIMS = (2, 4, 6, 10)


@dataclass(frozen=True)
class CountRow:
    """One (n, d): the formula, the estimates, and the counts checked on an arrangement."""

    n: int
    d: int
    exact: int
    approx: int  # n**d
    approx_factorial: Fraction  # n**d / d!
    log10_exact: float
    log10_approx: float
    log10_ratio: float  # log10(n**d / exact)
    enumerated: int | None
    chi_count: int | None
    label: str = ""

    @property
    def verdict(self) -> str:
        """``within 2×`` when n^d is within a factor 2 of the exact count, else the error."""
        if abs(self.log10_ratio) <= math.log10(2) + 1e-12:
            return "within 2×"
        if self.log10_ratio < 0:
            return f"under by {10 ** -self.log10_ratio:.1f}×"
        if self.log10_ratio < 1:
            return f"off by {10 ** self.log10_ratio:.1f}×"
        return f"off by 10^{math.floor(self.log10_ratio)}"

    @property
    def checks_ok(self) -> bool:
        return all(v is None or v == self.exact for v in (self.enumerated, self.chi_count))


def _shown(n: int, d: int) -> bool:
    return n in {d, 2 * d, 20, 40, 80} or (n, d) in NAMED


def _count_row(n: int, d: int, check: bool, label: str = "") -> tuple[CountRow, float, float]:
    from hyperarr import Arrangement, library
    from hyperarr.counting import region_count_table

    base = region_count_table(n, d)[0]
    enumerated = chi = None
    t_enum = t_chi = 0.0
    if check:
        A = library.generic(n, d, seed=SEED)
        rows = A.exact_rows
        t0 = time.perf_counter()
        enumerated = len(A.regions(max_regions=None))
        t_enum = time.perf_counter() - t0
        # A fresh object, so nothing cached by the enumeration is reused.
        B = Arrangement([list(r[:-1]) for r in rows], [r[-1] for r in rows])
        t0 = time.perf_counter()
        chi = int(B.n_regions())
        t_chi = time.perf_counter() - t0
    row = CountRow(
        n=n, d=d, exact=base.exact, approx=base.approx, approx_factorial=base.approx_factorial,
        log10_exact=base.log10_exact, log10_approx=base.log10_approx,
        log10_ratio=base.log10_error, enumerated=enumerated, chi_count=chi, label=label,
    )
    return row, t_enum, t_chi


def compute_rows(dims: range, n_max: int, *, check_all_below: int = CHECK_ALL_BELOW,
                 check_shown_below: int = CHECK_SHOWN_BELOW, named: bool = True,
                 progress: bool = False) -> tuple[list[CountRow], dict[str, float]]:
    """All rows for ``d`` in ``dims`` and ``n = d..n_max``, then the named rows."""
    from hyperarr.counting import max_regions

    rows: list[CountRow] = []
    stats = {"checked": 0, "enumerate_s": 0.0, "chi_s": 0.0, "build_s": 0.0}
    todo = [(n, d, "") for d in dims for n in range(d, n_max + 1)]
    if named:
        in_grid = {(n, d) for n, d, _ in todo}
        todo += [(n, d, label) for (n, d), label in NAMED.items() if (n, d) not in in_grid]
    for n, d, label in todo:
        exact = max_regions(n, d)
        check = exact <= check_all_below or (_shown(n, d) and exact <= check_shown_below)
        t0 = time.perf_counter()
        row, t_enum, t_chi = _count_row(n, d, check, label or NAMED.get((n, d), ""))
        total = time.perf_counter() - t0
        if check:
            stats["checked"] += 1
            stats["enumerate_s"] += t_enum
            stats["chi_s"] += t_chi
            stats["build_s"] += total - t_enum - t_chi
            if progress and total > 2:
                print(f"  n={n} d={d}: {exact:,} regions, build+enumerate+chi {total:.1f} s",
                      file=sys.stderr, flush=True)
        rows.append(row)
    return rows, stats


def _big(v: int | Fraction, log10: float) -> str:
    """Commas up to 10^12, else 10^x.xx."""
    if v < 10**12:
        if isinstance(v, Fraction) and v.denominator == 1:
            v = v.numerator
        return f"{v:,}" if isinstance(v, int) else f"{float(v):,.1f}"
    return f"10^{log10:.2f}"


def _check_cell(v: int | None, exact: int) -> str:
    if v is None:
        return "—"
    return f"{v:,}" if v == exact else f"{v:,} MISMATCH"


def _md_rows(rows: list[CountRow]) -> list[list[str]]:
    out = []
    for r in rows:
        if not (_shown(r.n, r.d) or r.label):
            continue
        log_f = r.log10_approx - math.log10(math.factorial(r.d)) if r.approx else -math.inf
        ratio = (f"{10 ** r.log10_ratio:,.3g}" if r.log10_ratio < 12 else f"10^{r.log10_ratio:.2f}")
        out.append([
            str(r.n), str(r.d), _big(r.exact, r.log10_exact),
            _check_cell(r.enumerated, r.exact), _check_cell(r.chi_count, r.exact),
            _big(r.approx, r.log10_approx), _big(r.approx_factorial, log_f),
            ratio, r.verdict, r.label,
        ])
    return out


MD_HEADER = ["n", "d", "exact Σ C(n,k)", "enumerated", "χ count", "n^d", "n^d/d!",
             "n^d / exact", "verdict", "note"]

CSV_HEADER = ["n", "d", "exact", "enumerated", "chi_count", "n_pow_d", "n_pow_d_over_d_factorial",
              "ratio_n_pow_d_over_exact", "log10_exact", "log10_n_pow_d", "log10_ratio",
              "verdict", "label"]


def _csv_text(rows: list[CountRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for r in rows:
        ratio = Fraction(r.approx, r.exact)
        ratio_s = f"{float(ratio):.6g}" if r.log10_ratio < 300 else f"1e{r.log10_ratio:.4f}"
        f = r.approx_factorial
        f_s = f"{float(f):.6g}" if r.log10_approx < 300 else (
            f"1e{r.log10_approx - math.log10(math.factorial(r.d)):.4f}")
        w.writerow([r.n, r.d, r.exact, "" if r.enumerated is None else r.enumerated,
                    "" if r.chi_count is None else r.chi_count, r.approx, f_s, ratio_s,
                    f"{r.log10_exact:.6f}", f"{r.log10_approx:.6f}", f"{r.log10_ratio:.6f}",
                    r.verdict, r.label])
    return buf.getvalue()


def _plot(rows: list[CountRow], path: Path, dims: tuple[int, ...]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, d in enumerate(dims):
        rs = [r for r in rows if r.d == d and not r.label]
        if not rs:
            continue
        ns = [r.n for r in rs]
        c = colors[i % len(colors)]
        ax.plot(ns, [10**r.log10_exact for r in rs], color=c, lw=2, label=f"d = {d}: exact Σ C(n,k)")
        ax.plot(ns, [10**r.log10_approx for r in rs], color=c, ls="--", lw=1, label=f"d = {d}: n^d")
        ax.plot(ns, [float(r.approx_factorial) for r in rs], color=c, ls=":", lw=1.2,
                label=f"d = {d}: n^d / d!")
        checked = [r for r in rs if r.enumerated is not None]
        if checked:
            ax.plot([r.n for r in checked], [r.enumerated for r in checked], ls="none", marker="o",
                    ms=2.5, color=c)
    ax.set_yscale("log")
    ax.set_xlabel("n (hyperplanes, i.e. hidden neurons)")
    ax.set_ylabel("number of regions")
    ax.set_title("Regions of n hyperplanes in general position in R^d\n"
                 "(dots: counted by enumeration on generic(n, d, seed=0))")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="upper left")
    fig.tight_layout()
    write_atomic(path, lambda fh: fig.savefig(fh, format="png"))
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.region_counts",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="d = 1..4, n = d..20 only")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--check-all-below", type=int, default=None, metavar="M",
                        help=f"check every row with max_regions <= M (default {CHECK_ALL_BELOW:,}; "
                        "5,000 with --quick)")
    parser.add_argument("--check-shown-below", type=int, default=None, metavar="M",
                        help=f"check the rows of the markdown table with max_regions <= M "
                        f"(default {CHECK_SHOWN_BELOW:,}; 5,000 with --quick)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    if args.quick:
        dims, n_max, plot_dims, all_below, shown_below = range(1, 5), 20, (2, 4), 5_000, 5_000
    else:
        dims, n_max, plot_dims = range(1, 13), 80, PLOT_DIMS
        all_below, shown_below = CHECK_ALL_BELOW, CHECK_SHOWN_BELOW
    if args.check_all_below is not None:
        all_below = args.check_all_below
    if args.check_shown_below is not None:
        shown_below = args.check_shown_below
    rows, stats = compute_rows(dims, n_max, check_all_below=all_below,
                               check_shown_below=shown_below, progress=not args.quick)
    elapsed = time.perf_counter() - start

    bad = [r for r in rows if not r.checks_ok]
    header = machine_lines(SEED, [
        f"- mode: {'--quick' if args.quick else 'default'}; d = {dims.start}..{dims.stop - 1}, "
        f"n = d..{n_max}, plus the named rows; {len(rows)} rows in the CSV",
        f"- checked on generic(n, d, seed=0): {stats['checked']} rows (max_regions ≤ "
        f"{all_below:,}, or shown below and ≤ {shown_below:,}); time: build "
        f"{stats['build_s']:.1f} s, regions() {stats['enumerate_s']:.1f} s, "
        f"n_regions() {stats['chi_s']:.1f} s; total {elapsed:.1f} s",
        f"- formula agrees with every checked count: {'yes' if not bad else 'NO, see MISMATCH'}",
    ])
    table = markdown_table(MD_HEADER, _md_rows(rows), align="rrrrrrrrll")
    notes = [
        "exact = max_regions(n, d) = Σ_{k≤d} C(n, k), reached exactly by hyperplanes in general "
        "position. \"enumerated\" is len(generic(n, d, seed=0).regions()) and \"χ count\" is "
        "n_regions() (characteristic polynomial) on the same arrangement; \"—\" means outside the "
        "budget. Numbers above 10^12 are shown as powers of ten. The CSV has every row.",
    ]
    doc = "\n".join(["# Region counts: exact vs n^d", "", *header, "", table, "", *notes, ""])
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "region_counts.csv", _csv_text(rows))
    write_text_atomic(out / "region_counts.md", doc)
    _plot(rows, out / "region_counts.png", plot_dims)
    print("\n".join(header))
    print()
    print(table)
    print(f"\nwritten: {out / 'region_counts.csv'}, region_counts.md, region_counts.png")
    if bad:
        print(f"MISMATCH in {len(bad)} rows: " + ", ".join(f"(n={r.n}, d={r.d})" for r in bad),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
