"""``hyperarr faces``: every face of an arrangement, exactly (private).

``hyperarr faces FILE.csv [--dim K] [-o out.npz|.csv|.json]`` lists the faces
of the arrangement in FILE.csv (rows ``w_1, ..., w_d, θ``), or of a built-in
example with ``--example NAME``: sign vector, dimension, a relative-interior
witness and boundedness of each.  Without ``-o`` it prints the face vector
and the table.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from hyperarr._exact import exact_text
from hyperarr.cli._command import add_command, feedback
from hyperarr.cli._input import EXAMPLES_HELP, load_arrangement
from hyperarr import _memory
from hyperarr.cli._output import WITNESS_HEAD, check_folder, witness_text, write_bytes

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.faces import Faces

__all__ = ["add_parser", "run"]

#: Table formats of ``-o``.
_FORMATS = (".npz", ".csv", ".json")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``faces`` on an argparse subparsers object."""
    p = add_command(
        subparsers,
        "faces",
        run,
        help="list the faces of every dimension (vertices ... regions), exactly",
        description=(
            "List the faces of an arrangement: for each, its sign vector (0 on the "
            "hyperplanes through it), its dimension, a point in its relative interior "
            "(exact), and whether it is bounded. "
            "Each CSV row is w_1,...,w_d,theta (neuron a = w.x - theta)."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr faces --example five-lines\n"
            "  hyperarr faces lines.csv --dim 0 -o vertices.csv\n"
            "  hyperarr faces --example threshold-3 --dim 0\n"
            "\n"
            "witness column: decimals are the float64 point itself, where it lies in the\n"
            "face (checked exactly); p/q the exact point, where no float64 point does.\n"
            "\n"
            "files:\n"
            "  .csv   s1..sn (+1/0/-1), dim, bounded, point_inside (1 or 0), x1..xd (the\n"
            "         witness: floats where point_inside is 1, else exact p/q)\n"
            "  .json  face_vector, signs, dims, bounded, point_inside, points (floats, hex),\n"
            "         exact_points (p/q strings)\n"
            "  .npz   Faces.save: the arrays and the exact witnesses"
        ),
    )
    p.add_argument("file", nargs="?", default=None, metavar="FILE.csv")
    p.add_argument("--example", default=None, metavar="NAME", help=EXAMPLES_HELP)
    p.add_argument("--dim", default=None, metavar="K", help="only the faces of dimension K")
    p.add_argument("-o", "--output", default=None, metavar="OUT",
                   help="write the table to OUT (.npz, .csv or .json), atomically")
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr faces``: print the table or write ``-o``, return 0."""
    A = load_arrangement(args.file, args.example)
    out = args.output
    if out is not None:
        if not out.endswith(_FORMATS):
            raise ValueError(f"-o must end in {', '.join(_FORMATS)}; got {out!r}")
        check_folder(out)
    dim = None
    if args.dim is not None:
        try:
            dim = int(args.dim)
        except ValueError:
            raise ValueError(f"--dim must be an integer in [0, {A.dim}]; got {args.dim!r}") from None
    with feedback(args.command_parser.prog, "listing faces"):
        table = A.faces(dim=dim)
        fv = A.face_vector()
    what = "the text table" if out is None else f"the {out.rsplit('.', 1)[-1].upper()}"
    per_row = _bytes_per_face(table, fv, out)
    remedy = "write -o OUT.npz (the most compact), or stream them in Python with A.iter_faces(chunk_size=...)"
    _memory.refuse_over(f"{what} of the {len(table)} faces", len(table), per_row, remedy)
    with _memory.memory_errors_refused(f"{what} of the {len(table)} faces", per_row * len(table), remedy):
        if out is None:
            print(f"face vector (f_0, ..., f_{A.dim}): {fv}")
            for line in _text(table):
                print(line)
            return 0
        write_bytes(out, table.npz_bytes() if out.endswith(".npz") else _encode(table, fv, out))
    print(f"{len(table)} faces written to {out}")
    return 0


#: Faces on which the bytes a face takes in the output are measured.
_SAMPLE = 64


def _bytes_per_face(table: "Faces", fv: tuple[int, ...], out: str | None) -> float:
    """Peak bytes a face takes while encoded for ``out`` (None: text), measured on the table's
    first faces: the growth of the peak from ``_SAMPLE`` faces to twice as many."""
    if len(table) < 2 * _SAMPLE:
        return 0.0  # a small table: nothing to check

    def peak(rows: int) -> int:
        sample = table[:rows]
        if out is None:
            return _memory.measured_bytes(lambda: _text(sample))
        if out.endswith(".npz"):
            return _memory.measured_bytes(sample.npz_bytes)
        return _memory.measured_bytes(lambda: _encode(sample, fv, out))

    return max(peak(2 * _SAMPLE) - peak(_SAMPLE), 0) / _SAMPLE


def _sign(s: int) -> str:
    return "+" if s > 0 else "-" if s < 0 else "0"


def _text(table: "Faces") -> list[str]:
    width = max(5, table.signs.shape[1])
    lines = [f"  #  {'signs':<{width}}  dim  bounded  {WITNESS_HEAD}"]
    rows = zip(table.signs.tolist(), table.dims.tolist(), table.bounded.tolist(),
               table.points_inside.tolist(), table.points.tolist(), table.exact_points)
    for i, (s, k, b, inside, point, exact) in enumerate(rows):
        signs = "".join(_sign(v) for v in s)
        lines.append(f"{i:3d}  {signs:<{width}}  {k:3d}  {b!s:<7}  {witness_text(inside, point, exact)}")
    return lines


def _encode(table: "Faces", fv: tuple[int, ...], path: str) -> bytes:
    """The table as ``.json`` or ``.csv`` bytes."""
    inside = table.points_inside.tolist()
    exact = [[exact_text(v) for v in p] for p in table.exact_points]
    if path.endswith(".json"):
        data = {
            "face_vector": list(fv),
            "signs": table.signs.tolist(),
            "dims": table.dims.tolist(),
            "bounded": table.bounded.tolist(),
            "point_inside": inside,
            "points": [[float(v).hex() for v in p] for p in table.points.tolist()],
            "exact_points": exact,
        }
        return json.dumps(data).encode()
    n = table.signs.shape[1]
    d = table.points.shape[1]
    head = [f"s{i + 1}" for i in range(n)] + ["dim", "bounded", "point_inside"] + [f"x{j + 1}" for j in range(d)]
    lines = [",".join(head)]
    rows = zip(table.signs.tolist(), table.dims.tolist(), table.bounded.tolist(), inside,
               table.points.tolist(), exact)
    for s, k, b, ok, p, e in rows:
        x = [repr(v) for v in p] if ok else e
        lines.append(",".join([str(v) for v in s] + [str(k), str(int(b)), str(int(ok))] + x))
    return ("\n".join(lines) + "\n").encode()
