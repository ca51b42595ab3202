"""Tensor creation: from data, filled, ranges, and random."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from . import _dtype
from ._device import check_device
from ._size import Size
from ._tensor import Tensor, _wrap
from .random import Generator, rng

__all__ = ["tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like", "arange", "linspace", "logspace", "eye", "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like"]


def _finish(array: np.ndarray, requires_grad: bool) -> Tensor:
    t = _wrap(array)
    if requires_grad:
        t.requires_grad = True  # validates: only floating tensors can require grad
    return t


def _infer_np_dtype(data: Any, array: np.ndarray) -> np.dtype:
    """torch's inference: keep numpy/tensor dtypes, Python floats become the default dtype."""
    if isinstance(data, (np.ndarray, np.generic)):
        return array.dtype
    if array.dtype.kind == "f" and not _holds_typed_values(data):
        return _dtype.get_default_dtype().np
    if array.dtype.kind in "iu" and not _holds_typed_values(data):
        return np.dtype(np.int64)
    if array.dtype.kind == "c":
        raise TypeError("minitorch does not support complex tensors")
    return _dtype.from_numpy_dtype(array.dtype).np


def _holds_typed_values(data: Any) -> bool:
    if isinstance(data, (Tensor, np.ndarray, np.generic)):
        return True
    if isinstance(data, (list, tuple)) and data:
        return _holds_typed_values(data[0])
    return False


