"""Fused batch-norm kernels over x viewed as (A, K, B): statistics per k over (A, B).

Batch norm of (N, C, *spatial) is (A, K, B) = (N, C, H*W); instance norm is
(1, N*C, H*W). One pass per stage instead of numpy's one pass per elementwise op:

* ``moments``: per-k mean and biased variance (two passes, float64 accumulation);
* ``normalize``: y = x * a + c with a = invstd * scale, c = shift - mean * a (torch's form),
  in memory order; planes of a few values (the 1x1 and 2x2 maps deep in a ResNet) a whole
  row (K * B) at a time with the coefficients repeated per value;
* ``backward``: per-k sums of g and g * xhat (float64), then, in x's dtype as torch
  computes it, gx = (g - mean(g) - (x - mean) * mean(g * xhat) * invstd) * invstd * scale
  in training mode, or g * invstd * scale with fixed statistics.

The per-k sums are compiled with fastmath's `reassoc` flag alone: it lets LLVM split each
sum into vector lanes added in another order (measured 9x faster on a 64x16x28x28 batch).
The sums are float64 over float32 or float64 values, so the order moves them by about one
float64 ulp per add, far below what reaches a float32 result; no other fast-math licence
(no-NaN, contraction into FMA) is given, so inf and nan propagate as before.

Each kernel is a pair of twins (`parallel.twins`): the channels (planes, rows) are shared
among numba's threads only for batches large enough to repay waking them (a BatchNorm1d of
(64, 128) ran ~4x slower on the parallel twin).

Stay correct under NUMBA_DISABLE_JIT=1. Bounds: the kernels index x, g, out and gx by
x's own (A, K, B) shape (or its (A, K * B) rows) and the per-k arrays by k < K, the
per-column ones by j < K * B; the wrappers check that every per-k array has K entries
(repeating them B times for the columns) and that g has x's shape, so no index leaves its array.
"""
from __future__ import annotations

import numpy as np
from numba import prange

from .parallel import twins


# Only the reductions' order is relaxed: see the module docstring.
_SUMS = {"reassoc"}
# Planes (A, K, B) with fewer values than this per (a, k) are normalised a row of K * B at a time
# (a BatchNorm of (1000, 512, 1, 1): 2.3 -> 0.06 ms serial).
_SHORT_PLANE = 32


# error_model="numpy": an empty batch divides by a count of 0, which gives nan as in torch.
@twins(cache=True, fastmath=_SUMS, error_model="numpy")
def _moments_kernel(x, mean, var):
    n_a, n_k, n_b = x.shape
    count = n_a * n_b
    for k in prange(n_k):
        total = 0.0
        for a in range(n_a):
            for b in range(n_b):
                total += x[a, k, b]
        m = total / count
        sq = 0.0
        for a in range(n_a):
            for b in range(n_b):
                d = x[a, k, b] - m
                sq += d * d
        mean[k] = m
        var[k] = sq / count


@twins(cache=True)
def _scale_shift_kernel(x, alpha, beta, out):
    """out = x * alpha[k] + beta[k] for x (A, K, B), in memory order: a (sample, channel) plane
    at a time, so the reads stream through x instead of striding over the batch per channel."""
    n_a, n_k, n_b = x.shape
    for i in prange(n_a * n_k):
        a = i // n_k
        k = i - a * n_k
        al, be = alpha[k], beta[k]
        for b in range(n_b):
            out[a, k, b] = x[a, k, b] * al + be


@twins(cache=True)
def _scale_shift_columns_kernel(x, alpha, beta, out):
    """out = x * alpha + beta for x (A, L) with one coefficient per column: planes of a few
    values (B small) as whole rows, whose inner loop vectorises where a plane's would not."""
    n_a, n = x.shape
    for a in prange(n_a):
        for j in range(n):
            out[a, j] = x[a, j] * alpha[j] + beta[j]


