"""Products that build structure rather than contract it: the cross product and the Kronecker product.

`cross` is one primitive, because its gradient is again a cross product:
d(a x b)/da applied to g is b x g, and d(a x b)/db applied to g is g x a. `kron` is a
broadcast multiply of two interleaved reshapes, so its gradient comes from those ops.
"""
from __future__ import annotations

import warnings
import numpy as np

from .._tensor import Tensor, wrap_dim
from ..autograd.function import Function, label_node
from ._common import broadcast_shape, check_tensor, check_tensor_input, type_name
from .inplace import writes_out

__all__ = ["cross", "kron"]


class Cross(Function):
    node_name = "LinalgCrossBackward0"

    @staticmethod
    def forward(ctx, a, b, dim):
        ctx.dim = dim
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b if ctx.needs_input_grad[0] else None)
        return np.cross(a, b, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        # broadcast inputs get their gradient summed back to their shape by the engine
        return (Cross.apply(b, grad, ctx.dim) if ctx.needs_input_grad[0] else None,
                Cross.apply(grad, a, ctx.dim) if ctx.needs_input_grad[1] else None, None)


def _cross(input: Tensor, other: Tensor, dim: int | None) -> Tensor:
    """The cross product of 3-vectors along `dim` of the broadcast shape (None: its first size-3 dim);
    both inputs have the same number of dims and size 3 along `dim`."""
    check_tensor_input("linalg_cross", input)
    check_tensor("linalg_cross", other)
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {type_name(input.dtype)} but found "
                           f"{type_name(other.dtype)}")
    shape = broadcast_shape(tuple(input.shape), tuple(other.shape))
    if dim is None:
        if 3 not in shape:
            raise RuntimeError("no dimension of size 3 in input")
        dim = shape.index(3)
    d = wrap_dim(dim, len(shape))
    if input.shape[d - len(shape) + input.ndim] != 3 or other.shape[d - len(shape) + other.ndim] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[d - len(shape) + input.ndim]} and {other.shape[d - len(shape) + other.ndim]}")
    return Cross.apply(input.expand(shape), other.expand(shape), d)


@writes_out(dtype_rule="same")
def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """Cross product of 3-vectors along `dim` (broadcasting); without dim, the first dim of size 3
    (deprecated in torch, which warns: pass dim or use linalg.cross)."""
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
                      "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree "
                      "with that of linalg.cross in a future release.", UserWarning, stacklevel=3)
    return _cross(input, other, dim)


@writes_out(dtype_rule="same")
def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """torch.linalg.cross: the cross product of 3-vectors along `dim` (default the last), broadcasting."""
    return _cross(input, other, dim)


@writes_out
def kron(input: Tensor, other: Tensor) -> Tensor:
    """Kronecker product: for matrices, every input[i, j] times the whole `other`, tiled into a
    (m*p, n*q) block matrix; any ndim (the shorter shape is padded with leading 1s)."""
    check_tensor_input("kron", input)
    check_tensor("kron", other)
    ndim = max(input.ndim, other.ndim)
    a_shape = (1,) * (ndim - input.ndim) + tuple(input.shape)
    b_shape = (1,) * (ndim - other.ndim) + tuple(other.shape)
    # a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...): element (i0, j0, i1, j1, ...) is
    # a[i0, i1, ...] * b[j0, j1, ...]; merging each (i_k, j_k) pair gives the block layout.
    a = input.reshape([s for n in a_shape for s in (n, 1)])
    b = other.reshape([s for n in b_shape for s in (1, n)])
    product = (a * b).reshape([m * n for m, n in zip(a_shape, b_shape)])
    return label_node(product, "UnsafeViewBackward0")
