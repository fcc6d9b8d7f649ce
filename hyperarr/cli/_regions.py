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

from hyperarr._exact import exact_text
from hyperarr.cli._command import add_command, feedback
from hyperarr.cli._input import EXAMPLES_HELP, has_symmetry, load_arrangement
from hyperarr.cli._output import WITNESS_HEAD, save_regions, witness_text, write_bytes
from hyperarr.exceptions import OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
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
            "files:\n"
            "  .csv   s1..sn, x1..xd (the witness: floats, or p/q where point_inside is 0),\n"
            "         bounded, relatively_bounded, point_inside (1 or 0)\n"
            "  .json  signs, points (the floats, hex), points_decimal, exact_points (p/q\n"
            "         strings where point_inside is false, else null), bounded,\n"
            "         relatively_bounded, point_inside\n"
            "  .npz   Regions.save: the arrays and the exact witnesses (Regions.load reads it)"
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
    if out is None:
        labels = None
        if A.dim == 2 and len(table) <= 26 * 27:
            from hyperarr.plane import seed_labels

            labels = seed_labels(A)
        for line in _text(table, labels):
            print(line)
        return 0
    if out.endswith(".npz"):
        save_regions(table, out)
    else:
        write_bytes(out, _encode(table, out))
    progress.say(f"wrote {out}")
    print(f"{len(table)} regions ({int(table.bounded.sum())} bounded) written to {out}")
    return 0


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


def _text(table: "Regions", labels: list[str] | None = None) -> list[str]:
    """The table as text, one row per region; in label order where there are labels."""
    width = max(5, table.signs.shape[1])
    head = "  #  " + ("label  " if labels else "") + f"{'signs':<{width}}  " + "  ".join(_FLAGS)
    lines = [f"{head}  {WITNESS_HEAD}"]
    order = range(len(table)) if labels is None else sorted(
        range(len(table)), key=lambda i: (len(labels[i]), labels[i]))
    for i in order:
        r = table[i]
        signs = "".join("+" if s > 0 else "-" for s in r.signs)
        flags = (r.bounded, r.relatively_bounded, r.point_inside)
        cells = "  ".join(f"{f!s:<{len(h)}}" for f, h in zip(flags, _FLAGS))
        label = f"{labels[i]:<5}  " if labels else ""
        witness = witness_text(r.point_inside, r.point, r.exact_point)
        lines.append(f"{i:3d}  {label}{signs:<{width}}  {cells}  {witness}")
    return lines


#: The flag columns of a region, in the order of the table, the CSV and the JSON.
_FLAGS = ("bounded", "relatively_bounded", "point_inside")


def _encode(table: "Regions", path: str) -> bytes:
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
        return json.dumps(data).encode()
    n = table.signs.shape[1]
    d = table.points.shape[1]
    head = [f"s{i + 1}" for i in range(n)] + [f"x{j + 1}" for j in range(d)] + list(_FLAGS)
    lines = [",".join(head)]
    for s, p, e, *f in zip(table.signs.tolist(), table.points.tolist(), exact, *flags):
        x = [repr(v) for v in p] if e is None else e
        lines.append(",".join([str(v) for v in s] + x + [str(int(b)) for b in f]))
    return ("\n".join(lines) + "\n").encode()


class _Progress:
    """Minimal progress reporting on stderr (one line per stage)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def say(self, text: str) -> None:
        if self.enabled:
            print(f"hyperarr regions: {text}", file=sys.stderr, flush=True)
