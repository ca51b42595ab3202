"""Normalisation layers built on one primitive, `Normalize`.

Batch, layer, instance and group norm all compute xhat = (x - mean) / sqrt(var + eps)
over some dims, then an optional per-channel affine map. They differ only in which
dims are reduced (and in running statistics), so each is a reshape/choice of dims
around `Normalize`, whose backward is the closed-form

    dx = invstd * (g - mean(g) - xhat * mean(g * xhat))

written with Tensor ops on the saved outputs xhat and invstd. Those outputs carry
their own history, so double backward (gradient penalties) works.
"""
from __future__ import annotations

from math import prod
from typing import Sequence

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from .padding import pad
from .pooling import avg_pool2d

__all__ = ["batch_norm", "layer_norm", "group_norm", "instance_norm"]


class Normalize(Function):
    """(x - mean) * invstd over `dims`; returns (xhat, invstd, mean, biased var) with keepdims.

    mean and var are returned for running statistics only and are not differentiable.
    """

    @staticmethod
    def forward(ctx, x, dims, eps):
        mean = x.mean(axis=dims, keepdims=True)
        xc = x - mean
        var = np.mean(np.square(xc), axis=dims, keepdims=True)
        invstd = 1.0 / np.sqrt(var + eps)
        xc *= invstd
        ctx.dims = dims
        ctx.count = prod(x.shape[d] for d in dims)
        ctx.set_materialize_grads(False)
        ctx.mark_non_differentiable(mean, var)
        ctx.save_for_backward(xc, invstd)
        return xc, invstd, mean, var

    @staticmethod
    def backward(ctx, g, g_invstd, _mean, _var):
        xhat, invstd = ctx.saved_tensors
        dims = ctx.dims
        gx = None
        if g is not None:
            gx = invstd * (g - g.mean(dims, keepdim=True) - xhat * (g * xhat).mean(dims, keepdim=True))
        if g_invstd is not None:
            # d invstd / dx_i = -invstd^2 * xhat_i / count
            extra = g_invstd * invstd * invstd * xhat * (-1.0 / ctx.count)
            gx = extra if gx is None else gx + extra
        return gx, None, None


def _channel_view(t: Tensor, ndim: int) -> Tensor:
    """A (C,) tensor shaped (1, C, 1, ...) to broadcast against an ndim-d (N, C, ...) input."""
    return t.reshape((1, -1) + (1,) * (ndim - 2))


def _affine(y: Tensor, weight: Tensor | None, bias: Tensor | None, shape: tuple) -> Tensor:
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


def _update_running(buffer: Tensor | None, value: np.ndarray, momentum: float) -> None:
    """buffer = (1 - momentum) * buffer + momentum * value, in place and outside autograd."""
    if buffer is None:
        return
    arr = buffer._array
    arr *= 1 - momentum
    arr += momentum * value.reshape(arr.shape).astype(arr.dtype)
    buffer._version_box[0] += 1


def _check_float(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"{name}: expected a floating point input, got {x.dtype.name}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel of (N, C, *) over the batch and spatial dims.

    In training (or without running stats) the batch statistics are used and the running
    ones, if given, move towards them by `momentum` (the variance unbiased). Otherwise
    the running statistics are used.
    """
    _check_float(input, "batch_norm")
    if input.ndim < 2:
        raise ValueError(f"expected 2D or higher input (got {input.ndim}D input)")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"running_mean should contain {c} elements not {t.numel()}"
                               if name.startswith("running") else
                               f"{name} should contain {c} elements not {t.numel()}")
    shape = (1, c) + (1,) * (input.ndim - 2)
    if training or running_mean is None or running_var is None:
        dims = (0,) + tuple(range(2, input.ndim))
        count = prod(input.shape[d] for d in dims)
        if training and count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                             f"{input.shape}")
        y, _, mean, var = Normalize.apply(input, dims, eps)
        if training:
            _update_running(running_mean, mean._array, momentum)
            _update_running(running_var, var._array * (count / max(count - 1, 1)), momentum)
    else:
        y = (input - running_mean.reshape(shape)) * (running_var.reshape(shape) + eps).pow(-0.5)
    return _affine(y, weight, bias, shape)


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each (sample, channel) plane of (N, C, *) over its spatial dims.

    Running statistics, if given, are updated with the batch average of the per-instance
    statistics, and used instead when use_input_stats is False.
    """
    _check_float(input, "instance_norm")
    shape = (1, input.shape[1]) + (1,) * (input.ndim - 2)
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise ValueError("Expected running_mean and running_var to be defined when "
                             "use_input_stats is false")
        y = (input - running_mean.reshape(shape)) * (running_var.reshape(shape) + eps).pow(-0.5)
        return _affine(y, weight, bias, shape)
    dims = tuple(range(2, input.ndim))
    count = prod(input.shape[d] for d in dims)
    if count <= 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    y, _, mean, var = Normalize.apply(input, dims, eps)
    _update_running(running_mean, mean._array.mean(axis=0), momentum)
    _update_running(running_var, (var._array * (count / (count - 1))).mean(axis=0), momentum)
    return _affine(y, weight, bias, shape)


def layer_norm(input: Tensor, normalized_shape: int | Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise over the trailing dims given by normalized_shape, then elementwise affine."""
    _check_float(input, "layer_norm")
    shape = (int(normalized_shape),) if isinstance(normalized_shape, (int, np.integer)) \
        else tuple(int(s) for s in normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != shape or input.ndim < k:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size{list(input.shape)}")
    y, *_ = Normalize.apply(input, tuple(range(input.ndim - k, input.ndim)), eps)
    return _affine(y, weight, bias, shape)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise (N, C, *) over each group of C/num_groups channels and the spatial dims."""
    _check_float(input, "group_norm")
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[:2]
    if num_groups <= 0 or c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got "
                           f"input of shape {list(input.shape)} and num_groups={num_groups}")
    y, *_ = Normalize.apply(input.reshape(n, num_groups, -1), (2,), eps)
    return _affine(y.reshape(input.shape), weight, bias, (1, c) + (1,) * (input.ndim - 2))


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """x / (k + alpha * mean of x^2 over `size` neighbouring channels) ** beta."""
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.ndim} dimensions)")
    if input.numel() == 0:
        return input
    # Square, then average over a window of `size` channels: a (size, 1) avg-pool over
    # (channels, positions) with zero padding of the channel axis.
    n, c = input.shape[:2]
    sq = (input * input).reshape(n, 1, c, -1)
    div = avg_pool2d(pad(sq, (0, 0, size // 2, (size - 1) // 2)), (size, 1), stride=1).reshape(input.shape)
    return input / (div * alpha + k).pow(beta)
