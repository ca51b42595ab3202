"""ReLU in one pass each way: forward writes max(x, 0), backward zeroes the gradient
where the output is <= 0.

The output says which inputs were "dead" (x <= 0) exactly: relu(x) <= 0 holds for x <= 0
(including -0.0, which stays -0.0) and fails for x > 0 and for nan (which stays nan and
passes its gradient, as in torch). So backward needs only the output, which torch saves
too, and no mask. A dead position's gradient becomes exactly 0 even when it is inf or nan
(a select, not a multiply). Contiguous float32/float64 arrays take the compiled loop, into
a reused buffer (`buffers.empty`); other layouts and dtypes (float16) take the numpy
route, which computes the same values.

Bounds: each kernel's index i runs over range(x.size) (or grad.size; prange splits the
same range among threads), and the wrappers hand it flat views of arrays of exactly that
size (out is made like x; backward checks that grad and the output have the same shape),
so no index leaves an array.

Large arrays (a CNN's activations are millions of values) go to the parallel twins,
whose thread count follows `minitorch.set_num_threads`; small ones stay serial, since
waking the threads costs about what one core needs for _PARALLEL_MIN_SIZE values.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from . import buffers

_PARALLEL_MIN_SIZE = 1 << 18


@njit(cache=True)
def _relu_forward_kernel(x, out):
    for i in range(x.size):
        v = x[i]
        out[i] = 0 if v < 0 else v


@njit(cache=True)
def _relu_backward_kernel(grad, y, out):
    for i in range(grad.size):
        out[i] = 0 if y[i] <= 0 else grad[i]


@njit(parallel=True, cache=True)
def _relu_forward_parallel(x, out):
    for i in prange(x.size):
        v = x[i]
        out[i] = 0 if v < 0 else v


@njit(parallel=True, cache=True)
def _relu_backward_parallel(grad, y, out):
    for i in prange(grad.size):
        out[i] = 0 if y[i] <= 0 else grad[i]


def _compiled(a: np.ndarray) -> bool:
    """Whether the compiled loops take `a`: contiguous, of a dtype numba computes in."""
    return a.flags.c_contiguous and a.dtype in (np.float32, np.float64)


def relu_forward(x: np.ndarray) -> np.ndarray:
    """max(x, 0) for a float array x of any shape (-0.0 and nan kept)."""
    if not _compiled(x):
        return np.clip(x, 0, np.inf)
    out = buffers.empty(x.shape, x.dtype)
    kernel = _relu_forward_parallel if x.size >= _PARALLEL_MIN_SIZE else _relu_forward_kernel
    kernel(x.reshape(-1), out.reshape(-1))
    return out


def relu_backward(grad: np.ndarray, y: np.ndarray) -> np.ndarray:
    """grad with the positions where the forward's output `y` (same shape) is <= 0 set to 0."""
    if not (_compiled(grad) and _compiled(y) and grad.shape == y.shape and grad.dtype == y.dtype):
        return np.where(y <= 0, np.zeros((), dtype=grad.dtype), grad)
    out = buffers.empty(grad.shape, grad.dtype)
    kernel = _relu_backward_parallel if grad.size >= _PARALLEL_MIN_SIZE else _relu_backward_kernel
    kernel(grad.reshape(-1), y.reshape(-1), out.reshape(-1))
    return out
