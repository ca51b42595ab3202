"""Sorting and order statistics: sort/argsort, topk, kthvalue, median, mode, unique.

The values each returns are picked from the input by indices, with extremes.py's `_Select`
(its backward puts the gradient back at those indices); the indices follow torch's CPU
kernels where values tie (tie_order.py).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import not_implemented, one_dim, renamed
from .extremes import Amax, _return_type, _Select
from .inplace import writes_out
from .tie_order import first_of_equal, mode_index, quickselect_index, sort_indices, topk_indices

__all__ = ["topk", "kthvalue", "sort", "argsort", "msort", "median", "nanmedian", "mode", "unique",
           "unique_consecutive"]

_sort_t, _topk_t = _return_type("sort", "values indices"), _return_type("topk", "values indices")
_kth_t, _median_t = _return_type("kthvalue", "values indices"), _return_type("median", "values indices")
_mode_t, _nanmedian_t = _return_type("mode", "values indices"), _return_type("nanmedian", "values indices")


# Subclasses only to give each op's grad_fn its torch name (SortBackward0, TopkBackward0, ...).
class Sort(_Select):
    pass


class Topk(_Select):
    pass


class Kthvalue(_Select):
    pass


class Median(_Select):
    pass


class Mode(_Select):
    pass


class Nanmedian(_Select):
    pass


def _argsort(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable argsort along dim; NaN sorts as the largest value, like torch."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    # Sorting the reversed array ascending and reversing back keeps ties in input order.
    n = a.shape[dim]
    return (n - 1) - np.flip(np.argsort(np.flip(a, dim), axis=dim, kind="stable"), dim)


def _sort_order(a: np.ndarray, dim: int, descending: bool, stable: bool) -> np.ndarray:
    """The indices that sort `a` along dim as torch's CPU sort orders them: stable, or with
    stable=False the order std::sort leaves tied values in (equal to the stable one up to 16
    values, and in torch's radix sort of a long 1-D integer tensor)."""
    idx = _argsort(a, dim, descending)
    n = a.shape[dim]
    radix = a.ndim == 1 and a.dtype.kind in "iu" and a.size >= 32768 and not descending
    if stable or n <= 16 or radix:
        return idx
    moved = np.moveaxis(idx, dim, -1)
    others = moved.shape[:-1]
    order = moved.reshape(int(np.prod(others)), n).copy()
    rows = np.moveaxis(a, dim, -1).reshape(order.shape)
    ordered = np.take_along_axis(rows, order, 1)
    tied = ordered[:, 1:] == ordered[:, :-1]
    if a.dtype.kind == "f":
        tied |= np.isnan(ordered[:, 1:]) & np.isnan(ordered[:, :-1])
    for r in np.flatnonzero(tied.any(1)):
        order[r] = sort_indices(rows[r].tolist(), descending)
    return np.moveaxis(order.reshape(others + (n,)), -1, dim)


def _sorted_selection(fn: type, tuple_t: type, input: Tensor, dim: int, descending: bool,
                      start: int, stop: int, keepdim: bool, stable: bool = True) -> Any:
    """(values, indices) of sorted positions start:stop along dim."""
    d = one_dim(dim, input.ndim)
    if d is None:
        return tuple_t(input.clone(), _wrap(np.zeros((), dtype=np.int64)))
    idx = _sort_order(input._array, d, descending, stable)
    idx = np.take(idx, np.arange(start, stop), axis=d)
    values = fn.apply(input, idx, d, keepdim)
    return tuple_t(values, _wrap(idx if keepdim else np.squeeze(idx, d)))


def _sort_arguments(name: str, positional: tuple, stable: bool | None, dim: int,
                    descending: bool) -> tuple[int, bool, bool]:
    """(dim, descending, stable) from torch's two overloads: (input, dim=-1, descending=False)
    and (input, *, stable, dim=-1, descending=False); naming `stable` makes the others keywords."""
    if len(positional) > 2 or (positional and stable is not None):
        got = ", ".join(["Tensor"] + [type(v).__name__ for v in positional]
                        + ([f"stable={type(stable).__name__}"] if stable is not None else []))
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but expected "
                        "one of: (Tensor input, *, bool stable, int dim = -1, bool descending = False) or "
                        "(Tensor input, int dim = -1, bool descending = False)")
    if positional:
        dim, descending = (*positional, descending) if len(positional) == 1 else positional
    return dim, descending, bool(stable)


