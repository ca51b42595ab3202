"""Elementwise ops: arithmetic with broadcasting, math functions, comparisons.

Binary ops first promote their operands to torch's result dtype (see _common.promote);
their backward returns gradients in the broadcast shape and the engine sums them back
to each input's shape.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._common import inplace_update, promote, tensor_method

__all__ = ["add", "sub", "mul", "div", "neg", "pow", "exp", "log", "tanh", "sigmoid", "relu", "eq", "ne", "lt", "le", "gt", "ge", "where"]


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
        ctx.save_for_backward(a if ctx.needs_input_grad[1:2] == (True,) else None,
                              b if ctx.needs_input_grad[:1] == (True,) else None)
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


class Pow(Function):
    @staticmethod
    def forward(ctx, a, b):
        out = np.power(a, b)
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1:2] == (True,) else None)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            # d(a**b)/da = b * a**(b-1); 0 where b == 0 even at a == 0 (torch's convention)
            grad_a = where(b == 0, 0.0, grad * b * a ** (b - 1)) if isinstance(b, Tensor) \
                else (grad * 0.0 if b == 0 else grad * b * a ** (b - 1))
        if ctx.needs_input_grad[1]:
            # d(a**b)/db = a**b * log(a); defined as 0 where a == 0 and b >= 0
            grad_b = where((a == 0) & (b >= 0), 0.0, grad * out * log(a)) if isinstance(a, Tensor) \
                else grad * out * float(np.log(a))
        return grad_a, grad_b


def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """input + alpha * other, broadcasting."""
    if alpha != 1:
        other = mul(other, alpha)
    return Add.apply(*promote(input, other))


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input - alpha * other, broadcasting."""
    if isinstance(input, Tensor) and input.dtype is _dtype.bool and isinstance(other, Tensor) \
            and other.dtype is _dtype.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    if alpha != 1:
        other = mul(other, alpha)
    return Sub.apply(*promote(input, other))


def mul(input: Any, other: Any) -> Tensor:
    """input * other, broadcasting."""
    return Mul.apply(*promote(input, other))


def _to_float(x: Any) -> Any:
    """Integer and bool tensors become the default float dtype (true division is a float op)."""
    if isinstance(x, Tensor) and not x.dtype.is_floating_point:
        return x.to(_dtype.get_default_dtype())
    return x


