"""Flatten parameters into one vector and back (e.g. for second-order methods)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Function

__all__ = ["parameters_to_vector", "vector_to_parameters"]


class _FlatConcat(Function):
    """Concatenate the flattened inputs into one vector; the gradient is split back."""

    @staticmethod
    def forward(ctx, *arrays):
        ctx.shapes = [a.shape for a in arrays]
        return np.concatenate([a.reshape(-1) for a in arrays])

    @staticmethod
    def backward(ctx, grad):
        return _Split.apply(grad, ctx.shapes)


class _Split(Function):
    """Cut a vector into consecutive pieces of the given shapes (the inverse of _FlatConcat)."""

    @staticmethod
    def forward(ctx, vector, shapes):
        ends = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]
        return tuple(piece.reshape(s) for piece, s in zip(np.split(vector, ends), shapes))

    @staticmethod
    def backward(ctx, *grads):
        return _FlatConcat.apply(*grads), None


def _check(vec: Tensor) -> None:
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated into one 1-D tensor (differentiable)."""
    return _FlatConcat.apply(*parameters)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of the 1-D `vec` into the parameters' values."""
    _check(vec)
    start = 0
    for p in parameters:
        n = p.numel()
        np.copyto(p._array, vec._array[start:start + n].reshape(p._array.shape), casting="unsafe")
        p._bump_version()
        start += n
