"""kernels.shared_work: slices of one piece of work taken in turn by minitorch's threads."""
from __future__ import annotations

import functools
import sys
import threading
import time
from collections import Counter

import numba
import numpy as np
import pytest

from conftest import passes_in_a_forked_child
from minitorch.kernels import shared_work
from minitorch.kernels.intrinsics import array_at


@pytest.mark.parametrize("n,step,threads", [(10, 3, 1), (10, 3, 2), (64, 18, 2), (1, 5, 2), (0, 4, 2)])
def test_every_slice_runs_once(n, step, threads):
    done, sharers = Counter(), set()

    def work(share, starts):
        for start in starts:
            done.update(range(start, min(n, start + step)))
            sharers.add(share)

    shared_work.run(work, n, step, threads)
    assert done == Counter(range(n))
    assert sharers <= set(range(threads))


def test_the_calling_thread_does_the_slices_of_a_pool_thread_that_never_runs(monkeypatch):
    # A pool thread the scheduler never gets to takes no slice, and the caller does not wait for it.
    monkeypatch.setattr(shared_work, "_pool", None)
    monkeypatch.setattr(shared_work._Pool, "seat", lambda self, seats: None)
    by_share = Counter()

    def work(share, starts):
        for _ in starts:
            by_share[share] += 1

    shared_work.run(work, 100, 1, 2)
    assert by_share == {0: 100}


def test_a_pool_thread_that_went_to_sleep_wakes_for_the_next_job():
    shared_work.run(lambda share, starts: list(starts), 4, 1, 2)
    time.sleep(3 * shared_work._AWAKE_SECONDS)  # past its polling: it waits on the condition now
    second_share_started = threading.Event()

    def work(share, starts):
        if share == 1:
            second_share_started.set()
        else:
            second_share_started.wait(5)  # leave the slices until the pool thread has joined
        for _ in starts:
            pass

    shared_work.run(work, 4, 1, 2)
    assert second_share_started.is_set()


def test_the_caller_waits_for_the_last_slice_of_a_pool_thread():
    finished = []

    def work(share, starts):
        for start in starts:
            time.sleep(0.01 if share else 0.0)
            finished.append(start)

    shared_work.run(work, 6, 1, 2)
    assert sorted(finished) == list(range(6))  # every slice done by the time run returns


def test_an_error_in_a_slice_reaches_the_caller():
    def work(share, starts):
        for start in starts:
            if start == 6:
                raise ZeroDivisionError("slice 6")

    with pytest.raises(ZeroDivisionError, match="slice 6"):
        shared_work.run(work, 10, 2, 2)


def test_off_the_main_thread_the_work_is_not_split():
    got = []
    thread = threading.Thread(target=lambda: got.append(shared_work.threads_for(8)))
    thread.start()
    thread.join()
    assert got == [1]


def test_threads_for_follows_set_num_threads():
    before = numba.get_num_threads()
    try:
        for count in {1, numba.config.NUMBA_NUM_THREADS}:
            numba.set_num_threads(count)
            assert shared_work.thread_count() == count
            assert shared_work.threads_for(100) == count
            assert shared_work.threads_for(1) == 1
    finally:
        numba.set_num_threads(before)


@pytest.mark.parametrize("array", [
    np.arange(12.0), np.arange(12.0)[3:], np.arange(12.0)[::2], np.arange(12.0).reshape(3, 4).T,
    np.frombuffer(bytes(16), np.float32), np.empty(0, np.float32)], ids=[
    "contiguous", "offset view", "strided", "transposed", "read-only", "empty"])
def test_job_args_are_the_arrays_addresses_and_the_ints(array):
    args = shared_work.job_args(array, 7, True)
    assert args.dtype == np.int64
    assert args.tolist() == [array.ctypes.data, 7, 1]


def _sum_slices(array, share, starts):
    for _ in starts:
        array.sum()


