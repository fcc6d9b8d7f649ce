"""``hyperarr rnn``: gradients of the course sheet's Exercise 2 (private).

``hyperarr rnn --T 2:60 --w-rec 0.5,2,6 --f 0.9,1.0 -o gradients.png`` draws
|dy_T/dW_in| against T; ``--json`` prints the numbers; with neither, a text
table.  All three come from `hyperarr.rnn.gradient_curves`.  Arguments
are parsed as strings and checked in `run`.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from hyperarr.cli._command import add_command
from hyperarr.cli._input import check_work, parse_int_ranges, split_list
from hyperarr.cli._output import figure_format, new_figure, save_figure

__all__ = ["add_parser", "run"]

#: Bounds of ``--T``, and the most horizons at once.
_MAX_T = 10**9
_MAX_HORIZONS = 10**5
#: Seconds of one step of the RNN forward pass, and the most estimated work ``rnn`` starts.
_STEP_SECONDS = 2e-6
_MAX_SECONDS = 10.0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``rnn`` on an argparse subparsers object."""
    p = add_command(
        subparsers,
        "rnn",
        run,
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
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``hyperarr rnn``: write ``-o``, print JSON or a table, return 0."""
    from hyperarr.rnn import gradient_curves

    params: dict[str, Any] = {
        "w_in": _number("--w-in", args.w_in),
        "w_out": _number("--w-out", args.w_out),
        "b_h": _number("--b-h", args.b_h),
        "b_y": _number("--b-y", args.b_y),
        "activation": args.activation,
    }
    T = parse_int_ranges("--T", args.T, -_MAX_T, _MAX_T, max_count=_MAX_HORIZONS)
    w_rec = _numbers("--w-rec", args.w_rec)
    f = _numbers("--f", args.f)
    steps = max(T) * len(w_rec)
    check_work(
        f"--T up to {max(T)} for {len(w_rec)} --w-rec value{'s' if len(w_rec) > 1 else ''} "
        f"({steps} RNN steps)",
        steps * _STEP_SECONDS,
        _MAX_SECONDS,
        "a smaller --T or fewer --w-rec values",
    )
    curves = gradient_curves(T, w_rec, f, **params)
    if args.output:
        figure_format(args.output)
        save_figure(_figure(T, w_rec, f, params), args.output)
    if args.json:
        print(json.dumps(curves.to_dict(), allow_nan=False))
    elif not args.output:
        print(_table(curves))
    return 0


def _number(option: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{option} expects a number; got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{option} expects a finite number; got {text!r}")
    return value


def _numbers(option: str, text: str) -> list[float]:
    return [_number(option, item) for item in split_list(option, text, "numbers")]


def _figure(T: list[int], w_rec: list[float], f: list[float], params: dict[str, Any]) -> Any:
    """The gradients drawn by `hyperarr.plot.plot_gradients` on a new Figure."""
    from hyperarr.plot import plot_gradients

    fig = new_figure((7.0, 4.5), "-o")
    plot_gradients(T, w_rec, f, ax=fig.add_subplot(), **params)
    return fig


def _table(curves: Any) -> str:
    """A compact text table: one row per T, one column per curve."""
    heads = ["T"] + [f"rnn w={w:g}" for w in curves.w_rec] + [f"lstm f={v:g}" for v in curves.f]
    width = max(11, *(len(h) for h in heads[1:]))
    lines = ["  ".join([f"{heads[0]:>4}"] + [f"{h:>{width}}" for h in heads[1:]])]
    for k, T in enumerate(curves.T):
        cells = [f"{v:>{width}.3e}" for v in (*curves.rnn[:, k], *curves.lstm[:, k])]
        lines.append("  ".join([f"{int(T):>4}", *cells]))
    return "\n".join(lines)
