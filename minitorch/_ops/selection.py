"""Selecting by tensors of indices or masks: index_select and its writers, take/put, masks, nonzero.

Each function checks its arguments the way torch does (dtypes, ranges, shapes; messages
naming them), turns them into an indexing key, and reads or writes through indexing.py's
primitives (`read_at`, `write_at`), so the gradients come from there.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import label_node
from ._common import array_of, broadcast_shape, needs_grad, type_name
from .indexing import SCALAR_NAMES, first_out_of_range, read_at, write_at
from .inplace import check_inplace, in_place, inplace_update, writes_out

__all__ = ["index_select", "masked_select", "masked_fill", "masked_scatter", "index_add", "index_fill", "index_copy",
           "take", "put", "nonzero", "argwhere"]


# ----- selecting along a dimension ----------------------------------------------------
def _vector_index(index: Tensor, op: str) -> np.ndarray:
    """The index of index_select/index_add/...: a 0-d or 1-D int32/int64 tensor, as a 1-D array."""
    a = index._array
    if a.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"{op}(): Expected dtype int32 or int64 for index")
    if a.ndim > 1:
        raise IndexError(f"{op}(): Index is supposed to be a vector")
    return a.reshape(-1)


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
    check_fill_dtype(input._array.dtype, value._array.item() if isinstance(value, Tensor) else value)


def check_fill_dtype(dt: np.dtype, v: Any) -> None:
    """`check_fill_value` for an array dtype and a number (also torch.full's and linspace's check)."""
    dt = np.dtype(dt)
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


# ----- the tensor read as 1-D: take and put ------------------------------------------
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


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of input (broadcast with the bool mask) whose masked positions take source's first
    elements in order (row-major); source needs at least as many elements as the mask has Trues."""
    if not isinstance(source, Tensor):
        raise TypeError(f"masked_scatter(): argument 'source' (position 2) must be Tensor, not {type(source).__name__}")
    shape = broadcast_shape(mask._array.shape, input._array.shape)  # (torch names the mask first)
    _check_scatter_source(input, mask, source)
    where = np.nonzero(np.broadcast_to(mask._array, shape))
    if source.numel() < len(where[0]):
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return label_node(write_at(input.expand(shape), where, source.reshape(-1)[:len(where[0])]), "MaskedScatterBackward0")


def _check_scatter_source(input: Tensor, mask: Tensor, source: Tensor) -> None:
    if source.dtype is not input.dtype:
        raise RuntimeError("masked_scatter: expected self and source to have same dtypes but got"
                           f"{type_name(input.dtype)} and {type_name(source.dtype)}")
    if mask._array.dtype != np.bool_:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {type_name(mask.dtype)}")


def masked_scatter_(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """In-place masked_scatter; the mask must broadcast to self's shape."""
    if isinstance(source, Tensor) and source.dtype is not self.dtype:
        _check_scatter_source(self, mask, source)
    mask.expand(self.shape)  # (torch's message when the mask does not broadcast to self)
    return _masked_scatter_in_place(self, mask, source)


_masked_scatter_in_place = in_place(masked_scatter, clone=False)


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
