"""Direct convolution for filters that read few values: no columns at all.

A first layer reads one or three channels, so each output value is a dot product of only
C/G*K values (25 for LeNet's 5x5 filters over one channel, 9 for a 3x3). im2col would
write K copies of the input as columns for a GEMM whose inner dimension, C/G*K, is too
short for the BLAS to run near its peak: the product is bound by the columns' memory
traffic, not by its multiply-adds. Here, for a stride of 1, each image is laid out as
zero-padded planes, flat; on them one kernel tap reads one contiguous run for all the
output positions at once (`_forward_kernel` explains the layout), so the output is a sum
of K shifted runs times the tap weights, written once in (N, O, H, W) order, and a
tap's weight gradient is one long dot product of the output gradient with its run. Both
read x and the output gradient where they lie: no columns and no transposing copies.
The GEMM still wins a forward pass with many filters (see `forward_pays`).

The kernels take 2-d convolutions; a 1-d one is viewed as 2-d with a height of 1. The
images are split into slices that minitorch's threads take in turn (`shared_work`), as a
compiled job where the JIT is on (no thread waits for the GIL: LeNet's first convolution,
forward and weight gradient, 560 -> 487 us on 2 threads, Intel VM, 2026-12-05); the
weight gradient keeps one sum per slice and adds them in slice order, so which thread
took which slice does not change the result.
"""
from __future__ import annotations

from math import prod
from typing import Iterator

import numba
import numpy as np
from numba import njit

from . import buffers, shared_work
from .intrinsics import array_at
from .conv_gemm import Geometry
from .conv_jobs import sum_of
from .im2col import conv_output_size

__all__ = ["fits", "forward", "forward_pays", "weight_grad"]

_MAX_FILTER_VALUES = 32     # C/G * K: up to a 3x3 over 3 channels, a 5x5 over one
_MACS_PER_THREAD = 1 << 20  # below this a second thread costs more to wake than it saves


def fits(w_shape: tuple, g: Geometry) -> bool:
    """Whether the direct kernels take this convolution: 1-d or 2-d, stride 1, filters of 1
    to `_MAX_FILTER_VALUES` values. Its weight gradient is then always theirs (measured
    1.1-2.3x faster than `conv_gemm`'s on LeNet's, the examples CNN's, a CIFAR net's first
    layer and a 32-channel depthwise 3x3, batch 64, 2 threads, 2026-12-05)."""
    return len(g.kernel) in (1, 2) and all(s == 1 for s in g.stride) and \
        1 <= w_shape[1] * prod(g.kernel) <= _MAX_FILTER_VALUES


