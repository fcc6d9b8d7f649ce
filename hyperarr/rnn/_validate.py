"""Validation at the public boundary: arrays, shapes, integers and scalars."""

from __future__ import annotations

import operator
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hyperarr.exceptions import ModelError

__all__: list[str] = []

FloatArray = NDArray[np.float64]


def _float_array(name: str, value: ArrayLike) -> FloatArray:
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ModelError(f"{name} must be a real number or array; got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ModelError(f"{name} must be finite; got a non-finite entry at index {where}")
    return arr


_Array = TypeVar("_Array", bound=np.ndarray)


def _frozen(arr: _Array) -> _Array:
    arr.setflags(write=False)
    return arr


def _matrix(name: str, value: ArrayLike, rows: int | None, spec: str, vector_as: str) -> FloatArray:
    """A 2-D weight matrix; a scalar is 1x1, a vector a column or a row."""
    arr = _float_array(name, value)
    received = arr.shape
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr[:, None] if vector_as == "column" else arr[None, :]
    if arr.ndim != 2 or (rows is not None and arr.shape[0] != rows):
        raise ModelError(f"{name} must have shape {spec}; got {received}")
    return _frozen(arr)


def _bias(name: str, value: ArrayLike | None, n: int, spec: str) -> FloatArray:
    if value is None:
        return _frozen(np.zeros(n))
    arr = _float_array(name, value)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise ModelError(f"{name} must have shape {spec} = ({n},); got {np.shape(value)}")
    return _frozen(arr)


def _square(name: str, value: ArrayLike, spec: str) -> FloatArray:
    """A recurrent weight matrix (n_h, n_h); a scalar is 1x1."""
    arr = _float_array(name, value)
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ModelError(f"{name} must {spec}; got {np.shape(value)}")
    return _frozen(arr)


def _weights(
    W_in: ArrayLike,
    W_rec: ArrayLike,
    W_out: ArrayLike,
    b_h: ArrayLike | None,
    b_y: ArrayLike | None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Validate and promote the weights of eqs. (14)-(15)."""
    rec = _square("W_rec", W_rec, "have shape (n_h, n_h)")
    n_h = rec.shape[0]
    w_in = _matrix("W_in", W_in, n_h, f"(n_h, n_in) with n_h = {n_h}", "column")
    w_out = _matrix("W_out", W_out, None, f"(n_out, n_h) with n_h = {n_h}", "row")
    if w_out.shape[1] != n_h:
        raise ModelError(
            f"W_out must have shape (n_out, n_h) with n_h = {n_h}; got {np.shape(W_out)}"
        )
    return (
        w_in,
        rec,
        w_out,
        _bias("b_h", b_h, n_h, "(n_h,)"),
        _bias("b_y", b_y, w_out.shape[0], "(n_out,)"),
    )


def _inputs(xs: ArrayLike, n_in: int) -> FloatArray:
    arr = _float_array("xs", xs)
    if arr.ndim == 1 and n_in == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] != n_in:
        raise ModelError(f"xs must have shape (T, n_in) with n_in = {n_in}; got {np.shape(xs)}")
    if arr.shape[0] == 0:
        raise ModelError(f"xs must contain at least one time step; got shape {np.shape(xs)}")
    return arr


def _integer(name: str, value: object, low: int, high: int | None = None) -> int:
    bound = f"{low} <= {name}" + (f" <= {high}" if high is not None else "")
    try:
        n = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ModelError(f"{name} must be an integer with {bound}; got {value!r}") from None
    if n < low or (high is not None and n > high):
        raise ModelError(f"{name} must be an integer with {bound}; got {n}")
    return n


def _step(t: object, T: int) -> int:
    """The 1-based time step t (default T) of a run of length T."""
    if t is None:
        return T
    try:
        n = operator.index(t)  # type: ignore[arg-type]
    except TypeError:
        raise ModelError(f"t must be an integer with 1 <= t <= T = {T}; got {t!r}") from None
    if not 1 <= n <= T:
        raise ModelError(f"t must be an integer with 1 <= t <= T = {T}; got {n}")
    return n


def _horizons(T: ArrayLike) -> tuple[NDArray[np.int64], bool]:
    """Horizons T >= 2 for the closed forms; returns (array, was_scalar)."""
    arr = np.asarray(T)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise ModelError(f"T must be an integer >= 2 or an array of them; got {T!r}")
    if arr.ndim > 1 or arr.size == 0:
        raise ModelError(
            f"T must be an integer >= 2 or a non-empty 1-D array of them; got shape {arr.shape}"
        )
    if arr.min() < 2:
        raise ModelError(
            f"T must be >= 2 (the sheet's inputs span t = 1, 2); got T = {int(arr.min())}"
        )
    return arr.astype(np.int64), arr.ndim == 0


def _scalar(name: str, value: ArrayLike) -> float:
    arr = _float_array(name, value)
    if arr.ndim != 0:
        raise ModelError(f"{name} must be a scalar; got shape {arr.shape}")
    return float(arr)


def _values(name: str, value: ArrayLike) -> FloatArray:
    arr = _float_array(name, value)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1 or arr.size == 0:
        raise ModelError(
            f"{name} must be a number or a non-empty 1-D sequence; got shape {np.shape(value)}"
        )
    return _frozen(arr)
