"""Pooling: max, average, adaptive, fractional, LP pooling and max-unpooling.

Every max-type pooling (plain, adaptive, fractional) produces values plus the flat
position of each maximum in its plane. Its gradient scatter-adds into those positions
(`ScatterPlanes`), whose own gradient gathers from them (`GatherPlanes`): two
Functions that are each other's backward, so max pooling is twice differentiable.
Average pooling is linear: `AvgPool` and its adjoint `AvgPoolAdjoint` likewise.
Adaptive average pooling is a separable linear map: one small averaging matrix per
spatial axis, applied with matmul.
"""
from __future__ import annotations

from math import prod
from typing import Sequence

import numpy as np

from .. import _creation, kernels
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function, label_node
from ._common import half_as_float, ntuple, remembered
from ..kernels.window_pool import window_max

__all__ = ["max_pool1d", "max_pool2d", "avg_pool1d", "adaptive_avg_pool1d",
           "adaptive_max_pool1d"]


# --------------------------------------------------------------------------- primitives


class ScatterPlanes(Function):
    """out[p, idx[p, l]] += g[p, l] over the flattened trailing `nd` dims of `in_shape`."""

    @staticmethod
    def forward(ctx, g, indices, in_shape, nd):
        ctx.nd = nd
        ctx.save_for_backward(indices)
        return kernels.max_pool_backward(g, indices, in_shape, nd)

    @staticmethod
    def backward(ctx, grad):
        indices, = ctx.saved_tensors
        return GatherPlanes.apply(grad, indices._array, ctx.nd), None, None, None


class GatherPlanes(Function):
    """out[p, l] = x[p, idx[p, l]] over the flattened trailing `nd` dims."""

    @staticmethod
    def forward(ctx, x, indices, nd):
        ctx.nd = nd
        ctx.save_for_backward(indices)
        planes = prod(x.shape[:x.ndim - nd])
        flat = np.ascontiguousarray(x).reshape(planes, -1)
        out = np.take_along_axis(flat, np.ascontiguousarray(indices).reshape(planes, -1), axis=1)
        return out.reshape(indices.shape)

    @staticmethod
    def backward(ctx, grad):
        indices, = ctx.saved_tensors
        return ScatterPlanes.apply(grad, indices._array, ctx.input_shape(0), ctx.nd), None, None


class MaxPool(Function):
    node_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, ceil_mode):
        values, indices = kernels.max_pool_forward(x, kernel, stride, padding, dilation, ceil_mode)
        ctx.nd = len(kernel)
        ctx.indices = indices
        ctx.mark_non_differentiable(indices)
        ctx.set_materialize_grads(False)  # backward ignores the indices' gradient: no zeros made for it
        return values, indices

    @staticmethod
    def backward(ctx, grad, _):
        grad_in = ScatterPlanes.apply(grad, ctx.indices, ctx.input_shape(0), ctx.nd)
        return grad_in, None, None, None, None, None


class AvgPool(Function):
    node_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, params):
        ctx.params = params
        return kernels.avg_pool_forward(x, *params)

    @staticmethod
    def backward(ctx, grad):
        return AvgPoolAdjoint.apply(grad, ctx.params, ctx.input_shape(0)), None


class AvgPoolAdjoint(Function):
    @staticmethod
    def forward(ctx, g, params, in_shape):
        ctx.params = params
        kernel, stride, padding, _, count_include_pad, divisor = params
        return kernels.avg_pool_backward(g, in_shape, kernel, stride, padding, count_include_pad, divisor)

    @staticmethod
    def backward(ctx, grad):
        return AvgPool.apply(grad, ctx.params), None, None


# torch's names for the 2-d nodes (1-d pooling shows up there as a squeeze of the 2-d op)


# --------------------------------------------------------------------------- argument handling


