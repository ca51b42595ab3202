"""Functions of reals: exp, log, sqrt, the trigonometric family, sigmoid, erf, relu, ...

Integer and bool inputs are computed in the default float dtype, as torch does.

`Exp` and `Relu` are written out in full (the README's worked examples). Every other
function of one real argument is one row of a table: the numpy function, whether
backward needs the input `a` or the output `y`, and the derivative as one line, the way
autograd's derivative tables read:

    Sin, sin = _real("Sin", np.sin, A, lambda grad, a: grad * cos(a), "Sine, elementwise.")

Derivatives at kinks follow torch: relu'(0) = 0, sqrt'(0) = inf.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ..kernels import relu_backward, relu_forward
from ._common import (apply_broadcasting, as_float, check_broadcastable, check_tensor, check_tensor_input,
                      constant_like, not_implemented, promote, promote_to_float, zeros_like_grad)
from .compare import masked_grad, where
from .inplace import writes_out

__all__ = ["exp", "exp2", "log", "log2", "log10", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tan",
           "asin", "acos", "atan", "arcsin", "arccos", "arctan", "atan2", "arctan2", "sinh", "cosh", "tanh",
           "asinh", "acosh", "atanh", "arcsinh", "arccosh", "arctanh", "sigmoid", "relu", "erf", "erfc",
           "hypot", "copysign", "nan_to_num", "deg2rad", "rad2deg", "erfinv", "sinc", "logit"]


def _unary_float(fn: type, doc: str) -> Any:
    """The public function of a Function of one real argument (ints and bools computed as floats)."""
    def op(input: Tensor) -> Tensor:
        return fn.apply(input if input._array.dtype.kind == "f" else input.to(_dtype.get_default_dtype()))
    op.__name__ = op.__qualname__ = fn.__name__.lower()
    op.__doc__ = doc
    return writes_out(op)


# ----- the worked example -------------------------------------------------------------
class Exp(Function):
    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)  # d/da e^a = e^a: keep the output, not the input
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out


exp = _unary_float(Exp, "e ** input, elementwise.")


# ----- the table ----------------------------------------------------------------------
A, Y = "input", "output"  # what backward needs: the input a, or the output y = f(a)


def _real(name: str, np_fn: Callable, saves: str, derivative: Callable, doc: str) -> tuple[type, Any]:
    """A Function computing `np_fn` whose backward is `derivative(grad, a or y)`, and its public function.

    The node is named `<name>Backward0`, like torch's.
    """
    def forward(ctx, a):
        out = np_fn(a)
        ctx.save_for_backward(a if saves == A else out)
        return out

    def backward(ctx, grad):
        saved, = ctx.saved_tensors
        return derivative(grad, saved)

    fn = type(name, (Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward),
                                  "__module__": __name__, "__doc__": doc})
    return fn, _unary_float(fn, doc)


def _quiet(np_fn: Callable) -> Callable:
    """np_fn without numpy's warnings outside its domain: like torch, it just gives nan or inf."""
    def quiet(a: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np_fn(a)
    return quiet


def _sigmoid(a: np.ndarray) -> np.ndarray:
    # 1 / (1 + exp(-a)) in one buffer; exp overflowing to inf for very negative a gives exactly 0
    out = np.asarray(np.negative(a))  # (numpy gives a scalar for 0-d input)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1
    np.reciprocal(out, out=out)
    return out


@functools.cache
def _erf_ufuncs() -> tuple:
    """numba ufuncs for erf and erfc (numpy has none), compiled on first use and cached on disk.
    (Bounds: these and erfinv's scalar functions index no array; the ufunc machinery does.)"""
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


_LN2, _LN10, _TWO_OVER_SQRT_PI = math.log(2.0), math.log(10.0), 2 / math.sqrt(math.pi)

# Function, function = _real(name, numpy function, what backward needs, derivative rule, docstring)
Exp2, exp2 = _real("Exp2", np.exp2, Y, lambda grad, y: grad * y * _LN2, "2 ** input, elementwise.")
Expm1, expm1 = _real("Expm1", np.expm1, Y, lambda grad, y: grad * (y + 1), "exp(input) - 1, accurate near 0.")
Log, log = _real("Log", _quiet(np.log), A, lambda grad, a: grad / a,
                 "Natural logarithm, elementwise (nan below 0, -inf at 0).")
Log2, log2 = _real("Log2", _quiet(np.log2), A, lambda grad, a: grad / (a * _LN2), "Base-2 logarithm, elementwise.")
Log10, log10 = _real("Log10", _quiet(np.log10), A, lambda grad, a: grad / (a * _LN10),
                     "Base-10 logarithm, elementwise.")
Log1p, log1p = _real("Log1p", _quiet(np.log1p), A, lambda grad, a: grad / (a + 1), "log(1 + input), accurate near 0.")
Sqrt, sqrt = _real("Sqrt", _quiet(np.sqrt), Y, lambda grad, y: grad / (y * 2),
                   "Square root, elementwise (nan below 0).")
Rsqrt, rsqrt = _real("Rsqrt", _quiet(lambda a: np.reciprocal(np.sqrt(a))), Y, lambda grad, y: grad * y * y * y * -0.5,
                     "1 / sqrt(input), elementwise.")
Sin, sin = _real("Sin", np.sin, A, lambda grad, a: grad * cos(a), "Sine, elementwise.")
Cos, cos = _real("Cos", np.cos, A, lambda grad, a: -grad * sin(a), "Cosine, elementwise.")
Tan, tan = _real("Tan", np.tan, Y, lambda grad, y: grad * (y * y + 1), "Tangent, elementwise.")
Asin, asin = _real("Asin", _quiet(np.arcsin), A, lambda grad, a: grad * rsqrt(1 - a * a),
                   "Inverse sine, elementwise (nan outside [-1, 1]).")
Acos, acos = _real("Acos", _quiet(np.arccos), A, lambda grad, a: -grad * rsqrt(1 - a * a),
                   "Inverse cosine, elementwise (nan outside [-1, 1]).")
Atan, atan = _real("Atan", np.arctan, A, lambda grad, a: grad / (a * a + 1), "Inverse tangent, elementwise.")
Sinh, sinh = _real("Sinh", np.sinh, A, lambda grad, a: grad * cosh(a), "Hyperbolic sine, elementwise.")
Cosh, cosh = _real("Cosh", np.cosh, A, lambda grad, a: grad * sinh(a), "Hyperbolic cosine, elementwise.")
Tanh, tanh = _real("Tanh", np.tanh, Y, lambda grad, y: grad * (1 - y * y), "Hyperbolic tangent, elementwise.")
Asinh, asinh = _real("Asinh", np.arcsinh, A, lambda grad, a: grad * rsqrt(a * a + 1),
                     "Inverse hyperbolic sine, elementwise.")
Acosh, acosh = _real("Acosh", _quiet(np.arccosh), A, lambda grad, a: grad * rsqrt(a * a - 1),
                     "Inverse hyperbolic cosine, elementwise (nan below 1).")
Atanh, atanh = _real("Atanh", _quiet(np.arctanh), A, lambda grad, a: grad / (1 - a * a),
                     "Inverse hyperbolic tangent, elementwise (+-inf at +-1).")
Sigmoid, sigmoid = _real("Sigmoid", _sigmoid, Y, lambda grad, y: grad * y * (1 - y),
                         "1 / (1 + exp(-input)), elementwise, without overflow.")
Erf, erf = _real("Erf", lambda a: _erf_forward(a, 0), A, lambda grad, a: grad * exp(-a * a) * _TWO_OVER_SQRT_PI,
                 "The error function, elementwise.")
Erfc, erfc = _real("Erfc", lambda a: _erf_forward(a, 1), A, lambda grad, a: grad * exp(-a * a) * -_TWO_OVER_SQRT_PI,
                   "1 - erf(input), accurate for large inputs.")
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


# ----- angle units, erfinv, sinc ------------------------------------------------------
_DEG = math.pi / 180


def _in_dtype(constant: float, a: np.ndarray) -> Any:
    """A Python constant as a scalar of a's dtype, so that multiplying by it stays in that dtype (as in torch)."""
    return a.dtype.type(constant)


def _erfinv_scalar(y):
    """The x with erf(x) = y: a closed-form first guess refined by Newton steps (quadratic convergence).

    The guess is Winitzki's approximation (relative error ~2e-3), so four steps reach double precision.
    Near |y| = 1 the steps solve erfc(x) = 1 - y instead, which keeps the digits that erf(x) - y
    would cancel away.
    """
    if not -1.0 <= y <= 1.0:  # also nan
        return math.nan
    t = abs(y)
    if t == 1.0:
        return math.copysign(math.inf, y)
    a = 0.147
    log_term = math.log((1.0 - t) * (1.0 + t))
    first = 2.0 / (math.pi * a) + log_term / 2.0
    x = math.sqrt(math.sqrt(first * first - log_term / a) - first)
    for _ in range(4):
        slope = 2.0 / math.sqrt(math.pi) * math.exp(-x * x)
        if slope == 0.0:
            break
        residual = math.erf(x) - t if t <= 0.5 else (1.0 - t) - math.erfc(x)
        x -= residual / slope
    return math.copysign(x, y)


@functools.cache
def _erfinv_ufunc() -> Any:
    """A numba ufunc of _erfinv_scalar, compiled on first use and cached on disk."""
    import numba
    return numba.vectorize(["float64(float64)"], cache=True)(_erfinv_scalar)


def _erfinv(a: np.ndarray) -> np.ndarray:
    return _erfinv_ufunc()(a.astype(np.float64)).astype(a.dtype)


def _sinc(a: np.ndarray) -> np.ndarray:
    """sin(pi x) / (pi x), 1 at 0; float16 is computed in float32, like torch."""
    x = a.astype(np.float32) if a.dtype == np.float16 else a
    product = _in_dtype(math.pi, x) * x
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(x == 0, x.dtype.type(1), np.sin(product) / product)
    return np.asarray(out, dtype=a.dtype)


def _sinc_derivative(grad: Tensor, a: Tensor) -> Tensor:
    # (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 at x = 0
    product = a * math.pi
    slope = (product * cos(product) - sin(product)) / (product * a)
    return grad * where(a == 0, 0.0, slope)


Deg2Rad, deg2rad = _real("Deg2Rad", lambda a: a * _in_dtype(_DEG, a), A, lambda grad, a: grad * _DEG,
                         "input converted from degrees to radians.")
Rad2Deg, rad2deg = _real("Rad2Deg", lambda a: a * _in_dtype(1 / _DEG, a), A, lambda grad, a: grad * (1 / _DEG),
                         "input converted from radians to degrees.")
Erfinv, erfinv = _real("Erfinv", _erfinv, Y, lambda grad, y: grad * exp(y * y) * (math.sqrt(math.pi) / 2),
                       "The inverse of erf: the x with erf(x) = input (+-inf at +-1, nan outside [-1, 1]).")
Sinc, sinc = _real("Sinc", _sinc, A, _sinc_derivative, "The normalized sinc: sin(pi x) / (pi x), and 1 at 0.")


class Logit(Function):
    @staticmethod
    def forward(ctx, a, eps):
        ctx.eps = eps
        x = a if eps is None else np.clip(a, eps, 1 - eps)
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x / (1 - x))

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        slope = grad / (a * (1 - a))
        if ctx.eps is None:  # outside [0, 1] the derivative is nan
            return where((a < 0) | (a > 1), math.nan, slope), None
        return where((a < ctx.eps) | (a > 1 - ctx.eps), 0.0, slope), None  # clamped: no gradient


