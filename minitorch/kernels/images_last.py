"""Columns with the images innermost, for convolutions on small output planes.

`conv_gemm` makes the columns of a slice of images as a (C*K, images*L) matrix whose
columns run image by image, each image's L output positions in a row. im2col then copies
one row of output positions at a time, and on small planes those rows are short: LeNet's
second conv has rows of 10 values, a ResNet's last stage of 7, 4 or 2, stride-2 convs
read every other value. Such copies run at a value or so a cycle, as slow as the GEMM
they feed (0.5 ns a value, where a long run copies at 0.1 or less).

Here the columns run the other way round: output position by output position, and for
each, the slice's m images side by side. A column entry for image n and position l is then
at l*m + n, and so is the input value it copies, once the slice's images are laid out
with the images innermost too, (C, *spatial, m) (`_images_last`, a transposing copy
of the slice, 75K values for LeNet's second conv and batch 64). A tap's entries for the
positions l .. l+k that read the input positions o .. o+k (a stride-1 stretch of a row,
`_runs`) are then one contiguous run of k*m values. The GEMM does not care in which order
the columns come, as long as the output gradient comes in the same one
(`by_channel`), and its result is put back in (N, O, *spatial) order by the transposing
copy that `conv_gemm` makes anyway (`to_batch_major`). col2im is the same the other way
(`add_columns`).

Measured on LeNet's second conv (6 -> 16, 5x5 on 14x14), a slice of 17 images, one
thread, 2026-12-05: the columns 130 us by im2col, 20 here plus 15 for the transposing copy.
"""
from __future__ import annotations

from functools import lru_cache
from math import prod

import numpy as np
from numba import njit

from .blas import gemm_in_pieces, has_small_kernels
from .im2col import _to_3d, _window_offsets, conv_output_size

__all__ = ["Layout", "add_columns", "by_channel", "columns", "forward_slice", "input_grad_slice", "pays",
           "to_batch_major"]

_SHORT_ROW = 16    # output rows shorter than this (one vector pass) copy slowly in im2col
_MIN_IMAGES = 8    # with fewer images a slice, the runs are short again


def pays(out_spatial: tuple, stride: tuple, images: int, columns: int, in_out_channels: int) -> bool:
    """Whether columns with the images innermost beat im2col's for slices of `images` images:
    on short or strided output rows, with enough images a slice to make the runs long, and
    `columns` (C*K) rows of columns at least 4x the channels in and out (the transposing
    copies of the input and the output cost a value each, the columns save 0.4 ns a value:
    on the first conv of a CNN, 1 -> 16 channels and 9 columns, the copies cost more than
    im2col, 561 against 701 us in all, one thread, batch 64)."""
    return (images >= _MIN_IMAGES and (out_spatial[-1] < _SHORT_ROW or stride[-1] > 1)
            and columns >= 4 * in_out_channels)


class Layout:
    """The geometry of one conv's columns: the input's (C, spatial); `order`, where each
    input position of a plane goes in the images-innermost copy; and, per kernel tap, the
    runs of output positions that read a stretch of consecutive positions of that copy:
    `runs[r]` = (first output position, first position in the copy or -1 for padding,
    length), the runs of tap t being runs[first_run[t]:first_run[t + 1]].

    With a stride s, consecutive outputs read every s-th input position, so the copy puts
    the positions of each dim in phase order (those at i % s == 0 first, then 1, ...):
    there those reads are consecutive again, and a stride-2 conv's runs as long as a
    stride-1 conv's (nn_tutorial's 16 -> 16 3x3 conv, 14x14 -> 7x7, a slice of 36 images,
    one thread: runs of 5.4 positions instead of 1; its forward and backward 1068 -> 802
    us a batch of 64 on 2 threads, against 1068 with im2col, 2026-12-05)."""

    def __init__(self, channels: int, spatial: tuple, kernel: tuple, out_spatial: tuple, stride: tuple,
                 padding: tuple, dilation: tuple) -> None:
        self.channels, self.plane = channels, prod(spatial)
        self.positions = prod(out_spatial)
        offsets = _window_offsets(_to_3d(spatial, 1), _to_3d(kernel, 1), _to_3d(out_spatial, 1), _to_3d(stride, 1),
                                  _to_3d(padding, 0), _to_3d(dilation, 1))
        self.order = _phase_order(spatial, stride)
        self.output_order = np.arange(self.positions, dtype=np.int64)
        self.runs, self.first_run = _runs(np.where(offsets >= 0, self.order[np.maximum(offsets, 0)], -1))


