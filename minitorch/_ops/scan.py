"""Scans along a dim: running sums, products, extremes and log-sum-exps (cumsum, cumprod, cummax,
cummin, logcumsumexp).

Cumsum's backward is a reversed cumsum; cumprod's handles zeros exactly, as torch does. The running
extremes pick values by index like extremes.py's `_Select`, but one input may be picked by
a whole run of outputs, so their backward adds the gradients up at the indices.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd import grad_mode
from ..autograd.function import Function
from ._common import not_implemented, result_dtype
from .inplace import writes_out
from .extremes import _return_type, _Select
from .reduction import Prod

__all__ = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"]

_cummax_t, _cummin_t = _return_type("cummax", "values indices"), _return_type("cummin", "values indices")


# ----- scans --------------------------------------------------------------------------
# torch's CPU scans carry a wider running value than they store: double for float, float for half
_WIDER = {np.dtype(np.float16): np.float32, np.dtype(np.float32): np.float64}


def _accumulate(ufunc: np.ufunc, a: np.ndarray, dim: int, out_dtype: Any) -> np.ndarray:
    """ufunc.accumulate of `a` cast to out_dtype, run in torch's wider type and rounded back."""
    out_dtype = np.dtype(out_dtype or a.dtype)
    wide = _WIDER.get(out_dtype)
    if wide is None:  # the ufunc itself: no numpy-side warnings
        return ufunc.accumulate(a, axis=dim, dtype=out_dtype)
    with np.errstate(over="ignore"):  # (a running value past the stored type's range becomes inf there)
        return ufunc.accumulate(a.astype(out_dtype, copy=False), axis=dim, dtype=wide).astype(out_dtype)


class Cumsum(Function):
    """Running sums in `out_dtype`; like torch, the gradient is cast to the input's dtype first and
    the backward runs there."""

    @staticmethod
    def forward(ctx, a, dim, out_dtype=None):
        ctx.dim, ctx.in_dtype = dim, _dtype.from_numpy_dtype(a.dtype)
        # the ufunc itself: no numpy-side warnings
        return _accumulate(np.add, a, dim, out_dtype)

    @staticmethod
    def backward(ctx, grad):
        return _ReverseCumsum.apply(grad.to(ctx.in_dtype), ctx.dim), None, None


class _ReverseCumsum(Function):
    """out[i] = sum of a[j] for j >= i along dim: the adjoint of cumsum."""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return np.flip(np.cumsum(np.flip(a, dim), axis=dim), dim).copy()

    @staticmethod
    def backward(ctx, grad):
        return Cumsum.apply(grad, ctx.dim, None), None


