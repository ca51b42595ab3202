"""Max and average pooling, forward and backward, with torch's exact semantics.

Conventions shared by every function here:

* ``x`` has shape (*batch, *spatial) with 1, 2 or 3 spatial dims, one per entry of
  ``kernel_size``. Every leading index (usually (N, C)) is an independent plane, so
  batched and unbatched inputs both work.
* ``kernel_size``, ``stride``, ``padding`` (and ``dilation`` for max pooling) are
  tuples with one int per spatial dim. The kernels assume arguments the op layer has
  already validated (positive kernel and stride, padding at most half the kernel, a
  non-empty output), which is where torch's error messages belong.
* Output sizes follow torch's rule, ceil_mode included (``pool_output_size``).
* Max-pool indices are int64 flat offsets into the *unpadded* spatial extent of each
  plane (h * W + w in 2-d), as ``torch.nn.functional.max_pool2d(return_indices=True)``.
* Results have the input's dtype (float32 or float64).

The numba kernels always work on (planes, D, H, W): 1-d and 2-d inputs are viewed with
leading spatial dims of size 1, which is a reshape and costs nothing measurable.
"""

from __future__ import annotations

from math import prod
from typing import Sequence

import numpy as np
from numba import njit, prange


def pool_output_size(
    size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool
) -> int:
    """Number of pooling windows along one dim of length ``size``, as torch counts them.

    floor (or ceil, with ``ceil_mode``) of (size + 2p - d(k-1) - 1) / s, plus one. With
    ceil_mode the last window must still start inside the input or the left padding;
    a window starting in the right padding is dropped.
    """
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    if ceil_mode:
        span += stride - 1
    out = span // stride + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


# --------------------------------------------------------------------------- kernels


@njit(parallel=True, cache=True)
def _max_pool_kernel(x, out, indices, kernel, stride, padding, dilation):
    """Max of each window of ``x`` (P, D, H, W) into ``out`` (P, OD, OH, OW) and the flat
    (d*H + h)*W + w position of that max into ``indices``."""
    n_planes, D, H, W = x.shape
    OD, OH, OW = out.shape[1:]
    k1, k2, k3 = kernel
    s1, s2, s3 = stride
    p1, p2, p3 = padding
    d1, d2, d3 = dilation
    for p in prange(n_planes):
        for i in range(OD):
            # Window bounds in input coordinates: the end is clipped to the input and
            # the start is stepped by the dilation until it leaves the left padding, so
            # padded positions are never read (they behave as -inf).
            z0 = i * s1 - p1
            z1 = min(z0 + (k1 - 1) * d1 + 1, D)
            while z0 < 0:
                z0 += d1
            for j in range(OH):
                y0 = j * s2 - p2
                y1 = min(y0 + (k2 - 1) * d2 + 1, H)
                while y0 < 0:
                    y0 += d2
                for k in range(OW):
                    x0 = k * s3 - p3
                    x1 = min(x0 + (k3 - 1) * d3 + 1, W)
                    while x0 < 0:
                        x0 += d3
                    best = -np.inf
                    best_at = (z0 * H + y0) * W + x0
                    for z in range(z0, z1, d1):
                        for y in range(y0, y1, d2):
                            for xx in range(x0, x1, d3):
                                v = x[p, z, y, xx]
                                # Strict '>' keeps the first of equal maxima; a NaN
                                # always wins, as in torch.
                                if v > best or np.isnan(v):
                                    best = v
                                    best_at = (z * H + y) * W + xx
                    out[p, i, j, k] = best
                    indices[p, i, j, k] = best_at
    return out, indices


@njit(parallel=True, cache=True)
def _max_pool_backward_kernel(grad_out, indices, grad_in):
    """Zero ``grad_in`` (P, S) and add each ``grad_out`` (P, L) entry at its index."""
    n_planes, n_out = grad_out.shape
    # Indices stay inside their own plane, so planes can run in parallel without races.
    for p in prange(n_planes):
        grad_in[p] = 0
        for q in range(n_out):
            grad_in[p, indices[p, q]] += grad_out[p, q]
    return grad_in


