"""Reductions over dimensions (dim may be None, an int or a tuple), scans and sorting.

A handful of primitives carry the gradients: Sum, Prod, Amax/Amin, Norm, Softmax,
LogSoftmax, Cumsum/Cumprod and "select along a dim" (the values of max/min with a dim,
sort, topk, kthvalue, median, mode are picked from the input by indices, so their
gradient is put back at those indices). mean, var, std, logsumexp, nansum, ... are
compositions of these and the elementwise ops.
"""
from __future__ import annotations

import builtins
import collections
import math
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import normalize_dims, tensor_method, type_name

__all__ = ["sum", "mean", "nansum", "nanmean", "var", "std", "var_mean", "std_mean", "prod",
           "max", "min", "amax", "amin", "aminmax", "argmax", "argmin", "norm", "logsumexp",
           "softmax", "log_softmax", "cumsum", "cumprod", "topk", "kthvalue", "sort", "argsort",
           "median", "mode", "unique", "any", "all", "count_nonzero"]

_py_sum, _py_max = builtins.sum, builtins.max


# ----- named results, printed like torch.return_types ----------------------------------
def _return_type(name: str, fields: str) -> type:
    cls = collections.namedtuple(name, fields)

    def __repr__(self: Any) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{name}(\n{body})"

    cls.__repr__ = __repr__
    cls.__module__ = "minitorch.return_types"
    return cls


_max_t, _min_t = _return_type("max", "values indices"), _return_type("min", "values indices")
_sort_t, _topk_t = _return_type("sort", "values indices"), _return_type("topk", "values indices")
_kth_t, _median_t = _return_type("kthvalue", "values indices"), _return_type("median", "values indices")
_mode_t, _aminmax_t = _return_type("mode", "values indices"), _return_type("aminmax", "min max")


# ----- dims ---------------------------------------------------------------------------
def _dims(dim: Any, ndim: int) -> tuple[int, ...]:
    """Reduced dims as a sorted tuple; None and () mean all dims (a 0-d tensor has none)."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))
    dims = normalize_dims(dim, ndim)
    return dims if ndim else ()


def _one_dim(dim: int, ndim: int) -> int | None:
    """A single dim, wrapped; None for a 0-d tensor (which has nothing to reduce)."""
    dim = wrap_dim(dim, ndim)
    return dim if ndim else None


def _restore_dims(grad: Tensor, dims: tuple, keepdim: bool) -> Tensor:
    """Re-insert the reduced dims as size 1 so that `grad` broadcasts against the input."""
    if keepdim or not dims:
        return grad
    shape = list(grad.shape)
    for d in dims:
        shape.insert(d, 1)
    return grad.reshape(shape)



def _float(input: Tensor) -> Tensor:
    return input if input.dtype.is_floating_point else input.to(_dtype.get_default_dtype())


def _sign(x: Tensor) -> Tensor:
    """sign(x) as a constant: the derivative of |x| (0 at 0, like torch)."""
    return _wrap(np.sign(x._array))


def _const(array: Any, like: Tensor) -> Tensor:
    return _wrap(np.asarray(array, dtype=like._array.dtype))


# ----- sum and mean -------------------------------------------------------------------
class Sum(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        return np.sum(a, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        shape = ctx._input_meta[0][0]
        return _restore_dims(grad, ctx.dims, ctx.keepdim).expand(shape), None, None


class Mean(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        ctx.count = math.prod(a.shape[d] for d in dims)
        return np.asarray(np.mean(a, axis=dims, keepdims=keepdim), dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        shape = ctx._input_meta[0][0]
        return _restore_dims(grad / ctx.count, ctx.dims, ctx.keepdim).expand(shape), None, None


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Sum over `dim` (all dims if None). Integer and bool inputs sum to int64, like torch."""
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    if dtype is not None and dtype is not input.dtype:
        input = input.to(dtype)
    return Sum.apply(input, _dims(dim, input.ndim), keepdim)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Arithmetic mean over `dim` (all dims if None); needs a floating dtype, like torch."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {type_name(input.dtype)}")
    return Mean.apply(input, _dims(dim, input.ndim), keepdim)


