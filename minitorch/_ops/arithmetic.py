"""Arithmetic with broadcasting: + - * / // %, abs, rounding and lerp (** in power.py).

Binary ops first promote their operands to torch's result dtype (see _common.promote);
their backward returns gradients in the broadcast shape and the engine sums them back
to each input's shape.

`Mul` is the README's worked example of a Function: forward on arrays saves what
backward needs, backward on Tensors returns one gradient per input. Rounding and sign
are piecewise constant, so their gradient is zero everywhere (ZeroGrad).
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._common import (ZeroGrad, apply_broadcasting, array_of, check_broadcastable, check_tensor_first,
                      not_implemented, promote, promote_to_float)
from .inplace import writes_out
from .power import pow, reciprocal, square  # noqa: F401 (re-exported with the other arithmetic)

__all__ = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
           "remainder", "fmod", "pow", "neg", "negative", "positive", "abs", "absolute", "reciprocal",
           "square", "sign", "sgn", "floor", "ceil", "trunc", "fix", "frac", "round", "lerp"]


# ----- arithmetic ---------------------------------------------------------------------
class Add(Function):
    wraps_numbers = True

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    wraps_numbers = True

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class Mul(Function):
    wraps_numbers = True

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return _rounded_like(a * b, a)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (grad * b if ctx.needs_input_grad[0] else None,
                grad * a if ctx.needs_input_grad[1] else None)


class Div(Function):
    wraps_numbers = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            if isinstance(a, np.ndarray):
                return _rounded_like(a / b, a)
            # torch.div(number, b) divides by b with the number in b's dtype (number / b is
            # b.reciprocal() * number, in _tensor_methods._rdiv)
            return np.asarray(a, dtype=b.dtype) / b if b.dtype.kind == "f" else a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_b = None
        if ctx.needs_input_grad[1]:  # torch's grouping, so that float16 overflows where torch's does
            grad_b = -grad * (div(a, b) / b)
        return grad / b if ctx.needs_input_grad[0] else None, grad_b


class Neg(Function):
    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad


# Compared on every mul and division: against a dtype object, which is three times faster than
# against the scalar type np.float16 (that comparison converts the type to a dtype first).
_HALF = np.dtype(np.float16)


def _with_scalar_in_float32(a: Any, b: Any) -> tuple[Any, Any]:
    """promote(a, b) for mul and the divisions, except that a single-value `b` (a Python number or
    a 0-d tensor) beside a float16 tensor `a` with a float16 result becomes a 0-d float32 tensor.

    torch's CPU kernels for these ops read such a second operand in their computation type,
    float32 for float16, and round only the result; rounding the value to float16 first would
    be off by up to an ulp (0.1, a float64 0-d tensor) or more (2049 becomes 2048). The forwards
    round the float32 result back with _rounded_like. (add, sub, pow and the others round the
    value to float16 first, as torch does.)
    """
    if isinstance(a, Tensor) and a._array.dtype == _HALF:
        if type(b) in (bool, int, float) and builtins.abs(b) <= np.finfo(np.float32).max:
            return a, _wrap(np.asarray(b, dtype=np.float32))
        if (isinstance(b, Tensor) and b._array.ndim == 0 and b._array.dtype != np.float16
                and _dtype.result_type(a, b) is _dtype.float16):
            return a, b.to(_dtype.float32)
    return promote(a, b)


def _rounded_like(out: np.ndarray, a: Any) -> np.ndarray:
    """The float32 result of a float16 `a` with a float32 scalar (see _with_scalar_in_float32)
    rounded to float16, once, as torch rounds it; any other result as it is."""
    if isinstance(a, np.ndarray) and a.dtype == _HALF and out.dtype != _HALF:
        return out.astype(np.float16)
    return out


def _scaled(a: Any, b: Any, alpha: Any) -> tuple[Any, Any]:
    """The promoted operands of add/sub with `b` multiplied by alpha in the result dtype (bool stays bool)."""
    a, b = promote(a, b)
    if alpha == 1 and not isinstance(alpha, bool):
        return a, b
    dt = (a if isinstance(a, Tensor) else b).dtype
    if isinstance(alpha, float) and not dt.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if isinstance(alpha, bool) and dt is not _dtype.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if dt is _dtype.bool:  # in bool arithmetic any nonzero alpha is True, and True * True is True
        alpha = builtins.bool(alpha)
        return a, (mul(b, alpha) if isinstance(b, Tensor) else b and alpha)
    return a, (mul(b, alpha) if isinstance(b, Tensor) else b * alpha)


@writes_out
def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input + alpha * other, broadcasting."""
    return apply_broadcasting(Add, *_scaled(input, other, alpha))