@writes_out
def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """log(p / (1 - p)), the inverse of sigmoid; with `eps`, p is first clamped to [eps, 1 - eps]."""
    return Logit.apply(as_float(input), eps)


# ----- relu, the worked example of a piecewise derivative -----------------------------
class Relu(Function):
    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind != "f":
            return np.maximum(a, 0)  # integers never need a gradient
        out = relu_forward(a)
        ctx.save_for_backward(out)  # out <= 0 exactly where a <= 0 (nan passes its gradient, as in torch)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        if grad.requires_grad:  # create_graph: the gradient itself must stay differentiable
            return where(out <= 0, 0.0, grad)
        return _wrap(relu_backward(grad._array, out._array))


def relu(input: Tensor) -> Tensor:
    """max(input, 0), elementwise; the gradient at 0 is 0."""
    if input._array.dtype == np.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    return Relu.apply(input)


# ----- functions of two reals ---------------------------------------------------------
class Atan2(Function):
    """atan2 of the promoted operands; `square_dtypes` are the floating dtypes they had before."""

    @staticmethod
    def forward(ctx, a, b, square_dtypes):
        ctx.square_dtypes = square_dtypes
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        # torch squares each operand in its own dtype before the sum promotes (a float32 beside a
        # float64 is squared in float32); the casts back are exact, the values came from there
        (a_own, b_own) = (t.to(d) for t, d in zip((a, b), ctx.square_dtypes))
        r2 = a_own * a_own + b_own * b_own
        recip = 1 / where(r2 == 0, 1.0, r2)  # torch's gradient at the origin is 0
        return grad * b * recip, grad * -a * recip, None


