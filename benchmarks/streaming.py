"""Degenerate arrangements that stream: ``regions()`` and ``iter_regions`` over the lattice.

Usage::

    python -m benchmarks.streaming                    # resonance(5), threshold(5), resonance(6)
    python -m benchmarks.streaming --quick            # resonance(5) and threshold(5) only
    python -m benchmarks.streaming --r7 600           # also resonance(7) iter_regions for 600 s

Every call runs in a fresh child process (the run of median time of
``--repeat`` children for the small cases, one for resonance(6)); its peak
resident memory is the child's own high-water mark (``VmHWM``).  The same-run baseline is the
lift that holds the table of every child flat at once (``_lift.flat_regions``
on the whole space), which ``regions()`` used before the lift streamed.
Each child appends a line to ``--log`` as it goes, so a run that is
stopped still leaves its figures.  The resonance(7) row is run for a fixed
time: it reports how far it got, its rate and its peak, and the time a
cluster of 100 workers would take if the rate held (an estimate, not a
measurement: the stream does not yet split across workers).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchmarks._common import DEFAULT_OUT, fmt_seconds, machine_lines, markdown_table, publish

__all__ = ["main"]

#: The child: one call on a fresh arrangement; prints a JSON line with its figures.
_CHILD = r"""
import json, sys, time
fam, d, call, log, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
def peak():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM"))
def note(text):
    with open(log, "a") as fh:
        fh.write(f"{fam}({d}) {call}: {time.perf_counter() - t0:9.1f} s  {text}  peak {peak() / 2**20:.0f} MiB\n")
from hyperarr import _lift, library
from hyperarr.exceptions import OutputTooLargeError
def rss():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmRSS"))
A = getattr(library, fam)(d)
t0 = time.perf_counter()
out = {"complete": True, "refused": None, "before": rss()}
def run():
    if call == "regions":
        R = A.regions(max_regions=None)
        out["regions"] = len(R)
        out["output"] = R.signs.nbytes + R.points.nbytes + R.bounded.nbytes + R.relatively_bounded.nbytes
    elif call == "iter":
        count, last = 0, 0.0
        out["regions"] = 0
        for chunk in A.iter_regions(chunk_size=10_000):
            count += len(chunk)
            out["regions"] = count
            now = time.perf_counter() - t0
            if now - last > 30:
                note(f"{count:,} regions")
                last = now
            if now > limit:
                out["complete"] = False
                break
    else:  # the baseline: every child flat's table held at once
        lat = A._lattice
        out["regions"] = _lift.flat_regions(lat, lat.top)[0].shape[0]
try:
    run()
except OutputTooLargeError as err:
    out["refused"] = str(err)
    out.setdefault("regions", 0)
out["seconds"] = time.perf_counter() - t0
out["peak"] = peak()
note(f"done {json.dumps(out)}")
print(json.dumps(out))
"""

#: Published region counts (OEIS A034997, A000609).
PUBLISHED = {("resonance", 5): 11292, ("resonance", 6): 1066044, ("resonance", 7): 347326352,
             ("threshold", 5): 94572}


def _child(fam: str, d: int, call: str, log: Path, limit: float = float("inf")) -> dict:
    """One call in a fresh child; a child still building the lattice 60 s past ``limit`` is stopped."""
    try:
        out = subprocess.run([sys.executable, "-c", _CHILD, fam, str(d), call, str(log), str(limit)],
                             capture_output=True, text=True, check=True,
                             timeout=None if limit == float("inf") else limit + 60)
    except subprocess.TimeoutExpired:
        return {"regions": 0, "seconds": limit + 60, "peak": float("nan"), "before": 0, "complete": False,
                "refused": f"no region was yielded in {limit + 60:.0f} s (still building the levels below "
                           "the children; see the log)"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(runs: list[dict]) -> dict:
    """The run of median time (its own peak goes with it)."""
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def _mib(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.streaming",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="resonance(5) and threshold(5) only")
    parser.add_argument("--r7", type=float, default=0.0, metavar="SECONDS",
                        help="also run resonance(7) iter_regions for this long")
    parser.add_argument("--repeat", type=int, default=3,
                        help="children per call for resonance(5) and threshold(5) (the median is quoted); "
                             "resonance(6) runs once")
    parser.add_argument("--log", type=Path, default=DEFAULT_OUT / "streaming.log")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / "streaming.md")
    args = parser.parse_args(argv)
    cases = [("resonance", 5), ("threshold", 5)] + ([] if args.quick else [("resonance", 6)])
    header = machine_lines()
    _child("resonance", 4, "regions", args.log)  # warm-up: fills the numba cache
    rows = []
    for fam, d in cases:
        runs = 1 if d >= 6 else max(1, args.repeat)
        table, stream, base = (_median([_child(fam, d, call, args.log) for _ in range(runs)])
                               for call in ("regions", "iter", "baseline"))
        want = PUBLISHED[(fam, d)]
        out = table["output"]
        for name, got in (("regions()", table), ("iter_regions(chunk_size=10_000)", stream)):
            ok = got["regions"] == want == base["regions"]
            rows.append([f"{fam}({d})", name, f"{got['regions']:,}" + (" = OEIS" if ok else f" ≠ {want:,}"),
                         fmt_seconds(got["seconds"]), _mib(got["peak"]), _mib(got["peak"] - got["before"]),
                         f"{got['peak'] / out:.1f}×", f"{base['peak'] / got['peak']:.1f}× less",
                         f"{got['seconds'] / base['seconds']:.2f}×"])
        rows.append([f"{fam}({d})", "baseline: every child's table at once", f"{base['regions']:,}",
                     fmt_seconds(base["seconds"]), _mib(base["peak"]), _mib(base["peak"] - base["before"]),
                     f"{base['peak'] / out:.1f}×", "—", "—"])
        rows.append([f"{fam}({d})", "iter_regions time / regions() time", "—",
                     f"{stream['seconds'] / table['seconds']:.2f}×", "—", "—", "—", "—", "—"])
    lines = ["# Degenerate arrangements that stream", "", *header, "",
             "Output: the table's signs, witnesses and both flags. Peak: the child's VmHWM, "
             "interpreter and arrangement included; above before: that peak less the child's "
             "resident memory just before the call (interpreter, imports and the arrangement, "
             "about 100 MiB).", "",
             markdown_table(["arrangement", "call", "regions", "time", "peak memory", "above before",
                             "peak / output",
                             "peak vs baseline", "time / baseline"], rows)]
    if args.r7 > 0:
        got = _child("resonance", 7, "iter", args.log, args.r7)
        if got["refused"]:
            lines += ["", f"resonance(7) `iter_regions(chunk_size=10_000)`: refused after "
                      f"{fmt_seconds(got['seconds'])} at a peak of {_mib(got['peak'])}: {got['refused']}"]
        else:
            rate = got["regions"] / got["seconds"] if got["seconds"] else 0.0
            want = PUBLISHED[("resonance", 7)]
            projected = (want / rate / 100) if rate else float("inf")
            lines += ["", f"resonance(7) `iter_regions(chunk_size=10_000)`, stopped after {fmt_seconds(args.r7)}:", "",
                      markdown_table(["regions yielded", "of", "time", "regions/s", "peak memory",
                                      "projected on 100 workers at this rate"],
                                     [[f"{got['regions']:,}", f"{want:,}", fmt_seconds(got["seconds"]),
                                       f"{rate:,.0f}", _mib(got["peak"]), fmt_seconds(projected)]])]
    lines += ["", f"Per-call figures of every child: {args.log.name}.", ""]
    return publish(lines, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
