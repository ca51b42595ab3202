"""Reductions over dimensions: sums and means, variance, product, log-sum-exp and softmax.

`dim` may be None, an int or a tuple. A handful of primitives carry the gradients: Sum,
Prod, Softmax and LogSoftmax (norms are in norms.py); mean, var, std, logsumexp, nansum, ... are
compositions of these and the elementwise ops. Each backward re-inserts the reduced
dims as size 1 (`restore_dims`) so the gradient broadcasts back over the input; Sum's
and Mean's are that broadcast alone (`expand_reduced`).
Extremes and sorting are in extremes.py and sorting.py, scans (cumsum, ...) in scan.py.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd import grad_mode
from ..autograd.function import Function
from ..kernels import softmax as softmax_kernels
from ._common import (as_float, constant_like, expand_reduced, reduced_dims, renamed, restore_dims, result_dtype,
                      type_name)
from .inplace import writes_out
from .join import cat
from .norms import norm  # noqa: F401 (re-exported: torch.norm is a reduction)

__all__ = ["sum", "mean", "nansum", "nanmean", "var", "std", "var_mean", "std_mean", "prod", "norm", "logsumexp",
           "softmax", "log_softmax", "any", "all", "count_nonzero"]


# ----- sum and mean -------------------------------------------------------------------
class Sum(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        # int8 wraps, bool ors: as in torch (the ufunc's own reduce: its inf - inf is not warned from numpy);
        # half sums run in float32 and round once, as torch's do
        if a.dtype == np.float16:
            with np.errstate(over="ignore"):
                return np.asarray(np.add.reduce(a, axis=dims, keepdims=keepdim, dtype=np.float32).astype(np.float16))
        return np.add.reduce(a, axis=dims, keepdims=keepdim, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return expand_reduced(grad, ctx.dims, ctx.keepdim, ctx.input_shape(0)), None, None


class Mean(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        ctx.count = math.prod(a.shape[d] for d in dims)
        # np.mean's own steps (sum, in float32 for half, then divide) without its Python layer
        total = np.add.reduce(a, axis=dims, keepdims=keepdim, dtype=np.float32 if a.dtype == np.float16 else a.dtype)
        if ctx.count == 0:  # the mean of nothing is NaN, without numpy's warning (as in torch)
            return np.full(np.shape(total), np.nan, dtype=a.dtype)
        return np.asarray(total / ctx.count, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return expand_reduced(grad / ctx.count, ctx.dims, ctx.keepdim, ctx.input_shape(0)), None, None


# torch names the node of a reduction over given dims (even none: dim=()) ...Backward1, of a
# reduction over everything ...Backward0.
SumDims = renamed(Sum, "SumBackward1")
MeanDims = renamed(Mean, "MeanBackward1")


@writes_out(dtype_rule="computes_in")
def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Sum over `dim` (all dims if None). Integer and bool inputs sum to int64, like torch."""
    dims = reduced_dims(dim, input.ndim)  # a bad dim is reported before a bad dtype, like torch
    dtype = result_dtype("sum", input, dtype)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    if dtype is not None and dtype is not input.dtype:
        input = input.to(dtype)
    return (Sum if dim is None else SumDims).apply(input, dims, keepdim)


@writes_out
def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Arithmetic mean over `dim` (all dims if None); needs a floating dtype, like torch."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {type_name(input.dtype)}")
    return (Mean if dim is None else MeanDims).apply(input, reduced_dims(dim, input.ndim), keepdim)