class Nansum(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        ctx.save_for_backward(a)
        return np.asarray(np.nansum(a, axis=dims, keepdims=keepdim), dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        # a product with the mask, not a selection, so inf * 0 gives NaN exactly as in torch
        return _restore_dims(grad, ctx.dims, ctx.keepdim) * (a == a), None, None


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Sum over `dim` treating NaN as zero (NaN positions get zero gradient)."""
    if not input.dtype.is_floating_point or (dtype is not None and not dtype.is_floating_point):
        return sum(input, dim, keepdim, dtype=dtype)
    if dtype is not None and dtype is not input.dtype:
        input = input.to(dtype)
    return Nansum.apply(input, _dims(dim, input.ndim), keepdim)


def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Mean over `dim` of the non-NaN elements."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{type_name(input.dtype)}")
    count = sum(input == input, dim, keepdim)
    return nansum(input, dim, keepdim) / count


# ----- variance -----------------------------------------------------------------------
def _correction(dim: Any, unbiased: Any, correction: Any) -> tuple[Any, float]:
    if isinstance(dim, bool):  # the legacy form var(input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise RuntimeError("var/std: cannot specify both `unbiased` and `correction`")
    if correction is None:
        correction = 1 if unbiased is None else int(unbiased)
    return dim, correction


def _variance(ctx: Any, a: np.ndarray, dims: tuple, keepdim: bool, correction: float) -> np.ndarray:
    ctx.dims, ctx.keepdim = dims, keepdim
    ctx.denom = _py_max(math.prod(a.shape[d] for d in dims) - correction, 0)
    # 1/denom as a factor; with no degrees of freedom it is inf, giving inf or nan like torch
    ctx.scale = 1.0 / ctx.denom if ctx.denom else math.inf
    centered = a - np.mean(a, axis=dims, keepdims=True)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.sum(centered * centered, axis=dims, keepdims=keepdim) * ctx.scale, dtype=a.dtype)


class Var(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim, correction):
        ctx.save_for_backward(a)
        return _variance(ctx, a, dims, keepdim, correction)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        centered = a - Mean.apply(a, ctx.dims, True)
        return _restore_dims(grad, ctx.dims, ctx.keepdim) * centered * (2.0 * ctx.scale), None, None, None


class Std(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim, correction):
        out = np.asarray(np.sqrt(_variance(ctx, a, dims, keepdim, correction)))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        # d std / dx = (x - mean) / (denom * std); 0 where std is 0 (a constant slice), like torch
        a, out = ctx.saved_tensors
        o = _restore_dims(out, ctx.dims, ctx.keepdim)
        centered = a - Mean.apply(a, ctx.dims, True)
        g = _restore_dims(grad, ctx.dims, ctx.keepdim) / o.where(o != 0, 1.0)
        return g * centered * ctx.scale, None, None, None


def _var_mean(input: Tensor, dim: Any, unbiased: Any, keepdim: bool, correction: Any,
              with_mean: bool = False, fn: type = Var) -> Any:
    if not input.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dim, correction = _correction(dim, unbiased, correction)
    dims = _dims(dim, input.ndim)
    v = fn.apply(input, dims, keepdim, correction)
    return (v, Mean.apply(input, dims, keepdim)) if with_mean else v


def var(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Variance over `dim`: sum((x - mean)**2) / (N - correction); correction defaults to 1."""
    return _var_mean(input, dim, unbiased, keepdim, correction)


def std(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Standard deviation over `dim`: sqrt(var(...))."""
    return _var_mean(input, dim, unbiased, keepdim, correction, fn=Std)


def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(var, mean) over `dim`, computed together."""
    return _var_mean(input, dim, unbiased, keepdim, correction, with_mean=True)


def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(std, mean) over `dim`, computed together."""
    return _var_mean(input, dim, unbiased, keepdim, correction, with_mean=True, fn=Std)


# ----- product ------------------------------------------------------------------------
class Prod(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        out = np.asarray(np.prod(a, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        g, o = _restore_dims(grad, ctx.dims, ctx.keepdim), _restore_dims(out, ctx.dims, ctx.keepdim)
        zero = a == 0
        if not zero._array.any():
            return g * o / a, None, None
        # d(prod)/dx_i is the product of the others: out / x_i unless x_i is 0; for the one
        # zero in a slice it is the product of the non-zero entries; with two zeros, 0.
        safe = a.where(~zero, 1.0)
        others = Prod.apply(safe, ctx.dims, True)
        single_zero = sum(zero, ctx.dims, keepdim=True) == 1
        return (g * others * single_zero).where(zero, g * o / safe), None, None


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
         dtype: _dtype.dtype | None = None) -> Tensor:
    """Product over `dim` (all elements if None); integer inputs give int64. Exact gradient with zeros."""
    if isinstance(dim, (tuple, list)):
        raise TypeError("prod(): argument 'dim' must be int, not " + type(dim).__name__)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    if dtype is not None and dtype is not input.dtype:
        input = input.to(dtype)
    dims = _dims(dim, input.ndim)
    return Prod.apply(input, dims, keepdim if dim is not None else False)


# ----- extremes -----------------------------------------------------------------------
class Amax(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        out = np.asarray(np.max(a, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        # The gradient is shared evenly among the elements that tie for the extreme.
        a, out = ctx.saved_tensors
        hit = a == _restore_dims(out, ctx.dims, ctx.keepdim)
        share = _restore_dims(grad, ctx.dims, ctx.keepdim) / sum(hit, ctx.dims, keepdim=True)
        return share * hit, None, None


class Amin(Amax):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        out = np.asarray(np.min(a, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(a, out)
        return out


def _check_nonempty(name: str, input: Tensor, dims: tuple, whole: bool) -> None:
    if input.numel() == 0:
        if whole:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        for d in dims:
            if input.shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """Largest value over `dim` (all dims if empty); ties share the gradient evenly."""
    dims = _dims(dim, input.ndim)
    _check_nonempty("amax", input, dims, False)
    return Amax.apply(input, dims, keepdim)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """Smallest value over `dim` (all dims if empty); ties share the gradient evenly."""
    dims = _dims(dim, input.ndim)
    _check_nonempty("amin", input, dims, False)
    return Amin.apply(input, dims, keepdim)


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> Any:
    """(min, max) over `dim` (all elements if None) as a named tuple."""
    dims = _dims(dim, input.ndim)
    _check_nonempty("aminmax", input, dims, dim is None)
    keep = keepdim and dim is not None
    return _aminmax_t(Amin.apply(input, dims, keep), Amax.apply(input, dims, keep))


class _Select(Function):
    """values = input[..., indices, ...] along `dim`: the values of sort/topk/max(dim)/...

    `indices` has the input's shape except along `dim`; with keepdim False (only used
    with one index per slice) the selected dim is dropped. The gradient is placed back
    at the indices, which never repeat within a slice.
    """

    @staticmethod
    def forward(ctx, a, indices, dim, keepdim):
        ctx.indices, ctx.dim, ctx.keepdim = indices, dim, keepdim
        out = np.take_along_axis(a, indices, axis=dim)
        return out if keepdim else np.squeeze(out, dim)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.keepdim:
            grad = grad.unsqueeze(ctx.dim)
        return _Place.apply(grad, ctx.indices, ctx.dim, ctx._input_meta[0][0]), None, None, None


class _Place(Function):
    """zeros(shape) with `values` written at `indices` along `dim` (the adjoint of _Select)."""

    @staticmethod
    def forward(ctx, values, indices, dim, shape):
        ctx.indices, ctx.dim = indices, dim
        out = np.zeros(shape, dtype=values.dtype)
        np.put_along_axis(out, indices, values, axis=dim)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _Select.apply(grad, ctx.indices, ctx.dim, True), None, None, None


# Subclasses only to give each op's grad_fn its torch name (MaxBackward0, SortBackward0, ...).
class Max(_Select):
    pass


class Min(_Select):
    pass


class Sort(_Select):
    pass


class Topk(_Select):
    pass


class Kthvalue(_Select):
    pass


class Median(_Select):
    pass


class Mode(_Select):
    pass


def _select(fn: type, input: Tensor, indices: np.ndarray, dim: int | None, keepdim: bool) -> Tensor:
    """Apply a _Select subclass; a 0-d input (dim None) is its own single element."""
    if dim is None:
        return fn.apply(input.reshape(1), indices.reshape(1), 0, False)
    return fn.apply(input, indices, dim, keepdim)


def _arg_extreme(name: str, np_fn: Any, input: Tensor, dim: int | None, keepdim: bool) -> np.ndarray:
    """Indices of the extreme along `dim` (with the dim kept), or into the flattened input."""
    if input.dtype is _dtype.bool and name.startswith("arg"):
        raise RuntimeError(f"{name}(): does not support bool input")
    a = input._array
    if dim is None:
        if a.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        return np.asarray(np_fn(a.reshape(-1)))
    d = _one_dim(dim, input.ndim)
    if d is None:
        return np.zeros((), dtype=np.int64)
    if a.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return np_fn(a, axis=d, keepdims=True)


def _extreme(name: str, tuple_t: type, fn: type, np_arg: Any, all_reduce: Any, binary: str,
             input: Tensor, dim: Any, keepdim: bool, other: Any) -> Any:
    if isinstance(dim, Tensor) or other is not None:  # max(a, b) is the elementwise maximum
        return getattr(input, binary)(dim if other is None else other)
    if dim is None:
        _check_nonempty(name, input, (), True)
        return all_reduce.apply(input, tuple(range(input.ndim)), False)
    d = _one_dim(dim, input.ndim)
    idx = _arg_extreme(name, np_arg, input, dim, True)
    values = _select(fn, input, idx, d, keepdim)
    indices = idx.astype(np.int64, copy=False)
    if not keepdim and d is not None:
        indices = np.squeeze(indices, d)
    return tuple_t(values, _wrap(indices))


def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Any = None) -> Any:
    """Largest element; with `dim`, a named tuple (values, indices); max(a, b) is maximum(a, b)."""
    return _extreme("max", _max_t, Max, np.argmax, Amax, "maximum", input, dim, keepdim, other)


def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Any = None) -> Any:
    """Smallest element; with `dim`, a named tuple (values, indices); min(a, b) is minimum(a, b)."""
    return _extreme("min", _min_t, Min, np.argmin, Amin, "minimum", input, dim, keepdim, other)


def _arg(name: str, np_fn: Any, input: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    idx = _arg_extreme(name, np_fn, input, dim, keepdim)
    if dim is None:
        idx = idx.reshape((1,) * input.ndim if keepdim else ())
    elif not keepdim and input.ndim:
        idx = np.squeeze(idx, wrap_dim(dim, input.ndim))
    return _wrap(idx.astype(np.int64, copy=False))


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest element along `dim` (into the flattened input if None), int64."""
    return _arg("argmax", np.argmax, input, dim, keepdim)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest element along `dim` (into the flattened input if None), int64."""
    return _arg("argmin", np.argmin, input, dim, keepdim)


# ----- norms --------------------------------------------------------------------------
class Norm(Function):
    @staticmethod
    def forward(ctx, a, p, dims, keepdim):
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        mag = np.abs(a)
        if p == 0:
            out = np.sum(mag != 0, axis=dims, keepdims=keepdim).astype(a.dtype)
        elif p == math.inf:
            out = np.max(mag, axis=dims, keepdims=keepdim)
        elif p == -math.inf:
            out = np.min(mag, axis=dims, keepdims=keepdim)
        elif p == 1:
            out = np.sum(mag, axis=dims, keepdims=keepdim)
        elif p == 2:
            out = np.sqrt(np.sum(a * a, axis=dims, keepdims=keepdim))
        else:
            out = np.sum(mag ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)
        out = np.asarray(out, dtype=a.dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        p = ctx.p
        g, o = _restore_dims(grad, ctx.dims, ctx.keepdim), _restore_dims(out, ctx.dims, ctx.keepdim)
        if p == 0:
            return None, None, None, None
        if p == 1:
            return g * _sign(a), None, None, None
        if math.isinf(p):
            hit = _wrap(np.abs(a._array)) == o
            return g * _sign(a) * hit / sum(hit, ctx.dims, keepdim=True), None, None, None
        # d||x||_p/dx = x |x|^(p-2) / ||x||^(p-1); taken as 0 where x or the norm is 0 (torch's
        # convention), with safe denominators so that double backward sees no NaN.
        safe_o = o.where(o != 0, 1.0)
        if p == 2:
            return g * a / safe_o, None, None, None
        nonzero = a != 0
        safe_mag = (a * _sign(a)).where(nonzero, 1.0)
        return g * a * safe_mag ** (p - 2) / safe_o ** (p - 1), None, None, None


class NuclearNorm(Function):
    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.uvh = u @ vh
        return s.sum(-1).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.unsqueeze(-1).unsqueeze(-1) * _const(ctx.uvh, grad)


def _vector_norm(input: Tensor, p: float, dim: Any, keepdim: bool) -> Tensor:
    return Norm.apply(input, float(p), _dims(dim, input.ndim), keepdim)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, out: Any = None,
         dtype: _dtype.dtype | None = None) -> Tensor:
    """The p-norm over `dim` (all elements if None): p a number (incl. inf, -inf, 0), 'fro' or 'nuc'."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {type_name(input.dtype)}")
    if p == "fro" or p is None:
        return _vector_norm(input, 2, dim, keepdim)
    if p == "nuc":
        if dim is None:
            if input.ndim != 2:
                raise RuntimeError(f"linalg.matrix_norm: The input tensor A must have at least 2 "
                                   f"dimensions.") if input.ndim < 2 else \
                    RuntimeError("nuclear norm without dim requires a 2-D input")
            dim = (0, 1)
        if not isinstance(dim, (tuple, list)) or len(dim) != 2:
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dim}")
        d0, d1 = (wrap_dim(d, input.ndim) for d in dim)
        rest = [d for d in range(input.ndim) if d not in (d0, d1)]
        result = NuclearNorm.apply(input.permute(*rest, d0, d1))
        return _restore_dims(result, tuple(sorted((d0, d1))), False) if keepdim else result
    if isinstance(p, str):
        raise RuntimeError(f"norm(): unsupported p '{p}'")
    return _vector_norm(input, p, dim, keepdim)


