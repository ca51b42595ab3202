"""Tensors from data: `tensor`, `as_tensor`, `from_numpy`.

dtype inference follows torch: Python floats give the default dtype, Python ints
int64, bools bool; numpy arrays and tensors keep their dtype.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._device import check_device
from .._tensor import Tensor, _wrap
from ._common import _Dtype, _finish
from .from_python import array_from_python

__all__ = ["tensor", "as_tensor", "from_numpy"]


def tensor(data: Any, *, dtype: _Dtype | None = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A new tensor copying `data` (a number, nested sequence, numpy array or tensor)."""
    check_device(device)
    if isinstance(data, Tensor):
        array = data._array.copy()
    elif isinstance(data, np.ndarray):
        _dtype.from_numpy_dtype(data.dtype)
        array = data.copy()
    else:
        array = array_from_python(data, dtype)
    if dtype is not None and array.dtype != dtype.np:
        array = _dtype.cast_array(array, dtype.np)
    return _finish(array, requires_grad)


def as_tensor(data: Any, dtype: _Dtype | None = None, device: Any = None) -> Tensor:
    """Like `tensor`, but shares memory with a numpy array or tensor whose dtype already matches."""
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype.np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with a numpy array (writes through either are seen by both)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return _wrap(ndarray)
