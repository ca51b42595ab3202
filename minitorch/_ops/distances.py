"""Pairwise distances: cdist.

The p-norm of every difference x1[i] - x2[j], computed as one broadcast subtraction
(..., P, 1, M) - (..., 1, R, M) and a vector norm over the last dim; the gradient comes
from those two ops (a zero distance gets a zero gradient, as in torch).
"""
from __future__ import annotations

from .._tensor import Tensor
from ..autograd.function import label_node
from ._common import type_name

__all__ = ["cdist"]


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """Distances between the rows of x1 (..., P, M) and of x2 (..., R, M): (..., P, R), batch dims
    broadcast. `compute_mode` is accepted for torch compatibility (the direct formula is used)."""
    from .. import linalg  # minitorch.linalg is built on _ops, so it is imported on use
    for name, x in (("X1", x1), ("X2", x2)):
        if x.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {x.ndim}D")
        if not x.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {type_name(x.dtype)}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    differences = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    return label_node(linalg.vector_norm(differences, ord=p, dim=-1), "CdistBackward0")
