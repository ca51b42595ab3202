"""Activation functions (torch.nn.functional's relu, gelu, softplus, softmax, ...).

The first half defines the activations that are primitives (a Function) rather than
compositions; the second half the public functions, which check arguments like torch,
honour `inplace=True` and pick between a primitive and plain compositions of existing
ops (e.g. silu = x * sigmoid(x)). nn/functional.py re-exports them.

Each forward computes on ndarrays; each backward is written with Tensor ops on the
saved input or output, so that second derivatives work. Piecewise derivatives use a
constant mask (a bool ndarray made in forward): the mask does not depend smoothly on
the input, so it can stay outside the graph.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from . import reduction as _reduction
from ._common import type_name
from .arithmetic import abs as _abs
from .compare import where
from .inplace import in_place_source, inplace_update, maybe_in_place
from .math import _erf_forward, exp, sigmoid, tanh
from .math import relu as _relu_op

# public functions, re-exported by nn.functional
__all__ = ["threshold", "threshold_", "relu", "relu_", "hardtanh", "hardtanh_", "relu6", "leaky_relu",
           "leaky_relu_", "prelu", "elu", "elu_", "selu", "celu", "gelu", "silu", "softplus", "mish",
           "logsigmoid", "hardsigmoid", "hardswish", "softsign", "tanhshrink", "hardshrink", "softshrink",
           "softmax", "softmin", "log_softmax"]

_INV_SQRT2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


def _as(value: float, like: np.ndarray) -> np.ndarray:
    return np.asarray(value, dtype=like.dtype)


class Hardtanh(Function):
    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.mask = ~((a <= lo) | (a >= hi))  # NaN passes its gradient through, as in torch
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
        ctx.mask = ~(a <= threshold)  # NaN is kept (and passes its gradient), as in torch
        return np.where(ctx.mask, a, _as(value, a))

    @staticmethod
    def backward(ctx, grad):
        return grad * _wrap(ctx.mask), None, None


class Elu(Function):
    """scale * (x if x > 0 else alpha * (exp(input_scale * x) - 1)): ELU, SELU and CELU."""

    @staticmethod
    def forward(ctx, a, alpha, scale, input_scale):
        ctx.params = alpha, scale, input_scale
        ctx.mask = ~(a <= 0)  # NaN takes the linear branch's gradient, as in torch
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
    def forward(ctx, a, nan_at_inf):
        ctx.save_for_backward(a)
        out = (a * 0.5 * (1 + _erf_forward(a * _as(_INV_SQRT2, a), 0))).astype(a.dtype, copy=False)
        if nan_at_inf:  # torch's vectorised float32 kernel gives NaN at +inf
            out[np.isposinf(a)] = np.nan
        return out

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * (NormalCdf.apply(a) + a * exp(a * a * -0.5) * _INV_SQRT_2PI), None


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


# SELU's constants (Klambauer et al., 2017), shared with alpha_dropout
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946



# ----- activations --------------------------------------------------------------------
def _elementwise(name: str, primitive: Any, input: Tensor, *args: Any) -> Tensor:
    check_float(name, input)
    return primitive.apply(input, *args)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """input where input > threshold, else value."""
    return maybe_in_place(input, Threshold.apply(input, threshold, value), inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place threshold."""
    return inplace_update(input, Threshold.apply(input, threshold, value))


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(input, 0)."""
    return relu_(input) if inplace else _relu_op(input)


def relu_(input: Tensor) -> Tensor:
    """In-place relu."""
    return inplace_update(input, _relu_op(input))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """input clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return maybe_in_place(input, Hardtanh.apply(input, min_val, max_val), inplace)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place hardtanh."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(input, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """input where positive, negative_slope * input elsewhere."""
    return maybe_in_place(input, _elementwise("leaky_relu_cpu", LeakyRelu, input, negative_slope), inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place leaky_relu."""
    return leaky_relu(input, negative_slope, inplace=True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """leaky_relu with a learnable slope per channel (dim 1), or one shared slope."""
    if weight.numel() != 1:
        channels = input.shape[1] if input.ndim >= 2 else 1
        if input.ndim == 0 or weight.numel() != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter "
                               f"numbers = {weight.numel()} and channel size = {channels}.")
        weight = weight.reshape((channels,) + (1,) * (input.ndim - 2))
    return where(input > 0, input, weight * input)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """input where positive, alpha * (exp(input) - 1) elsewhere."""
    return maybe_in_place(input, _elementwise("elu_cpu", Elu, input, alpha, 1.0, 1.0), inplace)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place elu."""
    return elu(input, alpha, inplace=True)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(input, alpha) with the self-normalising constants."""
    return maybe_in_place(input, _elementwise("elu_cpu", Elu, input, _SELU_ALPHA, _SELU_SCALE, 1.0),
                          inplace)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    return maybe_in_place(input, _elementwise("elu_cpu", Elu, input, alpha, 1.0, 1.0 / alpha), inplace)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) (exact), or its tanh approximation with approximate='tanh'."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    check_float("GeluKernelImpl", input)
    if approximate == "none":
        # torch computes half in float32; its half kernel gives inf at +inf with AVX512, NaN with AVX2
        half = input._array.dtype == np.float16
        return Gelu.apply(input.float(), False).half() if half else Gelu.apply(input, input._array.dtype == np.float32)
    if input._array.dtype == np.float16:  # x**3 overflows half at 1e4
        return gelu(input.float(), approximate).half()
    inner = (input + input * input * input * 0.044715) * math.sqrt(2 / math.pi)
    return input * 0.5 * (tanh(inner) + 1)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x)."""
    check_float("silu_cpu", input)
    x = in_place_source(input, inplace)
    return maybe_in_place(input, x * sigmoid(x), inplace)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta * x)) / beta; linear where beta * x > threshold."""
    return _elementwise("softplus_cpu", Softplus, input, beta, threshold)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))."""
    check_float("mish_cpu", input)
    x = in_place_source(input, inplace)
    return maybe_in_place(input, x * tanh(Softplus.apply(x, 1.0, 20.0)), inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)), without overflow."""
    return _elementwise("log_sigmoid_cpu", LogSigmoid, input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """clamp(x / 6 + 1/2, 0, 1)."""
    return maybe_in_place(input, _elementwise("hardsigmoid_cpu", Hardsigmoid, input), inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * hardsigmoid(x)."""
    return maybe_in_place(input, _elementwise("hardswish_cpu", Hardswish, in_place_source(input, inplace)), inplace)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (_abs(input) + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    return input - tanh(input)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    return where((input >= -lambd) & (input <= lambd), 0.0, input)  # NaN stays NaN


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return where((input >= -lambd) & (input <= lambd), 0.0, where(input > lambd, input - lambd, input + lambd))


def _softmax_input(name: str, input: Tensor, dim: int | None, dtype: Any, stacklevel: int) -> tuple:
    """(input in `dtype`, dim); the reduction checks dim (also on a 0-d tensor) and the dtype, in torch's order."""
    if dim is None:
        dim = softmax_dim(name, input.ndim, stacklevel + 1)
    if dtype is not None:
        input = input.to(dtype)
    return input, dim


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x) / exp(x).sum(dim), computed stably."""
    input, dim = _softmax_input("softmax", input, dim, dtype, _stacklevel)
    return _reduction.softmax(input, dim)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x)."""
    input, dim = _softmax_input("softmin", input, dim, dtype, _stacklevel)
    return _reduction.softmax(-input, dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x - logsumexp(x, dim), computed stably."""
    input, dim = _softmax_input("log_softmax", input, dim, dtype, _stacklevel)
    return _reduction.log_softmax(input, dim)
