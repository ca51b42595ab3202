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
* Two column layouts, chosen by ``layout``:
    - ``"NKL"`` (default): (N, C*K, L). Rows are ordered (c, k1, k2, k3) exactly like
      ``weight.reshape(O, -1)`` and like ``torch.nn.functional.unfold``. A batched
      matmul with the weight gives the output already in (N, O, L) order.
    - ``"KNL"``: (C*K, N*L). ``weight @ cols`` is then a single 2-D GEMM giving
      (O, N*L), which the caller transposes to (N, O, L).
* float32 and float64 are supported; the result has the input's dtype.
* ``out=`` lets the caller pass a reused buffer. Writing into fresh memory costs a
  page fault per 4 KiB on the machines we target, often more than the copy itself, so
  reusing the column buffer between steps pays (see ``Workspace``).

The numba kernels always work on 3 spatial dims: 1-d and 2-d inputs are viewed with
leading spatial dims of size 1 (a reshape, no copy), and the extra loops of trip count
one cost nothing measurable.
"""

from __future__ import annotations

from math import prod
from typing import Sequence

import numpy as np
from numba import njit, prange

LAYOUTS = ("NKL", "KNL")


def conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """Number of window positions along one dim: floor((size + 2p - d(k-1) - 1) / s) + 1."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


class Workspace:
    """A grow-only scratch buffer that hands out arrays of any shape and dtype.

    ``ws.array(shape, dtype)`` returns a view into one byte buffer that is only
    reallocated when a request is larger than anything seen before, so steady-state
    training touches no fresh pages. Each call may return the same memory as the
    previous one: keep one Workspace per buffer that must stay alive at the same time.
    """

    def __init__(self) -> None:
        self._buffer = np.empty(0, dtype=np.uint8)

    def array(self, shape: Sequence[int], dtype: np.dtype | type) -> np.ndarray:
        """An uninitialised C-contiguous array of ``shape`` and ``dtype`` in the buffer."""
        dtype = np.dtype(dtype)
        nbytes = prod(shape) * dtype.itemsize
        if self._buffer.nbytes < nbytes:
            self._buffer = np.empty(nbytes, dtype=np.uint8)
        return self._buffer[:nbytes].view(dtype).reshape(shape)


# --------------------------------------------------------------------------- kernels


@njit(parallel=True, cache=True)
def _im2col_kernel(x, cols, stride, padding, dilation, batch_major):
    """Fill ``cols`` (N, C, k1, k2, k3, o1, o2, o3) or (C, k1, k2, k3, N, o1, o2, o3)
    from ``x`` (N, C, D, H, W); positions in the padding read as zero."""
    n_batch, n_chan, D, H, W = x.shape
    if batch_major:
        k1, k2, k3, o1, o2, o3 = cols.shape[2:]
    else:
        k1, k2, k3 = cols.shape[1:4]
        o1, o2, o3 = cols.shape[5:]
    s1, s2, s3 = stride
    p1, p2, p3 = padding
    d1, d2, d3 = dilation
    # One task per (n, c) plane: enough tasks for 2 threads even at C=1, and no two
    # tasks write the same column row.
    for nc in prange(n_batch * n_chan):
        n = nc // n_chan
        c = nc % n_chan
        for a in range(k1):
            for b in range(k2):
                for e in range(k3):
                    for i in range(o1):
                        iz = i * s1 - p1 + a * d1
                        for j in range(o2):
                            iy = j * s2 - p2 + b * d2
                            if batch_major:
                                row = cols[n, c, a, b, e, i, j]
                            else:
                                row = cols[c, a, b, e, n, i, j]
                            if iz < 0 or iz >= D or iy < 0 or iy >= H:
                                row[:] = 0
                                continue
                            src = x[n, c, iz, iy]
                            offset = e * d3 - p3
                            # A branch per element, not a precomputed valid range: LLVM
                            # turns this into a vectorised select and it measured ~4x
                            # faster than three split loops.
                            for k in range(o3):
                                ix = k * s3 + offset
                                if ix >= 0 and ix < W:
                                    row[k] = src[ix]
                                else:
                                    row[k] = 0
    return cols


