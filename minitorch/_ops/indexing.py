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

import math
from typing import Any, Sequence

import numpy as np

from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import array_of, broadcast_shape, needs_grad, renamed
from .inplace import check_inplace, inplace_update, writes_out

__all__ = ["index_select", "masked_select", "masked_fill", "index_add", "index_fill", "index_copy", "index_put",
           "take", "put", "nonzero", "argwhere"]


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
        try:  # value must broadcast *to* the target (not both ways)
            fits = np.broadcast_shapes(value._array.shape, tuple(target)) == tuple(target)
        except ValueError:
            fits = False
        if not fits:
            if not _leading_ones_match(value._array.shape, tuple(target)):
                raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot be "
                                   f"broadcast to indexing result of shape {list(target)}") from None
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


# ----- selecting along a dimension ----------------------------------------------------
def _vector_index(index: Tensor, op: str) -> np.ndarray:
    """The index of index_select/index_add/...: a 0-d or 1-D int32/int64 tensor, as a 1-D array."""
    a = index._array
    if a.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"{op}(): Expected dtype int32 or int64 for index")
    if a.ndim > 1:
        raise IndexError(f"{op}(): Index is supposed to be a vector")
    return a.reshape(-1)


def first_out_of_range(index: np.ndarray, n: int, allow_negative: bool) -> int | None:
    """The first entry of `index` outside [0, n) (or [-n, n) when negative entries count from the end)."""
    low = -n if allow_negative else 0
    bad = (index < low) | (index >= n)
    return int(index[bad][0]) if bad.any() else None


def _dim_key(dim: int, index: np.ndarray) -> tuple:
    """The key that applies `index` (already range-checked) along the wrapped `dim`."""
    return (slice(None),) * dim + (index,)


def _dim_size(input: Tensor, dim: int) -> tuple[int, int]:
    """(wrapped dim, its size); a 0-d tensor counts as one entry along dim 0."""
    d = wrap_dim(dim, input.ndim)
    return d, input._array.shape[d] if input.ndim else 1


@writes_out(dtype_rule="same", message="index_select(): self and result must have the same scalar type")
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries of `input` at positions `index` (1-D) along `dim`; that dim gets len(index).

    Unlike `input[index]`, negative positions are errors, as in torch."""
    idx = _vector_index(index, "index_select")
    if input.ndim == 0:  # a scalar counts as one entry along dim 0
        if idx.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)")
        return index_select(input.reshape(1), dim, index.reshape(1)).reshape(())
    d, n = _dim_size(input, dim)
    bad = first_out_of_range(idx, n, allow_negative=False)
    if bad is not None:  # the class follows the kernel torch's CPU code picks for this dim
        if input.ndim >= 2 and d == 1:
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={n}")
        raise IndexError("index out of range in self")
    return read_at(input, _dim_key(d, idx))


@writes_out(dtype_rule="same")
def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
    """A copy of input with alpha * source[i] added at position index[i] along `dim` (repeats add up)."""
    idx = _vector_index(index, "index_add_")
    _check_source(input, dim, idx, source, "index_add_")
    if input.ndim == 0:
        if idx.size != 1:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        return index_add(input.reshape(1), dim, index.reshape(1), source.reshape(1), alpha=alpha).reshape(())
    d, n = _dim_size(input, dim)
    bad = first_out_of_range(idx, n, allow_negative=False)
    if bad is not None:  # the class follows the kernel torch's CPU code picks for this dim
        if input.ndim >= 2 and d in (0, input.ndim - 1):
            raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
        raise IndexError("index out of range in self")
    return write_at(input, _dim_key(d, idx), source if alpha == 1 else source * alpha, True)


@writes_out(dtype_rule="same")
def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of input with source[i] written at position index[i] along `dim`."""
    idx = _vector_index(index, "index_copy_")
    _check_source(input, dim, idx, source, "index_copy_")
    if input.ndim == 0:
        if idx.size != 1:
            raise IndexError(f"index_copy_(): When source is scalar, index should have one element (got {idx.size})")
        return index_copy(input.reshape(1), dim, index.reshape(1), source.reshape(1)).reshape(())
    d, n = _dim_size(input, dim)
    bad = first_out_of_range(idx, n, allow_negative=False)
    if bad is not None:
        raise IndexError(f"index_copy_(): index {bad} is out of bounds for dimension {d} with size {n}")
    return write_at(input, _dim_key(d, idx), source)


def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """A copy of input with `value` (a number or 0-d tensor) at positions `index` along `dim`.

    Negative positions count from the end here (torch allows them in index_fill only)."""
    _check_scalar_value(value, "index_fill_")
    idx = _vector_index(index, "index_fill_")
    d, n = _dim_size(input, dim)
    bad = first_out_of_range(idx, n, allow_negative=True)
    if bad is not None:
        raise IndexError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    check_fill_value(input, value)
    if input.ndim == 0:
        return write_at(input.reshape(1), (idx,), value).reshape(())
    return write_at(input, _dim_key(d, idx), value)