class Cumprod(Function):
    """Running products in `out_dtype`; the backward runs in the input's dtype like torch's."""

    @staticmethod
    def forward(ctx, a, dim, out_dtype=None):
        ctx.dim, ctx.in_dtype = dim, _dtype.from_numpy_dtype(a.dtype)
        out = _accumulate(np.multiply, a, dim, out_dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        grad = grad.to(ctx.in_dtype)
        if ctx.input_shape(0)[ctx.dim] <= 1:  # each output is its input: torch passes the gradient through
            return grad, None, None
        return Cumprod._input_grad(ctx, grad).to(ctx.in_dtype), None, None

    @staticmethod
    def _input_grad(ctx, grad):
        a, out = ctx.saved_tensors
        if (a._array != 0).all():
            return _ReverseCumsum.apply(grad * out, ctx.dim) / a
        if not grad_mode.is_grad_enabled():
            return _wrap(_cumprod_grad_with_zeros(a._array, out._array, grad._array, ctx.dim))
        # create_graph with zeros, divide-free (torch's choice too): grad_i =
        # prod_{k<i} x_k * sum_{j>=i} g_j prod_{i<k<=j} x_k, from (n, n) matrices of masked inputs, O(n^2)
        x, g = a.transpose(ctx.dim, -1), grad.transpose(ctx.dim, -1)
        n = x.shape[-1]
        i, k = np.arange(n)[:, None], np.arange(n)[None, :]
        rows = x.unsqueeze(-2)
        after = Cumprod.apply(rows.where(_wrap(k > i), 1.0), x.ndim, None)  # [i, j] = prod_{i<k<=j} x_k
        before = Prod.apply(rows.where(_wrap(k < i), 1.0), (x.ndim,), False)  # [i] = prod_{k<i} x_k
        tail = (g.unsqueeze(-2) * after * _wrap(k >= i)).sum(-1)
        return (before * tail).transpose(ctx.dim, -1)


def _cumprod_grad_with_zeros(x: np.ndarray, out: np.ndarray, g: np.ndarray, dim: int) -> np.ndarray:
    """Cumprod's gradient in O(n) when x has zeros, torch's way (so inf and NaN land where torch's do).

    Before the first zero of a slice, the no-zero formula (reverse cumsum of g * out, over x) holds.
    At the first zero z: prod_{k<z} x_k * sum_{j>=z} g_j prod_{z<k<=j} x_k, the products running
    up to the second zero. Every later entry only feeds outputs that are 0 anyway: gradient 0.
    """
    zeros_seen = np.cumsum(x == 0, axis=dim)
    before_first = zeros_seen == 0
    first_zero = (x == 0) & (zeros_seen == 1)
    up_to_second = (zeros_seen == 1) & ~first_zero
    with np.errstate(all="ignore"):  # inf and NaN are the answer here, as in torch
        tail = np.flip(np.cumsum(np.flip(np.where(before_first, out * g, 0), dim), axis=dim), dim)
        grad = np.where(before_first, tail / x, 0).astype(g.dtype)
        runs = np.multiply.accumulate(np.where(up_to_second, x, 1), axis=dim, dtype=x.dtype)
        at_zero = (runs * np.where(zeros_seen == 1, g, 0)).sum(axis=dim, keepdims=True)
        first = [slice(None)] * x.ndim
        first[dim] = slice(0, 1)
        head = [slice(None)] * x.ndim
        head[dim] = slice(0, x.shape[dim] - 1)
        products_before = np.concatenate([np.ones_like(out[tuple(first)]), out[tuple(head)]], axis=dim)
        return np.where(first_zero, at_zero * products_before, grad).astype(g.dtype)


def _scan(fn: type, input: Tensor, dim: int, dtype: Any) -> Tensor:
    d = wrap_dim(dim, input.ndim)
    if dtype is _dtype.bool and input.ndim and input.numel():  # torch has no bool scan kernel
        raise not_implemented(fn.__name__.lower() + "_out_cpu", dtype)
    dtype = result_dtype(fn.__name__.lower(), input, dtype)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    out_dtype = None if dtype is None or dtype is input.dtype else dtype.np
    if input.ndim == 0:
        return fn.apply(input.reshape(1), 0, out_dtype).reshape(())
    return fn.apply(input, d, out_dtype)


@writes_out(dtype_rule="computes_in")
def cumsum(input: Tensor, dim: int, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Running sums along `dim`; integer inputs give int64."""
    return _scan(Cumsum, input, dim, dtype)


@writes_out(dtype_rule="computes_in")
def cumprod(input: Tensor, dim: int, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Running products along `dim`; integer inputs give int64; exact gradient with zeros."""
    return _scan(Cumprod, input, dim, dtype)


class _Accumulate(Function):
    """zeros(shape) with `values` added at `indices` along `dim`, where indices may repeat (the adjoint of
    _Select when several outputs select the same input, as the running extremes do)."""

    @staticmethod
    def forward(ctx, values, indices, dim, shape):
        ctx.indices, ctx.dim = indices, dim
        out = np.zeros(shape, dtype=values.dtype)
        where = list(np.indices(indices.shape, sparse=True))
        where[dim] = indices
        np.add.at(out, tuple(where), values)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _Select.apply(grad, ctx.indices, ctx.dim, True), None, None, None


class Cummax(Function):
    """values = input at the running arg-extreme along `dim`; the gradient accumulates at those indices."""

    @staticmethod
    def forward(ctx, a, indices, dim):
        ctx.indices, ctx.dim = indices, dim
        return np.take_along_axis(a, indices, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return _Accumulate.apply(grad, ctx.indices, ctx.dim, ctx.input_shape(0)), None, None


class Cummin(Cummax):
    pass


def _running_extreme_indices(a: np.ndarray, dim: int, np_extreme: Any) -> np.ndarray:
    """Index of the running max (or min) along `dim`: the latest position holding it (ties move the
    index on, as in torch), or of the latest nan once one has been seen."""
    running = np_extreme.accumulate(a, axis=dim)
    # a_j == running_j marks a position where the running extreme was (re)attained; the latest such j <= i
    # holds the running extreme at i, since it is monotone
    attained = (a == running) | (np.isnan(a) & np.isnan(running)) if a.dtype.kind == "f" else a == running
    shape = [1] * a.ndim
    shape[dim] = a.shape[dim]
    positions = np.where(attained, np.arange(a.shape[dim]).reshape(shape), 0)
    return np.maximum.accumulate(positions, axis=dim)


def _cumulative_extreme(fn: type, tuple_t: type, np_extreme: Any, input: Tensor, dim: int) -> Any:
    if input.numel() == 0:  # torch returns the empty result before it looks at dim
        indices = np.zeros(input.shape, dtype=np.int64)
        return tuple_t(fn.apply(input, indices, 0), _wrap(indices))
    if input.ndim == 0:
        if dim not in (-1, 0):
            raise IndexError(f"{fn.__name__.lower()}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
        values, indices = _cumulative_extreme(fn, tuple_t, np_extreme, input.reshape(1), 0)
        return tuple_t(values.reshape(()), indices.reshape(()))
    d = wrap_dim(dim, input.ndim)
    indices = _running_extreme_indices(input._array, d, np_extreme).astype(np.int64)
    return tuple_t(fn.apply(input, indices, d), _wrap(indices))


@writes_out(dtype_rule="same", message="expected scalar_type {result} but found {out}")
def cummax(input: Tensor, dim: int) -> Any:
    """Running maximum along `dim`: a named tuple (values, indices); nan, once met, stays."""
    return _cumulative_extreme(Cummax, _cummax_t, np.maximum, input, dim)


@writes_out(dtype_rule="same", message="expected scalar_type {result} but found {out}")
def cummin(input: Tensor, dim: int) -> Any:
    """Running minimum along `dim`: a named tuple (values, indices); nan, once met, stays."""
    return _cumulative_extreme(Cummin, _cummin_t, np.minimum, input, dim)


class LogCumSumExp(Function):
    node_name = "LogcumsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = np.logaddexp.accumulate(a, axis=dim) if a.ndim and a.size else a.copy()
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        if grad.ndim == 0 or grad.numel() == 0:  # one value (or none) passes its gradient through, as in torch
            return grad, None
        # grad_i = sum_{j >= i} grad_j exp(a_i - out_j), summed in log space separately for the positive and
        # the negative part of grad so that nothing overflows; the lowest float stands for log(0)
        a, out = ctx.saved_tensors
        lowest = float(np.finfo(a._array.dtype).min)
        log_abs = grad.abs().log()
        parts = [(log_abs.where(mask, lowest) - out).flip(ctx.dim) for mask in (grad > 0, grad < 0)]
        positive, negative = ((logcumsumexp(p, ctx.dim).flip(ctx.dim) + a).exp() for p in parts)
        return positive - negative, None


@writes_out(dtype_rule="same", message="expected scalar_type {result} but found {out}")
def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """log(cumsum(exp(input))) along `dim`, computed without overflow; floating tensors only."""
    d = wrap_dim(dim, input.ndim)
    if not input.dtype.is_floating_point:
        raise not_implemented("logcumsumexp_out_cpu", input.dtype)
    return LogCumSumExp.apply(input, d)
