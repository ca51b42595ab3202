"""Shape and view ops.

Views (view, reshape when possible, permute/transpose, expand, squeeze/unsqueeze, narrow,
select, split/chunk/unbind, basic slicing) return numpy views of the same buffer, so an
in-place write through one is seen by all; their Functions set `view = True` so the
output shares the input's version counter (and its base remembers how the view was
taken). The other ops here (cat, stack, flip, roll, repeat, ...) copy.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Sequence

import numpy as np

from .. import _dtype
from .._device import check_device
from .._size import Size
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import check_inplace, normalize_dims, tensor_method

__all__ = ["view", "reshape", "permute", "transpose", "swapaxes", "swapdims", "t", "movedim", "moveaxis",
           "expand", "broadcast_to", "broadcast_tensors", "broadcast_shapes", "unsqueeze", "squeeze",
           "flatten", "unflatten", "narrow", "select", "unbind", "chunk", "split", "tensor_split",
           "cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "atleast_1d",
           "atleast_2d", "atleast_3d", "repeat_interleave", "tile", "flip", "fliplr", "flipud", "roll",
           "clone"]



def _shape_arg(shape: tuple) -> tuple:
    """Accept f(2, 3) and f((2, 3)) / f([2, 3]) / f(torch.Size([2, 3]))."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Size)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def infer_shape(shape: tuple, numel: int, original: tuple) -> tuple:
    """Resolve one -1 in `shape`; RuntimeError naming both shapes if sizes don't match."""
    if -1 not in shape:
        if math.prod(shape) != numel:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return shape
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    if known == 0 or numel % known:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(numel // known if s == -1 else s for s in shape)


# ----- reshaping ----------------------------------------------------------------------
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


def _renamed(op: type, name: str, suffix: str = "Backward0") -> type:
    """`op` (same forward and backward) under the node name torch gives a particular op."""
    return type(name, (op,), {"_node_suffix": suffix, "__doc__": op.__doc__, "__module__": __name__})


# torch names squeeze's nodes by overload: all size-1 dims, one dim, a tuple of dims
Unsqueeze = _renamed(View, "Unsqueeze")
Squeeze = tuple(_renamed(View, "Squeeze", f"Backward{i}") for i in range(3))


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


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one (a view when possible)."""
    if input.ndim == 0:
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, input.ndim), wrap_dim(end_dim, input.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input._array.shape
    return reshape(input, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Split dimension `dim` into `sizes` (one -1 allowed): (.., n, ..) -> (.., *sizes, ..)."""
    d = wrap_dim(dim, input.ndim)
    n = input._array.shape[d]
    sizes = tuple(int(s) for s in sizes)
    known = math.prod(s for s in sizes if s != -1)
    if (-1 in sizes and (known == 0 or n % known)) or (-1 not in sizes and known != n):
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of "
                           f"dim {dim} ({n}) in the input tensor")
    sizes = infer_shape(sizes, n, (n,))
    shape = input._array.shape
    return reshape(input, shape[:d] + sizes + shape[d + 1:])


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """A view with a size-1 dimension inserted at `dim`."""
    dim = wrap_dim(dim, input.ndim + 1)
    shape = input._array.shape
    return Unsqueeze.apply(input, shape[:dim] + (1,) + shape[dim:])


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    """A view without size-1 dimensions (all, or only those in `dim`, an int or tuple)."""
    shape = input._array.shape
    if dim is None:
        dims, overload = range(len(shape)), 0
    elif isinstance(dim, (tuple, list)):
        dims, overload = [wrap_dim(d, input.ndim) for d in dim], 2
    else:
        dims, overload = [wrap_dim(dim, input.ndim)], 1
    new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
    return Squeeze[overload].apply(input, new)


# ----- reordering dimensions ----------------------------------------------------------
class Permute(Function):
    view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(tuple(np.argsort(ctx.dims).tolist())), None


Transpose, T = _renamed(Permute, "Transpose"), _renamed(Permute, "T")


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
    n = input._array.ndim
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    if n < 2:
        return View.apply(input, input._array.shape)
    dims = list(range(n))
    dims[d0], dims[d1] = d1, d0
    return Transpose.apply(input, tuple(dims))


swapaxes = swapdims = transpose


