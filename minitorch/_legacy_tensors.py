"""torch's legacy typed tensor classes: `torch.LongTensor([1, 2])`, `isinstance(x, torch.FloatTensor)`.

They are not Tensor subclasses (as in torch): calling one builds a plain Tensor of its dtype with the
legacy constructor's rules, and `isinstance` asks whether a tensor has that dtype.
"""
from __future__ import annotations

from typing import Any

from . import _dtype
from ._device import check_device
from ._tensor import Tensor, _legacy_array


class _LegacyTensorType(type):
    dtype: _dtype.dtype

    def __call__(cls, *args: Any, device: Any = None) -> Tensor:
        check_device(device)
        out = Tensor()
        out._array = _legacy_array(cls.dtype, args)
        return out

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def _legacy_type(name: str, dtype: _dtype.dtype) -> type:
    return _LegacyTensorType(name, (), {"dtype": dtype, "__doc__": f"Legacy constructor of {dtype} tensors."})


FloatTensor = _legacy_type("FloatTensor", _dtype.float32)
DoubleTensor = _legacy_type("DoubleTensor", _dtype.float64)
HalfTensor = _legacy_type("HalfTensor", _dtype.float16)
LongTensor = _legacy_type("LongTensor", _dtype.int64)
IntTensor = _legacy_type("IntTensor", _dtype.int32)
ShortTensor = _legacy_type("ShortTensor", _dtype.int16)
CharTensor = _legacy_type("CharTensor", _dtype.int8)
ByteTensor = _legacy_type("ByteTensor", _dtype.uint8)
BoolTensor = _legacy_type("BoolTensor", _dtype.bool)

# 'torch.FloatTensor' -> float32, ...: the names Tensor.type() reads and prints
LEGACY_TYPE_NAMES = {f"torch.{t.__name__}": t.dtype for t in (FloatTensor, DoubleTensor, HalfTensor, LongTensor,
                                                                IntTensor, ShortTensor, CharTensor, ByteTensor,
                                                                BoolTensor)}