def forward_pays(w_shape: tuple, g: Geometry) -> bool:
    """Whether the direct forward beats `conv_gemm`'s for a convolution that `fits`: when a
    group has at most half as many filters as a filter has values. Each filter costs the
    direct kernel a pass over the image, while the GEMM's cost is mostly its columns,
    which every filter shares (measured as in `fits`: LeNet's 6 filters of 25 values 1.6x
    faster direct, depthwise 2.6x; 32 filters of 9 values 1.5x slower, 16 of 27 1.2x
    slower)."""
    return 2 * (w_shape[0] // g.groups) <= w_shape[1] * prod(g.kernel)


def _as_2d(shape: tuple, g: Geometry) -> tuple[tuple, tuple, tuple, tuple, tuple]:
    """The (N, C, H, W) shape, the output's (OH, OW) and the kernel, padding and dilation
    pairs of a 1-d or 2-d conv."""
    if len(g.kernel) == 1:
        shape, g = (shape[0], shape[1], 1, shape[2]), Geometry((1,) + g.kernel, (1, 1), (0,) + g.padding,
                                                               (1,) + g.dilation, g.groups)
    out = tuple(conv_output_size(size, k, 1, p, d) for size, k, p, d in zip(shape[2:], g.kernel, g.padding,
                                                                          g.dilation))
    return tuple(shape), out, g.kernel, g.padding, g.dilation


@njit(cache=True, nogil=True)
def _copy_block(src, src_at, src_pitch, dst, dst_at, dst_pitch, rows, width):
    """dst[dst_at + r*dst_pitch + q] = src[src_at + r*src_pitch + q] for r < rows, q < width:
    a block of rows from one flat array to another.
    The indices are unsigned on purpose: numba wraps a negative index around as Python
    does, so every index it cannot prove non-negative costs a test at each access, and the
    loop is not vectorised (copying LeNet's first conv output out of the flat rows: 105 us
    with signed indices, 24 with unsigned, one thread, 2026-12-05).
    Bounds: the callers pass blocks inside both arrays."""
    u = np.uint64
    for r in range(u(rows)):
        s, d = u(src_at) + r * u(src_pitch), u(dst_at) + r * u(dst_pitch)
        for q in range(u(width)):
            dst[d + q] = src[s + q]


@njit(cache=True, nogil=True)
def _pad_image(x, n, padding, xp):
    """Copy image n of x (N, C, H, W) into the interior of xp (C, Hp*Wp), whose border
    stays as it is (zeros).
    Bounds: xp holds C planes of (H + 2*ph) * (W + 2*pw) values, so row r + ph < Hp and
    columns pw .. pw + W <= Wp; image n's plane c is x's values (n*C + c)*H*W onward."""
    channels, height, width = x.shape[1:]
    wp, plane = width + 2 * padding[1], xp.shape[1]
    for c in range(channels):
        _copy_block(x.reshape(-1), (n * channels + c) * height * width, width,
                    xp.reshape(-1), c * plane + padding[0] * wp + padding[1], wp, height, width)


@njit(cache=True, nogil=True)
def _add_taps(acc, src, weights, offsets):
    """acc += sum over t of weights[t] * src[offsets[t]:offsets[t] + len(acc)], four taps a
    pass (a pass per tap would load and store acc once per multiply-add).
    Bounds: the caller's offsets + len(acc) stay within src (see `_forward_kernel`)."""
    n, taps = acc.shape[0], weights.shape[0]
    t = 0
    while t + 4 <= taps:
        a, b, c, d = weights[t], weights[t + 1], weights[t + 2], weights[t + 3]
        s0, s1 = src[offsets[t]:offsets[t] + n], src[offsets[t + 1]:offsets[t + 1] + n]
        s2, s3 = src[offsets[t + 2]:offsets[t + 2] + n], src[offsets[t + 3]:offsets[t + 3] + n]
        for p in range(n):
            acc[p] += a * s0[p] + b * s1[p] + c * s2[p] + d * s3[p]
        t += 4
    for t in range(t, taps):
        s0, a = src[offsets[t]:offsets[t] + n], weights[t]
        for p in range(n):
            acc[p] += a * s0[p]


@njit(cache=True, nogil=True)
def _add_taps_four_rows(acc, src, weights, offsets):
    """`_add_taps` for four rows at once: acc[r] += sum over t of weights[r, t] *
    src[offsets[t]:offsets[t] + acc.shape[1]] for r < 4, four taps a pass. Each value of
    the four runs read is used by four rows: a pass loads 8 values and stores 4 for 16
    multiply-adds, where a row at a time loads 5 and stores 1 for 4 (LeNet's first conv, 25
    taps on a 28x28 image, one thread, Intel, 2026-12-05: four rows in 3.0 us against 6.1
    one at a time; its forward over a batch of 64, with two filters left one at a time,
    414 -> 349 us). Each row's sum is the same expression as in `_add_taps`, so the
    results are the same bits.
    Bounds: as in `_add_taps`; acc and weights have at least 4 rows."""
    n, taps = acc.shape[1], weights.shape[1]
    r0, r1, r2, r3 = acc[0], acc[1], acc[2], acc[3]
    w0, w1, w2, w3 = weights[0], weights[1], weights[2], weights[3]
    t = 0
    while t + 4 <= taps:
        s0, s1 = src[offsets[t]:offsets[t] + n], src[offsets[t + 1]:offsets[t + 1] + n]
        s2, s3 = src[offsets[t + 2]:offsets[t + 2] + n], src[offsets[t + 3]:offsets[t + 3] + n]
        a0, b0, c0, d0 = w0[t], w0[t + 1], w0[t + 2], w0[t + 3]
        a1, b1, c1, d1 = w1[t], w1[t + 1], w1[t + 2], w1[t + 3]
        a2, b2, c2, d2 = w2[t], w2[t + 1], w2[t + 2], w2[t + 3]
        a3, b3, c3, d3 = w3[t], w3[t + 1], w3[t + 2], w3[t + 3]
        for p in range(n):
            x0, x1, x2, x3 = s0[p], s1[p], s2[p], s3[p]
            r0[p] += a0 * x0 + b0 * x1 + c0 * x2 + d0 * x3
            r1[p] += a1 * x0 + b1 * x1 + c1 * x2 + d1 * x3
            r2[p] += a2 * x0 + b2 * x1 + c2 * x2 + d2 * x3
            r3[p] += a3 * x0 + b3 * x1 + c3 * x2 + d3 * x3
        t += 4
    for t in range(t, taps):
        s0 = src[offsets[t]:offsets[t] + n]
        a0, a1, a2, a3 = w0[t], w1[t], w2[t], w3[t]
        for p in range(n):
            x0 = s0[p]
            r0[p] += a0 * x0
            r1[p] += a1 * x0
            r2[p] += a2 * x0
            r3[p] += a3 * x0


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract"})
def _dot_taps(g, src, offsets, out):
    """out[t] += g . src[offsets[t]:offsets[t] + len(g)] for every tap t, four taps a pass.
    The sums are in g's dtype (a float 0.0 would make them float64, at half the vector
    width); reassociating them and fusing multiply-adds (fastmath "reassoc" and "contract",
    nothing that changes NaN or inf) lets the compiler vectorise them; the order it picks
    is fixed at compile time, so results repeat exactly.
    Bounds: as in `_add_taps`."""
    n, taps = g.shape[0], out.shape[0]
    zero = g.dtype.type(0)
    t = 0
    while t + 4 <= taps:
        s0, s1 = src[offsets[t]:offsets[t] + n], src[offsets[t + 1]:offsets[t + 1] + n]
        s2, s3 = src[offsets[t + 2]:offsets[t + 2] + n], src[offsets[t + 3]:offsets[t + 3] + n]
        a = b = c = d = zero
        for p in range(n):
            a += g[p] * s0[p]
            b += g[p] * s1[p]
            c += g[p] * s2[p]
            d += g[p] * s3[p]
        out[t] += a
        out[t + 1] += b
        out[t + 2] += c
        out[t + 3] += d
        t += 4
    for t in range(t, taps):
        s0, a = src[offsets[t]:offsets[t] + n], zero
        for p in range(n):
            a += g[p] * s0[p]
        out[t] += a


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract"})
def _dot_taps_four_rows(g, src, offsets, out):
    """`_dot_taps` for four rows at once: out[r, t] += g[r] . src[offsets[t]:offsets[t] +
    g.shape[1]] for r < 4, four taps a pass: 8 values loaded for 16 multiply-adds, where a
    row at a time loads 5 for 4 (the weight gradient over a batch of 64, one thread, Intel,
    2026-12-05: LeNet's first conv 320 -> 274 us, the examples CNN's 713 -> 660).
    Bounds: as in `_add_taps`; g and out have at least 4 rows."""
    n, taps = g.shape[1], out.shape[1]
    zero = g.dtype.type(0)
    g0, g1, g2, g3 = g[0], g[1], g[2], g[3]
    t = 0
    while t + 4 <= taps:
        s0, s1 = src[offsets[t]:offsets[t] + n], src[offsets[t + 1]:offsets[t + 1] + n]
        s2, s3 = src[offsets[t + 2]:offsets[t + 2] + n], src[offsets[t + 3]:offsets[t + 3] + n]
        a0 = b0 = c0 = d0 = a1 = b1 = c1 = d1 = a2 = b2 = c2 = d2 = a3 = b3 = c3 = d3 = zero
        for p in range(n):
            x0, x1, x2, x3 = s0[p], s1[p], s2[p], s3[p]
            a0 += g0[p] * x0
            b0 += g0[p] * x1
            c0 += g0[p] * x2
            d0 += g0[p] * x3
            a1 += g1[p] * x0
            b1 += g1[p] * x1
            c1 += g1[p] * x2
            d1 += g1[p] * x3
            a2 += g2[p] * x0
            b2 += g2[p] * x1
            c2 += g2[p] * x2
            d2 += g2[p] * x3
            a3 += g3[p] * x0
            b3 += g3[p] * x1
            c3 += g3[p] * x2
            d3 += g3[p] * x3
        sums = ((a0, b0, c0, d0), (a1, b1, c1, d1), (a2, b2, c2, d2), (a3, b3, c3, d3))
        for r in range(4):
            for q in range(4):
                out[r, t + q] += sums[r][q]
        t += 4
    for r in range(4):
        _dot_taps(g[r], src, offsets[t:], out[r, t:])


@njit(cache=True, nogil=True)
def _tap_offsets(group_ch, kh, kw, hp, wp, dilation):
    """Where each tap (c, i, j) of a filter starts reading the flat padded planes (C, Hp*Wp)
    of its group: c*Hp*Wp + i*dh*Wp + j*dw, in the weight's (c, i, j) order.
    Bounds: (c*kh + i)*kw + j < C/G*kh*kw, the table's length."""
    offsets = np.empty(group_ch * kh * kw, np.int64)
    for c in range(group_ch):
        for i in range(kh):
            for j in range(kw):
                offsets[(c * kh + i) * kw + j] = c * hp * wp + i * dilation[0] * wp + j * dilation[1]
    return offsets


@njit(cache=True, nogil=True)
def _flat_planes(x, out_ch, group_ch, kh, kw, oh, ow, padding, dilation):
    """The layout both kernels work on, for x (N, C, H, W) and an (OH, OW) output: the padded
    width Wp, the padded plane's size Hp*Wp, the `span` of output positions laid on it, the
    filters per group, the taps' offsets (`_tap_offsets`) and the zeroed planes (C, Hp*Wp)."""
    channels, height, width = x.shape[1:]
    hp, wp = height + 2 * padding[0], width + 2 * padding[1]
    offsets = _tap_offsets(group_ch, kh, kw, hp, wp, dilation)
    return (wp, hp * wp, (oh - 1) * wp + ow, out_ch // (channels // group_ch), offsets,
            np.zeros((channels, hp * wp), x.dtype))


@njit(cache=True, nogil=True)
def _forward_kernel(x, w, b, y, first, last, padding, dilation):
    """y[n] = conv(x[n], w) + b, stride 1, for the images first <= n < last.

    x (N, C, H, W), w (O, C/G, KH, KW), b (O,) or empty for no bias, y (N, O, OH, OW).
    Each image is copied into zero-padded planes laid flat (C, Hp*Wp); on them the output
    position (r, q) reads tap (c, i, j) at r*Wp + q + offset(c, i, j), so every tap adds
    one shifted run of the flat planes to a run of `span` outputs (the rows end to end,
    the Wp - OW positions between rows computed and dropped): runs long enough to
    vectorise, where a row of an output plane is often shorter than one vector pass.
    Bounds: the last output read is (OH-1)*Wp + OW-1 + (C/G-1)*Hp*Wp + (KH-1)*dh*Wp +
    (KW-1)*dw = (C/G-1)*Hp*Wp + (Hp-1)*Wp + Wp-1 (as OH = Hp - (KH-1)*dh, OW = Wp -
    (KW-1)*dw), the last value of the group's planes; the group's first plane c0 =
    (o // (O/G)) * C/G keeps them inside the C planes."""
    out_ch, group_ch, kh, kw = w.shape
    oh, ow = y.shape[2:]
    wp, plane, span, per_group, offsets, xp = _flat_planes(x, out_ch, group_ch, kh, kw, oh, ow, padding, dilation)
    flat = xp.reshape(-1)
    weights = w.reshape(out_ch, -1)
    acc = np.empty((4, span), y.dtype)
    for n in range(first, last):
        _pad_image(x, n, padding, xp)
        o = 0
        while o < out_ch:
            group_planes = flat[(o // per_group) * group_ch * plane:]
            rows = 4 if (o % per_group) + 4 <= per_group else 1  # four filters of one group at once
            for r in range(rows):
                acc[r] = b[o + r] if b.shape[0] > 0 else 0.0
            if rows == 4:
                _add_taps_four_rows(acc, group_planes, weights[o:o + 4], offsets)
            else:
                _add_taps(acc[0], group_planes, weights[o], offsets)
            for r in range(rows):
                _copy_block(acc[r], 0, wp, y.reshape(-1), (n * out_ch + o + r) * oh * ow, ow, oh, ow)
            o += rows
    return y


@njit(cache=True, nogil=True)
def _weight_grad_kernel(x, gy, gw, bias, first, last, padding, dilation):
    """gw (O, C/G, KH, KW) = the weight gradient of a stride-1 conv summed over the images
    first <= n < last, from x (N, C, H, W) and the output gradient gy (N, O, OH, OW); and
    the bias's, bias (O,) = gy summed over those images and positions, unless bias is
    empty (the same pass reads gy: no second pass over it for the bias).

    The gradient of a weight is the dot product of the output gradient with the run of
    inputs its tap read (`_forward_kernel`), so gy is laid on the same flat rows, zeros
    between them, and each tap is one long dot product.
    Bounds: as in `_forward_kernel`."""
    out_ch, group_ch, kh, kw = gw.shape
    oh, ow = gy.shape[2:]
    wp, plane, span, per_group, offsets, xp = _flat_planes(x, out_ch, group_ch, kh, kw, oh, ow, padding, dilation)
    flat = xp.reshape(-1)
    g = np.zeros((4, span), gy.dtype)
    sums = gw.reshape(out_ch, -1)
    sums[:] = 0.0
    bias[:] = 0.0
    for n in range(first, last):
        _pad_image(x, n, padding, xp)
        o = 0
        while o < out_ch:
            group_planes = flat[(o // per_group) * group_ch * plane:]
            rows = 4 if (o % per_group) + 4 <= per_group else 1  # four filters of one group at once
            for r in range(rows):
                _copy_block(gy.reshape(-1), (n * out_ch + o + r) * oh * ow, ow, g[r], 0, wp, oh, ow)
            if rows == 4:
                _dot_taps_four_rows(g, group_planes, offsets, sums[o:o + 4])
            else:
                _dot_taps(g[0], group_planes, offsets, sums[o])
            o += rows
        for o in range(bias.shape[0]):
            bias[o] += sum_of(gy[n, o].reshape(-1))
    return gw



def _slices(n: int, macs: int) -> tuple[int, int]:
    """(images per slice, threads): about four slices per thread, so that a thread the
    scheduler runs late takes fewer of them."""
    if macs < 2 * _MACS_PER_THREAD:  # one thread (asking numba for its thread count costs us)
        return max(n, 1), 1
    threads = min(shared_work.threads_for(n), macs // _MACS_PER_THREAD)
    return max(1, -(-n // (4 * threads))), threads


@njit(cache=True, nogil=True)
def _forward_part(args, share, start, stop, dtype):
    n, c, h, w, o, group_ch, kh, kw, oh, ow, bias_size = (args[4], args[5], args[6], args[7], args[8], args[9],
                                                          args[10], args[11], args[12], args[13], args[14])
    _forward_kernel(array_at(args[0], (n, c, h, w), dtype), array_at(args[1], (o, group_ch, kh, kw), dtype),
                    array_at(args[2], (bias_size,), dtype), array_at(args[3], (n, o, oh, ow), dtype), start, stop,
                    (args[15], args[16]), (args[17], args[18]))


@shared_work.CompiledJob
def _forward_job(args, share, start, stop):
    """`_forward_kernel` on images [start, stop): args = the addresses of x, w, b, y, then
    N, C, H, W, O, C/G, KH, KW, OH, OW, b's size, padding, dilation, the itemsize."""
    shared_work.by_itemsize(_forward_part, args, 19, share, start, stop)


@njit(cache=True, nogil=True)
def _weight_grad_part(args, share, start, stop, dtype):
    n, c, h, w, o, group_ch, kh, kw, oh, ow, step, bias_size = (args[4], args[5], args[6], args[7], args[8], args[9],
                                                                args[10], args[11], args[12], args[13], args[14],
                                                                args[15])
    slices = -(-n // step)
    sums = array_at(args[2], (slices, o, group_ch, kh, kw), dtype)
    bias_sums = array_at(args[3], (slices, bias_size), dtype)
    _weight_grad_kernel(array_at(args[0], (n, c, h, w), dtype), array_at(args[1], (n, o, oh, ow), dtype),
                        sums[start // step], bias_sums[start // step], start, stop, (args[16], args[17]),
                        (args[18], args[19]))


@shared_work.CompiledJob
def _weight_grad_job(args, share, start, stop):
    """`_weight_grad_kernel` on images [start, stop) into the sums of slice start // step:
    args = the addresses of x, gy, the weight's sums, the bias's sums, then N, C, H, W, O,
    C/G, KH, KW, OH, OW, the step, the bias's size (0 or O), padding, dilation, the itemsize."""
    shared_work.by_itemsize(_weight_grad_part, args, 20, share, start, stop)


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, g: Geometry) -> np.ndarray:
    """y (N, O, *out) = conv(x (N, C, *in), w (O, C/G, *k)) + b, for a geometry that `fits`."""
    shape, out, kernel, padding, dilation = _as_2d(x.shape, g)
    dtype = np.result_type(x, w)
    x4 = np.ascontiguousarray(x).reshape(shape)
    w4 = np.ascontiguousarray(w).reshape(w.shape[:2] + kernel)
    bias = np.empty(0, dtype) if b is None else np.ascontiguousarray(b, dtype)
    y = buffers.empty((shape[0], w.shape[0]) + out, dtype)
    step, threads = _slices(shape[0], y.size * w4[0].size)
    if threads > 1 and shared_work.compiled_jobs() and x4.dtype == w4.dtype == dtype:
        args = shared_work.job_args(x4, w4, bias, y, *shape, *w4.shape, *out, bias.size, *padding, *dilation,
                                    y.itemsize)
        shared_work.run_compiled(_forward_job, args, shape[0], step, threads)
    else:
        def work(share: int, starts: Iterator[int]) -> None:
            for start in starts:
                _forward_kernel(x4, w4, bias, y, start, min(start + step, shape[0]), padding, dilation)

        shared_work.run(work, shape[0], step, threads)
    return y.reshape((shape[0], w.shape[0]) + out[2 - len(g.kernel):])


def weight_grad(x: np.ndarray, gy: np.ndarray, w_shape: tuple, g: Geometry,
                bias_out: np.ndarray | None = None) -> np.ndarray:
    """The weight gradient (O, C/G, *k) of conv(x, w) for the output gradient gy (N, O, *out);
    also the bias's into `bias_out` (O,) if given, from the same pass over gy."""
    shape, out, kernel, padding, dilation = _as_2d(x.shape, g)
    x4 = np.ascontiguousarray(x).reshape(shape)
    gy4 = np.ascontiguousarray(gy).reshape(gy.shape[:2] + out)
    n = shape[0]
    step, threads = _slices(n, gy.size * prod(w_shape[1:]))
    dtype = np.result_type(x, gy)
    slices = max(1, -(-n // step))
    sums = np.zeros((slices, w_shape[0], w_shape[1]) + kernel, dtype)
    bias_sums = np.zeros((slices, 0 if bias_out is None else w_shape[0]), dtype)
    if threads > 1 and shared_work.compiled_jobs() and x4.dtype == gy4.dtype:
        args = shared_work.job_args(x4, gy4, sums, bias_sums, *shape, w_shape[0], w_shape[1], *kernel, *out, step,
                                    bias_sums.shape[1], *padding, *dilation, sums.itemsize)
        shared_work.run_compiled(_weight_grad_job, args, n, step, threads)
    else:
        def work(share: int, starts: Iterator[int]) -> None:
            for start in starts:
                _weight_grad_kernel(x4, gy4, sums[start // step], bias_sums[start // step], start,
                                    min(start + step, n), padding, dilation)

        shared_work.run(work, n, step, threads)
    if bias_out is not None:  # in slice order, as the weight's: the same bits whoever took which slice
        bias_out[...] = np.add.reduce(bias_sums, axis=0)
    return np.add.reduce(sums, axis=0).reshape(w_shape)
