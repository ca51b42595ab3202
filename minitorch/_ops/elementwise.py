"""Elementwise ops: arithmetic with broadcasting, math functions, comparisons and logic.

Binary ops first promote their operands to torch's result dtype (see _common.promote);
their backward returns gradients in the broadcast shape and the engine sums them back
to each input's shape. Functions of reals (exp, sin, ...) compute integer and bool
inputs in the default float dtype, as torch does.

Derivatives at kinks follow torch: abs'(0) = relu'(0) = 0, clamp passes the gradient
at its boundaries, maximum/minimum split ties evenly, sqrt'(0) = inf. Piecewise
derivatives select with a bool mask made in forward: the mask does not depend smoothly
on the input, so it stays outside the graph, and `where` (not a multiplication) keeps
an infinite upstream gradient from turning into nan where the mask is False.
"""
from __future__ import annotations

import builtins
import functools
import math
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._common import (as_tensor_operand, check_inplace, inplace_update, needs_grad, promote, tensor_method,
                      type_name)

__all__ = [
    # arithmetic
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "pow", "neg", "negative", "positive", "abs", "absolute", "reciprocal", "square",
    # math
    "exp", "exp2", "log", "log2", "log10", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tan",
    "asin", "acos", "atan", "arcsin", "arccos", "arctan", "atan2", "arctan2", "sinh", "cosh", "tanh",
    "asinh", "acosh", "atanh", "arcsinh", "arccosh", "arctanh", "sigmoid", "relu", "erf", "erfc",
    "sign", "floor", "ceil", "trunc", "fix", "frac", "round", "clamp", "clip", "clamp_min",
    "clamp_max", "maximum", "minimum", "fmax", "fmin", "lerp", "hypot", "nan_to_num",
    "isnan", "isinf", "isfinite", "isposinf", "isneginf",
    # comparison and logic
    "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal",
    "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or",
    "bitwise_xor", "bitwise_not", "where", "isclose", "allclose", "equal",
]


# ----- helpers ------------------------------------------------------------------------
def _arr(x: Any) -> Any:
    return x._array if isinstance(x, Tensor) else x


def _not_implemented(kernel: str, dt: _dtype.dtype) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(dt)}'")


def broadcast_shape(*shapes: tuple) -> tuple:
    """The shape shapes broadcast to; RuntimeError in torch's words naming the mismatching sizes."""
    out: tuple = ()
    for shape in shapes:
        n = builtins.max(len(out), len(shape))
        a = (1,) * (n - len(out)) + tuple(out)
        b = (1,) * (n - len(shape)) + tuple(shape)
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y and x != 1 and y != 1:
                raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                                   f"at non-singleton dimension {i}")
        out = tuple(y if x == 1 else x for x, y in zip(a, b))
    return out


def _wrap_overflowing_ints(args: tuple) -> tuple:
    """Python ints out of range of the tensor's integer dtype wrap around (torch), where numpy raises."""
    dt = next(_arr(a).dtype for a in args if isinstance(a, (Tensor, np.ndarray)))
    if dt.kind not in "iu":
        return args
    info = np.iinfo(dt)
    return tuple(np.array(a).astype(dt) if isinstance(a, int) and not isinstance(a, bool)
                 and not info.min <= a <= info.max else a for a in args)


def _apply(fn: type, *args: Any) -> Tensor:
    """fn.apply(*args), with numpy's broadcasting and scalar-overflow errors turned into torch's behaviour."""
    try:
        return fn.apply(*args)
    except ValueError:
        broadcast_shape(*(np.shape(_arr(a)) for a in args if isinstance(a, (Tensor, np.ndarray))))
        raise
    except OverflowError:
        return fn.apply(*_wrap_overflowing_ints(args))


def _float_input(input: Tensor) -> Tensor:
    """Integer and bool tensors as the default float dtype (for functions of reals)."""
    return input if input._array.dtype.kind == "f" else input.to(_dtype.get_default_dtype())


def _to_float(a: Any, b: Any) -> tuple:
    """Promoted operands, moved to the default float dtype if the promoted type is integral."""
    a, b = promote(a, b)
    ref = a if isinstance(a, Tensor) else b
    if ref._array.dtype.kind == "f":
        return a, b
    dt = _dtype.get_default_dtype()
    return (a.to(dt) if isinstance(a, Tensor) else float(a)), (b.to(dt) if isinstance(b, Tensor) else float(b))


def _check_tensor(fn_name: str, other: Any) -> None:
    if not isinstance(other, Tensor):
        raise TypeError(f"{fn_name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")


def _zeros_like(t: Tensor) -> Tensor:
    return _wrap(np.zeros_like(t._array))


def _masked(grad: Tensor, mask: np.ndarray) -> Tensor:
    """grad where mask is True, else 0 (a where, so an infinite grad does not become nan)."""
    return where(_wrap(mask), grad, 0.0)


class _ZeroGrad(Function):
    """Base of piecewise-constant ops (floor, sign, rounding division...): zero gradient everywhere."""

    @staticmethod
    def backward(ctx, grad):
        return tuple(_zeros_like(grad) if need else None for need in ctx.needs_input_grad)


