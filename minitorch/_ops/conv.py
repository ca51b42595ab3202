"""Convolution, transposed convolution, unfold and fold, as differentiable ops.

The arrays are computed in `kernels/conv_gemm.py` (im2col + one GEMM; its docstring
explains the layout; 3x3 kernels with stride 1 as Winograd's, `kernels/winograd.py`), or
for filters of few values in `kernels/direct_conv.py` (no columns: the forward where it
pays, and the weight gradient). A convolution y = conv(x, w) with a fixed geometry is linear in each
argument, and the derivative of any of its three products (y from x and w, x's gradient,
w's gradient) is another one of them. So there are three Functions, `Conv`,
`ConvTranspose` and `ConvWeight`, whose backward passes are written with each other:
double backward through a CNN comes for free.
"""
from __future__ import annotations

from math import prod
from typing import Sequence

import numpy as np

from .. import kernels
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function
from ..kernels import direct_conv, winograd
from ..kernels.conv_gemm import (Geometry, conv_forward, conv_input_grad, conv_weight_grad, out_spatial,
                                 output_by_channel, winograd_fits)
from ._common import half_as_float, ntuple, remembered
from .padding import pad as _pad

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


def _add_bias(y: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    if b is not None:
        y += b.reshape((1, -1) + (1,) * (y.ndim - 2))
    return y


def _bias_grad(grad: Tensor, grad_by_channel: np.ndarray | None = None) -> Tensor:
    """The bias's gradient, grad (N, O, *out) summed over all but dim 1. Its channel-major
    form, where the backward has made it (any order of positions within a channel's row),
    sums as contiguous rows; otherwise einsum sums the (N, O, L) view in one pass (LeNet's
    first conv output gradient: 20 us against 56 for grad.sum((0, 2, 3)), same accuracy)."""
    if grad.requires_grad:  # create_graph: the sum must stay differentiable
        return grad.sum((0,) + tuple(range(2, grad.ndim)))
    if grad_by_channel is not None and grad_by_channel.ndim == 2:  # (Winograd's reads gy as it is)
        return _wrap(grad_by_channel.sum(1))
    array = grad._array
    return _wrap(np.einsum("nol->o", array.reshape(array.shape[0], array.shape[1], prod(array.shape[2:]))))


class Conv(Function):
    node_name = "ConvolutionBackward0"  # torch's name for every convolution, plain or transposed

    @staticmethod
    def forward(ctx, x, w, b, geom):
        ctx.geom = geom
        ctx.save_for_backward(x, w)
        ctx.direct = direct_conv.fits(w.shape, geom)  # then the weight gradient needs no columns
        if ctx.direct and direct_conv.forward_pays(w.shape, geom):
            ctx.cols = None
            return direct_conv.forward(x, w, b, geom)
        # The columns are the expensive part of the weight gradient: keep them for backward.
        y, ctx.cols = conv_forward(x, w, b, geom, keep_columns=ctx.needs_input_grad[1] and not ctx.direct)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        if not grad_mode.is_grad_enabled() and winograd_fits(x.shape, w.shape, ctx.geom, grad._array.dtype):
            # Both gradients in one pass over the output gradient's tiles. (Under create_graph
            # they are the recorded ops below, which compute the same.)
            gx, gw = winograd.backward(grad._array, x._array, w._array, tuple(x.shape), tuple(w.shape),
                                       ctx.geom.padding, need[0], need[1])
            gb = _bias_grad(grad) if need[2] else None
            return None if gx is None else _wrap(gx), None if gw is None else _wrap(gw), gb, None
        # Both GEMM products read the gradient channel-major: transpose it once for the two.
        gy_by_channel = output_by_channel(grad._array, tuple(x.shape), tuple(w.shape), ctx.geom) \
            if need[0] or (need[1] and not ctx.direct) else None
        # The weight gradient's pass over the output gradient also sums it for the bias, where
        # no graph of the gradients is recorded (create_graph records the sum below).
        gb_array = np.empty(w.shape[0], grad._array.dtype) if need[1] and need[2] and not grad_mode.is_grad_enabled() \
            else None
        gx = ConvTranspose.apply(grad, w, None, ctx.geom, tuple(x.shape), gy_by_channel) if need[0] else None
        gw = ConvWeight.apply(x, grad, tuple(w.shape), ctx.geom, ctx.cols, gy_by_channel, gb_array) if need[1] else None
        gb = _wrap(gb_array) if gb_array is not None else _bias_grad(grad, gy_by_channel) if need[2] else None
        ctx.cols = None  # free for the next step's columns (a second backward makes them again)
        return gx, gw, gb, None


class ConvTranspose(Function):
    """Transposed convolution: the input-gradient of `Conv` with the same geometry.

    x lives in the convolution's output space, `out_shape` is its input space, and w
    has conv's (O, C/G, *k) layout, which is conv_transpose's (C_in, C_out/G, *k).
    `x_by_channel` is x as `output_by_channel` lays it out, or None to make it here.
    """

    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, b, geom, out_shape, x_by_channel):
        ctx.geom = geom
        ctx.save_for_backward(x, w)
        if x_by_channel is None:
            x_by_channel = output_by_channel(x, out_shape, tuple(w.shape), geom)
        return _add_bias(conv_input_grad(x_by_channel, w, out_shape, geom), b)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = Conv.apply(grad, w, None, ctx.geom) if need[0] else None
        gw = ConvWeight.apply(grad, x, tuple(w.shape), ctx.geom, None, None, None) if need[1] else None
        gb = _bias_grad(grad) if need[2] else None
        return gx, gw, gb, None, None, None


