"""Parallel or serial: a kernel with a `prange` loop is compiled both ways, and each call
runs the twin that is faster for its size.

The parallel twin splits the loop among numba's threads (as many as
`minitorch.set_num_threads` says). minitorch runs them on numba's workqueue layer, whose
idle workers sleep instead of spinning against the BLAS's threads, and waking them costs
50-100 us a call on the 2-core machines measured, about what one core needs to write a
million values, and the threads then take their shares through a queue. Measured there
with 2 threads, the parallel twins lost below ~4M values (every kernel of LeNet, and ReLU
on the examples CNN's 2.4M activations, which `activation` now shares among minitorch's
own threads, awake between a step's kernels) and won above (im2col and col2im of the CNN's
second layer, 10.6M values, ~2 ms saved each). More threads share the work more ways, so
the break-even falls with their number: the parallel twin runs when items * threads >= 8M.
"""
from __future__ import annotations

import types
from typing import Any, Callable

import numba
from numba import njit

from .shared_work import thread_count

__all__ = ["Twins", "parallel_pays", "twins"]

_ITEMS_TIMES_THREADS = 1 << 23


def parallel_pays(items: int) -> bool:
    """Whether a kernel over `items` values should run on numba's threads."""
    # Small work is decided without asking numba for its thread count (a few us a call, paid by
    # every kernel call of a program of small ops): no thread count could make it pay.
    if items * numba.config.NUMBA_NUM_THREADS < _ITEMS_TIMES_THREADS:
        return False
    threads = thread_count()
    return threads > 1 and items * threads >= _ITEMS_TIMES_THREADS


class Twins:
    """A kernel compiled with parallel=True (`.parallel`) and without (`.serial`)."""

    def __init__(self, fn: Callable, options: dict) -> None:
        self.parallel = njit(parallel=True, **options)(fn)
        # The serial twin compiles a copy of the function under its own name: numba's
        # on-disk cache tells compiled functions apart by name, not by compile options.
        serial = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__ + "_serial", fn.__defaults__,
                                    fn.__closure__)
        serial.__qualname__ = fn.__qualname__ + "_serial"
        serial.__doc__ = fn.__doc__
        self.serial = njit(**options)(serial)
        self.__doc__ = fn.__doc__

    def __call__(self, items: int, *args: Any) -> Any:
        """Run the twin that suits `items` values of work on `args`."""
        return (self.parallel if parallel_pays(items) else self.serial)(*args)


def twins(**options: Any) -> Callable[[Callable], Twins]:
    """Decorator: compile a kernel as `Twins`; `options` go to numba.njit (cache=True, ...)."""
    return lambda fn: Twins(fn, options)