# ----- arithmetic ---------------------------------------------------------------------
class Add(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class Mul(Function):
    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (grad * b if ctx.needs_input_grad[0] else None,
                grad * a if ctx.needs_input_grad[1] else None)


class Div(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1:2] == (True,) else None, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (grad / b if ctx.needs_input_grad[0] else None,
                -grad * a / (b * b) if ctx.needs_input_grad[1] else None)


class Neg(Function):
    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad


def _check_alpha(a: Any, b: Any, alpha: Any) -> None:
    if isinstance(alpha, float) and _dtype.result_type(a, b)._category < 2:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input + alpha * other, broadcasting."""
    if alpha != 1:
        _check_alpha(input, other, alpha)
        other = mul(other, alpha) if isinstance(other, Tensor) else other * alpha
    return _apply(Add, *promote(input, other))


def _is_bool(x: Any) -> bool:
    return isinstance(x, bool) or (isinstance(x, Tensor) and x._array.dtype == np.bool_)


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input - alpha * other, broadcasting (refused for bool operands, like torch)."""
    if _is_bool(input) or _is_bool(other):
        if _is_bool(input) and _is_bool(other):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    if alpha != 1:
        _check_alpha(input, other, alpha)
        other = mul(other, alpha) if isinstance(other, Tensor) else other * alpha
    return _apply(Sub, *promote(input, other))


def mul(input: Any, other: Any) -> Tensor:
    """input * other, broadcasting."""
    return _apply(Mul, *promote(input, other))


class _DivRounded(_ZeroGrad):
    @staticmethod
    def forward(ctx, a, b, mode):
        with np.errstate(divide="ignore", invalid="ignore"):
            if mode == "floor":
                return np.floor_divide(a, b)
            if np.result_type(a, b).kind == "f":
                return np.trunc(a / b)
            return (a - np.fmod(a, b)) // b  # exact: a - fmod(a, b) is a multiple of b


class FloorDivide(Function):
    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.floor_divide(a, b)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


def _integer_operands(kernel: str, a: Any, b: Any) -> bool:
    """True for an integral division; raises like torch for bool operands and zero divisors."""
    dt = (a if isinstance(a, Tensor) else b).dtype
    if dt.is_floating_point:
        return False
    if dt is _dtype.bool:
        raise _not_implemented(kernel, dt)
    if np.any(np.asarray(_arr(b)) == 0):
        raise RuntimeError("ZeroDivisionError")
    return True


def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """input / other, broadcasting; integers divide as floats unless `rounding_mode` is
    'trunc' (round toward zero) or 'floor' (round down), which keep the dtype and have zero gradient."""
    if rounding_mode is None:
        return _apply(Div, *_to_float(input, other))
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                         f"found '{rounding_mode}'")
    a, b = promote(input, other)
    _integer_operands("div_" + rounding_mode + "_cpu", a, b)
    return _apply(_DivRounded, a, b, rounding_mode)


def floor_divide(input: Any, other: Any) -> Tensor:
    """input // other: the quotient rounded down, in the promoted dtype (not differentiable)."""
    a, b = promote(input, other)
    _integer_operands("div_floor_cpu", a, b)
    return _apply(FloorDivide, a, b)


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


def remainder(input: Any, other: Any) -> Tensor:
    """input % other with the sign of `other` (Python's modulo), broadcasting."""
    a, b = promote(input, other)
    _integer_operands("remainder_cpu", a, b)
    return _apply(Remainder, a, b)


def fmod(input: Any, other: Any) -> Tensor:
    """input % other with the sign of `input` (C's fmod), broadcasting."""
    a, b = promote(input, other)
    _integer_operands("fmod_cpu", a, b)
    return _apply(Fmod, a, b)


class Pow(Function):
    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            if isinstance(b, np.ndarray) and b.dtype.kind in "iu" and (b < 0).any():
                out = _int_pow_negative(a, b)
            else:
                out = np.power(a, b)
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1:2] == (True,) else None)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            # b * a**(b-1), taken as 0 where b == 0 even at a == 0
            if isinstance(b, Tensor):
                grad_a = where(b == 0, 0.0, grad * b * a ** (b - 1))
            else:
                grad_a = grad * b * a ** (b - 1) if b != 0 else _zeros_like(grad)
        if ctx.needs_input_grad[1]:
            # a**b * log(a), taken as 0 where a == 0 and b >= 0 (the limit from the right)
            if isinstance(a, Tensor):
                grad_b = where((a == 0) & (b >= 0), 0.0, grad * out * log(a))
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    log_a = float(np.log(float(a)))
                grad_b = grad * out * log_a
                if a == 0:
                    grad_b = where(b >= 0, 0.0, grad_b)
        return grad_a, grad_b


def _int_pow_negative(a: Any, b: np.ndarray) -> np.ndarray:
    """Integer a**b where some b < 0: torch gives 1 for a == 1, +-1 for a == -1, else 0."""
    a = np.asarray(a, dtype=np.result_type(a, b))
    positive = np.power(a, np.maximum(b, 0))
    small = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0))
    return np.where(b < 0, small, positive).astype(positive.dtype)