class ConvWeight(Function):
    """The weight-gradient of `Conv`: a function of the conv input x and output-gradient gy.

    `cols` and `gy_by_channel` are x's columns kept by `Conv` and gy as `output_by_channel`
    lays it out, or None to make them here. `bias_out`, an (O,) array or None, receives
    the bias's gradient (gy summed over all but its channels) from the same pass over gy;
    it is not part of the graph.
    """

    @staticmethod
    def forward(ctx, x, gy, w_shape, geom, cols, gy_by_channel, bias_out):
        ctx.geom = geom
        ctx.save_for_backward(x, gy)
        if direct_conv.fits(w_shape, geom):
            return direct_conv.weight_grad(x, gy, w_shape, geom, bias_out)
        if gy_by_channel is None:
            gy_by_channel = output_by_channel(gy, tuple(x.shape), w_shape, geom)
        return conv_weight_grad(x, gy_by_channel, w_shape, geom, cols, bias_out)

    @staticmethod
    def backward(ctx, grad):
        x, gy = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = ConvTranspose.apply(gy, grad, None, ctx.geom, tuple(x.shape), None) if need[0] else None
        ggy = Conv.apply(x, grad, None, ctx.geom) if need[1] else None
        return gx, ggy, None, None, None, None, None


# --------------------------------------------------------------------------- argument checks


_MISMATCH = ("expected {name} to be a single integer value or a list of {n} values to match the "
             "convolution dimensions, but got {name}={value}")


def _check_types(x: Tensor, w: Tensor, b: Tensor | None) -> None:
    if not isinstance(x, Tensor) or not isinstance(w, Tensor):
        raise TypeError(f"conv(): argument 'input' and 'weight' must be Tensor, not "
                        f"{type(x).__name__} and {type(w).__name__}")
    if x.dtype != w.dtype:
        raise RuntimeError(f"Input type ({x.dtype.name}) and weight type ({w.dtype.name}) should be the same")
    if b is not None and b.dtype != w.dtype:
        raise RuntimeError(f"Input type ({x.dtype.name}) and bias type ({b.dtype.name}) should be the same")
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"conv: expected a floating point input, got {x.dtype.name}")


def _batched(x: Tensor, nd: int, name: str) -> tuple[Tensor, bool]:
    """Accept (C, *spatial) or (N, C, *spatial); return the batched form and whether it was."""
    if x.ndim == nd + 2:
        return x, True
    if x.ndim == nd + 1:
        return x.unsqueeze(0), False
    raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
                       f"input of size: {list(x.shape)}")


