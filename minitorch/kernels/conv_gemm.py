"""Convolution as matrix products over channel-major columns: the arrays behind `_ops/conv.py`.

Three array computations describe a convolution y = conv(x, w) with a fixed geometry
(kernel, stride, padding, dilation, groups):

    conv_forward(x, w)          y   = W @ im2col(x)
    conv_input_grad(gy, w)      gx  = col2im(W^T @ gy)      (a transposed convolution)
    conv_weight_grad(x, gy)     gw  = gy @ im2col(x)^T

The columns are channel-major, (C*K, N*L), made and used a slice of a few images at a
time (one GEMM per slice and group), so that they stay in cache between the kernel that
writes them and the GEMM that reads them (or the other way round); the slices are shared
among threads (see "slices on threads" below). The price is a transposing copy between
the GEMM's (O, N*L) order and the tensors' (N, O, L) order, one pass over the output,
which also adds the bias on the way; a backward pass makes that copy of the output
gradient once and hands it to both of its products (the `gy_by_channel` arguments).

Two shortcuts skip work that would only copy or multiply zeros: kernel taps that meet
nothing but padding are dropped (`live_taps`), and a 1x1 kernel with stride 1 and no
padding takes x itself, channel-major, as its columns (`_pointwise`). On small output
planes a slice's columns run with the images innermost (`images_last`, where its `pays`
says), so that im2col and col2im copy long runs instead of short rows; the output
gradient then comes in that order too (`output_by_channel`).

A 3x3 kernel with stride 1 between enough channels skips the columns altogether: it runs
as Winograd's F(2x2, 3x3) (`winograd`, 2.25x fewer multiply-adds), where `winograd_fits`
says; then the output gradient is read as it is, batch-major.

Every large array here, the columns, the GEMM results and the returned outputs, comes
from `buffers.empty`, so a training loop reuses the same memory step after step instead
of page-faulting fresh memory in.

Where compiled code can call numpy's BLAS (`blas.compiled_products`), a slice laid out
images innermost runs its columns, products and copy in one compiled call
(`images_last.forward_slice`, `input_grad_slice`), so that the threads sharing the slices
do not wait for each other's GIL between a slice's steps; on several threads those
slices, and the weight gradient's products over kept columns, run as compiled jobs
(`conv_jobs`), which the pool threads take up without the GIL at all.
"""
from __future__ import annotations

from functools import lru_cache
from math import prod
from typing import Callable, Iterator, NamedTuple

import numpy as np
from numba import prange

from . import blas, buffers, conv_jobs, images_last, shared_work, winograd
from .im2col import col2im, conv_output_size, im2col
from .parallel import twins

__all__ = ["Geometry", "channel_major", "conv_forward", "conv_input_grad", "conv_weight_grad", "live_taps",
           "out_spatial", "output_by_channel", "winograd_fits"]


class Geometry(NamedTuple):
    kernel: tuple
    stride: tuple
    padding: tuple
    dilation: tuple
    groups: int


@lru_cache(maxsize=256)
def out_spatial(spatial: tuple, g: Geometry) -> tuple:
    """The output's spatial size for an input of spatial size `spatial` (remembered: each
    conv asks several times)."""
    return tuple(conv_output_size(*a) for a in zip(spatial, g.kernel, g.stride, g.padding, g.dilation))


@lru_cache(maxsize=256)
def winograd_fits(x_shape: tuple, w_shape: tuple, g: Geometry, dtype) -> bool:
    """Whether this convolution runs as Winograd's (`winograd.fits`) rather than as columns
    (remembered: each conv asks up to four times a step)."""
    return winograd.fits(tuple(x_shape), tuple(w_shape), g, out_spatial(tuple(x_shape[2:]), g), dtype)


def _cols_shape(x_shape: tuple, g: Geometry) -> tuple:
    """The channel-major column matrix of x: (C*K, N*L)."""
    n, c = x_shape[:2]
    return (c * prod(g.kernel), n * prod(out_spatial(x_shape[2:], g)))


