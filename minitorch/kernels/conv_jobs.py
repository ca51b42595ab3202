"""A convolution's slices as compiled jobs: conv_gemm's slice loops, run by minitorch's
threads without Python (`shared_work.run_compiled`).

Where compiled code calls the BLAS (`blas.compiled_products`), a slice of images laid out
images innermost is one compiled call (`images_last.forward_slice`, `input_grad_slice`),
and a slice of a weight gradient one product per group. From Python, each slice still
costs a pool thread the GIL: it waits for the caller to let go of it before its first
slice and after each, ~20 us a time on the 2-core Intel VM measured. As compiled jobs
the pool threads run the slices as soon as they see them, each thread first its own
stretch of the batch, the part it made in the job before (`shared_work._take_slices`).

Each job reads its arrays back from the addresses in its arguments (`intrinsics.array_at`)
and cuts each thread's buffers (`share`) and each slice's part exactly as conv_gemm's
Python loops do; conv_gemm calls `forward`, `input_grad` or `weight_grad` here in place
of its loop where `runs` says they can run.
"""
from __future__ import annotations

import numba
import numpy as np
from numba import njit

from . import blas, shared_work
from .blas import gemm_in_pieces
from .images_last import Layout, _by_channel_kernel, _forward_slice, _input_grad_slice
from .intrinsics import array_at

__all__ = ["by_channel", "forward", "input_grad", "runs", "sum_of", "weight_grad", "weight_grad_slice"]


def runs(threads: int, *arrays: np.ndarray) -> bool:
    """Whether a convolution's slices run as compiled jobs here: shared among threads, the
    JIT on, products callable from compiled code, arrays of one float dtype."""
    dtype = arrays[0].dtype
    return (threads > 1 and shared_work.compiled_jobs() and blas.compiled_products()
            and dtype in (np.float32, np.float64) and all(a.dtype == dtype for a in arrays))


# ----- forward: columns, product and the copy back to (N, O, L), a slice at a time
@njit(cache=True, nogil=True)
def _forward_part(args, share, start, stop, dtype):
    (n, features, plane, channels, runs_count, taps, c_k, step, length, groups, rows, depth, keep,
     threads, slices, bias_size) = (args[11], args[12], args[13], args[14], args[15], args[16], args[17], args[18],
                                    args[19], args[20], args[21], args[22], args[23], args[24], args[25], args[26])
    i64 = numba.int64
    m = stop - start
    first = start if keep else share * step  # where in the columns this slice's go
    columns = array_at(args[5], (slices * c_k * step * length,), dtype)
    at = first // step * c_k * step * length
    y_part = array_at(args[7], (threads, groups * rows * step * length), dtype)[share]
    _forward_slice(array_at(args[0], (n, features), dtype), start, stop, array_at(args[1], (plane,), i64),
                   array_at(args[2], (threads, channels * plane * step), dtype)[share, :channels * plane * m],
                   array_at(args[3], (runs_count, 3), i64), array_at(args[4], (taps,), i64), channels,
                   columns[at:at + c_k * m * length].reshape(c_k, m * length), array_at(args[6], (groups, rows, depth), dtype),
                   y_part[:groups * rows * m * length].reshape(groups * rows, m * length),
                   array_at(args[8], (bias_size,), dtype), array_at(args[9], (length,), i64),
                   array_at(args[10], (n, groups * rows, length), dtype), args[28] != 0)


@shared_work.CompiledJob
def _forward_job(args, share, start, stop):
    """`images_last._forward_slice` for images [start, stop); arguments as `forward` packs them."""
    shared_work.by_itemsize(_forward_part, args, 27, share, start, stop)


