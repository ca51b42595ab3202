"""Special functions: lgamma, digamma, polygamma, and the binary xlogy, logaddexp, logaddexp2.

numpy has no gamma-family ufuncs, so the scalar functions below are numba ufuncs compiled on
first use (cached on disk), computed in float64 and rounded once (float16 and float32 too):

* lgamma: libm's lgamma (math.lgamma);
* digamma: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic series
  psi(x) ~ ln x - 1/(2x) - sum B_2k / (2k x^2k); reflection psi(x) = psi(1 - x) - pi / tan(pi x)
  below 0. Poles as torch: -inf at +0, +inf at -0, nan at the negative integers;
* polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x), the Hurwitz zeta summed directly up to
  q >= 20 + n and Euler-Maclaurin after that (10 Bernoulli terms: float64 accurate); for n = 1
  (digamma's derivative) torch's own trigamma series instead, whose rounding torch's gradients carry.

Derivatives as torch's: lgamma' = digamma, digamma' = polygamma(1, .), polygamma(n)' = polygamma(n + 1).

Bounds: the scalar functions index one array, the 10 entries of _BERNOULLI_OVER_FACTORIAL, with
j in range(10); numba's ufunc machinery does the rest of the indexing.
"""
from __future__ import annotations

import functools
import math
from typing import Any

import numba
import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._common import (apply_broadcasting, check_broadcastable, check_tensor, check_tensor_input, not_implemented,
                      promote_to_float)
from .inplace import writes_out
from .compare import where
from .math import A, _real, exp, exp2, log

__all__ = ["lgamma", "digamma", "polygamma", "mvlgamma", "xlogy", "logaddexp", "logaddexp2"]

# B_2k / (2k)!, k = 1..10, for Euler-Maclaurin
_BERNOULLI_OVER_FACTORIAL = (1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160, -691 / 1307674368000,
                             1 / 74724249600, -3617 / 10670622842880000, 43867 / 5109094217170944000,
                             -174611 / 802857662698291200000)


def _digamma_scalar(x: float) -> float:
    if x == 0:
        return math.copysign(math.inf, -x)
    result = 0.0
    if x < 0:
        whole = math.trunc(x)
        if x == whole:
            return math.nan
        # reflection, psi(x) = psi(1 - x) - pi / tan(pi x), with the fractional part where tan is accurate
        result = -math.pi / math.tan(math.pi * (x - whole))
        x = 1 - x
    while x < 10:
        result -= 1 / x
        x += 1
    inv2 = 1 / (x * x)
    series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (
        1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))))
    return result + math.log(x) - 0.5 / x - series