def _is_bool(x: Any) -> bool:
    return isinstance(x, bool) or (isinstance(x, Tensor) and x._array.dtype == np.bool_)


@writes_out
def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input - alpha * other, broadcasting (refused for bool operands, like torch)."""
    if _is_bool(input) or _is_bool(other):
        if _is_bool(input) and _is_bool(other):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    return apply_broadcasting(Sub, *_scaled(input, other, alpha))


@writes_out
def mul(input: Any, other: Any) -> Tensor:
    """input * other, broadcasting."""
    if isinstance(other, Tensor) and not isinstance(input, Tensor):
        input, other = other, input  # number * tensor is tensor * number, as torch's __rmul__ computes it
    return apply_broadcasting(Mul, *_with_scalar_in_float32(input, other))


class _DivRounded(ZeroGrad):
    @staticmethod
    def forward(ctx, a, b, mode):
        with np.errstate(divide="ignore", invalid="ignore"):
            if mode == "floor":
                return _rounded_like(np.floor_divide(a, b), a)
            if np.result_type(a, b).kind == "f":
                return _rounded_like(np.trunc(a / b), a)
            return (a - np.fmod(a, b)) // b  # exact: a - fmod(a, b) is a multiple of b


class FloorDivide(Function):
    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return _rounded_like(np.floor_divide(a, b), a)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


def _integer_operands(kernel: str, a: Any, b: Any) -> bool:
    """True for an integral division; raises like torch for bool operands and zero divisors."""
    check_broadcastable(a, b)
    dt = (a if isinstance(a, Tensor) else b).dtype
    if dt.is_floating_point:
        return False
    if dt is _dtype.bool:
        raise not_implemented(kernel, dt)
    divisor = np.asarray(array_of(b))
    empty = 0 in np.shape(array_of(a)) + divisor.shape  # nothing is divided: no error, like torch
    if not empty and np.any(divisor == 0):
        raise RuntimeError("ZeroDivisionError")
    return True


@writes_out
def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """input / other, broadcasting; integers divide as floats unless `rounding_mode` is
    'trunc' (round toward zero) or 'floor' (round down), which keep the dtype and have zero gradient."""
    if rounding_mode is None:
        if isinstance(input, Tensor) and input._array.dtype == np.float16:
            return apply_broadcasting(Div, *_with_scalar_in_float32(input, other))
        return apply_broadcasting(Div, *promote_to_float(input, other))
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                         f"found '{rounding_mode}'")
    a, b = _with_scalar_in_float32(input, other)
    _integer_operands("div_" + rounding_mode + "_cpu", a, b)
    return apply_broadcasting(_DivRounded, a, b, rounding_mode)


@writes_out
def floor_divide(input: Any, other: Any) -> Tensor:
    """input // other: the quotient rounded down, in the promoted dtype (not differentiable)."""
    a, b = _with_scalar_in_float32(input, other)
    _integer_operands("div_floor_cpu", a, b)
    return apply_broadcasting(FloorDivide, a, b)


