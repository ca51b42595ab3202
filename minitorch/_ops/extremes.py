"""Extremes: max/min (with indices), amax/amin, aminmax, argmax/argmin.

Values picked from the input by indices (max and min with a dim here; sort, topk,
kthvalue, median, mode in sorting.py) share one primitive, `_Select`: its backward puts
the gradient back at those indices. Results with values and indices are named tuples
printed like torch.return_types.
"""
from __future__ import annotations

import collections
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import one_dim, reduced_dims, restore_dims
from .inplace import writes_out
from .reduction import sum

__all__ = ["max", "min", "amax", "amin", "aminmax", "argmax", "argmin"]


# ----- named results, printed like torch.return_types ----------------------------------
def _return_type(name: str, fields: str) -> type:
    cls = collections.namedtuple(name, fields)

    def __repr__(self: Any) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{name}(\n{body})"

    cls.__repr__ = __repr__
    cls.__module__ = "minitorch.return_types"
    return cls


_max_t, _min_t = _return_type("max", "values indices"), _return_type("min", "values indices")
_aminmax_t = _return_type("aminmax", "min max")


# ----- extremes -----------------------------------------------------------------------
def _reduce_extreme(ctx, np_fn: Any, a: np.ndarray, dims: tuple, keepdim: bool, nan_ties: bool = False) -> np.ndarray:
    """np.max or np.min of `a` over `dims`, keeping what the shared backward needs."""
    ctx.dims, ctx.keepdim, ctx.nan_ties = dims, keepdim, nan_ties
    out = np.asarray(np_fn(a, axis=dims, keepdims=keepdim))
    ctx.save_for_backward(a, out)
    return out


class Amax(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        return _reduce_extreme(ctx, np.max, a, dims, keepdim)

    @staticmethod
    def backward(ctx, grad):
        # The gradient is shared evenly among the elements that tie for the extreme.
        a, out = ctx.saved_tensors
        o = restore_dims(out, ctx.dims, ctx.keepdim)
        hit = a == o
        # amax/amin: a NaN result ties with nothing, so the gradient is NaN (as in torch); max()/min()
        # of a whole tensor (WholeMax/WholeMin) count the NaN entries as tied with it
        if ctx.nan_ties:
            hit = hit | (a.isnan() & o.isnan())
        share = restore_dims(grad, ctx.dims, ctx.keepdim) / sum(hit, ctx.dims, keepdim=True)
        return share * hit, None, None


class Amin(Amax):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        return _reduce_extreme(ctx, np.min, a, dims, keepdim)


def _check_nonempty(name: str, input: Tensor, dim: Any) -> None:
    """amax/amin of nothing: refused, naming the first empty dim as the caller wrote it (-1 stays -1, as in torch)."""
    if input.numel() == 0:
        if dim is None or (isinstance(dim, (tuple, list)) and not dim):
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        for d in (dim if isinstance(dim, (tuple, list)) else (dim,)):
            if input.ndim and input.shape[wrap_dim(d, input.ndim)] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


_INPUT_DTYPE = ("Expected the dtype for input and out to match, but got {result} for input's dtype and {out} "
                "for out's dtype.")


@writes_out(dtype_rule="same", message=_INPUT_DTYPE)
def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """Largest value over `dim` (all dims if empty); ties share the gradient evenly."""
    dims = reduced_dims(dim, input.ndim)
    _check_nonempty("amax", input, dim)
    return Amax.apply(input, dims, keepdim)


@writes_out(dtype_rule="same", message=_INPUT_DTYPE)
def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """Smallest value over `dim` (all dims if empty); ties share the gradient evenly."""
    dims = reduced_dims(dim, input.ndim)
    _check_nonempty("amin", input, dim)
    return Amin.apply(input, dims, keepdim)


@writes_out
def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> Any:
    """(min, max) over `dim` (all elements if None) as a named tuple."""
    dims = reduced_dims(dim, input.ndim)
    if input.numel() == 0:  # torch's own wording for aminmax, the dim wrapped
        if dim is None:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                               "identity.")
        if input.ndim and input.shape[dims[0]] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {dims[0]} to have non-zero size.")
    return _aminmax_t(Amin.apply(input, dims, keepdim), Amax.apply(input, dims, keepdim))


class _Select(Function):
    """values = input[..., indices, ...] along `dim`: the values of sort/topk/max(dim)/...

    `indices` has the input's shape except along `dim`; with keepdim False (only used
    with one index per slice) the selected dim is dropped. The gradient is placed back
    at the indices, which never repeat within a slice.
    """

    @staticmethod
    def forward(ctx, a, indices, dim, keepdim):
        ctx.indices, ctx.dim, ctx.keepdim = indices, dim, keepdim
        out = np.take_along_axis(a, indices, axis=dim)
        return out if keepdim else np.squeeze(out, dim)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.keepdim:
            grad = grad.unsqueeze(ctx.dim)
        return _Place.apply(grad, ctx.indices, ctx.dim, ctx.input_shape(0)), None, None, None


