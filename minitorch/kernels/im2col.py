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

The numba kernels always work on 3 spatial dims: 1-d and 2-d inputs are viewed with
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
# The helpers are inlined into the kernels at numba-IR level (inline="always"): as
# separate calls, taking array arguments for every block, they cost 20-50%.


@njit(cache=True, inline="always")
def _fill_block(x, n, c, a, b, e, block, stride, padding, dilation):
    """Copy into ``block`` (o1, o2, o3) the input values that kernel tap (a, b, e)
    meets at every output position, for image n and channel c; padding reads as 0."""
    D = x.shape[2]
    for i in range(block.shape[0]):
        iz = i * stride[0] - padding[0] + a * dilation[0]
        if iz < 0 or iz >= D:
            block[i] = 0
        else:
            _fill_plane(x[n, c, iz], b, e, block[i], stride, padding, dilation)


@njit(cache=True, inline="always")
def _fill_plane(plane, b, e, out, stride, padding, dilation):
    """The 2-d core of ``_fill_block``: ``plane`` (H, W) into ``out`` (o2, o3)."""
    H, W = plane.shape
    o2, o3 = out.shape
    s2, s3 = stride[1], stride[2]
    row_offset = b * dilation[1] - padding[1]
    col_offset = e * dilation[2] - padding[2]
    for j in range(o2):
        iy = j * s2 + row_offset
        row = out[j]
        if iy < 0 or iy >= H:
            row[:] = 0
            continue
        src = plane[iy]
        # A branch per element rather than a precomputed in-bounds range: LLVM turns
        # it into a vectorised select, which measured ~4x faster.
        for k in range(o3):
            ix = k * s3 + col_offset
            if ix >= 0 and ix < W:
                row[k] = src[ix]
            else:
                row[k] = 0


@njit(cache=True, inline="always")
def _add_block(block, n, c, a, b, e, x, stride, padding, dilation):
    """The adjoint of ``_fill_block``: add ``block`` (o1, o2, o3) into x[n, c] at the
    positions kernel tap (a, b, e) met; entries that came from padding are dropped."""
    D = x.shape[2]
    for i in range(block.shape[0]):
        iz = i * stride[0] - padding[0] + a * dilation[0]
        if iz >= 0 and iz < D:
            _add_plane(block[i], b, e, x[n, c, iz], stride, padding, dilation)


@njit(cache=True, inline="always")
def _add_plane(block, b, e, plane, stride, padding, dilation):
    """The 2-d core of ``_add_block``: ``block`` (o2, o3) into ``plane`` (H, W)."""
    H, W = plane.shape
    o2, o3 = block.shape
    s2, s3 = stride[1], stride[2]
    row_offset = b * dilation[1] - padding[1]
    col_offset = e * dilation[2] - padding[2]
    for j in range(o2):
        iy = j * s2 + row_offset
        if iy < 0 or iy >= H:
            continue
        row = block[j]
        dst = plane[iy]
        for k in range(o3):
            ix = k * s3 + col_offset
            if ix >= 0 and ix < W:
                dst[ix] += row[k]


@njit(cache=True, inline="always")
def _block(cols, batch_first, n, c, a, b, e):
    """The (o1, o2, o3) block of ``cols`` for image n, channel c and kernel tap (a, b, e)."""
    return cols[n, c, a, b, e] if batch_first else cols[c, a, b, e, n]


@twins(cache=True)
def _im2col_kernel(x, cols, batch_first, stride, padding, dilation):
    """Fill ``cols`` (N, C, k1, k2, k3, o1, o2, o3), or (C, k1, k2, k3, N, o1, o2, o3)
    when not ``batch_first``, from ``x`` (N, C, D, H, W).

    Bounds: n and c run over x's first two dims and a, b, e over the kernel dims of cols,
    which the wrapper shaped from x's (N, C) and the kernel; every input index (iz, iy, ix)
    is tested against [0, D/H/W) before the read (padding reads 0)."""
    n_batch, n_chan = x.shape[:2]
    k1, k2, k3 = cols.shape[2:5] if batch_first else cols.shape[1:4]
    # Each task fills the blocks of one (n, c) pair, so the threads stream through
    # memory instead of scattering small writes.
    for nc in prange(n_batch * n_chan):
        n, c = nc // n_chan, nc % n_chan
        for a in range(k1):
            for b in range(k2):
                for e in range(k3):
                    _fill_block(x, n, c, a, b, e, _block(cols, batch_first, n, c, a, b, e),
                                stride, padding, dilation)
    return cols


