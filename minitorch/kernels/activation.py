"""ReLU in one pass each way: forward writes max(x, 0), backward zeroes the gradient
where the output is <= 0.

The output says which inputs were "dead" (x <= 0) exactly: relu(x) <= 0 holds for x <= 0
(including -0.0, which stays -0.0) and fails for x > 0 and for nan (which stays nan and
passes its gradient, as in torch). So backward needs only the output, which torch saves
too, and no mask. A dead position's gradient becomes exactly 0 even when it is inf or nan
(a select, not a multiply). Contiguous float32/float64 arrays take the compiled loop, into
a reused buffer (`buffers.empty`); other layouts and dtypes (float16) take the numpy
route, which computes the same values.

Bounds: each kernel's index i runs over range(x.size) (or grad.size), and the wrappers hand
it flat views of one length, whole or the same chunk of each, which numpy slicing cuts at the
arrays' end (out is made like x; backward checks that grad and the output have the same
shape), so no index leaves an array.

A large array's pass is shared among minitorch's threads (`shared_work.run_compiled`),
two chunks a thread, each thread first its own stretch: the pass only moves memory, and
one core moves about 30 GB/s from the last-level cache on the Intel VM measured, where two
move twice that, and each thread's stretch is the part of the batch that the same thread
wrote in the job before (a convolution's or a pooling's slices: 16 of LeNet's 64 images
a chunk), still in its core's cache (2026-12-05, one thread against two: LeNet's ReLU
forward 47 -> 23 us alone, its training step 5% faster with its ReLUs shared; a CNN's
2.4M-value ReLU 665 -> 389 us). Below `_SHARED_FROM` values the pass stays on the calling
thread, where the threads' meeting (a few microseconds) costs more than it saves.
"""
from __future__ import annotations

import numba
import numpy as np
from numba import njit

from . import buffers, shared_work
from .intrinsics import array_at

_SHARED_FROM = 1 << 16   # values from which the pass is shared among threads
_MIN_CHUNK = 1 << 14     # values a thread takes at a time, at least


@njit(cache=True, nogil=True)
def _relu_forward_kernel(x, out):
    for i in range(x.size):
        v = x[i]
        out[i] = 0 if v < 0 else v


@njit(cache=True, nogil=True)
def _relu_backward_kernel(grad, y, out):
    for i in range(grad.size):
        out[i] = 0 if y[i] <= 0 else grad[i]


@njit(cache=True, nogil=True)
def _relu_forward_part(args, share, start, stop, dtype):
    x, out = array_at(args[0], (stop,), dtype), array_at(args[1], (stop,), dtype)
    _relu_forward_kernel(x[start:], out[start:])


@njit(cache=True, nogil=True)
def _relu_backward_part(args, share, start, stop, dtype):
    grad, y, out = array_at(args[0], (stop,), dtype), array_at(args[1], (stop,), dtype), array_at(args[2], (stop,), dtype)
    _relu_backward_kernel(grad[start:], y[start:], out[start:])


@shared_work.CompiledJob
def _relu_forward_job(args, share, start, stop):
    """`_relu_forward_kernel` on values [start, stop) of x (address args[0]) into out (args[1]);
    args[2] is their itemsize (4: float32, else float64)."""
    shared_work.by_itemsize(_relu_forward_part, args, 2, share, start, stop)


@shared_work.CompiledJob
def _relu_backward_job(args, share, start, stop):
    """`_relu_backward_kernel` on values [start, stop) of grad (args[0]) and y (args[1]) into
    out (args[2]); args[3] is their itemsize."""
    shared_work.by_itemsize(_relu_backward_part, args, 3, share, start, stop)


def _in_chunks(kernel, job: shared_work.CompiledJob, *flat: np.ndarray) -> None:
    """kernel(*flat) over flat arrays of one length and dtype, large ones in chunks shared
    among threads (as `job`, the kernel on a chunk)."""
    n = flat[0].size
    threads = shared_work.threads_for(n // _MIN_CHUNK) if n >= _SHARED_FROM else 1
    if threads == 1 or not shared_work.compiled_jobs():
        kernel(*flat)
        return
    chunk = max(_MIN_CHUNK, -(-n // (2 * threads)))  # two a thread: a late thread's share goes to the others
    shared_work.run_compiled(job, shared_work.job_args(*flat, flat[0].itemsize), n, chunk, threads)


def _compiled(a: np.ndarray) -> bool:
    """Whether the compiled loops take `a`: contiguous, of a dtype numba computes in."""
    return a.flags.c_contiguous and a.dtype in (np.float32, np.float64)


def relu_forward(x: np.ndarray) -> np.ndarray:
    """max(x, 0) for a float array x of any shape (-0.0 and nan kept)."""
    if not _compiled(x):
        return np.clip(x, 0, np.inf)
    out = buffers.empty(x.shape, x.dtype)
    _in_chunks(_relu_forward_kernel, _relu_forward_job, x.reshape(-1), out.reshape(-1))
    return out


def relu_backward(grad: np.ndarray, y: np.ndarray) -> np.ndarray:
    """grad with the positions where the forward's output `y` (same shape) is <= 0 set to 0."""
    if not (_compiled(grad) and _compiled(y) and grad.shape == y.shape and grad.dtype == y.dtype):
        return np.where(y <= 0, np.zeros((), dtype=grad.dtype), grad)
    out = buffers.empty(grad.shape, grad.dtype)
    _in_chunks(_relu_backward_kernel, _relu_backward_job, grad.reshape(-1), y.reshape(-1), out.reshape(-1))
    return out
