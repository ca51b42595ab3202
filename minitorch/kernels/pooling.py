"""Max and average pooling, forward and backward, with torch's exact semantics.

Conventions shared by every function here:

* ``x`` has shape (*batch, *spatial) with 1 or 2 spatial dims, one per entry of
  ``kernel_size``. Every leading index (usually (N, C)) is an independent plane, so
  batched and unbatched inputs both work.
* ``kernel_size``, ``stride``, ``padding`` (and ``dilation`` for max pooling) are
  tuples with one int per spatial dim. The kernels assume arguments the op layer has
  already validated (positive kernel and stride, padding at most half the kernel, a
  non-empty output), which is where torch's error messages belong.
* Output sizes follow torch's rule, ceil_mode included (``pool_output_size``).
* Max-pool indices are int64 flat offsets into the *unpadded* spatial extent of each
  plane (h * W + w in 2-d), as ``torch.nn.functional.max_pool2d(return_indices=True)``.
* Results have the input's dtype (float32 or float64); large ones are reused buffers
  (``buffers.empty``), so a training loop does not page-fault fresh memory every step.

The numba kernels work on (planes, H, W); a 1-d input is viewed with H = 1, which is a
reshape. Window bounds along each dim depend only on the output position, so they are
tabulated once per call instead of recomputed (and clipped) per window: for the small
windows of CNN pooling that bookkeeping otherwise costs as much as the taps.
"""

from __future__ import annotations

from functools import lru_cache
from math import prod
from typing import Sequence

import numba
import numpy as np
from numba import njit, prange

from . import buffers, shared_work
from .intrinsics import array_at
from .parallel import twins


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


# --------------------------------------------------------------------------- max pool