class Nansum(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        ctx.save_for_backward(a)
        return np.asarray(np.nansum(a, axis=dims, keepdims=keepdim), dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        # a product with the mask, not a selection, so inf * 0 gives NaN exactly as in torch
        return restore_dims(grad, ctx.dims, ctx.keepdim) * (a == a), None, None


@writes_out(dtype_rule="computes_in")
def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Sum over `dim` treating NaN as zero (NaN positions get zero gradient)."""
    reduced_dims(dim, input.ndim)  # a bad dim is reported before a bad dtype, like torch
    dtype = result_dtype("nansum", input, dtype)
    if not input.dtype.is_floating_point or (dtype is not None and not dtype.is_floating_point):
        return sum(input, dim, keepdim, dtype=dtype)
    if dtype is not None and dtype is not input.dtype:
        input = input.to(dtype)
    return Nansum.apply(input, reduced_dims(dim, input.ndim), keepdim)


@writes_out
def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Mean over `dim` of the non-NaN elements."""
    if not input.dtype.is_floating_point:  # checked before `dtype` applies, like torch
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{type_name(input.dtype)}")
    if dtype is not None:
        if not dtype.is_floating_point:
            raise RuntimeError(f"nanmean(): could not infer output dtype. Optional dtype must be either a "
                               f"floating point or complex dtype. Got: {type_name(dtype)}")
        input = input.to(dtype)
    count = sum(input == input, dim, keepdim)
    return nansum(input, dim, keepdim) / count


# ----- variance -----------------------------------------------------------------------
def _correction(dim: Any, unbiased: Any, correction: Any) -> tuple[Any, float]:
    if isinstance(dim, bool):  # the legacy form var(input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:  # no overload of torch's takes both
        raise TypeError("var() received an invalid combination of arguments: `unbiased` and `correction` "
                        "cannot both be given")
    if correction is None:
        correction = 1 if unbiased is None else int(unbiased)
    return dim, correction


def _variance(ctx: Any, a: np.ndarray, dims: tuple, keepdim: bool, correction: float) -> np.ndarray:
    ctx.dims, ctx.keepdim = dims, keepdim
    ctx.dof = math.prod(a.shape[d] for d in dims) - correction
    # 1/dof as a factor; with no degrees of freedom it is inf, giving inf or nan like torch
    ctx.scale = 1.0 / ctx.dof if ctx.dof > 0 else math.inf
    centered = a - np.mean(a, axis=dims, keepdims=True)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.sum(centered * centered, axis=dims, keepdims=keepdim) * ctx.scale, dtype=a.dtype)


class Var(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim, correction, whole):
        ctx.save_for_backward(a)
        ctx.whole = whole
        return _variance(ctx, a, dims, keepdim, correction)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        g = restore_dims(grad, ctx.dims, ctx.keepdim)
        if ctx.whole and ctx.dof <= 0:
            # torch's rule for a whole-tensor variance without degrees of freedom: 2 / dof is inf,
            # times x - mean; written as NaN where x equals its mean and inf elsewhere (also for NaN x)
            factor = np.where(a._array == np.mean(a._array), math.nan, math.inf).astype(a._array.dtype)
            return g * constant_like(factor, a), None, None, None, None
        centered = a - Mean.apply(a, ctx.dims, True)
        return g * centered * (2.0 / ctx.dof if ctx.dof else math.inf), None, None, None, None


class Std(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim, correction, whole):
        out = np.asarray(np.sqrt(_variance(ctx, a, dims, keepdim, correction)))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        # d std / dx = (x - mean) / (denom * std); 0 where std is 0 (a constant slice), like torch
        a, out = ctx.saved_tensors
        o = restore_dims(out, ctx.dims, ctx.keepdim)
        centered = a - Mean.apply(a, ctx.dims, True)
        g = restore_dims(grad, ctx.dims, ctx.keepdim) / o.where(o != 0, 1.0)
        return g * centered * ctx.scale, None, None, None, None


def _var_mean(input: Tensor, dim: Any, unbiased: Any, keepdim: bool, correction: Any,
              with_mean: bool = False, fn: type = Var) -> Any:
    if not input.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dim, correction = _correction(dim, unbiased, correction)
    dims = reduced_dims(dim, input.ndim)
    v = fn.apply(input, dims, keepdim, correction, dim is None or input.ndim == 0)
    if not with_mean:
        return v
    mean = Mean.apply(input, dims, keepdim)
    inf_not_last = _inf_before_last(input._array, dims, keepdim)
    return v, (mean if inf_not_last is None else mean.where(~constant_like(inf_not_last, mean).bool(), math.nan))


def _inf_before_last(a: np.ndarray, dims: tuple, keepdim: bool) -> np.ndarray | None:
    """Where a slice holds an inf before its last entry: torch's one-pass (Welford) mean is NaN
    there (inf - inf on the next update), and inf only when the inf comes last. None if no inf."""
    if not np.isinf(a).any():
        return None
    kept = [d for d in range(a.ndim) if d not in dims]
    rows = np.transpose(a, kept + list(dims)).reshape([a.shape[d] for d in kept] + [-1])
    found = np.isinf(rows[..., :-1]).any(-1)
    return found.reshape(restore_shape) if keepdim and (restore_shape := [1 if d in dims else n
                                                                          for d, n in enumerate(a.shape)]) else found


@writes_out
def var(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Variance over `dim`: sum((x - mean)**2) / (N - correction); correction defaults to 1."""
    return _var_mean(input, dim, unbiased, keepdim, correction)


@writes_out
def std(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Standard deviation over `dim`: sqrt(var(...))."""
    return _var_mean(input, dim, unbiased, keepdim, correction, fn=Std)


def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(var, mean) over `dim`, computed together."""
    return _var_mean(input, dim, unbiased, keepdim, correction, with_mean=True)


def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(std, mean) over `dim`, computed together."""
    return _var_mean(input, dim, unbiased, keepdim, correction, with_mean=True, fn=Std)


# ----- product ------------------------------------------------------------------------
class Prod(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        out = np.asarray(np.multiply.reduce(a, axis=dims, keepdims=keepdim, dtype=a.dtype))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        if a.ndim == 0:  # torch passes a 0-d input's gradient through (no out / a: inf / inf is NaN)
            return grad, None, None
        g, o = restore_dims(grad, ctx.dims, ctx.keepdim), restore_dims(out, ctx.dims, ctx.keepdim)
        if not (a == 0)._array.any():
            return g * (o / a), None, None  # torch's grouping, hence its rounding
        # with a zero anywhere, torch multiplies the products of the entries before and after
        # each one (no division, so 0 and inf stay exact); a full reduction runs over the flat tensor
        if len(ctx.dims) == 1:
            return g * _products_of_others(a, ctx.dims[0]), None, None
        if (a == 0)._array.sum() > 1:  # torch's full product: two zeros leave every gradient 0
            return g * constant_like(np.zeros(a.shape), a), None, None
        return g * _products_of_others(a.reshape(-1), 0).reshape(a.shape), None, None


ProdDim = renamed(Prod, "ProdBackward1")


def _products_of_others(a: Tensor, dim: int) -> Tensor:
    """For each entry of `a`, the product of the other entries along `dim` (exclusive scans)."""
    n = a.shape[dim]
    one = constant_like(np.ones((1,) * a.ndim, a._array.dtype), a).expand(
        *[1 if d == dim else size for d, size in enumerate(a.shape)])
    before = cat([one, a.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    after = cat([a.narrow(dim, 1, n - 1), one], dim).flip(dim).cumprod(dim).flip(dim)
    return before * after


@writes_out(dtype_rule="computes_in")
def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
         dtype: _dtype.dtype | None = None) -> Tensor:
    """Product over `dim` (all elements if None); integer inputs give int64. Exact gradient with zeros."""
    if isinstance(dim, (tuple, list)):
        raise TypeError("prod(): argument 'dim' must be int, not " + type(dim).__name__)
    dims = reduced_dims(dim, input.ndim)  # a bad dim is reported before a bad dtype, like torch
    dtype = result_dtype("prod", input, dtype)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    if dtype is not None and dtype is not input.dtype:
        input = input.to(dtype)
    return (Prod if dim is None else ProdDim).apply(input, dims, keepdim if dim is not None else False)


# ----- log-sum-exp and softmax --------------------------------------------------------
def _shift(a: np.ndarray, dims: tuple) -> np.ndarray:
    """The max over `dims` (kept), with infinities replaced by 0, for overflow-free exp."""
    m = np.max(a, axis=dims, keepdims=True) if a.size else np.zeros((1,) * a.ndim, a.dtype)
    return np.where(np.isfinite(m), m, 0).astype(a.dtype, copy=False)


class LogSumExp(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        m = _shift(a, dims)
        with np.errstate(divide="ignore"):  # log(0) = -inf when every element is -inf
            out = np.log(np.sum(np.exp(a - m), axis=dims, keepdims=True)) + m
        if not keepdim:
            out = np.squeeze(out, dims)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        # d/dx logsumexp(x) = softmax(x) = exp(x - logsumexp(x))
        a, out = ctx.saved_tensors
        g, o = restore_dims(grad, ctx.dims, ctx.keepdim), restore_dims(out, ctx.dims, ctx.keepdim)
        return g * (a - o).exp(), None, None


@writes_out
def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log(sum(exp(input))) over `dim`, computed without overflow; integer inputs give float."""
    if dim is None:
        raise TypeError("logsumexp(): argument 'dim' (position 2) must be tuple of ints, not NoneType")
    input = as_float(input)
    return LogSumExp.apply(input, reduced_dims(dim, input.ndim), keepdim)


def _max_kept(a: np.ndarray, dims: tuple) -> np.ndarray:
    """The max over `dims` (kept) as softmax's shift. Unlike logsumexp's, an infinite max is kept:
    then x - max is nan at +inf (and everywhere for a slice of -inf), as in torch."""
    return np.max(a, axis=dims, keepdims=True) if a.size else np.zeros((1,) * a.ndim, a.dtype)


def _by_rows(a: np.ndarray, dims: tuple) -> bool:
    """Whether softmax over `dims` of `a` is along the rows of a C-contiguous (rows, n) view, n > 0
    (the kernels' case: a classifier's or language model's logits)."""
    return dims == (a.ndim - 1,) and a.shape[-1] > 0 and a.flags.c_contiguous


def _rows(a: np.ndarray) -> np.ndarray:
    return a.reshape(-1, a.shape[-1])


class Softmax(Function):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        if _by_rows(a, dim):
            out = softmax_kernels.softmax(_rows(a)).reshape(a.shape)
        else:
            with np.errstate(invalid="ignore"):
                out = np.asarray(a - _max_kept(a, dim))  # one buffer, updated in place: large inputs are memory-bound
            np.exp(out, out=out)
            out /= np.sum(out, axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        if not grad_mode.is_grad_enabled() and _by_rows(y._array, ctx.dim) and grad._array.flags.c_contiguous:
            return _wrap(softmax_kernels.softmax_backward(_rows(grad._array), _rows(y._array)).reshape(y.shape)), None
        return y * (grad - (grad * y).sum(ctx.dim, keepdim=True)), None


class LogSoftmax(Function):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        if _by_rows(a, dim):
            out = softmax_kernels.log_softmax(_rows(a)).reshape(a.shape)
        else:
            with np.errstate(invalid="ignore"):
                out = np.asarray(a - _max_kept(a, dim))
            out -= np.log(np.sum(np.exp(out), axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        if not grad_mode.is_grad_enabled() and _by_rows(y._array, ctx.dim) and grad._array.flags.c_contiguous:
            return _wrap(softmax_kernels.log_softmax_backward(_rows(grad._array), _rows(y._array)).reshape(y.shape)), None
        return grad - y.exp() * grad.sum(ctx.dim, keepdim=True), None


def _softmax_input(name: str, input: Tensor, dim: int, dtype: Any) -> tuple[Tensor, tuple]:
    if dtype is not None:
        input = input.to(dtype)
    d = wrap_dim(dim, input.ndim)
    if not input.dtype.is_floating_point and input.numel():  # an empty input is returned as it is
        kernel = "lastdim_kernel_impl" if d == input.ndim - 1 or input.ndim == 0 else "kernel_impl"
        raise NotImplementedError(f"\"{name}_{kernel}\" not implemented for '{type_name(input.dtype)}'")
    return input, ((d,) if input.ndim else ())


@writes_out(dtype_rule="same")
def softmax(input: Tensor, dim: int, dtype: _dtype.dtype | None = None) -> Tensor:
    """exp(x) / sum(exp(x)) along `dim`, shifted by the max so it never overflows."""
    input, dims = _softmax_input("softmax", input, dim, dtype)
    if not input.dtype.is_floating_point:  # an empty integer tensor: nothing to compute
        return _wrap(input._array.copy())
    return Softmax.apply(input, dims)


@writes_out(dtype_rule="same")
def log_softmax(input: Tensor, dim: int, dtype: _dtype.dtype | None = None) -> Tensor:
    """x - logsumexp(x) along `dim`, computed stably."""
    input, dims = _softmax_input("log_softmax", input, dim, dtype)
    if not input.dtype.is_floating_point:  # an empty integer tensor: nothing to compute
        return _wrap(input._array.copy())
    return LogSoftmax.apply(input, dims)


# ----- logical reductions -------------------------------------------------------------
def _logical_reduce(np_fn: Any, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    a = input._array
    out = np_fn(a, axis=reduced_dims(dim, input.ndim), keepdims=keepdim)
    # torch keeps uint8 for uint8 inputs; everything else gives bool
    return _wrap(np.asarray(out, dtype=np.uint8 if a.dtype == np.uint8 else np.bool_))


@writes_out(dtype_rule="same", message="any only supports bool tensor for result, got: {out}")
def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """True where any element along `dim` is non-zero (all dims if None)."""
    return _logical_reduce(np.any, input, dim, keepdim)


@writes_out(dtype_rule="same", message="all only supports bool tensor for result, got: {out}")
def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """True where every element along `dim` is non-zero (all dims if None)."""
    return _logical_reduce(np.all, input, dim, keepdim)


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    """The number of non-zero elements along `dim` (all dims if None), int64."""
    return _wrap(np.asarray(np.count_nonzero(input._array, axis=reduced_dims(dim, input.ndim)), dtype=np.int64))