def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """input / other; `rounding_mode` 'trunc' or 'floor' rounds the quotient (no gradient)."""
    if rounding_mode is None:
        a, b = promote(input, other)
        if not _dtype.result_type(*[x for x in (a, b)]).is_floating_point:
            a, b = _to_float(a), _to_float(b)
            if not isinstance(a, Tensor):
                a = float(a)
            if not isinstance(b, Tensor):
                b = float(b)
        return Div.apply(a, b)
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                         f"found '{rounding_mode}'")
    a, b = promote(input, other)
    ra = a._array if isinstance(a, Tensor) else a
    rb = b._array if isinstance(b, Tensor) else b
    dt = _dtype.result_type(a, b)
    if dt.is_floating_point:
        q = np.true_divide(ra, rb)
        q = np.trunc(q) if rounding_mode == "trunc" else np.floor(q)
    else:
        if np.any(np.asarray(rb) == 0):
            raise RuntimeError("ZeroDivisionError")
        q = np.floor_divide(ra, rb) if rounding_mode == "floor" else \
            (np.sign(ra) * np.sign(rb) * (np.abs(ra) // np.abs(rb)))
    return _wrap(np.asarray(q, dtype=dt.np))


def neg(input: Tensor) -> Tensor:
    """-input."""
    if input.dtype is _dtype.bool:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    return Neg.apply(input)


def pow(input: Any, exponent: Any) -> Tensor:
    """input ** exponent, broadcasting."""
    a, b = promote(input, exponent)
    if isinstance(a, Tensor) and not a.dtype.is_floating_point and isinstance(b, int) and b < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return Pow.apply(a, b)


# ----- unary math ---------------------------------------------------------------------
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


class Sigmoid(Function):
    @staticmethod
    def forward(ctx, a):
        # exp(-|a|) never overflows; pick the algebraically equal form per sign.
        e = np.exp(-np.abs(a))
        out = np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out * (1 - out)


class Relu(Function):
    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out > 0)


def _float_input(input: Tensor) -> Tensor:
    return input if input.dtype.is_floating_point else input.to(_dtype.get_default_dtype())


def exp(input: Tensor) -> Tensor:
    """e ** input, elementwise."""
    return Exp.apply(_float_input(input))


def log(input: Tensor) -> Tensor:
    """Natural logarithm, elementwise (nan below 0, -inf at 0)."""
    return Log.apply(_float_input(input))


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent, elementwise."""
    return Tanh.apply(_float_input(input))


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-input)), elementwise, without overflow."""
    return Sigmoid.apply(_float_input(input))


def relu(input: Tensor) -> Tensor:
    """max(input, 0), elementwise."""
    return Relu.apply(input)


# ----- comparison (no gradient) -------------------------------------------------------
def _compare(op: Any, a: Any, b: Any) -> Tensor:
    a, b = promote(a, b)
    return _wrap(np.asarray(op(a._array if isinstance(a, Tensor) else a,
                               b._array if isinstance(b, Tensor) else b)))


def eq(input: Any, other: Any) -> Tensor:
    """input == other, elementwise, as a bool tensor."""
    return _compare(np.equal, input, other)


def ne(input: Any, other: Any) -> Tensor:
    """input != other, elementwise, as a bool tensor."""
    return _compare(np.not_equal, input, other)


def lt(input: Any, other: Any) -> Tensor:
    """input < other, elementwise, as a bool tensor."""
    return _compare(np.less, input, other)


def le(input: Any, other: Any) -> Tensor:
    """input <= other, elementwise, as a bool tensor."""
    return _compare(np.less_equal, input, other)


def gt(input: Any, other: Any) -> Tensor:
    """input > other, elementwise, as a bool tensor."""
    return _compare(np.greater, input, other)


def ge(input: Any, other: Any) -> Tensor:
    """input >= other, elementwise, as a bool tensor."""
    return _compare(np.greater_equal, input, other)


def _logical(op: Any, a: Any, b: Any) -> Tensor:
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a.dtype is _dtype.bool and b.dtype is _dtype.bool:
        return _wrap(op(a._array, b._array))
    a, b = promote(a, b)
    if isinstance(a, Tensor) and a.dtype.is_floating_point:
        raise RuntimeError(f"\"{op.__name__}_cpu\" not implemented for '{a.dtype.name.capitalize()}'")
    return _wrap(np.asarray(op(a._array if isinstance(a, Tensor) else a,
                               b._array if isinstance(b, Tensor) else b)))


class Where(Function):
    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.condition = condition
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        cond = _wrap(ctx.condition)
        zero = _wrap(np.zeros((), dtype=grad._array.dtype))
        return None, where(cond, grad, zero), where(cond, zero, grad)


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """Elements of `input` where `condition` is True, else of `other` (broadcasting)."""
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    if condition.dtype is not _dtype.bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with "
                           f"dtype {condition.dtype.name.capitalize()}")
    a, b = promote(input, other)
    return Where.apply(condition._array, a, b)


def _reflected(fn: Any) -> Any:
    def reflected(self: Tensor, other: Any) -> Tensor:
        return fn(other, self)
    return reflected


def _in_place(fn: Any) -> Any:
    def in_place(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return inplace_update(self, fn(self, *args, **kwargs))
    in_place.__name__ = fn.__name__ + "_"
    return in_place


tensor_method(add, sub, mul, div, neg, pow, exp, log, tanh, sigmoid, relu, eq, ne, lt, le, gt, ge,
              where=lambda self, condition, other: where(condition, self, other),
              subtract=sub, multiply=mul, divide=div, true_divide=div, negative=neg,
              __add__=add, __radd__=_reflected(add), __sub__=sub, __rsub__=_reflected(sub),
              __mul__=mul, __rmul__=_reflected(mul), __truediv__=div, __rtruediv__=_reflected(div),
              __pow__=pow, __rpow__=_reflected(pow), __neg__=neg,
              __eq__=eq, __ne__=ne, __lt__=lt, __le__=le, __gt__=gt, __ge__=ge,
              __and__=lambda a, b: _logical(np.bitwise_and, a, b),
              __or__=lambda a, b: _logical(np.bitwise_or, a, b),
              __xor__=lambda a, b: _logical(np.bitwise_xor, a, b),
              __invert__=lambda a: _wrap(np.invert(a._array)),
              add_=_in_place(add), sub_=_in_place(sub), mul_=_in_place(mul), div_=_in_place(div),
              pow_=_in_place(pow), neg_=_in_place(neg), exp_=_in_place(exp), log_=_in_place(log),
              tanh_=_in_place(tanh), sigmoid_=_in_place(sigmoid), relu_=_in_place(relu),
              __iadd__=_in_place(add), __isub__=_in_place(sub), __imul__=_in_place(mul),
              __itruediv__=_in_place(div))
