"""Tensor creation: from data, filled, ranges, random sampling, and in-place fills.

dtype inference follows torch: Python floats give the default dtype, Python ints
int64, bools bool; numpy arrays and tensors keep their dtype.

Random values come from numpy's PCG64 (see random.py), so they differ from torch's
streams; distributions, shapes, dtypes, errors and reproducibility under a seed match.
Sampling is not differentiable: like torch, a result made from inputs that require
grad is attached to the graph with a zero gradient.
"""
from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np

from . import _dtype
from ._device import check_device
from ._ops._common import type_name
from ._ops.inplace import check_inplace, inplace_update
from ._size import Size
from ._tensor import Tensor, _wrap
from .autograd import grad_mode
from .autograd.function import Function
from .random import Generator, rng

__all__ = ["tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full", "zeros_like",
           "ones_like", "empty_like", "full_like", "arange", "linspace", "logspace", "eye", "rand",
           "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like", "bernoulli",
           "normal", "multinomial"]

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
    if grad_mode._enabled and out.requires_grad:
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


# ----- from data -------------------------------------------------------------------------
def tensor(data: Any, *, dtype: _Dtype | None = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A new tensor copying `data` (a number, nested sequence, numpy array or tensor)."""
    check_device(device)
    if isinstance(data, Tensor):
        array = data._array.copy()
    elif isinstance(data, np.ndarray):
        _dtype.from_numpy_dtype(data.dtype)
        array = data.copy()
    else:
        array = _array_from_python(data, dtype)
    if dtype is not None:
        array = array.astype(dtype.np, copy=False)
    return _finish(array, requires_grad)


def _array_from_python(data: Any, dtype: _Dtype | None) -> np.ndarray:
    """An ndarray from Python/numpy scalars and nested sequences, with torch's dtype inference."""
    if isinstance(data, range):
        data = list(data)
    typed = _holds_typed_values(data)
    if typed and isinstance(data, (list, tuple)):
        data = _unwrap_nested(data)
    try:
        array = np.array(data)
    except ValueError:
        _check_nested(data)  # raises torch's message for ragged input
        raise
    if array.dtype == object or array.dtype.kind in "USV":
        _check_nested(data)
        bad = _first_bad_leaf(data)
        if bad is None:
            raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
        raise TypeError(f"new(): invalid data type '{type(bad).__name__}'")
    if array.dtype.kind == "c":
        raise TypeError("minitorch does not support complex tensors")
    if array.dtype == np.uint64 and not typed:  # a Python int above int64's range
        if dtype is None or not dtype.is_floating_point:
            raise ValueError("Overflow when unpacking long long")
        return np.array(data, dtype=np.float64)
    if typed:
        return array.astype(_dtype.from_numpy_dtype(array.dtype).np, copy=False)
    if array.dtype.kind == "f":
        # numpy parsed the Python floats exactly (float64): an explicit dtype is applied to those
        # exact values by the caller, rounding once; only dtype=None rounds to the default dtype
        return array if dtype is not None else array.astype(_dtype.get_default_dtype().np, copy=False)
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    return array


def _holds_typed_values(data: Any) -> bool:
    """True when the leaves are numpy values or tensors, whose own dtype then wins."""
    if isinstance(data, (Tensor, np.ndarray, np.generic)):
        return True
    if isinstance(data, (list, tuple)) and data:
        return _holds_typed_values(data[0])
    return False


def _unwrap_nested(data: Any) -> Any:
    if isinstance(data, Tensor):
        if data._array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return data._array.reshape(())
    if isinstance(data, (list, tuple)):
        return [_unwrap_nested(d) for d in data]
    return data


def _check_nested(data: Any, dim: int = 0) -> None:
    """Raise like torch for ragged nesting: the first sub-sequence whose length disagrees."""
    if not isinstance(data, (list, tuple)) or not data:
        return
    first = data[0]
    for item in data:
        if isinstance(first, (list, tuple)) != isinstance(item, (list, tuple)):
            raise TypeError("not a sequence")
        if isinstance(first, (list, tuple)) and len(item) != len(first):
            raise ValueError(f"expected sequence of length {len(first)} at dim {dim + 1} (got {len(item)})")
        _check_nested(item, dim + 1)


def _first_bad_leaf(data: Any) -> Any:
    if isinstance(data, (list, tuple)):
        for d in data:
            bad = _first_bad_leaf(d)
            if bad is not None:
                return bad
        return None
    if data is None:
        return None
    return None if isinstance(data, (bool, int, float, np.generic)) else data


def as_tensor(data: Any, dtype: _Dtype | None = None, device: Any = None) -> Tensor:
    """Like `tensor`, but shares memory with a numpy array or tensor whose dtype already matches."""
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype.np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with a numpy array (writes through either are seen by both)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return _wrap(ndarray)


# ----- filled ----------------------------------------------------------------------------
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


def zeros(*sizes: Any, size: Any = None, out: Any = None, dtype: _Dtype | None = None,
          layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given shape."""
    check_device(device)
    dtype = _check_out("zeros", out, dtype)
    return _finish(np.zeros(_shape(sizes, size, "zeros"), dtype=_np_dtype(dtype)), requires_grad, out)


def ones(*sizes: Any, size: Any = None, out: Any = None, dtype: _Dtype | None = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given shape."""
    check_device(device)
    dtype = _check_out("ones", out, dtype)
    return _finish(np.ones(_shape(sizes, size, "ones"), dtype=_np_dtype(dtype)), requires_grad, out)


def empty(*sizes: Any, size: Any = None, out: Any = None, dtype: _Dtype | None = None,
          layout: Any = None, device: Any = None, requires_grad: bool = False,
          pin_memory: bool = False, memory_format: Any = None) -> Tensor:
    """An uninitialised tensor of the given shape."""
    check_device(device)
    dtype = _check_out("empty", out, dtype)
    return _finish(np.empty(_shape(sizes, size, "empty"), dtype=_np_dtype(dtype)), requires_grad, out)


def full(size: Sequence[int], fill_value: Any, *, out: Any = None, dtype: _Dtype | None = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape `size` filled with `fill_value` (dtype inferred from the value, like torch)."""
    check_device(device)
    dtype = _check_out("full", out, dtype)
    if not isinstance(size, (tuple, list, Size)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if dtype is None:
        dtype = _dtype.result_type(fill_value)
    return _finish(np.full(_size_args((size,), "full"), fill_value, dtype=dtype.np), requires_grad, out)


def _like(fn: Any) -> Any:
    def like(input: Tensor, *, dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False, memory_format: Any = None) -> Tensor:
        return fn(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)
    like.__name__ = like.__qualname__ = fn.__name__ + "_like"
    like.__doc__ = f"`{fn.__name__}` with the shape (and by default the dtype) of `input`."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input: Tensor, fill_value: Any, *, dtype: _Dtype | None = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """`full` with the shape (and by default the dtype) of `input`."""
    return full(input.shape, fill_value, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)



# ----- Tensor.new_*: made like self (its dtype), not like the arguments ---------------------
def new_tensor(self: Tensor, data: Any, *, dtype: _Dtype | None = None, device: Any = None,
               requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> Tensor:
    """A copy of `data` as a new leaf tensor, of self's dtype unless `dtype` is given."""
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                      "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
    return tensor(data, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)


def _new(fn: Any) -> Any:
    def new(self: Tensor, *sizes: Any, size: Any = None, dtype: _Dtype | None = None, device: Any = None,
            requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> Tensor:
        return fn(*sizes, size=size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)
    new.__name__ = new.__qualname__ = "new_" + fn.__name__
    new.__doc__ = f"`{fn.__name__}(*size)` of self's dtype unless `dtype` is given: size as ints or one sequence."
    return new


new_zeros, new_ones, new_empty = _new(zeros), _new(ones), _new(empty)


def new_full(self: Tensor, size: Sequence[int], fill_value: Any, *, dtype: _Dtype | None = None,
             device: Any = None, requires_grad: bool = False, layout: Any = None,
             pin_memory: bool = False) -> Tensor:
    """A tensor of shape `size` filled with `fill_value`, of self's dtype unless `dtype` is given."""
    if not isinstance(size, (tuple, list, Size)):
        raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    return full(size, fill_value, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)


# ----- ranges ----------------------------------------------------------------------------
def _number(v: Any) -> Any:
    return v.item() if isinstance(v, Tensor) else v


def arange(start: Any, end: Any = None, step: Any = 1, *, out: Any = None, dtype: _Dtype | None = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Values start, start+step, ... stopping before end.

    int64 when all arguments are integers, else the default float dtype. The length is
    ceil((end - start) / step); for an integer dtype the arguments are truncated to
    integers first, as torch does.
    """
    check_device(device)
    dtype = _check_out("arange", out, dtype)
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    if dtype is None:
        dtype = _dtype.result_type(start, end, step)
    if dtype is _dtype.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if not all(math.isfinite(v) for v in (start, end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not dtype.is_floating_point:
        if int(step) == 0:  # a fractional step truncated to zero: torch reports this as a ValueError
            raise ValueError(f"step must be nonzero (step {step} truncates to 0 for {dtype})")
        start, end, step = int(start), int(end), int(step)
    if (end - start) * step < 0:
        raise RuntimeError(f"upper bound and lower bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    if dtype.is_floating_point:
        n = math.ceil((end - start) / step)
        array = start + np.arange(n, dtype=np.float64) * step  # in float64, then rounded once
    else:
        n = -((start - end) // step)
        array = start + np.arange(n, dtype=np.int64) * step
    return _finish(array.astype(dtype.np), requires_grad, out)


def _check_steps(steps: Any, name: str) -> int:
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        raise TypeError(f"{name}(): argument 'steps' (position 3) must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError(f"number of steps must be non-negative, got {steps}")
    return int(steps)


def linspace(start: Any, end: Any, steps: int, *, out: Any = None, dtype: _Dtype | None = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from start to end inclusive."""
    check_device(device)
    dtype = _check_out("linspace", out, dtype)
    steps = _check_steps(steps, "linspace")
    array = np.linspace(float(_number(start)), float(_number(end)), steps)
    return _finish(array.astype(_np_dtype(dtype)), requires_grad, out)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, out: Any = None,
             dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """`steps` values base**x for x evenly spaced from start to end inclusive."""
    check_device(device)
    dtype = _check_out("logspace", out, dtype)
    steps = _check_steps(steps, "logspace")
    array = np.power(float(base), np.linspace(float(_number(start)), float(_number(end)), steps))
    return _finish(array.astype(_np_dtype(dtype)), requires_grad, out)


def eye(n: int, m: int | None = None, *, out: Any = None, dtype: _Dtype | None = None,
        layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """An n x m (default n x n) matrix with ones on the diagonal."""
    check_device(device)
    dtype = _check_out("eye", out, dtype)
    for name, value in (("n", n), ("m", m)):
        if value is not None and value < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {value}")
    return _finish(np.eye(n, m, dtype=_np_dtype(dtype)), requires_grad, out)


# ----- random sampling -------------------------------------------------------------------
class _Sample(Function):
    """A random result attached to the graph of its tensor parameters with zero gradient.

    forward(ctx, values, *params): `values` were drawn outside; params are the tensors
    (probabilities, means, ...) they were drawn from.
    """

    @staticmethod
    def forward(ctx, values, *params):
        return values

    @staticmethod
    def backward(ctx, grad):
        zero = zeros_like(grad)
        return (None,) + tuple(zero for _ in ctx.needs_input_grad[1:])


# Named per op, so grad_fn reads like torch's (NormalBackward0, BernoulliBackward0, ...).
class Normal(_Sample):
    pass


class Bernoulli(_Sample):
    pass


def _float_dtype(dtype: _Dtype, kernel: str) -> _Dtype:
    if not dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_dtype_title(dtype)}'")
    return dtype


def _dtype_title(dtype: _Dtype) -> str:
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool", "float16": "Half", "float32": "Float", "float64": "Double"}[dtype.name]


def rand(*sizes: Any, size: Any = None, generator: Generator | None = None, out: Any = None,
         dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Samples uniform on [0, 1) of the given shape."""
    check_device(device)
    dtype = _float_dtype(dtype or _dtype.get_default_dtype(), "check_uniform_bounds")
    values = rng(generator).random(_shape(sizes, size, "rand"))
    return _finish(values.astype(dtype.np), requires_grad)


def randn(*sizes: Any, size: Any = None, generator: Generator | None = None, out: Any = None,
          dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Standard normal samples of the given shape."""
    check_device(device)
    dtype = _float_dtype(dtype or _dtype.get_default_dtype(), "normal_kernel_cpu")
    values = rng(generator).standard_normal(_shape(sizes, size, "randn"))
    return _finish(values.astype(dtype.np), requires_grad)


def _check_int_bounds(low: int, high: int, dtype: _Dtype) -> None:
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if dtype.is_floating_point or dtype is _dtype.bool:
        return
    info = np.iinfo(dtype.np)
    if low < info.min:
        raise RuntimeError(f"from is out of bounds for {dtype.name} (from={low})")
    if high - 1 > info.max:
        raise RuntimeError(f"to - 1 is out of bounds for {dtype.name} (to={high})")


def randint(low: Any = None, high: Any = None, size: Any = None, *, generator: Generator | None = None,
            out: Any = None, dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:
    """Integers uniform on [low, high) of shape `size`: randint(high, size) or randint(low, high, size).

    int64 unless `dtype` says otherwise.
    """
    check_device(device)
    if low is None:  # torch's signatures make `high` the one bound that must be given
        if high is None:
            raise TypeError("randint() received an invalid combination of arguments: expected "
                            "(int high, tuple of ints size) or (int low, int high, tuple of ints size)")
        low = 0
    if high is None and size is not None:  # randint(high, size)
        low, high = 0, low
    if size is None:
        if isinstance(high, (tuple, list, Size)):
            low, high, size = 0, low, high
        elif high is None:
            raise TypeError("randint() missing 1 required positional argument: \"size\"")
        else:
            raise TypeError(f"randint(): argument 'size' (position 2) must be tuple of ints, not "
                            f"{type(high).__name__}")
    for name, v in (("low", low), ("high", high)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
            raise TypeError(f"randint(): argument '{name}' must be int, not {type(v).__name__}")
    dtype = dtype or _dtype.int64
    _check_int_bounds(int(low), int(high), dtype)
    values = rng(generator).integers(int(low), int(high), size=_size_args((size,), "randint"))
    return _finish(values.astype(dtype.np), requires_grad)


def randperm(n: int, *, generator: Generator | None = None, out: Any = None,
             dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A random permutation of 0..n-1 (int64 unless `dtype` says otherwise)."""
    check_device(device)
    dtype = dtype or _dtype.int64
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    if not dtype.is_floating_point and dtype is not _dtype.bool and n - 1 > np.iinfo(dtype.np).max:
        raise RuntimeError(f"randperm: n={n} values cannot be represented in {dtype}")
    return _finish(rng(generator).permutation(n).astype(dtype.np), requires_grad)


def rand_like(input: Tensor, *, dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """`rand` with the shape (and by default the dtype) of `input`."""
    return rand(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """`randn` with the shape (and by default the dtype) of `input`."""
    return randn(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *, dtype: _Dtype | None = None,
                 layout: Any = None, device: Any = None, requires_grad: bool = False,
                 memory_format: Any = None) -> Tensor:
    """`randint` with the shape (and by default the dtype) of `input`: randint_like(x, high) or (x, low, high)."""
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype, device=device,
                   requires_grad=requires_grad)


def _check_probability(p: float, name: str) -> None:
    if not 0.0 <= p <= 1.0:
        raise RuntimeError(f"{name} expects p to be in [0, 1], but got p={p}")


def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None,
              out: Any = None) -> Tensor:
    """0/1 samples shaped like `input`: 1 with probability input[i] (or with the scalar p if given)."""
    _float_dtype(input.dtype, "bernoulli_tensor_cpu_p_" if p is None else "bernoulli_scalar_cpu_")
    if p is None:
        probs = input._array
        if probs.size and not (np.all(probs >= 0) and np.all(probs <= 1)):
            raise RuntimeError(f"bernoulli expects all probabilities in [0, 1], but got values in "
                               f"[{probs.min()}, {probs.max()}]")
    else:
        _check_probability(p, "bernoulli")
        probs = p
    values = (rng(generator).random(input.shape) < probs).astype(input._array.dtype)
    return Bernoulli.apply(values, input)


def _normal_std_check(std: Any) -> None:
    if isinstance(std, Tensor):
        if std._array.size and not np.all(std._array >= 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def _broadcast_shape(*shapes: tuple) -> tuple:
    """The shape the given shapes broadcast to; RuntimeError naming the clashing sizes if none."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        a, b = shapes
        for dim in range(1, min(len(a), len(b)) + 1):
            if a[-dim] != b[-dim] and 1 not in (a[-dim], b[-dim]):
                raise RuntimeError(f"The size of tensor a ({a[-dim]}) must match the size of tensor b "
                                   f"({b[-dim]}) at non-singleton dimension {max(len(a), len(b)) - dim}") from None
        raise


def normal(mean: Any, std: Any = 1.0, size: Any = None, *, generator: Generator | None = None,
           out: Any = None, dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Normal samples with the given mean and std, in four forms:

    normal(Tensor mean, Tensor std): elementwise, shapes broadcast together;
    normal(Tensor mean, float std) and normal(float mean, Tensor std): the tensor's shape;
    normal(float mean, float std, size): a tensor of shape `size`.
    """
    tensors = [x for x in (mean, std) if isinstance(x, Tensor)]
    _normal_std_check(std)
    if not tensors:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments: with a float "
                            "mean and std, `size` is required")
        check_device(device)
        dtype = _float_dtype(dtype or _dtype.get_default_dtype(), "normal_kernel_cpu")
        values = rng(generator).normal(float(mean), float(std), _size_args((size,), "normal"))
        return _finish(values.astype(dtype.np), requires_grad)
    result = _dtype.result_type(*tensors)
    _float_dtype(result, "normal_kernel_cpu")
    shape = _broadcast_shape(*(t._array.shape for t in tensors))
    mean_v = mean._array if isinstance(mean, Tensor) else mean
    std_v = std._array if isinstance(std, Tensor) else std
    values = (mean_v + std_v * rng(generator).standard_normal(shape)).astype(result.np)
    return Normal.apply(values, *tensors)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None, out: Any = None) -> Tensor:
    """Category indices drawn with probabilities proportional to the rows of `input`.

    input: (C,) or (N, C) non-negative weights; result: (num_samples,) or (N, num_samples), int64.
    Without replacement each category is drawn at most once.
    """
    if input._array.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim, got {input._array.ndim} dims")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_dtype_title(input.dtype)}")
    if num_samples <= 0:
        raise RuntimeError(f"cannot sample n_sample <= 0 samples (got {num_samples})")
    weights = input._array.astype(np.float64)
    weights = weights[None] if weights.ndim == 1 else weights
    categories = weights.shape[1]
    if not replacement and num_samples > categories:
        raise RuntimeError(f"cannot sample n_sample > prob_dist.size(-1) samples without replacement "
                           f"({num_samples} > {categories})")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = weights.sum(axis=1)
    if np.any(totals <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    source = rng(generator)
    if replacement:
        # inverse CDF: where each uniform draw lands among the cumulative weights
        cdf = np.cumsum(weights, axis=1) / totals[:, None]
        u = source.random((weights.shape[0], num_samples))
        result = np.stack([np.searchsorted(row, draws, side="right") for row, draws in zip(cdf, u)])
        result = np.minimum(result, categories - 1)
    else:
        # exponential race: the k smallest Exp(1)/w are a weighted draw without replacement
        with np.errstate(divide="ignore"):
            keys = source.standard_exponential(weights.shape) / weights
        result = np.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    result = result.astype(np.int64)
    return _wrap(result[0] if input._array.ndim == 1 else result)


# ----- in-place fills ---------------------------------------------------------------------
class Fill(_Sample):
    pass


class Zero(_Sample):
    pass


class Uniform(_Sample):
    pass


class Exponential(_Sample):
    pass


class Random(_Sample):
    pass


def _overwrite(self: Tensor, values: Any, node: type = Fill) -> Tensor:
    """Write `values` into self in place; if self is in a graph, its gradient becomes zero."""
    if grad_mode._enabled and self._requires_grad:
        values = np.broadcast_to(np.asarray(values, dtype=self._array.dtype), self._array.shape)
        return inplace_update(self, node.apply(values, self))
    check_inplace(self)
    self._array[...] = values
    self._version_box[0] += 1
    return self


def zero_(self: Tensor) -> Tensor:
    """Fill with zeros in place."""
    return _overwrite(self, 0, Zero)


def fill_(self: Tensor, value: Any) -> Tensor:
    """Fill with `value` (a number or a 0-dim tensor) in place."""
    if isinstance(value, Tensor):
        if value._array.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._array.ndim} dimensions.")
        value = value._array
    return _overwrite(self, value)


def uniform_(self: Tensor, a: float = 0.0, b: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Fill with samples uniform on [a, b) in place."""
    _float_dtype(self.dtype, "check_uniform_bounds")
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    return _overwrite(self, rng(generator).uniform(a, b, self.shape), Uniform)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Fill with normal samples in place."""
    _float_dtype(self.dtype, "normal_kernel_cpu")
    _normal_std_check(std)
    return _overwrite(self, rng(generator).normal(mean, std, self.shape), Normal)


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Fill with exponential samples of rate `lambd` in place."""
    _float_dtype(self.dtype, "exponential_cpu")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    return _overwrite(self, rng(generator).exponential(1.0 / lambd, self.shape), Exponential)


def random_(self: Tensor, from_: int = 0, to: int | None = None, *,
            generator: Generator | None = None) -> Tensor:
    """Fill with integers uniform on [from, to) in place: random_(to), random_(from, to), or random_()
    for [0, 2**mantissa] (floats) / [0, max] (integers)."""
    if to is None and from_ != 0:
        from_, to = 0, from_
    if to is None:
        if self.dtype is _dtype.bool:
            to = 2
        elif self.dtype.is_floating_point:
            to = 2 ** (np.finfo(self._array.dtype).nmant + 1) + 1
        else:
            to = int(np.iinfo(self._array.dtype).max) + 1
    _check_int_bounds(from_, to, self.dtype)
    return _overwrite(self, rng(generator).integers(from_, to, self.shape, dtype=np.int64
                                                    if to <= 2 ** 63 else np.uint64), Random)


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Generator | None = None) -> Tensor:
    """Fill with 0/1 samples in place: 1 with probability p (a number, or a tensor broadcast to self)."""
    if isinstance(p, Tensor):
        probs = np.broadcast_to(p._array, self._array.shape)
    else:
        _check_probability(p, "bernoulli_")
        probs = p
    return _overwrite(self, rng(generator).random(self.shape) < probs, Bernoulli)
