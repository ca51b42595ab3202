"""What every creation function shares: torch's `out=` argument, size arguments, the default
dtype, and wrapping a finished numpy array as a (possibly requires-grad) tensor."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._ops._common import type_name
from .._size import Size
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode

_Dtype = _dtype.dtype


def _check_out(name: str, out: Any, dtype: _Dtype | None) -> _Dtype | None:
    """The dtype a creation function called with out= produces: out's, which an explicit
    dtype must match (torch's errors). Without out, `dtype` unchanged."""
    if out is None:
        return dtype
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if dtype is not None and dtype is not out.dtype:
        raise RuntimeError(f"dtype {type_name(dtype)} does not match dtype of out parameter "
                           f"({type_name(out.dtype)})")
    if grad_mode._state.enabled and out.requires_grad:
        raise RuntimeError(f"aten::{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    return out.dtype


def _finish(array: np.ndarray, requires_grad: bool, out: Tensor | None = None) -> Tensor:
    if out is not None:  # torch's out=: resized to fit, written, and returned
        out.resize_(array.shape)
        np.copyto(out._array, array, casting="unsafe")
        out._version_box[0] += 1
        return out.requires_grad_(True) if requires_grad else out
    t = _wrap(array)
    if requires_grad:
        if not t.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients, "
                               f"got {t.dtype}")
        t._requires_grad = True
    return t


def _size_args(size: tuple, name: str = "size") -> tuple:
    """Sizes given as ints or as one sequence, validated like torch."""
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"{name}(): argument 'size' must be tuple of ints, but found element of "
                            f"type {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _shape(sizes: tuple, size: Any, name: str) -> tuple:
    # `zeros(2, 3)`, `zeros((2, 3))` and `zeros(size=(2, 3))` are all accepted, like torch.
    if size is not None:
        if sizes:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        sizes = (size,)
    elif not sizes:
        raise TypeError(f"{name}() missing 1 required positional arguments: \"size\"")
    return _size_args(sizes, name)


def _np_dtype(dtype: _Dtype | None) -> np.dtype:
    return (dtype or _dtype.get_default_dtype()).np
