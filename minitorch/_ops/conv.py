"""Convolution, transposed convolution, unfold and fold: im2col + one GEMM.

Three array computations describe a convolution y = conv(x, w) with a fixed geometry
(kernel, stride, padding, dilation, groups):

    _conv_forward(x, w)        y   = W @ im2col(x)
    _conv_input_grad(gy, w)    gx  = col2im(W^T @ gy)      (a transposed convolution)
    _conv_weight_grad(x, gy)   gw  = gy @ im2col(x)^T

Each is linear in each argument, and the derivative of any one of them is another one
of them. So there are three Functions, `Conv`, `ConvTranspose` and `ConvWeight`,
whose backward passes are written with each other: double backward through a CNN
comes for free. The columns are channel-major, (C*K, N*L): each product is ONE GEMM
over the whole batch (per group). One large GEMM keeps every BLAS thread busy, where a
stacked matmul per image pays the threads' handoff once per image, and the weight
gradient needs no per-image partial sums. The price is a transposing copy between the
GEMM's (O, N*L) and the tensors' (N, O, L) order, one pass over the output, which
also adds the bias on the way.
"""
from __future__ import annotations

from math import prod
from typing import NamedTuple, Sequence

import numpy as np

from .. import kernels
from .._tensor import Tensor
from ..autograd.function import Function
from ._common import half_as_float, ntuple
from .padding import pad as _pad

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


class Geometry(NamedTuple):
    kernel: tuple
    stride: tuple
    padding: tuple
    dilation: tuple
    groups: int


def _out_spatial(spatial: Sequence[int], g: Geometry) -> tuple:
    return tuple(kernels.conv_output_size(*a) for a in zip(spatial, g.kernel, g.stride, g.padding, g.dilation))


class BufferPool:
    """Column buffers handed back after use, to be reused by the next call of the same shape.

    The column matrices are the largest temporaries of a CNN step (tens of MB) and writing
    fresh pages costs more than filling them, so steady-state training should touch none:
    a conv's forward takes its columns from the pool, and its backward gives them back.
    A buffer is only ever handed out while nobody holds it, so reuse is safe.
    """

    def __init__(self, per_shape: int = 2) -> None:
        self._free: dict = {}
        self._per_shape = per_shape

    def take(self, shape: tuple, dtype: np.dtype) -> np.ndarray:
        free = self._free.get((shape, dtype))
        return free.pop() if free else np.empty(shape, dtype=dtype)

    def give(self, array: np.ndarray | None) -> None:
        if array is None:
            return
        free = self._free.setdefault((array.shape, array.dtype), [])
        if len(free) < self._per_shape:
            free.append(array)


_pool = BufferPool()


def _cols_shape(x_shape: tuple, g: Geometry) -> tuple:
    """The channel-major column matrix of x: (C*K, N*L)."""
    n, c = x_shape[:2]
    return (c * prod(g.kernel), n * prod(_out_spatial(x_shape[2:], g)))


