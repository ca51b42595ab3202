"""Indexing, gather and scatter.

Two primitives carry all of it. `Index` reads `a[key]` for a numpy advanced-indexing key
(a copy); `IndexPut` returns a copy of `a` with `values` written at `a[key]`, assigned or
accumulated (so repeated indices add up). Each one's backward is the other:

    out = a[key]                      grad_a = zeros_like(a); grad_a[key] += grad
    out = a.copy(); out[key] = v      grad_a = grad with grad[key] = 0;  grad_v = grad[key]

Basic keys (ints, slices, None, Ellipsis) read through `Slice` instead, a view of `a`.
`__getitem__`, `__setitem__`, gather, scatter, index_select, index_add, masked_fill, ...
only translate their arguments into such a key and call these.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import needs_grad, renamed
from .inplace import check_inplace, inplace_update, writes_out

__all__ = ["index_select", "masked_select", "masked_fill", "index_add", "index_fill", "index_copy", "index_put",
           "take", "nonzero", "argwhere"]


# ----- the three primitives -----------------------------------------------------------
class Index(Function):
    @staticmethod
    def forward(ctx, a, key):
        ctx.key = key
        return a[key]

    @staticmethod
    def backward(ctx, grad):
        shape, dt = ctx.input_shape(0), ctx.input_dtype(0)
        return IndexPut.apply(_wrap(np.zeros(shape, dt)), ctx.key, grad, True), None


class IndexPut(Function):
    @staticmethod
    def forward(ctx, a, key, values, accumulate):
        ctx.key, ctx.accumulate = key, accumulate
        out = a.copy()
        values = np.asarray(values).astype(a.dtype, copy=False)
        if accumulate:
            np.add.at(out, key, values)
        else:
            out[key] = values
        return out

    @staticmethod
    def backward(ctx, grad):
        key = ctx.key
        grad_a = grad_v = None
        if ctx.needs_input_grad[0]:
            grad_a = grad if ctx.accumulate else IndexPut.apply(grad, key, 0, False)
        if ctx.needs_input_grad[2]:
            grad_v = Index.apply(grad, key)
            vshape = ctx.input_shape(2)
            if len(vshape) > grad_v.ndim:  # values may carry extra leading 1s
                grad_v = grad_v.reshape((1,) * (len(vshape) - grad_v.ndim) + tuple(grad_v.shape))
        return grad_a, None, grad_v, None


class Slice(Function):
    """a[key] for a basic key (ints, slices, None, Ellipsis): a view of `a`."""

    view = True

    @staticmethod
    def forward(ctx, a, key):
        ctx.key = key
        return a[key]

    @staticmethod
    def backward(ctx, grad):
        shape, dt = ctx.input_shape(0), ctx.input_dtype(0)
        return IndexPut.apply(_wrap(np.zeros(shape, dt)), ctx.key, grad, False), None


# basic keys whose last effective entry is an int, or None
Select, SliceUnsqueeze = renamed(Slice, "SelectBackward0"), renamed(Slice, "UnsqueezeBackward0")


def read_at(input: Tensor, key: tuple) -> Tensor:
    """input[key] for an advanced-indexing key (a copy)."""
    return Index.apply(input, key)


def write_at(input: Tensor, key: tuple, values: Any, accumulate: bool = False) -> Tensor:
    """A copy of input with values written (or, accumulating, added) at input[key]."""
    return IndexPut.apply(input, key, values, accumulate)


# ----- __getitem__ / __setitem__ ------------------------------------------------------
def _as_index_array(x: Any) -> np.ndarray:
    """An index given as a Tensor, list or ndarray, as an int or bool ndarray."""
    a = x._array if isinstance(x, Tensor) else np.asarray(x)
    if a.dtype.kind == "u" and a.dtype.itemsize == 1:
        return a.astype(bool)  # uint8 index tensors are (deprecated) masks
    if a.dtype.kind not in "biu" and not (a.size == 0 and not isinstance(x, Tensor)):
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return a if a.dtype.kind == "b" else a.astype(np.intp, copy=False)


def _parse_key(input: Tensor, key: Any) -> tuple[tuple, bool]:
    """Turn a torch index into (numpy key, is_advanced).

    Bool masks become the integer arrays of their nonzero positions (numpy's own reading
    of a mask), so every advanced key also works with `np.add.at` in backward.
    """
    if not isinstance(key, tuple):
        key = (key,)
    items: list = []
    advanced = False
    for k in key:
        if k is None or k is Ellipsis or isinstance(k, slice):
            if isinstance(k, slice) and k.step is not None and int(k.step) <= 0:
                raise ValueError("step must be greater than zero")
            items.append(k)
        elif isinstance(k, (bool, np.bool_)):
            items.append(np.asarray(k))
            advanced = True
        elif isinstance(k, (int, np.integer)):
            items.append(int(k))
        elif isinstance(k, Tensor) and k._array.ndim == 0 and k._array.dtype.kind in "iu" \
                and k._array.dtype != np.uint8:
            items.append(int(k._array))
        else:
            items.append(_as_index_array(k))
            advanced = True
    # how many dims each item consumes; an Ellipsis takes whatever is left
    used = sum(1 if isinstance(k, (int, slice)) else k.ndim if isinstance(k, np.ndarray) and k.dtype == bool
               else 1 if isinstance(k, np.ndarray) else 0 for k in items)
    ndim = input._array.ndim
    if used > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    if not advanced:
        if Ellipsis not in items:
            items.append(Ellipsis)  # so that indexing every dim gives a 0-d view, not a scalar
        return tuple(items), False
    out: list = []
    pos = 0
    for k in items:
        if k is Ellipsis:
            pos += ndim - used
            out.append(k)
        elif isinstance(k, np.ndarray) and k.dtype == bool and k.ndim:
            shape = input._array.shape[pos:pos + k.ndim]
            for i, (m, s) in enumerate(zip(k.shape, shape)):
                if m != s:
                    raise IndexError(f"The shape of the mask {list(k.shape)} at index {i} does not match the "
                                     f"shape of the indexed tensor {list(input.shape)} at index {pos + i}")
            out.extend(np.nonzero(k))
            pos += k.ndim
        else:
            pos += k is not None and not (isinstance(k, np.ndarray) and k.dtype == bool)
            out.append(k)
    return tuple(out), True


def _torch_index_error(e: IndexError) -> IndexError:
    return IndexError(str(e).replace("for axis", "for dimension"))


def _basic_view_op(key: tuple) -> type:
    """The Function torch's node name follows for a basic key: that of its last effective entry
    (an int selects, None unsqueezes, a slice slices; `:` and `...` do nothing unless alone)."""
    for k in reversed(key):
        if k is None:
            return SliceUnsqueeze
        if isinstance(k, (int, np.integer)):
            return Select
        if isinstance(k, slice) and k != slice(None):
            return Slice
    return Slice


def __getitem__(self: Tensor, key: Any) -> Tensor:
    """self[key] like torch: basic indexing gives a view; int/bool tensors and lists give a copy."""
    try:
        if type(key) is int:  # the common case first: a view without the parsing
            return Select.apply(self, (key, Ellipsis))
        np_key, advanced = _parse_key(self, key)
        if advanced:
            return read_at(self, np_key)
        return _basic_view_op(np_key).apply(self, np_key)
    except IndexError as e:
        raise _torch_index_error(e) from None


def __setitem__(self: Tensor, key: Any, value: Any) -> None:
    """self[key] = value in place (value broadcast), recorded for autograd like any in-place op."""
    np_key, _ = _parse_key(self, key)
    if isinstance(value, Tensor) and value._array.ndim > 0:
        target = self._array[np_key]
        try:
            np.broadcast_shapes(value._array.shape, np.shape(target))
        except ValueError:
            if not _leading_ones_match(value._array.shape, np.shape(target)):
                raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot be "
                                   f"broadcast to indexing result of shape {list(np.shape(target))}") from None
    try:
        if needs_grad(self, value):
            inplace_update(self, IndexPut.apply(self, np_key, value, False))
            return
        check_inplace(self)
        self._array[np_key] = value._array if isinstance(value, Tensor) else value
        self._version_box[0] += 1
    except IndexError as e:
        raise _torch_index_error(e) from None


def _leading_ones_match(value_shape: tuple, target_shape: tuple) -> bool:
    """True if value_shape is target_shape with extra leading 1s (which torch and numpy accept)."""
    lead = len(value_shape) - len(target_shape)
    return lead > 0 and all(s == 1 for s in value_shape[:lead]) and \
        np.broadcast_shapes(value_shape[lead:], target_shape) == target_shape


# ----- selecting along a dimension ----------------------------------------------------
def _vector_index(index: Tensor, op: str) -> np.ndarray:
    """The index of index_select/index_add/...: a 0-d or 1-D int32/int64 tensor, as a 1-D array."""
    a = index._array
    if a.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"{op}(): Expected dtype int32 or int64 for index")
    if a.ndim > 1:
        raise IndexError(f"{op}(): Index is supposed to be a vector")
    return a.reshape(-1)


def _dim_key(input: Tensor, dim: int, index: np.ndarray) -> tuple[int, tuple]:
    """(wrapped dim, the key that applies `index` along it); IndexError if an index is out of range."""
    d = wrap_dim(dim, input.ndim)
    n = input._array.shape[d] if input.ndim else 1
    if index.size and (index.max() >= n or index.min() < -n):
        raise IndexError("index out of range in self")
    return d, (slice(None),) * d + (index,)


@writes_out(dtype_rule="same", message="index_select(): self and result must have the same scalar type")
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries of `input` at positions `index` (1-D) along `dim`; that dim gets len(index)."""
    _, key = _dim_key(input, dim, _vector_index(index, "index_select"))
    return read_at(input, key)


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
    """A copy of input with alpha * source[i] added at position index[i] along `dim` (repeats add up)."""
    idx = _vector_index(index, "index_add_")
    _check_source(input, dim, idx, source, "index_add_")
    _, key = _dim_key(input, dim, idx)
    return write_at(input, key, source if alpha == 1 else source * alpha, True)


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of input with source[i] written at position index[i] along `dim`."""
    idx = _vector_index(index, "index_copy_")
    _check_source(input, dim, idx, source, "index_copy_")
    _, key = _dim_key(input, dim, idx)
    return write_at(input, key, source)


def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """A copy of input with `value` (a number or 0-d tensor) at positions `index` along `dim`."""
    _check_scalar_value(value, "index_fill_")
    _, key = _dim_key(input, dim, _vector_index(index, "index_fill_"))
    return write_at(input, key, value)


def _check_source(input: Tensor, dim: int, idx: np.ndarray, source: Tensor, op: str) -> None:
    d = wrap_dim(dim, input.ndim)
    if source.dtype is not input.dtype:
        raise RuntimeError(f"{op}(): self ({SCALAR_NAMES[input.dtype.name]}) and source "
                           f"({SCALAR_NAMES[source.dtype.name]}) must have the same scalar type")
    n = source._array.shape[d] if source.ndim else 1
    if len(idx) != n:
        raise RuntimeError(f"{op}(): Number of indices ({len(idx)}) should be equal to source.size(dim): "
                           f"({n}), for dim: {d}")
    expected = input._array.shape[:d] + (n,) + input._array.shape[d + 1:]
    if source.ndim and source._array.shape != expected:
        raise RuntimeError(f"{op}(): Source/destination tensor must have same slice shapes: source "
                           f"{list(source.shape)} but destination {list(input.shape)} at dim {d}")


def _check_scalar_value(value: Any, op: str) -> None:
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(f"{op} only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")


def index_put(input: Tensor, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of input with input[indices] = values (or += with accumulate, where repeats add up)."""
    key, _ = _parse_key(input, tuple(indices))
    return write_at(input, key, values, accumulate)