def _by_group(a: np.ndarray, groups: int) -> np.ndarray:
    """A (rows, N*L) matrix as (G, rows/G, N*L): the rows of each group (a view)."""
    return a.reshape(groups, a.shape[0] // groups, a.shape[1])


def _tap_meets_input(offset: int, stride: int, positions: int, size: int) -> bool:
    """Whether a tap at `offset` + i*stride, i in [0, positions), reads inside [0, size) once."""
    first = 0 if offset >= 0 else (-offset + stride - 1) // stride  # the first i reading >= 0
    return first < positions and first * stride + offset < size


@lru_cache(maxsize=256)
def live_taps(spatial: tuple, g: Geometry) -> tuple[Geometry, tuple | None]:
    """The geometry without the kernel taps that read padding at every output position, and
    the index of the kept taps in the weight (None when all are kept).

    Such taps multiply zeros: on the 1x1 planes of ResNet-18's last stage (28x28 or 32x32
    inputs) 8 of a 3x3 kernel's 9, on its stride-2 2x2 -> 1x1 conv 5. Dropping them saves that share of the
    GEMMs and the columns. The kept taps are a box [lo, hi) per dim, read with the padding
    shifted by lo taps; a dim is kept whole when that shift would not give the same
    output positions (then the symmetric padding of im2col cannot express it)."""
    kernel, padding, index = [], [], [slice(None), slice(None)]
    for size, k, s, p, d in zip(spatial, g.kernel, g.stride, g.padding, g.dilation):
        positions = conv_output_size(size, k, s, p, d)
        live = [a for a in range(k) if _tap_meets_input(a * d - p, s, positions, size)]
        lo, hi = (live[0], live[-1] + 1) if live else (0, k)
        if p - lo * d < 0 or conv_output_size(size, hi - lo, s, p - lo * d, d) != positions:
            lo, hi = 0, k
        kernel.append(hi - lo)
        padding.append(p - lo * d)
        index.append(slice(lo, hi))
    if tuple(kernel) == g.kernel:
        return g, None
    return g._replace(kernel=tuple(kernel), padding=tuple(padding)), tuple(index)


def _pointwise(g: Geometry) -> bool:
    """A 1x1 kernel with stride 1 and no padding: every window is one input value, so the
    columns are x's channel-major copy (no im2col), and col2im is the copy back (2-6x
    faster than the kernels, measured on ResNet-sized planes)."""
    return all(k == 1 for k in g.kernel) and all(s == 1 for s in g.stride) and not any(g.padding)


@twins(cache=True, nogil=True)
def _swap_leading_kernel(src, bias, out):
    """out[i, j, l] = src[j, i, l] + bias[j]: src (J, I, L) -> out (I, J, L), with the bias
    (J,) added, or none when `bias` is empty.

    Both sides read and write rows of L contiguous values, so this runs at copy speed,
    where numpy's add from a transposed view with a broadcast bias ran 2.5-4x slower than
    its plain copy (CNN activations of 1-2.4M values).

    Bounds: the wrapper shapes out as (I, J, L) from src's (J, I, L), and passes a bias of
    J entries or none, so ij < I*J gives i < I and j < J, l < L on both sides, and bias[j]
    is read only when the bias has J entries."""
    n_j, n_i, length = src.shape
    with_bias = bias.shape[0] > 0
    for ij in prange(n_i * n_j):
        i, j = ij // n_j, ij % n_j
        if with_bias:
            add = bias[j]
            for l in range(length):
                out[i, j, l] = src[j, i, l] + add
        else:  # a copy, not + 0: that would turn -0.0 into 0.0
            for l in range(length):
                out[i, j, l] = src[j, i, l]
    return out


def _swap_leading(src: np.ndarray, bias: np.ndarray | None, out: np.ndarray, serial: bool = False) -> np.ndarray:
    """out (I, J, L) = src (J, I, L) with its two leading axes swapped, plus bias (J,) if given
    (on the calling thread only if `serial`)."""
    bias = np.empty(0, src.dtype) if bias is None else np.ascontiguousarray(bias, src.dtype)
    if serial:
        return _swap_leading_kernel.serial(src, bias, out)
    return _swap_leading_kernel(src.size, src, bias, out)


def channel_major(a: np.ndarray) -> np.ndarray:
    """(N, C, *spatial) -> (C, N * prod(spatial)), copied."""
    n, c, length = a.shape[0], a.shape[1], prod(a.shape[2:])
    out = buffers.empty((c, n * length), a.dtype)
    _swap_leading(np.ascontiguousarray(a).reshape(n, c, length), None, out.reshape(c, n, length))
    return out


def _batch_major(a: np.ndarray, shape: tuple, b: np.ndarray | None, out: np.ndarray | None = None,
                 serial: bool = False) -> np.ndarray:
    """(C, N*L) -> (N, C, *spatial) of `shape` (written into `out` if given), plus the bias b (C,) if given."""
    n, c, length = shape[0], shape[1], prod(shape[2:])
    out = buffers.empty(shape, a.dtype) if out is None else out
    _swap_leading(a.reshape(c, n, length), b, out.reshape(n, c, length), serial)
    return out


# --------------------------------------------------------------------------- slices on threads
# Each product goes through the batch a slice of images at a time, whose columns are made
# and used at once: im2col then the GEMM (forward, weight gradient), the GEMM then col2im
# (input gradient). A slice's columns stay in a core's 1 MB L2 cache between the two, where
# the whole batch's (42 MB for the examples CNN's second conv) would go out to memory and
# back; a test batch of 1000 images would fill 660 MB of them. The slices are shared among
# `numba.get_num_threads()` threads (`shared_work`: each takes the next slice when it is
# ready, so none waits for a thread the scheduler runs late), each running its own GEMMs
# on the BLAS's calling thread and its own serial kernels: a multi-threaded BLAS call per
# slice would wait for the BLAS's second thread at every slice, which on a shared machine
# can mean a scheduler tick each (measured on the examples CNN's input gradient at load 5
# on 2 cores: 2-9x slower than the whole batch's one call, where these threads took 17 ms
# against its 39). The threads meet once per product.
_SLICE_COLUMN_BYTES = 1 << 20


def _slicing(n: int, per_image: int, least: int = 1) -> tuple[int, int]:
    """(images per slice, threads) for a batch of n images with `per_image` bytes of columns
    each: slices of at most `_SLICE_COLUMN_BYTES` of columns, and enough of them for every
    thread, down to `least` images a slice. Only the main thread shares the slices among
    threads (`shared_work.threads_for`): the BLAS's thread count is one setting for the
    whole process, which calls from two threads would race for; another thread runs them
    all, its products on the BLAS's threads."""
    if n * per_image < _SLICE_COLUMN_BYTES:  # one slice (asking numba for its thread count costs us)
        return max(n, 1), 1
    step = min(max(1, _SLICE_COLUMN_BYTES // per_image), n)  # an image at least, however large
    step = -(-n // -(-n // step))  # as many slices, of even sizes: 16 images each, not 17, 17, 17 and 13
    threads = shared_work.threads_for(n)
    step = min(step, max(least, -(-n // threads)))  # work for every thread: a slice each at least
    return step, min(threads, -(-n // step))


def _plan(x_shape: tuple, out_channels: int, g: Geometry,
          itemsize: int) -> tuple[int, int, int, int, images_last.Layout | None]:
    """(C*K, L, images per slice, threads, layout) for the columns of an input of x_shape:
    the layout is images innermost (`images_last`) where that pays for slices of
    `images_last._MIN_IMAGES` images or more, else None. `itemsize` is the output's, which
    forward and backward both know. A backward pass plans its products anew, for the
    threads it finds; its three (`output_by_channel`, `conv_input_grad`,
    `conv_weight_grad`) share that plan, and the forward's columns are used where they
    were sliced the same way (else made again)."""
    # Remembered, under everything it depends on, the sizes that the tests change included:
    # each conv asks up to four times a step, and the decisions took ~7 us a time inside a
    # training step (LeNet's 2-3% faster with the plans and `winograd_fits` remembered,
    # 2026-12-05, Intel VM).
    return _plan_of(tuple(x_shape), out_channels, g, itemsize, shared_work.threads_for(x_shape[0]),
                    _SLICE_COLUMN_BYTES, images_last.pays, images_last._MIN_IMAGES)


@lru_cache(maxsize=256)
def _plan_of(x_shape: tuple, out_channels: int, g: Geometry, itemsize: int, *settings) -> tuple:
    """`_plan`'s answer for the thread count and sizes in `settings` (which `_slicing` and
    `images_last.pays` read themselves)."""
    spatial = out_spatial(x_shape[2:], g)
    c_k, length = x_shape[1] * prod(g.kernel), prod(spatial)
    per_image = max(1, c_k * length * itemsize)
    step, threads = _slicing(x_shape[0], per_image, least=images_last._MIN_IMAGES)
    if _pointwise(g) or not images_last.pays(spatial, g.stride, step, c_k, x_shape[1] + out_channels):
        return (c_k, length) + _slicing(x_shape[0], per_image) + (None,)
    return c_k, length, step, threads, images_last.layout(tuple(x_shape[1:]), g)


def _slice_products(threads: int) -> Callable[..., np.ndarray]:
    """The product for one slice: np.matmul where the slices are shared among threads (each
    its own: `blas.product`'s pieces ran slower there, each piece a Python call that
    waits for the other thread's GIL), else one that splits a large slice's product itself
    (`_group_products`: a batch of one large image still gets every thread)."""
    return np.matmul if threads > 1 else _group_products


def _run(work: Callable[[int, Iterator[int]], None], n: int, step: int, threads: int) -> None:
    """work(share, starts) over the slices of `step` images of a batch of n, on `threads` threads
    (`shared_work.run`), each running its products with the BLAS on its own thread."""
    with blas.one_thread():
        shared_work.run(work, n, step, threads)


def _group_products(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """a (G, M, K) @ b (G, K, N) (into `out` if given): one group's product through `blas.matmul`
    (split among minitorch's threads when large), several groups' on the calling thread."""
    if a.shape[0] == 1:
        product = blas.matmul(a[0], b[0], None if out is None else out[0])
        return product[None] if out is None else out
    with blas.one_thread():
        return blas.product(a, b, out)


def _compiled_slices(a: np.ndarray, w3: np.ndarray, out: np.ndarray) -> bool:
    """Whether a slice's steps run as one compiled call that calls the BLAS itself
    (`images_last.forward_slice`, `input_grad_slice`): numpy's BLAS allows it
    (`blas.compiled_products`) and the arrays share one float dtype. Measured on LeNet's
    second conv, batch 64, 2 threads, Intel, 2026-12-05: forward 419 -> 326 us, the
    threads no longer waiting for each other's GIL between a slice's three steps."""
    return a.dtype == w3.dtype == out.dtype and a.dtype in (np.float32, np.float64) and blas.compiled_products()


def _live_weight(w: np.ndarray, x_shape: tuple, g: Geometry) -> tuple[np.ndarray, Geometry]:
    """w's live taps as (G, O/G, C/G*K) and the geometry without the dead ones (`live_taps`)."""
    g, taps = live_taps(tuple(x_shape[2:]), g)
    w = w if taps is None else w[taps]
    return w.reshape(g.groups, w.shape[0] // g.groups, -1), g


def _slice_of(cols: np.ndarray, start: int, stop: int, length: int) -> np.ndarray:
    """Images [start, stop) of columns laid out by slices, (slices, C*K, step*L) with start a
    multiple of step: slice start // step, as a contiguous (C*K, (stop-start)*L) matrix (the
    first values of its part, so that a last, shorter slice is contiguous too)."""
    c_k, step_length = cols.shape[1:]
    at = start // (step_length // length) * c_k * step_length
    return cols.reshape(-1)[at:at + c_k * (stop - start) * length].reshape(c_k, -1)


def _images_scratch(lay: images_last.Layout | None, x_shape: tuple, threads: int, step: int,
                    dtype: np.dtype) -> np.ndarray | None:
    """Per thread, room for a slice of images laid out images innermost (`images_last`)."""
    if lay is None:
        return None
    return buffers.empty((threads, prod(x_shape[1:]) * step), dtype)


def _columns(x: np.ndarray, start: int, stop: int, g: Geometry, lay: images_last.Layout | None,
             out: np.ndarray, scratch: np.ndarray | None, share: int, serial: bool) -> None:
    """The columns of images [start, stop) of x into `out`: im2col's, or images innermost."""
    if lay is None:
        im2col(x[start:stop], g.kernel, g.stride, g.padding, g.dilation, out=out, batch_first=False, serial=serial)
    else:
        images_last.columns(x, start, stop, lay, out, scratch[share])


def output_by_channel(gy: np.ndarray, x_shape: tuple, w_shape: tuple, g: Geometry) -> np.ndarray:
    """The output gradient gy (N, O, *out) as `conv_input_grad` and `conv_weight_grad` read
    it, (O, N*L): channel-major, or images innermost a slice at a time where the columns
    are (see `images_last`); gy itself where the convolution runs as Winograd's."""
    if winograd_fits(x_shape, w_shape, g, gy.dtype):
        return gy
    g, _ = live_taps(tuple(x_shape[2:]), g)
    if _pointwise(g):
        return channel_major(gy)
    _, length, step, threads, lay = _plan(tuple(x_shape), w_shape[0], g, gy.itemsize)
    if lay is None:
        return channel_major(gy)
    out = buffers.empty((gy.shape[1], gy.shape[0] * length), gy.dtype)
    if conv_jobs.runs(threads, gy):
        return conv_jobs.by_channel(np.ascontiguousarray(gy).reshape(gy.shape[0], gy.shape[1], -1), step, out, threads)
    return images_last.by_channel(gy, step, out)


def conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, g: Geometry,
                 keep_columns: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """y (N, O, *out) = conv(x (N, C, *in), w (O, C/G, *k)) + b: im2col, GEMM and the
    transposing copy with the bias, a slice of images at a time. With `keep_columns`, also
    x's columns for the weight gradient, laid out by slices (slices, C*K, step*L) (see
    `_slice_of`); None for a 1x1 kernel, whose columns are x, and for Winograd's convolution,
    whose backward makes its tiles again."""
    if winograd_fits(x.shape, w.shape, g, np.result_type(x, w)):
        return winograd.forward(x, w, b, g.padding, out_spatial(tuple(x.shape[2:]), g)), None
    w3, g = _live_weight(w, x.shape, g)
    out_ch = w.shape[0]
    y = buffers.empty((x.shape[0], out_ch) + out_spatial(x.shape[2:], g), np.result_type(x, w))
    if _pointwise(g):  # the columns are x itself: one GEMM over the batch
        y_by_channel = buffers.empty((out_ch, y.size // max(out_ch, 1)), y.dtype)
        _group_products(w3, _by_group(channel_major(x), g.groups), out=_by_group(y_by_channel, g.groups))
        return _batch_major(y_by_channel, y.shape, b, y), None
    x = np.ascontiguousarray(x)
    n = x.shape[0]
    c_k, length, step, threads, lay = _plan(x.shape, out_ch, g, y.itemsize)
    # Kept columns take a part per slice; otherwise each thread reuses one part for all of its slices.
    cols = buffers.empty(((-(-n // step) if keep_columns else threads), c_k, step * length), x.dtype)
    y_part = out_ch * min(step, n) * length
    flat_y = buffers.empty((threads * y_part,), y.dtype)
    scratch = _images_scratch(lay, x.shape, threads, step, x.dtype)
    bias = np.empty(0, y.dtype) if b is None else np.ascontiguousarray(b, y.dtype)
    in_one_call = lay is not None and _compiled_slices(x, w3, y)
    w3 = np.ascontiguousarray(w3) if in_one_call else w3

    if in_one_call and conv_jobs.runs(threads, x, w3, y):
        conv_jobs.forward(x, lay, scratch, cols, w3, flat_y, bias, y, step, keep_columns, threads)
        return y, cols if keep_columns else None
    product = _slice_products(threads)

    def work(share: int, starts: Iterator[int]) -> None:
        for start in starts:
            stop = min(n, start + step)
            first = start if keep_columns else share * step  # where in `cols` this slice's go
            slice_cols = _slice_of(cols, first, first + stop - start, length)
            m = (stop - start) * length
            y_by_channel = flat_y[share * y_part:share * y_part + out_ch * m].reshape(out_ch, m)
            if in_one_call:
                images_last.forward_slice(x, start, stop, lay, w3, slice_cols, y_by_channel, bias, y, scratch[share])
                continue
            _columns(x, start, stop, g, lay, slice_cols, scratch, share, threads > 1)
            product(w3, _by_group(slice_cols, g.groups), out=_by_group(y_by_channel, g.groups))
            if lay is None:
                _batch_major(y_by_channel, y[start:stop].shape, b, y[start:stop], serial=threads > 1)
            else:
                images_last.to_batch_major(y_by_channel, bias, start, lay, y)

    _run(work, n, step, threads)
    return y, cols if keep_columns else None


def conv_input_grad(gy_by_channel: np.ndarray, w: np.ndarray, x_shape: tuple, g: Geometry) -> np.ndarray:
    """The adjoint of conv in x, from the output gradient's channel-major form (O, N*L):
    scatter W^T @ gy back over the windows (col2im), a slice of images at a time."""
    if winograd_fits(x_shape, w.shape, g, gy_by_channel.dtype):
        return winograd.input_grad(gy_by_channel, w, tuple(x_shape), g.padding)
    w3, g = _live_weight(w, x_shape, g)
    w3_t = w3.transpose(0, 2, 1)
    if _pointwise(g):
        cols = buffers.empty(_cols_shape(x_shape, g), gy_by_channel.dtype)
        _group_products(w3_t, _by_group(gy_by_channel, g.groups), out=_by_group(cols, g.groups))
        return _batch_major(cols, tuple(x_shape), None)
    n = x_shape[0]
    c_k, length, step, threads, lay = _plan(tuple(x_shape), w.shape[0], g, gy_by_channel.itemsize)
    gx = buffers.empty(tuple(x_shape), gy_by_channel.dtype)
    scratch = _images_scratch(lay, x_shape, threads, step, gx.dtype)
    # One columns buffer per thread; the first c_k * images * length values of a thread's
    # part are a contiguous (C*K, images*L) matrix, a last slice's smaller one included.
    part = c_k * min(step, n) * length
    flat = buffers.empty((threads * part,), gy_by_channel.dtype)
    in_one_call = lay is not None and _compiled_slices(gy_by_channel, w3, gx)
    w3 = np.ascontiguousarray(w3) if in_one_call else w3
    if in_one_call and conv_jobs.runs(threads, gy_by_channel, w3, gx):
        conv_jobs.input_grad(w3, gy_by_channel, lay, flat, scratch, gx, step, threads)
        return gx
    product = _slice_products(threads)

    def work(share: int, starts: Iterator[int]) -> None:
        for start in starts:
            stop = min(n, start + step)
            cols = flat[share * part:share * part + c_k * (stop - start) * length].reshape(c_k, -1)
            if in_one_call:
                images_last.input_grad_slice(w3, gy_by_channel, start, stop, lay, cols, gx, scratch[share])
                continue
            product(w3_t, _by_group(gy_by_channel[:, start * length:stop * length], g.groups),
                    out=_by_group(cols, g.groups))
            if lay is None:
                col2im(cols, (stop - start,) + tuple(x_shape[1:]), g.kernel, g.stride, g.padding, g.dilation,
                       out=gx[start:stop], batch_first=False, serial=threads > 1)
            else:
                images_last.add_columns(cols, lay, gx, start, stop, scratch[share])

    _run(work, n, step, threads)
    return gx


def _sum_by_channel(gy: np.ndarray, out: np.ndarray) -> None:
    """out (O,) = gy summed over all but its channels: gy channel-major (O, N*L) (any order
    within a row), or batch-major (N, O, *out) as Winograd's convolution reads it."""
    if gy.ndim == 2:
        out[...] = gy.sum(1)
    else:
        out[...] = np.einsum("nol->o", gy.reshape(gy.shape[0], gy.shape[1], -1))


def conv_weight_grad(x: np.ndarray, gy_by_channel: np.ndarray, w_shape: tuple, g: Geometry,
                     cols: np.ndarray | None = None, bias_out: np.ndarray | None = None) -> np.ndarray:
    """The adjoint of conv in w, from x (or its columns `cols` kept by `conv_forward`) and the
    output gradient's channel-major form (O, N*L): cols @ gy^T summed over slices of images.
    Also the bias's gradient, gy summed over all but its channels, into `bias_out` (O,) if
    given, a slice's part where the slice's product reads it."""
    if winograd_fits(x.shape, w_shape, g, np.result_type(x, gy_by_channel)):
        if bias_out is not None:
            _sum_by_channel(gy_by_channel, bias_out)
        return winograd.weight_grad(x, gy_by_channel, tuple(w_shape), g.padding)
    g, taps = live_taps(x.shape[2:], g)
    # cols @ gy^T, then a transpose of the small result: for the few output channels of a
    # small CNN, BLAS runs this long product about twice as fast as gy @ cols^T.
    if _pointwise(g):
        gw_t = _group_products(_by_group(channel_major(x), g.groups), _by_group(gy_by_channel, g.groups).transpose(0, 2, 1))
    else:
        x = np.ascontiguousarray(x)
        n = x.shape[0]
        c_k, length, step, threads, lay = _plan(x.shape, w_shape[0], g, gy_by_channel.itemsize)
        if cols is not None and lay is not None and cols.shape[2] != step * length:
            # The forward sliced the batch otherwise (it found another thread count), and the
            # output gradient's images-innermost layout follows this plan's slices.
            cols = None
        made_here = cols is None
        if made_here:  # made again a slice at a time, each thread into its own part
            cols = buffers.empty((threads, c_k, step * length), x.dtype)
        scratch = _images_scratch(lay, x.shape, threads, step, x.dtype) if made_here else None
        step = cols.shape[2] // length
        out_ch = gy_by_channel.shape[0]
        # One sum per slice, added up in slice order afterwards: which thread takes which
        # slice changes from run to run, the result must not (a resumed run reproduces an
        # uninterrupted one bit for bit).
        sums = np.empty((max(1, -(-n // step)), g.groups, c_k // g.groups, out_ch // g.groups),
                        np.result_type(x, gy_by_channel))
        bias_sums = np.zeros((len(sums), 0 if bias_out is None else out_ch), sums.dtype)
        product = _slice_products(threads)
        compiled = _compiled_slices(x, gy_by_channel, sums)
        small_kernels = blas.has_small_kernels()

        def work(share: int, starts: Iterator[int]) -> None:
            for start in starts:
                stop = min(n, start + step)
                first = share * step if made_here else start
                slice_cols = _slice_of(cols, first, first + stop - start, length)
                if made_here:
                    _columns(x, start, stop, g, lay, slice_cols, scratch, share, threads > 1)
                gy_part = gy_by_channel[:, start * length:stop * length]
                if compiled:
                    conv_jobs.weight_grad_slice(slice_cols, gy_part, sums[start // step], bias_sums[start // step],
                                                small_kernels)
                else:
                    product(_by_group(slice_cols, g.groups), _by_group(gy_part, g.groups).transpose(0, 2, 1),
                            out=sums[start // step])
                    if bias_out is not None:
                        bias_sums[start // step] = gy_part.sum(1)

        if not n:
            sums[0] = 0
        elif not made_here and conv_jobs.runs(threads, cols, gy_by_channel, sums):
            conv_jobs.weight_grad(cols, gy_by_channel, sums, bias_sums, n, length, threads)
        else:
            _run(work, n, step, threads)
        gw_t = np.add.reduce(sums, axis=0) if len(sums) > 1 else sums[0]
        if bias_out is not None:  # in slice order, as the weight's
            bias_out[...] = np.add.reduce(bias_sums, axis=0)
            bias_out = None
    if bias_out is not None:  # no slices (a 1x1 kernel)
        _sum_by_channel(gy_by_channel, bias_out)
    gw_live = gw_t.transpose(0, 2, 1)
    if taps is None:
        return np.ascontiguousarray(gw_live).reshape(w_shape)
    gw = np.zeros(w_shape, gw_live.dtype)  # the dead taps' gradient is 0: they only met padding
    gw[taps] = gw_live.reshape(gw[taps].shape)
    return gw
