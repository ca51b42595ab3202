"""kernels.shared_work: slices of one piece of work taken in turn by minitorch's threads."""
from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import Future

import pytest

from minitorch.kernels import shared_work


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


class _PoolThatNeverRuns:
    """A pool whose threads the scheduler never gets to: what it is given stays pending."""

    def submit(self, fn, *args):
        return Future()


def test_the_calling_thread_does_the_slices_of_a_thread_that_never_started(monkeypatch):
    # The calling thread takes every slice, then cancels the pending share instead of waiting for it.
    monkeypatch.setattr(shared_work, "_pool", _PoolThatNeverRuns())
    by_share = Counter()

    def work(share, starts):
        for _ in starts:
            by_share[share] += 1

    shared_work.run(work, 100, 1, 2)
    assert by_share == {0: 100}


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