@writes_out(dtype_rule="same")
def take(input: Tensor, index: Tensor) -> Tensor:
    """input viewed as 1-D, read at `index`; the result has index's shape."""
    if index._array.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {SCALAR_NAMES[index.dtype.name]}")
    n = input._array.size
    a = index._array
    if a.size and (a.max() >= n or a.min() < -n):
        bad = a.max() if a.max() >= n else a.min()
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return read_at(input.reshape(-1), (a,))


# ----- masks --------------------------------------------------------------------------
# the C++ names torch's messages use for dtypes
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char"}
# torch's ScalarType names
SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
                 "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _check_mask(mask: Tensor, message: str) -> None:
    if mask._array.dtype != np.bool_:
        raise RuntimeError(message.format(dtype=_C_NAMES.get(mask.dtype.name, mask.dtype.name)))


@writes_out(dtype_rule="same", message="masked_select(): self and result must have the same scalar type")
def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The 1-D tensor of input's entries where the (broadcast) bool mask is True."""
    _check_mask(mask, "masked_select: expected BoolTensor for mask")
    shape = np.broadcast_shapes(input._array.shape, mask._array.shape)
    m = np.broadcast_to(mask._array, shape)
    return read_at(input.expand(shape), np.nonzero(m))


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of input with `value` (a number or 0-d tensor) wherever the bool mask is True."""
    _check_mask(mask, "masked_fill_ only supports boolean masks, but got mask with dtype {dtype}")
    _check_scalar_value(value, "masked_fill_")
    shape = np.broadcast_shapes(input._array.shape, mask._array.shape)
    if shape != input._array.shape:
        input = input.expand(shape)
    return write_at(input, np.nonzero(np.broadcast_to(mask._array, shape)), value)


def masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """In-place masked_fill; the mask must broadcast to self's shape."""
    if needs_grad(self, value):
        return inplace_update(self, masked_fill(self, mask, value))
    _check_mask(mask, "masked_fill_ only supports boolean masks, but got mask with dtype {dtype}")
    _check_scalar_value(value, "masked_fill_")
    check_inplace(self)
    np.copyto(self._array, value._array if isinstance(value, Tensor) else value, where=mask._array,
              casting="unsafe")
    self._version_box[0] += 1
    return self


# ----- finding nonzero entries --------------------------------------------------------
@writes_out(dtype_rule="same")
def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    """Indices of nonzero entries: an (n, ndim) int64 tensor, or one 1-D tensor per dim if as_tuple."""
    a = input._array
    if as_tuple:
        return tuple(_wrap(i.astype(np.int64, copy=False)) for i in np.nonzero(np.atleast_1d(a)))
    return _wrap(np.argwhere(a).astype(np.int64, copy=False))


def argwhere(input: Tensor) -> Tensor:
    """The (n, ndim) int64 tensor of indices of nonzero entries."""
    return nonzero(input)
