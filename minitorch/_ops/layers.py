"""Primitives behind nn layers: the fused affine map, embedding lookup and vector norms."""
from __future__ import annotations

import numpy as np

from .._tensor import _wrap
from ..autograd.function import Function
from .compare import where

__all__: list = []  # reached through minitorch.nn.functional


class Linear(Function):
    """x @ W.T + b in one node: one GEMM forward, two GEMMs and a sum backward."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x if ctx.needs_input_grad[1] else None, weight)
        out = np.matmul(x, weight.T)
        if bias is not None:
            out += bias
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        grad_x = grad_w = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_x = grad @ weight
        # Leading dims of an N-D input are batch dims: flatten them into rows.
        rows = grad.reshape(-1, grad.shape[-1])
        if ctx.needs_input_grad[1]:
            grad_w = rows.t() @ x.reshape(-1, x.shape[-1])
        if len(ctx.needs_input_grad) > 2 and ctx.needs_input_grad[2]:
            grad_b = rows.sum(0)
        return grad_x, grad_w, grad_b


class Embedding(Function):
    """Rows of `weight` (V, D) picked by integer `indices` (any shape) -> indices.shape + (D,)."""

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.indices, ctx.padding_idx, ctx.scale_grad_by_freq = indices, padding_idx, scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, grad):
        return (EmbeddingBackward.apply(grad, ctx.indices, ctx.input_shape(0)[0], ctx.padding_idx,
                                        ctx.scale_grad_by_freq), None, None, None)


class EmbeddingBackward(Function):
    """Scatter-add of the rows of `grad` into a (V, D) zero matrix (Embedding's gradient).

    It is linear in `grad`, and its own gradient is an embedding lookup again.
    """

    @staticmethod
    def forward(ctx, grad, indices, num_weights, padding_idx, scale_grad_by_freq):
        ctx.indices = indices
        flat = indices.reshape(-1)
        # factor[i]: how much of grad row i lands in the output (0 for the padding row)
        factor = np.ones(len(flat), dtype=grad.dtype)
        if scale_grad_by_freq:
            factor /= np.bincount(flat, minlength=num_weights)[flat]
        if padding_idx is not None:
            factor[flat == padding_idx] = 0
        ctx.factor = None if (factor == 1).all() else factor.reshape(indices.shape + (1,))
        rows = grad.reshape(len(flat), -1)
        out = np.zeros((num_weights, rows.shape[1]), dtype=grad.dtype)
        np.add.at(out, flat, rows if ctx.factor is None else rows * factor[:, None])
        return out

    @staticmethod
    def backward(ctx, grad):
        picked = Embedding.apply(grad, ctx.indices, None, False)
        if ctx.factor is not None:
            picked = picked * _wrap(ctx.factor)
        return picked, None, None, None, None


class VectorNorm(Function):
    """The p-norm of `x` over `dims` (p > 0, or inf for the largest magnitude)."""

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        absx = np.abs(x)
        if p == float("inf"):
            out = absx.max(axis=dims, keepdims=True)
        elif p == 2:
            out = np.sqrt((x * x).sum(axis=dims, keepdims=True))
        else:
            out = (absx ** p).sum(axis=dims, keepdims=True) ** (1 / p)
        ctx.norm = out
        return out if keepdim else out.squeeze(dims)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        p, dims = ctx.p, ctx.dims
        if not ctx.keepdim:
            for d in dims:
                grad = grad.unsqueeze(d)
        norm = _wrap(ctx.norm)
        safe = where(norm == 0, 1.0, norm)   # a zero vector gets a zero gradient, like torch
        sign = _wrap(np.sign(x._array))
        if p == float("inf"):
            hits = (np.abs(x._array) == ctx.norm).astype(x._array.dtype)
            share = hits / hits.sum(axis=dims, keepdims=True)
            return grad * sign * _wrap(share) * (norm != 0), None, None, None
        if p == 2:
            return grad * x / safe * (norm != 0), None, None, None
        absx = x * sign
        return grad * sign * absx ** (p - 1) / safe ** (p - 1) * (norm != 0), None, None, None
