"""Comparisons, logic, `where`, clamp and elementwise extremes.

Comparisons, logic and the isnan family return bool tensors and have no gradient.
`where`, clamp, maximum/minimum and fmax/fmin are piecewise: their backward routes the
gradient with a bool mask made in forward. The mask does not depend smoothly on the
input, so it stays outside the graph, and `where` (not a multiplication) keeps an
infinite upstream gradient from turning into nan where the mask is False. Derivatives at
kinks follow torch: clamp passes the gradient at its boundaries, maximum/minimum split
ties evenly.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._common import (apply_broadcasting, array_of, as_tensor_operand, broadcast_shape, check_broadcastable,
                      check_tensor, check_tensor_first, check_tensor_input, not_implemented, promote, renamed,
                      type_name, wrap_overflowing_ints)
from .inplace import writes_out
from .selection import nonzero

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal",
           "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or",
           "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift", "where", "isclose", "allclose", "equal", "isnan", "isinf", "isfinite",
           "isposinf", "isneginf", "signbit", "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum", "fmax", "fmin"]


# ----- comparison (no gradient) -------------------------------------------------------
def _apply_raw(op: Any, a: Any, b: Any) -> Tensor:
    """A numpy binary op on arrays/scalars (no autograd), with torch's broadcasting error."""
    try:
        return _wrap(np.asarray(op(a, b)))
    except ValueError:
        broadcast_shape(np.shape(a), np.shape(b))
        raise
    except OverflowError:
        return _wrap(np.asarray(op(*wrap_overflowing_ints((a, b)))))


def _compare(op: Any, input: Any, other: Any) -> Tensor:
    a, b = promote(input, other)
    a, b = array_of(a), array_of(b)
    if isinstance(b, int) and a.dtype.kind in "iu" or isinstance(a, int) and b.dtype.kind in "iu":
        a, b = wrap_overflowing_ints((a, b))  # torch compares with the wrapped value; numpy would not wrap
    return _apply_raw(op, a, b)


def _equality(op: Any) -> Any:
    """`==` / `!=` as operators: other types are not equal to a tensor (Python falls back to identity)."""
    def operator(self: Tensor, other: Any) -> Any:
        if not isinstance(other, (Tensor, int, float, bool, np.ndarray, np.generic)):
            return NotImplemented
        return op(self, other)
    return operator


def _comparison(np_fn: Any, name: str, symbol: str) -> Any:
    def op(input: Tensor, other: Any) -> Tensor:
        check_tensor_first(name, input, other)
        return _compare(np_fn, input, other)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"input {symbol} other, elementwise and broadcasting, as a bool tensor."
    return writes_out(op)


eq = _comparison(np.equal, "eq", "==")
ne = not_equal = _comparison(np.not_equal, "ne", "!=")
lt = less = _comparison(np.less, "lt", "<")
le = less_equal = _comparison(np.less_equal, "le", "<=")
gt = greater = _comparison(np.greater, "gt", ">")
ge = greater_equal = _comparison(np.greater_equal, "ge", ">=")


def _logical(np_fn: Any, name: str, doc: str) -> Any:
    def op(input: Tensor, other: Tensor) -> Tensor:
        check_tensor_input(name, input)
        check_tensor(name, other)
        return _apply_raw(np_fn, input._array, other._array)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return writes_out(op)


logical_and = _logical(np.logical_and, "logical_and", "True where both inputs are nonzero.")
logical_or = _logical(np.logical_or, "logical_or", "True where either input is nonzero.")
logical_xor = _logical(np.logical_xor, "logical_xor", "True where exactly one input is nonzero.")


@writes_out
def logical_not(input: Tensor) -> Tensor:
    """True where input is zero."""
    return _wrap(np.logical_not(input._array))


def _bitwise(np_fn: Any, name: str, doc: str) -> Any:
    def op(input: Any, other: Any) -> Tensor:
        a, b = promote(input, other)
        check_broadcastable(a, b)
        dt = _dtype.result_type(a, b)
        if dt.is_floating_point:
            raise not_implemented(name + "_cpu", dt)
        return _compare(np_fn, a, b)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return writes_out(op)


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and", "input & other on integer or bool tensors.")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or", "input | other on integer or bool tensors.")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor", "input ^ other on integer or bool tensors.")


def _shift(left: bool, name: str, doc: str) -> Any:
    """input << other or input >> other on integer tensors, with C's undefined cases defined as torch does:
    a shift by a negative count or by the width or more gives 0 (left) or the sign fill (right)."""
    kernel = ("lshift" if left else "rshift") + "_cpu"

    def op(input: Any, other: Any) -> Tensor:
        a, b = promote(input, other)
        check_broadcastable(a, b)
        dt = _dtype.result_type(a, b)
        if dt.is_floating_point or dt is _dtype.bool:
            raise not_implemented(kernel, dt)
        a, b = (np.asarray(x, dtype=dt.np) for x in wrap_overflowing_ints((array_of(a), array_of(b))))
        bits = dt.itemsize * 8
        out_of_range = (b < 0) | (b >= bits)
        count = np.where(out_of_range, 0, b).astype(dt.np)
        if left:
            out = np.where(out_of_range, 0, np.left_shift(a, count))
        else:
            fill = np.right_shift(a, bits - 1) if dt.is_signed else np.zeros_like(a)
            out = np.where(out_of_range, fill, np.right_shift(a, count))
        return _wrap(np.asarray(out, dtype=dt.np))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


