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
        array = _array_from_python(data, dtype)
        if dtype is not None:
            _check_python_values_fit(array, dtype)
    if dtype is not None:
        array = array.astype(dtype.np, copy=False)
    return _finish(array, requires_grad)


def _check_python_values_fit(array: np.ndarray, dtype: _Dtype) -> None:
    """Refuse Python numbers an integer dtype cannot hold, as torch.tensor does (numpy would wrap them).

    torch's rule: a float must lie within the type's range (so no negative float for uint8), and
    not be inf or NaN; an int may also be negative down to -max for uint8 (it wraps, two's
    complement). For int64 torch checks only inf and NaN."""
    if dtype.is_floating_point or dtype is _dtype.bool or array.dtype.kind not in "iuf" or not array.size:
        return
    info = np.iinfo(dtype.np)
    if array.dtype.kind == "f":
        bad = ~np.isfinite(array)
        if dtype is not _dtype.int64:
            bad |= (array < info.min) | (array > info.max)
    else:
        lowest = -int(info.max) if info.min == 0 else int(info.min)
        bad = (array < lowest) | (array > info.max)
    if bad.any():
        raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")


def _array_from_python(data: Any, dtype: _Dtype | None) -> np.ndarray:
    """An ndarray from Python/numpy scalars and nested sequences, with torch's dtype inference."""
    if isinstance(data, range):
        data = list(data)
    typed = _holds_typed_values(data)
    if typed and isinstance(data, (list, tuple)):
        data = _unwrap_nested(data)
    try:
        array = np.array(data)
    except ValueError:
        _check_nested(data)  # raises torch's message for ragged input
        raise
    if array.dtype == object or array.dtype.kind in "USV":
        _check_nested(data)
        bad = _first_bad_leaf(data)
        if bad is None:
            raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
        raise TypeError(f"new(): invalid data type '{type(bad).__name__}'")
    if array.dtype.kind == "c":
        raise TypeError("minitorch does not support complex tensors")
    if array.dtype == np.uint64 and not typed:  # a Python int above int64's range
        if dtype is None or not dtype.is_floating_point:
            raise ValueError("Overflow when unpacking long long")
        return np.array(data, dtype=np.float64)
    if typed:
        return array.astype(_dtype.from_numpy_dtype(array.dtype).np, copy=False)
    if array.dtype.kind == "f":
        # numpy parsed the Python floats exactly (float64): an explicit dtype is applied to those
        # exact values by the caller, rounding once; only dtype=None rounds to the default dtype
        return array if dtype is not None else array.astype(_dtype.get_default_dtype().np, copy=False)
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    return array


def _holds_typed_values(data: Any) -> bool:
    """True when the leaves are numpy values or tensors, whose own dtype then wins."""
    if isinstance(data, (Tensor, np.ndarray, np.generic)):
        return True
    if isinstance(data, (list, tuple)) and data:
        return _holds_typed_values(data[0])
    return False


def _unwrap_nested(data: Any) -> Any:
    if isinstance(data, Tensor):
        if data._array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return data._array.reshape(())
    if isinstance(data, (list, tuple)):
        return [_unwrap_nested(d) for d in data]
    return data


def _check_nested(data: Any, dim: int = 0) -> None:
    """Raise like torch for ragged nesting: the first sub-sequence whose length disagrees."""
    if not isinstance(data, (list, tuple)) or not data:
        return
    first = data[0]
    for item in data:
        if isinstance(first, (list, tuple)) != isinstance(item, (list, tuple)):
            raise TypeError("not a sequence")
        if isinstance(first, (list, tuple)) and len(item) != len(first):
            raise ValueError(f"expected sequence of length {len(first)} at dim {dim + 1} (got {len(item)})")
        _check_nested(item, dim + 1)


def _first_bad_leaf(data: Any) -> Any:
    if isinstance(data, (list, tuple)):
        for d in data:
            bad = _first_bad_leaf(d)
            if bad is not None:
                return bad
        return None
    if data is None:
        return None
    return None if isinstance(data, (bool, int, float, np.generic)) else data


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
