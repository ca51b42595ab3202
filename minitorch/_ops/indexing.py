"""Indexing, gather and scatter.

Two primitives carry all of it. `Index` reads `a[key]` for a numpy advanced-indexing key
(a copy); `IndexPut` returns a copy of `a` with `values` written at `a[key]`, assigned or
accumulated (so repeated indices add up). Each one's backward is the other:

    out = a[key]                      grad_a = zeros_like(a); grad_a[key] += grad
    out = a.copy(); out[key] = v      grad_a = grad with grad[key] = 0;  grad_v = grad[key]

Basic keys (ints, slices, None, Ellipsis) read through `Slice` instead, a view of `a`.
`__getitem__`, `__setitem__`, index_put here, and gather, scatter (scatter.py), index_select,
index_add, take, masked_fill, ... (selection.py) only translate their arguments into such a
key and call these.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._common import needs_grad, renamed
from .inplace import check_inplace, inplace_update

__all__ = ["index_put"]


# ----- the three primitives -----------------------------------------------------------
class Index(Function):
    """a[key] for an advanced-indexing key: a copy; backward adds grad into zeros at key (IndexPut)."""

    @staticmethod
    def forward(ctx, a, key):
        ctx.key = key
        return a[key]

    @staticmethod
    def backward(ctx, grad):
        shape, dt = ctx.input_shape(0), ctx.input_dtype(0)
        return IndexPut.apply(_wrap(np.zeros(shape, dt)), ctx.key, grad, True), None


class IndexPut(Function):
    """A copy of a with values written (or added, if accumulate) at a[key]; backward reads grad at key (Index)."""

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


def _parse_key(input: Tensor, key: Any) -> tuple[tuple, bool, tuple | None]:
    """Turn a torch index into (numpy key, is_advanced, block move).

    Bool masks become the integer arrays of their nonzero positions (numpy's own reading
    of a mask), so every advanced key also works with `np.add.at` in backward. The block
    move is None or (numpy's position, torch's position, length) of the indexed dims'
    block in the result, which differ when ints sit among index tensors (see _block_move).
    """
    if not isinstance(key, tuple):
        key = (key,)
    if sum(k is Ellipsis for k in key) > 1:  # torch lets the first take the free dims, the others none
        first = next(i for i, k in enumerate(key) if k is Ellipsis)
        key = key[:first + 1] + tuple(k for k in key[first + 1:] if k is not Ellipsis)
    items: list = []
    advanced = False
    for k in key:
        if k is None or k is Ellipsis or isinstance(k, slice):
            if isinstance(k, slice) and k.step is not None and int(k.step) <= 0:
                raise ValueError("slice step cannot be zero" if int(k.step) == 0 else "step must be greater than zero")
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
        return tuple(items), False, None
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
    return tuple(out), True, _block_move(items, ndim - used, out)


def _block_move(items: list, ellipsis_dims: int, key: list) -> tuple | None:
    """Where torch and numpy put the block of dims that index arrays produce, if they differ.

    Both put the block where the arrays stand when they are adjacent, else first. numpy
    counts an int among arrays as one more (0-d) array; torch selects with the ints first
    and looks at the arrays alone. So `a[0, :, idx]` puts idx's dims first in numpy (int
    and idx are not adjacent) but after the slice's dim in torch.
    """
    def out_dims(k: Any) -> int:  # dims an entry that is no array leaves in the result
        return ellipsis_dims if k is Ellipsis else int(k is None or isinstance(k, slice))

    def block_start(is_array: list) -> int:
        at = [i for i, a in enumerate(is_array) if a]
        if at[-1] - at[0] + 1 != len(at):
            return 0
        return sum(out_dims(k) for k, a in zip(kept, is_array[:at[0]]) if not a)

    if not any(isinstance(k, int) for k in items):
        return None
    kept = items
    numpy_start = block_start([isinstance(k, (int, np.ndarray)) for k in items])
    kept = [k for k in items if not isinstance(k, int)]
    torch_start = block_start([isinstance(k, np.ndarray) for k in kept])
    length = np.broadcast_shapes(*(np.shape(k) for k in key if isinstance(k, np.ndarray)))
    return (numpy_start, torch_start, len(length)) if numpy_start != torch_start else None


def _move_block(t: Tensor, move: tuple | None, undo: bool = False) -> Tensor:
    """numpy's result layout as torch's (or back, with undo): move the indexed dims' block."""
    if move is None:
        return t
    src, dst, n = move
    if undo:
        src, dst = dst, src
    return t.movedim(tuple(range(src, src + n)), tuple(range(dst, dst + n)))


def _torch_index_error(e: IndexError) -> IndexError:
    return IndexError(str(e).replace("for axis", "for dimension"))


def _basic_view_op(key: tuple) -> type:
    """The Function torch's node name follows for a basic key: that of its last effective entry
    (an int selects, None unsqueezes, a slice slices; `:` and `...` do nothing unless alone)."""
    for k in reversed(key):
        if k is None:
            return SliceUnsqueeze
        kind = type(k)
        if kind is int:  # _parse_key and _basic_key leave ints as Python ints
            return Select
        if kind is slice and k != _WHOLE:
            return Slice
    return Slice


_WHOLE = slice(None)