bitwise_left_shift = _shift(True, "bitwise_left_shift", "input << other on integer tensors (bits shifted out are lost).")
bitwise_right_shift = _shift(False, "bitwise_right_shift", "input >> other on integer tensors (arithmetic for signed).")


@writes_out
def bitwise_not(input: Tensor) -> Tensor:
    """~input on integer or bool tensors (logical not for bool)."""
    if input._array.dtype.kind == "f":
        raise not_implemented("bitwise_not_cpu", input.dtype)
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


@writes_out(dtype_rule="same", message="Expected out type to be {result} but got {out}")
def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """Elements of `input` where `condition` is True, else of `other` (broadcasting all three).
    With only `condition`: the indices of its nonzero elements, as a tuple per dimension."""
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    if condition._array.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with "
                           f"dtype {type_name(condition.dtype)}")
    if isinstance(input, Tensor) or isinstance(other, Tensor):
        _check_number_fits(input, other)
        a, b = promote(input, other)
    else:  # two numbers: the result has their default dtype, like torch
        dt = _dtype.result_type(input, other).np
        a, b = _wrap(np.asarray(input, dt)), _wrap(np.asarray(other, dt))
    return apply_broadcasting(Where, condition._array, a, b)


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """True where |input - other| <= atol + rtol * |other| (or exactly equal), broadcasting."""
    check_tensor("isclose", other)
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
    check_tensor("equal", other)
    return input.shape == other.shape and bool(eq(input, other)._array.all())


def masked_grad(grad: Tensor, mask: np.ndarray) -> Tensor:
    """grad where mask is True, else 0 (a where, so an infinite grad does not become nan)."""
    return where(_wrap(mask), grad, 0.0)


# ----- special values ------------------------------------------------------------------
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
@writes_out(dtype_rule="same", message="signbit does not support non-boolean outputs.")
def signbit(input: Tensor) -> Tensor:
    """True where the sign bit is set: negative numbers, -0.0 and nan with a negative sign."""
    a = input._array
    return _wrap(np.asarray(np.signbit(a) if a.dtype.kind == "f" else a < 0))


# unlike isnan/isinf/isfinite, these two take out= (a bool tensor only)
isposinf = writes_out(_predicate(np.isposinf, False, "isposinf", "True where input is +inf."), dtype_rule="same",
                      message="isposinf does not support non-boolean outputs.")
isneginf = writes_out(_predicate(np.isneginf, False, "isneginf", "True where input is -inf."), dtype_rule="same",
                      message="isneginf does not support non-boolean outputs.")


# ----- clamp, maximum, minimum ---- --------------------------------------------------
class Clamp(Function):
    """min(max(a, lo), hi), with lo or hi None for a one-sided clamp (hi wins where lo > hi)."""

    @staticmethod
    def forward(ctx, a, lo, hi):
        if a.dtype.kind == "f":  # np.clip with both bounds is several times faster than maximum/minimum
            out = np.clip(a, -np.inf if lo is None else lo, np.inf if hi is None else hi)
        else:
            out = np.clip(a, lo, hi)
        need = ctx.needs_input_grad
        if any(need):
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
        return tuple(masked_grad(grad, mask) if need else None
                     for need, mask in zip(ctx.needs_input_grad, ctx.masks))


_C_TYPE_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t"}


def _integer_bound(bound: Any, dt: _dtype.dtype) -> Any:
    """A Python int clamp bound converted to integer dtype `dt` as torch converts it: an unsigned type also
    takes negatives down to -max (which wrap around); anything further out is an overflow error."""
    if not isinstance(bound, int) or isinstance(bound, bool) or dt is _dtype.bool:
        return bound
    info = np.iinfo(dt.np)
    lowest = -info.max if info.min == 0 else info.min
    if not lowest <= bound <= info.max:
        raise RuntimeError(f"value cannot be converted to type {_C_TYPE_NAMES[dt.name]} without overflow")
    return np.array(bound).astype(dt.np) if bound < info.min else bound


def _check_number_fits(a: Any, b: Any) -> None:
    """torch's overflow error for a Python int beside an integer tensor that it does not fit (as converted
    by `_integer_bound`)."""
    for number, other in ((a, b), (b, a)):
        if isinstance(other, Tensor) and not other.dtype.is_floating_point:
            _integer_bound(number, other.dtype)