@njit(cache=True)
def _max_windows(n_out, kernel, stride, padding, dilation, size):
    """First in-bounds input position and number of in-bounds taps of each of the
    ``n_out`` max-pool windows along one dim (taps in the padding are skipped)."""
    first = np.empty(n_out, dtype=np.int64)
    taps = np.empty(n_out, dtype=np.int64)
    for i in range(n_out):
        start = i * stride - padding
        end = min(start + (kernel - 1) * dilation + 1, size)
        while start < 0:
            start += dilation
        first[i] = start
        taps[i] = max(0, (end - start + dilation - 1) // dilation)
    return first, taps


@njit(cache=True)
def _max_window_with_nan(plane, y0, ny, dy, x0, nx, dx):
    """Max and flat index of one window of ``plane`` (H, W) by torch's exact rule: a
    value wins if it is greater than the best so far or if it is NaN."""
    W = plane.shape[1]
    best = -np.inf
    best_at = y0 * W + x0
    for b in range(ny):
        y = y0 + b * dy
        for c in range(nx):
            v = plane[y, x0 + c * dx]
            if v > best or np.isnan(v):
                best = v
                best_at = y * W + x0 + c * dx
    return best, best_at


@twins(cache=True)
def _max_pool_kernel(x, out, indices, keep_indices, kernel, stride, padding, dilation):
    """Max of each window of ``x`` (P, H, W) into ``out`` (P, OH, OW) and, if
    ``keep_indices``, the flat h*W + w position of that max into ``indices`` (P, OH, OW).

    Bounds: ``_max_windows`` starts each window at its first tap >= 0 and counts only
    taps below min(window end, size), so every read x[p, y0 + b*dy, x0 + c*dx] has
    0 <= y < H and 0 <= x < W; ``out`` is indexed by its own shape, and ``indices`` only
    when ``keep_indices``, in which case the wrapper made it out's shape."""
    n_planes, H, W = x.shape
    OH, OW = out.shape[1:]
    y_first, y_taps = _max_windows(OH, kernel[0], stride[0], padding[0], dilation[0], H)
    x_first, x_taps = _max_windows(OW, kernel[1], stride[1], padding[1], dilation[1], W)
    dy, dx = dilation
    for p in prange(n_planes):
        plane = x[p]
        for j in range(OH):
            y0, ny = y_first[j], y_taps[j]
            for k in range(OW):
                x0, nx = x_first[k], x_taps[k]
                best = -np.inf
                best_at = y0 * W + x0
                saw_nan = False
                for b in range(ny):
                    y = y0 + b * dy
                    for c in range(nx):
                        v = plane[y, x0 + c * dx]
                        # Strict '>' keeps the first of equal maxima, as torch does.
                        # Selects, not an if-block: on real data the comparison is a
                        # coin flip, and a mispredicted branch costs more than both moves.
                        greater = v > best
                        best = v if greater else best
                        best_at = y * W + x0 + c * dx if greater else best_at
                        # Torch lets a NaN win. Testing for it in the comparison above
                        # doubled the run time, so the rare NaN window is redone.
                        saw_nan |= v != v
                if saw_nan:
                    best, best_at = _max_window_with_nan(plane, y0, ny, dy, x0, nx, dx)
                out[p, j, k] = best
                if keep_indices:
                    indices[p, j, k] = best_at
    return out, indices


@njit(cache=True, nogil=True)
def _max_pool_2x2_kernel(x, out, indices, keep_indices):
    """``_max_pool_kernel`` for the CNN's usual 2x2 windows at stride 2, no padding or
    dilation: the four taps written out, ~8x faster than the general loops.

    Bounds: the wrapper takes this path only when 2 * OH <= H and 2 * OW <= W, so the
    reads x[p, 2j + 1, 2k + 1] with j < OH and k < OW stay inside the plane; ``out`` is
    indexed by its own shape, ``indices`` only when ``keep_indices`` (then out's shape)."""
    n_planes, H, W = x.shape
    OH, OW = out.shape[1:]
    for p in range(n_planes):
        plane = x[p]
        for j in range(OH):
            top, bottom = plane[2 * j], plane[2 * j + 1]
            first = 2 * j * W  # the flat index of the row pair's first value
            saw_nan = False
            for k in range(OW):
                # Taps in torch's scan order; strict '>' keeps the first of equal maxima.
                a, b, c, d = top[2 * k], top[2 * k + 1], bottom[2 * k], bottom[2 * k + 1]
                best, best_at = a, first + 2 * k
                if b > best:
                    best, best_at = b, first + 2 * k + 1
                if c > best:
                    best, best_at = c, first + W + 2 * k
                if d > best:
                    best, best_at = d, first + W + 2 * k + 1
                out[p, j, k] = best
                if keep_indices:
                    indices[p, j, k] = best_at
                saw_nan |= (a != a) | (b != b) | (c != c) | (d != d)
            # Torch lets a NaN win. Testing each window for one in the loop above made it
            # 1.5x slower, so a row pair that holds one has its NaN windows redone.
            if saw_nan:
                for k in range(OW):
                    a, b, c, d = top[2 * k], top[2 * k + 1], bottom[2 * k], bottom[2 * k + 1]
                    if (a != a) | (b != b) | (c != c) | (d != d):
                        best, best_at = _max_window_with_nan(plane, 2 * j, 2, 1, 2 * k, 2, 1)
                        out[p, j, k] = best
                        if keep_indices:
                            indices[p, j, k] = best_at
    return out, indices


@njit(cache=True, nogil=True)
def _max_pool_backward_kernel(grad_out, indices, grad_in):
    """Zero ``grad_in`` (P, S) and add each ``grad_out`` (P, L) entry at its index.

    Bounds: an index outside [0, S) is skipped. The forward gives such an index (as torch
    does) to a window lying wholly in the padding, whose value is -inf and which touches
    no input, so it has no gradient to pass on."""
    n_planes, n_out = grad_out.shape
    size = grad_in.shape[1]
    for p in range(n_planes):
        grad_in[p] = 0
        for q in range(n_out):
            at = indices[p, q]
            if at >= 0 and at < size:
                grad_in[p, at] += grad_out[p, q]
    return grad_in


# Large 2x2 pools and max-pool gradients are shared among minitorch's threads, a stretch of
# planes each (`shared_work.run_compiled`): in a CNN they read what a ReLU just wrote, which
# the same thread's stretch of the ReLU's job left in its core's cache. Planes never share
# an index, so the threads write apart.
_SHARED_FROM = 1 << 16  # input values from which they are shared


@njit(cache=True, nogil=True)
def _max_pool_2x2_part(args, share, start, stop, dtype):
    planes, height, width, out_height, out_width, keep = args[4], args[5], args[6], args[7], args[8], args[3]
    x = array_at(args[0], (planes, height, width), dtype)
    out = array_at(args[1], (planes, out_height, out_width), dtype)
    indices = array_at(args[2], (planes if keep else 0, out_height, out_width), numba.int64)
    _max_pool_2x2_kernel(x[start:stop], out[start:stop], indices[start:stop], keep != 0)


@shared_work.CompiledJob
def _max_pool_2x2_job(args, share, start, stop):
    """`_max_pool_2x2_kernel` on planes [start, stop): args = addresses of x (P, H, W), out and
    indices (P, OH, OW; none unless args[3]), then P, H, W, OH, OW, the itemsize."""
    shared_work.by_itemsize(_max_pool_2x2_part, args, 9, share, start, stop)


@njit(cache=True, nogil=True)
def _max_pool_backward_part(args, share, start, stop, dtype):
    planes, n_out, size = args[3], args[4], args[5]
    grad_out = array_at(args[0], (planes, n_out), dtype)
    indices = array_at(args[1], (planes, n_out), numba.int64)
    grad_in = array_at(args[2], (planes, size), dtype)
    _max_pool_backward_kernel(grad_out[start:stop], indices[start:stop], grad_in[start:stop])


@shared_work.CompiledJob
def _max_pool_backward_job(args, share, start, stop):
    """`_max_pool_backward_kernel` on planes [start, stop): args = addresses of grad_out (P, L),
    indices (P, L) and grad_in (P, S), then P, L, S, the itemsize."""
    shared_work.by_itemsize(_max_pool_backward_part, args, 6, share, start, stop)


def _planes_run(kernel, job: shared_work.CompiledJob, values: int, arrays: tuple, sizes: tuple) -> None:
    """kernel(*arrays) over its planes (arrays[0].shape[0] of them), shared among threads as
    `job` (whose arguments are the arrays, `sizes`, then the itemsize) where `values` is large."""
    planes = arrays[0].shape[0]
    threads = shared_work.threads_for(planes) if values >= _SHARED_FROM else 1
    if threads == 1 or not shared_work.compiled_jobs():
        kernel(*arrays)
        return
    args = shared_work.job_args(*(a for a in arrays if isinstance(a, np.ndarray)), *sizes, arrays[0].itemsize)
    shared_work.run_compiled(job, args, planes, -(-planes // (2 * threads)), threads)


# --------------------------------------------------------------------------- avg pool


@njit(cache=True)
def _avg_windows(n_out, kernel, stride, padding, size):
    """Bounds of each of the ``n_out`` avg-pool windows along one dim: start and end
    clipped to the input, and the length counted over input plus padding only (a
    ceil_mode window hanging past the right padding is cut there, as in torch).

    With padding at most half the kernel and torch's output size, every window holds
    at least one input position, so no divisor below is zero.
    """
    start = np.empty(n_out, dtype=np.int64)
    end = np.empty(n_out, dtype=np.int64)
    padded_len = np.empty(n_out, dtype=np.int64)
    for i in range(n_out):
        s = i * stride - padding
        e = min(s + kernel, size + padding)
        padded_len[i] = e - s
        start[i] = max(s, 0)
        end[i] = min(e, size)
    return start, end, padded_len


@njit(cache=True)
def _avg_divisors(ys, ye, yl, xs, xe, xl, count_include_pad, divisor_override):
    """(OH, OW) table of what torch divides each window's sum by: the override if
    positive, else the window area over input and padding, or over the input only."""
    divisors = np.empty((len(ys), len(xs)))
    for j in range(len(ys)):
        for k in range(len(xs)):
            if divisor_override > 0:
                divisors[j, k] = divisor_override
            elif count_include_pad:
                divisors[j, k] = yl[j] * xl[k]
            else:
                divisors[j, k] = (ye[j] - ys[j]) * (xe[k] - xs[k])
    return divisors


# error_model="numpy": the divisors are never zero, so skip numba's per-division check.
@twins(cache=True, error_model="numpy")
def _avg_pool_kernel(x, out, kernel, stride, padding, count_include_pad, divisor_override):
    """Mean of each window of ``x`` (P, H, W) into ``out`` (P, OH, OW).

    Bounds: ``_avg_windows`` clips each window to [max(s, 0), min(e, size)), so every read
    stays inside x; ``out`` and the divisors are indexed by their own (OH, OW) shape."""
    n_planes, H, W = x.shape
    OH, OW = out.shape[1:]
    ys, ye, yl = _avg_windows(OH, kernel[0], stride[0], padding[0], H)
    xs, xe, xl = _avg_windows(OW, kernel[1], stride[1], padding[1], W)
    divisors = _avg_divisors(ys, ye, yl, xs, xe, xl, count_include_pad, divisor_override)
    for p in prange(n_planes):
        for j in range(OH):
            for k in range(OW):
                total = 0.0
                for y in range(ys[j], ye[j]):
                    for xx in range(xs[k], xe[k]):
                        total += x[p, y, xx]
                out[p, j, k] = total / divisors[j, k]
    return out


@twins(cache=True, error_model="numpy")
def _avg_pool_backward_kernel(
    grad_out, grad_in, kernel, stride, padding, count_include_pad, divisor_override
):
    """Zero ``grad_in`` (P, H, W) and spread each ``grad_out`` (P, OH, OW) entry, divided
    by the forward's divisor, over its window. Bounds: the windows are clipped to the
    input exactly as in ``_avg_pool_kernel``, so every write stays inside grad_in."""
    n_planes, H, W = grad_in.shape
    OH, OW = grad_out.shape[1:]
    ys, ye, yl = _avg_windows(OH, kernel[0], stride[0], padding[0], H)
    xs, xe, xl = _avg_windows(OW, kernel[1], stride[1], padding[1], W)
    divisors = _avg_divisors(ys, ye, yl, xs, xe, xl, count_include_pad, divisor_override)
    for p in prange(n_planes):
        grad_in[p] = 0
        for j in range(OH):
            for k in range(OW):
                share = grad_out[p, j, k] / divisors[j, k]
                for y in range(ys[j], ye[j]):
                    for xx in range(xs[k], xe[k]):
                        grad_in[p, y, xx] += share
    return grad_in


# --------------------------------------------------------------------------- wrappers


def _to_2d(values: Sequence[int], fill: int) -> tuple[int, int]:
    """A per-dim tuple as 2 dims: a 1-d tuple gets ``fill`` for the new leading dim."""
    # Spelled out, not a generator: every pooling call makes six of these.
    if len(values) == 2:
        return int(values[0]), int(values[1])
    if len(values) == 1:
        return fill, int(values[0])
    raise ValueError(f"pooling kernels take 1 or 2 spatial dims, got {len(values)}")


def _split(shape: Sequence[int], spatial_dims: int) -> tuple[int, tuple[int, ...]]:
    """Number of planes (product of the leading dims) and the spatial dims of a shape."""
    cut = len(shape) - spatial_dims
    return prod(shape[:cut]), tuple(int(v) for v in shape[cut:])


def max_pool_forward(
    x: np.ndarray,
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    ceil_mode: bool = False,
    with_indices: bool = True,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Max pooling of ``x`` (*batch, *spatial), padding read as -inf.

    Returns ``(values, indices)``, both (*batch, *out_spatial); indices are int64 flat
    positions in each plane's unpadded spatial extent (torch's return_indices). With
    ``with_indices=False`` (inference: nothing to backpropagate) indices is None and
    never written, which saves twice the values' bytes.
    """
    out_shape, planes_shape, values_shape, geometry, two_by_two = _max_pool_plan(
        x.shape, tuple(kernel_size), tuple(stride), tuple(padding), tuple(dilation), bool(ceil_mode))
    values = buffers.empty(out_shape, x.dtype)
    indices = buffers.empty(out_shape if with_indices else (0,), np.int64)
    planes = np.ascontiguousarray(x).reshape(planes_shape)
    args = (planes, values.reshape(values_shape), indices.reshape(values_shape if with_indices else (0, 0, 0)),
            with_indices)
    if two_by_two:
        _planes_run(_max_pool_2x2_kernel, _max_pool_2x2_job, x.size, args,
                    (int(with_indices),) + planes_shape + values_shape[1:])
    else:
        _max_pool_kernel(x.size, *args, *geometry)
    return values, (indices if with_indices else None)


@lru_cache(maxsize=256)
def _max_pool_plan(shape: tuple, kernel_size: tuple, stride: tuple, padding: tuple, dilation: tuple,
                   ceil_mode: bool) -> tuple:
    """For `max_pool_forward` on x of `shape`: the output's shape, x and the output as planes
    (planes, H, W), the 2-d geometry, and whether the 2x2 kernel takes it (remembered: the
    same few shapes come every step, and working this out took ~10 us a call inside one)."""
    n_planes, spatial = _split(shape, len(kernel_size))
    out_spatial = tuple(pool_output_size(*args, ceil_mode)
                        for args in zip(spatial, kernel_size, stride, padding, dilation))
    planes_shape, values_shape = (n_planes, *_to_2d(spatial, 1)), (n_planes, *_to_2d(out_spatial, 1))
    geometry = (_to_2d(kernel_size, 1), _to_2d(stride, 1), _to_2d(padding, 0), _to_2d(dilation, 1))
    whole_windows = 2 * values_shape[1] <= planes_shape[1] and 2 * values_shape[2] <= planes_shape[2]
    two_by_two = geometry == ((2, 2), (2, 2), (0, 0), (1, 1)) and whole_windows
    return shape[:len(shape) - len(spatial)] + out_spatial, planes_shape, values_shape, geometry, two_by_two


def max_pool_backward(
    grad_out: np.ndarray, indices: np.ndarray, input_shape: Sequence[int], spatial_dims: int
) -> np.ndarray:
    """Gradient of max pooling: each ``grad_out`` entry added at its ``indices`` entry.

    ``grad_out`` and ``indices`` have the forward output's shape (*batch, *out_spatial)
    with ``spatial_dims`` trailing spatial dims; returns ``input_shape``
    (*batch, *spatial) in grad_out's dtype. Windows that picked the same input
    position add up.
    """
    n_planes, _ = _split(input_shape, spatial_dims)
    grad_in = buffers.empty(tuple(input_shape), grad_out.dtype)
    _planes_run(_max_pool_backward_kernel, _max_pool_backward_job, grad_in.size,
                (np.ascontiguousarray(grad_out).reshape(n_planes, -1), np.ascontiguousarray(indices).reshape(n_planes, -1),
                 grad_in.reshape(n_planes, -1)), (n_planes, grad_out.size // max(n_planes, 1), grad_in.size // max(n_planes, 1)))
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

    Each window's sum (over the input only: padding is zeros) is divided by
    ``divisor_override`` if given, else by the window size counted over input and
    padding (``count_include_pad``) or over the input only.
    """
    n_planes, spatial = _split(x.shape, len(kernel_size))
    out_spatial = tuple(
        pool_output_size(size, k, s, p, 1, ceil_mode)
        for size, k, s, p in zip(spatial, kernel_size, stride, padding)
    )
    out = buffers.empty(x.shape[: x.ndim - len(spatial)] + out_spatial, x.dtype)
    _avg_pool_kernel(
        x.size,
        np.ascontiguousarray(x).reshape(n_planes, *_to_2d(spatial, 1)),
        out.reshape(n_planes, *_to_2d(out_spatial, 1)),
        _to_2d(kernel_size, 1),
        _to_2d(stride, 1),
        _to_2d(padding, 0),
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
    n_planes, spatial = _split(input_shape, len(kernel_size))
    _, out_spatial = _split(grad_out.shape, len(kernel_size))
    grad_in = buffers.empty(tuple(input_shape), grad_out.dtype)
    _avg_pool_backward_kernel(
        grad_in.size,
        np.ascontiguousarray(grad_out).reshape(n_planes, *_to_2d(out_spatial, 1)),
        grad_in.reshape(n_planes, *_to_2d(spatial, 1)),
        _to_2d(kernel_size, 1),
        _to_2d(stride, 1),
        _to_2d(padding, 0),
        bool(count_include_pad),
        int(divisor_override or 0),
    )
    return grad_in
