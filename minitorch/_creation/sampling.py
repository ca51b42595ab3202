"""Random sampling (`rand`, `randn`, `randint`, `normal`, `bernoulli`, `multinomial`, ...)
and the in-place fills (`uniform_`, `normal_`, ..., and the plain `zero_` and `fill_`).

Random values come from numpy's PCG64 (see random.py), so they differ from torch's
streams; distributions, shapes, dtypes, errors and reproducibility under a seed match.
Sampling is not differentiable: like torch, a result made from inputs that require
grad is attached to the graph with a zero gradient.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._device import check_device
from .._ops.inplace import check_inplace, inplace_update
from .._size import Size
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function
from ..random import Generator, rng
from ._common import _Dtype, _finish, _shape, _size_args
from .filled import zeros_like

__all__ = ["rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like", "bernoulli",
           "normal", "multinomial"]


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
    if grad_mode._state.enabled and self._requires_grad:
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
