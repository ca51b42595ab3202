"""Views: reshape, permute/transpose, expand, squeeze/unsqueeze, and in-place shape changes.

A view returns a numpy view of the same buffer, so an in-place write through one is seen
by all; their Functions set `view = True` so the output shares the input's version
counter (and its base remembers how the view was taken: see inplace.py). `reshape` is a
view when the strides allow it, a copy otherwise. Basic slicing (`a[1:]`, narrow, select)
lives in indexing.py with every other `a[key]`; joins and splits in join.py; dtype
conversion in casting.py.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .. import _dtype
from .._size import Size
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import renamed
from .inplace import check_inplace

__all__ = ["view", "reshape", "permute", "transpose", "swapaxes", "swapdims", "t", "movedim", "moveaxis",
           "expand", "broadcast_to", "broadcast_tensors", "broadcast_shapes", "unsqueeze", "squeeze",
           "flatten", "unflatten"]


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
        return grad.reshape(ctx.input_shape(0)), None


class Reshape(Function):
    @staticmethod
    def forward(ctx, a, shape):
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape(0)), None


# torch names squeeze's nodes by overload: all size-1 dims, one dim, a tuple of dims
Unsqueeze = renamed(View, "UnsqueezeBackward0")
Squeeze = tuple(renamed(View, f"SqueezeBackward{i}") for i in range(3))


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
    s, e = wrap_dim(start_dim, input.ndim), wrap_dim(end_dim, input.ndim)  # a 0-d tensor takes dims 0 and -1
    if input.ndim == 0:
        return reshape(input, 1)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input._array.shape
    return reshape(input, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Split dimension `dim` into `sizes` (one -1 allowed): (.., n, ..) -> (.., *sizes, ..)."""
    d = wrap_dim(dim, input.ndim)
    if input.ndim == 0:
        raise RuntimeError(f"unflatten got an unexpected error:\nDimension specified as {dim} but tensor has no "
                           f"dimensions")
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
        repeated = [d for i, d in enumerate(dims) if d in dims[:i]]
        if repeated:
            raise RuntimeError(f"dim {repeated[0]} appears multiple times in the list of dims")
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
        inverse = [0] * len(ctx.dims)  # the permutation that puts each dim back
        for i, d in enumerate(ctx.dims):
            inverse[d] = i
        return grad.permute(tuple(inverse)), None


Transpose, T = renamed(Permute, "TransposeBackward0"), renamed(Permute, "TBackward0")


def permute(input: Tensor, *dims: Any) -> Tensor:
    """A view with dimensions reordered: output dim i is input dim dims[i]."""
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
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
    n = input._array.ndim
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    return T.apply(input, _REVERSED[n])


_REVERSED = {0: (), 1: (0,), 2: (1, 0)}  # t()'s permutation by number of dims


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
    if n == 0:  # dims 0 and -1 of a 0-d tensor are the tensor itself
        return permute(input, ())
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
        # torch's message prints a bool tensor's type as CPUBoolType, its other dtypes' as torch.XTensor
        name = "CPUBoolType" if input.dtype is _dtype.bool else input.type()
        raise RuntimeError(f"expand({name}{{{list(input.shape)}}}, size={list(sizes)}): the "
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
