"""Activation functions that are primitives (a Function) rather than compositions.

Each forward computes on ndarrays; each backward is written with Tensor ops on the
saved input or output, so that second derivatives work. Piecewise derivatives use a
constant mask (a bool ndarray made in forward): the mask does not depend smoothly on
the input, so it can stay outside the graph.

The nn layer (nn/functional.py) picks between these and plain compositions of
existing ops (e.g. silu = x * sigmoid(x)).
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._common import type_name
from .compare import where
from .math import _erf_forward, exp, sigmoid

__all__: list = []  # reached through minitorch.nn.functional

_INV_SQRT2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


def _as(value: float, like: np.ndarray) -> np.ndarray:
    return np.asarray(value, dtype=like.dtype)


class Hardtanh(Function):
    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.mask = (a > lo) & (a < hi)
        return np.clip(a, _as(lo, a), _as(hi, a))

    @staticmethod
    def backward(ctx, grad):
        return grad * _wrap(ctx.mask), None, None


class LeakyRelu(Function):
    @staticmethod
    def forward(ctx, a, slope):
        ctx.scale = np.where(a > 0, _as(1, a), _as(slope, a))
        return a * ctx.scale

    @staticmethod
    def backward(ctx, grad):
        return grad * _wrap(ctx.scale), None


class Threshold(Function):
    @staticmethod
    def forward(ctx, a, threshold, value):
        ctx.mask = a > threshold
        return np.where(ctx.mask, a, _as(value, a))

    @staticmethod
    def backward(ctx, grad):
        return grad * _wrap(ctx.mask), None, None


class Elu(Function):
    """scale * (x if x > 0 else alpha * (exp(input_scale * x) - 1)): ELU, SELU and CELU."""

    @staticmethod
    def forward(ctx, a, alpha, scale, input_scale):
        ctx.params = alpha, scale, input_scale
        ctx.mask = a > 0
        neg = np.minimum(a, 0) * _as(input_scale, a)
        out = np.where(ctx.mask, a * _as(scale, a), _as(scale * alpha, a) * np.expm1(neg))
        # The derivative is written in terms of the output, so elu_ (in place) can still backprop.
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.params
        negative_slope = (out + scale * alpha) * input_scale  # d/dx of scale*alpha*(exp(is*x) - 1)
        return grad * where(_wrap(ctx.mask), scale, negative_slope), None, None, None


class NormalCdf(Function):
    """Phi(x) = P(N(0, 1) <= x), the standard normal CDF."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return (0.5 * (1 + _erf_forward(a * _as(_INV_SQRT2, a), 0))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * exp(a * a * -0.5) * _INV_SQRT_2PI


class Gelu(Function):
    """x * Phi(x), with the exact (erf) normal CDF."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return (a * 0.5 * (1 + _erf_forward(a * _as(_INV_SQRT2, a), 0))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * (NormalCdf.apply(a) + a * exp(a * a * -0.5) * _INV_SQRT_2PI)


class Softplus(Function):
    """log(1 + exp(beta * x)) / beta, and x itself where beta * x > threshold."""

    @staticmethod
    def forward(ctx, a, beta, threshold):
        ctx.save_for_backward(a)
        ctx.beta = beta
        ctx.linear = a * _as(beta, a) > threshold
        smooth = np.logaddexp(_as(0, a), a * _as(beta, a)) / _as(beta, a)
        return np.where(ctx.linear, a, smooth)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * where(_wrap(ctx.linear), 1.0, sigmoid(a * ctx.beta)), None, None


class LogSigmoid(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        # log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)): no overflow for any x
        return np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * sigmoid(-a)


class Hardsigmoid(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.mask = (a > -3) & (a < 3)
        return np.clip(a / _as(6, a) + _as(0.5, a), _as(0, a), _as(1, a))

    @staticmethod
    def backward(ctx, grad):
        return grad * _wrap(ctx.mask) / 6


class Hardswish(Function):
    """x * relu6(x + 3) / 6."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        ctx.low, ctx.mid = a < -3, (a >= -3) & (a <= 3)
        return a * np.clip(a + _as(3, a), _as(0, a), _as(6, a)) / _as(6, a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        slope = where(_wrap(ctx.mid), a / 3 + 0.5, 1.0)
        return grad * where(_wrap(ctx.low), 0.0, slope)


def softmax_dim(name: str, ndim: int, stacklevel: int = 3) -> int:
    """The dim softmax uses when none is given (deprecated implicit choice, with torch's warning)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def check_float(name: str, input: Tensor) -> None:
    """Activations are defined on floating tensors only (torch says which kernel is missing)."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{name}\" not implemented for '{type_name(input.dtype)}'")
