"""Joins, splits and copies that rearrange elements: cat/stack, split/chunk/unbind, repeat, flip, roll.

split, chunk, unbind and narrow return views (slices of the input, see indexing.Slice);
cat, stack, repeat, tile, flip and roll copy. Each backward undoes the rearrangement:
cat's gradient is split back into pieces, stack's unbound, flip's flipped again.
"""
from __future__ import annotations

import functools
from typing import Any, Sequence

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import normalize_dims
from .inplace import writes_out
from .casting import clone
from .indexing import Select, Slice
from .shape import _shape_arg, unsqueeze

__all__ = ["narrow", "select", "unbind", "chunk", "split", "tensor_split",
           "cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "atleast_1d",
           "atleast_2d", "atleast_3d", "repeat_interleave", "tile", "flip", "fliplr", "flipud", "roll"]


# ----- splitting into views -------------------------------------------------------------
def _dim_key(dim: int, index: Any) -> tuple:
    """The basic key that applies `index` (an int or slice) to dimension `dim`."""
    return (slice(None),) * dim + (index, Ellipsis)


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """A view of `length` elements of dimension `dim` from `start`."""
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if length < 0:  # checked before `dim`, like torch
        raise RuntimeError("narrow(): length must be non-negative.")
    d = wrap_dim(dim, input.ndim)
    n = input._array.shape[d]
    start = int(start)
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    start = start + n if start < 0 else start
    if length < 0 or start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return Slice.apply(input, _dim_key(d, slice(start, start + length)))


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The view at position `index` of dimension `dim`, which is removed."""
    d = wrap_dim(dim, input.ndim)
    n = input._array.shape[d]
    index = int(index)
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} "
                         f"at dimension {dim}")
    return Select.apply(input, _dim_key(d, index))


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices along `dim`, as a tuple of views without that dimension."""
    d = wrap_dim(dim, input.ndim)
    return tuple(Slice.apply(input, _dim_key(d, i)) for i in range(input._array.shape[d]))