class Remainder(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.remainder(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad, -grad * div(a, b, rounding_mode="floor") if ctx.needs_input_grad[1] else None


class Fmod(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.fmod(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad, -grad * div(a, b, rounding_mode="trunc") if ctx.needs_input_grad[1] else None


@writes_out
def remainder(input: Any, other: Any) -> Tensor:
    """input % other with the sign of `other` (Python's modulo), broadcasting."""
    a, b = promote(input, other)
    _integer_operands("remainder_cpu", a, b)
    return apply_broadcasting(Remainder, a, b)


@writes_out
def fmod(input: Any, other: Any) -> Tensor:
    """input % other with the sign of `input` (C's fmod), broadcasting."""
    check_tensor_first("fmod", input, other)  # unlike remainder, torch has no fmod(Number, Tensor)
    a, b = promote(input, other)
    _integer_operands("fmod_cpu", a, b)
    return apply_broadcasting(Fmod, a, b)


@writes_out(dtype_rule="same", message="Found dtype {out} but expected {result}")
def neg(input: Tensor) -> Tensor:
    """-input."""
    if input._array.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    return Neg.apply(input)


def positive(input: Tensor) -> Tensor:
    """+input: the tensor itself (refused for bool, like torch)."""
    if input._array.dtype == np.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


class Abs(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * sign(a)


@writes_out(dtype_rule="same", message="Found dtype {out} but expected {result}")
def abs(input: Tensor) -> Tensor:
    """|input|, elementwise (gradient sign(input), so 0 at 0)."""
    if input._array.dtype == np.bool_:
        raise not_implemented("abs_cpu", input.dtype)
    return Abs.apply(input)


# ----- rounding and sign (piecewise constant: zero gradient) ---------------------------
class Sign(ZeroGrad):
    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind == "f":
            # (a > 0) - (a < 0): 0 for nan and -0.0, where np.sign would give nan and -0.0
            return np.subtract(a > 0, a < 0, dtype=a.dtype)
        return a.copy() if a.dtype == np.bool_ else np.sign(a)


class Floor(ZeroGrad):
    @staticmethod
    def forward(ctx, a):
        return np.floor(a)


class Ceil(ZeroGrad):
    @staticmethod
    def forward(ctx, a):
        return np.ceil(a)


class Trunc(ZeroGrad):
    @staticmethod
    def forward(ctx, a):
        return np.trunc(a)


class Round(ZeroGrad):
    @staticmethod
    def forward(ctx, a, decimals):
        if decimals == 0:
            return np.rint(a)
        # round half to even at the requested digit, scaling by a power of ten first; float16 is
        # scaled in float32 (as torch does) so that e.g. 1234 * 100 does not overflow
        x = a.astype(np.float32) if a.dtype == np.float16 else a
        scale = x.dtype.type(10.0 ** builtins.abs(decimals))
        out = np.rint(x * scale) / scale if decimals > 0 else np.rint(x / scale) * scale
        return out.astype(a.dtype, copy=False)


@writes_out
def sign(input: Tensor) -> Tensor:
    """-1, 0 or 1 by the sign of each element (0 for nan; bool stays bool)."""
    return Sign.apply(input)


class Sgn(Sign):
    """sgn: for real tensors the same as sign (torch's node is named SgnBackward0)."""


def sgn(input: Tensor) -> Tensor:
    """sign(input) for real tensors (for complex ones torch gives input / |input|)."""
    return Sgn.apply(input)


def _rounding(fn: type, doc: str) -> Any:
    def op(input: Tensor) -> Tensor:
        if input._array.dtype.kind == "f":
            return fn.apply(input)
        if input._array.dtype == np.bool_:
            raise not_implemented(fn.__name__.lower() + "_vml_cpu", input.dtype)
        return _wrap(input._array.copy())  # integers are already whole
    op.__name__ = op.__qualname__ = fn.__name__.lower()
    op.__doc__ = doc
    return writes_out(op, dtype_rule="same", message="Found dtype {out} but expected {result}")


floor = _rounding(Floor, "The largest integer <= input, elementwise (zero gradient).")
ceil = _rounding(Ceil, "The smallest integer >= input, elementwise (zero gradient).")
trunc = _rounding(Trunc, "input rounded toward zero, elementwise (zero gradient).")
fix = trunc


@writes_out(dtype_rule="same", message="Found dtype {out} but expected {result}")
def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """input rounded half to even, to `decimals` digits after the point (zero gradient)."""
    if not isinstance(decimals, int) or isinstance(decimals, bool):
        raise TypeError(f"round() received an invalid combination of arguments - got (Tensor, "
                        f"decimals={type(decimals).__name__}), but expected one of:\n * (Tensor input)\n"
                        " * (Tensor input, *, int decimals)")
    if input._array.dtype.kind != "f":
        if decimals != 0 or input._array.dtype == np.bool_:
            raise not_implemented("round_cpu" if decimals else "round_vml_cpu", input.dtype)
        return _wrap(input._array.copy())
    return Round.apply(input, decimals)


@writes_out
def frac(input: Tensor) -> Tensor:
    """input - trunc(input): the fractional part, with the sign of input."""
    if input._array.dtype.kind != "f":
        raise not_implemented("frac_cpu", input.dtype)
    return sub(input, trunc(input))


# ----- lerp ----------------------------------------------------------------------------------
def _fused_multiply_add(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """a * b + c rounded once, as the FMA instruction of torch's vectorised kernels computes it.
    float32 goes through float64, where a * b is exact; float64 adds Dekker's exact product
    a * b = p + e (halves of 27 bits multiply exactly) to c with Knuth's two-sum s + t = p + c, so that
    only the last addition s + (t + e) rounds (non-finite results fall back to the plain formula)."""
    if a.dtype == np.float32:
        return (a.astype(np.float64) * b + c).astype(np.float32)
    plain = a * b + c
    with np.errstate(all="ignore"):
        p = a * b
        (a_hi, a_lo), (b_hi, b_lo) = _split(a), _split(b)
        e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
        s = p + c
        c_part = s - p
        t = (p - (s - c_part)) + (c - c_part)
        fused = s + (t + e)
    return np.where(np.isfinite(fused), fused, plain)


def _split(x: np.ndarray) -> tuple:
    """x = hi + lo exactly, each with at most 26 significant bits (Veltkamp's splitting)."""
    scaled = 134217729.0 * x  # 2**27 + 1
    hi = scaled - (scaled - x)
    return hi, x - hi


class Lerp(Function):
    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.save_for_backward(start, end, weight)
        dt = start.dtype
        # torch computes float16 in float32 and rounds once
        work = np.float64 if dt == np.float64 else np.float32
        start, end, weight = start.astype(work), end.astype(work), np.asarray(weight, dtype=work)
        diff = end - start
        # torch's two-sided formula, exact at weight 0 and weight 1, each side one fused multiply-add
        near_start = _fused_multiply_add(weight, diff, start)
        near_end = _fused_multiply_add(-diff, 1 - weight, end)
        return np.where(np.abs(weight) < 0.5, near_start, near_end).astype(dt, copy=False)

    @staticmethod
    def backward(ctx, grad):
        start, end, weight = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (grad * (1 - weight) if need[0] else None, grad * weight if need[1] else None,
                grad * (end - start) if need[2] else None)


@writes_out
def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """input + weight * (end - input), broadcasting; weight a number or a tensor."""
    if not isinstance(input, Tensor) or not isinstance(end, Tensor):
        raise TypeError(f"lerp() received an invalid combination of arguments - got ({type(input).__name__}, "
                        f"{type(end).__name__}, {type(weight).__name__}), but expected one of:\n"
                        " * (Tensor input, Tensor end, Tensor weight, *, Tensor out = None)\n"
                        " * (Tensor input, Tensor end, Number weight, *, Tensor out = None)\n")
    if isinstance(weight, Tensor) and weight._array.ndim == 0 and weight._array.dtype != input._array.dtype:
        weight = weight.to(input.dtype)  # torch takes a 0-d weight of any dtype, cast to the input's
    for name, x in (("end", end), ("weight", weight)):
        if isinstance(x, Tensor) and x._array.dtype != input._array.dtype:
            raise RuntimeError(f"expected dtype {_dtype_word(input.dtype)} for `{name}` but got dtype "
                               f"{_dtype_word(x.dtype)}")
    check_broadcastable(input, end, weight)
    if not input.dtype.is_floating_point:
        raise not_implemented("lerp_kernel_scalar", input.dtype)
    return apply_broadcasting(Lerp, input, end, weight)


def _dtype_word(dt: _dtype.dtype) -> str:
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int"}.get(dt.name, dt.name)


absolute = abs
negative = neg
subtract, multiply, divide, true_divide = sub, mul, div, div