def forward(x: np.ndarray, lay: Layout, scratch: np.ndarray, cols: np.ndarray, w3: np.ndarray, flat_y: np.ndarray,
            bias: np.ndarray, y: np.ndarray, step: int, keep_columns: bool, threads: int) -> None:
    """y (N, O, *out) = conv(x (N, C, *in)) by the filters w3 (G, O/G, C/G*K, contiguous) plus
    bias (O,) (empty for none), slices of `step` images shared among `threads` threads:
    columns into `cols` (slices or threads, C*K, step*L: a part per slice if
    `keep_columns`, else per thread), each thread's products into its part of flat_y and
    its input copy into scratch[share]."""
    n = x.shape[0]
    args = shared_work.job_args(
        x, lay.order, scratch, lay.runs, lay.first_run, cols, w3, flat_y, bias, lay.output_order, y,
        n, x[0].size, lay.plane, lay.channels, lay.runs.shape[0], lay.first_run.shape[0], cols.shape[1], step,
        lay.positions, *w3.shape, keep_columns, threads, cols.shape[0], bias.size, y.itemsize,
        blas.has_small_kernels())
    with blas.one_thread():  # each thread's products on its own thread
        shared_work.run_compiled(_forward_job, args, n, step, threads)


# ----- the output gradient images innermost, a slice at a time (`images_last.by_channel`)
@njit(cache=True, nogil=True)
def _by_channel_part(args, share, start, stop, dtype):
    n, channels, length = args[2], args[3], args[4]
    gy = array_at(args[0], (n, channels, length), dtype)
    out = array_at(args[1], (channels, n * length), dtype)
    _by_channel_kernel(gy[start:stop], stop - start, out[:, start * length:stop * length])


@shared_work.CompiledJob
def _by_channel_job(args, share, start, stop):
    """`images_last._by_channel_kernel` for the slice of images [start, stop)."""
    shared_work.by_itemsize(_by_channel_part, args, 5, share, start, stop)


def by_channel(gy: np.ndarray, step: int, out: np.ndarray, threads: int) -> np.ndarray:
    """`images_last.by_channel(gy, step, out)` (gy C-contiguous (N, O, L)), its slices shared
    among `threads` threads: each thread lays out the slices whose input gradient it then
    computes (`input_grad`), so they are in its core's cache there."""
    args = shared_work.job_args(gy, out, *gy.shape, gy.itemsize)
    shared_work.run_compiled(_by_channel_job, args, gy.shape[0], step, threads)
    return out


# ----- input gradient: products and the columns added back, a slice at a time
@njit(cache=True, nogil=True)
def _input_grad_part(args, share, start, stop, dtype):
    (n, groups, rows, depth, total, length, runs_count, taps, channels, plane, step, threads) = (
        args[7], args[8], args[9], args[10], args[11], args[12], args[13], args[14], args[15], args[16], args[17],
        args[18])
    i64 = numba.int64
    m = stop - start
    c_k = groups * depth
    cols = array_at(args[2], (threads, c_k * step * length), dtype)[share, :c_k * m * length].reshape(c_k, m * length)
    _input_grad_slice(array_at(args[0], (groups, rows, depth), dtype),
                      array_at(args[1], (groups * rows, total), dtype), start, stop, length, cols,
                      array_at(args[3], (runs_count, 3), i64), array_at(args[4], (taps,), i64), channels,
                      array_at(args[5], (plane,), i64),
                      array_at(args[6], (threads, channels * plane * step), dtype)[share, :channels * plane * m],
                      array_at(args[19], (n, channels, plane), dtype), args[21] != 0)


@shared_work.CompiledJob
def _input_grad_job(args, share, start, stop):
    """`images_last._input_grad_slice` for images [start, stop); arguments as `input_grad` packs them."""
    shared_work.by_itemsize(_input_grad_part, args, 20, share, start, stop)


def input_grad(w3: np.ndarray, gy_by_channel: np.ndarray, lay: Layout, flat: np.ndarray, scratch: np.ndarray,
               gx: np.ndarray, step: int, threads: int) -> None:
    """gx (N, C, *in) = the input gradient from the output gradient in `images_last.by_channel`'s
    layout (O, N*L) and the filters w3 (G, O/G, C/G*K, contiguous), slices of `step` images
    shared among `threads` threads, each with its part of `flat` for columns and of
    `scratch` for the images-innermost copy."""
    args = shared_work.job_args(
        w3, gy_by_channel, flat, lay.runs, lay.first_run, lay.order, scratch,
        gx.shape[0], *w3.shape, gy_by_channel.shape[1], lay.positions, lay.runs.shape[0], lay.first_run.shape[0],
        lay.channels, lay.plane, step, threads, gx, gx.itemsize, blas.has_small_kernels())
    with blas.one_thread():  # each thread's products on its own thread
        shared_work.run_compiled(_input_grad_job, args, gx.shape[0], step, threads)