def _split_at(input: Tensor, bounds: Sequence[int], d: int) -> tuple[Tensor, ...]:
    """Views of `input` between consecutive offsets in `bounds` along dim `d`."""
    return tuple(Slice.apply(input, _dim_key(d, slice(a, b))) for a, b in zip(bounds, bounds[1:]))


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views of pieces along `dim`: each of size split_size (the last may be smaller), or of the given sizes.

    An empty dim splits into one empty piece, as in torch."""
    if tensor.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, tensor.ndim)
    n = tensor._array.shape[d]
    s = split_size_or_sections
    if isinstance(s, (list, tuple)):
        if any(not isinstance(x, (int, np.integer)) for x in s):
            raise TypeError("split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints")
        if sum(s) != n or any(x < 0 for x in s):
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                               f"size at dimension {d}), but got split_sizes={list(s)}")
        return _split_at(tensor, np.concatenate([[0], np.cumsum(s, dtype=np.int64)]).tolist(), d)
    if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
        raise TypeError(f"split(): argument 'split_size' must be int, not {type(s).__name__}")
    if s < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={s}")
    if s == 0:
        if n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        return (Slice.apply(tensor, _dim_key(d, slice(0, 0))),)
    return _split_at(tensor, list(range(0, n, s)) + [n] if n else [0, 0], d)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into at most `chunks` views of size ceil(n / chunks) along `dim` (the last may be smaller)."""
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input.ndim)
    n = input._array.shape[d]
    return split(input, -(-n // chunks) if n else 0, d) if n else split(input, [0] * chunks, d)


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views split along `dim` into n nearly equal sections, or at the given indices."""
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    d = wrap_dim(dim, input.ndim)
    n = input._array.shape[d]
    sections = indices_or_sections
    if isinstance(sections, Tensor):
        sections = sections.item() if sections.ndim == 0 else sections.tolist()
    if isinstance(sections, (int, np.integer)):
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        size, extra = divmod(n, sections)
        bounds = [0]
        for i in range(sections):
            bounds.append(bounds[-1] + size + (i < extra))
    else:
        bounds = [0] + [int(i) for i in sections] + [n]  # pieces are Python slices between them
    return _split_at(input, bounds, d)


# ----- joining ------------------------------------------------------------------------
class Cat(Function):
    @staticmethod
    def forward(ctx, dim, *arrays):
        # torch's legacy rule: 1-D empty tensors are skipped whatever the others' shapes
        out = np.concatenate([a for a in arrays if a.shape != (0,)] or arrays[:1], axis=dim)
        ctx.dim, ctx.sizes = dim, [a.shape[dim] if a.shape != (0,) else None for a in arrays]
        return out

    @staticmethod
    def backward(ctx, grad):
        pieces = iter(split(grad, [s for s in ctx.sizes if s is not None], ctx.dim))
        return (None,) + tuple(next(pieces) if s is not None else _wrap(np.zeros(0, grad._array.dtype))
                               for s in ctx.sizes)


class Stack(Function):
    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        return np.stack(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + unbind(grad, ctx.dim)


def _same_dtype(tensors: Sequence[Tensor]) -> Sequence[Tensor]:
    """The tensors cast to their promoted dtype (differentiably), as torch.cat and stack do."""
    first = tensors[0]._array.dtype
    if all(t._array.dtype == first for t in tensors):
        return tensors
    dt = functools.reduce(_dtype.promote_types, (t.dtype for t in tensors))
    return [t.to(dt) for t in tensors]


_CAT_DTYPE = "torch.cat(): input types can't be cast to the desired output type {out}"


@writes_out(message=_CAT_DTYPE, error=TypeError)
def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension `dim`; the other sizes must match."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"cat() argument 'tensors' must be tuple of Tensors, not {type(tensors).__name__}")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    kept = [t for t in tensors if t._array.shape != (0,)] or list(tensors[:1])  # see Cat.forward
    for i, t in enumerate(kept):
        if t._array.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # only legacy empty (0,) tensors: torch accepts any dim and returns an empty tensor
    d = 0 if kept[0]._array.shape == (0,) else wrap_dim(dim, kept[0]._array.ndim)
    try:
        return Cat.apply(d, *_same_dtype(tensors))
    except ValueError:  # numpy refused: find the reason in torch's words
        _check_cat_shapes(kept, d)
        raise


def _check_cat_shapes(kept: Sequence[Tensor], d: int) -> None:
    ref = kept[0]._array.shape
    for i, t in enumerate(kept):
        shape = t._array.shape
        if len(shape) != len(ref):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(ref)} and {len(shape)}")
        for k, (a, b) in enumerate(zip(ref, shape)):
            if k != d and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                                   f"{a} but got size {b} for tensor number {i} in the list.")


concat = concatenate = cat


@writes_out(message=_CAT_DTYPE, error=TypeError)
def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join equally shaped tensors along a new dimension `dim`."""
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tensors[0]._array.shape
    for i, t in enumerate(tensors):
        if t._array.shape != ref:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ref)} at entry 0 "
                               f"and {list(t.shape)} at entry {i}")
    d = wrap_dim(dim, len(ref) + 1)
    return Stack.apply(d, *_same_dtype(tensors))


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor viewed with at least 1 dimension (0-d -> shape (1,))."""
    return _atleast(tensors, lambda t: t.reshape(1) if t.ndim == 0 else t)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor viewed with at least 2 dimensions: (n,) -> (1, n)."""
    return _atleast(tensors, lambda t: t.reshape((1,) * (2 - t.ndim) + tuple(t.shape)) if t.ndim < 2 else t)


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor viewed with at least 3 dimensions: (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    def lift(t: Tensor) -> Tensor:
        if t.ndim >= 3:
            return t
        return t.reshape(1, 1, 1) if t.ndim == 0 else (t.reshape(1, -1, 1) if t.ndim == 1 else t.unsqueeze(-1))
    return _atleast(tensors, lift)


def _atleast(tensors: tuple, lift: Any) -> Any:
    if len(tensors) == 1:
        if isinstance(tensors[0], Tensor):
            return lift(tensors[0])
        tensors = tuple(tensors[0])
    return tuple(lift(t) for t in tensors)


@writes_out(message=_CAT_DTYPE, error=TypeError)
def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenate column-wise: along dim 0 for 1-D tensors, else along dim 1."""
    tensors = atleast_1d(tuple(tensors))
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


@writes_out(message=_CAT_DTYPE, error=TypeError)
def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenate row-wise (dim 0) after making every tensor at least 2-D."""
    return cat(atleast_2d(tuple(tensors)), 0)


@writes_out(message=_CAT_DTYPE, error=TypeError)
def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenate depth-wise (dim 2) after making every tensor at least 3-D."""
    return cat(atleast_3d(tuple(tensors)), 2)


# ----- copies that rearrange or repeat elements ---------------------------------------
class Repeat(Function):
    @staticmethod
    def forward(ctx, a, sizes):
        ctx.sizes = sizes
        return np.tile(a, sizes)  # always a copy, like torch

    @staticmethod
    def backward(ctx, grad):
        # (a, b) repeated (r, s) is (r, a, s, b) merged pairwise: sum over the r and s axes
        shape = ctx.input_shape(0)
        sizes = ctx.sizes
        full = (1,) * (len(sizes) - len(shape)) + shape
        split = grad.reshape(tuple(x for r, n in zip(sizes, full) for x in (r, n)))
        return split.sum(dim=tuple(range(0, 2 * len(sizes), 2))).reshape(shape), None


def repeat(input: Tensor, *sizes: Any) -> Tensor:
    """Tile the tensor sizes[i] times along each dim (leading extra sizes add dims)."""
    sizes = _shape_arg(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           "dimensions of tensor")
    shape = (1,) * (len(sizes) - input.ndim) + tuple(input._array.shape)
    target = [n * r for n, r in zip(shape, sizes)]
    if any(t < 0 for t in target):
        bad = next(t for t in target if t < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {target}")
    sizes = tuple(max(r, 0) for r in sizes)  # a negative count of an empty dim is still empty
    return Repeat.apply(input, sizes)


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    """Like repeat, but `dims` shorter than the tensor's rank is padded with leading 1s."""
    dims = tuple(dims)
    return repeat(input, (1,) * (input.ndim - len(dims)) + dims)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Repeat each element `repeats` times (an int, or one count per element) along `dim`.

    With dim=None the input is flattened first. `repeat_interleave(counts)` alone returns
    arange(len(counts)) repeated by counts.
    """
    if repeats is None:
        counts = input._array
        return _wrap(np.repeat(np.arange(len(counts), dtype=counts.dtype), counts))
    if dim is None:
        input, dim = input.reshape(-1), 0
    d = wrap_dim(dim, input.ndim)
    if input.ndim == 0:  # (a dim given: torch indexes the missing dim, or unsqueezes past it)
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions" if isinstance(repeats, Tensor)
                         else f"Dimension out of range (expected to be in range of [-1, 0], but got {d + 1})")
    n = input._array.shape[d]
    if isinstance(repeats, Tensor) and repeats.numel() == 1 and repeats.ndim <= 1 and n != 1:
        repeats = int(repeats.item())
    if isinstance(repeats, Tensor):
        counts = repeats._array.reshape(-1)
        if len(counts) != n:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {len(counts)} and input.size({d}) = {n}")
        if (counts < 0).any():
            raise RuntimeError("repeats can not be negative")
        index = _wrap(np.repeat(np.arange(n), counts))
        return input.index_select(d, index)
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = input._array.shape
    out = unsqueeze(input, d + 1).expand(shape[:d + 1] + (repeats,) + shape[d + 1:])
    out = out.reshape(shape[:d] + (n * repeats,) + shape[d + 1:])
    return clone(out) if repeats == 1 else out  # with one repeat the reshape would still be a view


class Flip(Function):
    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.flip(a, dims).copy(order="C")  # torch's flip copies; numpy's is a view

    @staticmethod
    def backward(ctx, grad):
        return flip(grad, ctx.dims), None


def flip(input: Tensor, *dims: Any) -> Tensor:
    """A copy with the order of elements reversed along `dims` (an int, a sequence, or several ints)."""
    dims = normalize_dims(_shape_arg(dims), input.ndim)
    return Flip.apply(input, dims if input.ndim else ())  # dims 0 and -1 of a 0-d tensor: nothing to flip


def fliplr(input: Tensor) -> Tensor:
    """Reverse the columns (dim 1) of a tensor with at least 2 dims."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input: Tensor) -> Tensor:
    """Reverse the rows (dim 0) of a tensor with at least 1 dim."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


class Roll(Function):
    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(a, shifts, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        return roll(grad, tuple(-s for s in ctx.shifts), ctx.dims), None, None


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """A copy with elements shifted circularly by `shifts` along `dims` (flattened if dims is None)."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return Roll.apply(input, shifts, None)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if input.ndim == 0 and dims:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if input.numel() == 0:  # nothing to move: torch returns a copy without checking `dims`
        return Roll.apply(input, (0,) * input.ndim, tuple(range(input.ndim)))
    return Roll.apply(input, shifts, tuple(wrap_dim(d, input.ndim) for d in dims))
