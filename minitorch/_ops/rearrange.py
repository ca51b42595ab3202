"""Copies that place the elements elsewhere: rot90 (flips and a transpose), column_stack (a join of
columns), diag_embed (the last dim written onto the diagonals of new planes).

rot90 and column_stack are built from differentiable ops (flip, transpose, cat), so their
gradients come from those; diag_embed is the adjoint of `diagonal` and differentiates through it.
"""
from __future__ import annotations

from typing import Sequence

from .._tensor import Tensor, wrap_dim
from ..autograd.function import label_node
from .casting import clone
from .join import _CAT_DTYPE, flip, hstack
from .inplace import writes_out
from .linalg import DiagonalView, DiagonalViewBackward
from .shape import transpose

__all__ = ["rot90", "column_stack", "diag_embed"]


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """`input` turned k quarter turns in the plane of `dims`, from dims[0] towards dims[1]
    (k < 0 turns the other way); the shape swaps those two sizes when k is odd."""
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    d0, d1 = wrap_dim(dims[0], input.ndim), wrap_dim(dims[1], input.ndim)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}")
    k %= 4  # (Python's modulo: -1 turns three times)
    if k == 1:
        out = transpose(flip(input, (d1,)), d0, d1)
    elif k == 2:
        out = flip(input, (d0, d1))
    elif k == 3:
        out = transpose(flip(input, (d0,)), d0, d1)
    else:
        out = clone(input)
    return label_node(out, "Rot90Backward0")


@writes_out(message=_CAT_DTYPE, error=TypeError)
def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors side by side as columns: 0-d and 1-D tensors become (n, 1) columns, the others
    join along dim 1 (hstack)."""
    if isinstance(tensors, Tensor):
        raise TypeError("column_stack(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    if len(tensors) == 0:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    return hstack([t.reshape(-1, 1) if t.ndim <= 1 else t for t in tensors])


class DiagEmbed(DiagonalViewBackward):
    """The planes of diag_embed (DiagonalViewBackward under torch's node name for this op)."""

    @staticmethod
    def backward(ctx, grad):
        return DiagonalView.apply(grad, *ctx.args), None, None, None, None


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A tensor one dim larger whose (dim1, dim2) planes hold input's last dim on their `offset`
    diagonal, zeros elsewhere: (..., n) -> planes of size n + |offset| (the inverse of diagonal)."""
    ndim = input.ndim + 1
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = input.shape[-1] + abs(offset)
    shape = list(input.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    return DiagEmbed.apply(input, tuple(shape), int(offset), d1, d2)