# ----- log-sum-exp and softmax --------------------------------------------------------
def _shift(a: np.ndarray, dims: tuple) -> np.ndarray:
    """The max over `dims` (kept), with infinities replaced by 0, for overflow-free exp."""
    m = np.max(a, axis=dims, keepdims=True) if a.size else np.zeros((1,) * a.ndim, a.dtype)
    return np.where(np.isfinite(m), m, 0).astype(a.dtype, copy=False)


class LogSumExp(Function):
    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        m = _shift(a, dims)
        with np.errstate(divide="ignore"):  # log(0) = -inf when every element is -inf
            out = np.log(np.sum(np.exp(a - m), axis=dims, keepdims=True)) + m
        if not keepdim:
            out = np.squeeze(out, dims)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        # d/dx logsumexp(x) = softmax(x) = exp(x - logsumexp(x))
        a, out = ctx.saved_tensors
        g, o = _restore_dims(grad, ctx.dims, ctx.keepdim), _restore_dims(out, ctx.dims, ctx.keepdim)
        return g * (a - o).exp(), None, None


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log(sum(exp(input))) over `dim`, computed without overflow; integer inputs give float."""
    input = _float(input)
    return LogSumExp.apply(input, _dims(dim, input.ndim), keepdim)


class Softmax(Function):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = np.asarray(a - _shift(a, dim))  # one buffer, updated in place: large inputs are memory-bound
        np.exp(out, out=out)
        out /= np.sum(out, axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return y * (grad - (grad * y).sum(ctx.dim, keepdim=True)), None


class LogSoftmax(Function):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = np.asarray(a - _shift(a, dim))
        out -= np.log(np.sum(np.exp(out), axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad - y.exp() * grad.sum(ctx.dim, keepdim=True), None


def _softmax_input(name: str, input: Tensor, dim: int, dtype: Any) -> tuple[Tensor, tuple]:
    if dtype is not None:
        input = input.to(dtype)
    d = wrap_dim(dim, input.ndim)
    if not input.dtype.is_floating_point:
        kernel = "lastdim_kernel_impl" if d == input.ndim - 1 or input.ndim == 0 else "kernel_impl"
        raise NotImplementedError(f"\"{name}_{kernel}\" not implemented for '{type_name(input.dtype)}'")
    return input, ((d,) if input.ndim else ())


def softmax(input: Tensor, dim: int, dtype: _dtype.dtype | None = None) -> Tensor:
    """exp(x) / sum(exp(x)) along `dim`, shifted by the max so it never overflows."""
    input, dims = _softmax_input("softmax", input, dim, dtype)
    return Softmax.apply(input, dims)


def log_softmax(input: Tensor, dim: int, dtype: _dtype.dtype | None = None) -> Tensor:
    """x - logsumexp(x) along `dim`, computed stably."""
    input, dims = _softmax_input("log_softmax", input, dim, dtype)
    return LogSoftmax.apply(input, dims)


# ----- scans --------------------------------------------------------------------------
class Cumsum(Function):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return np.cumsum(a, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return _ReverseCumsum.apply(grad, ctx.dim), None


class _ReverseCumsum(Function):
    """out[i] = sum of a[j] for j >= i along dim: the adjoint of cumsum."""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return np.flip(np.cumsum(np.flip(a, dim), axis=dim), dim).copy()

    @staticmethod
    def backward(ctx, grad):
        return Cumsum.apply(grad, ctx.dim), None


class Cumprod(Function):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = np.cumprod(a, axis=dim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        if (a._array != 0).all():
            return _ReverseCumsum.apply(grad * out, ctx.dim) / a, None
        # With zeros, divide-free: grad_i = prod_{k<i} x_k * sum_{j>=i} g_j prod_{i<k<=j} x_k,
        # built from (n, n) matrices of masked inputs. O(n^2), only taken when zeros occur.
        x, g = a.transpose(ctx.dim, -1), grad.transpose(ctx.dim, -1)
        n = x.shape[-1]
        i, k = np.arange(n)[:, None], np.arange(n)[None, :]
        rows = x.unsqueeze(-2)
        after = Cumprod.apply(rows.where(_wrap(k > i), 1.0), x.ndim)     # [i, j] = prod_{i<k<=j} x_k
        before = Prod.apply(rows.where(_wrap(k < i), 1.0), (x.ndim,), False)  # [i] = prod_{k<i} x_k
        tail = (g.unsqueeze(-2) * after * _wrap(k >= i)).sum(-1)
        return (before * tail).transpose(ctx.dim, -1), None


def _scan(fn: type, input: Tensor, dim: int, dtype: Any) -> Tensor:
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    if dtype is not None and dtype is not input.dtype:
        input = input.to(dtype)
    d = wrap_dim(dim, input.ndim)
    if input.ndim == 0:
        return fn.apply(input.reshape(1), 0).reshape(())
    return fn.apply(input, d)


def cumsum(input: Tensor, dim: int, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Running sums along `dim`; integer inputs give int64."""
    return _scan(Cumsum, input, dim, dtype)


