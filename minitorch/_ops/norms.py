"""Vector norms, one implementation for torch.norm, torch.linalg.vector_norm and F.normalize, and
the nuclear norm of torch.norm(p='nuc').

VectorNorm's backward is torch's: x |x|^(p-2) / ||x||^(p-1), taken as 0 where x or the norm is 0;
for +-inf the gradient is shared evenly between the entries that attain the norm.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import constant_like, reduced_dims, restore_dims, type_name
from .arithmetic import sign
from .inplace import writes_out

__all__ = ["norm"]



def _sign(a: Tensor) -> Tensor:
    """sign(a) as a constant, the derivative of |a| (torch's sign: 0 at 0 and at NaN)."""
    return sign(a.detach())

class VectorNorm(Function):
    """The p-norm of `a` over `dims`: (sum |a|^p)^(1/p); max/min |a| for +-inf, the count of non-zeros for 0."""

    @staticmethod
    def forward(ctx, a, p, dims, keepdim):
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        # half norms accumulate in float32 like torch's (squares of half values under- and overflow)
        mag = np.abs(a.astype(np.float32) if a.dtype == np.float16 else a)
        if p == 0:
            out = np.sum(mag != 0, axis=dims, keepdims=keepdim).astype(a.dtype)
        elif p == math.inf:
            out = np.max(mag, axis=dims, keepdims=keepdim)
        elif p == -math.inf:
            out = np.min(mag, axis=dims, keepdims=keepdim)
        elif p == 1:
            out = np.sum(mag, axis=dims, keepdims=keepdim)
        elif p == 2:
            out = np.sqrt(np.sum(mag * mag, axis=dims, keepdims=keepdim))
        else:
            out = np.sum(mag ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)
        out = np.asarray(out, dtype=a.dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        p = ctx.p
        g, o = restore_dims(grad, ctx.dims, ctx.keepdim), restore_dims(out, ctx.dims, ctx.keepdim)
        if p == 0:  # a count: torch leaves the input without a gradient
            return None, None, None, None
        if p == 1:
            return g * _sign(a), None, None, None
        if math.isinf(p):
            hit = _wrap(np.abs(a._array)) == o
            # (no entry hits a NaN norm: the count is then 0 and so is the gradient, as torch's)
            return g * _sign(a) * hit / hit.sum(ctx.dims, keepdim=True).clamp(min=1), None, None, None
        # d||x||_p/dx = x |x|^(p-2) / ||x||^(p-1); taken as 0 where x or the norm is 0 (torch's
        # convention), with safe denominators so that double backward sees no NaN.
        nonzero = a != 0
        safe_mag = (a * _sign(a)).where(nonzero, 1.0)
        if p < 1:
            # sign(x) |x|^(p-1) * ||x||^(1-p), 0 where x is 0: a zero norm (p <= 0) then gives 0, not a
            # division by it
            return g * _sign(a) * safe_mag ** (p - 1) * o ** (1 - p) * nonzero, None, None, None
        # p > 1: the factor g / ||x||^(p-1) is set to 0 where the norm is 0, NaN upstream gradients
        # included (torch's masked_fill), so normalize of a zero float16 row gets torch's +-inf
        zero_norm = o == 0
        safe_o = o.where(~zero_norm, 1.0)
        if p == 2:
            return g * (a / safe_o).where(~zero_norm, 0.0), None, None, None
        scaled = _sign(a) * safe_mag ** (p - 1) * nonzero if p < 2 else a * safe_mag ** (p - 2)
        return scaled * (g / safe_o ** (p - 1)).where(~zero_norm, 0.0), None, None, None


class NuclearNorm(Function):
    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.uvh = u @ vh
        return s.sum(-1).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.unsqueeze(-1).unsqueeze(-1) * constant_like(ctx.uvh, grad)


def vector_norm(input: Tensor, p: float, dim: Any, keepdim: bool) -> Tensor:
    """The p-norm of `input` over `dim` (None: all elements): the one implementation behind torch.norm,
    torch.linalg.vector_norm and F.normalize. Raises like torch for max/min-like norms over nothing."""
    dims = reduced_dims(dim, input.ndim)
    if p < 0 or p == math.inf:  # max, min and sums of |x|^p with p < 0 have no value over nothing
        if dim is None and input.numel() == 0:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on an empty tensor because "
                               "the operation does not have an identity")
        for d in (dims if input.ndim and dim is not None else ()):
            if input.shape[d] == 0:
                raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on the dimension {d}"
                                   "because this dimension is empty and the operation does not have an identity")
    return VectorNorm.apply(input, float(p), dims, keepdim)


@writes_out(dtype_rule="same")
def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, out: Any = None,
         dtype: _dtype.dtype | None = None) -> Tensor:
    """The p-norm over `dim` (all elements if None): p a number (incl. inf, -inf, 0), 'fro' or 'nuc'."""
    if not input.dtype.is_floating_point:  # checked before `dtype` applies, like torch
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {type_name(input.dtype)}")
    if dtype is not None:
        if _dtype.promote_types(input.dtype, dtype) is not dtype:
            raise RuntimeError(f"linalg.vector_norm: the dtype of the input ({type_name(input.dtype)}) should be "
                               f"convertible without narrowing to the specified dtype ({type_name(dtype)})")
        input = input.to(dtype)
    if p == "fro" or p is None:
        return vector_norm(input, 2, dim, keepdim)
    if p == "nuc":
        if dim is None:
            if input.ndim != 2:
                raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                                   "dimensions.") if input.ndim < 2 else \
                    RuntimeError("nuclear norm without dim requires a 2-D input")
            dim = (0, 1)
        if input.dtype is _dtype.float16:  # (an SVD in half precision: refused like torch's matrix_norm)
            raise RuntimeError("linalg.matrix_norm: Low precision dtypes not supported. Got Half")
        if not isinstance(dim, (tuple, list)) or len(dim) != 2:
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dim}")
        d0, d1 = (wrap_dim(d, input.ndim) for d in dim)
        rest = [d for d in range(input.ndim) if d not in (d0, d1)]
        result = NuclearNorm.apply(input.permute(*rest, d0, d1))
        return restore_dims(result, tuple(sorted((d0, d1))), False) if keepdim else result
    if isinstance(p, str):
        raise RuntimeError(f"norm(): unsupported p '{p}'")
    return vector_norm(input, p, dim, keepdim)
