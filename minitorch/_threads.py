"""How many threads minitorch's kernels use: `set_num_threads` and friends, like torch's.

Two pools do minitorch's parallel work: numba's (the `kernels/` loops) and minitorch's
own (`kernels/shared_work`: slices of the convolutions and of large matrix products, each
a one-thread call to numpy's BLAS, see `kernels/blas.py`). One count governs both, and
the BLAS's own pool (OpenBLAS or MKL, reached through threadpoolctl), which numpy uses
for products made outside minitorch's main-thread ops. Importing minitorch sets no
environment variable and no other library's pool.

numba's parallel loops run on its "workqueue" threading layer unless the user chose one
(NUMBA_THREADING_LAYER, or numba already started its threads): its idle workers sleep.
OpenMP workers (numba's default layer, and torch's) spin-wait after every loop; on a
small machine they then fight the BLAS's spinning workers for the cores and a 0.5 ms
kernel can wait a 4 ms scheduler slice. This choice is numba's own configuration, read
by numba only.
"""
from __future__ import annotations

import builtins
import os

import numba
import numba.np.ufunc.parallel as _numba_parallel
from threadpoolctl import threadpool_limits

__all__ = ["get_num_interop_threads", "get_num_threads", "set_num_interop_threads", "set_num_threads"]

if (numba.config.THREADING_LAYER == "default" and "NUMBA_THREADING_LAYER" not in os.environ
        and not _numba_parallel._is_initialized):
    numba.config.THREADING_LAYER = "workqueue"

_threads: builtins.int | None = None            # set by set_num_threads
_interop_threads: builtins.int | None = None    # set by set_num_interop_threads
_blas_limits = None                             # keeps the BLAS limit of the last set_num_threads


def _check_count(name: str, n) -> None:
    if isinstance(n, builtins.bool) or not isinstance(n, builtins.int):
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n < 1:
        raise RuntimeError(f"{name} expects a positive integer")


def set_num_threads(n: builtins.int) -> None:
    """Use `n` threads for minitorch's kernels and matrix products (numba's pool and the BLAS's).

    numba cannot run more threads than it started with (one per core): a larger `n` still
    goes to the BLAS and is what `get_num_threads` reports. numba's count is per calling
    thread, as torch's is.
    """
    global _threads, _blas_limits
    _check_count("set_num_threads", n)
    numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
    _blas_limits = threadpool_limits(limits=n, user_api="blas")
    _threads = n


def get_num_threads() -> builtins.int:
    """The number of threads minitorch's kernels use (one per core unless `set_num_threads` said)."""
    return _threads if _threads is not None else numba.get_num_threads()


def set_num_interop_threads(n: builtins.int) -> None:
    """Set the number of threads for running independent ops side by side (once, like torch).

    minitorch runs ops one after another, so the count is kept and reported only.
    """
    global _interop_threads
    _check_count("set_num_interop_threads", n)
    if _interop_threads is not None:
        raise RuntimeError("Error: cannot set number of interop threads after parallel work has started "
                           "or set_num_interop_threads called")
    _interop_threads = n


def get_num_interop_threads() -> builtins.int:
    """The number of inter-op threads: one per core unless `set_num_interop_threads` said."""
    return _interop_threads if _interop_threads is not None else (os.cpu_count() or 1)