def cumprod(input: Tensor, dim: int, *, dtype: _dtype.dtype | None = None) -> Tensor:
    """Running products along `dim`; integer inputs give int64; exact gradient with zeros."""
    return _scan(Cumprod, input, dim, dtype)


# ----- sorting and order statistics ---------------------------------------------------
def _argsort(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable argsort along dim; NaN sorts as the largest value, like torch."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    # Sorting the reversed array ascending and reversing back keeps ties in input order.
    n = a.shape[dim]
    return (n - 1) - np.flip(np.argsort(np.flip(a, dim), axis=dim, kind="stable"), dim)


def _sorted_selection(fn: type, tuple_t: type, input: Tensor, dim: int, descending: bool,
                      start: int, stop: int, keepdim: bool) -> Any:
    """(values, indices) of sorted positions start:stop along dim."""
    d = _one_dim(dim, input.ndim)
    if d is None:
        return tuple_t(input.clone(), _wrap(np.zeros((), dtype=np.int64)))
    idx = _argsort(input._array, d, descending)
    idx = np.take(idx, np.arange(start, stop), axis=d)
    values = fn.apply(input, idx, d, keepdim)
    return tuple_t(values, _wrap(idx if keepdim else np.squeeze(idx, d)))


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Any:
    """Values sorted along `dim` and their original indices (a stable sort)."""
    n = input.shape[wrap_dim(dim, input.ndim)] if input.ndim else 1
    return _sorted_selection(Sort, _sort_t, input, dim, descending, 0, n, True)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
    """The indices that sort `input` along `dim` (stable), int64."""
    d = _one_dim(dim, input.ndim)
    if d is None:
        return _wrap(np.zeros((), dtype=np.int64))
    return _wrap(_argsort(input._array, d, descending))


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
    """The k largest (or smallest) elements along `dim`, in sorted order, with their indices."""
    n = input.shape[wrap_dim(dim, input.ndim)] if input.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    return _sorted_selection(Topk, _topk_t, input, dim, largest, 0, k, True)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """The k-th smallest element along `dim` (k counts from 1) and its index."""
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d] if input.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    return _sorted_selection(Kthvalue, _kth_t, input, dim, False, k - 1, k, keepdim)


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median: of all elements (a value), or along `dim` (values, indices). NaN propagates."""
    if dim is None:
        if input.numel() == 0:
            return _wrap(np.asarray(np.nan, dtype=input._array.dtype))
        return MedianAll.apply(input, tuple(range(input.ndim)), False)
    d = _one_dim(dim, input.ndim)
    if d is None:
        return _median_t(input.clone(), _wrap(np.zeros((), dtype=np.int64)))
    idx = np.expand_dims(_lower_median(input._array, d), d)
    values = Median.apply(input, idx, d, keepdim)
    return _median_t(values, _wrap(idx if keepdim else np.squeeze(idx, d)))


class MedianAll(Amax):
    """The median of all elements; like amax, ties share the gradient evenly."""

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        flat = a.reshape(-1)
        out = np.asarray(flat[_lower_median(flat, 0)])
        ctx.save_for_backward(a, out)
        return out


def _lower_median(a: np.ndarray, dim: int) -> np.ndarray:
    """Index along `dim` of the lower median of each slice, or of its first NaN."""
    order = np.argsort(a, axis=dim, kind="stable")
    idx = np.take(order, (a.shape[dim] - 1) // 2, axis=dim)
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        has_nan = nan.any(axis=dim)
        idx = np.where(has_nan, np.argmax(nan, axis=dim), idx)
    return idx


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
    """The most frequent value along `dim` (smallest on ties) and the index of its last occurrence."""
    d = _one_dim(dim, input.ndim)
    if d is None:
        return _mode_t(input.clone(), _wrap(np.zeros((), dtype=np.int64)))
    rows = np.moveaxis(input._array, d, -1)
    flat = rows.reshape(-1, rows.shape[-1])
    idx = np.empty(flat.shape[0], dtype=np.int64)
    for r, row in enumerate(flat):
        values, counts = np.unique(row, return_counts=True)
        best = values[np.argmax(counts)]
        idx[r] = len(row) - 1 - np.argmax(row[::-1] == best)
    idx = np.expand_dims(idx.reshape(rows.shape[:-1]), d)
    values = Mode.apply(input, idx, d, keepdim)
    return _mode_t(values, _wrap(idx if keepdim else np.squeeze(idx, d)))


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
           dim: int | None = None) -> Any:
    """The distinct elements (or slices along `dim`) in sorted order, optionally with inverse and counts."""
    a = input._array
    axis = None if dim is None else wrap_dim(dim, input.ndim)
    values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=axis)
    inverse = inverse.reshape(a.shape if axis is None else (a.shape[axis],)).astype(np.int64)
    out = (_wrap(values),)
    if return_inverse:
        out += (_wrap(inverse),)
    if return_counts:
        out += (_wrap(counts.astype(np.int64)),)
    return out[0] if len(out) == 1 else out


# ----- logical reductions -------------------------------------------------------------
def _logical_reduce(np_fn: Any, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    a = input._array
    out = np_fn(a, axis=_dims(dim, input.ndim), keepdims=keepdim)
    # torch keeps uint8 for uint8 inputs; everything else gives bool
    return _wrap(np.asarray(out, dtype=np.uint8 if a.dtype == np.uint8 else np.bool_))


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """True where any element along `dim` is non-zero (all dims if None)."""
    return _logical_reduce(np.any, input, dim, keepdim)


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """True where every element along `dim` is non-zero (all dims if None)."""
    return _logical_reduce(np.all, input, dim, keepdim)


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    """The number of non-zero elements along `dim` (all dims if None), int64."""
    return _wrap(np.asarray(np.count_nonzero(input._array, axis=_dims(dim, input.ndim)), dtype=np.int64))


tensor_method(sum, mean, nansum, nanmean, var, std, prod, max, min, amax, amin, aminmax, argmax, argmin,
              norm, logsumexp, softmax, log_softmax, cumsum, cumprod, topk, kthvalue, sort, argsort,
              median, mode, unique, any, all, count_nonzero)