@njit(cache=True)
def _avg_window(i, stride, padding, kernel, size):
    """Bounds of window ``i`` along one dim: (start, end) clipped to the input, and the
    window length counted over input plus padding (torch's count_include_pad size)."""
    start = i * stride - padding
    end = min(start + kernel, size + padding)
    padded_len = end - start
    return max(start, 0), min(end, size), padded_len


@njit(parallel=True, cache=True)
def _avg_pool_kernel(x, out, kernel, stride, padding, count_include_pad, divisor_override):
    """Mean of each window of ``x`` (P, D, H, W) into ``out`` (P, OD, OH, OW).

    The divisor is ``divisor_override`` if positive, else the window size counted
    over input and padding (``count_include_pad``) or over input only.
    """
    n_planes, D, H, W = x.shape
    OD, OH, OW = out.shape[1:]
    for p in prange(n_planes):
        for i in range(OD):
            z0, z1, lz = _avg_window(i, stride[0], padding[0], kernel[0], D)
            for j in range(OH):
                y0, y1, ly = _avg_window(j, stride[1], padding[1], kernel[1], H)
                for k in range(OW):
                    x0, x1, lx = _avg_window(k, stride[2], padding[2], kernel[2], W)
                    if z0 >= z1 or y0 >= y1 or x0 >= x1:
                        out[p, i, j, k] = 0
                        continue
                    if divisor_override > 0:
                        divisor = divisor_override
                    elif count_include_pad:
                        divisor = lz * ly * lx
                    else:
                        divisor = (z1 - z0) * (y1 - y0) * (x1 - x0)
                    total = 0.0
                    for z in range(z0, z1):
                        for y in range(y0, y1):
                            for xx in range(x0, x1):
                                total += x[p, z, y, xx]
                    out[p, i, j, k] = total / divisor
    return out


@njit(parallel=True, cache=True)
def _avg_pool_backward_kernel(
    grad_out, grad_in, kernel, stride, padding, count_include_pad, divisor_override
):
    """Zero ``grad_in`` (P, D, H, W) and spread each ``grad_out`` (P, OD, OH, OW) entry
    evenly (divided by the forward's divisor) over its window."""
    n_planes, D, H, W = grad_in.shape
    OD, OH, OW = grad_out.shape[1:]
    for p in prange(n_planes):
        grad_in[p] = 0
        for i in range(OD):
            z0, z1, lz = _avg_window(i, stride[0], padding[0], kernel[0], D)
            for j in range(OH):
                y0, y1, ly = _avg_window(j, stride[1], padding[1], kernel[1], H)
                for k in range(OW):
                    x0, x1, lx = _avg_window(k, stride[2], padding[2], kernel[2], W)
                    if z0 >= z1 or y0 >= y1 or x0 >= x1:
                        continue
                    if divisor_override > 0:
                        divisor = divisor_override
                    elif count_include_pad:
                        divisor = lz * ly * lx
                    else:
                        divisor = (z1 - z0) * (y1 - y0) * (x1 - x0)
                    share = grad_out[p, i, j, k] / divisor
                    for z in range(z0, z1):
                        for y in range(y0, y1):
                            for xx in range(x0, x1):
                                grad_in[p, z, y, xx] += share
    return grad_in


# --------------------------------------------------------------------------- wrappers


def _to_3d(values: Sequence[int], fill: int) -> tuple[int, int, int]:
    """Left-pad a per-dim tuple to 3 dims (``fill`` for the new leading dims)."""
    return (fill,) * (3 - len(values)) + tuple(int(v) for v in values)


