"""Gather and scatter: reading and writing along one dimension at positions given by an index tensor.

`gather(input, dim, index)` picks input[..., index[i, j], ...] along `dim`; scatter and
its reductions write src there instead. Each translates (dim, index) into an advanced-
indexing key for indexing.py's two primitives, Index and IndexPut, so their gradients
come from there; the multiplicative and extreme reductions have their own Functions.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function, label_node
from ._common import type_name
from .indexing import SCALAR_NAMES, first_out_of_range, read_at, write_at
from .inplace import writes_out

__all__ = ["gather", "scatter", "scatter_add", "scatter_reduce", "index_reduce", "take_along_dim"]


# ----- gather / scatter ---------------------------------------------------------------
def _along_key(input: Tensor, dim: int, index: Tensor, op: str, src: Any = None) -> tuple[int, tuple]:
    """Check gather/scatter arguments; return (dim, key) with key[d] = index at dim, else arange."""
    a = index._array
    if a.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")
    d = wrap_dim(dim, input.ndim)
    if a.ndim != input.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    too_big = any(i != d and n > s for i, (n, s) in enumerate(zip(a.shape, input._array.shape)))
    if src is None and too_big:
        raise RuntimeError(f"Size does not match at dimension {0 if d else 1} expected index {list(a.shape)} "
                           f"to be no larger than self {list(input.shape)} apart from dimension {d}")
    if src is not None and (too_big or any(n > s for n, s in zip(a.shape, src._array.shape))):
        raise RuntimeError(f"Expected index {list(a.shape)} to be no larger than self {list(input.shape)} "
                           f"apart from dimension {d} and to be no larger size than src {list(src.shape)}")
    n = input._array.shape[d] if input.ndim else 1
    bad = first_out_of_range(a.reshape(-1), n, allow_negative=False)  # negatives are errors, not from the end
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    ndim = a.ndim
    key = tuple(a if i == d else np.arange(s).reshape((-1,) + (1,) * (ndim - i - 1))
                for i, s in enumerate(a.shape))
    return d, key


@writes_out(dtype_rule="same")
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """out[i][j][k] = input[index[i][j][k]][j][k] (for dim=0); out has index's shape."""
    if min(input.ndim, index.ndim) == 0 and max(input.ndim, index.ndim) <= 1:  # torch: 0-d acts as 1-d here
        wrap_dim(dim, input.ndim)
        return gather(input.reshape(-1), 0, index.reshape(-1)).reshape(index.shape)
    _, key = _along_key(input, dim, index, "gather")
    return read_at(input, key)


def _src_part(src: Tensor, index: Tensor) -> Tensor:
    """The leading corner of src with index's shape (the only part scatter reads), as a view."""
    if src._array.shape == index._array.shape:
        return src
    return src[tuple(slice(0, n) for n in index._array.shape)]


class ScatterMultiply(Function):
    @staticmethod
    def forward(ctx, a, key, values):
        out = a.copy()
        np.multiply.at(out, key, values)
        return out

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("the derivative for 'scatter' with reduce='multiply' is not implemented")


@writes_out(dtype_rule="same")
def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, value: Any = None, *,
            reduce: str | None = None) -> Tensor:
    """A copy of input with src (a tensor) or value (a number) written at index along dim.

    For dim=0: out[index[i][j]][j] = src[i][j]. reduce='add' or 'multiply' combines with
    the existing entry instead of overwriting it.
    """
    if src is None:
        src = value
    if isinstance(src, Tensor):
        if src.dtype is not input.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        _, key = _along_key(input, dim, index, "scatter", src)
        src = _src_part(src, index)
    else:
        _, key = _along_key(input, dim, index, "scatter")
    if reduce is None:
        return write_at(input, key, src)
    if reduce == "add":
        return write_at(input, key, src, True)
    if reduce == "multiply":
        return ScatterMultiply.apply(input, key, src)
    raise RuntimeError("reduce argument must be either add or multiply.")