def pow(input: Any, exponent: Any) -> Tensor:
    """input ** exponent, broadcasting (either may be a Python number)."""
    a, b = promote(input, exponent)
    dt = (a if isinstance(a, Tensor) else b).dtype
    if dt is _dtype.bool:
        if isinstance(b, Tensor):
            raise _not_implemented("pow", dt)
        return pow(a.byte(), int(b)).bool()  # bool tensor ** bool number: 0/1 integers stay 0/1
    if not dt.is_floating_point and isinstance(b, int) and b < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return _apply(Pow, a, b)


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


def abs(input: Tensor) -> Tensor:
    """|input|, elementwise (gradient sign(input), so 0 at 0)."""
    if input._array.dtype == np.bool_:
        raise _not_implemented("abs_cpu", input.dtype)
    return Abs.apply(input)


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
        return -grad * out * out


def reciprocal(input: Tensor) -> Tensor:
    """1 / input, elementwise, in a float dtype."""
    return Reciprocal.apply(_float_input(input))


def square(input: Tensor) -> Tensor:
    """input ** 2 (integers stay integers; bool becomes int64)."""
    return pow(input, 2)


# ----- functions of reals -------------------------------------------------------------
class Exp(Function):
    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out


class Exp2(Function):
    @staticmethod
    def forward(ctx, a):
        out = np.exp2(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out * math.log(2.0)


class Expm1(Function):
    @staticmethod
    def forward(ctx, a):
        out = np.expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out + 1)


