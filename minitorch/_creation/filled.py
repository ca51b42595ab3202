"""Filled tensors: `zeros`, `ones`, `empty`, `full`, their `*_like` forms, and the
`Tensor.new_*` methods."""
from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np

from .. import _dtype
from .._device import check_device
from .._size import Size
from .._ops.selection import check_fill_dtype
from .._tensor import Tensor
from ._common import _check_out, _Dtype, _finish, _np_dtype, _shape, _size_args
from .from_data import tensor

__all__ = ["zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like"]


def zeros(*sizes: Any, size: Any = None, out: Any = None, dtype: _Dtype | None = None,
          layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given shape."""
    check_device(device)
    dtype = _check_out("zeros", out, dtype)
    return _finish(np.zeros(_shape(sizes, size, "zeros"), dtype=_np_dtype(dtype)), requires_grad, out)


def ones(*sizes: Any, size: Any = None, out: Any = None, dtype: _Dtype | None = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given shape."""
    check_device(device)
    dtype = _check_out("ones", out, dtype)
    return _finish(np.ones(_shape(sizes, size, "ones"), dtype=_np_dtype(dtype)), requires_grad, out)


def empty(*sizes: Any, size: Any = None, out: Any = None, dtype: _Dtype | None = None,
          layout: Any = None, device: Any = None, requires_grad: bool = False,
          pin_memory: bool = False, memory_format: Any = None) -> Tensor:
    """An uninitialised tensor of the given shape."""
    check_device(device)
    dtype = _check_out("empty", out, dtype)
    return _finish(np.empty(_shape(sizes, size, "empty"), dtype=_np_dtype(dtype)), requires_grad, out)


def full(size: Sequence[int], fill_value: Any, *, out: Any = None, dtype: _Dtype | None = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape `size` filled with `fill_value` (dtype inferred from the value, like torch)."""
    check_device(device)
    dtype = _check_out("full", out, dtype)
    if not isinstance(size, (tuple, list, Size)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if dtype is None:
        dtype = _dtype.result_type(fill_value)
    check_fill_dtype(dtype.np, fill_value)
    value = np.asarray(fill_value).astype(dtype.np)  # (a negative int into uint8 wraps, as in torch)
    return _finish(np.full(_size_args((size,), "full"), value, dtype=dtype.np), requires_grad, out)


def _like(fn: Any) -> Any:
    def like(input: Tensor, *, dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False, memory_format: Any = None) -> Tensor:
        return fn(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)
    like.__name__ = like.__qualname__ = fn.__name__ + "_like"
    like.__doc__ = f"`{fn.__name__}` with the shape (and by default the dtype) of `input`."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input: Tensor, fill_value: Any, *, dtype: _Dtype | None = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """`full` with the shape (and by default the dtype) of `input`."""
    return full(input.shape, fill_value, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


# ----- Tensor.new_*: made like self (its dtype), not like the arguments ---------------------
def new_tensor(self: Tensor, data: Any, *, dtype: _Dtype | None = None, device: Any = None,
               requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> Tensor:
    """A copy of `data` as a new leaf tensor, of self's dtype unless `dtype` is given."""
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                      "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
    return tensor(data, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)


def _new(fn: Any) -> Any:
    def new(self: Tensor, *sizes: Any, size: Any = None, dtype: _Dtype | None = None, device: Any = None,
            requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> Tensor:
        return fn(*sizes, size=size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)
    new.__name__ = new.__qualname__ = "new_" + fn.__name__
    new.__doc__ = f"`{fn.__name__}(*size)` of self's dtype unless `dtype` is given: size as ints or one sequence."
    return new


new_zeros, new_ones, new_empty = _new(zeros), _new(ones), _new(empty)


def new_full(self: Tensor, size: Sequence[int], fill_value: Any, *, dtype: _Dtype | None = None,
             device: Any = None, requires_grad: bool = False, layout: Any = None,
             pin_memory: bool = False) -> Tensor:
    """A tensor of shape `size` filled with `fill_value`, of self's dtype unless `dtype` is given."""
    if not isinstance(size, (tuple, list, Size)):
        raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    return full(size, fill_value, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)