@writes_out(dtype_rule="same")
def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of input with src added at index along dim; repeated indices accumulate."""
    return scatter(input, dim, index, src, reduce="add")


@writes_out(dtype_rule="same")
def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """Reduce src's entries into input at index along dim with 'sum', 'prod', 'mean', 'amax' or 'amin'.

    Positions nobody scatters to keep input's value; with include_self=False the scattered
    positions ignore input's own value.
    """
    if src.dtype is not input.dtype:
        raise RuntimeError("scatter_reduce(): Expected self.dtype to be equal to src.dtype")
    _, key = _along_key(input, dim, index, "scatter_reduce", src)
    src = _src_part(src, index)
    base = input if include_self else write_at(input, key, 0)
    if reduce == "sum":
        return write_at(base, key, src, True)
    if reduce == "mean":
        count = np.zeros(input._array.shape, np.int64)
        np.add.at(count, key, 1)
        count += include_self
        total = write_at(base, key, src, True)
        return total / _wrap(np.maximum(count, 1)) if total.dtype.is_floating_point \
            else total.div(_wrap(np.maximum(count, 1)), rounding_mode="floor")
    if reduce in ("amax", "amin"):
        return ScatterExtreme.apply(input, key, src, reduce == "amax", include_self)
    if reduce == "prod":
        return ScatterProd.apply(input, key, src, include_self)
    raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")


def index_reduce(input: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                 include_self: bool = True) -> Tensor:
    """Reduce the slices of source along `dim` into input's slices index[i] with 'prod', 'mean',
    'amax' or 'amin' (scatter_reduce with the index repeated across the other dims)."""
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    d = wrap_dim(dim, input.ndim)
    i = index._array
    if i.ndim > 1:
        raise IndexError(f"index_reduce_(): Index is supposed to be a vector, but got dim: {i.ndim} with type: "
                         f"{type_name(index.dtype)} and size: {list(i.shape)}")
    if i.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"index_reduce_(): Expected dtype int32/int64 for index but got: {type_name(index.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_reduce_(): self ({type_name(input.dtype)}) and source ({type_name(source.dtype)}) "
                           "must have the same scalar type")
    along = source.shape[d] if source.ndim else 1
    if i.size != along:
        raise RuntimeError(f"index_reduce_(): Number of indices ({i.size}) should be equal to source.size(dim): "
                           f"({along}), for dim: {d}")
    others = [[n for k, n in enumerate(t.shape) if k != d or 0 in (input.ndim, source.ndim)] for t in (input, source)]
    if input.ndim != source.ndim or others[0] != others[1]:
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(input.shape)} source.shape = {list(source.shape)}")
    n = input.shape[d] if input.ndim else 1
    if i.size and (i.min() < 0 or i.max() >= n):  # (negative indices are refused too)
        raise IndexError("index out of range in self")
    # the index of every source element: its slice's target along dim
    spread = np.broadcast_to(i.reshape((-1,) + (1,) * (source.ndim - d - 1)), source.shape) if source.ndim \
        else i.reshape(())
    _warn_index_reduce_is_beta()
    out = scatter_reduce(input, d, _wrap(np.array(spread, dtype=np.int64)), source, reduce,
                         include_self=include_self)
    return label_node(out, "IndexReduceBackward0")


_index_reduce_warned = False


def _warn_index_reduce_is_beta() -> None:
    """torch's warning, once per process like torch's (TORCH_WARN_ONCE), after the checks pass."""
    global _index_reduce_warned
    if not _index_reduce_warned:
        _index_reduce_warned = True
        warnings.warn("index_reduce() is in beta and the API may change at any time.", UserWarning, stacklevel=3)


class ScatterExtreme(Function):
    """scatter_reduce with amax/amin; the gradient is shared equally among tied winners."""

    @staticmethod
    def forward(ctx, a, key, src, is_max, include_self):
        ufunc = np.maximum if is_max else np.minimum
        touched = np.zeros(a.shape, bool)
        touched[key] = True
        out = a.copy()
        if not include_self:  # start scattered positions from the reduction's identity
            info = np.finfo(a.dtype) if a.dtype.kind == "f" else np.iinfo(a.dtype)
            out[touched] = (-np.inf if is_max else np.inf) if a.dtype.kind == "f" else \
                (info.min if is_max else info.max)
        ufunc.at(out, key, src)
        ctx.key, ctx.include_self, ctx.touched = key, include_self, touched
        ctx.save_for_backward(a, src, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, src, out = ctx.saved_tensors
        key = ctx.key
        # winners: input entries equal to the result and src entries equal to it; as in torch, an
        # input entry that equals the result counts as a tie even where include_self=False left it out,
        # and then its share is dropped (the src winners get 1/2, not all of it)
        self_equal = a == out
        src_wins = src == read_at(out, key)
        # every position has at least one winner, so ties >= 1
        ties = write_at(self_equal.to(grad.dtype), key, src_wins.to(grad.dtype), True)
        share = grad / ties
        self_wins = self_equal & _wrap(~ctx.touched | ctx.include_self)
        return share * self_wins, None, read_at(share, key) * src_wins, None, None


class ScatterProd(Function):
    """scatter_reduce with prod; d(product)/d(factor) = product / factor."""

    @staticmethod
    def forward(ctx, a, key, src, include_self):
        out = a.copy()
        if not include_self:
            out[key] = 1
        np.multiply.at(out, key, src)
        ctx.key, ctx.include_self = key, include_self
        ctx.save_for_backward(a, src, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, src, out = ctx.saved_tensors
        if not (a._array.all() and src._array.all()):
            raise RuntimeError("scatter_reduce(reduce='prod') backward is not supported when an input is 0")
        # positions scattered to without include_self did not use input's own value
        used = np.ones(a.shape, bool)
        if not ctx.include_self:
            used[ctx.key] = False
        return grad * out / a * _wrap(used), None, read_at(grad * out, ctx.key) / src, None


@writes_out(dtype_rule="same")
def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """gather along dim after broadcasting input and indices in the other dims (flattened if dim is None)."""
    if dim is None:
        return take_along_dim(input.reshape(-1), indices.reshape(-1), 0)
    d = wrap_dim(dim, input.ndim)
    if indices._array.dtype != np.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{SCALAR_NAMES[indices.dtype.name]}")
    if input.ndim != indices.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of "
                           f"dimensions, but got {input.ndim} dimensions for input, and {indices.ndim} "
                           f"dimensions for indices")
    s_in, s_idx = list(input.shape), list(indices.shape)
    s_in[d] = s_idx[d] = 1
    common = list(np.broadcast_shapes(tuple(s_in), tuple(s_idx)))
    shape_in, shape_idx = list(common), list(common)
    shape_in[d], shape_idx[d] = input._array.shape[d], indices._array.shape[d]
    return gather(input.expand(shape_in), d, _wrap(np.broadcast_to(indices._array, shape_idx)))
