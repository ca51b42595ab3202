"""Reductions over dimensions: sum, mean, ... (dim may be None, an int or a tuple)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._common import normalize_dims, tensor_method

__all__ = ["sum", "mean"]


def _restore_dims(grad: Tensor, dims: tuple, keepdim: bool) -> Tensor:
    """Re-insert the reduced dims as size 1 so that `grad` broadcasts against the input."""
    if keepdim:
        return grad
    for d in dims:
        grad = grad.unsqueeze(d)
    return grad


class Sum(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim, np_dtype):
        ctx.dims, ctx.keepdim = dims, keepdim
        return np.sum(a, axis=dims, keepdims=keepdim, dtype=np_dtype)

    @staticmethod
    def backward(ctx, grad):
        shape = ctx._input_meta[0][0]
        return _restore_dims(grad, ctx.dims, ctx.keepdim).expand(shape), None, None, None


class Mean(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        ctx.count = int(np.prod([a.shape[d] for d in dims]))
        return np.mean(a, axis=dims, keepdims=keepdim, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        shape = ctx._input_meta[0][0]
        return _restore_dims(grad / ctx.count, ctx.dims, ctx.keepdim).expand(shape), None, None


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Sum over `dim` (all dims if None). Integer and bool inputs sum to int64, like torch."""
    dims = normalize_dims(dim, input.ndim)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    if dtype is not None:
        input = input.to(dtype)
    return Sum.apply(input, dims, keepdim, None)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Arithmetic mean over `dim` (all dims if None); needs a floating dtype, like torch."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {input.dtype.name.capitalize()}")
    return Mean.apply(input, normalize_dims(dim, input.ndim), keepdim)


tensor_method(sum, mean)
