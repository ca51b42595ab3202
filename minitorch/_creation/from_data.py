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
        if dtype is not None and not dtype.is_floating_point and dtype is not _dtype.bool and array.size:
            array = _python_numbers_as_integers(data, array, dtype)
    if dtype is not None:
        array = array.astype(dtype.np, copy=False)
    return _finish(array, requires_grad)


def _python_numbers_as_integers(data: Any, array: np.ndarray, dtype: _Dtype) -> np.ndarray:
    """`array` (numpy's parse of the Python numbers in `data`) converted to the integer `dtype` number
    by number, as torch.tensor does, refusing what the dtype cannot hold (numpy would wrap it).

    torch's rule, applied to each number by its own Python type, also in a list mixing the two: an int
    may lie in [min, max] or, for uint8, down to -255 (it wraps, two's complement); a float must be
    finite and within [min, max] compared as floats (int64's max reads 2**63), and truncates."""
    if array.dtype.kind in "iu":
        return _ints_as(array, dtype)
    if array.dtype.kind != "f":
        return array
    numbers = list(_leaves(data))
    ints = np.array([isinstance(v, (int, np.integer)) for v in numbers], dtype=bool)  # bools are ints too
    int_values = [int(v) for v, i in zip(numbers, ints) if i]
    if any(not -2**63 <= v < 2**63 for v in int_values):  # numpy parsed these as inexact floats
        raise ValueError("Overflow when unpacking long long")
    floats = array.reshape(-1)[~ints]
    info = np.iinfo(dtype.np)
    if (~np.isfinite(floats) | (floats < float(info.min)) | (floats > float(info.max))).any():
        raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
    result = np.empty(len(numbers), dtype.np)
    result[ints] = _ints_as(np.array(int_values, np.int64), dtype)
    with np.errstate(invalid="ignore"):  # 2.0**63 into int64 gives int64's min, as in torch
        result[~ints] = floats.astype(dtype.np)
    return result.reshape(array.shape)


def _ints_as(array: np.ndarray, dtype: _Dtype) -> np.ndarray:
    info = np.iinfo(dtype.np)
    lowest = -int(info.max) if info.min == 0 else int(info.min)
    if ((array < lowest) | (array > info.max)).any():
        raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
    return array.astype(dtype.np)


def _leaves(data: Any):
    """The numbers of a nested sequence (or the number itself), in order."""
    if isinstance(data, (list, tuple)):
        for d in data:
            yield from _leaves(d)
    else:
        yield data


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
        _refuse_like_torch(data, dtype)  # raises torch's message for ragged input
        raise
    if array.dtype == object or array.dtype.kind in "USV":
        _refuse_like_torch(data, dtype)
        return _beyond_int64(data, dtype)  # all numbers: numpy keeps ints beyond 64 bits as objects
    if array.dtype.kind == "c":
        raise TypeError("minitorch does not support complex tensors")
    if array.dtype == np.uint64 and not typed:  # a Python int above int64's range
        return _beyond_int64(data, dtype)
    if typed:
        return array.astype(_dtype.from_numpy_dtype(array.dtype).np, copy=False)
    if array.dtype.kind == "f":
        # numpy parsed the Python floats exactly (float64): an explicit dtype is applied to those
        # exact values by the caller, rounding once; only dtype=None rounds to the default dtype
        return array if dtype is not None else array.astype(_dtype.get_default_dtype().np, copy=False)
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    return array


def _beyond_int64(data: Any, dtype: _Dtype | None) -> np.ndarray:
    """Python numbers with an int outside int64's range: floats (each rounded once) when the dtype is
    floating or bool (nonzero is True) or, without a dtype, when a float is among them; otherwise
    torch's overflow error."""
    floating = dtype.is_floating_point or dtype is _dtype.bool if dtype is not None else \
        any(isinstance(v, float) for v in _leaves(data))
    if not floating:
        raise ValueError("Overflow when unpacking long long")
    array = np.array(data, dtype=np.float64)
    return array if dtype is not None else array.astype(_dtype.get_default_dtype().np, copy=False)


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


_NUMBER = (bool, int, float, complex, np.generic, np.ndarray)  # (0-d arrays: tensors unwrapped)


def _refuse_like_torch(data: Any, dtype: _Dtype | None) -> None:
    """Raise torch's error for `data` that numpy could not read as numbers, in torch's order: a string
    given as data; the sizes, read along the first elements (a string there never ends); without a
    dtype, the type of every leaf; then each item against the sizes and the dtype, in order."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    sizes, first = [], data
    while isinstance(first, (list, tuple, str, bytes)):
        sizes.append(len(first))
        if len(sizes) > 32:
            raise ValueError(f"too many dimensions '{type(first).__name__}'")
        if not first:
            break
        first = first[0]
    kind = _dtype.get_default_dtype() if dtype is None else dtype
    if dtype is None:
        kinds = {type(leaf) for leaf in _inferred_leaves(data)}
        kind = _dtype.int64 if kinds <= {bool, int} and int in kinds else kind
    _check_items(data, sizes, 0, kind)


def _inferred_leaves(data: Any):
    """The leaves of `data` in order, refused as torch's dtype inference refuses them."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if isinstance(data, (list, tuple)):
        for d in data:
            yield from _inferred_leaves(d)
    elif isinstance(data, _NUMBER):
        yield data
    else:
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def _check_items(data: Any, sizes: list, dim: int, dtype: _Dtype) -> None:
    """Each item of `data` against the sizes (ragged nesting) and, at the leaves, `dtype`, in order."""
    if dim == len(sizes):
        if not isinstance(data, _NUMBER):
            raise TypeError(f"must be real number, not {type(data).__name__}" if dtype.is_floating_point else
                            f"'{type(data).__name__}' object cannot be interpreted as an integer")
        return
    if not isinstance(data, (list, tuple, str, bytes)):
        raise TypeError("not a sequence")
    if len(data) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(data)})")
    for item in data:
        _check_items(item, sizes, dim + 1, dtype)


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
