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

A job in Python costs a pool thread the GIL, though: it waits for the caller to let go of
it, ~20 us on the Intel VM measured, and the two take turns at it between slices. So a
job can also be a compiled function (`run_compiled`): `job(args, share, start, stop)` for
each slice, its arrays given as addresses in the int64 array `args` (see `intrinsics`).
An awake pool thread runs such a job's slices without returning to Python at all, so it
joins within a microsecond or two: ReLU over LeNet's 301K values, 47 us on one thread,
ran in 23 on two this way (2026-12-05, Intel VM), where a Python job's start cost about
the work it saved.

The threads meet on the `board` (an int64 array): the caller writes a job there and
bumps its number; a pool thread that sees the new number says it is in (`busy`), checks
that the caller has not closed the job (taken every slice) yet, takes slices while there
are any and says it is done (`done`). The caller takes slices too, closes the job and
waits for every thread that said it was in. (The two writes and the two reads cross:
`busy` then `closed` on one side, `closed` then `busy` on the other, each write an atomic
exchange, so at least one side sees the other's write: either the pool thread stays out
or the caller waits for it.)

`share` tells each thread which of the caller's per-thread buffers is its own, and a job
touches the caller's arrays only for slices it took (a pool thread may start it after
the caller is done, with no slice left). Callers run it inside `blas.one_thread()` (each
thread its own products, none waking the BLAS's threads), and the work must call no
parallel numba kernel on a pool thread: numba's workqueue layer runs one parallel loop at
a time. Only the main thread splits work (the BLAS's thread count is one setting for the
process, see `blas.one_thread`).
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
from numba import cfunc, njit, types

from .intrinsics import JOB, call_job, exchange, fetch_add

__all__ = ["CompiledJob", "by_itemsize", "compiled_jobs", "job_args", "run", "run_compiled", "thread_count",
           "threads_for"]

_AWAKE_SECONDS = 0.002  # how long a pool thread polls for new work before it sleeps


def _has_sched_yield() -> bool:
    """Whether the C library this process runs on has sched_yield (POSIX systems)."""
    try:
        return hasattr(ctypes.CDLL(ctypes.util.find_library("c")), "sched_yield")
    except (OSError, TypeError):
        return False


# Called by name from compiled code (so the polls are cached on disk like the kernels:
# compiling them in every process would cost 0.2 s and 70 MB).
_sched_yield = types.ExternalFunction("sched_yield", types.int32())


@njit(nogil=True, cache=True)
def _keep_the_core():
    """A poll's pause where the C library has no sched_yield: none."""
    return 0


def _let_python_run() -> int:
    """A poll's pause without the JIT, where the polls are Python: the GIL goes to the others."""
    time.sleep(0)
    return 0


if numba.config.DISABLE_JIT:
    _pause = _let_python_run
elif _has_sched_yield():
    _pause = _sched_yield
else:
    _pause = _keep_the_core

# The board's entries: the job's number; its compiled function's address (0 for a job in
# Python) and its arguments' address; its items [0, END) in slices of STEP; the number of
# the last job closed; how many pool threads may join (seats 0 .. SEATS-1); from CURSORS
# on, per thread, the next slice of its stretch (see `_take_slices`).
_NUMBER, _FUNCTION, _ARGS, _END, _STEP, _CLOSED, _SEATS, _CURSORS = range(8)


@njit(nogil=True, cache=True)
def _poll(flags, index, old, polls):
    """Whether flags[index] changed from `old` within `polls` polls, yielding the core between
    polls. (The call to sched_yield also makes the compiler read flags[index] again at every
    poll: it may have written to it, for all the compiler knows.)
    Bounds: the callers pass an index inside flags."""
    for _ in range(polls):
        if flags[index] != old:
            return True
        _pause()
    return flags[index] != old


@njit(nogil=True, cache=True)
def _take_slices(board, share):
    """Run the compiled job's slices: those of this thread's own stretch first, then any that
    the other threads have not taken yet. Thread t's stretch is the t-th of `threads` equal
    runs of slices, so consecutive jobs over the same arrays give each thread the same part
    of them, which its core's cache may still hold from the job before (a ReLU reading what
    the convolution before it wrote); a thread that comes late loses its slices to the
    others, from the front of its stretch.
    Bounds: the board has a cursor per thread."""
    function, args, end, step = board[_FUNCTION], board[_ARGS], board[_END], board[_STEP]
    threads = board[_SEATS] + 1
    slices = -(-end // step)
    for turn in range(threads):
        owner = (share + turn) % threads
        stretch_end = (owner + 1) * slices // threads
        while True:
            taken = fetch_add(board, _CURSORS + owner, 1)
            if taken >= stretch_end:
                break
            start = taken * step
            call_job(function, args, share, start, min(start + step, end))


@njit(nogil=True, cache=True)
def _serve(board, busy, done, seat, seen, finished, polls):
    """A pool thread in compiled code: say that job `finished` is done (0: none), then wait up
    to `polls` polls for a new job, run a compiled job's slices here and wait again. Returns
    (the job's number, True) for a job in Python that this thread has joined, which it then
    runs in Python, or (the last number seen, False) when no job came.
    Bounds: the callers pass a seat inside busy and done."""
    if finished:
        exchange(done, seat, finished)
    while True:
        if not _poll(board, _NUMBER, seen, polls):
            return seen, False
        seen = board[_NUMBER]
        if seat >= board[_SEATS]:
            continue
        exchange(busy, seat, seen)
        if fetch_add(board, _CLOSED, 0) == seen:  # too late: the caller took every slice
            exchange(done, seat, seen)
            continue
        if board[_FUNCTION] == 0:
            return seen, True
        _take_slices(board, seat + 1)
        exchange(done, seat, seen)


@njit(cache=True)
def _post(board, function, args, end, step, seats):
    """Write a job on the board for `seats` pool threads (a compiled one's cursors at the start
    of each thread's stretch), its number last; returns the number. (Compiled: the same
    writes from Python took 2 us a job; and with the GIL held, as in Python, so that a pool
    thread about to sleep sees the number, see `_Pool.post`.)
    Bounds: the board has a cursor for each of seats + 1 threads."""
    board[_FUNCTION], board[_ARGS], board[_END], board[_STEP], board[_SEATS] = function, args, end, step, seats
    if function:
        slices = -(-end // step)
        for thread in range(seats + 1):
            board[_CURSORS + thread] = thread * slices // (seats + 1)
    number = board[_NUMBER] + 1
    exchange(board, _NUMBER, number)  # atomic: neither the compiler nor the core moves the writes above past it
    return number


@njit(nogil=True, cache=True)
def _close_and_wait(board, busy, done, number):
    """The caller, out of slices: close job `number`, then wait for each pool thread in it.
    Bounds: busy and done have one entry per seat."""
    exchange(board, _CLOSED, number)
    for seat in range(busy.size):
        if fetch_add(busy, seat, 0) == number:
            while fetch_add(done, seat, 0) != number:
                _pause()


@njit(nogil=True, cache=True)
def _take_slices_and_wait(board, busy, done, number):
    """The caller's part of compiled job `number`: slices while there are any, then close and wait."""
    _take_slices(board, 0)
    _close_and_wait(board, busy, done, number)


@njit(nogil=True, cache=True)
def _post_take_and_wait(board, busy, done, function, args, end, step, seats):
    """`_post` and `_take_slices_and_wait` in one call, for when no pool thread sleeps."""
    _take_slices_and_wait(board, busy, done, _post(board, function, args, end, step, seats))


class _Job:
    """A job in Python: its work, the iterator its slices' starts come from, the errors raised."""

    def __init__(self, work: Callable[[int, Iterator[int]], None] | None, starts: Iterator[int] | None) -> None:
        self.work, self.starts = work, starts
        self.errors: list[BaseException] = []


class _Pool:
    """The pool threads by seat, the board they meet the caller on, and the job in Python on offer."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        seats = max(1, numba.config.NUMBA_NUM_THREADS - 1)
        self.board = np.zeros(_CURSORS + seats + 1, np.int64)
        self.busy, self.done = np.zeros(seats, np.int64), np.zeros(seats, np.int64)
        self.job = _Job(None, None)
        self.wake = threading.Condition()
        self.sleepers = 0
        self.polls = _polls_in(_AWAKE_SECONDS)

    def seat(self, seats: int) -> None:
        """Start pool threads until there are `seats` of them."""
        while len(self.threads) < seats:
            thread = threading.Thread(target=self.serve, args=(len(self.threads),), daemon=True,
                                      name=f"minitorch-work-{len(self.threads)}")
            self.threads.append(thread)
            thread.start()

    def serve(self, seat: int) -> None:
        """A pool thread: compiled jobs in `_serve`; a job in Python here; asleep when none comes."""
        seen = finished = 0
        while True:
            seen, in_python = _serve(self.board, self.busy, self.done, seat, seen, finished, self.polls)
            finished = 0
            if in_python:  # the caller waits for this thread, so self.job is job `seen`
                work, starts = self.job.work, self.job.starts
                try:
                    work(seat + 1, starts)
                except BaseException as error:  # handed to the caller, who raises it
                    self.job.errors.append(error)
                del work, starts  # they hold the caller's arrays: not until the next job
                finished = seen  # said from compiled code, where the GIL is not held
                continue
            with self.wake:
                self.sleepers += 1
                while self.board[_NUMBER] == seen:
                    self.wake.wait()
                self.sleepers -= 1

    def post(self, job: _Job, function: int, args: int, end: int, step: int, seats: int) -> int:
        """Offer a job to `seats` pool threads; returns its number."""
        self.job = job  # before the number: a pool thread that sees it may read the job at once
        number = _post(self.board, function, args, end, step, seats)
        if self.sleepers:  # (both sides hold the GIL here: a thread about to sleep sees the number)
            with self.wake:
                self.wake.notify_all()
        return number


def _polls_in(seconds: float) -> int:
    """How many polls of `_poll` take about `seconds` here (one without the JIT)."""
    if numba.config.DISABLE_JIT:
        return 1
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


def _pool_of(seats: int) -> _Pool:
    global _pool
    _pool = _pool or _Pool()
    _pool.seat(seats)
    return _pool


# numba's threading layer's own function, called by name from compiled code (cached on disk
# like the polls) once numba has launched the layer, which registers the name.
_layer_thread_count = types.ExternalFunction("get_num_threads", types.int32())


@njit(cache=True)
def _compiled_thread_count():
    return _layer_thread_count()


_layer_launched = False


def thread_count() -> int:
    """numba's thread count for the calling thread (`set_num_threads`). (From compiled code:
    0.1 us a call, where numba.get_num_threads() takes two locks each time, 0.6 us, and 3-8
    inside a training step, whose kernels leave that code cold: every kernel that may share
    its work asks; LeNet's step 1-1.5% faster, 2026-12-05, Intel VM.)"""
    global _layer_launched
    if numba.config.DISABLE_JIT:
        return numba.get_num_threads()
    if not _layer_launched:
        numba.get_num_threads()  # launches the layer
        _layer_launched = True
    return _compiled_thread_count()


def threads_for(slices: int) -> int:
    """How many threads to give `slices` slices: numba's count (`set_num_threads`), at most
    one per slice, and one off the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return 1
    return max(1, min(thread_count(), slices))


def run(work: Callable[[int, Iterator[int]], None], n: int, step: int, threads: int) -> None:
    """work(share, starts) for the slices [start, start + step) of range(n), shared among
    `threads` threads (`starts` iterates over a range: its next() is one C call, so threads
    can share it)."""
    starts = iter(range(0, n, step))
    if threads == 1:
        work(0, starts)
        return
    pool = _pool_of(threads - 1)
    job = _Job(work, starts)
    number = pool.post(job, 0, 0, 0, 0, threads - 1)
    try:
        work(0, starts)
    finally:
        for _ in starts:  # after an error, leave no slice for a pool thread that joins late
            pass
        _close_and_wait(pool.board, pool.busy, pool.done, number)  # the others write into the caller's arrays
        # The pool keeps the last job until the next: without its work, which holds the caller's
        # arrays (reused buffers among them, see buffers.empty, which would look in use).
        job.work = job.starts = None
    if job.errors:
        raise job.errors[0]


def compiled_jobs() -> bool:
    """Whether jobs can be compiled functions (`run_compiled`): not without the JIT."""
    return not numba.config.DISABLE_JIT


class CompiledJob:
    """A function with the `intrinsics.JOB` signature, job(args, share, start, stop), compiled
    as a C function (or loaded from numba's cache) at first use, not at import."""

    def __init__(self, function: Callable[..., None]) -> None:
        self.function = function
        self._address = 0

    @property
    def address(self) -> int:
        if not self._address:
            self._address = cfunc(JOB, cache=True)(self.function).address
        return self._address


@njit(cache=True, nogil=True)
def by_itemsize(part, args, itemsize_at, share, start, stop):
    """A compiled job's body: part(args, share, start, stop, dtype), a compiled function, with
    the float dtype whose itemsize args[itemsize_at] holds (4: float32, else float64)."""
    if args[itemsize_at] == 4:
        part(args, share, start, stop, numba.float32)
    else:
        part(args, share, start, stop, numba.float64)


def _address(a: np.ndarray) -> int:
    """The address of a's first value. (Through a ctypes view of a's buffer where numpy lets
    one be made, writable and contiguous: 0.27 us against 0.8 for `a.ctypes.data`, which
    builds a helper object, and a training step passes ~60 arrays to its jobs: LeNet's
    spent 158 us a step getting addresses, 2026-12-05, Intel VM.)"""
    try:
        return ctypes.addressof(ctypes.c_char.from_buffer(a))
    except (TypeError, ValueError):  # read-only, strided or empty
        return a.ctypes.data


def job_args(*values: np.ndarray | int) -> np.ndarray:
    """A compiled job's arguments: each array's address (C-contiguous arrays: the job reads them
    back with `intrinsics.array_at`) or the int itself, as an int64 array."""
    return np.array([_address(v) if isinstance(v, np.ndarray) else int(v) for v in values], np.int64)


def run_compiled(job: CompiledJob, args: np.ndarray, n: int, step: int, threads: int) -> None:
    """job's slices [start, start + step) of range(n) shared among `threads` threads (2 or
    more, from the main thread; where `compiled_jobs`), its arguments in the int64 array
    `args`, whose addresses the caller keeps alive until this returns."""
    pool = _pool_of(threads - 1)
    if pool.sleepers:  # posted from Python, which wakes them
        number = pool.post(_Job(None, None), job.address, args.ctypes.data, n, step, threads - 1)
        _take_slices_and_wait(pool.board, pool.busy, pool.done, number)
    else:
        # All awake (as between the kernels of a training step): posted from the same
        # compiled call, one call fewer a job. Without the GIL, so a pool thread that has
        # just found no work may go to sleep without this job; it then misses this one
        # only: the caller takes what it leaves, and the next job wakes it.
        _post_take_and_wait(pool.board, pool.busy, pool.done, job.address, _address(args), n, step, threads - 1)