def t(input: Tensor) -> Tensor:
    """Transpose of a tensor with at most 2 dimensions."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return T.apply(input, tuple(reversed(range(input.ndim))))


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """A view with dims `source` moved to positions `destination`; the others keep their order."""
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) should "
                           f"contain the same number of dims as destination ({dst} dims)")
    n = input.ndim
    src = [wrap_dim(d, n) for d in src]
    dst = [wrap_dim(d, n) for d in dst]
    for name, ds in (("source", src), ("destination", dst)):
        if len(set(ds)) != len(ds):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({ds})")
    order: list = [None] * n
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(n) if d not in src)
    return permute(input, tuple(o if o is not None else next(rest) for o in order))


moveaxis = movedim


# ----- broadcasting -------------------------------------------------------------------
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
    own_shape = input._array.shape
    if sizes == own_shape:
        return View.apply(input, sizes)
    lead = len(sizes) - len(own_shape)
    if lead < 0:
        raise RuntimeError(f"expand({input.type()}{{{list(input.shape)}}}, size={list(sizes)}): the "
                           f"number of sizes provided ({len(sizes)}) must be greater or equal to the "
                           f"number of dimensions in the tensor ({len(own_shape)})")
    shape = [0] * len(sizes)
    for i in reversed(range(len(sizes))):  # torch reports the last mismatching dim
        s = sizes[i]
        own = own_shape[i - lead] if i >= lead else 1
        if s == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            s = own
        if own != 1 and own != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({own}) at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                               f"Tensor sizes: {list(own_shape)}")
        shape[i] = s
    return Expand.apply(input, tuple(shape))


def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    """`input` expanded (as a view) to the shape `size`."""
    return expand(input, tuple(size))


def broadcast_shapes(*shapes: Any) -> Size:
    """The shape that tensors of `shapes` broadcast to; RuntimeError naming the clash."""
    shapes = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for k, s in enumerate(shapes):
        for i, n in enumerate(s, ndim - len(s)):
            if n != 1 and out[i] != n:
                if out[i] != 1:
                    raise RuntimeError(f"The size of tensor a ({out[i]}) must match the size of tensor "
                                       f"b ({n}) at non-singleton dimension {i}")
                out[i] = n
    return Size(out)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors expanded (as views) to their common broadcast shape."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = tuple(broadcast_shapes(*(t._array.shape for t in tensors)))
    return tuple(expand(t, shape) for t in tensors)


# ----- slicing views ------------------------------------------------------------------
class Slice(Function):
    """a[key] for a basic key (ints, slices, None, Ellipsis): a view of `a`."""

    view = True

    @staticmethod
    def forward(ctx, a, key):
        ctx.key = key
        return a[key]

    @staticmethod
    def backward(ctx, grad):
        from .indexing import IndexPut
        shape, dt = ctx._input_meta[0]
        return IndexPut.apply(_wrap(np.zeros(shape, dt)), ctx.key, grad, False), None


# basic keys whose last effective entry is an int, or None
Select, SliceUnsqueeze = _renamed(Slice, "Select"), _renamed(Slice, "Unsqueeze")


def _dim_key(dim: int, index: Any) -> tuple:
    """The basic key that applies `index` (an int or slice) to dimension `dim`."""
    return (slice(None),) * dim + (index, Ellipsis)


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """A view of `length` elements of dimension `dim` from `start`."""
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
    """Views of pieces along `dim`: each of size split_size (the last may be smaller), or of the given sizes."""
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
    return _split_at(tensor, list(range(0, n, s)) + [n], d)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into at most `chunks` views of size ceil(n / chunks) along `dim` (the last may be smaller)."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input.ndim)
    n = input._array.shape[d]
    return split(input, -(-n // chunks) if n else 0, d) if n else split(input, [0] * chunks, d)


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views split along `dim` into n nearly equal sections, or at the given indices."""
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