@numba.njit(cache=True)
def _trigamma_scalar(x: float) -> float:
    """polygamma(1, x) the way torch computes it (its own short series, ~1e-10 relative in float64):
    reflection by pi^2 / sin(pi x)^2 below 1/2, six recurrence steps, then five asymptotic terms.
    (At the negative integers sin(pi x) is a rounding error, not 0: a large finite value, like torch.)"""
    sign, result = 1.0, 0.0
    if x < 0.5:
        sign = -1.0
        sin_pi_x = math.sin(math.pi * x)
        result -= math.inf if sin_pi_x == 0 else math.pi * math.pi / (sin_pi_x * sin_pi_x)
        x = 1 - x
    for _ in range(6):
        result += 1 / (x * x)
        x += 1
    ixx = 1 / (x * x)
    result += (1 + 1 / (2 * x) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / x
    return sign * result


def _polygamma_scalar(n: int, x: float) -> float:
    s = n + 1
    if n == 1:
        return _trigamma_scalar(x)
    if x == math.inf:  # torch's zeta gives nan there
        return math.nan
    if x <= 0 and x == math.floor(x):  # a pole (also -inf): zeta(s, q) is +inf there
        return math.inf * (1 if n % 2 == 1 else -1)
    total = 0.0
    q = x
    while q < 20 + n:
        total += q ** -s
        q += 1
    tail = q ** (1 - s) / (s - 1) + 0.5 * q ** -s
    rising = float(s)  # s (s+1) ... (s + 2j - 2)
    power = q ** (-s - 1)
    for j in range(10):
        tail += _BERNOULLI_OVER_FACTORIAL[j] * rising * power
        rising *= (s + 2 * j + 1) * (s + 2 * j + 2)
        power /= q * q
    sign = 1.0 if n % 2 == 1 else -1.0
    return sign * math.gamma(n + 1) * (total + tail)


def _lgamma_scalar(x: float) -> float:
    return math.lgamma(x)


@functools.cache
def _ufuncs() -> dict:
    """The numba ufuncs (float64 inside; float16 and float32 round the float64 result once)."""
    return {"lgamma": numba.vectorize(["float64(float64)"], cache=True)(_lgamma_scalar),
            "digamma": numba.vectorize(["float64(float64)"], cache=True)(_digamma_scalar),
            "polygamma": numba.vectorize(["float64(int64, float64)"], cache=True)(_polygamma_scalar)}


def _in_float64(name: str, a: np.ndarray, *n: int) -> np.ndarray:
    with np.errstate(all="ignore"):  # poles give +-inf or nan, as in torch, without warnings
        return np.asarray(_ufuncs()[name](*n, a.astype(np.float64))).astype(a.dtype, copy=False)


Lgamma, lgamma = _real("Lgamma", lambda a: _in_float64("lgamma", a), A, lambda grad, a: grad * digamma(a),
                       "log |Gamma(input)|, elementwise (+inf at 0 and the negative integers).")
Digamma, digamma = _real("Digamma", lambda a: _in_float64("digamma", a), A, lambda grad, a: grad * polygamma(1, a),
                         "The logarithmic derivative of Gamma, Gamma'(x) / Gamma(x), elementwise.")


class Polygamma(Function):
    @staticmethod
    def forward(ctx, a, n):
        ctx.save_for_backward(a)
        ctx.n = n
        return _in_float64("polygamma", a, n)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * polygamma(ctx.n + 1, a), None


@writes_out
def polygamma(n: int, input: Tensor) -> Tensor:
    """The n-th derivative of digamma, elementwise (n = 0 is digamma itself)."""
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    check_tensor_input("polygamma", input)
    if n == 0:
        return digamma(input)
    return Polygamma.apply(input if input.dtype.is_floating_point else input.to(_dtype.get_default_dtype()), int(n))


@writes_out
def mvlgamma(input: Tensor, p: int) -> Tensor:
    """The multivariate log-gamma of dimension p: p(p-1)/4 log(pi) + sum_{j<p} lgamma(input - j/2), elementwise."""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    if input.dtype is _dtype.bool:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    x = input if input.dtype.is_floating_point else input.to(_dtype.get_default_dtype())
    shifts = sum(lgamma(x - j / 2) for j in range(1, p))
    return lgamma(x) + shifts + p * (p - 1) / 4 * math.log(math.pi)


# ----- xlogy, logaddexp ------------------------------------------------------------------
class Xlogy(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(a == 0, 0, a * np.log(b))
        return np.where(np.isnan(b), np.nan, out).astype(np.result_type(a, b), copy=False)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        # d/dx = log y, set to 0 where x == 0 and y <= 0 (torch's choice: there x log y is 0 for every x near 0)
        return (grad * where((a == 0) & (b <= 0), 0.0, log(b)) if need_a else None,
                grad * a / b if need_b else None)


@writes_out
def xlogy(input: Any, other: Any) -> Tensor:
    """input * log(other), 0 where input is 0 (unless other is nan), broadcasting; integers give floats."""
    a, b = promote_to_float(input, other)
    dt = (a if isinstance(a, Tensor) else b)._array.dtype
    # a number operand as a 0-d tensor of the computation dtype, so that the backward has tensors on both sides
    a, b = (x if isinstance(x, Tensor) else _wrap(np.asarray(x, dtype=dt)) for x in (a, b))
    return apply_broadcasting(Xlogy, a, b)


def _log_add(name: str, np_fn: Any, rel_exp: Any, doc: str) -> Any:
    class LogAdd(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return np_fn(a, b)

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            need_a, need_b = ctx.needs_input_grad
            return (grad / (1 + rel_exp(b - a)) if need_a else None, grad / (1 + rel_exp(a - b)) if need_b else None)
    LogAdd.__name__ = LogAdd.__qualname__ = name.capitalize()

    def op(input: Tensor, other: Tensor) -> Tensor:
        check_tensor_input(name, input)
        check_tensor(name, other)
        a, b = promote_to_float(input, other)
        check_broadcastable(a, b)  # torch's shape error comes before its dtype error
        if not input.dtype.is_floating_point and not other.dtype.is_floating_point:
            raise not_implemented(f"{name}_cpu", _dtype.result_type(input, other))
        return apply_broadcasting(LogAdd, a, b)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return LogAdd, writes_out(op)


Logaddexp, logaddexp = _log_add("logaddexp", np.logaddexp, exp, "log(exp(input) + exp(other)), without overflow.")
Logaddexp2, logaddexp2 = _log_add("logaddexp2", np.logaddexp2, exp2, "log2(2**input + 2**other), without overflow.")
