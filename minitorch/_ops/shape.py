"""Shape and view ops. Views return numpy views of the same buffer (so in-place writes
are shared) and set `view = True` so the output shares its input's version counter."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .. import _dtype
from .._device import check_device
from .._size import Size
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import tensor_method

__all__ = ["view", "reshape", "permute", "transpose", "t", "expand", "unsqueeze", "squeeze", "flatten", "clone"]


def _shape_arg(shape: tuple) -> tuple:
    """Accept f(2, 3) and f((2, 3)) / f([2, 3]) / f(torch.Size([2, 3]))."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Size)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def infer_shape(shape: tuple, numel: int, original: tuple) -> tuple:
    """Resolve one -1 in `shape`; RuntimeError naming both shapes if sizes don't match."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


class View(Function):
    view = True

    @staticmethod
    def forward(ctx, a, shape):
        out = a.view()
        try:
            out.shape = shape  # assigning .shape never copies: it fails if a view is impossible
        except AttributeError:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx._input_meta[0][0]), None


class Reshape(Function):
    @staticmethod
    def forward(ctx, a, shape):
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx._input_meta[0][0]), None


def view(input: Tensor, *shape: Any) -> Tensor:
    """The same data with a new shape (one -1 allowed); never copies."""
    if len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
        return _wrap(input._array.view(shape[0].np))
    shape = infer_shape(_shape_arg(shape), input._array.size, input._array.shape)
    return View.apply(input, shape)


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """A tensor with the same data and a new shape: a view when possible, else a copy."""
    shape = infer_shape(_shape_arg(shape), input._array.size, input._array.shape)
    if input._array.flags.c_contiguous or _can_view(input._array, shape):
        return View.apply(input, shape)
    return Reshape.apply(input, shape)


def _can_view(a: np.ndarray, shape: tuple) -> bool:
    out = a.view()
    try:
        out.shape = shape
        return True
    except AttributeError:
        return False


class Permute(Function):
    view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(tuple(np.argsort(ctx.dims))), None


def permute(input: Tensor, *dims: Any) -> Tensor:
    """A view with dimensions reordered: output dim i is input dim dims[i]."""
    dims = _shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not "
                           f"match the length of the desired ordering of dimensions i.e. input.dim() = "
                           f"{input.ndim} is not equal to len(dims) = {len(dims)}")
    dims = tuple(wrap_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """A view with dimensions dim0 and dim1 swapped."""
    dims = list(range(input.ndim))
    d0, d1 = wrap_dim(dim0, input.ndim), wrap_dim(dim1, input.ndim)
    if input.ndim < 2:
        return View.apply(input, input._array.shape)
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return Permute.apply(input, tuple(dims))


def t(input: Tensor) -> Tensor:
    """Transpose of a tensor with at most 2 dimensions."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return transpose(input, 0, 1) if input.ndim == 2 else input.view(input.shape)


class Expand(Function):
    view = True

    @staticmethod
    def forward(ctx, a, shape):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad, None  # the engine sums over the broadcast dimensions


def expand(input: Tensor, *sizes: Any) -> Tensor:
    """A view broadcasting size-1 dims to `sizes` (-1 keeps a size); no copy."""
    sizes = _shape_arg(sizes)
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise RuntimeError(f"expand({input.type()}{{{list(input.shape)}}}, size={list(sizes)}): the "
                           "number of sizes provided must be greater or equal to the number of "
                           "dimensions in the tensor")
    shape = []
    for i, s in enumerate(sizes):
        own = input._array.shape[i - lead] if i >= lead else 1
        if s == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            s = own
        if own != 1 and own != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({own}) at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                               f"Tensor sizes: {list(input.shape)}")
        shape.append(s)
    return Expand.apply(input, tuple(shape))


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """A view with a size-1 dimension inserted at `dim`."""
    dim = wrap_dim(dim, input.ndim + 1)
    shape = input._array.shape
    return View.apply(input, shape[:dim] + (1,) + shape[dim:])


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    """A view without size-1 dimensions (all, or only those in `dim`)."""
    shape = input._array.shape
    if dim is None:
        dims = range(len(shape))
    elif isinstance(dim, (tuple, list)):
        dims = [wrap_dim(d, input.ndim) for d in dim]
    else:
        dims = [wrap_dim(dim, input.ndim)]
    new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
    return View.apply(input, new)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one (a view when possible)."""
    if input.ndim == 0:
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, input.ndim), wrap_dim(end_dim, input.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input._array.shape
    return reshape(input, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


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
        return a.astype(np_dtype)

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


def _caster(dt: _dtype.dtype) -> Any:
    def cast(self: Tensor, memory_format: Any = None) -> Tensor:
        return to(self, dt)
    return cast


def type_as(input: Tensor, other: Tensor) -> Tensor:
    """The tensor cast to `other`'s dtype."""
    return to(input, other.dtype)


def _type(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
    names = {"torch.FloatTensor": _dtype.float32, "torch.DoubleTensor": _dtype.float64,
             "torch.HalfTensor": _dtype.float16, "torch.LongTensor": _dtype.int64,
             "torch.IntTensor": _dtype.int32, "torch.ShortTensor": _dtype.int16,
             "torch.CharTensor": _dtype.int8, "torch.ByteTensor": _dtype.uint8,
             "torch.BoolTensor": _dtype.bool}
    if dtype is None:
        return next(name for name, d in names.items() if d is self.dtype)
    return to(self, names[dtype] if isinstance(dtype, str) else dtype)


tensor_method(view, reshape, permute, transpose, t, expand, unsqueeze, squeeze, flatten, clone,
              contiguous, to, type_as,
              view_as=lambda self, other: view(self, other.shape),
              reshape_as=lambda self, other: reshape(self, other.shape),
              expand_as=lambda self, other: expand(self, other.shape),
              swapaxes=transpose, swapdims=transpose, type=_type,
              T=property(lambda self: permute(self, tuple(reversed(range(self.ndim))))),
              mT=property(lambda self: transpose(self, -2, -1)),
              float=_caster(_dtype.float32), double=_caster(_dtype.float64), half=_caster(_dtype.float16),
              long=_caster(_dtype.int64), int=_caster(_dtype.int32), short=_caster(_dtype.int16),
              char=_caster(_dtype.int8), byte=_caster(_dtype.uint8), bool=_caster(_dtype.bool),
              cpu=lambda self, memory_format=None: self)