def cat(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join tensors along an existing dimension `dim`; the other sizes must match."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"cat() argument 'tensors' must be tuple of Tensors, not {type(tensors).__name__}")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    kept = [t for t in tensors if t._array.shape != (0,)] or list(tensors[:1])  # see Cat.forward
    d = wrap_dim(dim, kept[0]._array.ndim)
    try:
        return _into(out, Cat.apply(d, *_same_dtype(tensors)))
    except ValueError:  # numpy refused: find the reason in torch's words
        _check_cat_shapes(kept, d)
        raise


def _check_cat_shapes(kept: Sequence[Tensor], d: int) -> None:
    for i, t in enumerate(kept):
        if t._array.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
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


def _into(out: Tensor | None, result: Tensor) -> Tensor:
    """Support the `out=` keyword by copying the result into `out`."""
    if out is None:
        return result
    out._array = np.ascontiguousarray(result._array, dtype=out._array.dtype)
    return out


def stack(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join equally shaped tensors along a new dimension `dim`."""
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tensors[0]._array.shape
    for i, t in enumerate(tensors):
        if t._array.shape != ref:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ref)} at entry 0 "
                               f"and {list(t.shape)} at entry {i}")
    d = wrap_dim(dim, len(ref) + 1)
    return _into(out, Stack.apply(d, *_same_dtype(tensors)))


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


def hstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate column-wise: along dim 0 for 1-D tensors, else along dim 1."""
    tensors = atleast_1d(tuple(tensors))
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1, out=out)


def vstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate row-wise (dim 0) after making every tensor at least 2-D."""
    return cat(atleast_2d(tuple(tensors)), 0, out=out)


def dstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate depth-wise (dim 2) after making every tensor at least 3-D."""
    return cat(atleast_3d(tuple(tensors)), 2, out=out)


# ----- copies that rearrange or repeat elements ---------------------------------------
class Repeat(Function):
    @staticmethod
    def forward(ctx, a, sizes):
        ctx.sizes = sizes
        return np.tile(a, sizes)  # always a copy, like torch

    @staticmethod
    def backward(ctx, grad):
        # (a, b) repeated (r, s) is (r, a, s, b) merged pairwise: sum over the r and s axes
        shape = ctx._input_meta[0][0]
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
    n = input._array.shape[d] if input.ndim else 1
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
    if input.ndim == 0:
        input = input.reshape(1)
    shape = input._array.shape
    out = unsqueeze(input, d + 1).expand(shape[:d + 1] + (repeats,) + shape[d + 1:])
    out = out.reshape(shape[:d] + (n * repeats,) + shape[d + 1:])
    return clone(out) if repeats == 1 else out  # with one repeat the reshape would still be a view


class Flip(Function):
    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.ascontiguousarray(np.flip(a, dims))  # torch's flip copies; numpy's is a view

    @staticmethod
    def backward(ctx, grad):
        return flip(grad, ctx.dims), None


def flip(input: Tensor, *dims: Any) -> Tensor:
    """A copy with the order of elements reversed along `dims` (an int, a sequence, or several ints)."""
    dims = _shape_arg(dims)
    return Flip.apply(input, normalize_dims(dims, input.ndim))


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
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    return Roll.apply(input, shifts, tuple(wrap_dim(d, input.ndim) for d in dims))


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


# ----- in-place shape changes ---------------------------------------------------------
def _become_view(self: Tensor, result: Tensor) -> Tensor:
    """Make `self` take the shape of `result`, a view of it (unsqueeze_, t_, ...), and its history."""
    check_inplace(self)
    self._array = result._array
    self._version_box[0] += 1
    if self._base is not None:
        self._view_chain = result._view_chain
    if result.grad_fn is not None:
        self.grad_fn, self._output_nr = result.grad_fn, result._output_nr
    return self


def unsqueeze_(self: Tensor, dim: int) -> Tensor:
    """In-place unsqueeze: `self` gains a size-1 dimension at `dim`."""
    return _become_view(self, unsqueeze(self, dim))


def squeeze_(self: Tensor, dim: Any = None) -> Tensor:
    """In-place squeeze: `self` loses its size-1 dimensions (all, or those in `dim`)."""
    return _become_view(self, squeeze(self, dim))


def transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    """In-place transpose: dimensions dim0 and dim1 of `self` are swapped."""
    return _become_view(self, transpose(self, dim0, dim1))


def t_(self: Tensor) -> Tensor:
    """In-place t(): `self` (at most 2-D) is transposed."""
    return _become_view(self, t(self))


def _elements_after(a: np.ndarray) -> int:
    """How many elements of `a`'s buffer lie at or after `a`'s first element."""
    root = a
    while True:  # up to the array owning the memory, also through as_strided's wrapper object
        base = root.base
        base = base if isinstance(base, np.ndarray) or base is None else getattr(base, "base", None)
        if not isinstance(base, np.ndarray):
            break
        root = base
    end = np.lib.array_utils.byte_bounds(root)[1]
    return max(0, (end - a.__array_interface__["data"][0]) // a.itemsize)


def resize_(self: Tensor, *sizes: Any) -> Tensor:
    """Give `self` the shape `sizes` in place, laid row-major over its memory from its first
    element (torch's storage semantics). Shrinking keeps the memory, so growing back finds the
    old values; growing past the buffer moves `self` to a new buffer (zeros after the old
    elements) that views taken earlier no longer share. Not differentiable."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list, Size)):
        sizes = tuple(sizes[0])
    if not all(isinstance(s, (int, np.integer)) for s in sizes):
        bad = next(s for s in sizes if not isinstance(s, (int, np.integer)))
        raise TypeError(f"resize_(): argument 'size' must be tuple of ints, not {type(bad).__name__}")
    shape = tuple(int(s) for s in sizes)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: {list(shape)}")
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    a = self._array
    if shape == a.shape:
        return self
    n = math.prod(shape)
    available = _elements_after(a) if a.size else 0
    if n <= available:
        strides = tuple(math.prod(shape[i + 1:]) * a.itemsize for i in range(len(shape)))
        new = np.lib.stride_tricks.as_strided(a, shape=shape, strides=strides)
    else:
        old = np.lib.stride_tricks.as_strided(a, shape=(available,), strides=(a.itemsize,))
        new = np.zeros(n, dtype=a.dtype)
        new[:available] = old
        new = new.reshape(shape)
    self._array = new
    self._base, self._view_chain = None, ()
    self._version_box[0] += 1
    return self


def resize_as_(self: Tensor, other: Tensor) -> Tensor:
    """resize_ to `other`'s shape."""
    return resize_(self, other.shape)


tensor_method(view, reshape, permute, transpose, t, movedim, moveaxis, expand, broadcast_to, unsqueeze,
              squeeze, flatten, unflatten, narrow, select, unbind, chunk, tensor_split, repeat, tile,
              repeat_interleave, flip, fliplr, flipud, roll, clone, contiguous, to, type_as,
              split=lambda self, split_size, dim=0: split(self, split_size, dim),
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
tensor_method(unsqueeze_, squeeze_, transpose_, t_, resize_, resize_as_, swapaxes_=transpose_,
              swapdims_=transpose_)