# ----- weight gradient: one sum per slice, cols @ gy^T for each group
@njit(cache=True, nogil=True)
def _weight_grad_part(args, share, start, stop, dtype):
    slices, c_k, step, length, out_ch, total, groups = args[3], args[4], args[5], args[6], args[7], args[8], args[9]
    m = stop - start
    columns = array_at(args[0], (slices * c_k * step * length,), dtype)
    at = start // step * c_k * step * length
    cols = columns[at:at + c_k * m * length].reshape(c_k, m * length)
    gy = array_at(args[1], (out_ch, total), dtype)[:, start * length:stop * length]
    sums = array_at(args[2], (slices, groups, c_k // groups, out_ch // groups), dtype)[start // step]
    bias = array_at(args[11], (slices, args[12]), dtype)[start // step]
    weight_grad_slice(cols, gy, sums, bias, args[13] != 0)


@njit(cache=True, nogil=True)
def weight_grad_slice(cols, gy, sums, bias, small_kernels):
    """sums[g] (C/G*K, O/G) = cols[g] @ gy[g]^T for each group g of the columns (C*K, m*L) and
    the output gradient's columns for the same images (O, m*L, rows contiguous), and the
    bias's part, bias (O,) = gy's rows summed, unless bias is empty: a slice's sums, the
    same products whether the slices run as a job or from Python (so the bits do not
    depend on the thread count); in pieces for the BLAS's small-matrix kernels where
    `small_kernels` (`blas.gemm_in_pieces`).
    Bounds: the callers pass shapes that agree."""
    groups, depth, rows = sums.shape
    for g in range(groups):
        gemm_in_pieces(cols[g * depth:(g + 1) * depth], gy[g * rows:(g + 1) * rows], sums[g], False, True,
                       small_kernels)
    for o in range(bias.shape[0]):
        bias[o] = sum_of(gy[o])


@njit(cache=True, nogil=True, fastmath={"reassoc"})
def sum_of(values):
    """The sum of a contiguous 1-d array, added in whatever order vectorises (reassociation
    allowed, NaN and inf kept): the bias gradients' sums (a plain loop adds one value a
    cycle: 67 us of LeNet's first conv's backward on 2 threads, 8 this way, 2026-12-05)."""
    total = values.dtype.type(0)
    for i in range(values.size):  # (indexed: a `for v in values` loop did not vectorise)
        total += values[i]
    return total


@shared_work.CompiledJob
def _weight_grad_job(args, share, start, stop):
    """The weight gradient's sum for images [start, stop); arguments as `weight_grad` packs them."""
    shared_work.by_itemsize(_weight_grad_part, args, 10, share, start, stop)


def weight_grad(cols: np.ndarray, gy_by_channel: np.ndarray, sums: np.ndarray, bias_sums: np.ndarray, n: int,
                length: int, threads: int) -> None:
    """sums[s] (G, C/G*K, O/G) = the columns kept by the forward (slices, C*K, step*L) times the
    output gradient (O, N*L) transposed, over the images of slice s, and bias_sums[s] (O, or
    0 for none) its rows summed over them, for each slice, shared among `threads` threads."""
    step = cols.shape[2] // length
    args = shared_work.job_args(cols, gy_by_channel, sums, cols.shape[0], cols.shape[1], step, length,
                                gy_by_channel.shape[0], gy_by_channel.shape[1], sums.shape[1], cols.itemsize,
                                bias_sums, bias_sums.shape[1], blas.has_small_kernels())
    with blas.one_thread():  # each thread's products on its own thread
        shared_work.run_compiled(_weight_grad_job, args, n, step, threads)
