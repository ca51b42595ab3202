"""ReLU in one pass each way: forward writes the output and the mask of "dead" inputs
(x <= 0) together, backward zeroes the gradient where the mask is set.

Both keep torch's edge cases: relu(-0.0) is -0.0 and relu(nan) is nan (only x < 0
becomes 0), and nan is not dead, so its gradient passes; a dead position's gradient
becomes exactly 0 even when it is inf or nan (a select, not a multiply by the mask).
Contiguous float32/float64 arrays take the compiled loop; other layouts and dtypes
(float16) take the numpy route, which computes the same values.

Bounds: each kernel's index i runs over range(x.size) (or grad.size; prange splits
the same range among threads), and the wrappers hand it flat views of arrays of exactly
that size (out and dead are made like x; backward checks that grad and dead have the
same shape), so no index leaves an array.

Large arrays (a CNN's activations are millions of values) go to the parallel twins,
whose thread count follows `minitorch.set_num_threads`; small ones stay serial, since
waking the threads costs about what one core needs for _PARALLEL_MIN_SIZE values.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

_PARALLEL_MIN_SIZE = 1 << 18


@njit(cache=True)
def _relu_forward_kernel(x, out, dead):
    for i in range(x.size):
        v = x[i]
        dead[i] = v <= 0
        out[i] = 0 if v < 0 else v


@njit(cache=True)
def _relu_backward_kernel(grad, dead, out):
    for i in range(grad.size):
        out[i] = 0 if dead[i] else grad[i]


@njit(parallel=True, cache=True)
def _relu_forward_parallel(x, out, dead):
    for i in prange(x.size):
        v = x[i]
        dead[i] = v <= 0
        out[i] = 0 if v < 0 else v


@njit(parallel=True, cache=True)
def _relu_backward_parallel(grad, dead, out):
    for i in prange(grad.size):
        out[i] = 0 if dead[i] else grad[i]


def _compiled(a: np.ndarray) -> bool:
    """Whether the compiled loops take `a`: contiguous, of a dtype numba computes in."""
    return a.flags.c_contiguous and a.dtype in (np.float32, np.float64)


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(max(x, 0), x <= 0) for a float array x of any shape; both shaped like x."""
    if not _compiled(x):
        return np.clip(x, 0, np.inf), x <= 0
    out = np.empty_like(x)
    dead = np.empty(x.shape, dtype=np.bool_)
    kernel = _relu_forward_parallel if x.size >= _PARALLEL_MIN_SIZE else _relu_forward_kernel
    kernel(x.reshape(-1), out.reshape(-1), dead.reshape(-1))
    return out, dead


def relu_backward(grad: np.ndarray, dead: np.ndarray) -> np.ndarray:
    """grad with the positions where `dead` (same shape) is True set to 0."""
    if not (_compiled(grad) and dead.flags.c_contiguous and grad.shape == dead.shape):
        return np.where(dead, np.zeros((), dtype=grad.dtype), grad)
    out = np.empty_like(grad)
    kernel = _relu_backward_parallel if grad.size >= _PARALLEL_MIN_SIZE else _relu_backward_kernel
    kernel(grad.reshape(-1), dead.reshape(-1), out.reshape(-1))
    return out