@twins(cache=True)
def _col2im_kernel(cols, batch_first, x, stride, padding, dilation):
    """Zero ``x`` (N, C, D, H, W), then add every entry of ``cols`` (laid out as in
    ``_im2col_kernel``) to the input position it was copied from.

    Bounds: as in ``_im2col_kernel``, every input index is tested against the input's
    extent before the write; positions in the padding are dropped."""
    n_batch, n_chan = x.shape[:2]
    k1, k2, k3 = cols.shape[2:5] if batch_first else cols.shape[1:4]
    # Tasks must own disjoint parts of x to add without races: each takes one (n, c) plane.
    for nc in prange(n_batch * n_chan):
        n, c = nc // n_chan, nc % n_chan
        x[n, c] = 0
        for a in range(k1):
            for b in range(k2):
                for e in range(k3):
                    _add_block(_block(cols, batch_first, n, c, a, b, e), n, c, a, b, e, x,
                               stride, padding, dilation)
    return x


# --------------------------------------------------------------------------- wrappers


def _to_3d(values: Sequence[int], fill: int) -> tuple[int, int, int]:
    """Left-pad a per-dim tuple to 3 dims (``fill`` for the new leading dims)."""
    return (fill,) * (3 - len(values)) + tuple(int(v) for v in values)


def _cols_shape(n: int, c: int, kernel: tuple, out_spatial: tuple, batch_first: bool) -> tuple:
    """Shape of the column matrix: (N, C*K, L), or (C*K, N*L) when not batch_first."""
    if batch_first:
        return (n, c * prod(kernel), prod(out_spatial))
    return (c * prod(kernel), n * prod(out_spatial))


def _cols_8d(cols: np.ndarray, n: int, c: int, kernel: tuple, out_spatial: tuple,
             batch_first: bool) -> np.ndarray:
    """The column matrix as the kernels index it: (N, C, k1, k2, k3, o1, o2, o3), or
    (C, k1, k2, k3, N, o1, o2, o3) when not batch_first (a reshape, no copy)."""
    k3d, o3d = _to_3d(kernel, 1), _to_3d(out_spatial, 1)
    if batch_first:
        return cols.reshape(n, c, *k3d, *o3d)
    return cols.reshape(c, *k3d, n, *o3d)


def im2col(
    x: np.ndarray,
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    out: np.ndarray | None = None,
    batch_first: bool = True,
) -> np.ndarray:
    """Columns of every kernel window of ``x`` (N, C, *spatial), zero-padded.

    Returns (N, C*K, L), with K the kernel volume and L the number of output positions
    (see the module docstring); with ``batch_first=False`` the channel-major (C*K, N*L)
    instead, whose one GEMM with the weight covers the whole batch. ``out``, if given,
    must be a C-contiguous array of exactly that shape and x's dtype.
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
    _im2col_kernel(
        out.size,
        x.reshape(n, c, *_to_3d(spatial, 1)),
        _cols_8d(out, n, c, kernel, out_spatial, batch_first),
        batch_first,
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
) -> np.ndarray:
    """Adjoint of ``im2col``: sum the columns back into an array of ``input_shape``.

    ``cols`` is (N, C*K, L) (or (C*K, N*L) with ``batch_first=False``), as produced by
    ``im2col`` for an input of ``input_shape`` (N, C, *spatial). Entries that came from
    the padding are dropped. Returns (N, C, *spatial) in cols' dtype, written into
    ``out`` if given (C-contiguous, that shape and dtype).
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
    _col2im_kernel(
        cols.size,
        _cols_8d(cols, n, c, kernel, out_spatial, batch_first),
        batch_first,
        out.reshape(n, c, *_to_3d(spatial, 1)),
        _to_3d(stride, 1),
        _to_3d(padding, 0),
        _to_3d(dilation, 1),
    )
    return out
