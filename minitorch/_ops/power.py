"""Powers: input ** exponent with torch's integer and float16 rules, reciprocal and square.

Pow's gradient follows torch's conventions at the edges (0 ** 0, negative bases) and its
groupings, so that float16 overflows where torch's does.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._common import (apply_broadcasting, array_of, as_float, check_broadcastable, not_implemented, promote,
                      zeros_like_grad)
from .compare import _check_number_fits, where
from .inplace import writes_out

__all__ = ["pow", "reciprocal", "square"]


class Pow(Function):
    """a ** b of the promoted operands; `exponent_dtype` is the floating dtype b had before."""

    @staticmethod
    def forward(ctx, a, b, exponent_dtype=None):
        ctx.exponent_dtype = exponent_dtype
        with np.errstate(divide="ignore", invalid="ignore"):
            if isinstance(b, np.ndarray) and b.dtype.kind in "iu" and (b < 0).any():
                out = _int_pow_negative(a, b)
            elif isinstance(b, float) and b in (0.5, -0.5):  # torch takes sqrt, rsqrt: -0.0 gives -0.0, -inf
                out = np.sqrt(a) if b > 0 else np.reciprocal(np.sqrt(a))
            else:
                out = _integer_power(a, int(b)) if _is_small_integer(b) else None
                if out is None:
                    out = np.power(a, b)
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1] else None)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            # b * a**(b-1), taken as 0 where b == 0 even at a == 0
            if isinstance(b, Tensor):
                # torch takes b - 1 in the exponent's own dtype (float16 rounds it)
                b_minus_1 = (b.to(ctx.exponent_dtype) - 1) if ctx.exponent_dtype is not None else b - 1
                grad_a = where(b == 0, 0.0, grad * (b * a ** b_minus_1))
            else:
                # (a bool exponent False is not special-cased by torch: 0 * nan**-1 stays NaN);
                # grouped as torch groups it, so the same products overflow
                grad_a = grad * (b * a ** (b - 1)) if b != 0 or isinstance(b, bool) else zeros_like_grad(grad)
        if ctx.needs_input_grad[1]:
            # a**b * log(a), taken as 0 where a == 0 and b >= 0 (the limit from the right)
            if isinstance(a, Tensor):
                grad_b = where((a == 0) & (b >= 0), 0.0, grad * (out * a.log()))
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    log_a = float(np.log(float(a)))
                grad_b = grad * (out * log_a)
                if a == 0:
                    grad_b = where(b >= 0, 0.0, grad_b)
        return grad_a, grad_b, None


def _is_small_integer(b: Any) -> bool:
    """A Python number exponent with an integer value for _integer_power (|b| <= 64; numpy's own
    pow is already fast for 0, 1, 2 and -1)."""
    return type(b) in (int, float) and -64 <= b <= 64 and b == int(b) and b not in (0, 1, 2, -1)


def _integer_power(a: np.ndarray, n: int) -> np.ndarray | None:
    """a ** n for a float32 or float64 array and an integer n, or None where np.power is the right call.

    numpy's float pow runs a scalar libm call per element (~40 ns: most of a small
    polynomial model's step). torch computes x**3 as x*x*x and x**-2 as 1/(x*x) in the
    tensor's dtype, so those follow it exactly. Other powers of float32 are taken by
    repeated squaring in float64 and rounded once, as close to the true power as torch's
    pow; float64 has no wider type to square in, so it keeps np.power's rounding.
    """
    if a.dtype not in (np.float32, np.float64):
        return None
    if n == 3:
        return a * a * a
    if n == -2:
        return np.reciprocal(a * a)
    if a.dtype != np.float32:
        return None
    base = a.astype(np.float64)
    result = None
    k = builtins.abs(n)
    while True:
        if k & 1:
            result = base.copy() if result is None else np.multiply(result, base, out=result)
        k >>= 1
        if not k:
            break
        np.multiply(base, base, out=base)
    if n < 0:
        np.reciprocal(result, out=result)
    return result.astype(np.float32)


def _int_pow_negative(a: Any, b: np.ndarray) -> np.ndarray:
    """Integer a**b where some b < 0: torch gives 1 for a == 1, +-1 for a == -1, else 0."""
    a = np.asarray(a, dtype=np.result_type(a, b))
    positive = np.power(a, np.maximum(b, 0))
    small = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0))
    return np.where(b < 0, small, positive).astype(positive.dtype)


@writes_out
def pow(input: Any, exponent: Any) -> Tensor:
    """input ** exponent, broadcasting (either may be a Python number)."""
    if isinstance(exponent, Tensor) and type(input) is int and exponent.dtype not in (_dtype.bool, _dtype.float16,
                                                                                     _dtype.float32, _dtype.float64):
        input = int(np.array(input).astype(exponent.dtype.np))  # torch wraps an int base into the integer dtype
    a, b = promote(input, exponent)
    kind = array_of(a if isinstance(a, Tensor) else b).dtype.kind
    if kind == "b":
        check_broadcastable(a, b)  # torch's shape error comes before its dtype error
        if isinstance(b, Tensor):
            raise not_implemented("pow", _dtype.bool)
        return pow(a.byte(), int(b)).bool()  # bool tensor ** bool number: 0/1 integers stay 0/1
    if kind != "f" and isinstance(b, int) and b < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    _check_number_fits(input, exponent)
    own = exponent.dtype if isinstance(exponent, Tensor) and exponent.dtype.is_floating_point else None
    if own is not None and own is (a if isinstance(a, Tensor) else b).dtype:
        own = None  # the exponent was not converted: nothing to remember
    return apply_broadcasting(Pow, a, b, own)


class Reciprocal(Function):
    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore"):
            out = np.reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return -grad * (out * out)  # torch's grouping


@writes_out
def reciprocal(input: Tensor) -> Tensor:
    """1 / input, elementwise, in a float dtype."""
    return Reciprocal.apply(as_float(input))


@writes_out
def square(input: Tensor) -> Tensor:
    """input ** 2 (integers stay integers; bool becomes int64)."""
    return pow(input, 2)
