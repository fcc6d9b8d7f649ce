"""The ``hyperarr rnn`` subcommand: gradients of the course sheet's Exercise 2.

``hyperarr rnn --T 2:60 --w-rec 0.5,2,6 --f 0.9,1.0 -o gradients.png`` draws
|dy_T/dW_in| against T; ``--json`` prints the numbers; with neither, a text
table.  All three come from :func:`hyperarr.rnn.gradient_curves`.

Arguments are parsed as strings and checked in :func:`run`, so a bad value
gives one line ``hyperarr rnn: error: ...`` on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from typing import Any

__all__ = ["add_parser", "run"]

_PROG = "hyperarr rnn"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``rnn`` subcommand on an argparse subparsers object."""
    p = subparsers.add_parser(
        "rnn",
        help="vanishing and exploding gradients of an RNN and an LSTM (sheet, Exercise 2)",
        description=(
            "dy_T/dW_in of the scalar RNN, eq. (21), and LSTM, eq. (24), for the "
            "inputs x(1) = x(2) = 1, then 0.  Lists are comma-separated; ranges "
            "a:b are inclusive, a:b:s has step s.  Write negative values as "
            "--w-rec=-2,2."
        ),
    )
    p.add_argument("--T", default="2:60", metavar="RANGE", help="horizons T >= 2 (default 2:60)")
    p.add_argument(
        "--w-rec", default="0.5,2,6", metavar="LIST", help="RNN recurrent weights (default 0.5,2,6)"
    )
    p.add_argument(
        "--f", default="0.9,1.0", metavar="LIST", help="LSTM forget-gate values (default 0.9,1.0)"
    )
    for name, default in (("w-in", "1"), ("w-out", "1"), ("b-h", "0"), ("b-y", "0")):
        p.add_argument(
            f"--{name}", default=default, metavar="X", help=f"shared {name} (default {default})"
        )
    p.add_argument(
        "--activation", default="sigmoid", metavar="NAME", help="sigmoid (default) or tanh"
    )
    p.add_argument(
        "-o", "--output", default=None, metavar="FILE", help="write the figure (png, pdf, svg, ...)"
    )
    p.add_argument("--json", action="store_true", help="print the numbers as JSON on stdout")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr rnn``; return the exit status (0, 1 on I/O failure, 2 on bad arguments)."""
    from hyperarr.rnn import gradient_curves

    try:
        params = {
            "w_in": _number("--w-in", args.w_in),
            "w_out": _number("--w-out", args.w_out),
            "b_h": _number("--b-h", args.b_h),
            "b_y": _number("--b-y", args.b_y),
            "activation": args.activation,
        }
        T = _range("--T", args.T)
        w_rec = _numbers("--w-rec", args.w_rec)
        f = _numbers("--f", args.f)
        curves = gradient_curves(T, w_rec, f, **params)
        fmt = _figure_format(args.output) if args.output else None
    except ValueError as exc:
        return _error(str(exc), 2)

    if args.output:
        try:
            _write_figure(args.output, fmt, T, w_rec, f, params)
        except ImportError as exc:
            return _error(str(exc), 1)
        except OSError as exc:
            return _error(f"cannot write {args.output}: {exc.strerror or exc}", 1)
    if args.json:
        print(json.dumps(curves.to_dict(), allow_nan=False))
    elif not args.output:
        print(_table(curves))
    return 0


def _error(message: str, status: int) -> int:
    print(f"{_PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return status


def _number(option: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{option} expects a number; got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{option} expects a finite number; got {text!r}")
    return value


def _numbers(option: str, text: str) -> list[float]:
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or "" in items:
        raise ValueError(f"{option} expects a comma-separated list of numbers; got {text!r}")
    return [_number(option, item) for item in items]


def _range(option: str, text: str) -> list[int]:
    """Integers from ``a:b`` (inclusive), ``a:b:s``, ``n`` or a list of those."""
    from hyperarr.cli._input import parse_int_ranges

    return parse_int_ranges(option, text, -(10**9), 10**9)


def _figure_format(path: str) -> str:
    """The image format named by the suffix of ``path``; checks the folder exists."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"-o folder does not exist: {folder}")
    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    known = ("png", "pdf", "svg", "eps", "ps", "jpg", "jpeg", "tif", "tiff", "webp", "pgf")
    if fmt not in known:
        raise ValueError(f"-o must end in one of .{', .'.join(known)}; got {path!r}")
    return fmt


def _write_figure(
    path: str,
    fmt: str | None,
    T: list[int],
    w_rec: list[float],
    f: list[float],
    params: dict[str, Any],
) -> None:
    """Draw with :func:`hyperarr.plot.plot_gradients` and write ``path`` atomically."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(
            "-o needs matplotlib; install it with pip install 'hyperarr[plot]'"
        ) from exc
    from hyperarr.plot import plot_gradients

    fig = Figure(
        figsize=(7, 4.5), layout="constrained"
    )  # no pyplot: no GUI backend, nothing to close
    plot_gradients(T, w_rec, f, ax=fig.add_subplot(), **params)

    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fig.savefig(fh, format=fmt)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _table(curves: Any) -> str:
    """A compact text table: one row per T, one column per curve."""
    heads = ["T"] + [f"rnn w={w:g}" for w in curves.w_rec] + [f"lstm f={v:g}" for v in curves.f]
    width = max(11, *(len(h) for h in heads[1:]))
    lines = ["  ".join([f"{heads[0]:>4}"] + [f"{h:>{width}}" for h in heads[1:]])]
    for k, T in enumerate(curves.T):
        cells = [f"{v:>{width}.3e}" for v in (*curves.rnn[:, k], *curves.lstm[:, k])]
        lines.append("  ".join([f"{int(T):>4}", *cells]))
    return "\n".join(lines)