@writes_out
def atan2(input: Tensor, other: Tensor) -> Tensor:
    """The angle of the point (other, input): atan(input / other) in the right quadrant."""
    check_tensor_input("atan2", input)
    check_tensor("atan2", other)
    a, b = promote_to_float(input, other)
    # an integer operand is squared in the computation dtype (torch squares a uint8 in uint8, wrapping)
    square_dtypes = tuple(t.dtype if t.dtype.is_floating_point else a.dtype for t in (input, other))
    return apply_broadcasting(Atan2, a, b, square_dtypes)


arctan2 = atan2


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


@writes_out
def hypot(input: Tensor, other: Tensor) -> Tensor:
    """sqrt(input**2 + other**2) without overflow, broadcasting; float tensors only."""
    check_tensor_input("hypot", input)
    check_tensor("hypot", other)
    a, b = promote(input, other)
    check_broadcastable(a, b)
    if not a.dtype.is_floating_point:
        raise not_implemented("hypot_cpu", a.dtype)
    return apply_broadcasting(Hypot, a, b)


class Copysign(Function):
    @staticmethod
    def forward(ctx, a, b):
        out = np.copysign(a, b)
        # d out / d a is out / a (+1 or -1: whether the sign was kept), set to 0 at a = 0; like torch
        # it is NaN at +-inf (inf / inf). b only gives a sign: zero gradient
        ctx.factor = np.where(a == 0, 0, out / np.where(a == 0, 1, a)).astype(out.dtype)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * constant_like(ctx.factor, grad), zeros_like_grad(grad)


def copysign(input: Tensor, other: Any) -> Tensor:
    """|input| with the sign (bit) of `other`, broadcasting; integers are computed as floats."""
    check_tensor_input("copysign", input)
    a, b = promote_to_float(input, other)
    check_broadcastable(a, b)
    return apply_broadcasting(Copysign, a, b)


# ----- special values ----------------------------------------------------------------
class NanToNum(Function):
    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.finite = np.isfinite(a)
        return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        return masked_grad(grad, ctx.finite), None, None, None


@writes_out(dtype_rule="same", message="nan_to_num: dtype of out: {out} should be same as input: {result}")
def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """nan, +inf and -inf replaced (by default with 0 and the dtype's largest and lowest values)."""
    if input._array.dtype.kind != "f":
        return _wrap(input._array.copy())
    return NanToNum.apply(input, nan, posinf, neginf)