def _fmt(values: Sequence[int]) -> str:
    return "(" + " x ".join(str(v) for v in values) + ")"


@remembered
def _check_geometry(x_shape: tuple, w_shape: tuple, stride, padding, dilation, groups: int,
                    transposed: bool) -> None:
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"non-positive stride is not supported, got stride={list(stride)}")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"negative padding is not supported, got padding={list(padding)}")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, got dilation={list(dilation)}")
    if groups <= 0:
        raise RuntimeError(f"non-positive groups is not supported, got groups={groups}")
    if len(w_shape) != len(x_shape):
        raise RuntimeError(f"weight should have {len(x_shape)} dimensions, got weight of size {list(w_shape)}")
    if w_shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at "
                           f"dimension 0, but got weight of size {list(w_shape)} instead")
    in_ch = w_shape[0] if transposed else w_shape[1] * groups
    if x_shape[1] != in_ch:
        if transposed:
            raise RuntimeError(f"Given transposed=1, weight of size {list(w_shape)}, expected input"
                               f"{list(x_shape)} to have {in_ch} channels, but got {x_shape[1]} "
                               f"channels instead")
        raise RuntimeError(f"Given groups={groups}, weight of size {list(w_shape)}, expected input"
                           f"{list(x_shape)} to have {in_ch} channels, but got {x_shape[1]} channels instead")
    if not transposed:
        padded = [s + 2 * p for s, p in zip(x_shape[2:], padding)]
        span = [d * (k - 1) + 1 for k, d in zip(w_shape[2:], dilation)]
        if any(a < b for a, b in zip(padded, span)):
            raise RuntimeError(f"Calculated padded input size per channel: {_fmt(padded)}. Kernel size: "
                               f"{_fmt(span)}. Kernel size can't be greater than actual input size")


