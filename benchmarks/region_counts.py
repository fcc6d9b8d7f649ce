"""Region counts: the exact maximum Σ_{k≤d} C(n, k) against the estimate n^d.

Run from the repository root::

    python -m benchmarks.region_counts            # d = 1..12, n = d..80
    python -m benchmarks.region_counts --quick    # d = 1..4, n = d..20
    python -m benchmarks.region_counts --out DIR  # default benchmarks/results
    python -m benchmarks.region_counts --dask ADDRESS  # enumerate on a Dask cluster

For every ``(n, d)`` it computes the exact maximum number of regions of ``n``
hyperplanes in ``R^d`` (`hyperarr.counting.max_regions`), the class
estimate ``n^d`` and the leading term ``n^d / d!``, and, where it fits the
budget, checks the formula twice on a random arrangement in general position
(``hyperarr.library.generic(n, d, seed=0)``): by enumerating its regions and
by its characteristic polynomial.  Both must equal the formula; a mismatch is
reported in the table and makes the exit status 1.

Writes ``region_counts.csv`` (every row), ``region_counts.md`` (a readable
subset: ``n ∈ {d, 2d, 20, 40, 80}`` for each ``d``, plus the named rows) and
``region_counts.png`` (log-scale plot), and prints the markdown table.
The rows are filled first as `CountRow` records; the column tables
``MD_COLUMNS`` and ``CSV_COLUMNS`` are the formatters of the two files.

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
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from benchmarks._common import (
    DEFAULT_OUT,
    Column,
    cells,
    format_table,
    machine_lines,
    write_atomic,
    write_text_atomic,
)

__all__ = ["main", "CountRow", "compute_rows", "MD_COLUMNS", "CSV_COLUMNS"]

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
    enumerate_seconds: float = field(default=0.0, compare=False)  # regions() on the arrangement
    chi_seconds: float = field(default=0.0, compare=False)  # n_regions() on a fresh copy

    @property
    def shown(self) -> bool:
        """Whether the row is in the markdown table (the CSV has every row)."""
        return _shown(self.n, self.d) or bool(self.label)

    @property
    def log10_approx_factorial(self) -> float:
        """log10(n^d / d!); -inf when n^d is 0."""
        return self.log10_approx - math.log10(math.factorial(self.d)) if self.approx else -math.inf

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


def _enumerate(A: Any, client: Any) -> int:
    """The number of regions of ``A``: ``regions()`` here, or Parquet parts written by
    the Dask cluster of ``client`` (into a temporary folder, removed after)."""
    if client is None:
        return len(A.regions(max_regions=None))
    import tempfile

    from hyperarr.distributed import regions_to_parquet

    with tempfile.TemporaryDirectory(prefix="hyperarr-counts-") as folder:
        return regions_to_parquet(A, folder, client=client)


def _count_row(n: int, d: int, check: bool, label: str = "", client: Any = None) -> CountRow:
    from hyperarr import Arrangement, library
    from hyperarr.counting import region_count_table

    base = region_count_table(n, d)[0]
    enumerated = chi = None
    t_enum = t_chi = 0.0
    if check:
        A = library.generic(n, d, seed=SEED)
        rows = A.exact_rows
        t0 = time.perf_counter()
        enumerated = _enumerate(A, client)
        t_enum = time.perf_counter() - t0
        # A fresh object, so nothing cached by the enumeration is reused.
        B = Arrangement([list(r[:-1]) for r in rows], [r[-1] for r in rows])
        t0 = time.perf_counter()
        chi = int(B.n_regions())
        t_chi = time.perf_counter() - t0
    return CountRow(
        n=n, d=d, exact=base.exact, approx=base.approx, approx_factorial=base.approx_factorial,
        log10_exact=base.log10_exact, log10_approx=base.log10_approx,
        log10_ratio=base.log10_error, enumerated=enumerated, chi_count=chi, label=label,
        enumerate_seconds=t_enum, chi_seconds=t_chi,
    )


def compute_rows(dims: range, n_max: int, *, check_all_below: int = CHECK_ALL_BELOW,
                 check_shown_below: int = CHECK_SHOWN_BELOW, named: bool = True,
                 progress: bool = False, client: Any = None) -> tuple[list[CountRow], dict[str, float]]:
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
        row = _count_row(n, d, check, label or NAMED.get((n, d), ""), client)
        total = time.perf_counter() - t0
        if check:
            stats["checked"] += 1
            stats["enumerate_s"] += row.enumerate_seconds
            stats["chi_s"] += row.chi_seconds
            stats["build_s"] += total - row.enumerate_seconds - row.chi_seconds
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


def _optional(v: int | None) -> str:
    return "" if v is None else str(v)


def _csv_ratio(r: CountRow) -> str:
    if r.log10_ratio < 300:
        return f"{float(Fraction(r.approx, r.exact)):.6g}"
    return f"1e{r.log10_ratio:.4f}"


def _csv_approx_factorial(r: CountRow) -> str:
    if r.log10_approx < 300:
        return f"{float(r.approx_factorial):.6g}"
    return f"1e{r.log10_approx_factorial:.4f}"


#: The markdown table (the shown rows), one column at a time.
MD_COLUMNS: tuple[Column[CountRow], ...] = (
    Column("n", lambda r: str(r.n), "r"),
    Column("d", lambda r: str(r.d), "r"),
    Column("exact Σ C(n,k)", lambda r: _big(r.exact, r.log10_exact), "r"),
    Column("enumerated", lambda r: _check_cell(r.enumerated, r.exact), "r"),
    Column("χ count", lambda r: _check_cell(r.chi_count, r.exact), "r"),
    Column("n^d", lambda r: _big(r.approx, r.log10_approx), "r"),
    Column("n^d/d!", lambda r: _big(r.approx_factorial, r.log10_approx_factorial), "r"),
    Column("n^d / exact", lambda r: (f"{10 ** r.log10_ratio:,.3g}" if r.log10_ratio < 12
                                     else f"10^{r.log10_ratio:.2f}"), "r"),
    Column("verdict", lambda r: r.verdict),
    Column("note", lambda r: r.label),
)

#: The CSV file (every row), one column at a time.
CSV_COLUMNS: tuple[Column[CountRow], ...] = (
    Column("n", lambda r: str(r.n)),
    Column("d", lambda r: str(r.d)),
    Column("exact", lambda r: str(r.exact)),
    Column("enumerated", lambda r: _optional(r.enumerated)),
    Column("chi_count", lambda r: _optional(r.chi_count)),
    Column("n_pow_d", lambda r: str(r.approx)),
    Column("n_pow_d_over_d_factorial", _csv_approx_factorial),
    Column("ratio_n_pow_d_over_exact", _csv_ratio),
    Column("log10_exact", lambda r: f"{r.log10_exact:.6f}"),
    Column("log10_n_pow_d", lambda r: f"{r.log10_approx:.6f}"),
    Column("log10_ratio", lambda r: f"{r.log10_ratio:.6f}"),
    Column("verdict", lambda r: r.verdict),
    Column("label", lambda r: r.label),
)


def _csv_text(rows: list[CountRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c.header for c in CSV_COLUMNS])
    w.writerows(cells(CSV_COLUMNS, r) for r in rows)
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
    parser.add_argument("--dask", default=None, metavar="ADDRESS",
                        help="enumerate on the Dask scheduler at ADDRESS (hyperarr.distributed, "
                        "Parquet parts in a temporary folder)")
    args = parser.parse_args(argv)
    client = None
    if args.dask:
        from distributed import Client

        client = Client(args.dask)

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
                               check_shown_below=shown_below, progress=not args.quick, client=client)
    elapsed = time.perf_counter() - start

    bad = [r for r in rows if not r.checks_ok]
    header = machine_lines(SEED, [
        f"- mode: {'--quick' if args.quick else 'default'}"
        f"{'; enumerated on the Dask cluster at ' + args.dask if args.dask else ''}; "
        f"d = {dims.start}..{dims.stop - 1}, "
        f"n = d..{n_max}, plus the named rows; {len(rows)} rows in the CSV",
        f"- checked on generic(n, d, seed=0): {stats['checked']} rows (max_regions ≤ "
        f"{all_below:,}, or shown below and ≤ {shown_below:,}); time: build "
        f"{stats['build_s']:.1f} s, regions() {stats['enumerate_s']:.1f} s, "
        f"n_regions() {stats['chi_s']:.1f} s; total {elapsed:.1f} s",
        f"- formula agrees with every checked count: {'yes' if not bad else 'NO, see MISMATCH'}",
    ])
    table = format_table(MD_COLUMNS, [r for r in rows if r.shown])
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