def _basic_key(key: Any, ndim: int) -> tuple | None:
    """The numpy key of a plain basic key (ints, slices with a positive or no step, None, at
    most one Ellipsis) that fits `ndim` dims, ending in an Ellipsis; None for any other key,
    which _parse_key reads (and refuses with torch's errors)."""
    items = key if type(key) is tuple else (key,)
    used = 0
    ellipsis = False
    for k in items:
        kind = type(k)
        if kind is int:
            used += 1
        elif kind is slice:
            if k.step is not None and not (type(k.step) is int and k.step > 0):
                return None
            used += 1
        elif k is Ellipsis and not ellipsis:
            ellipsis = True
        elif k is not None:
            return None
    if used > ndim:
        return None
    # An Ellipsis at the end makes indexing every dim give a 0-d view, not a numpy scalar.
    return items if ellipsis else items + (Ellipsis,)


def __getitem__(self: Tensor, key: Any) -> Tensor:
    """self[key] like torch: basic indexing gives a view; int/bool tensors and lists give a copy."""
    try:
        if type(key) is int:  # the common case first: a view without the parsing
            return Select.apply(self, (key, Ellipsis))
        np_key = _basic_key(key, self._array.ndim)
        if np_key is not None:  # ints, slices, None, Ellipsis: a view without the general parsing
            return _basic_view_op(np_key).apply(self, np_key)
        np_key, advanced, move = _parse_key(self, key)
        if advanced:
            return _move_block(read_at(self, np_key), move)
        return _basic_view_op(np_key).apply(self, np_key)
    except IndexError as e:
        raise _torch_index_error(e) from None


def __setitem__(self: Tensor, key: Any, value: Any) -> None:
    """self[key] = value in place (value broadcast), recorded for autograd like any in-place op."""
    np_key, advanced, move = _parse_key(self, key)
    if advanced and not (_is_one_mask(key) and isinstance(value, Tensor) and value._array.size == 1):
        _check_put_dtype(self, value)  # x[mask] = one-element tensor is a masked_fill_, which casts
    if isinstance(value, Tensor) and value._array.ndim > 0:
        target = _move_block(_wrap(np.empty(_indexed_shape(self._array, np_key), np.bool_)), move).shape
        _check_value_fits(value, tuple(target))
        if move is not None:
            value = _move_block(value.expand(target), move, undo=True)
    try:
        if needs_grad(self, value):
            inplace_update(self, IndexPut.apply(self, np_key, value, False))
            return
        check_inplace(self)
        self._array[np_key] = value._array if isinstance(value, Tensor) else value
        self._version_box[0] += 1
    except IndexError as e:
        raise _torch_index_error(e) from None


def _indexed_shape(a: np.ndarray, np_key: tuple) -> tuple:
    """The shape of a[np_key]. torch checks the value's shape before the indices' range, so an
    out-of-range index array is replaced by zeros (same shape, same result shape) to find it."""
    try:
        return np.shape(a[np_key])
    except IndexError:
        return np.shape(a[tuple(np.zeros_like(k) if isinstance(k, np.ndarray) else k for k in np_key)])


def _check_value_fits(value: Tensor, target: tuple) -> None:
    """torch's error unless value broadcasts *to* the indexed result's shape (not both ways)."""
    try:
        fits = np.broadcast_shapes(value._array.shape, target) == target
    except ValueError:
        fits = False
    if not fits and not _leading_ones_match(value._array.shape, target):
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot be "
                           f"broadcast to indexing result of shape {list(target)}")


def _is_one_mask(key: Any) -> bool:
    """True for a key that is a single bool mask (a bool tensor or list, alone or in a 1-tuple)."""
    if isinstance(key, tuple) and len(key) == 1:
        key = key[0]
    if isinstance(key, Tensor):
        return key._array.dtype == np.bool_
    return isinstance(key, list) and len(key) > 0 and np.asarray(key).dtype == np.bool_


def _check_put_dtype(self: Tensor, value: Any) -> None:
    """Advanced-index writes take a tensor only of self's dtype (a Python number is converted)."""
    if isinstance(value, Tensor) and value.dtype is not self.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{SCALAR_NAMES[self.dtype.name]} for the destination and "
                           f"{SCALAR_NAMES[value.dtype.name]} for the source.")


def _leading_ones_match(value_shape: tuple, target_shape: tuple) -> bool:
    """True if value_shape is target_shape with extra leading 1s (which torch and numpy accept)."""
    lead = len(value_shape) - len(target_shape)
    return lead > 0 and all(s == 1 for s in value_shape[:lead]) and \
        np.broadcast_shapes(value_shape[lead:], target_shape) == target_shape


def index_put(input: Tensor, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of input with input[indices] = values (or += with accumulate, where repeats add up)."""
    _check_put_dtype(input, values)
    key, _, _ = _parse_key(input, tuple(indices))  # index tensors only: numpy's layout is torch's
    if isinstance(values, Tensor):
        _check_value_fits(values, _indexed_shape(input._array, key))
    return write_at(input, key, values, accumulate)


# ----- checks shared with selection.py and scatter.py ------------------------------------
# torch's ScalarType names
SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
                 "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def first_out_of_range(index: np.ndarray, n: int, allow_negative: bool) -> int | None:
    """The first entry of `index` outside [0, n) (or [-n, n) when negative entries count from the end)."""
    low = -n if allow_negative else 0
    bad = (index < low) | (index >= n)
    return int(index[bad][0]) if bad.any() else None