@njit(parallel=True, cache=True)
def _col2im_kernel(cols, x, stride, padding, dilation, batch_major):
    """Zero ``x`` (N, C, D, H, W), then add every entry of ``cols`` (layout as in
    ``_im2col_kernel``) to the input position it was copied from."""
    n_batch, n_chan, D, H, W = x.shape
    if batch_major:
        k1, k2, k3, o1, o2, o3 = cols.shape[2:]
    else:
        k1, k2, k3 = cols.shape[1:4]
        o1, o2, o3 = cols.shape[5:]
    s1, s2, s3 = stride
    p1, p2, p3 = padding
    d1, d2, d3 = dilation
    # Each (n, c) plane of x receives only from its own columns: no write races.
    for nc in prange(n_batch * n_chan):
        n = nc // n_chan
        c = nc % n_chan
        x[n, c] = 0
        for a in range(k1):
            for b in range(k2):
                for e in range(k3):
                    for i in range(o1):
                        iz = i * s1 - p1 + a * d1
                        if iz < 0 or iz >= D:
                            continue
                        for j in range(o2):
                            iy = j * s2 - p2 + b * d2
                            if iy < 0 or iy >= H:
                                continue
                            if batch_major:
                                row = cols[n, c, a, b, e, i, j]
                            else:
                                row = cols[c, a, b, e, n, i, j]
                            dst = x[n, c, iz, iy]
                            offset = e * d3 - p3
                            for k in range(o3):
                                ix = k * s3 + offset
                                if ix >= 0 and ix < W:
                                    dst[ix] += row[k]
    return x


# --------------------------------------------------------------------------- wrappers


def _to_3d(values: Sequence[int], fill: int) -> tuple[int, int, int]:
    """Left-pad a per-dim tuple to 3 dims (``fill`` for the new leading dims)."""
    return (fill,) * (3 - len(values)) + tuple(int(v) for v in values)


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")


def _cols_shape(n: int, c: int, kernel: tuple, out_spatial: tuple, layout: str) -> tuple:
    """Shape of the 2-D/3-D column matrix for the given layout."""
    ck, length = c * prod(kernel), prod(out_spatial)
    return (n, ck, length) if layout == "NKL" else (ck, n * length)


def _cols_8d(n: int, c: int, kernel: tuple, out_spatial: tuple, layout: str) -> tuple:
    """Shape the kernels index the column matrix with (both padded to 3 spatial dims)."""
    k3, o3 = _to_3d(kernel, 1), _to_3d(out_spatial, 1)
    return (n, c, *k3, *o3) if layout == "NKL" else (c, *k3, n, *o3)


def im2col(
    x: np.ndarray,
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    out: np.ndarray | None = None,
    layout: str = "NKL",
) -> np.ndarray:
    """Columns of every kernel window of ``x`` (N, C, *spatial), zero-padded.

    Returns (N, C*K, L) for layout "NKL" or (C*K, N*L) for "KNL", with K the kernel
    volume and L the number of output positions (see the module docstring). ``out``,
    if given, must be a C-contiguous array of exactly that shape and x's dtype.
    """
    _check_layout(layout)
    x = np.ascontiguousarray(x)
    n, c, *spatial = x.shape
    kernel = tuple(kernel_size)
    out_spatial = tuple(
        conv_output_size(*args) for args in zip(spatial, kernel, stride, padding, dilation)
    )
    shape = _cols_shape(n, c, kernel, out_spatial, layout)
    if out is None:
        out = np.empty(shape, dtype=x.dtype)
    elif out.shape != shape or out.dtype != x.dtype or not out.flags.c_contiguous:
        raise ValueError(
            f"im2col: out must be C-contiguous {x.dtype} of shape {shape}, "
            f"got {out.dtype} {out.shape}"
        )
    _im2col_kernel(
        x.reshape(n, c, *_to_3d(spatial, 1)),
        out.reshape(_cols_8d(n, c, kernel, out_spatial, layout)),
        _to_3d(stride, 1),
        _to_3d(padding, 0),
        _to_3d(dilation, 1),
        layout == "NKL",
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
    layout: str = "NKL",
) -> np.ndarray:
    """Adjoint of ``im2col``: sum the columns back into an array of ``input_shape``.

    ``cols`` is (N, C*K, L) for layout "NKL" or (C*K, N*L) for "KNL", as produced by
    ``im2col`` for an input of ``input_shape`` (N, C, *spatial). Entries that came from
    the padding are dropped. Returns (N, C, *spatial) in cols' dtype, written into
    ``out`` if given (C-contiguous, that shape and dtype).
    """
    _check_layout(layout)
    n, c, *spatial = (int(v) for v in input_shape)
    kernel = tuple(kernel_size)
    out_spatial = tuple(
        conv_output_size(*args) for args in zip(spatial, kernel, stride, padding, dilation)
    )
    shape = _cols_shape(n, c, kernel, out_spatial, layout)
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
        cols.reshape(_cols_8d(n, c, kernel, out_spatial, layout)),
        out.reshape(n, c, *_to_3d(spatial, 1)),
        _to_3d(stride, 1),
        _to_3d(padding, 0),
        _to_3d(dilation, 1),
        layout == "NKL",
    )
    return out
