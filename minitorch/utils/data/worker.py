"""DataLoader worker processes: each fetches and collates batches, sending them back with
their task number so the main process can return them in order."""
from __future__ import annotations

import queue
import random
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ... import random as mt_random


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker knows about itself (from `get_worker_info()` inside a worker)."""
    id: int
    num_workers: int
    seed: int
    dataset: Any


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """This worker's WorkerInfo inside a DataLoader worker process; None in the main process."""
    return _worker_info


class ExceptionWrapper:
    """An exception raised in a worker, carried to the main process with its traceback as text."""

    def __init__(self, exc: BaseException, where: str):
        self.exc_type = type(exc)
        self.message = f"Caught {type(exc).__name__} {where}.\nOriginal {traceback.format_exc()}"

    def reraise(self) -> None:
        try:
            exc = self.exc_type(self.message)
        except Exception:
            exc = RuntimeError(self.message)
        raise exc


class IterableStop:
    """A worker's reply meaning its share of an IterableDataset is exhausted."""

    def __init__(self, worker_id: int):
        self.worker_id = worker_id


RESET = "reset"


def worker_loop(dataset: Any, fetch: Callable, iterable: bool, index_queue: Any, result_queue: Any,
                worker_id: int, num_workers: int, seed: int, init_fn: Callable | None) -> None:
    """Serve tasks from `index_queue` until it yields None.

    A task is (task_number, indices) for map-style datasets and (task_number, None) meaning
    "your next batch" for iterable ones; RESET restarts an iterable dataset's stream.
    """
    global _worker_info
    mt_random.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    try:
        if init_fn is not None:
            init_fn(worker_id)
    except Exception as e:  # the error surfaces at the main process's next batch
        init_error = ExceptionWrapper(e, f"in DataLoader worker process {worker_id}")
    else:
        init_error = None
    stream = iter(dataset) if iterable and init_error is None else None
    while True:
        try:
            task = index_queue.get(timeout=5.0)
        except queue.Empty:
            continue
        if task is None:
            break
        if task == RESET:
            stream = iter(dataset) if iterable else None
            continue
        number, indices = task
        if init_error is not None:
            result_queue.put((number, init_error))
            continue
        try:
            batch = fetch(stream) if iterable else fetch(indices)
        except StopIteration:
            batch = IterableStop(worker_id)
        except Exception as e:
            batch = ExceptionWrapper(e, f"in DataLoader worker process {worker_id}")
        result_queue.put((number, batch))
    result_queue.cancel_join_thread()