def _same_padding(x: Tensor, kernel: tuple, dilation: tuple) -> tuple[Tensor, tuple]:
    """padding='same': symmetric padding, with any odd extra pixel added on the right first."""
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    left = tuple(t // 2 for t in total)
    extra = [t - 2 * lt for t, lt in zip(total, left)]
    if any(extra):
        pads = []
        for e in reversed(extra):
            pads += [0, e]
        x = _pad(x, pads)
    return x, left


def _convnd(nd: int, input: Tensor, weight: Tensor, bias, stride, padding, dilation, groups: int) -> Tensor:
    name = f"conv{nd}d"
    _check_types(input, weight, bias)
    if input._array.dtype == np.float16:
        return half_as_float(_convnd, nd, input, weight, bias, stride, padding, dilation, groups)
    x, batched = _batched(input, nd, name)
    stride, dilation = ntuple(stride, nd, "stride", _MISMATCH), ntuple(dilation, nd, "dilation", _MISMATCH)
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            if len(kernel) == nd:
                x, padding = _same_padding(x, kernel, dilation)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}', expected 'valid' or 'same'")
    padding = ntuple(padding, nd, "padding", _MISMATCH)
    _check_geometry(tuple(x.shape), tuple(weight.shape), stride, padding, dilation, int(groups), False)
    y = Conv.apply(x, weight, bias, Geometry(kernel, stride, padding, dilation, int(groups)))
    return y if batched else y.squeeze(0)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """1-d cross-correlation: (N, C, L) * (O, C/groups, k) -> (N, O, L_out)."""
    return _convnd(1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """2-d cross-correlation: (N, C, H, W) * (O, C/groups, kh, kw) -> (N, O, H_out, W_out).

    padding may be an int, a tuple, 'valid' (none) or 'same' (output size = input size,
    stride 1 only).
    """
    return _convnd(2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """3-d cross-correlation: (N, C, D, H, W) * (O, C/groups, kd, kh, kw) -> (N, O, *out)."""
    return _convnd(3, input, weight, bias, stride, padding, dilation, groups)


def conv_transpose_output_size(in_size: int, kernel: int, stride: int, padding: int, output_padding: int,
                               dilation: int) -> int:
    """(in - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1."""
    return (in_size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def _conv_transposend(nd: int, input: Tensor, weight: Tensor, bias, stride, padding, output_padding,
                      groups: int, dilation, output_size=None) -> Tensor:
    name = f"conv_transpose{nd}d"
    _check_types(input, weight, bias)
    if input._array.dtype == np.float16:
        return half_as_float(_conv_transposend, nd, input, weight, bias, stride, padding, output_padding, groups,
                             dilation, output_size)
    x, batched = _batched(input, nd, name)
    stride, padding = ntuple(stride, nd, "stride", _MISMATCH), ntuple(padding, nd, "padding", _MISMATCH)
    dilation = ntuple(dilation, nd, "dilation", _MISMATCH)
    groups = int(groups)
    _check_geometry(tuple(x.shape), tuple(weight.shape), stride, padding, dilation, groups, True)
    kernel = tuple(weight.shape[2:])
    if output_size is not None:
        output_padding = _output_padding_for(tuple(x.shape[2:]), output_size, kernel, stride, padding,
                                             dilation)
    output_padding = ntuple(output_padding, nd, "output_padding", _MISMATCH)
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)) or \
            any(op < 0 for op in output_padding):
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                           f"output_padding={list(output_padding)}, stride={list(stride)}, "
                           f"dilation={list(dilation)}")
    if any(op >= s for op, s in zip(output_padding, stride)):
        raise NotImplementedError("conv_transpose: output_padding >= stride (allowed by a larger "
                                  "dilation) is not supported")
    out_sp = tuple(conv_transpose_output_size(i, k, s, p, op, d) for i, k, s, p, op, d in
                   zip(x.shape[2:], kernel, stride, padding, output_padding, dilation))
    if any(o < 0 for o in out_sp):  # a size of 0 is an empty result, as in torch
        raise RuntimeError(f"Given input size per channel: {_fmt(x.shape[2:])}. Calculated output size "
                           f"per channel: {_fmt(out_sp)}. Output size is too small")
    out_shape = (x.shape[0], weight.shape[1] * groups) + out_sp
    y = ConvTranspose.apply(x, weight, bias, Geometry(kernel, stride, padding, dilation, groups), out_shape, None)
    return y if batched else y.squeeze(0)


def _output_padding_for(in_sp: tuple, output_size, kernel, stride, padding, dilation) -> tuple:
    """The output_padding that makes a transposed conv produce `output_size` (torch's rule)."""
    nd = len(in_sp)
    output_size = [int(s) for s in output_size][-nd:]
    if len(output_size) != nd:
        raise ValueError(f"ConvTranspose{nd}D: for {nd + 2}D input, output_size must have {nd} or "
                         f"{nd + 2} elements (got {len(output_size)})")
    result = []
    for i in range(nd):
        smallest = conv_transpose_output_size(in_sp[i], kernel[i], stride[i], padding[i], 0, dilation[i])
        largest = smallest + stride[i] - 1
        if not smallest <= output_size[i] <= largest:
            raise ValueError(f"requested an output size of {output_size}, but valid sizes range from "
                             f"{smallest} to {largest} (for an input of {list(in_sp)})")
        result.append(output_size[i] - smallest)
    return tuple(result)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """1-d transposed convolution: (N, C_in, L) with weight (C_in, C_out/groups, k) -> (N, C_out, L_out)."""
    return _conv_transposend(1, input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """2-d transposed convolution (the input-gradient of conv2d): (N, C_in, H, W) with weight
    (C_in, C_out/groups, kh, kw) -> (N, C_out, H_out, W_out),
    H_out = (H - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1."""
    return _conv_transposend(2, input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """3-d transposed convolution: (N, C_in, D, H, W) -> (N, C_out, D_out, H_out, W_out)."""
    return _conv_transposend(3, input, weight, bias, stride, padding, output_padding, groups, dilation)


# --------------------------------------------------------------------------- unfold / fold


class Unfold(Function):
    node_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, geom):
        ctx.geom = geom
        return kernels.im2col(x, geom.kernel, geom.stride, geom.padding, geom.dilation)

    @staticmethod
    def backward(ctx, grad):
        return Fold.apply(grad, ctx.geom, ctx.input_shape(0)), None


class Fold(Function):
    node_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, cols, geom, out_shape):
        ctx.geom = geom
        g = geom
        return kernels.col2im(cols, out_shape, g.kernel, g.stride, g.padding, g.dilation)

    @staticmethod
    def backward(ctx, grad):
        return Unfold.apply(grad, ctx.geom), None, None




