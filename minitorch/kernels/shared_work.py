"""minitorch's own threads: one piece of work split into slices that threads take in turn.

`run(work, n, step, threads)` runs `work(share, starts)` on `threads` threads: this one
(share 0) and the others from a pool. All of them take the first index of their next slice
of `step` items from one shared iterator over range(0, n, step), so the split follows what
each thread really gets to do: a thread the scheduler runs late takes fewer slices, and
one that has not started by the time this thread runs out of slices is cancelled. Nobody
waits for a thread that has not run yet. (A fixed split, like a BLAS's or OpenMP's static
schedule, waits for its slowest thread: on a shared 2-core machine that is now and then a
whole scheduler tick, and under load many: a 2 ms MLP step on two BLAS threads ran 4.5 to
100 ms a step from process to process with other work on the machine, 3.2 ms steadily on
one, 2026-12-05.)

`share` tells each thread which of the caller's per-thread buffers is its own. Callers
run it inside `blas.one_thread()` (each thread its own products, none waking the BLAS's
threads), and the work must call no parallel numba kernel on a pool thread: numba's
workqueue layer runs one parallel loop at a time. Only the main thread splits work (the
BLAS's thread count is one setting for the process, see `blas.one_thread`).
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator

import numba

__all__ = ["run", "threads_for"]

_pool: ThreadPoolExecutor | None = None


def _forget_the_pool() -> None:
    """In a forked child: the parent's pool threads do not exist there, so make a new pool."""
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_the_pool)


def threads_for(slices: int) -> int:
    """How many threads to give `slices` slices: numba's count (`set_num_threads`), at most
    one per slice, and one off the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return 1
    return max(1, min(numba.get_num_threads(), slices))


def run(work: Callable[[int, Iterator[int]], None], n: int, step: int, threads: int) -> None:
    """work(share, starts) for the slices [start, start + step) of range(n), shared among
    `threads` threads (`starts` iterates over a range: its next() is one C call, so threads
    can share it)."""
    global _pool
    starts = iter(range(0, n, step))
    if threads == 1:
        work(0, starts)
        return
    _pool = _pool or ThreadPoolExecutor(max(1, numba.config.NUMBA_NUM_THREADS - 1), "minitorch-work")
    others = [_pool.submit(work, share, starts) for share in range(1, threads)]
    try:
        work(0, starts)
    finally:  # the others write into the caller's arrays: wait for those that started
        for other in others:
            if not other.cancel():
                other.result()