def _by_group(a: np.ndarray, groups: int) -> np.ndarray:
    """A (rows, N*L) matrix as (G, rows/G, N*L): the rows of each group (a view)."""
    return a.reshape(groups, a.shape[0] // groups, a.shape[1])


def _im2col(x: np.ndarray, g: Geometry) -> np.ndarray:
    """(C*K, N*L) columns of x, in a pooled buffer (give it back when done)."""
    out = _pool.take(_cols_shape(x.shape, g), x.dtype)
    return kernels.im2col(x, g.kernel, g.stride, g.padding, g.dilation, out=out, batch_first=False)


def _channel_major(a: np.ndarray) -> np.ndarray:
    """(N, C, *spatial) -> (C, N * prod(spatial)), copied into a pooled buffer."""
    n, c, length = a.shape[0], a.shape[1], prod(a.shape[2:])
    out = _pool.take((c, n * length), a.dtype)
    np.copyto(out.reshape(c, n, length), a.reshape(n, c, length).transpose(1, 0, 2))
    return out


def _batch_major(a: np.ndarray, shape: tuple, b: np.ndarray | None, out: np.ndarray | None = None) -> np.ndarray:
    """(C, N*L) -> (N, C, *spatial) of `shape` (fresh, or written into `out`), plus the bias b (C,) if given."""
    n, c, length = shape[0], shape[1], prod(shape[2:])
    out = np.empty(shape, dtype=a.dtype) if out is None else out
    by_image = a.reshape(c, n, length).transpose(1, 0, 2)
    if b is None:
        np.copyto(out.reshape(n, c, length), by_image)
    else:
        np.add(by_image, b.reshape(c, 1), out=out.reshape(n, c, length))
    return out


def _conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, g: Geometry,
                  cols: np.ndarray | None = None, out: np.ndarray | None = None) -> np.ndarray:
    """y (N, O, *out) = conv(x (N, C, *in), w (O, C/G, *k)) + b, from x's columns (into `out` if given)."""
    own = cols is None
    if own:
        cols = _im2col(x, g)
    out_ch = w.shape[0]
    y_by_channel = _pool.take((out_ch, cols.shape[1]), np.result_type(x, w))
    np.matmul(w.reshape(g.groups, out_ch // g.groups, -1), _by_group(cols, g.groups),
              out=_by_group(y_by_channel, g.groups))
    y = _batch_major(y_by_channel, (x.shape[0], out_ch) + _out_spatial(x.shape[2:], g), b, out)
    _pool.give(y_by_channel)
    if own:
        _pool.give(cols)
    return y


# Without a weight gradient the columns are not kept, so the batch can go through in
# slices whose columns stay cache-sized: a whole test batch of 1000 MNIST images would
# otherwise fill (and page-fault) a 660 MB column matrix for one product.
_COLUMN_BYTES_PER_SLICE = 8 * 2**20


def _conv_forward_in_slices(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, g: Geometry) -> np.ndarray:
    """y = conv(x, w) + b computed a few images at a time (the columns are thrown away)."""
    n = x.shape[0]
    c_k, cols_len = _cols_shape(x.shape, g)
    per_image = max(1, c_k * cols_len // max(n, 1) * x.itemsize)
    step = max(1, _COLUMN_BYTES_PER_SLICE // per_image)
    if step >= n:
        return _conv_forward(x, w, b, g)
    y = np.empty((n, w.shape[0]) + _out_spatial(x.shape[2:], g), dtype=np.result_type(x, w))
    for start in range(0, n, step):
        _conv_forward(x[start:start + step], w, b, g, out=y[start:start + step])
    return y


def _conv_input_grad(gy: np.ndarray, w: np.ndarray, x_shape: tuple, g: Geometry) -> np.ndarray:
    """The adjoint of conv in x: scatter W^T @ gy back over the windows (col2im)."""
    out_ch = w.shape[0]
    w3 = w.reshape(g.groups, out_ch // g.groups, -1)
    gy_by_channel = _channel_major(gy)
    cols = _pool.take(_cols_shape(x_shape, g), gy.dtype)
    np.matmul(w3.transpose(0, 2, 1), _by_group(gy_by_channel, g.groups), out=_by_group(cols, g.groups))
    _pool.give(gy_by_channel)
    gx = kernels.col2im(cols, x_shape, g.kernel, g.stride, g.padding, g.dilation, batch_first=False)
    _pool.give(cols)
    return gx


def _conv_weight_grad(x: np.ndarray, gy: np.ndarray, w_shape: tuple, g: Geometry,
                      cols: np.ndarray | None = None) -> np.ndarray:
    """The adjoint of conv in w: gy @ im2col(x)^T, one GEMM over the batch per group."""
    own = cols is None
    if own:
        cols = _im2col(x, g)
    gy_by_channel = _channel_major(gy)
    gw = np.matmul(_by_group(gy_by_channel, g.groups), _by_group(cols, g.groups).transpose(0, 2, 1))
    _pool.give(gy_by_channel)
    if own:
        _pool.give(cols)
    return gw.reshape(w_shape)


def _add_bias(y: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    if b is not None:
        y += b.reshape((1, -1) + (1,) * (y.ndim - 2))
    return y


def _bias_grad(grad: Tensor) -> Tensor:
    return grad.sum((0,) + tuple(range(2, grad.ndim)))


class Conv(Function):
    node_name = "ConvolutionBackward0"  # torch's name for every convolution, plain or transposed

    @staticmethod
    def forward(ctx, x, w, b, geom):
        ctx.geom = geom
        ctx.save_for_backward(x, w)
        if not ctx.needs_input_grad[1]:
            ctx.cols = None
            return _conv_forward_in_slices(x, w, b, geom)
        # The columns are the expensive part of the weight gradient: keep them for backward.
        ctx.cols = _im2col(x, geom)
        return _conv_forward(x, w, b, geom, ctx.cols)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = ConvTranspose.apply(grad, w, None, ctx.geom, tuple(x.shape)) if need[0] else None
        gw = ConvWeight.apply(x, grad, tuple(w.shape), ctx.geom, ctx.cols) if need[1] else None
        gb = _bias_grad(grad) if need[2] else None
        _pool.give(ctx.cols)
        ctx.cols = None
        return gx, gw, gb, None


class ConvTranspose(Function):
    """Transposed convolution: the input-gradient of `Conv` with the same geometry.

    x lives in the convolution's output space, `out_shape` is its input space, and w
    has conv's (O, C/G, *k) layout, which is conv_transpose's (C_in, C_out/G, *k).
    """

    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, b, geom, out_shape):
        ctx.geom = geom
        ctx.save_for_backward(x, w)
        return _add_bias(_conv_input_grad(x, w, out_shape, geom), b)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = Conv.apply(grad, w, None, ctx.geom) if need[0] else None
        gw = ConvWeight.apply(grad, x, tuple(w.shape), ctx.geom, None) if need[1] else None
        gb = _bias_grad(grad) if need[2] else None
        return gx, gw, gb, None, None


class ConvWeight(Function):
    """The weight-gradient of `Conv`: a function of the conv input x and output-gradient gy."""

    @staticmethod
    def forward(ctx, x, gy, w_shape, geom, cols):
        ctx.geom = geom
        ctx.save_for_backward(x, gy)
        return _conv_weight_grad(x, gy, w_shape, geom, cols)

    @staticmethod
    def backward(ctx, grad):
        x, gy = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = ConvTranspose.apply(gy, grad, None, ctx.geom, tuple(x.shape)) if need[0] else None
        ggy = Conv.apply(x, grad, None, ctx.geom) if need[1] else None
        return gx, ggy, None, None, None


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
    y = ConvTranspose.apply(x, weight, bias, Geometry(kernel, stride, padding, dilation, groups), out_shape)
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
    blocks = _out_spatial(spatial, g)
    if any(b < 1 for b in blocks):
        raise RuntimeError(f"Given input with spatial size {spatial}, kernel_size={g.kernel}, "
                           f"dilation={g.dilation}, padding={g.padding}, calculated shape of the array of "
                           f"sliding blocks as {blocks}, but its components must be at least one.")
    return blocks
