"""Matrix products, sent to BLAS through numpy."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ._common import promote, tensor_method

__all__ = ["matmul"]


class MatMul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1:2] == (True,) else None,
                              b if ctx.needs_input_grad[:1] == (True,) else None)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = grad_b = None
        # 1-D operands are treated as a row (left) or column (right) vector, then squeezed.
        if ctx.needs_input_grad[0]:
            if b.ndim == 1:
                grad_a = grad.unsqueeze(-1) * b if grad.ndim else grad * b
            elif ctx._input_meta[0][0] and len(ctx._input_meta[0][0]) == 1:
                grad_a = (grad.unsqueeze(-2) @ b.mT).squeeze(-2)
            else:
                grad_a = grad @ b.mT
        if ctx.needs_input_grad[1]:
            if a.ndim == 1:
                grad_b = a.unsqueeze(-1) * grad.unsqueeze(-2) if grad.ndim else a * grad
            elif len(ctx._input_meta[1][0]) == 1:
                grad_b = (a.mT @ grad.unsqueeze(-1)).squeeze(-1)
            else:
                grad_b = a.mT @ grad
        return grad_a, grad_b


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with numpy/torch semantics for 1-D, 2-D and batched (broadcast) operands."""
    if input.ndim == 0 or other.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{input.ndim}D and {other.ndim}D")
    k1 = input.shape[-1]
    k2 = other.shape[-2] if other.ndim > 1 else other.shape[0]
    if k1 != k2:
        if input.ndim == 1 and other.ndim == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{k1}] and src [{k2}] to have "
                               f"the same number of elements, but got {k1} and {k2} elements respectively")
        left = "x".join(map(str, input.shape if input.ndim > 1 else (1,) + tuple(input.shape)))
        right = "x".join(map(str, other.shape if other.ndim > 1 else tuple(other.shape) + (1,)))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({left} and {right})")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{input.dtype.name} != {other.dtype.name}")
    return MatMul.apply(input, other)


tensor_method(matmul, __matmul__=matmul, __rmatmul__=lambda self, other: matmul(other, self))
