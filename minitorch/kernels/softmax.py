"""Softmax and log-softmax along the last dim of a C-contiguous array, and their gradients,
in slices of rows that minitorch's threads share (`shared_work`).

A language model's output is a softmax over its whole vocabulary for every position: a
700 x 4850 float32 array (13.6 MB) in the word-language-model example. Computed on the whole
array, each of the five passes (max, subtract, exp, sum, subtract the log) streams it
through memory: 3.6 ms on one core here, against torch's fused kernel's 1.0 on two. In
slices of rows a quarter of a MB each, the passes after the first read what the one before
left in the core's cache, and two threads take the slices in turn: 1.9 ms (2026-12-05).

Each function takes 2-D arrays (rows, n) with n > 0 and returns a new (reused, see
`buffers.empty`) array of the same shape. Infinite and nan values give what torch gives (see
`_ops/reduction.py`, whose slow path for other dims computes the same formulas).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numba import njit

from . import buffers, shared_work

__all__ = ["cross_entropy_rows", "log_softmax", "softmax", "log_softmax_backward", "softmax_backward"]

_SLICE_BYTES = 1 << 18   # a slice of rows: its passes stay in a core's L2 cache
_SHARED_FROM = 1 << 18   # values from which the slices are shared among threads


def _log_softmax_rows(x: np.ndarray, out: np.ndarray) -> None:
    np.subtract(x, x.max(axis=1, keepdims=True), out=out)
    out -= np.log(np.exp(out).sum(axis=1, keepdims=True))


def _softmax_rows(x: np.ndarray, out: np.ndarray) -> None:
    np.subtract(x, x.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)


def _log_softmax_backward_rows(grad: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    # grad - exp(y) * sum(grad)
    np.exp(y, out=out)
    out *= grad.sum(axis=1, keepdims=True)
    np.subtract(grad, out, out=out)


def _softmax_backward_rows(grad: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    # y * (grad - sum(grad * y))
    np.multiply(grad, y, out=out)
    sums = out.sum(axis=1, keepdims=True)
    np.subtract(grad, sums, out=out)
    out *= y


def _by_rows(rows_kernel: Callable, *arrays: np.ndarray) -> np.ndarray:
    """rows_kernel(*slices, out slice) over slices of the arrays' rows, on as many threads as pay."""
    rows, n = arrays[0].shape
    out = buffers.empty(arrays[0].shape, arrays[0].dtype)
    step = max(1, _SLICE_BYTES // (n * out.itemsize))
    threads = shared_work.threads_for(-(-rows // step)) if out.size >= _SHARED_FROM else 1

    def work(share: int, starts) -> None:
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):  # inf and nan as torch gives them
            for start in starts:
                part = slice(start, start + step)
                rows_kernel(*(a[part] for a in arrays), out[part])

    shared_work.run(work, rows, step, threads)
    return out


def log_softmax(x: np.ndarray) -> np.ndarray:
    """x - max - log(sum(exp(x - max))) along each row of x (rows, n)."""
    return _by_rows(_log_softmax_rows, x)


def softmax(x: np.ndarray) -> np.ndarray:
    """exp(x - max) / sum(exp(x - max)) along each row of x (rows, n)."""
    return _by_rows(_softmax_rows, x)


def log_softmax_backward(grad: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The gradient of log_softmax's input from its output y and the output's gradient (rows, n)."""
    return _by_rows(_log_softmax_backward_rows, grad, y)


def softmax_backward(grad: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The gradient of softmax's input from its output y and the output's gradient (rows, n)."""
    return _by_rows(_softmax_backward_rows, grad, y)


@njit(cache=True)
def _cross_entropy_kernel(x, target, probs):
    """probs = softmax of each row of x (rows, classes); returns (the sum over rows of
    log(sum(exp(x - max))) - (x[target] - max), whether every target is in [0, classes)),
    stopping at the first target that is not. A row holding nan gives nan, as torch's."""
    rows, classes = x.shape
    total = x.dtype.type(0)
    for i in range(rows):
        t = target[i]
        if t < 0 or t >= classes:
            return total, False
        top = x[i, 0]
        for j in range(classes):
            if x[i, j] != x[i, j]:
                top = x[i, j]
                break
            top = max(top, x[i, j])
        sum_exp = x.dtype.type(0)
        for j in range(classes):
            probs[i, j] = np.exp(x[i, j] - top)
            sum_exp += probs[i, j]
        for j in range(classes):
            probs[i, j] /= sum_exp
        total += np.log(sum_exp) - (x[i, t] - top)
    return total, True


def cross_entropy_rows(x: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, object] | None:
    """(softmax of x's rows, the summed cross entropy of the rows against `target`) for logits
    x (rows, classes), float32 or float64, and int64 class indices (rows,), in one compiled
    pass; None if a target lies outside [0, classes) (the caller's general path then ignores
    it or names it). A classifier's loss is ~15 small numpy calls otherwise, ~70 us in a LeNet
    training step, where their code has gone cold (one call ~30 us right after another)."""
    probs = np.empty(x.shape, x.dtype)
    total, in_range = _cross_entropy_kernel(x, target, probs)
    return (probs, x.dtype.type(total)) if in_range else None


@njit(cache=True)
def _cross_entropy_backward_kernel(probs, target, scale, out):
    """out = scale * (probs - onehot(target)), row by row.
    Bounds: out has probs' shape (rows, classes), and target's rows entries lie in
    [0, classes): `cross_entropy_rows` returned these probabilities only after checking."""
    rows, classes = probs.shape
    for i in range(rows):
        for j in range(classes):
            out[i, j] = scale * probs[i, j]
        t = target[i]
        out[i, t] = scale * (probs[i, t] - probs.dtype.type(1))


def cross_entropy_rows_backward(probs: np.ndarray, target: np.ndarray, scale) -> np.ndarray:
    """The logits' gradient of `cross_entropy_rows`'s loss times `scale` (the loss's gradient,
    over the rows for a mean): scale * (softmax - one-hot of target), (rows, classes), in
    one compiled pass; the same bits as the numpy route's multiply, subtract and scale."""
    out = np.empty(probs.shape, probs.dtype)
    _cross_entropy_backward_kernel(probs, target, probs.dtype.type(scale), out)
    return out