def _check_source(input: Tensor, dim: int, idx: np.ndarray, source: Tensor, op: str) -> None:
    d = wrap_dim(dim, input.ndim)
    if source.dtype is not input.dtype:
        raise RuntimeError(f"{op}(): self ({SCALAR_NAMES[input.dtype.name]}) and source "
                           f"({SCALAR_NAMES[source.dtype.name]}) must have the same scalar type")
    n = source._array.shape[d] if source.ndim else 1
    if len(idx) != n and op == "index_copy_":  # torch words and classes it differently for index_copy
        raise IndexError(f"{op}(): Number of indices ({len(idx)}) should be equal to source.size(dim) ({n})")
    if len(idx) != n:
        raise RuntimeError(f"{op}(): Number of indices ({len(idx)}) should be equal to source.size(dim): "
                           f"({n}), for dim: {d}")
    expected = input._array.shape[:d] + (n,) + input._array.shape[d + 1:]
    if source.ndim and source._array.shape != expected:
        raise RuntimeError(f"{op}(): Source/destination tensor must have same slice shapes: source "
                           f"{list(source.shape)} but destination {list(input.shape)} at dim {d}")


# the C++ types torch names when a fill value overflows
_FILL_TYPE_NAMES = {"float16": "c10::Half", "float32": "float", "float64": "double", "int64": "int64_t",
                    "int32": "int32_t", "int16": "int16_t", "int8": "int8_t", "uint8": "uint8_t"}


def check_fill_value(input: Tensor, value: Any) -> None:
    """Refuse a fill value that input's dtype cannot hold (numpy would wrap it or store INT64_MIN).

    Like torch: NaN and infinities fit only floats; an integer dtype takes the value's
    range before truncation; uint8 also takes negative Python ints down to -255 (they wrap).
    """
    v = value._array.item() if isinstance(value, Tensor) else value
    dt = input._array.dtype
    if dt == np.bool_ or isinstance(v, bool):
        return
    if dt.kind == "f":
        fits = not math.isfinite(v) or abs(v) <= np.finfo(dt).max
    else:
        info = np.iinfo(dt)
        low = -info.max if dt.kind == "u" and isinstance(v, (int, np.integer)) else info.min
        fits = math.isfinite(v) and low <= v <= info.max
    if not fits:
        raise RuntimeError(f"value cannot be converted to type {_FILL_TYPE_NAMES[dt.name]} without overflow")


def _check_scalar_value(value: Any, op: str) -> None:
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(f"{op} only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")


def index_put(input: Tensor, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of input with input[indices] = values (or += with accumulate, where repeats add up)."""
    _check_put_dtype(input, values)
    key, _, _ = _parse_key(input, tuple(indices))  # index tensors only: numpy's layout is torch's
    return write_at(input, key, values, accumulate)


@writes_out(dtype_rule="same")
def take(input: Tensor, index: Tensor) -> Tensor:
    """input viewed as 1-D, read at `index`; the result has index's shape."""
    if index._array.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {SCALAR_NAMES[index.dtype.name]}")
    _check_flat_index(input, index)
    return read_at(input.reshape(-1), (index._array,))


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of input, viewed as 1-D, with source's entries written (or added) at `index` (negatives count
    from the end); index and source need the same number of elements, any shapes."""
    if index._array.dtype != np.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {SCALAR_NAMES[index.dtype.name]}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{SCALAR_NAMES[input.dtype.name]} and source.dtype = {SCALAR_NAMES[source.dtype.name]}")
    if index._array.size != source._array.size:
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {source._array.size}, index.numel() = {index._array.size}")
    _check_flat_index(input, index)
    flat = write_at(input.reshape(-1), (index._array.reshape(-1),), source.reshape(-1), accumulate)
    return flat.reshape(input.shape)


def _check_flat_index(input: Tensor, index: Tensor) -> None:
    """take/put address input's entries in order, counting negatives from the end."""
    n = input._array.size
    bad = first_out_of_range(index._array.reshape(-1), n, allow_negative=True)
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")


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
    shape = broadcast_shape(mask._array.shape, input._array.shape)  # (torch names the mask first)
    m = np.broadcast_to(mask._array, shape)
    return read_at(input.expand(shape), np.nonzero(m))


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of input with `value` (a number or 0-d tensor) wherever the bool mask is True."""
    _check_mask(mask, "masked_fill_ only supports boolean masks, but got mask with dtype {dtype}")
    _check_scalar_value(value, "masked_fill_")
    check_fill_value(input, value)
    shape = broadcast_shape(mask._array.shape, input._array.shape)  # (torch names the mask first)
    if shape != input._array.shape:
        input = input.expand(shape)
    return write_at(input, np.nonzero(np.broadcast_to(mask._array, shape)), value)


def masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """In-place masked_fill; the mask must broadcast to self's shape."""
    if needs_grad(self, value):
        return inplace_update(self, masked_fill(self, mask, value))
    _check_mask(mask, "masked_fill_ only supports boolean masks, but got mask with dtype {dtype}")
    _check_scalar_value(value, "masked_fill_")
    check_fill_value(self, value)
    check_inplace(self)
    # through an array: Python ints that torch wraps (-1 into uint8) or that overflow C long (into bool)
    np.copyto(self._array, np.asarray(array_of(value)).astype(self._array.dtype), where=mask._array,
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
