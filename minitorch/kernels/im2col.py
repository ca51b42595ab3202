"""im2col / col2im: turn a convolution into one matrix product.

A convolution slides a (C, k1, k2, k3) window over the input and takes a dot product
with each filter. im2col copies every window into a column of a matrix, so that all
filters times all windows is a single matrix product (BLAS GEMM):

    cols = im2col(x)              # (N, C*K, L)   K = kernel volume, L = output positions
    y    = weight.reshape(O, C*K) @ cols           # (N, O, L) == (N, O, *out_spatial)

col2im is the exact adjoint (transpose) of im2col: it scatter-adds every column entry
back to the input position it was copied from. So the gradient of the input is
``col2im(weight.reshape(O, C*K).T @ grad_y)``.

Conventions shared by every function here:

* ``x`` has shape (N, C, *spatial) with 1, 2 or 3 spatial dims; ``kernel_size``,
  ``stride``, ``padding`` and ``dilation`` are tuples with one int per spatial dim.
* Zero padding is handled inside the kernel (no padded copy of the input is made);
  ``padding`` is symmetric, as in ``torch.nn.functional.unfold``. A caller that needs
  asymmetric padding pads the input first.
* The columns are (N, C*K, L). Rows are ordered (c, k1, k2, k3) exactly like
  ``weight.reshape(O, -1)`` and like ``torch.nn.functional.unfold``, so a batched
  matmul with the weight gives the output already in (N, O, L) order.
  ``batch_first=False`` gives the channel-major (C*K, N*L) instead (the conv op's
  layout): the same rows, each holding the whole batch's positions, so one GEMM with
  the weight covers every image.
* float32 and float64 are supported; the result has the input's dtype.
* ``out=`` lets the caller pass a reused buffer. Writing into fresh memory costs a
  page fault per 4 KiB on the machines we target, often more than the copy itself.
  glibc recycles freed blocks below 32 MiB without new faults, but larger ones (the
  columns of a 32->64 3x3 conv on 26x26 at batch 64 are 42 MB) come back as fresh
  pages every time: im2col then takes 3x longer than into a reused buffer (the conv
  ops take theirs from ``buffers.empty``, which reuses them).

The numba kernels come in two families, rows and tables, each the faster on some
shapes (see ``_use_tables``), and always work on 3 spatial dims: 1-d and 2-d inputs are viewed with
leading spatial dims of size 1 (a reshape, no copy); the extra loops of trip count one
cost under 10% against a kernel written for 2-d only.
"""

from __future__ import annotations

from math import prod
from typing import Sequence

import numpy as np
from numba import njit, prange

from .parallel import twins


def conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """Number of window positions along one dim: floor((size + 2p - d(k-1) - 1) / s) + 1."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


# --------------------------------------------------------------------------- kernels
# The kernels see the columns as a 3-d array cols[row, n, l]: row = (c, tap) with tap =
# (a, b, e) the kernel offset, n the image and l = (i, j, k) the output position. The
# channel-major matrix (C*K, N*L) is that array as it lies in memory, the batch-first
# (N, C*K, L) one is its transposed view. Entries are addressed by index arithmetic, not
# through array views made per (image, channel, tap) block: making those, not copying,
# used to take most of the time on the small planes of deep layers (a 1x1 output plane
# has one value per block).
#
# Two families: the row kernels walk each row of output positions with a vectorised
# inner loop, fast when rows are long and unstrided; the table kernels (further down)
# look positions up in a table of offsets, fast on short or strided rows. All release the
# GIL (nogil): the conv products run their serial twins on several threads at once, a
# slice of images each (`conv_gemm`'s slices on threads).


@twins(cache=True, nogil=True)
def _im2col_kernel(x, cols, kernel, out_size, stride, padding, dilation):
    """Fill ``cols`` (C*K, N, L), laid out as above, from ``x`` (N, C, D, H, W), for a
    kernel of size ``kernel`` (k1, k2, k3) and an output of size ``out_size`` (o1, o2, o3).

    Bounds: the wrapper shaped cols from x, the kernel and the output as
    (C * k1*k2*k3, N, o1*o2*o3), so row < C*K gives c = row // K < C, n < N, and
    l = (i*o2 + j)*o3 + k < o1*o2*o3; every input index (iz, iy, ix) is tested against
    [0, D/H/W) before the read (padding reads 0)."""
    n_batch, _, D, H, W = x.shape
    (k1, k2, k3), (o1, o2, o3) = kernel, out_size
    taps = k1 * k2 * k3
    # One task per row: in the channel-major layout each writes one contiguous stretch.
    for row in prange(cols.shape[0]):
        c, tap = row // taps, row % taps
        z0 = tap // (k2 * k3) * dilation[0] - padding[0]
        y0 = tap // k3 % k2 * dilation[1] - padding[1]
        x0 = tap % k3 * dilation[2] - padding[2]
        for n in range(n_batch):
            for i in range(o1):
                iz = z0 + i * stride[0]
                for j in range(o2):
                    iy = y0 + j * stride[1]
                    l = (i * o2 + j) * o3
                    if iz < 0 or iz >= D or iy < 0 or iy >= H:
                        for k in range(o3):
                            cols[row, n, l + k] = 0
                        continue
                    # A branch per element rather than a precomputed in-bounds range:
                    # LLVM turns it into a vectorised select.
                    for k in range(o3):
                        ix = x0 + k * stride[2]
                        if ix >= 0 and ix < W:
                            cols[row, n, l + k] = x[n, c, iz, iy, ix]
                        else:
                            cols[row, n, l + k] = 0
    return cols


@twins(cache=True, nogil=True)
def _col2im_kernel(cols, x, kernel, out_size, stride, padding, dilation):
    """Zero ``x`` (N, C, D, H, W), then add every entry of ``cols`` (C*K, N, L), laid out
    as in ``_im2col_kernel``, to the input position it was copied from.

    Bounds: as in ``_im2col_kernel`` (row = c*K + tap < C*K for c < C, tap < K); every
    input index is tested against the input's extent before the write; positions in the
    padding are dropped."""
    n_batch, n_chan, D, H, W = x.shape
    (k1, k2, k3), (o1, o2, o3) = kernel, out_size
    taps = k1 * k2 * k3
    # Tasks must own disjoint parts of x to add without races: each takes one (n, c) plane.
    for nc in prange(n_batch * n_chan):
        n, c = nc // n_chan, nc % n_chan
        x[n, c] = 0
        for tap in range(taps):
            row = c * taps + tap
            z0 = tap // (k2 * k3) * dilation[0] - padding[0]
            y0 = tap // k3 % k2 * dilation[1] - padding[1]
            x0 = tap % k3 * dilation[2] - padding[2]
            for i in range(o1):
                iz = z0 + i * stride[0]
                if iz < 0 or iz >= D:
                    continue
                for j in range(o2):
                    iy = y0 + j * stride[1]
                    if iy < 0 or iy >= H:
                        continue
                    l = (i * o2 + j) * o3
                    for k in range(o3):
                        ix = x0 + k * stride[2]
                        if ix >= 0 and ix < W:
                            x[n, c, iz, iy, ix] += cols[row, n, l + k]
    return x


@njit(cache=True)
def _window_offsets(in_size, kernel, out_size, stride, padding, dilation):
    """(K, L) table: where in a channel's (D, H, W) plane, flattened, kernel tap t meets
    output position l, or -1 where that is padding. The same for every image and channel."""
    D, H, W = in_size
    (k1, k2, k3), (o1, o2, o3) = kernel, out_size
    offsets = np.empty((k1 * k2 * k3, o1 * o2 * o3), np.int64)
    for tap in range(offsets.shape[0]):
        z0 = tap // (k2 * k3) * dilation[0] - padding[0]
        y0 = tap // k3 % k2 * dilation[1] - padding[1]
        x0 = tap % k3 * dilation[2] - padding[2]
        for l in range(offsets.shape[1]):
            iz = z0 + l // (o2 * o3) * stride[0]
            iy = y0 + l // o3 % o2 * stride[1]
            ix = x0 + l % o3 * stride[2]
            inside = 0 <= iz < D and 0 <= iy < H and 0 <= ix < W
            offsets[tap, l] = (iz * H + iy) * W + ix if inside else -1
    return offsets


# On small output planes (the deep layers of a ResNet: 7x7 down to 1x1) a row of
# positions is a few values long, and the row kernels pay their loops' setup per few
# values. These twins look the source of every position up in a `_window_offsets` table
# instead, in one loop over all of an image's positions.


@twins(cache=True, nogil=True)
def _im2col_table_kernel(x, cols, kernel, out_size, stride, padding, dilation):
    """``_im2col_kernel`` through a table of window offsets; ``x`` is (N, C, D, H, W).

    Bounds: row < C*K (cols' first dim, shaped by the wrapper) gives c < C; n < N and
    l < L by cols' shape; an offset is -1 (not read) or in [0, D*H*W), so
    c*D*H*W + offset < C*D*H*W, the second dim of the flat view."""
    n_batch, n_chan = x.shape[:2]
    offsets = _window_offsets(x.shape[2:], kernel, out_size, stride, padding, dilation)
    taps, length = offsets.shape
    plane = x.shape[2] * x.shape[3] * x.shape[4]
    flat = x.reshape(n_batch, n_chan * plane)
    for row in prange(cols.shape[0]):
        c, tap = row // taps, row % taps
        for n in range(n_batch):
            for l in range(length):
                at = offsets[tap, l]
                cols[row, n, l] = flat[n, c * plane + at] if at >= 0 else 0
    return cols


@twins(cache=True, nogil=True)
def _col2im_table_kernel(cols, x, kernel, out_size, stride, padding, dilation):
    """``_col2im_kernel`` through a table of window offsets; ``x`` is (N, C, D, H, W).

    Bounds: as in ``_im2col_table_kernel``, with c < C from the prange."""
    n_batch, n_chan = x.shape[:2]
    offsets = _window_offsets(x.shape[2:], kernel, out_size, stride, padding, dilation)
    taps, length = offsets.shape
    plane = x.shape[2] * x.shape[3] * x.shape[4]
    flat = x.reshape(n_batch, n_chan * plane)
    # Tasks must own disjoint parts of x to add without races: each takes one channel.
    for c in prange(n_chan):
        for n in range(n_batch):
            for at in range(c * plane, (c + 1) * plane):
                flat[n, at] = 0
        for tap in range(taps):
            row = c * taps + tap
            for n in range(n_batch):
                for l in range(length):
                    at = offsets[tap, l]
                    if at >= 0:
                        flat[n, c * plane + at] += cols[row, n, l]
    return x


# --------------------------------------------------------------------------- wrappers


def _to_3d(values: Sequence[int], fill: int) -> tuple[int, int, int]:
    """Left-pad a per-dim tuple to 3 dims (``fill`` for the new leading dims)."""
    # Spelled out, not a generator: every im2col or col2im call makes six of these.
    if len(values) == 2:
        return fill, int(values[0]), int(values[1])
    return (fill,) * (3 - len(values)) + tuple(int(v) for v in values)


# Rows of output positions shorter than this go through the offset tables.
_SHORT_ROW = 8


def _use_tables(out_spatial: tuple, stride: Sequence[int]) -> bool:
    """Whether the table kernels beat the row kernels: on short rows, and on strided ones,
    whose reads the row kernels cannot vectorise. Measured on one core, channel-major
    columns: 1.5-5x faster on the 14x14 .. 1x1 planes of ResNet-18 and the stride-2
    convs of nn_tutorial's CNN, 1.4-3.5x slower on LeNet's stride-1 24x24 and 8x8."""
    return out_spatial[-1] < _SHORT_ROW or stride[-1] > 1


def _cols_shape(n: int, c: int, kernel: tuple, out_spatial: tuple, batch_first: bool) -> tuple:
    """Shape of the column matrix: (N, C*K, L), or (C*K, N*L) when not batch_first."""
    if batch_first:
        return (n, c * prod(kernel), prod(out_spatial))
    return (c * prod(kernel), n * prod(out_spatial))


def _cols_3d(cols: np.ndarray, n: int, c_k: int, length: int, batch_first: bool) -> np.ndarray:
    """The column matrix as the kernels index it, (C*K, N, L): a reshape of the channel-major
    (C*K, N*L), a transposed view of the batch-first (N, C*K, L); no copy either way."""
    if batch_first:
        return cols.reshape(n, c_k, length).transpose(1, 0, 2)
    return cols.reshape(c_k, n, length)


def im2col(
    x: np.ndarray,
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    out: np.ndarray | None = None,
    batch_first: bool = True,
    serial: bool = False,
) -> np.ndarray:
    """Columns of every kernel window of ``x`` (N, C, *spatial), zero-padded.

    Returns (N, C*K, L), with K the kernel volume and L the number of output positions
    (see the module docstring); with ``batch_first=False`` the channel-major (C*K, N*L)
    instead, whose one GEMM with the weight covers the whole batch. ``out``, if given,
    must be a C-contiguous array of exactly that shape and x's dtype. ``serial=True`` keeps
    the work on the calling thread (for callers that run their own threads).
    """
    x = np.ascontiguousarray(x)
    n, c, *spatial = x.shape
    kernel = tuple(kernel_size)
    out_spatial = tuple(
        conv_output_size(*args) for args in zip(spatial, kernel, stride, padding, dilation)
    )
    shape = _cols_shape(n, c, kernel, out_spatial, batch_first)
    if out is None:
        out = np.empty(shape, dtype=x.dtype)
    elif out.shape != shape or out.dtype != x.dtype or not out.flags.c_contiguous:
        raise ValueError(
            f"im2col: out must be C-contiguous {x.dtype} of shape {shape}, "
            f"got {out.dtype} {out.shape}"
        )
    pair = _im2col_table_kernel if _use_tables(out_spatial, stride) else _im2col_kernel
    run = pair.serial if serial else lambda *args: pair(out.size, *args)
    run(
        x.reshape(n, c, *_to_3d(spatial, 1)),
        _cols_3d(out, n, c * prod(kernel), prod(out_spatial), batch_first),
        _to_3d(kernel, 1),
        _to_3d(out_spatial, 1),
        _to_3d(stride, 1),
        _to_3d(padding, 0),
        _to_3d(dilation, 1),
    )
    return out


def col2im(
    cols: np.ndarray,
    input_shape: Sequence[int],
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    out: np.ndarray | None = None,
    batch_first: bool = True,
    serial: bool = False,
) -> np.ndarray:
    """Adjoint of ``im2col``: sum the columns back into an array of ``input_shape``.

    ``cols`` is (N, C*K, L) (or (C*K, N*L) with ``batch_first=False``), as produced by
    ``im2col`` for an input of ``input_shape`` (N, C, *spatial). Entries that came from
    the padding are dropped. Returns (N, C, *spatial) in cols' dtype, written into
    ``out`` if given (C-contiguous, that shape and dtype); ``serial`` as in ``im2col``.
    """
    n, c, *spatial = (int(v) for v in input_shape)
    kernel = tuple(kernel_size)
    out_spatial = tuple(
        conv_output_size(*args) for args in zip(spatial, kernel, stride, padding, dilation)
    )
    shape = _cols_shape(n, c, kernel, out_spatial, batch_first)
    if cols.shape != shape:
        raise ValueError(f"col2im: expected cols of shape {shape} for input {tuple(input_shape)}, "
                         f"got {cols.shape}")
    cols = np.ascontiguousarray(cols)
    if out is None:
        out = np.empty((n, c, *spatial), dtype=cols.dtype)
    elif out.shape != (n, c, *spatial) or out.dtype != cols.dtype or not out.flags.c_contiguous:
        raise ValueError(
            f"col2im: out must be C-contiguous {cols.dtype} of shape {(n, c, *spatial)}, "
            f"got {out.dtype} {out.shape}"
        )
    pair = _col2im_table_kernel if _use_tables(out_spatial, stride) else _col2im_kernel
    run = pair.serial if serial else lambda *args: pair(cols.size, *args)
    run(
        _cols_3d(cols, n, c * prod(kernel), prod(out_spatial), batch_first),
        out.reshape(n, c, *_to_3d(spatial, 1)),
        _to_3d(kernel, 1),
        _to_3d(out_spatial, 1),
        _to_3d(stride, 1),
        _to_3d(padding, 0),
        _to_3d(dilation, 1),
    )
    return out
