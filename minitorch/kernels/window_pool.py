"""Max pooling over arbitrary per-plane windows (adaptive and fractional max pooling).

Window ``(i, j)`` of plane ``p`` covers rows ``[h_start[p, i], h_end[p, i])`` and
columns ``[w_start[p, j], w_end[p, j])`` of ``x[p]``. Returns the max of each window
and its flat position ``h * W + w`` in the plane (torch's return_indices format).
The kernel is a pair of twins (`parallel.twins`): planes run on numba's threads only when
there are enough values to repay waking them.
"""
from __future__ import annotations

import numpy as np
from numba import prange

from .parallel import twins


@twins(cache=True)
def _window_max_kernel(x, h_start, h_end, w_start, w_end, out, indices):
    """Max and flat position of each window; bounds are checked by ``window_max``."""
    n_planes, H, W = x.shape
    OH, OW = out.shape[1:]
    for p in prange(n_planes):
        for i in range(OH):
            for j in range(OW):
                best = -np.inf
                best_at = h_start[p, i] * W + w_start[p, j]
                for h in range(h_start[p, i], h_end[p, i]):
                    for w in range(w_start[p, j], w_end[p, j]):
                        v = x[p, h, w]
                        # first of equal maxima wins; NaN propagates, as in torch
                        if v > best or np.isnan(v):
                            best = v
                            best_at = h * W + w
                out[p, i, j] = best
                indices[p, i, j] = best_at
    return out, indices


def window_max(x: np.ndarray, h_start: np.ndarray, h_end: np.ndarray, w_start: np.ndarray,
               w_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Max of ``x`` (P, H, W) over the windows given by (P, OH) row and (P, OW) column
    bounds; returns ``(values, indices)`` of shape (P, OH, OW).

    The bounds are checked here (0 <= start, end <= H or W) so that the kernel's reads
    x[p, h, w] with start <= h < end provably stay in range."""
    n_planes, height, width = x.shape
    oh, ow = h_start.shape[1], w_start.shape[1]
    out = np.empty((n_planes, oh, ow), dtype=x.dtype)
    indices = np.empty((n_planes, oh, ow), dtype=np.int64)
    bounds = [np.ascontiguousarray(np.broadcast_to(b, (n_planes, b.shape[-1])), dtype=np.int64)
              for b in (h_start, h_end, w_start, w_end)]
    for name, bound, limit in zip(("h_start", "h_end", "w_start", "w_end"), bounds,
                                  (height, height, width, width)):
        if bound.size and (bound.min() < 0 or bound.max() > limit):
            raise IndexError(f"window_max: {name} must lie in [0, {limit}], got "
                             f"[{bound.min()}, {bound.max()}]")
    _window_max_kernel(x.size, np.ascontiguousarray(x), *bounds, out, indices)
    return out, indices