def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding local blocks: (N, C, H, W) -> (N, C*kh*kw, L), L = number of window positions."""
    if input.ndim not in (3, 4):
        raise NotImplementedError(f"Input Error: Only 3D or 4D input Tensors are supported (got {input.ndim}D)")
    if input._array.dtype == np.float16:
        return half_as_float(unfold, input, kernel_size, dilation, padding, stride)
    x, batched = (input, True) if input.ndim == 4 else (input.unsqueeze(0), False)
    geom = Geometry(ntuple(kernel_size, 2, "kernel_size", _MISMATCH), ntuple(stride, 2, "stride", _MISMATCH),
                    ntuple(padding, 2, "padding", _MISMATCH), ntuple(dilation, 2, "dilation", _MISMATCH), 1)
    _check_blocks(tuple(x.shape[2:]), geom)
    y = Unfold.apply(x, geom)
    return y if batched else y.squeeze(0)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Inverse layout of unfold, summing overlaps: (N, C*kh*kw, L) -> (N, C, *output_size)."""
    if input.ndim not in (2, 3):
        raise NotImplementedError(f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are "
                                  f"supported (got {input.ndim}D)")
    if input._array.dtype == np.float16:
        return half_as_float(fold, input, output_size, kernel_size, dilation, padding, stride)
    x, batched = (input, True) if input.ndim == 3 else (input.unsqueeze(0), False)
    geom = Geometry(ntuple(kernel_size, 2, "kernel_size", _MISMATCH), ntuple(stride, 2, "stride", _MISMATCH),
                    ntuple(padding, 2, "padding", _MISMATCH), ntuple(dilation, 2, "dilation", _MISMATCH), 1)
    out_sp = ntuple(output_size, 2, "output_size", _MISMATCH)
    k = prod(geom.kernel)
    if x.shape[1] % k:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of "
                           f"kernel_size, but got input.size(1)={x.shape[1]} and kernel_size={geom.kernel}")
    blocks = _check_blocks(out_sp, geom)
    if x.shape[2] != prod(blocks):
        raise RuntimeError(f"Given output_size={out_sp}, kernel_size={geom.kernel}, dilation={geom.dilation}, "
                           f"padding={geom.padding}, stride={geom.stride}, expected size of input's "
                           f"dimension 2 to match the calculated number of sliding blocks "
                           f"{' * '.join(map(str, blocks))} = {prod(blocks)}, but got input.size(2)={x.shape[2]}.")
    y = Fold.apply(x, geom, (x.shape[0], x.shape[1] // k) + out_sp)
    return y if batched else y.squeeze(0)


def _check_blocks(spatial: tuple, g: Geometry) -> tuple:
    if any(v <= 0 for v in g.kernel + g.stride + g.dilation) or any(p < 0 for p in g.padding):
        raise RuntimeError(f"kernel_size, stride and dilation should be greater than zero and padding "
                           f"non-negative, but got kernel_size={g.kernel} stride={g.stride} "
                           f"dilation={g.dilation} padding={g.padding}")
    blocks = out_spatial(spatial, g)
    if any(b < 1 for b in blocks):
        raise RuntimeError(f"Given input with spatial size {spatial}, kernel_size={g.kernel}, "
                           f"dilation={g.dilation}, padding={g.padding}, calculated shape of the array of "
                           f"sliding blocks as {blocks}, but its components must be at least one.")
    return blocks
