"""``hyperarr deep``: the activation regions of a deep network, exactly (private).

``hyperarr deep FILE.npz [--box LO,HI] [-o out.npz|.csv|.json]`` reads a
network from a NumPy archive holding ``W0, b0, W1, b1, ...`` (weight k of
shape (out, in), as torch's ``nn.Linear``) and ``activations`` (one string
per layer) and lists its activation regions, as
[`Network.regions`][hyperarr.deep.Network.regions] does: the 0/1 pattern of
the units, an exact witness and whether the region is bounded.  The archive
is read with ``allow_pickle=False``: a user's file is never unpickled.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import zipfile
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from hyperarr._exact import exact_text
from hyperarr.cli._command import add_command, feedback
from hyperarr.cli._output import WITNESS_HEAD, check_folder, witness_text, write_bytes
from hyperarr.exceptions import ArrangementError, OutputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from hyperarr.deep import ActivationRegions, Network

__all__ = ["add_parser", "load_network", "parse_box", "run"]

#: Table formats of ``-o``.
_FORMATS = (".npz", ".csv", ".json")

#: The names an archive may hold besides ``activations``.
_KEY = re.compile(r"([Wb])(0|[1-9][0-9]*)\Z")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``deep`` on an argparse subparsers object."""
    p = add_command(
        subparsers,
        "deep",
        run,
        help="the activation regions of a deep ReLU, LeakyReLU or step network, exactly",
        description=(
            "List every activation region of a feed-forward network in input space: "
            "the 0/1 pattern of its units (1: pre-activation > 0), a witness point "
            "checked by an exact forward pass, and whether the region is bounded. "
            "FILE.npz holds W0, b0, W1, b1, ... (W_k of shape (out, in), as torch's "
            "nn.Linear) and 'activations', one string per layer: relu, "
            "leaky_relu:<slope> (e.g. leaky_relu:1/10), step or identity. It is read "
            "without unpickling anything."
        ),
        epilog=(
            "examples:\n"
            "  hyperarr deep net.npz\n"
            "  hyperarr deep net.npz --box=-1,1 -o regions.json\n"
            "\n"
            "  # writing FILE.npz from Python:\n"
            "  np.savez('net.npz', W0=W0, b0=b0, W1=W1, b1=b1,\n"
            "           activations=np.array(['relu', 'identity']))\n"
            "\n"
            "columns, one row per region:\n"
            "  #        the index of the region in Network.regions() order\n"
            "  pattern  0/1 per unit with a kink, layer after layer\n"
            "  bounded  the region is compact in R^d (whatever the box)\n"
            "  witness  a point strictly inside the region and the box: decimals\n"
            "           are float64 values (exact), p/q exact fractions where no\n"
            "           float64 point is inside\n"
            "files:\n"
            "  .csv   p1..pU (the pattern), x1..xd (floats, or p/q where point_inside\n"
            "         is 0), bounded, point_inside (1 or 0)\n"
            "  .json  patterns, points (the floats, hex), points_decimal, exact_points\n"
            "         (p/q strings where point_inside is false, else null), bounded,\n"
            "         point_inside, unit_layers, widths, activations\n"
            "  .npz   the same arrays; exact_points as strings p/q for every region"
        ),
    )
    p.add_argument("file", metavar="FILE.npz")
    p.add_argument(
        "--box",
        default=None,
        metavar="LO,HI",
        help="count only inside the box LO <= x_i <= HI (exact numbers such as -1, 0.5 "
             "or 1/3; write --box=-1,1 when LO is negative); default all of R^d",
    )
    p.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="OUT",
        help="write the table to OUT (.npz, .csv or .json), atomically",
    )
    p.add_argument(
        "--max-regions",
        default=None,
        metavar="N",
        help="refuse networks with more regions (default: the library's limit)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr deep``: print the count and the table, or write ``-o``; return 0."""
    out = args.output
    if out is not None:
        if not out.endswith(_FORMATS):
            raise ValueError(f"-o must end in {', '.join(_FORMATS)}; got {out!r}")
        check_folder(out)
    limit: dict[str, Any] = {}
    if args.max_regions is not None:
        try:
            limit["max_regions"] = int(args.max_regions)
        except ValueError:
            raise ValueError(f"--max-regions must be an integer; got {args.max_regions!r}") from None
        if limit["max_regions"] < 1:
            raise ValueError(f"--max-regions must be at least 1; got {args.max_regions!r}")
    box = None if args.box is None else parse_box(args.box)
    net = load_network(args.file)
    with feedback(args.command_parser.prog, "enumerating activation regions"):
        try:
            table = net.regions(box, **limit)
        except OutputTooLargeError as exc:
            raise OutputTooLargeError(f"{exc}; on the command line, raise --max-regions") from None
    d = net.input_dim
    where = f"in R^{d}" if box is None else f"in the box [{box[0]}, {box[1]}]^{d}"
    summary = (f"{len(table)} activation regions {where} ({int(table.bounded.sum())} bounded); "
               f"widths {list(net.widths)}, activations {', '.join(net.activations)}")
    if out is None:
        print(summary)
        for line in _text(table):
            print(line)
        return 0
    write_bytes(out, _encode(table, out))
    print(f"{summary}; written to {out}")
    return 0


def parse_box(text: str) -> tuple[Fraction, Fraction]:
    """The box ``LO,HI`` of ``--box``, exactly, with LO < HI.

    Examples
    --------
    >>> parse_box("-1/2, 0.25")
    (Fraction(-1, 2), Fraction(1, 4))
    >>> parse_box("1,1")
    Traceback (most recent call last):
    ...
    hyperarr.exceptions.ArrangementError: --box must be LO,HI with LO < HI; got '1,1'
    """
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2:
        raise ArrangementError(f"--box must be two numbers LO,HI (e.g. --box=-1,1); got {text!r}")
    values = []
    for part in parts:
        try:
            values.append(Fraction(part))
        except (ValueError, ZeroDivisionError):
            raise ArrangementError(
                f"--box must be two finite numbers LO,HI (e.g. --box=-1,1); got {text!r} "
                f"({part!r} is not one)") from None
    lo, hi = values
    if not lo < hi:
        raise ArrangementError(f"--box must be LO,HI with LO < HI; got {text!r}")
    return lo, hi


def load_network(path: str) -> Network:
    """The network in the archive ``path``: ``W0, b0, W1, b1, ...`` and ``activations``.

    Read with ``allow_pickle=False``.  Every problem is an
    [`ArrangementError`][hyperarr.ArrangementError] naming the file and what
    it holds.
    """
    from hyperarr.deep import Network

    if not os.path.isfile(path):
        raise ArrangementError(f"FILE.npz must be an existing .npz file; no file {path!r}")
    try:
        archive = np.load(path, allow_pickle=False)
    except ValueError as exc:
        if "pickle" in str(exc):
            raise ArrangementError(f"{path} holds pickled data, which hyperarr never loads; "
                                   "save plain arrays with np.savez") from None
        raise ArrangementError(f"{path} is not a NumPy .npz archive ({exc})") from None
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ArrangementError(f"{path} is not a NumPy .npz archive ({exc})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ArrangementError(
            f"{path} holds a single array; FILE.npz must be an archive of W0, b0, W1, b1, ... "
            "and activations (np.savez)")
    with archive:
        arrays = {}
        for key in archive.files:
            try:
                arrays[key] = archive[key]
            except ValueError:
                raise ArrangementError(f"{path}: {key} is an object array, which hyperarr never "
                                       "unpickles; save numbers and strings only") from None
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                raise ArrangementError(f"{path}: cannot read {key} ({exc})") from None
    try:
        return Network(_layers(path, arrays))
    except ArrangementError as exc:  # say W1, b1, activations[1] where the library says layers[1]
        text = re.sub(r"layers\[(\d+)\] weight", r"W\1", str(exc))
        text = re.sub(r"layers\[(\d+)\] bias", r"b\1", text)
        text = re.sub(r"layers\[(\d+)\] activation", r"activations[\1]", text)
        raise ArrangementError(f"{path}: {text}") from None


def _layers(path: str, arrays: dict[str, np.ndarray]) -> list[tuple[Any, Any, str]]:
    """The (weight, bias, activation) triples of an archive's arrays, checked."""
    expected = "W0, b0, W1, b1, ... and activations"
    if "activations" not in arrays:
        got = ", ".join(sorted(arrays)) or "nothing"
        raise ArrangementError(f"{path} must hold {expected}; it has no 'activations' (got {got})")
    acts = arrays.pop("activations")
    if acts.dtype.kind not in "US" or acts.ndim != 1 or acts.size == 0:
        raise ArrangementError(
            f"{path}: activations must be a 1-D array of strings, one per layer; got dtype "
            f"{acts.dtype} and shape {acts.shape}")
    names = [a.decode() if isinstance(a, bytes) else str(a) for a in acts.tolist()]
    other = sorted(k for k in arrays if _KEY.match(k) is None)
    if other:
        raise ArrangementError(f"{path} must hold only {expected}; got {', '.join(other)} too")
    n = len(names)
    layers = []
    for k in range(n):
        for key in (f"W{k}", f"b{k}"):
            if key not in arrays:
                raise ArrangementError(f"{path} has {n} activations, so it needs W0..W{n - 1} "
                                       f"and b0..b{n - 1}; {key} is missing")
            if arrays[key].dtype.kind not in "iuf":
                raise ArrangementError(f"{path}: {key} must hold numbers; got dtype {arrays[key].dtype}")
        layers.append((arrays.pop(f"W{k}"), arrays.pop(f"b{k}"), names[k]))
    if arrays:
        raise ArrangementError(f"{path} has {n} activations but also {', '.join(sorted(arrays))}; "
                               "give one activation per layer")
    return layers


def _text(table: ActivationRegions) -> list[str]:
    """The table as text, one row per region."""
    width = max(7, table.patterns.shape[1])
    lines = [f"  #  {'pattern':<{width}}  bounded  {WITNESS_HEAD}"]
    exact = table.exact_points
    for i, (p, x, ok, b) in enumerate(zip(table.patterns.tolist(), table.points.tolist(),
                                          table.points_inside.tolist(), table.bounded.tolist())):
        pattern = "".join(map(str, p))
        lines.append(f"{i:3d}  {pattern:<{width}}  {b!s:<7}  {witness_text(ok, x, exact[i])}")
    return lines


def _encode(table: ActivationRegions, path: str) -> bytes:
    """The table as ``.npz``, ``.json`` or ``.csv`` bytes (witnesses exact in each)."""
    inside = table.points_inside.tolist()
    exact_all = table.exact_points
    exact = [None if ok else [exact_text(v) for v in e] for ok, e in zip(inside, exact_all)]
    net = table.net
    if path.endswith(".npz"):
        buf = io.BytesIO()
        d = table.points.shape[1]
        np.savez(buf, patterns=table.patterns, points=table.points,
                 points_inside=table.points_inside, bounded=table.bounded,
                 exact_points=np.array([[exact_text(v) for v in e] for e in exact_all], dtype=str).reshape(-1, d),
                 unit_layers=net.unit_layers, widths=np.array(net.widths),
                 activations=np.array(net.activations, dtype=str))
        return buf.getvalue()
    if path.endswith(".json"):
        data = {
            "patterns": table.patterns.tolist(),
            "points": [[float(v).hex() for v in p] for p in table.points.tolist()],
            "points_decimal": table.points.tolist(),
            "exact_points": exact,
            "bounded": table.bounded.tolist(),
            "point_inside": inside,
            "unit_layers": net.unit_layers.tolist(),
            "widths": list(net.widths),
            "activations": list(net.activations),
        }
        return json.dumps(data).encode()
    U, d = table.patterns.shape[1], table.points.shape[1]
    head = [f"p{i + 1}" for i in range(U)] + [f"x{j + 1}" for j in range(d)] + ["bounded", "point_inside"]
    lines = [",".join(head)]
    for p, x, e, b, ok in zip(table.patterns.tolist(), table.points.tolist(), exact,
                              table.bounded.tolist(), inside):
        xs = [repr(v) for v in x] if e is None else e
        lines.append(",".join([str(v) for v in p] + xs + [str(int(b)), str(int(ok))]))
    return ("\n".join(lines) + "\n").encode()