@writes_out(dtype_rule="same")
def sort(input: Tensor, *positional: Any, stable: bool | None = None, dim: int = -1,
         descending: bool = False) -> Any:
    """Values sorted along `dim` and their original indices; ties keep their order with
    stable=True, otherwise they come out in torch's (std::sort's) order."""
    dim, descending, stable = _sort_arguments("sort", positional, stable, dim, descending)
    n = input.shape[wrap_dim(dim, input.ndim)] if input.ndim else 1
    return _sorted_selection(Sort, _sort_t, input, dim, descending, 0, n, True, stable)


def argsort(input: Tensor, *positional: Any, stable: bool | None = None, dim: int = -1,
            descending: bool = False) -> Tensor:
    """The indices that sort `input` along `dim`, int64; ties as in `sort`."""
    dim, descending, stable = _sort_arguments("argsort", positional, stable, dim, descending)
    d = one_dim(dim, input.ndim)
    if d is None:
        return _wrap(np.zeros((), dtype=np.int64))
    return _wrap(_sort_order(input._array, d, descending, bool(stable)))


@writes_out(dtype_rule="same")
def msort(input: Tensor) -> Tensor:
    """The values sorted along dim 0 (sort(input, dim=0).values)."""
    return sort(input, dim=0).values


@writes_out(dtype_rule="same")
def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
    """The k largest (or smallest) elements along `dim`, in sorted order (with sorted=False in the
    order torch's selection leaves), with their indices; tied values report torch's indices."""
    d = one_dim(dim, input.ndim)  # a bad dim is reported first, also for a 0-d tensor
    n = input.shape[d] if d is not None else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    if input.dtype is _dtype.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    if d is None:
        return _topk_t(input.clone(), _wrap(np.zeros((), dtype=np.int64)))
    others = np.moveaxis(input._array, d, -1).shape[:-1]
    rows = np.moveaxis(input._array, d, -1).reshape(int(np.prod(others)), n)
    idx = _argsort(rows, 1, largest)[:, :k]
    # where ties decide which indices (or their order) come out, replay torch's selection
    for r in (range(len(rows)) if not sorted else np.flatnonzero(_ties_matter(rows, idx))):
        idx[r] = topk_indices(rows[r].tolist(), k, largest, sorted)
    idx = np.moveaxis(idx.reshape(others + (k,)), -1, d)
    return _topk_t(Topk.apply(input, idx, d, True), _wrap(idx))