@remembered
def _check_input(shape: tuple, nd: int, name: str) -> None:
    if len(shape) not in (nd + 1, nd + 2) or any(s == 0 for s in shape[-nd:]):
        raise RuntimeError(f"{name}: Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with non-zero "
                           f"spatial dims for input, but got input of size: {list(shape)}")


@remembered
def _pool_args(nd: int, kernel_size, stride, padding, dilation, name: str):
    kernel = ntuple(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) \
        else ntuple(stride, nd, "stride")
    padding, dilation = ntuple(padding, nd, "padding"), ntuple(dilation, nd, "dilation")
    if min(kernel) <= 0:
        raise RuntimeError(f"{name}: kernel_size must be greater than zero, but got {list(kernel)}")
    if min(stride) <= 0:
        raise RuntimeError(f"{name}: stride must be greater than zero, but got {list(stride)}")
    if min(dilation) <= 0:
        raise RuntimeError(f"{name}: dilation must be greater than zero, but got {list(dilation)}")
    if any(p < 0 or p > k // 2 for p, k in zip(padding, kernel)):
        raise RuntimeError(f"{name}: pad should be at most half of effective kernel size, but got "
                           f"pad={list(padding)}, kernel_size={list(kernel)} and dilation={list(dilation)}")
    return kernel, stride, padding, dilation


@remembered
def _check_output(shape: tuple, nd: int, kernel, stride, padding, dilation, ceil_mode) -> None:
    spatial = shape[-nd:]
    out = tuple(kernels.pool_output_size(*a, ceil_mode) for a in zip(spatial, kernel, stride, padding, dilation))
    if any(o < 1 for o in out):
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, shape[-nd - 1:]))}). Calculated output "
                           f"size: ({'x'.join(map(str, (shape[-nd - 1],) + out))}). Output size is too small")


def _float_input(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"{name}: expected a floating point input, got {x.dtype.name}")


# --------------------------------------------------------------------------- max / avg pooling