class Log(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / a


class Log2(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log2(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / (a * math.log(2.0))


class Log10(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / (a * math.log(10.0))


class Log1p(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log1p(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / (a + 1)


class Sqrt(Function):
    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad / (out * 2)


class Rsqrt(Function):
    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.reciprocal(np.sqrt(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out * out * out * -0.5


class Sin(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * cos(a)


class Cos(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return -grad * sin(a)


class Tan(Function):
    @staticmethod
    def forward(ctx, a):
        out = np.tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out * out + 1)


class Asin(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore"):
            return np.arcsin(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * rsqrt(1 - a * a)


class Acos(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore"):
            return np.arccos(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return -grad * rsqrt(1 - a * a)


class Atan(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arctan(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / (a * a + 1)


class Sinh(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sinh(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * cosh(a)


class Cosh(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cosh(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * sinh(a)


class Tanh(Function):
    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (1 - out * out)


class Asinh(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arcsinh(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * rsqrt(a * a + 1)


class Acosh(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore"):
            return np.arccosh(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * rsqrt(a * a - 1)


class Atanh(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.arctanh(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / (1 - a * a)


class Sigmoid(Function):
    @staticmethod
    def forward(ctx, a):
        # 1 / (1 + exp(-a)) in one buffer; exp overflowing to inf for very negative a gives exactly 0
        out = np.asarray(np.negative(a))  # (numpy gives a scalar for 0-d input)
        with np.errstate(over="ignore"):
            np.exp(out, out=out)
        out += 1
        np.reciprocal(out, out=out)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out * (1 - out)


@functools.cache
def _erf_ufuncs() -> tuple:
    """numba ufuncs for erf and erfc (numpy has none), compiled on first use and cached on disk."""
    import numba
    signatures = ["float32(float32)", "float64(float64)"]
    return (numba.vectorize(signatures, cache=True)(_erf_scalar),
            numba.vectorize(signatures, cache=True)(_erfc_scalar))


def _erf_scalar(x):
    return math.erf(x)


def _erfc_scalar(x):
    return math.erfc(x)


def _erf_forward(a: np.ndarray, which: int) -> np.ndarray:
    kernel = _erf_ufuncs()[which]
    return kernel(a.astype(np.float32)).astype(np.float16) if a.dtype == np.float16 else kernel(a)


_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


class Erf(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _erf_forward(a, 0)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * exp(-a * a) * _TWO_OVER_SQRT_PI


class Erfc(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _erf_forward(a, 1)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * exp(-a * a) * -_TWO_OVER_SQRT_PI


def _unary_float(fn: type, doc: str) -> Any:
    """The public function of a Function of one real argument (ints and bools computed as floats)."""
    def op(input: Tensor) -> Tensor:
        return fn.apply(input if input._array.dtype.kind == "f" else input.to(_dtype.get_default_dtype()))
    op.__name__ = op.__qualname__ = fn.__name__.lower()
    op.__doc__ = doc
    return op


exp = _unary_float(Exp, "e ** input, elementwise.")
exp2 = _unary_float(Exp2, "2 ** input, elementwise.")
expm1 = _unary_float(Expm1, "exp(input) - 1, accurate near 0.")
log = _unary_float(Log, "Natural logarithm, elementwise (nan below 0, -inf at 0).")
log2 = _unary_float(Log2, "Base-2 logarithm, elementwise.")
log10 = _unary_float(Log10, "Base-10 logarithm, elementwise.")
log1p = _unary_float(Log1p, "log(1 + input), accurate near 0.")
sqrt = _unary_float(Sqrt, "Square root, elementwise (nan below 0).")
rsqrt = _unary_float(Rsqrt, "1 / sqrt(input), elementwise.")
sin = _unary_float(Sin, "Sine, elementwise.")
cos = _unary_float(Cos, "Cosine, elementwise.")
tan = _unary_float(Tan, "Tangent, elementwise.")
asin = _unary_float(Asin, "Inverse sine, elementwise (nan outside [-1, 1]).")
acos = _unary_float(Acos, "Inverse cosine, elementwise (nan outside [-1, 1]).")
atan = _unary_float(Atan, "Inverse tangent, elementwise.")
sinh = _unary_float(Sinh, "Hyperbolic sine, elementwise.")
cosh = _unary_float(Cosh, "Hyperbolic cosine, elementwise.")
tanh = _unary_float(Tanh, "Hyperbolic tangent, elementwise.")
asinh = _unary_float(Asinh, "Inverse hyperbolic sine, elementwise.")
acosh = _unary_float(Acosh, "Inverse hyperbolic cosine, elementwise (nan below 1).")
atanh = _unary_float(Atanh, "Inverse hyperbolic tangent, elementwise (+-inf at +-1).")
sigmoid = _unary_float(Sigmoid, "1 / (1 + exp(-input)), elementwise, without overflow.")
erf = _unary_float(Erf, "The error function, elementwise.")
erfc = _unary_float(Erfc, "1 - erf(input), accurate for large inputs.")
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


class Relu(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.dead = a <= 0 if ctx.needs_input_grad else None  # not `a > 0`: nan passes its gradient, as in torch
        # for floats np.clip is several times faster than np.maximum (and keeps nan, like torch)
        return np.clip(a, 0, np.inf) if a.dtype.kind == "f" else np.maximum(a, 0)

    @staticmethod
    def backward(ctx, grad):
        return where(_wrap(ctx.dead), 0.0, grad)


def relu(input: Tensor) -> Tensor:
    """max(input, 0), elementwise; the gradient at 0 is 0."""
    if input._array.dtype == np.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    return Relu.apply(input)


class Atan2(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        r2 = a * a + b * b
        safe = where(r2 == 0, 1.0, r2)  # torch's gradient at the origin is 0
        return grad * b / safe, grad * -a / safe


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """The angle of the point (other, input): atan(input / other) in the right quadrant."""
    _check_tensor("atan2", other)
    return _apply(Atan2, *_to_float(input, other))


class Hypot(Function):
    @staticmethod
    def forward(ctx, a, b):
        out = np.hypot(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        return grad * a / out, grad * b / out


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """sqrt(input**2 + other**2) without overflow, broadcasting; float tensors only."""
    _check_tensor("hypot", other)
    a, b = promote(input, other)
    if not a.dtype.is_floating_point:
        raise _not_implemented("hypot_cpu", a.dtype)
    return _apply(Hypot, a, b)


# ----- rounding and sign (piecewise constant: zero gradient) ---------------------------
class Sign(_ZeroGrad):
    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind == "f":
            # (a > 0) - (a < 0): 0 for nan and -0.0, where np.sign would give nan and -0.0
            return np.subtract(a > 0, a < 0, dtype=a.dtype)
        return a.copy() if a.dtype == np.bool_ else np.sign(a)


class Floor(_ZeroGrad):
    @staticmethod
    def forward(ctx, a):
        return np.floor(a)


class Ceil(_ZeroGrad):
    @staticmethod
    def forward(ctx, a):
        return np.ceil(a)


class Trunc(_ZeroGrad):
    @staticmethod
    def forward(ctx, a):
        return np.trunc(a)


class Round(_ZeroGrad):
    @staticmethod
    def forward(ctx, a, decimals):
        if decimals == 0:
            return np.rint(a)
        scale = a.dtype.type(10.0 ** builtins.abs(decimals))
        # round half to even at the requested digit, scaling by a power of ten first
        return np.rint(a * scale) / scale if decimals > 0 else np.rint(a / scale) * scale


def sign(input: Tensor) -> Tensor:
    """-1, 0 or 1 by the sign of each element (0 for nan; bool stays bool)."""
    return Sign.apply(input)


def _rounding(fn: type, doc: str) -> Any:
    def op(input: Tensor) -> Tensor:
        if input._array.dtype.kind == "f":
            return fn.apply(input)
        if input._array.dtype == np.bool_:
            raise _not_implemented(fn.__name__.lower() + "_vml_cpu", input.dtype)
        return _wrap(input._array.copy())  # integers are already whole
    op.__name__ = op.__qualname__ = fn.__name__.lower()
    op.__doc__ = doc
    return op


floor = _rounding(Floor, "The largest integer <= input, elementwise (zero gradient).")
ceil = _rounding(Ceil, "The smallest integer >= input, elementwise (zero gradient).")
trunc = _rounding(Trunc, "input rounded toward zero, elementwise (zero gradient).")
fix = trunc


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """input rounded half to even, to `decimals` digits after the point (zero gradient)."""
    if input._array.dtype.kind != "f":
        if decimals != 0 or input._array.dtype == np.bool_:
            raise _not_implemented("round_cpu" if decimals else "round_vml_cpu", input.dtype)
        return _wrap(input._array.copy())
    return Round.apply(input, decimals)


def frac(input: Tensor) -> Tensor:
    """input - trunc(input): the fractional part, with the sign of input."""
    if input._array.dtype.kind != "f":
        raise _not_implemented("frac_cpu", input.dtype)
    return sub(input, trunc(input))


# ----- clamp, maximum, minimum, lerp --------------------------------------------------
class Clamp(Function):
    """min(max(a, lo), hi), with lo or hi None for a one-sided clamp (hi wins where lo > hi)."""

    @staticmethod
    def forward(ctx, a, lo, hi):
        if a.dtype.kind == "f":  # np.clip with both bounds is several times faster than maximum/minimum
            out = np.clip(a, -np.inf if lo is None else lo, np.inf if hi is None else hi)
        else:
            out = np.clip(a, lo, hi)
        need = ctx.needs_input_grad
        if need:
            # a passes where lo <= a <= hi; a bound gets the gradient where its value is the result
            # (torch's masks: where lo > hi everything goes to hi; where lo == hi, to neither bound)
            both = lo is not None and hi is not None
            inside = np.ones(a.shape, dtype=bool) if lo is None else a >= lo
            if hi is not None:
                inside = inside & (a <= hi)
            ctx.masks = (inside,
                         need[1] and ((a < lo) & (lo < hi) if both else a < lo),
                         need[2] and ((a > hi) | (lo > hi) if both else a > hi))
        return out

    @staticmethod
    def backward(ctx, grad):
        return tuple(_masked(grad, mask) if need else None
                     for need, mask in zip(ctx.needs_input_grad, ctx.masks))


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """input limited to [min, max] (numbers or broadcasting tensors); where min > max, max."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [as_tensor_operand(x) for x in (min, max) if x is not None]
    dt = _dtype.result_type(input, *bounds)
    a = input if input._array.dtype == dt.np else input.to(dt)
    if builtins.any(isinstance(x, Tensor) for x in bounds):
        min, max = (None if x is None else x.to(dt) if isinstance(x, Tensor) else _wrap(np.asarray(x, dt.np))
                    for x in (min, max))
    return _apply(Clamp, a, min, max)


clip = clamp


def clamp_min(input: Tensor, min: Any) -> Tensor:
    """max(input, min), elementwise."""
    return clamp(input, min=min)


def clamp_max(input: Tensor, max: Any) -> Tensor:
    """min(input, max), elementwise."""
    return clamp(input, max=max)


class Maximum(Function):
    @staticmethod
    def forward(ctx, a, b):
        # torch's masks: ties split the gradient evenly, nan sends it to both inputs
        ctx.masks = (a < b, a == b, a > b) if ctx.needs_input_grad else None
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _tie_split(ctx, grad, *ctx.masks)


class Minimum(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.masks = (a > b, a == b, a < b) if ctx.needs_input_grad else None
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _tie_split(ctx, grad, *ctx.masks)


def _tie_split(ctx: Any, grad: Tensor, a_loses: np.ndarray, tie: np.ndarray, b_loses: np.ndarray) -> tuple:
    shared = where(_wrap(tie), grad / 2, grad)
    return (where(_wrap(a_loses), 0.0, shared) if ctx.needs_input_grad[0] else None,
            where(_wrap(b_loses), 0.0, shared) if ctx.needs_input_grad[1] else None)


class Fmax(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.a_wins = ((a >= b) | np.isnan(b)) if ctx.needs_input_grad else None  # a's value is the result
        return np.fmax(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _masked(grad, ctx.a_wins), _masked(grad, ~ctx.a_wins)


class Fmin(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.a_wins = ((a <= b) | np.isnan(b)) if ctx.needs_input_grad else None
        return np.fmin(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _masked(grad, ctx.a_wins), _masked(grad, ~ctx.a_wins)


def _binary_tensor_op(fn: type, name: str, doc: str) -> Any:
    def op(input: Tensor, other: Tensor) -> Tensor:
        _check_tensor(name, other)
        return _apply(fn, *promote(input, other))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


maximum = _binary_tensor_op(Maximum, "maximum", "The larger of input and other, elementwise (nan wins).")
minimum = _binary_tensor_op(Minimum, "minimum", "The smaller of input and other, elementwise (nan wins).")
fmax = _binary_tensor_op(Fmax, "fmax", "The larger of input and other, elementwise, ignoring nan.")
fmin = _binary_tensor_op(Fmin, "fmin", "The smaller of input and other, elementwise, ignoring nan.")


class Lerp(Function):
    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.save_for_backward(start, end, weight)
        diff = end - start
        # torch's two-sided formula: exact at weight 0 and weight 1
        return np.where(np.abs(weight) < 0.5, start + weight * diff, end - diff * (1 - weight)) \
            .astype(np.result_type(start, end), copy=False)

    @staticmethod
    def backward(ctx, grad):
        start, end, weight = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (grad * (1 - weight) if need[0] else None, grad * weight if need[1] else None,
                grad * (end - start) if need[2] else None)


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """input + weight * (end - input), broadcasting; weight a number or a tensor."""
    _check_tensor("lerp", end)
    for name, x in (("end", end), ("weight", weight)):
        if isinstance(x, Tensor) and x._array.dtype != input._array.dtype:
            raise RuntimeError(f"expected dtype {_dtype_word(input.dtype)} for `{name}` but got dtype "
                               f"{_dtype_word(x.dtype)}")
    if not input.dtype.is_floating_point:
        raise _not_implemented("lerp_kernel_scalar", input.dtype)
    return _apply(Lerp, input, end, weight)


def _dtype_word(dt: _dtype.dtype) -> str:
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int"}.get(dt.name, dt.name)


# ----- special values -----------------------------------------------------------------
class NanToNum(Function):
    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.finite = np.isfinite(a)
        return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        return _masked(grad, ctx.finite), None, None, None


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """nan, +inf and -inf replaced (by default with 0 and the dtype's largest and lowest values)."""
    if input._array.dtype.kind != "f":
        return _wrap(input._array.copy())
    return NanToNum.apply(input, nan, posinf, neginf)


def _predicate(np_fn: Any, int_value: bool, name: str, doc: str) -> Any:
    def op(input: Tensor) -> Tensor:
        a = input._array
        return _wrap(np_fn(a) if a.dtype.kind == "f" else np.full(a.shape, int_value))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


isnan = _predicate(np.isnan, False, "isnan", "True where input is nan.")
isinf = _predicate(np.isinf, False, "isinf", "True where input is +inf or -inf.")
isfinite = _predicate(np.isfinite, True, "isfinite", "True where input is neither nan nor infinite.")
isposinf = _predicate(np.isposinf, False, "isposinf", "True where input is +inf.")
isneginf = _predicate(np.isneginf, False, "isneginf", "True where input is -inf.")


# ----- comparison (no gradient) -------------------------------------------------------
def _apply_raw(op: Any, a: Any, b: Any) -> Tensor:
    """A numpy binary op on arrays/scalars (no autograd), with torch's broadcasting error."""
    try:
        return _wrap(np.asarray(op(a, b)))
    except ValueError:
        broadcast_shape(np.shape(a), np.shape(b))
        raise
    except OverflowError:
        return _wrap(np.asarray(op(*_wrap_overflowing_ints((a, b)))))


def _compare(op: Any, input: Any, other: Any) -> Tensor:
    a, b = promote(input, other)
    a, b = _arr(a), _arr(b)
    if isinstance(b, int) and a.dtype.kind in "iu" or isinstance(a, int) and b.dtype.kind in "iu":
        a, b = _wrap_overflowing_ints((a, b))  # torch compares with the wrapped value; numpy would not wrap
    return _apply_raw(op, a, b)


def _equality(op: Any) -> Any:
    """`==` / `!=` as operators: other types are not equal to a tensor (Python falls back to identity)."""
    def operator(self: Tensor, other: Any) -> Any:
        if not isinstance(other, (Tensor, int, float, bool, np.ndarray, np.generic)):
            return NotImplemented
        return op(self, other)
    return operator


def _comparison(np_fn: Any, name: str, symbol: str) -> Any:
    def op(input: Any, other: Any) -> Tensor:
        return _compare(np_fn, input, other)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"input {symbol} other, elementwise and broadcasting, as a bool tensor."
    return op


eq = _comparison(np.equal, "eq", "==")
ne = not_equal = _comparison(np.not_equal, "ne", "!=")
lt = less = _comparison(np.less, "lt", "<")
le = less_equal = _comparison(np.less_equal, "le", "<=")
gt = greater = _comparison(np.greater, "gt", ">")
ge = greater_equal = _comparison(np.greater_equal, "ge", ">=")


def _logical(np_fn: Any, name: str, doc: str) -> Any:
    def op(input: Tensor, other: Tensor) -> Tensor:
        _check_tensor(name, other)
        return _apply_raw(np_fn, input._array, other._array)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


logical_and = _logical(np.logical_and, "logical_and", "True where both inputs are nonzero.")
logical_or = _logical(np.logical_or, "logical_or", "True where either input is nonzero.")
logical_xor = _logical(np.logical_xor, "logical_xor", "True where exactly one input is nonzero.")


def logical_not(input: Tensor) -> Tensor:
    """True where input is zero."""
    return _wrap(np.logical_not(input._array))


def _bitwise(np_fn: Any, name: str, doc: str) -> Any:
    def op(input: Any, other: Any) -> Tensor:
        a, b = promote(input, other)
        dt = _dtype.result_type(a, b)
        if dt.is_floating_point:
            raise _not_implemented(name + "_cpu", dt)
        return _compare(np_fn, a, b)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and", "input & other on integer or bool tensors.")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or", "input | other on integer or bool tensors.")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor", "input ^ other on integer or bool tensors.")


def bitwise_not(input: Tensor) -> Tensor:
    """~input on integer or bool tensors (logical not for bool)."""
    if input._array.dtype.kind == "f":
        raise _not_implemented("bitwise_not_cpu", input.dtype)
    return _wrap(np.invert(input._array))


def _invert(self: Tensor) -> Tensor:
    if self._array.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return _wrap(np.invert(self._array))


class Where(Function):
    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.condition = condition
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        cond = _wrap(ctx.condition)
        zero = _wrap(np.zeros((), dtype=grad._array.dtype))
        need = ctx.needs_input_grad
        return (None, where(cond, grad, zero) if need[1] else None,
                where(cond, zero, grad) if need[2] else None)


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """Elements of `input` where `condition` is True, else of `other` (broadcasting all three).
    With only `condition`: the indices of its nonzero elements, as a tuple per dimension."""
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    if condition._array.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with "
                           f"dtype {type_name(condition.dtype)}")
    if isinstance(input, Tensor) or isinstance(other, Tensor):
        a, b = promote(input, other)
    else:  # two numbers: the result has their default dtype, like torch
        dt = _dtype.result_type(input, other).np
        a, b = _wrap(np.asarray(input, dt)), _wrap(np.asarray(other, dt))
    return _apply(Where, condition._array, a, b)


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """True where |input - other| <= atol + rtol * |other| (or exactly equal), broadcasting."""
    _check_tensor("isclose", other)
    if input._array.dtype != other._array.dtype:
        raise RuntimeError(f"{type_name(input.dtype)} did not match {type_name(other.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    a, b = input._array, other._array
    close = _compare(np.equal, input, other)._array
    if a.dtype == np.bool_:
        return _wrap(close)
    if equal_nan and a.dtype.kind == "f":
        close = close | (np.isnan(a) & np.isnan(b))
    with np.errstate(invalid="ignore", over="ignore"):
        if a.dtype.kind != "f":
            a, b = a.astype(np.float64), b.astype(np.float64)
        error = np.abs(a - b)
        close = close | (np.isfinite(error) & (error <= atol + np.abs(rtol * b)))
    return _wrap(close)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """True if isclose holds everywhere."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._array.all())


def equal(input: Tensor, other: Tensor) -> bool:
    """True if both have the same shape and the same values (nan never equals nan)."""
    _check_tensor("equal", other)
    return input.shape == other.shape and bool(eq(input, other)._array.all())


# ----- in-place -------------------------------------------------------------------------
def _in_place(fn: Any, name: str | None = None) -> Any:
    """The in-place variant of fn: self takes fn(self, ...)'s values and history."""
    def in_place(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not needs_grad(self, *args, *kwargs.values()):
            return inplace_update(self, fn(self, *args, **kwargs))
        # backward may need self's old values (mul_ does), which the write destroys: work on a copy
        result = fn(self.clone(), *args, **kwargs)
        if result.grad_fn is None and not in_place.__name__.startswith("logical_"):
            # eq_ and friends give their inputs a zero gradient; torch leaves logical_*_ untracked
            result = _Overwritten.apply(result._array, self, *[x for x in args if isinstance(x, Tensor)])
        return inplace_update(self, result)
    in_place.__name__ = in_place.__qualname__ = name or fn.__name__ + "_"
    in_place.__doc__ = f"In-place {fn.__name__}: self takes the result's values (and autograd history)."
    return in_place


def _in_place_arithmetic(fn: Any, ufunc: Any, name: str) -> Any:
    """add_/sub_/mul_/div_: straight into self's buffer when autograd is not involved and the
    operand has self's float dtype (or is a number); anything else takes the general path."""
    general = _in_place(fn, name)

    def in_place(self: Tensor, other: Any, **kwargs: Any) -> Tensor:
        a = self._array
        alpha = kwargs.pop("alpha", 1) if ufunc is np.add or ufunc is np.subtract else 1
        if (kwargs or a.dtype.kind != "f" or needs_grad(self, other)
                or not (type(other) in (int, float) or isinstance(other, Tensor) and other._array.dtype == a.dtype)):
            if alpha != 1:
                kwargs["alpha"] = alpha
            return general(self, other, **kwargs)
        operand = _arr(other) if alpha == 1 else _arr(other) * alpha
        check_inplace(self)
        try:
            ufunc(a, operand, out=a)
        except ValueError:  # other broadcasts beyond self's shape: the general path words the error
            return general(self, other)
        self._version_box[0] += 1
        return self
    in_place.__name__ = in_place.__qualname__ = name
    in_place.__doc__ = general.__doc__
    return in_place


class _Overwritten(_ZeroGrad):
    """`values` written into the first tensor of `inputs` by an op without a gradient (eq_, ...)."""

    @staticmethod
    def forward(ctx, values, *inputs):
        return values.astype(inputs[0].dtype)


class Copy(Function):
    @staticmethod
    def forward(ctx, a, src):
        out = np.empty_like(a)
        np.copyto(out, src, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, grad):
        need = ctx.needs_input_grad
        return _zeros_like(grad) if need[0] else None, grad if need[1] else None


def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    """Copy src's values into self (broadcast to self's shape, cast to its dtype); differentiable w.r.t. src."""
    src = as_tensor_operand(src)
    if isinstance(src, Tensor) and src._array.shape != self._array.shape:
        shape = broadcast_shape(self._array.shape, src._array.shape)
        if shape != self._array.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                               f"{list(shape)}")
    if needs_grad(self, src):
        return inplace_update(self, Copy.apply(self, src))
    check_inplace(self)
    np.copyto(self._array, _arr(src), casting="unsafe")
    self._version_box[0] += 1
    return self


def _reflected(fn: Any) -> Any:
    def reflected(self: Tensor, other: Any) -> Tensor:
        return fn(other, self)
    return reflected


# torch.<name>_ functions that exist alongside the methods
_INPLACE_FUNCTIONS = ["abs", "neg", "negative", "reciprocal", "exp", "exp2", "log", "log2", "log10", "log1p",
                      "expm1", "sqrt", "rsqrt", "square", "sin", "cos", "tan", "asin", "acos", "atan",
                      "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
                      "arcsinh", "arccosh", "arctanh", "sigmoid", "relu", "erf", "erfc", "floor", "ceil",
                      "trunc", "fix", "frac", "round", "clamp", "clip", "clamp_min", "clamp_max", "nan_to_num"]
# Tensor methods only
_INPLACE_METHODS = _INPLACE_FUNCTIONS + [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "pow", "atan2", "arctan2", "sign", "lerp", "hypot", "eq", "ne", "lt", "le",
    "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal", "logical_and",
    "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not"]
arctan2 = atan2
absolute = abs
negative = neg
subtract, multiply, divide, true_divide = sub, mul, div, div

_namespace = globals()
_inplace = {name + "_": _in_place(_namespace[name], name + "_") for name in _INPLACE_METHODS}
_inplace.update({name + "_": _in_place_arithmetic(_namespace[name], ufunc, name + "_") for name, ufunc in
                 [("add", np.add), ("sub", np.subtract), ("subtract", np.subtract), ("mul", np.multiply),
                  ("multiply", np.multiply), ("div", np.true_divide), ("divide", np.true_divide),
                  ("true_divide", np.true_divide)]})
_namespace.update({name + "_": _inplace[name + "_"] for name in _INPLACE_FUNCTIONS})
__all__ += [name + "_" for name in _INPLACE_FUNCTIONS]
del _namespace

tensor_method(
    add, sub, mul, div, floor_divide, remainder, fmod, pow, neg, positive, abs, reciprocal, square,
    exp, exp2, log, log2, log10, log1p, expm1, sqrt, rsqrt, sin, cos, tan, asin, acos, atan, atan2,
    sinh, cosh, tanh, asinh, acosh, atanh, sigmoid, relu, erf, erfc, sign, floor, ceil, trunc, frac,
    round, clamp, clamp_min, clamp_max, maximum, minimum, fmax, fmin, lerp, hypot, nan_to_num, isnan,
    isinf, isfinite, isposinf, isneginf, eq, ne, lt, le, gt, ge, logical_and, logical_or, logical_xor,
    logical_not, bitwise_and, bitwise_or, bitwise_xor, bitwise_not, isclose, allclose, equal, copy_,
    subtract=sub, multiply=mul, divide=div, true_divide=div, negative=neg, absolute=abs, arcsin=asin,
    arccos=acos, arctan=atan, arctan2=atan2, arcsinh=asinh, arccosh=acosh, arctanh=atanh, fix=trunc,
    clip=clamp, greater=gt, greater_equal=ge, less=lt, less_equal=le, not_equal=ne,
    where=lambda self, condition, other: where(condition, self, other),
    __add__=add, __radd__=_reflected(add), __sub__=sub, __rsub__=_reflected(sub),
    __mul__=mul, __rmul__=_reflected(mul), __truediv__=div, __rtruediv__=_reflected(div),
    __floordiv__=floor_divide, __rfloordiv__=_reflected(floor_divide),
    __mod__=remainder, __rmod__=_reflected(remainder), __pow__=pow, __rpow__=_reflected(pow),
    __neg__=neg, __pos__=positive, __abs__=abs, __invert__=_invert,
    __eq__=_equality(eq), __ne__=_equality(ne), __lt__=lt, __le__=le, __gt__=gt, __ge__=ge,
    __and__=bitwise_and, __rand__=_reflected(bitwise_and), __or__=bitwise_or,
    __ror__=_reflected(bitwise_or), __xor__=bitwise_xor, __rxor__=_reflected(bitwise_xor),
    __iadd__=_inplace["add_"], __isub__=_inplace["sub_"], __imul__=_inplace["mul_"],
    __itruediv__=_inplace["div_"], __ifloordiv__=_inplace["floor_divide_"],
    __imod__=_inplace["remainder_"], __ipow__=_inplace["pow_"], __iand__=_inplace["bitwise_and_"],
    __ior__=_inplace["bitwise_or_"], __ixor__=_inplace["bitwise_xor_"],
    **_inplace)