def tensor(data: Any, *, dtype: _dtype.dtype | None = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A new tensor copying `data` (a number, nested sequence, numpy array or tensor)."""
    check_device(device)
    if isinstance(data, Tensor):
        array = data._array.copy()
    else:
        if isinstance(data, (list, tuple)) and _holds_typed_values(data):
            data = _unwrap_nested(data)
        try:
            array = np.array(data)
        except ValueError as e:
            raise ValueError(f"expected sequence of equal-length lists: {e}") from None
        if array.dtype == object or array.dtype.kind in "USO":
            raise TypeError(f"Could not infer dtype of {type(data).__name__}" if array.ndim == 0 else
                            f"new(): invalid data type '{array.dtype}'")
        array = array.astype(_infer_np_dtype(data, array), copy=False)
    if dtype is not None:
        array = array.astype(dtype.np, copy=False)
    return _finish(np.array(array, copy=True) if isinstance(data, np.ndarray) else array, requires_grad)


def _unwrap_nested(data: Any) -> Any:
    if isinstance(data, Tensor):
        return data._array
    if isinstance(data, (list, tuple)):
        return [_unwrap_nested(d) for d in data]
    return data


def as_tensor(data: Any, dtype: _dtype.dtype | None = None, device: Any = None) -> Tensor:
    """Like `tensor` but shares memory with a numpy array or tensor when the dtype already matches."""
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype.np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a numpy array."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    _dtype.from_numpy_dtype(array.dtype)
    return _wrap(array)


def _size_args(size: tuple) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"expected a sequence of integers as size, but got {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _np_dtype(dtype: _dtype.dtype | None) -> np.dtype:
    return (dtype or _dtype.get_default_dtype()).np


def zeros(*size: Any, dtype: _dtype.dtype | None = None, device: Any = None,
          requires_grad: bool = False, out: Any = None, layout: Any = None) -> Tensor:
    """A tensor of zeros of the given shape."""
    check_device(device)
    return _finish(np.zeros(_size_args(size), dtype=_np_dtype(dtype)), requires_grad)


def ones(*size: Any, dtype: _dtype.dtype | None = None, device: Any = None,
         requires_grad: bool = False, out: Any = None, layout: Any = None) -> Tensor:
    """A tensor of ones of the given shape."""
    check_device(device)
    return _finish(np.ones(_size_args(size), dtype=_np_dtype(dtype)), requires_grad)


def empty(*size: Any, dtype: _dtype.dtype | None = None, device: Any = None,
          requires_grad: bool = False, out: Any = None, layout: Any = None,
          memory_format: Any = None, pin_memory: bool = False) -> Tensor:
    """An uninitialised tensor of the given shape."""
    check_device(device)
    return _finish(np.empty(_size_args(size), dtype=_np_dtype(dtype)), requires_grad)


def full(size: Any, fill_value: Any, *, dtype: _dtype.dtype | None = None, device: Any = None,
         requires_grad: bool = False, out: Any = None, layout: Any = None) -> Tensor:
    """A tensor of the given shape filled with `fill_value` (dtype inferred from it, like torch)."""
    check_device(device)
    if dtype is None:
        dtype = _dtype.result_type(fill_value)
    return _finish(np.full(_size_args((size,)), fill_value, dtype=dtype.np), requires_grad)


def _like(fn: Any) -> Any:
    def like(input: Tensor, *, dtype: _dtype.dtype | None = None, device: Any = None,
             requires_grad: bool = False, memory_format: Any = None, layout: Any = None) -> Tensor:
        return fn(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)
    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"`{fn.__name__}` with the shape (and by default the dtype) of `input`."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input: Tensor, fill_value: Any, *, dtype: _dtype.dtype | None = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None, layout: Any = None) -> Tensor:
    """`full` with the shape (and by default the dtype) of `input`."""
    return full(input.shape, fill_value, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: _dtype.dtype | None = None,
           device: Any = None, requires_grad: bool = False, out: Any = None, layout: Any = None) -> Tensor:
    """Values start, start+step, ... below end. int64 for integer arguments, else the default float."""
    check_device(device)
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if values[2] == 0:
        raise RuntimeError("step must be nonzero")
    if (values[1] - values[0]) * values[2] < 0:
        raise RuntimeError(f"upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        dtype = _dtype.result_type(*values)
    n = max(0, math.ceil((values[1] - values[0]) / values[2]))
    array = (values[0] + np.arange(n, dtype=np.float64) * values[2]) if dtype.is_floating_point \
        else values[0] + np.arange(n, dtype=np.int64) * values[2]
    return _finish(array.astype(dtype.np), requires_grad)


def linspace(start: Any, end: Any, steps: int, *, dtype: _dtype.dtype | None = None, device: Any = None,
             requires_grad: bool = False, out: Any = None, layout: Any = None) -> Tensor:
    """`steps` evenly spaced values from start to end inclusive."""
    check_device(device)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    array = np.linspace(float(start), float(end), int(steps))
    return _finish(array.astype(_np_dtype(dtype)), requires_grad)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: _dtype.dtype | None = None,
             device: Any = None, requires_grad: bool = False, out: Any = None, layout: Any = None) -> Tensor:
    """`steps` values base**x for x evenly spaced from start to end inclusive."""
    check_device(device)
    array = np.power(float(base), np.linspace(float(start), float(end), int(steps)))
    return _finish(array.astype(_np_dtype(dtype)), requires_grad)


def eye(n: int, m: int | None = None, *, dtype: _dtype.dtype | None = None, device: Any = None,
        requires_grad: bool = False, out: Any = None, layout: Any = None) -> Tensor:
    """An n x m matrix with ones on the diagonal."""
    check_device(device)
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    return _finish(np.eye(n, m, dtype=_np_dtype(dtype)), requires_grad)


# ----- random ---------------------------------------------------------------------------
def _random_float(values: np.ndarray, dtype: _dtype.dtype | None, requires_grad: bool) -> Tensor:
    dtype = dtype or _dtype.get_default_dtype()
    if not dtype.is_floating_point:
        raise RuntimeError(f"\"check_uniform_bounds\" not implemented for '{dtype.name.capitalize()}'")
    return _finish(values.astype(dtype.np), requires_grad)


def rand(*size: Any, generator: Generator | None = None, dtype: _dtype.dtype | None = None,
         device: Any = None, requires_grad: bool = False, out: Any = None, layout: Any = None,
         pin_memory: bool = False) -> Tensor:
    """Uniform samples from [0, 1) of the given shape."""
    check_device(device)
    return _random_float(rng(generator).random(_size_args(size)), dtype, requires_grad)


def randn(*size: Any, generator: Generator | None = None, dtype: _dtype.dtype | None = None,
          device: Any = None, requires_grad: bool = False, out: Any = None, layout: Any = None,
          pin_memory: bool = False) -> Tensor:
    """Standard normal samples of the given shape."""
    check_device(device)
    return _random_float(rng(generator).standard_normal(_size_args(size)), dtype, requires_grad)


def randint(low: int, high: Any = None, size: Any = None, *, generator: Generator | None = None,
            dtype: _dtype.dtype | None = None, device: Any = None, requires_grad: bool = False,
            out: Any = None, layout: Any = None) -> Tensor:
    """Integers uniform in [low, high) of shape `size` (int64 unless dtype says otherwise)."""
    check_device(device)
    if size is None:
        if not isinstance(high, (tuple, list, Size)):
            raise TypeError("randint() missing 1 required positional arguments: \"size\"")
        low, high, size = 0, low, high
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    values = rng(generator).integers(low, high, size=_size_args((size,)))
    return _finish(values.astype((dtype or _dtype.int64).np), requires_grad)


def randperm(n: int, *, generator: Generator | None = None, dtype: _dtype.dtype | None = None,
             device: Any = None, requires_grad: bool = False, out: Any = None, layout: Any = None,
             pin_memory: bool = False) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    check_device(device)
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    return _finish(rng(generator).permutation(n).astype((dtype or _dtype.int64).np), requires_grad)


def rand_like(input: Tensor, *, dtype: _dtype.dtype | None = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None, layout: Any = None) -> Tensor:
    """`rand` with the shape (and by default the dtype) of `input`."""
    return rand(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype: _dtype.dtype | None = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None, layout: Any = None) -> Tensor:
    """`randn` with the shape (and by default the dtype) of `input`."""
    return randn(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int, high: int | None = None, *, dtype: _dtype.dtype | None = None,
                 device: Any = None, requires_grad: bool = False, memory_format: Any = None,
                 layout: Any = None) -> Tensor:
    """`randint` with the shape (and by default the dtype) of `input`."""
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype, device=device,
                   requires_grad=requires_grad)
