"""Matrix products on numpy's BLAS, with its thread count chosen per call.

numpy's BLAS (OpenBLAS here) splits a product among its own threads. Once woken, those
threads spin for about 0.1 s after the product ends, waiting for the next one (measured:
after one 512x512 float32 product, 0.1 s of a core went to the spin while the caller
slept). On a machine of few cores that spin takes the core minitorch's own threads (the
convolution slices, numba's parallel kernels) want next, and they then wait for the
scheduler: LeNet's training step on 2 cores ran 6.6-7.0 ms with its 64x400x120 products
on two BLAS threads and 5.2-5.4 ms with them on one (same run, 2026-12-05). A small
product gains little from a second thread anyway (66 -> 42 us for that one), so products
under `_SMALL_PRODUCT` multiply-adds run on the calling thread alone; larger ones keep
the BLAS's threads.

The thread count is one setting for the whole process: it is lowered for the call only,
set back before returning, and only from the main thread (two threads changing and
restoring it at once could leave it changed).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

import numpy as np
from threadpoolctl import ThreadpoolController

__all__ = ["matmul", "one_thread"]

_SMALL_PRODUCT = 4 << 20       # multiply-adds: LeNet's largest product (3.1M) is under it, an MLP's 784x512 (26M) over
_ALWAYS_ONE_THREAD = 1 << 18   # OpenBLAS runs products under 262144 multiply-adds on one thread by itself

_libraries: list | None = None  # threadpoolctl's controllers of the BLAS libraries, found at first use


def _blas_libraries() -> list:
    global _libraries
    if _libraries is None:
        _libraries = ThreadpoolController().select(user_api="blas").lib_controllers
    return _libraries


@contextmanager
def one_thread() -> Iterator[bool]:
    """Run the block with the BLAS on the calling thread alone; yields whether it is (always
    on the main thread; elsewhere only if the BLAS was on one thread already)."""
    if threading.current_thread() is not threading.main_thread():
        yield all(lib.get_num_threads() == 1 for lib in _blas_libraries())
        return
    counts = [lib.get_num_threads() for lib in _blas_libraries()]
    for lib, count in zip(_blas_libraries(), counts):
        if count != 1:
            lib.set_num_threads(1)
    try:
        yield True
    finally:
        for lib, count in zip(_blas_libraries(), counts):
            if count != 1:
                lib.set_num_threads(count)


def _multiply_adds(a: np.ndarray, b: np.ndarray) -> int:
    """The multiply-adds of np.matmul(a, b): each value of the larger operand meets a row or column of the result."""
    return max(a.size * (b.shape[-1] if b.ndim > 1 else 1), b.size * (a.shape[-2] if a.ndim > 1 else 1))


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.matmul(a, b), on the calling thread alone when the product is small."""
    if a.ndim and b.ndim and _ALWAYS_ONE_THREAD <= _multiply_adds(a, b) < _SMALL_PRODUCT:
        with one_thread():
            return np.matmul(a, b)
    return np.matmul(a, b)