def test_the_pool_keeps_no_reference_to_the_work_or_its_arrays():
    # buffers.empty hands an array out again once nothing else refers to it: the pool's last job
    # must not hold the caller's arrays through its work function
    array = np.zeros(1000)
    before = sys.getrefcount(array)
    shared_work.run(functools.partial(_sum_slices, array), 8, 1, 2)
    time.sleep(0.05)  # a pool thread that came too late to join lets go of the job in its next steps
    assert sys.getrefcount(array) == before


# ----- compiled jobs: run by the pool threads without Python
@shared_work.CompiledJob
def _mark_job(args, share, start, stop):
    """runs[i] += 1 and by_share[i] = share for items [start, stop), after some work on each."""
    runs = array_at(args[0], (args[2],), numba.int64)
    by_share = array_at(args[1], (args[2],), numba.int64)
    for i in range(start, stop):
        work = 0.0
        for k in range(args[3]):
            work += np.sqrt(k + i)
        runs[i] += 1 + (work < 0)  # (never true: keeps the work from being dropped)
        by_share[i] = share


def _run_marks(n, step, threads, work_per_item=0):
    runs, by_share = np.zeros(n, np.int64), np.full(n, -1, np.int64)
    shared_work.run_compiled(_mark_job, shared_work.job_args(runs, by_share, n, work_per_item), n, step, threads)
    return runs, by_share


@pytest.mark.parametrize("n,step,threads", [(10, 3, 2), (64, 18, 2), (1, 5, 2), (0, 4, 2), (1000, 7, 2)])
def test_every_slice_of_a_compiled_job_runs_once(n, step, threads):
    runs, by_share = _run_marks(n, step, threads)
    np.testing.assert_array_equal(runs, np.ones(n, np.int64))
    assert set(by_share.tolist()) <= set(range(threads))


def test_the_calling_thread_does_the_slices_of_a_compiled_job_that_no_pool_thread_joins(monkeypatch):
    monkeypatch.setattr(shared_work, "_pool", None)
    monkeypatch.setattr(shared_work._Pool, "seat", lambda self, seats: None)
    runs, by_share = _run_marks(100, 1, 2)
    np.testing.assert_array_equal(runs, np.ones(100, np.int64))
    assert set(by_share.tolist()) == {0}  # the pool thread's whole stretch too


def test_a_sleeping_pool_thread_wakes_for_a_compiled_job():
    _run_marks(4, 1, 2)
    time.sleep(3 * shared_work._AWAKE_SECONDS)  # past its polling: it waits on the condition now
    runs, by_share = _run_marks(400, 1, 2, work_per_item=100_000)  # tens of ms of slices
    np.testing.assert_array_equal(runs, np.ones(400, np.int64))
    assert set(by_share.tolist()) == {0, 1}


def test_compiled_and_python_jobs_take_turns():
    for n in (5, 50, 500):
        runs, _ = _run_marks(n, 3, 2)
        done = Counter()
        shared_work.run(lambda share, starts: done.update(starts), n, 3, 2)
        np.testing.assert_array_equal(runs, np.ones(n, np.int64))
        assert done == Counter(range(0, n, 3))


def test_a_forked_child_runs_compiled_jobs_on_threads_of_its_own():
    # the parent's pool threads do not exist in the child: its board must not wait for them
    _run_marks(50, 1, 2)  # the parent's pool is running now

    def check():
        runs, by_share = _run_marks(400, 1, 2, work_per_item=20_000)
        return (runs == 1).all() and set(by_share.tolist()) <= {0, 1}
    assert passes_in_a_forked_child(check)


def test_many_jobs_of_both_kinds_and_thread_counts_in_a_row():
    # the board is reused job after job: a pool thread late for one job must never take a
    # slice of the next, whatever the mix
    rng = np.random.default_rng(0)
    for _ in range(300):
        n, step, threads = int(rng.integers(0, 60)), int(rng.integers(1, 9)), int(rng.integers(1, 3))
        if rng.random() < 0.5:
            runs, by_share = _run_marks(n, step, max(threads, 2))
            np.testing.assert_array_equal(runs, np.ones(n, np.int64))
        else:
            done = Counter()
            shared_work.run(lambda share, starts: done.update(starts), n, step, threads)
            assert done == Counter(range(0, n, step))