def _ties_matter(rows: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Per row: do the picked values (in order) repeat, or does the last one also occur unpicked?"""
    if idx.shape[1] == 0:
        return np.zeros(len(rows), dtype=bool)
    picked = np.take_along_axis(rows, idx, 1)

    def same(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (x == y) | (np.isnan(x) & np.isnan(y)) if rows.dtype.kind == "f" else x == y

    repeats = same(picked[:, 1:], picked[:, :-1]).any(1)
    last = picked[:, -1:]
    return repeats | (same(rows, last).sum(1) > same(picked, last).sum(1))


@writes_out(dtype_rule="same")
def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """The k-th smallest element along `dim` (k counts from 1) and its index."""
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d] if input.ndim else 1
    if n == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if input.dtype is _dtype.bool and input.ndim:  # (a 0-d tensor is its own k-th value)
        raise not_implemented("kthvalue_cpu", input.dtype)
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    d = one_dim(dim, input.ndim)
    if d is None:
        return _kth_t(input.clone(), _wrap(np.zeros((), dtype=np.int64)))
    rows = np.moveaxis(input._array, d, -1).reshape(int(np.prod(np.delete(input.shape, d))), n)
    idx = np.argsort(rows, axis=-1, kind="stable")[:, k - 1]
    # a k-th value that occurs more than once: report the copy torch's quickselect picks
    picked = rows[np.arange(len(rows)), idx][:, None]
    same = (rows == picked) | (np.isnan(rows) & np.isnan(picked)) if rows.dtype.kind == "f" else rows == picked
    for r in np.flatnonzero(same.sum(-1) > 1):
        idx[r] = quickselect_index(rows[r].tolist(), k - 1)
    idx = np.expand_dims(idx.reshape(np.delete(input.shape, d)), d)
    values = Kthvalue.apply(input, idx, d, keepdim)
    return _kth_t(values, _wrap(idx if keepdim else np.squeeze(idx, d)))


@writes_out(dtype_rule="same")
def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median: of all elements (a value), or along `dim` (values, indices). NaN propagates."""
    return _median("median", input, dim, keepdim, MedianAll, Median, _median_t, _lower_median)


def _median(name: str, input: Tensor, dim: int | None, keepdim: bool, whole: type, select: type, tuple_t: type,
            lower: Any) -> Any:
    """median or nanmedian: of all elements by `whole`, or along dim at the indices `lower` picks."""
    if dim is None:
        if input.dtype is _dtype.bool and input.numel():
            raise not_implemented("median_cpu", input.dtype)
        if input.numel() == 0 and not input.dtype.is_floating_point:  # NaN, cast like torch's C cast
            with np.errstate(invalid="ignore"):
                return _wrap(np.asarray(np.nan).astype(input._array.dtype))
        return whole.apply(input, tuple(range(input.ndim)), False)
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    d = one_dim(dim, input.ndim)
    if d is not None and input.shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    if input.dtype is _dtype.bool:
        raise not_implemented("median_out", input.dtype)
    if d is None:
        return tuple_t(input.clone(), _wrap(np.zeros((), dtype=np.int64)))
    idx = np.expand_dims(lower(input._array, d), d)
    values = select.apply(input, idx, d, keepdim)
    return tuple_t(values, _wrap(idx if keepdim else np.squeeze(idx, d)))


class MedianAll(Amax):
    """The median of all elements; like amax, ties share the gradient evenly."""

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim, ctx.nan_ties = dims, keepdim, True  # a NaN median: the NaN entries tie
        flat = a.reshape(-1)
        if flat.size == 0:  # NaN, as a float (the integer case never gets here)
            out = np.asarray(np.nan, dtype=a.dtype)
        else:
            out = np.asarray(flat[_lower_median(flat, 0)])
        ctx.save_for_backward(a, out)
        return out


@writes_out(dtype_rule="same")
def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """median ignoring NaNs: the lower median of each slice's other values (NaN if there are none)."""
    return _median("nanmedian", input, dim, keepdim, NanmedianAll, Nanmedian, _nanmedian_t, _lower_nanmedian)


class NanmedianAll(Amax):
    """The median of all non-NaN elements; ties (NaNs, if all are NaN) share the gradient evenly."""

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim, ctx.nan_ties = dims, keepdim, True
        flat = a.reshape(-1)
        out = np.asarray(flat[_lower_nanmedian(flat, 0)] if flat.size else np.nan, dtype=a.dtype)
        ctx.save_for_backward(a, out)
        return out


def _lower_nanmedian(a: np.ndarray, dim: int) -> np.ndarray:
    """Index along `dim` of the lower median of each slice's non-NaN values; in an all-NaN slice, the
    NaN that torch's std::nth_element leaves first (its comparator finds all NaNs equal)."""
    order = np.argsort(a, axis=dim, kind="stable")  # NaNs last, in their order
    count = np.sum(~np.isnan(a), axis=dim, keepdims=True) if a.dtype.kind == "f" else a.shape[dim]
    rank = np.broadcast_to(np.maximum((count - 1) // 2, 0), order.shape[:dim] + (1,) + order.shape[dim + 1:])
    idx = np.squeeze(np.take_along_axis(order, rank, dim), dim)
    if a.dtype.kind == "f" and a.shape[dim] > 3:
        all_nan = np.squeeze(count == 0, dim)
        if all_nan.any():
            idx[all_nan] = first_of_equal(a.shape[dim])
    return idx


def _lower_median(a: np.ndarray, dim: int) -> np.ndarray:
    """Index along `dim` of the lower median of each slice, or of its first NaN."""
    order = np.argsort(a, axis=dim, kind="stable")
    idx = np.take(order, (a.shape[dim] - 1) // 2, axis=dim)
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        has_nan = nan.any(axis=dim)
        idx = np.where(has_nan, np.argmax(nan, axis=dim), idx)
    return idx


@writes_out(dtype_rule="same")
def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
    """The most frequent value along `dim` (smallest on ties) and an index of it: the one torch's
    CPU kernel reports (the last occurrence for rows of up to 16 values; see tie_order.py)."""
    d = one_dim(dim, input.ndim)
    if d is not None and input.shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    if d is None:
        return _mode_t(input.clone(), _wrap(np.zeros((), dtype=np.int64)))
    rows = np.moveaxis(input._array, d, -1)
    idx = np.array([mode_index(row) for row in rows.reshape(-1, rows.shape[-1]).tolist()], dtype=np.int64)
    idx = np.expand_dims(idx.reshape(rows.shape[:-1]), d)
    values = Mode.apply(input, idx, d, keepdim)
    return _mode_t(values, _wrap(idx if keepdim else np.squeeze(idx, d)))


def _unique_axis(input: Tensor, dim: int) -> int:
    """The dim unique works along, checked as torch checks it (a 0-d tensor has none; an empty tensor
    needs its one zero-size dim selected)."""
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    axis = wrap_dim(dim, input.ndim)
    if input.numel() == 0:
        if input.shape[axis] != 0:
            raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")
        if sum(s == 0 for s in input.shape) > 1:
            raise RuntimeError("Number of zero sized dimensions is more than one, so unique cannot be applied")
    return axis


class _Undifferentiable(Function):
    """The values of unique and unique_consecutive, recorded as torch records them: a node whose
    backward raises, torch defining no derivative for these ops."""

    @staticmethod
    def forward(ctx, a, values):
        return values

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError(f"the derivative for '{_DERIVATIVE_NAMES[ctx.name()]}' is not implemented.")


_DERIVATIVE_NAMES = {"Unique2Backward0": "_unique2", "UniqueDimBackward0": "unique_dim",
                     "UniqueConsecutiveBackward0": "unique_consecutive"}
Unique2, UniqueDim, UniqueConsecutive = (renamed(_Undifferentiable, name) for name in _DERIVATIVE_NAMES)


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
           dim: int | None = None) -> Any:
    """The distinct elements (or slices along `dim`) in sorted order, optionally with inverse and counts."""
    a = input._array
    axis = None if dim is None else _unique_axis(input, dim)
    # each NaN is its own value, as in torch (numpy's default gathers them into one)
    values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=axis, equal_nan=False)
    inverse = inverse.reshape(a.shape if axis is None else (a.shape[axis],)).astype(np.int64)
    out = ((Unique2 if axis is None else UniqueDim).apply(input, values),)
    if return_inverse:
        out += (_wrap(inverse),)
    if return_counts:
        out += (_wrap(counts.astype(np.int64)),)
    return out[0] if len(out) == 1 else out


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,
                       dim: int | None = None) -> Any:
    """Each run of equal consecutive elements (or slices along `dim`) kept once, in order; inverse
    maps each element (slice) to its run, counts gives each run's length. NaNs never equal each other."""
    a = input._array
    if dim is None:
        rows, axis = a.reshape(-1, 1), None
    else:
        axis = _unique_axis(input, dim)
        rows = np.moveaxis(a, axis, 0).reshape(a.shape[axis], a.size // max(a.shape[axis], 1))
    starts = np.ones(len(rows), dtype=bool)
    starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    first = np.flatnonzero(starts)
    values = a.reshape(-1)[first] if axis is None else np.take(a, first, axis=axis)
    out = (UniqueConsecutive.apply(input, values),)
    if return_inverse:
        inverse = np.cumsum(starts) - 1
        out += (_wrap(inverse.reshape(a.shape if axis is None else (a.shape[axis],)).astype(np.int64)),)
    if return_counts:
        out += (_wrap(np.diff(np.append(first, len(rows))).astype(np.int64)),)
    return out[0] if len(out) == 1 else out
