"""torch.tensor's reading of Python data: nested sequences of numbers, with torch's dtype inference,
its conversion number by number, and its errors.

numpy parses the common case (rectangular lists of numbers) in C. What it cannot parse the way torch
reads it (ragged nesting, things that are not numbers, ints beyond 64 bits, which numpy keeps as objects
or turns into floats) goes through torch's own steps, in torch's order, so that the first problem torch
would meet is the one reported:

1. a string given as data is refused (TypeError);
2. the sizes are read along the first elements (a string there never ends: ValueError);
3. without dtype=, the dtype is inferred from every leaf: bool < int64 < the default float, an empty
   sequence counting as a float; a string is a TypeError, any other non-number a RuntimeError;
4. a tensor with no elements is made without looking at the items (torch stores nothing);
5. the items are checked in order against the sizes (ValueError, or TypeError for a number where a
   sequence belongs) and converted to the dtype (TypeError for a non-number; for an integer dtype,
   RuntimeError for a number it cannot hold, ValueError for an int beyond 64 bits).

Integer dtypes take each number by its own Python type, also in a list mixing the two: an int may lie in
[min, max] or, for uint8, down to -255 (it wraps, two's complement); a float must be finite and within
[min, max] compared as floats (int64's max reads 2**63), and truncates.
"""
from __future__ import annotations

from math import prod
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor

_Dtype = _dtype.dtype
_NUMBER = (bool, int, float, np.generic, np.ndarray)  # (0-d arrays: tensors unwrapped)
_MAX_DIMS = 32


def array_from_python(data: Any, dtype: _Dtype | None) -> np.ndarray:
    """The array torch.tensor(data, dtype=dtype) holds: of `dtype`, or the inferred one."""
    if isinstance(data, range):
        data = list(data)
    typed = _holds_typed_values(data)
    if typed and isinstance(data, (list, tuple)):
        data = _unwrap_nested(data)
    try:
        array = np.array(data)
    except ValueError:  # ragged
        return _read_like_torch(data, dtype)
    if array.dtype.kind == "c":
        raise TypeError("minitorch does not support complex tensors")
    if array.dtype == object or array.dtype.kind in "USV" or not typed and _may_hold_huge_ints(array):
        return _read_like_torch(data, dtype)
    if typed:
        array = array.astype(_dtype.from_numpy_dtype(array.dtype).np, copy=False)
    elif array.dtype.kind == "f" and dtype is None:  # numpy parsed the floats exactly: round once
        array = array.astype(_dtype.get_default_dtype().np, copy=False)
    elif array.dtype.kind in "iu":
        array = array.astype(np.int64, copy=False)
    if dtype is None:
        return array
    if _is_integer(dtype) and not typed and array.size:
        return _as_integers(array, list(_leaves(data)) if array.dtype.kind == "f" else None, dtype)
    return array.astype(dtype.np, copy=False)


def _may_hold_huge_ints(array: np.ndarray) -> bool:
    """numpy reads ints beyond int64 as uint64, or as float64 beside a float or a negative int."""
    if array.dtype == np.uint64:
        return True
    if array.dtype.kind != "f" or not array.size:
        return False
    finite = array[np.isfinite(array)]
    return bool(finite.size) and float(np.abs(finite).max()) >= 2.0**63


def _is_integer(dtype: _Dtype) -> bool:
    return not dtype.is_floating_point and dtype is not _dtype.bool


def _as_integers(array: np.ndarray, numbers: list | None, dtype: _Dtype) -> np.ndarray:
    """`array` in the integer `dtype`; `numbers`, when given, are the Python numbers numpy read as
    floats, of which the ints are converted as ints (see the module docstring)."""
    if numbers is None:
        _check_fits(array, "int", dtype)
        return array.astype(dtype.np)
    ints = np.array([isinstance(v, (int, np.integer)) for v in numbers], dtype=bool)  # bools are ints too
    int_values = np.array([int(v) for v, i in zip(numbers, ints) if i], np.int64)
    floats = array.reshape(-1)[~ints]
    _check_fits(int_values, "int", dtype)
    _check_fits(floats, "float", dtype)
    result = np.empty(len(numbers), dtype.np)
    result[ints] = int_values.astype(dtype.np)
    with np.errstate(invalid="ignore"):  # 2.0**63 into int64 gives int64's min, as in torch
        result[~ints] = floats.astype(dtype.np)
    return result.reshape(array.shape)


def _check_fits(values: np.ndarray, kind: str, dtype: _Dtype) -> None:
    info = np.iinfo(dtype.np)
    if kind == "int":
        lowest = -int(info.max) if info.min == 0 else int(info.min)
        bad = (values < lowest) | (values > info.max)
    else:
        bad = ~np.isfinite(values) | (values < float(info.min)) | (values > float(info.max))
    if bad.any():
        raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")


def _read_like_torch(data: Any, dtype: _Dtype | None) -> np.ndarray:
    """torch's five steps (module docstring) for data numpy did not read as torch would."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    sizes, first = [], data
    while isinstance(first, (list, tuple, str, bytes)):
        sizes.append(len(first))
        if len(sizes) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{type(first).__name__}'")
        if not first:
            break
        first = first[0]
    target = _inferred_dtype(data) if dtype is None else dtype
    if prod(sizes) == 0:
        return np.empty(sizes, target.np)
    _check_items(data, sizes, 0, target)
    if _is_integer(target):
        numbers = list(_leaves(data))
        return _as_integers(np.array(numbers, np.float64).reshape(sizes), numbers, target)
    return np.array(data, np.float64 if target.is_floating_point else bool).astype(target.np)


def _inferred_dtype(data: Any) -> _Dtype:
    """torch's inference: bool < int64 < the default float over the leaves; [] counts as a float."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if isinstance(data, (list, tuple)):
        if not data:
            return _dtype.get_default_dtype()
        kinds = [_inferred_dtype(d) for d in data]
        return max(kinds, key=[_dtype.bool, _dtype.int64, _dtype.get_default_dtype()].index)
    if isinstance(data, (bool, np.bool_)):
        return _dtype.bool
    if isinstance(data, (int, np.integer)):
        return _dtype.int64
    if isinstance(data, _NUMBER):
        return _dtype.get_default_dtype()
    raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def _check_items(data: Any, sizes: list, dim: int, dtype: _Dtype) -> None:
    """Each item of `data` against the sizes and, at the leaves, `dtype`, in order (step 5)."""
    if dim == len(sizes):
        if not isinstance(data, _NUMBER):
            raise TypeError(f"must be real number, not {type(data).__name__}" if dtype.is_floating_point else
                            f"'{type(data).__name__}' object cannot be interpreted as an integer")
        if _is_integer(dtype):
            if isinstance(data, (int, np.integer)) and not -2**63 <= int(data) < 2**63:
                raise ValueError("Overflow when unpacking long long")
            _check_fits(np.array([data]), "int" if isinstance(data, (int, np.integer)) else "float", dtype)
        return
    if not isinstance(data, (list, tuple, str, bytes)):
        raise TypeError("not a sequence")
    if len(data) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(data)})")
    for item in data:
        _check_items(item, sizes, dim + 1, dtype)


def _leaves(data: Any):
    """The numbers of a nested sequence (or the number itself), in order."""
    if isinstance(data, (list, tuple)):
        for d in data:
            yield from _leaves(d)
    else:
        yield data


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