def _phase_order(spatial: tuple, stride: tuple) -> np.ndarray:
    """For each position of a (row-major) plane of `spatial`, its place when each dim's
    positions go in phase order: i -> (i % s) * ceil(size / s) + i // s."""
    places = []
    for size, s in zip(spatial, stride):
        i = np.arange(size)
        places.append((i % s) * (-(-size // s)) + i // s)
    grids = np.meshgrid(*places, indexing="ij")
    return np.ravel_multi_index(tuple(grids), spatial).reshape(-1).astype(np.int64)


@lru_cache(maxsize=256)
def layout(c_spatial: tuple, g) -> Layout:
    """The `Layout` of conv geometry `g` (a `conv_gemm.Geometry`) on inputs of (C, *spatial)."""
    spatial = c_spatial[1:]
    out = tuple(conv_output_size(*a) for a in zip(spatial, g.kernel, g.stride, g.padding, g.dilation))
    return Layout(c_spatial[0], spatial, g.kernel, out, g.stride, g.padding, g.dilation)


@njit(cache=True)
def _runs(offsets):
    """The runs of a (taps, L) table of window offsets (-1: padding): stretches of output
    positions whose offsets go up by one, or are all padding. Returns (runs (R, 3), first_run (taps + 1,))."""
    taps, length = offsets.shape
    runs = np.empty((taps * length, 3), np.int64)
    first_run = np.empty(taps + 1, np.int64)
    r = 0
    for t in range(taps):
        first_run[t] = r
        l = 0
        while l < length:
            at, k = offsets[t, l], 1
            while l + k < length and (offsets[t, l + k] == at + k if at >= 0 else offsets[t, l + k] < 0):
                k += 1
            runs[r, 0], runs[r, 1], runs[r, 2] = l, at, k
            r += 1
            l += k
    first_run[taps] = r
    return runs[:r].copy(), first_run


@njit(cache=True, nogil=True)
def _images_last(x, start, stop, order, out):
    """out (C*P, m) = images start <= n < stop of x (N, C*P), transposed, each plane's
    positions p placed at order[p]: each row of out written in one go, over unsigned flat
    indices (with signed ones numba tests each for wrap-around: 4x slower, 2026-12-05).
    Bounds: out has C*P rows (order is a permutation of range(P)) and stop - start columns,
    and x has stop <= N rows of C*P."""
    u = np.uint64
    plane, m, features = u(order.shape[0]), u(stop - start), u(x.shape[1])
    flat_x, flat_out = x.reshape(-1), out.reshape(-1)
    for c in range(u(out.shape[0]) // max(plane, u(1))):
        first = c * plane
        for p in range(plane):
            row, src = (first + u(order[p])) * m, u(start) * features + first + p
            for n in range(m):
                flat_out[row + n] = flat_x[src + n * features]
    return out


@njit(cache=True, nogil=True)
def _images_first(src, bias, start, order, out):
    """out[start + n, j, f] = src[j, order[f]*m + n] + bias[j] (no bias when it is empty):
    the images-innermost (J, F*m) back to the batch's (N, J, F) order, each (n, j) row
    written in one go, over unsigned flat indices (as in `_images_last`). `order` is the
    identity for the GEMM's output, the input copy's phase order for the input gradient.
    Bounds: src is (J, F*m) with m images of the slice starting at `start` in out, and
    order a permutation of range(F)."""
    u = np.uint64
    rows, features = u(out.shape[1]), u(out.shape[2])
    m = u(src.shape[1]) // max(features, u(1))
    with_bias = bias.shape[0] > 0
    flat_src, flat_out = src.reshape(-1), out.reshape(-1)
    for n in range(m):
        for j in range(rows):
            at, values = (u(start) + n) * rows * features + j * features, j * features * m + n
            add = bias[j] if with_bias else src.dtype.type(0)
            if with_bias:
                for f in range(features):
                    flat_out[at + f] = flat_src[values + u(order[f]) * m] + add
            else:
                for f in range(features):
                    flat_out[at + f] = flat_src[values + u(order[f]) * m]
    return out


@njit(cache=True, nogil=True)
def _columns_kernel(xt, runs, first_run, channels, plane, m, cols):
    """cols[c*K + t, l*m + n] = xt[(c*plane + offset(t, l))*m + n], 0 where the offset is
    padding: each run of a tap one contiguous copy (or fill) of length*m values.
    Bounds: the runs cover the L output positions of each tap once, their offsets lie in
    [0, plane) (`_window_offsets`), so every index stays inside the (C*plane*m,) xt and the
    (C*K, L*m) cols."""
    taps = first_run.shape[0] - 1
    u = np.uint64
    for row in range(channels * taps):
        c, t = row // taps, row % taps
        out = cols[row]
        for r in range(first_run[t], first_run[t + 1]):
            at, width = u(runs[r, 0] * m), u(runs[r, 2] * m)
            if runs[r, 1] < 0:
                for q in range(width):
                    out[at + q] = 0
            else:
                src = u((c * plane + runs[r, 1]) * m)
                for q in range(width):
                    out[at + q] = xt[src + q]
    return cols


@njit(cache=True, nogil=True)
def _add_columns_kernel(cols, runs, first_run, channels, plane, m, xt):
    """The adjoint of `_columns_kernel`: xt = 0, then each column entry added to the input
    value it was copied from (padding's entries dropped). Bounds: as there."""
    taps = first_run.shape[0] - 1
    u = np.uint64
    xt[:] = 0
    for row in range(channels * taps):
        c, t = row // taps, row % taps
        src = cols[row]
        for r in range(first_run[t], first_run[t + 1]):
            if runs[r, 1] >= 0:
                at, width = u(runs[r, 0] * m), u(runs[r, 2] * m)
                dst = u((c * plane + runs[r, 1]) * m)
                for q in range(width):
                    xt[dst + q] += src[at + q]
    return xt


@njit(cache=True, nogil=True)
def _slice_columns(x, start, stop, order, xt, runs, first_run, channels, cols):
    """`_columns_kernel` for images start <= n < stop of x (N, C*plane), by way of xt."""
    m = stop - start
    _images_last(x, start, stop, order, xt.reshape(-1, m))
    return _columns_kernel(xt, runs, first_run, channels, order.shape[0], m, cols)


@njit(cache=True, nogil=True)
def _slice_add_columns(cols, runs, first_run, channels, order, xt, start, stop, gx):
    """`_add_columns_kernel` into xt, then xt to images start <= n < stop of gx (N, C, plane)."""
    m = stop - start
    _add_columns_kernel(cols, runs, first_run, channels, order.shape[0], m, xt)
    return _images_first(xt.reshape(channels, -1), np.empty(0, xt.dtype), start, order, gx)


@njit(cache=True, nogil=True)
def _forward_slice(x, start, stop, order, xt, runs, first_run, channels, cols, w3, y_part, bias, out_order, y,
                   small_kernels):
    """`_slice_columns`, each group's product y_part[g] = w3[g] @ cols[g] (the BLAS called
    from here, in pieces for its small-matrix kernels where it has them), then
    `_images_first` with the bias: a slice of a forward in one call."""
    _slice_columns(x, start, stop, order, xt, runs, first_run, channels, cols)
    groups, rows, depth = w3.shape
    for g in range(groups):
        gemm_in_pieces(w3[g], cols[g * depth:(g + 1) * depth], y_part[g * rows:(g + 1) * rows], False, False,
                       small_kernels)
    return _images_first(y_part, bias, start, out_order, y)


@njit(cache=True, nogil=True)
def _input_grad_slice(w3, gy, start, stop, length, cols, runs, first_run, channels, order, xt, gx, small_kernels):
    """Each group's product cols[g] = w3[g]^T @ gy[g] over images start <= n < stop (the
    BLAS called from here, as in `_forward_slice`), then `_slice_add_columns` into gx: a
    slice of an input gradient in one call."""
    groups, rows, depth = w3.shape
    for g in range(groups):
        gemm_in_pieces(w3[g], gy[g * rows:(g + 1) * rows, start * length:stop * length],
                       cols[g * depth:(g + 1) * depth], True, False, small_kernels)
    return _slice_add_columns(cols, runs, first_run, channels, order, xt, start, stop, gx)


def forward_slice(x: np.ndarray, start: int, stop: int, lay: Layout, w3: np.ndarray, cols: np.ndarray,
                  y_part: np.ndarray, bias: np.ndarray, y: np.ndarray, scratch: np.ndarray) -> None:
    """y[start:stop] (m, O, *out) = conv of images start <= n < stop of x (N, C, *spatial)
    with the filters w3 (G, O/G, C/G*K), plus bias (O,) (empty for none): `columns`, the
    product into y_part (O, L*m) and `to_batch_major` in one compiled call, the BLAS called
    from it (where `blas.compiled_products`; w3, cols, y_part and y of one float dtype)."""
    xt = scratch[:lay.channels * lay.plane * (stop - start)]
    _forward_slice(x.reshape(x.shape[0], -1), start, stop, lay.order, xt, lay.runs, lay.first_run, lay.channels,
                   cols, w3, y_part, bias, lay.output_order, y.reshape(y.shape[0], y.shape[1], -1),
                   has_small_kernels())


def input_grad_slice(w3: np.ndarray, gy_by_channel: np.ndarray, start: int, stop: int, lay: Layout,
                     cols: np.ndarray, gx: np.ndarray, scratch: np.ndarray) -> None:
    """gx[start:stop] = the input gradient of images start <= n < stop: w3 (G, O/G, C/G*K)
    transposed times the output gradient's columns (`by_channel`'s layout) into cols (C*K,
    L*m), then `add_columns`, in one compiled call (as `forward_slice`)."""
    xt = scratch[:lay.channels * lay.plane * (stop - start)]
    _input_grad_slice(w3, gy_by_channel, start, stop, lay.positions, cols, lay.runs, lay.first_run, lay.channels,
                      lay.order, xt, gx.reshape(gx.shape[0], lay.channels, -1), has_small_kernels())


def columns(x: np.ndarray, start: int, stop: int, lay: Layout, out: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """The columns (C*K, L*m) of images start <= n < stop of x (N, C, *spatial), images
    innermost, into `out`; `scratch` holds at least C*prod(spatial)*m values. (One compiled
    call a slice: the slices run on several threads, which take turns at the GIL between
    calls.)"""
    xt = scratch[:lay.channels * lay.plane * (stop - start)]
    return _slice_columns(x.reshape(x.shape[0], -1), start, stop, lay.order, xt, lay.runs, lay.first_run,
                          lay.channels, out)


def add_columns(cols: np.ndarray, lay: Layout, gx: np.ndarray, start: int, stop: int, scratch: np.ndarray) -> None:
    """gx[start:stop] (m, C, *spatial) = the columns (C*K, L*m), images innermost, added
    back to where they were read from (col2im); `scratch` as in `columns`."""
    xt = scratch[:lay.channels * lay.plane * (stop - start)]
    _slice_add_columns(cols, lay.runs, lay.first_run, lay.channels, lay.order, xt, start, stop,
                       gx.reshape(gx.shape[0], lay.channels, -1))


def to_batch_major(src: np.ndarray, bias: np.ndarray, start: int, lay: Layout, y: np.ndarray) -> None:
    """y[start:start+m] (m, O, *out) = the GEMM's (O, L*m), images innermost, plus bias (O,)
    (contiguous, y's dtype; empty for none)."""
    _images_first(src, bias, start, lay.output_order, y.reshape(y.shape[0], y.shape[1], -1))


@njit(cache=True, nogil=True)
def _by_channel_kernel(gy, step, out):
    """out[o, s*L + l*m + n] = gy[s + n, o, l] for each slice of `step` images starting at s
    (m images in it: `step`, or fewer in the last).
    Bounds: out is (O, N*L) for gy (N, O, L); s + n < N."""
    images, channels, length = gy.shape
    for s in range(0, images, step):
        m = min(step, images - s)
        for o in range(channels):
            row = out[o, s * length:(s + m) * length]
            for n in range(m):
                values = gy[s + n, o]
                for l in range(length):
                    row[l * m + n] = values[l]
    return out


def by_channel(gy: np.ndarray, step: int, out: np.ndarray) -> np.ndarray:
    """The output gradient gy (N, O, *out) as the GEMMs read it, (O, N*L), slices of `step`
    images each laid out images innermost (into `out`)."""
    n, o = gy.shape[:2]
    return _by_channel_kernel(np.ascontiguousarray(gy).reshape(n, o, -1), step, out)
