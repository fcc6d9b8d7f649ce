"""``hyperarr regions``: every region of an arrangement, exactly (private).

``hyperarr regions FILE.csv [-o out.npz|.csv|.json] [--progress]`` enumerates
the regions of the arrangement in FILE.csv (rows ``w_1, ..., w_d, θ``), or of
a built-in example with ``--example five-lines``: sign vector, witness point
and boundedness of each.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any

from hyperarr import _memory
from hyperarr._exact import exact_text
from hyperarr.cli._command import add_command, feedback
from hyperarr.cli._input import EXAMPLES_HELP, has_symmetry, load_arrangement
from hyperarr.cli._output import WITNESS_HEAD, save_regions, witness_text, write_bytes
from hyperarr.exceptions import OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.arrangement import Arrangement
    from hyperarr.regions import Region, Regions

__all__ = ["add_parser", "run", "demo_step"]

#: Table formats of ``-o``.
_FORMATS = (".npz", ".csv", ".json")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``regions`` on an argparse subparsers object."""
    p = add_command(
        subparsers,
        "regions",
        run,
        help="enumerate the regions of an arrangement, exactly",
        description=(
            "Enumerate every region of an arrangement: its sign vector, an interior "
            "witness point checked in exact arithmetic, and whether it is bounded "
            "(the columns are below). "
            "Each CSV row is w_1,...,w_d,theta (neuron a = w.x - theta)."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr regions --example five-lines\n"
            "  hyperarr regions lines.csv -o regions.npz --progress\n"
            "  hyperarr regions --example braid-4\n"
            "\n"
            "columns, one row per region (in label order for lines in the plane):\n"
            "  #                   the index of the region in A.regions() order\n"
            "  label               lines in the plane: the sheet's label (A, B, ...)\n"
            "  signs               +1/-1 per hyperplane: the side of w.x = theta it is on\n"
            "  bounded             the region is compact in R^d\n"
            "  relatively_bounded  bounded once projected onto the span of the normals\n"
            "                      (Sage's and Zaslavsky's meaning; n_bounded_regions counts these)\n"
            "  point_inside        the float64 witness lies strictly inside (checked exactly);\n"
            "                      where not, the region holds no float64 point and the witness\n"
            "                      is written exactly, as fractions p/q\n"
            "  witness             a point inside the region: decimals are the float64\n"
            "                      values (shortest form), p/q exact fractions\n"
            "  facets              with --facets: the hyperplanes (0-based input indices, a\n"
            "                      repeated hyperplane by its first copy) bounding the region\n"
            "files:\n"
            "  .csv   s1..sn, x1..xd (the witness: floats, or p/q where point_inside is 0),\n"
            "         bounded, relatively_bounded, point_inside (1 or 0)\n"
            "  .json  signs, points (the floats, hex), points_decimal, exact_points (p/q\n"
            "         strings where point_inside is false, else null), bounded,\n"
            "         relatively_bounded, point_inside\n"
            "  .npz   Regions.save: the arrays and the exact witnesses (Regions.load reads it)\n"
            "with --facets, .csv gets a column facets (indices separated by spaces) and\n"
            ".json a key facets (a list of index lists); R.facets() has them as a matrix"
        ),
    )
    p.add_argument("file", nargs="?", default=None, metavar="FILE.csv")
    p.add_argument("--example", default=None, metavar="NAME", help=EXAMPLES_HELP)
    p.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="OUT",
        help="write the table to OUT (.npz, .csv or .json), atomically",
    )
    p.add_argument("--progress", action="store_true",
                   help="say each stage on stderr (on a terminal a bar shows the elapsed time "
                        "of runs past 2 s anyway)")
    p.add_argument("--facets", action="store_true",
                   help="also write each region's facets: the hyperplanes that bound it "
                        "(to the table, .csv or .json)")
    p.add_argument(
        "--max-regions",
        default=None,
        metavar="N",
        help="refuse arrangements with more regions (default: the library's limit)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr regions``: print the table or write ``-o``, return 0."""
    A = load_arrangement(args.file, args.example)
    out = args.output
    if out is not None and not out.endswith(_FORMATS):
        raise ValueError(f"-o must end in {', '.join(_FORMATS)}; got {out!r}")
    if args.facets and out is not None and out.endswith(".npz"):
        raise ValueError(f"--facets writes to the table, .csv or .json (Regions.save has no facets); "
                         f"got -o {out!r}")
    limit: Any = {}
    if args.max_regions is not None:
        try:
            limit = {"max_regions": int(args.max_regions)}
        except ValueError:
            raise ValueError(
                f"--max-regions must be an integer; got {args.max_regions!r}"
            ) from None
    progress = _Progress(enabled=args.progress)
    progress.say(f"arrangement: n = {A.n} hyperplanes in R^{A.dim}")
    per_row = _check_output_size(A, out)
    start = time.perf_counter()
    with feedback(args.command_parser.prog, "enumerating regions"):
        try:
            table = A.regions(**limit)
        except OutputTooLargeError as exc:
            source = f"--example {args.example}" if args.example is not None else args.file
            raise OutputTooLargeError(
                f"{exc}; on the command line, count them with 'hyperarr count {source}"
                f"{' --symmetry' if has_symmetry(args.example) else ''}', or raise --max-regions"
            ) from None
    progress.say(f"enumerated {len(table)} regions in {time.perf_counter() - start:.2f} s")
    facets = _facet_lists(table) if args.facets else None
    if out is None:
        labels = None
        if A.dim == 2 and len(table) <= 26 * 27:
            from hyperarr.plane import seed_labels

            labels = seed_labels(A)
        with _memory.memory_errors_refused(f"the text table of {len(table)} regions", per_row * len(table),
                                           "write it to a file with -o OUT.npz"):
            for line in _text(table, labels, facets):
                print(line)
        return 0
    with _memory.memory_errors_refused(f"the {out.rsplit('.', 1)[-1].upper()} of {len(table)} regions",
                                       per_row * len(table), "write -o OUT.npz instead"):
        if out.endswith(".npz"):
            save_regions(table, out)
        else:
            write_bytes(out, _encode(table, out, facets))
    progress.say(f"wrote {out}")
    print(f"{len(table)} regions ({int(table.bounded.sum())} bounded) written to {out}")
    return 0


def _check_output_size(A: "Arrangement", out: str | None) -> float:
    """Refuse, before enumerating, an output of ``A``'s regions larger than the memory available.

    The bytes a region takes are measured on a sample table of the same n
    and d in the format of ``out`` (text, CSV, JSON or npz): the table itself
    plus the peak of encoding it.  The number of regions is the cheap upper
    bound, or the exact count when the bound does not fit.  Returns the bytes
    per region.
    """
    from hyperarr._binomial import region_count
    from hyperarr.regions import _bytes_per_region

    per_row = _bytes_per_region(A) + _format_bytes_per_region(A.n, A.dim, out)
    memory = _memory.available()
    bound = region_count(len(A._prepared.rows), A.rank())
    if memory and bound * per_row > _memory.SHARE * memory:
        what = "the text table" if out is None else f"the {out.rsplit('.', 1)[-1].upper()}"
        m = A.n_regions()
        remedy = ("stream them in Python with A.iter_regions(chunk_size=...), or write them as Parquet "
                  "parts with hyperarr.distributed.regions_to_parquet")
        if out is None or not out.endswith(".npz"):
            remedy = f"write -o OUT.npz (the most compact), or {remedy}"
        _memory.refuse_over(f"{what} of the {m} regions (with the table they come from)", m, per_row,
                            remedy, memory)
    return per_row


#: Regions in the sample on which an output's bytes per region are measured.
_SAMPLE = 64


def _format_bytes_per_region(n: int, d: int, out: str | None) -> float:
    """Peak bytes a region takes while encoded for ``out`` (None: the text table), measured: the
    growth of the peak from a sample table to one twice as long (fixed costs cancel)."""
    import numpy as np

    from hyperarr.regions import Regions

    def peak(rows: int) -> int:
        rng = np.random.default_rng(0)
        signs = np.where(rng.random((rows, n)) < 0.5, 1, -1).astype(np.int8)
        flags = rng.random(rows) < 0.5
        sample = Regions._wrap(signs, rng.normal(size=(rows, d)) * 1e3, flags, flags, None)
        if out is None:
            return _memory.measured_bytes(lambda: _text(sample))
        if out.endswith(".npz"):
            return _memory.measured_bytes(sample._npz_bytes)
        return _memory.measured_bytes(lambda: _encode(sample, out))

    return max(peak(2 * _SAMPLE) - peak(_SAMPLE), 0) / _SAMPLE


def demo_step(out_dir: str) -> list[str]:
    """Demo step: the regions of the five lines, with their sign vectors."""
    from hyperarr.library import five_lines
    from hyperarr.plane import seed_labels

    A = five_lines()
    table = A.regions()
    b = int(table.bounded.sum())
    lines = [
        f"The five lines cut the plane into {len(table)} regions: "
        f"{len(table) - b} unbounded and {b} bounded (labels as in the sheet, 3c)."
    ]
    lines += _text(table, seed_labels(A))
    return lines


def _facet_lists(table: "Regions") -> list[list[int]]:
    """Each region's facets (hyperplane indices, increasing), from ``R.facets()``."""
    F = table.facets()
    ind, ptr = F.indices.tolist(), F.indptr.tolist()
    return [ind[ptr[r]:ptr[r + 1]] for r in range(len(table))]


def _text(table: "Regions", labels: list[str] | None = None,
          facets: list[list[int]] | None = None) -> list[str]:
    """The table as text, one row per region; in label order where there are labels."""
    width = max(5, table.signs.shape[1])
    head = "  #  " + ("label  " if labels else "") + f"{'signs':<{width}}  " + "  ".join(_FLAGS)
    lines = [f"{head}  {WITNESS_HEAD}" + ("  facets" if facets is not None else "")]
    order = range(len(table)) if labels is None else sorted(
        range(len(table)), key=lambda i: (len(labels[i]), labels[i]))
    for i in order:
        r = table[i]
        signs = "".join("+" if s > 0 else "-" for s in r.signs)
        flags = (r.bounded, r.relatively_bounded, r.point_inside)
        cells = "  ".join(f"{f!s:<{len(h)}}" for f, h in zip(flags, _FLAGS))
        label = f"{labels[i]:<5}  " if labels else ""
        witness = witness_text(r.point_inside, r.point, r.exact_point)
        tail = "  " + ",".join(map(str, facets[i])) if facets is not None else ""
        lines.append(f"{i:3d}  {label}{signs:<{width}}  {cells}  {witness}{tail}")
    return lines


#: The flag columns of a region, in the order of the table, the CSV and the JSON.
_FLAGS = ("bounded", "relatively_bounded", "point_inside")


def _encode(table: "Regions", path: str, facets: list[list[int]] | None = None) -> bytes:
    """The table as ``.json`` (exact float hex, decimal, and p/q where no float is inside) or ``.csv`` bytes."""
    inside = table.points_inside.tolist()
    exact = [None if ok else [exact_text(v) for v in table[r].exact_point]
             for r, ok in enumerate(inside)]
    flags = [table.bounded.tolist(), table.relatively_bounded.tolist(), inside]
    if path.endswith(".json"):
        data = {
            "signs": table.signs.tolist(),
            "points": [[float(v).hex() for v in p] for p in table.points],
            "points_decimal": table.points.tolist(),
            "exact_points": exact,
            **dict(zip(_FLAGS, flags)),
        }
        if facets is not None:
            data["facets"] = facets
        return json.dumps(data).encode()
    n = table.signs.shape[1]
    d = table.points.shape[1]
    head = [f"s{i + 1}" for i in range(n)] + [f"x{j + 1}" for j in range(d)] + list(_FLAGS)
    lines = [",".join(head + (["facets"] if facets is not None else []))]
    for r, (s, p, e, *f) in enumerate(zip(table.signs.tolist(), table.points.tolist(), exact, *flags)):
        x = [repr(v) for v in p] if e is None else e
        extra = [" ".join(map(str, facets[r]))] if facets is not None else []
        lines.append(",".join([str(v) for v in s] + x + [str(int(b)) for b in f] + extra))
    return ("\n".join(lines) + "\n").encode()


class _Progress:
    """Minimal progress reporting on stderr (one line per stage)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def say(self, text: str) -> None:
        if self.enabled:
            print(f"hyperarr regions: {text}", file=sys.stderr, flush=True)