class _Place(Function):
    """zeros(shape) with `values` written at `indices` along `dim` (the adjoint of _Select)."""

    @staticmethod
    def forward(ctx, values, indices, dim, shape):
        ctx.indices, ctx.dim = indices, dim
        out = np.zeros(shape, dtype=values.dtype)
        np.put_along_axis(out, indices, values, axis=dim)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _Select.apply(grad, ctx.indices, ctx.dim, True), None, None, None


# Subclasses only to give each op's grad_fn its torch name (MaxBackward0, MinBackward0; sorting.py has more).
class Max(_Select):
    pass


class Min(_Select):
    pass


def _select(fn: type, input: Tensor, indices: np.ndarray, dim: int | None, keepdim: bool) -> Tensor:
    """Apply a _Select subclass; a 0-d input (dim None) is its own single element."""
    if dim is None:
        return fn.apply(input.reshape(1), indices.reshape(1), 0, False)
    return fn.apply(input, indices, dim, keepdim)


def _arg_extreme(name: str, np_fn: Any, input: Tensor, dim: int | None, keepdim: bool) -> np.ndarray:
    """Indices of the extreme along `dim` (with the dim kept), or into the flattened input."""
    if input.dtype is _dtype.bool and name.startswith("arg"):
        raise RuntimeError(f"{name}(): does not support bool input")
    a = input._array
    if dim is None:
        if a.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        return np.asarray(np_fn(a.reshape(-1)))
    d = one_dim(dim, input.ndim)
    if d is None:
        return np.zeros((), dtype=np.int64)
    if a.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return np_fn(a, axis=d, keepdims=True)


def _extreme(name: str, tuple_t: type, fn: type, np_arg: Any, all_reduce: Any, binary: str,
             input: Tensor, dim: Any, keepdim: bool, other: Any) -> Any:
    if isinstance(dim, Tensor) or other is not None:  # max(a, b) is the elementwise maximum
        return getattr(input, binary)(dim if other is None else other)
    if dim is None:
        _check_nonempty(name, input, None)
        return _whole[all_reduce].apply(input, tuple(range(input.ndim)), False)
    d = one_dim(dim, input.ndim)
    idx = _arg_extreme(name, np_arg, input, dim, True)
    values = _select(fn, input, idx, d, keepdim)
    indices = idx.astype(np.int64, copy=False)
    if not keepdim and d is not None:
        indices = np.squeeze(indices, d)
    return tuple_t(values, _wrap(indices))


class WholeMax(Amax):
    """max() of a whole tensor: Amax, except that NaN entries tie with a NaN result."""
    node_name = "MaxBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        return _reduce_extreme(ctx, np.max, a, dims, keepdim, nan_ties=True)


class WholeMin(Amin):
    """min() of a whole tensor: Amin, except that NaN entries tie with a NaN result."""
    node_name = "MinBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        return _reduce_extreme(ctx, np.min, a, dims, keepdim, nan_ties=True)


_whole = {Amax: WholeMax, Amin: WholeMin}


@writes_out(dtype_rule="same")
def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Any = None) -> Any:
    """Largest element; with `dim`, a named tuple (values, indices); max(a, b) is maximum(a, b)."""
    return _extreme("max", _max_t, Max, np.argmax, Amax, "maximum", input, dim, keepdim, other)


@writes_out(dtype_rule="same")
def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Any = None) -> Any:
    """Smallest element; with `dim`, a named tuple (values, indices); min(a, b) is minimum(a, b)."""
    return _extreme("min", _min_t, Min, np.argmin, Amin, "minimum", input, dim, keepdim, other)


def _arg(name: str, np_fn: Any, input: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    if dim is not None and not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    idx = _arg_extreme(name, np_fn, input, dim, keepdim)
    if dim is None:
        idx = idx.reshape((1,) * input.ndim if keepdim else ())
    elif not keepdim and input.ndim:
        idx = np.squeeze(idx, wrap_dim(dim, input.ndim))
    return _wrap(idx.astype(np.int64, copy=False))


@writes_out(dtype_rule="same")
def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest element along `dim` (into the flattened input if None), int64."""
    return _arg("argmax", np.argmax, input, dim, keepdim)


@writes_out(dtype_rule="same")
def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest element along `dim` (into the flattened input if None), int64."""
    return _arg("argmin", np.argmin, input, dim, keepdim)