def _max_poolnd(nd, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    name = f"max_pool{nd}d"
    _check_input(input.shape, nd, name)
    _float_input(input, name)
    if input._array.dtype == np.float16:
        return half_as_float(_max_poolnd, nd, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)
    kernel, stride, padding, dilation = _pool_args(nd, kernel_size, stride, padding, dilation, name)
    _check_output(input.shape, nd, kernel, stride, padding, dilation, ceil_mode)
    if not return_indices and not (input.requires_grad and grad_mode.is_grad_enabled()):
        # Inference: nothing will backpropagate, so the indices (int64, twice the values'
        # bytes) are neither needed nor written.
        values, _ = kernels.max_pool_forward(input._array, kernel, stride, padding, dilation, bool(ceil_mode),
                                             with_indices=False)
        return _wrap(values)
    values, indices = MaxPool.apply(input, kernel, stride, padding, dilation, bool(ceil_mode))
    return (values, indices) if return_indices else values


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over sliding windows of the last dim: (N, C, L) -> (N, C, L_out) [, indices]."""
    return _max_poolnd(1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """Max over sliding 2-d windows: (N, C, H, W) -> (N, C, H_out, W_out) [, flat h*W+w indices].

    stride defaults to kernel_size; padding counts as -inf; ceil_mode rounds the output
    size up (a window must still start inside the input or left padding).
    """
    return _max_poolnd(2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def _avg_poolnd(nd, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    name = f"avg_pool{nd}d"
    _check_input(input.shape, nd, name)
    _float_input(input, name)
    if input._array.dtype == np.float16:
        return half_as_float(_avg_poolnd, nd, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                             divisor_override)
    kernel, stride, padding, _ = _pool_args(nd, kernel_size, stride, padding, 1, name)
    if divisor_override is not None and int(divisor_override) == 0:
        raise RuntimeError("divisor must be not zero")
    _check_output(input.shape, nd, kernel, stride, padding, (1,) * nd, ceil_mode)
    params = (kernel, stride, padding, bool(ceil_mode), bool(count_include_pad),
              None if divisor_override is None else int(divisor_override))
    return AvgPool.apply(input, params)


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Mean over sliding windows of the last dim: (N, C, L) -> (N, C, L_out)."""
    return _avg_poolnd(1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over sliding 2-d windows: (N, C, H, W) -> (N, C, H_out, W_out).

    The divisor is divisor_override if given, else the window size including zero
    padding (count_include_pad) or only the part inside the input.
    """
    return _avg_poolnd(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """Power-average pooling (sum over the window of x**p) ** (1/p), 1-d."""
    k = ntuple(kernel_size, 1, "kernel_size")
    return (avg_pool1d(input.pow(norm_type), k, stride, 0, ceil_mode) * k[0]).pow(1.0 / norm_type)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """Power-average pooling (sum over the window of x**p) ** (1/p), 2-d."""
    k = ntuple(kernel_size, 2, "kernel_size")
    return (avg_pool2d(input.pow(norm_type), k, stride, 0, ceil_mode) * (k[0] * k[1])).pow(1.0 / norm_type)


# --------------------------------------------------------------------------- unpooling


def _max_unpoolnd(nd, input, indices, kernel_size, stride, padding, output_size):
    name = f"max_unpool{nd}d"
    kernel = ntuple(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None else ntuple(stride, nd, "stride")
    padding = ntuple(padding, nd, "padding")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: {list(indices.shape)}")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{name}: Expected {nd + 1}D or {nd + 2}D input, but got {list(input.shape)}")
    default = tuple((i - 1) * s - 2 * p + k for i, s, p, k in zip(input.shape[-nd:], stride, padding, kernel))
    if output_size is None:
        out_sp = default
    else:
        out_sp = tuple(int(s) for s in output_size)[-nd:]
        for o, d, s in zip(out_sp, default, stride):
            if not d - s < o < d + s:
                raise ValueError(f"invalid output_size \"{list(out_sp)}\" (dim must be between "
                                 f"{[d - s for d in default]} and {[d + s for d in default]})")
    idx = indices._array
    size = prod(out_sp)
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        raise RuntimeError(f"Found an invalid max index: {int(idx.max())} (output volumes are of size "
                           f"{'x'.join(map(str, out_sp))}")
    in_shape = tuple(input.shape[:-nd]) + out_sp
    out = ScatterPlanes.apply(input, idx, in_shape, nd)
    return label_node(out, "MaxUnpool2DBackward0") if nd == 2 else out


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of max_pool1d: put each value at its index, zeros elsewhere."""
    return _max_unpoolnd(1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of max_pool2d: (N, C, H, W) values + indices -> (N, C, H_out, W_out), zeros
    where no maximum came from."""
    return _max_unpoolnd(2, input, indices, kernel_size, stride, padding, output_size)


# --------------------------------------------------------------------------- adaptive pooling


def adaptive_bounds(in_size: int, out_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Window i covers [floor(i * in / out), ceil((i + 1) * in / out))."""
    i = np.arange(out_size, dtype=np.int64)
    return (i * in_size) // out_size, -((-(i + 1) * in_size) // out_size)


def apply_along_axes(x: Tensor, matrices: Sequence[np.ndarray]) -> Tensor:
    """Multiply each of the trailing len(matrices) axes of x by its (out, in) matrix."""
    nd = len(matrices)
    for i, m in enumerate(matrices):
        axis = x.ndim - nd + i
        m = _wrap(m.astype(x._array.dtype, copy=False))
        if axis == x.ndim - 1:
            x = x @ m.t()
        else:
            x = (x.transpose(axis, -1) @ m.t()).transpose(axis, -1)
    return x


def _adaptive_sizes(x: Tensor, nd: int, output_size, name: str) -> tuple:
    if x.ndim not in (nd + 1, nd + 2) or any(s == 0 for s in x.shape[-nd:]):
        raise RuntimeError(f"{name}: Expected {nd + 1}D or {nd + 2}D tensor with non-zero spatial dims, "
                           f"but got input of size: {list(x.shape)}")
    if isinstance(output_size, (int, np.integer)) or output_size is None:
        output_size = (output_size,) * nd
    output_size = tuple(output_size)
    if len(output_size) != nd:
        raise ValueError(f"{name}: output_size must be {nd} numbers, got {output_size}")
    out = tuple(int(x.shape[-nd + i]) if o is None else int(o) for i, o in enumerate(output_size))
    if any(o < 0 for o in out):
        raise RuntimeError(f"{name}: elements of output_size must be greater than or equal to 0 but "
                           f"received {list(out)}")
    return out


def _adaptive_avg_poolnd(nd, input, output_size):
    name = f"adaptive_avg_pool{nd}d"
    _float_input(input, name)
    return _adaptive_average(input, _adaptive_sizes(input, nd, output_size, name))


def _adaptive_average(input: Tensor, out: tuple) -> Tensor:
    """Adaptive average pooling of the trailing len(out) dims of `input` to `out` (checked sizes)."""
    nd = len(out)
    if all(o == 1 for o in out):  # one window: torch takes the mean over the spatial dims
        return input.mean(tuple(range(-nd, 0)), keepdim=True)
    mats = []
    for in_size, o in zip(input.shape[-nd:], out):
        start, end = adaptive_bounds(in_size, o)
        m = np.zeros((o, in_size))
        for r, (s, e) in enumerate(zip(start, end)):
            m[r, s:e] = 1.0 / (e - s)
        mats.append(m)
    return label_node(apply_along_axes(input, mats), f"AdaptiveAvgPool{nd}DBackward0")


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Mean over `output_size` nearly equal windows of the last dim: (N, C, L) -> (N, C, out)."""
    _float_input(input, "adaptive_avg_pool1d")
    (o,) = _adaptive_sizes(input, 1, output_size, "adaptive_avg_pool1d")
    # torch pools a (..., 1, L) view in 2-d and squeezes the 1 out again
    return _adaptive_average(input.unsqueeze(-2), (1, o)).squeeze(-2)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Mean over an output_size grid of nearly equal windows: (N, C, H, W) -> (N, C, oh, ow)."""
    return _adaptive_avg_poolnd(2, input, output_size)


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """Mean over an output_size grid of nearly equal 3-d windows."""
    return _adaptive_avg_poolnd(3, input, output_size)


def _window_max_pool(x: Tensor, h_bounds: tuple, w_bounds: tuple, return_indices: bool):
    """Max over given (P, OH)/(P, OW) window bounds of the last two dims, differentiable in x."""
    batch = tuple(x.shape[:-2])
    planes = prod(batch)
    _, idx = window_max(x._array.reshape(planes, *x.shape[-2:]), *h_bounds, *w_bounds)
    idx = idx.reshape(batch + idx.shape[1:])
    values = GatherPlanes.apply(x, idx, 2)
    return (values, _wrap(idx)) if return_indices else values


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Max over `output_size` nearly equal windows of the last dim [, their indices]."""
    _float_input(input, "adaptive_max_pool1d")
    if input._array.dtype == np.float16:
        return half_as_float(adaptive_max_pool1d, input, output_size, return_indices)
    (o,) = _adaptive_sizes(input, 1, output_size, "adaptive_max_pool1d")
    start, end = adaptive_bounds(input.shape[-1], o)
    zero, one = np.zeros((1, 1), np.int64), np.ones((1, 1), np.int64)
    out = _window_max_pool(input.unsqueeze(-2), (zero, one), (start[None], end[None]), return_indices)
    if return_indices:
        return out[0].squeeze(-2), out[1].squeeze(-2)
    return out.squeeze(-2)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max over an output_size grid of nearly equal windows: (N, C, H, W) -> (N, C, oh, ow)
    [, flat h*W+w indices]."""
    _float_input(input, "adaptive_max_pool2d")
    if input._array.dtype == np.float16:
        return half_as_float(adaptive_max_pool2d, input, output_size, return_indices)
    oh, ow = _adaptive_sizes(input, 2, output_size, "adaptive_max_pool2d")
    hs, he = adaptive_bounds(input.shape[-2], oh)
    ws, we = adaptive_bounds(input.shape[-1], ow)
    return _window_max_pool(input, (hs[None], he[None]), (ws[None], we[None]), return_indices)


# --------------------------------------------------------------------------- fractional max pooling


def fractional_intervals(samples: np.ndarray, in_size: int, out_size: int, pool: int) -> np.ndarray:
    """Window starts of Graham's pseudorandom sequence, one row per plane.

    With alpha = (in - pool) / (out - 1) and a per-plane u in [0, 1), window i starts at
    floor((i + u) * alpha) - floor(u * alpha); the last window ends at the input's end.
    Computed in the input's float precision, as torch does.
    """
    dt = samples.dtype.type
    starts = np.empty((samples.shape[0], out_size), dtype=np.int64)
    if out_size > 1:
        alpha = dt(in_size - pool) / dt(out_size - 1)
        i = np.arange(out_size - 1, dtype=samples.dtype)
        u = samples[:, None]
        starts[:, :-1] = (np.floor((i + u) * alpha) - np.floor(u * alpha)).astype(np.int64)
    starts[:, -1] = in_size - pool
    return starts


def fractional_max_pool2d(input: Tensor, kernel_size, output_size=None, output_ratio=None,
                          return_indices: bool = False, _random_samples: Tensor | None = None):
    """Fractional max pooling (Graham, 2014): pool_size windows at pseudorandom starts so that
    an (H, W) input shrinks to output_size (or input * output_ratio).

    `_random_samples` (N, C, 2) in [0, 1) fixes the sequences (column 0: width, 1: height);
    by default they are drawn uniformly.
    """
    if input.ndim not in (3, 4):
        raise RuntimeError(f"fractional_max_pool2d(): Expected 3D or 4D tensor, but got: {list(input.shape)}")
    _float_input(input, "fractional_max_pool2d")
    kh, kw = ntuple(kernel_size, 2, "kernel_size")
    if output_size is None:
        if output_ratio is None:
            raise ValueError("fractional_max_pool2d requires specifying either an output_size or an "
                             "output_ratio")
        rh, rw = (output_ratio, output_ratio) if isinstance(output_ratio, (int, float)) else output_ratio
        if not (0 < rh < 1 and 0 < rw < 1):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")
        output_size = (int(input.shape[-2] * rh), int(input.shape[-1] * rw))
    oh, ow = ntuple(output_size, 2, "output_size")
    h, w = input.shape[-2:]
    if oh + kh - 1 > h:
        raise RuntimeError(f"fractional_max_pool2d(): pool height {kh} too large relative to input "
                           f"height {h} and output height {oh}")
    if ow + kw - 1 > w:
        raise RuntimeError(f"fractional_max_pool2d(): pool width {kw} too large relative to input "
                           f"width {w} and output width {ow}")
    batched = input.ndim == 4
    x = input if batched else input.unsqueeze(0)
    n, c = x.shape[:2]
    if _random_samples is None:
        _random_samples = _creation.rand(n, c, 2, dtype=x.dtype)
    samples = _random_samples._array.astype(x._array.dtype, copy=False)
    if samples.shape != (n, c, 2):
        raise RuntimeError(f"fractional_max_pool2d(): expected _random_samples of shape {[n, c, 2]}, "
                           f"got {list(samples.shape)}")
    samples = samples.reshape(n * c, 2)
    ws = fractional_intervals(samples[:, 0], w, ow, kw)
    hs = fractional_intervals(samples[:, 1], h, oh, kh)
    out = _window_max_pool(x, (hs, hs + kh), (ws, ws + kw), return_indices)
    if batched:
        return out
    return (out[0].squeeze(0), out[1].squeeze(0)) if return_indices else out.squeeze(0)
