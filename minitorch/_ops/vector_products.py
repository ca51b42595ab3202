"""Products that build structure rather than contract it: the cross product, the Kronecker product,
and block_diag (the block matrix with the inputs on its diagonal).

`cross` is one primitive, because its gradient is again a cross product:
d(a x b)/da applied to g is b x g, and d(a x b)/db applied to g is g x a. `kron` is a
broadcast multiply of two interleaved reshapes and block_diag a join of zero-padded rows,
so their gradients come from those ops.
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function, label_node
from ._common import broadcast_shape, check_tensor, check_tensor_input, type_name
from .inplace import writes_out
from .join import cat

__all__ = ["cross", "kron", "block_diag"]


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
    shape = broadcast_shape(tuple(input.shape), tuple(other.shape))
    if dim is None:
        if 3 not in shape:
            raise RuntimeError("no dimension of size 3 in input")
        dim = shape.index(3)
    if not shape:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = wrap_dim(dim, len(shape))
    if input.shape[d - len(shape) + input.ndim] != 3 or other.shape[d - len(shape) + other.ndim] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[d - len(shape) + input.ndim]} and {other.shape[d - len(shape) + other.ndim]}")
    if input.dtype is not other.dtype:  # (torch checks the shapes first)
        raise RuntimeError(f"expected scalar type {type_name(input.dtype)} but found "
                           f"{type_name(other.dtype)}")
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


def block_diag(*tensors: Tensor) -> Tensor:
    """The block matrix with the inputs (0-d, 1-d as one row, or 2-d) along its diagonal and zeros
    elsewhere; the result has their promoted dtype."""
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.ndim} dimensions")
    dt = _dtype.result_type(*tensors) if tensors else _dtype.get_default_dtype()
    blocks = [t.reshape(1, -1) if t.ndim < 2 else t for t in tensors]
    width = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:  # each block's rows, with zeros to its left and right
        r, c = b.shape
        zeros = [_wrap(np.zeros((r, n), dtype=dt.np)) for n in (left, width - left - c)]
        rows.append(cat([zeros[0], b.to(dt), zeros[1]], dim=1))
        left += c
    if not rows:
        return _wrap(np.zeros((1, 0), dtype=dt.np))
    return label_node(cat(rows, dim=0), "BlockDiagBackward0")
