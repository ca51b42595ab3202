"""Copies and dtype conversion: clone, contiguous, to, type_as, and the .float()/.long()/... casts.

A cast's backward returns the gradient unchanged: the engine casts every gradient to
its input's dtype (see autograd/engine.py), so a float64 gradient flowing into a float32
tensor arrives as float32.
"""
from __future__ import annotations

from typing import Any

from .. import _dtype
from .._device import check_device
from .._legacy_tensors import LEGACY_TYPE_NAMES
from .._tensor import Tensor
from ..autograd.function import Function

__all__ = ["clone"]


# ----- copies --------------------------------------------------------------------------
class Clone(Function):
    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy with its own storage, differentiable."""
    return Clone.apply(input)


def contiguous(input: Tensor, memory_format: Any = None) -> Tensor:
    """self if already row-major contiguous, else a contiguous copy."""
    return input if input._array.flags.c_contiguous else Clone.apply(input)


class Cast(Function):
    @staticmethod
    def forward(ctx, a, np_dtype):
        return _dtype.cast_array(a, np_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None  # the engine casts the gradient back to the input's dtype


def to(input: Tensor, *args: Any, dtype: _dtype.dtype | None = None, device: Any = None,
       non_blocking: bool = False, copy: bool = False, memory_format: Any = None) -> Tensor:
    """The tensor converted to a dtype and/or device (self when nothing changes and copy=False)."""
    for a in args:
        if isinstance(a, _dtype.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        else:
            device = a
    check_device(device)
    if dtype is None or dtype.np == input._array.dtype:
        return clone(input) if copy else input
    return Cast.apply(input, dtype.np)


def type_as(input: Tensor, other: Tensor) -> Tensor:
    """The tensor cast to `other`'s dtype."""
    return to(input, other.dtype)


def tensor_type(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
    """Tensor.type(): the legacy type name ('torch.FloatTensor') or, given a dtype or name, the converted tensor."""
    if dtype is None:
        return next(name for name, d in LEGACY_TYPE_NAMES.items() if d is self.dtype)
    if isinstance(dtype, str):
        dtype = LEGACY_TYPE_NAMES[dtype]
    return to(self, getattr(dtype, "dtype", dtype))   # a dtype, or a legacy class such as torch.LongTensor