@twins(cache=True, fastmath=_SUMS, error_model="numpy")
def _backward_kernel(x, g, mean, invstd, scale, gx, sums, coef, batch_stats, want_gx):
    n_a, n_k, n_b = x.shape
    count = n_a * n_b
    for k in prange(n_k):
        m = mean[k]
        inv = invstd[k]
        sum_g = 0.0
        sum_gxc = 0.0
        for a in range(n_a):
            for b in range(n_b):
                gv = g[a, k, b]
                sum_g += gv
                sum_gxc += gv * (x[a, k, b] - m)
        sums[0, k] = sum_g
        sums[1, k] = sum_gxc * inv          # sum of g * xhat
        if want_gx:
            # The per-element pass computes in x's dtype, as torch's does: the coefficients
            # are rounded to it by storing them in `coef` (x's dtype) and reading them back.
            coef[0, k] = inv
            coef[1, k] = scale[k]
            inv_x, w = coef[0, k], coef[1, k]
            if batch_stats:
                coef[2, k] = m
                coef[3, k] = sum_g / count                 # mean(g)
                coef[4, k] = sum_gxc * inv * inv / count   # mean(g * xhat) * invstd
                m_x, mean_g, proj = coef[2, k], coef[3, k], coef[4, k]
                for a in range(n_a):
                    for b in range(n_b):
                        gx[a, k, b] = (g[a, k, b] - mean_g - (x[a, k, b] - m_x) * proj) * inv_x * w
            else:
                for a in range(n_a):
                    for b in range(n_b):
                        gx[a, k, b] = g[a, k, b] * inv_x * w


def _check_per_k(x: np.ndarray, **per_k: np.ndarray) -> None:
    """Raise ValueError unless each per-k array has one entry per k of x (A, K, B)."""
    for name, values in per_k.items():
        if values.shape != (x.shape[1],):
            raise ValueError(f"batch_norm kernel: {name} must have shape ({x.shape[1]},), "
                             f"got {values.shape}")


def moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-k mean and biased variance (float64, shape (K,)) of x (A, K, B)."""
    k = x.shape[1]
    mean, var = np.empty(k), np.empty(k)
    _moments_kernel(x.size, np.ascontiguousarray(x), mean, var)
    return mean, var


def normalize(x: np.ndarray, mean: np.ndarray, invstd: np.ndarray, scale: np.ndarray,
              shift: np.ndarray) -> np.ndarray:
    """(x - mean) * invstd * scale + shift per k, for x (A, K, B); all per-k arrays (K,)."""
    _check_per_k(x, mean=mean, invstd=invstd, scale=scale, shift=shift)
    x = np.ascontiguousarray(x)
    out = np.empty(x.shape, dtype=x.dtype)
    dt = x.dtype
    alpha = invstd.astype(dt) * scale.astype(dt)  # torch's coefficients, rounded to x's dtype
    beta = shift.astype(dt) - mean.astype(dt) * alpha
    n_a, n_k, n_b = x.shape
    if n_b < _SHORT_PLANE and n_a > 1:
        rows = (n_a, n_k * n_b)
        _scale_shift_columns_kernel(x.size, x.reshape(rows), np.repeat(alpha, n_b), np.repeat(beta, n_b),
                                    out.reshape(rows))
    else:
        _scale_shift_kernel(x.size, x, alpha, beta, out)
    return out


def backward(x: np.ndarray, g: np.ndarray, mean: np.ndarray, invstd: np.ndarray, scale: np.ndarray,
             batch_stats: bool, want_gx: bool = True) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of ``normalize`` for x, g (A, K, B): returns (gx or None, sum(g), sum(g * xhat)),
    the sums per k (float64). batch_stats: mean/invstd were computed from x itself."""
    _check_per_k(x, mean=mean, invstd=invstd, scale=scale)
    if g.shape != x.shape:
        raise ValueError(f"batch_norm kernel: g must have x's shape {x.shape}, got {g.shape}")
    k = x.shape[1]
    gx = np.empty(x.shape, dtype=g.dtype) if want_gx else np.empty((0, 0, 0), dtype=g.dtype)
    sums = np.empty((2, k))
    coef = np.empty((5, k), dtype=g.dtype)
    _backward_kernel(x.size, np.ascontiguousarray(x), np.ascontiguousarray(g), mean.astype(np.float64),
                     invstd.astype(np.float64), scale.astype(np.float64), gx, sums, coef, batch_stats, want_gx)
    return (gx if want_gx else None), sums[0], sums[1]
