"""minitorch's own threads: one piece of work split into slices that threads take in turn.

`run(work, n, step, threads)` runs `work(share, starts)` on `threads` threads: this one
(share 0) and the others from a pool. All of them take the first index of their next slice
of `step` items from one shared iterator over range(0, n, step), so the split follows what
each thread really gets to do: a thread the scheduler runs late takes fewer slices, and
one that has not joined by the time this thread runs out of slices never will. Nobody
waits for a thread that has not run yet. (A fixed split, like a BLAS's or OpenMP's static
schedule, waits for its slowest thread: on a shared 2-core machine that is now and then a
whole scheduler tick, and under load many: a 2 ms MLP step on two BLAS threads ran 4.5 to
100 ms a step from process to process with other work on the machine, 3.2 ms steadily on
one, 2026-12-05.)

Handing work to a sleeping thread costs a wake-up, and on the 2-core VMs measured a wake-up
took 30-50 us: one for the pool thread to start, one for this thread when it waits for the
pool thread's last slice. Against the 0.2-1 ms of a LeNet layer's work that was most of
what the second thread saved (LeNet's first convolution: 0.48 ms on one thread, 0.32-0.37 on
two through a sleeping pool, 0.26 when both threads were already running). So the pool
threads stay awake for `_AWAKE_SECONDS` after a piece of work, polling for the next one,
and this thread polls for their last slices the same way: in compiled code that holds no
GIL and yields the core at every poll (`sched_yield`: another runnable thread on that core
goes first, so an awake pool thread takes no time from anyone that wants it). A training
loop hands out work every millisecond or so, so its pool threads stay awake while it runs
and sleep once it stops.

`share` tells each thread which of the caller's per-thread buffers is its own, and `work`
touches the caller's arrays only for slices it took from `starts` (a pool thread may start it
after the caller is done, with no slice left). Callers
run it inside `blas.one_thread()` (each thread its own products, none waking the BLAS's
threads), and the work must call no parallel numba kernel on a pool thread: numba's
workqueue layer runs one parallel loop at a time. Only the main thread splits work (the
BLAS's thread count is one setting for the process, see `blas.one_thread`).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import time
from typing import Callable, Iterator

import numba
import numpy as np
from numba import njit, types

__all__ = ["run", "threads_for"]

_AWAKE_SECONDS = 0.002  # how long a pool thread polls for new work before it sleeps


def _has_sched_yield() -> bool:
    """Whether the C library this process runs on has sched_yield (POSIX systems)."""
    try:
        return hasattr(ctypes.CDLL(ctypes.util.find_library("c")), "sched_yield")
    except (OSError, TypeError):
        return False


# Called by name from compiled code (so `_poll_yielding` is cached on disk like the kernels:
# compiling it in every process would cost 0.2 s and 70 MB).
_sched_yield = types.ExternalFunction("sched_yield", types.int32())


def _look(flags: np.ndarray, index: int, old: int, polls: int) -> bool:
    """Whether flags[index] differs from `old` (`_poll` where there is no sched_yield to call)."""
    return flags[index] != old


def _say_done_and_look(done: np.ndarray, seat: int, number: int, flags: np.ndarray, old: int, polls: int) -> bool:
    """`_say_done_and_poll` where there is no sched_yield to call."""
    done[seat] = number
    return flags[0] != old


@njit(nogil=True, cache=True)
def _poll_yielding(flags, index, old, polls):
    """Whether flags[index] changed from `old` within `polls` polls, yielding the core between
    polls. (The call to sched_yield also makes the compiler read flags[index] again at every
    poll: it may have written to it, for all the compiler knows.)
    Bounds: the callers pass an index inside flags."""
    for _ in range(polls):
        if flags[index] != old:
            return True
        _sched_yield()
    return flags[index] != old


@njit(nogil=True, cache=True)
def _say_done_and_poll_yielding(done, seat, number, flags, old, polls):
    """done[seat] = number, then `_poll(flags, 0, old, polls)`: a pool thread says it has
    finished a job and waits for the next. The flag is written once this call has let go of
    the GIL: written from Python, the caller polling for it would find it while the pool
    thread still held the GIL, ask for the GIL and sleep until it was let go, a futex
    wake-up that cost 25-35 us a job on the 2-core Intel VM measured (2026-12-05), more
    than a small slice's work.
    Bounds: the callers pass a seat inside done and a non-empty flags."""
    done[seat] = number
    return _poll_yielding(flags, 0, old, polls)


# (Without the JIT, compiled code is Python, which cannot call sched_yield by name.)
_yielding = _has_sched_yield() and not numba.config.DISABLE_JIT
_poll = _poll_yielding if _yielding else _look
_say_done_and_poll = _say_done_and_poll_yielding if _yielding else _say_done_and_look


class _Job:
    """One piece of work on offer to the pool threads in seats [0, seats)."""

    def __init__(self, work: Callable[[int, Iterator[int]], None], starts: Iterator[int], seats: int,
                 number: int) -> None:
        self.work, self.starts, self.seats, self.number = work, starts, seats, number
        self.joined: list[int] = []          # seats of the pool threads that took it up
        self.closed = False                  # set when the caller has run out of slices
        self.errors: list[BaseException] = []


class _Pool:
    """Pool threads by seat, the job on offer and, per seat, the number of the last job done."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.job: _Job | None = None
        self.posted = np.zeros(1, np.int64)  # the number of the job on offer, polled by the pool threads
        self.finished = np.zeros(max(1, numba.config.NUMBA_NUM_THREADS - 1), np.int64)
        self.wake = threading.Condition()
        self.polls = _polls_in(_AWAKE_SECONDS) if _yielding else 0

    def seat(self, seats: int) -> None:
        """Start pool threads until there are `seats` of them."""
        while len(self.threads) < seats:
            thread = threading.Thread(target=self.serve, args=(len(self.threads),), daemon=True,
                                      name=f"minitorch-work-{len(self.threads)}")
            self.threads.append(thread)
            thread.start()

    def serve(self, seat: int) -> None:
        """A pool thread: wait for a job (awake for a while, then asleep), do its share if it has a
        seat, and say so in `finished`."""
        seen = done = 0
        while True:
            if not _say_done_and_poll(self.finished, seat, done, self.posted, seen, self.polls):
                with self.wake:
                    while self.posted[0] == seen:
                        self.wake.wait()
            job = self.job
            seen = job.number
            work, starts = job.work, job.starts  # the caller drops them once the job is done
            # The caller reads `joined` after closing, and closes after taking every slice: a thread
            # that joins later finds no slice left in `starts`, so nobody needs to wait for it.
            if seat < job.seats and not job.closed and work is not None:
                job.joined.append(seat)
                try:
                    work(seat + 1, starts)
                except BaseException as error:  # handed to the caller, who raises it
                    job.errors.append(error)
            del work, starts  # they hold the caller's arrays: not until the next job
            done = job.number  # written to `finished` by the next poll

    def post(self, job: _Job) -> None:
        self.job = job
        self.posted[0] = job.number
        with self.wake:
            self.wake.notify_all()

    def wait_for(self, job: _Job) -> None:
        """Return when every pool thread that joined `job` has finished it."""
        for seat in list(job.joined):
            while (seen := self.finished[seat]) != job.number:  # one read: the flag may change any time
                if not _poll(self.finished, seat, seen, self.polls):
                    time.sleep(0)  # no sched_yield here: let the OS run the pool thread


def _polls_in(seconds: float) -> int:
    """How many polls of `_poll` take about `seconds` here."""
    flags = np.zeros(1, np.int64)
    _poll(flags, 0, 0, 10)  # compile
    began = time.perf_counter()
    _poll(flags, 0, 0, 2000)
    per_poll = max((time.perf_counter() - began) / 2000, 1e-8)
    return max(1, int(seconds / per_poll))


_pool: _Pool | None = None


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
    _pool = _pool or _Pool()
    _pool.seat(threads - 1)
    job = _Job(work, starts, threads - 1, int(_pool.posted[0]) + 1)
    _pool.post(job)
    try:
        work(0, starts)
    finally:
        for _ in starts:  # after an error, leave no slice for a pool thread that joins late
            pass
        job.closed = True
        _pool.wait_for(job)  # the others write into the caller's arrays
        # The pool keeps the last job until the next: without its work, which holds the caller's
        # arrays (reused buffers among them, see buffers.empty, which would look in use).
        job.work = job.starts = None
    if job.errors:
        raise job.errors[0]
