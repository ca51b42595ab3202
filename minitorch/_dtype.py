"""dtypes and PyTorch's type-promotion rules.

A `dtype` wraps a numpy dtype. Promotion follows torch, not numpy: an integer
tensor combined with a float32 tensor gives float32 (numpy would say float64), and
Python scalars and zero-dim tensors are "weak": they only raise the result's
*category* (bool < integer < floating), never its width within a category.
"""
from __future__ import annotations

import builtins
from typing import Any, NamedTuple

import numpy as np


class dtype:
    """A tensor element type: `minitorch.float32`, `minitorch.int64`, ..."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category")

    def __init__(self, name: str, np_dtype: Any, category: int):
        self.name = name
        self.np = np.dtype(np_dtype)
        self._category = category  # 0 bool, 1 integer, 2 floating
        self.is_floating_point = category == 2
        self.is_signed = name not in ("uint8", "bool")
        self.itemsize = self.np.itemsize

    @property
    def is_complex(self) -> bool:
        return False

    def to_real(self) -> "dtype":
        return self

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


class layout:
    """How a tensor's elements are laid out in memory; minitorch has only `strided`
    (a dense array with strides), torch's default."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


strided = layout("strided")


bool = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
float16 = dtype("float16", np.float16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)

# torch's aliases
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

ALL_DTYPES = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)
_FROM_NUMPY = {d.np: d for d in ALL_DTYPES}


def _by_name(name: str) -> dtype:
    return next(d for d in ALL_DTYPES if d.name == name)


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """The minitorch dtype of a numpy dtype; TypeError for types torch lacks."""
    try:
        return _FROM_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type {np_dtype}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


_default_dtype = float32


def get_default_dtype() -> dtype:
    """The dtype of new floating tensors (float32 unless changed)."""
    return _default_dtype


def set_default_dtype(d: dtype) -> None:
    """Set the dtype of new floating tensors; only float32 and float64 are allowed."""
    global _default_dtype
    if d not in (float32, float64, float16):
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_dtype = d


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both `a` and `b` convert to without losing their category."""
    if a is b:
        return a
    if a._category != b._category:
        return a if a._category > b._category else b
    if a is uint8 or b is uint8:  # uint8 with a signed int: the signed one, widened past 8 bits
        other = b if a is uint8 else a
        return int16 if other is int8 else other
    return a if a.itemsize >= b.itemsize else b


def _scalar_category(value: Any) -> builtins.int:
    if isinstance(value, (builtins.bool, np.bool_)):
        return 0
    if isinstance(value, (builtins.int, np.integer)):
        return 1
    return 2


def _default_for_category(category: builtins.int) -> dtype:
    return (bool, int64, _default_dtype)[category]


def result_type(*operands: Any) -> dtype:
    """torch.result_type: the dtype of an op over tensors and Python scalars.

    Three priority tiers: tensors with dimensions, zero-dim tensors, Python scalars.
    A lower tier changes the result only if it has a higher category (e.g. a float
    scalar times an int tensor gives the default float dtype).
    """
    dims = zero_dims = None
    scalar_category = -1
    for x in operands:
        if hasattr(x, "_array"):
            d = x.dtype
            if x._array.ndim:
                dims = d if dims is None else promote_types(dims, d)
            else:
                zero_dims = d if zero_dims is None else promote_types(zero_dims, d)
        else:
            scalar_category = max(scalar_category, _scalar_category(x))
    result = dims
    if zero_dims is not None and (result is None or zero_dims._category > result._category):
        result = zero_dims
    if scalar_category >= 0 and (result is None or scalar_category > result._category):
        result = _default_for_category(scalar_category)
    return result


def can_cast(from_: dtype, to: dtype) -> builtins.bool:
    """torch.can_cast: False when the cast would lower the category (float -> int, int -> bool)."""
    return from_._category <= to._category


class finfo(NamedTuple("finfo", [("bits", builtins.int), ("eps", builtins.float), ("max", builtins.float),
                                 ("min", builtins.float), ("tiny", builtins.float),
                                 ("smallest_normal", builtins.float), ("resolution", builtins.float),
                                 ("dtype", builtins.str)])):
    """Machine limits of a floating dtype (torch.finfo); the default dtype when none is given."""

    def __new__(cls, type: dtype | None = None):
        t = type or _default_dtype
        if not t.is_floating_point:
            raise TypeError(f"torch.finfo() requires a floating point input type. Use torch.iinfo "
                            f"to handle '{t}'")
        info = np.finfo(t.np)
        return super().__new__(cls, t.itemsize * 8, builtins.float(info.eps), builtins.float(info.max),
                               builtins.float(info.min), builtins.float(info.tiny),
                               builtins.float(info.smallest_normal),
                               10.0 ** -builtins.int(info.precision),  # decimal digits, as a power of ten
                               t.name)

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
                f"dtype={self.dtype})")


class iinfo(NamedTuple("iinfo", [("bits", builtins.int), ("max", builtins.int), ("min", builtins.int),
                                 ("dtype", builtins.str)])):
    """Machine limits of an integer dtype (torch.iinfo)."""

    def __new__(cls, type: dtype):
        if type.is_floating_point or type is bool:
            raise TypeError(f"{type} is not supported by torch.iinfo")
        info = np.iinfo(type.np)
        return super().__new__(cls, type.itemsize * 8, builtins.int(info.max), builtins.int(info.min), type.name)

    def __repr__(self) -> str:
        return f"iinfo(min={builtins.float(self.min):g}, max={builtins.float(self.max):g}, dtype={self.dtype})"


def cast_array(array: np.ndarray, np_dtype: Any) -> np.ndarray:
    """array.astype(np_dtype) with torch's conversion where numpy's differs: float64 to uint8 goes
    through int64 (numpy's goes through int32, so 3e10 would become 0 instead of its low byte)."""
    if array.dtype == np.float64 and np.dtype(np_dtype) == np.uint8:
        with np.errstate(invalid="ignore"):
            return array.astype(np.int64).astype(np.uint8)
    return array.astype(np_dtype)