def _planes(shape: Sequence[int], ndim: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Split a shape into its leading (plane) dims and its ``ndim`` spatial dims."""
    return tuple(shape[: len(shape) - ndim]), tuple(shape[len(shape) - ndim :])


def max_pool_forward(
    x: np.ndarray,
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    ceil_mode: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling of ``x`` (*batch, *spatial), padding read as -inf.

    Returns ``(values, indices)``, both (*batch, *out_spatial); indices are int64 flat
    positions in each plane's unpadded spatial extent (torch's return_indices).
    """
    nd = len(kernel_size)
    batch, spatial = _planes(x.shape, nd)
    out_spatial = tuple(
        pool_output_size(*args, ceil_mode)
        for args in zip(spatial, kernel_size, stride, padding, dilation)
    )
    x = np.ascontiguousarray(x)
    values = np.empty(batch + out_spatial, dtype=x.dtype)
    indices = np.empty(batch + out_spatial, dtype=np.int64)
    n_planes = prod(batch)
    _max_pool_kernel(
        x.reshape(n_planes, *_to_3d(spatial, 1)),
        values.reshape(n_planes, *_to_3d(out_spatial, 1)),
        indices.reshape(n_planes, *_to_3d(out_spatial, 1)),
        _to_3d(kernel_size, 1),
        _to_3d(stride, 1),
        _to_3d(padding, 0),
        _to_3d(dilation, 1),
    )
    return values, indices


def max_pool_backward(
    grad_out: np.ndarray, indices: np.ndarray, input_shape: Sequence[int], spatial_dims: int
) -> np.ndarray:
    """Gradient of max pooling: each ``grad_out`` entry added at its ``indices`` entry.

    ``grad_out`` and ``indices`` have the forward output's shape (*batch, *out_spatial),
    with ``spatial_dims`` trailing spatial dims; returns ``input_shape``
    (*batch, *spatial) in grad_out's dtype. Windows that picked the same input
    position add up.
    """
    batch, _ = _planes(input_shape, spatial_dims)
    n_planes = prod(batch)
    grad_in = np.empty(tuple(input_shape), dtype=grad_out.dtype)
    _max_pool_backward_kernel(
        np.ascontiguousarray(grad_out).reshape(n_planes, -1),
        np.ascontiguousarray(indices).reshape(n_planes, -1),
        grad_in.reshape(n_planes, -1),
    )
    return grad_in


def avg_pool_forward(
    x: np.ndarray,
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """Average pooling of ``x`` (*batch, *spatial) -> (*batch, *out_spatial).

    Each window's sum is divided by ``divisor_override`` if given, else by the window
    size counted over input and zero padding (``count_include_pad``) or over the input
    only. With ceil_mode, a window running past the right padding counts only up to
    the padding's end, as in torch.
    """
    nd = len(kernel_size)
    batch, spatial = _planes(x.shape, nd)
    out_spatial = tuple(
        pool_output_size(size, k, s, p, 1, ceil_mode)
        for size, k, s, p in zip(spatial, kernel_size, stride, padding)
    )
    x = np.ascontiguousarray(x)
    out = np.empty(batch + out_spatial, dtype=x.dtype)
    n_planes = prod(batch)
    _avg_pool_kernel(
        x.reshape(n_planes, *_to_3d(spatial, 1)),
        out.reshape(n_planes, *_to_3d(out_spatial, 1)),
        _to_3d(kernel_size, 1),
        _to_3d(stride, 1),
        _to_3d(padding, 0),
        bool(count_include_pad),
        int(divisor_override or 0),
    )
    return out


def avg_pool_backward(
    grad_out: np.ndarray,
    input_shape: Sequence[int],
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """Gradient of ``avg_pool_forward`` for an input of ``input_shape``.

    ``grad_out`` has the forward output's shape (its spatial size already reflects
    ceil_mode); returns ``input_shape`` in grad_out's dtype.
    """
    nd = len(kernel_size)
    batch, spatial = _planes(input_shape, nd)
    _, out_spatial = _planes(grad_out.shape, nd)
    n_planes = prod(batch)
    grad_in = np.empty(tuple(input_shape), dtype=grad_out.dtype)
    _avg_pool_backward_kernel(
        np.ascontiguousarray(grad_out).reshape(n_planes, *_to_3d(out_spatial, 1)),
        grad_in.reshape(n_planes, *_to_3d(spatial, 1)),
        _to_3d(kernel_size, 1),
        _to_3d(stride, 1),
        _to_3d(padding, 0),
        bool(count_include_pad),
        int(divisor_override or 0),
    )
    return grad_in