# torch names the node by overload: clamp's ends in 0 for tensor bounds, clamp_min/max's in 0 for a number
_CLAMP_NODES = {("Clamp", True): Clamp, ("Clamp", False): renamed(Clamp, "ClampBackward1"),
                **{(kind, tensor_bound): renamed(Clamp, f"{kind}Backward{int(tensor_bound)}")
                   for kind in ("ClampMin", "ClampMax") for tensor_bound in (False, True)}}


@writes_out(dtype_rule="same", message="Found dtype {out} but expected {result}")
def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """input limited to [min, max] (numbers or broadcasting tensors); where min > max, max."""
    return _clamp(input, min, max, "Clamp")


def _clamp(input: Tensor, min: Any, max: Any, kind: str) -> Tensor:
    check_tensor_input("clamp", input)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [as_tensor_operand(x) for x in (min, max) if x is not None]
    if len(bounds) == 2 and isinstance(bounds[0], Tensor) != isinstance(bounds[1], Tensor):
        kinds = ", ".join(type(x).__name__ for x in (input, min, max))
        raise TypeError(f"clamp() received an invalid combination of arguments - got ({kinds}), but expected one "
                        "of:\n * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n"
                        " * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)\n")
    dt = _dtype.result_type(input, *bounds)
    tensor_bounds = builtins.any(isinstance(x, Tensor) for x in bounds)
    if dt is _dtype.bool and (len(bounds) == 2 or not tensor_bounds):  # one tensor bound is maximum/minimum
        kernel = "clamp" if len(bounds) == 2 else "clamp_min" if max is None else "clamp_max"
        raise not_implemented(kernel + ("_cpu" if tensor_bounds else "_scalar_cpu"), dt)
    a = input if input._array.dtype == dt.np else input.to(dt)
    if not dt.is_floating_point:
        min, max = (_integer_bound(x, dt) for x in (min, max))
    if tensor_bounds:
        min, max = (None if x is None else x.to(dt) if isinstance(x, Tensor) else _wrap(np.asarray(x, dt.np))
                    for x in (min, max))
    return apply_broadcasting(_CLAMP_NODES[kind, tensor_bounds], a, min, max)


clip = clamp


@writes_out(dtype_rule="same", message="Found dtype {out} but expected {result}")
def clamp_min(input: Tensor, min: Any) -> Tensor:
    """max(input, min), elementwise."""
    if min is None:
        raise TypeError("clamp_min() received an invalid combination of arguments - got (Tensor, NoneType), but "
                        "expected one of:\n * (Tensor input, Tensor min, *, Tensor out = None)\n"
                        " * (Tensor input, Number min, *, Tensor out = None)\n")
    return _clamp(input, min, None, "ClampMin")


@writes_out(dtype_rule="same", message="Found dtype {out} but expected {result}")
def clamp_max(input: Tensor, max: Any) -> Tensor:
    """min(input, max), elementwise."""
    if max is None:
        raise TypeError("clamp_max() received an invalid combination of arguments - got (Tensor, NoneType), but "
                        "expected one of:\n * (Tensor input, Tensor max, *, Tensor out = None)\n"
                        " * (Tensor input, Number max, *, Tensor out = None)\n")
    return _clamp(input, None, max, "ClampMax")


class Maximum(Function):
    @staticmethod
    def forward(ctx, a, b):
        # torch's masks: ties split the gradient evenly, nan sends it to both inputs
        ctx.masks = (a < b, a == b, a > b) if any(ctx.needs_input_grad) else None
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _tie_split(ctx, grad, *ctx.masks)


class Minimum(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.masks = (a > b, a == b, a < b) if any(ctx.needs_input_grad) else None
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
        ctx.a_wins = ((a >= b) | np.isnan(b)) if any(ctx.needs_input_grad) else None  # a's value is the result
        return np.fmax(a, b)

    @staticmethod
    def backward(ctx, grad):
        return masked_grad(grad, ctx.a_wins), masked_grad(grad, ~ctx.a_wins)


class Fmin(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.a_wins = ((a <= b) | np.isnan(b)) if any(ctx.needs_input_grad) else None
        return np.fmin(a, b)

    @staticmethod
    def backward(ctx, grad):
        return masked_grad(grad, ctx.a_wins), masked_grad(grad, ~ctx.a_wins)


def _binary_tensor_op(fn: type, name: str, doc: str) -> Any:
    def op(input: Tensor, other: Tensor) -> Tensor:
        check_tensor_input(name, input)
        check_tensor(name, other)
        return apply_broadcasting(fn, *promote(input, other))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return writes_out(op)


maximum = _binary_tensor_op(Maximum, "maximum", "The larger of input and other, elementwise (nan wins).")
minimum = _binary_tensor_op(Minimum, "minimum", "The smaller of input and other, elementwise (nan wins).")
fmax = _binary_tensor_op(Fmax, "fmax", "The larger of input and other, elementwise, ignoring nan.")
fmin = _binary_tensor_op(Fmin, "fmin", "The smaller of input and other, elementwise, ignoring nan.")
